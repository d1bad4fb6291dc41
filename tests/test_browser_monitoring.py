"""The monitoring page in a real browser (Debian's Chromium, Playwright, `streamlit run` on localhost) with data: the
synthetic actuals and task register uploaded through the page's own file inputs show the model's warning levels and
the early-warning list; every tab passes axe-core (WCAG 2 A/AA) and its chart texts' contrast check; screenshots in
both languages (test-artifacts/screenshots/monitoring-*.png). The empty page is covered by test_accessibility.py and
test_layout.py (they take their pages from ui.layout.PAGES).

Skipped when no Chromium is installed, unless REQUIRE_BROWSER=1 (as in CI), where that is a failure.
"""
from __future__ import annotations

import re

import pytest

from model import load_plan_data
from model.calc.monitoring import WARNINGS, monitor
from model.io.actuals import ActualsSet
from model.io.tasks import TaskRegister
from model.report.monitoring_report import warning_label
from tests.browser_support import ARTIFACTS, browser_page, server_fixture, wait_idle
from tests.conftest import REPO
from tests.test_accessibility import axe_source, chart_text_problems, describe, run_axe, settle, unexpected
from tests.test_layout import LAYOUT_JS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
FIX = REPO / "tests" / "fixtures" / "monitoring"
MAIN = '[data-testid="stMain"]'
W, H = 1366, 900
LAYOUT_SIZES = ((1280, 720), (390, 844))  # the projector with the sidebar open, a phone

server = server_fixture("streamlit-server-monitoring.log", own_library=True)


def upload(pg, index: int, path) -> None:
    pg.locator(f'{MAIN} [data-testid="stFileUploader"] input[type="file"]').nth(index).set_input_files(str(path))
    wait_idle(pg)


def cards(pg) -> dict[str, str]:
    out = {}
    for m in pg.locator(f'{MAIN} [data-testid="stMetric"]').all()[:len(WARNINGS)]:
        label = m.locator('[data-testid="stMetricLabel"]').inner_text().strip().split("\n")[-1].strip()
        out[label] = m.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def expected(lang: str) -> dict[str, str]:
    data = load_plan_data()
    m = monitor(data, ActualsSet.from_path(FIX / "actuals.csv", data),
                tasks=TaskRegister.from_path(FIX / "tasks.csv", data))
    return {(x := warning_label(w, lang))[:1].upper() + x[1:]: str(n)  # the card's icon is its sign: no second one
            for w, n in m.counts().items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_loaded_page_shows_the_levels_and_passes_axe_on_every_tab(browser, server, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = axe_source()
    with browser_page(browser, W, H) as pg:
        pg.goto(f"{server}/monitoring{'?lang=en' if lang == 'en' else ''}")
        pg.wait_for_selector(f'{MAIN} [data-testid="stFileUploader"]')
        wait_idle(pg)
        upload(pg, 1, FIX / "tasks.csv")  # the empty page offers both; the register first, the actuals then
        upload(pg, 0, FIX / "actuals.csv")
        pg.wait_for_selector(f'{MAIN} [data-testid="stMetric"]')
        wait_idle(pg)
        assert cards(pg) == expected(lang)
        assert pg.locator(f"{MAIN} .early-warning").count() >= 5
        problems = []
        tabs = pg.get_by_role("tab")
        for i in range(tabs.count()):
            tabs.nth(i).click()
            wait_idle(pg)
            settle(pg)  # Vega's drawing done, the layout still
            left, _ = unexpected(pg, run_axe(pg, axe))
            problems += describe(left, f"monitoring {lang} tab {i + 1}")
            problems += chart_text_problems(pg, f"monitoring {lang} tab {i + 1}")
            pg.screenshot(path=str(SHOTS / f"monitoring-{lang}-{W}x{H}-tab{i + 1}.png"), full_page=False)
            for sw, sh in LAYOUT_SIZES:  # every column, chart and button whole on the narrowest screens
                pg.set_viewport_size({"width": sw, "height": sh})
                settle(pg)
                problems += [f"monitoring {lang} tab {i + 1} {sw}x{sh}: {p}" for p in pg.evaluate(LAYOUT_JS)]
            pg.set_viewport_size({"width": W, "height": H})
        assert not problems, "\n".join(problems)
        body = pg.locator(MAIN).inner_text()
        assert "Traceback" not in body
        if lang == "en":
            assert not re.search(r"年度监测预警|预警清单|任务台账", body)

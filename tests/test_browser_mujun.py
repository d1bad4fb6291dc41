"""The per-mu efficiency page with data, in a real browser (Debian's Chromium, Playwright, `streamlit run`): a
synthetic enterprise file and land register uploaded through the page's own inputs, every panel open, then axe-core
(WCAG 2 A/AA), the chart-text contrast check and the layout checks of tests/test_layout.py at every screen size, in
both languages, sidebar open and presentation mode; the link carries nothing of the firms. (The all-pages tests see
this page empty: its data cannot come from a link.) Screenshots: test-artifacts/screenshots/mujun-*.png.

Skipped when no Chromium is installed, unless REQUIRE_BROWSER=1 (as in CI), where that is a failure.
"""
from __future__ import annotations

import pandas as pd
import pytest

from model.calc.mujun import plan_inputs
from model.plan.tables import load_plan_data
from tests.browser_support import ARTIFACTS, browser_page, server_fixture, wait_idle
from tests.mujun_support import synthetic, to_csv_bytes
from tests.test_accessibility import (axe_source, chart_text_problems, describe, run_axe, settle,
                                      unexpected)
from tests.test_layout import LAYOUT_JS, SIZES

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
MAIN = '[data-testid="stMain"]'
server = server_fixture("streamlit-server-mujun.log", own_library=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    _, areas = plan_inputs(load_plan_data())
    names = list(areas)
    df = synthetic(120, seed=51)
    df["area"] = [names[i % len(names)] for i in range(len(df))]
    folder = tmp_path_factory.mktemp("mujun")
    (folder / "企业.csv").write_bytes(to_csv_bytes(df))
    land = pd.DataFrame({"parcel_id": ["L1", "L2", "L3"], "area": names[:1] * 2 + names[-1:],
                         "category": ["批而未供", "用而未建", "投而未达标"], "land_mu": [12.5, 30.0, 7.0]})
    (folder / "低效用地.csv").write_bytes(to_csv_bytes(land))
    return folder, df


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["sidebar", "present"])
def test_the_loaded_page_passes_axe_and_the_layout_checks(browser, server, files, lang, mode):
    folder, df = files
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = SIZES[0]
    query = "&".join(q for q, on in (("lang=en", lang == "en"), ("present=1", mode == "present")) if on)
    where = f"mujun-{lang}-{mode}"
    with browser_page(browser, w, h, timeout_ms=60_000) as pg:
        pg.goto(f"{server}/mujun{('?' + query) if query else ''}")
        pg.wait_for_selector(f'{MAIN} [data-testid="stFileUploader"]', timeout=60_000)
        wait_idle(pg)
        inputs = pg.locator(f'{MAIN} [data-testid="stFileUploader"] input[type="file"]')
        inputs.nth(1).set_input_files(str(folder / "低效用地.csv"))
        wait_idle(pg)
        inputs.nth(0).set_input_files(str(folder / "企业.csv"))
        pg.wait_for_selector(f'{MAIN} [data-testid="stMetric"]', timeout=60_000)
        wait_idle(pg)
        assert not any(n in pg.url for n in df["name"]) and "mj" not in pg.url.split("?")[-1]
        for _ in range(6):  # every folded panel of the page (the sidebar's are the all-pages tests' business)
            closed = pg.locator(f'{MAIN} [data-testid="stExpander"] details:not([open]) > summary')
            if closed.count() == 0:
                break
            closed.first.click()
            wait_idle(pg)
        settle(pg, timeout=30)
        assert pg.locator('[data-testid="stException"]').count() == 0
        violations, _ = unexpected(pg, run_axe(pg, axe_source()))
        problems = describe(violations, f"{where} axe") + chart_text_problems(pg, where)
        for sw, sh in SIZES:
            pg.set_viewport_size({"width": sw, "height": sh})
            settle(pg, timeout=30)
            problems += [f"{where}-{sw}x{sh}: {p}" for p in pg.evaluate(LAYOUT_JS)]
            pg.screenshot(path=str(SHOTS / f"{where}-{sw}x{sh}.png"), full_page=True)
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)

"""The plan evaluation page in a real browser (Debian's Chromium, Playwright, `streamlit run` on localhost): a good
actuals file uploaded through the page's own file input shows the model's statuses; a bad one shows its
file:row:column problems and changes nothing; screenshots in both languages at 1280×720 and 1920×1080
(test-artifacts/screenshots/evaluation-*.png). One server and one browser for the module.

Skipped when no Chromium is installed, unless REQUIRE_BROWSER=1 (as in CI), where that is a failure.
"""
from __future__ import annotations

import re

import pytest

from tests.browser_support import ARTIFACTS, app_server, browser_page, settled, upload, wait_idle
from model import load_plan_data
from model.calc.evaluation import STATUSES, evaluate
from model.io.actuals import ActualsSet
from model.report.evaluation_report import status_label
from tests.conftest import REPO
from tests.test_accessibility import settle
from tests.test_layout import LAYOUT_JS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
FIX = REPO / "tests" / "fixtures" / "actuals"
SIZES = ((1280, 720), (1920, 1080))
LAYOUT_SIZES = ((1280, 720), (1366, 768))  # a phone (390 px): the grids scroll sideways (README, Known limits)
MAIN = '[data-testid="stMain"]'


PLANS_DIR = REPO / "tests" / "plans"
FOUR = "synthetic-four-2026-2030"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on its own library, offering the synthetic plans beside the default one."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SHIFENG_PLANS", str(PLANS_DIR))
    try:
        with app_server("streamlit-server-evaluation.log", library=tmp_path_factory.mktemp("library") / "lib.db") \
                as base:
            yield base
    finally:
        mp.undo()


def open_evaluation(pg, server: str, query: str = "") -> None:
    pg.goto(f"{server}/evaluation{('?' + query) if query else ''}")
    pg.wait_for_selector(f'{MAIN} [data-testid="stFileUploader"]')
    settled(pg)


def open_files_panel(pg) -> None:
    pg.locator(f'{MAIN} [data-testid="stExpander"] summary').filter(has_text=re.compile("数据文件|Data files")) \
        .first.click()
    pg.locator(f'{MAIN} [data-testid="stFileUploader"]').first.wait_for()
    settled(pg)


def cards(pg) -> dict[str, str]:
    """Status card label -> value as shown (the label's icon is a ligature whose name is text too: the last line)."""
    out = {}
    for m in pg.locator(f'{MAIN} [data-testid="stMetric"]').all()[:len(STATUSES)]:
        label = m.locator('[data-testid="stMetricLabel"]').inner_text().strip().split("\n")[-1].strip()
        out[label] = m.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def expected_cards(lang: str) -> dict[str, str]:
    data = load_plan_data()
    counts = evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data)).counts()
    return {(w := status_label(s, lang))[:1].upper() + w[1:]: str(counts[s]) for s in STATUSES}


def test_a_good_file_shows_the_statuses_and_a_bad_one_its_problems(browser, server):
    """In presentation mode (as in the meeting room), at 1280×720."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = SIZES[0]
    with browser_page(browser, w, h) as pg:
        open_evaluation(pg, server, "present=1")
        upload(pg, 0, FIX / "actuals.csv", then=r"已载入actuals\.csv")
        pg.wait_for_selector(f'{MAIN} [data-testid="stMetric"]')
        settled(pg)
        assert cards(pg) == expected_cards("zh")
        assert pg.get_by_text(re.compile(r"已载入actuals\.csv")).count() >= 1
        pg.wait_for_selector(f'{MAIN} [data-testid="stVegaLiteChart"]')
        settled(pg)  # every chart drawn
        pg.screenshot(path=str(SHOTS / f"evaluation-present-zh-{w}x{h}.png"))
        before = cards(pg)
        open_files_panel(pg)
        upload(pg, 0, FIX / "bad_actuals.csv", then="无法载入bad_actuals.csv")
        alert = pg.locator('[data-testid="stAlertContentError"]').first.inner_text()
        for row, col in ((2, "indicator_id"), (3, "value"), (5, "unit"), (6, "year"), (9, "value")):
            assert f"bad_actuals.csv 第{row}行“{col}”列" in alert, (row, col)
        assert cards(pg) == before  # the loaded set is as it was
        assert pg.locator("text=Traceback").count() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_in_both_languages(browser, server, lang):
    """Empty page, then the loaded page (actuals, projects, roads) at each size; each tab at the first size."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = SIZES[0]
    with browser_page(browser, w, h) as pg:
        open_evaluation(pg, server, "lang=en" if lang == "en" else "")
        pg.screenshot(path=str(SHOTS / f"evaluation-empty-{lang}-{w}x{h}.png"))
        upload(pg, 0, FIX / "actuals.csv", then=r"已载入actuals\.csv|Loaded actuals\.csv")
        pg.wait_for_selector(f'{MAIN} [data-testid="stMetric"]')
        settled(pg)
        assert cards(pg) == expected_cards(lang)
        open_files_panel(pg)
        upload(pg, 1, FIX / "projects.csv", then=r"已载入projects\.csv|Loaded projects\.csv")
        upload(pg, 2, FIX / "roads.csv", then=r"已载入roads\.csv|Loaded roads\.csv")
        pg.locator(f'{MAIN} [data-testid="stExpander"] summary').first.click()  # fold the files panel again
        wait_idle(pg)
        body = pg.locator(MAIN).inner_text()
        if lang == "en":
            assert not re.search(r"规划实施评估|指标完成情况|尚未载入", body)
        else:
            assert "Plan evaluation" not in body
        tabs = pg.get_by_role("tab")
        problems = []
        for i in range(tabs.count()):  # each tab's tables, charts and buttons whole at every size
            tabs.nth(i).click()
            pg.wait_for_function("(i) => document.querySelectorAll('[role=tab]')[i]?.getAttribute('aria-selected') === 'true'",
                                 arg=i)
            for sw, sh in LAYOUT_SIZES:
                pg.set_viewport_size({"width": sw, "height": sh})
                settle(pg)
                problems += [f"tab {i + 1} {sw}x{sh}: {p}" for p in pg.evaluate(LAYOUT_JS)]
                pg.screenshot(path=str(SHOTS / f"evaluation-{lang}-{sw}x{sh}-tab{i + 1}-layout.png"), full_page=True)
        pg.set_viewport_size({"width": w, "height": h})
        assert not problems, "\n".join(problems)
        for i in range(tabs.count()):  # each tab's content, scrolled to the top of the screen
            tabs.nth(i).click()
            pg.wait_for_function("(i) => document.querySelectorAll('[role=tab]')[i]?.getAttribute('aria-selected') === 'true'",
                                 arg=i)
            settled(pg)
            pg.locator('[data-testid="stTabs"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
            settled(pg)
            pg.screenshot(path=str(SHOTS / f"evaluation-{lang}-{w}x{h}-tab{i + 1}.png"))
        tabs.nth(0).click()
        wait_idle(pg)
        pg.locator(f'{MAIN} h1').first.evaluate("e => e.scrollIntoView({block: 'start'})")
        for sw, sh in SIZES:
            pg.set_viewport_size({"width": sw, "height": sh})
            settle(pg)
            pg.screenshot(path=str(SHOTS / f"evaluation-{lang}-{sw}x{sh}.png"))
        assert pg.locator("text=Traceback").count() == 0


def test_another_plan_with_a_city_figure_fits_the_projector_in_both_languages(browser, server, tmp_path):
    """The four-industries plan with a city figure for its total and a monitoring row on two scopes: the status
    table keeps its 口径 column on screen at 1280×720 (no sideways scroll), the city figure shows its scope and no
    completion; screenshots test-artifacts/screenshots/evaluation-four-{lang}-1280x720*.png."""
    from tests.test_page_evaluation import FOUR_ACTUALS

    SHOTS.mkdir(parents=True, exist_ok=True)
    f = tmp_path / "four.csv"
    f.write_text(FOUR_ACTUALS, encoding="utf-8")
    w, h = SIZES[0]
    for lang in ("zh", "en"):
        with browser_page(browser, w, h) as pg:
            open_evaluation(pg, server, f"plan={FOUR}" + ("&lang=en" if lang == "en" else ""))
            upload(pg, 0, f, then=r"已载入four\.csv|Loaded four\.csv")
            pg.wait_for_selector(f'{MAIN} .wtable')
            settled(pg)
            table = pg.locator(f'{MAIN} .wtable').first
            table.scroll_into_view_if_needed()
            settle(pg)
            problems = pg.evaluate(LAYOUT_JS)  # every table's columns within its box: the 口径 column on screen
            assert not problems, problems
            pg.screenshot(path=str(SHOTS / f"evaluation-four-{lang}-{w}x{h}.png"))
            pg.get_by_role("tab").nth(1).click()
            # the tab's content comes with the rerun its click starts (only the open tab runs): wait for what it says
            pg.locator(MAIN).get_by_text("市级数据" if lang == "zh" else "city figures").first.wait_for()
            settled(pg)
            pg.screenshot(path=str(SHOTS / f"evaluation-four-{lang}-{w}x{h}-paths.png"), full_page=True)
            assert pg.locator("text=Traceback").count() == 0

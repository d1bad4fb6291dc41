"""The next-plan page in a real browser: load actuals, rebase to 2025, set 2030 targets, see the required growth
and the phasing of an uploaded project list, download the draft plan package, save the files in the library, and
open the link in a fresh browser.
Screenshots of the page in both languages at 1280×720 and 1920×1080 go to test-artifacts/screenshots/.

The server runs on a temporary library ($SHIFENG_LIBRARY_DB), so the test never touches a real one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import (ARTIFACTS, browser_page, click_run, enter, eventually, move_slider, server_fixture,
                                   undo, wait_idle)
from tests.conftest import REPO
from tests.test_accessibility import settle

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
FIX = REPO / "tests" / "fixtures" / "nextplan"
PATH = "nextplan"


server = server_fixture("streamlit-server-nextplan.log", own_library=True)


def open_page(pg, server: str, query: str = "") -> None:
    pg.goto(f"{server}/{PATH}{('?' + query) if query else ''}")
    pg.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_idle(pg)


def metric_value(pg, label: str) -> str:
    m = pg.locator('[data-testid="stMetric"]').filter(
        has=pg.locator('[data-testid="stMetricLabel"]', has_text=re.compile("^" + re.escape(label)))).first
    return m.locator('[data-testid="stMetricValue"]').inner_text().strip()


def num(text: str) -> float:
    return float(re.search(r"[-+]?\d+(?:\.\d+)?", text.replace(",", "")).group())


def upload(pg, label: str, path) -> None:
    box = pg.locator('[data-testid="stFileUploader"]').filter(has_text=label)
    box.locator('input[type="file"]').set_input_files(str(path))


def test_next_plan_workflow_and_the_link_in_a_fresh_browser(browser, server):
    with browser_page(browser, 1600, 1400, 60_000) as pg:
        open_page(pg, server)
        upload(pg, "上传实际数据", FIX / "actuals.csv")
        pg.get_by_text(re.compile("已载入actuals")).wait_for()
        wait_idle(pg)
        click_run(pg, pg.get_by_role("button", name=re.compile("以该年实际值为基数")))
        pg.get_by_text(re.compile("已以2025年实际值为基数")).wait_for()
        wait_idle(pg)
        assert num(metric_value(pg, "2025年园区总产值")) == 1450.0
        for label, value in (("2030年园区总产值目标（亿元）", "2300"), ("2030年轨道交通产业产值目标（亿元）", "2000")):
            box = pg.get_by_label(label, exact=True).and_(pg.locator("input"))
            box.fill(value)
            box.press("Enter")
            wait_idle(pg)
        pg.wait_for_function("() => location.search.includes('tt=2300') && location.search.includes('trl=2000')")
        assert metric_value(pg, "园区总产值所需年均增速") == f"{((2300 / 1450) ** 0.2 - 1) * 100:.2f}%"
        assert metric_value(pg, "轨道交通产业所需年均增速") == f"{((2000 / 1300) ** 0.2 - 1) * 100:.2f}%"
        upload(pg, "上传项目清单", FIX / "projects.csv")
        pg.get_by_text(re.compile("本情景改按该清单测算")).wait_for()

        def list_drawn():
            assert num(metric_value(pg, "2026—2030年分摊投资")) == pytest.approx(117.0)
            assert metric_value(pg, "项目投资高峰年") == "2027"
            assert "pj=" in pg.url and "by=2025" in pg.url

        eventually(list_drawn)
        wait_idle(pg)
        chart = pg.locator('[data-testid="stVegaLiteChart"]').filter(has_text=re.compile("2026"))
        assert chart.count() >= 1
        # a bad list is refused with its file:row:column problems; the scenario keeps the good one
        bad = FIX.parent / "nextplan" / "projects.csv"
        text = bad.read_text(encoding="utf-8").replace("田心片区", "火星片区", 1)
        bad_path = ARTIFACTS / "bad-projects.csv"
        bad_path.write_text(text, encoding="utf-8")
        upload(pg, "上传项目清单", bad_path)
        pg.get_by_text(re.compile(r"bad-projects\.csv 第2行“area”列")).wait_for()
        wait_idle(pg)
        assert num(metric_value(pg, "2026—2030年分摊投资")) == pytest.approx(117.0)
        # the draft plan package: a zip of one plan folder that loads and passes the whole check
        pg.get_by_text(re.compile("导出为规划数据包（草案）")).first.click()
        wait_idle(pg)
        with pg.expect_download() as dl:
            pg.locator('[data-testid="stDownloadButton"]').filter(has_text="规划数据包（草案）").locator("button").click()
        import io
        import zipfile

        from model.calc.plancheck import check_plan
        from model.plan.draft import load_draft

        with zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes())) as z:
            files = {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}
        d = load_draft(files)
        assert check_plan(d) == [] and d.calendar.base_year == 2025 and d.segment_target("total") == 2300.0
        assert list(d.projects["project_id"]) == ["N01", "N02", "N03", "N04", "N05", "N06"]
        # save the files the scenario names, so that the link restores them anywhere
        pg.get_by_text(re.compile("存入情景库（链接可在其他电脑还原）")).click()
        wait_idle(pg)
        name = pg.get_by_label("名称", exact=True).and_(pg.locator("input"))
        name.fill("十五五测算")
        name.press("Enter")
        wait_idle(pg)
        click_run(pg, pg.get_by_role("button", name=re.compile("^保存到情景库")))
        pg.get_by_text(re.compile("已将本情景引用的文件存入情景库")).wait_for()
        wait_idle(pg)
        url = pg.url
        total, rail = metric_value(pg, "园区总产值所需年均增速"), metric_value(pg, "轨道交通产业所需年均增速")
    with browser_page(browser, 1600, 1400, 60_000) as other:
        other.goto(url)
        other.wait_for_selector('[data-testid="stMetric"]')
        wait_idle(other)
        assert metric_value(other, "园区总产值所需年均增速") == total
        assert metric_value(other, "轨道交通产业所需年均增速") == rail
        assert num(metric_value(other, "2025年园区总产值")) == 1450.0
        assert num(metric_value(other, "2026—2030年分摊投资")) == pytest.approx(117.0)
        assert other.get_by_text(re.compile("已存入情景库")).count() >= 1
        assert other.get_by_text(re.compile("实际值，统计口径为总产值")).count() >= 1  # the actuals came back too
        assert other.locator("text=Traceback").count() == 0


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_the_next_plan_page(browser, server, lang, size):
    """A rebased scenario with targets and a project list (the link of the workflow above), as on a projector."""
    from model.io.lists import PlanList

    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = size
    with browser_page(browser, w, h, 60_000) as pg:
        open_page(pg, server, "lang=en" if lang == "en" else "")
        label = "上传实际数据" if lang == "zh" else "Upload actuals"
        upload(pg, label, FIX / "actuals.csv")
        wait_idle(pg)
        pg.get_by_role("button", name=re.compile("以该年实际值为基数" if lang == "zh" else "Start from this year")).click()
        pg.wait_for_function("() => location.search.includes('by=')")  # rebased: the link names the base year
        wait_idle(pg)
        upload(pg, "上传项目清单" if lang == "zh" else "Upload a project list", FIX / "projects.csv")
        wait_idle(pg)
        pl = PlanList.from_path(FIX / "projects.csv")
        pg.wait_for_function(f"() => location.search.includes('pj={pl.short_id}')")
        settle(pg)  # Vega's drawing done, the layout still
        stem = f"nextplan-{lang}-{w}x{h}"
        pg.screenshot(path=str(SHOTS / f"{stem}.png"))
        assert pg.locator("text=Traceback").count() == 0
        # nothing wider than the window (a projector shows no horizontal scroll bar)
        assert pg.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        # every table column, chart, metric and button whole (tests/test_layout.py's checks)
        from tests.test_layout import LAYOUT_JS
        settle(pg)
        problems = pg.evaluate(LAYOUT_JS)
        assert not problems, "\n".join(problems)
        # the whole page at the same width (Streamlit scrolls inside its main block, so a tall window shows it all)
        main = pg.locator('[data-testid="stMain"] [data-testid="stMainBlockContainer"]')
        height = int(main.evaluate("e => e.scrollHeight")) + 200
        pg.set_viewport_size({"width": w, "height": min(max(height, h), 9000)})
        wait_idle(pg)
        settle(pg)
        pg.screenshot(path=str(SHOTS / f"{stem}-full.png"))


def test_a_growth_move_reruns_the_moving_part_and_an_undo_of_a_target_the_whole_page(browser, server):
    """Issue #22: a growth slider reruns steps 3 and 5 and the scenario bar alone (ui.layout.moving); the targets
    above keep what they showed. Undo from the scenario bar, a rerun of that part alone, of a target change: the
    whole page is drawn again, so the target box and the link show the target in effect, never the undone one."""
    with browser_page(browser, 1600, 1400, 60_000) as pg:
        open_page(pg, server)
        box = pg.get_by_label("2025年园区总产值目标（亿元）", exact=True).and_(pg.locator("input"))
        start = box.input_value()
        enter(pg, box, "1777", "tt=1777")
        need = metric_value(pg, "园区总产值所需年均增速")
        before = move_slider(pg)
        assert box.input_value() == "1777.0" and metric_value(pg, "园区总产值所需年均增速") == need
        undo(pg, "(b) => location.search === b", before)  # the growth move: the moving part alone
        undo(pg, "() => !location.search.includes('tt=1777')")  # the target: the whole page
        def back() -> None:
            assert box.input_value() == start

        eventually(back)
        assert metric_value(pg, "园区总产值所需年均增速") != need
        assert pg.locator("text=Traceback").count() == 0

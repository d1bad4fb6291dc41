"""Issue #22 in a real browser: a held arrow key on every slider page, in presentation mode at 1280×720.

Twenty presses 33, 50 or 100 ms apart (the cadence of a held key or a fast hand) on the slider of the output,
phasing, analysis, evaluation (a synthetic actuals set loaded) and next-plan pages. Then, once the page has settled
(nothing running or stale, and the link in step with what the slider shows): the slider is where twenty presses
take it (no press lost, none reverted); the banner's name and ID are those of exactly that scenario (the preset's
name only on the preset's numbers); the link is that scenario's; and the link opened in a fresh browser shows the
same value, name and ID. The expected scenario, ID and link are computed by the model (ui.state.canonical,
scenario_id, encode), not read from the page.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from model import load_plan_data
from model.calc.evaluation import EvalSettings, evaluate
from model.io.actuals import ActualsSet
from model.io.assumptions import scenario_id
from model.io.url import encode
from model.numbers import pct_to_rate
from model.report.labels import preset_name
from model.scenario import FrozenMap
from tests.browser_support import browser_page, settled, upload
from tests.conftest import REPO

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMain"]'
FIX = REPO / "tests" / "fixtures" / "actuals" / "actuals.csv"
PRESSES = 20
GAPS = (33, 50, 100)
GROWTH = r"^轨道交通产业年均增长"


def _growth(s, v):
    return s.with_(growth=FrozenMap({**s.growth, "rail_transit": pct_to_rate(v)}))


# page: (path, slider label, key, how the slider's value sets the scenario (None: not a scenario setting), setup)
PAGES = {
    "output": ("output", GROWTH, "ArrowRight", _growth, None),
    "phasing": ("phasing", r"^成本超支", "ArrowRight", lambda s, v: s.with_(overrun=pct_to_rate(v)), None),
    "analysis": ("analysis", r"^轨道交通产业增速波动", "ArrowRight",
                 lambda s, v: s.with_(sd=FrozenMap({**s.sd, "rail_transit": pct_to_rate(v)})), None),
    "evaluation": ("evaluation", r"^基本完成门槛", "ArrowLeft", None, "actuals"),
    "nextplan": ("nextplan", GROWTH, "ArrowRight", _growth, None),
}

# True once Streamlit has finished: nothing running, nothing stale
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]') && !!document.querySelector('[data-testid="stMain"] h1')"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a library of its own, offering the synthetic plans beside the default one (tests/plans)."""
    from tests.browser_support import app_server

    mp = pytest.MonkeyPatch()
    mp.setenv("SHIFENG_PLANS", str(REPO / "tests" / "plans"))
    try:
        with app_server("streamlit-burst.log", library=tmp_path_factory.mktemp("library") / "lib.db") as base:
            yield base
    finally:
        mp.undo()


def banner(pg) -> tuple[str, str]:
    """(name, ID) from the presentation banner."""
    text = pg.locator(f'{MAIN} [data-testid="stCaptionContainer"]').filter(has_text="编号").first.inner_text()
    m = re.search(r"slideshow\s*(.+?)\s*·\s*编号\s*([0-9a-f]{8})", text.replace("\n", " "))
    assert m, text
    return m.group(1).strip(), m.group(2)


def sidebar_id(pg) -> str:
    text = pg.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(
        has_text="编号").first.text_content()
    return re.search(r"[0-9a-f]{8}", text).group()


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def open_page(pg, server: str, path: str, q: str = "present=1") -> None:
    """``path`` opened and its first run drawn: the presentation banner (with the scenario's ID) is on screen and
    nothing runs (IDLE_JS alone is true before the first run has started)."""
    pg.goto(f"{server}/{path}?{q}")
    pg.locator(f'{MAIN} [data-testid="stCaptionContainer"]').filter(has_text="编号").first.wait_for()
    settled(pg)


def load_actuals(pg) -> None:
    """The synthetic actuals set through the evaluation page's own uploader, then the thresholds' panel open."""
    upload(pg, 0, FIX)
    pg.locator(f'{MAIN} [data-testid="stMetric"]').first.wait_for()
    pg.wait_for_function(IDLE_JS)
    pg.locator(f'{MAIN} [data-testid="stExpander"] summary').filter(has_text="评价规则").first.click()
    pg.get_by_role("slider", name=re.compile(PAGES["evaluation"][1])).wait_for()
    pg.wait_for_function(IDLE_JS)


def expected_cards(nearly_pct: float) -> list[str]:
    data = load_plan_data()
    ev = evaluate(data, ActualsSet.from_path(FIX, data), settings=EvalSettings(nearly_pct / 100))
    return [str(v) for v in ev.counts().values()]


CARDS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].slice(0, 6)
    .map(m => m.querySelector('[data-testid="stMetricValue"]').innerText.trim())"""


@pytest.mark.parametrize("gap", GAPS)
@pytest.mark.parametrize("name", list(PAGES))
def test_a_burst_of_presses_leaves_banner_link_and_a_fresh_load_in_agreement(browser, server, name, gap):
    from ui import state

    path, label, key, apply, setup = PAGES[name]
    base = state.base()
    with browser_page(browser, 1280, 720) as pg:
        open_page(pg, server, path)
        if setup == "actuals":
            load_actuals(pg)
        slider = pg.get_by_role("slider", name=re.compile(label)).first
        lo, hi, step = (float(slider.get_attribute(a)) for a in ("min", "max", "step"))
        start = float(slider.input_value())
        slider.focus()
        for _ in range(PRESSES):
            pg.keyboard.press(key)
            pg.wait_for_timeout(gap)  # the cadence of the presses, not a wait for the app
        want = min(max(round(start + (1 if key == "ArrowRight" else -1) * PRESSES * step, 6), lo), hi)

        expected = state.canonical(apply(base, want)) if apply else base
        link = {**encode(expected, base), "present": "1"}
        # settled: nothing running or stale, and the link (or the status cards) in step with what the slider shows
        pg.wait_for_function(IDLE_JS)
        shown = float(slider.input_value())
        if apply:  # wait until the link follows what the slider shows, whatever that is
            got = state.canonical(apply(base, shown))
            target = {**encode(got, base), "present": "1"}
            pg.wait_for_function("(t) => { const q = Object.fromEntries(new URLSearchParams(location.search));"
                                 " return JSON.stringify(Object.keys(q).sort().map(k => [k, q[k]]))"
                                 " === JSON.stringify(Object.keys(t).sort().map(k => [k, t[k]])); }", arg=target)
        else:  # the thresholds are the session's: the status cards follow what the slider shows
            pg.wait_for_function(f"(t) => ({IDLE_JS})() && JSON.stringify(({CARDS_JS})()) === JSON.stringify(t)",
                                 arg=expected_cards(shown))
        pg.wait_for_function(IDLE_JS)

        assert shown == pytest.approx(want), f"{name} @ {gap} ms: presses lost or reverted ({start} → {shown})"
        name_shown, sid = banner(pg)
        assert name_shown == preset_name(expected.name, "zh"), f"banner says {name_shown} for {expected.name}"
        if apply:
            assert expected.name == "custom", "changed numbers carry the name custom"
        assert sid == scenario_id(expected) == sidebar_id(pg)
        assert query(pg.url) == link
        assert query(pg.url).get("n", "plan-targets") in ("custom", "plan-targets")

        url = pg.url
    with browser_page(browser, 1280, 720) as fresh:  # the link in a fresh browser: same value, name, ID
        fresh.goto(url)
        fresh.wait_for_function(IDLE_JS)
        assert banner(fresh) == (preset_name(expected.name, "zh"), scenario_id(expected))
        if apply:
            again = fresh.get_by_role("slider", name=re.compile(label)).first
            assert float(again.input_value()) == pytest.approx(want)
            assert query(fresh.url) == link


FOUR = "synthetic-four-2026-2030"


def test_a_burst_on_a_plan_opened_by_link_keeps_banner_and_link_in_agreement(browser, server):
    """Another plan (four industries) opened by its link: a burst on its first segment's slider leaves the slider,
    the banner's name and ID, and the link (which names the plan) in agreement, and a fresh load shows the same."""
    from model.plan.registry import plan_at
    from ui import state

    data = plan_at(REPO / "tests" / "plans" / "four-industries")
    base = state.base(data)
    seg = base.segments[0]
    label = f"^{data.seg_name(seg, 'zh')}年均增长"

    def apply(s, v):
        return s.with_(growth=FrozenMap({**s.growth, seg: pct_to_rate(v)}))

    with browser_page(browser, 1280, 720) as pg:
        open_page(pg, server, "output", f"present=1&plan={FOUR}")
        assert query(pg.url).get("plan") == FOUR
        name_shown, sid = banner(pg)
        assert (name_shown, sid) == (preset_name(base.name, "zh", data), scenario_id(base))
        slider = pg.get_by_role("slider", name=re.compile(label)).first
        step, start = float(slider.get_attribute("step")), float(slider.input_value())
        slider.focus()
        for _ in range(PRESSES):
            pg.keyboard.press("ArrowRight")
            pg.wait_for_timeout(50)
        want = round(start + PRESSES * step, 6)
        expected = state.canonical(apply(base, want))
        link = {**encode(expected, base), "present": "1"}
        assert link["plan"] == FOUR
        pg.wait_for_function(IDLE_JS)
        pg.wait_for_function("(t) => { const q = Object.fromEntries(new URLSearchParams(location.search));"
                             " return JSON.stringify(Object.keys(q).sort().map(k => [k, q[k]]))"
                             " === JSON.stringify(Object.keys(t).sort().map(k => [k, t[k]])); }", arg=link)
        pg.wait_for_function(IDLE_JS)
        assert float(slider.input_value()) == pytest.approx(want)
        assert banner(pg) == (preset_name("custom", "zh", data), scenario_id(expected)) and \
            sidebar_id(pg) == scenario_id(expected)
        url = pg.url
    with browser_page(browser, 1280, 720) as fresh:
        fresh.goto(url)
        fresh.wait_for_function(IDLE_JS)
        assert banner(fresh) == (preset_name("custom", "zh", data), scenario_id(expected))
        assert float(fresh.get_by_role("slider", name=re.compile(label)).first.input_value()) == pytest.approx(want)
        assert query(fresh.url) == link

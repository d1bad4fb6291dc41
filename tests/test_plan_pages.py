"""The app for any plan: every page over three plans of different shapes (the default package, four industries adding
up with their own targets and nested areas, one segment with no annex and no areas), both languages; how a session
chooses its plan (link, deployment settings, the selector, a file); a link with a target year the plan names no
targets for."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.plan import registry
from model.plan.tables import DataError
from tests.apptest_support import metric, number, ok, wrapped_tables
from tests.conftest import REPO

PLANS_DIR = REPO / "tests" / "plans"
FOUR, ONE = "synthetic-four-2026-2030", "synthetic-one-2026-2030"
PAGES = ("app.py", "pages/1_output.py", "pages/2_phasing.py", "pages/3_compare.py", "pages/4_sources.py",
         "pages/5_analysis.py", "pages/6_story.py")
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _plans(monkeypatch):
    """The deployment offers the synthetic packages beside the default one; caches start empty."""
    monkeypatch.setenv("SHIFENG_PLANS", str(PLANS_DIR))
    monkeypatch.delenv("SHIFENG_PLAN", raising=False)
    monkeypatch.delenv("SHIFENG_DATA", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def default_id() -> str:
    return registry.default_plan().id


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    return at


def plan_query(plan_id: str | None) -> dict:
    return {"plan": plan_id} if plan_id else {}


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric]
    return " ".join(parts)


def open_every_tab(at: AppTest, key: str) -> None:
    """Show each tab of a lazy tab bar in turn (only the open one is drawn)."""
    for tab in [t.label for t in at.tabs]:
        at.session_state[key] = tab
        at.run()
        ok(at)


# -- every page over three plans -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("plan", [None, FOUR, ONE], ids=["default", "four", "one"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_plan_in_both_languages(page, plan, lang):
    at = start({**plan_query(plan), **({"lang": "en"} if lang == "en" else {})})
    if page != "app.py":
        goto(at, page)
    ok(at)
    s = at.session_state["scenario"]
    assert s.plan_data.id == (plan or default_id())
    title = at.title[0].value
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh"), title
    for key in ("src_tab", "analysis_tab"):
        if key in at.session_state:
            open_every_tab(at, key)
    assert (at.query_params.get("plan") == plan) if plan else "plan" not in at.query_params


@pytest.mark.parametrize("plan", [FOUR, ONE])
def test_the_title_and_the_sidebar_name_the_plan(plan):
    at = start({"plan": plan})
    ok(at)
    data = at.session_state["scenario"].plan_data
    short = data.name("zh", "short_name")
    assert short in at.title[0].value
    assert any(short in m.value for m in at.sidebar.markdown)
    assert "石峰" not in texts(at)


# -- choosing the plan ----------------------------------------------------------------------------------------

def test_a_link_with_plan_opens_that_plan_and_keeps_it_in_the_link():
    at = start({"plan": FOUR, "mat": "9"})
    ok(at)
    s = at.session_state["scenario"]
    assert s.plan_data.id == FOUR and s.plan == FOUR
    assert s.growth["materials"] == pytest.approx(0.09)
    assert at.query_params["plan"] == FOUR and at.query_params["mat"] == "9"
    goto(at, "pages/1_output.py")
    assert {w.key for w in at.slider} >= {"g_materials", "g_equipment", "g_biomed", "g_digital"}


def test_a_link_naming_a_plan_not_offered_gives_a_notice_and_the_default_plan():
    at = start({"plan": "unknown", "mat": "9"})
    ok(at)
    assert at.session_state["scenario"].plan_data.id == default_id()
    assert any("unknown" in w.value and "不在本系统中" in w.value for w in at.warning)
    assert "plan" not in at.query_params and "mat" not in at.query_params


def test_the_deployment_setting_chooses_the_plan_of_a_link_without_settings(monkeypatch):
    monkeypatch.setenv("SHIFENG_PLAN", str(PLANS_DIR / "four-industries"))
    at = start()
    ok(at)
    assert at.session_state["scenario"].plan_data.id == FOUR
    # a link that sets something and names no plan is for the package flagged default (links of other plans carry plan=)
    at = start({"rail": "6"})
    ok(at)
    flagged = next(p.id for p in registry.available() if p.is_default)
    assert at.session_state["scenario"].plan_data.id == flagged != FOUR


def test_the_selector_switches_plan_resets_the_scenario_and_undo_goes_back():
    at = goto(start({"rail": "6"}), "pages/1_output.py")
    box = at.sidebar.selectbox(key="plan_choice")
    assert set(box.options) >= {FOUR, ONE} or len(box.options) >= 3
    box.set_value(FOUR).run()
    ok(at)
    s = at.session_state["scenario"]
    assert s.plan_data.id == FOUR and s.name == "plan-targets"
    assert any("已切换到规划" in i.value for i in at.info)
    assert at.query_params["plan"] == FOUR
    assert {w.key for w in at.slider} >= {"g_materials", "g_digital"}
    undo = [b for b in at.sidebar.button if b.key == "undo"][0]
    undo.click().run()
    ok(at)
    s = at.session_state["scenario"]
    assert s.plan_data.id == default_id() and s.growth["rail_transit"] == pytest.approx(0.06)
    assert at.sidebar.selectbox(key="plan_choice").value == default_id()


def test_no_selector_when_the_deployment_offers_one_plan(monkeypatch):
    monkeypatch.setenv("SHIFENG_PLANS", "")
    at = start()
    ok(at)
    assert not [b for b in at.sidebar.selectbox if b.key == "plan_choice"]


def test_an_uploaded_file_of_another_plan_opens_that_plan():
    from model.io.assumptions import to_assumptions_csv
    from model.scenario.presets import presets
    from ui import state

    four = registry.plan_at(PLANS_DIR / "four-industries")
    raw = to_assumptions_csv(presets(four)["zero-growth"]).encode("utf-8-sig")
    at = start()
    s = state.read_scenario_file(raw, "four.csv")
    assert s.plan_data.id == FOUR and s.name == "zero-growth"
    bad = raw.replace(FOUR.encode(), b"no-such-plan")
    with pytest.raises(Exception, match="does not offer"):
        state.read_scenario_file(bad, "bad.csv")
    ok(at)


# -- a target year without its targets --------------------------------------------------------------------------

@pytest.mark.parametrize("plan", [None, FOUR, ONE], ids=["default", "four", "one"])
def test_a_new_target_year_without_targets_is_a_notice_on_every_page(plan):
    data = registry.by_id(plan) if plan else registry.default_plan()
    year = data.calendar.target_year + 5
    at = start({**plan_query(plan), "ty": str(year), "h": str(year)})
    ok(at)
    s = at.session_state["scenario"]
    assert s.target_year == data.calendar.target_year  # the calendar group was taken back whole
    text = " ".join(w.value for w in at.warning)
    assert "`ty,h`" in text or ("`ty`" in text and "`h`" in text), text
    assert str(year) in text
    for page in PAGES[1:]:
        goto(at, page)
        ok(at)


# -- what each page shows for a plan's shape ----------------------------------------------------------------------

def test_overview_cards_for_every_target_and_the_strict_rule():
    at = start()
    ok(at)
    # the plan-targets preset lands exactly on 1,600: "突破1600" is not met there
    badges = [m.value.split(": ", 1)[-1] for m in at.markdown if "-badge[" in m.value]
    assert any(b.startswith("未达标") and "园区总产值" in b and "突破" in b for b in badges), badges
    assert any(b.startswith("达标") and "轨道交通产业" in b for b in badges), badges
    at = start({"plan": FOUR})
    ok(at)
    subheaders = [h.value for h in at.subheader]
    for name in ("工业总产值", "新材料", "高端装备", "生物医药", "数字经济"):
        assert name in subheaders, subheaders
    assert any("假设值" in m.label for m in at.metric), [m.label for m in at.metric]  # digital: no base stated
    table = " ".join(str(x) for x in at.table[0].value.to_numpy().ravel()) if at.table else ""
    assert "3—5" in table and "名" in table
    # segment targets as the plan words them: 以上 after its figure, 突破 and 约 before it
    values = [m.value for m in at.metric]
    assert "380 亿元以上" in values and "突破1,100 亿元" in values and not [v for v in values if v.startswith("以上")]


def test_output_page_for_four_industries():
    at = goto(start({"plan": FOUR}), "pages/1_output.py")
    ok(at)
    before = number(metric(at, "2030 新材料"))
    at.slider(key="g_materials").set_value(12.0).run()
    ok(at)
    assert number(metric(at, "2030 新材料")) > before
    assert at.query_params["mat"] == "12" and at.query_params["plan"] == FOUR
    at.button(key="req_materials").click().run()
    ok(at)
    assert number(metric(at, "2030 新材料")) == pytest.approx(450, abs=0.05)
    at.session_state["open_structure"] = True
    at.run()
    ok(at)
    keys = {n.key for n in at.number_input}
    assert keys >= {"base_materials", "base_equipment", "base_biomed", "base_digital"}
    assert not [t for t in at.toggle if t.key == "split"]  # no splittable segment in this plan
    assert any("假设值" in n.label for n in at.number_input if n.key == "base_digital")
    at.number_input(key="base_digital").set_value(70.0).run()
    ok(at)
    assert at.session_state["scenario"].baselines["digital"] == 70.0


def test_phasing_for_nested_areas_and_no_roads():
    at = goto(start({"plan": FOUR}), "pages/2_phasing.py")
    ok(at)
    at.session_state["open_group_delays"] = True
    at.run()
    keys = {w.key for w in at.slider}
    assert keys >= {"delay_area_北园", "delay_area_北园一期", "delay_area_东区", "delay_cat_制造业"}
    assert any("›" in w.label for w in at.slider if w.key == "delay_area_北园一期")
    assert not any(m.label.startswith("道路投资") for m in at.metric)
    at.slider(key="delay_area_北园").set_value(1).run()  # also delays the projects of 北园一期, inside it
    ok(at)
    assert at.session_state["scenario"].delay_area == {"北园": 1}
    at = goto(start({"plan": ONE}), "pages/2_phasing.py")
    ok(at)
    assert at.info and not at.slider


def test_analysis_panels_follow_the_plan():
    at = goto(start({"plan": ONE}), "pages/5_analysis.py")
    ok(at)
    labels = [t.label for t in at.tabs]
    assert "用地" not in labels and "项目带动产值" not in labels
    assert not [s for s in at.slider if s.key == "rho"]  # one segment: nothing to correlate
    at = goto(start({"plan": FOUR}), "pages/5_analysis.py")
    labels = [t.label for t in at.tabs]
    assert "用地" in labels
    at.session_state["analysis_tab"] = "规划与实际"
    at.run()
    ok(at)
    assert not [t for t in at.toggle if t.key == "track_record"]  # no earlier plan's record in this package
    at.session_state["analysis_tab"] = "目标反推"
    at.run()
    ok(at)
    assert len(wrapped_tables(at)[0]) == 5 * 4  # every target × every projected segment


def test_sources_show_the_tables_each_package_has():
    at = goto(start({"plan": ONE}), "pages/4_sources.py")
    ok(at)
    labels = [t.label for t in at.tabs]
    assert labels[0] == "指标" and not any(x.startswith(("项目", "重大项目", "道路", "公开数据")) for x in labels)
    at = goto(start(), "pages/4_sources.py")
    labels = [t.label for t in at.tabs]
    assert "重大项目（附件1）" in labels and "道路工程（附件2）" in labels and "规划外公开数据" in labels


def test_compare_page_tables_per_headline_segment():
    at = goto(start({"plan": FOUR}), "pages/3_compare.py")
    ok(at)
    table = at.table[0].value
    rows = " ".join(map(str, table.index))
    for name in ("新材料", "高端装备", "生物医药", "数字经济", "工业总产值"):
        assert name in rows, rows
    assert "道路" not in rows


@pytest.mark.parametrize("plan_id", [FOUR, ONE, "three-levels"])
def test_a_base_input_never_offers_a_value_the_model_refuses(plan_id):
    """A stated base without parts could be set to 0 in its input, which the model refuses (a base is positive):
    the page then showed an error instead of the scenario. Every base input starts above 0 and at its parts' sum."""
    at = start({"plan": plan_id})
    at.switch_page("pages/1_output.py").run()
    at.session_state["open_structure"] = True
    at.session_state["open_structure__expanded"] = True
    at.run()
    keys = [w.key for w in at.number_input if w.key and w.key.startswith("base_")]
    assert keys, [w.key for w in at.number_input]
    for key in keys:
        w = at.number_input(key=key)
        assert w.min > 0, (key, w.min)
        w.set_value(w.min).run()
        assert not at.exception and not at.error, (key, [e.value for e in at.error])


@pytest.mark.parametrize("lg", ["zh", "en"])
@pytest.mark.parametrize("plan_id", [FOUR, None])
def test_every_number_in_the_compare_table_has_its_unit_in_its_row(plan_id, lg):
    """The table prints bare numbers and their differences: a row of numbers names its unit (growth （%）, a base
    （亿元）); only the count of excluded projects and a year (the projection's end) go without."""
    import re

    at = goto(start({**plan_query(plan_id), **({"lang": "en"} if lg == "en" else {})}), "pages/3_compare.py")
    ok(at)
    excluded = {"剔除项目", "Excluded projects", "Projection end year"}
    unitless = [label for label, row in at.table[0].value.iterrows()
                if any(re.fullmatch(r"-?[\d,]+(\.\d+)?", str(c).strip()) for c in row.tolist())
                and not re.search(r"[（(][^）)]+[）)]\s*$", str(label)) and label not in excluded]
    assert not unitless, unitless


@pytest.mark.parametrize("plan_id", [None, "sum-of-parts", "three-levels"])
def test_a_segment_chart_says_by_industry_only_when_it_is_split(plan_id):
    """A residual with no parts was captioned 乡镇工业集中区及其他各板块 ("… by industry"). The caption names the
    industries only when the chart shows some."""
    from model.report.text import tr

    at = goto(start(plan_query(plan_id)), "pages/1_output.py")
    ok(at)
    s = at.session_state["scenario"]
    captions = [c.value for c in at.caption]
    shown = 0
    for sid in s.tree.ids:
        split = any(sid in s.tree.ancestors(c) for c in s.segments)
        name = s.plan_data.seg_name(sid, "zh")
        if tr("split_chart", "zh", seg=name) in captions:
            assert split, (sid, captions)
        if tr("rest_chart", "zh", seg=name) in captions:
            assert not split, (sid, captions)
        shown += tr("split_chart", "zh", seg=name) in captions or tr("rest_chart", "zh", seg=name) in captions
    assert shown, captions


@pytest.mark.parametrize("lg", ["zh", "en"])
def test_the_compare_table_takes_no_difference_of_years(lg):
    """The table printed 0.00 as the difference of two projection end years and of two peak years: a year less a
    year is no amount. Those rows' differences read —; the difference's heading names both scenarios."""
    from model.report.text import tr

    at = goto(start({"lang": "en"} if lg == "en" else {}), "pages/3_compare.py")
    ok(at)
    table = at.table[0].value
    diffs = [c for c in table.columns if c.startswith(tr("diff_of", lg, label="", first="")[:3])]
    if not diffs:
        pytest.skip("one scenario compared")
    years = [r for r in table.index if "投资高峰年" in r or "预测至" in r or "peak" in r.lower() or "end year" in r]
    assert years, list(table.index)
    for r in years:
        assert all(table.loc[r, c] == "—" for c in diffs), (r, table.loc[r].tolist())

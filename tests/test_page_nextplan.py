"""The next-plan page (pages/8_nextplan.py) through AppTest, for any plan (the default package, four industries
adding up with their own targets, one segment with no annex) in both languages: rebase only on a year in which
every stated segment has its own figure (refusals named per segment), a target for every segment with one, the
growth the targets require (a user's slider kept), the old plan's lists not counted unless carried, per-mu output
from the actuals, the conclusion, and the draft package."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.io.actuals import ActualsSet
from model.io.lists import PlanList
from model.plan import registry
from model.report.text import tr
from tests.apptest_support import metric, moving_metrics, number, ok, open_page, outer_elements
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "nextplan"
PAGE = "pages/8_nextplan.py"
PLANS_DIR = REPO / "tests" / "plans"
FOUR, ONE = "synthetic-four-2026-2030", "synthetic-one-2026-2030"
TIMEOUT = 90
# words of the default plan that no other plan's page may show
DEFAULT_WORDS = ("石峰", "株洲", "轨道交通", "附件1", "Shifeng", "Zhuzhou", "Rail transit", "rail-transit", "Annex 1")


@pytest.fixture(autouse=True)
def _clean(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    monkeypatch.setenv("SHIFENG_PLANS", str(PLANS_DIR))
    monkeypatch.delenv("SHIFENG_PLAN", raising=False)
    monkeypatch.delenv("SHIFENG_DATA", raising=False)
    monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    from ui import documents
    from ui import lists as held_lists

    documents._LISTS.clear()
    held_lists._DATA.clear()
    yield
    documents._LISTS.clear()
    held_lists._DATA.clear()


def plan(plan_id: str | None):
    return registry.by_id(plan_id)


def start(plan_id: str | None = None, lang: str = "zh", actuals: str | None = None,
          query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    q = dict(query or {})
    if plan_id:
        q["plan"] = plan_id
    if lang == "en":
        q["lang"] = "en"
    for k, v in q.items():
        at.query_params[k] = v
    if actuals is not None:
        at.session_state["doc_actuals"] = ActualsSet.from_path(FIX / actuals, plan(plan_id))
    at.run()
    at.switch_page(PAGE).run()
    ok(at)
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric] + [m.help or "" for m in at.metric]
    return " ".join(parts)


def conclusion(at: AppTest) -> str:
    """The written conclusion's text (its paragraphs, HTML entities read back)."""
    import html

    return " ".join(html.unescape(m.value) for m in at.markdown if m.value.startswith('<p class="story-text"'))


def rebase(at: AppTest) -> AppTest:
    at.button(key="np_rebase").click().run()
    ok(at)
    return at


def set_target(at: AppTest, code: str, value: float) -> AppTest:
    at.number_input(key=f"np_target_{code}").set_value(value).run()
    ok(at)
    return at


def cagr(a, b, n=5):
    return ((b / a) ** (1 / n) - 1) * 100


# -- every plan, both languages ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("plan_id", [None, FOUR, ONE], ids=["default", "four", "one"])
def test_the_page_for_any_plan_in_both_languages(plan_id, lang):
    at = start(plan_id, lang)
    data = plan(plan_id)
    period = data.meta.text("next_period", lang)
    assert at.title[0].value == (tr("pn.title_period", lang, next_period=period) if period else tr("pn.title", lang))
    labels = [m.label for m in at.metric]
    for seg in data.segments.with_targets:  # every segment with a target: its base, its need and its input
        assert any(data.seg_name(seg, lang) in x for x in labels), (seg, labels)
        assert at.number_input(key=f"np_target_{data.segments[seg].code}").value == pytest.approx(
            data.segment_target(seg))
    words = texts(at)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value) == (lang == "zh")
    if plan_id is not None:
        assert not [w for w in DEFAULT_WORDS if w in words], [w for w in DEFAULT_WORDS if w in words]
    if data.has_role("per_mu_base"):
        assert tr("pn.land_needed", lang) in labels
    else:
        assert tr("pn.land_needed", lang) not in labels
    assert "约100%" not in words and "about 100%" not in words


# -- issue 23 on the page -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_issue_23_rebase_sets_the_growth_the_new_targets_require_and_counts_no_old_project(lang):
    at = start(lang=lang, actuals="actuals-23.csv")
    assert at.selectbox(key="np_base_year").options == ["2025"]  # 2024 and 2023 hold a city/district figure only
    words = texts(at)
    seg_rail = plan(None).seg_name("rail_transit", lang)
    assert tr("pn.year_refused", lang, year=2024, items=tr("pn.seg_why", lang, seg=seg_rail,
                                                             why=tr("pn.why.scope", lang))) in words
    rebase(at)
    q = at.query_params
    assert (q["by"], q["ty"], q["pf"], q["pl"], q["b"], q["br"], q["mub"]) == (
        "2025", "2030", "2026", "2030", "1520", "1050", "1400")
    set_target(at, "total", 2300.0)
    set_target(at, "rail", 1500.0)
    d = plan(None)
    req = {seg: number(metric(at, tr("pn.req_of", lang, seg=d.seg_name(seg, lang))))
           for seg in ("total", "rail_transit", "nonrail")}
    assert req == pytest.approx({"total": cagr(1520, 2300), "rail_transit": cagr(1050, 1500),
                                 "nonrail": cagr(470, 800)}, abs=0.005)
    # the default growth after the rebase is what the targets require (never the old preset's)
    assert number(at.query_params["rail"]) == pytest.approx(cagr(1050, 1500), abs=1e-6)
    assert number(at.query_params["non"]) == pytest.approx(cagr(470, 800), abs=1e-6)
    # bases labelled with their year and kind
    m = [x for x in at.metric if x.label == tr("pn.base_of", lang, base_year=2025,
                                               seg=d.segments["total"].output_name(lang))][0]
    assert number(m.value) == 1520.0 and tr("pn.kind.actual", lang, measure="总产值", scope=tr(
        "pn.scope_is", lang, scope=d.label("scope", "park", lang))) == m.help
    # no growth achieved is read from the derived base or across measures: the reasons instead
    words = texts(at)
    assert tr("pn.mwhy.no_stated_base", lang) in words and tr("pn.mwhy.base_not_comparable", lang) in words
    assert not [x for x in at.metric if x.label.startswith(tr("pn.achieved_of", lang, seg="", plan_base_year=2020,
                                                                   base_year=2025)[:4])]
    # the old plan's lists are not counted in the new period
    assert number(metric(at, tr("pn.phased_period", lang, plan_first=2026, plan_last=2030))) == 0.0
    assert number(metric(at, tr("pn.roads_period", lang, plan_first=2026, plan_last=2030))) == 0.0
    assert tr("pn.summary.no_projects", lang) in conclusion(at)
    # per-mu output from the actuals' monitoring row
    assert tr("pn.per_mu_actual", lang, base_year=2025) in words


def test_carrying_the_plans_lists_counts_only_their_money_that_falls_in_the_new_period():
    """Carried, the annex keeps the years it was planned for: its 14th-FYP money (every project finished by 2025)
    is none of 2026–2030's (it was all put into 2026 and counted again); money a delay moves past 2025 is."""
    at = rebase(start(actuals="actuals-23.csv"))
    at.toggle(key="np_carry").set_value(True).run()
    ok(at)
    assert at.query_params["carry"] == "1"
    assert number(metric(at, "2026—2030年分摊投资")) == 0
    delayed = rebase(start(actuals="actuals-23.csv", query={"d": "3", "basis": "total"}))
    delayed.toggle(key="np_carry").set_value(True).run()
    ok(delayed)
    assert number(metric(delayed, "2026—2030年分摊投资")) > 0


def test_a_users_slider_keeps_its_rate_when_a_target_changes():
    at = set_target(set_target(rebase(start(actuals="actuals-23.csv")), "total", 2300.0), "rail", 1500.0)
    at.slider(key="np_g_rail").set_value(9.0).run()
    ok(at)
    assert number(at.query_params["rail"]) == 9.0
    assert any(b.label.startswith("设为所需增速") for b in at.button if b.key == "np_req_rail")
    set_target(at, "total", 2400.0)
    assert number(at.query_params["rail"]) == 9.0  # the user's rate
    assert number(at.query_params["non"]) == pytest.approx(cagr(470, 900), abs=1e-6)  # follows the new split
    # the rest's required growth comes from the targets' split, not from rail's slider
    assert number(metric(at, "非轨道交通产业所需年均增速")) == pytest.approx(cagr(470, 900), abs=0.005)


def test_probabilities_are_illustrative_and_never_about_100_percent():
    at = set_target(rebase(start(actuals="actuals-23.csv")), "total", 1600.0)  # a target any path reaches
    at.slider(key="np_g_rail").set_value(30.0).run()
    ok(at)
    words = texts(at) + conclusion(at)
    assert "约100%" not in words and "超过99%" in words and "示意" in conclusion(at)


def test_a_year_with_only_a_city_figure_cannot_be_a_base():
    rows = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n" \
           "park_output_2025,2024,1410,亿元,总产值,park,,s,\nrail_output_2025,2024,1507,亿元,产业集群总体规模,city,,s,\n"
    aset = ActualsSet.from_bytes(rows.encode("utf-8"), "city.csv", plan(None))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.session_state["doc_actuals"] = aset
    at.run()
    at.switch_page(PAGE).run()
    ok(at)
    assert tr("pn.no_rebase_year", "zh") in [i.value for i in at.info]
    assert at.button(key="np_rebase").disabled
    assert "2024年不能作为基年：轨道交通产业——仅有其他范围的数值" in texts(at)


# -- other plans ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_four_industries_every_segment_rebased_targeted_and_achieved_where_comparable(lang):
    at = rebase(start(FOUR, lang, actuals="four-actuals.csv"))
    d = plan(FOUR)
    q = at.query_params
    assert (q["by"], q["ty"], q["b_mat"], q["b_dig"]) == ("2030", "2035", "430", "70")
    assert {k for k in q if k.startswith("t_")} == {"t_all", "t_mat", "t_eq", "t_bio", "t_dig"}
    labels = [m.label for m in at.metric]
    achieved = [x for x in labels if x.startswith(tr("pn.achieved_of", lang, seg=d.seg_name("materials", lang),
                                                     plan_base_year=2025, base_year=2030)[:6])]
    assert achieved  # materials, equipment and biomedicine: stated bases on the target's measure
    assert number(metric(at, tr("pn.achieved_of", lang, seg=d.seg_name("materials", lang), plan_base_year=2025,
                                base_year=2030))) == pytest.approx(cagr(320, 430), abs=0.005)
    assert tr("pn.fallback", lang, segs=", ".join([d.seg_name("digital", lang), d.seg_name("industry", lang)])
              if lang == "en" else "、".join([d.seg_name("digital", lang), d.seg_name("industry", lang)])) in \
        [w.value for w in at.warning]
    set_target(at, "mat", 650.0)
    assert number(metric(at, tr("pn.req_of", lang, seg=d.seg_name("materials", lang)))) == pytest.approx(
        cagr(430, 650), abs=0.005)
    assert number(at.query_params["mat"]) == pytest.approx(cagr(430, 650), abs=1e-6)
    words = texts(at) + conclusion(at)
    assert not [w for w in DEFAULT_WORDS if w in words]


def test_a_new_list_on_the_four_industries_plan_and_its_draft_package(tmp_path):
    from ui import documents
    from ui import lists as held_lists

    d = plan(FOUR)
    pl = PlanList.from_path(FIX / "four-projects.csv", "projects", d)
    documents.remember_list(pl, d)
    at = rebase(start(FOUR, actuals="four-actuals.csv", query={"pj": pl.short_id}))
    assert number(metric(at, "2031—2035年分摊投资")) == pytest.approx(60.0)
    assert "新的重大项目清单共2个项目" in conclusion(at)
    at.session_state["np_open_draft"] = True
    at.run()
    ok(at)
    assert tr("pn.draft_button", "zh") in [b.proto.label for b in at.get("download_button")]
    assert "synthetic-four-2026-2030-next" in texts(at)


def test_one_segment_plan_a_new_target_year_gets_user_set_targets():
    at = start(ONE)
    at.selectbox(key="np_target_year").set_value(2032).run()
    ok(at)
    q = at.query_params
    assert q["ty"] == "2032" and "t_park" in q
    assert tr("pn.step_targets", "zh", target_year=2032) in [h.value for h in at.subheader]
    set_target(at, "park", 260.0)
    assert number(metric(at, "园区营业收入所需年均增速")) == pytest.approx(cagr(120, 260, 7), abs=0.005)
    assert "到2032年园区营业收入达到260.0亿元（用户设定，非规划目标）" in conclusion(at)


# -- lists, the library, links ------------------------------------------------------------------------------

def test_a_project_list_named_by_the_link_phases_over_the_new_period():
    from ui import documents
    from ui import lists as held_lists

    pl = PlanList.from_path(FIX / "projects.csv")
    documents.remember_list(pl)
    at = rebase(start(actuals="actuals.csv", query={"pj": pl.short_id}))
    assert at.query_params["pj"] == pl.short_id
    assert number(metric(at, "2026—2030年分摊投资")) == pytest.approx(117.0)
    assert number(metric(at, "清单所列规划期投资")) == pytest.approx(117.0)
    assert metric(at, "项目投资高峰年") == "2027"
    words = texts(at)
    assert pl.short_id in words and "尚未存入情景库" in words
    assert "新的重大项目清单共6个项目" in conclusion(at)
    at.button(key="np_annex_projects").click().run()
    ok(at)
    assert "pj" not in at.query_params


def test_saving_the_documents_lets_a_fresh_session_restore_them(tmp_path):
    from model.io.library import Library
    from ui import documents
    from ui import lists as held_lists

    pl = PlanList.from_path(FIX / "projects.csv")
    documents.remember_list(pl)
    at = rebase(start(actuals="actuals.csv", query={"pj": pl.short_id}))
    aset = at.session_state["doc_actuals"]
    at.session_state["np_open_save"] = True
    at.run()
    at.text_input(key="np_lib_name").set_value("下期测算").run()
    at.button(key="np_lib_save").click().run()
    ok(at)
    assert any("下期测算" in s.value for s in at.success)
    with Library(str(tmp_path / "lib.db")) as lib:
        assert lib.get(pl.short_id, kind="projects").name == "下期测算"
        assert lib.get(aset.short_id, kind="actuals").name == "下期测算"
    link = dict(at.query_params)
    documents._LISTS.clear()
    held_lists._DATA.clear()
    st.cache_resource.clear()
    fresh = open_page(PAGE, link, TIMEOUT)
    assert number(metric(fresh, "2026—2030年分摊投资")) == pytest.approx(117.0)
    assert number(metric(fresh, "2025年园区总产值")) == 1450.0
    assert "已存入情景库" in texts(fresh)
    assert "实际值，统计口径为总产值" in texts(fresh)  # the actuals came back too: the base is labelled actual


def test_a_link_naming_a_missing_list_is_explained_not_a_traceback():
    """The page the link opens says the list is not found (a notice on pj), and the next-plan page then runs on
    the plan's own lists without an error."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["pj"] = "deadbeef"
    at.run()
    ok(at)
    assert any("deadbeef" in w.value and "`pj`" in w.value for w in at.warning), [w.value for w in at.warning]
    at.switch_page(PAGE).run()
    ok(at)
    assert at.session_state["scenario"].projects_ref is None


def test_the_plans_other_numeric_targets_can_be_set_for_the_draft():
    at = rebase(start(actuals="actuals-23.csv"))
    at.session_state["np_open_other"] = True
    at.run()
    ok(at)
    at.number_input(key="np_other_hightech_firms_2025").set_value(200.0).run()
    ok(at)
    assert at.session_state["np_other_targets"][plan(None).id] == {"hightech_firms_2025": 200.0}
    at.session_state["np_open_draft"] = True
    at.run()
    ok(at)
    assert [b for b in at.get("download_button") if b.proto.label == tr("pn.draft_button", "zh")]


def test_the_targets_heading_says_whose_targets_they_are():
    at = start()
    heads = [h.value for h in at.subheader]
    assert tr("pn.step_targets_plan", "zh", target_year=2025) in heads and not any("用户设定" in h for h in heads)
    set_target(at, "total", 1700.0)
    heads = [h.value for h in at.subheader]
    assert tr("pn.step_targets", "zh", target_year=2025) in heads
    assert re.search(r"园区总产值达到1,700\.0亿元", conclusion(at))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_per_mu_output_of_the_plans_own_base_year_is_called_stated_not_grown(lang):
    """Before rebasing, the base year is the plan's: its per-mu figure is the one it states (not 'grown at 0.00 %')."""
    at = start(lang=lang)
    words = texts(at)
    assert tr("pn.per_mu_stated", lang, plan_year=2020) in words
    assert tr("pn.per_mu_plan", lang, plan_year=2020, value="1,238.56", g="0.00%") not in words


# -- issue 22: the moving part reruns alone; the rest shows nothing it changes ------------------------------

def _moving_widgets(at: AppTest) -> list:
    """The sliders of the moving part's own fields (MOVING_FIELDS): every growth rate. (The per-mu growth's slider is
    drawn there too, but step 1 shows a per-mu base grown at it: this test found that; it is in outer_key.)"""
    return [w for w in at.slider if w.key and w.key.startswith("np_g_")]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan_id=hst.sampled_from([None, FOUR, ONE]), rebased=hst.booleans(), lang=hst.sampled_from(["zh", "en"]),
       picks=hst.lists(hst.floats(min_value=0, max_value=1), min_size=6, max_size=6))
def test_what_the_moving_part_changes_leaves_the_rest_of_the_page_as_it_was(plan_id, rebased, lang, picks):
    """The contract of pages/8_nextplan.MOVING_FIELDS: every growth slider moved to random values leaves every element
    outside the moving part exactly as it was (so a rerun of the moving part alone shows
    no stale number), while the moving part itself changes."""
    actuals = {None: "actuals-23.csv", FOUR: "four-actuals.csv"}.get(plan_id) if rebased else None
    at = start(plan_id, lang, actuals=actuals)
    if actuals:
        rebase(at).run()  # a rerun after the click: the button's value back to False
    before, moving_before, link_before = outer_elements(at), moving_metrics(at), dict(at.query_params)
    sliders = _moving_widgets(at)
    assert sliders
    for w, f in zip(sliders, picks):
        steps = round((w.max - w.min) / w.step)
        at.slider(key=w.key).set_value(round(w.min + round(f * steps) * w.step, 6))
    at.run()
    ok(at)
    if dict(at.query_params) == link_before:  # every pick was the value in effect: nothing to compare
        return
    assert moving_metrics(at) != moving_before
    after = outer_elements(at)
    assert len(after) == len(before)
    assert [a for a, b in zip(after, before) if a != b] == []


def test_the_outer_key_changes_with_what_the_rest_of_the_page_shows(monkeypatch):
    """outer_key (what a rerun of the moving part alone compares): the same after a growth move and a rename, another
    after a target, the base year, a phasing setting or a document."""
    at = start(actuals="actuals-23.csv")
    keys = []

    def record(at):
        keys.append(at.session_state["_outer_key"])
        return at

    record(at)
    at.slider(key="np_g_rail").set_value(11.0).run()
    record(at)
    assert keys[-1] == keys[-2]
    at.slider(key="np_per_mu").set_value(3.0).run()  # step 1 may show a per-mu base grown at it
    record(at)
    assert keys[-1] != keys[-2]
    set_target(at, "total", 2222.0)
    record(at)
    assert keys[-1] != keys[-2]
    rebase(at)
    record(at)
    assert keys[-1] != keys[-2]
    at.session_state["np_open_settings"] = True
    at.run()
    at.slider(key="np_overrun").set_value(10.0).run()
    ok(at)
    record(at)
    assert keys[-1] != keys[-2]


def test_a_link_to_a_list_that_cannot_be_opened_says_so_and_checks_its_ids_against_the_plan():
    """pj= naming a list nobody saved (or a deleted one), with x= excluding one of its projects: the page ran on
    the annexes and raised on the excluded id (a generic error box). The link's pj is a notice, its ids are checked
    against the plan's own list, and the page draws."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["pj"] = "abcd"
    at.query_params["x"] = "NOT_A_PROJECT"
    at.run()
    ok(at)
    shown = " ".join(w.value for w in at.warning)
    assert "`pj`" in shown and "`x`" in shown, shown
    assert at.session_state["scenario"].projects_ref is None and not at.session_state["scenario"].excluded


def test_a_held_list_opens_by_its_full_short_id_only():
    """A list another session uploaded (held by the process, not saved) opened from any link naming 4 hex digits
    of its ID; and two prefixes of one list were two scenario IDs. Held lists open by their full short ID; the
    scenario names the list by it."""
    from ui import documents

    pl = PlanList.from_path(FIX / "projects.csv")
    documents.remember_list(pl)
    for ref, opened in ((pl.short_id[:4], False), (pl.short_id, True)):
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        at.query_params["pj"] = ref
        at.run()
        ok(at)
        assert (at.session_state["scenario"].projects_ref == pl.short_id) == opened, ref


def test_the_other_targets_write_their_units_in_the_pages_language():
    """English labels carry no Chinese measure word (家, 个); the help states the old target with its unit as the
    language writes it, with no space before the full stop."""
    from model.units import COUNT_UNITS

    for lg in ("zh", "en"):
        at = start(lang=lg, actuals="actuals-23.csv")
        at.session_state["np_open_other"] = True
        at.run()
        ok(at)
        inputs = [n for n in at.number_input if n.key and n.key.startswith("np_other_")]
        assert inputs
        for n in inputs:
            words = n.label + " " + (n.help or "")
            if lg == "en":
                assert not any(u in words for u in COUNT_UNITS), words
                assert " ." not in words, words
        if lg == "zh":
            assert any(any(u in (n.label or "") for u in COUNT_UNITS) for n in inputs), [n.label for n in inputs]


@pytest.mark.parametrize("lg", ["zh", "en"])
def test_the_target_years_output_per_mu_is_marked_as_grown_never_as_stated(lg):
    """The conclusion read "按2030年亩均产值633万元/亩（规划所载2025年数值）": 633 is the base figure grown at the
    per-mu growth. The target year's figure names its base year and growth wherever it is shown."""
    at = rebase(start(lang=lg, actuals="actuals-23.csv"))
    words = conclusion(at)
    grown = tr("pn.per_mu_target_mark", lg, base_year=2025, mark="", g="")[:4]
    assert grown in words, words
    per_mu = next(m for m in at.metric if m.label == tr("pn.per_mu", lg, target_year=2030))
    assert per_mu.help and per_mu.help.startswith(grown), per_mu.help


@pytest.mark.parametrize("lg", ["zh", "en"])
def test_the_land_counted_says_the_year_the_plan_states_it_for(lg):
    """The next plan counted the old plan's land (stated for 2020) for the new period as "规划所载数值", its year
    unsaid. The sentence and the card's help name the year of the land figures."""
    at = rebase(start(lang=lg, actuals="actuals-23.csv"))
    d = plan(None)
    years = sorted({int(r["year"]) for r in d.role_rows("land_available")})
    words = conclusion(at)
    said = {"zh": f"规划所载{years[0]}年数值", "en": f"the plan's figures for {years[0]}"}[lg]
    assert said in words, words
    card = next(m for m in at.metric if m.label == tr("pn.land_available", lg))
    assert str(years[0]) in (card.help or ""), card.help

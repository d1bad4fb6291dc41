"""The next-plan page (pages/8_nextplan.py) through AppTest, in both languages: rebase on actuals, user-set targets,
back-solve, a new project list named by the link, and the compare page's 14th-FYP outcome series."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.io.actuals import ActualsSet
from model.io.lists import PlanList
from tests.apptest_support import ok, metric, number
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "nextplan"
PAGE = "pages/8_nextplan.py"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _clean(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    st.cache_data.clear()
    st.cache_resource.clear()
    from ui import documents

    documents._LISTS.clear()
    documents._DATA.clear()
    yield
    documents._LISTS.clear()
    documents._DATA.clear()


@pytest.fixture(scope="module")
def aset():
    return ActualsSet.from_path(FIX / "actuals.csv")


@pytest.fixture(scope="module")
def plist():
    return PlanList.from_path(FIX / "projects.csv")


def start(query: dict | None = None, actuals=None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if actuals is not None:
        at.session_state["doc_actuals"] = actuals
    at.run()
    at.switch_page(PAGE).run()
    ok(at)
    return at


def texts(at: AppTest) -> str:
    return " ".join([c.value for c in at.caption] + [m.value for m in at.markdown] + [w.value for w in at.warning]
                    + [s.value for s in at.success] + [i.value for i in at.info])


def rebase_and_set(at: AppTest, total=2300.0, rail=2000.0) -> AppTest:
    at.button(key="np_rebase").click().run()
    ok(at)
    at.number_input(key="np_target_total").set_value(total).run()
    at.number_input(key="np_target_rail").set_value(rail).run()
    ok(at)
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_renders_in_both_languages(lang):
    at = start({"lang": "en"} if lang == "en" else None)
    title = at.title[0].value
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh"), title
    assert len(at.metric) >= 10
    sidebar = [p.label for p in at.sidebar.get("page_link")]
    from model.report.text import tr

    assert tr("nav_nextplan", lang) in sidebar and title == tr("nav_nextplan", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rebase_to_2025_and_targets_for_2030_show_the_required_growth(lang, aset):
    at = start({"lang": "en"} if lang == "en" else None, actuals=aset)
    assert at.selectbox(key="np_base_year").value == 2025
    rebase_and_set(at)
    q = at.query_params
    assert (q["by"], q["ty"], q["pf"], q["pl"], q["tt"], q["trl"], q["as"]) == (
        "2025", "2030", "2026", "2030", "2300", "2000", aset.short_id)
    from model.report.text import tr

    assert number(metric(at, tr("pn.req_total", lang))) == pytest.approx(((2300 / 1450) ** 0.2 - 1) * 100, abs=0.005)
    assert number(metric(at, tr("req_rail", lang))) == pytest.approx(((2000 / 1300) ** 0.2 - 1) * 100, abs=0.005)
    assert number(metric(at, tr("pn.base_total", lang, base_year=2025))) == 1450.0
    words = texts(at)
    assert ("用户设定" in words) if lang == "zh" else ("user-set" in words)
    assert ("规划期2026—2030年" in words) if lang == "zh" else ("plan period 2026–2030" in words)
    # the growth was set to what the 14th FYP achieved, the probability follows the scenario's uncertainty
    assert number(at.query_params["rail"]) == pytest.approx(((1300 / 975) ** 0.2 - 1) * 100, abs=1e-6)
    assert 0 <= number(metric(at, tr("prob_total", lang, target_year=2030))) <= 100


def test_derived_targets_are_user_set_and_need_actuals_where_they_say_so(aset):
    at = start()
    at.radio(key="np_method").set_value("achieved").run()
    at.button(key="np_derive").click().run()
    assert any("实际值" in w.value for w in at.warning)  # the rule needs the new base's actuals
    at.radio(key="np_method").set_value("old_required").run()
    at.button(key="np_derive").click().run()
    ok(at)
    assert "tt" in at.query_params and "trl" in at.query_params
    assert any("用户设定" in s.value for s in at.success)
    at2 = start(actuals=aset)
    at2.radio(key="np_method").set_value("historical").run()
    at2.button(key="np_rebase").click().run()
    ok(at2)
    assert any("“十三五”“十四五”平均增速" in s.value for s in at2.success)


def test_target_year_moves_the_plan_period_and_keeps_targets_user_set(aset):
    at = rebase_and_set(start(actuals=aset))
    at.selectbox(key="np_target_year").set_value(2035).run()
    ok(at)
    q = at.query_params
    assert (q["ty"], q["pl"], q["tt"], q["trl"]) == ("2035", "2035", "2300", "2000")
    assert number(metric(at, "园区总产值所需年均增速")) == pytest.approx(((2300 / 1450) ** 0.1 - 1) * 100, abs=0.005)
    # without actuals: a new target year gets user-set targets at once (never a plan figure for another year)
    at2 = start()
    at2.selectbox(key="np_target_year").set_value(2030).run()
    ok(at2)
    assert at2.query_params["ty"] == "2030" and "tt" in at2.query_params and "by" not in at2.query_params


def test_back_to_the_plan_baseline(aset):
    at = rebase_and_set(start(actuals=aset))
    at.button(key="np_unrebase").click().run()
    ok(at)
    q = at.query_params
    assert "by" not in q and "tt" not in q and "as" not in q
    assert number(metric(at, "2020年轨道交通产业产值")) == 975.0


def test_a_project_list_named_by_the_link_phases_over_the_new_period(aset, plist):
    from ui import documents

    documents.remember_list(plist)
    at = rebase_and_set(start({"pj": plist.short_id}, actuals=aset))
    assert at.query_params["pj"] == plist.short_id
    assert number(metric(at, "2026—2030年分摊投资")) == pytest.approx(117.0)
    assert number(metric(at, "清单所列规划期投资")) == pytest.approx(117.0)
    assert metric(at, "投资高峰年") == "2027"
    words = texts(at)
    assert plist.short_id in words and "尚未存入情景库" in words
    assert "新的重大项目清单共6个项目" in words
    at.button(key="np_annex_projects").click().run()
    ok(at)
    assert "pj" not in at.query_params
    assert "当前按附件1" in texts(at)


def test_saving_the_documents_lets_a_fresh_session_restore_them(aset, plist, tmp_path):
    from model.io.library import Library
    from ui import documents

    documents.remember_list(plist)
    at = rebase_and_set(start({"pj": plist.short_id}, actuals=aset))
    at.session_state["np_open_save"] = True  # the folded save panel, opened
    at.run()
    at.text_input(key="np_lib_name").set_value("十五五测算").run()
    at.button(key="np_lib_save").click().run()
    ok(at)
    assert any("十五五测算" in s.value for s in at.success)
    with Library(str(tmp_path / "lib.db")) as lib:
        assert lib.get(plist.short_id, kind="projects").name == "十五五测算"
        assert lib.get(aset.short_id, kind="actuals").name == "十五五测算"
    link = dict(at.query_params)
    documents._LISTS.clear()
    documents._DATA.clear()
    st.cache_resource.clear()
    fresh = start(link)  # no session: the list and the actuals come from the library
    assert number(metric(fresh, "2026—2030年分摊投资")) == pytest.approx(117.0)
    assert number(metric(fresh, "2025年园区总产值")) == 1450.0
    words = texts(fresh)
    assert "已存入情景库" in words and "2020—2025年实际年均增长" in " ".join(m.label for m in fresh.metric)


def test_a_link_naming_a_missing_list_or_no_targets_is_explained_not_a_traceback():
    at = start({"pj": "deadbeef"})
    assert any("deadbeef" in w.value for w in at.warning)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["ty"] = "2030"
    at.query_params["h"] = "2030"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.error and "target_total" in at.error[0].value  # the reason, with a way out
    at.button(key="np_derive_fix").click().run()
    ok(at)
    assert at.query_params["ty"] == "2030" and "tt" in at.query_params


def test_compare_shows_the_14th_fyp_outcome_next_to_the_scenarios(aset):
    at = start(actuals=aset)
    rebase_and_set(at)
    at.switch_page("pages/3_compare.py").run()
    ok(at)
    import pyarrow as pa

    series = []
    for c in at.get("vega_lite_chart"):
        for d in c.proto.datasets:
            table = pa.ipc.open_stream(d.data.data).read_all()
            series.append(set(table.column("series").to_pylist()) if "series" in table.column_names else set())
    # the park total and the rail chart carry the outcome; the investment chart does not
    assert [("“十四五”实际值" in x) for x in series] == [True, True, False]


def test_the_targets_heading_says_whose_targets_they_are():
    from model.report.text import tr

    at = start()
    heads = [h.value for h in at.subheader]
    assert tr("pn.step_targets_plan", "zh", target_year=2025) in heads and not any("用户设定" in h for h in heads)
    at.number_input(key="np_target_total").set_value(1700.0).run()
    heads = [h.value for h in at.subheader]
    assert tr("pn.step_targets", "zh", target_year=2025) in heads

"""Every page through AppTest: renders in both languages, survives tampered URLs, controls do what they say."""
from __future__ import annotations

from hypothesis import given as hyp_given, settings as hyp_settings, strategies as hyp_st

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import load_plan_data, presets
from model.share import decode, encode
from tests.apptest_support import metric, number, ok, wrapped_tables
from tests.conftest import REPO

PAGES = ("app.py", "pages/1_output.py", "pages/2_phasing.py", "pages/3_compare.py", "pages/4_sources.py",
         "pages/5_analysis.py", "pages/6_story.py")
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def name_box(at: AppTest):
    """The sidebar's scenario-name box (its key follows the name: ui.state.name_key)."""
    return next(w for w in at.sidebar.text_input if w.key.startswith("scenario_name_"))


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page, lang):
    at = start({"lang": lang} if lang == "en" else None)
    if page != "app.py":
        goto(at, page)
    ok(at)
    assert at.title, "page has a title"
    title = at.title[0].value
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh"), title


@pytest.mark.parametrize("page", PAGES)
def test_tampered_url_shows_a_notice_not_an_exception(page):
    at = start({"rail": "abc", "h": "2099", "bogus": "1", "x": "P99", "ov": "zz:1:2", "d": "-3", "lang": "xx",
                "cap": "0", "sh": "1,2"})
    if page != "app.py":
        # the notice is shown once, on the page the link opened; later pages stay clean
        assert any("bogus" in w.value for w in at.warning)
        goto(at, page)
    ok(at)
    if page == "app.py":
        text = " ".join(w.value for w in at.warning)
        for param in ("rail", "h", "bogus", "x", "ov", "d", "lang", "cap", "sh"):
            assert f"`{param}`" in text, param


def test_raising_rail_growth_raises_the_rail_2025_metric():
    at = goto(start(), "pages/1_output.py")
    before = number(metric(at, "2025 轨道交通"))
    at.slider(key="g_rail_transit").set_value(12.0).run()
    ok(at)
    after = number(metric(at, "2025 轨道交通"))
    assert after > before
    assert after == pytest.approx(975 * 1.12**5, abs=0.05)
    assert at.query_params["rail"] == "12"


def test_set_to_required_rate_button_hits_the_target():
    at = goto(start({"rail": "3"}), "pages/1_output.py")
    assert number(metric(at, "2025 轨道交通")) < 1400
    at.button(key="req_rail_transit").click().run()
    ok(at)
    assert number(metric(at, "2025 轨道交通")) == pytest.approx(1400, abs=0.05)


def test_a_delay_moves_phased_money_later():
    at = goto(start(), "pages/2_phasing.py")
    fyp_before = number(metric(at, "2021—2025年项目投资"))
    total_before = number(metric(at, "全部年份项目投资"))
    at.slider(key="delay_all").set_value(2).run()
    ok(at)
    assert number(metric(at, "2021—2025年项目投资")) < fyp_before
    assert number(metric(at, "全部年份项目投资")) == pytest.approx(total_before)


def test_settings_survive_moving_between_pages():
    at = goto(start(), "pages/1_output.py")
    at.slider(key="g_nonrail").set_value(20.0).run()
    goto(at, "pages/2_phasing.py")
    at.slider(key="overrun").set_value(10.0).run()
    goto(at, "app.py")
    goto(at, "pages/1_output.py")
    assert at.slider(key="g_nonrail").value == pytest.approx(20.0)
    goto(at, "pages/2_phasing.py")
    assert at.slider(key="overrun").value == pytest.approx(10.0)
    ok(at)


def test_undo_restores_the_previous_scenario():
    at = goto(start(), "pages/1_output.py")
    at.slider(key="g_rail_transit").set_value(1.0).run()
    undo = [b for b in at.sidebar.button if b.label in ("撤销上一步", "Undo last change")][0]
    undo.click().run()
    ok(at)
    assert number(metric(at, "2025 轨道交通")) == pytest.approx(1400, abs=0.05)


def test_url_parameters_round_trip():
    data = load_plan_data()
    base = presets(data)["plan-targets"]
    area = data.areas.ids[-1]
    s = base.with_(name="会议情景", horizon=2030, profile="s-curve", delay_all=1, overrun=0.15, ceiling_yi=80.0,
                   excluded=frozenset({"P28"}), delay_project={"P05": 2}, delay_area={area: 1},
                   split=True, overrides={("rail_transit", 2022): -0.02}).with_growth(rail_transit=0.061)
    q = encode(s, base)
    at = start(q)
    ok(at)
    assert at.session_state["scenario"] == s
    assert decode(dict(at.query_params), base)[0] == s


def test_language_switch_changes_labels():
    at = start()
    assert at.title[0].value.startswith("石峰区")
    at.sidebar.radio(key="lang_widget").set_value("en").run()
    ok(at)
    assert at.title[0].value.startswith("Shifeng")
    assert any(m.label.startswith("2020 baseline") for m in at.metric)


def test_compare_page_saves_and_compares():
    at = goto(start(), "pages/3_compare.py")
    at.text_input(key="save_name").input("高增长").run()
    save = [b for b in at.button if b.label in ("保存", "Save")][0]
    save.click().run()
    ok(at)
    assert "高增长" in at.session_state["saved"]
    at.multiselect(key="compare_pick").set_value(["current", "saved:高增长", "preset:zero-growth"]).run()
    ok(at)
    assert len(at.get("vega_lite_chart")) >= 3


def test_sources_page_filters_and_audit():
    at = goto(start(), "pages/4_sources.py")
    assert at.text_input(key="f_ind_text")  # the first tab is open
    at.session_state["src_tab"] = "重大项目（附件1）"
    at.run()
    at.text_input(key="f_proj_text").input("清水塘").run()
    ok(at)
    projects = [c.value for c in at.caption if c.value.startswith("显示") and c.value.endswith("共37行")]
    assert len(projects) == 1
    n = int(re.match(r"显示(\d+)行", projects[0]).group(1))
    assert 0 < n < 37
    at.session_state["src_tab"] = "数据检查"
    at.run()
    ok(at)
    assert any("警告" in c.value for c in at.caption)


def test_bad_data_folder_is_a_message_not_a_traceback(monkeypatch, data_copy):
    (data_copy / "projects.csv").write_bytes(b"")
    monkeypatch.setenv("SHIFENG_PLAN", str(data_copy))
    at = start()
    assert not at.exception
    assert at.error and "projects.csv:1:-: the file is empty" in " ".join(c.value for c in at.code)


def test_phasing_controls_each_do_what_they_say():
    at = goto(start(), "pages/2_phasing.py")
    total = number(metric(at, "全部年份项目投资"))
    at.slider(key="overrun").set_value(10.0).run()
    assert number(metric(at, "全部年份项目投资")) == pytest.approx(total * 1.1, abs=0.01)
    at.slider(key="overrun").set_value(0.0).run()
    at.radio(key="basis").set_value("total").run()
    ok(at)
    assert number(metric(at, "全部年份项目投资")) == pytest.approx(394.75, abs=0.01)
    at.radio(key="basis").set_value("fyp").run()
    at.toggle(key="ceiling_on").set_value(True).run()
    ok(at)
    cap = at.session_state["scenario"].ceiling_yi  # switched on at 80 % of the peak year, so it binds
    assert cap is not None and cap < number(metric(at, "2021—2025年项目投资"))
    assert number(metric(at, "2021—2025年项目投资")) <= cap * 5 + 1e-6
    assert number(metric(at, "全部年份项目投资")) == pytest.approx(364.95, abs=0.01)
    area = load_plan_data().areas.ids[-1]
    assert not [w for w in at.slider if w.key == f"delay_area_{area}"]  # in their own panel, closed at the start
    at.session_state["open_group_delays"] = True
    at.run()
    at.slider(key=f"delay_area_{area}").set_value(1).run()
    ok(at)
    assert at.session_state["scenario"].delay_area == {area: 1}
    at.session_state["open_group_delays"] = False  # closed, the panel's delays are named under it
    at.run()
    assert not [w for w in at.slider if w.key.startswith("delay_area_")]
    assert f"已另加延期：{area}项目+1年" in [c.value for c in at.caption]


def test_output_structure_controls():
    at = goto(start(), "pages/1_output.py")
    assert not at.number_input  # the folded panel costs nothing until opened
    at.session_state["open_structure"] = True
    at.run()
    at.select_slider(key="horizon").set_value(2035).run()
    ok(at)
    assert at.session_state["scenario"].horizon == 2035
    at.toggle(key="split").set_value(True).run()
    ok(at)
    assert {s.key for s in at.slider} >= {"g_power_semiconductor", "g_digital_intelligence", "g_modern_services",
                                          "g_other"}
    at.number_input(key="share_power_semiconductor").set_value(40.0).run()
    ok(at)
    shares = at.session_state["scenario"].shares
    assert shares["power_semiconductor"] == pytest.approx(0.40) and sum(shares.values()) == pytest.approx(1.0)
    at.number_input(key="base_total").set_value(1100.0).run()
    ok(at)
    assert at.session_state["scenario"].baselines["total"] == 1100.0
    assert any(n.label.endswith("（亿元，用户设定）") or "推算值" not in n.label for n in at.number_input
               if n.key == "base_total")


def test_a_changed_preset_is_renamed_and_can_be_named():
    at = goto(start(), "pages/1_output.py")
    assert at.session_state["scenario"].name == "plan-targets"
    at.slider(key="g_rail_transit").set_value(9.0).run()
    assert at.session_state["scenario"].name == "custom"
    name_box(at).input("区长汇报情景").run()
    ok(at)
    assert at.session_state["scenario"].name == "区长汇报情景"
    assert at.query_params["n"] == "区长汇报情景"


def test_reset_to_a_preset():
    at = goto(start({"rail": "3"}), "pages/1_output.py")
    at.session_state["open_tools"] = True
    at.run()
    at.sidebar.selectbox(key="reset_choice").set_value("zero-growth").run()
    [b for b in at.sidebar.button if b.label in ("重置为预设", "Reset to preset")][0].click().run()
    ok(at)
    assert at.session_state["scenario"].name == "zero-growth"
    assert number(metric(at, "2025 轨道交通")) == pytest.approx(975.0)


ANALYSIS_TABS = ("增速波动", "目标反推", "敏感性", "用地", "项目带动产值", "规划与实际")


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["analysis_tab"] = tab
    return at.run()


@pytest.mark.parametrize("tab", ANALYSIS_TABS)
def test_every_analysis_panel_renders(tab):
    at = open_tab(goto(start({"rail": "4", "act": "total:2021:1050"}), "pages/5_analysis.py"), tab)
    ok(at)
    assert at.get("vega_lite_chart") or at.dataframe or at.metric


def test_uncertainty_panel_probability_reacts_to_growth_and_sd():
    at = goto(start({"rail": "4"}), "pages/5_analysis.py")
    low = number(metric(at, "轨道交通产业产值2025年达标概率"))
    goto(at, "pages/1_output.py").slider(key="g_rail_transit").set_value(9.0).run()
    goto(at, "pages/5_analysis.py")
    high = number(metric(at, "轨道交通产业产值2025年达标概率"))
    assert high > low
    at.slider(key="sd_rail_transit").set_value(0.0).run()
    ok(at)
    assert number(metric(at, "轨道交通产业产值2025年达标概率")) == 100.0  # 9 %/yr without uncertainty clears 1,400
    assert at.query_params["sd"] == "rail:0"


def test_goal_seek_panel_reports_infeasible_targets():
    at = open_tab(goto(start({"rail": "4"}), "pages/5_analysis.py"), "目标反推")
    ok(at)
    text = wrapped_tables(at)[0].to_string()
    assert "不可行：该板块不计入此目标" in text and "按所需增速可达标" in text  # one segment cannot move it, another can


def test_land_and_investment_panels_follow_their_sliders():
    at = open_tab(goto(start(), "pages/5_analysis.py"), "用地")
    need = number(metric(at, "所需新增用地"))
    at.slider(key="per_mu_growth").set_value(10.0).run()
    assert number(metric(at, "所需新增用地")) < need
    open_tab(at, "项目带动产值")
    before = number(metric(at, "项目带动2025年产值（示意）"))
    at.slider(key="io_ratio").set_value(2.0).run()
    assert number(metric(at, "项目带动2025年产值（示意）")) == pytest.approx(before * 2, rel=1e-3)


def test_plan_vs_reality_track_record_toggle():
    at = open_tab(goto(start(), "pages/5_analysis.py"), "规划与实际")
    at.toggle(key="track_record").set_value(True).run()
    ok(at)
    assert at.session_state["scenario"].track_record is True
    assert at.session_state["scenario"].track_reading == "level"  # the reading whose figures are all sourced
    assert any("水平法" in w.value and "780.0" in w.value for w in at.warning)  # 1,600 × 975 ÷ 2,000
    assert any("低于基年实际水平" in w.value for w in at.warning)
    at.radio(key="track_reading").set_value("increase").run()
    ok(at)
    assert any("增量法" in w.value for w in at.warning)
    assert not any("低于基年实际水平" in w.value for w in at.warning)


@pytest.fixture()
def library_db(tmp_path, monkeypatch):
    db = tmp_path / "lib.db"
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(db))
    monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    return db


def test_library_panel_saves_opens_and_compares(library_db):
    at = goto(start({"rail": "6"}), "pages/3_compare.py")
    at.session_state["open_library"] = True
    at.run()
    at.text_input(key="lib_name").input("区委汇报").run()
    at.text_input(key="lib_author").input("规划科").run()
    [b for b in at.button if b.label == "保存到情景库"][0].click().run()
    ok(at)
    assert any("区委汇报" in s.value and "第1版" in s.value for s in at.success)
    from model.library import Library

    with Library(library_db) as lib:
        assert lib.get("区委汇报").scenario().growth["rail_transit"] == 0.06
    assert "lib:区委汇报" in at.multiselect(key="compare_pick").options or any(
        "情景库：区委汇报" in o for o in at.multiselect(key="compare_pick").options)
    goto(at, "pages/1_output.py").slider(key="g_rail_transit").set_value(9.0).run()
    goto(at, "pages/3_compare.py")
    at.session_state["open_library"] = True  # a folded panel closes when the user leaves the page
    at.run()
    [b for b in at.button if b.label == "打开为当前情景"][0].click().run()
    ok(at)
    assert at.session_state["scenario"].growth["rail_transit"] == 0.06


def test_library_is_read_only_in_a_presentation_deployment(library_db, monkeypatch):
    from model.library import Library

    with Library(library_db) as lib:
        lib.save("已有", presets(load_plan_data())["plan-targets"])
    monkeypatch.setenv("SHIFENG_READ_ONLY", "1")
    at = goto(start(), "pages/3_compare.py")
    at.session_state["open_library"] = True
    at.run()
    ok(at)
    labels = [b.label for b in at.button]
    assert "保存到情景库" not in labels and "移入回收站" not in labels and "打开为当前情景" in labels


def test_a_broken_library_leaves_the_app_working(tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite" * 50)
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(bad))
    at = goto(start(), "pages/3_compare.py")
    at.session_state["open_library"] = True
    at.run()
    assert not at.exception and not at.error
    assert any("情景库暂不可用" in w.value for w in at.warning)
    assert at.get("vega_lite_chart")  # the comparison still works


@pytest.mark.parametrize("name", ["**粗体** [链接](http://x)", "<script>alert(1)</script>", ":material/home: `x`",
                                  "=1+1"])
def test_names_are_shown_as_text_never_as_markup(name, library_db):
    from ui.layout import md_text

    escaped = md_text(name)
    assert all(("\\" + c) in escaped for c in set(name) & set("*[]()<>:`="))
    at = goto(start(), "pages/3_compare.py")
    at.text_input(key="save_name").input(name).run()
    [b for b in at.button if b.label == "保存"][0].click().run()
    ok(at)
    assert any(escaped in s.value for s in at.success)
    assert name in at.session_state["saved"]


def test_presentation_mode_from_the_url_shows_name_and_id_and_a_qr_code():
    from model.scenario import scenario_id

    at = start({"present": "1", "rail": "6"})
    ok(at)
    s = at.session_state["scenario"]
    assert any(scenario_id(s) in c.value and "slideshow" in c.value for c in at.caption)
    assert at.query_params["present"] == "1"
    at.session_state["open_qr"] = True
    at.run()
    ok(at)
    assert at.sidebar.get("image")  # the QR code
    at.sidebar.toggle(key="present_widget").set_value(False).run()
    assert "present" not in at.query_params


def test_chart_export_panel_lists_every_chart_of_the_page():
    at = goto(start(), "pages/2_phasing.py")
    n_charts = len(at.get("vega_lite_chart"))
    at.session_state["open_chart_export"] = True
    at.run()
    ok(at)
    assert n_charts >= 3
    assert len([b for b in at.get("download_button") if b.proto.label in ("PNG", "SVG")]) == 2 * n_charts


@pytest.mark.parametrize("page", ["app.py"] + sorted(str(p.relative_to(REPO)) for p in (REPO / "pages").glob("*.py")
                                                if p.name != "6_story.py"))
def test_no_two_charts_of_a_page_are_listed_under_the_same_name(page):
    at = start() if page == "app.py" else goto(start(), page)
    at.session_state["open_chart_export"] = True
    at.run()
    ok(at)
    names = [x.value for x in at.text if re.match(r"\d+\. ", x.value)]
    assert len(names) == len(at.get("vega_lite_chart")), names
    bare = [n.split(". ", 1)[1] for n in names]
    assert len(set(bare)) == len(bare), names


def test_story_steps_forward_and_back_with_live_numbers():
    at = goto(start({"rail": "5.1", "non": "5.1"}), "pages/6_story.py")
    ok(at)
    assert at.header[0].value.startswith("1.")
    for k in range(2, 8):
        at.button(key="story_next").click().run()
        ok(at)
        assert at.header[0].value.startswith(f"{k}.")
        assert at.get("vega_lite_chart")
    assert at.button(key="story_next").disabled
    text = " ".join(m.value for m in at.markdown)
    assert "达标概率" in text
    at.button(key="story_back").click().run()
    assert at.header[0].value.startswith("6.")


def test_a_link_that_changes_the_preset_is_named_custom():
    at = start({"rail": "6"})
    assert at.session_state["scenario"].name == "custom"
    assert start().session_state["scenario"].name == "plan-targets"
    assert start({"rail": "6", "n": "我的情景"}).session_state["scenario"].name == "我的情景"


@pytest.fixture()
def editor_accounts(library_db, monkeypatch):
    """One editor account (argon2 hash, cheap parameters) in force for the app."""
    from model.io import auth as auth_module
    from model.io.auth import Auth, hash_password

    auth = Auth(editors={"规划科": hash_password("correct horse", memory_kib=8, time_cost=1)}, max_failures=3)
    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))
    return auth


def _library_open(at):
    at.session_state["open_library"] = True
    at.run()
    return at


def test_a_viewer_sees_no_write_buttons_and_an_editor_signs_in_and_out(editor_accounts):
    at = _library_open(goto(start(), "pages/3_compare.py"))
    ok(at)
    labels = [b.label for b in at.button]
    assert "保存到情景库" not in labels and "移入回收站" not in labels
    assert any("仅编辑人员登录后可修改情景库" in c.value for c in at.caption)
    at.text_input(key="si_name").input("规划科")
    at.text_input(key="si_password").input("wrong password")
    at.button(key="FormSubmitter:sign_in_form-登录").click().run()
    assert any("登录未成功" in e.value for e in at.error)
    at.text_input(key="si_name").input("规划科")
    at.text_input(key="si_password").input("correct horse")
    at.button(key="FormSubmitter:sign_in_form-登录").click().run()
    ok(at)
    assert any("已登录：规划科" in s.value for s in at.success)
    assert "保存到情景库" in [b.label for b in at.button]
    at.text_input(key="lib_name").input("编辑保存")
    next(b for b in at.button if b.label == "保存到情景库").click().run()
    ok(at)
    from model.io.library import Library

    with Library() as lib:
        assert lib.get("编辑保存").version == 1
        assert [e.actor for e in lib.log(name="编辑保存")] == ["规划科"]
    at.button(key="sign_out").click().run()
    ok(at)
    assert "保存到情景库" not in [b.label for b in at.button]


def test_a_gap_that_rounds_to_zero_reads_on_target_without_an_arrow():
    at = goto(start(), "pages/1_output.py")
    ok(at)
    deltas = {m.label: m.proto.delta for m in at.metric if m.proto.delta}
    assert deltas and all(d == "与目标持平" for d in deltas.values()), deltas  # plan targets: both on target
    at = goto(start({"rail": "6"}), "pages/1_output.py")
    assert any(m.proto.delta.startswith("-") and m.proto.delta.endswith("亿元") for m in at.metric if m.proto.delta)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_writes_each_target_as_the_plan_and_the_report_do(lang):
    """以上 follows its figure (90%以上), a range says its own bounds without a comparator word (1—2所, never
    1—2所以上), and an English target carries no Chinese measure word (Reach 150, not Reach 150 家)."""
    at = start({"lang": lang})
    ok(at)
    cells = [c for tb in at.table for c in tb.value.iloc[:, 1].tolist()]
    assert cells, "the overview lists the other targets"
    if lang == "zh":
        assert "90%以上" in cells and "1—2所" in cells and "达到150家" in cells
        assert not [c for c in cells if "以上" in c and not c.endswith(("以上", "）"))]
    else:
        assert "At least 90%" in cells and "1–2" in cells and "Reach 150" in cells
        assert not [c for c in cells if re.search(r"[\u4e00-\u9fff]", c)], cells


@pytest.mark.parametrize("payload", [
    '{"edited_rows": {"0": {"%s": Infinity}}, "added_rows": [], "deleted_rows": []}',
    '{"edited_rows": {"0": {"%s": ' + "9" * 5000 + '}}, "added_rows": [], "deleted_rows": []}',
    '{"edited_rows": {"0": {"%s": "abc"}}, "added_rows": [{"%s": 5}], "deleted_rows": [1]}',
    '{"edited_rows": {}, "added_rows": [' + ",".join(["{}"] * 20_000) + '], "deleted_rows": []}',  # 80 kB: 38 s of CPU
    '[1, 2, 3]', '{"edited_rows": [1]}', "not json",
])
def test_the_overrides_table_never_errors_whatever_the_browser_sends(payload, monkeypatch):
    """Infinity or a 5,000-digit number in a crafted message raised in the page (the generic error, no parameter
    named); rows added or deleted are not years. The scenario keeps what it had."""
    from tests.apptest_support import crafted_widget_states

    sent = crafted_widget_states(monkeypatch)
    at = start()
    at.session_state["open_overrides"] = True
    goto(at, "pages/1_output.py")
    editor = next(e for e in at.dataframe if e.proto.editing_mode != 0)
    column = next(c for c in editor.value.columns if c != editor.value.columns[0])
    before = at.session_state["scenario"]
    sent[editor.proto.id] = payload.replace("%s", column)
    import time

    t0 = time.process_time()
    at.run()
    assert time.process_time() - t0 < 5, "a crafted table state kept the server busy"
    sent.clear()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["scenario"].overrides == before.overrides


@hyp_settings(max_examples=200, deadline=None)
@hyp_given(hyp_st.text(max_size=40))
def test_text_from_outside_shown_in_markdown_is_clean_and_literal(text):
    """A link's plan= value (or any name a message quotes) with a bidi override reversed the sentence around it on
    screen: what md_text and md_code put into a message has passed the one cleaner."""
    from model.cleaning import clean, is_clean
    from ui.layout import md_code, md_text

    for out in (md_text(text), md_code(text)):
        assert is_clean(out), repr(out)
    assert md_text(text).replace("\\", "") == clean(text).replace("\\", "").replace("\n", " ")


def test_a_link_with_a_bidi_plan_and_many_unknown_parameters_is_shown_clean_and_counted():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["plan"] = "nope\u202egnp.exe"
    at.run()
    shown = " ".join(w.value for w in at.warning)
    assert "nope" in shown and "\u202e" not in shown, shown
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for i in range(45):
        at.query_params[f"zz{i}"] = "1"
    at.run()
    shown = " ".join(w.value for w in at.warning)
    assert "zz0" in shown and "zz44" not in shown and "25" in shown, shown


def test_a_link_parameter_given_twice_is_said():
    """x=P01&x=P02 excluded P02 only, silently: the last value is taken and the notice says so."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["x"] = ["P01", "P02"]
    at.query_params["lang"] = "zh"
    at.run()
    shown = " ".join(w.value for w in at.warning)
    assert "`x`" in shown and "P01 / P02" in shown, shown
    assert at.session_state["scenario"].excluded == frozenset({"P02"})

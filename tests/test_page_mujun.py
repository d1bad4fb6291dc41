"""The per-mu efficiency page (pages/10_mujun.py) through AppTest, in both languages, as an editor and as a viewer:
an upload is validated and shown, counts equal the model's, the method is edited and checked, an editor saves to the
library, a viewer opens the saved set and sees aggregates only (no firm named anywhere on the page), nothing of the
firms reaches the link or the log. Synthetic firms in the plan's areas (tests/mujun_support.py)."""
from __future__ import annotations

import logging
import re

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.calc.mujun import evaluate, plan_inputs, presets
from model.plan.tables import load_plan_data
from model.io.enterprises import EnterpriseSet
from model.report.problems import localized
from tests.apptest_support import ok, where
from tests.conftest import REPO
from tests.mujun_support import synthetic, to_csv_bytes
from tests.test_chinese_pages import english_words, half_width_punctuation

PAGE = "pages/10_mujun.py"
TIMEOUT = 60
CJK = re.compile(r"[\u4e00-\u9fff]")
PANELS = ("mj_open_files", "mj_open_method", "mj_open_downloads")


@pytest.fixture(autouse=True)
def _fresh(tmp_path, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    yield


@pytest.fixture(scope="module")
def firms(plan_data):
    """60 synthetic firms in the plan's own areas, as a CSV with Chinese headers."""
    _, areas = plan_inputs(plan_data)
    names = list(areas)
    df = synthetic(60, seed=41)
    df["area"] = [names[i % len(names)] for i in range(len(df))]
    return df


@pytest.fixture()
def viewer_accounts(monkeypatch):
    """One editor account in force: everyone else is a viewer."""
    from model.io import auth as auth_module
    from model.io.auth import Auth, hash_password

    auth = Auth(editors={"规划科": hash_password("correct horse", memory_kib=8, time_cost=1)}, max_failures=3)
    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))
    return auth


def start(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    at.switch_page(PAGE).run()
    return at


def upload(at: AppTest, df, name: str = "企业.csv") -> AppTest:
    if not at.file_uploader:
        at.session_state["mj_open_files"] = True
        at.run()
    at.file_uploader(key="mj_up_set").upload(name, to_csv_bytes(df), "text/csv")
    return at.run()


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success",
                                  "error") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_string() for d in at.dataframe]
    parts += [str(w.options) for w in at.selectbox]
    return "\n".join(parts)


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_empty_page_offers_uploaders_and_templates(lang):
    at = start(lang)
    ok(at)
    assert bool(CJK.search(at.title[0].value)) == (lang == "zh")
    assert len(at.file_uploader) == 2
    assert all({x.lstrip(".") for x in u.allowed_type} == {"csv", "xlsx"} for u in at.file_uploader)
    labels = " ".join(b.proto.label for b in at.get("download_button"))
    for name in ("enterprises-template.csv", "enterprises-template.xlsx", "land-template.csv", "land-template.xlsx"):
        assert name in labels
    assert not at.metric


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_editor_uploads_and_sees_the_models_counts_and_every_firm(lang, firms, plan_data):
    at = upload(start(lang), firms)
    ok(at)
    baselines, areas = plan_inputs(plan_data)
    r = evaluate(EnterpriseSet.from_frame(firms, areas), presets()["default"], baselines)
    values = metric_values(at)
    for k in "ABCD":
        label = f"{k}类" if lang == "zh" else f"Class {k}"
        assert int(values[label]) == r.counts()[k]
    assert len(at.get("vega_lite_chart")) == 4
    text = page_text(at)
    assert all(name in text for name in firms["name"])  # the editor's table of firms
    assert not any(name in str(dict(at.query_params)) for name in firms["name"])
    assert not [k for k in at.query_params if k.startswith("mj")]


def test_a_bad_file_lists_every_problem_and_loads_nothing(firms):
    bad = firms.copy()
    bad.loc[0, "land_mu"] = -1
    bad.loc[1, "area"] = "火星片区"
    at = upload(start(), bad, "坏.csv")
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert localized("坏.csv:2:land_mu: negative land: -1", "zh") in text
    assert where("坏.csv", 3, "area") + "unknown value" in text
    assert not at.metric and at.session_state["mj_set"] is None if "mj_set" in at.session_state else True


def test_the_method_is_chosen_edited_checked_and_printed(firms):
    at = upload(start(), firms)
    at.session_state["mj_open_method"] = True
    at.run()
    at.selectbox(key="mj_preset").set_value("minmax").run()
    ok(at)
    assert at.session_state["mj_method"] == presets()["minmax"]
    at.number_input(key="mj_w_below_tax_per_mu").set_value(60.0)
    at.button(key="FormSubmitter:mj_method_form-应用方法").click().run()
    assert any("weight.below: the weights add up to 60, not 100" in w.value for w in at.warning)
    assert at.session_state["mj_method"] == presets()["minmax"]  # unchanged
    at.number_input(key="mj_w_below_tax_per_mu").set_value(100.0)
    at.radio(key="mj_rule").set_value("score")
    for k, v in zip("abc", (150.0, 100.0, 50.0)):
        at.number_input(key=f"mj_cut_{k}").set_value(v)
    at.button(key="FormSubmitter:mj_method_form-应用方法").click().run()
    ok(at)
    m = at.session_state["mj_method"]
    assert m.class_rule == "score" and m.cuts == (150.0, 100.0, 50.0) and m.name == "custom"
    assert any(m.short_id in c.value for c in at.caption)


def test_an_editor_saves_and_a_viewer_sees_aggregates_only(firms, plan_data, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    at = upload(start(), firms)
    at.session_state["mj_open_files"] = True
    at.run()
    at.file_uploader(key="mj_up_land").upload("地块.csv", to_csv_bytes(pd.DataFrame(
        {"parcel_id": ["L1"], "area": [firms.loc[0, "area"]], "category": ["批而未供"], "land_mu": [12.5]})),
        "text/csv")
    at.run()
    at.button(key="mj_lib_save").click().run()  # no name yet: asked for in the page's language, nothing saved
    assert "请输入名称" in [w.value for w in at.warning] and not at.error
    at.text_input(key="mj_lib_name").input("年度评价")
    at.button(key="mj_lib_save").click().run()
    ok(at)
    _, areas = plan_inputs(plan_data)
    es = EnterpriseSet.from_frame(firms, areas)
    from model.io.library import Library

    with Library() as lib:
        assert lib.get("年度评价", kind="enterprises").short_id == es.short_id
    # now with editor accounts: this browser is a viewer
    from model.io import auth as auth_module
    from model.io.auth import Auth, hash_password

    auth = Auth(editors={"规划科": hash_password("x" * 12, memory_kib=8, time_cost=1)})
    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))
    for lang in ("zh", "en"):
        at = start(lang)
        assert not at.file_uploader
        at.button(key="mj_lib_open").click().run()
        ok(at)
        assert at.session_state["mj_land"] is not None  # the register saved under the same name came with it
        for key in PANELS:
            at.session_state[key] = True
        at.run()
        ok(at)
        text = page_text(at)
        assert metric_values(at)[("A类" if lang == "zh" else "Class A")]
        assert not [n for n in firms["name"] if n in text], "a viewer sees a firm's name"
        assert not at.file_uploader
        names = {b.proto.label for b in at.get("download_button")}  # each button is labelled by its file
        assert "mujun_enterprises.csv" not in names and not any(n.endswith(".xlsx") for n in names)
        assert any(n.endswith(".docx") for n in names)
    assert not [r for r in caplog.records if any(n in r.getMessage() for n in firms["name"])]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_panel_open_reads_in_one_language(lang, firms):
    at = upload(start(lang), firms)
    for key in PANELS:
        at.session_state[key] = True
    at.run()
    ok(at)
    texts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success")
             for e in getattr(at, kind) if not e.value.lstrip().startswith("<style>")]
    texts += [m.label for m in at.metric] + [m.value for m in at.metric]
    for kind in ("selectbox", "radio", "toggle", "number_input", "text_input", "button"):
        texts += [w.label for w in getattr(at, kind)]
    own = [x for x in texts if not any(n in x for n in firms["name"])]
    if lang == "zh":
        assert not english_words(own) - {"C", "D", "custom"}, sorted(english_words(own))[:20]
        assert not half_width_punctuation(own), half_width_punctuation(own)[:10]
    else:
        _, areas = plan_inputs(load_plan_data())
        data = (*(n["zh"] for n in areas.values()), *areas, "万元", "亿元", "企业", "语言")  # areas, units, file, switch
        assert not [x for x in own if CJK.search(x) and not any(d in x for d in data)], \
            [x for x in own if CJK.search(x) and not any(d in x for d in data)][:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_lever_reaches_the_output_page_and_the_land_check(lang, firms, plan_data):
    """Issue 26 item 5: with an evaluated file in the session, the output page and the analysis page's land check
    show the illustrative lever (extra output, land freed, scaled by the share of the gap closed), labelled so; the
    link carries nothing of it; without a file they say where to make one."""
    from model.calc.mujun import evaluate, lever
    from model.io.enterprises import EnterpriseSet

    at = upload(start(lang), firms)
    ok(at)
    baselines, areas = plan_inputs(plan_data)
    lv = lever(evaluate(EnterpriseSet.from_bytes(to_csv_bytes(firms), "企业.csv", areas), None, baselines,
                        None, areas))
    at.switch_page("pages/1_output.py")
    at.session_state["open_mujun_lever"] = True
    at.run()
    ok(at)
    values = {m.label: m.value for m in at.metric}
    extra = values[tr("mj.p.lever_extra", lang)]
    assert extra.startswith(labels_fmt(lv.extra_output_yi))
    at.slider(key="output_lever_share").set_value(50).run()
    assert {m.label: m.value for m in at.metric}[tr("mj.p.lever_extra", lang)].startswith(
        labels_fmt(lv.extra_output_yi * 0.5))
    assert not any("mj" in k for k in at.query_params)
    captions = " ".join(c.value for c in at.caption)
    assert tr("mj.lever.note", lang) in captions
    fresh = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    fresh.run()
    fresh.switch_page("pages/1_output.py")
    fresh.session_state["open_mujun_lever"] = True
    fresh.run()
    assert tr("mj.p.lever_none", "zh") in " ".join(c.value for c in fresh.caption)
    fresh.switch_page("pages/8_nextplan.py")  # the next plan's land check: the lever drawn only while open
    fresh.run()

    def texts():
        return " ".join(c.value for c in fresh.markdown) + " ".join(c.value for c in fresh.caption)

    assert tr("mj.p.lever_none", "zh") not in texts()
    fresh.session_state["np_open_lever"] = True
    fresh.run()
    assert tr("mj.p.lever_none", "zh") in texts()


def tr(key, lang, **kw):
    from model.report.text import tr as _tr

    return _tr(key, lang, **kw)


def labels_fmt(v):
    from model.report.labels import fmt

    return fmt(v)


def test_the_change_on_the_base_year_is_said_in_words(firms):
    """The card read "较2020年-1.72万元/亩": a change is said as 比…年增加/减少 …, or 持平."""
    import re

    at = upload(start(), firms)
    deltas = [m.proto.delta for m in at.metric if m.proto.delta]
    assert deltas
    for d in deltas:
        assert re.fullmatch(r"比\d{4}年(增加|减少)[\d,.]+万元/亩|与\d{4}年持平", d), d

"""The plan evaluation page (pages/7_evaluation.py) through AppTest: empty and with the synthetic actuals in
tests/fixtures/actuals/ (made-up figures, never reported ones), in both languages; counts equal the model's; a bad
file lists every problem and changes nothing; thresholds regrade; templates and evaluation files download; the
library names the set in the link."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from model import DataError, load_plan_data
from model.calc.evaluation import NEARLY, NOT_MET, QUAL_PENDING, STATUSES, EvalSettings, evaluate
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals
from model.report import charts
from model.report.evaluation_report import status_label
from model.report.problems import localized
from tests.apptest_support import metric, ok, outer_elements, where, wrapped_tables
from tests.conftest import REPO

PAGE = "pages/7_evaluation.py"
FIX = REPO / "tests" / "fixtures" / "actuals"
TIMEOUT = 60
CJK = re.compile(r"[\u4e00-\u9fff]")
TABS = {"zh": ("指标完成情况", "分板块走势", "重大项目", "道路建设"),
        "en": ("Targets", "Paths by segment", "Major projects", "Roads")}
PANELS = ("pe_open_rules", "pe_open_files", "pe_open_downloads", "pe_open_yearly", "pe_open_gantt")


PLANS_DIR = REPO / "tests" / "plans"


@pytest.fixture(autouse=True)
def _fresh(tmp_path, monkeypatch):
    """Empty caches, a library of the test's own (never the repository's), the synthetic plans offered beside the
    default one."""
    from ui import documents

    st.cache_data.clear()
    st.cache_resource.clear()
    documents._EVALUATIONS.clear()
    documents._BASES.clear()
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    monkeypatch.setenv("SHIFENG_PLANS", str(PLANS_DIR))
    monkeypatch.delenv("SHIFENG_PLAN", raising=False)
    monkeypatch.delenv("SHIFENG_DATA", raising=False)
    monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    yield


@pytest.fixture(scope="module")
def data():
    return load_plan_data()


@pytest.fixture(scope="module")
def model_eval(data):
    """The model's evaluation of the same three fixture files."""
    return evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data),
                    ProjectActuals.from_path(FIX / "projects.csv", data), RoadActuals.from_path(FIX / "roads.csv", data))


@pytest.fixture(scope="module")
def actuals_only(data):
    """The model's evaluation of the actuals file alone (no execution reports)."""
    return evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data))


def start(lang: str = "zh", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if lang == "en":
        at.query_params["lang"] = "en"
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE).run()
    return at


def upload(at: AppTest, key: str, name: str, raw: bytes | None = None) -> AppTest:
    if key != "pe_up_actuals" or not at.file_uploader:  # the later files are in the (folded) data-files panel
        at.session_state["pe_open_files"] = True
        at.run()
    at.file_uploader(key=key).upload(name, raw if raw is not None else (FIX / name).read_bytes(), "text/csv")
    return at.run()


def loaded(lang: str = "zh", *, execution: bool = True) -> AppTest:
    at = upload(start(lang), "pe_up_actuals", "actuals.csv")
    if execution:
        upload(at, "pe_up_projects", "projects.csv")
        upload(at, "pe_up_roads", "roads.csv")
    return at


def counts(at: AppTest, lang: str) -> dict[str, int]:
    """The status cards, keyed by the model's status codes."""
    by_label = {m.label: int(m.value) for m in list(at.metric)[:len(STATUSES)]}  # the cards come first
    out = {}
    for s in STATUSES:
        word = status_label(s, lang)
        out[s] = by_label[word[:1].upper() + word[1:]]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_page_explains_offers_templates_and_uploaders(lang):
    at = start(lang)
    ok(at)
    title = at.title[0].value
    assert bool(CJK.search(title)) == (lang == "zh"), title
    assert len(at.file_uploader) == 3
    assert all({x.lstrip(".") for x in u.allowed_type} == {"csv", "xlsx"} for u in at.file_uploader)
    text = " ".join(m.value for m in at.markdown)
    assert "indicator_id,year,value,unit,measure,scope,vintage,source,note" in text
    helps = " ".join(b.proto.help for b in at.get("download_button"))  # each template's button names its file
    for name in ("actuals-template.csv", "projects-template.csv", "roads-template.csv", "actuals-template.xlsx"):
        assert name in helps
    assert not at.metric
    if lang == "en":  # no Chinese in the page's own texts (data names aside)
        own = [m.value for m in at.markdown if not m.value.startswith("<style")] + [c.value for c in at.caption]
        assert not [x for x in own if CJK.search(x) and "定性" not in x and "总产值" not in x], own


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_actuals_every_tab_and_panel_renders_and_counts_equal_the_model(lang, model_eval):
    at = loaded(lang)
    ok(at)
    assert counts(at, lang) == model_eval.counts()
    assert any("actuals.csv" in c.value.replace("\\", "") for c in at.caption)
    # the caption's quantitative and qualitative counts agree with the cards: qualitative targets graded from a
    # progress row are named as counted among the grades
    ind = model_eval.indicators
    qual = int((ind["comparator"] == "qual").sum())
    graded = qual - model_eval.counts()[QUAL_PENDING]
    assert graded > 0  # the fixture grades one qualitative target from its progress
    assert tr("pe.total_graded", lang, n=len(ind), numeric=len(ind) - qual, qual=qual, graded=graded) in [
        c.value for c in at.caption]
    for tab in TABS[lang]:
        at.session_state["pe_tab"] = tab
        for key in PANELS:
            at.session_state[key] = True
        at.run()
        ok(at)
        assert counts(at, lang) == model_eval.counts()  # the cards stay above every tab
    # every tab drew its chart(s); the chart-export panel lists them
    at.session_state["pe_tab"] = TABS[lang][0]
    at.run()
    assert at.get("vega_lite_chart")


def test_status_table_shows_icon_and_word_and_filters_by_status_and_chapter(actuals_only):
    model_eval = actuals_only
    at = loaded(execution=False)
    table = wrapped_tables(at)[0]
    assert len(table) == len(model_eval.indicators)
    words = {status_label(s, "zh") for s in STATUSES}
    for cell in table.iloc[:, 1]:
        icon, word = cell.split(" ", 1)
        assert icon and not CJK.search(icon) and word in words, cell
    at.multiselect(key="pe_f_status").set_value([NOT_MET]).run()
    ok(at)
    table = wrapped_tables(at)[0]
    assert len(table) == model_eval.counts()[NOT_MET]
    assert all(c.endswith("未完成") for c in table.iloc[:, 1])
    at.multiselect(key="pe_f_status").set_value([]).run()
    at.multiselect(key="pe_f_chapter").set_value(["A2"]).run()
    ok(at)
    table = wrapped_tables(at)[0]
    ind = model_eval.indicators
    assert len(table) == int(ind["section_id"].str.startswith("A2").sum())
    assert set(table.iloc[:, 0]) == set(ind.loc[ind["section_id"].str.startswith("A2"), "name_zh"])


def test_a_measure_mismatch_is_flagged_next_to_its_number():
    at = loaded(execution=False)
    table = wrapped_tables(at)[0]
    row = table[table.iloc[:, 0] == "高新技术企业数量"].iloc[0]
    actual_at = list(table.columns).index("actual")
    assert row.iloc[actual_at] == "150" and table.columns[actual_at + 1] == "basis"
    assert row["basis"].startswith("≠") and "规模以上" in row["basis"]


@pytest.mark.parametrize("name", ["bad_actuals.csv"])
def test_a_bad_file_lists_every_problem_and_leaves_the_loaded_set(name, data, model_eval):
    raw = (FIX / name).read_bytes()
    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(raw, name, data)
    at = loaded()
    before = at.session_state["doc_actuals"].short_id
    upload(at, "pe_up_actuals", name, raw)
    assert not at.exception
    assert len(at.error) == 1  # one message
    message = at.error[0].value
    for problem in exc.value.problems:  # each in the page's language (its location always)
        assert localized(problem, "zh") in message, problem
    assert re.search(r"bad_actuals\.csv 第\d+行“\w+”列", message)
    assert at.session_state["doc_actuals"].short_id == before
    assert counts(at, "zh") == model_eval.counts()
    at.run()  # the message is shown once
    assert not at.error


def test_a_bad_file_on_the_empty_page_loads_nothing():
    at = upload(start(), "pe_up_actuals", "bad_actuals.csv")
    assert len(at.error) == 1 and where("bad_actuals.csv", 3, "value") in at.error[0].value
    assert at.session_state["doc_actuals"] is None if "doc_actuals" in at.session_state else True
    assert not at.metric and len(at.file_uploader) == 3


def test_a_bad_execution_file_changes_nothing(model_eval):
    at = loaded()
    before = at.session_state["doc_exec_projects"].short_id
    upload(at, "pe_up_projects", "projects.csv", b"project_id,year,invested_yi,status,note\nP99,2021,-1,x,\n")
    assert len(at.error) == 1
    assert where("projects.csv", 2, "project_id") in at.error[0].value
    assert where("projects.csv", 2, "status") in at.error[0].value
    assert at.session_state["doc_exec_projects"].short_id == before
    assert counts(at, "zh") == model_eval.counts()


def test_thresholds_regrade_the_targets(data):
    at = loaded(execution=False)
    at.session_state["pe_open_rules"] = True
    at.run()
    at.slider(key="pe_nearly").set_value(95).run()
    ok(at)
    expected = evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data), settings=EvalSettings(0.95)).counts()
    assert counts(at, "zh") == expected
    default = evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data)).counts()
    assert expected[NEARLY] == default[NEARLY] - 1 and expected[NOT_MET] == default[NOT_MET] + 1
    assert at.slider(key="pe_nearly").value == 95
    at.slider(key="pe_about").set_value(10.0).run()
    ok(at)
    assert at.session_state["pe_settings"] == {"nearly": 0.95, "about": 0.1}
    # each threshold's default is what it shows, so a slider handed back at its default changes nothing (#22)
    for key, shown in (("pe_nearly", 95), ("pe_about", 10.0)):
        assert list(at.slider(key=key).proto.default) == [shown]
    at.slider(key="pe_nearly").set_value(at.slider(key="pe_nearly").proto.default[0]).run()
    assert at.session_state["pe_settings"] == {"nearly": 0.95, "about": 0.1}


@pytest.fixture()
def downloads(monkeypatch):
    """Every download button's data as the page hands it over (a callable is run on click)."""
    got: dict[str, object] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kw):
        got[file_name] = data
        return original(self, label, data, file_name, *args, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    return got


def test_template_downloads_produce_the_templates(downloads, data):
    at = start()
    ok(at)
    from model.report.evaluation_report import template_files

    expected = template_files(data)
    for name in ("actuals-template.csv", "projects-template.csv", "roads-template.csv", "actuals-template.xlsx"):
        got = downloads[name]
        raw = got() if callable(got) else got
        assert isinstance(raw, bytes) and raw[:4] == expected[name][:4], name
        if name.endswith(".csv"):
            assert raw == expected[name] and raw.startswith(b"\xef\xbb\xbf"), name
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(downloads["actuals-template.xlsx"]()), read_only=True)
    assert book.sheetnames == ["actuals", "projects", "roads"]
    book.close()
    # a filled template loads back: the blank one is a valid (empty) actuals file
    assert len(ActualsSet.from_bytes(expected["actuals-template.csv"], "actuals-template.csv", data)) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_evaluation_downloads_in_the_page_language(downloads, lang):
    at = loaded(lang)
    at.session_state["pe_open_downloads"] = True
    at.run()
    ok(at)
    report = ("评估报告.docx", "评估报告.html") if lang == "zh" else ("evaluation-report.docx", "evaluation-report.html")
    for name in ("evaluation.csv", "execution_projects.csv", "execution_roads.csv", "evaluation_summary.csv",
                 "evaluation_monitoring.csv") + report:
        raw = downloads[name]()
        assert isinstance(raw, bytes) and len(raw) > 200, name
    csv = downloads["evaluation.csv"]().decode("utf-8-sig")
    assert ("未完成" in csv) == (lang == "zh") and ("not met" in csv) == (lang == "en")
    assert downloads[report[0]]().startswith(b"PK\x03\x04")
    html = downloads[report[1]]().decode("utf-8")
    assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in html


def test_library_saves_the_set_and_the_link_names_it():
    at = loaded(execution=False)
    short_id = at.session_state["doc_actuals"].short_id
    at.session_state["pe_open_files"] = True
    at.run()
    at.text_input(key="pe_lib_name").input("终期评估实际数据").run()
    at.text_input(key="pe_lib_author").input("规划科").run()
    [b for b in at.button if b.label == "将当前实际数据保存到情景库"][0].click().run()
    ok(at)
    assert any(short_id in s.value for s in at.success)
    assert at.query_params["as"] == [short_id] or at.query_params["as"] == short_id
    # a fresh session opened from the link evaluates the same set
    other = start(query={"as": short_id})
    ok(other)
    assert other.metric and other.session_state["doc_actuals"].short_id == short_id
    # and the library lists it to open by hand
    fresh = start()
    fresh.session_state["pe_lib_pick"] = short_id
    [b for b in fresh.button if b.label == "打开该数据集"][0].click().run()
    ok(fresh)
    assert fresh.metric and fresh.query_params["as"] in (short_id, [short_id])


def test_read_only_deployment_offers_opening_but_not_saving(monkeypatch):
    at = loaded(execution=False)
    monkeypatch.setenv("SHIFENG_READ_ONLY", "1")
    at.session_state["pe_open_files"] = True
    at.run()
    ok(at)
    assert "将当前实际数据保存到情景库" not in [b.label for b in at.button]
    assert any("只读" in c.value for c in at.caption)


def test_presentation_mode_and_chart_export():
    at = upload(start(query={"present": "1"}), "pe_up_actuals", "actuals.csv")
    ok(at)
    n = len(at.get("vega_lite_chart"))
    assert n >= 1
    at.session_state["open_chart_export"] = True
    at.run()
    ok(at)
    assert len([b for b in at.get("download_button") if b.proto.label in ("PNG", "SVG")]) == 2 * n


def test_a_slider_move_reuses_the_cached_evaluation(monkeypatch):
    """A threshold re-grades the targets of the kept basis (the documents are not read again); a threshold seen before
    comes from the cache."""
    import model.calc.evaluation as evaluation
    import ui.documents as documents

    at = loaded(execution=False)
    grades, bases = [], []
    real_graded, real_basis = evaluation.graded, evaluation.evaluation_basis
    monkeypatch.setattr(documents, "graded", lambda *a, **kw: grades.append(1) or real_graded(*a, **kw))
    monkeypatch.setattr(documents, "evaluation_basis", lambda *a, **kw: bases.append(1) or real_basis(*a, **kw))
    at.session_state["pe_open_rules"] = True
    at.run()
    assert not grades and not bases  # same files, thresholds and scenario: cached
    at.slider(key="pe_nearly").set_value(80).run()
    at.slider(key="pe_nearly").set_value(90).run()
    assert len(grades) == 1  # 80 % once; back at 90 % from the cache
    assert not bases  # the documents were not evaluated again for a threshold


@pytest.mark.parametrize("nearly", [95, 60])
def test_the_bullet_chart_and_the_monitoring_table_follow_the_thresholds(monkeypatch, data, nearly):
    """After a threshold move the chart has a bar for every graded target with a completion, with the model's grade
    and completion; the monitoring part (no grades: built once for every threshold) is the same at each."""
    import ui.layout as layout

    drawn = []
    real = charts.bullet
    monkeypatch.setattr(charts, "bullet", lambda df, *a, **kw: drawn.append(charts.Columns.of(df)) or real(df, *a, **kw))
    layout._SPECS.clear()
    at = loaded(execution=False)
    at.session_state["pe_open_rules"] = True
    at.run()
    before = [c.value for c in at.caption if c.value.startswith("暂无数据的监测指标")]
    at.slider(key="pe_nearly").set_value(nearly).run()
    ok(at)
    ev = evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data), settings=EvalSettings(nearly / 100))
    ind = ev.indicators
    graded = ind[(ind["comparator"] != "qual") & ind["completion_pct"].notna() & (ind["status"] != "mismatch")]
    df = drawn[-1]
    assert list(df["value"]) == pytest.approx(list(graded["completion_pct"].astype(float)))
    assert list(df["status"]) == [cap_status(s) for s in graded["status"]]
    assert len(set(df["label"])) == len(graded)
    after = [c.value for c in at.caption if c.value.startswith("暂无数据的监测指标")]
    assert len(before) == 1 and after == before  # the monitoring indicators without a figure


def cap_status(s: str) -> str:
    word = status_label(s, "zh")
    return word[:1].upper() + word[1:]


# -- the chart builders added for this page -------------------------------------------------------------------------

def _valid(spec: dict) -> None:
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    spec = dict(spec)
    spec["datasets"] = {k: v.to_dict(orient="records") if isinstance(v, pd.DataFrame) else v
                        for k, v in spec["datasets"].items()}
    validate_jsonschema(json.loads(json.dumps(spec, default=str)), load_schema())


def test_bullet_and_plan_vs_actual_are_valid_vega_lite_and_export():
    bullet = charts.bullet(pd.DataFrame({"label": ["甲", "乙"], "value": [80.0, 250.0], "status": ["未完成", "完成"],
                                         "text": ["80% · ✖ 未完成", "250% · ✔ 完成"]}),
                           x_title="完成率（%）", label_title="指标", status_title="评价", statuses=["完成", "未完成"],
                           colors=["#009E73", "#D55E00"], band=(90.0, 100.0))
    pva = charts.plan_vs_actual(pd.DataFrame({"label": ["合计", "a'b"], "planned": [10.0, 4.0],
                                              "actual": [2.0, float("nan")], "text": ["2 / 10", "— / 4"]}),
                                x_title="投资（亿元）", planned_label="计划", actual_label="plan's")
    for spec in (bullet, pva):
        _valid(spec)
    assert bullet["datasets"]["bars"]["shown"].max() <= 300  # a long bar stops at the axis end, its text says more
    assert "评价" in charts.to_svg(bullet).decode("utf-8") or "完成" in charts.to_svg(bullet).decode("utf-8")
    assert charts.nice_ticks(364.95) == [0.0, 100.0, 200.0, 300.0]


def test_a_link_naming_a_set_the_library_lacks_warns_once_and_shows_the_empty_page():
    at = start(query={"as": "deadbeef"})
    assert not at.exception and not at.error
    assert len([w for w in at.warning if "deadbeef" in w.value]) == 1
    assert len(at.file_uploader) == 3 and not at.metric
    at.run()
    assert not [w for w in at.warning if "deadbeef" in w.value]


# -- a figure on another measure; tables that show their headers in full --------------------------------------------

def _chart_rows(chart, name: str) -> pd.DataFrame:
    import pyarrow as pa

    data = next(d for d in chart.proto.datasets if d.name == name).data.data
    return pa.ipc.open_stream(data).read_all().to_pandas()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_measure_mismatch_shows_no_completion_and_no_bar(lang, actuals_only):
    """Item 3: a target whose figure is on another measure is never completed: no completion or progress in the
    table (— with the reason in the notes), no bar in the chart (a caption names it), as in the report."""
    from model.calc.evaluation import MISMATCH
    from model.report.text import tr

    at = loaded(lang, execution=False)
    ok(at)
    rec = actuals_only.indicators[actuals_only.indicators["status"] == MISMATCH].iloc[0]
    name = rec["name_zh"] if lang == "zh" else rec["name_en"]
    table = wrapped_tables(at)[0]
    row = table[table["name"] == name].iloc[0]
    assert row["completion"] == "—" and row["progress"] == "—", row
    assert row["basis"].startswith("≠")  # the reason: another measure (the notes are in evaluation.csv)
    assert pd.isna(rec["completion_pct"]) and rec["actual"] == 150  # the figure is there; no arithmetic with it
    bars = _chart_rows(at.get("vega_lite_chart")[0], "bars")
    assert len(bars) and name not in set(bars["label"])
    assert tr("pe.bullet_mismatch", lang, items=name) in [c.value for c in at.caption]
    if lang == "en":  # counts read as figures, not Chinese measure words
        assert row["target"] == "150" and not CJK.search(" ".join(table["target"].str.replace("亿元", "")
                                                                  .str.replace("万元", "")))


HEADER_PX = {"latin": 7, "wide": 14, "padding": 16}  # Source Sans at 14 px: 6.7 px a Latin character (measured)


def header_px(label: str) -> int:
    return sum(HEADER_PX["wide"] if ord(c) >= 0x2E80 else HEADER_PX["latin"] for c in label) + HEADER_PX["padding"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_header_fits_its_column(lang):
    """Item 8: at 1280×720 the roads table's "Share of length built" was cut to "Share of leng": every grid column
    that sets a width is wide enough for its header, on every tab, in both languages; the status, project and road
    tables are wrapped tables, whose headers wrap."""
    at = loaded(lang)
    wrapped = 0
    for tab in TABS[lang]:
        at.session_state["pe_tab"] = tab
        at.run()
        for frame in at.dataframe:
            for key, col in json.loads(frame.proto.columns).items():
                if isinstance(col.get("width"), int):
                    assert header_px(col["label"]) <= col["width"], (tab, key, col["label"], col["width"])
        wrapped += len(wrapped_tables(at))
    assert wrapped >= 3  # the status, project and road tables


# -- any plan as data, honest numbers (issue #23) -------------------------------------------------------------------

from model.calc.evaluation import MISMATCH, plan_as_actuals  # noqa: E402
from model.io.library import Library, plan_kind  # noqa: E402
from model.report.text import tr  # noqa: E402
from tests.plans_support import load  # noqa: E402

FOUR, ONE = "synthetic-four-2026-2030", "synthetic-one-2026-2030"
PLAN_NAMES = {"default": None, "four-industries": FOUR, "one-segment": ONE}
FULL = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"
FOUR_ACTUALS = FULL + "\n".join([
    "output_total_2030,2028,1000,亿元,总产值,市,年报,市统计局,",  # a city figure for the park's total
    "materials_2030,2029,420,亿元,总产值,园区,快报,园区快报,",  # replaced by the annual release below
    "materials_2030,2029,430,亿元,总产值,园区,年报,园区年报,",
    "biomed_2030,2030,200,亿元,总产值,省,年报,省统计局,",
    "va_growth,2027,8.5,%,规模以上工业增加值增速,园区,年报,园区年报,",
    "va_growth,2028,7.9,%,规模以上工业增加值增速,市,年报,市统计局,",
    "output_total_2035,2030,1200,亿元,总产值,园区,年报,园区年报,"]) + "\n"
FOUR_PROJECTS = ("project_id,year,invested_yi,status,note,new,name,area,category\n"
                 "X1,2027,20,在建,,,,,\nN1,2028,3,竣工,,1,新建项目,东区,制造业\n")


def start_plan(plan_id: str | None, lang: str = "zh") -> AppTest:
    return start(lang, {"plan": plan_id} if plan_id else None)


def plan_files(name: str) -> tuple[bytes, bytes | None, bytes | None]:
    data = load(name)
    a, p, r = plan_as_actuals(data)
    return (a.to_csv_bytes(), p.to_csv_bytes() if len(data.projects) else None,
            r.to_csv_bytes() if len(data.roads) else None)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(PLAN_NAMES))
def test_every_plan_empty_and_loaded_every_tab_in_both_languages(name, lang):
    data = load(name)
    at = start_plan(PLAN_NAMES[name], lang)
    ok(at)
    assert at.session_state["scenario"].plan_data.id == data.id
    n_up = 1 + (len(data.projects) > 0) + (len(data.roads) > 0)
    assert len(at.file_uploader) == n_up  # no project or road uploader for a plan without a list
    actuals, projects, roads = plan_files(name)
    upload(at, "pe_up_actuals", "actuals.csv", actuals)
    if projects is not None:
        upload(at, "pe_up_projects", "projects.csv", projects)
    if roads is not None:
        upload(at, "pe_up_roads", "roads.csv", roads)
    ok(at)
    model = evaluate(data, *plan_as_actuals(data))
    assert counts(at, lang) == model.counts()
    tabs = [tb.label for tb in at.tabs]
    assert len(tabs) == 2 + (len(data.projects) > 0) + (len(data.roads) > 0)
    for tab in tabs:
        at.session_state["pe_tab"] = tab
        for key in PANELS:
            at.session_state[key] = True
        at.run()
        ok(at)
    at.session_state["pe_tab"] = tabs[1]
    for seg in model.growth["segment"]:  # every path segment draws its path and says its sentence
        at.session_state["pe_seg"] = seg
        at.run()
        ok(at)
        from model.report.evaluation_report import seg_label

        assert any(seg_label(data, seg, lang)[1:] in m.value.replace("\\", "") for m in at.markdown), seg


def test_a_city_figure_shows_its_scope_and_no_completion_growth_or_gap():
    at = start_plan(FOUR)
    upload(at, "pe_up_actuals", "four.csv", FOUR_ACTUALS.encode())
    ok(at)
    table = wrapped_tables(at)[0]
    row = table[table["name"] == "工业总产值"].iloc[0]
    assert row["actual"] == "1,000" and row["completion"] == "—" and row["progress"] == "—"
    assert row["basis"].startswith("≠") and "市级" in row["basis"]
    prov = table[table["name"] == "生物医药产值"].iloc[0]
    assert prov["completion"] == "—" and "省级" in prov["basis"] and MISMATCH in status_label(MISMATCH, "zh")
    assert prov["status"].endswith(status_label(MISMATCH, "zh"))
    mat = table[table["name"] == "新材料产值"].iloc[0]  # a park figure on the target's measure: graded
    assert mat["actual"] == "430" and mat["completion"] == f"{430 / 450 * 100:.1f}%" and "年报" in mat["basis"]
    bars = _chart_rows(at.get("vega_lite_chart")[0], "bars")
    assert "工业总产值" not in set(bars["label"]) and "新材料产值" in set(bars["label"])
    at.session_state["pe_tab"] = TABS["zh"][1]
    at.session_state["pe_seg"] = "industry"
    at.run()
    ok(at)
    labels = [m.label for m in at.metric]
    assert tr("pe.gap_plan", "zh") not in labels and not any(x.startswith("年均增长") for x in labels)
    assert any("市级数据" in w.value and "不计算增速" in w.value for w in at.warning)
    paths = _chart_rows(at.get("vega_lite_chart")[0], "paths")
    assert any("市级数据，口径不一致" in x for x in set(paths["series"]))
    assert not any(x.endswith("（实际）") for x in set(paths["series"]))


def test_monitoring_rows_and_long_term_targets_are_shown_apart():
    at = start_plan(FOUR)
    upload(at, "pe_up_actuals", "four.csv", FOUR_ACTUALS.encode())
    ok(at)
    frames = [f.value for f in at.dataframe]
    mon = next(f for f in frames if "vintage" in f.columns and "comparable" in f.columns)
    assert list(mon["year"]) == [2027, 2028] and list(mon["scope"]) == ["园区", "市级"]
    assert mon["comparable"].iloc[0].startswith("✔") and mon["comparable"].iloc[1].startswith("≠")
    lt = next(f for f in frames if "latest" in f.columns)
    assert list(lt["year"]) == [2035] and "1,200.0亿元" in lt["latest"].iloc[0]
    assert "output_total_2035" not in {r for r in wrapped_tables(at)[0]["name"]}


def test_a_new_project_completed_is_shown_as_new_and_completed():
    at = start_plan(FOUR)
    upload(at, "pe_up_actuals", "four.csv", FOUR_ACTUALS.encode())
    upload(at, "pe_up_projects", "projects.csv", FOUR_PROJECTS.encode())
    at.session_state["pe_tab"] = TABS["zh"][2]
    at.run()
    ok(at)
    table = wrapped_tables(at)[0]
    row = table[table["project"].str.startswith("N1 ")].iloc[0]
    assert "竣工" in row["status"] and tr("pe.alert.new", "zh") in row["alert"]
    assert metric(at, tr("pe.p.new", "zh")) == "1"


def test_a_set_of_another_plan_is_refused_with_a_message(tmp_path):
    four = load("four-industries")
    aset = ActualsSet.from_bytes(FOUR_ACTUALS.encode(), "four.csv", four)
    with Library(tmp_path / "lib.db") as lib:
        rec = lib.save_document(plan_kind("actuals", four), "示例实际", aset.to_csv_text(), "规划科")
    own = start(query={"plan": FOUR, "as": rec.short_id})  # its own plan opens it, named by its library name
    ok(own)
    assert own.metric and own.session_state["doc_actuals"].short_id == aset.short_id
    assert any("示例实际" in c.value for c in own.caption)
    wrong = start(query={"as": rec.short_id})  # the default plan: refused, naming both plans
    assert not wrong.exception and not wrong.metric
    message = " ".join(e.value for e in wrong.error)
    assert rec.short_id in message and four.meta.text("short_name", "zh") in message


def test_the_status_table_shows_every_column_with_its_names_whole(actuals_only):
    """The status table is a wrapped table (its names wrap in their cells; a grid cut 48 of 84 Chinese names at its
    pinned column's width): every screen column, the scope among them, and each name in full."""
    at = loaded(execution=False)
    table = wrapped_tables(at)[0]
    assert list(table.columns) == ["name", "status", "completion", "target", "actual", "basis", "progress"]
    assert list(table["name"]) == list(actuals_only.indicators["name_zh"])  # every name in full, as written
    assert max(map(len, table["name"])) > 12  # names longer than a grid's pinned column held


def test_a_set_saved_on_another_plan_is_stored_under_that_plans_kind(tmp_path):
    import os

    four = load("four-industries")
    at = start_plan(FOUR)
    upload(at, "pe_up_actuals", "four.csv", FOUR_ACTUALS.encode())
    at.session_state["pe_open_files"] = True
    at.run()
    at.text_input(key="pe_lib_name").input("示例实际").run()
    [b for b in at.button if b.label == tr("pe.lib_save", "zh")][0].click().run()
    ok(at)
    with Library(os.environ["SHIFENG_LIBRARY_DB"]) as lib:
        assert [r.name for r in lib.list(kind=plan_kind("actuals", four))] == ["示例实际"]
        assert lib.list(kind="actuals") == []
    fresh = start_plan(FOUR)  # the plan's own library panel lists it
    assert fresh.selectbox(key="pe_lib_pick").options


def test_a_held_set_is_not_used_after_the_session_switches_plan():
    """An uploaded set was read against the default plan: after the session switches to another plan it is
    refused with a message naming both plans, never evaluated against the wrong one."""
    at = loaded(execution=False)
    assert at.metric
    at.selectbox(key="plan_choice").set_value(FOUR).run()  # the frame's plan selector (ui/layout.py)
    assert at.session_state["scenario"].plan_data.id == FOUR
    assert not at.exception and not at.metric  # the empty page of the new plan
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert "actuals.csv" in message and load("default").meta.text("short_name", "zh") in message
    assert load("four-industries").meta.text("short_name", "zh") in message
    at.run()
    assert not at.error and not at.metric  # said once; the set is gone


@settings(max_examples=5, deadline=None)
@given(nearly=hst.integers(min_value=50, max_value=100), about=hst.integers(min_value=0, max_value=40).map(lambda k: k / 2))
def test_a_threshold_changes_nothing_outside_the_moving_part(nearly, about):
    """Issue #22: the thresholds rerun the evaluation's moving part alone (ui.layout.moving: the status cards, the
    open tab, the downloads); every element outside it stays exactly as it was, and the grades follow."""
    at = loaded(execution=False)
    at.session_state["pe_open_rules"] = True
    at.run()
    before = outer_elements(at)
    at.slider(key="pe_nearly").set_value(nearly)
    at.slider(key="pe_about").set_value(about)
    at.run()
    ok(at)
    assert outer_elements(at) == before
    data = load_plan_data()
    expected = evaluate(data, ActualsSet.from_path(FIX / "actuals.csv", data),
                        settings=EvalSettings(nearly / 100, about / 100)).counts()
    assert counts(at, "zh") == expected


@pytest.mark.parametrize("key, doc, header", [
    ("pe_up_actuals", "doc_actuals", b"indicator_id,year,value,unit,measure,source,note\r\n"),
    ("pe_up_projects", "doc_exec_projects", b"project_id,year,invested_yi,status,note\n"),
    ("pe_up_roads", "doc_exec_roads", b"road_id,year,invested_wan,length_built_m,status,note\n")])
def test_a_file_with_a_header_and_no_rows_never_replaces_what_was_loaded(key, doc, header, model_eval):
    """A header-only file (an unfilled template) loaded as "0 rows" with a success message and replaced the set
    the evaluation was showing; it is refused, named, and the evaluation stays as it was."""
    at = loaded()
    before = at.session_state[doc].short_id
    upload(at, key, "empty.csv", header)
    assert not at.exception and len(at.error) == 1 and where("empty.csv", 2) in at.error[0].value, at.error
    assert at.session_state[doc].short_id == before
    assert counts(at, "zh") == model_eval.counts()

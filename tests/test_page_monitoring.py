"""The monitoring page (pages/9_monitoring.py) and the early-warning list (ui/warnings.py) through AppTest: empty and
with the synthetic fixtures of tests/fixtures/monitoring/, in both languages; counts equal the model's; the warning
levels read by icon and word; a bad register lists every problem and changes nothing; thresholds regrade; the
register is an editable table for editors, read-only for viewers and in a read-only deployment; edits are saved in
the library as versions; the downloads are the model's files in the page's language."""
from __future__ import annotations

import re

import pandas as pd
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from model import load_plan_data
from model.calc.monitoring import NOT_ASSESSABLE, WARNING, WARNINGS, MonitorSettings, monitor
from model.io.actuals import ActualsSet
from model.io.tasks import TaskRegister
from model.report import monitoring_report as R
from model.report.text import tr
from tests.apptest_support import ok, where, wrapped_tables
from tests.conftest import REPO
from tests.test_chinese_pages import english_words, half_width_punctuation

PAGE = "pages/9_monitoring.py"
FIX = REPO / "tests" / "fixtures" / "monitoring"
TIMEOUT = 60
CJK = re.compile(r"[\u4e00-\u9fff]")
PANELS = ("pm_open_files", "pm_open_downloads")


@pytest.fixture(autouse=True)
def _fresh(tmp_path, monkeypatch):
    """Empty caches and a library of the test's own (never the repository's)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    yield


@pytest.fixture(scope="module")
def data():
    return load_plan_data()


@pytest.fixture(scope="module")
def model_mon(data):
    return monitor(data, ActualsSet.from_path(FIX / "actuals.csv", data),
                   tasks=TaskRegister.from_path(FIX / "tasks.csv", data))


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
    if key == "pm_up_tasks" or not any(u.key == key for u in at.file_uploader):
        at.session_state["pm_open_files"] = True
        at.run()
    at.file_uploader(key=key).upload(name, raw if raw is not None else (FIX / name).read_bytes(), "text/csv")
    return at.run()


def loaded(lang: str = "zh", tasks: bool = True) -> AppTest:
    at = upload(start(lang), "pm_up_actuals", "actuals.csv")
    if tasks:
        upload(at, "pm_up_tasks", "tasks.csv")
        at.session_state["pm_open_files"] = False
        at.run()
    return at


def counts(at: AppTest, lang: str) -> dict[str, int]:
    """The level cards, keyed by the model's warning levels (each label is its word; the card's icon is its sign)."""
    by_label = {m.label: int(m.value) for m in list(at.metric)[:len(WARNINGS)]}
    out = {}
    for w in WARNINGS:
        word = R.warning_label(w, lang)
        out[w] = by_label[word[:1].upper() + word[1:]]
    return out


def tab(at: AppTest, key: str, lang: str = "zh") -> AppTest:
    at.session_state["pm_tab"] = tr(key, lang)
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_page_explains_and_offers_uploads(lang):
    at = start(lang)
    ok(at)
    assert at.title[0].value == tr("nav_monitoring", lang)
    assert {u.key for u in at.file_uploader} == {"pm_up_actuals", "pm_up_tasks"}
    assert not at.metric
    labels = [b.proto.label for b in at.get("download_button")]
    assert tr("pm.tpl_tasks", lang, kind="XLSX") in labels


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_actuals_and_register_every_tab_renders_and_counts_equal_the_model(lang, model_mon):
    at = loaded(lang)
    ok(at)
    assert counts(at, lang) == model_mon.counts()
    for key in ("pm.tab.targets", "pm.tab.history", "pm.tab.projects", "pm.tab.tasks"):
        tab(at, key, lang)
        for panel in PANELS:
            at.session_state[panel] = True
        at.run()
        ok(at)
        assert counts(at, lang) == model_mon.counts()
    tab(at, "pm.tab.history", lang)
    assert at.get("vega_lite_chart")


def test_status_table_shows_icon_and_word_and_filters(model_mon):
    at = loaded()
    table = wrapped_tables(at)[0]
    assert len(table) == len(model_mon.targets)
    words = {f"{R.WARNING_ICON[w]} {R.warning_label(w, 'zh')}" for w in WARNINGS}
    assert set(table["warning"]) <= words
    at.multiselect(key="pm_f_level").set_value([WARNING]).run()
    ok(at)
    table = wrapped_tables(at)[0]
    assert len(table) == model_mon.counts()[WARNING]
    park = table[table["name"] == "园区总产值"].iloc[0]
    ap = model_mon.targets.set_index("indicator_id").loc["park_output_2025", "anticipated_progress"] * 100
    assert "需年均增长" in park["need"] and park["ap"] == f"{ap:.1f}%"


def test_early_warnings_are_listed_large_with_the_growth_needed(model_mon):
    at = loaded()
    html = next(m.value for m in at.markdown if "early-warning" in m.value and "role=\"list\"" in m.value)
    for line in R.warning_lines(model_mon, "zh"):
        assert line["text"].replace("“", "&ldquo;")[:6] in html or line["text"][:6] in html
    assert html.count('class="early-warning"') == len(R.warning_lines(model_mon, "zh"))
    assert "▲ 预警 · 园区总产值" in html and "需年均增长" in html and "区商务局" in html


def test_a_bad_register_lists_every_problem_and_keeps_the_one_held(data):
    at = loaded()
    before = at.session_state["mon_tasks"].short_id
    bad = b"task_id,lead_unit,support_units,deadline,progress,evidence,updated_by,updated_at\nnope,,,2023-02-30,x,,,\n"
    upload(at, "pm_up_tasks", "bad.csv", bad)
    assert not at.exception and len(at.error) == 1
    message = at.error[0].value.replace("\\", "")
    for col in ("task_id", "progress", "deadline"):
        assert where("bad.csv", 2, col) in message
    assert at.session_state["mon_tasks"].short_id == before


def test_thresholds_regrade_and_a_bad_pair_is_named(data):
    at = loaded()
    at.slider(key="pm_watch").set_value(10).run()
    ok(at)
    aset = ActualsSet.from_path(FIX / "actuals.csv", data)
    reg = TaskRegister.from_path(FIX / "tasks.csv", data)
    expected = monitor(data, aset, tasks=reg, settings=MonitorSettings(watch=0.10)).counts()
    assert counts(at, "zh") == expected
    at.slider(key="pm_on_track").set_value(60).run()
    ok(at)
    at.slider(key="pm_watch").set_value(80).run()  # above on-track (60): refused, named, nothing changes
    assert any("watch" in w.value for w in at.warning)
    assert at.session_state["mon_settings"] == MonitorSettings(on_track=0.6, watch=0.1)
    assert at.slider(key="pm_watch").value == 10
    # each widget's default is what it shows, so one handed back at its default changes nothing (#22)
    assert list(at.slider(key="pm_on_track").proto.default) == [60]
    assert list(at.slider(key="pm_watch").proto.default) == [10]
    year = at.selectbox(key="pm_year")
    assert year.proto.default == year.index
    at.slider(key="pm_watch").set_value(at.slider(key="pm_watch").proto.default[0]).run()
    assert at.session_state["mon_settings"] == MonitorSettings(on_track=0.6, watch=0.1)


def test_the_year_chooses_the_actuals_used(data):
    at = loaded()
    at.selectbox(key="pm_year").set_value(2022).run()  # literal years are fine in tests: the fixture's own
    ok(at)
    aset = ActualsSet.from_path(FIX / "actuals.csv", data)
    expected = monitor(data, aset, 2022, tasks=TaskRegister.from_path(FIX / "tasks.csv", data)).counts()
    assert counts(at, "zh") == expected


def test_a_project_report_grades_the_key_projects(data):
    from model.io.actuals import ProjectActuals

    at = loaded()
    tab(at, "pm.tab.projects")
    assert any(tr("pm.no_projects", "zh") in i.value for i in at.info)
    upload(at, "pm_up_projects", "projects.csv", (REPO / "tests" / "fixtures" / "actuals" / "projects.csv").read_bytes())
    ok(at)
    table = wrapped_tables(at)[0]
    mon = monitor(data, ActualsSet.from_path(FIX / "actuals.csv", data), tasks=TaskRegister.from_path(
        FIX / "tasks.csv", data), projects=ProjectActuals.from_path(REPO / "tests/fixtures/actuals/projects.csv", data))
    assert len(table) == len(mon.projects)
    warned = set(mon.projects.loc[mon.projects["warning"] == WARNING, "project_id"])
    assert warned == {x.split(" ")[0] for x, w in zip(table["project"], table["warning"]) if w.startswith("▲")}
    html = next(m.value for m in at.markdown if 'role="list"' in m.value)
    assert all(p in html for p in warned) and "项目业主" in html


def _editor(at: AppTest):
    return [e for e in at.dataframe if e.proto.editing_mode != 0]  # 0: read-only


def test_an_editor_edits_the_register_and_saves_versions(data, tmp_path):
    from model.io.library import Library

    at = tab(loaded(), "pm.tab.tasks")
    ok(at)
    assert _editor(at), "an editable table for an editor"
    frame = at.session_state["pm_edit_frame"].copy()
    row = frame.index[frame["task_id"] == "T02"][0]
    frame.at[row, "progress"] = "推进中"
    frame.at[row, "lead_unit"] = "区住建局"
    at.session_state["pm_edit_frame"] = frame
    at.text_input(key="pm_author").input("规划科")
    at.text_input(key="pm_lib_name").input("任务台账")
    at.button(key="pm_save").click().run()
    ok(at)
    assert any("任务台账" in s.value and "第1版" in s.value for s in at.success)
    reg = at.session_state["mon_tasks"].by_id()
    assert reg["T02"]["progress"] == "推进中" and reg["T02"]["updated_by"] == "规划科" and reg["T02"]["updated_at"]
    assert reg["T04"]["updated_by"] == "规划科" and reg["T04"]["updated_at"] == "2023-12-20"  # untouched rows keep theirs
    with Library(tmp_path / "lib.db") as lib:
        rec = lib.get("任务台账", kind="tasks")
        assert rec.version == 1 and TaskRegister.from_text(rec.content).by_id()["T02"]["lead_unit"] == "区住建局"
        assert [e.action for e in lib.log(kind="tasks")] == ["save"]
    bad = at.session_state["pm_edit_frame"].copy()
    bad.at[bad.index[0], "deadline"] = "明年"
    at.session_state["pm_edit_frame"] = bad
    at.button(key="pm_apply").click().run()
    assert len(at.error) == 1 and "deadline" in at.error[0].value
    assert at.session_state["mon_tasks"].by_id()["T02"]["lead_unit"] == "区住建局"  # unchanged


@pytest.fixture()
def editor_accounts(monkeypatch):
    from model.io import auth as auth_module
    from model.io.auth import Auth, hash_password

    auth = Auth(editors={"规划科": hash_password("correct horse", memory_kib=8, time_cost=1)}, max_failures=3)
    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))
    return auth


def test_a_viewer_reads_the_register_without_editing(editor_accounts):
    at = tab(loaded(), "pm.tab.tasks")
    ok(at)
    assert not _editor(at)
    register = wrapped_tables(at)[0]  # read only: a wrapped table, names in full
    assert "task_id" in register.columns and "name" in register.columns and len(register) > 0
    assert "pm_save" not in [b.key for b in at.button]
    assert any(tr("pm.viewer", "zh") in c.value for c in at.caption)


def test_a_read_only_deployment_never_offers_editing(monkeypatch):
    at = loaded()
    monkeypatch.setenv("SHIFENG_READ_ONLY", "1")
    tab(at, "pm.tab.tasks")
    ok(at)
    assert not _editor(at) and "pm_save" not in [b.key for b in at.button]
    assert any("只读" in c.value for c in at.caption)


def test_the_register_opens_from_the_library(data, tmp_path):
    from model.io.library import Library

    reg = TaskRegister.from_path(FIX / "tasks.csv", data)
    with Library(tmp_path / "lib.db") as lib:
        lib.save_document("tasks", "季度台账", reg.to_csv_text(), "规划科")
    at = loaded(tasks=False)
    at.session_state["pm_open_files"] = True
    at.run()
    at.selectbox(key="pm_lib_tasks").set_value(reg.short_id)
    at.button(key="pm_open_tasks").click().run()
    ok(at)
    assert at.session_state["mon_tasks"] == reg


@pytest.fixture()
def downloads(monkeypatch):
    got: dict[str, object] = {}
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kw):
        got[file_name] = data
        return original(self, label, data, file_name, *args, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    return got


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_are_the_models_files_in_the_page_language(downloads, lang):
    at = loaded(lang)
    at.session_state["pm_open_downloads"] = True
    at.run()
    ok(at)
    names = list(R.CSV_FILES[:3]) + list(R.REPORT_FILES[("annual", lang)]) + list(R.REPORT_FILES[("midterm", lang)])
    for name in names:
        raw = downloads[name]()
        assert isinstance(raw, bytes) and len(raw) > 200, name
    text = downloads["monitoring.csv"]().decode("utf-8-sig")
    assert (tr("mon.warning.warning", "zh") in text) == (lang == "zh")
    assert downloads[R.REPORT_FILES[("midterm", lang)][0]]().startswith(b"PK\x03\x04")
    assert "monitoring_projects.csv" not in downloads  # no project report, no file for it
    template = downloads["tasks-template.csv"]().decode("utf-8-sig").splitlines()[0]
    assert template.startswith(tr("tasks.col.task_id", lang))


def test_in_chinese_the_page_shows_no_english_words():
    at = loaded()
    for panel in PANELS:
        at.session_state[panel] = True
    for key in ("pm.tab.targets", "pm.tab.history", "pm.tab.projects", "pm.tab.tasks"):
        tab(at, key)
        texts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                      "success", "error") for e in getattr(at, kind)
                 if not e.value.lstrip().startswith("<style>")]
        texts = [re.sub(r"<style>.*?</style>", "", x, flags=re.S) for x in texts]
        texts += [m.label for m in at.metric]
        for kind in ("slider", "selectbox", "multiselect", "text_input", "button"):
            texts += [w.label for w in getattr(at, kind)]
        assert not english_words(texts), sorted(english_words(texts))
        assert not half_width_punctuation(texts), half_width_punctuation(texts)[:5]


# -- the early-warning list on its own (as the overview will draw it) ------------------------------------------------

SCRIPT = """
import streamlit as st
from model import load_plan_data
from model.calc.monitoring import monitor
from model.io.actuals import ActualsSet
from model.io.tasks import TaskRegister
from ui.warnings import early_warnings

d = load_plan_data()
fix = st.session_state["fix"]
aset = ActualsSet.from_path(fix + "/actuals.csv", d)
reg = TaskRegister.from_path(fix + "/tasks.csv", d) if st.session_state.get("with_tasks") else None
early_warnings(monitor(d, aset, st.session_state.get("year"), tasks=reg), limit=st.session_state.get("limit"))
"""


def _script(**state) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=TIMEOUT)
    at.session_state["fix"] = str(FIX)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def test_the_early_warning_list_draws_one_line_per_item(model_mon):
    at = _script(with_tasks=True)
    assert not at.exception
    assert at.subheader[0].value == tr("pm.ew.title", "zh", year=model_mon.year)
    html = next(m.value for m in at.markdown if 'role="list"' in m.value)
    assert html.count('role="listitem"') == len(R.warning_lines(model_mon, "zh"))
    short = _script(with_tasks=True, limit=2)
    assert short.caption[0].value == tr("pm.ew.more", "zh", n=len(R.warning_lines(model_mon, "zh")) - 2)


def test_the_pure_part_reads_by_icon_and_word(model_mon):
    from ui.warnings import warning_items

    items = warning_items(model_mon, "en")
    assert items and all(x.startswith(f"{R.WARNING_ICON[WARNING]} warning · ") for x in items)
    calm = model_mon.targets.assign(warning=NOT_ASSESSABLE)
    quiet = type(model_mon)(model_mon.year, calm, model_mon.tasks.assign(warning=NOT_ASSESSABLE),
                            model_mon.base_year, model_mon.target_year)
    assert warning_items(quiet, "zh") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_lists_the_early_warnings_once_actuals_are_held(lang, model_mon):
    """Issue 25 item 4: with actuals in the session, the overview lists the targets and tasks at 预警 (one line each,
    at most six, the rest counted) under its cards; without actuals it shows none."""
    at = loaded(lang, tasks=False)
    at.switch_page("app.py").run()
    ok(at)
    heads = [h.value for h in at.subheader]
    assert tr("pm.ew.title", lang, year=model_mon.year) in heads
    html_ = " ".join(m.value for m in at.markdown)
    assert html_.count('class="early-warning"') == min(6, html_.count('class="early-warning"')) > 0
    fresh = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if lang == "en":
        fresh.query_params["lang"] = "en"
    fresh.run()
    ok(fresh)
    assert tr("pm.ew.title", lang, year=model_mon.year) not in [h.value for h in fresh.subheader]


@pytest.mark.parametrize("payload", [{"deleted_rows": list(range(100))}, {"added_rows": [{"task_id": "T99"}]},
                                     {"edited_rows": {"0": {"task_id": "T99", "name": "改名"}}}])
def test_the_register_table_keeps_its_entries_whatever_the_browser_sends(payload, monkeypatch):
    """Rows deleted by a crafted message emptied the register without a word; rows added raised in the apply button;
    the disabled id and name columns could be edited. The table is the plan's entries: only their editable cells
    change."""
    import json

    from tests.apptest_support import crafted_widget_states

    sent = crafted_widget_states(monkeypatch)
    clean = tab(loaded(), "pm.tab.tasks")
    clean.button(key="pm_apply").click().run()
    held = clean.session_state["mon_tasks"].by_id()  # what applying the table as shown holds
    at = tab(loaded(), "pm.tab.tasks")
    ok(at)
    editor = next(e for e in at.dataframe if e.proto.editing_mode != 0)
    before = at.session_state["pm_edit_base"]
    sent[editor.proto.id] = json.dumps({"edited_rows": {}, "added_rows": [], "deleted_rows": [], **payload})
    at.run()
    ok(at)
    after = at.session_state["pm_edit_frame"]
    assert list(after["task_id"]) == list(before["task_id"]) and list(after["name"]) == list(before["name"])
    at.button(key="pm_apply").click().run()
    sent.clear()
    ok(at)
    got = at.session_state["mon_tasks"].by_id()
    assert set(got) == set(held), (set(got) ^ set(held))
    assert all(got[k]["progress"] == held[k]["progress"] for k in got)

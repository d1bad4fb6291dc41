"""model/cleaning.py: the one cleaner of text that enters (issue 21, class 2), and the property that every document
writer (the evaluation's CSVs and report .docx / .html, the exports, the workbook, the brief) accepts every text the
readers accept: hypothesis puts arbitrary Unicode into every text column of every file kind."""
from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.cleaning import REMOVED, clean, is_clean
from model.plan.tables import DataError
from tests.conftest import REPO

ANY = st.characters(codec=None, exclude_categories=())  # every code point, surrogates too
NASTY = ("\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u200b\u200c\u200d\u200e\u202e\u2066\u2028\u2029\ufeff\ufffe\uffff"
         "\ue000\U000f0000\U0010fffd\u0378 A\u0301 \U0001f684 高铁 \t\r\n \u3000=1+1")


def _xml_ok(text: str) -> bool:
    """Characters XML 1.0 allows (what python-docx and openpyxl insist on)."""
    return all(c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD or 0x10000 <= ord(c)
               for c in text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ANY, max_size=60), st.booleans())
def test_clean_text_is_xml_safe_nfc_trimmed_and_idempotent(text, multiline):
    out = clean(text, multiline=multiline)
    assert _xml_ok(out)
    assert unicodedata.is_normalized("NFC", out)
    assert not [c for c in out if unicodedata.category(c) in REMOVED and not (multiline and c in "\n\t")]
    assert out == out.strip(" \n") and "  " not in out
    assert clean(out, multiline=multiline) == out and is_clean(out, multiline=multiline)
    if not multiline:
        assert "\n" not in out and "\t" not in out


def test_what_the_cleaner_keeps_and_removes():
    assert clean(" 会议\u200bA\u202e  \x07情景 ") == "会议A 情景"
    assert clean("Cafe\u0301") == "Café"
    assert clean("第一行\r\n  第二行\u2028第三行\t备注 ", multiline=True) == "第一行\n第二行\n第三行\t备注"
    assert clean("a\r\nb\tc") == "a b c"
    assert clean("x" * 50, limit=10) == "x" * 10
    assert clean(None) is None  # not text: the caller refuses it with its own message


def test_the_old_name_cleaner_is_the_one_cleaner():
    from model.io.library import clean_text
    from model.scenario import FrozenMap, Scenario, clean_name
    from tests.plans_support import default_keys, two_bases

    assert clean_name(NASTY) == clean(NASTY)
    s = Scenario(name=NASTY, baselines=two_bases(975.0, 1015.625),
                 growth=FrozenMap({k: 0.05 for k in default_keys()[0]}))
    assert s.name == clean(NASTY)
    assert clean_text("第一行\r\n第二行\u200b", "note", 100) == "第一行\n第二行"


# -- every writer accepts every text the readers accept ----------------------------------------------------------

TEXT = st.one_of(st.text(alphabet=ANY.filter(lambda c: unicodedata.category(c) != "Cs"), min_size=1, max_size=24),
                 st.sampled_from([NASTY.replace("\x00", ""), "=cmd|' /C calc'!A0", "<script>x</script>", "\\u0000",
                                  "\u202e\u2066abc", "\U0001f684" * 30]))


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture()
def cheap_charts(monkeypatch):
    """Charts drawn as a small PNG / an empty SVG: the text of the documents is what is tested here (a real chart
    run is in the last test)."""
    from model.report import charts

    png = (REPO / "ui" / "icon.png").read_bytes()
    monkeypatch.setattr(charts, "to_png", lambda spec, **kw: png)
    monkeypatch.setattr(charts, "to_svg", lambda spec, **kw: b"<svg xmlns='http://www.w3.org/2000/svg'/>")


def _evaluation_documents(plan_data, measure, source, note, pid, pname, pnote, rnote):
    from model.calc.evaluation import evaluate
    from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals

    rail = plan_data.segment_target_row("rail_transit")
    actuals = _csv([["indicator_id", "year", "value", "unit", "measure", "source", "note"],
                    [rail["indicator_id"], str(int(rail["year"])), "1000", rail["unit"], measure, source, note]])
    projects = _csv([["project_id", "year", "invested_yi", "status", "note", "name", "area", "category"],
                     [pid, str(int(rail["year"])), "2", "新增", pnote, pname, "清水塘片区", "产业发展"],
                     ["P01", str(int(rail["year"])), "1", "在建", pnote, "", "", ""]])
    roads = _csv([["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
                  ["R01", str(int(rail["year"])), "100", "50", "在建", rnote]])
    try:
        a = ActualsSet.from_bytes(actuals, "a.csv", plan_data)
        p = ProjectActuals.from_bytes(projects, "p.csv", plan_data)
        r = RoadActuals.from_bytes(roads, "r.csv", plan_data)
    except DataError:
        return None  # refused by a reader, with its message: nothing to write
    return evaluate(plan_data, a, p, r)


def _check_files(files: dict[str, bytes]) -> None:
    from docx import Document

    for name, raw in files.items():
        if name.endswith(".docx"):
            Document(io.BytesIO(raw))  # reads back
        elif name.endswith(".xlsx"):
            import openpyxl

            openpyxl.load_workbook(io.BytesIO(raw))
        else:
            text = raw.decode("utf-8-sig")
            assert _xml_ok(text.replace("\x00", "\ufffd")) and "\x00" not in text, name


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)
def test_the_evaluation_writers_accept_every_text_the_actuals_readers_accept(plan_data, cheap_charts, measure,
                                                                             source, note, pid, pname, pnote, rnote):
    from model.report.evaluation_report import evaluation_files

    ev = _evaluation_documents(plan_data, measure, source, note, pid, pname, pnote, rnote)
    assume(ev is not None)
    for lang in ("zh", "en"):
        _check_files(evaluation_files(plan_data, ev, lang, report=True))


LIST_FIX = REPO / "tests" / "fixtures" / "nextplan"
DEFAULT = None  # the default plan (PlanList.from_bytes takes the plan: None is the default)
PROJECT_TEXT = ("project_id", "name_zh", "name_en", "subcategory", "owner", "description", "notes", "section_id",
                "output_note")
ROAD_TEXT = ("road_id", "name_zh", "name_en", "extent", "builder", "notes", "section_id")


def _list(kind: str, texts: dict[str, str]):
    from model.io.lists import PlanList

    rows = list(csv.reader(io.StringIO((LIST_FIX / f"{kind}.csv").read_text(encoding="utf-8"))))
    header = rows[0]
    for col, text in texts.items():
        rows[1][header.index(col)] = text
    try:
        import inspect

        extra = (DEFAULT,) if "data" in inspect.signature(PlanList.from_bytes).parameters else ()  # the new API
        return PlanList.from_bytes(_csv(rows), f"{kind}.csv", kind, *extra)
    except DataError:
        return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({c: TEXT for c in PROJECT_TEXT}), st.fixed_dictionaries({c: TEXT for c in ROAD_TEXT}),
       TEXT, st.sampled_from(["zh", "en"]))
def test_the_export_workbook_and_brief_accept_every_text_the_list_and_assumption_readers_accept(
        plan_data, cheap_charts, ptexts, rtexts, name, lang):
    from model import presets, run
    from model.io.assumptions import from_assumptions_csv, to_assumptions_csv
    from model.io.export import all_files
    from model.io.lists import with_lists
    from model.io.workbook import workbook_bytes
    from model.report.brief import brief_docx, brief_html
    from model.scenario import ScenarioError

    pl, rl = _list("projects", ptexts), _list("roads", rtexts)
    assume(pl is not None or rl is not None)
    base = presets(plan_data)["plan-targets"]
    try:  # the scenario's name as an assumptions file brings it
        s = from_assumptions_csv(to_assumptions_csv(base).replace("plan-targets", name.replace(
            '"', "'").replace(",", " ").replace("\n", " ").replace("\r", " "), 1).encode("utf-8"))
    except ScenarioError:
        s = base
    data = with_lists(plan_data, pl, rl)
    s = s.with_(projects_ref=pl.short_id if pl else None, roads_ref=rl.short_id if rl else None)
    r = run(data, s)
    files = all_files(data, r)
    files["scenario.xlsx"] = workbook_bytes(data, r, lang)
    files["brief.docx"] = brief_docx(data, r, lang)
    files["brief.html"] = brief_html(data, r, lang).encode("utf-8")
    _check_files(files)


def test_a_nasty_text_in_every_column_passes_every_writer_with_real_charts(plan_data, tmp_path):
    """The issue's case end to end: control characters in a measure, a new project's name, a note and a source
    made ``evaluate --report`` fail inside the Word writer."""
    from tests.plans_support import cli_or_xfail

    cli_or_xfail()
    from model.cli import main

    text = NASTY.replace("\x00", "")
    rail = plan_data.segment_target_row("rail_transit")
    year = str(int(rail["year"]))
    (tmp_path / "a.csv").write_bytes(_csv([["indicator_id", "year", "value", "unit", "measure", "source", "note"],
                                           [rail["indicator_id"], year, "1000", rail["unit"], "总产值" + text, text,
                                            text]]))
    (tmp_path / "p.csv").write_bytes(_csv([["project_id", "year", "invested_yi", "status", "note", "name", "area",
                                            "category"], ["N99" + text, year, "2", "新增", text, "新项目" + text,
                                                          "清水塘片区", "产业发展"]]))
    (tmp_path / "r.csv").write_bytes(_csv([["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
                                           ["R01", year, "100", "50", "在建", text]]))
    for lang in ("zh", "en"):
        out = tmp_path / f"eval-{lang}"
        assert main(["evaluate", "--actuals", str(tmp_path / "a.csv"), "--projects", str(tmp_path / "p.csv"),
                     "--roads", str(tmp_path / "r.csv"), "--lang", lang, "--report", "--out", str(out)]) == 0
        _check_files({p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".docx", ".csv", ".html")})
        assert "\u202e" not in (out / ("评估报告.html" if lang == "zh" else "evaluation-report.html")).read_text()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({c: TEXT for c in PROJECT_TEXT}), st.fixed_dictionaries({c: TEXT for c in ROAD_TEXT}),
       TEXT, st.sampled_from(["zh", "en"]), st.sampled_from(["default", "four"]))
def test_the_report_writers_accept_every_clean_text_in_the_lists_and_the_name(cheap_charts, ptexts, rtexts, name,
                                                                             lang, which):
    """The same property without the list reader: every text a reader could let through (the one cleaner's output)
    in every text column of the plan's own project and road lists, and in the scenario's name, for two plans."""
    from model import presets, run
    from model.io.export import all_files
    from model.io.workbook import workbook_bytes
    from model.report.brief import brief_docx, brief_html
    from tests.plans_support import plan

    data = plan(which)
    projects, roads = data.projects.copy(), data.roads.copy()
    for col, text in ptexts.items():
        if col in projects.columns and col != "project_id" and len(projects):
            projects.loc[projects.index[0], col] = clean(text) or "x"
    for col, text in rtexts.items():
        if col in roads.columns and col != "road_id" and len(roads):
            roads.loc[roads.index[0], col] = clean(text) or "x"
    data = data.with_lists(projects, roads, label="hostile")
    s = presets(data)["plan-targets"].with_(name=clean(name) or "x", n_paths=1000)
    r = run(data, s)
    files = all_files(data, r)
    files["scenario.xlsx"] = workbook_bytes(data, r, lang)
    files["brief.docx"] = brief_docx(data, r, lang)
    files["brief.html"] = brief_html(data, r, lang).encode("utf-8")
    _check_files(files)


def test_every_character_of_the_fast_path_is_kept_as_it_is():
    """clean() skips its per-character pass for one-line texts of these characters: each must be one NFC leaves
    alone, never removed, never a space other than the plain one, never a line break."""
    from model.cleaning import _PLAIN

    fast = [chr(c) for c in range(0x110000) if 0xD800 > c or c > 0xDFFF if _PLAIN.fullmatch(chr(c))]
    assert len(fast) > 20_000
    for ch in fast:
        if ch == " ":
            continue
        assert unicodedata.normalize("NFC", ch) == ch, hex(ord(ch))
        assert unicodedata.category(ch) not in REMOVED | {"Zs", "Zl", "Zp", "Mn", "Mc", "Me"}, hex(ord(ch))


_FAST_ALPHABET = st.sampled_from(list(" !-~·—“”‘’…、。《》「」【】〜一中丁区园亩亿元９Ａａ（）％，：；") + ["  "])


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.lists(_FAST_ALPHABET, max_size=40).map("".join),
                      st.text(max_size=40),
                      st.lists(st.one_of(_FAST_ALPHABET, st.characters()), max_size=40).map("".join)),
       limit=st.one_of(st.none(), st.integers(0, 30)))
def test_the_fast_path_gives_what_the_full_pass_gives(text, limit):
    """The same result with and without the fast path (the full pass forced by a regex that never matches)."""
    import re

    import model.cleaning as cleaning

    fast = clean(text, limit=limit)
    saved = cleaning._PLAIN
    cleaning._PLAIN = re.compile("(?!)")
    try:
        slow = clean(text, limit=limit)
    finally:
        cleaning._PLAIN = saved
    assert fast == slow

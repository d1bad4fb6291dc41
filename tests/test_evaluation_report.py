"""The evaluation's files and report: tidy CSVs, the .docx (A4, fonts, keep-with-next, rows not split, widths),
the self-contained HTML, the translation keys, and ``python -m model evaluate`` run as users run it (every failure
mode: exit 2, no traceback, nothing written)."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.calc.evaluation import MISMATCH, NOT_MET, evaluate
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals, calendar_of
from model.io.files import MARKER
from model.report import evaluation_report as R
from model.report.text import STRINGS_DIR, table, tr
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "actuals"
SECTIONS = ("eval.s1", "eval.s2", "eval.s3", "eval.s4", "eval.s5")


@pytest.fixture(scope="module")
def ev(plan_data):
    return evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data),
                    ProjectActuals.from_path(FIX / "projects.csv", plan_data),
                    RoadActuals.from_path(FIX / "roads.csv", plan_data))


@pytest.fixture(scope="module")
def docx_zh(plan_data, ev):
    from docx import Document

    return Document(io.BytesIO(R.evaluation_docx(plan_data, ev, "zh")))


@pytest.fixture(scope="module")
def html_zh(plan_data, ev):
    return R.evaluation_html(plan_data, ev, "zh")


# -- strings --------------------------------------------------------------------------------------------

def test_every_eval_key_has_both_languages_and_no_typed_figure():
    rows = list(csv.DictReader(io.StringIO((STRINGS_DIR / "evaluation.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["key"].startswith("eval.") for r in rows)
    for r in rows:
        for lang in ("zh", "en"):
            text = re.sub(r"\{[^}]*\}", "", r[lang]).replace("14th Five-Year", "")  # the plan's name
            assert not re.search(r"[0-9]", text), (r["key"], lang, r[lang])


def test_every_eval_key_used_in_code_is_in_the_table():
    src = (REPO / "model" / "report" / "evaluation_report.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(eval\.[a-z0-9_.]+)"', src))
    assert used and used <= set(table())
    assert {k for k in table() if k.startswith("eval.status.")} == set(R.STATUS_KEY.values())


# -- tidy CSVs ------------------------------------------------------------------------------------------

def test_evaluation_csv_columns_and_status_labels(plan_data, ev):
    zh = R.evaluation_tables(ev, "zh")
    en = R.evaluation_tables(ev, "en")
    assert list(zh["evaluation.csv"].columns)[:12] == ["indicator_id", "name", "target", "comparator", "baseline",
                                                       "actual", "actual_year", "unit", "measure", "completion_pct",
                                                       "progress_pct", "status"]
    assert set(zh["evaluation.csv"]["status"]) <= set(R.STATUS_KEY)
    assert tr("eval.status.mismatch", "en") in set(en["evaluation.csv"]["status"])
    assert list(zh["evaluation_summary.csv"].columns) == ["metric", "group", "value", "unit"]
    files = R.evaluation_files(plan_data, ev, "zh")
    assert sorted(files) == sorted(R.CSV_FILES)
    assert all(b.startswith(b"\xef\xbb\xbf") for b in files.values())
    rows = list(csv.DictReader(io.StringIO(files["evaluation.csv"].decode("utf-8-sig"))))
    total = next(r for r in rows if r["indicator_id"] == plan_data.role_row("total_target")["indicator_id"])
    assert float(total["completion_pct"]) == pytest.approx(1280 / plan_data.role("total_target") * 100)
    assert total["status"] == NOT_MET


# -- the Word report ------------------------------------------------------------------------------------

def test_docx_is_a4_with_margins(docx_zh):
    from docx.shared import Mm

    sec = docx_zh.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    for side in ("left", "right", "top", "bottom"):
        assert abs(getattr(sec, f"{side}_margin") - Mm(R.MARGINS_MM[side])) < Mm(0.1)  # stored in twips


def test_docx_every_run_and_style_has_an_east_asian_font(docx_zh):
    from docx.oxml.ns import qn

    runs = list(docx_zh.element.body.iter(qn("w:r")))
    assert runs
    for run in runs:
        if run.find(qn("w:t")) is None:
            continue  # a picture's run
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in ("SimSun", "SimHei")
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = docx_zh.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia"))


def test_docx_sections_in_order_headings_kept_with_next(docx_zh):
    heads = [p for p in docx_zh.paragraphs if p.style.name.startswith("Heading 1")]
    assert [p.text for p in heads] == [tr(k, "zh") for k in SECTIONS]
    assert all(p.paragraph_format.keep_with_next for p in docx_zh.paragraphs if p.style.name.startswith("Heading"))
    five = [p.text for p in docx_zh.paragraphs]
    tail = five[five.index(tr("eval.s5", "zh")) + 1:]
    assert tail == [t for k in ("eval.s5.h1", "eval.s5.h2", "eval.s5.h3", "eval.s5.h4")
                    for t in (tr(k, "zh"), tr("eval.s5.note", "zh"))]  # headings only, for the office


def test_docx_table_rows_not_split_and_widths_set(docx_zh):
    from docx.oxml.ns import qn

    assert len(docx_zh.tables) >= 5
    for t in docx_zh.tables:
        for row in t.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        widths = [c.width for c in t.rows[0].cells]
        assert all(w and w > 0 for w in widths)
    assert len(docx_zh.inline_shapes) >= 2  # charts


def test_docx_main_table_holds_the_figures(plan_data, docx_zh):
    cells = {c.text for t in docx_zh.tables for row in t.rows for c in row.cells}
    assert "1,280" in cells and "80%" in cells and tr("eval.status.not_met", "zh") in cells
    assert tr("eval.status.mismatch", "zh") in cells


# -- the HTML report ------------------------------------------------------------------------------------

def test_html_is_self_contained_and_a4(html_zh):
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html_zh
    assert "@page { size: A4; margin: 20mm; }" in html_zh
    assert "<script" not in html_zh.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html_zh)
    assert not re.search(r"url\(\s*['\"]?https?:", html_zh)
    assert html_zh.count("<svg") >= 2


def test_html_sections_period_and_dashes(plan_data, ev, html_zh):
    cal = calendar_of(plan_data)
    pos = [html_zh.index(tr(k, "zh")) for k in SECTIONS]
    assert pos == sorted(pos)
    assert f"{cal.plan_first_year}—{cal.plan_last_year}年" in html_zh  # em dash in Chinese
    en = R.evaluation_html(plan_data, ev, "en")
    assert f"{cal.plan_first_year}–{cal.plan_last_year}" in en and "—年" not in en  # en dash in English
    assert "1,280亿元" in html_zh  # 公文 number style: separators, no space before the unit


def test_problems_name_the_data_driven_issues(plan_data, ev):
    bullets = R.problems(ev, "zh")
    text = "\n".join(bullets)
    total = plan_data.role_row("total_target")["name_zh"]
    assert total in bullets[0] and "80%" in bullets[0]  # a target not met, with its completion
    mism = ev.indicators.loc[ev.indicators["status"] == MISMATCH, "name_zh"].iloc[0]
    assert mism in text and "规模以上" in text  # the measure mismatch, with the measure
    for flag in ("delayed", "unstarted"):
        for pid in ev.projects.loc[ev.projects[flag], "project_id"]:
            assert pid in text
    assert "N01" not in text  # a new project reported under way is no problem


def test_problems_say_so_when_there_is_none(ev):
    from dataclasses import replace

    from model.calc.evaluation import MET

    clean = replace(ev, indicators=ev.indicators.assign(status=MET, flags=""),
                    growth=ev.growth.assign(shortfall=0.0), has_projects=False, has_roads=False)
    assert R.problems(clean, "en") == [tr("eval.p.none", "en")]
    assert tr("eval.p.none", "en") not in R.problems(ev, "en")


# -- the command line -----------------------------------------------------------------------------------

def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=180)


def read(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_cli_template_then_evaluate_with_report(tmp_path):
    tpl = tmp_path / "tpl"
    r = cli("evaluate", "--template", "--out", tpl)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tpl.iterdir() if p.name != MARKER) == sorted(R.TEMPLATE_FILES)
    out = tmp_path / "out"
    r = cli("evaluate", "--actuals", tpl / "actuals-template.xlsx", "--projects", tpl / "projects-template.csv",
            "--roads", tpl / "actuals-template.xlsx", "--out", out)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == sorted(R.CSV_FILES)
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--projects", FIX / "projects.csv", "--roads",
            FIX / "roads.csv", "--out", out, "--report", "--lang", "en")
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.iterdir()}
    assert set(R.REPORT_FILES["en"]) <= names and not set(R.REPORT_FILES["zh"]) & names
    rows = read(out / "evaluation.csv")
    assert list(rows[0])[:12] == R.EVALUATION_CSV_COLUMNS[:12]
    assert (out / "evaluation-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "evaluation-report.docx").read_bytes()[:2] == b"PK"


def test_cli_report_file_names_in_chinese(tmp_path):
    out = tmp_path / "zh"
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--out", out, "--report", "--estimate-rail")
    assert r.returncode == 0, r.stderr
    assert {"评估报告.docx", "评估报告.html"} <= {p.name for p in out.iterdir()}


BAD_ACTUALS = {
    "unknown_id": ("indicator_id,year,value,unit,measure,source,note\nnope,2025,1,亿元,总产值,,\n", ":2:indicator_id"),
    "bad_unit": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,1,万元,总产值,,\n", ":2:unit"),
    "duplicate": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,1,亿元,总产值,,\n"
                  "{total},2025,2,亿元,总产值,,\n", ":3:indicator_id"),
    "year": ("indicator_id,year,value,unit,measure,source,note\n{total},2099,1,亿元,总产值,,\n", ":2:year"),
    "not_a_number": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,1.2.3,亿元,总产值,,\n",
                     ":2:value"),
    "negative": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,-1,亿元,总产值,,\n", ":2:value"),
    "extra_column": ("indicator_id,year,value,unit,measure,source,note,x\n", ":1:x"),
    "missing_column": ("indicator_id,year,value,unit,measure,source\n", ":1:note"),
    "more_cells": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,1,5,亿元,总产值,,\n", ":2:-"),
}


@pytest.mark.parametrize("case", sorted(BAD_ACTUALS))
def test_cli_bad_actuals_exit_2_and_write_nothing(tmp_path, plan_data, case):
    text, where = BAD_ACTUALS[case]
    f = tmp_path / "bad.csv"
    f.write_text(text.format(total=plan_data.role_row("total_target")["indicator_id"]), encoding="utf-8")
    out = tmp_path / "out"
    r = cli("evaluate", "--actuals", f, "--out", out)
    assert r.returncode == 2, r.stdout
    assert "Traceback" not in r.stderr
    assert f"bad.csv{where}" in r.stderr
    assert not out.exists()


def test_cli_bad_project_status_and_road_together_list_both(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("project_id,year,invested_yi,status,note\nP01,2022,1,建设中,\n", encoding="utf-8")
    rd = tmp_path / "r.csv"
    rd.write_text("road_id,year,invested_wan,length_built_m,status,note\nR01,2022,-5,1,在建,\n", encoding="utf-8")
    out = tmp_path / "out"
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--projects", p, "--roads", rd, "--out", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "p.csv:2:status" in r.stderr and "r.csv:2:invested_wan" in r.stderr
    assert not out.exists()


@pytest.mark.parametrize("args, words", [
    (("--out", "{out}"), "--actuals"),
    (("--template", "--actuals", "{fix}", "--out", "{out}"), "--template"),
    (("--actuals", "{missing}", "--out", "{out}"), "no such file"),
    (("--actuals", "{big}", "--out", "{out}"), "larger than 1 MB"),
    (("--actuals", "{binary}", "--out", "{out}"), "not a text CSV"),
])
def test_cli_bad_arguments_and_files(tmp_path, args, words):
    big = tmp_path / "big.csv"
    big.write_bytes(b"indicator_id,year,value,unit,measure,source,note\n" + b"x" * 1_100_000)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    out = tmp_path / "out"
    fill = dict(out=out, fix=FIX / "actuals.csv", missing=tmp_path / "nope.csv", big=big, binary=binary)
    r = cli("evaluate", *[a.format(**fill) for a in args])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert words in r.stderr
    assert not out.exists()


def test_cli_refuses_a_foreign_folder_and_keeps_the_previous_output(tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--out", foreign)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "nothing was written" in r.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    out = tmp_path / "out"
    assert cli("evaluate", "--actuals", FIX / "actuals.csv", "--out", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,year,value,unit,measure,source,note\nnope,2025,1,亿元,总产值,,\n", encoding="utf-8")
    r = cli("evaluate", "--actuals", bad, "--out", out)
    assert r.returncode == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_estimates_are_drawn_apart_from_actuals(plan_data):
    from model.io.actuals import estimate_rail_from_city

    est = estimate_rail_from_city(plan_data)
    if not len(est):
        pytest.skip("no city figure in the plan years")
    ev = evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data).merged(est))
    paths = R.chart_specs(plan_data, ev, "en")[0][1]["datasets"]["paths"]
    name = tr("eval.seg.rail_transit", "en")
    estimated = paths[paths["series"] == tr("eval.series.estimate", "en", name=name)]
    assert sorted(estimated["year"]) == sorted(r[1] for r in est.rows)
    actual = paths[paths["series"] == tr("eval.series.actual", "en", name=name)]
    assert not set(actual["year"]) & set(estimated["year"])

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

import pandas as pd
import pytest

from model.calc.evaluation import MISMATCH, NOT_MET, evaluate, plan_as_actuals
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals, calendar_of
from model.io.files import MARKER
from model.report import evaluation_report as R
from model.report import widths as W
from model.report.text import STRINGS_DIR, table, tr
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "actuals"
SECTIONS = ("eval.s1", "eval.s2", "eval.s3", "eval.s4", "eval.s5", "eval.s6", "eval.s7", "eval.appendix")


def root_target(data) -> dict:
    return data.segment_target_row(data.segments.root)


def part(data) -> str:
    return next(s for s in data.segments.with_targets if s != data.segments.root)


@pytest.fixture(scope="module")
def ev(plan_data):
    return evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data),
                    ProjectActuals.from_path(FIX / "projects.csv", plan_data),
                    RoadActuals.from_path(FIX / "roads.csv", plan_data), actuals_name="actuals.csv")


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
            text = re.sub(r"\{[^}]*\}", "", r[lang])
            assert not re.search(r"[0-9]", text), (r["key"], lang, r[lang])


def test_every_eval_key_used_in_code_is_in_the_table():
    src = (REPO / "model" / "report" / "evaluation_report.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(eval\.[a-z0-9_.]+)"', src))
    assert used and used <= set(table())
    assert {k for k in table() if k.startswith("eval.status.")} == set(R.STATUS_KEY.values()) | {R.LONG_TERM_STATUS}


# -- tidy CSVs ------------------------------------------------------------------------------------------

def test_evaluation_csv_columns_and_status_labels(plan_data, ev):
    zh = R.evaluation_tables(ev, "zh")
    en = R.evaluation_tables(ev, "en")
    assert list(zh["evaluation.csv"].columns)[:12] == ["indicator_id", "name", "target", "comparator", "baseline",
                                                       "actual", "actual_year", "unit", "measure", "completion_pct",
                                                       "progress_pct", "status"]
    assert set(zh["evaluation.csv"]["status"]) <= {R.status_label(s, "zh") for s in R.STATUS_KEY}
    assert tr("eval.status.mismatch", "en") in set(en["evaluation.csv"]["status"])
    assert list(zh["evaluation.csv"].columns) == R.EVALUATION_CSV_COLUMNS
    assert list(zh["evaluation_summary.csv"].columns) == ["metric", "group", "value", "unit", "note"]
    files = R.evaluation_files(plan_data, ev, "zh")
    assert sorted(files) == sorted(R.CSV_FILES)
    assert all(b.startswith(b"\xef\xbb\xbf") for b in files.values())
    rows = list(csv.DictReader(io.StringIO(files["evaluation.csv"].decode("utf-8-sig"))))
    total = next(r for r in rows if r["indicator_id"] == root_target(plan_data)["indicator_id"])
    assert float(total["completion_pct"]) == pytest.approx(1280 / root_target(plan_data)["value"] * 100)
    assert total["status"] == R.status_label(NOT_MET, "zh") and total["comparable"] == "1"
    assert total["scope"] == tr("eval.not_stated.scope", "zh")  # the fixture states no scope: said so


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
    texts = [p.text for p in docx_zh.paragraphs]
    six = texts.index(tr("eval.s6", "zh"))
    assert "供修改" in texts[six] and texts[six + 1] == tr("eval.s6.note", "zh")  # marked as a draft to edit


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
    assert "1,280.0" in cells and "80.0%" in cells and tr("eval.status.not_met", "zh") in cells
    assert tr("eval.status.mismatch", "zh") in cells and tr("eval.cell.not_comparable", "zh") in cells


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
    assert "1,280.0亿元" in html_zh  # 公文 number style: separators, no space before the unit


def test_problems_name_the_data_driven_issues_and_keep_data_gaps_apart(plan_data, ev):
    bullets = R.problems(plan_data, ev, "zh")
    text = "\n".join(bullets)
    total = root_target(plan_data)["name_zh"]
    assert total in bullets[0] and "80.0%" in bullets[0]  # a target not met, with its completion
    mism = ev.indicators.loc[ev.indicators["status"] == MISMATCH, "name_zh"].iloc[0]
    assert mism not in text  # a figure on another measure is a data gap, not an implementation problem
    gaps = "\n".join(R.data_gaps(plan_data, ev, "zh"))
    assert mism in gaps and "规模以上" in gaps  # the measure mismatch, with the measure
    for flag in ("delayed", "unstarted"):
        for pid in ev.projects.loc[ev.projects[flag], "project_id"]:
            assert pid in text
    assert "N01" not in text  # a new project reported under way is no problem


def test_problems_say_so_when_there_is_none(plan_data, ev):
    from dataclasses import replace

    from model.calc.evaluation import MET

    clean = replace(ev, indicators=ev.indicators.assign(status=MET, flags="", note=""),
                    growth=ev.growth.assign(shortfall=0.0), has_projects=False, has_roads=False)
    assert R.problems(plan_data, clean, "en") == [tr("eval.p.none", "en")]
    assert tr("eval.p.none", "en") not in R.problems(plan_data, ev, "en")


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
    # the templates unfilled carry no figure: refused as on the pages, nothing written
    assert r.returncode == 2 and "the file has a header but no rows" in r.stderr and not out.exists(), r.stderr
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
    "bad_unit": ("indicator_id,year,value,unit,measure,source,note\n{total},2025,1,吨,总产值,,\n", ":2:unit"),
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
    f.write_text(text.format(total=root_target(plan_data)["indicator_id"]), encoding="utf-8")
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
    from model.io.actuals import estimate_from_city

    est = estimate_from_city(plan_data)
    if not len(est):
        pytest.skip("no city figure in the plan years")
    ev = evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data).merged(est))
    seg = next(s for s in ev.growth["segment"] if plan_data.segment_target_row(s)["indicator_id"] == est.rows[0][0])
    paths = R.path_chart(plan_data, ev, seg, "en")[1]["datasets"]["paths"].to_frame()
    name = R.seg_label(plan_data, seg, "en")
    estimated = paths[paths["series"] == tr("eval.series.other", "en", name=name, what=tr("eval.what.estimate", "en"))]
    assert sorted(estimated["year"]) == sorted(r[1] for r in est.rows)
    actual = paths[paths["series"] == tr("eval.series.actual", "en", name=name)]
    assert not set(actual["year"]) & set(estimated["year"])


# -- what a reviewer reads: names, numbers, plurals, dates, colours, not-comparable figures ------------------------

DAY = __import__("datetime").date(2026, 11, 29)
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def block_texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        out += [b.text, *map(str, b.head)]
        out += [str(c) for row in b.items for c in (row if isinstance(row, tuple) else (row,))]
    return [x for x in out if x]


def chart_labels(spec: dict) -> list[str]:
    """Every label a chart draws from its data or its scales (legend entries, series names)."""
    out = []
    for frame in spec.get("datasets", {}).values():
        for col in ("group", "series", "label"):
            if col in frame:
                out += [str(v) for v in frame[col]]

    for d in spec_dicts(spec):
        for k in ("title", "domain"):
            v = d.get(k)
            if isinstance(v, (str, list)):
                out.extend([v] if isinstance(v, str) else [str(x) for x in v])
    return out


def spec_dicts(spec: dict):
    """Every dict inside a Vega-Lite spec, its datasets aside."""
    stack = [{k: v for k, v in spec.items() if k != "datasets"}]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            yield o
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)


def color_map(spec: dict) -> dict[str, str]:
    """Group → colour of a chart's colour scale."""
    out = {}
    for d in spec_dicts(spec):
        c = d.get("color")
        if isinstance(c, dict) and isinstance(c.get("scale"), dict) and "domain" in c["scale"]:
            out.update(zip(c["scale"]["domain"], c["scale"]["range"]))
    return out


def test_english_report_names_areas_categories_funding_and_measures_in_english(plan_data, ev):
    """Item 2: no Chinese in the English report but the units 亿元 / 万元 the app keeps, the measure and the name
    of a new project the office typed (the file gives no English for them)."""
    blocks = R.report_blocks(plan_data, ev, "en", with_charts=False, today=DAY)
    text = "\n".join(block_texts(blocks))
    labels = [x for _, spec in R.chart_specs(plan_data, ev, "en") for x in chart_labels(spec)]
    typed = (set(ev.projects.loc[ev.projects["new"], "name_zh"]) | set(ev.indicators["measure"].dropna())
             | set(ev.indicators["target_measure"].dropna())) - {""}
    rest = text + "\n" + "\n".join(labels)
    for keep in sorted(typed | {"亿元", "万元"}, key=len, reverse=True):
        rest = rest.replace(keep, "")
    assert not CJK_RE.findall(rest), sorted(set(CJK_RE.findall(rest)))
    for column in ("area", "category", "funding_source"):
        for v in set(ev.projects.get(column, [])) | set(ev.roads.get(column, [])):
            if v:
                assert v not in text and plan_data.label(column, v, "en") in text, v
    assert "Of this, District finance:" in text
    invest = next(spec for title, spec in R.chart_specs(plan_data, ev, "en") if title == tr("eval.chart.invest", "en"))
    # the plan's areas, and the new projects apart (never in an area's bar: the areas' completion is the list's)
    assert set(color_map(invest)) == {plan_data.label("area", a, "en") for a in plan_data.values("area")} | {
        tr("eval.legend.new", "en")}


def test_english_counts_agree_with_their_nouns(plan_data, ev):
    """Item 2: "1 target", "1 project", "1 indicator" — never "1 targets"."""
    blocks = R.report_blocks(plan_data, ev, "en", with_charts=False, today=DAY)
    text = "\n".join(block_texts(blocks))
    assert not re.search(r"(?<![\d.,])1 (targets|projects|indicators|roads|qualitative targets)\b", text), text
    bullets = R.problems(plan_data, ev, "en") + R.data_gaps(plan_data, ev, "en")
    assert any(b.startswith("1 target nearly met") for b in bullets)
    assert any(b.startswith("1 project not finished after its planned end year") for b in bullets)
    assert any(b.startswith("1 indicator on another scope or measure than its target") for b in bullets)
    assert any(b.startswith("3 quantitative targets not met") for b in bullets)
    assert any(b.startswith("1 qualitative task still under way") for b in bullets)
    for key in R.COUNTED_KEYS:  # every counted text has its singular twin, in both languages
        assert f"{key}.one" in table()


def test_a_measure_mismatch_has_no_completion_in_the_report_nor_in_the_csv(plan_data, ev):
    """#23: a figure on another measure is never completed: its completion and progress read "not comparable" in
    both reports (the note says why); evaluation.csv leaves them blank, comparable 0 and the reason given."""
    mism = ev.indicators[ev.indicators["status"] == MISMATCH].iloc[0]
    for lang in ("zh", "en"):
        blocks = R.report_blocks(plan_data, ev, lang, with_charts=False, today=DAY)
        table_rows = [row for b in blocks if b.kind == "table" for row in b.items]
        row = next(r for r in table_rows if r[0] == mism[f"name_{lang}"] and len(r) == 9)
        assert row[5] == row[6] == tr("eval.cell.not_comparable", lang), row
        assert not any(c.endswith("%") for c in row), row
        assert row[7] == tr("eval.status.mismatch", lang) and "规模以上" in row[8]
        notes = [b.text for b in blocks if b.kind == "note"]
        assert any(tr("eval.flag.not_comparable", lang) in n for n in notes)
        csv_rows = R.evaluation_tables(ev, lang, plan_data)["evaluation.csv"]
        got = csv_rows[csv_rows["indicator_id"] == mism["indicator_id"]].iloc[0]
        assert pd.isna(got["completion_pct"]) and pd.isna(got["progress_pct"])
        assert got["status"] == R.status_label(MISMATCH, lang) and "measure_differs" in got["flags"]
        assert got["comparable"] == "0" and got["reason"] == tr("eval.reason.measure", lang)


def test_an_output_figure_on_another_measure_has_no_completion_in_the_overview(plan_data):
    """Item 3: the sentence on a part's output names the figure's measure, with no completion, growth or gap."""
    seg = part(plan_data)
    t = plan_data.segment_target_row(seg)
    raw = (f"indicator_id,year,value,unit,measure,source,note\n{t['indicator_id']},{int(t['year'])},{t['value']},"
           f"{t['unit']},营业收入,synthetic,\n").encode()
    ev2 = evaluate(plan_data, ActualsSet.from_bytes(raw, "a.csv", plan_data))
    g = ev2.growth[ev2.growth["segment"] == seg].iloc[0].to_dict()
    zh, en = (R.segment_sentence(ev2, g, lang, plan_data) for lang in ("zh", "en"))
    assert "营业收入" in zh and "不计算完成率、增速和差距" in zh and "%" not in zh
    assert "no completion, growth or gap" in en and "%" not in en


def test_numbers_follow_the_app(plan_data, ev):
    """Item 4: investment in 亿元 with two decimals, output one, 万元 and metres whole, growth two decimals,
    completion one; 米 in Chinese; num only for counts and figures as the plan prints them."""
    zh = R.report_blocks(plan_data, ev, "zh", with_charts=False, today=DAY)
    text = "\n".join(block_texts(zh))
    assert "已完成投资2.50亿元" in text and "364.95亿元" in text  # the listed projects only
    assert "新增项目另完成投资3.00亿元，不计入完成率" in text
    assert "年均增长4.74%" in text and "1,280.0亿元" in text and "完成率80.0%" in text
    assert "42,000万元" in text and "建成道路2,266米" in text
    main = next(b for b in zh if b.kind == "table")
    targets = [row[1] for row in main.items]
    assert any(t.endswith("米") for t in targets) and not any(t.endswith("m") for t in targets)
    assert ("2.50" in {c for b in zh if b.kind == "table" for row in b.items for c in row})  # 2.5亿元 invested
    en = "\n".join(block_texts(R.report_blocks(plan_data, ev, "en", with_charts=False, today=DAY)))
    assert "2.50 亿元 invested" in en and "4.74% a year" in en and "2,266 m built" in en
    assert R.num(1600.0) == "1,600" and R.money(5.5, "亿元") == "5.50" and R.rate(4.7449) == "4.74%"
    assert R.pct(12.25) == "12.3%"  # halves up, once


def test_dates_in_chinese_read_year_month_day(plan_data, ev):
    """Item 7."""
    zh = R.report_blocks(plan_data, ev, "zh", with_charts=False, today=DAY)
    en = R.report_blocks(plan_data, ev, "en", with_charts=False, today=DAY)
    assert "2026年11月29日" in zh[2].text and "2026-11-29" not in zh[2].text
    assert "2026-11-29" in en[2].text


def test_an_area_has_one_colour_everywhere(plan_data, ev):
    """Item 6: the report's investment chart colours each area as the phasing page and the brief do."""
    from model import presets, run
    from model.report import figures

    r = run(plan_data, presets(plan_data)["plan-targets"])
    for lang in ("zh", "en"):
        app = color_map(figures.invest_by(r, plan_data, lang))
        spec = next(spec for title, spec in R.chart_specs(plan_data, ev, lang) if title == tr("eval.chart.invest", lang))
        report = color_map(spec)
        assert app and {a: report[a] for a in app} == app, (report, app)


def test_columns_are_never_narrower_than_their_longest_word(plan_data, ev):
    """Item 2: every column of every table fits its longest word (header in bold) and the cell margins; Latin
    words are never broken, Chinese text may break between characters."""
    for lang in ("zh", "en"):
        for b in R.report_blocks(plan_data, ev, lang, with_charts=False, today=DAY):
            if b.kind != "table":
                continue
            widths, pt = R.column_widths(b.head, b.items, b.widths, R.TEXT_WIDTH_MM)
            assert sum(widths) == pytest.approx(R.TEXT_WIDTH_MM) and pt >= W.TABLE_PT_SMALLEST
            for i, w in enumerate(widths):
                need = max([W.longest_word_mm(str(b.head[i]), pt, bold=True)]
                           + [W.longest_word_mm(str(row[i]), pt) for row in b.items])
                assert w >= need + W.CELL_PAD_MM - 1e-6, (lang, b.head[i], w, need)


def test_docx_tables_keep_header_with_rows_short_tables_whole_and_section_five_together(plan_data, docx_zh):
    """Items 1 and 5: a header row never stands alone at a page's foot (it keeps with the next row), a short table
    stays on one page, a long one keeps its last two rows together; section 六's draft note keeps with its
    suggestions."""
    for t in docx_zh.tables:
        keeps = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in t.rows]
        assert keeps[0] and not keeps[-1]
        if len(t.rows) <= R.KEEP_WHOLE_ROWS:
            assert all(keeps[:-1])
        else:
            assert keeps[-2] and not any(keeps[2:-2])
    paras = docx_zh.paragraphs
    six = [p.text for p in paras].index(tr("eval.s6", "zh"))
    assert paras[six].paragraph_format.keep_with_next and paras[six + 1].paragraph_format.keep_with_next


# -- the reports as LibreOffice prints them (items 1, 2, 5) ----------------------------------------------------------

TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,'’][A-Za-z0-9]+)*|[\u3400-\u9fff]")  # words and figures; each Chinese character


def _tokens(text: str):
    from collections import Counter

    return Counter(TOKEN.findall(text))


@pytest.fixture(scope="module")
def printed(tmp_path_factory, plan_data, ev):
    """Both reports converted to PDF by LibreOffice: lang -> (docx bytes, pdf path). Skipped without LibreOffice and
    poppler-utils, unless REQUIRE_LIBREOFFICE=1 (CI), where that is a failure."""
    import os
    import shutil

    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice and poppler-utils are required here (REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui poppler-utils")
    from unittest import mock

    folder = tmp_path_factory.mktemp("printed")
    out = {}
    with mock.patch.object(R, "date", mock.Mock(today=lambda: DAY)):
        for lang in ("zh", "en"):
            raw = R.evaluation_docx(plan_data, ev, lang)
            (folder / f"{lang}.docx").write_bytes(raw)
            out[lang] = (raw, folder / f"{lang}.pdf")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "zh.docx"), str(folder / "en.docx")], check=True,
                   capture_output=True, timeout=300)
    return out


def _pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _docx_paragraph_texts(raw: bytes) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(raw))
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_prints_every_row_of_every_table(printed, lang):
    """Item 1: each table's last row is in the PDF (LibreOffice once dropped the rows under a header left alone at
    a page's foot), and nothing of the document is missing from the PDF at all."""
    from docx import Document

    raw, pdf = printed[lang]
    got = _tokens(_pdf_text(pdf))
    want = _tokens("\n".join(_docx_paragraph_texts(raw)))
    for i, t in enumerate(Document(io.BytesIO(raw)).tables):
        last = " ".join(c.text for c in t.rows[-1].cells)
        missing = {k: v for k, v in _tokens(last).items() if got[k] < want[k]}
        assert not missing, (lang, i, last, missing)
    missing = {k: (v, got[k]) for k, v in want.items() if got[k] < v}
    assert not missing, missing  # (in the document, in the PDF)


def test_pdf_breaks_no_word_inside_a_table_cell(printed):
    """Item 2: a word or figure broken across lines ("Compl/etion") prints as two tokens: every word of every
    table is printed whole."""
    from docx import Document

    for lang, (raw, pdf) in printed.items():
        got = _tokens(_pdf_text(pdf))
        cells = [c.text for t in Document(io.BytesIO(raw)).tables for row in t.rows for c in row.cells]
        broken = sorted({w for c in cells for w in TOKEN.findall(c) if not CJK_RE.fullmatch(w) and got[w] == 0})
        assert not broken, (lang, broken)


def _page_fill(pdf: Path) -> list[float]:
    """How far down its text area each page is printed on (0 = nothing, 1 = to the bottom margin)."""
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), f"{d}/p"], check=True)
        fills = []
        for f in sorted(Path(d).glob("p-*.png")):
            im = Image.open(f).convert("L")
            w, h = im.size
            px = im.load()
            ink = [y for y in range(h) if any(px[x, y] < 200 for x in range(0, w, 2))]
            y_mm = (ink[-1] if ink else 0) / h * R.PAGE_MM[1]
            fills.append((y_mm - R.MARGINS_MM["top"]) / R.TEXT_HEIGHT_MM)
    return fills


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_pages_are_filled_and_the_appendix_is_not_split(printed, lang):
    """Item 5: no page but the last is left half empty (no block — a chart, a table kept whole — is taller than
    45 % of a page), and the last page holds the appendix whole, never its heading alone."""
    raw, pdf = printed[lang]
    fills = _page_fill(pdf)
    assert len(fills) >= 4
    assert all(f >= 0.55 for f in fills[:-1]), [round(f, 2) for f in fills]
    last = re.sub(r"\s+", "", _pdf_text(pdf, len(fills)))
    for text in (tr("eval.appendix", lang), tr("eval.ap.note", lang)):
        assert re.sub(r"\s+", "", text) in last, text


# -- any plan as data, and honest numbers (issue #23) --------------------------------------------------------------

from tests.plans_support import PACKAGES, load  # noqa: E402

FULL = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"
PLAN_WORDS = ("石峰", "株洲", "十四五", "十三五", "十五五", "轨道交通", "非轨道", "田心", "清水塘", "绿心", "附件1",
              "附件2", "Shifeng", "Zhuzhou", "rail", "Annex 1", "Annex 2", "14th", "13th", "15th")
MY_FILES = ("model/report/evaluation_report.py", "model/report/strings/evaluation.csv",
            "model/report/strings/page_evaluation.csv", "pages/7_evaluation.py", "ui/documents.py")
STANDALONE_DASH = re.compile(r"(?<![0-9）)])—|—(?![0-9（(])")  # "—" for a missing value, not in 2021—2025年


def test_no_plan_is_named_in_the_evaluations_code_or_texts():
    for f in MY_FILES:
        text = (REPO / f).read_text(encoding="utf-8")
        found = [w for w in PLAN_WORDS if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
        assert not found, (f, found)
        assert not re.search(r"(?<![0-9])20[12][0-9](?![0-9])", text), f  # no plan year


def _synthetic_ev(name: str, lang_rows: str = ""):
    data = load(name)
    a, p, r = plan_as_actuals(data)
    if lang_rows:
        a = ActualsSet.from_bytes((FULL + lang_rows).encode(), "syn.csv", data)
    return data, evaluate(data, a, p if len(data.projects) else None, r if len(data.roads) else None,
                          actuals_name="示例数据集")


@pytest.fixture(scope="module")
def four_ev():
    """The four-industries plan with a city figure for its total, a province one on a part's measure, a later
    release replacing an earlier one, another measure, a monitoring row on two scopes, a long-term figure."""
    return _synthetic_ev("four-industries", "\n".join([
        "output_total_2030,2028,1000,亿元,总产值,市,年报,市统计局,",
        "materials_2030,2029,420,亿元,总产值,园区,快报,园区快报,",
        "materials_2030,2029,430,亿元,总产值,园区,年报,园区年报,",
        "equipment_2030,2030,300,亿元,总产值,园区,年报,园区年报,",
        "biomed_2030,2030,200,亿元,总产值,省,年报,省统计局,",
        "digital_2030,2030,95,亿元,营业收入,园区,年报,园区年报,",
        "zone_rank_2030,2030,26,名,排名,全国,年报,科技部,",
        "va_growth,2027,8.5,%,规模以上工业增加值增速,园区,年报,园区年报,",
        "va_growth,2028,7.9,%,规模以上工业增加值增速,市,年报,市统计局,",
        "output_total_2035,2030,1200,亿元,总产值,园区,年报,园区年报,"]) + "\n")


def _text(blocks) -> str:
    return "\n".join(block_texts(blocks))


@pytest.mark.parametrize("name", sorted(PACKAGES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_plan_has_every_section_its_names_and_no_dash_in_prose(name, lang):
    data, ev = _synthetic_ev(name)
    blocks = R.report_blocks(data, ev, lang, with_charts=False, today=DAY)
    heads = [b.text for b in blocks if b.kind == "h1"]
    assert heads == [tr(k, lang) for k in SECTIONS]
    short = data.meta.text("short_name", lang) or data.meta.text("name", lang)
    assert short in blocks[0].text
    for b in blocks:
        if b.kind in ("p", "bullets", "note", "meta"):
            for t in (b.items if b.kind == "bullets" else (b.text,)):
                assert not STANDALONE_DASH.search(t), t
    roads = [b for b in blocks if b.kind == "h2" and tr("eval.s4.roads", lang) in b.text]
    assert bool(roads) == (len(data.roads) > 0)  # no roads section without roads
    lead = tr("eval.s4.district", lang, source="", planned="", paid="", unit="", pct="")[:2 if lang == "zh" else 8]
    own = [b for b in blocks if b.kind == "p" and b.text.startswith(lead)]
    assert bool(own) == (len(data.roads) > 0 and data.flagged("funding_source", "own_budget") is not None)
    paths = [b for b in blocks if b.kind == "p" and any(R.seg_label(data, s, lang)[1:] in b.text
                                                       for s in ev.growth["segment"])]
    assert paths and len(ev.growth) == len(data.segments.with_targets)
    for seg in ev.growth["segment"]:  # a sentence for every path segment
        assert any(R.seg_label(data, seg, lang)[1:] in b.text for b in blocks if b.kind == "p"), seg


def test_a_city_figure_has_no_growth_or_gap_in_any_csv_or_the_report(four_ev):
    data, ev = four_ev
    root = data.segments.root
    iid = data.segment_target_row(root)["indicator_id"]
    for lang in ("zh", "en"):
        t = R.evaluation_tables(ev, lang, data)
        row = t["evaluation.csv"].set_index("indicator_id").loc[iid]
        assert pd.isna(row["completion_pct"]) and pd.isna(row["progress_pct"])
        assert row["comparable"] == "0" and row["reason"] == tr("eval.reason.scope", lang)
        assert row["scope"] == data.label("scope", "city", lang) and row["actual"] == 1000
        s = t["evaluation_summary.csv"]
        seg = s[s["group"] == root].set_index("metric")
        for m in ("latest_actual", "cagr_pct", "shortfall_to_plan_path"):
            assert pd.isna(seg.loc[m, "value"]) and seg.loc[m, "note"], m
        raw = R.evaluation_files(data, ev, lang)["evaluation_summary.csv"].decode("utf-8-sig")
        line = next(x for x in raw.splitlines() if x.startswith(f"latest_actual,{root},"))
        assert line.split(",")[2] == ""  # blank, and the note says why
        text = _text(R.report_blocks(data, ev, lang, with_charts=False, today=DAY))
        name = R.seg_label(data, root, lang)
        sentence = R.segment_sentence(ev, ev.growth.set_index("segment").loc[root].reset_index().iloc[0].to_dict()
                                      if False else ev.growth[ev.growth["segment"] == root].iloc[0].to_dict(),
                                      lang, data)
        assert "%" not in sentence and tr("eval.what.scope", lang, scope=R._word(
            data.label("scope", "city", lang), lang)) in sentence
        assert name in text or R._cap(name, lang) in text


def test_a_city_figure_is_drawn_by_its_scope_and_the_axis_covers_the_plan_path(four_ev):
    data, ev = four_ev
    root = data.segments.root
    title, spec = R.path_chart(data, ev, root, "zh")
    series = set(spec["datasets"]["paths"]["series"])
    name = R.seg_label(data, root, "zh")
    city = tr("eval.series.other", "zh", name=name, what=tr("eval.what.scope", "zh", scope="市级"))
    assert city in series and "市级数据，口径不一致" in city
    assert not any(tr("eval.what.estimate", "zh") in x for x in series)  # never called an estimate
    assert not any(x.endswith("（实际）") for x in series)  # no actual on the target's scope: none drawn as one
    assert any("假设值" in x or "推算值" in x for x in series)  # the plan states no base: the path's start says so
    domains = [d["scale"]["domain"] for d in spec_dicts(spec) if isinstance(d.get("scale"), dict)
               and isinstance(d["scale"].get("domain"), list) and d["scale"]["domain"]
               and isinstance(d["scale"]["domain"][0], (int, float))]
    assert domains and min(x[0] for x in domains) < data.calendar.base_year + 0.5
    assert max(x[1] for x in domains) >= data.calendar.target_year  # not ending at the last actual year


def test_a_derived_base_is_drawn_as_derived_never_as_an_actual(plan_data, ev):
    seg = plan_data.segments.root
    assert plan_data.segment_base_row(seg)["kind"] == "derived"
    paths = R.path_chart(plan_data, ev, seg, "zh")[1]["datasets"]["paths"].to_frame()
    actual = paths[paths["series"].str.endswith("（实际）")]
    assert plan_data.calendar.base_year not in set(actual["year"])
    assert any("推算值" in x for x in set(paths["series"]))


def test_the_latest_release_is_used_and_named(four_ev):
    data, ev = four_ev
    for lang in ("zh", "en"):
        row = R.evaluation_tables(ev, lang, data)["evaluation.csv"].set_index("indicator_id").loc["materials_2030"]
        assert row["actual"] == 430 and row["vintage"] == data.label("vintage", "annual", lang)
        assert row["source"] == "园区年报"
        blocks = R.report_blocks(data, ev, lang, with_charts=False, today=DAY)
        main = next(b for b in blocks if b.kind == "table")
        cell = next(r for r in main.items if r[0] == ev.indicators.set_index("indicator_id").loc[
            "materials_2030", f"name_{lang}"])[8]
        assert data.label("vintage", "annual", lang) in cell and "园区年报" in cell
        method = " ".join(b.text for b in blocks if b.kind == "p")
        assert tr("eval.m.vintage_count", lang, vintage=data.label("vintage", "annual", lang), n=6) in method


def test_monitoring_and_long_term_targets_are_shown_apart(four_ev):
    data, ev = four_ev
    for lang in ("zh", "en"):
        blocks = R.report_blocks(data, ev, lang, with_charts=False, today=DAY)
        h2 = [b.text for b in blocks if b.kind == "h2"]
        assert any(tr("eval.s3.monitoring", lang) in h for h in h2)
        assert any(tr("eval.s3.long_term", lang) in h for h in h2)
        tables = [b for b in blocks if b.kind == "table"]
        mon = next(b for b in tables if tr("eval.col.vintage", lang) in b.head)
        assert [r[1] for r in mon.items] == ["2027", "2028"]
        assert mon.items[1][-1] == tr("eval.reason.scope", lang) and mon.items[0][-1] == tr("eval.cell.same", lang)
        lt = next(b for b in tables if tr("eval.col.target_year", lang) in b.head)
        assert lt.items[0][1] == "2035" and not any(c.endswith("%") for c in lt.items[0])
    mon = R.evaluation_tables(ev, "zh", data)["evaluation_monitoring.csv"]
    assert list(mon["comparable"]) == ["1", "0"] and list(mon["scope"]) == ["园区", "市级"]
    lt = R.evaluation_tables(ev, "zh", data)["evaluation.csv"].set_index("indicator_id").loc["output_total_2035"]
    assert lt["status"] == tr("eval.status.long_term", "zh") and pd.isna(lt["completion_pct"])


def test_the_actuals_set_is_named_and_its_id_is_in_the_appendix(four_ev):
    data, ev = four_ev
    for lang in ("zh", "en"):
        blocks = R.report_blocks(data, ev, lang, with_charts=False, today=DAY)
        meta = " ".join(b.text for b in blocks if b.kind == "meta")
        assert "示例数据集" in meta and ev.actuals_id not in meta
        app = blocks[[b.text for b in blocks].index(tr("eval.appendix", lang)) + 1]
        assert app.kind == "table" and ("示例数据集" in app.items[1] and ev.actuals_id in app.items[1])


def test_the_report_is_built_from_the_findings(four_ev):
    data, ev = four_ev
    zh = R.report_blocks(data, ev, "zh", with_charts=False, today=DAY)
    texts = _text(zh)
    assert "供修改" in texts  # the suggestions are marked as a draft
    problems = "\n".join(R.problems(data, ev, "zh"))
    gaps = "\n".join(R.data_gaps(data, ev, "zh"))
    assert "高端装备产值" in problems and "高端装备产值" not in gaps  # below target: implementation
    assert "生物医药产值" in gaps and "生物医药产值" not in problems  # a province figure: data to reconcile
    assert "数字经济核心产业产值" in gaps  # another measure
    ach = "\n".join(R.achievements(data, ev, "zh"))
    assert "新材料产值（" not in ach and "新材料产值2029年" in ach  # 430 against 450: not met, above its path
    sugg = R.suggestions(data, ev, "zh")
    assert any("高端装备产值" in s for s in sugg) and any("生物医药产值" in s for s in sugg)


def test_a_plan_without_projects_roads_or_areas_reports_without_them():
    data, ev = _synthetic_ev("one-segment")
    for lang in ("zh", "en"):
        blocks = R.report_blocks(data, ev, lang, with_charts=True, today=DAY)
        assert tr("eval.overview.no_project_list", lang) in [b.text for b in blocks]
        assert not [b for b in blocks if b.kind == "chart" and b.text == tr("eval.chart.invest", lang)]
        assert len([b for b in blocks if b.kind == "chart"]) >= 1


@pytest.mark.parametrize("name", ["four-industries", "one-segment"])
def test_every_plan_writes_its_files_and_both_reports(name):
    data, ev = _synthetic_ev(name)
    for lang in ("zh", "en"):
        files = R.evaluation_files(data, ev, lang, report=True)
        assert set(R.CSV_FILES) <= set(files) and set(R.REPORT_FILES[lang]) <= set(files)
        html_text = files[R.REPORT_FILES[lang][1]].decode("utf-8")
        assert html_text.count("<svg") == len(R.chart_specs(data, ev, lang))


@pytest.fixture(scope="module")
def printed_four(tmp_path_factory, four_ev):
    """The four-industries report (city and province figures, monitoring, long-term targets) as LibreOffice prints
    it: lang -> (docx bytes, pdf path); skipped as :func:`printed` is."""
    import os
    import shutil

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice and poppler-utils are required here (REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui poppler-utils")
    data, ev = four_ev
    folder = tmp_path_factory.mktemp("printed_four")
    out = {}
    for lang in ("zh", "en"):
        raw = R.evaluation_docx(data, ev, lang)
        (folder / f"{lang}.docx").write_bytes(raw)
        out[lang] = (raw, folder / f"{lang}.pdf")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "zh.docx"), str(folder / "en.docx")], check=True,
                   capture_output=True, timeout=300)
    return out


def test_pdf_of_another_plan_prints_every_row_and_breaks_no_word(printed_four):
    from docx import Document

    for lang, (raw, pdf) in printed_four.items():
        got = _tokens(_pdf_text(pdf))
        want = _tokens("\n".join(_docx_paragraph_texts(raw)))
        tables = Document(io.BytesIO(raw)).tables
        assert len(tables) >= 6
        for i, t in enumerate(tables):
            last = " ".join(c.text for c in t.rows[-1].cells)
            missing = {k: v for k, v in _tokens(last).items() if got[k] < want[k]}
            assert not missing, (lang, i, last, missing)
        cells = [c.text for t in tables for row in t.rows for c in row.cells]
        broken = sorted({w for c in cells for w in TOKEN.findall(c) if not CJK_RE.fullmatch(w) and got[w] == 0})
        assert not broken, (lang, broken)
        heads = _pdf_text(pdf)
        for k in SECTIONS:
            assert re.sub(r"\s+", "", tr(k, lang)) in re.sub(r"\s+", "", heads), k


def test_cli_an_estimate_the_plan_cannot_make_is_said_not_skipped_silently(tmp_path):
    """--estimate-from-city on a plan without city figures exited 0 having added nothing, without a word."""
    acts = tmp_path / "a.csv"
    acts.write_text("indicator_id,year,value,unit,measure,source,note\nrevenue_2030,2028,150,亿元,营业收入,统计局,\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    r = cli("evaluate", "--plan", REPO / "tests" / "plans" / "one-segment", "--actuals", acts, "--out", out,
            "--estimate-from-city")
    assert r.returncode == 0, r.stderr
    assert "--estimate-from-city" in r.stderr and "no estimate was added" in r.stderr
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--out", tmp_path / "o2", "--estimate-from-city")
    assert r.returncode == 0 and "no estimate" not in r.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_actuals_that_end_before_the_target_year_make_an_interim_report(plan_data, lang):
    """Data to 2023 were reported as 终期评估 with 未完成 for targets not yet due. Such a report is titled an interim
    evaluation with the data's year, and says what 未完成 means then; data of the target year keep the final title."""
    from model.plan.tables import load_plan_data as _load  # noqa: F401  (the fixture's plan)

    raw = (FIX / "actuals.csv").read_text(encoding="utf-8-sig").splitlines()
    early = "\n".join([raw[0]] + [x for x in raw[1:] if x.split(",")[1] <= "2023"]).encode()
    ev_early = evaluate(plan_data, ActualsSet.from_bytes(early, "a.csv", plan_data))
    assert ev_early.interim and ev_early.data_year == 2023
    text = "\n".join(block_texts(R.report_blocks(plan_data, ev_early, lang, with_charts=False, today=DAY)))
    names = R.plan_values(plan_data, lang)
    assert tr("eval.title_interim", lang, plan_short=names["plan_short"], year=2023) in text
    assert tr("eval.title", lang, plan_short=names["plan_short"]) not in text
    assert tr("eval.interim_note", lang, year=2023, target_year=2025) in text
    full = evaluate(plan_data, *plan_as_actuals(plan_data))
    assert not full.interim
    text = "\n".join(block_texts(R.report_blocks(plan_data, full, lang, with_charts=False, today=DAY)))
    assert tr("eval.title", lang, plan_short=names["plan_short"]) in text


def test_the_appendix_names_every_file_the_evaluation_used(plan_data):
    """The appendix named the actuals file and left the project report as "—". Each execution report is named by
    the file it came from (the page's upload, the command's argument)."""
    ev = evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data),
                  ProjectActuals.from_path(FIX / "projects.csv", plan_data),
                  RoadActuals.from_path(FIX / "roads.csv", plan_data), actuals_name="actuals.csv",
                  file_names=(("projects", "exec.csv"), ("roads", "道路.csv")))
    table = next(b for b in R._appendix(plan_data, ev, "zh") if b.kind == "table")
    by = {row[0]: row[1] for row in table.items}
    assert by[tr("eval.ap.projects", "zh")] == "exec.csv" and by[tr("eval.ap.roads", "zh")] == "道路.csv"
    assert by[tr("eval.ap.actuals", "zh")] == "actuals.csv"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_in_wan_yuan_reads_wan_yuan_in_its_segment_sentences(tmp_path, lang):
    """A plan stating its output in 万元 had its targets' table in 万元 and the sentences on its segments in 亿元 (458.3
    亿元 against a target of 6,000,000 万元 in the table). The sentences follow the target's unit, converted exactly."""
    from model.plan.tables import load_plan_data
    from tests.plans_support import PACKAGES, copy_package, read, write

    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    header, rows = read(folder / "indicators.csv")
    for r in rows:
        if r["indicator_id"] in ("revenue_2025", "revenue_2030"):
            r["value"], r["unit"] = str(int(float(r["value"]) * 10000)), "万元"
            r["quote"] = r["quote"].replace("亿元", "0000万元")
    write(folder / "indicators.csv", header, rows)
    data = load_plan_data(folder)
    raw = ("indicator_id,year,value,unit,measure,source,note\n"
           "revenue_2030,2028,1500000,万元,营业收入,统计局,\n").encode()
    ev = evaluate(data, ActualsSet.from_bytes(raw, "a.csv", data))
    g = ev.growth[ev.growth["segment"] == data.segments.root].iloc[0].to_dict()
    text = R.segment_sentence(ev, g, lang, data)
    assert "1,500,000" in text and "2,000,000" in text and "万元" in text, text
    assert "亿元" not in text, text

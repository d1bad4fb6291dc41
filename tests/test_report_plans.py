"""Every report builder (figures, story, brief HTML and .docx, workbook, audit, export) over three plan packages of
different shapes, in both languages: each names every headline segment from its own package, holds no undefined
number, and a plan other than the default shows none of the default plan's words."""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from model.calc.results import headline
from model.report import figures
from model.report.labels import seg_name, seg_output
from model.report.story import STEPS, story
from tests.plans_support import PLANS, foreign_words, plan, results

LANGS = ("zh", "en")
BAD_NUMBER = re.compile(r"(?<![A-Za-z])(nan|NaN|inf|Infinity)(?![A-Za-z])")


def names(data, r, lang):
    """The display names of the headline segments (what every document must name)."""
    return [seg_name(x, lang, data) for x in headline(r.scenario, r.projection.targets)]


def check_text(text: str, name: str, where: str) -> None:
    assert not BAD_NUMBER.search(text), f"{where}: an undefined number in {BAD_NUMBER.search(text).group(0)!r}"
    if name != "default":
        found = foreign_words(text)
        assert not found, f"{where}: the default plan's words {found}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PLANS)
def test_the_story_names_every_segment_and_only_what_the_plan_has(name, lang):
    data, r, fan = results(name)
    steps = story(data, r, lang, fan)
    keys = [s.key for s in steps]
    assert keys == [k for k in STEPS if (k != "projects" or len(data.projects)) and (k != "finance" or len(data.roads))]
    text = " ".join(f"{s.title} {s.text}" for s in steps)
    check_text(text, name, f"story {name} {lang}")
    by = {s.key: s.text for s in steps}
    for seg in r.projection.targets.values:
        word = seg_name(seg, lang, data) if lang == "zh" else seg_output(seg, lang, data)
        assert word.lower() in by["targets"].lower() and word.lower() in by["gap"].lower(), (seg, by["targets"])
    assert all(s.title and s.text for s in steps)
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", re.sub("亿元|万元|亩", "", text)), text
        assert not re.search(r"\.[A-Za-z]", text.replace("e.g.", "")), text  # sentences spaced
    for step in keys:
        spec = figures.story_chart(step, r, data, lang, fan)
        assert spec["datasets"], step


def test_the_conditional_growth_sentence_names_the_parts_and_the_remainder():
    data, r, fan = results("default", "historical-trend")
    zh = {s.key: s.text for s in story(data, r, "zh", fan)}["growth"]
    assert "若轨道交通产业按本情景年均增长5.10%，非轨道交通产业需年均增长" in zh  # literal-ok: the default plan's sentence
    four = {s.key: s.text for s in story(*results("four")[:2], "zh", results("four")[2])}
    assert "若" not in four["growth"]  # four parts with their own targets, no remainder: no condition to state


def test_bases_are_labelled_as_the_package_knows_them():
    data, r, fan = results("four")
    zh = story(data, r, "zh", fan)[0].text
    assert "（假设值）" in zh and "（各部分合计）" in zh  # digital economy: a target without a base; the total: a sum
    d, r2, f2 = results("default")
    text = story(d, r2, "zh", f2)[0].text
    assert "（推算值）" in text and "975 ÷ 0.96 = 1015.625" in text  # the formula from the package's row


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PLANS)
def test_every_figure_builds_for_any_plan(name, lang):
    data, r, fan = results(name)
    traj = figures.trajectory(r, data, lang)
    shown = set(traj["datasets"]["paths"]["series"])
    for seg in figures.shown_segments(r):
        assert seg_name(seg, lang, data) in shown
    assert any(("趋势外推" in x or "Trend:" in x) for x in shown) == data.has_role("trend_growth")
    specs = [traj, figures.fan_chart(r, data, fan, lang), figures.invest_by(r, data, lang),
             figures.roads_by_funding(r, data, lang), figures.trajectory(r, data, lang, segments=True)]
    for spec in specs:
        text = json.dumps({k: (v.to_dict(orient="list") if hasattr(v, "to_dict") else v)
                           for k, v in spec.get("datasets", {}).items()}, default=str, ensure_ascii=False)
        assert "Infinity" not in text
        if name != "default":
            assert not foreign_words(json.dumps(spec, default=str, ensure_ascii=False))


@pytest.fixture(scope="module")
def briefs():
    from model.report.brief import brief_docx, brief_html

    out = {}
    for name in PLANS:
        data, r, fan = results(name)
        for lang in LANGS:
            out[name, lang] = (brief_html(data, r, lang, fan), brief_docx(data, r, lang, fan))
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PLANS)
def test_the_brief_names_every_segment_and_holds_no_other_plans_words(briefs, name, lang):
    from docx import Document

    data, r, _ = results(name)
    page, raw = briefs[name, lang]
    body = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    charts = 2 + bool(len(data.projects)) + bool(len(data.roads))
    assert page.count("<svg") == charts
    for word in names(data, r, lang):
        assert word in body or seg_output_in(body, data, r, lang), word
    check_text(body, name, f"brief.html {name} {lang}")
    doc = Document(io.BytesIO(raw))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows
                                                          for c in row.cells])
    check_text(text, name, f"brief.docx {name} {lang}")
    assert len(doc.inline_shapes) == charts
    title = data.meta.text("short_name", lang)
    assert title in doc.paragraphs[0].text and title in body


def seg_output_in(text, data, r, lang):
    return all(seg_output(x, lang, data).lower() in text.lower() for x in headline(r.scenario, r.projection.targets))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PLANS)
def test_the_workbook_for_any_plan(name, lang):
    from openpyxl import load_workbook

    from model.io.workbook import workbook_bytes

    data, r, fan = results(name)
    wb = load_workbook(io.BytesIO(workbook_bytes(data, r, lang, fan, dt.date(2026, 1, 5))))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert v == v and abs(v) != float("inf"), ws.title
                elif isinstance(v, str):
                    texts.append(v)
    text = "\n".join(texts)
    check_text(text, name, f"workbook {name} {lang}")
    for word in names(data, r, lang):
        assert word in text, word
    assert (len(wb.sheetnames) == 9) == (len(data.projects) > 0 and len(data.roads) > 0)
    assert data.meta.text("short_name", lang) in wb.worksheets[0]["A1"].value


@pytest.mark.parametrize("name", PLANS)
def test_the_audit_for_any_plan(name):
    from model.plan.audit import CODES, audit

    data = plan(name)
    found = audit(data)
    assert {f.code for f in found} <= set(CODES)
    for f in found:
        for lang in LANGS:
            check_text(f.message(lang), name, f"audit {f.code}")
    if name == "four":  # X3 lists no build years, X4 no money
        codes = {(f.code, f.row) for f in found}
        assert ("missing_years", 4) in codes and ("missing_amount_total", 5) in codes
        assert "“十五五”" in next(f for f in found if f.code == "missing_amount_fyp").message("zh")
    if name == "one":
        assert found == []


@pytest.mark.parametrize("name", PLANS)
def test_the_export_for_any_plan(name):
    from model.io.export import all_files

    data, r, _ = results(name)
    files = all_files(data, r)
    summary = files["summary.csv"].decode("utf-8-sig")
    for seg in headline(r.scenario, r.projection.targets):
        assert f"output_{data.calendar.target_year}_{data.segments[seg].key}," in summary
    for fname, payload in files.items():
        text = payload.decode("utf-8-sig")
        assert not re.search(r"(?<![A-Za-z])(inf|nan|Infinity)(?![A-Za-z])", text), fname

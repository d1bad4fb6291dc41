"""The briefing pack: HTML self-contained and offline, .docx on A4 with Chinese fonts, tables that fit and hold."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys

import pytest

from model import presets, run
from model.report.brief import brief_docx, brief_html
from tests.conftest import REPO
from tests.plans_support import cli_or_xfail

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
UNITS = ("亿元", "万元", "亩")


@pytest.fixture(scope="module")
def results(plan_data):
    return run(plan_data, presets(plan_data)["historical-trend"])


@pytest.fixture(scope="module")
def docs(plan_data, results):
    from docx import Document

    return {lang: Document(io.BytesIO(brief_docx(plan_data, results, lang))) for lang in ("zh", "en")}


def test_html_is_self_contained_with_inline_charts(plan_data, results):
    page = brief_html(plan_data, results, "zh")
    assert page.count("<svg") >= 4
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)  # nothing fetched from anywhere
    assert "<script" not in page
    assert "历史趋势情景" in page and "historical-trend" not in page  # the preset's display name, not its slug
    assert "低于目标" in page and "附件" in page


def test_html_prints_on_a4_and_fits_a_phone(plan_data, results):
    page = brief_html(plan_data, results, "zh")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert re.search(r"@page\s*{\s*size:\s*A4", page)


def test_english_html_has_english_legends_and_punctuation(plan_data, results):
    page = brief_html(plan_data, results, "en")
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        text = " ".join(re.findall(r">([^<>]+)<", svg))
        stray = [m for m in CJK.findall(re.sub("|".join(UNITS), "", text))]
        assert not stray, f"Chinese in an English chart: {''.join(stray)[:40]}"
    body = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    quotes = re.findall(r"<td>([^<]*)</td>", body)  # plan quotes stay in the plan's language
    prose = body
    for q in quotes:
        prose = prose.replace(q, "")
    assert "：" not in prose  # no full-width colon in English


def test_docx_is_a4_with_an_east_asian_font_on_every_run(docs):
    from docx.oxml.ns import qn

    for lang, doc in docs.items():
        for section in doc.sections:
            assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5
        runs = [r for p in doc.paragraphs for r in p.runs]
        runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
        assert runs
        for r in runs:
            if not r.text.strip():
                continue
            fonts = r._element.rPr.find(qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), (lang, r.text[:20])
        defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"  # not the template's ja-JP


def test_docx_headings_stay_with_what_follows_and_rows_never_split(docs):
    from docx.oxml.ns import qn

    for doc in docs.values():
        for p in doc.paragraphs:
            if p.style.name.startswith("Heading") or p.style.name == "Title":
                assert p.paragraph_format.keep_with_next, p.text
        assert len(doc.tables) == 3 and len(doc.inline_shapes) == 4
        for t in doc.tables:
            for i, row in enumerate(t.rows):
                trpr = row._tr.trPr
                assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
            assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        # a chart's caption keeps with its picture
        for i, p in enumerate(doc.paragraphs):
            if p._element.findall(".//" + qn("w:drawing")):
                assert doc.paragraphs[i - 1].paragraph_format.keep_with_next


def test_docx_assumptions_read_as_labels_units_and_sensible_decimals(docs):
    cells = {c.text for t in docs["zh"].tables for row in t.rows for c in row.cells}
    assert "growth.rail_transit" not in cells and "phasing.basis" not in cells
    assert "轨道交通产业年均增长" in cells and "5.10%" in cells
    assert any(c.startswith("“十四五”计划投资") for c in cells)  # basis by its name, not "fyp"
    assert not any(re.fullmatch(r"\d+\.\d{6,}%?", c) for c in cells)  # no 7.504014914181223
    en = {c.text for t in docs["en"].tables for row in t.rows for c in row.cells}
    assert "Rail transit annual growth" in en and "Park output 2025" not in en


@pytest.mark.skipif(shutil.which("soffice") is None and os.environ.get("REQUIRE_LIBREOFFICE") != "1",
                    reason="LibreOffice not installed: apt-get install libreoffice-writer-nogui")
def test_docx_converts_to_an_a4_pdf_with_chinese_fonts(tmp_path, plan_data, results):
    assert shutil.which("soffice"), "LibreOffice is required here (REQUIRE_LIBREOFFICE=1)"
    src = tmp_path / "brief.docx"
    src.write_bytes(brief_docx(plan_data, results, "zh"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "brief.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK|Hei|Song|Ming", fonts), fonts  # Chinese text set in a CJK face, not a fallback box
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "情景简报" in text and "主要结果" in text


def test_cli_brief_writes_both_files(tmp_path):
    cli_or_xfail()
    out = tmp_path / "brief"
    r = subprocess.run([sys.executable, "-m", "model", "brief", "--preset", "plan-targets", "--out", str(out)],
                       cwd=REPO, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert (out / "brief.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "brief.docx").read_bytes()[:2] == b"PK"
    bad = subprocess.run([sys.executable, "-m", "model", "brief", "--preset", "nope", "--out", str(tmp_path / "x")],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and not (tmp_path / "x").exists()


def test_the_sources_table_never_splits_a_word():
    from model.report.brief import BRIEF_PT, WORD_PAD_MM, fit_widths
    from model.report.widths import longest_word_mm

    head, rows = ("Section", "Indicator", "Value", "Plan text"), [("1.1.2", "Rail", "975 亿元", "田心片区")]
    out = fit_widths(head, rows, (16, 40, 24, 90))
    assert out[0] >= longest_word_mm("Section", BRIEF_PT, bold=True) + WORD_PAD_MM and sum(out) == 170


def test_a_title_names_the_plan_years_once(tmp_path):
    """A package without a short name titles by its name, which may hold the years already: the brief read
    "…三年行动计划（2024—2026年）情景简报（2024—2026年）"."""
    from model.plan.tables import load_plan_data
    from model.report.brief import title
    from model.scenario.presets import presets
    from tests.plans_support import PACKAGES, copy_package

    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    text = (folder / "plan.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("short_name,")]
    data = load_plan_data(folder)
    first, last = data.calendar.plan_first_year, data.calendar.plan_last_year
    lines = [(f"name,,示范园区三年行动计划（{first}—{last}年）,Demo park action plan ({first}–{last})"
              if ln.startswith("name,") else ln) for ln in lines]
    (folder / "plan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_plan_data(folder)
    s = next(iter(presets(data).values()))
    for lang in ("zh", "en"):
        for kind in ("brief", "wb"):
            got = title(data, s, lang, kind)
            assert got.count(str(first)) == 1 and got.count(str(last)) == 1, got
    assert title(load_plan_data(PACKAGES["default"]), next(iter(presets(load_plan_data(PACKAGES["default"])).values())),
                 "zh").count("2021") == 1

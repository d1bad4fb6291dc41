"""model/report/mujun_report.py: the tidy CSVs, the 公示 workbook (opened by LibreOffice with every row), the report
(.docx / .html, aggregates only) and the templates, in both languages; any accepted file writes every document."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.calc.mujun import Baselines, Method, evaluate, method_from_bytes, presets
from model.io.enterprises import EnterpriseSet, LandRegister
from model.report import mujun_report as R
from model.report.text import tr
from tests.mujun_support import AREAS, synthetic
from tests.test_chinese_pages import english_words, half_width_punctuation

DAY = dt.date(2026, 3, 1)
BASE = Baselines(2000, 30.0, 1000.0)  # made-up base-year figures


@pytest.fixture(scope="module")
def result():
    df = synthetic(120, seed=21)
    df.loc[0, "name"] = "=1+1 公司"  # formula-like names stay text
    es = EnterpriseSet.from_frame(df, AREAS)
    reg = LandRegister.from_frame(pd.DataFrame({"parcel_id": ["L1", "L2", "L3"], "area": ["北区", "南区", "北区"],
                                                "category": ["批而未供", "用而未建", "投而未达标"],
                                                "land_mu": [12.5, 30.0, 7.0]}), AREAS)
    return evaluate(es, presets()["default"], BASE, reg)


def rows_of(raw: bytes) -> list[dict]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csvs_hold_every_enterprise_and_the_method_reads_back(result, lang):
    files = R.mujun_files(result, lang, AREAS, day=DAY)
    assert set(files) == set(R.CSV_FILES + R.OPTIONAL_CSV) | {R.WORKBOOK_NAME[lang]}
    ent = rows_of(files["mujun_enterprises.csv"])
    assert len(ent) == len(result.enterprises) and {"score", "rank", "class", "not_graded"} <= set(ent[0])
    assert "'=1+1 公司" in {r["name"] for r in ent}  # neutralised in the CSV
    assert method_from_bytes(files["mujun_method.csv"], "mujun_method.csv") == result.method
    areas = rows_of(files["mujun_areas.csv"])
    assert list(areas[0]) == ["group", "metric", "value", "unit"]
    tax = {r["group"]: float(r["value"]) for r in areas if r["metric"] == "tax_per_mu"}
    assert tax[AREAS["北区"][lang]] == pytest.approx(result.by_area.set_index("group").loc["北区", "tax_per_mu"])
    assert {r["unit"] for r in areas if r["metric"].endswith("per_mu")} == {"万元/亩"}
    lever = rows_of(files["mujun_lever.csv"])
    assert {r["unit"] for r in lever if r["metric"] == "extra_output_yi"} == {"亿元"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_publication_workbook_lists_every_firm_with_an_empty_objection_column(result, lang):
    wb = openpyxl.load_workbook(io.BytesIO(R.publication_workbook(result, lang, AREAS, DAY)))
    assert wb.sheetnames == [tr(k, lang) for k in ("mj.pub.sheet_cover", "mj.pub.sheet_list", "mj.pub.sheet_method")]
    ws = wb[tr("mj.pub.sheet_list", lang)]
    head = [c.value for c in ws[1]]
    assert head[-1] == tr("mj.pub.objection", lang) and head[1] == tr("mj.col.name", lang)
    body = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(body) == len(result.enterprises)
    assert all(r[-1] is None for r in body)
    assert {r[1] for r in body} == set(result.enterprises["name"])
    assert "'=1+1 公司" in {r[1] for r in body}  # neutralised on entry, as the actuals files are
    assert ws.freeze_panes == "A2" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "1:1"
    classes = [r[11] for r in body]
    graded = int(result.enterprises["graded"].sum())
    assert sum(c in {R.class_name(k, lang) for k in "ABCD"} for c in classes) == graded
    assert R.publication_workbook(result, lang, AREAS, DAY) == R.publication_workbook(result, lang, AREAS, DAY)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_opens_the_publication_workbook_with_every_row(result, lang, tmp_path):
    from tests.test_workbook import ALL_SHEETS_RAW, soffice

    path = tmp_path / "pub.xlsx"
    path.write_bytes(R.publication_workbook(result, lang, AREAS, DAY))
    soffice(tmp_path, "--convert-to", ALL_SHEETS_RAW, "--outdir", tmp_path / "csv", path)
    sheet = tr("mj.pub.sheet_list", lang)
    rows = list(csv.reader(io.StringIO((tmp_path / "csv" / f"pub-{sheet}.csv").read_text(encoding="utf-8"))))
    assert len(rows) - 1 == len(result.enterprises)
    assert {r[1] for r in rows[1:]} == set(result.enterprises["name"])  # "=1+1 公司" as text, not computed
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", tmp_path / "pdf", path)
    import subprocess

    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "pdf" / "pub.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for name in result.enterprises["name"]:
        assert name in text, name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_names_no_enterprise_and_prints_its_method(result, lang):
    page = R.report_html(result, lang, AREAS)
    assert "<script" not in page and not re.search(r"(src|href)=[\"']https?:", page)  # nothing fetched
    for name in result.enterprises["name"]:
        assert name not in page
    for sentence in R.method_sentences(result.method, lang):
        assert sentence.replace("'", "&#x27;") in page
    assert result.method.short_id in page and result.source_id in page
    texts = re.findall(r">([^<>]+)<", re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", page, flags=re.S))
    if lang == "zh":
        assert not english_words(texts) - {"C", "D"}, english_words(texts)
        assert not half_width_punctuation(texts), half_width_punctuation(texts)[:5]
    else:
        data_names = set(AREAS) | set(result.enterprises["industry"]) | {"万元/亩", "亿元", "万元"}
        stray = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t)
                 and not any(d in t for d in data_names)]
        assert not stray, stray[:5]


def test_the_docx_is_a4_with_east_asian_fonts_and_opens_in_libreoffice_with_every_table_row(result, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    from tests.test_workbook import soffice

    raw = R.report_docx(result, "zh", AREAS)
    doc = Document(io.BytesIO(raw))
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    for run in doc.element.body.iter(qn("w:r")):
        if run.find(qn("w:t")) is None:
            continue  # a picture's run
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts")) if run.find(qn("w:rPr")) is not None else None
        assert fonts is not None and fonts.get(qn("w:eastAsia")), "a run without an East Asian font"
    path = tmp_path / "r.docx"
    path.write_bytes(raw)
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", tmp_path, path)
    import subprocess

    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    for table in doc.tables:
        last = "".join(c.text for c in table.rows[-1].cells).replace(" ", "")
        assert last[:6] in text, last
    for industry in set(result.enterprises["industry"]):
        assert industry in text


def test_method_and_weights_as_people_read_them():
    m = Method(weights_above={"tax_per_mu": 60.0, "rd_intensity": 40.0}, scoring="minmax", class_rule="score",
               cuts=(90.0, 70.0, 50.0), exempt=frozenset({"utility"}))
    rows = dict(R.method_rows(m, "zh"))
    assert rows["计分方法"].startswith("功效系数法") and rows["参评不参与分类"] == "公用事业"
    assert rows["分类界线"] == "A类不低于90分；B类不低于70分；C类不低于50分；其余为D类"
    weights = R.weight_rows(m, "en")
    assert weights[0][:3] == ("Tax per mu", "万元/亩", "60") and weights[-1] == ("Total", "", "100", "100")
    given = R.weight_rows(Method(weights_above={"tax_per_mu": 100.0}, weights_below={"tax_per_mu": 100.0},
                                 benchmark="given", given={"tax_per_mu": 25.0}), "zh")
    assert given[0][0] == "亩均税收（基准值25.00）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_templates_in_each_language(lang):
    files = R.template_files(lang, AREAS)
    assert set(files) == set(R.TEMPLATE_FILES)
    head = files["enterprises-template.csv"].decode("utf-8-sig").splitlines()[0].split(",")
    assert head[0] == tr("mj.col.name", lang) and len(head) == 15


def test_charts_are_specs_with_translated_titles(result):
    specs = R.chart_specs(result, "en", AREAS)
    assert [t for t, _ in specs] == ["Tax per mu per area", "Output per mu (as revenue) per area",
                                     "Firms per area and class", "Distribution of scores"]
    assert all(s["datasets"] for _, s in specs)


FIRMS = st.integers(1, 25)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=FIRMS, seed=st.integers(0, 1000), exempt=st.floats(0, 1), below=st.floats(0, 1),
       preset=st.sampled_from(("default", "minmax")), lang=st.sampled_from(("zh", "en")))
def test_any_accepted_file_writes_every_document(n, seed, exempt, below, preset, lang):
    df = synthetic(n, seed=seed, below_share=below, exempt_share=exempt)
    es = EnterpriseSet.from_bytes(df.to_csv(index=False).encode("utf-8"), "h.csv", AREAS)
    r = evaluate(es, presets()[preset], BASE if seed % 2 else None)
    files = R.mujun_files(r, lang, AREAS, report=True, day=DAY)
    assert set(R.REPORT_FILES[lang]) <= set(files) and R.WORKBOOK_NAME[lang] in files
    assert all(len(v) > 100 for v in files.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_land_tables_last_row_is_its_total(result, lang):
    """The low-efficiency land table's total row read 全部企业 (a group of firms): it is the parcels' 合计."""
    table = next(b for b in R.report_blocks(result, lang, with_charts=False)
                 if b.kind == "table" and b.head[1] == tr("mj.r.col.category", lang))
    last = table.items[-1]
    assert last[0] == tr("mj.total", lang) and last[0] != tr("mj.group.all", lang)
    assert last[2] == R._int(result.land["parcels"].sum())

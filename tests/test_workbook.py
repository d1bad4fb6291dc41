"""The scenario workbook (model.io.workbook): sheets, headers, number types and formats, values equal to the CSV
export, formula-like text kept as text, deterministic bytes, ``export --xlsx``, and LibreOffice opening the
workbook and round-tripping an assumptions CSV (skipped without ``soffice`` unless REQUIRE_LIBREOFFICE=1).

What a reader sees (a planning official's review): every cell of the Chinese workbook without English words, of
the English one without Chinese words but the plan's money units and proper names data give only in Chinese; no
slug, code (baseline.rail_transit, rail_transit, p10) or doubled percent sign outside the id columns (last, grey,
not printed); the 亿元 gloss in English only; the cover's date as 2024年5月6日 in Chinese; every sheet printable on
A4 at a readable size."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from model.calc.analysis import simulate
from model.calc.results import run
from model.io.assumptions import from_assumptions_csv, scenario_id, to_assumption_rows
from model.io.export import EXPORT_FILES, all_files, assumptions_bytes, export_tables, neutralise
from model.io.files import MARKER
from model.io.workbook import (CODE_HEADERS, F_RATE, F_YEAR, F_YI, F_YI2, TABLE_SHEETS, XLSX_NAME, column_header,
                               print_scale, tables, text_width, sheet_title, unit_label, workbook_bytes, workbook_name)
from model.plan.tables import load_plan_data
from model.report.labels import context, enum_label, preset_name, seg_name
from model.report.text import tr
from model.scenario import FrozenMap, presets
from model.report.labels import metric_label
from tests.conftest import REPO
from tests.plans_support import cli_or_xfail

DAY = dt.date(2024, 5, 6)
SHEETS = {
    "zh": ["封面", "情景假设", "产值预测", "项目投资时序", "道路投资时序", "主要指标", "不确定性区间", "敏感性分析",
           "项目带动产值"],
    "en": ["Cover", "Assumptions", "Projection", "Project phasing", "Road phasing", "Summary", "Uncertainty fan",
           "Sensitivity", "Output from projects"],
}
DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


@pytest.fixture(scope="module")
def data():
    return load_plan_data()


def rich(data):
    """A scenario that sets many fields, with awkward numbers (rates of 15 significant digits)."""
    base = presets(data)["plan-targets"]
    return base.with_(
        name="综合 custom", growth=FrozenMap({**base.growth, "rail_transit": 1 / 30, "nonrail": 0.123456789012345}),
        overrides=FrozenMap({("rail_transit", 2022): 0.05, ("nonrail", 2024): -0.1}), split=True,
        shares=FrozenMap({"power_semiconductor": 0.4, "digital_intelligence": 0.3, "modern_services": 0.2,
                          "other": 0.1}),
        horizon=2030, basis="total", profile="s-curve", delay_all=1, delay_area=FrozenMap({"清水塘片区": 2}),
        delay_project=FrozenMap({"P05": 3}), overrun=0.15, excluded=frozenset({"P01", "P20"}), ceiling_yi=60.0,
        correlation=0.3, seed=7, n_paths=2000, per_mu_growth=0.02, io_ratio=0.8, ramp_first=0.4, track_record=True)


def scenarios(data) -> dict:
    return {**presets(data), "rich": rich(data)}


_BOOKS: dict = {}


def book(data, name: str, lang: str):
    """(scenario, results, workbook bytes, openpyxl workbook), made once per scenario and language."""
    if (name, lang) not in _BOOKS:
        s = scenarios(data)[name]
        r = run(data, s)
        raw = workbook_bytes(data, r, lang, day=DAY)
        _BOOKS[(name, lang)] = (s, r, raw, load_workbook(io.BytesIO(raw)))
    return _BOOKS[(name, lang)]


def csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def header_index(ws) -> dict[str, int]:
    return {c.value: i for i, c in enumerate(ws[1])}


# -- sheets and names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_present_in_order_with_valid_names(data, lang):
    _, _, _, wb = book(data, "plan-targets", lang)
    assert wb.sheetnames == SHEETS[lang]
    for name in wb.sheetnames:
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) and not name.startswith("'")
    assert len({n.lower() for n in wb.sheetnames}) == len(wb.sheetnames)
    assert len(TABLE_SHEETS) == len(EXPORT_FILES) - 1  # every export table but assumptions.csv has its sheet


def test_sheet_title_rules():
    bad = "a[b]:c*d?e/f\\g'" * 4
    t = sheet_title(bad)
    assert len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) and not t.startswith("'") and not t.endswith("'")
    assert sheet_title("'x'") == "x"
    assert sheet_title("") == "Sheet"
    taken = ["Summary"]
    assert sheet_title("summary", taken) == "summary (2)"
    long = "情" * 40
    first = sheet_title(long)
    second = sheet_title(long, [first])
    assert len(first) == 31 and len(second) <= 31 and second != first


def test_file_name_is_ascii_and_cites_the_id(data):
    s = presets(data)["plan-targets"]
    assert workbook_name(s, "zh") == f"{data.id}-plan-targets-{scenario_id(s)}-zh.xlsx"  # the plan's id first
    for name, slug in (("综合 custom", "custom"), ("测试", "scenario"), ("=1+1", "1-1"), ("a/../b", "a-b")):
        n = workbook_name(s.with_(name=name), "en")
        assert n.isascii() and n == f"{data.id}-{slug}-{scenario_id(s.with_(name=name))}-en.xlsx"


# -- the table sheets --------------------------------------------------------------------------------------

CODE_HEADER = {"metric": "wb.col.metric"}  # summary.csv's metric codes stay, in a secondary last column
ENUM_COLUMNS = ("area", "category", "funding_source", "road_class")


def expected_text(col: str, text: str, lang: str, row: dict, s):
    """What the sheet shows for a CSV text cell (None: checked by the caller): labels for codes, names for
    enumeration values, the name in the workbook's language, units in that language (none for a rate), the
    scenario's display name."""
    if col == "scenario":
        return preset_name(s.name, lang, s.plan_data)
    if col == "segment":
        return seg_name(text, lang, s.plan_data)
    if col == "kind":
        return tr(f"wb.kind.{text}", lang)
    if col == "basis":
        return tr(f"wb.basis.{text}", lang) if text else text
    if col == "quantile":
        return tr("wb.quantile", lang, q=int(text[1:]))
    if col in ENUM_COLUMNS:
        return enum_label(col, text, lang)
    if col in ("name_zh", "name_en"):
        return row[f"name_{lang}"] or row["name_zh"]
    if col == "unit":
        return None if text == "%" else unit_label(text, lang)
    return text


@pytest.mark.parametrize("name", ["plan-targets", "zero-growth", "rich"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_sheets_hold_the_csv_values_as_typed_numbers(data, name, lang):
    s, r, _, wb = book(data, name, lang)
    ctx = context(s, data)
    files = all_files(data, r)
    frames = export_tables(data, r)
    other_name = "name_en" if lang == "zh" else "name_zh"
    for ws, file in zip(wb.worksheets[2:], EXPORT_FILES[1:]):
        assert ws.freeze_panes == "A2", ws.title
        rows = csv_rows(files[file])
        df = frames[file]
        last = ws.cell(row=1, column=ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{len(rows) + 1}", ws.title
        assert ws.max_row == len(rows) + 1, ws.title
        units = df["unit"].unique()
        idx = header_index(ws)
        codes = {c: idx[tr(k, lang)] for c, k in CODE_HEADER.items() if c in df.columns}
        for col in df.columns:
            unit = units[0] if len(units) == 1 and df[col].dtype.kind == "f" else ""
            assert column_header(col, lang, ctx, unit) in idx, (ws.title, col)
        expected_columns = len(df.columns) - (other_name in df.columns) + len(codes)
        assert ws.max_column == expected_columns, ws.title  # no code column beside its label, one name column
        for n, row in enumerate(rows, start=2):
            cells = ws[n]
            for col, text in row.items():
                if col == other_name:
                    continue
                unit = units[0] if len(units) == 1 and df[col].dtype.kind == "f" else ""
                cell = cells[idx[column_header(col, lang, ctx, unit)]]
                where = f"{ws.title}!{cell.coordinate} ({col})"
                if col in codes:  # labels: test_headers_carry_units_and_codes_have_labels
                    assert cells[codes[col]].value == text, where
                    assert isinstance(cell.value, str) and cell.value and cell.value != text, where
                elif col == "parameter":
                    assert isinstance(cell.value, str) and cell.value != text, where
                    assert seg_name(text.partition(".")[2], lang, data) in cell.value, where
                elif col in ("subcategory", "owner", "builder") and lang == "en" and text:
                    assert isinstance(cell.value, str) and cell.value, where  # English where data give it
                elif text == "":
                    assert cell.value is None, where
                elif NUMBER.match(text) and col != "unit":
                    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), where
                    got = cell.value * 100 if cell.number_format == F_RATE else cell.value
                    assert abs(got - float(text)) <= 1e-9, (where, got, text)
                    if col == "year":
                        assert cell.number_format == F_YEAR and isinstance(cell.value, int), where
                    elif row.get("unit") == "亿元":
                        assert cell.number_format in (F_YI, F_YI2), where
                    elif row.get("unit") == "%":
                        assert cell.number_format == F_RATE, where
                else:
                    want = expected_text(col, text, lang, row, s)
                    if col in ("scenario", "unit"):
                        assert cell.value == want, (where, cell.value, want)
                    else:  # the CSV's text (neutralised there), or its label
                        assert cell.data_type == "s" and neutralise(cell.value) == want, (where, cell.value, want)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_carry_units_and_codes_have_labels(data, lang):
    s, _, _, wb = book(data, "plan-targets", lang)
    proj = [c.value for c in wb.worksheets[2][1]]
    if lang == "zh":
        assert proj == ["年份", "板块", "数值（亿元）", "单位", "类型", "基数来源", "情景"]
    else:
        assert proj == ["Year", "Segment", "Value (亿元)", "Unit", "Kind", "Basis of the base", "Scenario"]
    assert wb.worksheets[2]["B2"].value == seg_name("nonrail", lang, data)
    assert wb.worksheets[2]["F2"].value == tr("wb.basis.derived", lang)  # non-rail = total − rail: derived
    assert wb.worksheets[2]["G2"].value == tr("preset.plan-targets", lang)  # the display name, never the slug
    summary = wb.worksheets[5]
    idx = header_index(summary)
    code, label = idx[tr("wb.col.metric", lang)], idx[tr("wb.col.metric_name", lang)]
    labels = {row[code].value: row[label].value for row in summary.iter_rows(min_row=2)}
    assert labels["required_cagr_rail"] == metric_label("required_cagr_rail", s, lang, data)
    assert labels["baseline_2020_rail"] == metric_label("baseline_2020_rail", s, lang, data)
    assert labels["required_cagr_nonrail"] == {"zh": "非轨道交通产业所需年均增长（轨道交通产业按本情景增长）",
                                                "en": "Annual growth of non-rail output needed "
                                                      "(rail-transit output as in this scenario)"}[lang]
    assert labels["investment_output_2025"] == tr("sm.investment_output", lang, target_year=2025)
    assert all(labels[m] != m for m in labels), [m for m in labels if labels[m] == m]  # every metric has a text
    value = idx[tr("wb.col.value", lang)]
    rates = {row[code].value: row[value] for row in summary.iter_rows(min_row=2)}
    assert rates["required_cagr_rail"].number_format == F_RATE
    assert rates["required_cagr_rail"].value == pytest.approx(0.0750401491, abs=1e-10)
    assert rates["peak_investment_year"].number_format == F_YEAR
    assert rates["project_investment_fyp"].number_format == F_YI2
    # a value shown as 7.50% has no "%" beside it (the reviewer read "7.50% %"); a count of paths has its unit
    unit = idx[tr("col_unit", lang)]
    units = {row[code].value: row[unit].value for row in summary.iter_rows(min_row=2)}
    assert all(units[m] is None for m, c in rates.items() if c.number_format == F_RATE)
    assert units["monte_carlo_paths"] == tr("wb.unit.paths", lang) == {"zh": "条", "en": "paths"}[lang]
    assert units["peak_investment_year"] == {"zh": "年", "en": "year"}[lang]
    # the metric codes are the last column, grey, not printed
    assert code == summary.max_column - 1 and summary.print_area.endswith(f"$D${summary.max_row}")
    assert summary.cell(row=2, column=code + 1).font.color.rgb.endswith("808080")


def test_tables_with_a_given_fan_are_the_export_tables(data):
    for name in ("plan-targets", "rich"):
        s = scenarios(data)[name]
        r = run(data, s)
        mine, theirs = tables(data, r, simulate(s, r.projection.targets)), export_tables(data, r)
        assert list(mine) == list(theirs)
        for file in theirs:
            import pandas as pd

            pd.testing.assert_frame_equal(mine[file], theirs[file])


def test_column_widths_fit_and_count_cjk_double(data):
    assert text_width("轨道交通") == 8 and text_width("abc") == 3 and text_width("（亿元）") == 8
    _, _, _, wb = book(data, "plan-targets", "zh")
    ws = wb.worksheets[3]  # project phasing
    idx = header_index(ws)
    widths = {h: ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width for h, i in idx.items()}
    names = ws[ws.cell(row=1, column=idx["名称"] + 1).column_letter][1:]
    longest_zh = max(text_width(c.value) for c in names)
    assert widths["名称"] >= min(longest_zh, 40)
    assert widths["名称"] > widths["编号"]
    for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
        w = ws.column_dimensions[col[0].column_letter].width
        assert 6 <= w <= 62
    for c in names:  # a name wider than its column wraps, in a row tall enough for its lines
        if text_width(c.value) > widths["名称"]:
            assert c.alignment.wrap_text and ws.row_dimensions[c.row].height >= 30, c.coordinate


# -- assumptions and cover ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["plan-targets", "rich"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assumptions_sheet_maps_back_to_the_csv(data, name, lang):
    s, _, _, wb = book(data, name, lang)
    ws = wb.worksheets[1]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:D")
    head = [c.value for c in ws[1]]
    assert head == [tr("wb.col.label", lang), tr("wb.col.value", lang), tr("col_unit", lang),
                    tr("wb.col.param", lang)]
    rows = to_assumption_rows(s)
    sheet = list(ws.iter_rows(min_row=2))
    assert [r[3].value for r in sheet] == [param for param, *_ in rows]
    for (param, text, unit, _), cells in zip(rows, sheet):
        value = cells[1]
        if unit == "%" and NUMBER.match(text):
            assert value.number_format == F_RATE and isinstance(value.value, (int, float)), param
            assert abs(value.value * 100 - float(text)) <= 1e-9, param
        elif NUMBER.match(text) and unit not in ("0/1",):
            assert isinstance(value.value, (int, float)) and not isinstance(value.value, bool), param
            assert value.value == float(text), param
        assert isinstance(cells[0].value, str) and cells[0].value, param
        if value.number_format == F_RATE:  # 7.50% says its unit: no "（%）" in the label, no unit cell
            assert "%" not in cells[0].value and cells[2].value is None, param
    growth = next(c for c in sheet if c[3].value == "growth.rail_transit")[1]
    assert growth.value == s.growth["rail_transit"]  # 15 significant digits, as the scenario holds it
    # the parameter codes: the last column, grey, outside the print area
    assert ws.print_area.endswith(f"$C${ws.max_row}") and sheet[0][3].font.color.rgb.endswith("808080")
    assert all(c[2].value in (None, "亿元", "亿元/亿元", tr("wb.unit.year", lang), tr("wb.unit.yi_per_year", lang))
               for c in sheet), {c[2].value for c in sheet}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_names_scenario_id_date_sources_and_units(data, lang):
    s, _, _, wb = book(data, "city-trend", lang)
    ws = wb.worksheets[0]
    cells = {c.value: ws.cell(row=c.row, column=2).value for c in ws["A"] if c.value}
    assert cells[tr("wb.scenario", lang)] == preset_name("city-trend", lang, data)
    assert cells[tr("wb.id", lang)].startswith(scenario_id(s))
    assert cells[tr("wb.date", lang)] == dt.datetime(2024, 5, 6)
    date = next(ws.cell(row=c.row, column=2) for c in ws["A"] if c.value == tr("wb.date", lang))
    assert date.number_format == {"zh": 'yyyy"年"m"月"d"日"', "en": "yyyy-mm-dd"}[lang]  # 2024年5月6日
    text = "\n".join(str(c.value) for c in ws["B"] if c.value)
    assert "public_figures.csv" in text and "1,310" in text and "1,003.7" in text  # the city-trend figures, as stated with separators
    if lang == "zh":  # the gloss of 亿元 is for English readers; in Chinese it would say 1亿元 = 1亿元人民币
        assert "亿元" in text and "人民币" not in text and "CNY" not in text
    else:
        assert "1 亿元 = CNY 100 million" in text
    for role in ("earlier_target", "earlier_outcome", "city_base", "city_earlier_base"):
        row = data.role_row(role)  # each public figure with its note in the workbook's language
        assert (row["note_zh"] if lang == "zh" else row["note"]) in text, role
        assert (row["name_zh"] if lang == "zh" else row["name_en"]) in text, role
    assert tr("wb.sheet.assumptions", lang) in text
    for sheet in SHEETS[lang][1:]:
        assert sheet in text


# -- what people read: words in the workbook's language, no codes, readable print -----------------------------

PRESET_NAMES = tuple(presets(load_plan_data()))  # the default plan's preset slugs
PEOPLE_SCENARIOS = [*PRESET_NAMES, "rich"]
# ASCII words a Chinese workbook may hold (as the app's no-English check allows, tests/test_chinese_pages.py):
# units, file types, and "parameter", the name of assumptions.csv's column that the help text points to
ALLOWED_ASCII = {"ID", "CSV", "Excel", "WPS", "PDF", "P10", "P50", "P90", "IGBT", "CRRC", "mu", "m", "parameter"}
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_\-]{1,}")
FILE_NAME = re.compile(r"[A-Za-z0-9_/.\-]+\.(csv|xlsx|docx|html)(?![A-Za-z0-9])")  # Chinese may follow directly
CODE_PATTERNS = {
    "a code with a dot (baseline.rail_transit, delay.area.…)": re.compile(r"\b[a-z][a-z_]*\.[a-z_]"),
    "a code with an underscore (rail_transit, baseline_2020_rail)": re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b"),
    "a quantile code (p10)": re.compile(r"\bp\d{2}\b"),
    "a segment code": re.compile(r"^(nonrail|total|rail_transit|baseline|projected)$"),
}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def people_texts(wb, s, lang):
    """(where, text) of every text a person reads: every cell except the machine-readable id columns (their headers
    are CODE_HEADERS: last, grey and not printed, test_codes_stay_only_in_the_last_unprinted_column), the sheet
    names and the page footers; a name the user typed is theirs and left out."""
    codes = {tr(k, lang) for k in CODE_HEADERS}
    typed = s.name if s.name not in PRESET_NAMES and s.name != "custom" else None
    for ws in wb.worksheets:
        skip = {c.column for c in ws[1] if c.value in codes} if ws is not wb.worksheets[0] else set()
        texts = [(f"{ws.title} (name)", ws.title), (f"{ws.title} (footer)", ws.oddFooter.left.text or ""),
                 (f"{ws.title} (footer)", ws.oddFooter.right.text or "")]
        texts += [(f"{ws.title}!{c.coordinate}", c.value) for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and c.column not in skip]
        for where, text in texts:
            yield where, text.replace(typed, "") if typed else text


@pytest.mark.parametrize("name", PEOPLE_SCENARIOS)
def test_the_chinese_workbook_has_no_english_words(data, name):
    """The reviewer found 'An earlier plan's target', 'About 49 % of the earlier target', '来源：14th-FYP park plan',
    the unit 'paths' and the slug 'plan-targets' in the Chinese workbook."""
    s, _, _, wb = book(data, name, "zh")
    sources = sorted(one_language_sources(data), key=len, reverse=True)
    stray = {}
    for where, text in people_texts(wb, s, "zh"):
        for source in sources:
            text = text.replace(source, "")
        text = FILE_NAME.sub("", text)
        text = re.sub(r"(?<![0-9A-Za-z])[0-9a-f]{8}(?![0-9A-Za-z])", "", text)  # the short ID
        text = re.sub(r"(?<![0-9A-Za-z])[PR]\d{2,3}(?![0-9])", "", text)  # project and road ids
        words = {w.strip("-_") for w in ASCII_WORD.findall(text)} - ALLOWED_ASCII - {""}
        if words:
            stray[where] = sorted(words)
    assert not stray, dict(list(stray.items())[:15])


def one_language_sources(data) -> set[str]:
    """Public figures' sources that the package writes in English only (public_figures.csv has one source column;
    a source_zh column would let the Chinese workbook show a Chinese one: reported to the package's owner)."""
    return {str(v) for v in data.public_figures["source"] if v}


def english_proper_names(data) -> set[str]:
    """Chinese names a reader of the English workbook may meet because data give them no English name: project
    owners, road builders, and the news outlets that public figures cite ("红网, 2015-06-22")."""
    names = set(data.projects["owner"].dropna()) | set(data.roads["builder"].dropna())
    for source in data.public_figures["source"]:
        m = re.fullmatch(r"(.+), \d{4}-\d{2}-\d{2}", str(source))
        if m:
            names.add(m[1])
    return {n for n in names if n and CJK.search(n)}


@pytest.mark.parametrize("name", PEOPLE_SCENARIOS)
def test_the_english_workbook_has_no_chinese_words(data, name):
    """Areas, categories, funding sources, road classes, sub-categories, units (年 → year, 亩 → mu) and the names of
    projects and roads in English; only the plan's money units (亿元, 万元/亩, as the app writes them in English) and
    proper names that data give in Chinese only stay."""
    s, _, _, wb = book(data, name, "en")
    units = sorted({tr("unit_yi", "en"), tr("unit_wan_per_mu", "en")}, key=len, reverse=True)
    proper = sorted(english_proper_names(data) | one_language_sources(data), key=len, reverse=True)
    stray = {}
    for where, text in people_texts(wb, s, "en"):
        for allowed in proper + units:
            text = text.replace(allowed, "")
        if CJK.search(text):
            stray[where] = CJK.findall(text)
    assert not stray, dict(list(stray.items())[:15])


@pytest.mark.parametrize("name", PEOPLE_SCENARIOS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_code_or_slug_where_people_read(data, name, lang):
    """No scenario slug (plan-targets), no code (baseline.rail_transit, growth.rail_transit, delay.area.田心片区,
    rail_transit, p10) in any cell but the id columns, and no doubled percent sign (7.50% %)."""
    s, _, _, wb = book(data, name, lang)
    found = {}
    for where, text in people_texts(wb, s, lang):
        for slug in PRESET_NAMES:
            if slug in text:
                found[where] = f"slug {slug}"
        bare = FILE_NAME.sub("", text)
        for what, pattern in CODE_PATTERNS.items():
            if pattern.search(bare):
                found[where] = f"{what}: {text[:60]}"
        if re.search(r"%\s*[（(]?%", text):
            found[where] = f"doubled %: {text[:60]}"
    assert not found, dict(list(found.items())[:15])
    for ws in wb.worksheets[1:]:  # a value shown as a percentage has no unit cell and no "%" in its label
        idx = header_index(ws)
        unit = idx.get(tr("col_unit", lang))
        for row in ws.iter_rows(min_row=2):
            if any(c.number_format == F_RATE and isinstance(c.value, (int, float)) for c in row):
                assert unit is None or row[unit].value is None, f"{ws.title}!{row[0].coordinate}"
                assert "%" not in str(row[0].value), f"{ws.title}!{row[0].coordinate}: {row[0].value}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_codes_stay_only_in_the_last_unprinted_column(data, lang):
    """Machine-readable ids (assumptions.csv's parameter, summary.csv's metric) are kept for mapping a sheet back to
    its CSV, but only as the last column, grey, outside the print area; no sheet has another code column."""
    _, _, _, wb = book(data, "rich", lang)
    codes = {tr(k, lang) for k in CODE_HEADERS}
    assert {ws.title: [c.value for c in ws[1] if c.value in codes] for ws in wb.worksheets[1:]} == {
        ws.title: ([tr("wb.col.param", lang)] if i == 1 else [tr("wb.col.metric", lang)] if i == 5 else [])
        for i, ws in enumerate(wb.worksheets) if i}
    for ws in (wb.worksheets[1], wb.worksheets[5]):
        last = ws.max_column
        assert ws[1][last - 1].value in codes
        assert ws.print_area.endswith(f"${get_column_letter(last - 1)}${ws.max_row}"), ws.print_area
        assert all(c.font.color is not None and c.font.color.rgb.endswith("808080") for c in
                   next(ws.iter_cols(min_col=last, max_col=last)))


def _printed_columns(ws) -> int:
    m = re.search(r"\$([A-Z]+)\$\d+$", ws.print_area or "")
    return column_index_from_string(m[1]) if m else ws.max_column


@pytest.mark.parametrize("name", ["plan-targets", "rich"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sheet_prints_on_a4_at_a_readable_size(data, name, lang):
    """The reviewer's 项目投资时序 and 敏感性分析 were fitted to the page width and printed at about 4 pt. A sheet is
    fitted to the width only if that prints it at 85 % or more; a wider one prints at 100 % across pages with its
    header row and first column (the row's name) repeated. A4 always; the cover portrait, tables landscape."""
    _, _, _, wb = book(data, name, lang)
    for i, ws in enumerate(wb.worksheets):
        ps = ws.page_setup
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ps.orientation == ("portrait" if i == 0 else "landscape"), ws.title
        widths = [ws.column_dimensions[get_column_letter(j)].width for j in range(1, _printed_columns(ws) + 1)]
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0, ws.title
            assert print_scale(widths, ps.orientation) >= 0.85, (ws.title, print_scale(widths, ps.orientation))
        else:
            assert ps.scale in (None, 100) and print_scale(widths, ps.orientation) < 0.85, ws.title
            assert ws.print_title_cols == "$A:$A", ws.title
        if i:
            assert ws.print_title_rows == "$1:$1", ws.title
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text, ws.title
    # the widest sheets: the project list does not fit, so it prints unscaled with the project's name repeated
    phasing, tornado_ws = wb.worksheets[3], wb.worksheets[7]
    assert not phasing.sheet_properties.pageSetUpPr.fitToPage
    assert phasing["A1"].value == tr(f"col_name_{lang}", lang)
    assert tornado_ws["A1"].value == tr("wb.col.parameter_name", lang)
    assert wb.worksheets[4]["A1"].value == tr(f"col_name_{lang}", lang)  # roads


def test_print_scale_follows_excel_column_widths():
    """A column w characters wide is 7w + 5 pixels at 96 per inch (Calibri 11); A4 landscape less 0.5" margins is
    10.69 inches."""
    assert print_scale([10] * 10) == 1.0  # 750 px = 7.8 in
    assert print_scale([40] * 10) == pytest.approx((297 / 25.4 - 1) / (2850 / 96), rel=1e-9)
    assert print_scale([40] * 10, "portrait") < print_scale([40] * 10)


# -- formulas and determinism ------------------------------------------------------------------------------

def test_formula_like_names_stay_text(data):
    base = presets(data)["plan-targets"]
    for name in DANGEROUS:
        s = base.with_(name=name)
        raw = workbook_bytes(data, run(data, s), "zh", day=DAY)
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for member in z.namelist():
                if member.startswith("xl/worksheets/"):
                    xml = z.read(member)
                    assert b"<f>" not in xml and b"<f " not in xml, (name, member)
        wb = load_workbook(io.BytesIO(raw))
        assert wb.worksheets[0]["B3"].value == name and wb.worksheets[0]["B3"].data_type == "s"
        assert wb.worksheets[1]["B2"].value == name and wb.worksheets[1]["B2"].data_type == "s"
        for ws in wb.worksheets[2:]:
            j = header_index(ws)[tr("wb.col.scenario", "zh")]
            col = [row[j] for row in ws.iter_rows(min_row=2)]
            assert col and all(c.value == name and c.data_type == "s" for c in col), ws.title


def test_same_scenario_and_day_give_the_same_bytes(data):
    _, r, raw, wb = book(data, "plan-targets", "zh")
    assert workbook_bytes(data, r, "zh", day=DAY) == raw
    assert workbook_bytes(data, r, "zh", day=dt.date(2024, 5, 7)) != raw
    assert wb.properties.created == wb.properties.modified == dt.datetime(2024, 5, 6)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 5, 6, 0, 0, 0)}


# -- the command line --------------------------------------------------------------------------------------

def cli(*args):
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=180)


def test_export_xlsx_writes_scenario_xlsx(tmp_path):
    cli_or_xfail()
    out = tmp_path / "out"
    r = cli("export", "--preset", "plan-targets", "--out", out, "--xlsx")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == sorted(EXPORT_FILES + (XLSX_NAME,))
    assert load_workbook(out / XLSX_NAME).sheetnames == SHEETS["zh"]
    r = cli("export", "--preset", "plan-targets", "--out", out, "--xlsx", "en")
    assert r.returncode == 0, r.stderr
    assert load_workbook(out / XLSX_NAME).sheetnames == SHEETS["en"]
    r = cli("export", "--preset", "plan-targets", "--out", out)  # the same folder without the workbook
    assert r.returncode == 0, r.stderr
    assert not (out / XLSX_NAME).exists()


# -- LibreOffice -------------------------------------------------------------------------------------------

def soffice(tmp_path: Path, *args) -> subprocess.CompletedProcess:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("REQUIRE_LIBREOFFICE=1 but soffice is not installed (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs do not clash
    r = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *map(str, args)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


ALL_SHEETS_RAW = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_opens_the_workbook(data, tmp_path, lang):
    s = presets(data)["plan-targets"].with_(name="=1+1")
    r = run(data, s)
    path = tmp_path / "wb.xlsx"
    path.write_bytes(workbook_bytes(data, r, lang, day=DAY))
    pdf_dir, csv_dir = tmp_path / "pdf", tmp_path / "csv"
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", pdf_dir, path)
    pdf = (pdf_dir / "wb.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    soffice(tmp_path, "--convert-to", ALL_SHEETS_RAW, "--outdir", csv_dir, path)
    names = SHEETS[lang]
    assert sorted(p.name for p in csv_dir.iterdir()) == sorted(f"wb-{n}.csv" for n in names)
    summary = list(csv.reader(io.StringIO((csv_dir / f"wb-{names[5]}.csv").read_text(encoding="utf-8"))))
    col = {h: i for i, h in enumerate(summary[0])}
    scenario, code, shown_at = (col[tr(k, lang)] for k in ("wb.col.scenario", "wb.col.metric", "wb.col.value"))
    assert {row[scenario] for row in summary[1:]} == {"=1+1"}  # the name is text, not a formula LibreOffice ran
    exported = {row["metric"]: row["value"] for row in csv_rows(all_files(data, r)["summary.csv"])}
    assert len(summary) - 1 == len(exported)
    for row in summary[1:]:
        metric, shown = row[code], row[shown_at]
        if exported[metric] == "":
            assert shown == "", metric
            continue
        value = float(shown[:-1]) if shown.endswith("%") else float(shown)
        assert value == pytest.approx(float(exported[metric]), rel=1e-12, abs=1e-9), metric
    assumptions = list(csv.reader(io.StringIO((csv_dir / f"wb-{names[1]}.csv").read_text(encoding="utf-8"))))
    assert [row[3] for row in assumptions[1:]] == [p for p, *_ in to_assumption_rows(s)]


def test_assumptions_csv_survives_a_libreoffice_round_trip(data, tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    table = scenarios(data)
    for name, s in table.items():
        (src / f"{name}.csv").write_bytes(assumptions_bytes(s))
    soffice(tmp_path, "--infilter=CSV:44,34,76,1", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir", out, *sorted(src.iterdir()))
    for name, s in table.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw != (src / f"{name}.csv").read_bytes()  # LibreOffice wrote it (quotes, no BOM)
        back = from_assumptions_csv(raw, f"{name}.csv")
        assert back == from_assumptions_csv(assumptions_bytes(s)) == s, name
        assert scenario_id(back) == scenario_id(s), name


def test_annex_totals_keep_their_two_decimals(data):
    """Annex 1's 394.75亿元 is not printed as 394.8 next to the summary's 364.95 (one money style for investment)."""
    from model import presets, run

    from model.io.workbook import build_workbook

    wb = build_workbook(data, run(data, presets(data)["plan-targets"]), "zh", None, dt.date(2026, 11, 29))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, float) and abs(c.value - 394.75) < 1e-9]
    assert cells and all(c.number_format.endswith(".00") for c in cells)

"""The scenario workbook (model.io.workbook): sheets, headers, number types and formats, values equal to the CSV
export, formula-like text kept as text, deterministic bytes, ``export --xlsx``, and LibreOffice opening the
workbook and round-tripping an assumptions CSV (skipped without ``soffice`` unless REQUIRE_LIBREOFFICE=1)."""
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

from model.calc.analysis import simulate
from model.calc.results import run
from model.io.assumptions import from_assumptions_csv, scenario_id, to_assumption_rows
from model.io.export import EXPORT_FILES, all_files, assumptions_bytes, export_tables, neutralise
from model.io.files import MARKER
from model.io.workbook import (F_RATE, F_YEAR, F_YI, F_YI2, TABLE_SHEETS, XLSX_NAME, column_header, tables,
                               text_width, sheet_title, workbook_bytes, workbook_name)
from model.plan.tables import load_plan_data
from model.report.labels import context
from model.report.text import tr
from model.scenario import FrozenMap, presets
from tests.conftest import REPO

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
        overrides=FrozenMap({("rail_transit", 2022): 0.05, ("nonrail", 2024): -0.1}), split_nonrail=True,
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
    assert workbook_name(s, "zh") == f"shifeng-plan-targets-{scenario_id(s)}-zh.xlsx"
    for name, slug in (("综合 custom", "custom"), ("测试", "scenario"), ("=1+1", "1-1"), ("a/../b", "a-b")):
        n = workbook_name(s.with_(name=name), "en")
        assert n.isascii() and n == f"shifeng-{slug}-{scenario_id(s.with_(name=name))}-en.xlsx"


# -- the table sheets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["plan-targets", "zero-growth", "rich"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_sheets_hold_the_csv_values_as_typed_numbers(data, name, lang):
    s, r, _, wb = book(data, name, lang)
    ctx = context(s, data)
    files = all_files(data, r)
    frames = export_tables(data, r)
    for ws, file in zip(wb.worksheets[2:], EXPORT_FILES[1:]):
        assert ws.freeze_panes == "A2", ws.title
        rows = csv_rows(files[file])
        df = frames[file]
        last = ws.cell(row=1, column=ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{len(rows) + 1}", ws.title
        assert ws.max_row == len(rows) + 1, ws.title
        units = df["unit"].unique()
        idx = header_index(ws)
        for col in df.columns:
            unit = units[0] if len(units) == 1 and df[col].dtype.kind == "f" else ""
            assert column_header(col, lang, ctx, unit) in idx, (ws.title, col)
        for n, row in enumerate(rows, start=2):
            cells = ws[n]
            for col, text in row.items():
                unit = units[0] if len(units) == 1 and df[col].dtype.kind == "f" else ""
                cell = cells[idx[column_header(col, lang, ctx, unit)]]
                where = f"{ws.title}!{cell.coordinate} ({col})"
                if text == "":
                    assert cell.value is None, where
                elif NUMBER.match(text):
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
                    assert cell.data_type == "s" and neutralise(cell.value) == text, where


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_carry_units_and_codes_have_labels(data, lang):
    s, _, _, wb = book(data, "plan-targets", lang)
    proj = [c.value for c in wb.worksheets[2][1]]
    if lang == "zh":
        assert proj == ["情景", "年份", "板块代码", "板块", "数值（亿元）", "单位", "类型代码", "类型"]
    else:
        assert proj == ["Scenario", "Year", "Segment code", "Segment", "Value (亿元)", "Unit", "Kind code", "Kind"]
    assert wb.worksheets[2]["D2"].value == tr("seg_nonrail", lang)
    summary = wb.worksheets[5]
    idx = header_index(summary)
    code, label = idx[tr("wb.col.metric", lang)], idx[tr("wb.col.metric_name", lang)]
    labels = {row[code].value: row[label].value for row in summary.iter_rows(min_row=2)}
    assert labels["required_cagr_rail"] == tr("sm.required_cagr_rail", lang)
    assert labels["baseline_2020_rail"] == tr("sm.baseline_rail", lang, base_year=2020)
    assert labels["investment_output_2025"] == tr("sm.investment_output", lang, target_year=2025)
    assert all(labels[m] != m for m in labels), [m for m in labels if labels[m] == m]  # every metric has a text
    value = idx[tr("wb.col.value", lang)]
    rates = {row[code].value: row[value] for row in summary.iter_rows(min_row=2)}
    assert rates["required_cagr_rail"].number_format == F_RATE
    assert rates["required_cagr_rail"].value == pytest.approx(0.0750401491, abs=1e-10)
    assert rates["peak_investment_year"].number_format == F_YEAR
    assert rates["project_investment_fyp"].number_format == F_YI2


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
    longest_zh = max(text_width(c.value) for c in ws[ws.cell(row=1, column=idx["名称"] + 1).column_letter][1:])
    assert widths["名称"] >= min(longest_zh, 60)
    assert widths["名称"] > widths["编号"]
    for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
        w = ws.column_dimensions[col[0].column_letter].width
        assert 6 <= w <= 62


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
    growth = next(c for c in sheet if c[3].value == "growth.rail_transit")[1]
    assert growth.value == s.growth["rail_transit"]  # 15 significant digits, as the scenario holds it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_names_scenario_id_date_sources_and_units(data, lang):
    s, _, _, wb = book(data, "city-trend", lang)
    ws = wb.worksheets[0]
    cells = {c.value: ws.cell(row=c.row, column=2).value for c in ws["A"] if c.value}
    assert cells[tr("wb.scenario", lang)] == tr("preset.city-trend", lang)
    assert cells[tr("wb.id", lang)].startswith(scenario_id(s))
    assert cells[tr("wb.date", lang)] == dt.datetime(2024, 5, 6)
    text = "\n".join(str(c.value) for c in ws["B"] if c.value)
    assert "public_figures.csv" in text and "1310" in text and "1003.7" in text  # the city-trend figures
    assert "亿元" in text and ("CNY 100 million" in text or "1亿元 = 1亿元人民币" in text)
    assert tr("wb.sheet.assumptions", lang) in text
    for sheet in SHEETS[lang][1:]:
        assert sheet in text


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
            col = [c for c in ws["A"][1:]]
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
    assert {row[0] for row in summary[1:]} == {"=1+1"}  # the name is text, not a formula LibreOffice ran
    exported = {row["metric"]: row["value"] for row in csv_rows(all_files(data, r)["summary.csv"])}
    assert len(summary) - 1 == len(exported)
    for row in summary[1:]:
        metric, shown = row[1], row[3]
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

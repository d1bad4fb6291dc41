"""One scenario as an Excel workbook (.xlsx, openpyxl) for planning offices that work in Excel or WPS.

Sheets, in order: a cover (title, scenario, short ID, date, sources, units, what is plan / derived / assumed /
user-set), the assumptions (label, value, unit and the assumptions CSV's ``parameter``), then one sheet per table
of :func:`model.io.export.export_tables` (projection, phasing, roads, summary, fan, tornado, investment_output).

* Every visible cell reads in the workbook's language: the scenario's display name (a preset's name, or the name
  the user typed), labels in place of the CSV's codes (segment, kind, metric, parameter, quantile), the enumerations'
  names (area, category, funding source, road class) and the project and road names in that language (the other
  language's name column is left out), units in that language (``paths`` → 条, 年 → year), a rate's unit cell empty
  (its value shows ``7.50%``). Each table sheet starts with the column that names a row (project, road, assumption
  varied, metric) and ends with the scenario; the machine-readable ids a sheet needs to map back to a CSV
  (``parameter`` of assumptions.csv, ``metric`` of summary.csv) follow as the last column, grey, outside the
  print area.
* Numbers are numbers, equal to the CSV's (rounded to 8 decimals as the CSVs are): money in 亿元 ``#,##0.0``
  (investment ``#,##0.00``), rates as decimals shown ``0.00%`` (a CSV value in % is ÷ 100 here), years ``0``.
* Text that a spreadsheet would run as a formula (the triggers of :func:`model.io.export.neutralise`) is written
  as a string cell (``t="inlineStr"``), never as a formula and without the CSV's apostrophe.
* Header row frozen, autofilter, column widths that fit the content (CJK characters count double; long headers and
  long names wrap). Printing: A4, the cover portrait, tables landscape; a table that fits the page width at 85 % or
  more is fitted to the width, a wider one prints at 100 % across pages with its header row and first column
  repeated; page numbers in the footer. The cover's date reads 2026年11月29日 in Chinese, ISO in English.
* The same scenario, language, fan and day give the same bytes (fixed document and zip timestamps).
"""
from __future__ import annotations

import datetime as dt
import inspect
import io
import math
import os
import re
import unicodedata
import zipfile

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..calc.analysis import Fan, simulate, tornado
from ..calc.results import YI, Results, metric_names
from ..numbers import sig15
from ..units import output
from ..plan.tables import PlanData
from ..report import labels as L
from ..report.labels import (row_label, context, stated_value, unit_text, enum_label, error_text, field_label, fmt,
                             pct, preset_name, seg_name, seg_output, tx, value_text)
from ..report.text import has, placeholders, tr
from ..scenario.fields import csv_field
from ..scenario.kinds import Bool, Int, MapKind, Number, OptionalNumber, Rate
from ..scenario.presets import city_trend, presets
from .assumptions import scenario_id, to_assumption_rows
from .export import export_tables, neutralise

XLSX_NAME = "scenario.xlsx"  # the file ``python -m model export --xlsx`` writes
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# export table -> (sheet name key, sheet description key), in the workbook's order
TABLE_SHEETS = {
    "projection.csv": ("wb.sheet.projection", "wb.help.projection"),
    "phasing.csv": ("wb.sheet.phasing", "wb.help.phasing"),
    "roads.csv": ("wb.sheet.roads", "wb.help.roads"),
    "summary.csv": ("wb.sheet.summary", "wb.help.summary"),
    "fan.csv": ("wb.sheet.fan", "wb.help.fan"),
    "tornado.csv": ("wb.sheet.tornado", "wb.help.tornado"),
    "investment_output.csv": ("wb.sheet.investment_output", "wb.help.investment_output"),
}
# tables that exist only where the plan has the list they phase: table -> PlanData attribute
LIST_TABLES = {"phasing.csv": "projects", "roads.csv": "roads", "investment_output.csv": "projects"}
# CSV column -> header key of the workbook column that shows it (a code column shows its label); other columns use
# ``col_{name}`` when the translation table has it, else the name
HEADERS = {"scenario": "wb.col.scenario", "segment": "wb.col.segment_name", "kind": "wb.col.kind_name",
           "basis": "wb.col.basis",
           "metric": "wb.col.metric_name", "quantile": "wb.col.quantile", "parameter": "wb.col.parameter_name",
           "output_low": "wb.col.output_low", "output_high": "wb.col.output_high",
           "output_base": "wb.col.output_base", "gap_low": "wb.col.gap_low", "gap_high": "wb.col.gap_high",
           "swing": "wb.col.swing", "value": "wb.col.value", "unit": "col_unit", "year": "col_year"}
# machine-readable ids kept for mapping a sheet back to its CSV: table -> {CSV column: header key}; written after
# every other column, grey, outside the print area
CODE_COLUMNS = {"summary.csv": {"metric": "wb.col.metric"}}
CODE_HEADERS = ("wb.col.metric", "wb.col.param")  # the headers of those columns (the assumptions sheet's too)
# the columns that name a row, first in their sheet (and repeated on every printed page of a wide sheet)
LEAD_COLUMNS = {"phasing.csv": ("name", "project_id"), "roads.csv": ("name", "road_id"),
                "summary.csv": ("metric",), "tornado.csv": ("parameter",)}
NAME_COLUMNS = ("name_zh", "name_en")  # one column in the workbook: the name in its language
ENUM_COLUMNS = ("area", "category", "funding_source", "road_class")  # always named (any other column the plan's
# enumerations.csv lists is named too: subcategory, nature, build_type …)
KIND_LABELS = {"baseline": "wb.kind.baseline", "projected": "wb.kind.projected"}
BASIS_KINDS = ("stated", "derived", "assumed", "sum", "user", "rebased")  # projection.csv's basis (labels.base_kind)
# keys built at run time: the workbook's labels of summary metrics (model.report.labels.metric_label: wb.sm.NAME)
DYNAMIC_KEYS = tuple(f"wb.sm.{m}" for m in ("base_year", "target_year", "monte_carlo_paths", "per_mu_output_needed",
                                            "earlier_plan_realisation"))
# summary metrics whose stable name (calc.results.metric_names) differs from their text's key
METRIC_KEYS = {"invest": "sm.investment_output", "per_mu": "wb.sm.per_mu_output"}
# formats
F_YI, F_YI2, F_RATE, F_YEAR, F_INT, F_NUM, F_DATE = "#,##0.0", "#,##0.00", "0.00%", "0", "#,##0", "General", \
    "yyyy-mm-dd"
F_DATE_ZH = 'yyyy"年"m"月"d"日"'  # 2026年11月29日
UNIT_FORMATS = {YI: F_YI, "%": F_RATE, "年": F_YEAR, "亩": F_INT, "paths": F_INT, "万元/亩": F_YI2}
INVESTMENT_TABLES = ("phasing.csv", "roads.csv")  # money spent: two decimals, as the brief writes sums
INVESTMENT_METRICS = ("project_investment_", "road_investment_", "annex1_")
_DECIMALS = 8  # as the CSV export (model.io.export._DECIMALS)

SHEET_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
WIDTH_MIN, WIDTH_MAX, WIDTH_WIDE = 6, 40, 60  # a longer text wraps (at WIDTH_WIDE where the sheet fits the page)
HEADER_ONE_LINE = 12  # a header wider than this wraps, over at most HEADER_LINES lines, in a column at least
HEADER_MIN, HEADER_LINES = 10, 3  # HEADER_MIN wide
LATIN, LATIN_BOLD = 0.85, 0.9  # the width of a Latin character of 11 pt Calibri (regular, bold), in characters
LINE_HEIGHT = {"cjk": 16, "latin": 14}  # points per line of a wrapped 11 pt cell (CJK lines are taller)
COVER_TEXT_WIDTH = 72
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
FONT = "Calibri"  # the workbook's font, named on every styled cell (a font without a name falls back to a serif)
BOLD = Font(name=FONT, size=11, bold=True)
CODE_FONT = Font(name=FONT, size=11, color="808080")
CODE_HEADER_FONT = Font(name=FONT, size=11, bold=True, color="808080")
TITLE_FONT = Font(name=FONT, size=14, bold=True)
# printing: A4 (mm), margins (inches); a column of width w (characters) is about 7w + 5 pixels at 96 per inch
A4_MM = {"portrait": 210, "landscape": 297}
MARGIN_IN = 0.5
FIT_MIN_SCALE = 0.85  # fit a sheet to the page width only if that prints it at 85 % (11 pt → 9.4 pt) or more


# -- names ---------------------------------------------------------------------------------------------

def sheet_title(text: str, taken=()) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, no leading or trailing apostrophe, at most 31 characters."""
    name = _SHEET_BAD.sub("_", ILLEGAL_CHARACTERS_RE.sub("", text)).strip().strip("'").strip() or "Sheet"
    name = name[:SHEET_MAX]
    lower = {t.lower() for t in taken}
    n = 2
    base = name
    while name.lower() in lower:
        suffix = f" ({n})"
        name = base[:SHEET_MAX - len(suffix)] + suffix
        n += 1
    return name


def workbook_name(s, lang: str = "zh") -> str:
    """An ASCII download name: ``{plan id}-{name}-{short ID}-{lang}.xlsx`` (a name that is not ASCII:
    ``scenario``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", s.name.lower()).strip("-")[:40].strip("-") or "scenario"
    plan = re.sub(r"[^a-z0-9]+", "-", str(getattr(s.plan_data, "id", "") or "plan").lower()).strip("-")[:40] or "plan"
    return f"{plan}-{slug}-{scenario_id(s)}-{lang if lang in ('zh', 'en') else 'zh'}.xlsx"


# -- cells -----------------------------------------------------------------------------------------------

def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32767]


def put(ws, row: int, col: int, value, number_format: str | None = None):
    """Write one cell: text always as a string (never a formula), numbers as numbers with their format."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = _text(value)
        cell.value = value
        if neutralise(value) != value or value.startswith("="):
            cell.data_type = "s"  # openpyxl would write "=…" as a formula; a string cell is text in every program
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format
    return cell


def number(v):
    """A table value as the workbook holds it: the CSV's rounding, NaN empty; ±inf refused, as by the CSV writer
    (:func:`model.units.output`)."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if output(v, "workbook") is None:
            return None
        r = round(v, _DECIMALS)
        return 0.0 if r == 0 else r
    return str(v)


def _shown(value, number_format: str | None) -> str:
    """Roughly the text a spreadsheet shows (for column widths)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return "2000年01月01日" if number_format == F_DATE_ZH else "2000-01-01"
    f = number_format or F_NUM
    if f == F_RATE:
        return pct(value, 2)
    if f in (F_YI, F_YI2, F_INT):
        return fmt(value, {F_YI: 1, F_YI2: 2, F_INT: 0}[f])
    if f == F_YEAR:
        return f"{value:.0f}"  # format-ok: a year
    return f"{value:.10g}"


def text_width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float, latin: float = 1.0) -> int:
    """About how many lines ``text`` takes in a wrapping cell ``width`` characters wide (words wrap at spaces, CJK
    anywhere; ``latin``: the width of a Latin character in the cell's font, 0.85 for regular Calibri text)."""
    width = max(float(width), 1.0)
    lines, used = 1, 0.0
    for word in re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+\s*|[\u3000-\u9fff\uff00-\uffef]|\s+", text):
        ink = word.rstrip()
        w = text_width(ink) - len(ink) * (1 - latin) if ink.isascii() else text_width(ink)
        if used and used + w > width:
            lines += 1
            used = 0.0
        while w > width:  # a word longer than the line breaks anywhere
            lines += 1
            w -= width
        used += w + (len(word) - len(ink)) * latin
    return lines


def line_height(texts) -> int:
    """Points per line of a wrapped 11 pt cell holding ``texts`` (CJK lines are taller than Latin ones)."""
    cjk = any(text_width(t) != len(t) for t in texts if isinstance(t, str))
    return LINE_HEIGHT["cjk" if cjk else "latin"]


def _header_width(text: str, data: int = 0) -> int:
    """The width a header needs beside data ``data`` wide: one line if it fits, else two or three balanced lines
    (the fewest that fit the data's width, at least HEADER_MIN; a bold Latin character is about LATIN_BOLD wide)."""
    tw = text_width(text)
    if tw + 3 <= max(data, HEADER_ONE_LINE + 3):
        return tw + 3  # one line, with room for the filter button
    ink = tw - sum(1 for ch in text if ch.isascii()) * (1 - LATIN_BOLD)
    longest = max((text_width(w) for w in re.split(r"\s+", text) if w.isascii()), default=0)
    floor = max(HEADER_MIN, math.ceil(longest * LATIN_BOLD) + 2)
    for lines in range(2, HEADER_LINES + 1):
        need = max(floor, math.ceil(ink / lines) + 2)
        if need <= max(data, floor):
            return need
    return need


def printed_width(widths) -> float:
    """The printed width at 100 % of columns ``widths`` wide (characters), in inches."""
    return sum(int(w * 7 + 5) for w in widths) / 96


def print_scale(widths, orientation: str = "landscape") -> float:
    """The scale at which columns ``widths`` wide fit the width of an A4 page (at most 1)."""
    page = A4_MM[orientation] / 25.4 - 2 * MARGIN_IN
    return min(1.0, page / max(printed_width(widths), 1e-9))


def _table_sheet(ws, header: list[str], rows: list[list[tuple]], codes: int = 0, footer: str = "",
                 lang: str = "zh") -> None:
    """A table: bold frozen header with autofilter, cells (value, format), fitted widths, printable. The last
    ``codes`` columns are machine-readable ids: grey, outside the print area."""
    n = max(len(header), 1)
    shown_cols = range(1, n - codes + 1)
    need: dict[int, int] = {j: 0 for j in range(1, len(header) + 1)}
    top = Alignment(vertical="top")
    for i, row in enumerate(rows, start=2):
        for j, (value, nf) in enumerate(row, start=1):
            cell = put(ws, i, j, value, nf)
            cell.alignment = top
            if j > n - codes:
                cell.font = CODE_FONT
            need[j] = max(need[j], text_width(_shown(value, nf)))
    need = {j: max(w, _header_width(header[j - 1], w)) for j, w in need.items()}
    # long texts get up to WIDTH_WIDE where the sheet still fits the page, else wrap at WIDTH_MAX
    widths = {j: max(WIDTH_MIN, min(w + 2, WIDTH_WIDE)) for j, w in need.items()}
    if print_scale([widths[j] for j in shown_cols]) < 1:
        widths = {j: max(WIDTH_MIN, min(w + 2, WIDTH_MAX)) for j, w in need.items()}
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w
    head_lines = 1
    for j, h in enumerate(header, start=1):
        c = put(ws, 1, j, h)
        c.font = CODE_HEADER_FONT if j > n - codes else BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
        head_lines = max(head_lines, wrapped_lines(h, widths[j] - 1, LATIN_BOLD))
    ws.row_dimensions[1].height = line_height(header) * head_lines + 4
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=2):  # long text wraps in its row
        lines, texts = 1, []
        for j, (value, nf) in enumerate(row, start=1):
            if isinstance(value, str) and text_width(value) > widths[j]:
                ws.cell(row=i, column=j).alignment = wrap
                lines = max(lines, wrapped_lines(value, widths[j], LATIN))
                texts.append(value)
        if lines > 1:
            ws.row_dimensions[i].height = line_height(texts) * lines + 2
    ws.freeze_panes = "A2"
    last = max(len(rows) + 1, 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(n)}{last}"
    _print_setup(ws, "landscape", [widths[j] for j in shown_cols], footer, lang)
    ws.print_title_rows = "1:1"
    if codes:
        ws.print_area = f"A1:{get_column_letter(n - codes)}{last}"


def _print_setup(ws, orientation: str, widths: list[int], footer: str = "", lang: str = "zh") -> None:
    """A4 in ``orientation``; fitted to the page width if that prints at FIT_MIN_SCALE or more, else at 100 % with
    the first column repeated on every page across; page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if print_scale(widths, orientation) >= FIT_MIN_SCALE:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = 100
        ws.page_setup.pageOrder = "overThenDown"  # a row's halves on consecutive pages
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_title_cols = "A:A"
    if footer:
        ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.right.text = tr("wb.page", lang, page="&P", pages="&N")  # the page codes of Excel


# -- labels -------------------------------------------------------------------------------------------------

unit_label = unit_text  # a unit as the workbook's language writes it (model/report/labels.py)


def with_unit(label: str, unit: str, lang: str) -> str:
    return tr("wb.with_unit", lang, label=label, unit=unit_label(unit, lang)) if unit else label


def column_header(column: str, lang: str, ctx: dict, unit: str = "") -> str:
    """The header of the workbook column that shows an export table's ``column``, in ``lang`` (``unit``: the
    table's one unit, for value columns)."""
    if column in NAME_COLUMNS:
        column = f"name_{lang}"
    key = HEADERS.get(column) or (f"col_{column}" if has(f"col_{column}") else None)
    if key and "output" in placeholders(key) and "output" not in ctx and ctx.get("_plan") is not None:
        ctx = {**ctx, "output": seg_output(ctx["_plan"].segments.root, lang, ctx["_plan"])}
    label = tx(key, lang, ctx) if key else column
    return with_unit(label, unit, lang)


def stable_metric(name: str, s) -> str:
    """A summary metric's name without its years (``baseline_{year}_{key}`` → ``baseline_{key}``)."""
    n = metric_names(s)
    exact = {v: k for k, v in n.items()}
    if name in exact:
        return {"invest": "investment_output", "per_mu": "per_mu_output"}.get(exact[name], exact[name])
    for k, v in n.items():
        if name.startswith(v + "_"):
            return k + name[len(v):]
    return name


def metric_label(name: str, s, lang: str, ctx: dict | None = None) -> str:
    """A summary metric's label in ``lang`` (:func:`model.report.labels.metric_label`: per-segment metrics named
    from the plan's segments, then ``sm.*``, then this module's ``wb.sm.*``), else the metric's id."""
    text = L.metric_label(name, s, lang, s.plan_data)
    if text is not None:
        return text
    stable = L.stable_name(name, s)
    if stable in METRIC_KEYS:
        return tx(METRIC_KEYS[stable], lang, ctx if ctx is not None else context(s))
    return name


def _tornado_steps() -> tuple[float, float]:
    p = inspect.signature(tornado).parameters
    return p["rate_step"].default, p["base_step"].default


def tornado_label(parameter: str, lang: str, ctx: dict, data: PlanData | None = None) -> str:
    what, _, seg = parameter.partition(".")
    data = data if data is not None else ctx.get("_plan")
    rate_step, base_step = _tornado_steps()
    if data is None or seg not in data.segments:
        return parameter
    if what == "growth":
        return tx("wb.tornado.growth", lang, ctx, seg=seg_name(seg, lang, data), step=f"{rate_step * 100:g}")
    if what == "baseline":
        return tx("wb.tornado.baseline", lang, ctx, seg=seg_name(seg, lang, data), step=f"{base_step * 100:g}")
    return parameter


def quantile_label(code: str, lang: str) -> str:
    """``p10`` → 第10百分位数 / 10th percentile."""
    m = re.fullmatch(r"p(\d{1,2})", code)
    return tr("wb.quantile", lang, q=int(m[1])) if m else code


def _code_label(column: str, value, s, lang: str, ctx: dict):
    """A text cell of an export table as people read it in ``lang`` (a code as its label, an enumeration value
    as its name); other values unchanged."""
    if not isinstance(value, str):
        return value
    data = s.plan_data
    if column == "scenario":
        return preset_name(value, lang, data)
    if column == "segment":
        return seg_name(value, lang, data) if value in data.segments else value
    if column == "kind":
        return tr(KIND_LABELS[value], lang) if value in KIND_LABELS else value
    if column == "basis":
        return tr(f"wb.basis.{value}", lang) if value in BASIS_KINDS else value
    if column == "metric":
        return metric_label(value, s, lang, ctx)
    if column == "parameter":
        return tornado_label(value, lang, ctx)
    if column == "quantile":
        return quantile_label(value, lang)
    if column in ENUM_COLUMNS or _enumerated(data, column):
        return enum_label(column, value, lang, data)
    if column in ("owner", "builder") and value and value == data.flagged("funding_source", "undetermined"):
        return enum_label("funding_source", value, lang, data)  # the plan's "to be determined"
    return value


def _enumerated(data: PlanData, column: str) -> bool:
    """Whether the plan's enumerations.csv names the values of ``column``."""
    return any(r.get("column") == column for r in data.enumerations)


# -- tables ---------------------------------------------------------------------------------------------------

def tables(data: PlanData, r: Results, fan: Fan | None = None) -> dict[str, pd.DataFrame]:
    """The export tables (:func:`model.io.export.export_tables`), with a fan already simulated if given."""
    return export_tables(data, r, fan)


def _value_format(file: str, column: str, dtype, unit: str) -> str | None:
    if column == "year" or column.endswith("_year"):
        return F_YEAR
    if pd.api.types.is_float_dtype(dtype):
        if unit == YI:
            return F_YI2 if file in INVESTMENT_TABLES else F_YI
        return UNIT_FORMATS.get(unit, F_NUM)
    if pd.api.types.is_integer_dtype(dtype):
        return F_INT
    return None


def _summary_cell(metric: str, value, unit: str):
    v = number(value)
    f = UNIT_FORMATS.get(unit, F_NUM)
    if unit == YI and metric.startswith(INVESTMENT_METRICS):
        f = F_YI2
    if f in (F_YEAR, F_INT) and unit != "亩" and isinstance(v, float) and v.is_integer():
        v = int(v)  # a year or a count: a whole number, as the CSV writes it
    return (_rate(v) if unit == "%" else v), f


def _unit_cell(unit, lang: str, rates: bool):
    """The unit column: empty where the value shows as a percentage (``7.50%`` says it), else the unit."""
    if not isinstance(unit, str) or not unit or unit == "%" or rates:
        return None, None
    return unit_label(unit, lang), None


def table_columns(file: str, df: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """The export table's columns in the sheet's order (``name`` stands for the name in ``lang``), and its code
    columns (after them)."""
    cols = ["name" if c == f"name_{lang}" else c for c in df.columns if c not in NAME_COLUMNS or c == f"name_{lang}"]
    lead = [c for c in LEAD_COLUMNS.get(file, ()) if c in cols]
    rest = [c for c in cols if c not in lead and c != "scenario"]
    order = lead + rest + (["scenario"] if "scenario" in cols else [])
    return order, [c for c in CODE_COLUMNS.get(file, {}) if c in df.columns]


def table_rows(file: str, df: pd.DataFrame, s, lang: str, ctx: dict) -> tuple[list[str], list[list[tuple]]]:
    """Header and rows ((value, format) per cell) of one export table's sheet (its code columns last)."""
    units = df["unit"].dropna().unique() if "unit" in df.columns else []
    one_unit = str(units[0]) if len(units) == 1 else ""
    order, codes = table_columns(file, df, lang)
    header, makers = [], []
    for c in order:
        if c == "name":
            other = next(n for n in NAME_COLUMNS if n != f"name_{lang}")
            header.append(column_header(f"name_{lang}", lang, ctx))
            makers.append(lambda row, own=f"name_{lang}", other=other:  # a list without it: the other name
                          (number(row[own]) or number(row.get(other)), None))
            continue
        dtype = df[c].dtype
        numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        unit = one_unit if numeric and pd.api.types.is_float_dtype(dtype) and c != "year" else ""
        if file == "summary.csv" and c == "value":
            header.append(column_header(c, lang, ctx))
            makers.append(lambda row: _summary_cell(row["metric"], row["value"], row["unit"]))
        elif c == "unit":
            header.append(column_header(c, lang, ctx))
            makers.append(lambda row: _unit_cell(row["unit"], lang, one_unit == "%"))
        elif numeric:
            header.append(column_header(c, lang, ctx, unit if unit != "%" else ""))
            if one_unit == "%" and pd.api.types.is_float_dtype(dtype):
                makers.append(lambda row, c=c: (_rate(number(row[c])), F_RATE))
            else:
                f = _value_format(file, c, dtype, one_unit)
                makers.append(lambda row, c=c, f=f: (number(row[c]), f))
        else:
            header.append(column_header(c, lang, ctx))
            makers.append(lambda row, c=c: (_code_label(c, number(row[c]), s, lang, ctx), None))
    for c in codes:
        header.append(tr(CODE_COLUMNS[file][c], lang))
        makers.append(lambda row, c=c: (number(row[c]), None))
    rows = [[m(row) for m in makers] for row in df.to_dict(orient="records")]
    return header, rows


def _rate(v):
    """A CSV value in % as the decimal a spreadsheet formats with 0.00% (7.5 → 0.075)."""
    return round(v / 100, _DECIMALS + 2) if isinstance(v, float) else v


# -- assumptions ----------------------------------------------------------------------------------------------

def assumption_cells(s, lang: str, data: PlanData | None = None) -> list[tuple]:
    """(label, (value, format), unit, parameter) for every row of the assumptions CSV, in its order (a rate's label
    without its "（%）": its value shows 7.50%)."""
    data = data if data is not None else s.plan_data
    ctx = context(s, data)
    out = []
    for param, *_ in to_assumption_rows(s):
        f, key = csv_field(param, s.plan_data)
        v = getattr(s, f.name)
        kind = f.kind
        if isinstance(kind, MapKind):
            kind = kind.item
            v = v.get(key, f.item_default) if hasattr(v, "get") else v
            label = row_label(f, lang, ctx, key, data, s)
        elif f.name == "name":
            out.append((field_label(f, lang, ctx, s=s), (preset_name(v, lang, data), None), "", param))
            continue
        else:
            label = row_label(f, lang, ctx, data=data, s=s)
        unit = "" if f.unit in ("0/1", "ids", "", "%") else unit_label(f.unit, lang)
        if v is None:
            cell = (tr("none", lang), None)
        elif isinstance(kind, Rate):
            cell = (float(v), F_RATE)
        elif isinstance(kind, Bool):
            cell = (tr("yes" if v else "no", lang), None)
        elif isinstance(kind, (Number, OptionalNumber)) and isinstance(v, (int, float)) and math.isfinite(v):
            cell = (float(v), F_YI2 if f.unit in (YI, "亿元/年") else F_NUM)
        elif isinstance(kind, Int) and isinstance(v, int) and not isinstance(v, bool):
            cell = (v, F_YEAR if f.unit == "年" or f.name == "seed" else F_INT)
        else:
            cell = (value_text(f, v, lang, ctx), None)
        out.append((label, cell, unit, param))
    return out


# -- cover ----------------------------------------------------------------------------------------------------

def _public_roles(data: PlanData, s) -> list[str]:
    """Roles of the public (non-plan) figures this scenario's results use."""
    roles = ["earlier_target", "earlier_outcome"]  # the summary's earlier_plan_realisation
    if s.track_reading == "increase" and s.earlier_base_yi is None:
        roles.append("city_earlier_base")  # the earlier plan's base is estimated from the city's figure
    city = city_trend(data)
    city = sig15(city) if city is not None else None
    if city is not None and any(g == city for g in s.growth.values()):
        roles += ["city_earlier_base", "city_base"]  # the city-trend growth rate
    return list(dict.fromkeys(r for r in roles if data.has_role(r)
                              and data.role_row(r).get("file") == "public_figures.csv"))


def _public_source(role: str, row: dict, lang: str) -> str:
    """A public figure's source as the package writes it (``source_zh`` / ``source_en`` where it gives them)."""
    return str(row.get(f"source_{lang}") or row.get("source", "") or "")


def _public_note(row: dict, lang: str) -> str:
    note = row.get("note_zh") if lang == "zh" else None
    return str(note or row.get("note", "") or "")


def cover_rows(data: PlanData, r: Results, lang: str, fan: Fan, day: dt.date, sheets: list[tuple[str, str]]
               ) -> list[tuple[str, object]]:
    """(label, value) rows of the cover sheet; a label of "" continues the section above."""
    from ..report.brief import source_rows
    from ..report.story import order

    s = r.scenario
    ctx = context(s, data)
    rows: list[tuple[str, object]] = []
    rows.append((tr("wb.scenario", lang), preset_name(s.name, lang, data)))
    rows.append((tr("wb.id", lang), tr("wb.id_note", lang, id=scenario_id(s))))
    rows.append((tr("wb.date", lang), day))
    rows.append(("", ""))
    src = [tx("wb.source_plan", lang, ctx)]
    if len(data.projects) and data.source_projects == "plan":
        src.append(tx("wb.source_projects", lang, ctx))
    if len(data.roads) and data.source_roads == "plan":
        src.append(tx("wb.source_roads", lang, ctx))
    for row in source_rows(data, s):
        src.append(tr("wb.source_figure", lang, section=row["section_id"],
                      name=row.get(f"name_{lang}") or row["name_zh"],
                      value=stated_value(row["value"], row["unit"], lang)))
    for role in _public_roles(data, s):
        row = data.role_row(role)
        src.append(tr("wb.source_public", lang, name=row.get(f"name_{lang}") or row["name_zh"],
                      year=row["year"], value=stated_value(row["value"], row["unit"], lang),
                      source=_public_source(role, row, lang), note=_public_note(row, lang)).rstrip("；; "))
    rows += [(tr("wb.sources", lang) if i == 0 else "", t) for i, t in enumerate(src)]
    rows.append(("", ""))
    rows.append((tr("wb.units", lang), tr("wb.units_text", lang)))
    rows.append(("", ""))
    assumptions_sheet = tr("wb.sheet.assumptions", lang)
    nature = [tx("wb.nature_plan", lang, ctx)]
    if len(data.projects) or len(data.roads):
        nature.append(tx("wb.nature_lists", lang, ctx))
    for seg in order(r):
        kind = L.base_kind(s, seg)
        if kind == "derived" and seg in data.segments.stated:
            formula = L.derived_formula(data.segment_base_row(seg))
            nature.append(tx("wb.nature_derived" if formula else "wb.nature_derived_plain", lang, ctx,
                             output=seg_output(seg, lang, data), formula=formula))
        elif kind == "assumed":
            nature.append(tx("wb.nature_assumed_base", lang, ctx, output=seg_output(seg, lang, data)))
    nature.append(tx("wb.nature_model", lang, ctx))
    nature.append(tx("wb.nature_assumed", lang, ctx, sheet=assumptions_sheet))
    table = presets(data)
    if s.name in table and table[s.name] == s:
        nature.append(tx("wb.nature_preset", lang, ctx, name=preset_name(s.name, lang, data)))
    else:
        nature.append(tx("wb.nature_user", lang, ctx, sheet=assumptions_sheet))
    if r.projection.targets.any_user_set:
        nature.append(tx("wb.nature_user_targets", lang, ctx))
    if s.track_record:
        nature.append(tx("wb.nature_track", lang, ctx))
    nature.append(tx("wb.nature_mc", lang, ctx, n=f"{fan.n_paths:,}", seed=s.seed,
                     err=error_text(*fan.prob.values(), n=fan.n_paths)))
    rows += [(tr("wb.nature", lang) if i == 0 else "", t) for i, t in enumerate(nature)]
    rows.append(("", ""))
    rows += [(tr("wb.sheets", lang) if i == 0 else "", f"{name}{'：' if lang == 'zh' else ': '}{text}")
             for i, (name, text) in enumerate(sheets)]
    return rows


def _cover_sheet(ws, title: str, rows: list[tuple[str, object]], lang: str, footer: str) -> None:
    c = put(ws, 1, 1, title)
    c.font = TITLE_FONT
    c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A1:B1")  # the title wraps within the page, never spills past it
    label_width = min(max([text_width(label) for label, _ in rows] + [8]) + 2, 30)
    for i, (label, value) in enumerate(rows, start=3):
        if not label and value == "":
            continue  # a blank line between sections
        if label:
            put(ws, i, 1, label).font = BOLD
            ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        date_format = F_DATE_ZH if lang == "zh" else F_DATE
        cell = put(ws, i, 2, value, date_format if isinstance(value, dt.date) else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        lines = max(wrapped_lines(_shown(value, date_format), COVER_TEXT_WIDTH - 2, LATIN),
                    wrapped_lines(label, label_width - 1))
        if lines > 1:
            ws.row_dimensions[i].height = line_height([label, _shown(value, date_format)]) * lines + 2
    title_lines = wrapped_lines(title, (label_width + COVER_TEXT_WIDTH) * 11 / 14 - 2)  # 14 pt in 11 pt widths
    ws.row_dimensions[1].height = line_height([title]) * 14 / 11 * title_lines + 4
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions["B"].width = COVER_TEXT_WIDTH
    _print_setup(ws, "portrait", [label_width, COVER_TEXT_WIDTH], footer, lang)


# -- the workbook ----------------------------------------------------------------------------------------------

def build_workbook(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None,
                   day: dt.date | None = None) -> Workbook:
    """The workbook (openpyxl) of one scenario; see the module docstring."""
    lang = lang if lang in ("zh", "en") else "zh"
    day = day or dt.date.today()
    s = r.scenario
    fan = fan if fan is not None else simulate(s, r.projection.targets)
    from ..report.brief import title as doc_title

    ctx = {**context(s, data), "output": seg_output(r.projection.root, lang, data)}
    frames = tables(data, r, fan)
    title = doc_title(data, s, lang, "wb")
    footer = tr("wb.footer", lang, name=preset_name(s.name, lang, data), id=scenario_id(s))

    wb = Workbook()
    stamp = dt.datetime(day.year, day.month, day.day)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "Plan scenario model"
    wb.properties.title = title
    wb.properties.subject = preset_name(s.name, lang, data)[:255]
    wb.properties.identifier = scenario_id(s)
    wb.properties.language = "zh-CN" if lang == "zh" else "en"

    taken: list[str] = []

    def new_sheet(text: str, first: bool = False):
        name = sheet_title(text, taken)
        taken.append(name)
        if first:
            ws = wb.active
            ws.title = name
            return ws
        return wb.create_sheet(name)

    cover = new_sheet(tr("wb.sheet.cover", lang), first=True)
    ws = new_sheet(tr("wb.sheet.assumptions", lang))
    sheets = [(ws.title, tr("wb.help.assumptions", lang))]
    header = [tr("wb.col.label", lang), tr("wb.col.value", lang), tr("col_unit", lang), tr("wb.col.param", lang)]
    rows = [[(label, None), cell, (unit or None, None), (param, None)] for label, cell, unit, param
            in assumption_cells(s, lang, data)]
    _table_sheet(ws, header, rows, codes=1, footer=footer, lang=lang)

    for file, df in frames.items():
        if file in LIST_TABLES and not len(getattr(data, LIST_TABLES[file])):
            continue  # the plan (or the list in use) has no such list: no sheet of zeros
        name_key, help_key = TABLE_SHEETS.get(file, (None, None))
        ws = new_sheet(tr(name_key, lang) if name_key else file.removesuffix(".csv"))
        if help_key:
            sheets.append((ws.title, tx(help_key, lang, ctx)))
        header, rows = table_rows(file, df, s, lang, ctx)
        _table_sheet(ws, header, rows, codes=len(table_columns(file, df, lang)[1]), footer=footer, lang=lang)

    _cover_sheet(cover, title, cover_rows(data, r, lang, fan, day, sheets), lang, footer)
    wb.active = 0
    return wb


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry one timestamp (openpyxl stamps them with the time of writing)."""

    def __init__(self, file, stamp: tuple[int, ...]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._stamp = stamp

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as fh:  # openpyxl writes each worksheet to a temporary file first
            self.writestr(arcname or os.path.basename(filename), fh.read())


def save_bytes(wb: Workbook, day: dt.date) -> bytes:
    """The .xlsx bytes of ``wb`` with every timestamp set to ``day`` (the same workbook gives the same bytes)."""
    buf = io.BytesIO()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    ExcelWriter(wb, _FixedTimeZip(buf, stamp)).save()  # closes the archive
    return buf.getvalue()


def workbook_bytes(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None,
                   day: dt.date | None = None) -> bytes:
    """The scenario's workbook as .xlsx bytes (``day``: the date on the cover and in the file; default today)."""
    day = day or dt.date.today()
    return save_bytes(build_workbook(data, r, lang, fan, day), day)


__all__ = ["workbook_bytes", "workbook_name", "build_workbook", "save_bytes", "tables", "table_rows",
           "assumption_cells", "column_header", "metric_label", "sheet_title", "text_width", "XLSX_NAME", "MIME"]

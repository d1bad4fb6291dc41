"""Actuals as datasets of their own: what the district reports against the plan, year by year.

Three files, each read as strictly as the plan's own tables (one :class:`~model.plan.tables.DataError` listing every
problem as ``file:row:column: what``; a bad file changes nothing):

``actuals``   ``indicator_id,year,value,unit,measure,scope,vintage,source,note`` — one row per indicator (a target or
              a monitoring indicator) and year. ``value`` is the indicator's level in that year, in the indicator's own
              unit (a count of "new" things is the count since the base year). Three separate fields say what the
              figure is: ``measure`` the statistical measure (统计口径: 总产值, 营业收入, 规模以上 …), ``scope`` whose
              figure it is (园区 / 区 / 县 / 市 / 省 / 全国: park, district, county, city, province, national) and ``vintage``
              which release (预计 / 快报 / 年报 / 修订: preliminary, flash, annual, revised). ``scope`` and ``vintage``
              may be left out (files made before them keep loading: their scope is "not stated"); a measure written
              as a scope (市级, city-level …, the older files' way) is read as that scope. Several rows of one
              indicator and year may differ in scope, measure or vintage; the evaluation compares only figures on the
              target's scope and measure and takes the latest vintage. A qualitative target is assessed with
              ``value`` blank, ``measure`` 定性 and ``note`` one of :data:`QUALITATIVE_STATES`.
``projects``  ``project_id,year,invested_yi,status,note`` (+ ``new,name,area,category``) — money (亿元) invested in
              that year and the status at its end. A project not in the plan's list is allowed when it is marked new
              (``new`` = 1 / 是 / yes, or, as older files do, status 新增) and gives ``name``, ``area`` and
              ``category``; a new project carries any status (在建, 竣工 …).
``roads``     ``road_id,year,invested_wan,length_built_m,status,note`` — money (万元) invested and metres built in
              that year. Only the plan's roads.

Files are CSV (UTF-8, UTF-8 with BOM or GBK, as Excel saves them) or ``.xlsx`` (read-only, values only; the sheet
named like the file kind, else the first). Files over 1 MB or 5,000 rows are refused before parsing. A row whose
value cells are all blank (a template row not filled in) carries no data.

The templates (:func:`template_tables`) pre-fill one row per target (projects, roads) and plan year, with extra
columns for reading (``name``, ``target`` …) that are ignored on loading, so a filled template loads back as is.

Each dataset is a value object with a canonical CSV text (sorted rows, numbers written bit-exact, free text
neutralised against spreadsheet formulas on entry): ``short_id`` is the first 8 hex digits of its SHA-256, as for
scenarios, so the library can store actuals with versions.
"""
from __future__ import annotations

from collections import Counter
import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from .. import numbers, units
from ..cleaning import clean
from ..plan import enums
from ..plan.calendar import HORIZON_SPAN, Calendar
from ..plan.registry import plan_calendar
from . import sheets
from .sheets import MAX_PROBLEMS
from ..plan.tables import DataError, PlanData, load_plan_data, money_factor
from .export import comparator_text, neutralise

MAX_ACTUALS_BYTES = 1_000_000
MISTYPED_RATIO = 1_000  # a project's money invested this many times its plan is a figure in the wrong unit
MAX_ACTUALS_ROWS = 5_000
MAX_TEXT = 500  # characters of one free-text cell (source, note, name)
PRE_BASE_YEARS = 4  # actuals may reach back this many years before the base year (the previous plan's period)

STATUSES = ("未开工", "在建", "竣工", "调出", "新增")
NEW = "新增"  # older files' status of a project not in the plan's list (now the flag ``new``)
QUALITATIVE = "定性"  # the measure of a qualitative assessment
QUALITATIVE_STATES = ("已完成", "推进中", "未启动")
ESTIMATE = "estimate"
CITY_LEVEL = "city-level"
# Spellings of the measures that are never an actual figure, to one canonical form.
MEASURE_ALIASES = {
    "estimate": ESTIMATE, "估算": ESTIMATE, "推算": ESTIMATE, "估计": ESTIMATE,
    "city-level": CITY_LEVEL, "city": CITY_LEVEL, "city level": CITY_LEVEL, "市级": CITY_LEVEL, "全市": CITY_LEVEL,
    "定性": QUALITATIVE, "qualitative": QUALITATIVE, "qual": QUALITATIVE,
}
NOT_AN_ACTUAL = (ESTIMATE, CITY_LEVEL)  # measures that never count as an actual
VINTAGES = ("preliminary", "flash", "annual", "revised")  # releases of one figure, earliest first
VINTAGE_ALIASES = {"preliminary": "preliminary", "预计": "preliminary", "初步": "preliminary", "初步核算": "preliminary",
                   "flash": "flash", "快报": "flash", "annual": "annual", "年报": "annual", "统计年报": "annual",
                   "年鉴": "annual", "revised": "revised", "修订": "revised", "修正": "revised"}
NEW_WORDS = ("1", "是", "yes", "y", "true", "新增")
MONEY_UNITS = ("亿元", "万元")
XLSX_MAGIC = b"PK\x03\x04"


def year_bounds(cal: Calendar | None = None) -> tuple[int, int]:
    """First and last year an actual may refer to: base year − 4 … target year + 10 (2016–2035 for this plan).

    The lower bound reaches back over the previous plan's period (its outcome years are comparable), the upper one
    is the projection horizon (:data:`model.plan.calendar.HORIZON_SPAN`).
    """
    cal = cal or plan_calendar()
    return cal.base_year - PRE_BASE_YEARS, max(cal.target_year, cal.long_term_year or 0) + HORIZON_SPAN




def canonical_measure(text: str) -> str:
    """A measure as compared: NFKC, surrounding spaces dropped, known spellings of estimate / city-level / 定性
    mapped to one form (``'City level'`` → ``'city-level'``)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    return MEASURE_ALIASES.get(t.lower(), t)


def canonical_vintage(text: str) -> str | None:
    """A vintage as compared (preliminary / flash / annual / revised; "" when not stated), None when unknown."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    if not t:
        return ""
    return VINTAGE_ALIASES.get(t.lower())


def vintage_rank(v: str) -> int:
    """Later releases rank higher; a figure whose vintage is not stated ranks first."""
    return VINTAGES.index(v) + 1 if v in VINTAGES else 0


def _unit(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


# -- the three file kinds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileSpec:
    """A file kind: its canonical columns (in order), optional columns, template-only columns and its sheet."""

    kind: str
    columns: tuple[str, ...]  # required in the header, in canonical order
    optional: tuple[str, ...]  # may be in the header; kept
    info: tuple[str, ...]  # written by the template for reading; ignored on loading
    id_col: str
    numeric: tuple[str, ...]  # columns read with model.numbers.number
    key: tuple[str, ...] = ("year",)  # with id_col: what may appear once (rows differing elsewhere are one too many)
    # money in the other unit: (a column written instead of a required one, that column, the factor to it); converted
    # as read to 15 significant digits, as a package's money columns may be in either unit (tables.MONEY_ALIASES)
    alternates: tuple[tuple[str, str, float], ...] = ()

    @property
    def canonical(self) -> tuple[str, ...]:
        return self.columns + self.optional


# scope and vintage are optional and written last in the canonical text (only when a row gives one), so a set made
# before them keeps its text and short ID
ACTUALS = FileSpec("actuals", ("indicator_id", "year", "value", "unit", "measure", "source", "note"),
                   ("scope", "vintage"), ("name", "comparator", "target", "baseline", "target_year", "kind"),
                   "indicator_id", ("value",), ("year", "scope", "measure", "vintage"))
FILE_ORDER = ("indicator_id", "year", "value", "unit", "measure", "scope", "vintage", "source", "note")
PROJECTS = FileSpec("projects", ("project_id", "year", "invested_yi", "status", "note"),
                    ("name", "area", "category", "new"), ("planned_yi", "start_year", "end_year"), "project_id",
                    ("invested_yi",), alternates=(("invested_wan", "invested_yi", money_factor("万元", "亿元")),))
ROADS = FileSpec("roads", ("road_id", "year", "invested_wan", "length_built_m", "status", "note"), (),
                 ("name", "funding_source", "planned_wan", "length_m", "start_year", "end_year"), "road_id",
                 ("invested_wan", "length_built_m"), alternates=(("invested_yi", "invested_wan", money_factor("亿元", "万元")),))
SPECS = {s.kind: s for s in (ACTUALS, PROJECTS, ROADS)}


def _percent_in(text: str, cells: list[str], header: list[str]) -> str:
    """``86%`` as ``86`` in a row whose unit is % (a percentage as Excel shows and saves a cell formatted 0%); any
    other text as it is (a % sign in a row of another unit stays, and is refused as not a number)."""
    t = text.strip()
    if t.endswith(("%", "％")) and "unit" in header and cells[header.index("unit")].strip() in ("%", "％"):
        return t[:-1]
    return text


def _xlsx_rows(raw: bytes, label: str, sheet: str) -> list[tuple[int, list[str]]]:
    rows = sheets.xlsx_rows(raw, label, sheet, MAX_ACTUALS_ROWS, "an actuals file")
    out = []
    for n, cells in rows:
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append((n, [c.strip() for c in cells]))
    return out


def _csv_rows(raw: bytes, label: str) -> list[tuple[int, list[str]]]:
    # blank rows skipped; row numbers stay the spreadsheet's
    return [(n, [c.strip() for c in r]) for n, r in sheets.csv_rows(raw, label, MAX_ACTUALS_ROWS, "an actuals file")
            if any(c.strip() for c in r)]


def read_rows(raw: bytes, label: str, spec: FileSpec) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and numbered data rows of a CSV or .xlsx file, after the size caps."""
    if not isinstance(raw, (bytes, bytearray)):
        raise DataError([f"{label}:-:-: not a file's bytes"])
    if len(raw) > MAX_ACTUALS_BYTES:
        raise DataError([f"{label}:-:-: larger than {MAX_ACTUALS_BYTES // 1_000_000} MB: not an actuals file"])
    rows = _xlsx_rows(bytes(raw), label, spec.kind) if raw[:4] == XLSX_MAGIC else _csv_rows(bytes(raw), label)
    if not rows:
        raise DataError([f"{label}:1:-: the file is empty"])
    (_, header), data = rows[0], rows[1:]
    return [unicodedata.normalize("NFKC", h).strip().lower() for h in header], data


def _check_header(header: list[str], label: str, spec: FileSpec) -> list[str]:
    problems = []
    known = set(spec.canonical) | set(spec.info) | {alt for alt, _, _ in spec.alternates}
    for h in header:
        if h not in known:
            problems.append(f"{label}:1:{h or '(blank)'}: unknown column (expected: {','.join(spec.columns)})")
    instead = {to: alt for alt, to, _ in spec.alternates if alt in header}
    for c in spec.columns:
        if c not in header and c not in instead:
            problems.append(f"{label}:1:{c}: missing column")
        elif c in header and c in instead:
            problems.append(f"{label}:1:{instead[c]}: the money is given twice ({c} and {instead[c]}): keep one")
    for h in sorted(h for h, n in Counter(header).items() if h and n > 1):
        problems.append(f"{label}:1:{h}: duplicate column")
    return problems


def _key_part(col: str, v):
    """A cell as the duplicate check compares it (scope, measure and vintage in their canonical forms)."""
    if col == "scope":
        from ..calc.compare import canonical_scope

        return canonical_scope(v or "")
    if col == "vintage":
        return canonical_vintage(v or "") or (v or "")
    if col == "measure":
        return canonical_measure(v or "")
    return v


class _Row(dict):
    """One data row: cells by column name, plus ``n`` (the spreadsheet row)."""


def _parse(raw: bytes, label: str, spec: FileSpec, cal: Calendar) -> tuple[list[_Row], list[str]]:
    """Typed rows (numbers and years parsed, text neutralised) and the problems common to every kind."""
    header, data = read_rows(raw, label, spec)
    problems = _check_header(header, label, spec)
    if problems:
        raise DataError(problems)
    lo, hi = year_bounds(cal)
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    convert = {alt: (to, factor) for alt, to, factor in spec.alternates if alt in header}
    for n, cells in data:
        if len(problems) >= MAX_PROBLEMS:  # a file this wrong is read no further (a page lists 30, the CLI 200)
            problems.append(f"{label}:{n}:-: {MAX_PROBLEMS} problems before this row: the rest of the file was not "
                            f"read")
            break
        if len(cells) > len(header):
            problems.append(f"{label}:{n}:-: {len(cells)} cells but the header has {len(header)} columns "
                            f"(a decimal comma? write 7.5, not 7,5)")
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rec = _Row(n=n)
        for h, text in zip(header, cells):
            if h in spec.info:
                continue
            if h in spec.numeric or h in convert:
                to, factor = convert.get(h, (h, 1.0))
                if text == "":
                    rec[to] = None
                    continue
                try:
                    v = numbers.number(_percent_in(text, cells, header))
                    # to 15 significant digits, as the figure was written: 0.0029 亿元 is 29 万元, not 28.999999999999996
                    rec[to] = v if factor == 1.0 else numbers.sig15(v * factor)
                except numbers.NumberError as exc:
                    problems.append(f"{label}:{n}:{h}: {exc.reason}: {text[:40]!r}"
                                    + (" (a percentage in a row whose unit is not %: write the value in the row's unit)"
                                       if text.rstrip().endswith(("%", "％")) else ""))
                    rec[to] = None
            elif h == "year":
                try:
                    y = numbers.integer(text)
                except numbers.NumberError as exc:
                    problems.append(f"{label}:{n}:year: {'required value is empty' if not text else exc.reason}"
                                    + (f": {text[:40]!r}" if text else ""))
                    y = None
                if y is not None and not lo <= y <= hi:
                    problems.append(f"{label}:{n}:year: {y} outside {lo}–{hi} (base year − {PRE_BASE_YEARS} … "
                                    f"target year + {HORIZON_SPAN})")
                    y = None
                rec["year"] = y
            else:  # the one cleaner: what a document writer can take (a note keeps its line breaks)
                text = clean(text, multiline=h == "note")
                if len(text) > MAX_TEXT:
                    problems.append(f"{label}:{n}:{h}: longer than {MAX_TEXT} characters")
                rec[h] = neutralise(text[:MAX_TEXT])
        for c in spec.optional:
            rec.setdefault(c, "")
        if not rec.get(spec.id_col):
            problems.append(f"{label}:{n}:{spec.id_col}: required value is empty")
        key = (rec.get(spec.id_col),) + tuple(_key_part(c, rec.get(c)) for c in spec.key)
        if key[0] and key[1] is not None:
            if key in seen:
                # named as the file writes it (园区 年报, not the compared codes park annual)
                what = " ".join(str(k) for k in [rec.get(spec.id_col)] + [rec.get(c) for c in spec.key]
                                if k not in ("", None))
                problems.append(f"{label}:{n}:{spec.id_col}: {what} given twice (first at row {seen[key]})")
            else:
                seen[key] = n
        rows.append(rec)
    return rows, problems


EXECUTION_UNITS = {"invested_yi": "亿元", "invested_wan": "万元", "length_built_m": "m"}  # the columns' own units


def _bounded(rec: _Row, col: str, unit: str, label: str, problems: list[str]) -> None:
    """A number outside its unit's range (:mod:`model.units`) is refused and kept out of the row."""
    v = rec.get(col)
    why = units.problem(v, unit) if v is not None else None
    if why:
        problems.append(f"{label}:{rec['n']}:{col}: {why}")
        rec[col] = None


def _status(rec: _Row, label: str, problems: list[str]) -> None:
    s = rec.get("status", "")
    if s and s not in STATUSES:
        problems.append(f"{label}:{rec['n']}:status: unknown status {s!r} (allowed: {' / '.join(STATUSES)})")


# -- validation per kind -------------------------------------------------------------------------------

def _validate_actuals(rows: list[_Row], label: str, data: PlanData, problems: list[str]) -> list[tuple]:
    from ..calc.compare import SCOPES, canonical_scope

    ind = {r["indicator_id"]: r for r in data.indicators.to_dict(orient="records")}
    out = []
    for rec in rows:
        n, iid = rec["n"], rec.get("indicator_id", "")
        row = ind.get(iid)
        if iid and row is None:
            problems.append(f"{label}:{n}:indicator_id: unknown indicator {iid!r} (not in indicators.csv)")
        elif row is not None and row.get("kind") not in ("target", "monitoring"):
            problems.append(f"{label}:{n}:indicator_id: {iid!r} is a {row.get('kind')} row, neither a target nor a "
                            f"monitoring indicator: report actuals under a target's or a monitoring indicator's id")
            row = None
        value, unit, note = rec.get("value"), rec.get("unit", ""), rec.get("note", "")
        measure, scope = canonical_measure(rec.get("measure", "")), canonical_scope(rec.get("scope", ""))
        if measure == CITY_LEVEL:  # the older files' way of saying "a city figure": a scope, not a measure
            scope, measure = scope or "city", ""
        elif measure and canonical_scope(measure) in SCOPES and measure not in (QUALITATIVE, ESTIMATE):
            scope, measure = scope or canonical_scope(measure), ""
        if scope and scope not in SCOPES:
            problems.append(f"{label}:{n}:scope: unknown scope {rec.get('scope', '')[:40]!r} (园区 / 区 / 县 / 市 / "
                            f"省 / 全国, or park / district / county / city / province / national)")
        vintage = canonical_vintage(rec.get("vintage", ""))
        if vintage is None:
            problems.append(f"{label}:{n}:vintage: unknown vintage {rec.get('vintage', '')[:40]!r} (预计 / 快报 / 年报 / "
                            f"修订, or preliminary / flash / annual / revised)")
            vintage = ""
        if row is not None and unit and _unit(unit) != _unit(row.get("unit", "")):
            to = _unit(row.get("unit", ""))
            if _unit(unit) in MONEY_UNITS and to in MONEY_UNITS and value is not None:
                # money in the other unit (亿元 / 万元): converted, as the package and --target take either; the
                # note keeps the figure as reported
                factor = money_factor(_unit(unit), to)
                mark = f"原值{numbers.decimal_text(value)}{_unit(unit)}"
                room = MAX_TEXT - len(mark) - 2  # the note stays within what the reader takes back
                note = (note if len(note) <= room else note[:max(room - 1, 0)] + "…") + "；" + mark if note else mark
                rec["note"] = note
                value, unit = numbers.sig15(value * factor), to
            else:
                problems.append(f"{label}:{n}:unit: {unit!r} differs from the indicator's unit {row.get('unit')!r}")
        qual_target = row is not None and row.get("comparator") == "qual"
        if measure == QUALITATIVE:
            if value is not None:
                problems.append(f"{label}:{n}:value: a qualitative (定性) assessment has no value: leave it blank")
            if note and note not in QUALITATIVE_STATES:
                problems.append(f"{label}:{n}:note: a qualitative (定性) assessment is one of "
                                f"{' / '.join(QUALITATIVE_STATES)}, not {note[:40]!r}")
            if row is not None and not qual_target and note:
                problems.append(f"{label}:{n}:measure: {iid} has a numeric target: give a value and its measure")
        elif value is not None:
            if qual_target:
                problems.append(f"{label}:{n}:value: {iid} is a qualitative target: leave value blank, measure 定性, "
                                f"note {' / '.join(QUALITATIVE_STATES)}")
            if not unit:
                problems.append(f"{label}:{n}:unit: required with a value (the indicator's unit "
                                f"{row.get('unit') if row else ''!r})")
            if not measure and not scope:
                problems.append(f"{label}:{n}:measure: required with a value (统计口径: e.g. 总产值, 营业收入, 规模以上)")
            why = units.problem(value, row.get("unit", "") if row is not None else unit)  # the indicator's unit
            if why:
                problems.append(f"{label}:{n}:value: {why}")
        has_data = value is not None or (measure == QUALITATIVE and note) or bool(note)
        if has_data:
            out.append((iid, rec.get("year"), value, _unit(unit) if unit else "", measure, rec.get("source", ""), note,
                        scope if scope in SCOPES else "", vintage))
    return out


def _validate_projects(rows: list[_Row], label: str, data: PlanData, problems: list[str]) -> list[tuple]:
    annex = {r["project_id"]: r for r in data.projects.to_dict(orient="records")}
    areas, cats = data.values("area"), data.values("category")
    for rec in rows:  # a new project: the flag (or, in older files, status 新增), and any status beside it
        flag = unicodedata.normalize("NFKC", rec.get("new", "") or "").strip().lower()
        if flag and flag not in NEW_WORDS and flag not in ("0", "否", "no", "n", "false"):
            problems.append(f"{label}:{rec['n']}:new: {rec.get('new', '')[:20]!r}: 1 / 是 for a new project, else blank")
        rec["is_new"] = flag in NEW_WORDS or rec.get("status") == NEW
        if rec.get("status") == NEW:
            rec["status"] = ""
    new_ids = {rec.get("project_id") for rec in rows if rec["is_new"]}
    out = []
    for rec in rows:
        n, pid, status = rec["n"], rec.get("project_id", ""), rec.get("status", "")
        _bounded(rec, "invested_yi", EXECUTION_UNITS["invested_yi"], label, problems)
        _status(rec, label, problems)
        plan = annex.get(pid)
        if plan is not None:
            if rec["is_new"]:
                problems.append(f"{label}:{n}:new: {pid} is in the plan's project list: new marks a project not in it")
            for col in ("area", "category"):
                if rec.get(col) and rec[col] != plan[col]:
                    problems.append(f"{label}:{n}:{col}: {rec[col]!r} differs from the plan's list ({plan[col]!r}): "
                                    f"leave it blank or correct it")
            planned = max((float(plan[c]) for c in ("total_investment_yi", "fyp_investment_yi")
                           if plan.get(c) is not None and plan[c] == plan[c]), default=0.0)
            got = rec.get("invested_yi")
            if got is not None and planned > 0 and got >= MISTYPED_RATIO * planned:
                # a figure in 万元 typed into the 亿元 column reads ten thousand times the plan (completion 1,000,000 %)
                problems.append(f"{label}:{n}:invested_yi: {numbers.decimal_text(got)} 亿元 is "
                                f"{numbers.decimal_text(round(got / planned))} times the plan's "
                                f"{numbers.decimal_text(planned)} 亿元: a figure in 万元? The column is in 亿元 "
                                f"(1 亿元 = 10,000 万元)")
        elif pid:
            if pid not in new_ids:
                problems.append(f"{label}:{n}:project_id: unknown project {pid!r} (not in the plan's list; mark a new "
                                f"project new = 1 and give name, area and category)")
            elif rec["is_new"]:
                for col in ("name", "area", "category"):
                    if not rec.get(col):
                        problems.append(f"{label}:{n}:{col}: required for a new (新增) project")
                if rec.get("area") and rec["area"] not in areas:
                    problems.append(f"{label}:{n}:area: unknown value {rec['area']!r} (allowed: {', '.join(areas)})")
                if rec.get("category") and rec["category"] not in cats:
                    problems.append(f"{label}:{n}:category: unknown value {rec['category']!r} "
                                    f"(allowed: {', '.join(cats)})")
        if rec.get("invested_yi") is not None or status or rec.get("note") or rec["is_new"]:
            out.append((pid, rec.get("year"), rec.get("invested_yi"), status, rec.get("note", ""),
                        rec.get("name", ""), rec.get("area", ""), rec.get("category", ""),
                        "1" if rec["is_new"] else ""))
    # a new project's name, area and category: the same on every row that gives them
    for col in ("name", "area", "category"):
        first: dict[str, tuple[str, int]] = {}
        for rec in rows:
            pid, v = rec.get("project_id", ""), rec.get(col, "")
            if pid in annex or not v:
                continue
            if pid in first and first[pid][0] != v:
                problems.append(f"{label}:{rec['n']}:{col}: {v!r} differs from row {first[pid][1]} ({first[pid][0]!r})")
            first.setdefault(pid, (v, rec["n"]))
    return out


def _validate_roads(rows: list[_Row], label: str, data: PlanData, problems: list[str]) -> list[tuple]:
    annex = set(data.roads["road_id"])
    out = []
    for rec in rows:
        n, rid, status = rec["n"], rec.get("road_id", ""), rec.get("status", "")
        if rid and rid not in annex:
            problems.append(f"{label}:{n}:road_id: unknown road {rid!r} (not in the plan's road list)")
        _bounded(rec, "invested_wan", EXECUTION_UNITS["invested_wan"], label, problems)
        _bounded(rec, "length_built_m", EXECUTION_UNITS["length_built_m"], label, problems)
        _status(rec, label, problems)
        if status == NEW:
            problems.append(f"{label}:{n}:status: 新增 applies to projects not in the plan's list; roads are the "
                            f"plan's only")
        if (rec.get("invested_wan") is not None or rec.get("length_built_m") is not None or status
                or rec.get("note")):
            out.append((rid, rec.get("year"), rec.get("invested_wan"), rec.get("length_built_m"), status,
                        rec.get("note", "")))
    return out


_VALIDATE = {"actuals": _validate_actuals, "projects": _validate_projects, "roads": _validate_roads}


@lru_cache(maxsize=1)
def _default_data() -> PlanData:
    return load_plan_data()


def calendar_of(data: PlanData) -> Calendar:
    """The calendar of the plan ``data`` (plan.csv)."""
    return data.calendar


# -- the value objects ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    """A validated actuals dataset: ``rows`` in canonical column order, sorted by id and year."""

    rows: tuple[tuple, ...] = ()

    SPEC = ACTUALS  # overridden by each kind

    @classmethod
    def from_bytes(cls, raw: bytes, label: str | None = None, data: PlanData | None = None):
        """Read and validate a CSV or .xlsx file's bytes against the plan ``data`` (default: the repository's).

        Raises
        ------
        DataError
            listing every problem as ``label:row:column: what``.
        """
        spec = cls.SPEC
        label = label or f"{spec.kind}.csv"
        data = data if data is not None else _default_data()
        rows, problems = _parse(raw, label, spec, calendar_of(data))
        out = _VALIDATE[spec.kind](rows, label, data, problems)
        if problems:
            raise DataError(problems)
        return cls(tuple(sorted(out, key=lambda r: (r[0], r[1]) + tuple(str(x) for x in r[2:]))))

    @classmethod
    def from_path(cls, path: Path, data: PlanData | None = None):
        """Read a file (size checked before it is read)."""
        path = Path(path)
        if not path.is_file():
            raise DataError([f"{path}:-:-: no such file"])
        if path.stat().st_size > MAX_ACTUALS_BYTES:
            raise DataError([f"{path.name}:-:-: larger than {MAX_ACTUALS_BYTES // 1_000_000} MB: not an actuals file"])
        return cls.from_bytes(path.read_bytes(), path.name, data)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, data: PlanData | None = None, label: str | None = None):
        """Build from a DataFrame with the file's columns, through the same validation as a file."""
        out = df.copy()
        for c in out.columns:
            out[c] = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else
                      numbers.decimal_text(v) if isinstance(v, float) else str(v) for v in out[c]]
        return cls.from_bytes(out.to_csv(index=False).encode("utf-8"), label or f"{cls.SPEC.kind}.csv", data)

    def to_csv_text(self) -> str:
        """The canonical CSV text (no BOM, CRLF): reads back to an equal object; its hash is the short ID."""
        return self._canonical

    @cached_property
    def _canonical(self) -> str:
        # optional columns are written only when a row gives them: a set made before they existed keeps its text
        cols = list(self.SPEC.canonical)
        keep = [i for i, c in enumerate(cols) if c in self.SPEC.columns or any(len(r) > i and r[i] for r in self.rows)]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([cols[i] for i in keep])
        for r in self.rows:
            w.writerow(["" if r[i] is None else (numbers.decimal_text(r[i]) if isinstance(r[i], float) else r[i])
                        for i in keep])
        return buf.getvalue()

    def to_csv_bytes(self) -> bytes:
        """The canonical text as a file: UTF-8 with BOM (Excel on Chinese Windows)."""
        return self.to_csv_text().encode("utf-8-sig")

    @cached_property
    def short_id(self) -> str:
        """First 8 hex digits of the SHA-256 of the canonical CSV text."""
        return hashlib.sha256(self.to_csv_text().encode("utf-8")).hexdigest()[:8]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (columns: the canonical columns; blank numbers NaN, years int)."""
        df = pd.DataFrame(list(self.rows), columns=list(self.SPEC.canonical))
        for c in self.SPEC.numeric:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        df["year"] = df["year"].astype("int64")
        return df

    def __len__(self) -> int:
        return len(self.rows)


class ActualsSet(_Table):
    """Indicator actuals: rows ``(indicator_id, year, value, unit, measure, source, note, scope, vintage)``; value in
    the indicator's unit (None for a qualitative assessment or a note-only row), measure canonical
    (:func:`canonical_measure`), scope one of park/district/city/province/national or "" (not stated), vintage one
    of preliminary/flash/annual/revised or "" (not stated)."""

    SPEC = ACTUALS

    def merged(self, other: ActualsSet) -> ActualsSet:
        """This set with ``other``'s rows added where this one has no row for that indicator and year."""
        have = {(r[0], r[1]) for r in self.rows}
        extra = tuple(r for r in other.rows if (r[0], r[1]) not in have)
        return ActualsSet(tuple(sorted(self.rows + extra, key=lambda r: (r[0], r[1]) + tuple(str(x) for x in r[2:]))))

    def records(self) -> list[dict]:
        """The rows as dicts by column name (every column, optional ones "" where not given)."""
        cols = self.SPEC.canonical
        return [dict(zip(cols, tuple(r) + ("",) * (len(cols) - len(r)))) for r in self.rows]


class ProjectActuals(_Table):
    """Project execution: rows ``(project_id, year, invested_yi, status, note, name, area, category, new)``; money in
    亿元 invested in that year; ``new`` "1" for a project not in the plan's list."""

    SPEC = PROJECTS


class RoadActuals(_Table):
    """Road execution: rows ``(road_id, year, invested_wan, length_built_m, status, note)``; money in 万元 and metres
    built in that year."""

    SPEC = ROADS


# -- estimate of a segment's output from the city series -----------------------------------------------

def estimate_from_city(data: PlanData) -> ActualsSet:
    """The output of the segment the public city series is about, estimated as the city's figure × the plan's
    base-year share of the city (roles ``city_base`` / ``share_of_city``), for the plan years.

    Uses the city rows of ``public_figures.csv`` for that segment in its target's unit. Every row is labelled
    ``measure = estimate``: the evaluation never counts it as an actual (status 口径不一致). Merge it with
    :meth:`ActualsSet.merged` so reported actuals win. Empty when the package lacks the figures.
    """
    if not (data.has_role("city_base") and data.has_role("share_of_city")):
        return ActualsSet()
    seg = data.role_row("city_base").get("segment") or ""
    target = data.segment_target_row(seg) if seg in data.segments else None
    if target is None:
        return ActualsSet()
    cal = calendar_of(data)
    share = data.role("share_of_city") / 100.0
    pf = data.public_figures
    to = target["unit"]
    # a city figure in the target's unit, or money in the other money unit (converted: 亿元 / 万元)
    same = (pf["unit"] == to) | (pf["unit"].isin(MONEY_UNITS) & (to in MONEY_UNITS))
    pick = pf[(pf["scope"] == "city") & same & (pf["year"] >= cal.plan_first_year)
              & (pf["year"] <= cal.target_year) & ((pf["segment"] == seg) | (pf["segment"] == ""))]
    rows = []
    for rec in pick.sort_values("year").to_dict(orient="records"):
        factor = money_factor(rec["unit"], to) if rec["unit"] != to else 1.0
        rows.append({"indicator_id": target["indicator_id"], "year": int(rec["year"]),
                     "value": numbers.sig15(float(rec["value"]) * factor * share), "unit": to, "measure": ESTIMATE,
                     "source": f"{rec['figure_id']} × {numbers.decimal_text(share * 100)}%",
                     "note": f"city {rec['measure']}"})
    if not rows:
        return ActualsSet()
    return ActualsSet.from_frame(pd.DataFrame(rows), data, "estimate")


estimate_rail_from_city = estimate_from_city  # the older name


# -- templates -----------------------------------------------------------------------------------------

def template_tables(data: PlanData) -> dict[str, pd.DataFrame]:
    """Blank templates ``actuals``, ``projects``, ``roads``: one row per target / project / road and plan year.

    Value cells are blank; ``unit`` and ``measure`` (the target's, where data state one) are pre-filled; the
    reading columns (``name``, ``target``, ``baseline`` — 0 for a 新增 / 累计 target, whose figure is the amount since
    the base year / over the period — ``planned_yi`` …) are ignored on loading.
    """
    cal = calendar_of(data)
    years = list(range(cal.plan_first_year, cal.plan_last_year + 1))
    ind = data.indicators
    targets = ind[ind["kind"].isin(("target", "monitoring"))].to_dict(orient="records")
    scope_zh = {r["value"]: r.get("name_zh") or r["value"] for r in data.enumerations if r["column"] == "scope"}
    from ..plan.bases import baseline_row  # the evaluation's own base (a segment's base row where it has one)

    rows = []
    for t in targets:
        base = baseline_row(data, t)
        qual = t.get("comparator") == "qual"
        value = t["value"] if t["kind"] == "target" else None
        top = t.get("value_max")
        ranged = value is not None and isinstance(top, (int, float)) and top == top  # "3到5家": the range, no comparator
        if ranged:
            value = f"{numbers.decimal_text(float(value))}–{numbers.decimal_text(float(top))}"
        # a 新增 / 累计 target is reported as the amount since the base year / over the period: its base is 0
        counted = t.get("basis") in ("increment", "cumulative")
        baseline = 0.0 if counted else (base["value"] if base is not None else None)
        if baseline and base is not None and base.get("unit") != t["unit"] and base.get("unit") in MONEY_UNITS \
                and t["unit"] in MONEY_UNITS:  # a base in the other money unit, shown in the target's
            baseline = numbers.sig15(float(baseline) * money_factor(base["unit"], t["unit"]))
        for y in years:
            rows.append({"indicator_id": t["indicator_id"], "year": y, "value": None, "unit": t["unit"],
                         "measure": QUALITATIVE if qual else t.get("measure", "") or "",
                         "scope": "" if qual else scope_zh.get(t.get("scope") or data.scope, ""), "vintage": "",
                         "source": "", "note": "", "name": t["name_zh"], "kind": t["kind"],
                         "comparator": comparator_text(t["comparator"]) if t["kind"] == "target" and not ranged
                         else "",
                         "target": value, "baseline": baseline,
                         "target_year": t["year"] if t["kind"] == "target" else None})
    actuals = pd.DataFrame(rows, columns=list(FILE_ORDER + ACTUALS.info))
    rows = []
    for p in data.projects.to_dict(orient="records"):
        for y in years:
            rows.append({"project_id": p["project_id"], "year": y, "invested_yi": None, "status": "", "note": "",
                         "name": p["name_zh"], "area": p["area"], "category": p["category"], "new": "",
                         "planned_yi": p["fyp_investment_yi"], "start_year": p["start_year"],
                         "end_year": p["end_year"]})
    projects = pd.DataFrame(rows, columns=list(PROJECTS.canonical + PROJECTS.info))
    rows = []
    for r in data.roads.to_dict(orient="records"):
        for y in years:
            rows.append({"road_id": r["road_id"], "year": y, "invested_wan": None, "length_built_m": None,
                         "status": "", "note": "", "name": r["name_zh"], "funding_source": r["funding_source"],
                         "planned_wan": r["investment_wan"], "length_m": r["length_m"],
                         "start_year": r["start_year"], "end_year": r["end_year"]})
    roads = pd.DataFrame(rows, columns=list(ROADS.columns + ROADS.info))
    return {"actuals": actuals, "projects": projects, "roads": roads}


def template_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """The templates as one .xlsx with a sheet per kind (header row frozen and bold; text never a formula)."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for kind, df in tables.items():
        ws = wb.create_sheet(kind)
        ws.append(list(df.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        cells = df.astype(object).where(df.notna(), None)
        for rec in cells.itertuples(index=False):
            ws.append([neutralise(v) if isinstance(v, str) else v for v in rec])
        for i, c in enumerate(df.columns, start=1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 28 if c == "name" else 14
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- the library's kind "actuals": checked on save by the reader that opens it ------------------------------

_CHECKED: dict[str, str | None] = {}  # plan data and sha256 of a stored text -> its first problem (None: it reads)


def library_check(content: str) -> None:
    """The library's validator for kind ``actuals``: the very reader that opens a stored set
    (:meth:`ActualsSet.from_bytes` against the plan's data), so a text is either saved and opened, or refused on save
    with its first problem; never saved and then unopenable. Raises ``ValueError``."""
    from .library import current_plan

    data = current_plan()
    key = f'{id(data)}:{hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()}'
    if key not in _CHECKED:
        try:
            ActualsSet.from_bytes(content.encode("utf-8"), "actuals.csv", data)
            problem = None
        except DataError as exc:
            problem = exc.problems[0] if exc.problems else "not an actuals file"
        except UnicodeEncodeError:
            problem = "actuals.csv:-:-: not UTF-8 text"
        if len(_CHECKED) > 1024:
            _CHECKED.clear()
        _CHECKED[key] = problem
    if _CHECKED[key] is not None:
        raise ValueError(_CHECKED[key])


def _register() -> None:
    from .library import register_kind

    register_kind("actuals", library_check)


_register()

__all__ = ["ActualsSet", "ProjectActuals", "RoadActuals", "FileSpec", "ACTUALS", "PROJECTS", "ROADS", "STATUSES",
           "NEW", "QUALITATIVE", "QUALITATIVE_STATES", "ESTIMATE", "CITY_LEVEL", "NOT_AN_ACTUAL", "VINTAGES",
           "canonical_vintage", "vintage_rank", "estimate_from_city", "FILE_ORDER", "MAX_ACTUALS_BYTES", "MAX_ACTUALS_ROWS", "year_bounds", "canonical_measure",
           "estimate_rail_from_city", "calendar_of", "template_tables", "template_xlsx", "read_rows"]

"""Load and validate a plan package: one folder of CSV files (``data/plans/README.md`` documents every file and
column), checked against the engine's schema (``model/plan/schema.csv``).

Loading is strict: every problem in every file is collected and raised together as one :class:`DataError` whose
lines read ``file:row:column: what is wrong``. Row numbers are the spreadsheet's (the header is row 1). Files are
accepted as Excel saves them: UTF-8, UTF-8 with BOM, or GBK. A folder that loads runs every command and page.

The engine names no plan: the package gives the calendar (``plan.csv``), the output segments (``segments.csv``),
the areas (``areas.csv``), the indicators with their quotes, the annexes, the public figures beyond the plan, the
presets and the defaults of assumptions. Code reads rows by their ``role`` (a small engine vocabulary), never by
id or year.
"""
from __future__ import annotations

import csv
from collections import Counter
import hashlib
import io
import math
import os
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from .. import numbers, units
from ..cleaning import clean, folded, read_alike
from .areas import AreaTree
from .areas import build as build_areas
from .areas import check as check_areas
from .segments import SegmentTree
from .segments import build as build_segments
from .segments import check as check_segments
from .calendar import HORIZON_SPAN, Calendar, calendar_problems

ENGINE_DIR = Path(__file__).resolve().parent
REPO_DIR = ENGINE_DIR.parents[1]
PLANS_DIR = REPO_DIR / "data" / "plans"  # the packages that ship with the engine
PLAN_FILE = "plan.csv"
TABLE_FILES = ("plan.csv", "plan_sections.csv", "indicators.csv", "segments.csv", "areas.csv", "enumerations.csv",
               "presets.csv", "defaults.csv", "projects.csv", "roads.csv", "public_figures.csv")
REQUIRED_FILES = ("plan.csv", "indicators.csv", "segments.csv")
ID_COLUMN = {
    "plan.csv": "key", "plan_sections.csv": "section_id", "indicators.csv": "indicator_id",
    "segments.csv": "segment_id", "areas.csv": "area_id", "projects.csv": "project_id", "roads.csv": "road_id",
    "public_figures.csv": "figure_id", "defaults.csv": "parameter",
}
MAX_FILE_BYTES = 5_000_000
LINKED_IDS = ("projects.csv", "roads.csv")  # their ids travel in links and scenario files (x=P01,P02; dp=P01:2)
MAX_LINKED_ID = 40  # the link codec's longest id (model.scenario.kinds.IdSet)
# what one file of a package may hold (read_csv_rows): far above any plan (the largest annex has tens of rows)
MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARS = 10_000, 200, 20_000
FORMAT = 1  # the package format this engine reads (plan.csv ``format``)
MONEY_UNITS = {"亿元": 1.0, "万元": 1.0 / numbers.WAN_PER_YI}  # → 亿元, the engine's unit of output and investment


def money_factor(from_unit: str, to_unit: str) -> float:
    """What a figure in ``from_unit`` is multiplied by to read in ``to_unit`` (both money: 亿元 or 万元)."""
    return MONEY_UNITS[from_unit] / MONEY_UNITS[to_unit]
# money columns a package may give in either unit (converted to the engine's column here, in one place)
MONEY_ALIASES = {
    "projects.csv": {"total_investment_wan": ("total_investment_yi", 1.0 / numbers.WAN_PER_YI),
                     "fyp_investment_wan": ("fyp_investment_yi", 1.0 / numbers.WAN_PER_YI)},
    "roads.csv": {"investment_yi": ("investment_wan", numbers.WAN_PER_YI)},
}


class DataError(ValueError):
    """Raised when a plan folder is invalid; ``problems`` lists ``file:row:column: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Column:
    file: str
    name: str
    type: str  # id | text | int | year | number | money | enum | section | role | ref | area | segment
    required: bool  # the cell must hold a value
    unit: str
    allowed: tuple[str, ...]  # enum values; ("@column",) = the values the package's enumerations.csv lists
    description: str
    optional: bool = False  # the column may be left out of the file


# -- reading files ---------------------------------------------------------------------------------

def decode_text(raw: bytes, label: str) -> str:
    """Decode bytes as Excel saves CSV: UTF-8 (with or without BOM), else GBK.

    Raises ``DataError`` for an empty or binary (non-text) file.
    """
    if not raw.strip():
        raise DataError([f"{label}:1:-: the file is empty"])
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the compound-file format of .xls and encrypted workbooks
        raise DataError([f"{label}:1:-: an old .xls workbook (or one protected by a password): save it as .xlsx or "
                         f"CSV UTF-8"])
    if b"\x00" in raw[:4096]:
        raise DataError([f"{label}:1:-: not a text CSV file (binary content, or UTF-16: save as CSV UTF-8)"])
    for enc in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(enc).lstrip("\ufeff")  # a file saved twice with a BOM carries two
        except UnicodeDecodeError:
            continue
    raise DataError([f"{label}:1:-: not readable as UTF-8 or GBK text: save as CSV UTF-8"])


def read_csv_rows(raw: bytes, label: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a CSV held in ``raw`` (cells stripped of surrounding spaces).

    Bounded before anything is built on it (a package's file is read by every command and page): at most
    :data:`MAX_COLUMNS` columns, :data:`MAX_ROWS` data rows and :data:`MAX_CELL_CHARS` characters a cell, and no
    line break inside a cell (a plan's cells are one line: a break means a quote left open, which would swallow the
    rows after it into one cell)."""
    text = decode_text(raw, label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a quote left open at the end is an error
    rows = []
    end = 0  # the line the previous record ended on: a record is named by the line it starts on
    try:
        for r in reader:
            line, end = end + 1, reader.line_num
            if len(r) > MAX_COLUMNS:
                raise DataError([f"{label}:{line}:-: {len(r):,} cells, more than {MAX_COLUMNS} columns"])
            for j, c in enumerate(r):
                col = (clean(rows[0][j]) or j + 1) if rows and j < len(rows[0]) else j + 1  # the header's name
                if len(c) > MAX_CELL_CHARS:
                    raise DataError([f"{label}:{line}:{col}: a cell of {len(c):,} characters, more than "
                                     f"{MAX_CELL_CHARS:,}"])
                if "\n" in c or "\r" in c:
                    raise DataError([f"{label}:{line}:{col}: a line break inside a cell (a quote left open?)"])
            if any(c.strip() for c in r):
                rows.append(r)
                if len(rows) > MAX_ROWS + 1:
                    raise DataError([f"{label}:{line}:-: more than {MAX_ROWS:,} rows"])
    except csv.Error as exc:
        if "unexpected end of data" in str(exc) or "expected after" in str(exc):
            raise DataError([f"{label}:{end + 1}:-: a line break inside a cell or a quote left open (a quotation "
                             f"mark opened in this row is not closed where its cell ends)"]) from None
        raise DataError([f"{label}:{end + 1}:-: not a valid CSV file ({exc})"]) from None
    if not rows:
        raise DataError([f"{label}:1:-: the file is empty"])
    # every cell through the one cleaner (model.cleaning): no control, zero-width or bidi character from a package
    # reaches a page, a file or a document, and a name of invisible characters only is an empty cell
    header = [clean(c) for c in rows[0]]
    return header, [[clean(c) for c in r] for r in rows[1:]]


def load_schema(data_dir: Path | None = None) -> tuple[Column, ...]:
    """The engine's column schema (the same for every plan; ``data_dir`` is accepted for old callers)."""
    return _engine_schema()


@lru_cache(maxsize=1)
def _engine_schema() -> tuple[Column, ...]:
    """schema.csv, read once per process: it ships with the engine (pages asked for it on every slider move)."""
    header, rows = read_csv_rows((ENGINE_DIR / "schema.csv").read_bytes(), "schema.csv")
    idx = {h: i for i, h in enumerate(header)}
    cols = []
    for r in rows:
        get = lambda k: r[idx[k]] if idx[k] < len(r) else ""  # noqa: E731
        cols.append(Column(file=get("file"), name=get("column"), type=get("type"), required=get("required") == "yes",
                           unit=get("unit"), allowed=tuple(a for a in get("allowed").split("|") if a),
                           description=get("description"), optional=get("presence") == "optional"))
    return tuple(cols)


def engine_enumerations() -> list[dict]:
    header, rows = read_csv_rows((ENGINE_DIR / "enumerations.csv").read_bytes(), "enumerations.csv")
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in rows]


def _parse_number(text: str) -> float | None:
    try:
        return numbers.number(text)
    except numbers.NumberError:
        return None


def _check_cell(col: Column, text: str, allowed: tuple[str, ...] | None = None) -> tuple[object, str | None]:
    """Parse one cell; returns (value, problem)."""
    if text == "":
        if col.required:
            return None, "required value is empty"
        return None, None
    if col.type in ("number", "money", "int", "year"):
        value = _parse_number(text)
        if value is None:
            return None, f"not a number: {text[:40]!r}"
        if col.type in ("int", "year") and value != int(value):
            return None, f"not a whole number: {text[:40]!r}"
        if col.type == "year" and not 1900 <= value <= 2100:
            return None, f"year out of range 1900-2100: {text[:40]!r}"
        if col.type == "money" and value < 0:
            return None, f"negative money: {text[:40]!r}"
        if col.type in ("int", "year"):
            return int(value), None
        return value, None
    allowed = allowed if allowed is not None else col.allowed
    if col.type == "enum" and allowed and text not in allowed:
        return None, f"unknown value {text[:40]!r} (allowed: {', '.join(allowed)})"
    return text, None


def _validate_file(file: str, raw: bytes, schema: list[Column], problems: list[str],
                   allowed: dict[str, tuple[str, ...]] | None = None,
                   written: dict[tuple[str, str], str] | None = None) -> pd.DataFrame | None:
    """Records of one file checked cell by cell against its columns (``allowed``: enum values by column for
    ``@column`` enums). Columns the schema marks optional may be left out; every other must be present."""
    try:
        header, rows = read_csv_rows(raw, file)
    except DataError as exc:
        problems.extend(exc.problems)
        return None
    aliases = MONEY_ALIASES.get(file, {})
    by_name = {c.name: c for c in schema}
    bad_header = False
    for h in header:
        if h not in by_name and h not in aliases and not _language_column(file, h, by_name):
            problems.append(f"{file}:1:{h or '(blank)'}: unknown column")
            bad_header = True
    for c in schema:
        if c.name not in header and not c.optional and not any(a[0] == c.name and k in header
                                                                   for k, a in aliases.items()):
            problems.append(f"{file}:1:{c.name}: missing column")
            bad_header = True
    for alias, (target, _) in aliases.items():
        if alias in header and target in header:
            problems.append(f"{file}:1:{alias}: give {target} or {alias}, not both")
            bad_header = True
    dupes = {h for h, n in Counter(header).items() if n > 1}
    for h in sorted(dupes):
        problems.append(f"{file}:1:{h}: duplicate column")
        bad_header = True
    if bad_header:
        return None
    if written is not None:  # (file, the engine's column) -> the column as the file names it (a money alias)
        written.update({(file, aliases[h][0]): h for h in header if h in aliases})
    if not rows:
        problems.append(f"{file}:2:-: no data rows")
        return None
    records = []
    text_col = Column(file, "", "text", False, "", (), "", True)
    for i, r in enumerate(rows, start=2):
        if len(r) > len(header):
            problems.append(f"{file}:{i}:-: {len(r)} cells but {len(header)} columns")
            continue
        r = r + [""] * (len(header) - len(r))
        rec = {}
        for h, text in zip(header, r):
            if h in aliases:
                target, factor = aliases[h]
                value, problem = _check_cell(by_name[target], text)
                rec[target] = None if value is None else numbers.sig15(value * factor)
            else:
                col = by_name.get(h, text_col)
                enum_values = None
                if col.type == "enum" and col.allowed[:1] and col.allowed[0].startswith("@"):
                    # a column enumerations.csv does not list takes any value (named as written), as the format
                    # README says: not the placeholder "@category" as the one allowed value
                    enum_values = (allowed or {}).get(col.allowed[0][1:], ())
                value, problem = _check_cell(col, text, enum_values)
                rec[h] = value
            if problem:
                problems.append(f"{file}:{i}:{h}: {problem}")
        # every number within the range of its unit (model.units): the column's, or the row's own unit column
        for h, v in rec.items():
            col = by_name.get(h)
            if col is None or col.type not in ("number", "money") or not isinstance(v, (int, float)):
                continue
            unit = str(rec.get("unit") or "") if col.unit == "see unit" else col.unit
            why = units.problem(float(v), unit) if unit else None
            if why:
                problems.append(f"{file}:{i}:{h}: {why}")
        rec["src_row"] = i
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for c in schema:
        if c.name not in df.columns:
            df[c.name] = None
    id_col = ID_COLUMN.get(file)
    seen: dict[str, int] = {}
    alike: dict[str, tuple[str, int]] = {}  # ids as a person reads them -> (the first such id, its row)
    for rec in records:
        key = rec.get(id_col) if id_col else None
        if key is None:
            continue
        if key in seen:
            problems.append(f"{file}:{rec['src_row']}:{id_col}: duplicate id {key!r} (first at row {seen[key]})")
            continue
        seen[key] = rec["src_row"]
        if file in LINKED_IDS:  # ids a link and a scenario file carry (x=, dp=, excluded, delay.project.ID)
            if len(key) > MAX_LINKED_ID or any(ch in key for ch in ",;:") or any(ch.isspace() for ch in key):
                problems.append(f"{file}:{rec['src_row']}:{id_col}: {key[:60]!r}: an id is at most {MAX_LINKED_ID} "
                                f"characters, without , ; : or spaces (links and scenario files list ids with them)")
        why = read_alike(alike, key, rec["src_row"], "item")  # every id people type (actuals name indicators …)
        if why:
            problems.append(f"{file}:{rec['src_row']}:{id_col}: {why}")
    if "start_year" in df.columns and "end_year" in df.columns:
        for rec in records:
            s, e = rec.get("start_year"), rec.get("end_year")
            if isinstance(s, int) and isinstance(e, int) and e < s:
                problems.append(f"{file}:{rec['src_row']}:end_year: end year {e} before start year {s}")
            elif (s is None) != (e is None):
                problems.append(f"{file}:{rec['src_row']}:{'end_year' if e is None else 'start_year'}: give both "
                                f"build years or neither")
    if "width_min_m" in df.columns and "width_max_m" in df.columns:  # a printed range: lower end, then upper
        for rec in records:
            lo, hi, w = (rec.get(c) for c in ("width_min_m", "width_max_m", "width_m"))
            num = [isinstance(x, (int, float)) and not isinstance(x, bool) for x in (lo, hi, w)]
            if num[0] and num[1] and lo > hi:
                problems.append(f"{file}:{rec['src_row']}:width_min_m: {lo:g} m is above the range's upper end "
                                f"{hi:g} m")
            elif num[2] and ((num[0] and w < lo) or (num[1] and w > hi)):
                problems.append(f"{file}:{rec['src_row']}:width_m: {w:g} m lies outside its printed range "
                                f"{lo if num[0] else '…'}–{hi if num[1] else '…'} m")
    return df


def _language_column(file: str, h: str, by_name: dict) -> bool:
    """A column of another language: ``name_xx`` beside ``name_zh``, or (plan.csv) ``xx`` beside ``zh``."""
    lang = ""
    for prefix in ("name_", "output_name_", "note_", "title_"):
        if h.startswith(prefix) and f"{prefix}zh" in by_name:
            lang = h[len(prefix):]
    if file == PLAN_FILE and not lang:
        lang = h
    return 2 <= len(lang) <= 3 and lang.isascii() and lang.isalpha() and lang.islower()


def _text(s: pd.Series) -> pd.Series:
    """A text column as Python strings, a missing cell as ``""`` (object dtype: the cells are read as they are)."""
    values = s.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = ""
    return pd.Series(values, index=s.index, dtype=object)


def _typed(df: pd.DataFrame, schema: list[Column]) -> pd.DataFrame:
    # the columns built apart and the frame once (inserting them one by one cost a plan's load, and so every
    # cold start, a tenth of a second)
    cols: dict[str, pd.Series] = {}
    for c in schema:
        s = df[c.name]
        if c.type in ("number", "money"):
            cols[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.type in ("int", "year"):
            cols[c.name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        else:
            cols[c.name] = _text(s)
    for extra in df.columns:  # further languages' names (name_xx; plan.csv: xx)
        if extra not in cols and extra != "src_row":
            cols[extra] = _text(df[extra])
    cols["src_row"] = pd.Series(df["src_row"].astype(int).to_numpy(), index=df.index)
    return pd.DataFrame(cols, index=range(len(df)))


# -- the plan's metadata and calendar ------------------------------------------------------------------

@dataclass(frozen=True)
class PlanMeta:
    """``plan.csv``: key -> (value, texts by language)."""

    rows: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]

    @cached_property
    def _by_key(self) -> dict:
        return {k: (v, dict(t)) for k, v, t in self.rows}

    def has(self, key: str) -> bool:
        return key in self._by_key

    def value(self, key: str, default: str = "") -> str:
        hit = self._by_key.get(key)
        return hit[0] if hit and hit[0] else default

    def text(self, key: str, lang: str, default: str = "") -> str:
        """A text setting in ``lang`` (else its Chinese, else its value)."""
        hit = self._by_key.get(key)
        v, texts = hit if hit else ("", {})
        got = texts.get(lang) or texts.get("zh") or v
        if not got and key in META_FALLBACK:  # the format README: a shorter name defaults to the name
            return self.text(META_FALLBACK[key], lang, default)
        return got or default

    def year(self, key: str) -> int | None:
        v = self.value(key)
        return int(v) if v else None


META_FALLBACK = {"short_name": "name"}  # a name left out -> this (the app builds its own titles from the short name)
META_YEARS = ("base_year", "target_year", "plan_first_year", "plan_last_year", "horizon", "long_term_year")
META_REQUIRED = ("id", "name", "base_year", "target_year")
SCOPES = ("park", "district", "county", "city", "province", "national")  # a district and a county: one level


def _meta(df: pd.DataFrame, problems: list[str]) -> PlanMeta:
    rows = []
    langs = [c for c in df.columns if c not in ("key", "value", "src_row")]
    for rec in df.to_dict(orient="records"):
        key, value = rec["key"], rec.get("value") or ""
        at = f"plan.csv:{rec['src_row']}"
        if key in META_YEARS and value:
            try:
                y = numbers.integer(value)
                if not 1900 <= y <= 2100:
                    raise numbers.NumberError("year out of range")
                value = str(y)
            except numbers.NumberError:
                problems.append(f"{at}:value: {key} must be a year, got {value[:20]!r}")
        rows.append((key, value, tuple((lg, rec.get(lg) or "") for lg in langs if rec.get(lg))))
    meta = PlanMeta(tuple(rows))
    for key in META_REQUIRED:
        if not meta.has(key) or not (meta.value(key) or meta.text(key, "zh")):
            problems.append(f"plan.csv:-:{key}: required setting missing (a row key={key})")
    fmt = meta.value("format", str(FORMAT))
    if fmt != str(FORMAT):
        problems.append(f"plan.csv:-:format: format {fmt[:10]!r}: this engine reads format {FORMAT}")
    if meta.value("scope") and meta.value("scope") not in SCOPES:
        problems.append(f"plan.csv:-:scope: unknown scope {meta.value('scope')!r} (allowed: {', '.join(SCOPES)})")
    pid = meta.value("id")
    if pid and (len(pid) > 64 or not all(c.isalnum() or c in "-_." for c in pid) or not pid.isascii()):
        problems.append(f"plan.csv:-:id: {pid[:40]!r}: letters, digits, '-', '_' and '.' only (at most 64)")
    return meta


# -- the plan ------------------------------------------------------------------------------------------

# Roles the engine reads (indicators.csv and public_figures.csv): what their values must satisfy, and whether a
# role may be played by several rows.
ROLES = {
    "indicators.csv": {"per_mu_base": "positive", "tax_per_mu_base": "positive", "trend_growth": "number",
                       "share_of_city": "share", "land_available": "non_negative",
                       "roads_length_total": "non_negative", "roads_investment_total": "non_negative"},
    "public_figures.csv": {"earlier_target": "positive", "earlier_outcome": "positive",
                           "city_earlier_base": "positive", "city_base": "positive"},
}
MULTI_ROLES = ("land_available",)


@dataclass(frozen=True, eq=False)  # a plan is itself: hashed and compared by identity
class PlanData:
    """A validated plan package. Money columns keep their unit in their name (亿元 ``_yi``, 万元 ``_wan``)."""

    meta: PlanMeta
    sections: pd.DataFrame
    indicators: pd.DataFrame
    projects: pd.DataFrame
    roads: pd.DataFrame
    public_figures: pd.DataFrame
    segments: SegmentTree
    areas: AreaTree
    enumerations: tuple[dict, ...]  # the package's own values, then the engine's
    preset_rules: pd.DataFrame
    defaults: pd.DataFrame
    schema: tuple[Column, ...]
    source: str
    fingerprint: str = ""
    source_projects: str = "plan"  # "plan": the package's annex; else the label of another project list
    source_roads: str = "plan"
    # (file, the engine's column, the column as the file names it) where a file gives money in the other unit
    written: tuple[tuple[str, str, str], ...] = ()

    def column_as_written(self, file: str, column: str) -> str:
        """``column`` as ``file`` names it (``fyp_investment_wan`` where the file gives 万元): what a message about
        a cell names, so a planner finds the column in their file."""
        return next((w for f, c, w in self.written if f == file and c == column), column)

    # -- identity and calendar -----------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.meta.value("id")

    @property
    def is_default(self) -> bool:
        """The plan of scenario files and links that name none (plan.csv ``default``)."""
        return self.meta.value("default").lower() in ("yes", "1", "true")

    def name(self, lang: str, key: str = "name") -> str:
        return self.meta.text(key, lang)

    @cached_property
    def calendar(self) -> Calendar:
        m = self.meta
        by, ty = m.year("base_year"), m.year("target_year")
        return Calendar(by, ty, m.year("plan_first_year") or by + 1, m.year("plan_last_year") or ty,
                        m.year("horizon"), m.year("long_term_year"))

    @property
    def scope(self) -> str:
        return self.meta.value("scope") or "park"

    def with_lists(self, projects: pd.DataFrame | None = None, roads: pd.DataFrame | None = None,
                   label: str = "upload") -> PlanData:
        """The same plan with another project and/or road list (a next plan's, validated like the plan's)."""
        changes = {}
        if projects is not None:
            changes.update(projects=projects, source_projects=label)
        if roads is not None:
            changes.update(roads=roads, source_roads=label)
        return replace(self, **changes)

    # -- rows ----------------------------------------------------------------------------------------
    @cached_property
    def _indicator_rows(self) -> dict[str, dict]:
        return {r["indicator_id"]: r for r in self.indicators.to_dict(orient="records")}

    def indicator(self, indicator_id: str) -> float:
        """Value of one indicator row (in the row's own unit)."""
        return float(self._indicator_rows[indicator_id]["value"])

    def indicator_row(self, indicator_id: str) -> dict:
        return dict(self._indicator_rows[indicator_id])

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._indicator_rows

    @cached_property
    def _roles(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for file, df in (("indicators.csv", self.indicators), ("public_figures.csv", self.public_figures)):
            if "role" in df.columns:
                for rec in df.loc[df["role"] != ""].to_dict(orient="records"):
                    out.setdefault(rec["role"], []).append({**rec, "file": file})
        return out

    def has_role(self, role: str) -> bool:
        return role in self._roles

    def role_row(self, role: str) -> dict:
        """The row that plays ``role`` (see the ``role`` column of indicators.csv and public_figures.csv).

        Code names roles, never ids or years, so a plan figure or year lives in the package only.
        """
        try:
            return dict(self._roles[role][0])
        except KeyError:
            raise DataError([f"indicators.csv:-:role: no row has the role {role!r} that the model reads"]) from None

    def role_rows(self, role: str) -> list[dict]:
        return [dict(r) for r in self._roles.get(role, [])]

    def role(self, role: str) -> float:
        """Value of the row that plays ``role`` (in the row's own unit)."""
        return float(self.role_row(role)["value"])

    def role_amount(self, role: str) -> float:
        """Value of the row that plays ``role``, money in 亿元 (a row in 万元 converted here), anything else in its
        own unit: what the engine computes with when it sets two roles' figures against each other."""
        row = self.role_row(role)
        return float(row["value"]) * MONEY_UNITS.get(str(row.get("unit") or ""), 1.0)

    def role_year(self, role: str) -> int:
        return int(self.role_row(role)["year"])

    def table(self, file: str) -> pd.DataFrame:
        return {
            "plan_sections.csv": self.sections, "indicators.csv": self.indicators, "projects.csv": self.projects,
            "roads.csv": self.roads, "public_figures.csv": self.public_figures,
        }[file]

    # -- segments ------------------------------------------------------------------------------------
    def money_yi(self, row: dict) -> float:
        """An indicator row's value in 亿元 (its unit 亿元 or 万元: converted here, in one place)."""
        return float(row["value"]) * MONEY_UNITS[row["unit"]]

    def segment_base(self, seg_id: str) -> float | None:
        """The base-year value (亿元) the package gives a segment, or None (derived or user-set)."""
        s = self.segments[seg_id]
        if s.base_id:
            return self.money_yi(self.indicator_row(s.base_id))
        return None

    def segment_target(self, seg_id: str) -> float | None:
        s = self.segments[seg_id]
        return self.money_yi(self.indicator_row(s.target_id)) if s.target_id else None

    def segment_target_row(self, seg_id: str) -> dict | None:
        s = self.segments[seg_id]
        return self.indicator_row(s.target_id) if s.target_id else None

    def segment_base_row(self, seg_id: str) -> dict | None:
        s = self.segments[seg_id]
        return self.indicator_row(s.base_id) if s.base_id else None

    def seg_name(self, seg_id: str, lang: str) -> str:
        return self.segments.name(seg_id, lang)

    # -- enumerations --------------------------------------------------------------------------------
    @cached_property
    def _enum(self) -> dict[tuple[str, str], dict]:
        out: dict[tuple[str, str], dict] = {}
        for rec in self.enumerations:
            out.setdefault((rec["column"], rec["value"]), rec)
        for a in self.areas:
            out.setdefault(("area", a.id), {"column": "area", "value": a.id, "code": a.code,
                                            **{f"name_{lg}": n for lg, n in a.names}})
        return out

    def values(self, column: str) -> tuple[str, ...]:
        """Allowed values of an enum column (``area``, ``category``, ``funding_source`` …), in file order; for a
        column the package lists none of, the values its files use."""
        if column == "area":
            return self.areas.ids
        listed = tuple(dict.fromkeys(r["value"] for r in self.enumerations if r["column"] == column))
        if listed:
            return listed
        used = []
        for df in (self.projects, self.roads):
            if column in df.columns:
                used += [v for v in df[column] if v]
        return tuple(dict.fromkeys(used))

    def label(self, column: str, value: str, lang: str = "zh") -> str:
        """The name of an enum value in ``lang`` (the value itself when the package gives none)."""
        rec = self._enum.get((column, value))
        if rec is None:
            return value
        return rec.get(f"name_{lang}") or rec.get("name_zh") or value

    def codes(self, column: str) -> dict[str, str]:
        """Short link code -> value for an enum column (a public interface, never renamed)."""
        if column == "area":
            return dict(self.areas.codes)
        return {rec["code"]: v for (c, v), rec in self._enum.items() if c == column and rec.get("code")}

    def flagged(self, column: str, flag: str) -> str | None:
        """The value of ``column`` the package flags ``flag`` (``own_budget``, ``undetermined``), if any."""
        return next((r["value"] for r in self.enumerations if r["column"] == column and r.get("flag") == flag), None)

    # -- defaults of assumptions ---------------------------------------------------------------------
    def default(self, parameter: str) -> dict | None:
        hit = self.defaults.loc[self.defaults["parameter"] == parameter] if len(self.defaults) else self.defaults
        return hit.iloc[0].to_dict() if len(hit) else None


Plan = PlanData


def package_file(folder: Path, file: str, problems: list[str], required: bool = False,
                 home: Path | None = None) -> bytes | None:
    """The bytes of a package's ``file``, or None (absent, or refused with its problem added to ``problems``).

    Every file a package holds is read here, under the same rules: a link to a file outside the package, anything
    but a regular file (a folder, a device, a pipe that would block the reader), or more than
    :data:`MAX_FILE_BYTES` is refused; a missing file is a problem only when ``required``."""
    folder = Path(folder)
    home = home or folder.resolve()
    path = folder / file
    if path.is_symlink() and home not in path.resolve().parents:  # a package reads only its own files
        problems.append(f"{file}:-:-: a link to a file outside the package ({folder}): copy the file in")
        return None
    if (path.exists() or path.is_symlink()) and not path.is_file():
        problems.append(f"{file}:-:-: not a regular file (a folder, a device, a pipe or a broken link)")
        return None
    if not path.is_file():
        if required:
            problems.append(f"{file}:-:-: file missing in {folder}")
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.append(f"{file}:-:-: file larger than {MAX_FILE_BYTES // 1_000_000} MB")
        return None
    return path.read_bytes()


def _load_files(folder: Path, schema: tuple[Column, ...], problems: list[str],
                written: dict[tuple[str, str], str] | None = None) -> tuple[dict, hashlib._Hash]:
    digest = hashlib.sha256()
    frames: dict[str, pd.DataFrame] = {}
    raws: dict[str, bytes] = {}
    home = folder.resolve()
    for file in TABLE_FILES:
        raw = package_file(folder, file, problems, required=file in REQUIRED_FILES, home=home)
        if raw is None:
            continue
        raws[file] = raw
        digest.update(file.encode() + b"\0" + raws[file] + b"\0")
    # the package's own enumerations first: other files' @column enums are checked against them
    allowed: dict[str, tuple[str, ...]] = {}
    for file in ("enumerations.csv",) + tuple(f for f in TABLE_FILES if f != "enumerations.csv"):
        if file not in raws:
            continue
        cols = [c for c in schema if c.file == file]
        df = _validate_file(file, raws[file], cols, problems, allowed, written)
        if df is not None:
            frames[file] = _typed(df, cols)
            if file == "enumerations.csv":
                for rec in frames[file].to_dict(orient="records"):
                    allowed.setdefault(rec["column"], ())
                    allowed[rec["column"]] += (rec["value"],)
    return frames, digest


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing numbers as None (not NaN)."""
    out = []
    for rec in df.to_dict(orient="records"):
        out.append({k: (None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v) for k, v in rec.items()})
    return out


def _empty(file: str, schema) -> pd.DataFrame:
    cols = [c for c in schema if c.file == file]
    return _typed(pd.DataFrame({**{c.name: pd.Series([], dtype=object) for c in cols},
                                "src_row": pd.Series([], dtype=int)}), cols)


def _check_indicators(df: pd.DataFrame, problems: list[str], areas: AreaTree) -> None:
    """Rules across the cells of an indicator row: a number unless qualitative (``qual``) or a monitoring row, a
    quote kind where the plan is quoted, ``baseline_id`` naming a baseline or derived row (in target and monitoring
    rows only), a range's upper end above its lower end, a direction that agrees with the comparator."""
    f = "indicators.csv"
    kinds = dict(zip(df["indicator_id"], df["kind"]))
    for r in df.to_dict(orient="records"):
        at, qual = f"{f}:{r['src_row']}", r["comparator"] == "qual"
        monitoring = r["kind"] == "monitoring"
        value_missing = r["value"] is None or (isinstance(r["value"], float) and math.isnan(r["value"]))
        if any(p.startswith(f"{at}:value:") for p in problems):
            pass
        elif qual and not value_missing:
            problems.append(f"{at}:value: a qualitative row (comparator qual) takes no value, got {r['value']:g}")
        elif not qual and not monitoring and r["comparator"] and value_missing:
            problems.append(f"{at}:value: required value is empty")
        if not qual and r["comparator"] and not r["unit"]:
            problems.append(f"{at}:unit: required value is empty")
        vmax = r.get("value_max")
        if vmax is not None and not (isinstance(vmax, float) and math.isnan(vmax)):
            if value_missing or vmax < r["value"]:
                problems.append(f"{at}:value_max: the upper end of a range must not be below its lower end (value)")
        if r.get("direction") == "higher" and r["comparator"] == "<=":
            problems.append(f"{at}:direction: an upper bound (<=) means lower is better, not higher")
        if r["area"] and r["area"] not in areas:
            problems.append(f"{at}:area: unknown area {r['area']!r} (not in areas.csv)")
        base = r["baseline_id"]
        if not base:
            continue
        if r["kind"] not in ("target", "monitoring"):
            problems.append(f"{at}:baseline_id: only a target or monitoring row names a baseline (this row is "
                            f"{r['kind'] or 'blank'})")
        elif base not in kinds:
            problems.append(f"{at}:baseline_id: unknown indicator {base!r}")
        elif kinds[base] not in ("baseline", "derived"):
            problems.append(f"{at}:baseline_id: {base!r} is a {kinds[base]} row, not a baseline or derived one")


def _check_roles(frames: dict, problems: list[str]) -> None:
    """Every role the engine reads has a usable value; a role is played once (but ``land_available``)."""
    seen: dict[str, tuple[str, int]] = {}
    for file, rules in ROLES.items():
        df = frames.get(file)
        if df is None or "role" not in df.columns:
            continue
        for rec in df.loc[df["role"] != ""].to_dict(orient="records"):
            role, where = rec["role"], f"{file}:{rec['src_row']}"
            if role not in rules:
                problems.append(f"{where}:role: unknown role {role!r} (allowed: {', '.join(rules)})")
                continue
            if role in seen and role not in MULTI_ROLES:
                problems.append(f"{where}:role: role {role!r} given twice (first at row {seen[role][1]})")
            seen[role] = (file, rec["src_row"])
            v, rule = rec.get("value"), rules[role]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                problems.append(f"{where}:value: the {role} row needs a value")
            elif rule == "positive" and not v > 0:
                problems.append(f"{where}:value: the {role} value must be above 0 (the model divides by it), got {v:g}")
            elif rule == "non_negative" and v < 0:
                problems.append(f"{where}:value: the {role} value must not be negative, got {v:g}")
            elif rule == "share" and not 0 < v <= 100:
                problems.append(f"{where}:value: the {role} value must be a share in % above 0 and at most 100, "
                                f"got {v:g}")
    pf = frames.get("public_figures.csv")
    if pf is not None:
        roles = set(pf["role"])
        if "earlier_target" in roles and "earlier_outcome" not in roles:
            problems.append("public_figures.csv:-:role: earlier_target needs earlier_outcome (the track record)")
        if ("city_earlier_base" in roles) != ("city_base" in roles):
            problems.append("public_figures.csv:-:role: city_earlier_base and city_base go together (the city trend)")
        # figures the engine sets against each other: in one unit, or both money (亿元 / 万元, converted)
        by_role = {r["role"]: r for r in pf.to_dict(orient="records") if r["role"]}
        early, late = by_role.get("city_earlier_base"), by_role.get("city_base")
        if early is not None and late is not None:  # the city trend is the growth from the one to the other
            try:
                ya, yb = int(early["year"]), int(late["year"])
            except (TypeError, ValueError):  # a year the format check above has named already
                ya = yb = None
            if ya is not None and not ya < yb:
                problems.append(f"public_figures.csv:{early['src_row']}:year: the city_earlier_base figure is for "
                                f"{ya}, not before the city_base figure's {yb} (row {late['src_row']}): the city "
                                f"trend is the growth from the earlier year to the later")
        for pair in (("earlier_target", "earlier_outcome"), ("city_earlier_base", "city_base"),
                     ("earlier_target", "city_earlier_base")):
            a_, b_ = (by_role.get(x) for x in pair)
            if a_ is None or b_ is None:
                continue
            ua, ub = str(a_.get("unit") or ""), str(b_.get("unit") or "")
            if ua != ub and not (ua in MONEY_UNITS and ub in MONEY_UNITS):
                problems.append(f"public_figures.csv:{b_['src_row']}:unit: the {pair[1]} row is in {ub or 'no unit'}, "
                                f"the {pair[0]} row in {ua or 'no unit'}: the engine sets one against the other, so "
                                f"give both in one unit (or both as money, 亿元 or 万元)")


def _check_enum_codes(df: pd.DataFrame, problems: list[str]) -> None:
    """Within a column, a link code names one value: no two codes (or a code and another value, which links may
    also carry) read alike. ``dc=kj:1,科技创新:3`` with kj given to two categories lost both delays."""
    seen: dict[tuple[str, str], tuple[str, str, int]] = {}  # (column, folded name) -> (what, value, row)
    for rec in df.to_dict(orient="records"):
        col, value, row = rec["column"], rec["value"], rec["src_row"]
        for what, text in (("value", value), ("code", rec.get("code") or "")):
            if not text:
                continue
            key = (col, folded(str(text)))
            hit = seen.get(key)
            if hit is not None and hit[1] != value:
                problems.append(f"enumerations.csv:{row}:{what}: {text!r} reads as the {hit[0]} of {hit[1]!r} (row "
                                f"{hit[2]}) in column {col}: a link would not know which is meant; choose another")
            elif hit is None:
                seen[key] = (what, value, row)


# Names are shown in titles, labels, captions and badges, which Streamlit renders as Markdown: a name with
# **bold**, :red[colour], $$maths$$, a [link](…) or an ![image](…) (a remote request) would be rendered, not shown.
NAME_COLUMNS = ("name_zh", "name_en", "output_name_zh", "output_name_en", "title_zh", "title_en", "zh", "en")
_MARKUP = re.compile(r"\*\*|__|~~|`|\$|!?\[[^\]]*\]\(|:[a-z]+(?:-background|-badge)?\[|<[A-Za-z/!]|&[#A-Za-z0-9]+;")


def _check_markup(frames: dict, problems: list[str]) -> None:
    """Every name a package gives is plain text: markup in one is refused, naming file, row and column."""
    for file, df in frames.items():
        for col in NAME_COLUMNS:
            if col not in df.columns:
                continue
            for v, row in zip(df[col], df["src_row"] if "src_row" in df.columns else range(2, len(df) + 2)):
                hit = _MARKUP.search(v) if isinstance(v, str) else None
                if hit:
                    problems.append(f"{file}:{row}:{col}: {v[:40]!r} holds markup ({hit.group(0)!r}): "
                                    f"a name is shown as written, so write it as plain text")


def _check_segments(frames: dict, meta: PlanMeta, tree: SegmentTree, problems: list[str]) -> None:
    """Each segment's base and target rows exist, are money in the plan's calendar, and add up as the tree says."""
    ind = {r["indicator_id"]: r for r in records(frames["indicators.csv"])}
    seg_rows = {r["segment_id"]: r for r in records(frames["segments.csv"])}
    by, ty, lt = meta.year("base_year"), meta.year("target_year"), meta.year("long_term_year")
    bases, targets = {}, {}
    for s in tree:
        at = f"segments.csv:{seg_rows[s.id]['src_row']}"
        for col, kinds, year in (("base_id", ("baseline", "derived"), by), ("target_id", ("target",), ty)):
            rid = getattr(s, col)
            if not rid:
                continue
            row = ind.get(rid)
            if row is None:
                problems.append(f"{at}:{col}: unknown indicator {rid!r}")
                continue
            if row["kind"] not in kinds:
                problems.append(f"{at}:{col}: {rid!r} is a {row['kind']} row, not {' or '.join(kinds)}")
            elif row["unit"] not in MONEY_UNITS:
                problems.append(f"{at}:{col}: {rid!r} is in {row['unit'] or 'no unit'}; a segment's value is money "
                                f"({' or '.join(MONEY_UNITS)})")
            elif row["value"] is None or (isinstance(row["value"], float) and math.isnan(row["value"])) or \
                    not row["value"] > 0:
                problems.append(f"{at}:{col}: {rid!r} needs a value above 0")
            elif col == "target_id" and lt and row["year"] == lt and lt != year:
                # the engine projects every target to the target year: a 2035 row read as the 2030 target gave
                # the wrong growth needed (30 %/yr instead of 14 %) and graded a 2030 path against it
                problems.append(f"{at}:{col}: {rid!r} is the long-term target ({lt}); a segment's target is for the "
                                f"target year {year}. Leave the long-term row in indicators.csv (it is shown apart) "
                                f"and give the segment a target of {year}, or none")
            elif row["year"] != year:
                problems.append(f"{at}:{col}: {rid!r} is for {row['year']}, not the plan's "
                                f"{'base' if col == 'base_id' else 'target'} year {year}")
            else:
                (bases if col == "base_id" else targets)[s.id] = float(row["value"]) * MONEY_UNITS[row["unit"]]
    if problems:
        return
    for s in tree:
        kids = tree.children(s.id)
        parts = tree.parts_of(s.id)
        if not parts:
            continue
        at = f"segments.csv:{seg_rows[s.id]['src_row']}"
        for values, what in ((bases, "base"), (targets, "target")):
            if s.id in values and all(p in values for p in parts):
                gap = values[s.id] - sum(values[p] for p in parts)
                if gap < -1e-9 * max(1.0, values[s.id]):
                    problems.append(f"{at}:{what}_id: the parts of {s.id!r} add up to more than its {what} "
                                    f"({sum(values[p] for p in parts):g} > {values[s.id]:g})")
                elif what == "base" and gap > 1e-9 * max(1.0, values[s.id]) and tree.residual_of(s.id) is None:
                    problems.append(f"{at}:segment_id: the parts of {s.id!r} add up to less than its base "
                                    f"({sum(values[p] for p in parts):g} < {values[s.id]:g}) and no residual segment "
                                    f"takes the rest: add a segment with relation residual")
        if tree.residual_of(s.id) and s.id not in bases and not s.base_id:
            problems.append(f"{at}:base_id: a residual needs its parent's base ({s.id!r} has none)")
        del kids


def plan_folder(path: str | Path) -> Path:
    """The package folder ``path`` names: the folder itself when it holds plan.csv; a folder holding ``plans/``
    (a copy of the repository's data folder) gives its default package, or its only one."""
    path = Path(path)
    if (path / PLAN_FILE).is_file() or not (path / "plans").is_dir():
        return path
    found = sorted(p.parent for p in (path / "plans").glob(f"*/{PLAN_FILE}"))
    if len(found) == 1:
        return found[0]
    for p in found:
        if _is_default_folder(p):
            return p
    return path


def _is_default_folder(folder: Path) -> bool:
    try:
        header, rows = read_csv_rows((folder / PLAN_FILE).read_bytes(), PLAN_FILE)
    except (OSError, DataError):
        return False
    if "key" not in header or "value" not in header:
        return False
    k, v = header.index("key"), header.index("value")
    return any(len(r) > max(k, v) and r[k] == "default" and r[v].lower() in ("yes", "1", "true") for r in rows)


def default_folder() -> Path:
    """The deployment's default plan: ``$SHIFENG_PLAN`` (or the older ``$SHIFENG_DATA``), else the package under
    ``data/plans/`` whose plan.csv says ``default,yes`` (or the only one)."""
    env = os.environ.get("SHIFENG_PLAN") or os.environ.get("SHIFENG_DATA")
    if env:
        return plan_folder(env)
    found = sorted(p.parent for p in PLANS_DIR.glob(f"*/{PLAN_FILE}"))
    for p in found:
        if _is_default_folder(p):
            return p
    return found[0] if found else PLANS_DIR


DATA_DIR = default_folder()


def load_plan_data(data_dir: str | Path | None = None) -> PlanData:
    """Read and validate a plan package.

    Parameters
    ----------
    data_dir : the package folder (default: the deployment's default plan, :func:`default_folder`); a folder
        holding ``plans/`` gives its default package.

    Raises
    ------
    DataError
        listing every problem as ``file:row:column: message``.
    """
    folder = plan_folder(data_dir) if data_dir is not None else DATA_DIR
    if not folder.is_dir():
        raise DataError([f"{folder}:-:-: not a folder"])
    if not (folder / PLAN_FILE).is_file() and (folder / "indicators.csv").is_file():
        raise DataError([f"plan.csv:-:-: {folder} is not a plan package (no plan.csv): see data/plans/README.md "
                         f"for the format"])
    schema = load_schema()
    problems: list[str] = []
    written: dict[tuple[str, str], str] = {}
    frames, digest = _load_files(folder, schema, problems, written)
    for file in TABLE_FILES:
        if file not in frames and file not in REQUIRED_FILES:
            frames[file] = _empty(file, schema)
    if problems:
        raise DataError(problems)
    meta = _meta(frames["plan.csv"], problems)
    seg_records = records(frames["segments.csv"])
    check_segments(seg_records, problems)
    area_records = records(frames["areas.csv"])
    check_areas(area_records, problems)
    used_areas = [v for f in ("projects.csv", "indicators.csv") for v in frames[f]["area"]]
    area_tree = build_areas(area_records, used_areas)
    if area_records:
        for f in ("projects.csv",):
            for v, row in zip(frames[f]["area"], frames[f]["src_row"]):
                if v and v not in area_tree:
                    problems.append(f"{f}:{row}:area: unknown area {v!r} (not in areas.csv)")
    _check_indicators(frames["indicators.csv"], problems, area_tree)
    sections = frames["plan_sections.csv"]
    known = set(sections["section_id"])
    if len(sections):
        for file, df in frames.items():
            if file == "plan_sections.csv" or "section_id" not in df.columns:
                continue
            for sid, row in zip(df["section_id"], df["src_row"]):
                if sid and sid not in known:
                    problems.append(f"{file}:{row}:section_id: unknown section {sid!r} (not in plan_sections.csv)")
    else:  # no sections file: the sections the rows cite, titled by their ids
        ids = list(dict.fromkeys(s for df in frames.values() if "section_id" in df.columns for s in df["section_id"]
                                 if s))
        sections = pd.DataFrame({"section_id": ids, "title_zh": ids, "title_en": ids, "src_row": 0})
    seg_ids = {r["segment_id"] for r in seg_records}
    pf = frames["public_figures.csv"]
    for v, row in zip(pf["segment"], pf["src_row"]):
        if v and v not in seg_ids:
            problems.append(f"public_figures.csv:{row}:segment: unknown segment {v!r}")
    pr = frames["presets.csv"]
    for seg, row in zip(pr["segment"], pr["src_row"]):
        if seg != "*" and seg not in seg_ids:
            problems.append(f"presets.csv:{row}:segment: unknown segment {seg!r} (a segment_id or *)")
    _check_markup(frames, problems)
    _check_enum_codes(frames["enumerations.csv"], problems)
    if not problems:
        _check_roles(frames, problems)
    tree = build_segments(seg_records) if not problems else None
    if tree is not None and meta.year("base_year") and meta.year("target_year"):
        ty, hz = meta.year("target_year"), meta.year("horizon")
        wrong = calendar_problems(meta.year("base_year"), ty, meta.year("plan_first_year"),
                                  meta.year("plan_last_year"), meta.year("long_term_year"), package=True)
        if wrong:
            rows = dict(zip(frames["plan.csv"]["key"], frames["plan.csv"]["src_row"]))
            problems += [f"plan.csv:{rows.get(name, '-')}:value: {name}: {why}" for name, why in wrong]
        elif hz is not None and not ty <= hz <= ty + HORIZON_SPAN:
            problems.append(f"plan.csv:-:horizon: {hz} is outside the target year {ty} … {ty + HORIZON_SPAN} "
                            f"(the last year a scenario projects)")
        else:
            _check_segments(frames, meta, tree, problems)
    if problems:
        raise DataError(problems)
    enums = tuple(frames["enumerations.csv"].to_dict(orient="records")) + tuple(engine_enumerations())
    data = PlanData(
        meta=meta, sections=sections, indicators=frames["indicators.csv"], projects=frames["projects.csv"],
        roads=frames["roads.csv"], public_figures=pf, segments=tree, areas=area_tree, enumerations=enums,
        preset_rules=pr, defaults=frames["defaults.csv"], schema=schema, source=str(folder),
        fingerprint=digest.hexdigest()[:16], written=tuple(sorted((f, c, w) for (f, c), w in written.items())))
    return data

"""A next plan's project and road lists: files in the schema of ``data/projects.csv`` and ``data/roads.csv``.

An office preparing the next plan writes its own list of major projects (and road works) in the same columns as the
plan's Annex 1 and Annex 2, with the new plan period's money in ``fyp_investment_yi`` (the plan-period investment
column). Such a file is validated by the very code that validates the plan's own tables
(:func:`model.plan.tables._validate_file` and ``_typed`` against ``data/schema.csv``), so it is refused for the same
reasons, each problem named ``file:row:column: what`` with the spreadsheet's row number, and it loads into the same
typed frame (:meth:`model.plan.tables.PlanData.with_lists` puts it in place of the annex).

What differs from the plan's folder: the file comes as CSV (UTF-8, UTF-8 with BOM or GBK, as Excel saves it) or as
``.xlsx`` (the sheet named like the kind, else the first); files over 1 MB or 5,000 rows are refused before parsing;
header names are read without surrounding space and case (``Project_ID`` = ``project_id``); and ``section_id`` names
the new plan's own section (any text: it is not looked up in ``plan_sections.csv``, which is the old plan's).

Each list is a value object with a canonical CSV text (schema column order, rows sorted by id, numbers bit-exact,
CRLF): ``short_id`` is the first 8 hex digits of its SHA-256, the short ID the library gives it, so a scenario names
its list by that ID (``pj=`` / ``rd=`` in a link, ``projects_ref`` / ``roads_ref`` in its assumptions file).
Importing this module registers the library kinds ``projects`` and ``roads`` with this validation.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import numbers, units
from ..cleaning import clean
from . import sheets
from ..plan.tables import DataError, PlanData, _typed, _validate_file, load_schema

MAX_LIST_BYTES = 1_000_000
MAX_LIST_ROWS = 5_000
XLSX_MAGIC = b"PK\x03\x04"
KINDS = ("projects", "roads")
FILE = {"projects": "projects.csv", "roads": "roads.csv"}
ID_COL = {"projects": "project_id", "roads": "road_id"}


def _schema(kind: str) -> list:
    return [c for c in load_schema() if c.file == FILE[kind]]


def _allowed(data: PlanData | None) -> dict[str, tuple[str, ...]]:
    """The plan's enum values by column (``@column`` enums of the schema), from its enumerations.csv."""
    if data is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for rec in data.enumerations:
        out.setdefault(rec["column"], ())
        out[rec["column"]] += (rec["value"],)
    return out


def _xlsx_records(raw: bytes, label: str, kind: str) -> list[tuple[int, list[str]]]:
    return sheets.xlsx_rows(raw, label, kind, MAX_LIST_ROWS, f"a {kind} list")


def _csv_records(raw: bytes, label: str, kind: str) -> list[tuple[int, list[str]]]:
    return sheets.csv_rows(raw, label, MAX_LIST_ROWS, f"a {kind} list")


def _records(raw, label: str, kind: str) -> list[tuple[int, list[str]]]:
    """Spreadsheet-numbered non-blank records of a CSV or .xlsx file, after the size caps."""
    if not isinstance(raw, (bytes, bytearray)):
        raise DataError([f"{label}:-:-: not a file's bytes"])
    if len(raw) > MAX_LIST_BYTES:  # before anything reads the bytes
        raise DataError([f"{label}:-:-: larger than {MAX_LIST_BYTES // 1_000_000} MB: not a {kind} list"])
    if not bytes(raw).strip():
        raise DataError([f"{label}:1:-: the file is empty"])
    raw = bytes(raw)
    recs = _xlsx_records(raw, label, kind) if raw[:4] == XLSX_MAGIC else _csv_records(raw, label, kind)
    recs = [(n, [c.strip() for c in r]) for n, r in recs if any(c.strip() for c in r)]
    if not recs:
        raise DataError([f"{label}:1:-: the file is empty"])
    for _, r in recs:
        while r and r[-1] == "":  # trailing empty cells (a spreadsheet's formatted but empty columns)
            r.pop()
    return recs


_AT = re.compile(r"^(?P<file>[^:]+):(?P<row>\d+):")
_FIRST = re.compile(r"\(first at row (\d+)\)")


def _renumber(problem: str, file: str, label: str, rows: list[int]) -> str:
    """A problem of the strict validator (rows counted without blank lines, file named as in data/) with the
    uploaded file's name and the spreadsheet's own row numbers."""
    def row(i: str) -> str:
        k = int(i) - 1
        return str(rows[k]) if 0 <= k < len(rows) else i

    m = _AT.match(problem)
    if m and m.group("file") == file:
        problem = f"{label}:{row(m.group('row'))}:" + problem[m.end():]
    elif problem.startswith(file + ":"):
        problem = f"{label}:" + problem[len(file) + 1:]
    return _FIRST.sub(lambda x: f"(first at row {row(x.group(1))})", problem)


def _header_name(h: str) -> str:
    return unicodedata.normalize("NFKC", h).strip().lower()


def _canonical_value(v) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return numbers.decimal_text(v)
    return str(v)


NUMERIC_TYPES = ("number", "money", "int", "year")  # schema types read by the number parser: never cleaned
MULTILINE = ("description", "notes", "output_note")  # free text where a line break means something


def _cleaned(header: list[str], cells: list[str], cols) -> list[str]:
    """A row's text cells through the one cleaner (:func:`model.cleaning.clean`); numbers are left for the number
    parser to accept or refuse, never changed here."""
    types = {c.name: c.type for c in cols}
    return [cell if i >= len(header) or types.get(header[i]) in NUMERIC_TYPES
            else clean(cell, multiline=header[i] in MULTILINE) for i, cell in enumerate(cells)]


def _out_of_range(df: pd.DataFrame, cols, file: str) -> list[str]:
    """Every number of the list (as parsed, not yet typed) within its unit's range (schema unit; a count for a whole
    number without one): a value outside is named ``file:row:column`` (:mod:`model.units`)."""
    problems = []
    for c in cols:
        if c.type not in ("number", "money", "int"):
            continue
        unit = c.unit if c.unit and c.unit != "see unit" else ("个" if c.type == "int" else "")
        for row, v in zip(df["src_row"], df[c.name]):
            why = None if v is None or v is pd.NA or v != v else units.problem(float(v), unit)
            if why:
                problems.append(f"{file}:{row}:{c.name}: {why}")
    return problems


@dataclass(frozen=True)
class PlanList:
    """A validated project or road list; ``rows`` in schema column order, sorted by id."""

    kind: str
    rows: tuple[tuple, ...]
    label: str = field(default="", compare=False)  # the file it came from (for messages and captions)

    @classmethod
    def from_bytes(cls, raw: bytes, label: str | None = None, kind: str = "projects",
                   data: PlanData | None = None) -> PlanList:
        """Read and validate a list file's bytes (CSV or .xlsx) against the plan ``data`` (its areas, categories
        and other values; default: the deployment's default plan).

        Raises ``DataError`` listing every problem as ``label:row:column: what`` (spreadsheet rows, header row 1).
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        label = label or FILE[kind]
        file, cols = FILE[kind], _schema(kind)
        recs = _records(raw, label, kind)
        (_, header), body = recs[0], recs[1:]
        header = [_header_name(h) for h in header]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(_cleaned(header, r, cols) for _, r in body)
        problems: list[str] = []
        if data is None:
            from ..plan.registry import default_plan

            data = default_plan()
        allowed = _allowed(data)
        for c in cols:  # an enum column the plan lists no values for takes the values the list uses (as the plan's
            # own files do, PlanData.values), instead of refusing every value against a list that is not there
            ref = c.allowed[0][1:] if c.type == "enum" and c.allowed[:1] and c.allowed[0].startswith("@") else None
            if ref and ref not in allowed and c.name in header:
                i = header.index(c.name)
                allowed[ref] = tuple(dict.fromkeys(r[i] for _, r in body if i < len(r) and r[i]))
        df = _validate_file(file, buf.getvalue().encode("utf-8"), cols, problems, allowed)
        if df is not None and len(data.areas) and "area" in df.columns and "src_row" in df.columns:
            for v, row in zip(df["area"], df["src_row"]):
                if v and v not in data.areas:  # the loader's own words for the same problem
                    problems.append(f"{file}:{row}:area: unknown area {v!r} (not in areas.csv)")
        spreadsheet_rows = [n for n, _ in recs]
        if problems:
            raise DataError([_renumber(p, file, label, spreadsheet_rows) for p in problems])
        problems = _out_of_range(df, cols, file)  # before typing: an int column of 1e30 must never be cast
        if problems:
            raise DataError([_renumber(p, file, label, spreadsheet_rows) for p in problems])
        typed = _typed(df, cols)
        names = [c.name for c in cols]
        ordered = typed.sort_values(ID_COL[kind], kind="stable")
        rows = tuple(tuple(None if _canonical_value(v) == "" else (int(v) if c.type in ("int", "year") else v)
                           for c, v in zip(cols, rec))
                     for rec in ordered[names].itertuples(index=False, name=None))
        return cls(kind, rows, label)

    @classmethod
    def from_path(cls, path: Path, kind: str = "projects", data: PlanData | None = None) -> PlanList:
        path = Path(path)
        if not path.is_file():
            raise DataError([f"{path}:-:-: no such file"])
        if path.stat().st_size > MAX_LIST_BYTES:
            raise DataError([f"{path.name}:-:-: larger than {MAX_LIST_BYTES // 1_000_000} MB: not a {kind} list"])
        return cls.from_bytes(path.read_bytes(), path.name, kind, data)

    @property
    def columns(self) -> list[str]:
        return [c.name for c in _schema(self.kind)]

    def to_csv_text(self) -> str:
        """The canonical text (no BOM, CRLF): reads back to an equal list; its hash is the short ID."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.columns)
        w.writerows([_canonical_value(v) for v in r] for r in self.rows)
        return buf.getvalue()

    @property
    def short_id(self) -> str:
        return hashlib.sha256(self.to_csv_text().encode("utf-8")).hexdigest()[:8]

    def frame(self) -> pd.DataFrame:
        """The typed frame :class:`~model.plan.tables.PlanData` holds for the annex (``src_row`` = canonical row);
        built once per list (treat it as read-only, as the plan's own frames)."""
        return self._frame

    @cached_property
    def _frame(self) -> pd.DataFrame:
        cols = _schema(self.kind)
        raw = pd.DataFrame(list(self.rows), columns=[c.name for c in cols], dtype=object)
        raw["src_row"] = range(2, len(self.rows) + 2)
        return _typed(raw.where(raw.notna(), None), cols)

    def __len__(self) -> int:
        return len(self.rows)

    def ids(self) -> list[str]:
        i = self.columns.index(ID_COL[self.kind])
        return [r[i] for r in self.rows]

    def summary(self) -> dict:
        """Counts and money as the file states them (projects: 亿元; roads: 万元)."""
        df = self.frame()
        years = {"first": int(df["start_year"].min()) if df["start_year"].notna().any() else None,
                 "last": int(df["end_year"].max()) if df["end_year"].notna().any() else None}
        if self.kind == "projects":
            return {"n": len(df), "total_yi": float(df["total_investment_yi"].sum()),
                    "period_yi": float(df["fyp_investment_yi"].sum()), **years}
        return {"n": len(df), "total_wan": float(df["investment_wan"].sum()), "length_m": float(df["length_m"].sum()),
                **years}


def template_text(kind: str) -> str:
    """A blank list: the columns of a plan package's ``projects.csv`` (or ``roads.csv``) in schema order."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([c.name for c in _schema(kind)])
    return buf.getvalue()


def with_lists(data: PlanData, projects: PlanList | None = None, roads: PlanList | None = None) -> PlanData:
    """``data`` with these lists in place of the plan's project and road lists (labelled by their short IDs)."""
    if projects is None and roads is None:
        return data
    label = " ".join(f"{x.kind}:{x.short_id}" for x in (projects, roads) if x is not None)
    return data.with_lists(projects=projects.frame() if projects is not None else None,
                           roads=roads.frame() if roads is not None else None, label=label)


# -- documents by file or library key ---------------------------------------------------------------

def open_document(kind: str, key: str | Path, data: PlanData | None = None, db: str | None = None):
    """An actuals set (kind ``actuals``) or a list (``projects``, ``roads``) from a file path, else from the
    library by name or short ID. Raises ``DataError`` (bad file) or ``LibraryError`` (not in the library)."""
    from .actuals import ActualsSet
    from .library import Library, LibraryError

    path = Path(key)
    if path.is_file():
        return ActualsSet.from_path(path, data) if kind == "actuals" else PlanList.from_path(path, kind, data)
    text = str(key)
    if any(s in text for s in ("/", "\\")) or text.lower().endswith((".csv", ".xlsx")):
        raise DataError([f"{text}:-:-: no such file"])
    with Library(db) as lib:
        try:
            rec = lib.get(text, kind=kind)
        except LibraryError as exc:
            raise LibraryError(f"{exc} (not a file either)") from None
    raw = rec.content.encode("utf-8")
    label = f"{rec.name} v{rec.version}"
    return ActualsSet.from_bytes(raw, label, data) if kind == "actuals" else PlanList.from_bytes(raw, label, kind,
                                                                                                 data)


def apply_documents(data: PlanData, s, *, actuals: str | None = None, base_year: int | None = None,
                    target_year: int | None = None, targets: dict | None = None, projects: str | None = None,
                    roads: str | None = None, db: str | None = None, **legacy):
    """The command line's next plan: ``(data, scenario)`` with the project / road lists (a file or a library key;
    else the ones ``s`` names, from the library) in place of the annexes and named by the scenario, and the scenario
    rebased on ``actuals`` (file or library key) and aimed at the targets given. Raises ``DataError`` (a bad file),
    ``LibraryError`` (a document not found) or ``ScenarioError`` (settings that do not fit together); nothing is
    written by this function."""
    from ..calc.nextplan import next_plan
    from ..scenario.scenario import ScenarioError
    from .library import LibraryError

    lists, refs = {}, {}
    for kind, key, field_name in (("projects", projects, "projects_ref"), ("roads", roads, "roads_ref")):
        named = getattr(s, field_name)
        if key is None and named is None:
            continue
        if key is not None:
            pl = open_document(kind, key, data, db)
        else:
            try:
                pl = open_document(kind, named, data, db)
            except LibraryError:
                raise LibraryError(f"{field_name}: the {kind} list {named} the scenario names is not in the library; "
                                   f"give it with --{kind} FILE") from None
        if key is None and not pl.short_id.startswith(named):
            raise ScenarioError([f"{field_name}: the library's {kind} list {named} does not match its ID"])
        lists[kind], refs[field_name] = pl, pl.short_id
    data = with_lists(data, lists.get("projects"), lists.get("roads"))
    if refs:
        s = s.with_(**refs)
    aset, ref = None, None
    if actuals is not None:
        aset = open_document("actuals", actuals, data, db)
        ref = aset.short_id
    legacy = {k: v for k, v in legacy.items() if v is not None}
    if aset is not None or base_year is not None or target_year is not None or targets or legacy:
        s = next_plan(s, data, actuals=aset, base_year=base_year, target_year=target_year, targets=targets,
                      actuals_ref=ref, **legacy)
    return data, s


def _library_check(kind: str):
    def check(content: str) -> None:
        try:
            from .library import current_plan

            PlanList.from_bytes(content.encode("utf-8"), f"{kind}.csv", kind, current_plan())
        except DataError as exc:
            raise ValueError(exc.problems[0] if exc.problems else "invalid list") from None
    return check


def _register() -> None:
    from .library import register_kind

    for kind in KINDS:
        register_kind(kind, _library_check(kind))


_register()

__all__ = ["PlanList", "open_document", "apply_documents", "with_lists", "template_text", "MAX_LIST_BYTES", "MAX_LIST_ROWS", "KINDS"]

"""Load and validate the plan's tables (``data/*.csv``) against ``data/schema.csv``.

Loading is strict: every problem in every file is collected and raised together as one
:class:`DataError` whose lines read ``file:row:column: what is wrong``.  Row numbers are
the spreadsheet's (the header is row 1).  Files are accepted as Excel saves them:
UTF-8, UTF-8 with BOM, or GBK.
"""
from __future__ import annotations

import csv
import io
import os
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import numbers

# The plan's data folder: the repository's data/, or $SHIFENG_DATA (an office's updated copy, validated the same way).
DATA_DIR = Path(os.environ.get("SHIFENG_DATA") or Path(__file__).resolve().parents[2] / "data")
TABLE_FILES = ("plan_sections.csv", "indicators.csv", "projects.csv", "roads.csv", "public_figures.csv")
ID_COLUMN = {
    "plan_sections.csv": "section_id",
    "indicators.csv": "indicator_id",
    "projects.csv": "project_id",
    "roads.csv": "road_id",
    "public_figures.csv": "figure_id",
}
MAX_FILE_BYTES = 5_000_000


class DataError(ValueError):
    """Raised when a data folder is invalid; ``problems`` lists ``file:row:column: message``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Column:
    file: str
    name: str
    type: str  # id | text | int | year | number | money | enum | section | role | ref (an indicator_id)
    required: bool
    unit: str
    allowed: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class PlanData:
    """The validated plan tables.  Money columns keep the plan's unit in their name."""

    sections: pd.DataFrame
    indicators: pd.DataFrame
    projects: pd.DataFrame
    roads: pd.DataFrame
    public_figures: pd.DataFrame  # beyond the plan: city series and an earlier target (data/README.md)
    schema: tuple[Column, ...]
    source: str
    source_projects: str = "plan"  # "plan": Annex 1 of the data; else the label of an uploaded project list
    source_roads: str = "plan"

    def with_lists(self, projects: pd.DataFrame | None = None, roads: pd.DataFrame | None = None,
                   label: str = "upload") -> PlanData:
        """The same plan with another project and/or road list (a next plan's, validated like the plan's)."""
        from dataclasses import replace

        changes = {}
        if projects is not None:
            changes.update(projects=projects, source_projects=label)
        if roads is not None:
            changes.update(roads=roads, source_roads=label)
        return replace(self, **changes)

    @cached_property
    def _indicator_rows(self) -> dict[str, dict]:
        return {r["indicator_id"]: r for r in self.indicators.to_dict(orient="records")}

    def indicator(self, indicator_id: str) -> float:
        """Value of one indicator row (in the row's own unit)."""
        return float(self._indicator_rows[indicator_id]["value"])

    def indicator_row(self, indicator_id: str) -> dict:
        return dict(self._indicator_rows[indicator_id])

    @cached_property
    def _roles(self) -> dict[str, dict]:
        out = {}
        for file, df in (("indicators.csv", self.indicators), ("public_figures.csv", self.public_figures)):
            if "role" in df.columns:
                for rec in df.loc[df["role"] != ""].to_dict(orient="records"):
                    out[rec["role"]] = {**rec, "file": file}
        return out

    def has_role(self, role: str) -> bool:
        return role in self._roles

    def role_row(self, role: str) -> dict:
        """The row that plays ``role`` (see the ``role`` column of indicators.csv and public_figures.csv).

        Code names roles, never ids or years, so a plan figure or year lives in ``data/`` only.
        """
        try:
            return dict(self._roles[role])
        except KeyError:
            raise DataError([f"indicators.csv:-:role: no row has the role {role!r} that the model reads"]) from None

    def role(self, role: str) -> float:
        """Value of the row that plays ``role`` (in the row's own unit)."""
        return float(self.role_row(role)["value"])

    def role_year(self, role: str) -> int:
        return int(self.role_row(role)["year"])

    def table(self, file: str) -> pd.DataFrame:
        return {
            "plan_sections.csv": self.sections,
            "indicators.csv": self.indicators,
            "projects.csv": self.projects,
            "roads.csv": self.roads,
            "public_figures.csv": self.public_figures,
        }[file]


def decode_text(raw: bytes, label: str) -> str:
    """Decode bytes as Excel saves CSV: UTF-8 (with or without BOM), else GBK.

    Raises ``DataError`` for an empty or binary (non-text) file.
    """
    if not raw.strip():
        raise DataError([f"{label}:1:-: the file is empty"])
    if b"\x00" in raw[:4096]:
        raise DataError([f"{label}:1:-: not a text CSV file (binary content, or UTF-16: save as CSV UTF-8)"])
    for enc in ("utf-8-sig", "gbk"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataError([f"{label}:1:-: not readable as UTF-8 or GBK text: save as CSV UTF-8"])


def read_csv_rows(raw: bytes, label: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a CSV held in ``raw`` (cells stripped of surrounding spaces)."""
    text = decode_text(raw, label)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError([f"{label}:1:-: not a valid CSV file ({exc})"]) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise DataError([f"{label}:1:-: the file is empty"])
    header = [c.strip() for c in rows[0]]
    return header, [[c.strip() for c in r] for r in rows[1:]]


def load_schema(data_dir: Path) -> tuple[Column, ...]:
    path = Path(data_dir) / "schema.csv"
    if not path.is_file():
        path = DATA_DIR / "schema.csv"  # a user's data folder may omit the schema
    header, rows = read_csv_rows(path.read_bytes(), "schema.csv")
    idx = {h: i for i, h in enumerate(header)}
    cols = []
    for r in rows:
        get = lambda k: r[idx[k]] if idx[k] < len(r) else ""  # noqa: E731
        cols.append(
            Column(
                file=get("file"),
                name=get("column"),
                type=get("type"),
                required=get("required") == "yes",
                unit=get("unit"),
                allowed=tuple(a for a in get("allowed").split("|") if a),
                description=get("description"),
            )
        )
    return tuple(cols)


def _parse_number(text: str) -> float | None:
    try:
        return numbers.number(text)
    except numbers.NumberError:
        return None


def _check_cell(col: Column, text: str) -> tuple[object, str | None]:
    """Parse one cell; returns (value, problem)."""
    if text == "":
        if col.required:
            return None, "required value is empty"
        return None, None
    if col.type in ("number", "money", "int", "year"):
        value = _parse_number(text)
        if value is None:
            return None, f"not a number: {text!r}"
        if col.type in ("int", "year") and value != int(value):
            return None, f"not a whole number: {text!r}"
        if col.type == "year" and not 1900 <= value <= 2100:
            return None, f"year out of range 1900-2100: {text!r}"
        if col.type == "money" and value < 0:
            return None, f"negative money: {text!r}"
        if col.type in ("int", "year"):
            return int(value), None
        return value, None
    if col.type == "enum" and text not in col.allowed:
        return None, f"unknown value {text!r} (allowed: {', '.join(col.allowed)})"
    return text, None


def _check_indicators(df: pd.DataFrame, problems: list[str]) -> None:
    """Rules across the cells of an indicator row: a number unless qualitative (comparator ``qual``), a quote kind
    where the plan is quoted, and ``baseline_id`` naming a baseline or derived row, in target rows only."""
    f = "indicators.csv"
    kinds = dict(zip(df["indicator_id"], df["kind"]))
    for r in df.to_dict(orient="records"):
        at, qual = f"{f}:{r['src_row']}", r["comparator"] == "qual"
        if any(p.startswith(f"{at}:value:") for p in problems):
            pass  # already reported (not a number)
        elif qual and not math.isnan(r["value"]):
            problems.append(f"{at}:value: a qualitative row (comparator qual) takes no value, got {r['value']:g}")
        elif not qual and r["comparator"] and math.isnan(r["value"]):
            problems.append(f"{at}:value: required value is empty")
        if not qual and r["comparator"] and not r["unit"]:
            problems.append(f"{at}:unit: required value is empty")
        if r["kind"] and r["kind"] != "derived" and not r["quote_kind"]:
            problems.append(f"{at}:quote_kind: required value is empty (verbatim or composed)")
        base = r["baseline_id"]
        if not base:
            continue
        if r["kind"] != "target":
            problems.append(f"{at}:baseline_id: only a target row names a baseline (this row is {r['kind'] or 'blank'})")
        elif base not in kinds:
            problems.append(f"{at}:baseline_id: unknown indicator {base!r}")
        elif kinds[base] not in ("baseline", "derived"):
            problems.append(f"{at}:baseline_id: {base!r} is a {kinds[base]} row, not a baseline or derived one")


def _validate_file(file: str, raw: bytes, schema: list[Column], problems: list[str]) -> pd.DataFrame | None:
    try:
        header, rows = read_csv_rows(raw, file)
    except DataError as exc:
        problems.extend(exc.problems)
        return None
    names = [c.name for c in schema]
    by_name = {c.name: c for c in schema}
    bad_header = False
    for h in header:
        if h not in by_name:
            problems.append(f"{file}:1:{h or '(blank)'}: unknown column")
            bad_header = True
    for c in schema:
        if c.name not in header:  # even a column whose cells may be blank: the model reads it
            problems.append(f"{file}:1:{c.name}: missing column")
            bad_header = True
    dupes = {h for h in header if header.count(h) > 1}
    for h in sorted(dupes):
        problems.append(f"{file}:1:{h}: duplicate column")
        bad_header = True
    if bad_header:
        return None
    if not rows:
        problems.append(f"{file}:2:-: no data rows")
        return None
    records = []
    for i, r in enumerate(rows, start=2):
        if len(r) > len(header):
            problems.append(f"{file}:{i}:-: {len(r)} cells but {len(header)} columns")
            continue
        r = r + [""] * (len(header) - len(r))
        rec = {}
        for h, text in zip(header, r):
            value, problem = _check_cell(by_name[h], text)
            if problem:
                problems.append(f"{file}:{i}:{h}: {problem}")
            rec[h] = value
        rec["src_row"] = i
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for n in names:
        if n not in df.columns:
            df[n] = None
    id_col = ID_COLUMN[file]
    seen: dict[str, int] = {}
    for rec in records:
        key = rec.get(id_col)
        if key is None:
            continue
        if key in seen:
            problems.append(f"{file}:{rec['src_row']}:{id_col}: duplicate id {key!r} (first at row {seen[key]})")
        else:
            seen[key] = rec["src_row"]
    for c in schema:
        if c.type != "role":
            continue
        first: dict[str, int] = {}
        for rec in records:
            key = rec.get(c.name)
            if not key:
                continue
            if key in first:
                problems.append(f"{file}:{rec['src_row']}:{c.name}: role {key!r} given twice (first at row {first[key]})")
            else:
                first[key] = rec["src_row"]
    if "start_year" in df.columns and "end_year" in df.columns:
        for rec in records:
            s, e = rec.get("start_year"), rec.get("end_year")
            if isinstance(s, int) and isinstance(e, int) and e < s:
                problems.append(f"{file}:{rec['src_row']}:end_year: end year {e} before start year {s}")
    return df


def _typed(df: pd.DataFrame, schema: list[Column]) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(df)))
    for c in schema:
        s = df[c.name]
        if c.type in ("number", "money"):
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.type in ("int", "year"):
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        else:
            out[c.name] = s.astype("object").where(s.notna(), "")
    out["src_row"] = df["src_row"].astype(int).to_numpy()
    return out


# The rows the model reads, by role (see the role column), and what their values must satisfy. Roles are names,
# not plan figures: the figures stay in data/.
REQUIRED_ROLES = {
    "indicators.csv": {
        "rail_base": "positive", "total_base": "positive", "rail_target": "positive", "total_target": "positive",
        "per_mu_base": "positive", "trend_growth": "number", "rail_share_city": "share",
        "rail_share_above_scale": "share", "land_tianxin": "non_negative", "land_greenheart": "non_negative",
        "annex2_length": "non_negative", "annex2_investment": "non_negative",
    },
    "public_figures.csv": {
        "earlier_target": "positive", "earlier_outcome": "positive", "city_rail_earlier_base": "positive",
        "city_rail_base": "positive",
    },
}


def _check_roles(frames: dict, problems: list[str]) -> None:
    """Every row the model reads is there once, with a value it can compute with (no division by zero, no
    target year before the base year): a folder that passes here exports."""
    rows: dict[str, tuple[str, dict]] = {}
    for file, df in frames.items():
        if "role" in df.columns:
            for rec in df.loc[df["role"] != ""].to_dict(orient="records"):
                rows[rec["role"]] = (file, rec)
    for file, roles in REQUIRED_ROLES.items():
        for role, rule in roles.items():
            if role not in rows:
                problems.append(f"{file}:-:role: no row has the role {role!r}, which the model reads")
                continue
            f, rec = rows[role]
            v = rec.get("value")
            where = f"{f}:{rec['src_row']}:value"
            if v is None or (isinstance(v, float) and math.isnan(v)):
                problems.append(f"{where}: the {role} row needs a value")
            elif rule == "positive" and not v > 0:
                problems.append(f"{where}: the {role} value must be above 0 (the model divides by it), got {v:g}")
            elif rule == "non_negative" and v < 0:
                problems.append(f"{where}: the {role} value must not be negative, got {v:g}")
            elif rule == "share" and not 0 < v <= 100:
                problems.append(f"{where}: the {role} value must be a share in % above 0 and at most 100, got {v:g}")
    if problems or not {"rail_base", "total_base", "rail_target", "total_target"} <= set(rows):
        return
    get = {k: rows[k][1] for k in rows}
    if get["total_base"]["value"] < get["rail_base"]["value"]:
        problems.append(f"{rows['total_base'][0]}:{get['total_base']['src_row']}:value: the park total base is below "
                        f"the rail base")
    if get["total_target"]["value"] < get["rail_target"]["value"]:
        problems.append(f"{rows['total_target'][0]}:{get['total_target']['src_row']}:value: the park total target is "
                        f"below the rail target")
    by, ty = get["rail_base"]["year"], get["total_target"]["year"]
    if ty is None or by is None or not ty > by:
        problems.append(f"indicators.csv:{get['total_target']['src_row']}:year: the target year is not after the base "
                        f"year")
    elif get["rail_target"]["year"] != ty or get["total_base"]["year"] != by:
        problems.append("indicators.csv:-:year: the base rows (rail_base, total_base) and the target rows "
                        "(rail_target, total_target) must share their years")
    if get["earlier_target"]["value"] if "earlier_target" in get else False:
        e = get["earlier_target"]["value"] - (get.get("city_rail_earlier_base") or {}).get("value", 0) * \
            get["rail_share_city"]["value"] / 100
        if e == 0:
            problems.append("public_figures.csv:-:value: the earlier plan's target equals its estimated base "
                            "(the increase reading divides by the difference)")


def load_plan_data(data_dir: str | Path | None = None) -> PlanData:
    """Read and validate a data folder.

    Parameters
    ----------
    data_dir : folder holding ``plan_sections.csv``, ``indicators.csv``, ``projects.csv`` and
        ``roads.csv`` (default: the repository's ``data/``).

    Raises
    ------
    DataError
        listing every problem as ``file:row:column: message``.
    """
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    if not data_dir.is_dir():
        raise DataError([f"{data_dir}:-:-: not a folder"])
    schema = load_schema(data_dir)
    problems: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    for file in TABLE_FILES:
        path = data_dir / file
        if not path.is_file():
            problems.append(f"{file}:-:-: file missing in {data_dir}")
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(f"{file}:-:-: file larger than {MAX_FILE_BYTES // 1_000_000} MB")
            continue
        cols = [c for c in schema if c.file == file]
        df = _validate_file(file, path.read_bytes(), cols, problems)
        if df is not None:
            frames[file] = _typed(df, cols)
            if file == "indicators.csv":
                _check_indicators(frames[file], problems)
    sections = frames.get("plan_sections.csv")
    if sections is not None:
        known = set(sections["section_id"])
        for file, df in frames.items():
            if file == "plan_sections.csv" or "section_id" not in df.columns:
                continue
            for sid, row in zip(df["section_id"], df["src_row"]):
                if sid and sid not in known:
                    problems.append(f"{file}:{row}:section_id: unknown section {sid!r} (not in plan_sections.csv)")
    if not problems:
        _check_roles(frames, problems)
    if problems:
        raise DataError(problems)
    return PlanData(
        sections=frames["plan_sections.csv"],
        indicators=frames["indicators.csv"],
        projects=frames["projects.csv"],
        roads=frames["roads.csv"],
        public_figures=frames["public_figures.csv"],
        schema=schema,
        source=str(data_dir),
    )

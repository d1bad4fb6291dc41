"""Enumerations (areas, categories, funding sources …) as ``data/`` defines them.

The allowed values come from ``data/schema.csv``; their names in each language and their short link codes from
``data/enumerations.csv``. Read once, without pandas, so that the scenario's field table can use them at import.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import tables
from .tables import DataError, read_csv_rows

ENUM_FILE = "enumerations.csv"
# The one funding source the model singles out (the district's own budget, whose burden the plan asks to weigh).
DISTRICT_BUDGET = "区财政"
FUNDING_UNDETERMINED = "待定"  # the plan's （待定）: a road whose funding is not yet decided


@lru_cache(maxsize=8)
def _schema_allowed(data_dir: Path) -> dict[str, tuple[str, ...]]:
    header, rows = read_csv_rows((data_dir / "schema.csv").read_bytes(), "schema.csv")
    idx = {h: i for i, h in enumerate(header)}
    out = {}
    for r in rows:
        if r[idx["type"]] == "enum":
            out[r[idx["column"]]] = tuple(a for a in r[idx["allowed"]].split("|") if a)
    return out


@lru_cache(maxsize=8)
def _labels(data_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    header, rows = read_csv_rows((data_dir / ENUM_FILE).read_bytes(), ENUM_FILE)
    out = {}
    for n, r in enumerate(rows, start=2):
        rec = dict(zip(header, r + [""] * (len(header) - len(r))))
        key = (rec["column"], rec["value"])
        if key in out:
            raise DataError([f"{ENUM_FILE}:{n}:value: {key[1]!r} of {key[0]} given twice"])
        out[key] = rec
    return out


def values(column: str, data_dir: Path | None = None) -> tuple[str, ...]:
    """Allowed values of an enum column (``area``, ``category``, ``funding_source`` …), in schema order."""
    allowed = _schema_allowed(Path(data_dir or tables.DATA_DIR))
    if column not in allowed:
        raise DataError([f"schema.csv:-:{column}: not an enum column"])
    return allowed[column]


def label(column: str, value: str, lang: str = "zh", data_dir: Path | None = None) -> str:
    """The name of an enum value in ``lang`` (the value itself when the data give none)."""
    rec = _labels(Path(data_dir or tables.DATA_DIR)).get((column, value))
    if rec is None:
        return value
    return rec.get(f"name_{lang}") or value


def codes(column: str, data_dir: Path | None = None) -> dict[str, str]:
    """Short link code -> value for an enum column (``tx`` -> 田心片区): a public interface, never renamed."""
    labels = _labels(Path(data_dir or tables.DATA_DIR))
    return {rec["code"]: v for (c, v), rec in labels.items() if c == column and rec.get("code")}


def all_labels(data_dir: Path | None = None) -> dict[tuple[str, str], dict[str, str]]:
    return dict(_labels(Path(data_dir or tables.DATA_DIR)))

"""The plan's calendar as the data state it: base year, target year and plan period.

The base year is the year of the row playing ``rail_base`` (the plan's baseline); the target year that of
``total_target``; the plan period runs from the year after the base to the target year. No year is typed in code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import numbers
from . import tables
from .tables import DataError, read_csv_rows

HORIZON_SPAN = 10  # projections run up to this many years past the target year (a product limit, not a plan figure)


@dataclass(frozen=True)
class Calendar:
    base_year: int
    target_year: int
    plan_first_year: int
    plan_last_year: int

    @property
    def years(self) -> int:
        """Years of growth from the base to the target."""
        return self.target_year - self.base_year

    @property
    def horizon_max(self) -> int:
        return self.target_year + HORIZON_SPAN

    @classmethod
    def from_years(cls, base_year: int, target_year: int) -> Calendar:
        return cls(base_year, target_year, base_year + 1, target_year)


@lru_cache(maxsize=8)
def plan_calendar(data_dir: Path | None = None) -> Calendar:
    """The calendar of the plan in ``data_dir`` (default: the repository's data), read without pandas."""
    d = Path(data_dir or tables.DATA_DIR)
    path = d / "indicators.csv"
    try:
        header, rows = read_csv_rows(path.read_bytes(), "indicators.csv")
    except OSError:
        raise DataError([f"indicators.csv:-:-: file missing in {d}"]) from None
    if "role" not in header or "year" not in header:
        raise DataError(["indicators.csv:1:role: missing column"])
    ir, iy = header.index("role"), header.index("year")
    years = {}
    for r in rows:
        if ir < len(r) and r[ir] in ("rail_base", "total_target"):
            try:
                years[r[ir]] = numbers.integer(r[iy])
            except (numbers.NumberError, IndexError):
                raise DataError([f"indicators.csv:-:year: the {r[ir]} row has no valid year"]) from None
    missing = [k for k in ("rail_base", "total_target") if k not in years]
    if missing:
        raise DataError([f"indicators.csv:-:role: no row has the role {k!r} that the model reads" for k in missing])
    if years["total_target"] <= years["rail_base"]:
        raise DataError(["indicators.csv:-:year: the target year is not after the base year"])
    return Calendar.from_years(years["rail_base"], years["total_target"])

"""A plan's calendar: base year, target year, plan period, the last projected year and a later horizon.

Every year comes from the plan package (``plan.csv``); none is typed in code.
"""
from __future__ import annotations

from dataclasses import dataclass

HORIZON_SPAN = 10  # projections run up to this many years past the target year (a product limit, not a plan figure)


@dataclass(frozen=True)
class Calendar:
    base_year: int
    target_year: int
    plan_first_year: int
    plan_last_year: int
    horizon: int | None = None  # the last projected year the package sets (default: target year + HORIZON_SPAN)
    long_term_year: int | None = None  # a second horizon with targets of its own (e.g. 2035), if the plan has one

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

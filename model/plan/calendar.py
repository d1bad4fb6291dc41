"""A plan's calendar: base year, target year, plan period, the last projected year and a later horizon.

Every year comes from the plan package (``plan.csv``); none is typed in code.
"""
from __future__ import annotations

from dataclasses import dataclass

HORIZON_SPAN = 10  # projections run up to this many years past the target year (a product limit, not a plan figure)
MAX_PLAN_YEARS = 20  # a plan period, and the years from base to target, at most this long (a product limit)


def calendar_problems(base_year: int, target_year: int, first: int | None, last: int | None,
                      long_term: int | None = None, *, package: bool = False) -> list[tuple[str, str]]:
    """(the year's name, what is wrong) for a calendar no plan can have: one rule for a package's plan.csv and a
    scenario's years. ``package``: a plan's own period starts at or after its base year (a scenario may be rebased
    on a year inside the period, to project its rest)."""
    out = []
    if target_year <= base_year:
        out.append(("target_year", f"{target_year} is not after the base year {base_year}"))
    elif target_year - base_year > MAX_PLAN_YEARS:
        out.append(("target_year", f"more than {MAX_PLAN_YEARS} years after the base year"))
    if package and first is not None and first < base_year:
        out.append(("plan_first_year", f"{first} is before the base year {base_year} (a plan period starts at or "
                                       f"after its base year)"))
    if first is not None and last is not None:
        if last < first:
            out.append(("plan_last_year", f"{last} is before the plan's first year {first}"))
        elif last - first > MAX_PLAN_YEARS:
            out.append(("plan_last_year", f"a plan period of more than {MAX_PLAN_YEARS + 1} years"))
    if long_term is not None and long_term <= target_year:
        out.append(("long_term_year", f"{long_term} is not after the target year {target_year} (the long-term "
                                      f"horizon comes after the plan's)"))
    return out


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

    def is_next_period(self, first: int, last: int) -> bool:
        """Whether ``first``–``last`` is the period after this plan's, of the same length (the next five years
        after a five-year plan): only then is it the period the plan names ``next_period``; a period rebased two
        years later is not."""
        return first == self.plan_last_year + 1 and last - first == self.plan_last_year - self.plan_first_year

    @classmethod
    def from_years(cls, base_year: int, target_year: int) -> Calendar:
        return cls(base_year, target_year, base_year + 1, target_year)

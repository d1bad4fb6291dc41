"""Investment phasing of the plan's project library and road library (its annexes).

All amounts in 亿元 (roads are converted from the plan's 万元: 1亿元 = 10,000万元).
Money is conserved: a project's phased amounts sum to its basis amount × (1 + overrun),
whatever the profile, delays and ceiling.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..numbers import WAN_PER_YI
from ..scenario.scenario import Scenario

_PROFILES = {
    # cumulative share F(x) of the money spent after fraction x of the build period
    "even": lambda x: x,
    "front": lambda x: 1.0 - (1.0 - x) ** 2,
    "back": lambda x: x**2,
    "s-curve": lambda x: x * x * (3.0 - 2.0 * x),
}


# Every scenario setting phasing reads (phase_projects, phase_roads and the lists a scenario counts,
# model.calc.results.lists_in_effect): two scenarios equal in these phase identically, whatever their growth.
# tests/test_phasing.py runs phasing on a scenario that records what is read and fails on anything not listed.
PHASING_FIELDS = ("basis", "profile", "delay_all", "delay_area", "delay_category", "delay_project", "overrun",
                  "excluded", "ceiling_yi", "plan_first_year", "plan_last_year", "base_year", "carry_lists",
                  "projects_ref",
                  "roads_ref")


def phasing_key(s: Scenario) -> tuple:
    """What the scenario's phasing depends on, as a key (its plan, by id and contents, and the phasing settings):
    a chart or table of investment keyed by it is not rebuilt when only growth moves."""
    return (s.plan_data.id, s.plan_data.fingerprint) + tuple(repr(getattr(s, f)) for f in PHASING_FIELDS)


@dataclass(frozen=True)
class Phasing:
    """Phased amounts: ``matrix[i, j]`` is item ``ids[i]``'s money (亿元) in ``years[j]``."""

    ids: tuple[str, ...]
    years: np.ndarray
    matrix: np.ndarray
    basis_amounts: np.ndarray  # per item, × (1 + overrun): what the row must sum to
    placed_by_default: tuple[str, ...] = ()  # 14th-FYP money outside the build years

    def by_year(self) -> pd.Series:
        return pd.Series(self.matrix.sum(axis=0), index=pd.Index(self.years, name="year"))

    def long(self) -> pd.DataFrame:
        """Tidy rows ``id, year, value_yi`` for every non-zero amount."""
        i, j = np.nonzero(self.matrix)
        return pd.DataFrame({"id": np.asarray(self.ids, dtype=object)[i], "year": self.years[j],
                             "value_yi": self.matrix[i, j]})

    def group_sums(self, group_of: dict) -> tuple[list, np.ndarray]:
        """Sums per group: the groups (first-seen order; an id ``group_of`` lacks under "") and their money,
        groups × years."""
        place: dict = {}
        codes = np.fromiter((place.setdefault(group_of.get(i, ""), len(place)) for i in self.ids), dtype=np.int64,
                            count=len(self.ids))
        onehot = np.zeros((len(place), len(self.ids)))
        onehot[codes, np.arange(len(self.ids))] = 1.0
        return list(place), onehot @ self.matrix

    def total_in(self, first: int, last: int) -> float:
        mask = (self.years >= first) & (self.years <= last)
        return float(self.matrix[:, mask].sum())


def profile_weights(profile: str, start: np.ndarray, length: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Share of each item's money in each year: rows sum to 1 over ``[start, start+length)``."""
    F = _PROFILES[profile]
    k = years[None, :] - start[:, None]
    L = length[:, None].astype(float)
    inside = (k >= 0) & (k < L)
    kk = np.where(inside, k, 0).astype(float)
    return np.where(inside, F((kk + 1) / L) - F(kk / L), 0.0)


def apply_ceiling(matrix: np.ndarray, years: np.ndarray, cap: float) -> tuple[np.ndarray, np.ndarray]:
    """Cap each year's column sum at ``cap``; overflow carries into later years, pro rata per item.

    Each item keeps its total.  Years are added after the last one while money is carried.
    """
    n, m = matrix.shape
    out = np.zeros_like(matrix)
    carry = np.zeros(n)
    for j in range(m):
        demand = matrix[:, j] + carry
        total = demand.sum()
        if total > cap:
            paid = demand * (cap / total)
            carry = demand - paid
        else:
            paid, carry = demand, np.zeros(n)
        out[:, j] = paid
    rest = carry.sum()
    if rest <= cap * 1e-12:
        if rest > 0:  # float dust: add to the last year rather than open a new one
            out[:, -1] += carry
        return out, years
    # After the grid every year pays ``cap`` in the same proportions until nothing is left.
    k = int(np.ceil(rest / cap - 1e-12))
    fracs = np.full(k, cap / rest)
    fracs[-1] = 1.0 - (k - 1) * cap / rest
    tail = carry[:, None] * fracs[None, :]
    new_years = np.arange(years[-1] + 1, years[-1] + 1 + k)
    return np.concatenate([out, tail], axis=1), np.concatenate([years, new_years])


def project_delays(df: pd.DataFrame, s: Scenario) -> np.ndarray:
    """Whole years each project is delayed: all + its area (and every area it lies in) + its category + its own."""
    d = np.full(len(df), s.delay_all, dtype=np.int64)
    if s.delay_area:
        areas = s.plan_data.areas
        by_area = {a: sum(s.delay_area.get(x, 0) for x in (a,) + areas.ancestors(a)) for a in set(df["area"])}
        d += df["area"].map(by_area).fillna(0).to_numpy(dtype=np.int64)
    if s.delay_category:
        d += df["category"].map(dict(s.delay_category)).fillna(0).to_numpy(dtype=np.int64)
    if s.delay_project:
        d += df["project_id"].map(dict(s.delay_project)).fillna(0).to_numpy(dtype=np.int64)
    return d


def _phase(ids, amount, start, length, s: Scenario, ceiling: float | None, placed=()) -> Phasing:
    amount = amount * (1.0 + s.overrun)
    if len(ids) == 0:
        years = np.arange(s.plan_first_year, s.plan_last_year + 1)
        return Phasing((), years, np.zeros((0, len(years))), amount, tuple(placed))
    first = int(min(start.min(), s.plan_first_year))
    last = int(max((start + length - 1).max(), s.plan_last_year))
    years = np.arange(first, last + 1)
    matrix = amount[:, None] * profile_weights(s.profile, start, length, years)
    if ceiling is not None:
        matrix, years = apply_ceiling(matrix, years, ceiling)
    return Phasing(tuple(ids), years, matrix, amount, tuple(placed))


def build_years(df: pd.DataFrame, s: Scenario, period: tuple[int, int] | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Start and end years of each item; an item listed without them is taken over the plan period (the audit
    flags it): ``period``, the list's own, else the scenario's."""
    first, last = period or (s.plan_first_year, s.plan_last_year)
    start = df["start_year"].astype("Float64").fillna(first).to_numpy(dtype=np.int64)
    end = df["end_year"].astype("Float64").fillna(last).to_numpy(dtype=np.int64)
    return start, end


def phase_projects(projects: pd.DataFrame, s: Scenario, period: tuple[int, int] | None = None) -> Phasing:
    """Phase the project list under the scenario's basis, profile, delays, overrun, exclusions and ceiling.

    Basis ``fyp``: the plan-period amount over the build years that fall in the plan period.  When none do
    (e.g. built before the period but with plan-period money), the money is placed in the period's first year
    (or its last, for a project starting after it) and the id is listed in ``placed_by_default``.
    Basis ``total``: the total amount over all build years.  A missing amount counts as 0.

    ``period``: the plan period the list's plan-period amounts belong to (default: the scenario's). A list
    carried into a later, overlapping or rebased period keeps its own: its money falls in the years it was
    planned for, and only what falls in the scenario's period counts there (a project built entirely before the
    next plan put all its money into that plan's first year, where it was counted a second time).
    """
    df = projects.loc[~projects["project_id"].isin(s.excluded)]
    start, end = build_years(df, s, period)
    placed: tuple[str, ...] = ()
    if s.basis == "fyp":
        amount = df["fyp_investment_yi"].fillna(0.0).to_numpy(dtype=float)
        first, last = period or (s.plan_first_year, s.plan_last_year)
        ws, we = np.maximum(start, first), np.minimum(end, last)
        empty = we < ws
        placed = tuple(df["project_id"].to_numpy()[empty & (amount > 0)])
        default = np.where(end < first, first, last)
        ws, we = np.where(empty, default, ws), np.where(empty, default, we)
    else:
        amount = df["total_investment_yi"].fillna(0.0).to_numpy(dtype=float)
        ws, we = start, end
    length = we - ws + 1
    return _phase(df["project_id"].to_numpy(), amount, ws + project_delays(df, s), length, s, s.ceiling_yi, placed)


def phase_roads(roads: pd.DataFrame, s: Scenario) -> Phasing:
    """Phase the road list: each road's investment (万元 → 亿元) over its build years, with the scenario's
    profile, overall delay and overrun (no ceiling: the ceiling applies to the project library)."""
    first, last = build_years(roads, s)
    start = first + s.delay_all
    length = last - first + 1
    amount = roads["investment_wan"].fillna(0.0).to_numpy(dtype=float) / WAN_PER_YI
    return _phase(roads["road_id"].to_numpy(), amount, start, length, s, None)


def projects_long(projects: pd.DataFrame, ph: Phasing) -> pd.DataFrame:
    """Phasing rows with the project's descriptive columns."""
    cols = ["project_id", "name_zh", "name_en", "area", "category", "subcategory", "owner"]
    return ph.long().rename(columns={"id": "project_id"}).merge(projects[cols], on="project_id", how="left")


def roads_long(roads: pd.DataFrame, ph: Phasing) -> pd.DataFrame:
    cols = ["road_id", "name_zh", "name_en", "road_class", "funding_source", "builder"]
    return ph.long().rename(columns={"id": "road_id"}).merge(roads[cols], on="road_id", how="left")

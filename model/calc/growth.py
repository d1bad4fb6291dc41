"""Output projection by segment (money in 亿元, rates as decimals), on the scenario's own calendar."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..plan.tables import PlanData
from ..scenario.fields import SPLIT_SEGMENTS
from ..scenario.scenario import Scenario, required_rate

REACH_TOL = 1e-9  # relative: a path that lands on a target within float error has reached it


@dataclass(frozen=True)
class Targets:
    """Targets for the target year in 亿元; ``*_user_set`` when the scenario sets them (not plan figures)."""

    rail_yi: float
    total_yi: float
    rail_user_set: bool = False
    total_user_set: bool = False

    @classmethod
    def from_data(cls, data: PlanData) -> Targets:
        """The plan's own targets (data/indicators.csv, roles ``rail_target`` and ``total_target``)."""
        return cls(rail_yi=data.role("rail_target"), total_yi=data.role("total_target"))

    @classmethod
    def for_scenario(cls, s: Scenario, data: PlanData) -> Targets:
        """The scenario's targets: those it sets, else the plan's (only for the plan's own target year)."""
        plan = cls.from_data(data)
        plan_year = data.role_year("total_target")
        if s.target_year != plan_year and (s.target_rail_yi is None or s.target_total_yi is None):
            from ..scenario.scenario import ScenarioError

            raise ScenarioError([f"target_total: the plan's targets are for {plan_year}; set both targets for "
                                 f"{s.target_year} (target_total, target_rail)"])
        return cls(rail_yi=plan.rail_yi if s.target_rail_yi is None else s.target_rail_yi,
                   total_yi=plan.total_yi if s.target_total_yi is None else s.target_total_yi,
                   rail_user_set=s.target_rail_yi is not None, total_user_set=s.target_total_yi is not None)

    @property
    def user_set(self) -> bool:
        return self.rail_user_set or self.total_user_set


@dataclass(frozen=True)
class Projection:
    """Yearly output per segment and total (亿元), with the results at the scenario's target year."""

    path: pd.DataFrame  # index: year (base year … horizon); columns: segments..., total
    targets: Targets
    base_year: int
    target_year: int
    output_rail: float  # in the target year
    output_total: float
    gap_rail: float  # output − target; negative = shortfall
    gap_total: float
    cagr_rail: float  # base → target year, decimal
    cagr_total: float
    cagr_horizon: dict  # segment/total -> CAGR base → horizon
    required_cagr_rail: float
    required_cagr_total: float
    required_cagr_nonrail: float | None  # None: rail alone already reaches the park target
    first_year_rail: int | None  # first year ≥ target within the horizon
    first_year_total: int | None

    @property
    def years(self) -> int:
        return self.target_year - self.base_year


def growth_matrix(s: Scenario, years: np.ndarray) -> np.ndarray:
    """Rates (decimal) of shape (segments, years) for the growth years ``years`` (each after the base year)."""
    segs = s.segments
    rates = np.empty((len(segs), len(years)))
    for i, seg in enumerate(segs):
        rates[i, :] = s.growth[seg]
    col = {int(y): j for j, y in enumerate(years)}
    for (seg, year), v in s.overrides.items():
        if seg in segs and year in col:
            rates[segs.index(seg), col[year]] = v
    return rates


def base_values(s: Scenario) -> np.ndarray:
    """Base-year output of each projected segment (亿元)."""
    if s.split_nonrail:
        non = s.baseline_nonrail_yi
        return np.array([s.baseline_rail_yi] + [non * s.shares[k] for k in SPLIT_SEGMENTS])
    return np.array([s.baseline_rail_yi, s.baseline_nonrail_yi])


def cagr(start: float, end: float, years: int) -> float:
    """Compound annual growth rate (decimal); NaN when undefined (start ≤ 0)."""
    if start <= 0 or years <= 0:
        return float("nan")
    if end <= 0:
        return -1.0
    return (end / start) ** (1.0 / years) - 1.0


def _first_year(series: pd.Series, target: float) -> int | None:
    hit = series.index[series.to_numpy() >= target * (1 - REACH_TOL)]
    return int(hit[0]) if len(hit) else None


def project(s: Scenario, targets: Targets) -> Projection:
    """Project output from the base year to ``s.horizon``.

    Each segment grows at its constant rate, or at its override in a given year:
    value[y] = value[y-1] × (1 + rate[y]).
    """
    b, ty = s.base_year, s.target_year
    years = np.arange(b + 1, s.horizon + 1)
    rates = growth_matrix(s, years)
    base = base_values(s)
    levels = base[:, None] * np.cumprod(1.0 + rates, axis=1)
    data = np.concatenate([base[:, None], levels], axis=1)
    path = pd.DataFrame(data.T, index=pd.Index(np.arange(b, s.horizon + 1), name="year"), columns=list(s.segments))
    path["total"] = data.sum(axis=0)
    n = ty - b
    rail_t, tot_t = float(path.at[ty, "rail_transit"]), float(path.at[ty, "total"])
    remaining = targets.total_yi - rail_t
    req_non = required_rate(s.baseline_nonrail_yi, remaining, n) if remaining > 0 and s.baseline_nonrail_yi > 0 else None
    h = s.horizon - b
    return Projection(
        path=path,
        targets=targets,
        base_year=b,
        target_year=ty,
        output_rail=rail_t,
        output_total=tot_t,
        gap_rail=rail_t - targets.rail_yi,
        gap_total=tot_t - targets.total_yi,
        cagr_rail=cagr(s.baseline_rail_yi, rail_t, n),
        cagr_total=cagr(s.baseline_total_yi, tot_t, n),
        cagr_horizon={c: cagr(float(path[c].iloc[0]), float(path[c].iloc[-1]), h) for c in path.columns},
        required_cagr_rail=required_rate(s.baseline_rail_yi, targets.rail_yi, n),
        required_cagr_total=required_rate(s.baseline_total_yi, targets.total_yi, n),
        required_cagr_nonrail=req_non,
        first_year_rail=_first_year(path["rail_transit"], targets.rail_yi),
        first_year_total=_first_year(path["total"], targets.total_yi),
    )


def reference_path(base: float, rate: float, first: int, last: int) -> pd.Series:
    """A single constant-rate path from ``first`` (value ``base``) to ``last`` (for reference lines on charts)."""
    years = np.arange(first, last + 1)
    return pd.Series(base * (1.0 + rate) ** (years - first), index=pd.Index(years, name="year"))

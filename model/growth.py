"""Output projection by segment (money in 亿元, rates as decimals)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .scenario import SPLIT_SEGMENTS, Scenario, required_rate
from .tables import PlanData

BASE_YEAR = 2020
TARGET_YEAR = 2025
REACH_TOL = 1e-9  # relative: a path that lands on a target within float error has reached it


@dataclass(frozen=True)
class Targets:
    """The plan's 2025 targets in 亿元 (section 2.4)."""

    rail_yi: float
    total_yi: float

    @classmethod
    def from_data(cls, data: PlanData) -> Targets:
        return cls(rail_yi=data.indicator("rail_output_2025"), total_yi=data.indicator("park_output_2025"))


@dataclass(frozen=True)
class Projection:
    """Yearly output per segment and total (亿元), with the derived results."""

    path: pd.DataFrame  # index: year; columns: segments..., total
    targets: Targets
    output_2025_rail: float
    output_2025_total: float
    gap_2025_rail: float  # output − target; negative = shortfall
    gap_2025_total: float
    cagr_rail: float  # 2020→2025, decimal
    cagr_total: float
    cagr_horizon: dict  # segment/total -> CAGR 2020→horizon
    required_cagr_rail: float
    required_cagr_total: float
    required_cagr_nonrail: float | None  # None: rail alone already reaches the park target
    first_year_rail: int | None  # first year ≥ target within the horizon
    first_year_total: int | None


def growth_matrix(s: Scenario, years: np.ndarray) -> np.ndarray:
    """Rates (decimal) of shape (segments, years) for the growth years ``years`` (each > 2020)."""
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
    """2020 output of each projected segment (亿元)."""
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
    """Project output from 2020 to ``s.horizon``.

    Each segment grows at its constant rate, or at its override in a given year:
    value[y] = value[y-1] × (1 + rate[y]).
    """
    years = np.arange(BASE_YEAR + 1, s.horizon + 1)
    rates = growth_matrix(s, years)
    base = base_values(s)
    levels = base[:, None] * np.cumprod(1.0 + rates, axis=1)
    data = np.concatenate([base[:, None], levels], axis=1)
    path = pd.DataFrame(data.T, index=pd.Index(np.arange(BASE_YEAR, s.horizon + 1), name="year"), columns=list(s.segments))
    path["total"] = data.sum(axis=0)
    n = TARGET_YEAR - BASE_YEAR
    rail25, tot25 = float(path.at[TARGET_YEAR, "rail_transit"]), float(path.at[TARGET_YEAR, "total"])
    remaining = targets.total_yi - rail25
    req_non = required_rate(s.baseline_nonrail_yi, remaining, n) if remaining > 0 and s.baseline_nonrail_yi > 0 else None
    h = s.horizon - BASE_YEAR
    return Projection(
        path=path,
        targets=targets,
        output_2025_rail=rail25,
        output_2025_total=tot25,
        gap_2025_rail=rail25 - targets.rail_yi,
        gap_2025_total=tot25 - targets.total_yi,
        cagr_rail=cagr(s.baseline_rail_yi, rail25, n),
        cagr_total=cagr(s.baseline_total_yi, tot25, n),
        cagr_horizon={c: cagr(float(path[c].iloc[0]), float(path[c].iloc[-1]), h) for c in path.columns},
        required_cagr_rail=required_rate(s.baseline_rail_yi, targets.rail_yi, n),
        required_cagr_total=required_rate(s.baseline_total_yi, targets.total_yi, n),
        required_cagr_nonrail=req_non,
        first_year_rail=_first_year(path["rail_transit"], targets.rail_yi),
        first_year_total=_first_year(path["total"], targets.total_yi),
    )


def reference_path(base: float, rate: float, horizon: int) -> pd.Series:
    """A single constant-rate path from 2020 (for reference lines on charts)."""
    years = np.arange(BASE_YEAR, horizon + 1)
    return pd.Series(base * (1.0 + rate) ** (years - BASE_YEAR), index=pd.Index(years, name="year"))

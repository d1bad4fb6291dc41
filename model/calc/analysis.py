"""Analysis beyond a spreadsheet: uncertainty, goal seek, sensitivity, land, investment → output, plan vs reality.

Pure and vectorised; money in 亿元 (land output in 万元/亩), rates as decimals, probabilities 0–1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..numbers import WAN_PER_YI
from ..plan.tables import PlanData
from ..scenario.fields import RATE_MAX, RATE_MIN
from ..scenario.frozen import FrozenMap
from ..scenario.scenario import Scenario
from .growth import Targets, base_values, growth_matrix, project
from .phasing import Phasing

QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
RATE_FLOOR = RATE_MIN  # a drawn annual rate below the lowest allowed rate is taken as that rate (output stays > 0)
# Projects that add output once built (Annex 1 groups): industry, innovation platforms, (new) infrastructure parks.
OUTPUT_SUBCATEGORIES = ("工业", "重大创新平台", "（新型）基础设施")


# -- uncertainty -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fan:
    """Monte Carlo quantiles per year for ``total`` and ``rail_transit`` (亿元), and target probabilities."""

    quantiles: pd.DataFrame  # columns: year, segment, quantile, value
    prob_total: float  # P(park total in the target year ≥ target)
    prob_rail: float
    n_paths: int

    def bands(self, segment: str) -> pd.DataFrame:
        """One row per year with columns p10, p25, p50, p75, p90 (亿元) for ``total`` or ``rail_transit``."""
        q = self.quantiles[self.quantiles["segment"] == segment]
        wide = q.pivot_table(index="year", columns="quantile", values="value").reset_index()
        wide.columns = ["year"] + [f"p{round(p * 100):02d}" for p in QUANTILES]
        return wide


def correlation_root(k: int, rho: float) -> np.ndarray:
    """A matrix A with A Aᵀ = the k×k equicorrelation matrix (valid also at ρ = 1, where Cholesky fails)."""
    corr = np.full((k, k), rho)
    np.fill_diagonal(corr, 1.0)
    w, v = np.linalg.eigh(corr)
    return v * np.sqrt(np.clip(w, 0.0, None))


def simulate_paths(s: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Output levels of shape (paths, years after the base year … horizon, segments).

    Each segment's annual rate is its scenario rate (or override) plus a normal shock with the segment's standard
    deviation; shocks are correlated across segments with ``s.correlation`` and independent across years.
    """
    years = np.arange(s.base_year + 1, s.horizon + 1)
    mean = growth_matrix(s, years).T  # (years, segments)
    sd = np.array([s.sd[k] for k in s.segments])
    shocks = rng.standard_normal((s.n_paths, len(years), len(sd))) @ correlation_root(len(sd), s.correlation).T
    rates = np.maximum(mean[None] + shocks * sd, RATE_FLOOR)
    return base_values(s)[None, None, :] * np.cumprod(1.0 + rates, axis=1)


def simulate(s: Scenario, targets: Targets) -> Fan:
    """Seeded Monte Carlo of ``s.n_paths`` paths: same scenario and seed ⇒ identical numbers."""
    levels = simulate_paths(s, np.random.default_rng(s.seed))
    total, rail = levels.sum(axis=2), levels[:, :, 0]
    years = np.arange(s.base_year + 1, s.horizon + 1)
    rows = []
    for name, arr, base in (("total", total, s.baseline_total_yi), ("rail_transit", rail, s.baseline_rail_yi)):
        q = np.quantile(arr, QUANTILES, axis=0)  # (quantiles, years)
        for qi, p in enumerate(QUANTILES):
            rows.append(pd.DataFrame({"year": np.r_[s.base_year, years], "segment": name, "quantile": p,
                                      "value": np.r_[base, q[qi]]}))
    i25 = s.target_year - s.base_year - 1
    return Fan(
        quantiles=pd.concat(rows, ignore_index=True),
        prob_total=float(np.mean(total[:, i25] >= targets.total_yi * (1 - 1e-9))),
        prob_rail=float(np.mean(rail[:, i25] >= targets.rail_yi * (1 - 1e-9))),
        n_paths=s.n_paths,
    )


# -- goal seek -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seek:
    """The constant rate ``segment`` needs for ``target`` ('total' or 'rail') in the target year, others as in
    the scenario."""

    target: str
    segment: str
    feasible: bool
    rate: float | None  # None with feasible=True: met whatever this segment does
    reason: str  # met | reached | too_high | no_effect


def _output(s: Scenario, targets: Targets, which: str) -> float:
    p = project(s, targets)
    return p.output_total if which == "total" else p.output_rail


def solve_growth(s: Scenario, targets: Targets, segment: str, which: str) -> Seek:
    """Bisection on the segment's constant rate (its overrides stay): never a silent clamp.

    Infeasible when even the highest allowed rate (500 %/yr) falls short, or when the segment does not enter
    the target (non-rail segments and the rail target).
    """
    goal = targets.total_yi if which == "total" else targets.rail_yi
    if segment not in s.segments:
        raise ValueError(f"{segment} is not a projected segment of this scenario")

    def f(rate: float) -> float:
        return _output(s.with_growth(**{segment: rate}), targets, which) - goal

    lo, hi = RATE_MIN, RATE_MAX
    f_lo, f_hi = f(lo), f(hi)
    if f_lo >= 0:
        return Seek(which, segment, True, None, "met")
    if f_hi < 0:
        return Seek(which, segment, False, None, "no_effect" if abs(f_hi - f_lo) < 1e-9 else "too_high")
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if f(mid) >= 0:
            hi = mid
        else:
            lo = mid
    return Seek(which, segment, True, hi, "reached")


def baseline_needed(s: Scenario, targets: Targets, which: str) -> float | None:
    """The base-year baseline (亿元) with which the scenario's growth lands exactly on the target.

    Rail: target ÷ rail growth factor. Total: the park total whose non-rail part (the rail baseline fixed) makes
    rail + non-rail meet the target; None when non-rail output does not grow into 2025 at all.
    """
    p = project(s, targets)
    f_rail = p.output_rail / s.baseline_rail_yi
    if which == "rail":
        return targets.rail_yi / f_rail
    non = s.baseline_nonrail_yi
    g_non = (p.output_total - p.output_rail) / non if non > 0 else None
    if not g_non:
        return None
    return s.baseline_rail_yi + (targets.total_yi - s.baseline_rail_yi * f_rail) / g_non


# -- sensitivity -----------------------------------------------------------------------------------

def tornado(s: Scenario, targets: Targets, rate_step: float = 0.01, base_step: float = 0.10) -> pd.DataFrame:
    """Target-year park output and its gap for ±1 pp on each growth rate and ±10 % on each segment's base value.

    Returns one row per assumption (parameter, low/high output and gap, swing), ranked by swing.
    """
    base_out = project(s, targets).output_total
    rows = []
    for seg in s.segments:
        lo = s.with_growth(**{seg: max(s.growth[seg] - rate_step, RATE_MIN)})
        hi = s.with_growth(**{seg: min(s.growth[seg] + rate_step, RATE_MAX)})
        rows.append((f"growth.{seg}", lo, hi))
    non = s.baseline_nonrail_yi
    rail = s.baseline_rail_yi
    rows.append(("baseline.rail_transit", s.with_(baseline_rail_yi=rail * (1 - base_step),
                                                  baseline_total_yi=rail * (1 - base_step) + non),
                 s.with_(baseline_rail_yi=rail * (1 + base_step), baseline_total_yi=rail * (1 + base_step) + non)))
    rows.append(("baseline.nonrail", s.with_(baseline_total_yi=rail + non * (1 - base_step)),
                 s.with_(baseline_total_yi=rail + non * (1 + base_step))))
    out = []
    for name, lo, hi in rows:
        o_lo, o_hi = _output(lo, targets, "total"), _output(hi, targets, "total")
        out.append({"parameter": name, "output_low": o_lo, "output_high": o_hi, "output_base": base_out,
                    "gap_low": o_lo - targets.total_yi, "gap_high": o_hi - targets.total_yi,
                    "swing": abs(o_hi - o_lo)})
    return pd.DataFrame(out).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# -- land ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Land:
    extra_output_yi: float  # target-year output − base-year output
    per_mu_output_target: float  # 万元/亩 in the target year, at the scenario's per-mu growth
    land_needed_mu: float
    land_available_mu: float
    per_mu_output_needed: float  # 万元/亩 if only the available land takes the extra output


def land(s: Scenario, targets: Targets, data: PlanData) -> Land:
    """Land the extra output needs at the assumed per-mu output, against the land the plan says is available."""
    p = project(s, targets)
    extra = max(p.output_total - s.baseline_total_yi, 0.0)
    per_mu = data.role("per_mu_base") * (1 + s.per_mu_growth) ** (s.target_year - s.base_year)
    available = data.role("land_tianxin") + data.role("land_greenheart")
    return Land(
        extra_output_yi=extra,
        per_mu_output_target=per_mu,
        land_needed_mu=extra * WAN_PER_YI / per_mu if per_mu > 0 else float("inf"),
        land_available_mu=available,
        per_mu_output_needed=extra * WAN_PER_YI / available,
    )


# -- investment → output ---------------------------------------------------------------------------

def investment_output(data: PlanData, s: Scenario, ph: Phasing) -> pd.Series:
    """Output (亿元/yr) that industrial and platform projects add after completion.

    A project counts from the year after its last phased money: ``ramp_first`` of ``io_ratio × invested`` in that
    year, all of it afterwards. Delays and the ceiling therefore move output later.
    """
    years = np.arange(s.base_year + 1, max(s.horizon, int(ph.years.max()) if len(ph.years) else s.horizon) + 1)
    sub = dict(zip(data.projects["project_id"], data.projects["subcategory"]))
    keep = np.array([sub.get(i) in OUTPUT_SUBCATEGORIES for i in ph.ids], dtype=bool)
    if not keep.any():
        return pd.Series(0.0, index=pd.Index(years, name="year"))
    m = ph.matrix[keep]
    invested = m.sum(axis=1)
    last = np.where(m > 0, ph.years[None, :], -1).max(axis=1)  # completion: last year with money
    k = years[None, :] - last[:, None]  # years since completion
    ramp = np.where(k == 1, s.ramp_first, np.where(k >= 2, 1.0, 0.0))
    out = (s.io_ratio * invested[:, None] * ramp).sum(axis=0)
    return pd.Series(out, index=pd.Index(years, name="year")).loc[: s.horizon]


# -- plan vs reality -------------------------------------------------------------------------------

def earlier_realisation(data: PlanData) -> float:
    """The earlier district plan's realisation: its outcome ÷ its target (public_figures.csv, roles
    ``earlier_outcome`` and ``earlier_target``)."""
    return data.role("earlier_outcome") / data.role("earlier_target")


def track_record_targets(s: Scenario, targets: Targets, data: PlanData) -> Targets:
    """Targets discounted by the earlier plan's realisation ratio, applied to the planned *increase*.

    Discounting the level would put the target below the base year's own output, so the ratio
    scales the growth the plan asks for: base + ratio × (target − base).
    """
    r = earlier_realisation(data)
    return Targets(rail_yi=s.baseline_rail_yi + r * (targets.rail_yi - s.baseline_rail_yi),
                   total_yi=s.baseline_total_yi + r * (targets.total_yi - s.baseline_total_yi))


def realisation(s: Scenario, targets: Targets) -> pd.DataFrame:
    """Entered actuals against the projection: year, segment, actual, projected, ratio (actual ÷ projected)."""
    p = project(s, targets).path
    rows = [{"year": y, "segment": seg, "actual": v, "projected": float(p.at[y, seg]),
             "ratio": v / float(p.at[y, seg]) if p.at[y, seg] else float("nan")}
            for (seg, y), v in sorted(s.actuals.items()) if y in p.index]
    return pd.DataFrame(rows, columns=["year", "segment", "actual", "projected", "ratio"])


def actuals_map(rows) -> FrozenMap:
    """(segment, year) → value from (segment, year, value) triples, skipping blanks."""
    return FrozenMap({(seg, int(y)): float(v) for seg, y, v in rows if v is not None and v == v})

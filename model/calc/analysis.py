"""Analysis beyond a spreadsheet: uncertainty, goal seek, sensitivity, land, investment → output, plan vs reality.

Pure and vectorised; money in 亿元 (land output in 万元/亩), rates as decimals, probabilities 0–1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..numbers import WAN_PER_YI
from ..plan.tables import PlanData
from ..scenario.fields import MONEY_MAX, RATE_MAX, RATE_MIN
from ..scenario.frozen import FrozenMap
from ..scenario.scenario import Scenario
from .growth import Targets, base_values, growth_matrix, project
from .phasing import Phasing

QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
RATE_FLOOR = RATE_MIN  # a drawn annual rate below the lowest allowed rate is taken as that rate (output stays > 0)


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

    ``shocks="normal"`` (default): each segment's annual rate is its scenario rate (or override) plus a normal shock
    with the segment's standard deviation. Shocks compound, so the median path lies slightly below the scenario's
    path (a path exactly on target has a probability a little under 50 %).
    ``shocks="lognormal"``: each year's growth factor is (1 + rate) × exp(σ′z) with σ′ = sd ÷ (1 + rate), so the
    log of every level is normal around the scenario's path and the median lies on it.
    Shocks are correlated across segments with ``s.correlation`` and independent across years.
    """
    years = np.arange(s.base_year + 1, s.horizon + 1)
    mean = growth_matrix(s, years).T  # (years, segments)
    sd = np.array([s.sd[k] for k in s.segments])
    shocks = rng.standard_normal((s.n_paths, len(years), len(sd))) @ correlation_root(len(sd), s.correlation).T
    if s.shocks == "lognormal":
        growth = 1.0 + np.maximum(mean, RATE_FLOOR)
        factors = growth[None] * np.exp(shocks * (sd / growth)[None])
        return base_values(s)[None, None, :] * np.cumprod(factors, axis=1)
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
    rail + non-rail meet the target; None when non-rail output does not grow into the target year at all.
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
    rail_hi = max(rail, min(rail * (1 + base_step), MONEY_MAX - non))  # a base near the field's maximum: one-sided
    rows.append(("baseline.rail_transit", s.with_(baseline_rail_yi=rail * (1 - base_step),
                                                  baseline_total_yi=rail * (1 - base_step) + non),
                 s.with_(baseline_rail_yi=rail_hi, baseline_total_yi=rail_hi + non)))
    rows.append(("baseline.nonrail", s.with_(baseline_total_yi=rail + non * (1 - base_step)),
                 s.with_(baseline_total_yi=max(rail + non, min(rail + non * (1 + base_step), MONEY_MAX)))))
    out = []
    for name, lo, hi in rows:
        o_lo, o_hi = _output(lo, targets, "total"), _output(hi, targets, "total")
        out.append({"parameter": name, "output_low": o_lo, "output_high": o_hi, "output_base": base_out,
                    "gap_low": o_lo - targets.total_yi, "gap_high": o_hi - targets.total_yi,
                    "swing": abs(o_hi - o_lo)})
    return pd.DataFrame(out).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# -- land ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaLand:
    """Land in one area (亩): what the plan names, what Annex 1 projects already list there, what is counted."""

    area: str
    named_mu: float | None  # stated in the plan (None: the plan states no figure for this area)
    claimed_mu: float  # land_mu of the Annex projects in this area
    counted_mu: float  # counted as available: the user's figure, else the plan's, else 0
    user_set: bool
    names: tuple[tuple[str, str], ...] = ()  # (lang, name) when it is not an area of the schema

    def label(self, lang: str) -> str:
        """The area's name in ``lang`` (an enum label, or the plan row's own name)."""
        from ..plan import enums

        named = dict(self.names)
        return named.get(lang) or named.get("zh") or enums.label("area", self.area, lang)


@dataclass(frozen=True)
class Land:
    extra_output_yi: float  # target-year output − base-year output
    per_mu_output_target: float  # 万元/亩 in the target year, at the scenario's per-mu growth
    land_needed_mu: float
    land_available_mu: float  # the sum counted over the areas
    per_mu_output_needed: float  # 万元/亩 if only the counted land takes the extra output (inf when none counted)
    areas: tuple[AreaLand, ...] = ()

    @property
    def included(self) -> tuple[str, ...]:
        """Areas whose land the verdict counts."""
        return tuple(a.area for a in self.areas if a.counted_mu > 0)

    def included_names(self, lang: str) -> str:
        """The counted areas' names as a list in ``lang`` (、 in Chinese; "; " in English, since a name may hold a
        comma); "" when none is counted."""
        return ("、" if lang == "zh" else "; ").join(a.label(lang) for a in self.areas if a.counted_mu > 0)


def named_land(data: PlanData) -> dict[str, float]:
    """The plan's named developable land (亩) per area; a figure the data tie to no area is keyed by its row's
    indicator id (e.g. a rezoned zone the plan names on its own)."""
    out: dict[str, float] = {}
    rows = data.indicators
    areas = rows["area"] if "area" in rows.columns else [""] * len(rows)
    for role, area, iid, value in zip(rows["role"], areas, rows["indicator_id"], rows["value"]):
        if str(role).startswith("land_"):
            key = area or iid
            out[key] = out.get(key, 0.0) + float(value)
    return out


def land(s: Scenario, targets: Targets, data: PlanData) -> Land:
    """Land the extra output needs at the assumed per-mu output, against the land counted per area.

    Per area: the plan's named availability (where it states one), the land Annex projects already list there,
    and the land counted: the scenario's figure (``land_mu``) where set, else the plan's; an area the plan gives
    no figure for is not counted unless the user sets one.
    """
    from ..plan import enums

    p = project(s, targets)
    extra = max(p.output_total - s.baseline_total_yi, 0.0)
    # output per mu grows from the year the plan states it (not from a rebased scenario's base year)
    per_mu = data.role("per_mu_base") * (1 + s.per_mu_growth) ** (s.target_year - data.role_year("per_mu_base"))
    named = named_land(data)
    claimed = data.projects.groupby("area")["land_mu"].sum(min_count=1).to_dict()
    areas = []
    for a in enums.values("area"):
        user = s.land_mu.get(a)
        nm = named.get(a)
        counted = user if user is not None else (nm or 0.0)
        areas.append(AreaLand(a, nm, float(claimed.get(a) or 0.0), float(counted), user is not None))
    for key, nm in named.items():  # named land the data tie to no area: labelled by its own row
        if key not in enums.values("area"):
            row = data.indicator_row(key)
            areas.append(AreaLand(key, nm, 0.0, nm, False, (("zh", row["name_zh"]), ("en", row["name_en"]))))
    available = sum(x.counted_mu for x in areas)
    return Land(
        extra_output_yi=extra,
        per_mu_output_target=per_mu,
        land_needed_mu=extra * WAN_PER_YI / per_mu if per_mu > 0 else float("inf"),
        land_available_mu=available,
        per_mu_output_needed=extra * WAN_PER_YI / available if available > 0 else float("inf"),
        areas=tuple(areas),
    )


def io_ratios(s: Scenario, data: PlanData) -> dict[str, float]:
    """Output per 亿元 invested at full capacity (亿元/yr) for every project id, from its ``output_role``:
    producing projects at ``s.io_ratio``, every other role at its ``s.io_roles`` figure (default 0)."""
    from ..scenario.fields import PRODUCING

    roles = data.projects["output_role"] if "output_role" in data.projects.columns else None
    out = {}
    for i, pid in enumerate(data.projects["project_id"]):
        role = roles.iloc[i] if roles is not None else PRODUCING
        out[pid] = s.io_ratio if role == PRODUCING else float(s.io_roles.get(role, 0.0))
    return out


def investment_output(data: PlanData, s: Scenario, ph: Phasing) -> pd.Series:
    """Output (亿元/yr) that projects add after completion, by their output role (illustrative, not a forecast).

    A project counts from the year after its last phased money: ``ramp_first`` of ``ratio × invested`` in that
    year, all of it afterwards. Delays and the ceiling therefore move output later.
    """
    years = np.arange(s.base_year + 1, max(s.horizon, int(ph.years.max()) if len(ph.years) else s.horizon) + 1)
    ratio_of = io_ratios(s, data)
    ratio = np.array([ratio_of.get(i, 0.0) for i in ph.ids], dtype=float)
    keep = ratio > 0
    if not keep.any():
        return pd.Series(0.0, index=pd.Index(years, name="year"))
    m = ph.matrix[keep]
    invested = m.sum(axis=1)
    last = np.where(m > 0, ph.years[None, :], -1).max(axis=1)  # completion: last year with money
    k = years[None, :] - last[:, None]  # years since completion
    ramp = np.where(k == 1, s.ramp_first, np.where(k >= 2, 1.0, 0.0))
    out = ((ratio[keep] * invested)[:, None] * ramp).sum(axis=0)
    return pd.Series(out, index=pd.Index(years, name="year")).loc[: s.horizon]


def contributors(data: PlanData, s: Scenario, ph: Phasing) -> pd.DataFrame:
    """Per output role: projects, money phased and the ratio applied (which projects add output, and why)."""
    ratio_of = io_ratios(s, data)
    invested = dict(zip(ph.ids, ph.matrix.sum(axis=1)))
    df = data.projects[["project_id", "output_role"]].copy() if "output_role" in data.projects.columns else \
        data.projects[["project_id"]].assign(output_role="producing")
    df["invested_yi"] = df["project_id"].map(invested).fillna(0.0)
    df["ratio"] = df["project_id"].map(ratio_of)
    return (df.groupby("output_role", sort=False)
              .agg(projects=("project_id", "count"), invested_yi=("invested_yi", "sum"), ratio=("ratio", "first"))
              .reset_index())


# -- plan vs reality -------------------------------------------------------------------------------

def earlier_realisation(data: PlanData) -> float:
    """The earlier district plan's level ratio: its outcome ÷ its target (public_figures.csv, roles
    ``earlier_outcome`` and ``earlier_target``)."""
    return data.role("earlier_outcome") / data.role("earlier_target")


@dataclass(frozen=True)
class EarlierBase:
    """The earlier plan's base-year district rail output (亿元) and how it is known."""

    value: float
    year: int
    source: str  # user | estimate (city figure × the district's share)


def earlier_base(s: Scenario, data: PlanData) -> EarlierBase:
    """The base of the earlier plan: the user's figure, else the city's figure that year × the district's share
    of the city in the plan's base year (an estimate: no public district figure exists)."""
    year = data.role_year("city_rail_earlier_base")
    if s.earlier_base_yi is not None:
        return EarlierBase(s.earlier_base_yi, year, "user")
    return EarlierBase(data.role("city_rail_earlier_base") * data.role("rail_share_city") / 100, year, "estimate")


def increase_realisation(s: Scenario, data: PlanData) -> float:
    """Share of the earlier plan's planned increase that was achieved: (outcome − base) ÷ (target − base)."""
    b = earlier_base(s, data).value
    return (data.role("earlier_outcome") - b) / (data.role("earlier_target") - b)


def track_record_targets(s: Scenario, targets: Targets, data: PlanData) -> Targets:
    """Targets discounted by the earlier plan's track record, in the scenario's reading.

    ``level`` (default: both of its figures are sourced): target × (outcome ÷ target of the earlier plan). It can
    put a target below the base-year output, which the UI and the brief say.
    ``increase``: base + r × (target − base) with r the share of the earlier plan's increase achieved; that needs
    the earlier plan's base, which is an estimate unless the user sets it.
    """
    if s.track_reading == "increase":
        r = increase_realisation(s, data)
        return Targets(rail_yi=s.baseline_rail_yi + r * (targets.rail_yi - s.baseline_rail_yi),
                       total_yi=s.baseline_total_yi + r * (targets.total_yi - s.baseline_total_yi))
    r = earlier_realisation(data)
    return Targets(rail_yi=r * targets.rail_yi, total_yi=r * targets.total_yi)


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

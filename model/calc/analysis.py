"""Analysis beyond a spreadsheet: uncertainty, goal seek, sensitivity, land, investment → output, plan vs reality.

Pure and vectorised; money in 亿元 (land output in 万元/亩), rates as decimals, probabilities 0–1.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..numbers import WAN_PER_YI
from ..plan.tables import PlanData
from ..scenario.fields import MONEY_MAX, RATE_MAX, RATE_MIN
from ..scenario.frozen import FrozenMap
from ..scenario.scenario import Scenario
from .growth import Targets, base_values, growth_matrix, leaf_map, project
from .phasing import Phasing

QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
RATE_FLOOR = RATE_MIN  # a drawn annual rate below the lowest allowed rate is taken as that rate (output stays > 0)


# -- uncertainty -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fan:
    """Monte Carlo quantiles per year for the plan's headline segments (亿元) and target probabilities."""

    quantiles: pd.DataFrame  # columns: year, segment, quantile, value
    prob: dict  # segment -> P(output in the target year meets its target)
    n_paths: int
    # segment -> (years, values of shape (quantiles, years)): the same numbers as ``quantiles``, as simulate made them
    # (bands without a pivot: a slider move draws a fan per segment); None for a fan built from a frame alone
    arrays: Any = field(default=None, repr=False, compare=False)

    def bands(self, segment: str) -> pd.DataFrame:
        """One row per year with columns p10, p25, p50, p75, p90 (亿元) for a segment of the fan."""
        if self.arrays is not None and segment in self.arrays:
            return pd.DataFrame(self.band_columns(segment))
        q = self.quantiles[self.quantiles["segment"] == segment]
        # one value per (year, quantile): pivot (pivot_table aggregated them, at eight times the cost per slider move)
        wide = q.pivot(index="year", columns="quantile", values="value").reset_index()
        wide.columns = ["year"] + [f"p{round(p * 100):02d}" for p in QUANTILES]
        return wide

    def band_columns(self, segment: str) -> dict[str, np.ndarray]:
        """:meth:`bands` as arrays by column (a chart's data without a frame)."""
        if self.arrays is not None and segment in self.arrays:
            years, values = self.arrays[segment]
            return {"year": years, **{f"p{round(p * 100):02d}": values[i] for i, p in enumerate(QUANTILES)}}
        frame = self.bands(segment)
        return {c: frame[c].to_numpy() for c in frame.columns}

    @property
    def segments(self) -> tuple[str, ...]:
        if self.arrays is not None:  # the same segments in the same order, without walking a text column
            return tuple(self.arrays)
        return tuple(dict.fromkeys(self.quantiles["segment"]))


def correlation_root(k: int, rho: float) -> np.ndarray:
    """A matrix A with A Aᵀ = the k×k equicorrelation matrix (valid also at ρ = 1, where Cholesky fails)."""
    corr = np.full((k, k), rho)
    np.fill_diagonal(corr, 1.0)
    w, v = np.linalg.eigh(corr)
    return v * np.sqrt(np.clip(w, 0.0, None))


def simulate_paths(s: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Output levels of shape (paths, years after the base year … horizon, projected segments).

    ``shocks="normal"`` (default): each segment's annual rate is its scenario rate (or override) plus a normal shock
    with the segment's standard deviation. Shocks compound, so the median path lies slightly below the scenario's
    path (a path exactly on target has a probability a little under 50 %).
    ``shocks="lognormal"``: each year's growth factor is (1 + rate) × exp(σ′z) with σ′ = sd ÷ (1 + rate), so the
    log of every level is normal around the scenario's path and the median lies on it.
    Shocks are correlated across segments with ``s.correlation`` and independent across years.
    """
    years = np.arange(s.base_year + 1, s.horizon + 1)
    k = len(s.segments)
    return _levels(s, rng.standard_normal((s.n_paths, len(years), k)) @ correlation_root(k, s.correlation).T)


def _levels(s: Scenario, shocks: np.ndarray) -> np.ndarray:
    """:func:`simulate_paths` from its correlated standard shocks (paths, years, segments)."""
    years = np.arange(s.base_year + 1, s.horizon + 1)
    mean = growth_matrix(s, years).T  # (years, segments)
    sd = np.array([s.sd[k] for k in s.segments])
    if s.shocks == "lognormal":
        growth = 1.0 + np.maximum(mean, RATE_FLOOR)
        factors = growth[None] * np.exp(shocks * (sd / growth)[None])
        return base_values(s)[None, None, :] * np.cumprod(factors, axis=1)
    rates = np.maximum(mean[None] + shocks * sd, RATE_FLOOR)
    return base_values(s)[None, None, :] * np.cumprod(1.0 + rates, axis=1)


# The correlated standard shocks depend only on the seed, the number of paths, years and segments and the
# correlation, not on rates or spreads: a slider moving a rate or a spread draws them once. Kept read-only, the most
# recent first, at most _SHOCKS_KEPT of them and _SHOCKS_BYTES in all (n_paths × years × segments floats: 0.8 MB for
# 10,000 paths over 5 years of 2 segments; 100,000 paths over 16 years of 5 segments, 64 MB, are drawn each time).
_SHOCKS: "OrderedDict[tuple, np.ndarray]" = OrderedDict()
_SHOCKS_LOCK = threading.Lock()
_SHOCKS_KEPT = 4
_SHOCKS_BYTES = 48 * 2**20


def correlated_shocks(seed: int, n_paths: int, n_years: int, k: int, rho: float) -> np.ndarray:
    """The standard normal shocks of a fresh generator seeded ``seed``, correlated across the ``k`` segments with
    ``rho``: exactly what :func:`simulate_paths` draws from ``np.random.default_rng(seed)`` (read-only, shared)."""
    key = (int(seed), int(n_paths), int(n_years), int(k), repr(float(rho)))  # repr: -0.0 is not 0.0 here
    with _SHOCKS_LOCK:
        hit = _SHOCKS.get(key)
        if hit is not None:
            _SHOCKS.move_to_end(key)
            return hit
    z = np.random.default_rng(seed).standard_normal((n_paths, n_years, k)) @ correlation_root(k, rho).T
    z.setflags(write=False)
    if z.nbytes > _SHOCKS_BYTES:
        return z
    with _SHOCKS_LOCK:
        _SHOCKS[key] = z
        while len(_SHOCKS) > _SHOCKS_KEPT or sum(v.nbytes for v in _SHOCKS.values()) > _SHOCKS_BYTES:
            _SHOCKS.popitem(last=False)
    return z


def fan_segments(s: Scenario, targets: Targets) -> tuple[str, ...]:
    """The segments a fan shows (the total, then the segments with a target, parents first)."""
    t = s.tree
    lm = leaf_map(s)
    return tuple(x for x in t.ids if x in lm and (x == t.root or x in targets))


def simulate(s: Scenario, targets: Targets) -> Fan:
    """Seeded Monte Carlo of ``s.n_paths`` paths: same scenario and seed ⇒ identical numbers (those of
    ``simulate_paths(s, np.random.default_rng(s.seed))``; the shocks are drawn once per seed, paths, years, segments
    and correlation)."""
    years = np.arange(s.base_year + 1, s.horizon + 1)
    levels = _levels(s, correlated_shocks(s.seed, s.n_paths, len(years), len(s.segments), s.correlation))
    lm = leaf_map(s)
    col = {c: i for i, c in enumerate(s.segments)}
    bases = s.bases
    prob = {}
    i_t = s.target_year - s.base_year - 1
    names = fan_segments(s, targets)
    all_years = np.r_[s.base_year, years]
    values = []  # per segment: (quantiles, base year + years)
    for name in names:
        idx = [col[x] for x in lm[name]]
        arr = levels[:, :, idx[0]] if len(idx) == 1 else levels[:, :, idx].sum(axis=2)
        q = np.quantile(arr, QUANTILES, axis=0)  # (quantiles, years)
        values.append(np.column_stack([np.full(len(QUANTILES), float(bases[name])), q]))
        if name in targets:
            t, at = targets[name], arr[:, i_t]
            hit = at <= t * (1 + 1e-9) if targets.comparator(name) == "<=" else at >= t * (1 - 1e-9)
            prob[name] = float(np.mean(hit))
    # one frame, rows by segment, then quantile, then year
    n_q, n_y = len(QUANTILES), len(all_years)
    quantiles = pd.DataFrame({
        "year": np.tile(all_years, len(names) * n_q),
        "segment": pd.array(np.repeat(np.array(names, dtype=object), n_q * n_y), dtype="str"),
        "quantile": np.tile(np.repeat(np.array(QUANTILES, dtype=float), n_y), len(names)),
        "value": np.concatenate(values, axis=None) if values else np.array([], dtype=float)})
    arrays = MappingProxyType({name: (all_years, v) for name, v in zip(names, values)})
    for v in values:
        v.setflags(write=False)
    all_years.setflags(write=False)
    return Fan(quantiles=quantiles, prob=prob, n_paths=s.n_paths, arrays=arrays)


# -- goal seek -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seek:
    """The constant rate ``segment`` needs for ``target``'s target (a segment id) in the target year, others as
    in the scenario."""

    target: str
    segment: str
    feasible: bool
    rate: float | None  # None with feasible=True: met whatever this segment does
    reason: str  # met | reached | too_high | no_effect


def _output(s: Scenario, targets: Targets, which: str) -> float:
    return project(s, targets).output[which]


def solve_growth(s: Scenario, targets: Targets, segment: str, which: str) -> Seek:
    """Bisection on the segment's constant rate (its overrides stay): never a silent clamp.

    Infeasible when even the highest allowed rate (500 %/yr) falls short, or when the segment does not enter
    the target (a segment outside it).
    """
    goal = targets[which]
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
    """The base-year value of ``which`` with which the scenario's growth lands exactly on its target.

    A projected segment: target ÷ its growth factor. A segment with a residual: its parts' bases fixed, the
    residual's base that closes the gap (None when the residual does not grow into the target year at all). Any
    other: every segment under it scaled alike.
    """
    p = project(s, targets)
    t = s.tree
    out, base = p.output[which], p.bases[which]
    r = t.residual_of(which)
    if r is not None and r in p.output:
        res_base = p.bases[r]
        g = p.output[r] / res_base if res_base > 0 else None
        if not g:
            return None
        parts = t.parts_of(which)
        return sum(p.bases[x] for x in parts) + (targets[which] - sum(p.output[x] for x in parts)) / g
    if not out:
        return None
    return targets[which] / (out / base)


def with_leaf_base(s: Scenario, leaf: str, value: float) -> Scenario:
    """``s`` with the base of a projected segment set to ``value``, every other projected segment's base kept:
    the change is added to the segment (where it is an input) and to each input above it."""
    t = s.tree
    delta = value - s.bases[leaf]
    b = dict(s.baselines)
    for x in (leaf,) + t.ancestors(leaf):
        if x in b:
            b[x] = b[x] + delta
    return s.with_(baselines=FrozenMap(b))


def tornado(s: Scenario, targets: Targets, rate_step: float = 0.01, base_step: float = 0.10) -> pd.DataFrame:
    """Target-year total output and its gap for ±1 pp on each growth rate and ±10 % on each segment's base value.

    Returns one row per assumption (parameter, low/high output and gap, swing), ranked by swing.
    """
    root = s.root
    base_out = project(s, targets).output[root]
    goal = targets.get(root)
    rows = []
    for seg in s.segments:
        lo = s.with_growth(**{seg: max(s.growth[seg] - rate_step, RATE_MIN)})
        hi = s.with_growth(**{seg: min(s.growth[seg] + rate_step, RATE_MAX)})
        rows.append((f"growth.{seg}", lo, hi))
    bases = s.bases
    for leaf in s.tree.unsplit:
        v = bases[leaf]
        room = MONEY_MAX - max(s.baselines.values())  # a base near the field's maximum: one-sided
        rows.append((f"baseline.{leaf}", with_leaf_base(s, leaf, v * (1 - base_step)),
                     with_leaf_base(s, leaf, v + max(0.0, min(v * base_step, room)))))
    out = []
    for name, lo, hi in rows:
        o_lo, o_hi = _output(lo, targets, root), _output(hi, targets, root)
        nan = float("nan")
        out.append({"parameter": name, "output_low": o_lo, "output_high": o_hi, "output_base": base_out,
                    "gap_low": o_lo - goal if goal is not None else nan,
                    "gap_high": o_hi - goal if goal is not None else nan, "swing": abs(o_hi - o_lo)})
    return pd.DataFrame(out).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# -- land ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaLand:
    """Land in one area (亩): what the plan names, what the plan's projects already list there, what is counted."""

    area: str
    named_mu: float | None  # stated in the plan (None: the plan states no figure for this area)
    claimed_mu: float  # land_mu of the projects in this area
    counted_mu: float  # counted as available: the user's figure, else the plan's, else 0
    user_set: bool
    names: tuple[tuple[str, str], ...] = ()  # (lang, name)
    from_parts: bool = False  # counted as the sum of the areas inside it (no figure of its own, none set)

    def label(self, lang: str) -> str:
        """The area's name in ``lang``."""
        named = dict(self.names)
        return named.get(lang) or named.get("zh") or self.area


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
        """The names of the areas whose own land figure is counted, as a list in ``lang`` (、 in Chinese; "; " in
        English, since a name may hold a comma); "" when none is counted. An area counted as the sum of the areas
        inside it is not named: its land is theirs, and they are named."""
        return ("、" if lang == "zh" else "; ").join(a.label(lang) for a in self.areas
                                                      if a.counted_mu > 0 and not a.from_parts)


def named_land(data: PlanData) -> dict[str, float]:
    """The plan's named developable land (亩) per area (rows with role ``land_available``); a figure the data tie to
    no area is keyed by its row's indicator id (e.g. a zone the plan names on its own)."""
    out: dict[str, float] = {}
    for row in data.role_rows("land_available"):
        key = row.get("area") or row["indicator_id"]
        out[key] = out.get(key, 0.0) + float(row["value"])
    return out


def has_land(data: PlanData) -> bool:
    return data.has_role("per_mu_base")


def within_counted(data: PlanData, area: str, areas) -> bool:
    """Whether an area lies inside another area whose land is counted: its land is then part of that figure (the
    plan's 其中), not added to it."""
    if area not in data.areas:
        return False
    counted = {x.area for x in areas if x.counted_mu > 0}
    return any(a in counted for a in data.areas.ancestors(area))


def land(s: Scenario, targets: Targets, data: PlanData, projection=None) -> Land | None:
    """Land the extra output needs at the assumed per-mu output, against the land counted per area (None when the
    plan states no output per mu).

    Per area: the plan's named availability (where it states one), the land the plan's projects already list
    there, and the land counted: the scenario's figure (``land_mu``) where set, else the plan's; an area the plan
    gives no figure for is not counted unless the user sets one. The land available is the sum over the areas, an
    area inside a counted area not added again (its figure is part of its parent's: 其中).

    ``projection``: ``project(s, targets)`` where the caller has it already (a page's results), not computed again.
    """
    if not has_land(data):
        return None
    p = projection if projection is not None else project(s, targets)
    root = s.root
    extra = max(p.output[root] - p.bases[root], 0.0)
    # output per mu grows from the scenario's base-year figure (a rebase sets it from the actuals), else from the
    # year the plan states it
    if s.per_mu_base is not None:
        per_mu = s.per_mu_base * (1 + s.per_mu_growth) ** (s.target_year - s.base_year)
    else:
        per_mu = data.role("per_mu_base") * (1 + s.per_mu_growth) ** (s.target_year - data.role_year("per_mu_base"))
    named = named_land(data)
    claimed = data.projects.groupby("area")["land_mu"].sum(min_count=1).to_dict() if len(data.projects) else {}
    # an area others lie in is taken with them (其中): the land its projects list includes theirs, and with no
    # figure of its own (the plan's or the user's) its land counted is theirs summed, deepest areas first
    counted_of: dict[str, float] = {}
    parts_of: set[str] = set()
    for a in sorted(data.areas, key=lambda x: -len(data.areas.ancestors(x.id))):
        user = s.land_mu.get(a.id)
        own = user if user is not None else named.get(a.id)
        kids = [k.id for k in data.areas if k.parent == a.id]
        if own is None and any(counted_of.get(k, 0.0) > 0 for k in kids):
            counted_of[a.id] = sum(counted_of.get(k, 0.0) for k in kids)
            parts_of.add(a.id)
        else:
            counted_of[a.id] = float(own or 0.0)
    areas = []
    for a in data.areas:
        user = s.land_mu.get(a.id)
        nm = named.get(a.id)
        listed = sum(float(claimed.get(x) or 0.0) for x in data.areas.within(a.id)
                     if math.isfinite(float(claimed.get(x) or 0.0)))
        areas.append(AreaLand(a.id, nm, listed, counted_of[a.id], user is not None, a.names, a.id in parts_of))
    for key, nm in named.items():  # named land the data tie to no area: labelled by its own row
        if key not in data.areas:
            row = data.indicator_row(key)
            names = tuple((k[5:], v) for k, v in row.items() if k.startswith("name_") and v)
            areas.append(AreaLand(key, nm, 0.0, nm, False, names))
    available = sum(x.counted_mu for x in areas if not within_counted(data, x.area, areas))
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


# What investment_output reads of a scenario besides what phasing reads (tests/test_analysis.py records its reads):
# a page keeps its result for a phasing across growth moves by investment_output_key.
INVESTMENT_OUTPUT_FIELDS = ("base_year", "horizon", "ramp_first", "io_ratio", "io_roles")


def investment_output_key(s: Scenario) -> tuple:
    """Every setting :func:`investment_output` reads, as a key (with its phasing's: the delays move completion)."""
    from .phasing import phasing_key

    return phasing_key(s) + tuple(repr(getattr(s, f)) for f in INVESTMENT_OUTPUT_FIELDS)


def investment_output(data: PlanData, s: Scenario, ph: Phasing) -> pd.Series:
    """Output (亿元/yr) that projects add after completion, by their output role (illustrative, not a forecast).

    A project counts from the year after it is complete: its last phased money, or its end year (delayed as its
    money is) when that is later — a project built past the plan period has only its plan-period money phased,
    which ends with the period, not with the project. ``ramp_first`` of ``ratio × invested`` in the year after,
    all of it afterwards. Delays and the ceiling therefore move output later.
    """
    years = np.arange(s.base_year + 1, max(s.horizon, int(ph.years.max()) if len(ph.years) else s.horizon) + 1)
    ratio_of = io_ratios(s, data)
    ratio = np.array([ratio_of.get(i, 0.0) for i in ph.ids], dtype=float)
    keep = ratio > 0
    if not keep.any():
        return pd.Series(0.0, index=pd.Index(years, name="year"))
    m = ph.matrix[keep]
    invested = m.sum(axis=1)
    last = np.where(m > 0, ph.years[None, :], -1).max(axis=1)  # completion: last year with money …
    last = np.maximum(last, _end_years(data, s, np.asarray(ph.ids, dtype=object)[keep]))  # … or the end year
    k = years[None, :] - last[:, None]  # years since completion
    ramp = np.where(k == 1, s.ramp_first, np.where(k >= 2, 1.0, 0.0))
    out = ((ratio[keep] * invested)[:, None] * ramp).sum(axis=0)
    return pd.Series(out, index=pd.Index(years, name="year")).loc[: s.horizon]


def _end_years(data: PlanData, s: Scenario, ids) -> np.ndarray:
    """Each project's end year in the list, delayed as its money is (-1 where the list gives none)."""
    from .phasing import project_delays

    if "end_year" not in data.projects.columns:
        return np.full(len(ids), -1, dtype=np.int64)
    df = data.projects.drop_duplicates("project_id").set_index("project_id", drop=False).reindex(list(ids))
    known = df["project_id"].notna().to_numpy()
    end = df["end_year"].astype("Float64").fillna(-1).to_numpy(dtype=np.int64)
    out = np.full(len(ids), -1, dtype=np.int64)
    if known.any():
        rows = df.loc[known].reset_index(drop=True)
        out[known] = np.where(end[known] >= 0, end[known] + project_delays(rows, s), -1)
    return out


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

def has_track_record(data: PlanData) -> bool:
    """The package holds an earlier plan's target and outcome (public_figures.csv roles)."""
    return data.has_role("earlier_target") and data.has_role("earlier_outcome")


def earlier_realisation(data: PlanData) -> float:
    """The earlier plan's level ratio: its outcome ÷ its target (public_figures.csv, roles ``earlier_outcome`` and
    ``earlier_target``)."""
    return data.role_amount("earlier_outcome") / data.role_amount("earlier_target")


@dataclass(frozen=True)
class EarlierBase:
    """The earlier plan's base-year output of the segment its target was for (亿元) and how it is known."""

    value: float
    year: int
    source: str  # user | estimate (city figure × the district's share) | none


def earlier_base(s: Scenario, data: PlanData) -> EarlierBase:
    """The base of the earlier plan: the user's figure, else the city's figure that year × the district's share
    of the city in the plan's base year (roles ``city_earlier_base``, ``share_of_city``: an estimate, no public
    district figure exists)."""
    year = data.role_year("city_earlier_base") if data.has_role("city_earlier_base") else \
        data.role_year("earlier_target")
    if s.earlier_base_yi is not None:
        return EarlierBase(s.earlier_base_yi, year, "user")
    if data.has_role("city_earlier_base") and data.has_role("share_of_city"):
        return EarlierBase(data.role_amount("city_earlier_base") * data.role("share_of_city") / 100, year, "estimate")
    return EarlierBase(float("nan"), year, "none")


def increase_realisation(s: Scenario, data: PlanData) -> float:
    """Share of the earlier plan's planned increase that was achieved: (outcome − base) ÷ (target − base)."""
    b = earlier_base(s, data).value
    return (data.role_amount("earlier_outcome") - b) / (data.role_amount("earlier_target") - b)


def track_record_targets(s: Scenario, targets: Targets, data: PlanData) -> Targets:
    """Targets discounted by the earlier plan's track record, in the scenario's reading (every target alike).

    ``level`` (default: both of its figures are sourced): target × (outcome ÷ target of the earlier plan). It can
    put a target below the base-year output, which the UI and the brief say.
    ``increase``: base + r × (target − base) with r the share of the earlier plan's increase achieved; that needs
    the earlier plan's base, which is an estimate unless the user sets it.
    """
    bases = s.bases
    if s.track_reading == "increase":
        r = increase_realisation(s, data)
        vals = {k: bases[k] + r * (v - bases[k]) for k, v in targets.values.items()}
    else:
        r = earlier_realisation(data)
        vals = {k: r * v for k, v in targets.values.items()}
    return Targets(FrozenMap(vals), targets.user_set, targets.comparators)


def realisation(s: Scenario, targets: Targets) -> pd.DataFrame:
    """Entered actuals against the projection: year, segment, actual, projected, ratio (actual ÷ projected)."""
    p = project(s, targets)
    rows = []
    for (seg, y), v in sorted(s.actuals.items()):
        try:
            ser = p.series(seg)
        except KeyError:
            continue
        if y in ser.index:
            proj = float(ser[y])
            rows.append({"year": y, "segment": seg, "actual": v, "projected": proj,
                         "ratio": v / proj if proj else float("nan")})
    return pd.DataFrame(rows, columns=["year", "segment", "actual", "projected", "ratio"])


def actuals_map(rows) -> FrozenMap:
    """(segment, year) → value from (segment, year, value) triples, skipping blanks."""
    return FrozenMap({(seg, int(y)): float(v) for seg, y, v in rows if v is not None and v == v})

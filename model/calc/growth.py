"""Output projection by segment (money in 亿元, rates as decimals), on the scenario's own calendar, for any plan.

The projected segments are the leaves of the plan's segment tree (:mod:`model.plan.segments`); every other segment
is the sum of the leaves under it (the total among them). Results are kept per segment id.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..plan.tables import PlanData
from ..scenario.frozen import FrozenMap
from ..scenario.scenario import Scenario, ScenarioError, required_rate
from .compare import holds

REACH_TOL = 1e-9  # relative: a path that lands on a target within float error has reached it
USER_COMPARATOR = ">="  # a user-set target is reached at its value


@dataclass(frozen=True)
class Targets:
    """Targets for the target year in 亿元 by segment; ``user_set`` names the ones the scenario sets (not plan
    figures); ``comparators`` how each is judged reached (the plan's words: 突破 >, 达到 ≥ …)."""

    values: FrozenMap = field(default_factory=FrozenMap)
    user_set: frozenset = frozenset()
    comparators: FrozenMap = field(default_factory=FrozenMap)

    def __contains__(self, seg) -> bool:
        return seg in self.values

    def get(self, seg: str) -> float | None:
        return self.values.get(seg)

    def __getitem__(self, seg: str) -> float:
        return self.values[seg]

    def is_user_set(self, seg: str) -> bool:
        return seg in self.user_set

    @property
    def any_user_set(self) -> bool:
        return bool(self.user_set)

    def comparator(self, seg: str) -> str:
        return self.comparators.get(seg, USER_COMPARATOR)

    def met(self, seg: str, value: float) -> bool:
        """Whether ``value`` meets the segment's target by its comparator (one rule with the evaluation)."""
        t = self.values.get(seg)
        return t is not None and holds(value, t, self.comparator(seg), tol=REACH_TOL)

    @classmethod
    def from_data(cls, data: PlanData) -> Targets:
        """The plan's own targets (segments.csv target_id rows)."""
        vals, comps = {}, {}
        for sid in data.segments.ids:
            row = data.segment_target_row(sid)
            if row is not None:
                vals[sid] = data.money_yi(row)
                comps[sid] = row["comparator"]
        return cls(FrozenMap(vals), frozenset(), FrozenMap(comps))

    @classmethod
    def for_scenario(cls, s: Scenario, data: PlanData) -> Targets:
        """The scenario's targets: those it sets, else the plan's (only for the plan's own target year)."""
        plan = cls.from_data(data)
        same_year = s.target_year == data.calendar.target_year
        vals = dict(plan.values) if same_year else {}
        comps = dict(plan.comparators) if same_year else {}
        for seg, v in s.targets.items():
            vals[seg] = v
            comps.pop(seg, None)
        return cls(FrozenMap(vals), frozenset(s.targets), FrozenMap(comps))

    @staticmethod
    def missing(s: Scenario, data: PlanData) -> list[str]:
        """Segments the plan sets a target for that have none in ``s``'s target year (a moved target year needs
        the user's targets)."""
        if s.target_year == data.calendar.target_year:
            return []
        return [seg for seg in data.segments.with_targets if seg not in s.targets]


@dataclass(frozen=True)
class Projection:
    """Yearly output per projected segment and the total (亿元), with the results at the target year per segment."""

    path: pd.DataFrame  # index: year (base year … horizon); columns: projected segments..., the total
    targets: Targets
    base_year: int
    target_year: int
    root: str
    output: dict  # segment -> output in the target year (every segment the current split can sum)
    gap: dict  # segment -> output − target (segments with a target); negative = shortfall
    cagr: dict  # segment -> base → target year, decimal
    cagr_horizon: dict  # path column -> CAGR base → horizon
    required: dict  # segment -> constant growth its target needs from its base (segments with a target)
    required_conditional: dict  # residual -> growth it needs for its parent's target if its siblings grow as set
    first_year: dict  # segment -> first year that meets its target (its comparator) within the horizon (None: not)
    bases: dict  # segment -> base-year value

    @property
    def years(self) -> int:
        return self.target_year - self.base_year

    def series(self, seg: str) -> pd.Series:
        """The path of any segment (a sum of projected columns where it is not one)."""
        if seg in self.path.columns:
            return self.path[seg]
        cols = [c for c in self._leaves(seg)]
        if not cols:
            raise KeyError(seg)
        return self.path[cols].sum(axis=1)

    def _leaves(self, seg: str) -> list[str]:
        return list(self._leaf_map.get(seg, ()))

    _leaf_map: dict = field(default_factory=dict, repr=False, compare=False)

    def met(self, seg: str) -> bool:
        return seg in self.targets and self.targets.met(seg, self.output[seg])


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
    b = s.bases
    return np.array([b[k] for k in s.segments], dtype=float)


def cagr(start: float, end: float, years: int) -> float:
    """Compound annual growth rate (decimal); NaN when undefined (start ≤ 0)."""
    if start <= 0 or years <= 0:
        return float("nan")
    if end <= 0:
        return -1.0
    return (end / start) ** (1.0 / years) - 1.0


def _first_year(series: pd.Series, targets, seg: str) -> int | None:
    """The first year the path meets the segment's target by the target's own rule (突破: above it; 约: within its
    band; 以内: at or below), as every page, file and document says it."""
    return next((int(y) for y, v in series.items() if targets.met(seg, float(v))), None)


def leaf_map(s: Scenario) -> dict[str, tuple[str, ...]]:
    """segment -> the projected segments that make it up (only segments the current split can sum)."""
    t = s.tree
    out = {}
    for sid in t.ids:
        leaves = t.leaves_under(sid, s.split)
        if leaves:
            out[sid] = leaves
    return out


def project(s: Scenario, targets: Targets) -> Projection:
    """Project output from the base year to ``s.horizon``.

    Each projected segment grows at its constant rate, or at its override in a given year:
    value[y] = value[y-1] × (1 + rate[y]); every other segment is the sum of the projected segments under it.
    A residual's conditional required growth: what it needs for its parent's target if its sibling parts grow as
    the scenario says (None when they already carry the target, or it has no base).
    """
    t = s.tree
    b, ty = s.base_year, s.target_year
    years = np.arange(b + 1, s.horizon + 1)
    rates = growth_matrix(s, years)
    base = base_values(s)
    levels = base[:, None] * np.cumprod(1.0 + rates, axis=1)
    data = np.concatenate([base[:, None], levels], axis=1)
    segs = list(s.segments)
    path = pd.DataFrame(data.T, index=pd.Index(np.arange(b, s.horizon + 1), name="year"), columns=segs)
    if t.root not in segs:
        path[t.root] = data.sum(axis=0)
    n = ty - b
    lm = leaf_map(s)
    bases = s.bases
    col = {c: i for i, c in enumerate(segs)}

    def out_at(seg, j=ty - b):
        return float(sum(data[col[x], j] for x in lm[seg]))

    output = {seg: out_at(seg) for seg in lm}
    gap = {seg: output[seg] - targets[seg] for seg in targets.values if seg in output}
    required = {seg: required_rate(bases[seg], targets[seg], n) for seg in targets.values
                if seg in bases and bases[seg] > 0 and targets[seg] > 0}
    conditional = {}
    for parent in t.ids:
        r = t.residual_of(parent)
        if r is None or parent not in targets:
            continue
        remaining = targets[parent] - sum(output.get(p, 0.0) for p in t.parts_of(parent))
        conditional[r] = required_rate(bases[r], remaining, n) if remaining > 0 and bases[r] > 0 else None
    h = s.horizon - b
    first = {}
    for seg in targets.values:
        if seg in lm:
            ser = path[seg] if seg in path.columns else path[list(lm[seg])].sum(axis=1)
            first[seg] = _first_year(ser, targets, seg)
    return Projection(
        path=path, targets=targets, base_year=b, target_year=ty, root=t.root, output=output, gap=gap,
        cagr={seg: cagr(bases[seg], output[seg], n) for seg in lm},
        cagr_horizon={c: cagr(float(path[c].iloc[0]), float(path[c].iloc[-1]), h) for c in path.columns},
        required=required, required_conditional=conditional, first_year=first, bases=bases, _leaf_map=lm)


def reference_path(base: float, rate: float, first: int, last: int) -> pd.Series:
    """A single constant-rate path from ``first`` (value ``base``) to ``last`` (for reference lines on charts)."""
    years = np.arange(first, last + 1)
    return pd.Series(base * (1.0 + rate) ** (years - first), index=pd.Index(years, name="year"))


def check_targets(s: Scenario, data: PlanData) -> None:
    """Raise ``ScenarioError`` when the scenario's target year needs targets it does not set."""
    missing = Targets.missing(s, data)
    if missing:
        f_names = ", ".join(f"target_{data.segments[m].key}" for m in missing)
        raise ScenarioError([f"targets: the plan's targets are for {data.calendar.target_year}; set the targets for "
                             f"{s.target_year} ({f_names})"])

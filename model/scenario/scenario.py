"""The Scenario: every assumption in one frozen, hashable object, generated from the field table.

Rates are decimals here (0.075 = 7.5 %); money is in 亿元; years are integers. A Scenario that exists is valid:
construction checks every field's kind and range (:mod:`model.scenario.fields`) and the rules that tie fields
together (below), and raises :class:`ScenarioError` listing every problem, each naming its assumptions-CSV
parameter.
"""
from __future__ import annotations

import dataclasses
from dataclasses import make_dataclass, replace

from ..cleaning import clean
from ..numbers import finite
from ..plan.calendar import HORIZON_SPAN
from .fields import BY_NAME, FIELDS, SPLIT_SEGMENTS, Field
from .frozen import FrozenMap
from .kinds import YearMap

MAX_PLAN_YEARS = 20


class ScenarioError(ValueError):
    """Invalid assumptions; ``problems`` lists one message per issue (with row/column for files)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def clean_name(value) -> str:
    """A name as people see it: NFC, no control, format (zero-width, bidi) or surrogate characters, one space
    between words, no surrounding space. Two names that look the same become the same name. The one cleaner of
    every text that enters (:func:`model.cleaning.clean`)."""
    return clean(value)


# -- rules that tie fields together (each names the parameter it blames) --------------------------------

def _rule_baselines(s) -> list[str]:
    if finite(s.baseline_rail_yi) and finite(s.baseline_total_yi) and s.baseline_total_yi < s.baseline_rail_yi:
        return [f"baseline_2020_total: {s.baseline_total_yi:g} is below the rail baseline {s.baseline_rail_yi:g}"]
    return []


def _rule_shares(s) -> list[str]:
    total = sum(s.shares.values()) if all(finite(v) for v in s.shares.values()) else None
    if total is not None and set(s.shares) == set(SPLIT_SEGMENTS) and abs(total - 1) > 1e-6:
        return [f"share: shares sum to {total * 100:g} %, not 100 %"]
    return []


def _rule_correlation(s) -> list[str]:
    k = len(s.segments)
    lo = -1.0 / (k - 1) if k > 1 else -1.0  # the smallest correlation that keeps the matrix valid
    if finite(s.correlation) and not lo <= s.correlation <= 1.0:
        return [f"correlation: {s.correlation!r} outside {lo:g}–1 for {k} segments"]
    return []


def _rule_calendar(s) -> list[str]:
    p = []
    if s.target_year <= s.base_year:
        p.append(f"target_year: {s.target_year} is not after the base year {s.base_year}")
    if s.plan_last_year < s.plan_first_year:
        p.append(f"plan_last_year: {s.plan_last_year} is before the plan's first year {s.plan_first_year}")
    elif s.plan_last_year - s.plan_first_year > MAX_PLAN_YEARS:
        p.append(f"plan_last_year: a plan period of more than {MAX_PLAN_YEARS + 1} years")
    if s.target_year - s.base_year > MAX_PLAN_YEARS:
        p.append(f"target_year: more than {MAX_PLAN_YEARS} years after the base year")
    return p


def _rule_horizon(s) -> list[str]:
    hi = s.target_year + HORIZON_SPAN
    if not s.target_year <= s.horizon <= hi:
        return [f"horizon: {s.horizon!r} outside {s.target_year}–{hi}"]
    return []


def _rule_years(s) -> list[str]:
    """Per-year settings (overrides, actuals) fall after the base year and within the longest horizon."""
    lo, hi = s.base_year + 1, s.target_year + HORIZON_SPAN
    p = []
    for f in FIELDS:
        if isinstance(f.kind, YearMap):
            for (seg, year) in getattr(s, f.name):
                if not lo <= year <= hi:
                    p.append(f"{f.csv}.{seg}.{year}: year outside {lo}–{hi}")
    return p


RULES = (_rule_baselines, _rule_shares, _rule_correlation, _rule_calendar, _rule_horizon, _rule_years)


class ScenarioBase:
    """Methods of :class:`Scenario` (its fields come from the field table)."""

    def __post_init__(self):
        for f in FIELDS:
            v = getattr(self, f.name)
            if f.name == "name":
                v = clean_name(v)
            object.__setattr__(self, f.name, f.kind.coerce(v))
        for name in ("delay_area", "delay_category", "delay_project"):  # a zero delay is no delay
            m = getattr(self, name)
            if any(v == 0 for v in m.values()):
                object.__setattr__(self, name, FrozenMap({k: v for k, v in m.items() if v != 0}))
        problems = self.problems()
        if problems:
            raise ScenarioError(problems)

    def problems(self) -> list[str]:
        p: list[str] = []
        for f in FIELDS:
            try:
                p += f.kind.problems(f, getattr(self, f.name))
            except (TypeError, ValueError, AttributeError) as exc:  # a value of the wrong type altogether
                p.append(f"{f.csv}: invalid value ({type(exc).__name__})")
        if not p:
            for rule in RULES:
                p += rule(self)
        return p

    def check_against(self, data) -> list[str]:
        """Problems that need the data: unknown project ids."""
        known = set(data.projects["project_id"])
        p = [f"delay.project.{k}: unknown project" for k in self.delay_project if k not in known]
        p += [f"excluded: unknown project {k}" for k in sorted(self.excluded) if k not in known]
        return p

    @property
    def segments(self) -> tuple[str, ...]:
        """Projected segments (excluding the total)."""
        return ("rail_transit",) + (SPLIT_SEGMENTS if self.split_nonrail else ("nonrail",))

    @property
    def baseline_nonrail_yi(self) -> float:
        return self.baseline_total_yi - self.baseline_rail_yi

    def with_(self, **changes):
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)

    def with_growth(self, **rates: float):
        g = dict(self.growth)
        g.update(rates)
        return replace(self, growth=FrozenMap(g))


def _make() -> type:
    specs = [(f.name, object, dataclasses.field(default_factory=f.default_value)) for f in FIELDS]
    cls = make_dataclass("Scenario", specs, bases=(ScenarioBase,), frozen=True, eq=True, repr=True)
    cls.__module__ = __name__
    lines = [f"    {f.name} ({f.unit or '-'}): {f.describe(key='KEY', seg='SEGMENT', year='YEAR')}" for f in FIELDS]
    cls.__doc__ = "All assumptions of one scenario (generated from model.scenario.fields):\n\n" + "\n".join(lines)
    return cls


Scenario = _make()


def field_problems(name: str, problems: list[str]) -> list[str]:
    """The problems that name field ``name``'s parameter."""
    f: Field = BY_NAME[name]
    return [p for p in problems if p.split(":", 1)[0] == f.csv or p.startswith(f.csv + ".")]


def required_rate(base: float, target: float, years: int) -> float:
    """Constant annual rate taking ``base`` to ``target`` in ``years`` years (decimal)."""
    return (target / base) ** (1.0 / years) - 1.0

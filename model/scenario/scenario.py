"""The Scenario: every assumption in one frozen, hashable object, generated from the field table, for one plan.

Rates are decimals here (0.075 = 7.5 %); money is in 亿元; years are integers. A Scenario that exists is valid for
its plan: construction checks every field's kind and range against the field table bound to the plan
(:func:`model.scenario.fields.fields_for`) and the rules that tie fields together (below), and raises
:class:`ScenarioError` listing every problem, each naming its assumptions-CSV parameter.

A scenario carries the plan it is for (``plan_data``, not part of its identity, and ``plan``, the package's id:
empty for the plan that files without a plan row belong to). A field left out takes the plan's default.
"""
from __future__ import annotations

import dataclasses
from dataclasses import make_dataclass, replace

from ..cleaning import clean
from ..numbers import finite
from ..plan.calendar import HORIZON_SPAN, MAX_PLAN_YEARS, calendar_problems
from .fields import FIELDS, Field, fields_for
from .frozen import FrozenMap
from .kinds import YearMap

_UNSET = object()  # a field not given: it takes the plan's default


class ScenarioError(ValueError):
    """Invalid assumptions; ``problems`` lists one message per issue (with row/column for files)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def clean_name(value) -> str:
    """A name as people see it (one cleaner for every text that enters: :func:`model.cleaning.clean`)."""
    if not isinstance(value, str):
        return value
    return clean(value)


# -- rules that tie fields together (each names the parameter it blames) --------------------------------

def _param(s, seg: str, field: str = "baselines") -> str:
    f = fields_for(s.plan_data)[field]
    return f.kind.param(f, seg, s.base_year if field == "baselines" else s.target_year)


def _rule_baselines(s) -> list[str]:
    """A segment's base is not below the sum of its parts' when a residual takes the rest."""
    t = s.plan_data.segments
    out = []
    for sid in t.ids:
        parts = t.parts_of(sid)
        if not parts or t.residual_of(sid) is None or sid not in s.baselines:
            continue
        b = s.baselines[sid]
        total = sum(s.baselines.get(p, float("nan")) for p in parts)
        if finite(b) and finite(total) and b < total - 1e-9 * max(1.0, abs(b)):
            out.append(f"{_param(s, sid)}: {b:g} is below the sum of its parts {total:g}")
    return out


def _rule_targets(s) -> list[str]:
    """The targets a scenario sets, with the plan's for the others (in the plan's own target year), leave no parent
    whose residual takes the rest below the sum of its parts' targets, for a link, an assumptions file or
    ``--target`` alike: the residual's implied target would be negative and its required growth nonsense. (Without a
    residual a total below its parts is only a target the projection passes; a package is stricter: segments.csv's
    targets must add up in either case.)"""
    if not s.targets:
        return []  # the plan's own targets: checked when the package loaded
    data = s.plan_data
    t = data.segments
    set_ = {k: v for k, v in s.targets.items() if v is not None and finite(v)}
    eff = {}
    if s.target_year == data.calendar.target_year:
        for sid in t.ids:
            row = data.segment_target_row(sid)
            if row is not None:
                eff[sid] = data.money_yi(row)
    eff.update(set_)
    out = []
    for sid in t.ids:
        parts = t.parts_of(sid)
        if not parts or t.residual_of(sid) is None or sid not in eff or not all(p in eff for p in parts) or \
                not (sid in set_ or any(p in set_ for p in parts)):
            continue
        total = sum(eff[p] for p in parts)
        if total > eff[sid] + 1e-9 * max(1.0, abs(eff[sid])):
            blame = sid if sid in set_ else next(p for p in parts if p in set_)
            names = ", ".join(f"{t.name(p, 'en')} {eff[p]:g}" for p in parts)
            out.append(f"{_param(s, blame, 'targets')}: the parts' targets ({names}) add up to {total:g} 亿元, more "
                       f"than the target of {t.name(sid, 'en')} ({eff[sid]:g} 亿元)")
    return out


def _rule_shares(s) -> list[str]:
    t = s.plan_data.segments
    out = []
    for parent in t.splittable:
        kids = [k for k in t.children(parent) if k in s.shares]
        if not kids or not all(finite(s.shares[k]) for k in kids):
            continue
        total = sum(s.shares[k] for k in kids)
        if abs(total - 1) > 1e-6:
            out.append(f"share: shares of {t.name(parent, 'en')} sum to {total * 100:g} %, not 100 %")
    return out


def _rule_correlation(s) -> list[str]:
    k = len(s.segments)
    lo = -1.0 / (k - 1) if k > 1 else -1.0  # the smallest correlation that keeps the matrix valid
    if finite(s.correlation) and not lo <= s.correlation <= 1.0:
        return [f"correlation: {s.correlation!r} outside {lo:g}–1 for {k} segments"]
    return []


def _rule_calendar(s) -> list[str]:
    return [f"{name}: {why}" for name, why in
            calendar_problems(s.base_year, s.target_year, s.plan_first_year, s.plan_last_year)]


def _rule_horizon(s) -> list[str]:
    hi = s.target_year + HORIZON_SPAN
    if not s.target_year <= s.horizon <= hi:
        return [f"horizon: {s.horizon!r} outside {s.target_year}–{hi}"]
    return []


def _rule_years(s) -> list[str]:
    """Per-year settings (overrides, actuals) fall after the base year and within the longest horizon."""
    lo, hi = s.base_year + 1, s.target_year + HORIZON_SPAN
    p = []
    for f in fields_for(s.plan_data):
        if isinstance(f.kind, YearMap):
            for (seg, year) in getattr(s, f.name):
                if not lo <= year <= hi:
                    p.append(f"{f.csv}.{seg}.{year}: year outside {lo}–{hi}")
    return p


def _rule_plan(s) -> list[str]:
    want = None if s.plan_data.is_default else s.plan_data.id
    if s.plan != want:
        return [f"plan: this scenario is for the plan {s.plan or '(the default plan)'}, not "
                f"{s.plan_data.id}"]
    return []


DELAY_MAPS = ("delay_area", "delay_category", "delay_project")


def _no_zero_delays(s, changed=DELAY_MAPS) -> None:
    """A zero delay is no delay: dropped from the delay maps (of those in ``changed``)."""
    for name in DELAY_MAPS:
        if name not in changed:
            continue
        m = getattr(s, name)
        if any(v == 0 for v in m.values()):
            object.__setattr__(s, name, FrozenMap({k: v for k, v in m.items() if v != 0}))


RULES = (_rule_plan, _rule_baselines, _rule_targets, _rule_shares, _rule_correlation, _rule_calendar, _rule_horizon,
         _rule_years)


def default_plan():
    from ..plan.registry import default_plan as dp

    return dp()


class ScenarioBase:
    """Methods of :class:`Scenario` (its fields come from the field table)."""

    def __post_init__(self):
        plan = self.plan_data if self.plan_data is not None else default_plan()
        object.__setattr__(self, "plan_data", plan)
        fields = fields_for(plan)
        if self.plan is _UNSET:
            object.__setattr__(self, "plan", None if plan.is_default else plan.id)
        for f in fields:
            v = getattr(self, f.name)
            if v is _UNSET:
                v = f.default_value()
            elif f.name == "name":
                v = clean_name(v)
            object.__setattr__(self, f.name, f.kind.coerce(v))
        _no_zero_delays(self)
        problems = self.problems()
        if problems:
            raise ScenarioError(problems)

    def problems(self, only=None) -> list[str]:
        """Every field's own problems (of the fields in ``only`` alone, when given: the others are known to have
        none), in the field table's order; then, if there are none, the rules between fields."""
        p: list[str] = []
        for f in fields_for(self.plan_data):
            if only is not None and f.name not in only:
                continue
            try:
                p += f.kind.problems(f, getattr(self, f.name))
            except (TypeError, ValueError, AttributeError) as exc:  # a value of the wrong type altogether
                p.append(f"{f.csv}: invalid value ({type(exc).__name__})")
        if not p:
            for rule in RULES:
                p += rule(self)
        return p

    def check_against(self, data) -> list[str]:
        """Problems that need the data the scenario runs on: project ids of the (possibly replaced) project list."""
        known = set(data.projects["project_id"])
        p = [f"delay.project.{k}: unknown project" for k in self.delay_project if k not in known]
        p += [f"excluded: unknown project {k}" for k in sorted(self.excluded) if k not in known]
        return p

    @property
    def tree(self):
        return self.plan_data.segments

    @property
    def segments(self) -> tuple[str, ...]:
        """Projected segments (the leaves: the total is their sum)."""
        return self.plan_data.segments.projected(self.split)

    @property
    def bases(self) -> dict[str, float]:
        """Base-year value (亿元) of every segment: residuals and shares follow from the baselines."""
        return self.plan_data.segments.bases(self.baselines, self.shares, self.split)

    def base(self, seg: str) -> float:
        return self.bases[seg]

    @property
    def root(self) -> str:
        return self.plan_data.segments.root

    def with_(self, **changes):
        """A copy with some fields changed (validated), equal to ``dataclasses.replace(self, **changes)``, error
        messages included. Only the changed fields are coerced and checked on their own: every other field was when
        this scenario was made, and a field's own check reads its value alone (the rules between fields run on the
        copy, as on any new scenario). A slider move makes one of these."""
        fields = fields_for(self.plan_data)
        if not changes or not set(changes) <= fields.by_name.keys() or "plan" in changes:
            return replace(self, **changes)  # a new plan, or a name no field has (TypeError, as replace raises)
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)  # every field and the plan (a scenario keeps nothing else)
        for name, v in changes.items():
            f = fields[name]
            if v is _UNSET:
                v = f.default_value()
            elif name == "name":
                v = clean_name(v)
            object.__setattr__(new, name, f.kind.coerce(v))
        _no_zero_delays(new, changes)
        problems = new.problems(only=changes)
        if problems:
            raise ScenarioError(problems)
        return new

    def with_growth(self, **rates: float):
        g = dict(self.growth)
        g.update(rates)
        return replace(self, growth=FrozenMap(g))


def _make() -> type:
    specs = [(f.name, object, dataclasses.field(default=_UNSET)) for f in FIELDS]
    specs.append(("plan_data", object, dataclasses.field(default=None, compare=False, repr=False, hash=False)))
    cls = make_dataclass("Scenario", specs, bases=(ScenarioBase,), frozen=True, eq=True, repr=True)
    cls.__module__ = __name__
    lines = [f"    {f.name} ({f.unit or '-'}): {f.description}" for f in FIELDS]
    cls.__doc__ = ("All assumptions of one scenario (generated from model.scenario.fields), for the plan "
                   "``plan_data``:\n\n" + "\n".join(lines))
    return cls


Scenario = _make()


def field_problems(name: str, problems: list[str], plan=None) -> list[str]:
    """The problems that name field ``name``'s parameter."""
    f: Field = fields_for(plan)[name]
    prefix = f.csv.split("{", 1)[0] if isinstance(f.csv, str) else name
    return [p for p in problems if p.split(":", 1)[0] == f.csv or p.startswith(prefix)]


def required_rate(base: float, target: float, years: int) -> float:
    """Constant annual rate taking ``base`` to ``target`` in ``years`` years (decimal)."""
    return (target / base) ** (1.0 / years) - 1.0

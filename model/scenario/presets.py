"""Named presets of a plan, built from its baselines and targets (even profile, plan-period basis, no delay).

A package's ``presets.csv`` names its presets and gives each segment a rule: ``required`` (the growth the segment's
target needs; a residual's target is its parent's minus its parts'), ``trend`` (the package's trend_growth row),
``city_trend`` (the city series among its public figures) or ``zero``. A package without one gets
``plan-targets``, ``historical-trend`` (where it has a trend row), ``city-trend`` (where it has the two city figures)
and ``zero-growth``.
"""
from __future__ import annotations

import weakref

from ..plan import PlanData
from ..plan.bases import assumed_base, is_assumed_base, plan_bases  # noqa: F401 (their older home)
from .frozen import FrozenMap
from .scenario import Scenario, ScenarioError, required_rate

CUSTOM = "custom"  # the name of a scenario that is no longer a preset
DEFAULT_PRESETS = (("plan-targets", "required"), ("historical-trend", "trend"), ("city-trend", "city_trend"),
                   ("zero-growth", "zero"))
RULES = ("required", "trend", "city_trend", "zero")


def plan_targets(data: PlanData) -> dict[str, float]:
    """The plan's targets (亿元) by segment."""
    return {s: data.segment_target(s) for s in data.segments.ids if data.segment_target(s) is not None}


def implied_targets(data: PlanData, targets: dict[str, float] | None = None) -> dict[str, float]:
    """Targets with a residual's implied one: its parent's target minus its parts' (when all are known)."""
    t = data.segments
    out = dict(plan_targets(data) if targets is None else targets)
    for sid in t.ids:
        r = t.residual_of(sid)
        if r is None or sid not in out:
            continue
        parts = t.parts_of(sid)
        if all(p in out for p in parts):
            out[r] = out[sid] - sum(out[p] for p in parts)
    return out


def required_rates(data: PlanData, bases: dict[str, float], targets: dict[str, float], years: int
                   ) -> dict[str, float]:
    """The constant growth each projectable segment needs for its target; a segment without one takes its
    nearest ancestor's (a share child its parent's)."""
    t = data.segments
    tg = implied_targets(data, targets)
    rate = {}
    for sid in t.ids:
        b = bases.get(sid)
        if sid in tg and b and b > 0 and tg[sid] > 0:
            rate[sid] = required_rate(b, tg[sid], years)
    out = {}
    for sid in t.growth_keys:
        chain = (sid,) + t.ancestors(sid)
        out[sid] = next((rate[c] for c in chain if c in rate), 0.0)
    return out


def trend_rate(data: PlanData) -> float | None:
    return data.role("trend_growth") / 100 if data.has_role("trend_growth") else None


def city_trend(data: PlanData) -> float | None:
    """Nominal annual growth of the city series between the two public figures the data hold (roles
    ``city_earlier_base`` and ``city_base``; city level), or None."""
    if not (data.has_role("city_earlier_base") and data.has_role("city_base")):
        return None
    a, b = data.role_row("city_earlier_base"), data.role_row("city_base")
    return required_rate(data.role_amount("city_earlier_base"), data.role_amount("city_base"),
                         int(b["year"]) - int(a["year"]))


def _rules(data: PlanData) -> dict[str, dict[str, str]]:
    """slug -> {segment or '*': rule}, in file order."""
    pr = data.preset_rules
    if not len(pr):
        return {slug: {"*": rule} for slug, rule in DEFAULT_PRESETS}
    out: dict[str, dict[str, str]] = {}
    for rec in pr.to_dict(orient="records"):
        out.setdefault(rec["preset"], {})[rec["segment"]] = rec["rule"]
    return out


_NAMES: dict[int, tuple] = {}  # id(data) -> (weak reference to data, its preset names)


def preset_names(data: PlanData) -> dict[str, dict[str, str]]:
    """slug -> {lang: display name} the package gives (the engine's names for its default presets); read once per
    data object (every name shown on a page asked for it)."""
    hit = _NAMES.get(id(data))
    if hit is None or hit[0]() is not data:
        if len(_NAMES) > 16:
            _NAMES.clear()
        hit = (weakref.ref(data), _preset_names(data))
        _NAMES[id(data)] = hit
    return {slug: dict(names) for slug, names in hit[1].items()}


def _preset_names(data: PlanData) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    pr = data.preset_rules
    if len(pr):
        for rec in pr.to_dict(orient="records"):
            names = out.setdefault(rec["preset"], {})
            for k, v in rec.items():
                if k.startswith("name_") and v and k[5:] not in names:
                    names[k[5:]] = v
    return out


def presets(data: PlanData) -> dict[str, Scenario]:
    """Every preset of the plan, keyed by its slug (a preset whose rule the plan cannot serve — a trend without
    a trend row — is left out)."""
    t = data.segments
    bases = plan_bases(data)
    all_bases = t.bases(bases, {s: t[s].share for s in t.share_children})
    req = required_rates(data, all_bases, plan_targets(data), data.calendar.years)
    values = {"required": req, "trend": trend_rate(data), "city_trend": city_trend(data), "zero": 0.0}
    out = {}
    for slug, rules in _rules(data).items():
        growth = {}
        for sid in t.growth_keys:
            chain = (sid,) + t.ancestors(sid)
            rule = next((rules[c] for c in chain if c in rules), rules.get("*"))
            v = values.get(rule)
            if isinstance(v, dict):
                v = v[sid]
            if v is None:
                break
            growth[sid] = v
        else:
            out[slug] = Scenario(name=slug, growth=FrozenMap(growth), baselines=FrozenMap(bases), plan_data=data)
    if not out:
        raise ScenarioError(["presets.csv: no preset can be built for this plan"])
    return out


def data_baselines(data: PlanData) -> dict[str, float]:
    """Base-year values of the stated segments (kept for older callers)."""
    return plan_bases(data)


def honest_name(s: Scenario, table: dict[str, Scenario]) -> Scenario:
    """A scenario that carries a preset's name but not exactly that preset's numbers is renamed ``custom``, so no
    file, link or brief shows a preset's name for other numbers (e.g. rates rounded in a spreadsheet)."""
    preset = table.get(s.name)
    if preset is not None and s != preset:
        return s.with_(name=CUSTOM)
    return s


def __getattr__(name):
    if name == "PRESET_NAMES":  # the default plan's preset slugs (older callers)
        from ..plan.registry import default_plan

        return tuple(_rules(default_plan()))
    raise AttributeError(name)

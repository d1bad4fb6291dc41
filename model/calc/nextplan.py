"""The next plan: start a scenario from the latest actuals (rebase) and set its targets, for any plan.

Every target set here is user-set (``Targets.is_user_set``): it is labelled 用户设定 everywhere, never shown as a plan
figure. Years come from the scenario and the plan, never from code.

Honest with real data (issue 23):

* a segment is rebased only on an actual of the rebase year on its target's scope and measure (a city or province
  figure, another measure or an estimate is refused, naming the segment and why);
* no "achieved" growth is derived from a base the plan does not state (a derived or assumed base) or on another
  scope or measure than the actual: the method is offered only where both ends are comparable, with the reason
  otherwise;
* after a rebase the default growth of each segment is the growth its new targets require (or the user's), never
  the old plan's preset;
* the old plan's project and road lists are not counted in a later plan period unless the user chooses them
  (``carry_lists``);
* output per mu is rebased from the actuals of the monitoring indicator tied to the plan's per-mu baseline where
  there is one (else the plan's figure grown at the assumed rate, labelled so).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..numbers import sig15
from ..plan.calendar import HORIZON_SPAN
from ..plan.tables import PlanData
from ..scenario.frozen import FrozenMap
from ..plan.bases import plan_bases
from ..scenario.presets import required_rates
from ..scenario.scenario import Scenario, ScenarioError, required_rate

TARGET_METHODS = ("achieved", "historical", "old_required")


@dataclass(frozen=True)
class BaseActuals:
    """The stated segments' actuals of one year (亿元), with their measures and scopes."""

    year: int
    values: dict  # segment -> value (亿元)
    measures: dict = field(default_factory=dict)  # segment -> measure
    scopes: dict = field(default_factory=dict)  # segment -> scope
    per_mu: float | None = None  # output per mu that year (万元/亩), where the actuals give it

    def value(self, seg: str) -> float:
        return self.values[seg]

    @property
    def measure(self) -> str:
        return next(iter(self.measures.values()), "")


def output_ids(data: PlanData) -> dict[str, str]:
    """segment -> the indicator id an actuals file reports the segment's output under (its target row)."""
    return {s.id: s.target_id for s in data.segments if s.target_id}


def _records(actuals) -> list[dict]:
    """Rows of an actuals set or frame as dicts (scope and vintage "" where not given)."""
    if hasattr(actuals, "records"):
        return actuals.records()
    if actuals is None or not len(actuals):
        return []
    df = actuals.copy()
    for c in ("scope", "vintage", "measure", "source", "note", "unit"):
        if c not in df.columns:
            df[c] = ""
    out = []
    for r in df.to_dict(orient="records"):
        v = r.get("value")
        out.append({**r, "value": None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v),
                    "year": int(r["year"]), "scope": r.get("scope") or "", "vintage": r.get("vintage") or "",
                    "measure": r.get("measure") or ""})
    return out


def _comparable_figure(data: PlanData, row: dict, records: list[dict], year: int) -> tuple[dict | None, str]:
    """The latest vintage of ``row``'s indicator in ``year`` on its scope and measure, or (None, why)."""
    from ..io.actuals import vintage_rank
    from .evaluation import comparability

    cands = [r for r in records if r["indicator_id"] == row["indicator_id"] and r["year"] == year
             and r["value"] is not None]
    if not cands:
        return None, "missing"
    good = [r for r in cands if comparability(data, row, r.get("scope", ""), r["measure"])[0]]
    if not good:
        return None, comparability(data, row, cands[0].get("scope", ""), cands[0]["measure"])[1]
    return max(good, key=lambda r: vintage_rank(r.get("vintage", ""))), ""


def per_mu_actual(data: PlanData, records: list[dict], year: int) -> float | None:
    """Output per mu in ``year`` from the actuals of a monitoring indicator or target whose baseline is the plan's
    per-mu baseline (role ``per_mu_base``), on its scope and measure and in its unit; None where there is none."""
    if not data.has_role("per_mu_base"):
        return None
    base_id = data.role_row("per_mu_base")["indicator_id"]
    ind = data.indicators
    unit = data.role_row("per_mu_base")["unit"]
    rows = ind[ind["kind"].isin(("monitoring", "target")) & (ind["baseline_id"] == base_id)
               & (ind["unit"] == unit)].to_dict(orient="records")
    rows.sort(key=lambda r: r["kind"] != "monitoring")  # a monitoring row first, as before
    for row in rows:
        hit, _ = _comparable_figure(data, row, records, year)
        if hit is not None:
            return float(hit["value"])
    return None


REBASE_WHY = {"no_row": "has no target row to report its output under: set its base by hand",
              "missing": "no value", "scope": "only figures of another scope (a city, province … figure)",
              "measure": "only figures on another measure", "estimate": "only an estimate",
              "below_parts": "below the sum of its parts",
              "no_rest": "equal to the sum of its parts: nothing left for the rest (a residual's base must be above 0)"}


def rebase_problems(actuals, data: PlanData, year: int) -> dict[str, str]:
    """segment -> why ``year`` cannot be a base for it (empty: every stated segment has its own figure): ``no_row``
    (no target row to report under), ``missing``, ``scope`` (only another scope's figure, e.g. the city's),
    ``measure``, ``estimate``, or ``below_parts`` (a whole below the sum of its parts)."""
    records = _records(actuals)
    values, out = {}, {}
    for seg in data.segments.stated:
        row = data.segment_target_row(seg)
        if row is None:
            out[seg] = "no_row"
            continue
        hit, why = _comparable_figure(data, row, records, year)
        if hit is None:
            out[seg] = why if why in REBASE_WHY else "measure"
            continue
        values[seg] = data.money_yi({"value": hit["value"], "unit": row["unit"]})
    t = data.segments
    for sid in t.ids:  # a whole is not below its parts, nor equal to them where a residual takes the rest
        why = _whole_vs_parts(t, sid, values)
        if why:
            out[sid] = why
    return out


def _whole_vs_parts(t, sid: str, values: dict) -> str | None:
    """``below_parts`` where a whole is below its parts' sum; ``no_rest`` where it equals it and a residual segment
    takes the rest (the residual would start from 0: no growth gives it output, and the whole's target is missed
    without a word)."""
    parts = t.parts_of(sid)
    if not (sid in values and parts and all(p in values for p in parts)):
        return None
    total = sum(values[p] for p in parts)
    tol = 1e-9 * max(1.0, abs(values[sid]))
    if values[sid] < total - tol:
        return "below_parts"
    if t.residual_of(sid) is not None and values[sid] <= total + tol:
        return "no_rest"
    return None


def rebase_candidates(actuals, data: PlanData) -> dict[int, dict[str, str]]:
    """Every year (not before the plan's base year) in which the actuals report some stated segment's output, newest
    first, with the reasons per segment it cannot be a base (:func:`rebase_problems`; empty: it can)."""
    first = data.calendar.base_year
    ids = {data.segment_target_row(seg)["indicator_id"] for seg in data.segments.stated
           if data.segment_target_row(seg) is not None}
    years = sorted({int(r["year"]) for r in _records(actuals) if r["indicator_id"] in ids and r["year"] >= first},
                   reverse=True)
    return {y: rebase_problems(actuals, data, y) for y in years}


def base_actuals(actuals, data: PlanData, year: int) -> BaseActuals:
    """Every stated segment's output in ``year`` from actuals (an ActualsSet or a frame with indicator_id, year,
    value, measure[, scope, vintage]), each on its target's scope and measure.

    Raises ``ScenarioError`` naming each segment that has no such figure and why.
    """
    first = data.calendar.base_year
    if year < first:
        raise ScenarioError([f"base_year: {year} is before the plan's base year {first}"])
    records = _records(actuals)
    values, measures, scopes, problems = {}, {}, {}, []
    for seg in data.segments.stated:
        row = data.segment_target_row(seg)
        if row is None:
            problems.append(f"actuals: {data.seg_name(seg, 'en')} {REBASE_WHY['no_row']}")
            continue
        hit, why = _comparable_figure(data, row, records, year)
        if hit is None:
            what = REBASE_WHY.get(why, why)
            problems.append(f"actuals: {data.seg_name(seg, 'en')} ({row['indicator_id']}) {year}: {what}; a rebase "
                            f"needs the segment's own figure on its target's scope and measure")
            continue
        values[seg] = data.money_yi({"value": hit["value"], "unit": row["unit"]})
        measures[seg], scopes[seg] = hit["measure"], hit.get("scope", "")
    if problems:
        raise ScenarioError(problems)
    t = data.segments
    for sid in t.ids:  # a whole is not below its parts, nor equal to them where a residual takes the rest
        why = _whole_vs_parts(t, sid, values)
        if why:
            raise ScenarioError([f"actuals: {data.seg_name(sid, 'en')} {values[sid]:g} {REBASE_WHY[why]} "
                                 f"({sum(values[p] for p in t.parts_of(sid)):g}) in {year}"])
    return BaseActuals(int(year), values, measures, scopes, per_mu_actual(data, records, year))


def rebase(s: Scenario, base: BaseActuals, years: int | None = None) -> Scenario:
    """``s`` started from ``base``: its year and values become the base; the next plan period follows it.

    ``years``: length of the new plan (default: as long as the scenario's current one). Targets are not set
    here (the plan's targets belong to the old target year): set them with :func:`set_targets`. Output per mu
    starts from the actuals' figure where they give one.
    """
    n = years or (s.target_year - s.base_year)
    ty = base.year + n
    changes = dict(base_year=base.year, target_year=ty, plan_first_year=base.year + 1, plan_last_year=ty,
                   horizon=min(max(s.horizon, ty), ty + HORIZON_SPAN),
                   baselines=FrozenMap({k: sig15(v) for k, v in base.values.items()}),
                   overrides={k: v for k, v in s.overrides.items() if base.year < k[1] <= ty + HORIZON_SPAN},
                   actuals={k: v for k, v in s.actuals.items() if base.year < k[1] <= ty + HORIZON_SPAN},
                   targets=FrozenMap())
    if base.per_mu is not None:
        changes["per_mu_base"] = sig15(base.per_mu)
    return s.with_(**changes)


@dataclass(frozen=True)
class DerivedTargets:
    values: dict  # segment -> target (亿元)
    rates: dict  # segment -> the rate it was derived with (decimal)
    method: str
    fallback: tuple = ()  # segments the rule does not apply to, given the old plan's required rate instead


# why a rule cannot derive a segment's target (codes; the page and the messages word them)
METHOD_WHY = {
    "needs_actuals": "needs the actuals of the new base year",
    "not_after": "the new base year must come after the plan's base year",
    "no_stated_base": "the plan states no base for it (derived, assumed or a sum): no growth achieved can be read",
    "base_not_comparable": "the plan's base is on another scope or measure than its target and the actuals",
    "no_trend": "the plan states no trend",
    "trend_not_comparable": "the trend is on another measure than the target (e.g. real value added, not output)",
    "assumed_base": "the plan states no base for it (assumed): the growth it required is not known",
}


def old_base_kind(data: PlanData, seg: str) -> str:
    """How the old plan knows a segment's base: ``stated`` (a baseline row), ``derived`` (a derived row, or the sum
    or remainder of stated ones) or ``assumed`` (the plan states none, or a sum that holds an assumed one)."""
    t = data.segments
    if seg in t.stated:
        row = data.segment_base_row(seg)
        if row is None:
            return "assumed"
        return "stated" if row.get("kind") == "baseline" else "derived"
    below = [x for x in t.stated if seg in t.ancestors(x) or (t[seg].parent and x == t[seg].parent)]
    kinds = {old_base_kind(data, x) for x in below}
    return "assumed" if "assumed" in kinds else "derived"


def method_reasons(data: PlanData, method: str, history: BaseActuals | None) -> dict[str, str]:
    """segment -> why ``method`` cannot derive its target, as a code of :data:`METHOD_WHY` (empty: it can for every
    segment with a target).

    ``achieved``: the plan's base must be stated (not derived, assumed or a sum) and on its target's scope and
    measure (the new base's actual is on the target's); ``historical``: the trend row must be on the target's
    measure too (a real value-added growth is not averaged with nominal output growth); ``old_required``: the old
    plan's rate needs its target and a base that is not assumed.
    """
    from .evaluation import comparability

    if method not in TARGET_METHODS:
        raise ValueError(f"method must be one of {', '.join(TARGET_METHODS)}")
    out = {}
    for seg in data.segments.with_targets:
        row = data.segment_target_row(seg)
        base_row = data.segment_base_row(seg)
        kind = old_base_kind(data, seg)
        if method in ("achieved", "historical"):
            if history is None:
                out[seg] = "needs_actuals"
            elif history.year <= data.calendar.base_year:
                out[seg] = "not_after"
            elif kind != "stated" or seg not in history.values:
                out[seg] = "no_stated_base"
            elif not comparability(data, row, base_row.get("scope") or data.scope, base_row.get("measure") or "")[0]:
                out[seg] = "base_not_comparable"
        if method == "historical" and seg not in out:
            if not data.has_role("trend_growth"):
                out[seg] = "no_trend"
            else:
                tr = data.role_row("trend_growth")
                if not comparability(data, row, tr.get("scope") or data.scope, tr.get("measure") or "")[0]:
                    out[seg] = "trend_not_comparable"
        if method == "old_required" and kind == "assumed":
            out[seg] = "assumed_base"
    return out


def method_problems(data: PlanData, method: str, history: BaseActuals | None) -> dict[str, str]:
    """segment -> why ``method`` cannot derive its target, in words (see :func:`method_reasons`)."""
    out = {}
    for seg, why in method_reasons(data, method, history).items():
        text = METHOD_WHY[why]
        if why == "base_not_comparable":
            b, t = data.segment_base_row(seg), data.segment_target_row(seg)
            text = (f"the plan's base ({b.get('scope') or data.scope}, {b.get('measure')}) is on another scope or "
                    f"measure than its target and the actuals ({t.get('scope') or data.scope}, {t.get('measure')})")
        out[seg] = text
    return out


def old_required_rates(data: PlanData) -> dict[str, float]:
    """segment -> the growth the old plan required for its target (from its base: stated, derived or assumed, see
    :func:`old_base_kind`), over the years to that target."""
    t = data.segments
    bases = t.bases(plan_bases(data), {x: t[x].share for x in t.share_children})
    out = {}
    for seg in t.with_targets:
        row = data.segment_target_row(seg)
        n = int(row["year"]) - data.calendar.base_year
        if bases.get(seg, 0) > 0 and n > 0:
            out[seg] = required_rate(bases[seg], data.money_yi(row), n)
    return out


def derive_targets(s: Scenario, data: PlanData, method: str, history: BaseActuals | None = None, *,
                   complete: bool = False) -> DerivedTargets:
    """Targets for ``s.target_year`` from ``s``'s base by a stated rule (all user-set), for each segment with a
    target where the rule applies (see :func:`method_reasons`):

    * ``achieved``: keep the growth achieved from the plan's base year to the new base;
    * ``historical``: the mean of the plan's trend (role ``trend_growth``) and the growth achieved since;
    * ``old_required``: the growth the old plan required.

    ``complete``: every segment the rule does not apply to gets the old plan's required rate instead (listed in
    ``fallback``, to be labelled), so that every segment with a target has one. A whole is never set below the
    sum of its parts. Raises ``ScenarioError`` when the rule applies to no segment (and not ``complete``).
    """
    bad = method_reasons(data, method, history)
    segs = [x for x in data.segments.with_targets if x not in bad]
    if not segs and not complete:
        raise ScenarioError([f"targets: the rule {method} applies to no segment: " +
                             "; ".join(f"{data.seg_name(k, 'en')}: {METHOD_WHY[v]}" for k, v in bad.items())])
    old = plan_bases(data)
    old_req = old_required_rates(data)
    n = s.target_year - s.base_year
    bases = s.bases
    values, rates, fallback = {}, {}, []
    for seg in data.segments.with_targets:
        if seg in bad or method == "old_required":
            if seg in bad and not complete:
                continue
            if seg not in old_req:
                continue
            r = old_req[seg]
            if seg in bad:
                fallback.append(seg)
        else:
            span = history.year - data.calendar.base_year
            r = required_rate(old[seg], history.value(seg), span)
            if method == "historical":
                r = (r + data.role("trend_growth") / 100) / 2
        rates[seg] = r
        values[seg] = sig15(bases[seg] * (1 + r) ** n)
    t = data.segments
    for sid in t.post_order(tuple(values)):  # a whole is not below its parts
        parts = [p for p in t.parts_of(sid) if p in values]
        if parts and sid in values:
            values[sid] = sig15(max(values[sid], sum(values[p] for p in parts)))
    return DerivedTargets(values, rates, method, tuple(fallback))


def set_targets(s: Scenario, targets: dict | None = None, **kw) -> Scenario:
    """The scenario with user-set targets (segment -> 亿元; None drops one) and growth set to what they require
    (``keep_growth``: every rate kept; see :func:`follow_targets` to keep only the rates the user moved)."""
    keep_growth = kw.pop("keep_growth", False)
    if kw:
        raise TypeError(f"unexpected argument {next(iter(kw))}")
    out = s.with_(targets=FrozenMap(_merged(s.targets, targets)))
    return out if keep_growth else with_required_growth(out)


def _merged(current, targets) -> dict:
    new = dict(current)
    for k, v in dict(targets or {}).items():
        if v is None:
            new.pop(k, None)
        else:
            new[k] = sig15(float(v))
    return new


def _required_now(s: Scenario) -> dict[str, float]:
    """The growth each growth key needs for the targets in effect (the user's, else the plan's in its own year)."""
    from .growth import Targets

    data = s.plan_data
    targets = dict(Targets.for_scenario(s, data).values)
    if not targets:
        return {}
    from ..scenario.presets import implied_targets

    covered = set(implied_targets(data, targets))
    rates = required_rates(data, s.bases, targets, s.target_year - s.base_year)
    t = data.segments
    return {k: rates[k] for k in t.growth_keys if any(c in covered for c in (k,) + t.ancestors(k))}


def follow_targets(s: Scenario, targets: dict | None = None) -> Scenario:
    """The scenario with these user-set targets (as :func:`set_targets`), where each segment's growth follows its
    target only while it is at the rate its target required before the change: a rate the user moved (a slider)
    stays the user's."""
    before = _required_now(s)
    out = s.with_(targets=FrozenMap(_merged(s.targets, targets)))
    after = _required_now(out)
    g = dict(out.growth)
    for k, r in after.items():
        following = k not in before or abs(float(s.growth.get(k, float("nan"))) - before[k]) <= 1e-9 * max(
            1.0, abs(before[k]))
        if following:
            g[k] = sig15(r)
    return out.with_(growth=FrozenMap(g))


def following_targets(s: Scenario) -> dict[str, bool]:
    """growth key -> whether its rate is the one the targets in effect require (False: the user moved it)."""
    req = _required_now(s)
    return {k: abs(float(s.growth[k]) - r) <= 1e-9 * max(1.0, abs(r)) for k, r in req.items()}


def with_required_growth(s: Scenario) -> Scenario:
    """``s`` with each segment's growth set to what its targets require from its base (a residual: its parent's
    target minus its parts'; a share: its parent's rate); segments without a target keep their rates."""
    data = s.plan_data
    targets = dict(s.targets)
    if not targets:
        return s
    bases = s.bases
    rates = required_rates(data, bases, targets, s.target_year - s.base_year)
    t = data.segments
    from ..scenario.presets import implied_targets

    covered = set(implied_targets(data, targets))
    g = dict(s.growth)
    for k in t.growth_keys:
        chain = (k,) + t.ancestors(k)
        if any(c in covered for c in chain):
            g[k] = sig15(rates[k])
    return s.with_(growth=FrozenMap(g))


def achieved_growth(base: BaseActuals, data: PlanData) -> dict[str, float]:
    """CAGR of each stated segment from the plan's base year to ``base`` (decimal), only where the method
    ``achieved`` applies (stated base, comparable figures)."""
    bad = method_problems(data, "achieved", base)
    old = plan_bases(data)
    span = base.year - data.calendar.base_year
    if span <= 0:
        return {}
    return {seg: required_rate(old[seg], v, span) for seg, v in base.values.items() if seg not in bad}


# -- actuals as a series, and which years can be a base ----------------------------------------------

def outcome_series(actuals, data: PlanData, last_year: int | None = None) -> pd.DataFrame:
    """Each segment's actuals on its target's scope and measure as ``year, segment, value, measure`` (the latest
    vintage of each year; up to ``last_year`` when given), for drawing the outcome next to projections."""
    from ..io.actuals import vintage_rank
    from .evaluation import comparability

    records = _records(actuals)
    rows = {}
    for seg, iid in output_ids(data).items():
        row = data.segment_target_row(seg)
        for r in records:
            if r["indicator_id"] != iid or r["value"] is None or (last_year is not None and r["year"] > last_year):
                continue
            if not comparability(data, row, r.get("scope", ""), r["measure"])[0]:
                continue
            k = (seg, r["year"])
            if k not in rows or vintage_rank(r.get("vintage", "")) > vintage_rank(rows[k].get("vintage", "")):
                rows[k] = {**r, "value": data.money_yi({"value": r["value"], "unit": row["unit"]})}
    out = pd.DataFrame([{"year": y, "segment": seg, "value": r["value"], "measure": r["measure"]}
                        for (seg, y), r in rows.items()], columns=["year", "segment", "value", "measure"])
    return out.sort_values(["segment", "year"], kind="stable").reset_index(drop=True)


def rebase_years(actuals, data: PlanData) -> list[int]:
    """Years (not before the plan's base year) in which every stated segment has its own figure (and no whole is
    below its parts): the years a scenario can start from, newest first."""
    return [y for y, why in rebase_candidates(actuals, data).items() if not why]


def is_rebased(s: Scenario, data: PlanData) -> bool:
    return s.base_year != data.calendar.base_year


def plan_calendar_fields(s: Scenario, base: Scenario) -> Scenario:
    """``s`` back on the plan's own calendar, baselines and targets (those of ``base``, a preset); its growth and
    every other setting kept."""
    return s.with_(base_year=base.base_year, target_year=base.target_year, plan_first_year=base.plan_first_year,
                   plan_last_year=base.plan_last_year, horizon=min(max(s.horizon, base.target_year),
                                                                   base.target_year + HORIZON_SPAN),
                   baselines=base.baselines, targets=FrozenMap(), actuals_ref=None, per_mu_base=None,
                   overrides={k: v for k, v in s.overrides.items() if base.base_year < k[1] <= base.target_year
                              + HORIZON_SPAN},
                   actuals={k: v for k, v in s.actuals.items() if base.base_year < k[1] <= base.target_year
                            + HORIZON_SPAN})


def with_target_year(s: Scenario, year: int) -> Scenario:
    """``s`` aimed at ``year``: a rebased scenario's plan period follows (base + 1 … target), the horizon stays
    within reach; the targets stay as set (they are the user's)."""
    changes = dict(target_year=year, horizon=min(max(s.horizon, year), year + HORIZON_SPAN))
    if s.plan_first_year == s.base_year + 1:
        changes["plan_last_year"] = year
    changes["overrides"] = {k: v for k, v in s.overrides.items() if k[1] <= year + HORIZON_SPAN}
    changes["actuals"] = {k: v for k, v in s.actuals.items() if k[1] <= year + HORIZON_SPAN}
    return s.with_(**changes)


def next_plan(s: Scenario, data: PlanData, *, actuals=None, base_year: int | None = None,
              target_year: int | None = None, targets: dict | None = None, actuals_ref: str | None = None,
              **legacy) -> Scenario:
    """The command line's next-plan scenario in one step: rebase on ``actuals`` (``base_year``, default the newest
    year every stated segment has its own figure), aim at ``target_year``, set the targets (user-set; segment ->
    亿元) and the growth they require. Keyword arguments ``target_KEY=`` of older callers name a segment by its key.
    Raises ``ScenarioError``."""
    targets = dict(targets or {})
    keys = {seg.key: seg.id for seg in data.segments}
    for k, v in legacy.items():
        if not k.startswith("target_") or k[7:] not in keys:
            raise TypeError(f"unexpected argument {k}")
        if v is not None:
            targets[keys[k[7:]]] = v
    if base_year is not None and actuals is None:
        raise ScenarioError(["base_year: a rebase needs actuals (--actuals)"])
    if actuals is not None:
        years = rebase_years(actuals, data)
        if base_year is None:
            if not years:
                raise ScenarioError(["actuals: no year has every segment's own figure (on its target's scope and "
                                     "measure): nothing to start from"])
            base_year = years[0]
        base = base_actuals(actuals, data, base_year)
        n = (target_year - base.year) if target_year is not None else None
        if n is not None and n <= 0:
            raise ScenarioError([f"target_year: {target_year} is not after the base year {base.year}"])
        s = rebase(s, base, n)
        if actuals_ref:
            s = s.with_(actuals_ref=actuals_ref)
    elif target_year is not None:
        s = with_target_year(s, target_year)
    if targets:
        s = set_targets(s, targets)
    return s


# -- back-solve: the growth, the chance and the land a target takes ------------------------------------

def per_mu_output(s: Scenario, data: PlanData, year: int | None = None) -> float | None:
    """Output per mu (万元/亩) in ``year`` (default: the target year): the scenario's base-year figure
    (``per_mu_base``, from the actuals of a rebase) or else the plan's (role ``per_mu_base``) grown at the
    scenario's ``per_mu_growth`` from its year on; None when the plan states none."""
    y = s.target_year if year is None else year
    if s.per_mu_base is not None:
        return float(s.per_mu_base) * (1 + s.per_mu_growth) ** (y - s.base_year)
    if not data.has_role("per_mu_base"):
        return None
    row = data.role_row("per_mu_base")
    return float(row["value"]) * (1 + s.per_mu_growth) ** (y - int(row["year"]))


@dataclass(frozen=True)
class BackSolve:
    """What the targets take from the scenario's base (rates decimal, money 亿元, land 亩, per mu 万元/亩)."""

    base_year: int
    target_year: int
    required: dict  # segment -> constant growth its target needs
    assumed: dict  # segment -> the scenario's own growth, base → target year
    prob: dict  # segment -> share of Monte Carlo paths meeting its target (empty without a fan)
    n_paths: int
    increase_yi: float  # the total's target minus its base
    per_mu: float | None  # output per mu in the target year
    land_needed_mu: float | None  # for that increase at that output per mu
    land_available_mu: float | None  # counted as available (the scenario's figures, else the plan's)


def back_solve(r, data: PlanData, fan=None) -> BackSolve:
    """The targets of ``r``'s scenario read backwards from its base: the constant growth each needs (from the
    targets' own split, not following any other segment's growth), the probability the scenario meets them
    under its uncertainty (``fan``: :func:`model.calc.analysis.simulate`), and the land the total's increase needs
    at the output per mu of the target year."""
    from ..numbers import WAN_PER_YI
    from .analysis import land

    s, p = r.scenario, r.projection
    root = s.root
    increase = max(p.targets[root] - p.bases[root], 0.0) if root in p.targets else 0.0
    mu = per_mu_output(s, data)
    ld = land(s, p.targets, data, p)
    from ..scenario.presets import implied_targets

    req = required_rates(data, p.bases, dict(p.targets.values), s.target_year - s.base_year)
    # each segment with a target, and each residual its parent's and siblings' targets imply (total − parts): the
    # targets' own split, never a rate that follows another segment's growth
    implied = implied_targets(data, dict(p.targets.values))
    required = {seg: (p.required[seg] if seg in p.required else req.get(seg)) for seg in data.segments.ids
                if seg in implied and (seg in p.required or seg in req)}
    return BackSolve(
        base_year=s.base_year, target_year=s.target_year, required=required,
        assumed={seg: p.cagr[seg] for seg in p.cagr}, prob=dict(fan.prob) if fan is not None else {},
        n_paths=fan.n_paths if fan is not None else 0, increase_yi=increase, per_mu=mu,
        land_needed_mu=increase * WAN_PER_YI / mu if mu else None,
        land_available_mu=ld.land_available_mu if ld is not None else None)


def achieved_segment_growth(base: BaseActuals, data: PlanData) -> dict[str, float]:
    """The growth each projectable segment achieved from the plan's base year to ``base`` where both ends are
    comparable (see :func:`achieved_growth`); a residual only where its parent's and its parts' are."""
    out = {k: sig15(v) for k, v in achieved_growth(base, data).items() if k in data.segments.growth_keys}
    t = data.segments
    old = plan_bases(data)
    span = base.year - data.calendar.base_year
    ok = set(achieved_growth(base, data))
    for parent in t.ids:
        r = t.residual_of(parent)
        parts = t.parts_of(parent)
        if r is None or span <= 0 or parent not in ok or not all(p in ok for p in parts):
            continue
        a = old[parent] - sum(old[p] for p in parts)
        b = base.values[parent] - sum(base.values[p] for p in parts)
        if a > 0 and b > 0:
            out[r] = sig15(required_rate(a, b, span))
    return out

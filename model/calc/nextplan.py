"""The next plan: start a scenario from the latest actuals (rebase) and set its targets.

Every target set here is user-set (``Targets.*_user_set``): it is labelled 用户设定 everywhere, never shown as a
plan figure. Years come from the scenario and the data, never from code.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..numbers import sig15
from ..plan.calendar import HORIZON_SPAN
from ..plan.tables import PlanData
from ..scenario.presets import data_baselines
from ..scenario.scenario import Scenario, ScenarioError, required_rate

TARGET_METHODS = ("achieved", "historical", "old_required")


@dataclass(frozen=True)
class BaseActuals:
    """Rail and park totals of one year from an actuals set, with their statistical measures."""

    year: int
    rail_yi: float
    total_yi: float
    rail_measure: str
    total_measure: str


def output_ids(data: PlanData) -> tuple[str, str]:
    """The indicator ids an actuals file uses for rail output and park total output (the plan's target rows)."""
    return data.role_row("rail_target")["indicator_id"], data.role_row("total_target")["indicator_id"]


def base_actuals(actuals: pd.DataFrame, data: PlanData, year: int) -> BaseActuals:
    """Rail and total output of ``year`` from actuals rows (columns indicator_id, year, value, measure).

    Raises ``ScenarioError`` naming what is missing.
    """
    from ..io.actuals import NOT_AN_ACTUAL, canonical_measure

    rail_id, total_id = output_ids(data)
    first = data.role_year("rail_base")
    if year < first:
        raise ScenarioError([f"base_year: {year} is before the plan's base year {first}"])
    got = {}
    for iid in (rail_id, total_id):
        rows = actuals[(actuals["indicator_id"] == iid) & (actuals["year"] == year)]
        rows = rows[rows["value"].notna()]
        if rows.empty:
            raise ScenarioError([f"actuals: no value for {iid} in {year}: a rebase needs rail and park totals"])
        measure = canonical_measure(str(rows.iloc[0].get("measure") or ""))
        if measure in NOT_AN_ACTUAL:
            raise ScenarioError([f"actuals: {iid} {year} has the measure {measure!r}, not the district's own "
                                 f"figure: a scenario does not start from it"])
        got[iid] = rows.iloc[0]
    rail, total = got[rail_id], got[total_id]
    if float(total["value"]) < float(rail["value"]):
        raise ScenarioError([f"actuals: park total {float(total['value']):g} below rail {float(rail['value']):g} "
                             f"in {year}"])
    return BaseActuals(int(year), float(rail["value"]), float(total["value"]), str(rail.get("measure") or ""),
                       str(total.get("measure") or ""))


def rebase(s: Scenario, base: BaseActuals, years: int | None = None) -> Scenario:
    """``s`` started from ``base``: its year and values become the base; the next plan period follows it.

    ``years``: length of the new plan (default: as long as the scenario's current one). Targets are not set
    here (the plan's targets belong to the old target year): set them with :func:`set_targets`.
    """
    n = years or (s.target_year - s.base_year)
    ty = base.year + n
    return s.with_(base_year=base.year, target_year=ty, plan_first_year=base.year + 1, plan_last_year=ty,
                   horizon=min(max(s.horizon, ty), ty + HORIZON_SPAN), baseline_rail_yi=base.rail_yi,
                   baseline_total_yi=base.total_yi, overrides={k: v for k, v in s.overrides.items()
                                                               if base.year < k[1] <= ty + HORIZON_SPAN},
                   actuals={k: v for k, v in s.actuals.items() if base.year < k[1] <= ty + HORIZON_SPAN})


@dataclass(frozen=True)
class DerivedTargets:
    rail_yi: float
    total_yi: float
    rail_rate: float
    total_rate: float  # the rates the targets were derived with (decimal)
    method: str


def derive_targets(s: Scenario, data: PlanData, method: str, history: BaseActuals | None = None) -> DerivedTargets:
    """Targets for ``s.target_year`` from ``s``'s base by a stated rule (all user-set):

    * ``achieved``: keep the growth achieved from the plan's base year to the new base (needs ``history``: the new
      base's actuals; the old base is the plan's);
    * ``historical``: the mean of the 13th-FYP growth (role ``trend_growth``) and the growth achieved since;
    * ``old_required``: the growth the old plan required of rail and of the park total.
    """
    if method not in TARGET_METHODS:
        raise ValueError(f"method must be one of {', '.join(TARGET_METHODS)}")
    b = data_baselines(data)
    n_old = data.role_year("total_target") - data.role_year("rail_base")
    n = s.target_year - s.base_year
    if method == "old_required":
        r_rail = required_rate(b["rail"], b["target_rail"], n_old)
        r_total = required_rate(b["total"], b["target_total"], n_old)
    else:
        if history is None:
            raise ScenarioError(["targets: this rule needs the actuals of the new base year"])
        span = history.year - data.role_year("rail_base")
        if span <= 0:
            raise ScenarioError(["targets: the new base year must come after the plan's base year"])
        r_rail = required_rate(b["rail"], history.rail_yi, span)
        r_total = required_rate(b["total"], history.total_yi, span)
        if method == "historical":
            r_rail, r_total = (r_rail + b["historical"]) / 2, (r_total + b["historical"]) / 2
    rail = sig15(s.baseline_rail_yi * (1 + r_rail) ** n)
    total = sig15(max(s.baseline_total_yi * (1 + r_total) ** n, rail))
    return DerivedTargets(rail, total, r_rail, r_total, method)


def set_targets(s: Scenario, rail_yi: float | None, total_yi: float | None) -> Scenario:
    """The scenario with user-set targets (None keeps the plan's, which only applies to the plan's own calendar)."""
    return s.with_(target_rail_yi=rail_yi, target_total_yi=total_yi)


def achieved_growth(base: BaseActuals, data: PlanData) -> tuple[float, float]:
    """CAGR of rail and park total from the plan's base year to ``base`` (decimal)."""
    b = data_baselines(data)
    span = base.year - data.role_year("rail_base")
    if span <= 0:
        return float("nan"), float("nan")
    return required_rate(b["rail"], base.rail_yi, span), required_rate(b["total"], base.total_yi, span)


# -- actuals as a series, and which years can be a base ----------------------------------------------

def _district(actuals: pd.DataFrame) -> pd.DataFrame:
    """Rows whose measure is the district's own figure (not an estimate, not a city-level series) with a value."""
    from ..io.actuals import NOT_AN_ACTUAL, canonical_measure

    if actuals is None or not len(actuals):
        return pd.DataFrame(columns=["indicator_id", "year", "value", "measure"])
    m = actuals["measure"].fillna("").map(canonical_measure)
    return actuals[actuals["value"].notna() & ~m.isin(NOT_AN_ACTUAL)]


def outcome_series(actuals: pd.DataFrame, data: PlanData, last_year: int | None = None) -> pd.DataFrame:
    """Rail and park-total actuals as ``year, segment (total | rail_transit), value, measure`` (the district's own
    figures only; up to ``last_year`` when given), for drawing the outcome next to projections."""
    rail_id, total_id = output_ids(data)
    a = _district(actuals)
    a = a[a["indicator_id"].isin((rail_id, total_id))]
    if last_year is not None:
        a = a[a["year"] <= last_year]
    out = pd.DataFrame({"year": a["year"].astype(int).to_numpy(),
                        "segment": a["indicator_id"].map({rail_id: "rail_transit", total_id: "total"}).to_numpy(),
                        "value": a["value"].astype(float).to_numpy(),
                        "measure": a["measure"].fillna("").to_numpy()})
    return out.sort_values(["segment", "year"], kind="stable").reset_index(drop=True)


def rebase_years(actuals: pd.DataFrame, data: PlanData) -> list[int]:
    """Years (not before the plan's base year) with both a rail and a park-total actual: the years a scenario
    can start from, newest first."""
    rail_id, total_id = output_ids(data)
    a = _district(actuals)
    first = data.role_year("rail_base")
    years = [set(a.loc[a["indicator_id"] == i, "year"].astype(int)) for i in (rail_id, total_id)]
    return sorted((y for y in years[0] & years[1] if y >= first), reverse=True)


def is_rebased(s: Scenario, data: PlanData) -> bool:
    return s.base_year != data.role_year("rail_base")


def plan_calendar_fields(s: Scenario, base: Scenario) -> Scenario:
    """``s`` back on the plan's own calendar, baselines and targets (those of ``base``, a preset); its growth and
    every other setting kept."""
    return s.with_(base_year=base.base_year, target_year=base.target_year, plan_first_year=base.plan_first_year,
                   plan_last_year=base.plan_last_year, horizon=min(max(s.horizon, base.target_year),
                                                                   base.target_year + HORIZON_SPAN),
                   baseline_rail_yi=base.baseline_rail_yi, baseline_total_yi=base.baseline_total_yi,
                   target_rail_yi=None, target_total_yi=None, actuals_ref=None,
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


def next_plan(s: Scenario, data: PlanData, *, actuals: pd.DataFrame | None = None, base_year: int | None = None,
              target_year: int | None = None, target_total: float | None = None, target_rail: float | None = None,
              actuals_ref: str | None = None) -> Scenario:
    """The command line's next-plan scenario in one step: rebase on ``actuals`` (``base_year``, default the newest
    year with both totals), aim at ``target_year`` and set the targets (user-set). Raises ``ScenarioError``."""
    if base_year is not None and actuals is None:
        raise ScenarioError(["base_year: a rebase needs actuals (--actuals)"])
    if actuals is not None:
        years = rebase_years(actuals, data)
        if base_year is None:
            if not years:
                raise ScenarioError(["actuals: no year has both a rail and a park-total actual (the district's own "
                                     "figures): nothing to start from"])
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
    if target_total is not None or target_rail is not None:
        s = set_targets(s, target_rail if target_rail is not None else s.target_rail_yi,
                        target_total if target_total is not None else s.target_total_yi)
    return s


# -- back-solve: the growth, the chance and the land a target takes ------------------------------------

def per_mu_output(s: Scenario, data: PlanData, year: int | None = None) -> float:
    """Output per mu (万元/亩) in ``year`` (default: the target year): the plan's figure for its base year
    (role ``per_mu_base``) grown at the scenario's ``per_mu_growth`` from that year on, whatever the scenario's
    own base year."""
    row = data.role_row("per_mu_base")
    y = s.target_year if year is None else year
    return float(row["value"]) * (1 + s.per_mu_growth) ** (y - int(row["year"]))


@dataclass(frozen=True)
class BackSolve:
    """What the targets take from the scenario's base (rates decimal, money 亿元, land 亩, per mu 万元/亩)."""

    base_year: int
    target_year: int
    required_total: float
    required_rail: float
    required_nonrail: float | None  # None: rail at the scenario's growth already carries the park target
    assumed_total: float  # the scenario's own growth, base → target year
    assumed_rail: float
    prob_total: float  # share of Monte Carlo paths at or above the target (nan without a fan)
    prob_rail: float
    n_paths: int
    increase_yi: float  # the park target minus the base
    per_mu: float  # output per mu in the target year
    land_needed_mu: float  # for that increase at that output per mu
    land_available_mu: float  # counted as available (the scenario's figures, else the plan's)


def back_solve(r, data: PlanData, fan=None) -> BackSolve:
    """The targets of ``r``'s scenario read backwards from its base: the constant growth each needs, the
    probability the scenario meets them under its uncertainty (``fan``: :func:`model.calc.analysis.simulate`),
    and the land the park target's increase needs at the output per mu of the target year."""
    from ..numbers import WAN_PER_YI
    from .analysis import land

    s, p = r.scenario, r.projection
    increase = max(p.targets.total_yi - s.baseline_total_yi, 0.0)
    mu = per_mu_output(s, data)
    nan = float("nan")
    return BackSolve(
        base_year=s.base_year, target_year=s.target_year,
        required_total=p.required_cagr_total, required_rail=p.required_cagr_rail,
        required_nonrail=p.required_cagr_nonrail, assumed_total=p.cagr_total, assumed_rail=p.cagr_rail,
        prob_total=fan.prob_total if fan is not None else nan, prob_rail=fan.prob_rail if fan is not None else nan,
        n_paths=fan.n_paths if fan is not None else 0, increase_yi=increase, per_mu=mu,
        land_needed_mu=increase * WAN_PER_YI / mu if mu > 0 else float("inf"),
        land_available_mu=land(s, p.targets, data).land_available_mu)


def achieved_segment_growth(base: BaseActuals, data: PlanData) -> dict[str, float]:
    """CAGR of rail and of non-rail output (park total − rail) from the plan's base year to ``base`` (decimal):
    the growth a scenario rebased on ``base`` can carry on with ("from where we actually are")."""
    b = data_baselines(data)
    span = base.year - data.role_year("rail_base")
    if span <= 0:
        return {}
    out = {"rail_transit": required_rate(b["rail"], base.rail_yi, span)}
    non0, non1 = b["total"] - b["rail"], base.total_yi - base.rail_yi
    if non0 > 0 and non1 > 0:
        out["nonrail"] = required_rate(non0, non1, span)
    return {k: sig15(v) for k, v in out.items()}

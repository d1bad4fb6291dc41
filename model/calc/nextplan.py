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
    rail_id, total_id = output_ids(data)
    got = {}
    for iid in (rail_id, total_id):
        rows = actuals[(actuals["indicator_id"] == iid) & (actuals["year"] == year)]
        rows = rows[rows["value"].notna()]
        if rows.empty:
            raise ScenarioError([f"actuals: no value for {iid} in {year}: a rebase needs rail and park totals"])
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

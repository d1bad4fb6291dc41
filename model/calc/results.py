"""run(): one scenario's projection and phasing (the one entry point UI, CLI and tests share), and its
summary metrics."""
from __future__ import annotations

from dataclasses import dataclass

from ..plan.calendar import plan_calendar
from ..plan.tables import PlanData
from ..scenario.scenario import Scenario, ScenarioError
from .analysis import Fan, baseline_needed, earlier_realisation, investment_output, land, track_record_targets
from .growth import Projection, Targets, project
from .phasing import Phasing, phase_projects, phase_roads

YI = "亿元"


@dataclass(frozen=True)
class Results:
    scenario: Scenario
    projection: Projection
    projects: Phasing
    roads: Phasing
    project_list_total: float = float("nan")  # the project list's total and plan-period investment as printed
    project_list_fyp: float = float("nan")


def run(data: PlanData, s: Scenario) -> Results:
    """Projection and phasing of one scenario."""
    problems = s.check_against(data)
    if problems:
        raise ScenarioError(problems)
    return Results(s, project(s, Targets.for_scenario(s, data)), phase_projects(data.projects, s),
                   phase_roads(data.roads, s), float(data.projects["total_investment_yi"].sum()),
                   float(data.projects["fyp_investment_yi"].sum()))


def _pct(rate: float | None) -> float:
    return float("nan") if rate is None else rate * 100.0


def metric_names(s: Scenario, data_dir=None) -> dict[str, str]:
    """Names of the year-bearing metrics: the plan's own calendar keeps the names files have always had
    (``output_{target year}_total``); any other calendar uses stable names (``output_target_year_total``)."""
    cal = plan_calendar(data_dir)
    if (s.base_year, s.target_year) == (cal.base_year, cal.target_year):
        b, t = str(s.base_year), str(s.target_year)
    else:
        b, t = "base_year", "target_year"
    return {"baseline": f"baseline_{b}", "target": f"target_{t}", "output": f"output_{t}", "gap": f"gap_{t}",
            "per_mu": f"per_mu_output_{t}", "invest": f"investment_output_{t}"}


def summary_metrics(r: Results) -> list[tuple[str, float, str]]:
    p, s = r.projection, r.scenario
    n = metric_names(s)
    combined = r.projects.by_year().add(r.roads.by_year(), fill_value=0.0)
    peak = int(combined.idxmax()) if len(combined) and combined.max() > 0 else float("nan")
    nan = float("nan")
    rows = []
    if n["output"] == "output_target_year":
        rows += [("base_year", s.base_year, "年"), ("target_year", s.target_year, "年")]
    rows += [
        (f"{n['baseline']}_rail", s.baseline_rail_yi, YI),
        (f"{n['baseline']}_total", s.baseline_total_yi, YI),
        (f"{n['target']}_rail", p.targets.rail_yi, YI),
        (f"{n['target']}_total", p.targets.total_yi, YI),
        (f"{n['output']}_rail", p.output_rail, YI),
        (f"{n['output']}_total", p.output_total, YI),
        (f"{n['gap']}_rail", p.gap_rail, YI),
        (f"{n['gap']}_total", p.gap_total, YI),
        ("cagr_rail", _pct(p.cagr_rail), "%"),
        ("cagr_total", _pct(p.cagr_total), "%"),
        ("required_cagr_rail", _pct(p.required_cagr_rail), "%"),
        ("required_cagr_total", _pct(p.required_cagr_total), "%"),
        ("required_cagr_nonrail", _pct(p.required_cagr_nonrail), "%"),
        ("first_year_target_rail", p.first_year_rail if p.first_year_rail else nan, "年"),
        ("first_year_target_total", p.first_year_total if p.first_year_total else nan, "年"),
        ("horizon", s.horizon, "年"),
        ("output_horizon_rail", float(p.path["rail_transit"].iloc[-1]), YI),
        ("output_horizon_total", float(p.path["total"].iloc[-1]), YI),
        ("project_investment_fyp", r.projects.total_in(s.plan_first_year, s.plan_last_year), YI),
        ("project_investment_total", float(r.projects.matrix.sum()), YI),
        # the list as printed (Annex 1 totals), so nobody mistakes the phased sums above for them
        ("annex1_total_investment", float(r.project_list_total), YI),
        ("annex1_fyp_investment", float(r.project_list_fyp), YI),
        ("road_investment_fyp", r.roads.total_in(s.plan_first_year, s.plan_last_year), YI),
        ("road_investment_total", float(r.roads.matrix.sum()), YI),
        ("peak_investment_year", peak, "年"),
    ]
    return rows


def analysis_metrics(data: PlanData, r: Results, fan: Fan) -> list[tuple[str, float, str]]:
    s, t = r.scenario, r.projection.targets
    n = metric_names(s)
    ld = land(s, t, data)
    inv = investment_output(data, s, r.projects)
    tr = track_record_targets(s, t, data)
    base_total, base_rail = baseline_needed(s, t, "total"), baseline_needed(s, t, "rail")
    nan = float("nan")
    return [
        ("prob_target_total", fan.prob_total * 100, "%"),
        ("prob_target_rail", fan.prob_rail * 100, "%"),
        ("monte_carlo_paths", fan.n_paths, "paths"),
        ("baseline_needed_total", nan if base_total is None else base_total, YI),
        ("baseline_needed_rail", nan if base_rail is None else base_rail, YI),
        ("land_needed_mu", ld.land_needed_mu, "亩"),
        ("land_available_mu", ld.land_available_mu, "亩"),
        ("per_mu_output_needed", ld.per_mu_output_needed, "万元/亩"),
        (n["per_mu"], ld.per_mu_output_target, "万元/亩"),
        (n["invest"], float(inv.get(s.target_year, 0.0)), YI),
        ("earlier_plan_realisation", earlier_realisation(data) * 100, "%"),
        ("track_record_target_total", tr.total_yi, YI),
        ("track_record_target_rail", tr.rail_yi, YI),
    ]

"""run(): one scenario's projection and phasing (the one entry point UI, CLI and tests share), and its
summary metrics, for any plan."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..plan.tables import PlanData
from ..scenario.scenario import Scenario, ScenarioError
from .analysis import (Fan, baseline_needed, earlier_realisation, has_track_record, investment_output, land,
                       track_record_targets)
from .growth import Projection, Targets, check_targets, leaf_map, project
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


# The settings the projection never reads (tests/test_results.py records what it reads and fails on any of these):
# two scenarios that differ only here project alike, so a move of a phasing, Monte Carlo or per-mu setting need not
# project again.
PROJECTION_IGNORES = frozenset({
    "name", "basis", "profile", "delay_all", "delay_area", "delay_category", "delay_project", "overrun", "excluded",
    "ceiling_yi", "carry_lists", "projects_ref", "roads_ref",  # phasing
    "sd", "correlation", "seed", "n_paths", "shocks",  # the Monte Carlo
    "per_mu_growth", "per_mu_base", "land_mu", "io_ratio", "io_roles", "ramp_first",  # land and investment
    "track_record", "track_reading", "earlier_base_yi", "actuals", "actuals_ref"})


def run(data: PlanData, s: Scenario, phased: Callable[[str, Callable[[], Phasing]], Phasing] | None = None,
        projected: Callable[[Callable[[], Projection]], Projection] | None = None) -> Results:
    """Projection and phasing of one scenario (on ``data``: its plan, possibly with another project/road list).

    ``phased(kind, build)``, where the caller keeps results: the phasing of ``kind`` ("projects", "roads") kept by
    the caller for the data and :func:`~model.calc.phasing.phasing_key` (what phasing reads), else ``build()``; so a
    growth move does not phase the same lists again. ``projected(build)``, likewise: the projection kept by the
    caller for the scenario without :data:`PROJECTION_IGNORES`, so a phasing move does not project again."""
    if data.id != s.plan_data.id:
        raise ScenarioError([f"plan: the scenario is for the plan {s.plan_data.id}, the data are {data.id}"])
    problems = s.check_against(data)
    if problems:
        raise ScenarioError(problems)
    check_targets(s, data)
    projects, roads = lists_in_effect(data, s)
    keep = phased or (lambda _kind, build: build())
    period = own_period(data, s)
    projection = (projected or (lambda build: build()))(lambda: project(s, Targets.for_scenario(s, data)))
    return Results(s, projection,
                   keep("projects", lambda: phase_projects(projects, s, period)),
                   keep("roads", lambda: phase_roads(roads, s)), float(projects["total_investment_yi"].sum()),
                   float(projects["fyp_investment_yi"].sum()))


def own_period(data: PlanData, s: Scenario) -> tuple[int, int] | None:
    """The plan period the project list's plan-period amounts belong to, where it is not the scenario's: the plan's
    own annex phased in another period (a next plan carrying it, a rebased calendar)."""
    cal = data.calendar
    own = (cal.plan_first_year, cal.plan_last_year)
    return own if data.source_projects == "plan" and own != (s.plan_first_year, s.plan_last_year) else None


def lists_in_effect(data: PlanData, s: Scenario):
    """The project and road lists a scenario phases: the data's, except that the plan's own lists are not counted
    in a plan period after the plan's (a next plan) unless the scenario carries them (``carry_lists``); a list
    given for the next plan always counts."""
    cal = data.calendar
    # a next plan: a period after the plan's, or a scenario rebased on a later year (whose period may overlap the
    # plan's: the command line counted the old annex there while the page did not)
    later = (s.plan_first_year > cal.plan_last_year or s.base_year != cal.base_year) and not s.carry_lists
    projects = data.projects.iloc[0:0] if later and data.source_projects == "plan" else data.projects
    roads = data.roads.iloc[0:0] if later and data.source_roads == "plan" else data.roads
    return projects, roads


def _pct(rate: float | None) -> float:
    return float("nan") if rate is None else rate * 100.0


def metric_names(s: Scenario, data_dir=None) -> dict[str, str]:
    """Names of the year-bearing metrics: the plan's own calendar keeps the names files have always had
    (``output_{target year}_KEY``); any other calendar uses stable names (``output_target_year_KEY``)."""
    cal = s.plan_data.calendar
    if (s.base_year, s.target_year) == (cal.base_year, cal.target_year):
        b, t = str(s.base_year), str(s.target_year)
    else:
        b, t = "base_year", "target_year"
    return {"baseline": f"baseline_{b}", "target": f"target_{t}", "output": f"output_{t}", "gap": f"gap_{t}",
            "per_mu": f"per_mu_output_{t}", "invest": f"investment_output_{t}"}


def headline(s: Scenario, targets: Targets) -> tuple[str, ...]:
    """The segments results are reported for, each part before the whole it belongs to: the total, every
    segment with a target and every stated segment (that the scenario's split can sum)."""
    t = s.tree
    lm = leaf_map(s)
    keep = {x for x in t.ids if x in lm and (x == t.root or x in targets or x in t.stated)}
    return t.post_order(tuple(keep))


def summary_metrics(r: Results) -> list[tuple[str, float, str]]:
    p, s = r.projection, r.scenario
    t = s.tree
    n = metric_names(s)
    key = {x.id: x.key for x in t}
    combined = r.projects.by_year().add(r.roads.by_year(), fill_value=0.0)
    combined = combined[(combined.index >= s.plan_first_year) & (combined.index <= s.plan_last_year)]  # the period's
    peak = int(combined.idxmax()) if len(combined) and combined.max() > 0 else float("nan")
    nan = float("nan")
    head = headline(s, p.targets)
    tgt = [x for x in head if x in p.targets]
    rows = []
    if n["output"] == "output_target_year":
        rows += [("base_year", s.base_year, "年"), ("target_year", s.target_year, "年")]
    rows += [(f"{n['baseline']}_{key[x]}", p.bases[x], YI) for x in head]
    rows += [(f"{n['target']}_{key[x]}", p.targets[x], YI) for x in tgt]
    rows += [(f"{n['output']}_{key[x]}", p.output[x], YI) for x in head]
    rows += [(f"{n['gap']}_{key[x]}", p.gap[x], YI) for x in tgt]
    rows += [(f"cagr_{key[x]}", _pct(p.cagr[x]), "%") for x in head]
    rows += [(f"required_cagr_{key[x]}", _pct(p.required.get(x)), "%") for x in tgt]
    rows += [(f"required_cagr_{key[x]}", _pct(v), "%") for x, v in p.required_conditional.items()]
    rows += [(f"first_year_target_{key[x]}", p.first_year.get(x) or nan, "年") for x in tgt]
    rows.append(("horizon", s.horizon, "年"))
    rows += [(f"output_horizon_{key[x]}", float(p.series(x).iloc[-1]), YI) for x in head]
    rows += [
        ("project_investment_fyp", r.projects.total_in(s.plan_first_year, s.plan_last_year), YI),
        ("project_investment_total", float(r.projects.matrix.sum()), YI),
        # the list as printed (the annex's totals), so nobody mistakes the phased sums above for them
        ("annex1_total_investment", float(r.project_list_total), YI),
        ("annex1_fyp_investment", float(r.project_list_fyp), YI),
        ("road_investment_fyp", r.roads.total_in(s.plan_first_year, s.plan_last_year), YI),
        ("road_investment_total", float(r.roads.matrix.sum()), YI),
        ("peak_investment_year", peak, "年"),
    ]
    return rows


LAND_AREA_METRICS = ("land_counted_mu", "land_projects_mu")  # + "_" + the area's link code


def land_area_metrics(data: PlanData, ld) -> list[tuple[str, float, str]]:
    """Land per area (亩): counted as available (the user's figure, else the plan's, else 0) and listed by the
    plan's projects there; named land the plan ties to no area under its own row's id. Metric names carry the
    area's link code (``land_counted_mu_tx``), which never changes."""
    rows = []
    for a in ld.areas:
        code = data.areas[a.area].code if a.area in data.areas else a.area
        rows.append((f"land_counted_mu_{code}", a.counted_mu, "亩"))
        if a.area in data.areas:
            rows.append((f"land_projects_mu_{code}", a.claimed_mu, "亩"))
    return rows


def analysis_metrics(data: PlanData, r: Results, fan: Fan) -> list[tuple[str, float, str]]:
    s, t = r.scenario, r.projection.targets
    key = {x.id: x.key for x in s.tree}
    n = metric_names(s)
    nan = float("nan")
    order = [x for x in s.tree.ids if x in fan.prob]  # the total first, as files have always had
    rows = [(f"prob_target_{key[x]}", fan.prob[x] * 100, "%") for x in order]
    rows.append(("monte_carlo_paths", fan.n_paths, "paths"))
    for x in order:
        v = baseline_needed(s, t, x)
        rows.append((f"baseline_needed_{key[x]}", nan if v is None else v, YI))
    ld = land(s, t, data, r.projection)
    if ld is not None:
        rows += [("land_needed_mu", ld.land_needed_mu, "亩"), ("land_available_mu", ld.land_available_mu, "亩"),
                 ("per_mu_output_needed", ld.per_mu_output_needed, "万元/亩"),
                 (n["per_mu"], ld.per_mu_output_target, "万元/亩")]
        rows += land_area_metrics(data, ld)
    inv = investment_output(data, s, r.projects)
    rows.append((n["invest"], float(inv.get(s.target_year, 0.0)), YI))
    if has_track_record(data):
        tr = track_record_targets(s, t, data)
        rows.append(("earlier_plan_realisation", earlier_realisation(data) * 100, "%"))
        rows += [(f"track_record_target_{key[x]}", tr[x], YI) for x in order]
    return rows

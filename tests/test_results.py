"""model/calc/results.py: run() and the summary metrics' names on any calendar."""
from __future__ import annotations

from model import presets, run
from model.calc.results import headline, metric_names, summary_metrics
from model.scenario import FrozenMap
from tests.plans_support import results


def test_the_plans_calendar_keeps_its_year_bearing_names(plan_data):
    s = presets(plan_data)["plan-targets"]
    names = [m for m, _, _ in summary_metrics(run(plan_data, s))]
    assert "output_2025_total" in names and "base_year" not in names
    assert metric_names(s)["output"] == "output_2025"


def test_another_calendar_uses_stable_names_with_its_years(plan_data):
    s = presets(plan_data)["plan-targets"].with_(
        base_year=2025, target_year=2030, plan_first_year=2026, plan_last_year=2030, horizon=2030,
        baselines=FrozenMap({"rail_transit": 1300.0, "total": 1450.0}),
        targets=FrozenMap({"rail_transit": 2000.0, "total": 2300.0}), overrides=FrozenMap(), actuals=FrozenMap())
    m = {k: v for k, v, _ in summary_metrics(run(plan_data, s))}
    assert m["base_year"] == 2025 and m["target_year"] == 2030 and "output_target_year_total" in m
    assert m["required_cagr_rail"] == (2000 / 1300) ** 0.2 * 100 - 100


def test_metrics_follow_the_plans_segments():
    data, r, _ = results("four")
    names = {m for m, _, _ in summary_metrics(r)}
    assert {f"output_2030_{data.segments[x].key}" for x in headline(r.scenario, r.projection.targets)} <= names
    assert "required_cagr_nonrail" not in names and "gap_2030_all" in names

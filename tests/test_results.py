"""model/calc/results.py: run() and the summary metrics' names on any calendar."""
from __future__ import annotations

from model import presets, run
from model.calc.nextplan import BaseActuals, rebase, set_targets
from model.calc.results import metric_names, summary_metrics


def test_the_plans_calendar_keeps_its_year_bearing_names(plan_data):
    s = presets(plan_data)["plan-targets"]
    names = [m for m, _, _ in summary_metrics(run(plan_data, s))]
    assert "output_2025_total" in names and "base_year" not in names
    assert metric_names(s)["output"] == "output_2025"


def test_another_calendar_uses_stable_names_with_its_years(plan_data):
    s = set_targets(rebase(presets(plan_data)["plan-targets"], BaseActuals(2025, 1300.0, 1450.0, "", "")),
                    2000.0, 2300.0)
    m = {k: v for k, v, _ in summary_metrics(run(plan_data, s))}
    assert m["base_year"] == 2025 and m["target_year"] == 2030 and "output_target_year_total" in m
    assert m["required_cagr_rail"] == (2000 / 1300) ** 0.2 * 100 - 100

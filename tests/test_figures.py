"""model/report/figures.py: the shared figures build in both languages, labels from the translation table and the
plan's package (every plan's shape: tests/test_report_plans.py)."""
from __future__ import annotations

import json

import pytest

from model import presets, run
from model.calc.analysis import simulate
from model.report import figures


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_builds_with_its_labels(plan_data, lang):
    r = run(plan_data, presets(plan_data)["historical-trend"].with_(n_paths=1000))
    fan = simulate(r.scenario, r.projection.targets)
    specs = [figures.trajectory(r, plan_data, lang), figures.invest_by(r, plan_data, lang),
             figures.roads_by_funding(r, plan_data, lang), figures.fan_chart(r, plan_data, fan, lang)]
    for spec in specs:
        text = json.dumps(spec, default=str, ensure_ascii=False)
        assert ("年份" in text) == (lang == "zh") and ("Year" in text) == (lang == "en")
    roads = json.dumps(specs[2], default=str, ensure_ascii=False)
    # the funding source the package flags own_budget is outlined, by its name in the language
    assert ("District finance" in roads) == (lang == "en") and ("区财政" in roads) == (lang == "zh")


def test_the_trajectory_draws_the_total_and_every_segment_with_a_target(plan_data):
    r = run(plan_data, presets(plan_data)["plan-targets"])
    spec = figures.trajectory(r, plan_data, "zh")
    series = list(dict.fromkeys(spec["datasets"]["paths"]["series"]))
    assert series[:2] == ["园区总产值", "轨道交通产业"]
    assert len(spec["datasets"]["targets"]) == 2


def test_the_story_charts_differ_by_step(plan_data):
    r = run(plan_data, presets(plan_data)["plan-targets"].with_(n_paths=1000))
    fan = simulate(r.scenario, r.projection.targets)
    from model.report.story import STEPS

    specs = [json.dumps(figures.story_chart(k, r, plan_data, "en", fan), default=str) for k in STEPS]
    assert len(set(specs)) == len(STEPS)

"""model/report/figures.py: the shared figures build in both languages, labels from the translation table."""
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
    assert ("District finance" in roads) == (lang == "en") and ("区财政" in roads) == (lang == "zh")

"""model/scenario/presets.py: presets built from the data, and honest names."""
from __future__ import annotations

import pytest

from model import presets, run
from model.scenario.presets import PRESET_NAMES, city_trend, honest_name


def test_plan_targets_lands_on_the_targets_and_trends_use_their_sources(plan_data):
    t = presets(plan_data)
    assert list(t) == list(PRESET_NAMES)
    p = run(plan_data, t["plan-targets"]).projection
    assert p.output_rail == pytest.approx(1400) and p.output_total == pytest.approx(1600)
    assert t["historical-trend"].growth["rail_transit"] == pytest.approx(0.051)
    assert city_trend(plan_data) == pytest.approx((1310 / 1003.7) ** 0.2 - 1)


def test_only_a_presets_own_numbers_carry_its_name(plan_data):
    t = presets(plan_data)
    assert honest_name(t["zero-growth"], t).name == "zero-growth"
    assert honest_name(t["zero-growth"].with_(overrun=0.1), t).name == "custom"
    assert honest_name(t["zero-growth"].with_(name="我的"), t).name == "我的"

"""model/scenario/presets.py: presets built from the data, and honest names."""
from __future__ import annotations

import pytest

from model import presets, run
from model.scenario.presets import DEFAULT_PRESETS, city_trend, honest_name
from tests.plans_support import plan


def test_plan_targets_lands_on_the_targets_and_trends_use_their_sources(plan_data):
    t = presets(plan_data)
    assert list(t) == ["plan-targets", "historical-trend", "city-trend", "rail-target-only", "zero-growth"]
    p = run(plan_data, t["plan-targets"]).projection
    assert p.output["rail_transit"] == pytest.approx(1400) and p.output["total"] == pytest.approx(1600)
    assert t["historical-trend"].growth["rail_transit"] == pytest.approx(0.051)
    assert city_trend(plan_data) == pytest.approx((1310 / 1003.7) ** 0.2 - 1)


def test_a_package_without_presets_gets_the_engines_default_ones():
    one = presets(plan("one"))  # no presets.csv, no trend row, no city figures: no historical or city trend
    assert list(one) == [slug for slug, rule in DEFAULT_PRESETS if rule not in ("trend", "city_trend")]
    p = run(plan("one"), one["plan-targets"]).projection
    assert p.output[p.root] == pytest.approx(200)


def test_a_package_with_the_city_figures_and_no_presets_file_offers_the_city_trend(tmp_path):
    """The format offers the city trend wherever the two city figures are; without a presets.csv it was not offered
    (only a presets.csv row made it). The default presets now include it where the figures are."""
    from model.plan.tables import load_plan_data
    from model.scenario.presets import city_trend
    from tests.plans_support import PACKAGES, copy_package

    folder = copy_package(PACKAGES["sum-of-parts"], tmp_path / "p")
    (folder / "presets.csv").unlink()
    data = load_plan_data(folder)
    got = presets(data)
    assert "city-trend" in got and city_trend(data) is not None
    assert all(v == pytest.approx(city_trend(data), rel=1e-12) for v in got["city-trend"].growth.values())


def test_only_a_presets_own_numbers_carry_its_name(plan_data):
    t = presets(plan_data)
    assert honest_name(t["zero-growth"], t).name == "zero-growth"
    assert honest_name(t["zero-growth"].with_(overrun=0.1), t).name == "custom"
    assert honest_name(t["zero-growth"].with_(name="我的"), t).name == "我的"

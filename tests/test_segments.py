"""model/plan/segments.py: the segment tree's orders, projected segments and base values, known answers on the
default plan's tree and the synthetic four-industry tree."""
from __future__ import annotations

import pytest

from tests.plans_support import load


def test_the_default_tree_projects_its_part_and_residual_or_the_shares():
    t = load("default").segments
    assert t.root == "total"
    assert t.projected(False) == ("rail_transit", "nonrail")
    assert t.projected(True) == ("rail_transit", "power_semiconductor", "digital_intelligence", "modern_services",
                                 "other")
    assert t.stated == ("rail_transit", "total")  # parts before their whole
    assert t.residual_of("total") == "nonrail" and t.parts_of("total") == ("rail_transit",)
    assert t.splittable == ("nonrail",)


def test_bases_follow_the_tree():
    t = load("default").segments
    b = t.bases({"total": 1000.0, "rail_transit": 900.0}, {"power_semiconductor": 0.4, "digital_intelligence": 0.3,
                                                          "modern_services": 0.2, "other": 0.1})
    assert b["nonrail"] == pytest.approx(100.0)
    assert b["power_semiconductor"] == pytest.approx(40.0) and b["other"] == pytest.approx(10.0)


def test_a_total_without_a_base_is_the_sum_of_its_parts():
    t = load("four-industries").segments
    assert "industry" not in t.stated and t.projected(False) == ("materials", "equipment", "biomed", "digital")
    b = t.bases({"materials": 1.0, "equipment": 2.0, "biomed": 3.0, "digital": 4.0}, {})
    assert b["industry"] == 10.0
    assert t.leaves_under("industry", False) == ("materials", "equipment", "biomed", "digital")


def test_a_one_segment_plan_projects_its_total():
    t = load("one-segment").segments
    assert t.projected(False) == t.projected(True) == ("park",) == t.stated == t.growth_keys

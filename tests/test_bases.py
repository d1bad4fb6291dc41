"""model/plan/bases.py: stated bases as the package gives them; a segment with a target but no base gets an assumed
base (its target at the growth its siblings need together), labelled as such."""
from __future__ import annotations

import pytest

from model.plan.bases import assumed_base, is_assumed_base, plan_bases
from tests.plans_support import load


def test_stated_bases_and_money_in_wan_converted():
    data = load("four-industries")
    b = plan_bases(data)
    assert b["materials"] == 320 and b["biomed"] == pytest.approx(80.0)  # 800000万元
    assert not is_assumed_base(data, "materials") and is_assumed_base(data, "digital")


def test_an_assumed_base_grows_like_its_siblings():
    data = load("four-industries")
    ratio = (320 + 250 + 80) / (450 + 380 + 150)
    assert assumed_base(data, "digital") == pytest.approx(100 * ratio)

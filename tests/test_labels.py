"""model/report/labels.py: one number style, honest probabilities, field labels and values."""
from __future__ import annotations

from model import presets
from model.report.labels import (assumption_rows, fmt, fmt_stated, gap_phrase, pct, points, preset_name,
                                 probability)


def test_number_style():
    assert fmt(1015.625, 2) == "1,015.63" and fmt(1600) == "1,600.0" and fmt(float("nan")) == "—"
    assert fmt(-0.04) == "0.0" and fmt_stated(975.0) == "975" and pct(0.07504) == "7.50%"
    assert points(0.0125, "zh") == "+1.25个百分点"


def test_gaps_and_probabilities_never_overstate():
    assert gap_phrase(0.04, "zh") == "与目标持平" and gap_phrase(-3.21, "zh") == "低于目标3.2亿元"
    assert probability(0.4987, 10_000, "zh") == "约50%（±1个百分点）"
    assert probability(0.001, 10_000, "zh") == "不足1%" and probability(0.998, 10_000, "en") == "above 99%"


def test_presets_read_by_name_and_assumptions_by_label(plan_data):
    assert preset_name("plan-targets", "zh") == "规划目标情景" and preset_name("区长汇报", "zh") == "区长汇报"
    rows = dict((a, b) for a, b, _ in assumption_rows(presets(plan_data)["historical-trend"], "zh", plan_data))
    assert rows["轨道交通产业年均增长（%）"] == "5.10%" and rows["情景名称"] == "历史趋势情景"

"""The guided story's sentences come from the scenario's own numbers, in both languages."""
from __future__ import annotations

from model import presets, run
from model.story import STEPS, story


def test_seven_steps_in_both_languages_with_the_scenarios_numbers(plan_data):
    r = run(plan_data, presets(plan_data)["historical-trend"])
    steps = story(plan_data, r)
    assert [s.key for s in steps] == list(STEPS)
    assert all(s.text_zh and s.text_en and s.title_zh and s.title_en for s in steps)
    by = {s.key: s for s in steps}
    assert "1,600" in by["targets"].text_zh and "1,400" in by["targets"].text_en
    assert f"{r.projection.output_total:,.1f}" in by["gap"].text_zh
    assert "低于目标" in by["gap"].text_zh and "below target" in by["gap"].text_en
    assert "年均增长7.50%" in by["growth"].text_zh
    assert "394.75" in by["projects"].text_zh and "11.92" in by["finance"].text_zh


def test_the_gap_sentence_turns_when_the_target_is_met(plan_data):
    s = presets(plan_data)["plan-targets"].with_growth(rail_transit=0.1, nonrail=0.5)
    gap = {x.key: x for x in story(plan_data, run(plan_data, s))}["gap"]
    assert "超出目标" in gap.text_zh and "above target" in gap.text_en

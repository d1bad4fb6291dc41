"""The guided story's sentences come from the scenario's own numbers, in both languages, and say what is true
(the default plan's figures here; every plan's shape in tests/test_report_plans.py)."""
from __future__ import annotations

from model import presets, run
from model.report.labels import fmt
from model.report.story import STEPS, story


def steps(plan_data, s, lang):
    return {x.key: x for x in story(plan_data, run(plan_data, s), lang)}


def test_seven_steps_in_both_languages_with_the_scenarios_numbers(plan_data):
    s = presets(plan_data)["historical-trend"]
    r = run(plan_data, s)
    for lang in ("zh", "en"):
        got = story(plan_data, r, lang)
        assert [x.key for x in got] == list(STEPS)
        assert all(x.title and x.text for x in got)
    zh, en = steps(plan_data, s, "zh"), steps(plan_data, s, "en")
    assert "突破1,600亿元" in zh["targets"].text and "1,400" in en["targets"].text
    assert fmt(r.projection.output[r.projection.root]) in zh["gap"].text
    assert "低于目标" in zh["gap"].text and "below target" in en["gap"].text
    assert "394.75" in zh["projects"].text and "11.92" in zh["finance"].text
    assert "附件1" in zh["projects"].text and "“十四五”" in zh["projects"].text  # the package's names filled in


def test_the_growth_sentence_states_its_condition(plan_data):
    """Non-rail's required growth depends on rail's: the sentence says so (issue 12 §2)."""
    s = presets(plan_data)["historical-trend"]
    zh, en = steps(plan_data, s, "zh")["growth"].text, steps(plan_data, s, "en")["growth"].text
    assert "轨道交通产业需年均增长7.50%" in zh  # rail needs 7.50 %
    assert "若轨道交通产业按本情景年均增长5.10%，非轨道交通产业需年均增长" in zh
    assert "if rail-transit output grows at this scenario's 5.10% a year, non-rail output needs" in en
    assert "this scenario gives" in en.lower() and "assumes" not in en
    assert "规模以上工业增加值年均增长5.1%" in zh  # the trend row, by its own name


def test_derived_and_illustrative_figures_are_labelled(plan_data):
    s = presets(plan_data)["plan-targets"]
    zh, en = steps(plan_data, s, "zh"), steps(plan_data, s, "en")
    assert "推算值" in zh["baseline"].text and "(derived)" in en["baseline"].text
    assert "975 ÷ 0.96 = 1015.625" in en["baseline"].text  # the derivation from the package's row
    assert "仅作示意" in zh["projects"].text and "illustration, not a forecast" in en["projects"].text
    assert "田心片区" in zh["risks"].text  # which areas the land counts
    assert "Tianxin" in en["risks"].text and "田心" not in en["risks"].text
    assert "74.4%" in en["baseline"].text.replace(" %", "%")


def test_a_user_set_base_reads_as_user_set(plan_data):
    s = presets(plan_data)["plan-targets"]
    s = s.with_(baselines=type(s.baselines)({**s.baselines, "rail_transit": 990.0}))
    zh = steps(plan_data, s, "zh")["baseline"].text
    assert "用户设定" in zh and "990" in zh


def test_the_gap_sentence_turns_when_the_target_is_met(plan_data):
    s = presets(plan_data)["plan-targets"].with_growth(rail_transit=0.1, nonrail=0.5)
    assert "超出目标" in steps(plan_data, s, "zh")["gap"].text
    assert "above target" in steps(plan_data, s, "en")["gap"].text


def test_a_gap_that_rounds_to_zero_reads_on_target(plan_data):
    s = presets(plan_data)["plan-targets"]  # lands on 1,400 / 1,600 to within float error
    assert "与目标持平" in steps(plan_data, s, "zh")["gap"].text
    assert "equal to the target" in steps(plan_data, s, "en")["gap"].text
    assert "超出目标0.0" not in steps(plan_data, s, "zh")["gap"].text


def test_user_set_targets_are_marked(plan_data):
    s = presets(plan_data)["plan-targets"]
    s = s.with_(targets=type(s.targets)({"total": 1700.0}))
    got = steps(plan_data, s, "zh")
    assert got["targets"].title == "目标设定" and "1,700亿元（用户设定）" in got["targets"].text


def test_a_target_the_plan_asks_to_exceed_is_not_met_by_landing_on_it_in_words(plan_data):
    """The park total's target is 超过1,600 (>): the overview badge said 未达标 for a path landing on it, the story and
    the brief 与目标持平 (and 即使年均下降…也可达标 / 需年均增长x% for a rate that only lands on it). Every sentence
    follows the comparator: 恰好等于目标值 and 以上 / more than for a strict target, as before for 达到 (≥)."""
    s = presets(plan_data)["plan-targets"]
    r = run(plan_data, s)
    p = r.projection
    strict = [x for x in p.gap if p.targets.comparator(x) == ">"]
    assert strict and not any(p.met(x) for x in strict)  # the plan's strict target, landed on
    zh, en = steps(plan_data, s, "zh")["gap"].text, steps(plan_data, s, "en")["gap"].text
    assert "恰好等于目标值" in zh and "exactly on the target" in en
    assert "与目标持平" in zh  # the rail target (达到, ≥) is met landing on it
    growth = steps(plan_data, s, "zh")["growth"].text
    assert "以上" in growth, growth

"""Scenario files: exact round trip in every encoding Excel writes, and clear errors."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.export import assumptions_bytes
from model.scenario import (PRESET_NAMES, Scenario, ScenarioError, from_assumptions_csv, pct_text_to_rate,
                            presets, rate_to_pct_text, to_assumptions_csv)
from tests.strategies import scenarios


@given(st.floats(min_value=-1, max_value=10, allow_nan=False))
def test_percent_text_reads_back_bit_exact(rate):
    assert pct_text_to_rate(rate_to_pct_text(rate)) == rate


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_scenario_files_round_trip(s, encoding):
    text = to_assumptions_csv(s)
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:  # a name GBK cannot hold: not a file Excel could have saved as GBK
        raw = text.encode("utf-8")
    assert from_assumptions_csv(raw) == s


def test_presets_round_trip_through_the_exported_bytes(plan_data):
    for name, s in presets(plan_data).items():
        assert from_assumptions_csv(assumptions_bytes(s)) == s
    assert tuple(presets(plan_data)) == PRESET_NAMES


def _bad(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        from_assumptions_csv(text.encode("utf-8"))
    return exc.value.problems


GOOD = "parameter,value\nbaseline_2020_rail,975\nbaseline_2020_total,1015.625\ngrowth.rail_transit,7.5\ngrowth.nonrail,20\n"


def test_minimal_file_takes_neutral_defaults():
    s = from_assumptions_csv(GOOD.encode())
    assert s.growth["rail_transit"] == 0.075 and s.growth["power_semiconductor"] == 0.2
    assert (s.basis, s.profile, s.delay_all, s.ceiling_yi, s.horizon) == ("fyp", "even", 0, None, 2025)


@pytest.mark.parametrize("extra, expected", [
    ("growth.rail_transit2,5\n", "assumptions.csv:6:parameter: unknown key: growth.rail_transit2"),
    ("colour,red\n", "assumptions.csv:6:parameter: unknown parameter 'colour'"),
    ("horizon,abc\n", "assumptions.csv:6:value: not a valid number for horizon: 'abc'"),
    ("horizon,2050\n", "assumptions.csv:6:value: horizon: 2050 outside 2025–2035"),
    ("overrun,500\n", "assumptions.csv:6:value: overrun: 500 % outside"),
    ("delay.all,1.5\n", "assumptions.csv:6:value: not a valid number for delay.all: '1.5'"),
    ("growth.nonrail,30\n", "assumptions.csv:6:parameter: growth.nonrail given twice (rows 5 and 6)"),
    ("phasing.profile,zigzag\n", "assumptions.csv:6:value: phasing.profile: 'zigzag' not one of"),
])
def test_bad_assumption_rows_name_row_and_column(extra, expected):
    problems = _bad(GOOD + extra)
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_required_parameter():
    problems = _bad("parameter,value\nbaseline_2020_rail,975\n")
    assert "assumptions.csv:-:parameter: required parameter growth.rail_transit is missing" in problems


def test_wrong_header_and_empty_file():
    assert _bad("a,b\n1,2\n")[0].startswith("assumptions.csv:1:-: header must start with parameter,value")
    with pytest.raises(ScenarioError, match="empty"):
        from_assumptions_csv(b"")


def test_gbk_file_with_chinese_name():
    s = from_assumptions_csv((GOOD + "name,稳增长情景\n").encode("gbk"))
    assert s.name == "稳增长情景"


def test_scenario_is_hashable_and_frozen(plan_data):
    s = presets(plan_data)["plan-targets"]
    assert hash(s) == hash(from_assumptions_csv(assumptions_bytes(s)))
    with pytest.raises(AttributeError):
        s.horizon = 2030  # type: ignore[misc]
    with pytest.raises(ScenarioError, match="growth"):
        Scenario()


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_scenarios_round_trip_through_the_url(s):
    from model.share import decode, encode

    from model.scenario import GROWTH_KEYS, FrozenMap

    base = Scenario(baseline_rail_yi=975.0, baseline_total_yi=1015.625,
                    growth=FrozenMap({k: 0.05 for k in GROWTH_KEYS}))
    decoded, notices = decode(encode(s, base), base)
    assert notices == []
    assert decoded == s

"""model/io/url.py: the link codec (generated from the field table; tamper tests are in test_fields.py)."""
from __future__ import annotations

from model import load_plan_data, presets
from model.io.url import MAX_PARAMS, MAX_VALUE_LEN, decode, encode

DATA = load_plan_data()
T = presets(DATA)
BASE = T["plan-targets"]


def test_a_preset_link_names_only_what_differs():
    assert encode(BASE, BASE) == {"rail": "7.50401491418122", "non": "37.5457970585092"}
    q = encode(T["zero-growth"], BASE)
    assert q["n"] == "zero-growth" and q["rail"] == "0" and "b" not in q


def test_ui_keys_are_not_scenario_parameters_and_lists_keep_their_last_value():
    s, notices = decode({"lang": "en", "present": "1", "page": "x", "rail": ["1", "6"]}, BASE)
    assert notices == [] and s.growth["rail_transit"] == 0.06


def test_each_bad_parameter_is_named_and_the_rest_applies():
    s, notices = decode({"rail": "6", "non": "abc", "zz": "1", "h": "2099", "x": "P99"}, BASE,
                        project_ids=DATA.projects["project_id"])
    assert s.growth["rail_transit"] == 0.06
    assert {n.param: n.reason for n in notices} == {"non": "malformed", "zz": "unknown", "h": "out_of_range",
                                                   "x": "out_of_range"}


def test_the_two_baselines_are_decoded_together():
    s, notices = decode({"br": "2000", "b": "2500"}, BASE)  # each alone would break total >= rail
    assert notices == [] and (s.baselines["rail_transit"], s.baselines["total"]) == (2000, 2500)


def test_a_calendar_and_its_horizon_are_decoded_together():
    s, notices = decode({"by": "2025", "ty": "2030", "pf": "2026", "pl": "2030", "h": "2040", "tt": "2300",
                         "trl": "2000"}, BASE)
    assert notices == [] and (s.base_year, s.target_year, s.horizon) == (2025, 2030, 2040)


def test_oversized_links_are_cut_and_reported():
    s, notices = decode({"rail": "1" * (MAX_VALUE_LEN + 1)}, BASE)
    assert s == BASE and notices[0].detail == "too long"
    params = {f"p{i}": "1" for i in range(MAX_PARAMS + 50)}
    _, notices = decode(params, BASE)
    assert len(notices) == MAX_PARAMS + 1 and notices[-1].param == "…"

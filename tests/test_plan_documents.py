"""Every scenario, actuals set, list and library item records its plan, and opening one with another plan is refused
with a message naming both."""
from __future__ import annotations

import pytest

from model.io.actuals import ActualsSet
from model.io.assumptions import from_assumptions_csv, to_assumptions_csv
from model.io.library import Library, LibraryError, plan_kind
from model.io.url import decode, encode
from model.scenario.presets import presets
from model.scenario.scenario import ScenarioError
from tests.plans_support import load


def test_a_scenario_file_names_its_plan_and_is_refused_by_another():
    four, default = load("four-industries"), load("default")
    s = presets(four)["plan-targets"].with_(name="示例")
    text = to_assumptions_csv(s)
    assert "plan,synthetic-four-2026-2030" in text and "growth.materials" in text and "baseline_2025_mat" in text
    back = from_assumptions_csv(text.encode("utf-8"), "s.csv", plan=four)
    assert back == s
    with pytest.raises(ScenarioError) as err:
        from_assumptions_csv(text.encode("utf-8"), "s.csv", plan=default)
    assert "synthetic-four-2026-2030" in err.value.problems[0] and default.id in err.value.problems[0]
    plain = to_assumptions_csv(presets(default)["plan-targets"])
    assert "\nplan," not in plain  # the default package's files stay as they were
    with pytest.raises(ScenarioError) as err:
        from_assumptions_csv(plain.encode("utf-8"), "s.csv", plan=four)
    assert "names no plan" in err.value.problems[0]


def test_a_link_carries_the_plan_and_its_own_codes():
    four = load("four-industries")
    table = presets(four)
    s = table["plan-targets"].with_growth(materials=0.1)
    q = encode(s, table["plan-targets"])
    assert q["plan"] == four.id and q["mat"] == "10"
    back, notices = decode(q, table["plan-targets"])
    assert back == s and not notices
    other, notices = decode({**q, "plan": "someone-else"}, table["plan-targets"])
    assert [n.param for n in notices] == ["plan"]


def test_a_link_moving_the_target_year_without_targets_is_refused_as_a_whole():
    from model.calc.growth import Targets

    data = load("default")
    base = presets(data)["plan-targets"]
    ty = data.calendar.target_year + 5
    whole = lambda s: [f"targets: {m}" for m in Targets.missing(s, data)]  # noqa: E731
    s, notices = decode({"ty": str(ty), "h": str(ty)}, base, whole=whole)
    assert s.target_year == data.calendar.target_year and notices and notices[0].reason == "out_of_range"
    s, notices = decode({"ty": str(ty), "h": str(ty), "tt": "2300", "trl": "2000"}, base, whole=whole)
    assert s.target_year == ty and not notices


def test_library_documents_of_a_plan_are_stored_under_its_kind_and_checked_against_it(tmp_path, monkeypatch):
    from tests.plans_support import SYNTHETIC

    monkeypatch.setenv("SHIFENG_PLANS", str(SYNTHETIC))
    four = load("four-industries")
    assert plan_kind("actuals", load("default")) == "actuals" and plan_kind("actuals", four) == f"actuals@{four.id}"
    text = "indicator_id,year,value,unit,measure,scope,source,note\nmaterials_2030,2027,400,亿元,总产值,园区,x,\n"
    aset = ActualsSet.from_bytes(text.encode(), "a.csv", four)
    with Library(tmp_path / "lib.db") as lib:
        lib.save_document(plan_kind("actuals", four), "示例实际", aset.to_csv_text())
        with pytest.raises(LibraryError):  # the default plan has no such indicator
            lib.save_document("actuals", "错的", aset.to_csv_text())
        assert [r.name for r in lib.list(kind=plan_kind("actuals", four))] == ["示例实际"]
        assert lib.list(kind="actuals") == []

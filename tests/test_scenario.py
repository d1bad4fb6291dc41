"""Scenario files: exact round trip in every encoding Excel writes, and clear errors."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.export import assumptions_bytes
from model.scenario import FrozenMap, Scenario, ScenarioError, from_assumptions_csv, pct_text_to_rate, presets, rate_to_pct_text, to_assumptions_csv
from tests.strategies import scenarios
from tests.plans_support import PLAN_FOLDERS, default_keys, two_bases

GROWTH_KEYS, SPLIT_SEGMENTS = default_keys()  # the default plan's segments

PRESET_NAMES = ("plan-targets", "historical-trend", "city-trend", "rail-target-only", "zero-growth")


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


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["four", "one"]).flatmap(lambda n: scenarios(project_ids=("X1", "X2"),
                                                                    data=str(PLAN_FOLDERS[n]))))
def test_scenario_files_of_other_plans_round_trip(s):
    """A scenario of a plan of another shape (four parts with their own targets; one segment) reads back equal,
    for its own plan (the file names the plan)."""
    assert from_assumptions_csv(to_assumptions_csv(s).encode("utf-8"), plan=s.plan_data) == s


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

    from model.scenario import FrozenMap

    base = Scenario(baselines=two_bases(975.0, 1015.625),
                    growth=FrozenMap({k: 0.05 for k in GROWTH_KEYS}))
    decoded, notices = decode(encode(s, base), base)
    assert notices == []
    assert decoded == s


# -- names (issue 10 §6) and honest preset names (§8) -----------------------------------------------------

def test_names_are_what_they_look_like():
    from model.scenario import clean_name

    assert clean_name("区长\u200b汇报") == "区长汇报"  # zero-width space
    assert clean_name("Cafe\u0301") == clean_name("Café")  # NFC: one spelling for one look
    assert clean_name("  a \t b\n") == "a b" and clean_name("\u202eabc") == "abc"  # bidi override removed
    with pytest.raises(ScenarioError):
        Scenario(baselines=two_bases(975.0, 1015.625), growth=FrozenMap({k: 0.05 for k in GROWTH_KEYS}),
                 name="\u200b\u200d ")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_every_writer_accepts_every_name_the_library_accepts(name):
    from model import presets, run
    from model.io.export import assumptions_bytes, csv_bytes, summary_table
    from model.scenario import clean_name

    if not clean_name(name):
        return
    data = _data()
    s = presets(data)["zero-growth"].with_(name=name)
    assert s.name == clean_name(name)
    raw = assumptions_bytes(s)
    back = from_assumptions_csv(raw)
    assert back.name in (s.name, "'" + s.name)  # a formula-like name is neutralised with a leading apostrophe
    csv_bytes(summary_table(run(data, s)))


def _data():
    from model import load_plan_data

    global _DATA
    try:
        return _DATA
    except NameError:
        _DATA = load_plan_data()
        return _DATA


def test_a_file_naming_a_preset_with_other_numbers_is_custom(tmp_path):
    import subprocess
    import sys

    from model import load_plan_data, presets
    from model.scenario.presets import honest_name
    from tests.conftest import REPO

    table = presets(load_plan_data())
    rounded = table["plan-targets"].with_growth(rail_transit=0.0750)  # as a spreadsheet might round it
    assert honest_name(rounded, table).name == "custom"
    assert honest_name(table["plan-targets"], table).name == "plan-targets"
    src = tmp_path / "a.csv"
    src.write_text(to_assumptions_csv(rounded), encoding="utf-8")
    from tests.plans_support import cli_or_xfail

    cli_or_xfail()
    r = subprocess.run([sys.executable, "-m", "model", "export", "--assumptions", str(src), "--out",
                        str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "name,custom," in (tmp_path / "out" / "assumptions.csv").read_text(encoding="utf-8-sig")


# -- with_: only the changed fields checked, the same result as a new scenario -------------------------------------

def _outcome(make):
    """(the scenario's repr and its fields' types) or (the problems it was refused with)."""
    from model.scenario import FIELDS

    try:
        s = make()
    except ScenarioError as exc:
        return ("refused", tuple(exc.problems))
    return ("made", repr(s), tuple(type(getattr(s, f.name)).__name__ for f in FIELDS))


def _raw(v):
    """A value as a caller may hand it over before coercion: maps as plain dicts, sets as lists, 0 for 0.0."""
    if isinstance(v, FrozenMap):
        return {k: (int(x) if isinstance(x, float) and x == int(x) else x) for k, x in v.items()}
    if isinstance(v, frozenset):
        return sorted(v)
    return v


BAD = {"growth": lambda s: {k: 50.0 for k in s.growth},  # 5,000 % a year: out of range
       "baselines": lambda s: {k: -1.0 for k in s.baselines},
       "horizon": lambda s: s.target_year - 1,
       "delay_area": lambda s: {k: 0 for k in s.plan_data.areas.ids},  # zero delays: dropped, not refused
       "name": lambda s: "  ",
       "overrun": lambda s: float("nan")}


@settings(max_examples=80, deadline=None)
@given(st.sampled_from([None, *PLAN_FOLDERS.values()]).flatmap(lambda d: st.tuples(scenarios(data=d), scenarios(data=d))),
       st.data())
def test_with_equals_a_new_scenario_made_with_the_changes(pair, data):
    """`with_` checks only the changed fields on their own; for any changes (values of another scenario, raw
    values, bad values) it makes exactly what dataclasses.replace makes, or refuses with exactly its problems."""
    import dataclasses

    from model.scenario import FIELDS

    s, other = pair
    first = data.draw(st.sampled_from(sorted(BAD)))  # one field with a bad value on hand, then any others
    names = [first] + data.draw(st.lists(st.sampled_from([f.name for f in FIELDS if f.name not in ("plan", first)]),
                                         max_size=4, unique=True))
    how = data.draw(st.lists(st.sampled_from(["other", "raw", "bad"]), min_size=len(names), max_size=len(names)))
    changes = {}
    for name, h in zip(names, how):
        if h == "bad" and name in BAD:
            changes[name] = BAD[name](s)
        else:
            v = getattr(other, name)
            changes[name] = _raw(v) if h == "raw" else v
    assert _outcome(lambda: s.with_(**changes)) == _outcome(lambda: dataclasses.replace(s, **changes))


def test_with_of_no_field_raises_as_replace_does():
    from model import load_plan_data

    s = next(iter(presets(load_plan_data()).values()))
    with pytest.raises(TypeError):
        s.with_(no_such_field=1)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["default", "four-industries", "three-levels", "sum-of-parts"]), st.data())
def test_targets_a_scenario_sets_never_leave_a_parent_below_its_parts(name, data):
    """A package whose parts' targets exceed their total is refused; a link (trl=1700&tt=1600), an assumptions file
    or --target set the same and ran: the residual's implied target went negative and its growth showed the
    total's. Any targets set, with the plan's for the rest: refused naming a target set iff some parent with a
    residual has a target below the sum of its parts'."""
    from tests.plans_support import load

    plan = load(name)
    base = next(iter(presets(plan).values()))
    t = plan.segments
    eff = {sid: plan.money_yi(plan.segment_target_row(sid)) for sid in t.ids
           if plan.segment_target_row(sid) is not None}
    chosen = data.draw(st.lists(st.sampled_from(list(t.ids)), min_size=1, max_size=3, unique=True), label="set")
    set_ = {sid: data.draw(st.floats(1, 5000, allow_nan=False).map(lambda v: round(v, 1)), label=sid)
            for sid in chosen}
    eff.update(set_)
    over = [sid for sid in t.ids if t.parts_of(sid) and t.residual_of(sid) is not None and sid in eff and all(p in eff for p in t.parts_of(sid))
            and (sid in set_ or any(p in set_ for p in t.parts_of(sid)))
            and sum(eff[p] for p in t.parts_of(sid)) > eff[sid] + 1e-9 * max(1.0, eff[sid])]
    try:
        base.with_(targets=FrozenMap(set_))
        refused = None
    except ScenarioError as exc:
        refused = exc.problems
    if over:
        assert refused and all(p.startswith("target_") and "add up to" in p for p in refused), refused
    else:
        assert refused is None, refused

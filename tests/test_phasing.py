"""Phasing: money is conserved, delays only move money later, the ceiling holds (synthetic projects)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.phasing import apply_ceiling, phase_projects, phase_roads, profile_weights
from model.plan.registry import default_plan
from model.scenario import PROFILES, FrozenMap, Scenario
from tests.conftest import synthetic_projects
from tests.strategies import Reads, scenarios
from tests.plans_support import default_keys, two_bases

GROWTH_KEYS, SPLIT_SEGMENTS = default_keys()  # the default plan's segments

PROJECTS = pd.DataFrame({
    "project_id": ["P01", "P02", "P03"],
    "area": ["田心片区", "清水塘片区", "田心片区"],
    "category": ["科技创新", "产业发展", "产业发展"],
    "start_year": [2021, 2015, 2019],
    "end_year": [2023, 2022, 2020],
    "total_investment_yi": [3.6, 12.0, 5.0],
    "fyp_investment_yi": [3.6, 2.0, 2.0],
})


def scen(**kw) -> Scenario:
    return Scenario(baselines=two_bases(975.0, 1015.625),
                    growth=FrozenMap({k: 0.05 for k in GROWTH_KEYS}), **kw)


def _basis(projects: pd.DataFrame, s: Scenario) -> pd.Series:
    col = "fyp_investment_yi" if s.basis == "fyp" else "total_investment_yi"
    keep = ~projects["project_id"].isin(s.excluded)
    return projects.loc[keep].set_index("project_id")[col].fillna(0) * (1 + s.overrun)


def test_even_profile_known_answer():
    ph = phase_projects(PROJECTS, scen())
    row = dict(zip(ph.years, ph.matrix[ph.ids.index("P01")]))
    assert [row[y] for y in (2021, 2022, 2023)] == pytest.approx([1.2, 1.2, 1.2])
    # P02 built 2015–2022: its 14th-FYP 2.0 goes to 2021–2022
    row2 = dict(zip(ph.years, ph.matrix[ph.ids.index("P02")]))
    assert row2[2021] == pytest.approx(1.0) and row2[2022] == pytest.approx(1.0)


def test_fyp_money_outside_build_years_is_placed_in_2021_and_flagged():
    ph = phase_projects(PROJECTS, scen())
    assert ph.placed_by_default == ("P03",)
    row = dict(zip(ph.years, ph.matrix[ph.ids.index("P03")]))
    assert row[2021] == pytest.approx(2.0)


def test_total_basis_spreads_over_all_build_years():
    ph = phase_projects(PROJECTS, scen(basis="total"))
    row = dict(zip(ph.years, ph.matrix[ph.ids.index("P02")]))
    assert row[2015] == pytest.approx(1.5) and row[2022] == pytest.approx(1.5)


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_weights_sum_to_one(profile):
    w = profile_weights(profile, np.array([2021, 2020, 2025]), np.array([1, 4, 7]), np.arange(2015, 2040))
    assert np.allclose(w.sum(axis=1), 1.0)
    assert (w >= 0).all()


def test_front_and_back_loaded_profiles_lean_the_right_way():
    years = np.arange(2021, 2026)
    front = profile_weights("front", np.array([2021]), np.array([5]), years)[0]
    back = profile_weights("back", np.array([2021]), np.array([5]), years)[0]
    assert (np.diff(front) < 0).all() and (np.diff(back) > 0).all()


@settings(max_examples=80, deadline=None)
@given(scenarios(project_ids=tuple(f"S{i:06d}" for i in range(40))), st.integers(0, 10_000))
def test_phasing_conserves_each_projects_money(s, seed):
    projects = synthetic_projects(40, seed=seed)
    ph = phase_projects(projects, s)
    expected = _basis(projects, s)
    got = pd.Series(ph.matrix.sum(axis=1), index=list(ph.ids))
    assert np.allclose(got.reindex(expected.index).to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(scenarios(project_ids=tuple(f"S{i:06d}" for i in range(40))), st.integers(0, 10_000), st.integers(1, 4))
def test_a_delay_never_moves_money_earlier(s, seed, extra):
    projects = synthetic_projects(40, seed=seed)
    a = phase_projects(projects, s).by_year()
    b = phase_projects(projects, s.with_(delay_all=min(s.delay_all + extra, 10))).by_year()
    years = sorted(set(a.index) | set(b.index))
    ca = a.reindex(years, fill_value=0).cumsum()
    cb = b.reindex(years, fill_value=0).cumsum()
    assert (cb <= ca + 1e-9).all()


@settings(max_examples=80, deadline=None)
@given(scenarios(project_ids=tuple(f"S{i:06d}" for i in range(40))), st.integers(0, 10_000),
       st.floats(min_value=1, max_value=300))
def test_the_ceiling_is_never_exceeded(s, seed, cap):
    projects = synthetic_projects(40, seed=seed)
    ph = phase_projects(projects, s.with_(ceiling_yi=cap))
    assert (ph.matrix.sum(axis=0) <= cap * (1 + 1e-9)).all()
    assert np.isclose(ph.matrix.sum(), _basis(projects, s).sum(), rtol=1e-9, atol=1e-9)


def test_ceiling_carries_overflow_into_later_years():
    m = np.array([[10.0, 0.0], [10.0, 0.0]])
    out, years = apply_ceiling(m, np.array([2021, 2022]), 5.0)
    assert list(years) == [2021, 2022, 2023, 2024]
    assert out.sum(axis=0) == pytest.approx([5, 5, 5, 5])
    assert out.sum(axis=1) == pytest.approx([10, 10])


def test_exclusion_and_overrun():
    ph = phase_projects(PROJECTS, scen(excluded=frozenset({"P02"}), overrun=0.1))
    assert "P02" not in ph.ids
    assert ph.matrix.sum() == pytest.approx((3.6 + 2.0) * 1.1)


def test_area_category_and_project_delays_add_up():
    s = scen(delay_area={"田心片区": 1}, delay_category={"科技创新": 1}, delay_project={"P01": 1})
    ph = phase_projects(PROJECTS, s)
    row = dict(zip(ph.years, ph.matrix[ph.ids.index("P01")]))
    assert row.get(2023, 0) == 0 and row[2024] == pytest.approx(1.2) and row[2026] == pytest.approx(1.2)


def test_roads_convert_wan_to_yi_and_keep_funding_totals():
    roads = pd.DataFrame({"road_id": ["R1", "R2"], "start_year": [2021, 2020], "end_year": [2022, 2023],
                          "investment_wan": [20000.0, 40000.0], "funding_source": ["区财政", "企业自筹"]})
    ph = phase_roads(roads, scen())
    assert ph.matrix.sum(axis=1) == pytest.approx([2.0, 4.0])
    assert dict(zip(ph.years, ph.matrix[0]))[2021] == pytest.approx(1.0)


def test_large_synthetic_library_phases():
    projects = synthetic_projects(10_000, seed=1)
    ph = phase_projects(projects, scen(ceiling_yi=5000.0, profile="s-curve", delay_all=1))
    assert ph.matrix.sum() == pytest.approx(projects["fyp_investment_yi"].sum())


def test_group_sums_add_up_to_the_yearly_total():
    ph = phase_projects(PROJECTS, scen())
    names, sums = ph.group_sums({"P01": "a", "P02": "b", "P03": "a"})
    assert names == ["a", "b"]
    assert np.allclose(sums.sum(axis=0), ph.by_year().to_numpy())
    assert sums[1].sum() == pytest.approx(2.0)


@settings(max_examples=60, deadline=None)
@given(scenarios(project_ids=("SF-Z-01", "SF-Z-02", "SF-J-01")), st.booleans())
def test_phasing_reads_no_setting_outside_its_key(s, later):
    """phasing_key (what investment charts are cached by) holds every setting phasing reads: a setting read but not
    listed would leave a chart showing another scenario's investment."""
    from model.calc.phasing import PHASING_FIELDS
    from model.calc.results import lists_in_effect

    plan_data = s.plan_data
    if later:  # a next plan's period: the lists' rule reads carry_lists too
        s = s.with_(plan_first_year=2026, plan_last_year=2030)
    rec = Reads(s)
    projects, roads = lists_in_effect(plan_data, rec)
    phase_projects(projects, rec)
    phase_roads(roads, rec)
    assert rec.read - {"plan_data"} <= set(PHASING_FIELDS), rec.read - set(PHASING_FIELDS)


@settings(max_examples=30, deadline=None)
@given(scenarios(project_ids=("SF-Z-01", "SF-Z-02", "SF-J-01")), st.floats(-0.2, 0.6), st.floats(0.0, 0.5))
def test_phasing_key_ignores_growth_and_follows_the_phasing_settings(s, rate, overrun):
    from model.calc.phasing import phasing_key

    plan_data = s.plan_data
    moved = s.with_growth(**{k: rate for k in s.segments})
    assert phasing_key(moved) == phasing_key(s)
    a, b = phase_projects(plan_data.projects, s), phase_projects(plan_data.projects, moved)
    np.testing.assert_array_equal(a.matrix, b.matrix)
    if overrun != s.overrun:
        assert phasing_key(s.with_(overrun=overrun)) != phasing_key(s)


_PLAN_PROJECTS = tuple(default_plan().projects["project_id"][:4])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(scenarios(project_ids=_PLAN_PROJECTS), st.floats(-0.2, 0.6)), min_size=1, max_size=4))
def test_results_with_phasings_kept_by_their_key_equal_fresh_results(cases):
    """run(..., phased=) as the app keeps phasings (by kind and phasing_key): over a sequence of scenarios, growth
    moved or not, every result's investment equals a fresh run's, and a growth move reuses the kept phasing."""
    from model.calc.phasing import phasing_key
    from model.calc.results import run

    kept, built = {}, []

    def phased(kind, build):
        key = (kind, phasing_key(s))
        if key not in kept:
            built.append(key)
            kept[key] = build()
        return kept[key]

    for base, rate in cases:
        for s in (base, base.with_growth(**{k: rate for k in base.segments})):
            got, fresh = run(s.plan_data, s, phased), run(s.plan_data, s)
            for a, b in ((got.projects, fresh.projects), (got.roads, fresh.roads)):
                assert a.ids == b.ids
                np.testing.assert_array_equal(a.matrix, b.matrix)
                np.testing.assert_array_equal(a.years, b.years)
            pd.testing.assert_frame_equal(got.projection.path, fresh.projection.path)
            key = phasing_key(s)
            assert got.projects is kept[("projects", key)] and got.roads is kept[("roads", key)]
    assert len(built) == len(set(built)) <= 2 * len(cases)  # the growth-moved twin phased nothing anew


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(project_ids=tuple(f"S{i:06d}" for i in range(40))), st.integers(0, 10_000), st.integers(-3, 8),
       st.integers(2, 6))
def test_a_list_phased_in_another_period_keeps_its_own_years(s, seed, shift, length):
    """A list carried into another plan period (a next plan, a rebased calendar) phases its plan-period money in
    the period it belongs to, whatever the scenario's period: every project keeps its money (conserved), the
    scenario's period counts only the years that fall in it, and nothing is moved into its first year (a project
    built 2022–2025 put all its money into a next plan's 2026, where it was counted again)."""
    projects = synthetic_projects(40, seed=seed)
    own = (s.plan_first_year, s.plan_last_year)
    other = s.with_(plan_first_year=own[0] + shift, plan_last_year=own[0] + shift + length - 1)
    at_home, carried = phase_projects(projects, s), phase_projects(projects, other, period=own)
    years = np.union1d(carried.years, at_home.years)

    def grid(ph):  # the same money on one grid of years (each grid spans the scenario's period too)
        out = np.zeros((len(ph.ids), len(years)))
        out[:, np.searchsorted(years, ph.years)] = ph.matrix
        return out

    assert carried.ids == at_home.ids and np.allclose(grid(carried), grid(at_home), rtol=1e-12, atol=1e-12)
    assert np.allclose(carried.matrix.sum(axis=1), _basis(projects, s).reindex(list(carried.ids)).to_numpy())
    assert carried.total_in(other.plan_first_year, other.plan_last_year) == pytest.approx(
        at_home.total_in(other.plan_first_year, other.plan_last_year), abs=1e-9)


_D = "延期（年）"
_X = "剔除"


@pytest.mark.parametrize("payload", [
    {"added_rows": [{"id": "PX", _D: 3}]},  # a project that is not on the list
    {"edited_rows": {"0": {"id": None, _D: 4}}},  # the disabled id column blanked
    {"edited_rows": {"0": {"id": "=cmd|' /C calc'!A0", _D: 4}}},
    {"deleted_rows": [0, 1]},  # rows deleted from a fixed table
    '{"edited_rows": {"0": {"%s": Infinity}}, "added_rows": [], "deleted_rows": []}' % _D,
])
def test_the_project_table_takes_only_the_lists_projects_whatever_the_browser_sends(payload, monkeypatch):
    """A crafted widget message added a project PX (or blanked an id): the scenario held an unknown project's delay
    and every page showed the generic error, saying wrongly that the scenario was unaffected. The table is fixed:
    only its own projects' delays count, a blank or absurd value keeps what it had."""
    import json

    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import crafted_widget_states
    from tests.conftest import REPO

    sent = crafted_widget_states(monkeypatch)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.session_state["open_projects"] = True
    at.switch_page("pages/2_phasing.py").run()
    editor = next(e for e in at.dataframe if e.proto.editing_mode != 0 and "id" in e.value.columns)
    ids = set(editor.value["id"])
    body = payload if isinstance(payload, str) else json.dumps(
        {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **payload})
    sent[editor.proto.id] = body
    at.run()
    sent.clear()
    assert not at.exception and not at.error, [e.value for e in at.error]
    s = at.session_state["scenario"]
    assert set(s.delay_project) <= ids and s.excluded <= ids


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 8), st.integers(1, 6), st.data())
def test_group_sums_are_the_frame_grouping_they_replaced(n_items, n_years, data):
    """group_sums gives what the frame-built grouping (pandas' factorize and a one-hot product, the oracle here) gave:
    the groups in first-seen order, an id without a group under "", and their sums."""
    from model.calc.phasing import Phasing

    ids = tuple(f"p{i}" for i in range(n_items))
    matrix = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.5, 7.25]), min_size=n_items * n_years,
                                         max_size=n_items * n_years)), dtype=float).reshape(n_items, n_years)
    group_of = {i: data.draw(st.sampled_from(["甲", "乙", "丙", ""])) for i in ids if data.draw(st.booleans())}
    ph = Phasing(ids, np.arange(2021, 2021 + n_years), matrix, matrix.sum(axis=1))
    names, sums = ph.group_sums(group_of)
    codes, uniques = pd.factorize(pd.Series([group_of.get(i, "") for i in ids], dtype=object))
    onehot = np.zeros((len(uniques), n_items))
    onehot[codes, np.arange(n_items)] = 1.0
    table = pd.DataFrame((onehot @ matrix).T, columns=list(uniques))
    assert names == list(table.columns)
    np.testing.assert_array_equal(sums, table.to_numpy().T.reshape(len(names), n_years))

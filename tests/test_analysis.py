"""Analysis: known answers and invariants (synthetic scenarios; land/track-record read the real indicators)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis import (baseline_needed, correlation_root, earlier_realisation, investment_output, land,
                            realisation, simulate, solve_growth, tornado, track_record_targets)
from model.growth import Targets, project
from model.phasing import phase_projects
from model.scenario import FrozenMap, Scenario
from tests.plans_support import default_keys, two_bases, two_targets
from tests.strategies import scenarios

GROWTH_KEYS, SPLIT_SEGMENTS = default_keys()  # the default plan's segments

TARGETS = two_targets(1400.0, 1600.0)


def scen(rail=0.05, non=0.2, **kw) -> Scenario:
    g = {k: non for k in GROWTH_KEYS}
    g["rail_transit"] = rail
    kw.setdefault("n_paths", 2_000)
    return Scenario(baselines=two_bases(975.0, 1015.625), growth=FrozenMap(g), **kw)


def no_sd() -> FrozenMap:
    return FrozenMap({k: 0.0 for k in GROWTH_KEYS})


@pytest.mark.parametrize("split", [False, True])
def test_zero_uncertainty_monte_carlo_equals_the_deterministic_path(split):
    s = scen(sd=no_sd(), split=split, horizon=2030)
    fan = simulate(s, TARGETS)
    path = project(s, TARGETS).path
    for seg in ("total", "rail_transit"):
        q = fan.quantiles[fan.quantiles["segment"] == seg]
        for p in q["quantile"].unique():
            v = q[q["quantile"] == p].set_index("year")["value"]
            assert np.allclose(v.to_numpy(), path[seg].loc[v.index].to_numpy(), rtol=1e-12)
    assert fan.prob["rail_transit"] == (1.0 if path.at[2025, "rail_transit"] >= 1400 else 0.0)


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b = simulate(scen(seed=7), TARGETS), simulate(scen(seed=7), TARGETS)
    c = simulate(scen(seed=8), TARGETS)
    pd.testing.assert_frame_equal(a.quantiles, b.quantiles)
    assert a.prob["total"] == b.prob["total"]
    assert not a.quantiles["value"].equals(c.quantiles["value"])


def test_fan_is_ordered_and_probabilities_bounded():
    fan = simulate(scen(rail=0.075, non=0.37), TARGETS)
    wide = fan.quantiles.pivot_table(index=["segment", "year"], columns="quantile", values="value")
    assert (np.diff(wide.to_numpy(), axis=1) >= -1e-9).all()
    assert 0 <= fan.prob["total"] <= 1 and 0 <= fan.prob["rail_transit"] <= 1
    assert 0.3 < fan.prob["rail_transit"] < 0.7  # centred on the target: about even odds


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=-0.1, max_value=0.2), st.floats(min_value=0.001, max_value=0.1))
def test_higher_growth_never_lowers_the_probability(rate, bump):
    lo = simulate(scen(rail=rate, seed=3), TARGETS)
    hi = simulate(scen(rail=rate + bump, seed=3), TARGETS)
    assert hi.prob["rail_transit"] >= lo.prob["rail_transit"] and hi.prob["total"] >= lo.prob["total"]


@pytest.mark.parametrize("rho", [-0.25, 0.0, 0.6, 1.0])
def test_correlation_root_reproduces_the_matrix(rho):
    a = correlation_root(5, rho)
    corr = np.full((5, 5), rho)
    np.fill_diagonal(corr, 1)
    assert np.allclose(a @ a.T, corr, atol=1e-12)


@pytest.mark.parametrize("segment, which", [("rail_transit", "rail_transit"), ("rail_transit", "total"),
                                            ("nonrail", "total")])
def test_goal_seek_then_projection_hits_the_target(segment, which):
    s = scen(rail=0.03, non=0.1)
    seek = solve_growth(s, TARGETS, segment, which)
    assert seek.feasible and seek.rate is not None and seek.reason == "reached"
    p = project(s.with_growth(**{segment: seek.rate}), TARGETS)
    got = p.output["total"] if which == "total" else p.output["rail_transit"]
    assert got == pytest.approx(TARGETS["total"] if which == "total" else TARGETS["rail_transit"], abs=0.01)


def test_goal_seek_says_when_a_target_is_infeasible():
    s = scen(rail=0.03)
    assert solve_growth(s, TARGETS, "nonrail", "rail_transit") .reason == "no_effect"
    assert not solve_growth(s, TARGETS, "nonrail", "rail_transit").feasible
    huge = two_targets(1400.0, 1e9)
    seek = solve_growth(s, huge, "nonrail", "total")
    assert not seek.feasible and seek.reason == "too_high" and seek.rate is None
    assert solve_growth(scen(rail=0.2), TARGETS, "nonrail", "total").reason == "met"


def test_goal_seek_on_a_split_segment():
    s = scen(rail=0.075, non=0.1, split=True)
    seek = solve_growth(s, TARGETS, SPLIT_SEGMENTS[0], "total")
    assert seek.feasible
    assert project(s.with_growth(**{SPLIT_SEGMENTS[0]: seek.rate}), TARGETS).output["total"] == pytest.approx(
        1600, abs=0.01)


@pytest.mark.parametrize("which", ["rail_transit", "total"])
def test_baseline_needed_makes_the_growth_hit_the_target(which):
    s = scen(rail=0.06, non=0.3)
    b = baseline_needed(s, TARGETS, which)
    if which == "rail_transit":
        s2 = s.with_(baselines=two_bases(b, b + s.bases["nonrail"]))
        assert project(s2, TARGETS).output["rail_transit"] == pytest.approx(1400, abs=0.01)
    else:
        s2 = s.with_(baselines=two_bases(s.baselines["rail_transit"], b))
        assert project(s2, TARGETS).output["total"] == pytest.approx(1600, abs=0.01)


def test_tornado_of_a_linear_effect_is_symmetric_and_ranked():
    df = tornado(scen(), TARGETS)
    for name in ("baseline.rail_transit", "baseline.nonrail"):
        row = df.set_index("parameter").loc[name]
        assert row["output_high"] - row["output_base"] == pytest.approx(row["output_base"] - row["output_low"])
    assert list(df["swing"]) == sorted(df["swing"], reverse=True)
    assert (df["gap_high"] - df["gap_low"]).abs().tolist() == pytest.approx(df["swing"].tolist())


def test_tornado_of_a_base_at_the_fields_maximum_stays_inside_it():
    """Issue 21: an accepted actual of 9,090,910亿元 as a next plan's base made the +10 % variant leave the field's
    range, and the export failed; the variant now stops at the maximum (a one-sided swing)."""
    from model.scenario.fields import MONEY_MAX

    for rail, total in ((1.0, 9_090_910.0), (9_500_000.0, MONEY_MAX), (MONEY_MAX - 1, MONEY_MAX)):
        df = tornado(scen().with_(baselines=two_bases(rail, total)), TARGETS).set_index("parameter")
        assert (df["output_high"] >= df["output_base"] - 1e-6).all()


def test_land_known_answer(plan_data):
    s = scen(rail=(1400 / 975) ** 0.2 - 1, non=(200 / 40.625) ** 0.2 - 1)
    ld = land(s, TARGETS, plan_data)
    assert ld.extra_output_yi == pytest.approx(584.375)
    named = {a.area: a.named_mu for a in ld.areas if a.named_mu is not None}
    assert sum(named.values()) == 2100  # the plan's ~600 + ~1,500 mu
    assert ld.land_available_mu == 2100  # by default only the land the plan names is counted
    assert ld.land_needed_mu == pytest.approx(584.375e4 / 1238.56)
    assert ld.per_mu_output_needed == pytest.approx(584.375e4 / 2100)
    assert land(s.with_(per_mu_growth=0.1), TARGETS, plan_data).land_needed_mu < ld.land_needed_mu


@settings(max_examples=40, deadline=None)
@given(s=scenarios())
def test_land_from_a_projection_the_caller_has_equals_land_computed_anew(s):
    """land(..., projection) (the page's results passed in, not projected again) is land(...) exactly."""
    targets = Targets.for_scenario(s, s.plan_data)
    assert land(s, targets, s.plan_data, project(s, targets)) == land(s, targets, s.plan_data)


def test_land_is_shown_per_area_with_what_annex_projects_already_list(plan_data):
    ld = land(scen(), TARGETS, plan_data)
    claimed = {a.area: a.claimed_mu for a in ld.areas}
    by_area = plan_data.projects.groupby("area")["land_mu"].sum()
    for area, mu in by_area.items():
        assert claimed[area] == pytest.approx(mu)
    assert claimed["清水塘片区"] == pytest.approx(3717.5) and claimed["田心片区"] == pytest.approx(829.19)
    qst = next(a for a in ld.areas if a.area == "清水塘片区")
    assert qst.named_mu is None and qst.counted_mu == 0 and "清水塘片区" not in ld.included  # not stated


def test_a_user_set_area_availability_enters_the_verdict(plan_data):
    base = land(scen(), TARGETS, plan_data)
    with_qst = land(scen(land_mu={"清水塘片区": 3000.0}), TARGETS, plan_data)
    assert with_qst.land_available_mu == pytest.approx(base.land_available_mu + 3000)
    assert "清水塘片区" in with_qst.included
    assert next(a for a in with_qst.areas if a.area == "清水塘片区").user_set


def test_delays_move_investment_output_later(plan_data):
    s = scen(horizon=2035)
    a = investment_output(plan_data, s, phase_projects(plan_data.projects, s))
    d = s.with_(delay_all=2)
    b = investment_output(plan_data, d, phase_projects(plan_data.projects, d))
    assert (b.cumsum() <= a.reindex(b.index, fill_value=0).cumsum() + 1e-9).all()
    assert b.loc[2025] < a.loc[2025]


def test_investment_output_ramp_known_answer():
    from model.phasing import Phasing

    class Data:
        projects = pd.DataFrame({"project_id": ["A", "B"], "output_role": ["producing", "commercial"]})

    ph = Phasing(("A", "B"), np.arange(2021, 2023), np.array([[1.0, 1.0], [5.0, 5.0]]), np.array([2.0, 10.0]))
    out = investment_output(Data, scen(io_ratio=1.5, ramp_first=0.5, horizon=2026), ph)
    # only the producing project counts: 1.5 × 2 亿元 a year at full capacity, half of it in the first year
    assert out.loc[2022] == 0 and out.loc[2023] == pytest.approx(1.5) and out.loc[2024] == pytest.approx(3.0)
    out2 = investment_output(Data, scen(io_ratio=1.5, ramp_first=0.5, horizon=2026, io_roles={"commercial": 0.2}), ph)
    assert out2.loc[2024] == pytest.approx(3.0 + 0.2 * 10)


def test_non_producing_projects_add_no_output_by_default(plan_data):
    from model.calc.analysis import contributors, io_ratios

    s = scen()
    ratios = io_ratios(s, plan_data)
    roles = dict(zip(plan_data.projects["project_id"], plan_data.projects["output_role"]))
    assert all((ratios[i] == 1.0) == (roles[i] == "producing") for i in ratios)
    table = contributors(plan_data, s, phase_projects(plan_data.projects, s))
    assert set(table["output_role"]) == set(roles.values())
    assert table["projects"].sum() == len(plan_data.projects)


def test_track_record_level_reading_known_answer(plan_data):
    assert earlier_realisation(plan_data) == pytest.approx(975 / 2000)
    s = scen()  # the default reading: both of its figures are sourced
    assert s.track_reading == "level"
    tr = track_record_targets(s, TARGETS, plan_data)
    assert tr["rail_transit"] == pytest.approx(1400 * 975 / 2000) and tr["total"] == pytest.approx(1600 * 975 / 2000)
    assert tr["total"] < s.baselines["total"]  # the warning the page and the brief give


def test_track_record_increase_reading_known_answer(plan_data):
    from model.calc.analysis import earlier_base

    s = scen(track_reading="increase")
    eb = earlier_base(s, plan_data)
    assert eb.source == "estimate" and eb.value == pytest.approx(1003.7 * 0.744)  # city 2015 × the 2020 share
    r = (975 - eb.value) / (2000 - eb.value)
    tr = track_record_targets(s, TARGETS, plan_data)
    assert tr["rail_transit"] == pytest.approx(975 + r * (1400 - 975))
    user = s.with_(earlier_base_yi=700.0)
    assert earlier_base(user, plan_data).source == "user"
    r2 = (975 - 700) / (2000 - 700)
    assert track_record_targets(user, TARGETS, plan_data)["total"] == pytest.approx(1015.625 + r2 * (1600 - 1015.625))


def test_realisation_is_actual_over_projection():
    s2 = scen().with_(actuals={("rail_transit", 2021): 1000.0})
    df = realisation(s2, TARGETS)
    assert df.loc[0, "ratio"] == pytest.approx(1000 / (975 * 1.05))


def test_lognormal_shocks_put_the_median_on_the_path():
    s = scen(rail=(1400 / 975) ** 0.2 - 1, n_paths=20_000, shocks="lognormal", seed=3)
    fan = simulate(s, TARGETS)
    med = fan.bands("rail_transit").set_index("year")["p50"]
    assert med.loc[2025] == pytest.approx(1400, rel=0.005)
    assert fan.prob["rail_transit"] == pytest.approx(0.5, abs=0.015)
    normal = simulate(s.with_(shocks="normal"), TARGETS)
    assert normal.bands("rail_transit").set_index("year")["p50"].loc[2025] < med.loc[2025]




def _simulate_before(s: Scenario, targets) -> tuple[pd.DataFrame, dict]:
    """simulate() as it was written before its shocks were kept and its frame built at once (2026-12-06): the
    numbers every shared link and brief cites, which the faster one must reproduce exactly."""
    from model.calc.analysis import QUANTILES, fan_segments, leaf_map, simulate_paths

    levels = simulate_paths(s, np.random.default_rng(s.seed))
    years = np.arange(s.base_year + 1, s.horizon + 1)
    lm = leaf_map(s)
    col = {c: i for i, c in enumerate(s.segments)}
    rows, prob = [], {}
    i_t = s.target_year - s.base_year - 1
    for name in fan_segments(s, targets):
        arr = levels[:, :, [col[x] for x in lm[name]]].sum(axis=2)
        q = np.quantile(arr, QUANTILES, axis=0)
        for qi, p in enumerate(QUANTILES):
            rows.append(pd.DataFrame({"year": np.r_[s.base_year, years], "segment": name, "quantile": p,
                                      "value": np.r_[s.bases[name], q[qi]]}))
        if name in targets:
            t, at = targets[name], arr[:, i_t]
            hit = at <= t * (1 + 1e-9) if targets.comparator(name) == "<=" else at >= t * (1 - 1e-9)
            prob[name] = float(np.mean(hit))
    return pd.concat(rows, ignore_index=True), prob


@settings(max_examples=40, deadline=None)
@given(rail=st.floats(-0.2, 0.5), non=st.floats(-0.2, 0.5), sd=st.floats(0.0, 0.3), rho=st.floats(-0.25, 1.0),
       seed=st.integers(0, 2**32 - 1), n_paths=st.integers(1_000, 3_000), horizon=st.integers(2021, 2035),
       split=st.booleans(), shocks=st.sampled_from(["normal", "lognormal"]))
def test_kept_shocks_give_exactly_the_numbers_of_a_fresh_draw(rail, non, sd, rho, seed, n_paths, horizon, split,
                                                              shocks):
    s = scen(rail=rail, non=non, sd=FrozenMap({k: sd for k in GROWTH_KEYS}), correlation=rho, seed=seed,
             n_paths=n_paths, horizon=max(horizon, 2025), split=split, shocks=shocks)
    frame, prob = _simulate_before(s, TARGETS)
    for _ in range(2):  # a fresh draw, then the kept one
        fan = simulate(s, TARGETS)
        pd.testing.assert_frame_equal(fan.quantiles, frame, check_exact=True)
        assert fan.prob == prob


def test_kept_shocks_are_read_only_and_bounded():
    from model.calc import analysis

    z = analysis.correlated_shocks(5, 1_000, 5, 2, 0.3)
    assert not z.flags.writeable
    assert analysis.correlated_shocks(5, 1_000, 5, 2, 0.3) is z
    for seed in range(6, 6 + analysis._SHOCKS_KEPT + 1):
        analysis.correlated_shocks(seed, 1_000, 5, 2, 0.3)
    assert len(analysis._SHOCKS) <= analysis._SHOCKS_KEPT
    assert analysis.correlated_shocks(5, 1_000, 5, 2, 0.3) is not z  # dropped, drawn again: the same numbers
    np.testing.assert_array_equal(analysis.correlated_shocks(5, 1_000, 5, 2, 0.3), z)
    big = analysis.correlated_shocks(1, 100_000, 16, 5, 0.0)  # 64 MB: drawn, not kept
    assert big.shape == (100_000, 16, 5) and not big.flags.writeable
    assert sum(v.nbytes for v in analysis._SHOCKS.values()) <= analysis._SHOCKS_BYTES
    assert analysis.correlated_shocks(1, 100_000, 16, 5, 0.0) is not big
    # a correlation of -0.0 is its own key (its root may differ from 0.0's in sign): always a fresh draw's numbers
    for rho in (0.0, -0.0):
        fresh = np.random.default_rng(9).standard_normal((1_000, 5, 3)) @ analysis.correlation_root(3, rho).T
        np.testing.assert_array_equal(analysis.correlated_shocks(9, 1_000, 5, 3, rho), fresh)


@settings(max_examples=30, deadline=None)
@given(rail=st.floats(-0.2, 0.5), sd=st.floats(0.0, 0.3), horizon=st.integers(2025, 2035), split=st.booleans(),
       seed=st.integers(0, 10_000))
def test_bands_from_the_kept_arrays_equal_the_pivot_of_the_frame(rail, sd, horizon, split, seed):
    """simulate() keeps each segment's quantiles as arrays for bands(); a fan built from its frame alone pivots it:
    the two must be the same table."""
    from dataclasses import replace

    fan = simulate(scen(rail=rail, sd=FrozenMap({k: sd for k in GROWTH_KEYS}), horizon=horizon, split=split,
                        seed=seed, n_paths=1_000), TARGETS)
    assert fan.arrays is not None
    framed = replace(fan, arrays=None)
    for segment in fan.segments:
        got = fan.bands(segment)
        pd.testing.assert_frame_equal(got, framed.bands(segment), check_exact=True)
        got.iloc[0, 1] = -1.0  # a caller's copy: the fan's numbers stay
        assert fan.bands(segment).iloc[0, 1] != -1.0


@pytest.mark.parametrize("role", ["earlier_target", "earlier_outcome", "city_earlier_base", "city_base"])
def test_figures_set_against_each_other_are_read_in_one_unit(tmp_path, role):
    """A package gave the earlier target as 5000000 万元 and its outcome as 385 亿元: the track record read 0.0077 %
    (77 %). A money figure in 万元 is converted wherever the engine sets one role against another (the track
    record, the increase achieved, the city trend); figures in units that cannot be converted are refused."""
    import pytest as _pytest

    from model.calc.analysis import earlier_realisation, increase_realisation
    from model.plan.tables import DataError, load_plan_data
    from model.scenario.presets import city_trend, presets
    from tests.plans_support import PACKAGES, copy_package, read, write

    before = load_plan_data(PACKAGES["default"])
    s0 = next(iter(presets(before).values()))
    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "public_figures.csv")
    i = next(k for k, r in enumerate(rows) if r["role"] == role)
    assert rows[i]["unit"] == "亿元"
    rows[i] = {**rows[i], "value": f"{float(rows[i]['value']) * 10_000:g}", "unit": "万元"}
    write(folder / "public_figures.csv", header, rows)
    after = load_plan_data(folder)
    s1 = next(iter(presets(after).values()))
    assert earlier_realisation(after) == _pytest.approx(earlier_realisation(before), rel=1e-12)
    assert city_trend(after) == _pytest.approx(city_trend(before), rel=1e-12)
    b0, b1 = increase_realisation(s0, before), increase_realisation(s1, after)
    assert (b0 != b0 and b1 != b1) or b1 == _pytest.approx(b0, rel=1e-12)
    rows[i] = {**rows[i], "unit": "家"}
    write(folder / "public_figures.csv", header, rows)
    with _pytest.raises(DataError) as exc:
        load_plan_data(folder)
    assert any(p.startswith("public_figures.csv:") and ":unit: " in p for p in exc.value.problems), exc.value.problems


@settings(max_examples=30, deadline=None)
@given(st.integers(2021, 2025), st.integers(0, 6), st.integers(0, 3))
def test_a_project_adds_output_only_after_its_end_year(start, years, delay):
    """A project built 2028–2032 has only its plan-period money phased (2028–2030): its output began in 2031, two
    years before it is complete. Output starts the year after the later of its last money and its end year
    (delayed as its money is), whatever the build years and the delay."""
    from model.calc.phasing import phase_projects

    end = start + years
    projects = pd.DataFrame({"project_id": ["A"], "output_role": ["producing"], "area": [""], "category": [""],
                             "start_year": pd.array([start], dtype="Int64"), "end_year": pd.array([end], dtype="Int64"),
                             "total_investment_yi": [10.0], "fyp_investment_yi": [6.0]})

    class Data:
        pass

    Data.projects = projects
    s = scen(io_ratio=1.0, ramp_first=0.5, horizon=2035, delay_all=delay)
    ph = phase_projects(projects, s)
    out = investment_output(Data, s, ph)
    last_money = int(ph.years[ph.matrix[0] > 0].max())
    done = max(last_money, end + delay)
    assert (out.loc[: done] == 0).all(), (start, end, delay, out.to_dict())
    if done + 1 <= 2035:
        assert out.loc[done + 1] == pytest.approx(0.5 * ph.matrix[0].sum())


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["four-industries", "three-levels"]), st.dictionaries(
    st.sampled_from(["parent", "child", "other"]), st.one_of(st.none(), st.floats(0, 5000)), max_size=3))
def test_an_area_others_lie_in_is_taken_with_them_on_the_land_table(package, figures):
    """A 园区 whose 片区 hold 1,050 亩 counted showed 0 (and its projects' land left out theirs), as if the park had
    no land. An area's listed land includes the areas inside it; with no figure of its own (the plan's or the
    user's) its land counted is theirs summed, marked so; the land available (the verdict) is unchanged: each
    area's land counted once."""
    from model.plan.tables import load_plan_data
    from model.scenario.frozen import FrozenMap
    from model.scenario.presets import presets as _presets
    from tests.plans_support import PACKAGES

    data = load_plan_data(PACKAGES[package])
    parent = next(a.id for a in data.areas if any(k.parent == a.id for k in data.areas))
    child = next(a.id for a in data.areas if a.parent == parent)
    other = next(a.id for a in data.areas if a.id not in (parent, child))
    ids = {"parent": parent, "child": child, "other": other}
    s0 = next(iter(_presets(data).values()))
    s = s0.with_(land_mu=FrozenMap({ids[k]: v for k, v in figures.items() if v is not None}))
    from model.calc.results import run

    ld = land(s, run(data, s).projection.targets, data)
    by = {a.area: a for a in ld.areas}
    own = {a: s.land_mu.get(a, next((x.named_mu for x in ld.areas if x.area == a), None)) for a in ids.values()}
    p = by[parent]
    if own[parent] is None and by[child].counted_mu > 0:
        assert p.from_parts and p.counted_mu == pytest.approx(by[child].counted_mu)
    else:
        assert not p.from_parts
    claimed = data.projects.groupby("area")["land_mu"].sum().to_dict()
    assert p.claimed_mu == pytest.approx(claimed.get(parent, 0.0) + claimed.get(child, 0.0))
    # the verdict: every area's own figure, an area inside a counted one not added again
    expected = sum(float(own[a] or 0.0) for a in (parent, other)) + (float(own[child] or 0.0)
                                                                    if not own[parent] else 0.0)
    expected += sum(a.counted_mu for a in ld.areas if a.area not in data.areas)
    assert ld.land_available_mu == pytest.approx(expected)
    # the areas named as counted are those whose own figure is counted, never one summed from those inside it
    named = ld.included_names("zh")
    assert (by[parent].label("zh") in named.split("、")) == bool(own[parent]), (named, own)


@pytest.mark.parametrize("package", ["four-industries", "three-levels"])
def test_an_area_summed_from_those_inside_it_is_not_named_as_counted(package, tmp_path):
    """The land sentence listed a park and its zones (青岚县域园区、青岚经济技术开发区、经开区核心区 …) where only
    two zones state land: the areas named are those whose own figure is counted."""
    from model.calc.results import run
    from model.plan.tables import load_plan_data
    from model.scenario.frozen import FrozenMap
    from model.scenario.presets import presets as _presets
    from tests.plans_support import PACKAGES, copy_package, read, write

    data = load_plan_data(PACKAGES[package])
    parent = next(a for a in data.areas if any(k.parent == a.id for k in data.areas))
    child = next(a for a in data.areas if a.parent == parent.id)
    folder = copy_package(PACKAGES[package], tmp_path / "p")  # the parent's own land row taken out
    header, rows = read(folder / "indicators.csv")
    write(folder / "indicators.csv", header, [r for r in rows if not (r.get("role") == "land_available"
                                                                       and r.get("area") == parent.id)])
    data = load_plan_data(folder)
    s0 = next(iter(_presets(data).values()))
    s = s0.with_(land_mu=FrozenMap({child.id: 120.0}))
    ld = land(s, run(data, s).projection.targets, data)
    by = {a.area: a for a in ld.areas}
    assert by[parent.id].named_mu is None and by[parent.id].from_parts  # the parent states no land of its own
    named = ld.included_names("zh").split("、")
    assert child.name("zh") in named and parent.name("zh") not in named, named


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.integers(0, 2))
def test_investment_output_reads_nothing_outside_its_key(s, delay):
    """investment_output_key (what the next-plan page keeps its output from projects by, across growth moves) holds
    every setting investment_output reads: one read but not listed would show another scenario's output."""
    from model.calc.analysis import INVESTMENT_OUTPUT_FIELDS
    from model.calc.phasing import PHASING_FIELDS
    from tests.strategies import Reads

    s = s.with_(delay_all=delay)
    data = s.plan_data
    rec = Reads(s)
    investment_output(data, rec, phase_projects(data.projects, s))
    assert rec.read - {"plan_data"} <= set(INVESTMENT_OUTPUT_FIELDS) | set(PHASING_FIELDS), rec.read


@settings(max_examples=20, deadline=None)
@given(scenarios())
def test_fan_segments_from_arrays_are_those_of_its_frame(s):
    """A fan's segments, read from its arrays, are its quantile frame's segments in their order."""
    from model.calc.analysis import simulate

    fan = simulate(s.with_(n_paths=1000), Targets.for_scenario(s, s.plan_data))
    assert fan.segments == tuple(dict.fromkeys(fan.quantiles["segment"]))

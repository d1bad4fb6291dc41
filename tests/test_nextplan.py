"""The next plan (model/calc/nextplan.py and the export command), for any plan: rebase only on comparable actuals,
user-set targets and the growth they require, no "achieved" rate from a derived base, the old plan's lists not
counted unless chosen, per-mu output rebased; and properties that hold for any calendar (shifting every year of a
scenario and its package, phasing in any plan period, the first year a target is reached).

Known answers from issue 23: actuals of the new base year on the park's own scope and measure (total 1,520, rail
1,050 亿元 on 总产值), a city-level figure that refuses a rebase."""
from __future__ import annotations

import csv
import io
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import ScenarioError, load_plan_data, presets, run
from model.calc import nextplan as npn
from model.calc.analysis import investment_output, simulate
from model.calc.growth import Targets
from model.calc.phasing import phase_projects, phase_roads
from model.calc.results import summary_metrics
from model.cli import main
from model.io.actuals import ActualsSet
from model.io.assumptions import from_assumptions_csv, to_assumptions_csv
from model.io.lists import PlanList
from model.io.url import decode, encode
from model.numbers import WAN_PER_YI
from model.plan.tables import DATA_DIR
from model.scenario import FrozenMap, Scenario
from model.scenario.fields import PROFILES
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "nextplan"
FOUR = REPO / "tests" / "plans" / "four-industries"
ONE = REPO / "tests" / "plans" / "one-segment"
HEADER = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"


def actuals_of(rows: str, data) -> ActualsSet:
    return ActualsSet.from_bytes((HEADER + rows).encode("utf-8"), "a.csv", data)


def cagr(a: float, b: float, n: int = 5) -> float:
    return (b / a) ** (1 / n) - 1


@pytest.fixture(scope="module")
def a23(plan_data):
    """Issue 23: 2025 park total 1,520 and rail 1,050 亿元 (总产值, park), per mu 1,400; 2024 rail only city-level."""
    return ActualsSet.from_path(FIX / "actuals-23.csv", plan_data)


@pytest.fixture(scope="module")
def known(plan_data):
    """Synthetic actuals rail 1,300 and total 1,450 for 2025 (not the district's figures)."""
    return actuals_of("rail_output_2025,2025,1300,亿元,总产值,park,,synthetic,\npark_output_2025,2025,1450,亿元,总产值,"
                      "park,,synthetic,\n", plan_data)


def metrics(r) -> dict:
    return {k: v for k, v, _ in summary_metrics(r)}


# -- issue 23: known answers ------------------------------------------------------------------------

def test_issue_23_rebase_defaults_to_the_rates_the_new_targets_require_and_counts_no_old_project(plan_data, a23):
    assert npn.rebase_years(a23, plan_data) == [2025]
    base = npn.base_actuals(a23, plan_data, 2025)
    assert (base.values, base.measures, base.scopes, base.per_mu) == (
        {"rail_transit": 1050.0, "total": 1520.0}, {"rail_transit": "总产值", "total": "总产值"},
        {"rail_transit": "park", "total": "park"}, 1400.0)
    s = npn.rebase(presets(plan_data)["plan-targets"], base)
    assert (s.base_year, s.target_year, s.plan_first_year, s.plan_last_year) == (2025, 2030, 2026, 2030)
    assert dict(s.baselines) == {"rail_transit": 1050.0, "total": 1520.0} and s.per_mu_base == 1400.0
    s = npn.set_targets(s, {"total": 2300.0, "rail_transit": 1500.0})
    # the default growth is what the new targets require, never the old plan's preset
    assert s.growth["rail_transit"] == pytest.approx(cagr(1050, 1500), rel=1e-12)
    assert s.growth["nonrail"] == pytest.approx(cagr(470, 800), rel=1e-12)
    assert all(s.growth[k] == s.growth["nonrail"] for k in plan_data.segments.share_children)
    assert npn.following_targets(s) == {k: True for k in plan_data.segments.growth_keys}
    r = run(plan_data, s)
    assert r.projection.output["total"] == pytest.approx(2300.0, rel=1e-9)
    m = metrics(r)
    assert all(m[k] == 0.0 for k in ("project_investment_fyp", "project_investment_total", "road_investment_fyp",
                                     "road_investment_total"))  # the old plan's lists are not the next plan's
    carried = metrics(run(plan_data, s.with_(carry_lists=True)))
    # carried, the annex's 14th-FYP money stays in the years it was planned for (2021–2025): none of it is the next
    # plan's (it was all placed in 2026 and counted again); on the total basis the money of build years after 2025
    # (none in the annex: two years' delay moves some there) is, and only that
    assert carried["project_investment_fyp"] == 0.0 and carried["road_investment_total"] > 0
    total = run(plan_data, s.with_(carry_lists=True, basis="total", delay_all=2))
    after = float(total.projects.matrix[:, total.projects.years >= 2026].sum())
    assert metrics(total)["project_investment_fyp"] == pytest.approx(after) and after > 0
    assert after < float(total.projects.matrix.sum())


def test_issue_23_no_achieved_rate_is_read_from_a_derived_base_or_across_measures(plan_data, a23):
    base = npn.base_actuals(a23, plan_data, 2025)
    why = npn.method_reasons(plan_data, "achieved", base)
    assert why == {"total": "no_stated_base", "rail_transit": "base_not_comparable"}
    words = npn.method_problems(plan_data, "achieved", base)
    assert "derived" in words["total"] and "产业总规模" in words["rail_transit"] and "总产值" in words["rail_transit"]
    assert npn.method_reasons(plan_data, "historical", base)["rail_transit"] == "base_not_comparable"
    assert npn.method_reasons(plan_data, "achieved", None) == {"total": "needs_actuals",
                                                                "rail_transit": "needs_actuals"}
    assert npn.achieved_growth(base, plan_data) == {} and npn.achieved_segment_growth(base, plan_data) == {}
    s = npn.rebase(presets(plan_data)["plan-targets"], base)
    with pytest.raises(ScenarioError, match="applies to no segment"):
        npn.derive_targets(s, plan_data, "achieved", base)
    # complete: every segment still gets a target, by the old plan's required rate, and says so
    d = npn.derive_targets(s, plan_data, "achieved", base, complete=True)
    assert set(d.fallback) == {"total", "rail_transit"} == set(d.values)
    old = npn.old_required_rates(plan_data)
    assert d.rates["rail_transit"] == pytest.approx(cagr(975, 1400)) == pytest.approx(old["rail_transit"])
    assert d.values["rail_transit"] == pytest.approx(1050 * (1400 / 975))
    assert npn.old_base_kind(plan_data, "total") == "derived" and npn.old_base_kind(plan_data, "rail_transit") == \
        "stated"


def test_issue_23_required_non_rail_growth_follows_the_targets_split_not_a_slider(plan_data, a23):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=a23,
                      targets={"total": 2300.0, "rail_transit": 1500.0})
    want = {"total": cagr(1520, 2300), "rail_transit": cagr(1050, 1500), "nonrail": cagr(470, 800)}
    bs = npn.back_solve(run(plan_data, s), plan_data)
    assert bs.required == pytest.approx(want, rel=1e-12)
    for rail in (0.1, 0.2):  # rail above its need: the rate the rest needs *if rail grows so* falls, or vanishes
        r = run(plan_data, s.with_growth(rail_transit=rail))
        conditional = r.projection.required_conditional["nonrail"]
        assert conditional is None or conditional < want["nonrail"] - 0.01
        assert npn.back_solve(r, plan_data).required == pytest.approx(want, rel=1e-12)  # the targets' own split


def test_issue_23_a_city_level_figure_refuses_the_rebase_naming_the_segment(plan_data, a23):
    with pytest.raises(ScenarioError) as exc:
        npn.base_actuals(a23, plan_data, 2024)
    assert len(exc.value.problems) == 1
    assert "Rail transit" in exc.value.problems[0] and "another scope" in exc.value.problems[0]
    cands = npn.rebase_candidates(a23, plan_data)
    assert cands == {2025: {}, 2024: {"rail_transit": "scope"}, 2023: {"rail_transit": "scope"}}
    with pytest.raises(ScenarioError, match="Rail transit"):
        npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=a23, base_year=2024)


def test_a_users_slider_keeps_its_rate_when_a_target_changes(plan_data, a23):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=a23,
                      targets={"total": 2300.0, "rail_transit": 1500.0}).with_growth(rail_transit=0.09)
    assert npn.following_targets(s)["rail_transit"] is False
    t = npn.follow_targets(s, {"total": 2400.0})
    assert t.growth["rail_transit"] == 0.09  # the user's
    assert t.growth["nonrail"] == pytest.approx(cagr(470, 900), rel=1e-12)  # follows the new split
    assert npn.set_targets(s, {"total": 2400.0}).growth["rail_transit"] == pytest.approx(cagr(1050, 1500))
    assert npn.set_targets(s, {"total": 2400.0}, keep_growth=True).growth == s.growth


def test_output_per_mu_is_rebased_from_the_actuals_else_the_plans_figure_grown(plan_data, a23, known):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=a23,
                      targets={"total": 2300.0, "rail_transit": 1500.0}).with_(per_mu_growth=0.05)
    assert npn.per_mu_output(s, plan_data) == pytest.approx(1400 * 1.05 ** 5)
    bs = npn.back_solve(run(plan_data, s), plan_data)
    assert bs.land_needed_mu == pytest.approx(780 * WAN_PER_YI / (1400 * 1.05 ** 5))
    plain = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=known,
                          targets={"total": 2300.0, "rail_transit": 2000.0}).with_(per_mu_growth=0.05)
    assert plain.per_mu_base is None  # no per-mu actual: the plan's figure grown from its own year
    row = plan_data.role_row("per_mu_base")
    assert npn.per_mu_output(plain, plan_data) == pytest.approx(row["value"] * 1.05 ** (2030 - row["year"]))


# -- other plans ---------------------------------------------------------------------------------------

def test_four_industries_every_part_rebased_and_targeted_and_achieved_where_comparable():
    data = load_plan_data(FOUR)
    aset = ActualsSet.from_path(FIX / "four-actuals.csv", data)
    assert npn.rebase_candidates(aset, data)[2029] == {"materials": "scope", "equipment": "missing",
                                                        "biomed": "missing", "digital": "missing"}
    base = npn.base_actuals(aset, data, 2030)
    assert base.values == {"materials": 430.0, "equipment": 360.0, "biomed": 120.0, "digital": 70.0}
    assert npn.method_reasons(data, "achieved", base) == {"digital": "no_stated_base", "industry": "no_stated_base"}
    assert npn.method_reasons(data, "old_required", base) == {"digital": "assumed_base", "industry": "assumed_base"}
    assert npn.achieved_growth(base, data) == pytest.approx({"materials": cagr(320, 430), "equipment": cagr(250, 360),
                                                             "biomed": cagr(80, 120)})
    s = npn.rebase(presets(data)["plan-targets"], base)
    d = npn.derive_targets(s, data, "achieved", base, complete=True)
    assert set(d.values) == set(data.segments.with_targets) and set(d.fallback) == {"digital", "industry"}
    assert d.values["materials"] == pytest.approx(430 * (430 / 320))
    assert d.values["industry"] >= sum(d.values[p] for p in ("materials", "equipment", "biomed", "digital"))
    s = npn.set_targets(s, d.values)
    r = run(data, s)  # every target year target set: the scenario runs
    bs = npn.back_solve(r, data)
    assert set(bs.required) == set(data.segments.with_targets)
    assert bs.required["materials"] == pytest.approx(cagr(320, 430), rel=1e-9)
    assert bs.per_mu == pytest.approx(900.0)  # the plan's 900 万元/亩 at 0 % a year (no per-mu actual)


def test_one_segment_plan_rebase_refuses_another_measure():
    data = load_plan_data(ONE)
    aset = actuals_of("revenue_2030,2028,150,亿元,总产值,,,s,\nrevenue_2030,2027,140,亿元,营业收入,,,s,\n", data)
    assert npn.rebase_candidates(aset, data) == {2028: {"park": "measure"}, 2027: {}}
    with pytest.raises(ScenarioError, match="another measure"):
        npn.base_actuals(aset, data, 2028)
    s = npn.next_plan(presets(data)["plan-targets"], data, actuals=aset, targets={"park": 250.0})
    assert (s.base_year, s.target_year, dict(s.baselines)) == (2027, 2032, {"park": 140.0})
    assert s.growth["park"] == pytest.approx(cagr(140, 250))
    assert npn.back_solve(run(data, s), data).per_mu is None  # no per-mu figure in this plan


# -- the steps ----------------------------------------------------------------------------------------------

def test_next_plan_in_one_step_matches_the_steps(plan_data, known):
    s0 = presets(plan_data)["plan-targets"]
    s = npn.next_plan(s0, plan_data, actuals=known, target_year=2030, target_total=2300, target_rail=2000,
                      actuals_ref=known.short_id)
    assert s.base_year == 2025 and s.actuals_ref == known.short_id
    assert (dict(s.targets), s.target_year) == ({"total": 2300.0, "rail_transit": 2000.0}, 2030)
    s7 = npn.next_plan(s0, plan_data, actuals=known, base_year=2025, target_year=2032,
                       targets={"total": 2300, "rail_transit": 2000})
    assert (s7.plan_first_year, s7.plan_last_year, s7.target_year) == (2026, 2032, 2032)
    with pytest.raises(TypeError):
        npn.next_plan(s0, plan_data, actuals=known, target_wishful=1)


def test_without_actuals_the_base_stays_the_plans(plan_data):
    s0 = presets(plan_data)["plan-targets"]
    s = npn.next_plan(s0, plan_data, target_year=2030, targets={"total": 2300, "rail_transit": 2000})
    assert (s.base_year, s.baselines) == (s0.base_year, s0.baselines)
    with pytest.raises(ScenarioError, match="needs actuals"):
        npn.next_plan(s0, plan_data, base_year=2025)


def test_rebase_refuses_what_it_cannot_start_from(plan_data):
    only_rail = actuals_of("rail_output_2025,2025,1300,亿元,总产值,park,,s,\n", plan_data)
    with pytest.raises(ScenarioError, match="Park total.*no value"):
        npn.base_actuals(only_rail, plan_data, 2025)
    assert npn.rebase_years(only_rail, plan_data) == []
    estimate = actuals_of("rail_output_2025,2025,1300,亿元,estimate,park,,s,\n"
                          "park_output_2025,2025,1450,亿元,总产值,park,,s,\n", plan_data)
    with pytest.raises(ScenarioError, match="estimate"):
        npn.base_actuals(estimate, plan_data, 2025)
    assert npn.rebase_years(estimate, plan_data) == []
    below = actuals_of("rail_output_2025,2025,1300,亿元,总产值,park,,s,\npark_output_2025,2025,1200,亿元,总产值,park,,s,\n",
                       plan_data)
    with pytest.raises(ScenarioError, match="below the sum of its parts"):
        npn.base_actuals(below, plan_data, 2025)
    assert npn.rebase_candidates(below, plan_data) == {2025: {"total": "below_parts"}}
    assert npn.rebase_years(below, plan_data) == []
    # equal: the residual (non-rail) would start from 0, no growth would give it output and the total's target
    # would be missed without a word (a draft kept a meaningless rate)
    equal = actuals_of("rail_output_2025,2025,1300,亿元,总产值,park,,s,\npark_output_2025,2025,1300,亿元,总产值,park,,s,\n",
                       plan_data)
    with pytest.raises(ScenarioError, match="nothing left for the rest"):
        npn.base_actuals(equal, plan_data, 2025)
    assert npn.rebase_candidates(equal, plan_data) == {2025: {"total": "no_rest"}}
    assert npn.rebase_years(equal, plan_data) == []
    early = actuals_of("rail_output_2025,2019,900,亿元,总产值,park,,s,\npark_output_2025,2019,950,亿元,总产值,park,,s,\n",
                       plan_data)
    with pytest.raises(ScenarioError, match="before the plan's base year"):
        npn.base_actuals(early, plan_data, 2019)
    assert npn.rebase_years(early, plan_data) == [] and npn.rebase_candidates(early, plan_data) == {}


def test_years_before_the_base_are_drawn_as_actuals(plan_data):
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    assert npn.rebase_years(aset, plan_data) == [2025, 2024, 2023, 2022, 2021]
    series = npn.outcome_series(aset, plan_data, 2025)
    assert set(series["segment"]) == {"total", "rail_transit"} and series["year"].max() == 2025
    assert len(npn.outcome_series(aset, plan_data, 2023)) == 6


def test_back_solve_gives_growth_probability_and_land(plan_data, known):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=known, target_year=2030,
                      targets={"total": 2300, "rail_transit": 2000}).with_(per_mu_growth=0.05, n_paths=2000)
    r = run(plan_data, s)
    fan = simulate(s, r.projection.targets)
    bs = npn.back_solve(r, plan_data, fan)
    assert bs.required["total"] == pytest.approx(cagr(1450, 2300))
    assert bs.prob == fan.prob and set(bs.prob) == {"total", "rail_transit"} and bs.n_paths == 2000
    per_mu = plan_data.role("per_mu_base") * 1.05 ** (2030 - plan_data.role_year("per_mu_base"))
    assert bs.per_mu == pytest.approx(per_mu)
    assert bs.increase_yi == pytest.approx(850.0)
    assert bs.land_needed_mu == pytest.approx(850 * WAN_PER_YI / per_mu)
    assert bs.land_available_mu > 0


def test_back_to_the_plan_calendar_restores_the_plans_targets(plan_data, known):
    base = presets(plan_data)["plan-targets"]
    s = npn.next_plan(base, plan_data, actuals=known, target_year=2030, targets={"total": 2300, "rail_transit": 2000},
                      actuals_ref=known.short_id)
    back = npn.plan_calendar_fields(s, base)
    assert back.horizon == 2030 and back.with_(horizon=base.horizon, growth=base.growth) == base
    assert Targets.for_scenario(back, plan_data) == Targets.from_data(plan_data)


def test_next_plan_fields_round_trip_through_the_link_and_the_assumptions_file(plan_data, a23):
    pl = PlanList.from_path(FIX / "projects.csv")
    base = presets(plan_data)["plan-targets"]
    s = npn.next_plan(base, plan_data, actuals=a23, target_year=2030, targets={"total": 2300, "rail_transit": 1500},
                      actuals_ref=a23.short_id).with_(projects_ref=pl.short_id, carry_lists=True)
    q = encode(s, base)
    assert {k: q[k] for k in ("by", "ty", "tt", "trl", "as", "pj", "mub", "b", "br")} == {
        "by": "2025", "ty": "2030", "tt": "2300", "trl": "1500", "as": a23.short_id, "pj": pl.short_id, "mub": "1400",
        "b": "1520", "br": "1050"}
    back, notices = decode(q, base)
    assert back == s and not notices
    bad, notices = decode({**q, "pj": "../../etc", "tt": "-5"}, base)
    assert {n.param for n in notices} >= {"pj", "tt"}


def test_next_plan_fields_round_trip_through_the_assumptions_file(plan_data, a23):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=a23, target_year=2030,
                      targets={"total": 2300, "rail_transit": 1500}, actuals_ref=a23.short_id).with_(carry_lists=True)
    assert from_assumptions_csv(to_assumptions_csv(s).encode("utf-8")) == s


# -- any calendar ---------------------------------------------------------------------------------------

YEAR_COLUMNS = {"indicators.csv": ("year",), "projects.csv": ("start_year", "end_year"),
                "roads.csv": ("start_year", "end_year"), "public_figures.csv": ("year",)}
PLAN_YEARS = ("base_year", "target_year", "plan_first_year", "plan_last_year", "horizon", "long_term_year")


def _rewrite(path: Path, fix) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    fix(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def shifted_data_dir(dst: Path, k: int) -> Path:
    """A copy of the default package with every year (columns and plan.csv's calendar) moved by ``k`` years."""
    shutil.copytree(DATA_DIR, dst)
    for name, cols in YEAR_COLUMNS.items():
        def fix(rows, cols=cols):
            idx = [rows[0].index(c) for c in cols]
            for r in rows[1:]:
                for i in idx:
                    if r[i].strip():
                        r[i] = str(int(r[i]) + k)
        _rewrite(dst / name, fix)

    def fix_plan(rows):
        ki, vi = rows[0].index("key"), rows[0].index("value")
        for r in rows[1:]:
            if r[ki] in PLAN_YEARS and r[vi].strip():
                r[vi] = str(int(r[vi]) + k)
    _rewrite(dst / "plan.csv", fix_plan)
    return dst


def shifted(s: Scenario, k: int, data) -> Scenario:
    return Scenario(**{**{f: getattr(s, f) for f in s.__dataclass_fields__ if f != "plan_data"},
                       "base_year": s.base_year + k, "target_year": s.target_year + k,
                       "plan_first_year": s.plan_first_year + k, "plan_last_year": s.plan_last_year + k,
                       "horizon": s.horizon + k,
                       "overrides": FrozenMap({(seg, y + k): v for (seg, y), v in s.overrides.items()}),
                       "actuals": FrozenMap({(seg, y + k): v for (seg, y), v in s.actuals.items()})}, plan_data=data)


_SHIFTED: dict[int, object] = {}


@pytest.fixture(scope="module")
def shifted_data(tmp_path_factory):
    def get(k: int):
        if k not in _SHIFTED:
            _SHIFTED[k] = load_plan_data(shifted_data_dir(tmp_path_factory.mktemp(f"shift{k}") / "plan", k))
        return _SHIFTED[k]
    return get


def test_shifted_data_is_really_shifted(shifted_data, plan_data):
    d = shifted_data(7)
    assert d.calendar.target_year == plan_data.calendar.target_year + 7
    assert (d.projects["start_year"] - plan_data.projects["start_year"]).eq(7).all()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.sampled_from([-30, -5, 1, 6, 40]), rail=st.floats(0.0, 0.3), non=st.floats(-0.1, 0.5),
       profile=st.sampled_from(PROFILES), delay=st.integers(0, 3), cap=st.one_of(st.none(), st.floats(20, 200)),
       basis=st.sampled_from(["fyp", "total"]), horizon_extra=st.integers(0, 10), ov=st.floats(-0.2, 0.4))
def test_results_do_not_change_when_every_year_shifts(shifted_data, plan_data, k, rail, non, profile, delay, cap,
                                                      basis, horizon_extra, ov):
    base = presets(plan_data)["plan-targets"]
    s = base.with_growth(rail_transit=rail, nonrail=non).with_(
        profile=profile, delay_all=delay, ceiling_yi=cap, basis=basis, horizon=base.target_year + horizon_extra,
        overrides=FrozenMap({("nonrail", base.base_year + 2): ov}), n_paths=1000)
    data_k = shifted_data(k)
    a, b = run(plan_data, s), run(data_k, shifted(s, k, data_k))
    pa, pb = a.projection, b.projection
    assert list(pb.path.index) == [y + k for y in pa.path.index]
    np.testing.assert_allclose(pb.path.to_numpy(), pa.path.to_numpy(), rtol=1e-12)
    for name in ("required", "cagr", "gap"):
        assert getattr(pb, name) == pytest.approx(getattr(pa, name), rel=1e-12, abs=1e-12)
    assert pb.first_year == {x: (None if y is None else y + k) for x, y in pa.first_year.items()}
    for x, y in ((a.projects, b.projects), (a.roads, b.roads)):
        assert list(y.years) == [v + k for v in x.years] and x.ids == y.ids
        np.testing.assert_allclose(y.matrix, x.matrix, rtol=1e-12, atol=1e-12)
    ia, ib = investment_output(plan_data, a.scenario, a.projects), investment_output(data_k, b.scenario, b.projects)
    np.testing.assert_allclose(ib.to_numpy(), ia.to_numpy(), rtol=1e-12, atol=1e-12)
    assert simulate(a.scenario, pa.targets).prob == simulate(b.scenario, pb.targets).prob


@settings(max_examples=40, deadline=None)
@given(first=st.integers(2010, 2040), length=st.integers(0, 12), basis=st.sampled_from(["fyp", "total"]),
       profile=st.sampled_from(PROFILES), delay=st.integers(0, 5), overrun=st.floats(-0.5, 2.0),
       cap=st.one_of(st.none(), st.floats(1.0, 100.0)), which=st.sampled_from(["annex", "next"]))
def test_phasing_conserves_money_within_any_plan_period(plan_data, first, length, basis, profile, delay, overrun,
                                                        cap, which):
    projects = plan_data.projects if which == "annex" else PlanList.from_path(FIX / "projects.csv").frame()
    s = presets(plan_data)["plan-targets"].with_(plan_first_year=first, plan_last_year=first + length, basis=basis,
                                                 profile=profile, delay_all=delay, overrun=overrun, ceiling_yi=cap)
    ph = phase_projects(projects, s)
    col = "fyp_investment_yi" if basis == "fyp" else "total_investment_yi"
    amounts = projects[col].fillna(0.0).to_numpy() * (1 + overrun)
    np.testing.assert_allclose(ph.matrix.sum(axis=1), amounts, rtol=1e-9, atol=1e-9)
    assert (ph.matrix >= -1e-12).all()
    if cap is not None:
        assert (ph.matrix.sum(axis=0) <= cap * (1 + 1e-9)).all()
    if basis == "fyp" and delay == 0 and cap is None:  # undelayed, uncapped plan-period money stays in the period
        assert ph.total_in(first, first + length) == pytest.approx(amounts.sum(), rel=1e-9, abs=1e-9)
    roads = phase_roads(plan_data.roads, s)
    assert roads.matrix.sum() == pytest.approx(plan_data.roads["investment_wan"].sum() / WAN_PER_YI * (1 + overrun))


@settings(max_examples=60, deadline=None)
@given(b=st.integers(1960, 2150), n=st.integers(1, 20), extra=st.integers(0, 10), k_off=st.integers(0, 30),
       rail=st.floats(0.001, 0.5), non=st.floats(0.001, 0.8), base=st.floats(1.0, 5000.0),
       share=st.floats(0.05, 0.95), which=st.sampled_from(["total", "rail_transit"]))
def test_a_target_reached_in_year_k_is_reported_as_first_year_for_any_calendar(plan_data, b, n, extra, k_off, rail,
                                                                               non, base, share, which):
    t = b + n
    horizon = t + extra
    k = b + k_off % (horizon - b + 1)
    s = presets(plan_data)["plan-targets"].with_(
        base_year=b, target_year=t, plan_first_year=b + 1, plan_last_year=t, horizon=horizon,
        baselines=FrozenMap({"total": base, "rail_transit": base * share}),
        targets=FrozenMap({"total": 1.0, "rail_transit": 1.0}), overrides=FrozenMap()).with_growth(
        rail_transit=rail, nonrail=non)
    path = run(plan_data, s).projection.path
    level = float(path.at[k, which] if which in path.columns else path[["rail_transit", "nonrail"]].loc[k].sum())
    assume(level < 1e6)  # a target within what a scenario may hold
    other = {"total": level * 10} if which == "rail_transit" else {}  # a total never below its part's target
    s = s.with_(targets=FrozenMap({**s.targets, **other, which: level}))
    assert run(plan_data, s).projection.first_year[which] == k


# -- the export command -----------------------------------------------------------------------------------

def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig")


def test_cli_export_next_plan_known_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    out = tmp_path / "out"
    args = ["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals.csv"), "--base-year", "2025",
            "--target-year", "2030", "--target", "total=2300", "--target", "rail=2000", "--projects",
            str(FIX / "projects.csv"), "--roads", str(FIX / "roads.csv"), "--out", str(out)]
    assert main(args) == 0
    summary = _read(out / "summary.csv").set_index("metric")["value"]
    assert summary["base_year"] == 2025 and summary["target_year"] == 2030
    assert summary["required_cagr_rail"] == pytest.approx(cagr(1300, 2000) * 100, rel=1e-8)
    assert summary["required_cagr_total"] == pytest.approx(cagr(1450, 2300) * 100, rel=1e-8)
    phasing = _read(out / "phasing.csv")
    assert set(phasing["project_id"]) == {"N01", "N02", "N03", "N04", "N05", "N06"}
    assert phasing.loc[phasing["year"].between(2026, 2030), "value"].sum() == pytest.approx(117.0)
    assert set(_read(out / "roads.csv")["road_id"]) == {"Q01", "Q02", "Q03"}
    s = from_assumptions_csv((out / "assumptions.csv").read_bytes())
    pl = PlanList.from_path(FIX / "projects.csv")
    assert (s.projects_ref, s.targets["total"], s.base_year, s.name) == (pl.short_id, 2300.0, 2025, "custom")
    again = tmp_path / "again"  # the same export again from its assumptions file and the same lists: byte for byte
    assert main(["export", "--assumptions", str(out / "assumptions.csv"), "--projects", str(FIX / "projects.csv"),
                 "--roads", str(FIX / "roads.csv"), "--out", str(again)]) == 0
    for f in out.iterdir():
        if f.is_file() and not f.name.startswith("."):
            assert (again / f.name).read_bytes() == f.read_bytes(), f.name


def test_cli_export_of_a_rebase_counts_no_old_project(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    out = tmp_path / "out"
    assert main(["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals-23.csv"), "--target",
                 "total=2300", "--target", "rail=1500", "--out", str(out)]) == 0
    summary = _read(out / "summary.csv").set_index("metric")["value"]
    assert summary["project_investment_fyp"] == 0 and summary["road_investment_fyp"] == 0
    assert summary["required_cagr_nonrail"] == pytest.approx(cagr(470, 800) * 100, rel=1e-8)


def test_cli_export_opens_lists_and_actuals_from_the_library_by_id(tmp_path, monkeypatch, plan_data):
    from model.io.library import Library

    db = tmp_path / "lib.db"
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(db))
    pl, rl = PlanList.from_path(FIX / "projects.csv"), PlanList.from_path(FIX / "roads.csv", "roads")
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    with Library(str(db)) as lib:
        assert lib.save_document("projects", "下期项目", pl.to_csv_text()).short_id == pl.short_id
        lib.save_document("roads", "下期道路", rl.to_csv_text())
        lib.save_document("actuals", "终期评估", aset.to_csv_text())
    out = tmp_path / "out"
    assert main(["export", "--preset", "plan-targets", "--actuals", aset.short_id, "--target", "total=2300",
                 "--target", "rail=2000", "--projects", pl.short_id, "--roads", "下期道路", "--out", str(out)]) == 0
    s = from_assumptions_csv((out / "assumptions.csv").read_bytes())
    assert (s.actuals_ref, s.projects_ref, s.roads_ref) == (aset.short_id, pl.short_id, rl.short_id)
    again = tmp_path / "again"  # the assumptions file alone: its lists come from the library
    assert main(["export", "--assumptions", str(out / "assumptions.csv"), "--out", str(again)]) == 0
    assert (again / "phasing.csv").read_bytes() == (out / "phasing.csv").read_bytes()


@pytest.mark.parametrize("extra, message", [
    (["--base-year", "2025"], "needs actuals"),
    (["--target-year", "2030"], "set the targets for 2030"),
    (["--actuals", "deadbeef"], "no actuals"),
    (["--actuals", "no-such-file.csv"], "no such file"),
    (["--actuals", "FIX/actuals.csv", "--base-year", "2019"], "before the plan's base year"),
    (["--actuals", "FIX/actuals-23.csv", "--base-year", "2024"], "another scope"),
    (["--actuals", "FIX/actuals.csv", "--target-year", "2024", "--target", "total=1", "--target", "rail=1"],
     "not after the base year"),
    (["--actuals", "FIX/actuals.csv", "--target", "total=1e400"], "too large"),
    (["--actuals", "FIX/actuals.csv", "--target", "total=-5", "--target", "rail=2000"], "total"),
    (["--projects", "BAD"], "bad.csv:3:start_year"),
    (["--roads", "FIX/projects.csv"], "unknown column"),
])
def test_cli_export_bad_next_plan_input_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    bad = tmp_path / "bad.csv"
    rows = (FIX / "projects.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace(",2026,2028,", ",20x6,2028,")
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    extra = [str(bad) if a == "BAD" else a.replace("FIX", str(FIX)) for a in extra]
    out = tmp_path / "out"
    try:
        code = main(["export", "--preset", "plan-targets", *extra, "--out", str(out)])
    except SystemExit as exc:  # argparse's own refusal of a number (exit 2 as well)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    lines = [x for x in err.strip().splitlines() if not x.startswith(("usage:", " "))]  # argparse's usage lines
    assert lines and all(":" in line for line in lines)  # one reason a line, each naming what it is about
    assert not out.exists()


def test_default_calendar_export_is_unchanged_by_the_next_plan_options(tmp_path):
    """No next-plan option: the export is today's (the golden files are checked in tests/test_golden.py)."""
    a = tmp_path / "a"
    assert main(["export", "--preset", "plan-targets", "--out", str(a)]) == 0
    golden = REPO / "tests" / "golden" / "plan-targets"
    for f in golden.iterdir():
        assert (a / f.name).read_bytes() == f.read_bytes(), f.name
    assert not math.isnan(float(_read(a / "summary.csv").set_index("metric").loc["required_cagr_total", "value"]))


def test_cli_a_target_given_twice_is_refused_not_the_last_one_kept(tmp_path, capsys):
    """--target total=2300 --target total=2400 wrote 2400 without a word: a segment's target is given once; the
    same value twice is harmless."""
    out = tmp_path / "out"
    assert main(["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals-23.csv"), "--target",
                 "total=2300", "--target", "total=2400", "--out", str(out)]) == 2
    assert "given twice" in capsys.readouterr().err and not out.exists()
    assert main(["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals-23.csv"), "--target",
                 "total=2300", "--target", "total=2300", "--target", "rail=1500", "--out", str(out)]) == 0


def test_a_rebase_whose_period_overlaps_the_plans_counts_no_old_list_unless_carried(plan_data, tmp_path):
    """A next plan rebased on a year inside the plan period (2023: 2024–2028 overlaps 2021–2025) counted the annexes
    on the command line while the page said it did not. No old list counts unless carried; carried, only the money
    the plan phases in the new period's years (2024–2025) does."""
    base = npn.BaseActuals(2023, {"total": 1300.0, "rail_transit": 1200.0}, {"total": "总产值", "rail_transit": "总产值"},
                           {"total": "park", "rail_transit": "park"}, None)
    s = npn.set_targets(npn.rebase(presets(plan_data)["plan-targets"], base), {"total": 2000.0, "rail_transit": 1800.0})
    assert (s.plan_first_year, s.plan_last_year) == (2024, 2028)
    r = run(plan_data, s)
    assert r.projects.matrix.sum() == 0 and r.roads.matrix.sum() == 0
    own = run(plan_data, presets(plan_data)["plan-targets"])
    carried = run(plan_data, s.with_(carry_lists=True))
    assert carried.projects.total_in(2024, 2028) == pytest.approx(own.projects.total_in(2024, 2025), rel=1e-12)
    assert 0 < carried.projects.total_in(2024, 2028) < own.projects.total_in(2021, 2025)


def test_cli_carry_lists_and_a_target_in_wan(tmp_path):
    """--carry-lists counts the old lists in the new period (only their money there); a target may be written in
    万元 (total=23000000万元 = 2300亿元)."""
    out, carried = tmp_path / "a", tmp_path / "b"
    args = ["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals-23.csv"), "--target", "rail=1500"]
    assert main(args + ["--target", "total=23000000万元", "--out", str(out)]) == 0
    assert main(args + ["--target", "total=2300", "--carry-lists", "--out", str(carried)]) == 0
    a = _read(out / "summary.csv").set_index("metric")["value"]
    b = _read(carried / "summary.csv").set_index("metric")["value"]
    assert a["target_target_year_total"] == b["target_target_year_total"] == 2300
    assert a["road_investment_total"] == 0 and b["road_investment_total"] > 0

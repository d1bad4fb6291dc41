"""The evaluation: known answers on synthetic targets and actuals (every comparator, measures, missing data, the
latest-year fallback, qualitative targets), properties (monotone completion, mirrored for <=; shortfall
decomposition), and the reconciliation of execution with Annex 1 and Annex 2 when actuals equal the plan."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calc.evaluation import (FLAG_ABOUT, FLAG_DERIVED, FLAG_ESTIMATE, FLAG_LATEST, FLAG_MEASURE, FLAG_SCOPE,
                                   FLAG_VINTAGE, INDICATOR_COLUMNS, MET, MISMATCH, NEARLY, NO_DATA, NOT_MET,
                                   QUAL_PENDING, SERIES_COLUMNS, EvalSettings, completion, district_funding, evaluate,
                                   evaluate_indicators, evaluation_basis, grade, graded, holds, plan_as_actuals,
                                   plan_path, progress, segment_path)
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals, calendar_of
from model.plan import enums
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "actuals"
HEAD = "indicator_id,year,value,unit,measure,source,note\n"


def root(data) -> str:
    return data.segments.root


def part(data) -> str:
    """The first segment with a target under the root (a part the plan states a base for)."""
    return next(s for s in data.segments.with_targets if s != data.segments.root)

# synthetic targets (ids syn_*): comparator, target, baseline (None = none), measure
SYN = {
    "syn_gt": (">", 100.0, 50.0, "产值"),
    "syn_ge": (">=", 100.0, 60.0, "产值"),
    "syn_eq": ("=", 100.0, None, "企业数"),
    "syn_about": ("~", 100.0, None, "面积"),
    "syn_le": ("<=", 10.0, 20.0, "能耗"),
    "syn_qual": ("qual", None, None, "建成情况"),
}


@pytest.fixture(scope="module")
def syn(plan_data):
    """The plan data with six synthetic targets (and their synthetic base-year rows) added."""
    cal = calendar_of(plan_data)
    cols = list(plan_data.indicators.columns)
    rows = []
    for iid, (comp, value, base, measure) in SYN.items():
        common = {c: "" for c in cols} | {"name_zh": f"合成{iid}", "name_en": f"synthetic {iid}", "unit": "个",
                                           "section_id": "2.4", "quote": "synthetic", "src_row": 0}
        if base is not None:
            rows.append(common | {"indicator_id": f"{iid}_base", "year": cal.base_year, "value": base,
                                  "kind": "baseline", "comparator": "=", "measure": measure})
        rows.append(common | {"indicator_id": iid, "year": cal.target_year, "value": value, "kind": "target",
                              "comparator": comp, "baseline_id": f"{iid}_base" if base is not None else "",
                              "measure": measure})
    extra = pd.DataFrame(rows).reindex(columns=cols + [c for c in ("baseline_id", "measure") if c not in cols])
    ind = pd.concat([plan_data.indicators, extra], ignore_index=True)
    ind["year"] = ind["year"].astype("Int64")
    ind["value"] = pd.to_numeric(ind["value"]).astype("float64")
    for c in ind.columns:
        if ind[c].dtype == object:
            ind[c] = ind[c].fillna("")
    return replace(plan_data, indicators=ind)


def actuals(data, *rows) -> ActualsSet:
    """rows: (id, year offset from the target year, value, measure[, note])."""
    ty = calendar_of(data).target_year
    lines = []
    for r in rows:
        iid, dy, value, measure, note = (r + ("",))[:5]
        unit = "" if value is None else "个"
        lines.append(f"{iid},{ty + dy},{'' if value is None else value},{unit},{measure},test,{note}")
    return ActualsSet.from_bytes((HEAD + "\n".join(lines) + "\n").encode(), "syn.csv", data)


def one(data, iid, *rows, settings=EvalSettings()) -> dict:
    ev = evaluate_indicators(data, actuals(data, *rows), settings)
    return ev.set_index("indicator_id").loc[iid].to_dict()


# -- the measures of one target -------------------------------------------------------------------------

def test_completion_and_progress_known_answers():
    assert completion(80, 100, ">=") == 0.8
    assert completion(8, 10, "<=") == 1.25  # lower is better: target ÷ actual
    assert math.isnan(completion(0, 10, "<=")) and math.isnan(completion(5, 0, "="))
    assert progress(75, 50, 100) == 0.5
    assert progress(8, 20, 10) == 1.2  # mirrored for <=: (20 − 8) ÷ (20 − 10)
    assert math.isnan(progress(75, math.nan, 100)) and math.isnan(progress(75, 100, 100))


@pytest.mark.parametrize("comp, actual, expected", [
    (">", 100.0, NEARLY), (">", 100.5, MET), (">", 90.0, NEARLY), (">", 89.99, NOT_MET),
    (">=", 100.0, MET), (">=", 99.0, NEARLY), ("=", 100.0, MET), ("=", 120.0, MET), ("=", 50.0, NOT_MET),
    ("~", 95.0, MET), ("~", 94.9, NEARLY), ("~", 130.0, MET), ("~", 80.0, NOT_MET),
    ("<=", 10.0, MET), ("<=", 8.0, MET), ("<=", 0.0, MET), ("<=", 11.0, NEARLY), ("<=", 12.0, NOT_MET),
])
def test_grade_for_each_comparator(comp, actual, expected):
    target = 10.0 if comp == "<=" else 100.0
    assert grade(actual, target, comp) == expected


def test_settings_move_the_thresholds():
    assert grade(85, 100, "=") == NOT_MET
    assert grade(85, 100, "=", EvalSettings(nearly_met=0.8)) == NEARLY
    assert not holds(91, 100, "~") and holds(91, 100, "~", EvalSettings(about_tolerance=0.1))
    for bad in (dict(nearly_met=0.0), dict(nearly_met=1.5), dict(about_tolerance=-0.1), dict(about_tolerance=1.0)):
        with pytest.raises(ValueError):
            EvalSettings(**bad)


# -- indicators (synthetic targets) ---------------------------------------------------------------------

def test_indicator_frame_has_the_documented_columns(syn):
    ev = evaluate_indicators(syn, ActualsSet())
    assert list(ev.columns) == INDICATOR_COLUMNS
    assert set(SYN) <= set(ev["indicator_id"])
    assert (ev.set_index("indicator_id").loc[[k for k in SYN if k != "syn_qual"], "status"] == NO_DATA).all()
    assert ev.set_index("indicator_id").loc["syn_qual", "status"] == QUAL_PENDING


def test_level_target_known_answer(syn):
    r = one(syn, "syn_gt", ("syn_gt", 0, 75, "产值"))
    assert (r["target"], r["baseline"], r["actual"]) == (100, 50, 75)
    assert r["completion_pct"] == 75.0 and r["progress_pct"] == 50.0 and r["status"] == NOT_MET


def test_lower_is_better_known_answer(syn):
    r = one(syn, "syn_le", ("syn_le", 0, 8, "能耗"))
    assert r["completion_pct"] == 125.0 and r["progress_pct"] == pytest.approx(120.0) and r["status"] == MET
    r = one(syn, "syn_le", ("syn_le", 0, 11, "能耗"))
    assert r["completion_pct"] == pytest.approx(100 * 10 / 11) and r["status"] == NEARLY


def test_about_target_above_its_band_is_met_and_flagged(syn):
    r = one(syn, "syn_about", ("syn_about", 0, 120, "面积"))
    assert r["status"] == MET and FLAG_ABOUT in r["flags"]
    assert FLAG_ABOUT not in one(syn, "syn_about", ("syn_about", 0, 104, "面积"))["flags"]


def test_a_measure_that_differs_is_never_counted_met(syn):
    r = one(syn, "syn_eq", ("syn_eq", 0, 150, "营业收入"))
    assert r["status"] == MISMATCH and r["indicative_status"] == ""
    assert math.isnan(r["completion_pct"]) and math.isnan(r["progress_pct"]) and FLAG_MEASURE in r["flags"]
    assert r["reason"] == "measure"
    est = one(syn, "syn_eq", ("syn_eq", 0, 150, "estimate"))
    assert est["status"] == MISMATCH and FLAG_ESTIMATE in est["flags"]
    assert one(syn, "syn_eq", ("syn_eq", 0, 150, " 企业数 "))["status"] == MET  # same measure, other spacing


def test_latest_available_year_is_used_and_flagged(syn):
    r = one(syn, "syn_ge", ("syn_ge", -2, 80, "产值"), ("syn_ge", -1, 95, "产值"))
    assert r["actual"] == 95 and r["actual_year"] == calendar_of(syn).target_year - 1
    assert FLAG_LATEST in r["flags"] and r["status"] == NEARLY
    r = one(syn, "syn_ge", ("syn_ge", -1, 95, "产值"), ("syn_ge", 0, 101, "产值"))
    assert r["actual"] == 101 and FLAG_LATEST not in r["flags"] and r["status"] == MET


def test_figures_after_the_target_year_do_not_count(syn):
    assert one(syn, "syn_ge", ("syn_ge", 3, 500, "产值"))["status"] == NO_DATA


def test_qualitative_targets_are_graded_from_the_assessment_word(syn):
    assert one(syn, "syn_qual", ("syn_qual", 0, None, "定性", "已完成"))["status"] == MET
    assert one(syn, "syn_qual", ("syn_qual", 0, None, "定性", "推进中"))["status"] == NOT_MET
    assert one(syn, "syn_qual", ("syn_qual", 0, None, "定性", ""))["status"] == QUAL_PENDING


def test_park_total_progress_is_measured_from_its_derived_base_and_flagged(plan_data):
    t = plan_data.segment_target_row(root(plan_data))
    ty = int(t["year"])
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},{ty},{t['value']},{t['unit']},{t.get('measure') or 'x'}"
                                      f",,\n").encode(), "a.csv", plan_data)
    r = evaluate_indicators(plan_data, a).set_index("indicator_id").loc[t["indicator_id"]]
    base = plan_data.segment_base_row(root(plan_data))
    assert r["baseline"] == base["value"] and r["progress_pct"] == pytest.approx(100.0)
    assert (FLAG_DERIVED in r["flags"]) == (base["kind"] == "derived")


@given(st.floats(0, 500), st.floats(0, 500))
def test_completion_is_monotone_in_the_actual_and_mirrored_for_lower_is_better(a, b):
    lo, hi = min(a, b), max(a, b)
    for comp in (">", ">=", "=", "~"):
        assert completion(lo, 100, comp) <= completion(hi, 100, comp)
    if lo > 0:
        assert completion(lo, 100, "<=") >= completion(hi, 100, "<=")


RANK = {NOT_MET: 0, NEARLY: 1, MET: 2}


@given(st.floats(0, 500), st.floats(0, 500), st.sampled_from([">", ">=", "=", "~", "<="]))
def test_a_better_actual_never_gets_a_worse_grade(a, b, comp):
    lo, hi = min(a, b), max(a, b)
    worse, better = (hi, lo) if comp == "<=" else (lo, hi)
    if comp == "<=" and worse == 0:
        return
    assert RANK[grade(better, 100, comp)] >= RANK[grade(worse, 100, comp)]


@given(st.floats(1, 1000), st.floats(1, 1000), st.floats(1, 1000))
def test_progress_is_zero_at_the_baseline_and_one_at_the_target(base, target, actual):
    if abs(target - base) < 1e-6:
        return
    assert progress(base, base, target) == 0 and progress(target, base, target) == pytest.approx(1)
    assert np.sign(progress(actual, base, target)) in (0.0, np.sign((actual - base) * (target - base)))


# -- output paths ---------------------------------------------------------------------------------------

def test_plan_path_runs_at_a_constant_rate_from_base_to_target():
    p = plan_path(100.0, 200.0, 2010, 2015)
    assert p.iloc[0] == 100 and p.iloc[-1] == pytest.approx(200)
    growth = (p / p.shift(1)).dropna()
    assert np.allclose(growth, 2 ** (1 / 5))


def test_segment_path_growth_cagr_and_shortfall_decomposition(plan_data):
    a = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    frame, g = segment_path(plan_data, a, root(plan_data))
    assert list(frame.columns) == SERIES_COLUMNS
    base = plan_data.segment_base(root(plan_data))
    fixture = {2021: 1050, 2022: 1100, 2023: 1150, 2024: 1200, 2025: 1280}  # tests/fixtures/actuals/actuals.csv
    cal = calendar_of(plan_data)
    assert frame.set_index("year")["actual"].to_dict() == {cal.base_year: base, **fixture}
    assert frame["growth_pct"].iloc[1] == pytest.approx((1050 / base - 1) * 100)
    assert g["cagr_pct"] == pytest.approx(((1280 / base) ** (1 / 5) - 1) * 100)
    assert g["shortfall"] == pytest.approx(plan_data.segment_target(root(plan_data)) - 1280)
    assert frame["shortfall_increment"].sum() == pytest.approx(g["shortfall"])  # the decomposition adds up


def test_segment_path_skips_missing_years_and_compares_with_a_scenario(plan_data):
    seg = part(plan_data)
    t = plan_data.segment_target_row(seg)
    m = t.get("measure") or "x"
    cal = calendar_of(plan_data)
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},{cal.base_year + 2},1000,{t['unit']},{m},,\n"
                                      f"{t['indicator_id']},{cal.target_year},1300,{t['unit']},{m},,\n").encode(),
                              "a.csv", plan_data)
    scen = pd.Series(1100.0, index=range(cal.base_year, cal.target_year + 1))
    frame, g = segment_path(plan_data, a, seg, scen)
    y2 = frame.set_index("year").loc[cal.base_year + 2]
    assert y2["growth_pct"] == pytest.approx(((1000 / plan_data.segment_base(seg)) ** 0.5 - 1) * 100)  # annualised
    assert frame["gap_to_scenario"].iloc[-1] == pytest.approx(200)
    assert frame["shortfall_increment"].sum() == pytest.approx(g["shortfall"])
    assert frame["shortfall_increment"].isna().sum() == cal.years - 2  # years without data


# -- execution ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixture_ev(plan_data):
    return evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data),
                    ProjectActuals.from_path(FIX / "projects.csv", plan_data),
                    RoadActuals.from_path(FIX / "roads.csv", plan_data))


def test_projects_known_answers(plan_data, fixture_ev):
    p = fixture_ev.projects.set_index("project_id")
    annex = plan_data.projects.set_index("project_id")
    assert p.loc["P01", "invested_yi"] == pytest.approx(2.0)
    assert p.loc["P01", "completion_pct"] == pytest.approx(2.0 / annex.loc["P01", "fyp_investment_yi"] * 100)
    assert p.loc["P01", "status"] == "在建" and bool(p.loc["P01", "delayed"]) == (annex.loc["P01", "end_year"] < 2024)
    assert bool(p.loc["P04", "unstarted"]) == (annex.loc["P04", "start_year"] <= 2022)
    assert p.loc["P05", "invested_yi"] == 0.5 and p.loc["P05", "invested_other_yi"] == 0.25  # 2026: outside
    assert p.loc["P05", "status"] == "竣工"
    assert bool(p.loc["N01", "new"]) and p.loc["N01", "area"] == "清水塘片区" and math.isnan(p.loc["N01", "planned_yi"])
    assert p.loc["N01", "status"] == "在建"  # the latest report's status; "new" is a flag of its own
    assert math.isnan(p.loc["P10", "invested_yi"])  # nothing reported is not zero


def test_project_groups_count_new_projects_apart_and_sum_by_area(plan_data, fixture_ev):
    """Completion is of the plan's list: a new project's money is in invested_new (overall, by area, by year),
    never in invested, so it cannot lift a group's completion."""
    g = fixture_ev.project_groups
    by = {(d, k): (p, i, n) for d, k, p, i, n in
          g[["dimension", "group", "planned", "invested", "invested_new"]].itertuples(index=False)}
    p = fixture_ev.projects
    listed, new = p[~p["new"]], p[p["new"]]
    assert len(new) and new["invested_yi"].sum() > 0  # the fixture reports a new project's money
    assert by[("all", "all")][1] == pytest.approx(listed["invested_yi"].sum())
    assert by[("all", "all")][2] == pytest.approx(new["invested_yi"].sum())
    for area in plan_data.values("area"):
        if ("area", area) in by:
            got = listed.loc[listed["area"] == area, "invested_yi"].sum(min_count=1)  # nothing reported: NaN
            assert by[("area", area)][1] == pytest.approx(got, nan_ok=True)
    year = g[g["dimension"] == "year"]
    assert year["invested"].sum() == pytest.approx(listed["invested_yi"].sum())
    assert year["invested_new"].sum() == pytest.approx(new["invested_yi"].sum())
    s = fixture_ev.summary.set_index(["metric", "group"])["value"]
    assert s[("project_invested_new_yi", "all")] == pytest.approx(new["invested_yi"].sum())
    assert set(g["dimension"]) == {"all", "area", "category", "owner", "year"}


def test_roads_known_answers(plan_data, fixture_ev):
    r = fixture_ev.roads.set_index("road_id")
    annex = plan_data.roads.set_index("road_id")
    assert r.loc["R01", "invested_wan"] == 22000 and r.loc["R01", "length_built_m"] == 1300
    assert r.loc["R01", "length_pct"] == pytest.approx(1300 / annex.loc["R01", "length_m"] * 100)
    assert r.loc["R03", "status"] == "竣工"
    s = fixture_ev.summary.set_index(["metric", "group"])["value"]
    assert s[("road_length_built_m", "all")] == 1300 + 966
    assert s[("road_length_plan_m", "all")] == plan_data.role("roads_length_total")


def test_summary_counts_every_status(fixture_ev):
    s = fixture_ev.summary
    counts = s[s["metric"] == "targets_by_status"].set_index("group")["value"]
    assert counts.sum() == len(fixture_ev.indicators) == s.set_index("metric").loc["targets", "value"]
    assert counts[MISMATCH] >= 1 and counts[NOT_MET] >= 1  # the fixture's 口径 and the park total


def test_execution_reconciles_exactly_with_the_annexes_when_actuals_equal_the_plan(plan_data):
    ev = evaluate(plan_data, *plan_as_actuals(plan_data))
    pg = ev.project_groups.set_index(["dimension", "group"])
    fyp = plan_data.projects["fyp_investment_yi"].sum()
    assert pg.loc[("all", "all"), "planned"] == pytest.approx(fyp, rel=1e-12)
    assert pg.loc[("all", "all"), "invested"] == pytest.approx(fyp, rel=1e-12)
    assert round(pg.loc[("all", "all"), "invested"], 8) == round(fyp, 8)
    year = ev.project_groups[ev.project_groups["dimension"] == "year"]
    assert year["invested"].sum() == pytest.approx(fyp, rel=1e-12)
    rg = ev.road_groups.set_index(["dimension", "group"])
    assert rg.loc[("all", "all"), "invested"] == pytest.approx(plan_data.role("roads_investment_total"), rel=1e-12)
    assert rg.loc[("all", "all"), "planned"] == plan_data.roads["investment_wan"].sum()
    assert rg.loc[("length", "all"), "invested"] == plan_data.role("roads_length_total")
    assert ev.roads["length_built_m"].sum() == plan_data.roads["length_m"].sum()
    district = plan_data.roads.loc[plan_data.roads["funding_source"] == district_funding(plan_data),
                                   "investment_wan"].sum()
    s = ev.summary.set_index("metric")["value"]
    assert s["district_finance_planned_wan"] == district
    assert s["district_finance_paid_wan"] == pytest.approx(district, rel=1e-12)
    assert (ev.indicators["status"].isin([MET, NEARLY])).all()  # the plan's own figures meet (or equal) every target
    assert ev.growth["shortfall"].abs().max() < 1e-9
    assert not ev.projects["delayed"].any() and not ev.projects["unstarted"].any()


def test_the_own_budget_funding_is_the_packages_flagged_value(plan_data):
    assert district_funding(plan_data) in plan_data.values("funding_source")


def test_road_totals_fill_the_annex2_targets_from_the_road_reports(plan_data):
    ev = evaluate(plan_data, ActualsSet(), None, RoadActuals.from_path(FIX / "roads.csv", plan_data))
    ind = ev.indicators.set_index("indicator_id")
    row = plan_data.role_row("roads_length_total")
    if row.get("kind") != "target":
        pytest.skip("the road list's length is not a target in this package")
    assert ind.loc[row["indicator_id"], "actual"] == 1300 + 966


def test_evaluate_takes_a_scenario_projection_as_its_comparison_path(plan_data):
    from model import presets, run

    path = run(plan_data, presets(plan_data)["plan-targets"]).projection.path
    ev = evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data), scenario_paths=path)
    s = ev.series.set_index(["segment", "year"])
    for seg in ev.growth["segment"]:
        years = [y for y in s.loc[seg].index if y in path.index]
        assert np.allclose(s.loc[seg].loc[years, "scenario"], path.loc[years, seg])
    top = root(plan_data)
    last = (s.loc[top].index.max())
    assert s.loc[(top, last), "gap_to_scenario"] == pytest.approx(1280 - path.loc[last, top])


# -- issue #23: honest numbers, on every plan shape (synthetic packages in tests/plans/) ------------------------------

from tests.plans_support import PACKAGES, load  # noqa: E402

FULL = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"


def full(data, text: str) -> ActualsSet:
    return ActualsSet.from_bytes((FULL + text).encode(), "a.csv", data)


@pytest.fixture(scope="module")
def four():
    return load("four-industries")


def test_a_city_figure_gives_no_completion_growth_or_gap_anywhere(four):
    """Known answer: the city's figure for the park's total is shown, never computed with."""
    t = four.segment_target_row(four.segments.root)
    ev = evaluate(four, full(four, f"{t['indicator_id']},2028,1000,亿元,{t['measure']},市,年报,市统计局,\n"))
    r = ev.indicators.set_index("indicator_id").loc[t["indicator_id"]]
    assert r["status"] == MISMATCH and r["reason"] == "scope" and FLAG_SCOPE in r["flags"]
    assert math.isnan(r["completion_pct"]) and math.isnan(r["progress_pct"]) and r["indicative_status"] == ""
    assert r["actual"] == 1000 and r["scope"] == "city"  # shown, with its scope
    g = ev.growth.set_index("segment").loc[four.segments.root]
    for c in ("latest_actual", "cagr_pct", "shortfall", "shortfall_to_target", "plan_path_latest"):
        assert math.isnan(g[c]), c
    assert g["other_figures"] == 1
    s = ev.series[(ev.series["segment"] == four.segments.root) & (ev.series["year"] > four.calendar.base_year)]
    assert s["actual"].isna().all() and s["gap_to_plan"].isna().all() and s["growth_pct"].isna().all()
    o = ev.other_figures
    assert list(o[["segment", "year", "value", "scope", "reason"]].itertuples(index=False, name=None)) == [
        (four.segments.root, 2028, 1000.0, "city", "scope")]
    summary = ev.summary.set_index(["metric", "group"])["value"]
    assert math.isnan(summary[("latest_actual", four.segments.root)])
    assert math.isnan(summary[("shortfall_to_plan_path", four.segments.root)])


def test_a_province_figure_on_the_targets_measure_is_not_comparable(four):
    t = four.segment_target_row("materials")
    ev = evaluate(four, full(four, f"{t['indicator_id']},2030,500,亿元,{t['measure']},省,年报,省统计局,\n"))
    r = ev.indicators.set_index("indicator_id").loc[t["indicator_id"]]
    assert r["status"] == MISMATCH and r["reason"] == "scope" and math.isnan(r["completion_pct"])


def test_a_park_figure_on_the_targets_measure_is_graded(four):
    t = four.segment_target_row("materials")
    ev = evaluate(four, full(four, f"{t['indicator_id']},2030,500,亿元,{t['measure']},园区,年报,园区,\n"))
    r = ev.indicators.set_index("indicator_id").loc[t["indicator_id"]]
    assert r["status"] == MET and r["completion_pct"] == pytest.approx(500 / t["value"] * 100) and not r["reason"]
    g = ev.growth.set_index("segment").loc["materials"]
    assert g["latest_actual"] == 500 and g["cagr_pct"] == pytest.approx(((500 / 320) ** (1 / 5) - 1) * 100)


def test_a_later_vintage_replaces_an_earlier_one_and_says_which(four):
    t = four.segment_target_row("materials")
    i, m = t["indicator_id"], t["measure"]
    ev = evaluate(four, full(four, f"{i},2030,400,亿元,{m},园区,快报,a,\n{i},2030,460,亿元,{m},园区,年报,b,\n"
                                   f"{i},2030,440,亿元,{m},园区,预计,c,\n"))
    r = ev.indicators.set_index("indicator_id").loc[i]
    assert (r["actual"], r["vintage"], r["source"], r["status"]) == (460, "annual", "b", MET)
    assert FLAG_VINTAGE in r["flags"]
    s = ev.series[(ev.series["segment"] == "materials") & (ev.series["year"] == 2030)].iloc[0]
    assert s["actual"] == 460 and s["vintage"] == "annual"


def test_exactly_the_target_of_a_strict_over_target_is_not_met(plan_data, four):
    """Known answer: 突破1600 is not met by exactly 1,600 (nor 突破1100 by 1,100)."""
    for data in (plan_data, four):
        t = data.segment_target_row(data.segments.root)
        assert t["comparator"] == ">"
        ev = evaluate(data, full(data, f"{t['indicator_id']},{int(t['year'])},{t['value']},{t['unit']},"
                                       f"{t['measure']},{data.label('scope', data.scope)},年报,s,\n"))
        r = ev.indicators.set_index("indicator_id").loc[t["indicator_id"]]
        assert r["status"] == NEARLY and r["completion_pct"] == pytest.approx(100.0)


def test_a_monitoring_row_is_accepted_and_shown_with_its_scope(four):
    ev = evaluate(four, full(four, "va_growth,2027,8.5,%,规模以上工业增加值增速,园区,年报,s,\n"
                                   "va_growth,2028,7.9,%,规模以上工业增加值增速,市,年报,s,\n"
                                   "va_growth,2028,7.5,%,规模以上工业增加值增速,市,快报,s,\n"))
    m = ev.monitoring
    assert list(m[["year", "actual", "scope", "vintage", "comparable", "reason"]].itertuples(index=False, name=None)) \
        == [(2027, 8.5, "park", "annual", True, ""), (2028, 7.9, "city", "annual", False, "scope")]
    assert "va_growth" not in set(ev.indicators["indicator_id"])  # never graded


def test_a_new_project_can_be_completed(four):
    p = ProjectActuals.from_bytes("project_id,year,invested_yi,status,note,new,name,area,category\n"
                                  "N1,2028,3,竣工,,1,新项目,东区,制造业\n".encode(), "p.csv", four)
    ev = evaluate(four, ActualsSet(), p)
    r = ev.projects.set_index("project_id").loc["N1"]
    assert bool(r["new"]) and r["status"] == "竣工" and r["area"] == "东区" and r["invested_yi"] == 3


def test_long_term_targets_are_apart_and_never_graded(four):
    t = four.indicators.set_index("indicator_id").loc["output_total_2035"]
    ev = evaluate(four, full(four, f"output_total_2035,2030,1700,亿元,{t['measure']},园区,年报,s,\n"))
    assert "output_total_2035" not in set(ev.indicators["indicator_id"])
    lt = ev.long_term.set_index("indicator_id").loc["output_total_2035"]
    assert lt["status"] == "" and lt["actual"] == 1700


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_plan_evaluates_against_its_own_plan(name):
    data = load(name)
    ev = evaluate(data, *plan_as_actuals(data))
    assert set(ev.growth["segment"]) == set(data.segments.with_targets)
    assert ev.has_roads == (len(data.roads) > 0)
    assert not ev.summary["metric"].str.startswith("road").any() or len(data.roads)
    assert not (ev.indicators["status"] == MISMATCH).any()


# -- issue #22: a threshold re-grades the targets only --------------------------------------------------------------

_FRAMES = ("indicators", "series", "growth", "projects", "project_groups", "roads", "road_groups", "summary",
           "monitoring", "long_term", "other_figures")


@pytest.fixture(scope="module")
def as_planned(plan_data):
    return plan_as_actuals(plan_data)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.floats(0.5, 1.0), st.floats(0.0, 0.5)), min_size=1, max_size=4))
def test_one_basis_graded_under_any_thresholds_in_turn_is_evaluate(plan_data, as_planned, thresholds):
    """Grading a kept basis under thresholds one after another gives what evaluating afresh gives under each: the
    grading reads the basis, never changes it, and shares no frame with an earlier evaluation."""
    a, p, r = as_planned
    basis = evaluation_basis(plan_data, a, p, r)
    before = None
    for nearly, about in thresholds:
        s = EvalSettings(nearly_met=nearly, about_tolerance=about)
        kept, fresh = graded(basis, s), evaluate(plan_data, a, p, r, settings=s)
        for name in _FRAMES:
            pd.testing.assert_frame_equal(getattr(kept, name), getattr(fresh, name), obj=name)
        assert kept.settings == s and kept.actuals_id == fresh.actuals_id
        if before is not None:  # a page that changed an earlier evaluation's frames changes nothing here
            for name in _FRAMES:
                frame = getattr(before, name)
                if len(frame.columns):
                    frame[frame.columns[0]] = None
        before = kept


@pytest.mark.parametrize("package", ["four-industries", "sum-of-parts"])
def test_a_total_without_a_base_of_its_own_is_measured_from_its_parts_sum(package):
    """The projection starts a total the plan states only through its parts from their sum; the evaluation and the
    monitoring read "no base" instead (growth and progress blank; the monitoring took the first actual as base).
    The base is their sum, in the target's unit, marked derived, wherever every part states one."""
    from model import load_plan_data
    from model.calc.evaluation import baseline_row
    from model.calc.monitoring import FLAG_BASE_DERIVED, plan_targets
    from model.plan.tables import MONEY_UNITS
    from tests.plans_support import PACKAGES

    data = load_plan_data(PACKAGES[package])
    t = data.segments
    checked = 0
    for seg in t:
        if seg.base_id or not seg.target_id:
            continue
        target = data.indicator_row(seg.target_id)
        row = baseline_row(data, target)
        parts = t.parts_of(seg.id)
        if not parts or t.residual_of(seg.id) is not None or not all(data.segment_base_row(p) for p in parts):
            assert row is None  # an assumed base, a rest the plan does not state, a part without a stated base
            continue
        expected = sum(data.money_yi(data.segment_base_row(p)) for p in parts) / MONEY_UNITS[target["unit"]]
        assert row is not None and row["kind"] == "derived" and row["value"] == pytest.approx(expected, rel=1e-12)
        mon = next(r for r in plan_targets(data) if r["indicator_id"] == seg.target_id)
        assert mon["base"] == pytest.approx(expected, rel=1e-12) and FLAG_BASE_DERIVED in mon["flags"]
        checked += 1
    assert checked >= (package == "sum-of-parts")


@pytest.mark.parametrize("name", [n for n in PACKAGES])
def test_an_areas_row_takes_in_the_areas_inside_it(name):
    """On every package: an area's planned and invested money is that of the listed projects in it or in an area
    inside it (a park with its 片区'), and sub_areas counts those areas; an area with none inside is its own."""
    data = load(name)
    ev = evaluate(data, *plan_as_actuals(data))
    p = ev.projects[~ev.projects["new"]]
    rows = ev.project_groups[ev.project_groups["dimension"] == "area"]
    if not len(p):
        return
    for _, r in rows.iterrows():
        if r["group"] == "—":
            continue
        within = set(data.areas.within(r["group"])) | {r["group"]}
        mine = p[p["area"].isin(within)]
        assert r["planned"] == pytest.approx(mine["planned_yi"].sum(min_count=1), nan_ok=True), r["group"]
        assert r["invested"] == pytest.approx(mine["invested_yi"].sum(min_count=1), nan_ok=True), r["group"]
        assert r["sub_areas"] == len(set(mine["area"]) - {r["group"]}), r["group"]
    nested = [a for a in data.areas if a.parent and (p["area"] == a.id).any()]
    for a in nested:  # every parent of an area with projects has a row
        for up in data.areas.ancestors(a.id):
            assert up in set(rows["group"]), (a.id, up)


@pytest.mark.parametrize("word", ["县", "县级", "全县", "county", "县域"])
def test_a_countys_figures_are_read_on_its_own_scope(tmp_path, word):
    """A county plan could not file county figures ('unknown scope 县'), nor say it was a county's. 县 is a scope
    of its own: on a county plan a figure on it is the plan's own; on a park's it is another scope, never graded."""
    from model.calc.compare import SCOPE_ALIASES
    from model.plan.tables import SCOPES, load_plan_data
    from tests.plans_support import copy_package, read, write

    assert set(SCOPE_ALIASES.values()) == set(SCOPES)  # every word names a scope the plan and the files know
    park = load("one-segment")
    t = park.segment_target_row(park.segments.root)
    line = f"{t['indicator_id']},{int(t['year'])},{t['value'] * 2},{t['unit']},{t['measure']},{word},年报,统计局,\n"
    r = evaluate(park, full(park, line)).indicators.set_index("indicator_id").loc[t["indicator_id"]]
    assert r["status"] == MISMATCH and r["reason"] == "scope"
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "county")
    header, rows = read(folder / "plan.csv")
    rows = [r for r in rows if r["key"] != "scope"] + [{**{c: "" for c in header}, "key": "scope",
                                                        "value": "county"}]
    write(folder / "plan.csv", header, rows)
    county = load_plan_data(folder)
    r = evaluate(county, full(county, line)).indicators.set_index("indicator_id").loc[t["indicator_id"]]
    assert r["status"] != MISMATCH and r["completion_pct"] == pytest.approx(200.0)

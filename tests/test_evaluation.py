"""The evaluation: known answers on synthetic targets and actuals (every comparator, measures, missing data, the
latest-year fallback, qualitative targets), properties (monotone completion, mirrored for <=; shortfall
decomposition), and the reconciliation of execution with Annex 1 and Annex 2 when actuals equal the plan."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.calc.evaluation import (DISTRICT_FUNDING, FLAG_ABOUT, FLAG_DERIVED, FLAG_LATEST, FLAG_MEASURE,
                                   INDICATOR_COLUMNS, MET, MISMATCH, NEARLY, NO_DATA, NOT_MET, QUAL_PENDING,
                                   SERIES_COLUMNS, EvalSettings, completion, evaluate, evaluate_indicators, grade,
                                   holds, plan_as_actuals, plan_path, progress, segment_path)
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals, calendar_of
from model.plan import enums
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "actuals"
HEAD = "indicator_id,year,value,unit,measure,source,note\n"

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
    assert r["status"] == MISMATCH and r["indicative_status"] == MET
    assert r["completion_pct"] == 150.0 and FLAG_MEASURE in r["flags"]
    est = one(syn, "syn_eq", ("syn_eq", 0, 150, "estimate"))
    assert est["status"] == MISMATCH
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
    t = plan_data.role_row("total_target")
    ty = int(t["year"])
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},{ty},{t['value']},{t['unit']},{t.get('measure') or 'x'}"
                                      f",,\n").encode(), "a.csv", plan_data)
    r = evaluate_indicators(plan_data, a).set_index("indicator_id").loc[t["indicator_id"]]
    base = plan_data.role_row("total_base")
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
    frame, g = segment_path(plan_data, a, "total")
    assert list(frame.columns) == SERIES_COLUMNS
    base = plan_data.role("total_base")
    fixture = {2021: 1050, 2022: 1100, 2023: 1150, 2024: 1200, 2025: 1280}  # tests/fixtures/actuals/actuals.csv
    cal = calendar_of(plan_data)
    assert frame.set_index("year")["actual"].to_dict() == {cal.base_year: base, **fixture}
    assert frame["growth_pct"].iloc[1] == pytest.approx((1050 / base - 1) * 100)
    assert g["cagr_pct"] == pytest.approx(((1280 / base) ** (1 / 5) - 1) * 100)
    assert g["shortfall"] == pytest.approx(plan_data.role("total_target") - 1280)
    assert frame["shortfall_increment"].sum() == pytest.approx(g["shortfall"])  # the decomposition adds up


def test_segment_path_skips_missing_years_and_compares_with_a_scenario(plan_data):
    t = plan_data.role_row("rail_target")
    cal = calendar_of(plan_data)
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},{cal.base_year + 2},1000,{t['unit']},x,,\n"
                                      f"{t['indicator_id']},{cal.target_year},1300,{t['unit']},x,,\n").encode(),
                              "a.csv", plan_data)
    scen = pd.Series(1100.0, index=range(cal.base_year, cal.target_year + 1))
    frame, g = segment_path(plan_data, a, "rail_transit", scen)
    y2 = frame.set_index("year").loc[cal.base_year + 2]
    assert y2["growth_pct"] == pytest.approx(((1000 / plan_data.role("rail_base")) ** 0.5 - 1) * 100)  # annualised
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
    assert math.isnan(p.loc["P10", "invested_yi"])  # nothing reported is not zero


def test_project_groups_include_new_projects_and_sum_by_area(fixture_ev):
    g = fixture_ev.project_groups
    by = {(d, k): (p, i) for d, k, p, i in g[["dimension", "group", "planned", "invested"]].itertuples(index=False)}
    p = fixture_ev.projects
    assert by[("all", "all")][1] == pytest.approx(p["invested_yi"].sum())
    for area in enums.values("area"):
        assert by[("area", area)][1] == pytest.approx(p.loc[p["area"] == area, "invested_yi"].sum())
    assert set(g["dimension"]) == {"all", "area", "category", "owner", "year"}


def test_roads_known_answers(plan_data, fixture_ev):
    r = fixture_ev.roads.set_index("road_id")
    annex = plan_data.roads.set_index("road_id")
    assert r.loc["R01", "invested_wan"] == 22000 and r.loc["R01", "length_built_m"] == 1300
    assert r.loc["R01", "length_pct"] == pytest.approx(1300 / annex.loc["R01", "length_m"] * 100)
    assert r.loc["R03", "status"] == "竣工"
    s = fixture_ev.summary.set_index(["metric", "group"])["value"]
    assert s[("road_length_built_m", "all")] == 1300 + 966
    assert s[("road_length_plan_m", "all")] == plan_data.role("annex2_length")


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
    assert rg.loc[("all", "all"), "invested"] == pytest.approx(plan_data.role("annex2_investment"), rel=1e-12)
    assert rg.loc[("all", "all"), "planned"] == plan_data.roads["investment_wan"].sum()
    assert rg.loc[("length", "all"), "invested"] == plan_data.role("annex2_length")
    assert ev.roads["length_built_m"].sum() == plan_data.roads["length_m"].sum()
    district = plan_data.roads.loc[plan_data.roads["funding_source"] == DISTRICT_FUNDING, "investment_wan"].sum()
    s = ev.summary.set_index("metric")["value"]
    assert s["district_finance_planned_wan"] == district
    assert s["district_finance_paid_wan"] == pytest.approx(district, rel=1e-12)
    assert (ev.indicators["status"].isin([MET, NEARLY])).all()  # the plan's own figures meet (or equal) every target
    assert ev.growth["shortfall"].abs().max() < 1e-9
    assert not ev.projects["delayed"].any() and not ev.projects["unstarted"].any()


def test_district_funding_is_a_schema_value():
    assert DISTRICT_FUNDING in enums.values("funding_source")


def test_road_totals_fill_the_annex2_targets_from_the_road_reports(plan_data):
    ev = evaluate(plan_data, ActualsSet(), None, RoadActuals.from_path(FIX / "roads.csv", plan_data))
    ind = ev.indicators.set_index("indicator_id")
    row = plan_data.role_row("annex2_length")
    if row.get("kind") != "target":
        pytest.skip("annex2_length is not a target in data/")
    assert ind.loc[row["indicator_id"], "actual"] == 1300 + 966


def test_evaluate_takes_a_scenario_projection_as_its_comparison_path(plan_data):
    from model import presets, run

    path = run(plan_data, presets(plan_data)["plan-targets"]).projection.path
    ev = evaluate(plan_data, ActualsSet.from_path(FIX / "actuals.csv", plan_data), scenario_paths=path)
    s = ev.series.set_index(["segment", "year"])
    for seg in ("total", "rail_transit"):
        years = [y for y in s.loc[seg].index if y in path.index]
        assert np.allclose(s.loc[seg].loc[years, "scenario"], path.loc[years, seg])
    last = (s.loc["total"].index.max())
    assert s.loc[("total", last), "gap_to_scenario"] == pytest.approx(1280 - path.loc[last, "total"])

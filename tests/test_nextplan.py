"""The next plan (model/calc/nextplan.py and the export command): rebase on actuals, user-set targets, back-solve,
and properties that hold for any calendar (shifting every year of a scenario and its data, phasing in any plan
period, the first year a target is reached)."""
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
HEADER = "indicator_id,year,value,unit,measure,source,note\n"


def actuals_of(rows: str, data) -> ActualsSet:
    return ActualsSet.from_bytes((HEADER + rows).encode("utf-8"), "a.csv", data)


@pytest.fixture(scope="module")
def known(plan_data):
    """Synthetic actuals rail 1,300 and total 1,450 for 2025 (not the district's figures)."""
    return actuals_of("rail_output_2025,2025,1300,亿元,总产值,synthetic,\npark_output_2025,2025,1450,亿元,总产值,"
                      "synthetic,\n", plan_data)


# -- known answers ----------------------------------------------------------------------------------

def test_rebase_to_2025_and_targets_for_2030_give_the_known_required_growth(plan_data, known):
    base = npn.base_actuals(known.frame(), plan_data, 2025)
    assert (base.year, base.rail_yi, base.total_yi, base.total_measure) == (2025, 1300.0, 1450.0, "总产值")
    s = npn.rebase(presets(plan_data)["plan-targets"], base)
    assert (s.base_year, s.target_year, s.plan_first_year, s.plan_last_year) == (2025, 2030, 2026, 2030)
    assert (s.baseline_rail_yi, s.baseline_total_yi) == (1300.0, 1450.0)
    s = npn.set_targets(s, 2000.0, 2300.0)
    r = run(plan_data, s)
    assert r.projection.required_cagr_rail == pytest.approx((2000 / 1300) ** (1 / 5) - 1, rel=1e-12)
    assert r.projection.required_cagr_total == pytest.approx((2300 / 1450) ** (1 / 5) - 1, rel=1e-12)
    t = r.projection.targets
    assert t.rail_user_set and t.total_user_set and (t.rail_yi, t.total_yi) == (2000.0, 2300.0)
    assert r.projection.path.index[0] == 2025 and r.projection.path.index[-1] == s.horizon


def test_next_plan_in_one_step_matches_the_steps(plan_data, known):
    s0 = presets(plan_data)["plan-targets"]
    s = npn.next_plan(s0, plan_data, actuals=known.frame(), target_year=2030, target_total=2300, target_rail=2000,
                      actuals_ref=known.short_id)
    assert s.base_year == 2025 and s.actuals_ref == known.short_id  # newest year with both totals by default
    assert (s.target_rail_yi, s.target_total_yi, s.target_year) == (2000.0, 2300.0, 2030)
    s7 = npn.next_plan(s0, plan_data, actuals=known.frame(), base_year=2025, target_year=2032, target_total=2300,
                       target_rail=2000)
    assert (s7.plan_first_year, s7.plan_last_year, s7.target_year) == (2026, 2032, 2032)


def test_without_actuals_the_base_stays_the_plans(plan_data):
    s0 = presets(plan_data)["plan-targets"]
    s = npn.next_plan(s0, plan_data, target_year=2030, target_total=2300, target_rail=2000)
    assert (s.base_year, s.baseline_rail_yi, s.baseline_total_yi) == (s0.base_year, s0.baseline_rail_yi,
                                                                       s0.baseline_total_yi)
    with pytest.raises(ScenarioError, match="needs actuals"):
        npn.next_plan(s0, plan_data, base_year=2025)


def test_rebase_refuses_what_it_cannot_start_from(plan_data):
    only_rail = actuals_of("rail_output_2025,2025,1300,亿元,总产值,s,\n", plan_data)
    with pytest.raises(ScenarioError, match="rail and park totals"):
        npn.base_actuals(only_rail.frame(), plan_data, 2025)
    assert npn.rebase_years(only_rail.frame(), plan_data) == []
    estimate = actuals_of("rail_output_2025,2025,1300,亿元,estimate,s,\npark_output_2025,2025,1450,亿元,总产值,s,\n",
                          plan_data)
    with pytest.raises(ScenarioError, match="estimate"):
        npn.base_actuals(estimate.frame(), plan_data, 2025)
    assert npn.rebase_years(estimate.frame(), plan_data) == []
    below = actuals_of("rail_output_2025,2025,1300,亿元,总产值,s,\npark_output_2025,2025,1200,亿元,总产值,s,\n",
                       plan_data)
    with pytest.raises(ScenarioError, match="below rail"):
        npn.base_actuals(below.frame(), plan_data, 2025)
    early = actuals_of("rail_output_2025,2019,900,亿元,总产值,s,\npark_output_2025,2019,950,亿元,总产值,s,\n",
                       plan_data)
    with pytest.raises(ScenarioError, match="before the plan's base year"):
        npn.base_actuals(early.frame(), plan_data, 2019)
    assert npn.rebase_years(early.frame(), plan_data) == []


def test_years_before_the_base_are_drawn_as_actuals(plan_data):
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    assert npn.rebase_years(aset.frame(), plan_data) == [2025, 2024, 2023, 2022, 2021]
    series = npn.outcome_series(aset.frame(), plan_data, 2025)
    assert set(series["segment"]) == {"total", "rail_transit"} and series["year"].max() == 2025
    assert len(npn.outcome_series(aset.frame(), plan_data, 2023)) == 6
    from model.report.figures import trajectory

    s = npn.set_targets(npn.rebase(presets(plan_data)["plan-targets"],
                                   npn.base_actuals(aset.frame(), plan_data, 2025)), 2000, 2300)
    spec = trajectory(run(plan_data, s), plan_data, "zh", actuals=series)
    text = str(spec)
    assert "实际" in text and "用户设定" in text


def test_derived_targets_follow_their_rule_and_are_user_set(plan_data, known):
    base = npn.base_actuals(known.frame(), plan_data, 2025)
    s = npn.rebase(presets(plan_data)["plan-targets"], base)
    b = {"rail": plan_data.role("rail_base"), "total": plan_data.role("total_base"),
         "hist": plan_data.role("trend_growth") / 100}
    a = npn.derive_targets(s, plan_data, "achieved", base)
    g_rail, g_total = (1300 / b["rail"]) ** (1 / 5) - 1, (1450 / b["total"]) ** (1 / 5) - 1
    assert a.rail_rate == pytest.approx(g_rail) and a.total_rate == pytest.approx(g_total)
    assert a.rail_yi == pytest.approx(1300 * (1 + g_rail) ** 5) and a.total_yi == pytest.approx(1450 * (1 + g_total) ** 5)
    h = npn.derive_targets(s, plan_data, "historical", base)
    assert h.rail_rate == pytest.approx((g_rail + b["hist"]) / 2)
    o = npn.derive_targets(s, plan_data, "old_required")
    assert o.rail_rate == pytest.approx((plan_data.role("rail_target") / b["rail"]) ** (1 / 5) - 1)
    with pytest.raises(ScenarioError):
        npn.derive_targets(s, plan_data, "achieved")
    with pytest.raises(ValueError):
        npn.derive_targets(s, plan_data, "wishful")
    r = run(plan_data, npn.set_targets(s, a.rail_yi, a.total_yi))
    assert r.projection.targets.user_set
    assert npn.achieved_growth(base, plan_data) == pytest.approx((g_rail, g_total))
    seg = npn.achieved_segment_growth(base, plan_data)
    assert seg["rail_transit"] == pytest.approx(g_rail)
    assert seg["nonrail"] == pytest.approx((150 / (b["total"] - b["rail"])) ** (1 / 5) - 1)


def test_back_solve_gives_growth_probability_and_land(plan_data, known):
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=known.frame(), target_year=2030,
                      target_total=2300, target_rail=2000).with_(per_mu_growth=0.05, n_paths=2000)
    r = run(plan_data, s)
    fan = simulate(s, r.projection.targets)
    bs = npn.back_solve(r, plan_data, fan)
    assert bs.required_total == pytest.approx((2300 / 1450) ** 0.2 - 1)
    assert bs.prob_total == fan.prob_total and 0 <= bs.prob_rail <= 1
    per_mu = plan_data.role("per_mu_base") * 1.05 ** (2030 - plan_data.role_year("per_mu_base"))
    assert bs.per_mu == pytest.approx(per_mu)
    assert bs.increase_yi == pytest.approx(850.0)
    assert bs.land_needed_mu == pytest.approx(850 * WAN_PER_YI / per_mu)
    assert bs.land_available_mu > 0


def test_back_to_the_plan_calendar_restores_the_plans_targets(plan_data, known):
    base = presets(plan_data)["plan-targets"]
    s = npn.next_plan(base, plan_data, actuals=known.frame(), target_year=2030, target_total=2300, target_rail=2000,
                      actuals_ref=known.short_id)
    back = npn.plan_calendar_fields(s, base)
    assert back.horizon == 2030 and back.with_(horizon=base.horizon) == base  # the horizon reached stays
    assert Targets.for_scenario(back, plan_data) == Targets.from_data(plan_data)


def test_next_plan_fields_round_trip_through_the_link_and_the_assumptions_file(plan_data, known):
    pl = PlanList.from_path(FIX / "projects.csv")
    base = presets(plan_data)["plan-targets"]
    s = npn.next_plan(base, plan_data, actuals=known.frame(), target_year=2030, target_total=2300,
                      target_rail=2000, actuals_ref=known.short_id).with_(projects_ref=pl.short_id)
    q = encode(s, base)
    assert {q["by"], q["ty"], q["tt"], q["trl"], q["as"], q["pj"]} == {"2025", "2030", "2300", "2000",
                                                                       known.short_id, pl.short_id}
    back, notices = decode(q, base)
    assert back == s and not notices
    assert from_assumptions_csv(to_assumptions_csv(s).encode("utf-8")) == s
    # tampered: a reference that is no library ID, a target year before the base, a negative target
    bad, notices = decode({**q, "pj": "../../etc", "ty": "2020", "tt": "-5"}, base)
    assert {n.param for n in notices} >= {"pj", "tt"}
    assert bad.projects_ref is None or bad.projects_ref == pl.short_id


# -- any calendar ---------------------------------------------------------------------------------------

YEAR_COLUMNS = {"indicators.csv": ("year",), "projects.csv": ("start_year", "end_year"),
                "roads.csv": ("start_year", "end_year"), "public_figures.csv": ("year",)}


def shifted_data_dir(dst: Path, k: int) -> Path:
    """A copy of data/ with every year column moved by ``k`` years."""
    shutil.copytree(DATA_DIR, dst)
    for name, cols in YEAR_COLUMNS.items():
        path = dst / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        header = rows[0]
        idx = [header.index(c) for c in cols]
        for r in rows[1:]:
            for i in idx:
                if r[i].strip():
                    r[i] = str(int(r[i]) + k)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return dst


def shifted(s: Scenario, k: int) -> Scenario:
    return s.with_(base_year=s.base_year + k, target_year=s.target_year + k, plan_first_year=s.plan_first_year + k,
                   plan_last_year=s.plan_last_year + k, horizon=s.horizon + k,
                   overrides=FrozenMap({(seg, y + k): v for (seg, y), v in s.overrides.items()}),
                   actuals=FrozenMap({(seg, y + k): v for (seg, y), v in s.actuals.items()}))


_SHIFTED: dict[int, object] = {}


@pytest.fixture(scope="module")
def shifted_data(tmp_path_factory):
    def get(k: int):
        if k not in _SHIFTED:
            _SHIFTED[k] = load_plan_data(shifted_data_dir(tmp_path_factory.mktemp(f"shift{k}") / "data", k))
        return _SHIFTED[k]
    return get


def test_shifted_data_is_really_shifted(shifted_data, plan_data):
    d = shifted_data(7)
    assert d.role_year("total_target") == plan_data.role_year("total_target") + 7
    assert (d.projects["start_year"] - plan_data.projects["start_year"]).eq(7).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.sampled_from([-30, -5, -1, 1, 6, 40]), rail=st.floats(0.0, 0.3), non=st.floats(-0.1, 0.5),
       profile=st.sampled_from(PROFILES), delay=st.integers(0, 3), cap=st.one_of(st.none(), st.floats(20, 200)),
       basis=st.sampled_from(["fyp", "total"]), horizon_extra=st.integers(0, 10), ov=st.floats(-0.2, 0.4))
def test_results_do_not_change_when_every_year_shifts(shifted_data, plan_data, k, rail, non, profile, delay, cap,
                                                      basis, horizon_extra, ov):
    base = presets(plan_data)["plan-targets"]
    s = base.with_growth(rail_transit=rail, nonrail=non).with_(
        profile=profile, delay_all=delay, ceiling_yi=cap, basis=basis, horizon=base.target_year + horizon_extra,
        overrides=FrozenMap({("nonrail", base.base_year + 2): ov}), n_paths=1000)
    data_k = shifted_data(k)
    a, b = run(plan_data, s), run(data_k, shifted(s, k))
    pa, pb = a.projection, b.projection
    assert list(pb.path.index) == [y + k for y in pa.path.index]
    np.testing.assert_allclose(pb.path.to_numpy(), pa.path.to_numpy(), rtol=1e-12)
    for name in ("required_cagr_rail", "required_cagr_total", "cagr_total", "gap_total", "gap_rail"):
        assert getattr(pb, name) == pytest.approx(getattr(pa, name), rel=1e-12, abs=1e-12)
    for fy in ("first_year_total", "first_year_rail"):
        assert getattr(pb, fy) == (None if getattr(pa, fy) is None else getattr(pa, fy) + k)
    for x, y in ((a.projects, b.projects), (a.roads, b.roads)):
        assert list(y.years) == [v + k for v in x.years] and x.ids == y.ids
        np.testing.assert_allclose(y.matrix, x.matrix, rtol=1e-12, atol=1e-12)
    ia, ib = investment_output(plan_data, a.scenario, a.projects), investment_output(data_k, b.scenario, b.projects)
    np.testing.assert_allclose(ib.to_numpy(), ia.to_numpy(), rtol=1e-12, atol=1e-12)
    fa, fb = simulate(a.scenario, pa.targets), simulate(b.scenario, pb.targets)
    assert (fa.prob_total, fa.prob_rail) == (fb.prob_total, fb.prob_rail)


@settings(max_examples=60, deadline=None)
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
    assert ph.matrix.sum() == pytest.approx(amounts.sum(), rel=1e-9, abs=1e-9)
    assert (ph.matrix >= -1e-12).all()
    if cap is not None:
        assert (ph.matrix.sum(axis=0) <= cap * (1 + 1e-9)).all()
    if basis == "fyp" and delay == 0 and cap is None:  # undelayed, uncapped plan-period money stays in the period
        assert ph.total_in(first, first + length) == pytest.approx(amounts.sum(), rel=1e-9, abs=1e-9)
    roads = phase_roads(plan_data.roads, s)
    assert roads.matrix.sum() == pytest.approx(plan_data.roads["investment_wan"].sum() / WAN_PER_YI * (1 + overrun))


@settings(max_examples=80, deadline=None)
@given(b=st.integers(1960, 2150), n=st.integers(1, 20), extra=st.integers(0, 10), k_off=st.integers(0, 30),
       rail=st.floats(0.001, 0.5), non=st.floats(0.001, 0.8), base=st.floats(1.0, 5000.0),
       share=st.floats(0.05, 0.95), which=st.sampled_from(["total", "rail"]))
def test_a_target_reached_in_year_k_is_reported_as_first_year_for_any_calendar(plan_data, b, n, extra, k_off, rail,
                                                                               non, base, share, which):
    t = b + n
    horizon = t + extra
    k = b + k_off % (horizon - b + 1)
    s = presets(plan_data)["plan-targets"].with_(
        base_year=b, target_year=t, plan_first_year=b + 1, plan_last_year=t, horizon=horizon,
        baseline_rail_yi=base * share, baseline_total_yi=base, target_rail_yi=1.0, target_total_yi=1.0,
        overrides=FrozenMap()).with_growth(rail_transit=rail, nonrail=non)
    path = run(plan_data, s).projection.path
    level = float(path.at[k, "total" if which == "total" else "rail_transit"])
    assume(level < 1e6)  # a target within what a scenario may hold
    s = s.with_(**({"target_total_yi": level} if which == "total" else {"target_rail_yi": level}))
    p = run(plan_data, s).projection
    assert (p.first_year_total if which == "total" else p.first_year_rail) == k


# -- the export command -----------------------------------------------------------------------------------

def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig")


def test_cli_export_next_plan_known_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    out = tmp_path / "out"
    args = ["export", "--preset", "plan-targets", "--actuals", str(FIX / "actuals.csv"), "--base-year", "2025",
            "--target-year", "2030", "--target-total", "2300", "--target-rail", "2000", "--projects",
            str(FIX / "projects.csv"), "--roads", str(FIX / "roads.csv"), "--out", str(out)]
    assert main(args) == 0
    summary = _read(out / "summary.csv").set_index("metric")["value"]
    assert summary["base_year"] == 2025 and summary["target_year"] == 2030
    assert summary["required_cagr_rail"] == pytest.approx(((2000 / 1300) ** 0.2 - 1) * 100, rel=1e-8)
    assert summary["required_cagr_total"] == pytest.approx(((2300 / 1450) ** 0.2 - 1) * 100, rel=1e-8)
    phasing = _read(out / "phasing.csv")
    assert set(phasing["project_id"]) == {"N01", "N02", "N03", "N04", "N05", "N06"}
    assert phasing["name_zh"].notna().all()
    assert phasing.loc[phasing["year"].between(2026, 2030), "value"].sum() == pytest.approx(117.0)
    roads = _read(out / "roads.csv")
    assert set(roads["road_id"]) == {"Q01", "Q02", "Q03"}
    s = from_assumptions_csv((out / "assumptions.csv").read_bytes())
    pl = PlanList.from_path(FIX / "projects.csv")
    assert (s.projects_ref, s.target_total_yi, s.base_year, s.name) == (pl.short_id, 2300.0, 2025, "custom")
    # the same export again from its assumptions file and the same lists: byte for byte
    again = tmp_path / "again"
    assert main(["export", "--assumptions", str(out / "assumptions.csv"), "--projects", str(FIX / "projects.csv"),
                 "--roads", str(FIX / "roads.csv"), "--out", str(again)]) == 0
    for f in out.iterdir():
        if f.is_file() and not f.name.startswith("."):
            assert (again / f.name).read_bytes() == f.read_bytes(), f.name


def test_cli_export_opens_lists_and_actuals_from_the_library_by_id(tmp_path, monkeypatch, plan_data):
    from model.io.library import Library

    db = tmp_path / "lib.db"
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(db))
    pl, rl = PlanList.from_path(FIX / "projects.csv"), PlanList.from_path(FIX / "roads.csv", "roads")
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    with Library(str(db)) as lib:
        assert lib.save_document("projects", "十五五项目", pl.to_csv_text()).short_id == pl.short_id
        lib.save_document("roads", "十五五道路", rl.to_csv_text())
        lib.save_document("actuals", "终期评估", aset.to_csv_text())
    out = tmp_path / "out"
    assert main(["export", "--preset", "plan-targets", "--actuals", aset.short_id, "--target-total", "2300",
                 "--target-rail", "2000", "--projects", pl.short_id, "--roads", "十五五道路", "--out", str(out)]) == 0
    s = from_assumptions_csv((out / "assumptions.csv").read_bytes())
    assert (s.actuals_ref, s.projects_ref, s.roads_ref) == (aset.short_id, pl.short_id, rl.short_id)
    again = tmp_path / "again"  # the assumptions file alone: its lists come from the library
    assert main(["export", "--assumptions", str(out / "assumptions.csv"), "--out", str(again)]) == 0
    assert (again / "phasing.csv").read_bytes() == (out / "phasing.csv").read_bytes()


@pytest.mark.parametrize("extra, message", [
    (["--base-year", "2025"], "needs actuals"),
    (["--target-year", "2030"], "set both targets"),
    (["--actuals", "deadbeef"], "no actuals"),
    (["--actuals", "no-such-file.csv"], "no such file"),
    (["--actuals", "FIX/actuals.csv", "--base-year", "2019"], "before the plan's base year"),
    (["--actuals", "FIX/actuals.csv", "--target-year", "2024", "--target-total", "1", "--target-rail", "1"],
     "not after the base year"),
    (["--actuals", "FIX/actuals.csv", "--target-total", "1e400"], "too large"),
    (["--actuals", "FIX/actuals.csv", "--target-total", "-5", "--target-rail", "2000"], "target_total"),
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

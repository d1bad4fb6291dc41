"""model/calc/results.py: run() and the summary metrics' names on any calendar."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import presets, run
from model.calc.results import headline, metric_names, summary_metrics
from model.scenario import FrozenMap
from tests.plans_support import results
from tests.strategies import Reads, scenarios


def test_the_plans_calendar_keeps_its_year_bearing_names(plan_data):
    s = presets(plan_data)["plan-targets"]
    names = [m for m, _, _ in summary_metrics(run(plan_data, s))]
    assert "output_2025_total" in names and "base_year" not in names
    assert metric_names(s)["output"] == "output_2025"


def test_another_calendar_uses_stable_names_with_its_years(plan_data):
    s = presets(plan_data)["plan-targets"].with_(
        base_year=2025, target_year=2030, plan_first_year=2026, plan_last_year=2030, horizon=2030,
        baselines=FrozenMap({"rail_transit": 1300.0, "total": 1450.0}),
        targets=FrozenMap({"rail_transit": 2000.0, "total": 2300.0}), overrides=FrozenMap(), actuals=FrozenMap())
    m = {k: v for k, v, _ in summary_metrics(run(plan_data, s))}
    assert m["base_year"] == 2025 and m["target_year"] == 2030 and "output_target_year_total" in m
    assert m["required_cagr_rail"] == (2000 / 1300) ** 0.2 * 100 - 100


def test_metrics_follow_the_plans_segments():
    data, r, _ = results("four")
    names = {m for m, _, _ in summary_metrics(r)}
    assert {f"output_2030_{data.segments[x].key}" for x in headline(r.scenario, r.projection.targets)} <= names
    assert "required_cagr_nonrail" not in names and "gap_2030_all" in names


@pytest.mark.parametrize("name", ["default", "four", "one"])
@settings(max_examples=25, deadline=None)
@given(st.data())
def test_land_per_area_adds_up_to_the_land_counted_for_every_plan_and_setting(name, draw):
    """summary.csv lists land per area (counted, and listed by the plan's projects) under each area's link code; the
    counted figures add up to land_available_mu whatever areas the user sets (an area inside a counted one is part
    of its figure, not added), and nothing is NaN or infinite."""
    from model.calc.results import analysis_metrics
    data, r, fan = results(name)
    if not data.has_role("per_mu_base"):
        assert not [m for m, _, _ in analysis_metrics(data, r, fan) if m.startswith("land_")]
        return
    ids = list(data.areas.ids)
    chosen = draw.draw(st.dictionaries(st.sampled_from(ids), st.floats(0, 50_000, allow_nan=False), max_size=len(ids)))
    s = r.scenario.with_(land_mu=FrozenMap(chosen))
    r2 = run(data, s)
    rows = {m: (v, u) for m, v, u in analysis_metrics(data, r2, fan)}
    counted = {m: v for m, (v, _) in rows.items() if m.startswith("land_counted_mu_")}
    code_of = {data.areas[a].code: a for a in ids}
    # an area inside a counted area is part of its figure (其中), not added again
    top = [v for m, v in counted.items() if not any(
        counted.get(f"land_counted_mu_{data.areas[p].code}", 0) > 0
        for p in (data.areas.ancestors(code_of[m[16:]]) if m[16:] in code_of else ()))]
    assert counted and math.isclose(sum(top), rows["land_available_mu"][0], rel_tol=1e-12, abs_tol=1e-9)
    for aid in ids:
        code = data.areas[aid].code
        assert f"land_counted_mu_{code}" in rows and f"land_projects_mu_{code}" in rows
        if aid in chosen:
            assert math.isclose(rows[f"land_counted_mu_{code}"][0], chosen[aid], rel_tol=1e-9, abs_tol=1e-9)
    assert all(math.isfinite(v) and u == "亩" for m, (v, u) in rows.items() if m.startswith("land_") and
               m != "land_needed_mu")


def test_what_only_phasing_reads_is_a_scenario_field():
    """Every name in PROJECTION_IGNORES is a setting (a misspelt one would leave its field in the projection's key
    and the real one out)."""
    from model.calc.results import PROJECTION_IGNORES
    from model.scenario.fields import FIELDS

    assert PROJECTION_IGNORES <= {f.name for f in FIELDS}


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_the_projection_reads_nothing_only_phasing_reads(s):
    """A phasing move reuses the projection kept for the scenario without PROJECTION_IGNORES (ui/state.py): a
    setting the projection read from that list would leave the page showing another scenario's output."""
    from model.calc.growth import Targets, project
    from model.calc.results import PROJECTION_IGNORES

    rec = Reads(s)
    project(rec, Targets.for_scenario(rec, s.plan_data))
    assert not rec.read & PROJECTION_IGNORES, rec.read & PROJECTION_IGNORES


@settings(max_examples=30, deadline=None)
@given(scenarios(), st.floats(0.0, 0.5), st.integers(0, 3))
def test_a_projection_kept_across_phasing_moves_is_the_one_run_anew(s, overrun, delay):
    """run() with a projection kept by the scenario without what only phasing reads gives the same results as a run
    from scratch, for a scenario that differs in its phasing settings."""
    import numpy as np

    from model.calc.results import PROJECTION_IGNORES
    from ui.state import scenario_key_without

    kept = {}

    def projected(build):
        return kept.setdefault(scenario_key_without(s2, PROJECTION_IGNORES), build())

    run(s.plan_data, s, projected=lambda build: kept.setdefault(scenario_key_without(s, PROJECTION_IGNORES),
                                                               build()))
    s2 = s.with_(overrun=overrun, delay_all=delay)
    a, b = run(s2.plan_data, s2, projected=projected), run(s2.plan_data, s2)
    np.testing.assert_array_equal(a.projection.path.to_numpy(), b.projection.path.to_numpy())
    assert a.projection.required == b.projection.required

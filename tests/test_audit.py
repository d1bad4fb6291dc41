"""model/plan/audit.py: findings on synthetic tables, each rule once, messages from the translation table."""
from __future__ import annotations

from dataclasses import replace

import pytest

from model.plan.audit import CODES, audit


def test_every_finding_has_a_message_in_both_languages(plan_data):
    found = audit(plan_data)
    assert found and {f.code for f in found} <= set(CODES)
    for f in found:
        assert f.message("zh") and f.message("en") and f.message("zh") != f.message("en")
        assert f.line("zh").startswith(f"{f.file}:")


def test_a_project_with_money_outside_its_build_years_is_flagged(plan_data):
    p = plan_data.projects.copy()
    i = p.index[p["project_id"] == "P01"][0]
    p.loc[i, ["start_year", "end_year", "fyp_investment_yi", "total_investment_yi"]] = [2010, 2012, 3.0, 3.0]
    codes = {(f.code, f.row) for f in audit(replace(plan_data, projects=p))}
    assert ("fyp_outside_build_years", int(p.loc[i, "src_row"])) in codes


def test_annex_totals_that_do_not_add_up_are_a_warning(plan_data):
    r = plan_data.roads.copy()
    r.loc[r.index[0], "length_m"] += 1
    found = [f for f in audit(replace(plan_data, roads=r)) if f.code.startswith("annex_total")]
    assert any(f.code == "annex_total_differs" and f.severity == "warning" for f in found)


def test_a_finding_names_the_column_as_the_file_names_it(tmp_path):
    """A package may give a project's money in 万元 (`fyp_investment_wan`): the audit named `fyp_investment_yi`, a
    column the planner's file does not have. Every finding on such a file names the column as written, and the
    amounts it quotes are the file's converted to the unit the message states."""
    from model.plan.tables import load_plan_data
    from tests.plans_support import PACKAGES, copy_package, read, write

    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "projects.csv")
    wan = {"total_investment_yi": "total_investment_wan", "fyp_investment_yi": "fyp_investment_wan"}

    def in_wan(v: str) -> str:
        return "" if not v else f"{float(v) * 10_000:g}"

    rows = [{wan.get(k, k): (in_wan(v) if k in wan else v) for k, v in r.items()} for r in rows]
    rows[0] = {**rows[0], "fyp_investment_wan": f"{float(rows[0]['total_investment_wan']) + 10_000:g}"}
    write(folder / "projects.csv", [wan.get(h, h) for h in header], rows)
    data = load_plan_data(folder)
    found = audit(data)
    on_money = [f for f in found if f.file == "projects.csv" and "investment" in f.column]
    assert on_money and {f.column for f in on_money} <= set(wan.values()), {f.column for f in on_money}
    exceeds = [f for f in on_money if f.code == "fyp_exceeds_total" and f.row == 2]
    assert exceeds and exceeds[0].line("en").startswith("projects.csv:2:fyp_investment_wan:")
    assert float(exceeds[0].values["fyp"]) == float(rows[0]["fyp_investment_wan"]) / 10_000  # 亿元, as stated
    default = audit(load_plan_data(PACKAGES["default"]))
    assert {f.column for f in default if f.file == "projects.csv" and "investment" in f.column} <= set(wan)


def _with_values(data, values: dict):
    ind = data.indicators.copy()
    for rid, v in values.items():
        ind.loc[ind["indicator_id"] == rid, "value"] = v
    return replace(data, indicators=ind)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1, 600, allow_nan=False), min_size=4, max_size=4), st.floats(100, 3000))
def test_parts_whose_targets_fall_short_of_their_total_without_a_residual_are_warned(targets, total):
    """A parent whose parts all have targets, no residual, and the parts' targets add up to less than its own: with
    every part on target the parent still misses (the projection sums the parts). Warned on the parent's target row
    exactly then, with the gap; a plan where they add up is not."""
    from model.plan.tables import load_plan_data
    from tests.plans_support import PACKAGES

    data = _plan(PACKAGES["four-industries"])
    parts = data.segments.parts_of("industry")
    rows = {data.segments[p].target_id: v for p, v in zip(parts, targets)}
    changed = _with_values(data, {**rows, data.segments["industry"].target_id: total})
    found = [f for f in audit(changed) if f.code == "parts_short_of_target"]
    short = total - sum(targets) > 1e-6 * total
    assert bool(found) == short, (targets, total, found)
    if short:
        f = found[0]
        assert f.file == "indicators.csv" and f.column == "value" and f.severity == "warning"
        assert abs(float(f.values["gap"]) - (total - sum(targets))) <= 1e-3 * total
        assert "新材料" in f.message("zh") and "New materials" in f.message("en")
    del load_plan_data


_PLANS: dict = {}


def _plan(folder):
    from model.plan.tables import load_plan_data

    if folder not in _PLANS:
        _PLANS[folder] = load_plan_data(folder)
    return _PLANS[folder]


@settings(max_examples=40, deadline=None)
@given(st.floats(-200, 200, allow_nan=False))
def test_a_residual_base_row_the_engine_does_not_use_is_named(delta):
    """The engine takes a residual's base as its parent's less its parts (``SegmentTree.bases``); a base row of the
    residual's own that says otherwise is named on its row with both figures, and the figure the projection uses."""
    from model.scenario.presets import presets
    from tests.plans_support import PACKAGES

    data = _plan(PACKAGES["default"])
    tree = data.segments
    residual = next(s.id for s in tree if s.relation == "residual" and s.base_id)
    parent = tree[residual].parent
    rest = data.segment_base(parent) - sum(data.segment_base(p) for p in tree.parts_of(parent))
    assert abs(data.segment_base(residual) - rest) < 1e-9  # the package's own row agrees
    assert not [f for f in audit(data) if f.code == "residual_base_differs"]
    stated = rest + delta
    if stated <= 0:
        return
    changed = _with_values(data, {tree[residual].base_id: stated})
    found = [f for f in audit(changed) if f.code == "residual_base_differs"]
    assert bool(found) == (abs(delta) > 1e-6 * data.segment_base(parent)), (delta, found)
    if found:
        assert found[0].row == int(data.indicators.loc[data.indicators["indicator_id"] == tree[residual].base_id,
                                                       "src_row"].iloc[0])
        assert abs(float(found[0].values["rest"]) - rest) < 1e-3
        used = next(iter(presets(changed).values())).bases  # what the projection starts from
        assert abs(used[residual] - rest) < 1e-6 * data.segment_base(parent)


@pytest.mark.parametrize("comparator,extra,code", [("=", 100, "annex_total_differs"), (">=", 100, "annex_total_meets"),
                                                   (">=", -100, "annex_total_differs"), ("<=", -100, "annex_total_meets"),
                                                   ("=", 0, "annex_total_matches")])
def test_a_road_total_worded_as_a_bound_is_met_by_rows_that_satisfy_it(plan_data, comparator, extra, code):
    """A road total the plan words 9000米以上 was warned as differing from rows summing to 9300 m."""
    r = plan_data.roads.copy()
    r.loc[r.index[0], "length_m"] += extra
    ind = plan_data.indicators.copy()
    i = ind.index[ind["role"] == "roads_length_total"][0]
    ind.loc[i, "comparator"] = comparator
    found = [f.code for f in audit(replace(plan_data, roads=r, indicators=ind))
             if f.code.startswith("annex_total") and f.column == "length_m"]
    assert found == [code], found

"""model/plan/audit.py: findings on synthetic tables, each rule once, messages from the translation table."""
from __future__ import annotations

from dataclasses import replace

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

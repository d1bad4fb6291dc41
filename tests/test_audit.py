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

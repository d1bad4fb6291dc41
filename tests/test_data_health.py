"""Data-health tests: the only tests that read the real plan tables.

They check the transcription against the plan's own totals and, where the plan text is present
(``../shared/plan``), against the printed annex rows and quotes.
"""
from __future__ import annotations

import math
import re

import pytest

from model.audit import audit
from tests.conftest import PLAN_TEXT


def _plan_text() -> str:
    if not PLAN_TEXT.is_file():
        pytest.skip("plan text not present beside the repository")
    return PLAN_TEXT.read_text(encoding="utf-8")


def test_every_row_cites_a_known_section(plan_data):
    known = set(plan_data.sections["section_id"])
    for name in ("indicators.csv", "projects.csv", "roads.csv"):
        df = plan_data.table(name)
        bad = [f"{name}:{r}" for s, r in zip(df["section_id"], df["src_row"]) if s not in known]
        assert not bad, bad


def test_annex1_has_37_projects_summing_to_known_totals(plan_data):
    p = plan_data.projects
    assert len(p) == 37
    assert p["total_investment_yi"].sum() == pytest.approx(394.75, abs=1e-9)
    assert p["fyp_investment_yi"].sum() == pytest.approx(364.95, abs=1e-9)


def test_annex2_has_20_roads_matching_its_stated_total(plan_data):
    r = plan_data.roads
    assert len(r) == 20
    assert r["length_m"].sum() == 25334 == plan_data.indicator("annex2_total_length")
    assert r["investment_wan"].sum() == 518615 == plan_data.indicator("annex2_total_investment")


def test_headline_baselines_and_targets(plan_data):
    ind = plan_data.indicator
    assert ind("rail_output_2020") == 975
    assert ind("output_per_mu_2020") == 1238.56
    assert ind("rail_share_above_scale_2020") == 96
    assert ind("park_output_2025") == 1600 and plan_data.indicator_row("park_output_2025")["comparator"] == ">"
    assert ind("rail_output_2025") == 1400
    assert ind("hightech_firms_2025") == 150


def test_derived_rows_follow_their_formula(plan_data):
    ind = plan_data.indicator
    assert ind("park_output_2020") == pytest.approx(ind("rail_output_2020") / (ind("rail_share_above_scale_2020") / 100))
    assert ind("nonrail_output_2020") == pytest.approx(ind("park_output_2020") - ind("rail_output_2020"))
    assert ind("city_rail_output_2020") == pytest.approx(ind("rail_output_2020") / 0.744, abs=0.005)
    derived = plan_data.indicators[plan_data.indicators["kind"] == "derived"]
    assert (derived["section_id"] == "D").all()


def _norm(s: str) -> str:
    return re.sub(r"[\s*]", "", s)


def test_every_quote_is_the_plans_own_text(plan_data):
    text = _norm(_plan_text())
    stated = plan_data.indicators[plan_data.indicators["kind"] != "derived"]
    missing = []
    for iid, quote in zip(stated["indicator_id"], stated["quote"]):
        if iid.startswith("annex2_total"):
            continue  # the 合计 row is a table cell, checked against the table below
        for part in quote.split("……"):
            if _norm(part) not in text:
                missing.append((iid, part))
    assert not missing


def _annex_lines(marker: str, end: str | None) -> list[list[str]]:
    text = _plan_text()
    block = text[text.index(marker): text.index(end) if end else None]
    return [[c.strip() for c in line.split("\t")] for line in block.splitlines() if re.match(r"^\d+\t", line)]


def _same_number(printed: str, value) -> bool:
    if printed == "/":
        return value is None or (isinstance(value, float) and math.isnan(value))
    return float(printed) == float(value)


def test_projects_match_annex1_as_printed(plan_data):
    lines = _annex_lines("附件 1\n", "附件 2\n")
    assert len(lines) == 37
    p = plan_data.projects.set_index("annex_no")
    for f in lines:
        row = p.loc[int(f[0])]
        assert (row["name_zh"], row["nature"], row["area"], row["owner"]) == (f[1], f[2], f[3], f[4])
        assert row["description"] == f[5]
        assert (int(row["start_year"]), int(row["end_year"])) == (int(f[6]), int(f[7]))
        assert _same_number(f[8], row["total_investment_yi"]) and _same_number(f[9], row["fyp_investment_yi"])


def test_roads_match_annex2_as_printed(plan_data):
    lines = _annex_lines("附件 2\n", None)
    assert len(lines) == 20
    r = plan_data.roads.set_index("annex_no")
    for f in lines:
        row = r.loc[int(f[0])]
        assert (row["name_zh"], row["extent"], row["build_type"]) == (f[2], f[3], f[4])
        assert float(f[5]) == row["length_m"] and float(f[7]) == row["investment_wan"]
        assert f"{row['start_year']}-{row['end_year']}" == f[8]
        assert row["funding_source"] == f[9].strip("（）")
        if "-" in f[6]:
            assert math.isnan(row["width_m"]) and f"{row['width_min_m']:g}-{row['width_max_m']:g}" == f[6]
        else:
            assert float(f[6]) == row["width_m"]


def test_audit_surfaces_the_known_plan_anomalies(plan_data):
    codes = {(f.code, f.row) for f in audit(plan_data)}
    p = plan_data.projects.set_index("project_id")["src_row"]
    assert ("fyp_outside_build_years", p["P33"]) in codes
    assert ("missing_owner", p["P14"]) in codes
    assert ("missing_amount", p["P28"]) in codes
    assert ("fyp_differs_inside", p["P07"]) in codes
    assert ("description_total_differs", p["P20"]) in codes
    assert ("building_area_in_mu", p["P36"]) in codes
    assert not any(c == "annex_total_differs" for c, _ in codes)


def test_public_figures_carry_source_scope_and_measure(plan_data):
    f = plan_data.public_figures
    assert {"city_rail_2015", "city_rail_2020", "city_rail_2022", "city_rail_2023", "district_rail_target_2020",
            "district_rail_outcome_2020"} <= set(f["figure_id"])
    assert (f["source"] != "").all() and (f["quote"] != "").all() and (f["measure"] != "").all()
    v = f.set_index("figure_id")["value"]
    # the plan's 975 at 74.4 % of the city is the city series' 2020 value
    assert plan_data.indicator("rail_output_2020") / 0.744 == pytest.approx(v["city_rail_2020"], rel=0.001)
    assert v["district_rail_outcome_2020"] == plan_data.indicator("rail_output_2020")

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


_CN = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _section_spans(text: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The plan's body (table of contents and annexes left out), normalised, and each section's span in it:
    ``2.4`` = 第二章 四、, ``3.1.1`` = 第三章 一、（一）; a section runs to the next heading of its level or above."""
    body = text[text.index("第一章 现有基础与发展环境\n\n一、"): text.index("附件 1\n")]
    heads, parts, offset, chap, sec = [], [], 0, None, None
    for line in body.splitlines(keepends=True):
        s = line.strip()
        if m := re.match(r"^第([一二三四五六七八九十])章", s):
            chap, sec = _CN[m.group(1)], None
            heads.append((f"{chap}", offset))
        elif (m := re.match(r"^([一二三四五六七八九十])、", s)) and chap:
            sec = _CN[m.group(1)]
            heads.append((f"{chap}.{sec}", offset))
        elif (m := re.match(r"^[（(]\s*([一二三四五六七八九十])\s*[）)]", s)) and sec:
            heads.append((f"{chap}.{sec}.{_CN[m.group(1)]}", offset))
        parts.append(_norm(line))
        offset += len(parts[-1])
    norm_body = "".join(parts)
    spans = {}
    for i, (sid, start) in enumerate(heads):
        later = [o for s2, o in heads[i + 1:] if s2.count(".") <= sid.count(".")]
        spans[sid] = (start, later[0] if later else len(norm_body))
    return norm_body, spans


def _annex_total_line(text: str, annex: str) -> str:
    start = text.index(f"附件 {annex}\n")
    end = text.find("附件", start + 5)
    lines = [ln for ln in text[start: end if end > 0 else None].splitlines() if ln.strip().startswith("合计")]
    assert len(lines) == 1, annex
    return lines[0]


def test_every_quote_is_the_plans_own_text(plan_data):
    """Verbatim quotes are continuous plan text; composed ones join plan text with …… and each piece is found."""
    text = _norm(_plan_text())
    stated = plan_data.indicators[plan_data.indicators["kind"] != "derived"]
    missing = []
    for iid, quote, qk in zip(stated["indicator_id"], stated["quote"], stated["quote_kind"]):
        if iid.startswith("annex2_total"):
            continue  # the 合计 row is a table cell, checked against the table below
        if qk == "verbatim":
            if "……" in quote or _norm(quote) not in text:
                missing.append((iid, "verbatim", quote))
        else:
            assert qk == "composed", iid
            if "……" not in quote:
                missing.append((iid, "composed without ……: should be verbatim", quote))
            missing += [(iid, "piece", part) for part in quote.split("……") if _norm(part) not in text]
    assert not missing


def test_every_quote_lies_in_its_cited_section(plan_data):
    body, spans = _section_spans(_plan_text())
    ind = plan_data.indicators
    wrong = []
    for iid, sid, quote in zip(ind["indicator_id"], ind["section_id"], ind["quote"]):
        if sid in ("D", "A1", "A2"):
            continue
        start, end = spans[sid]
        wrong += [(iid, sid, part) for part in quote.split("……") if body.find(_norm(part), start, end) < 0]
    assert not wrong


def test_annex_totals_are_the_printed_total_line(plan_data):
    line = _annex_total_line(_plan_text(), "2")
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    for iid in ("annex2_total_length", "annex2_total_investment"):
        row = plan_data.indicator_row(iid)
        assert row["quote_kind"] == "composed" and row["section_id"] == "A2"
        assert f"{row['value']:g}" in cells, (iid, cells)


def test_derived_rows_have_no_quote_kind(plan_data):
    ind = plan_data.indicators
    assert (ind.loc[ind["kind"] == "derived", "quote_kind"] == "").all()
    assert ind.loc[ind["kind"] != "derived", "quote_kind"].isin(["verbatim", "composed"]).all()


# -- targets, comparators, baselines -------------------------------------------------------------------------------

ROLES = {  # the rows the model reads by role: a role never moves to another row
    "above_scale_va_growth_13fyp": "trend_growth", "rail_share_city_2020": "share_of_city",
    "tax_per_mu_2020": "tax_per_mu_base", "output_per_mu_2020": "per_mu_base",
    "land_tianxin_available": "land_available", "land_greenheart_available": "land_available",
    "annex2_total_length": "roads_length_total", "annex2_total_investment": "roads_investment_total",
}
# the segments' base and target rows (segments.csv base_id / target_id)
SEGMENT_ROWS = {"total": ("park_output_2020", "park_output_2025"), "rail_transit": ("rail_output_2020", "rail_output_2025"),
                "nonrail": ("nonrail_output_2020", "")}


def test_roles_stay_on_their_rows(plan_data):
    ind = plan_data.indicators
    assert dict(zip(ind.loc[ind["role"] != "", "indicator_id"], ind.loc[ind["role"] != "", "role"])) == ROLES
    t = plan_data.segments
    assert {s: (t[s].base_id, t[s].target_id) for s in SEGMENT_ROWS} == SEGMENT_ROWS


def _goal_section(sid: str) -> bool:
    return sid == "2.4" or sid.startswith("3.")


def test_every_target_cites_the_goals_or_chapter_3(plan_data):
    ind = plan_data.indicators
    target_year = plan_data.calendar.target_year
    bad = []
    for r in ind[ind["kind"] == "target"].to_dict(orient="records"):
        annex_total = r["section_id"] in ("A1", "A2") and r["indicator_id"].startswith("annex")
        if not (_goal_section(r["section_id"]) or annex_total) or r["year"] != target_year:
            bad.append((r["indicator_id"], r["section_id"], r["year"]))
    assert not bad


def test_baselines_and_context_rows_are_what_their_kind_says(plan_data):
    ind = plan_data.indicators
    base_year = plan_data.calendar.base_year
    base = ind[ind["kind"] == "baseline"]
    assert (base["year"] <= base_year).all()
    assert not base["section_id"].map(_goal_section).any()  # a goal is never a baseline
    context = ind[ind["kind"] == "context"]
    assert set(context["indicator_id"]) == {"safety_market_national", "rival_regions", "area_tianxin",
                                            "area_qingshuitang"}
    areas = ind.set_index("indicator_id").loc[["area_tianxin", "area_qingshuitang"]]
    assert (areas["year"] == 2021).all() and (areas["period"] == "2021-2025").all()


# How the plan's words around a number imply a comparator. After the number: 以上 / 多 / 余 / 以内 (these win,
# as in 达到90%以上). Before it: 不低于 / 不超过 / 突破 / 超过 / 约 / 近 / 达到 / 达. A printed range a-b: its lower end
# with >= (1-2所 is reached with one). A number with no such word: =.
AFTER_WORDS = (("以上", ">="), ("以内", "<="), ("以下", "<="), ("多", ">"), ("余", ">"))
BEFORE_WORDS = (("不低于", ">="), ("不超过", "<="), ("突破", ">"), ("超过", ">"), ("约", "~"), ("近", "~"),
                ("达到", "="), ("达", "="))
_STOP = r"[，。；、,;:：（）()“”\d]"
PRINTED_AS = {  # numbers the plan prints in words, not digits
    "industry_chains": "八大", "tianxin_special_parks": "四个", "qingshuitang_special_parks": "三大",
    "service_platforms": "八大", "qingshuitang_roads": "二十二", "safety_market_national": "万亿",
}


def implied_comparator(quote: str, printed: str) -> str | None:
    """The comparator the words around ``printed`` (the number as printed) imply; None if it is not in the quote."""
    q = _norm(quote)
    m = re.search(rf"(?<![\d.]){re.escape(printed)}(?![\d.])", q)
    if m is None:
        return None
    before, after = q[: m.start()], q[m.end():]
    if re.match(r"[-－~～至]\d", after):
        return ">="
    if re.search(r"\d[-－~～至]$", before):
        return "upper end of a range"  # never a target: use the lower end
    after = re.split(_STOP, after, maxsplit=1)[0][:6]
    before = re.split(_STOP, before)[-1][-3:]
    for word, comp in AFTER_WORDS:
        if word in after:
            return comp
    for word, comp in BEFORE_WORDS:
        if word in before:
            return comp
    return "="


@pytest.mark.parametrize("quote, printed, expected", [
    ("到2025年，园区总产值突破1600亿元", "1600", ">"),
    ("园区主特产业占比年均提升 3 个百分点以上", "3", ">="),
    ("等 60 多项国家、省部级荣誉", "60", ">"),
    ("各类技术人才3万余名", "3", ">"),
    ("园区土地集约利用指数达到 90%以上", "90", ">="),
    ("轨道交通产业本地配套率近 80%", "80", "~"),
    ("高新技术企业数量达150家，年销售收入超10亿元企业达50家。", "50", "="),
    ("重点建设1-2所名牌中学", "1", ">="),
    ("重点建设1-2所名牌中学", "2", "upper end of a range"),
    ("2020年，全区共拥有2名中国工程院院士", "2", "="),
    ("年耗能不超过 5 万吨", "5", "<="),
])
def test_implied_comparator_reads_the_plans_words(quote, printed, expected):
    assert implied_comparator(quote, printed) == expected


def test_comparators_are_allowed_and_agree_with_the_plans_words(plan_data):
    ind = plan_data.indicators
    assert set(ind["comparator"]) <= {"=", ">", ">=", "<=", "~", "qual"}
    stated = ind[~ind["kind"].isin(["derived", "monitoring"]) & (ind["comparator"] != "qual")]
    contradictions, unfound = [], []
    for r in stated.to_dict(orient="records"):
        printed = PRINTED_AS.get(r["indicator_id"], f"{r['value']:g}")
        implied = implied_comparator(r["quote"], printed)
        if implied is None:
            unfound.append((r["indicator_id"], printed))
        elif implied != r["comparator"]:
            contradictions.append((r["indicator_id"], r["comparator"], implied))
    assert not unfound, "number not in its quote (add its printed form to PRINTED_AS)"
    assert not contradictions


def test_qualitative_rows_are_targets_without_a_number(plan_data):
    ind = plan_data.indicators
    qual = ind[ind["comparator"] == "qual"]
    assert (qual["kind"] == "target").all() and qual["value"].isna().all()
    assert ind.loc[(ind["comparator"] != "qual") & (ind["kind"] != "monitoring"), "value"].notna().all()
    assert ind.loc[ind["kind"] == "monitoring", "value"].isna().all()  # tracked every year, no target
    # the commitments the plan states without a number, one row each
    for iid in ("first_class_park_2025", "listed_firms_2025", "national_rail_innovation_centre_2025",
                "national_design_institute_2025", "national_testing_platform_2025", "carbon_tasks_2025",
                "national_park_2025"):
        assert plan_data.indicator_row(iid)["comparator"] == "qual", iid


def test_baseline_ids_name_a_base_year_row(plan_data):
    ind = plan_data.indicators.set_index("indicator_id")
    base_year = plan_data.calendar.base_year
    linked = ind[ind["baseline_id"] != ""]
    assert linked["kind"].isin(["target", "monitoring"]).all()
    assert linked.loc["rail_output_2025", "baseline_id"] == "rail_output_2020"
    assert linked.loc["park_output_2025", "baseline_id"] == "park_output_2020"
    for iid, r in linked.iterrows():
        b = ind.loc[r["baseline_id"]]
        assert b["kind"] in ("baseline", "derived") and b["year"] == base_year, iid
        assert r["comparator"] == "qual" or r["kind"] == "monitoring" or b["unit"] == r["unit"], iid


# Targets whose base-year row the plan words in another measure (口径): an evaluation must flag the comparison.
MEASURE_CHANGES = {
    "rail_output_2025": ("总产值", "产业总规模"),  # 2025: part of 园区总产值; 2020: 产业总规模达到975亿元
    "park_output_2025": ("总产值", "规模工业总产值（推算）"),  # 2020 derived from the share of 规模工业总产值
}


def test_measures_are_named_and_changes_known(plan_data):
    ind = plan_data.indicators.set_index("indicator_id")
    assert (ind["measure"] != "").all()
    changed = {iid: (r["measure"], ind.loc[r["baseline_id"], "measure"])
               for iid, r in ind[(ind["baseline_id"] != "") & (ind["kind"] == "target")].iterrows()
               if r["comparator"] != "qual" and r["measure"] != ind.loc[r["baseline_id"], "measure"]}
    assert changed == MEASURE_CHANGES


def test_land_rows_by_area(plan_data):
    """1.1.2 names 田心片区's 600 余亩 and a 绿心调规片区 of about 1500 亩 side by side, never placing the latter in
    either area: only the first carries an area."""
    text = _plan_text()
    assert text.count("绿心") == 1
    t, g = (plan_data.indicator_row(i) for i in ("land_tianxin_available", "land_greenheart_available"))
    assert [r["indicator_id"] for r in plan_data.role_rows("land_available")] == [t["indicator_id"], g["indicator_id"]]
    assert t["area"] == "田心片区" and g["area"] == ""
    assert t["section_id"] == g["section_id"] == "1.1.2"
    sentence = "目前，田心片区实际可开发工业用地仅600余亩，绿心调规片区约1500亩，产业用地需求紧张"
    assert sentence in _norm(text) and _norm(t["quote"]) == _norm(g["quote"]) == sentence


# -- projects: does a project add industrial output once built? -------------------------------------------------

def test_every_project_has_an_output_role_with_evidence(plan_data):
    p = plan_data.projects
    assert p["output_role"].isin(["producing", "platform", "real_estate", "commercial", "infrastructure"]).all()
    bad = []
    for pid, desc, note in zip(p["project_id"], p["description"], p["output_note"]):
        quoted = re.findall(r"「([^」]*)」", note)
        if not quoted:
            bad.append((pid, "no 「quote」"))
        bad += [(pid, piece) for q in quoted for piece in q.split("…") if _norm(piece) not in _norm(desc)]
    assert not bad
    roles = p.set_index("project_id")["output_role"]
    assert (roles["P19"], roles["P09"], roles["P36"], roles["P33"], roles["P32"]) == (
        "producing", "platform", "real_estate", "commercial", "infrastructure")


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
    assert {("missing_amount_total", p["P28"]), ("missing_amount_fyp", p["P28"])} <= codes
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

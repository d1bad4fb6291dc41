"""Data-quality audit: what is legal but suspicious in the plan's own tables.

The audit never rejects data (that is :mod:`model.tables`'s job); it returns findings for
the UI and the ``check`` command.  One ``check_*`` function per rule.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .tables import PlanData

FYP_FIRST, FYP_LAST = 2021, 2025


@dataclass(frozen=True)
class Finding:
    file: str
    row: int | None
    column: str
    code: str
    severity: str  # warning | info
    message_en: str
    message_zh: str

    def line(self, lang: str = "en") -> str:
        row = "-" if self.row is None else str(self.row)
        msg = self.message_zh if lang == "zh" else self.message_en
        return f"{self.file}:{row}:{self.column}: [{self.severity}] {msg}"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def check_fyp_outside_build_years(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        if _missing(r.fyp_investment_yi) or r.fyp_investment_yi <= 0:
            continue
        if r.end_year < FYP_FIRST or r.start_year > FYP_LAST:
            out.append(Finding(
                "projects.csv", r.src_row, "fyp_investment_yi", "fyp_outside_build_years", "warning",
                f"{r.project_id} {r.name_zh}: {r.fyp_investment_yi:g}亿元 of 14th-FYP investment but built "
                f"{r.start_year}–{r.end_year}, outside 2021–2025; phasing places it in "
                f"{FYP_FIRST if r.end_year < FYP_FIRST else FYP_LAST}",
                f"{r.project_id} {r.name_zh}：十四五计划投资{r.fyp_investment_yi:g}亿元，但建设年份为"
                f"{r.start_year}–{r.end_year}年，不在2021–2025年内；时序测算默认计入"
                f"{FYP_FIRST if r.end_year < FYP_FIRST else FYP_LAST}年",
            ))
    return out


def check_missing_values(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        if not r.owner:
            out.append(Finding("projects.csv", r.src_row, "owner", "missing_owner", "warning",
                               f"{r.project_id} {r.name_zh}: no owner (项目建设主体) in the plan",
                               f"{r.project_id} {r.name_zh}：规划未列项目建设主体"))
        for col, en, zh in (("total_investment_yi", "total investment", "总投资"),
                            ("fyp_investment_yi", "14th-FYP investment", "十四五计划投资")):
            if _missing(getattr(r, col)):
                out.append(Finding("projects.csv", r.src_row, col, "missing_amount", "warning",
                                   f"{r.project_id} {r.name_zh}: no {en}; counted as 0 in phasing",
                                   f"{r.project_id} {r.name_zh}：未列{zh}，时序测算按0计"))
    for r in data.roads.itertuples():
        if r.funding_source == "待定":
            out.append(Finding("roads.csv", r.src_row, "funding_source", "funding_undetermined", "info",
                               f"{r.road_id} {r.name_zh}: funding source to be determined ({r.investment_wan:g}万元)",
                               f"{r.road_id} {r.name_zh}：资金来源待定（{r.investment_wan:g}万元）"))
        if _missing(r.width_m):
            out.append(Finding("roads.csv", r.src_row, "width_m", "width_range", "info",
                               f"{r.road_id} {r.name_zh}: width printed as a range {r.width_min_m:g}-{r.width_max_m:g} m",
                               f"{r.road_id} {r.name_zh}：宽度为区间{r.width_min_m:g}-{r.width_max_m:g}米"))
    return out


def check_fyp_vs_total(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        t, f = r.total_investment_yi, r.fyp_investment_yi
        if _missing(t) or _missing(f):
            continue
        if f > t + 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_exceeds_total", "warning",
                               f"{r.project_id}: 14th-FYP investment {f:g} exceeds total {t:g}亿元",
                               f"{r.project_id}：十四五计划投资{f:g}亿元超过总投资{t:g}亿元"))
        inside = r.start_year >= FYP_FIRST and r.end_year <= FYP_LAST
        if inside and abs(f - t) > 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_differs_inside", "warning",
                               f"{r.project_id} {r.name_zh}: built entirely in 2021–2025 but 14th-FYP investment "
                               f"{f:g} ≠ total {t:g}亿元",
                               f"{r.project_id} {r.name_zh}：建设期全部在2021–2025年内，但十四五计划投资{f:g}亿元"
                               f"不等于总投资{t:g}亿元"))
        if r.start_year < FYP_FIRST <= r.end_year and abs(f - t) <= 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_equals_total_started_early", "info",
                               f"{r.project_id} {r.name_zh}: started {r.start_year} yet all {t:g}亿元 is counted in "
                               f"the 14th FYP (nothing spent before 2021?)",
                               f"{r.project_id} {r.name_zh}：{r.start_year}年开工，但总投资{t:g}亿元全部计入十四五"))
    return out


_TOTAL_IN_WAN = re.compile(r"总投资[^，。；]*?(\d+(?:\.\d+)?)\s*万元")
_BUILDING_AREA_MU = re.compile(r"建筑面积约?\s*\d+(?:\.\d+)?\s*亩")


def check_descriptions(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        m = _TOTAL_IN_WAN.search(r.description or "")
        if m and not _missing(r.total_investment_yi):
            stated = float(m.group(1)) / 10000
            if abs(stated - r.total_investment_yi) > 0.005:
                out.append(Finding("projects.csv", r.src_row, "total_investment_yi", "description_total_differs", "info",
                                   f"{r.project_id} {r.name_zh}: description states {m.group(1)}万元 "
                                   f"({stated:g}亿元), table prints {r.total_investment_yi:g}亿元",
                                   f"{r.project_id} {r.name_zh}：建设内容写总投资{m.group(1)}万元（{stated:g}亿元），"
                                   f"表中为{r.total_investment_yi:g}亿元"))
        if _BUILDING_AREA_MU.search(r.description or ""):
            out.append(Finding("projects.csv", r.src_row, "land_mu", "building_area_in_mu", "info",
                               f"{r.project_id} {r.name_zh}: description gives a building area in 亩 (a land unit); "
                               f"land_mu {r.land_mu:g} taken from it",
                               f"{r.project_id} {r.name_zh}：建设内容以“亩”表述建筑面积；land_mu取{r.land_mu:g}亩"))
    return out


def check_annex_totals(data: PlanData) -> list[Finding]:
    out = []
    for ind, col, unit in (("annex2_total_length", "length_m", "m"),
                           ("annex2_total_investment", "investment_wan", "万元")):
        try:
            stated = data.indicator(ind)
        except KeyError:
            continue
        actual = float(data.roads[col].sum())
        if abs(actual - stated) > 1e-6:
            out.append(Finding("roads.csv", None, col, "annex_total_differs", "warning",
                               f"rows sum to {actual:g} {unit}; Annex 2 合计 states {stated:g} {unit}",
                               f"各行合计{actual:g}{unit}，附件2合计为{stated:g}{unit}"))
        else:
            out.append(Finding("roads.csv", None, col, "annex_total_matches", "info",
                               f"rows sum to {actual:g} {unit}, as Annex 2 合计 states",
                               f"各行合计{actual:g}{unit}，与附件2合计一致"))
    return out


def check_started_before_fyp(data: PlanData) -> list[Finding]:
    out = []
    for r in data.roads.itertuples():
        if r.start_year < FYP_FIRST:
            out.append(Finding("roads.csv", r.src_row, "start_year", "road_started_before_fyp", "info",
                               f"{r.road_id} {r.name_zh}: built {r.start_year}–{r.end_year}; part of its "
                               f"{r.investment_wan:g}万元 falls before 2021",
                               f"{r.road_id} {r.name_zh}：建设年限{r.start_year}–{r.end_year}年，部分投资在2021年前"))
    return out


CHECKS = (check_fyp_outside_build_years, check_missing_values, check_fyp_vs_total,
          check_descriptions, check_annex_totals, check_started_before_fyp)


def audit(data: PlanData) -> list[Finding]:
    """All findings, warnings first."""
    findings = [f for check in CHECKS for f in check(data)]
    return sorted(findings, key=lambda f: (f.severity != "warning", f.file, f.row or 0))

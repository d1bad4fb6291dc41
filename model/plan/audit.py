"""Data-quality audit: what is legal but suspicious in the plan's own tables.

The audit never rejects data (that is :mod:`model.plan.tables`'s job); it returns findings for the UI and the
``check`` command. One ``check_*`` function per rule. Messages come from the translation table (``audit.CODE``),
filled with the finding's values, so both languages say the same thing.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..numbers import WAN_PER_YI
from . import enums
from .registry import plan_calendar
from .tables import PlanData

CODES = ("fyp_outside_build_years", "missing_owner", "missing_amount_total", "missing_amount_fyp",
         "funding_undetermined", "width_range", "fyp_exceeds_total", "fyp_differs_inside",
         "fyp_equals_total_started_early", "description_total_differs", "building_area_in_mu", "annex_total_differs",
         "annex_total_matches", "road_started_before_fyp")


@dataclass(frozen=True)
class Finding:
    file: str
    row: int | None
    column: str
    code: str
    severity: str  # warning | info
    values: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "zh") -> str:
        from ..report.text import tr

        return tr(f"audit.{self.code}", lang, **self.values)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_zh(self) -> str:
        return self.message("zh")

    def line(self, lang: str = "en") -> str:
        row = "-" if self.row is None else str(self.row)
        return f"{self.file}:{row}:{self.column}: [{self.severity}] {self.message(lang)}"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _period(data: PlanData) -> tuple[int, int]:
    cal = plan_calendar(data.source) if data.source else plan_calendar()
    return cal.plan_first_year, cal.plan_last_year


def check_fyp_outside_build_years(data: PlanData) -> list[Finding]:
    first, last = _period(data)
    out = []
    for r in data.projects.itertuples():
        if _missing(r.fyp_investment_yi) or r.fyp_investment_yi <= 0:
            continue
        if r.end_year < first or r.start_year > last:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_outside_build_years", "warning", dict(
                id=r.project_id, name=r.name_zh, fyp=f"{r.fyp_investment_yi:g}", start=r.start_year, end=r.end_year,
                plan_first=first, plan_last=last, placed=first if r.end_year < first else last)))
    return out


def check_missing_values(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        if not r.owner:
            out.append(Finding("projects.csv", r.src_row, "owner", "missing_owner", "warning",
                               dict(id=r.project_id, name=r.name_zh)))
        for col, code in (("total_investment_yi", "missing_amount_total"), ("fyp_investment_yi", "missing_amount_fyp")):
            if _missing(getattr(r, col)):
                out.append(Finding("projects.csv", r.src_row, col, code, "warning",
                                   dict(id=r.project_id, name=r.name_zh)))
    for r in data.roads.itertuples():
        if r.funding_source == enums.FUNDING_UNDETERMINED:
            out.append(Finding("roads.csv", r.src_row, "funding_source", "funding_undetermined", "info",
                               dict(id=r.road_id, name=r.name_zh, amount=f"{r.investment_wan:g}")))
        if _missing(r.width_m):
            out.append(Finding("roads.csv", r.src_row, "width_m", "width_range", "info",
                               dict(id=r.road_id, name=r.name_zh, lo=f"{r.width_min_m:g}", hi=f"{r.width_max_m:g}")))
    return out


def check_fyp_vs_total(data: PlanData) -> list[Finding]:
    first, last = _period(data)
    out = []
    for r in data.projects.itertuples():
        t, f = r.total_investment_yi, r.fyp_investment_yi
        if _missing(t) or _missing(f):
            continue
        v = dict(id=r.project_id, name=r.name_zh, fyp=f"{f:g}", total=f"{t:g}", start=r.start_year,
                 plan_first=first, plan_last=last)
        if f > t + 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_exceeds_total", "warning", v))
        inside = r.start_year >= first and r.end_year <= last
        if inside and abs(f - t) > 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_differs_inside", "warning", v))
        if r.start_year < first <= r.end_year and abs(f - t) <= 1e-9:
            out.append(Finding("projects.csv", r.src_row, "fyp_investment_yi", "fyp_equals_total_started_early",
                               "info", v))
    return out


_TOTAL_IN_WAN = re.compile(r"总投资[^，。；]*?(\d+(?:\.\d+)?)\s*万元")
_BUILDING_AREA_MU = re.compile(r"建筑面积约?\s*\d+(?:\.\d+)?\s*亩")


def check_descriptions(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        m = _TOTAL_IN_WAN.search(r.description or "")
        if m and not _missing(r.total_investment_yi):
            stated = float(m.group(1)) / WAN_PER_YI
            if abs(stated - r.total_investment_yi) > 0.005:
                out.append(Finding("projects.csv", r.src_row, "total_investment_yi", "description_total_differs",
                                   "info", dict(id=r.project_id, name=r.name_zh, wan=m.group(1), yi=f"{stated:g}",
                                                total=f"{r.total_investment_yi:g}")))
        if _BUILDING_AREA_MU.search(r.description or ""):
            out.append(Finding("projects.csv", r.src_row, "land_mu", "building_area_in_mu", "info",
                               dict(id=r.project_id, name=r.name_zh, land=f"{r.land_mu:g}")))
    return out


def check_annex_totals(data: PlanData) -> list[Finding]:
    out = []
    for role, col, unit in (("annex2_length", "length_m", "m"), ("annex2_investment", "investment_wan", "万元")):
        if not data.has_role(role):
            continue
        stated = data.role(role)
        actual = float(data.roads[col].sum())
        code = "annex_total_differs" if abs(actual - stated) > 1e-6 else "annex_total_matches"
        out.append(Finding("roads.csv", None, col, code, "warning" if code == "annex_total_differs" else "info",
                           dict(sum=f"{actual:g}", stated=f"{stated:g}", unit=unit)))
    return out


def check_started_before_fyp(data: PlanData) -> list[Finding]:
    first, _ = _period(data)
    out = []
    for r in data.roads.itertuples():
        if r.start_year < first:
            out.append(Finding("roads.csv", r.src_row, "start_year", "road_started_before_fyp", "info",
                               dict(id=r.road_id, name=r.name_zh, start=r.start_year, end=r.end_year,
                                    amount=f"{r.investment_wan:g}", plan_first=first)))
    return out


CHECKS = (check_fyp_outside_build_years, check_missing_values, check_fyp_vs_total,
          check_descriptions, check_annex_totals, check_started_before_fyp)


def audit(data: PlanData) -> list[Finding]:
    """All findings, warnings first."""
    findings = [f for check in CHECKS for f in check(data)]
    return sorted(findings, key=lambda f: (f.severity != "warning", f.file, f.row or 0))

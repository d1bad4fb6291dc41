"""Data-quality audit: what is legal but suspicious in the plan's own tables.

The audit never rejects data (that is :mod:`model.plan.tables`'s job); it returns findings for the UI and the
``check`` command. One ``check_*`` function per rule. Messages come from the translation table (``audit.CODE``),
filled with the finding's values, so both languages say the same thing.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from ..numbers import WAN_PER_YI
from .tables import PlanData

CODES = ("fyp_outside_build_years", "missing_owner", "missing_amount_total", "missing_amount_fyp",
         "missing_years", "funding_undetermined", "width_range", "fyp_exceeds_total",
         "fyp_differs_inside", "fyp_equals_total_started_early", "description_total_differs", "building_area_in_mu",
         "annex_total_differs", "annex_total_matches", "annex_total_meets", "road_started_before_fyp",
         "residual_base_differs",
         "parts_short_of_target")


@dataclass(frozen=True)
class Finding:
    file: str
    row: int | None
    column: str
    code: str
    severity: str  # warning | info
    values: dict = field(default_factory=dict, hash=False, compare=False)
    plan: PlanData | None = field(default=None, hash=False, compare=False, repr=False)  # fills {period} …

    def message(self, lang: str = "zh") -> str:
        from ..report.labels import tx

        # a value given per language (a segment's names) is taken in ``lang``
        values = {k: (v.get(lang) or v.get("zh", "")) if isinstance(v, dict) else v for k, v in self.values.items()}
        return tx(f"audit.{self.code}", lang, {"_plan": self.plan} if self.plan is not None else None, **values)

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
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _year(x) -> int | None:
    return None if _missing(x) else int(x)


def _period(data: PlanData) -> tuple[int, int]:
    cal = data.calendar
    return cal.plan_first_year, cal.plan_last_year


def _f(data: PlanData, file: str, row, column: str, *args, **values) -> Finding:
    """A finding on ``file``'s ``column`` named as the file names it (a money column given in the other unit)."""
    return Finding(file, row, data.column_as_written(file, column), *args, values=values, plan=data)


def check_fyp_outside_build_years(data: PlanData) -> list[Finding]:
    first, last = _period(data)
    out = []
    for r in data.projects.itertuples():
        start, end = _year(r.start_year), _year(r.end_year)
        if _missing(r.fyp_investment_yi) or r.fyp_investment_yi <= 0 or start is None or end is None:
            continue
        if end < first or start > last:
            out.append(_f(data, "projects.csv", r.src_row, "fyp_investment_yi", "fyp_outside_build_years", "warning",
                          id=r.project_id, name=r.name_zh, fyp=f"{r.fyp_investment_yi:g}", start=start, end=end,
                          plan_first=first, plan_last=last, placed=first if end < first else last))
    return out


def check_missing_values(data: PlanData) -> list[Finding]:
    """Projects without an owner (where the list records owners), money or build years; roads whose funding the
    plan leaves undetermined (the funding source its enumerations flag ``undetermined``), roads given a width
    range."""
    out = []
    records_owners = "owner" in data.projects.columns and any(bool(v) for v in data.projects["owner"])
    for r in data.projects.itertuples():
        if records_owners and not r.owner:
            out.append(_f(data, "projects.csv", r.src_row, "owner", "missing_owner", "warning",
                          id=r.project_id, name=r.name_zh))
        for col, code in (("total_investment_yi", "missing_amount_total"), ("fyp_investment_yi", "missing_amount_fyp")):
            if _missing(getattr(r, col)):
                out.append(_f(data, "projects.csv", r.src_row, col, code, "warning", id=r.project_id, name=r.name_zh))
        if _year(r.start_year) is None or _year(r.end_year) is None:
            first, last = _period(data)
            out.append(_f(data, "projects.csv", r.src_row, "start_year", "missing_years", "warning",
                          id=r.project_id, name=r.name_zh, plan_first=first, plan_last=last))
    undetermined = data.flagged("funding_source", "undetermined")
    for r in data.roads.itertuples():
        amount = "—" if _missing(r.investment_wan) else f"{r.investment_wan:g}"
        if undetermined and r.funding_source == undetermined:
            out.append(_f(data, "roads.csv", r.src_row, "funding_source", "funding_undetermined", "info",
                          id=r.road_id, name=r.name_zh, amount=amount))
        if _year(r.start_year) is None or _year(r.end_year) is None:  # phased over the plan period, like projects
            first, last = _period(data)
            out.append(_f(data, "roads.csv", r.src_row, "start_year", "missing_years", "warning",
                          id=r.road_id, name=r.name_zh, plan_first=first, plan_last=last))
        if _missing(r.width_m) and not (_missing(r.width_min_m) or _missing(r.width_max_m)):
            out.append(_f(data, "roads.csv", r.src_row, "width_m", "width_range", "info",
                          id=r.road_id, name=r.name_zh, lo=f"{r.width_min_m:g}", hi=f"{r.width_max_m:g}"))
    return out


def check_fyp_vs_total(data: PlanData) -> list[Finding]:
    first, last = _period(data)
    out = []
    for r in data.projects.itertuples():
        t, f = r.total_investment_yi, r.fyp_investment_yi
        start, end = _year(r.start_year), _year(r.end_year)
        if _missing(t) or _missing(f):
            continue
        v = dict(id=r.project_id, name=r.name_zh, fyp=f"{f:g}", total=f"{t:g}", start=start if start else "—",
                 plan_first=first, plan_last=last)
        if f > t + 1e-9:
            out.append(_f(data, "projects.csv", r.src_row, "fyp_investment_yi", "fyp_exceeds_total", "warning", **v))
        if start is None or end is None:
            continue
        inside = start >= first and end <= last
        if inside and abs(f - t) > 1e-9:
            out.append(_f(data, "projects.csv", r.src_row, "fyp_investment_yi", "fyp_differs_inside", "warning", **v))
        if start < first <= end and abs(f - t) <= 1e-9:
            out.append(_f(data, "projects.csv", r.src_row, "fyp_investment_yi", "fyp_equals_total_started_early",
                          "info", **v))
    return out


_TOTAL_IN_WAN = re.compile(r"总投资[^，。；]*?(\d+(?:\.\d+)?)\s*万元")
_BUILDING_AREA_MU = re.compile(r"建筑面积约?\s*\d+(?:\.\d+)?\s*亩")


def check_descriptions(data: PlanData) -> list[Finding]:
    out = []
    for r in data.projects.itertuples():
        text = r.description if isinstance(r.description, str) else ""
        m = _TOTAL_IN_WAN.search(text)
        if m and not _missing(r.total_investment_yi):
            stated = float(m.group(1)) / WAN_PER_YI
            if abs(stated - r.total_investment_yi) > 0.005:
                out.append(_f(data, "projects.csv", r.src_row, "total_investment_yi", "description_total_differs",
                              "info", id=r.project_id, name=r.name_zh, wan=m.group(1), yi=f"{stated:g}",
                              total=f"{r.total_investment_yi:g}"))
        if _BUILDING_AREA_MU.search(text):
            out.append(_f(data, "projects.csv", r.src_row, "land_mu", "building_area_in_mu", "info",
                          id=r.project_id, name=r.name_zh, land="—" if _missing(r.land_mu) else f"{r.land_mu:g}"))
    return out


def check_annex_totals(data: PlanData) -> list[Finding]:
    """The road list's rows against the totals the plan prints (roles ``roads_length_total`` and
    ``roads_investment_total``, in the units of their rows)."""
    out = []
    for role, col in (("roads_length_total", "length_m"), ("roads_investment_total", "investment_wan")):
        if not data.has_role(role) or not len(data.roads):
            continue
        row = data.role_row(role)
        stated, unit = float(row["value"]), str(row.get("unit") or "")
        factor = {"km": 1000.0, "公里": 1000.0}.get(unit, 1.0) if col == "length_m" else (
            {"亿元": 1 / WAN_PER_YI}.get(unit, 1.0))
        actual = float(data.roads[col].sum()) * (1.0 / factor if col == "length_m" else factor)
        from ..calc.compare import holds

        # a total the plan words as a bound (以上 / 突破 …) is met by rows that satisfy it, not only by equal ones
        cmp = str(row.get("comparator") or "=")
        equal = abs(actual - stated) <= 1e-6 * max(1.0, abs(stated))
        code = "annex_total_matches" if equal else "annex_total_meets" if (
            cmp in (">", ">=", "<=") and holds(actual, stated, cmp)) else "annex_total_differs"
        out.append(_f(data, "roads.csv", None, col, code, "warning" if code == "annex_total_differs" else "info",
                      sum=f"{actual:g}", stated=f"{stated:g}", unit=unit))
    return out


def check_started_before_fyp(data: PlanData) -> list[Finding]:
    first, _ = _period(data)
    out = []
    for r in data.roads.itertuples():
        start, end = _year(r.start_year), _year(r.end_year)
        if start is not None and start < first:
            out.append(_f(data, "roads.csv", r.src_row, "start_year", "road_started_before_fyp", "info",
                          id=r.road_id, name=r.name_zh, start=start, end=end if end else "—",
                          amount="—" if _missing(r.investment_wan) else f"{r.investment_wan:g}", plan_first=first))
    return out


def _names(data: PlanData, ids) -> dict:
    sep = {"zh": "、", "en": ", "}
    return {lang: sep[lang].join(data.segments.name(i, lang) for i in ids) for lang in sep}


def check_segment_sums(data: PlanData) -> list[Finding]:
    """What the loader lets through and the projection resolves its own way, said where the plan's rows are:

    - a residual given a base row of its own that differs from its parent's base less its parts (the projection,
      like the plan's arithmetic, takes the rest and not the row);
    - a parent whose parts all have targets that add up to less than its own, with no residual to take the rest:
      the parts reaching their targets leave the parent short of its target (the projection sums the parts)."""
    tree, out = data.segments, []
    ind = data.indicators.set_index("indicator_id")["src_row"].to_dict()
    for s in tree:
        parts = tree.parts_of(s.id)
        if not parts:
            continue
        residual = tree.residual_of(s.id)
        base = data.segment_base(s.id)
        if residual and tree[residual].base_id and base is not None and all(
                data.segment_base(p) is not None for p in parts):
            stated = data.segment_base(residual)
            rest = base - sum(data.segment_base(p) for p in parts)
            gap = abs(stated - rest)
            if gap > 1e-6 * max(1.0, abs(base)):
                row = tree[residual].base_id
                out.append(_f(data, "indicators.csv", ind.get(row), "value", "residual_base_differs",
                              "warning" if gap > 1e-3 * abs(base) else "info", id=row,
                              name=_names(data, [residual]), parent=_names(data, [s.id]), parts=_names(data, parts),
                              stated=f"{stated:g}", parent_base=f"{base:g}", rest=f"{rest:g}"))
        target = data.segment_target(s.id)
        if residual is None and target is not None and all(data.segment_target(p) is not None for p in parts):
            total = sum(data.segment_target(p) for p in parts)
            if target - total > 1e-6 * max(1.0, abs(target)):
                row = s.target_id
                out.append(_f(data, "indicators.csv", ind.get(row), "value", "parts_short_of_target", "warning",
                              id=row, parent=_names(data, [s.id]), parts=_names(data, parts), target=f"{target:g}",
                              sum=f"{total:g}", gap=f"{target - total:g}"))
    return out


CHECKS = (check_segment_sums, check_fyp_outside_build_years, check_missing_values, check_fyp_vs_total,
          check_descriptions, check_annex_totals, check_started_before_fyp)


def audit(data: PlanData) -> list[Finding]:
    """All findings, warnings first."""
    findings = [f for check in CHECKS for f in check(data)]
    return sorted(findings, key=lambda f: (f.severity != "warning", f.file, f.row or 0))

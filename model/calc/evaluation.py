"""The plan's final evaluation (终期评估): targets against actuals, growth paths, and project and road execution.

Pure (pandas, no I/O). Method: ``shared/reference/evaluation-methods.md`` — completion and current status since the
base year, graded 完成 / 基本完成 / 未完成, measures (口径) compared, qualitative tasks assessed in words.

Terms (one per concept)
-----------------------
completion (完成率)
    actual ÷ target for level targets; target ÷ actual where lower is better (``<=`` targets, direction ``lower``:
    ranks, intensities). A ratio; ``_pct`` columns hold it × 100. An increment (新增) or cumulative (累计) target's
    actual is the amount since the base year / over the plan period, so its base is 0.
progress (进度)
    (actual − baseline) ÷ (target − baseline): the share of the progress the plan asked for since the base year that
    was made. The same formula is the mirrored one for ``<=`` targets ((baseline − actual) ÷ (baseline − target)).
    Not capped (a value above 100 % is a target overshot, below 0 a step back).

Status rules (:func:`grade`, thresholds in :class:`EvalSettings`)
----------------------------------------------------------------
1. ``qual`` targets: 定性（待评） unless the actuals give a qualitative assessment (measure 定性): 已完成 → 完成,
   推进中 / 未启动 → 未完成 (at the final evaluation a task still under way is not done); the word is kept.
2. No actual up to the target year: 无数据.
3. The comparator holds → 完成: ``>`` strictly above; ``>=`` and ``=`` at or above; ``~`` at or above
   target × (1 − ``about_tolerance``) (within ±5 % by default; above the band the level is exceeded, which for the
   plan's level targets is met too — flagged ``above_about``); ``<=`` at or below.
4. Otherwise completion ≥ ``nearly_met`` (90 %) → 基本完成, else 未完成.
5. Scope, measure and vintage are separate fields of every figure. A figure on another scope (园区 / 区 / 市 / 省 /
   全国) or another measure than the target's, or an estimate → status 口径不一致, never 完成, and no arithmetic
   with it anywhere: no completion, progress, growth or gap (blank, with the reason in ``reason`` and ``flags``).
   One function decides comparability (:func:`comparability`); everything asks it. Where the plan's own base is on
   another scope or measure than its target (the plan pairs them), progress is computed and flagged
   ``baseline_measure_differs``.
6. Of several figures of one year the latest vintage (预计 → 快报 → 年报 → 修订) is used (``vintage`` says which).
An actual from a year before the target year is the latest available and is graded as such, flagged
``latest_year``.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from ..io.actuals import (NOT_AN_ACTUAL, QUALITATIVE, ActualsSet, ProjectActuals, RoadActuals, calendar_of,
                          canonical_measure, vintage_rank)
from .. import units
from ..numbers import WAN_PER_YI
from ..plan.calendar import Calendar
from ..plan.bases import _row, _sum_base_row, baseline_row  # noqa: F401 - moved there (no cycle)
from ..plan.tables import PlanData
from .compare import canonical_scope, comparable as _comparable
from .compare import holds as _holds
from .phasing import phase_projects, phase_roads

MET, NEARLY, NOT_MET, MISMATCH, QUAL_PENDING, NO_DATA = "完成", "基本完成", "未完成", "口径不一致", "定性（待评）", "无数据"
STATUSES = (MET, NEARLY, NOT_MET, MISMATCH, QUAL_PENDING, NO_DATA)
QUAL_GRADE = {"已完成": MET, "推进中": NOT_MET, "未启动": NOT_MET}
# flags (codes; the report translates them)
FLAG_LATEST, FLAG_MEASURE, FLAG_ABOUT = "latest_year", "measure_differs", "above_about"
FLAG_BASE_UNIT, FLAG_DERIVED = "baseline_unit", "baseline_derived"
FLAG_SCOPE, FLAG_SCOPE_UNSTATED, FLAG_BASE_MEASURE = "scope_differs", "scope_not_stated", "baseline_measure_differs"
FLAG_ESTIMATE, FLAG_RANGE, FLAG_VINTAGE = "estimate", "above_range", "vintage"
FLAGS = (FLAG_LATEST, FLAG_MEASURE, FLAG_ABOUT, FLAG_BASE_UNIT, FLAG_DERIVED, FLAG_SCOPE, FLAG_SCOPE_UNSTATED,
         FLAG_BASE_MEASURE, FLAG_ESTIMATE, FLAG_RANGE, FLAG_VINTAGE)
DONE, DROPPED, NOT_STARTED = "竣工", "调出", "未开工"
YI, WAN, M, PCT, ITEMS = "亿元", "万元", "m", "%", "项"
MONEY = {YI: 1.0, WAN: 1.0 / WAN_PER_YI}  # a base in 万元 compares with a target in 亿元 (converted, not flagged)


@dataclass(frozen=True)
class EvalSettings:
    """Thresholds of the status rules.

    Parameters
    ----------
    nearly_met : completion (ratio, 0–1) at or above which a target not met is 基本完成 (default 0.90).
    about_tolerance : relative band (ratio) within which a ``~`` (约) target holds (default 0.05 = ±5 %).
    """

    nearly_met: float = 0.90
    about_tolerance: float = 0.05

    def __post_init__(self):
        if not (isinstance(self.nearly_met, (int, float)) and 0.0 < self.nearly_met <= 1.0):
            raise ValueError(f"nearly_met must be in (0, 1], not {self.nearly_met!r}")
        if not (isinstance(self.about_tolerance, (int, float)) and 0.0 <= self.about_tolerance < 1.0):
            raise ValueError(f"about_tolerance must be in [0, 1), not {self.about_tolerance!r}")


# -- the measures of one target ------------------------------------------------------------------------

def lower_is_better(comparator: str, direction: str = "") -> bool:
    return comparator == "<=" or direction == "lower"


def completion(actual: float, target: float, comparator: str, direction: str = "") -> float:
    """Completion as a ratio: actual ÷ target, or target ÷ actual where lower is better (``<=`` or direction
    ``lower``); NaN when the divisor is 0 or a value is missing."""
    num, den = (target, actual) if lower_is_better(comparator, direction) else (actual, target)
    if not (_finite(num) and _finite(den)) or den == 0:
        return math.nan
    return num / den


def progress(actual: float, baseline: float, target: float) -> float:
    """Progress since the base year as a ratio: (actual − baseline) ÷ (target − baseline); NaN without a baseline or
    when target = baseline. The same value is the mirrored measure where lower is better."""
    if not (_finite(actual) and _finite(baseline) and _finite(target)) or target == baseline:
        return math.nan
    return (actual - baseline) / (target - baseline)


def holds(actual: float, target: float, comparator: str, settings: EvalSettings = EvalSettings(),
          direction: str = "") -> bool:
    """Whether the comparator holds for the actual (the one rule, :func:`model.calc.compare.holds`); where lower is
    better an "about" or "reach" target holds at or below it (a rank of 25 左右 is met at 26 within the band)."""
    if direction == "lower" and comparator in ("=", ">=", "~"):
        tol = settings.about_tolerance if comparator == "~" else 0.0
        return _finite(actual) and _finite(target) and actual <= target * (1 + tol)
    return _holds(actual, target, comparator, about_tolerance=settings.about_tolerance)


def grade(actual: float, target: float, comparator: str, settings: EvalSettings = EvalSettings(),
          direction: str = "") -> str:
    """完成 / 基本完成 / 未完成 for a numeric target (无数据 when the actual is missing)."""
    if not _finite(actual):
        return NO_DATA
    if holds(actual, target, comparator, settings, direction):
        return MET
    c = completion(actual, target, comparator, direction)
    return NEARLY if _finite(c) and c >= settings.nearly_met else NOT_MET


def _finite(x) -> bool:
    return isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, bool) and math.isfinite(x)


def measure_differs(actual_measure: str, target_measure: str) -> bool:
    """An estimate or a city-level figure always differs; otherwise the canonical measures are compared when the
    target states one."""
    a, t = canonical_measure(actual_measure), canonical_measure(target_measure)
    if a in NOT_AN_ACTUAL:
        return True
    return bool(t) and a != t


def comparability(data: PlanData, target: dict, scope: str, measure: str) -> tuple[bool, str]:
    """The one rule for whether a figure (``scope``, ``measure``) may enter arithmetic with a target row (or with
    any indicator row): same scope (the row's, else the plan's) and same measure; an estimate never. Returns
    (comparable, reason): reason ``estimate``, ``scope`` or ``measure`` when not."""
    if canonical_measure(measure) in NOT_AN_ACTUAL:
        return False, "estimate"
    t_scope = target.get("scope") or data.scope
    return _comparable(scope, measure, t_scope, target.get("measure") or "", canonical_measure)


# -- indicators ----------------------------------------------------------------------------------------

INDICATOR_COLUMNS = ["indicator_id", "name_zh", "name_en", "section_id", "target_year", "target", "comparator",
                     "unit", "target_measure", "baseline", "baseline_year", "actual", "actual_year", "measure",
                     "source", "note", "completion_pct", "progress_pct", "status", "indicative_status", "flags",
                     "scope", "vintage", "target_scope", "direction", "basis", "target_max", "reason"]


def pick_actual(data: PlanData, target: dict, rows: list[dict], up_to: int | None = None) -> tuple[dict | None, bool,
                                                                                                   str]:
    """The figure to grade a target by, from its actuals rows (dicts of ActualsSet.records()): the latest year up
    to ``up_to`` (default: the target's year) among the figures on the target's scope and measure, the latest
    vintage of that year. Returns (row, comparable, reason); with no comparable figure, the latest figure of any
    kind (for display, flagged) and the reason it is not comparable."""
    up_to = int(target["year"]) if up_to is None else up_to
    usable = [r for r in rows if r["year"] <= up_to and (r["value"] is not None or (r["measure"] == QUALITATIVE
                                                                                    and r["note"]))]
    if not usable:
        return None, False, ""
    key = lambda r: (r["year"], vintage_rank(r.get("vintage", "")))  # noqa: E731
    if target.get("comparator") == "qual":
        return max(usable, key=key), True, ""
    good = [r for r in usable if comparability(data, target, r.get("scope", ""), r["measure"])[0]]
    if good:
        return max(good, key=key), True, ""
    best = max(usable, key=key)
    return best, False, comparability(data, target, best.get("scope", ""), best["measure"])[1]


def evaluate_indicators(data: PlanData, actuals: ActualsSet, settings: EvalSettings = EvalSettings()
                        ) -> pd.DataFrame:
    """One row per target of ``indicators.csv`` (kind = target), in file order.

    Returns
    -------
    DataFrame with :data:`INDICATOR_COLUMNS`: target, baseline and actual in the indicator's ``unit``; years int
    (``actual_year`` / ``baseline_year`` NaN when missing); ``completion_pct`` and ``progress_pct`` in % (NaN where
    undefined, and always where the figure is on another scope or measure than the target: no arithmetic across
    them); ``status`` one of :data:`STATUSES`; ``indicative_status`` the grade a comparable figure gives; ``flags``
    ``;``-joined codes of :data:`FLAGS`; ``reason`` why a figure was not compared (``scope`` / ``measure`` /
    ``estimate``); ``scope`` and ``vintage`` of the figure used (the latest vintage of the latest comparable year).
    """
    targets = _static(data).targets
    by_id: dict[str, list[dict]] = {}
    for r in actuals.records():
        by_id.setdefault(r["indicator_id"], []).append(r)
    out = []
    for t in targets:
        iid, comp, unit, t_measure = t["indicator_id"], t["comparator"], t["unit"], t.get("measure") or ""
        direction, basis = t.get("direction") or "", t.get("basis") or ""
        target = float(t["value"]) if _finite(t["value"]) else math.nan
        tmax = float(t["value_max"]) if _finite(t.get("value_max")) else math.nan
        base = baseline_row(data, t)
        flags: list[str] = []
        baseline, base_year = math.nan, math.nan
        if basis in ("increment", "cumulative"):
            baseline, base_year = 0.0, data.calendar.base_year  # new since the base year / summed over the period
        elif base is not None and _finite(base["value"]):
            if base["unit"] == unit or (base["unit"] in MONEY and unit in MONEY):
                baseline, base_year = float(base["value"]) * MONEY.get(base["unit"], 1.0) / MONEY.get(unit, 1.0), \
                    int(base["year"])
                if base.get("kind") == "derived":
                    flags.append(FLAG_DERIVED)
                if not comparability(data, t, base.get("scope") or data.scope, base.get("measure") or "")[0]:
                    flags.append(FLAG_BASE_MEASURE)  # the plan pairs them: progress is shown, flagged
            else:
                flags.append(FLAG_BASE_UNIT)
        a, ok, reason = pick_actual(data, t, by_id.get(iid, []))
        actual = a_year = math.nan
        a_measure = source = note = a_scope = vintage = ""
        if a is not None:
            a_year, a_measure, source, note = a["year"], a["measure"], a["source"], a["note"]
            a_scope, vintage = a.get("scope", ""), a.get("vintage", "")
            actual = math.nan if a["value"] is None else a["value"]
            if a_year < int(t["year"]):
                flags.append(FLAG_LATEST)
            if not a_scope and comp != "qual":
                flags.append(FLAG_SCOPE_UNSTATED)
            if vintage:
                flags.append(FLAG_VINTAGE)
        if comp == "qual":
            status = QUAL_GRADE.get(note, QUAL_PENDING) if a is not None and a_measure == QUALITATIVE else QUAL_PENDING
            indicative = status
            comp_ratio = prog = math.nan
        elif a is None or not _finite(actual):
            status = indicative = NO_DATA
            comp_ratio = prog = math.nan
        elif not ok:  # another scope or measure (or an estimate): shown, never graded nor computed with
            flags.append({"scope": FLAG_SCOPE, "measure": FLAG_MEASURE, "estimate": FLAG_ESTIMATE}[reason])
            status, indicative = MISMATCH, ""
            comp_ratio = prog = math.nan
        else:
            indicative = status = grade(actual, target, comp, settings, direction)
            comp_ratio = completion(actual, target, comp, direction)
            prog = progress(actual, baseline, target)
            if comp == "~" and actual > target * (1 + settings.about_tolerance) and direction != "lower":
                flags.append(FLAG_ABOUT)
            if _finite(tmax) and actual > tmax:
                flags.append(FLAG_RANGE)
        out.append({
            "indicator_id": iid, "name_zh": t["name_zh"], "name_en": t.get("name_en") or t["name_zh"],
            "section_id": t["section_id"], "target_year": int(t["year"]), "target": target, "comparator": comp,
            "unit": unit, "target_measure": t_measure, "baseline": baseline, "baseline_year": base_year,
            "actual": actual, "actual_year": a_year, "measure": a_measure, "source": source, "note": note,
            "completion_pct": comp_ratio * 100.0, "progress_pct": prog * 100.0, "status": status,
            "indicative_status": indicative, "flags": ";".join(flags), "scope": a_scope, "vintage": vintage,
            "target_scope": t.get("scope") or data.scope, "direction": "lower" if lower_is_better(comp, direction)
            else "higher", "basis": basis or "level", "target_max": tmax, "reason": reason})
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


MONITOR_COLUMNS = ["indicator_id", "name_zh", "name_en", "section_id", "unit", "target_measure", "target_scope",
                   "baseline", "baseline_year", "year", "actual", "measure", "scope", "vintage", "comparable",
                   "reason", "source", "note"]


def monitoring_indicators(data: PlanData, actuals: ActualsSet) -> pd.DataFrame:
    """The plan's monitoring indicators (kind = monitoring: tracked every year, no target) with every figure the
    actuals give for them, latest vintage per year, each marked comparable or not with the row's scope and
    measure (:data:`MONITOR_COLUMNS`)."""
    ind = data.indicators
    rows_of: dict[str, list[dict]] = {}
    for r in actuals.records():
        rows_of.setdefault(r["indicator_id"], []).append(r)
    out = []
    for m in ind[ind["kind"] == "monitoring"].to_dict(orient="records"):
        base = baseline_row(data, m)
        best: dict[tuple, dict] = {}
        for r in rows_of.get(m["indicator_id"], []):
            if r["value"] is None:
                continue
            k = (r["year"], r.get("scope", ""), r["measure"])
            if k not in best or vintage_rank(r.get("vintage", "")) > vintage_rank(best[k].get("vintage", "")):
                best[k] = r
        common = {"indicator_id": m["indicator_id"], "name_zh": m["name_zh"], "name_en": m.get("name_en") or
                  m["name_zh"], "section_id": m["section_id"], "unit": m["unit"], "target_measure": m["measure"],
                  "target_scope": m.get("scope") or data.scope,
                  "baseline": float(base["value"]) if base is not None and _finite(base["value"]) else math.nan,
                  "baseline_year": int(base["year"]) if base is not None else math.nan}
        if not best:
            out.append({**common, "year": math.nan, "actual": math.nan, "measure": "", "scope": "", "vintage": "",
                        "comparable": False, "reason": "", "source": "", "note": ""})
        for (_, _, _), r in sorted(best.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), kv[0][2])):
            ok, why = comparability(data, m, r.get("scope", ""), r["measure"])
            out.append({**common, "year": r["year"], "actual": r["value"], "measure": r["measure"],
                        "scope": r.get("scope", ""), "vintage": r.get("vintage", ""), "comparable": ok,
                        "reason": why, "source": r["source"], "note": r["note"]})
    return pd.DataFrame(out, columns=MONITOR_COLUMNS)


# -- output paths (each segment with a target) --------------------------------------------------------------

SERIES_COLUMNS = ["segment", "year", "actual", "measure", "plan_path", "scenario", "growth_pct", "plan_growth_pct",
                  "gap_to_plan", "gap_to_scenario", "shortfall_increment", "unit", "scope", "vintage"]
GROWTH_COLUMNS = ["segment", "indicator_id", "base_year", "base", "target_year", "target", "latest_year",
                  "latest_actual", "measure", "cagr_pct", "required_cagr_pct", "plan_path_latest", "shortfall",
                  "shortfall_to_target", "unit", "base_kind", "flags", "other_figures"]


def plan_path(base: float, target: float, base_year: int, target_year: int) -> pd.Series:
    """The constant-rate path from the base-year value to the target: base × (target ÷ base)^((y − b) ÷ n)."""
    years = np.arange(base_year, target_year + 1)
    n = target_year - base_year
    return pd.Series(base * (target / base) ** ((years - base_year) / n), index=pd.Index(years, name="year"))


def path_segments(data: PlanData) -> tuple[str, ...]:
    """The segments whose output path the evaluation draws: every one with a target and a base (stated,
    derived or assumed), the total first."""
    t = data.segments
    return tuple(s for s in t.ids if s in t.with_targets)


def segment_path(data: PlanData, actuals: ActualsSet, segment: str, scenario_path: pd.Series | None = None
                 ) -> tuple[pd.DataFrame, dict]:
    """Actual path of ``segment`` against the plan path and a scenario path.

    Only figures on the target's scope and measure enter the path (the latest vintage of each year); the others
    are counted in ``other_figures`` and computed with nowhere. The base is the segment's base-year value (its
    ``base_kind``: stated, derived or assumed); where the plan's base is on another scope or measure than its
    target (the plan pairs them), growth since the base is computed and flagged ``baseline_measure_differs``; an
    assumed base (the plan states none) gives no growth since the base.

    Returns
    -------
    (DataFrame with :data:`SERIES_COLUMNS`, one row per year base … target year; dict with :data:`GROWTH_COLUMNS`).
    ``growth_pct`` is the annual growth achieved since the previous year with an actual (annualised over gaps);
    ``gap_to_plan`` = actual − plan path; ``shortfall_increment`` = the part of the shortfall against the plan path
    that opened in that year, so the increments sum to the shortfall at the latest year. Money in 亿元.
    """
    from ..plan.bases import plan_bases

    target_row = data.segment_target_row(segment)
    base_row = data.segment_base_row(segment)
    by, ty = data.calendar.base_year, int(target_row["year"])
    stated = data.segment_base(segment)
    base = stated if stated is not None else plan_bases(data).get(segment, data.segments.bases(
        plan_bases(data), {}).get(segment))
    base_kind = "assumed" if stated is None else ("derived" if base_row.get("kind") == "derived" else "stated")
    target = data.money_yi(target_row)
    factor = 1.0 if target_row["unit"] == YI else 1.0 / WAN_PER_YI
    iid = target_row["indicator_id"]
    path = plan_path(base, target, by, ty)
    years = path.index.to_numpy()
    actual = pd.Series(np.nan, index=path.index)
    measure = pd.Series("", index=path.index, dtype=object)
    scope = pd.Series("", index=path.index, dtype=object)
    vintage = pd.Series("", index=path.index, dtype=object)
    actual[by] = base
    measure[by] = "baseline"
    flags = []
    if base_kind == "derived":
        flags.append(FLAG_DERIVED)
    if base_row is not None and not comparability(data, target_row, base_row.get("scope") or data.scope,
                                                  base_row.get("measure") or "")[0]:
        flags.append(FLAG_BASE_MEASURE)
    rows = [r for r in actuals.records() if r["indicator_id"] == iid and by < r["year"] <= ty and r["value"] is not None]
    other = 0
    best: dict[int, dict] = {}
    for r in rows:
        if not comparability(data, target_row, r.get("scope", ""), r["measure"])[0]:
            other += 1
            continue
        if r["year"] not in best or vintage_rank(r.get("vintage", "")) > vintage_rank(best[r["year"]].get("vintage",
                                                                                                             "")):
            best[r["year"]] = r
    for y, r in best.items():
        actual[y] = r["value"] * factor
        measure[y], scope[y], vintage[y] = r["measure"], r.get("scope", ""), r.get("vintage", "")
    if scenario_path is not None:
        scen = pd.Series(scenario_path, dtype=float).reindex(path.index)
    else:
        scen = pd.Series(np.nan, index=path.index)
    rate = (target / base) ** (1 / (ty - by)) - 1
    growth = np.full(len(years), np.nan)
    increment = np.full(len(years), np.nan)
    gap = path - actual
    prev = 0
    for j in range(1, len(years)):
        if math.isnan(actual.iloc[j]):
            continue
        span = years[j] - years[prev]
        ok = actual.iloc[prev] > 0 and (prev > 0 or base_kind != "assumed")
        growth[j] = ((actual.iloc[j] / actual.iloc[prev]) ** (1 / span) - 1) * 100 if ok else np.nan
        increment[j] = gap.iloc[j] - gap.iloc[prev]
        prev = j
    increment[0] = 0.0
    frame = pd.DataFrame({"segment": segment, "year": years, "actual": actual.to_numpy(), "measure": measure.to_numpy(),
                          "plan_path": path.to_numpy(), "scenario": scen.to_numpy(),
                          "growth_pct": growth, "plan_growth_pct": np.r_[np.nan, np.full(len(years) - 1, rate * 100)],
                          "gap_to_plan": (actual - path).to_numpy(), "gap_to_scenario": (actual - scen).to_numpy(),
                          "shortfall_increment": increment, "unit": YI, "scope": scope.to_numpy(),
                          "vintage": vintage.to_numpy()}, columns=SERIES_COLUMNS)
    ly = int(years[prev])
    la = float(actual.iloc[prev])
    since_base = prev and base > 0 and la > 0 and base_kind != "assumed"
    summary = {"segment": segment, "indicator_id": iid, "base_year": by, "base": base, "target_year": ty,
               "target": target, "latest_year": ly if prev else math.nan, "latest_actual": la if prev else math.nan,
               "measure": measure.iloc[prev] if prev else "",
               "cagr_pct": ((la / base) ** (1 / (ly - by)) - 1) * 100 if since_base else math.nan,
               "required_cagr_pct": rate * 100, "plan_path_latest": float(path.iloc[prev]) if prev else math.nan,
               "shortfall": float(path.iloc[prev] - la) if prev else math.nan,
               "shortfall_to_target": target - la if prev else math.nan, "unit": YI, "base_kind": base_kind,
               "flags": ";".join(flags), "other_figures": other}
    return frame, summary


OTHER_COLUMNS = ["segment", "indicator_id", "year", "value", "unit", "measure", "scope", "vintage", "reason",
                 "source"]


def other_figures(data: PlanData, actuals: ActualsSet, segments: tuple[str, ...]) -> pd.DataFrame:
    """The figures of each path segment's target that are NOT on the target's scope and measure (a city or province
    figure, another measure, an estimate): listed and drawn with their scope, computed with nowhere
    (:data:`OTHER_COLUMNS`; value in 亿元; the latest vintage of each year, scope and measure; ``reason`` as
    :func:`comparability` says)."""
    rows = []
    by_id: dict[str, list[dict]] = {}
    for r in actuals.records():
        by_id.setdefault(r["indicator_id"], []).append(r)
    for seg in segments:
        t = data.segment_target_row(seg)
        factor = 1.0 if t["unit"] == YI else 1.0 / WAN_PER_YI
        by, ty = data.calendar.base_year, int(t["year"])
        best: dict[tuple, dict] = {}
        for r in by_id.get(t["indicator_id"], []):
            if r["value"] is None or not by < r["year"] <= ty:
                continue
            ok, why = comparability(data, t, r.get("scope", ""), r["measure"])
            if ok:
                continue
            k = (r["year"], r.get("scope", ""), canonical_measure(r["measure"]))
            if k not in best or vintage_rank(r.get("vintage", "")) > vintage_rank(best[k].get("vintage", "")):
                best[k] = {**r, "reason": why}
        for k in sorted(best, key=lambda k: (k[0], str(k[1]), k[2])):
            r = best[k]
            rows.append({"segment": seg, "indicator_id": t["indicator_id"], "year": r["year"],
                         "value": r["value"] * factor, "unit": YI, "measure": r["measure"],
                         "scope": r.get("scope", ""), "vintage": r.get("vintage", ""), "reason": r["reason"],
                         "source": r["source"]})
    return pd.DataFrame(rows, columns=OTHER_COLUMNS)


# -- execution: projects and roads ---------------------------------------------------------------------

PROJECT_COLUMNS = ["project_id", "name_zh", "name_en", "area", "category", "subcategory", "owner", "start_year",
                   "end_year", "planned_yi", "invested_yi", "invested_other_yi", "completion_pct", "status",
                   "status_year", "new", "delayed", "unstarted", "note"]
ROAD_COLUMNS = ["road_id", "name_zh", "name_en", "road_class", "funding_source", "start_year", "end_year",
                "length_m", "length_built_m", "length_pct", "planned_wan", "invested_wan", "completion_pct",
                "status", "status_year", "delayed", "unstarted", "note"]
# invested: the listed items' money, which completion divides by planned; invested_new: new projects' money in the
# group (not in the plan's list, so never in its completion); sub_areas: how many areas inside an area the row
# takes in (a park with its 片区; 0: the area's own items alone)
GROUP_COLUMNS = ["dimension", "group", "planned", "invested", "completion_pct", "unit", "invested_new", "sub_areas"]


def _ratio_pct(part: float, whole: float) -> float:
    return part / whole * 100 if _finite(part) and _finite(whole) and whole else math.nan


def _nansum(values) -> float:
    """Sum of the finite values; NaN when there is none (nothing reported is not zero)."""
    vals = [v for v in values if _finite(v)]
    return float(sum(vals)) if vals else math.nan


def _latest_status(rows: list[tuple], year_i: int, status_i: int, note_i: int) -> tuple[str, float, str]:
    best = None
    for r in rows:
        if r[status_i] and (best is None or r[year_i] >= best[year_i]):
            best = r
    if best is None:
        notes = [r for r in rows if r[note_i]]
        return "", math.nan, notes[-1][note_i] if notes else ""
    return best[status_i], best[year_i], best[note_i]


def _late(status: str, start: int, end: int, seen: float) -> tuple[bool, bool]:
    """(delayed, unstarted): reported not finished after its planned end year / not started after its start year."""
    if not status or not _finite(seen):
        return False, False
    delayed = status not in (DONE, DROPPED) and seen > end
    unstarted = status == NOT_STARTED and seen >= start
    return delayed, unstarted


def evaluate_projects(data: PlanData, projects: ProjectActuals, cal: Calendar) -> pd.DataFrame:
    """Per project (:data:`PROJECT_COLUMNS`), see :func:`_project_records`."""
    return pd.DataFrame(_project_records(data, projects, cal), columns=PROJECT_COLUMNS)


def _project_records(data: PlanData, projects: ProjectActuals, cal: Calendar) -> list[dict]:
    """Per project: planned plan-period money (``fyp_investment_yi``, 亿元) against the money reported invested in the
    plan years (``invested_yi``; other years in ``invested_other_yi``), completion (%), and the latest status.

    New projects (flag ``new``) follow the plan's list with planned NaN and any status. ``delayed``: the latest report (in a year after the
    planned end year) is not 竣工 / 调出; ``unstarted``: 未开工 in or after the planned start year.
    """
    by_id: dict[str, list[tuple]] = {}
    for r in projects.rows:
        by_id.setdefault(r[0], []).append(r)
    first, last = cal.plan_first_year, cal.plan_last_year
    out = []
    annex = _static(data).projects
    new_ids = [pid for pid in by_id if pid not in set(data.projects["project_id"])]
    for p in annex + [{"project_id": pid} for pid in new_ids]:
        pid = p["project_id"]
        rows = by_id.get(pid, [])
        inside = _nansum(r[2] for r in rows if r[2] is not None and first <= r[1] <= last)
        other = _nansum(r[2] for r in rows if r[2] is not None and not first <= r[1] <= last)
        reported = any(r[2] is not None for r in rows)
        status, s_year, note = _latest_status(rows, 1, 3, 4)
        is_new = pid in new_ids
        if is_new:
            info = next((r for r in rows if len(r) > 8 and r[8]), rows[0])
            p = {"project_id": pid, "name_zh": info[5], "name_en": info[5], "area": info[6], "category": info[7],
                 "subcategory": "", "owner": "", "start_year": min(r[1] for r in rows),
                 "end_year": max(r[1] for r in rows), "fyp_investment_yi": math.nan}
        planned = float(p["fyp_investment_yi"]) if _finite(p["fyp_investment_yi"]) else math.nan
        invested = (0.0 if math.isnan(inside) else inside) if reported else math.nan
        start = int(p["start_year"]) if _finite(p["start_year"]) else first
        end = int(p["end_year"]) if _finite(p["end_year"]) else last
        delayed, unstarted = _late(status, start, end, s_year)
        out.append({"project_id": pid, "name_zh": p["name_zh"], "name_en": p["name_en"], "area": p["area"],
                    "category": p["category"], "subcategory": p["subcategory"], "owner": p["owner"],
                    "start_year": start, "end_year": end, "planned_yi": planned,
                    "invested_yi": invested, "invested_other_yi": (0.0 if math.isnan(other) else other) if reported else math.nan,
                    "completion_pct": _ratio_pct(invested, planned), "status": status, "status_year": s_year, "new": is_new, "delayed": delayed,
                    "unstarted": unstarted, "note": note})
    return out


def _groups(records: list[dict], dims: tuple[str, ...], planned: str, invested: str, unit: str, *,
            new: str | None = None, ancestors: Callable[[str], tuple[str, ...]] | None = None) -> list[dict]:
    """Sums per group of each dimension in first-seen order (plain Python: the frames have tens of rows).

    ``new``: the flag of a record not in the plan's list, whose money is summed apart (``invested_new``) and never
    counts toward completion. ``ancestors``: for the ``area`` dimension, the areas an area lies in; each record then
    counts in its own area and in every area around it (``sub_areas``: the areas inside that the row takes in)."""
    rows = []
    for dim in dims:
        acc: dict[str, tuple[list, list, list, set]] = {}
        for rec in records:
            own = "all" if dim == "all" else (rec[dim] or "—")
            around = ancestors(own) if dim == "area" and ancestors is not None and own != "—" else ()
            for key in (own, *around):
                p_list, i_list, n_list, inside = acc.setdefault(key, ([], [], [], set()))
                if new is not None and rec[new]:
                    n_list.append(rec[invested])
                else:
                    p_list.append(rec[planned])
                    i_list.append(rec[invested])
                if key != own:
                    inside.add(own)
        for key, (p_list, i_list, n_list, inside) in acc.items():
            p, i = _nansum(p_list), _nansum(i_list)
            rows.append({"dimension": dim, "group": key, "planned": p, "invested": i,
                         "completion_pct": _ratio_pct(i, p), "unit": unit, "invested_new": _nansum(n_list),
                         "sub_areas": len(inside)})
    return rows


def _by_year(planned: dict, invested: dict, unit: str, invested_new: dict | None = None) -> list[dict]:
    rows = []
    new = invested_new or {}
    for y in sorted(set(planned) | set(invested) | set(new)):
        p, i = float(planned.get(y, 0.0)), invested.get(y, math.nan)
        rows.append({"dimension": "year", "group": str(int(y)), "planned": p, "invested": i,
                     "completion_pct": _ratio_pct(i, p), "unit": unit, "invested_new": new.get(y, math.nan),
                     "sub_areas": 0})
    return rows


def _invested_by_year(rows, col: int, first: int | None = None, last: int | None = None,
                      keep: Callable[[str], bool] | None = None) -> dict:
    """Money reported per year (column ``col`` of the file's rows), in ``first``–``last`` if given, of the items
    ``keep`` accepts (by id) if given."""
    acc: dict[int, list] = {}
    for r in rows:
        if r[col] is not None and (first is None or first <= r[1] <= last) and (keep is None or keep(r[0])):
            acc.setdefault(r[1], []).append(r[col])
    return {y: float(sum(v)) for y, v in acc.items()}


def project_groups(projects: ProjectActuals, per_project: pd.DataFrame | list[dict], cal: Calendar, even_plan,
                   ancestors: Callable[[str], tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Totals (亿元) and completion (%) overall (``all``) and by area, category, owner and year
    (:data:`GROUP_COLUMNS`; a blank owner is grouped as ``—``). Completion is of the plan's list: a new project's
    money is in ``invested_new``, never in ``invested``. With ``ancestors`` (the plan's area tree) an area's row
    takes in the areas inside it.

    Planned money by year is the model's even phasing of the 14th-FYP money over each project's build years in the
    plan period (Annex 1 states no yearly amounts); invested by year is what the file reports.
    """
    return pd.DataFrame(_project_group_rows(projects, per_project, cal, even_plan, ancestors), columns=GROUP_COLUMNS)


def _project_group_rows(projects, per_project, cal: Calendar, even_plan, ancestors=None) -> list[dict]:
    records = per_project if isinstance(per_project, list) else per_project.to_dict(orient="records")
    rows = _groups(records, ("all", "area", "category", "owner"), "planned_yi", "invested_yi", YI, new="new",
                   ancestors=ancestors)
    first, last = cal.plan_first_year, cal.plan_last_year
    planned = {int(y): float(v) for y, v in zip(even_plan.years, even_plan.matrix.sum(axis=0)) if first <= y <= last}
    new_ids = {r["project_id"] for r in records if r["new"]}
    return rows + _by_year(planned, _invested_by_year(projects.rows, 2, first, last, lambda i: i not in new_ids), YI,
                           _invested_by_year(projects.rows, 2, first, last, lambda i: i in new_ids))


def evaluate_roads(data: PlanData, roads: RoadActuals) -> pd.DataFrame:
    """Per Annex 2 road (:data:`ROAD_COLUMNS`), see :func:`_road_records`."""
    return pd.DataFrame(_road_records(data, roads), columns=ROAD_COLUMNS)


def _road_records(data: PlanData, roads: RoadActuals) -> list[dict]:
    """Per road of the plan's list: planned length (m) and investment (万元, all build years) against metres built and money
    invested (sums over the reported years), completion (%) and the latest status."""
    by_id: dict[str, list[tuple]] = {}
    for r in roads.rows:
        by_id.setdefault(r[0], []).append(r)
    out = []
    first, last = data.calendar.plan_first_year, data.calendar.plan_last_year
    for rd in _static(data).roads:
        rows = by_id.get(rd["road_id"], [])
        invested = _nansum(r[2] for r in rows)
        built = _nansum(r[3] for r in rows)
        planned = float(rd["investment_wan"]) if _finite(rd["investment_wan"]) else math.nan
        plan_len = float(rd["length_m"]) if _finite(rd["length_m"]) else math.nan
        status, s_year, note = _latest_status(rows, 1, 4, 5)
        start = int(rd["start_year"]) if _finite(rd["start_year"]) else first
        end = int(rd["end_year"]) if _finite(rd["end_year"]) else last
        delayed, unstarted = _late(status, start, end, s_year)
        out.append({"road_id": rd["road_id"], "name_zh": rd["name_zh"], "name_en": rd["name_en"],
                    "road_class": rd["road_class"], "funding_source": rd["funding_source"],
                    "start_year": start, "end_year": end, "length_m": plan_len,
                    "length_built_m": built, "length_pct": _ratio_pct(built, plan_len),
                    "planned_wan": planned, "invested_wan": invested,
                    "completion_pct": _ratio_pct(invested, planned), "status": status,
                    "status_year": s_year, "delayed": delayed, "unstarted": unstarted, "note": note})
    return out


def road_groups(roads: RoadActuals, per_road: pd.DataFrame | list[dict], even_plan) -> pd.DataFrame:
    """Money (万元) overall (``all``) and by funding source, road class and year, and length (m, dimension
    ``length``) (:data:`GROUP_COLUMNS`).

    Planned money by year: the model's even phasing of each road's investment over its build years.
    """
    return pd.DataFrame(_road_group_rows(roads, per_road, even_plan), columns=GROUP_COLUMNS)


def _road_group_rows(roads, per_road, even_plan) -> list[dict]:
    records = per_road if isinstance(per_road, list) else per_road.to_dict(orient="records")
    rows = _groups(records, ("all", "funding_source", "road_class"), "planned_wan", "invested_wan", WAN)
    if not records:  # a plan without roads
        return rows
    length = _groups(records, ("all",), "length_m", "length_built_m", M)[0]
    rows.append({**length, "dimension": "length"})
    planned = {int(y): float(v) * WAN_PER_YI for y, v in zip(even_plan.years, even_plan.matrix.sum(axis=0))}
    return rows + _by_year(planned, _invested_by_year(roads.rows, 2), WAN)


def district_funding(data: PlanData) -> str | None:
    """The funding source that is the government's own budget (enumerations.csv flag ``own_budget``), if any."""
    return data.flagged("funding_source", "own_budget")


# -- the whole evaluation ------------------------------------------------------------------------------

SUMMARY_COLUMNS = ["metric", "group", "value", "unit"]


@dataclass(frozen=True)
class Evaluation:
    """Everything the CLI, the report and the app show. Frames as documented on the functions that make them."""

    indicators: pd.DataFrame  # evaluate_indicators
    series: pd.DataFrame  # segment_path frames, the total first
    growth: pd.DataFrame  # one row per segment (GROWTH_COLUMNS)
    projects: pd.DataFrame  # evaluate_projects
    project_groups: pd.DataFrame  # project_groups
    roads: pd.DataFrame  # evaluate_roads
    road_groups: pd.DataFrame  # road_groups
    summary: pd.DataFrame  # summary_table
    calendar: Calendar
    settings: EvalSettings = field(default_factory=EvalSettings)
    actuals_id: str = ""
    has_projects: bool = False
    has_roads: bool = False
    project_rows: tuple = ()  # the project file's rows (ProjectActuals.rows), for charts by year and group
    monitoring: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MONITOR_COLUMNS))
    long_term: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INDICATOR_COLUMNS))  # later horizon
    actuals_name: str = ""  # the actuals set's name (library) or file name
    file_names: tuple = ()  # (kind, name) of the execution reports: ("projects", "exec.csv"), ("roads", …)
    other_figures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OTHER_COLUMNS))  # not compared

    @property
    def data_year(self) -> int | None:
        """The latest year of an actual graded against a target (None: no actual)."""
        years = pd.to_numeric(self.indicators["actual_year"], errors="coerce").dropna()
        return int(years.max()) if len(years) else None

    @property
    def interim(self) -> bool:
        """Whether the actuals end before the target year: the grades are the targets' completion so far, not the
        plan's final result (an interim evaluation, 中期/实施评估, not 终期)."""
        y = self.data_year
        return y is None or y < self.calendar.target_year

    def counts(self) -> dict[str, int]:
        """Targets per status, every status present (0 where none)."""
        vc = self.indicators["status"].value_counts()
        return {s: int(vc.get(s, 0)) for s in STATUSES}


def summary_table(statuses: list[str], growth: list[dict], projects: list[dict], proj_groups: list[dict],
                  roads: list[dict], rd_groups: list[dict], annex2_length: float, district: str | None
                  ) -> pd.DataFrame:
    """Tidy headline figures (:data:`SUMMARY_COLUMNS`) from the records of the other tables: targets per status;
    per segment latest actual, achieved and required growth and shortfall; project money planned / invested /
    completion overall and per area; delayed and unstarted counts; road money by funding source, length, and
    district finance planned / paid."""
    rows = [("targets", "all", len(statuses), ITEMS)] + [("targets_by_status", s, statuses.count(s), ITEMS)
                                                           for s in STATUSES]
    for g in growth:
        rows += [("latest_actual", g["segment"], g["latest_actual"], g["unit"]),
                 ("latest_year", g["segment"], g["latest_year"], "年"),
                 ("cagr_pct", g["segment"], g["cagr_pct"], PCT),
                 ("required_cagr_pct", g["segment"], g["required_cagr_pct"], PCT),
                 ("shortfall_to_plan_path", g["segment"], g["shortfall"], g["unit"])]
    for rec in (r for r in proj_groups if r["dimension"] in ("all", "area")):
        rows += [("project_planned_yi", rec["group"], rec["planned"], YI),
                 ("project_invested_yi", rec["group"], rec["invested"], YI),
                 ("project_completion_pct", rec["group"], rec["completion_pct"], PCT)]
        if _finite(rec.get("invested_new")):  # new projects' money, outside the plan's list and its completion
            rows.append(("project_invested_new_yi", rec["group"], rec["invested_new"], YI))
    for flag in ("delayed", "unstarted"):
        if projects:  # a plan without a project list (and no new project reported) has no such count
            rows.append((f"projects_{flag}", "all", sum(bool(r[flag]) for r in projects), ITEMS))
    money = [r for r in rd_groups if r["dimension"] in ("all", "funding_source")]
    for rec in money:
        rows += [("road_planned_wan", rec["group"], rec["planned"], WAN),
                 ("road_invested_wan", rec["group"], rec["invested"], WAN),
                 ("road_completion_pct", rec["group"], rec["completion_pct"], PCT)]
    built = _nansum(r["length_built_m"] for r in roads)
    if roads:
        rows += [("road_length_plan_m", "all", annex2_length, M), ("road_length_built_m", "all", built, M),
                 ("road_length_pct", "all", _ratio_pct(built, annex2_length), PCT)]
    for flag in ("delayed", "unstarted"):
        if roads:  # a plan without roads has no road counts
            rows.append((f"roads_{flag}", "all", sum(bool(r[flag]) for r in roads), ITEMS))
    d = [r for r in money if r["dimension"] == "funding_source" and district and r["group"] == district]
    if d:
        rows += [("district_finance_planned_wan", district, d[0]["planned"], WAN),
                 ("district_finance_paid_wan", district, d[0]["invested"], WAN),
                 ("district_finance_pct", district, d[0]["completion_pct"], PCT)]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


@dataclass(frozen=True)
class _Static:
    """What the evaluation reads from the plan data and does not depend on the actuals."""

    targets: list[dict]
    projects: list[dict]
    roads: list[dict]
    planned_projects: object  # Phasing
    planned_roads: object  # Phasing


_STATIC: dict[int, tuple] = {}  # id(data) -> (weak reference to data, _Static)


def _static(data: PlanData) -> _Static:
    hit = _STATIC.get(id(data))
    if hit is not None and hit[0]() is data:
        return hit[1]
    from ..scenario.presets import presets

    table = presets(data)  # even profile, plan-period basis, no delay: the plan as planned
    scenario = table.get("plan-targets") or next(iter(table.values()))
    ind = data.indicators
    out = _Static(ind[ind["kind"] == "target"].to_dict(orient="records"), data.projects.to_dict(orient="records"),
                  data.roads.to_dict(orient="records"), phase_projects(data.projects, scenario),
                  phase_roads(data.roads, scenario))
    if len(_STATIC) > 16:
        _STATIC.clear()
    _STATIC[id(data)] = (weakref.ref(data), out)
    return out


def planned_phasing(data: PlanData):
    """The plan as planned, by year: the model's even phasing of the project list (plan-period money) and roads (preset
    ``plan-targets``: even profile, no delay), as ``(Phasing of projects, Phasing of roads)`` in 亿元; kept per
    data object."""
    st = _static(data)
    return st.planned_projects, st.planned_roads


@dataclass(frozen=True, eq=False)
class EvaluationBasis:
    """Everything of an evaluation that its thresholds (:class:`EvalSettings`) do not change: the actuals it grades,
    the output paths, the project and road execution, the monitoring indicators. :func:`graded` turns it into an
    :class:`Evaluation` for given thresholds, so moving a threshold re-grades the targets without reading the
    documents again (about a sixth of an evaluation's time)."""

    data: PlanData
    graded_on: ActualsSet  # the actuals (with a task register's grades) and the road totals summed from the reports
    actuals_id: str
    calendar: Calendar
    series: pd.DataFrame
    growth: tuple  # one dict per segment (GROWTH_COLUMNS)
    per_project: tuple
    project_groups: tuple
    per_road: tuple
    road_groups: tuple
    road_length: float
    has_projects: bool
    has_roads: bool
    project_rows: tuple
    monitoring: pd.DataFrame
    other_figures: pd.DataFrame
    actuals_name: str = ""
    file_names: tuple = ()

    @cached_property
    def frames(self) -> tuple[pd.DataFrame, ...]:
        """The growth, project, project-group, road and road-group frames, which no threshold changes: built once
        per basis (constructing them from their records was a third of a new threshold's grading); :func:`graded`
        hands out copies. Not to be mutated."""
        return (pd.DataFrame([dict(g) for g in self.growth], columns=GROWTH_COLUMNS),
                pd.DataFrame([dict(r) for r in self.per_project], columns=PROJECT_COLUMNS),
                pd.DataFrame([dict(r) for r in self.project_groups], columns=GROUP_COLUMNS),
                pd.DataFrame([dict(r) for r in self.per_road], columns=ROAD_COLUMNS),
                pd.DataFrame([dict(r) for r in self.road_groups], columns=GROUP_COLUMNS))


def evaluation_basis(data: PlanData, actuals: ActualsSet, projects: ProjectActuals | None = None,
                     roads: RoadActuals | None = None, *,
                     scenario_paths: Mapping[str, pd.Series] | pd.DataFrame | None = None, tasks=None,
                     actuals_name: str = "", file_names: tuple = ()) -> EvaluationBasis:
    """The part of :func:`evaluate` that does not depend on the thresholds (same parameters, without ``settings``)."""
    actuals_id = actuals.short_id  # the file the office gave, also when the register adds its grades
    if tasks is not None:
        from ..io.tasks import with_task_grades

        actuals = with_task_grades(actuals, tasks, data)
    cal = calendar_of(data)
    projects = projects if projects is not None else ProjectActuals()
    roads = roads if roads is not None else RoadActuals()
    frames, growth = [], []
    for seg in path_segments(data):
        scen = None
        if scenario_paths is not None and seg in scenario_paths:
            scen = scenario_paths[seg]
        f, g = segment_path(data, actuals, seg, scen)
        frames.append(f)
        growth.append(g)
    series = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SERIES_COLUMNS)
    planned_projects, planned_roads = planned_phasing(data)
    per_project = _project_records(data, projects, cal)
    pg = _project_group_rows(projects, per_project, cal, planned_projects, data.areas.ancestors)
    per_road = _road_records(data, roads)
    rg = _road_group_rows(roads, per_road, planned_roads)
    road_length = data.role("roads_length_total") if data.has_role("roads_length_total") else \
        float(data.roads["length_m"].sum()) if len(data.roads) else math.nan
    return EvaluationBasis(data, actuals.merged(road_totals_as_actuals(data, roads)), actuals_id, cal, series,
                           tuple(growth), tuple(per_project), tuple(pg), tuple(per_road), tuple(rg), road_length,
                           len(projects) > 0, len(roads) > 0, projects.rows, monitoring_indicators(data, actuals),
                           other_figures(data, actuals, path_segments(data)), actuals_name, tuple(file_names))


def graded(basis: EvaluationBasis, settings: EvalSettings = EvalSettings()) -> Evaluation:
    """The evaluation of ``basis`` under ``settings``: the targets graded, the summary counted; every frame new (an
    evaluation never shares a frame with another)."""
    data, cal = basis.data, basis.calendar
    every = evaluate_indicators(data, basis.graded_on, settings)
    later = every["target_year"] > cal.target_year  # targets for a later horizon (2035 …): shown, not graded now
    ind = every.loc[~later].reset_index(drop=True)
    long_term = every.loc[later].reset_index(drop=True)
    long_term["status"] = ""
    growth, per_project, pg = [dict(g) for g in basis.growth], [dict(r) for r in basis.per_project], \
        [dict(r) for r in basis.project_groups]
    per_road, rg = [dict(r) for r in basis.per_road], [dict(r) for r in basis.road_groups]
    summary = summary_table(ind["status"].tolist(), growth, per_project, pg, per_road, rg, basis.road_length,
                            district_funding(data))
    frames = [f.copy() for f in basis.frames]
    return Evaluation(ind, basis.series.copy(), *frames, summary, cal, settings, basis.actuals_id, basis.has_projects,
                      basis.has_roads, basis.project_rows, monitoring=basis.monitoring.copy(), long_term=long_term,
                      actuals_name=basis.actuals_name, other_figures=basis.other_figures.copy(),
                      file_names=basis.file_names)


def evaluate(data: PlanData, actuals: ActualsSet, projects: ProjectActuals | None = None,
             roads: RoadActuals | None = None, *, settings: EvalSettings = EvalSettings(),
             scenario_paths: Mapping[str, pd.Series] | pd.DataFrame | None = None, tasks=None,
             actuals_name: str = "", file_names: tuple = ()) -> Evaluation:
    """The final evaluation of the plan in ``data`` against the actuals (:func:`graded` of :func:`evaluation_basis`).

    Parameters
    ----------
    data : the validated plan tables.
    actuals : indicator actuals (:class:`~model.io.actuals.ActualsSet`).
    projects, roads : execution reports; ``None`` = none reported (every project / road without data).
    settings : thresholds of the status rules.
    scenario_paths : scenario output (亿元) by segment id indexed by year, e.g. ``{seg: projection.series(seg)}``
        or ``run(data, scenario).projection.path``; optional.
    tasks : a task register (:class:`~model.io.tasks.TaskRegister`); its progress grades the qualitative targets in
        place of the actuals' own qualitative rows (:func:`model.io.tasks.with_task_grades`); optional.
    """
    return graded(evaluation_basis(data, actuals, projects, roads, scenario_paths=scenario_paths, tasks=tasks,
                                   actuals_name=actuals_name, file_names=file_names), settings)


ROAD_TOTAL_ROLES = {"roads_length_total": 3, "roads_investment_total": 2}  # role -> column of a road row (m, 万元)


def road_totals_as_actuals(data: PlanData, roads: RoadActuals) -> ActualsSet:
    """Actuals for the road list's totals (targets playing ``roads_length_total`` / ``roads_investment_total``) summed from the
    road reports up to each year reported, in the target's measure, source ``roads``. The evaluation adds them
    only where the actuals file has no row for that indicator and year."""
    out = []
    for role, col in ROAD_TOTAL_ROLES.items():
        if not data.has_role(role):
            continue
        t = data.role_row(role)
        if t.get("kind") != "target":
            continue
        years = sorted({r[1] for r in roads.rows if r[col] is not None and r[1] <= int(t["year"])})
        for y in years:
            total = _nansum(r[col] for r in roads.rows if r[1] <= y)
            out.append((t["indicator_id"], y, total, t["unit"], canonical_measure(t.get("measure") or ""), "roads",
                        "", canonical_scope(t.get("scope") or data.scope), ""))
    return ActualsSet(tuple(sorted(out, key=lambda r: (r[0], r[1]))))


def plan_as_actuals(data: PlanData) -> tuple[ActualsSet, ProjectActuals, RoadActuals]:
    """Actuals equal to the plan, for every target, project, road and plan year (a reference and a test fixture).

    Indicators follow the constant-rate path from their baseline (where one is stated and positive) to the target,
    else stay at the target; qualitative targets are 已完成. Projects and roads invest their planned money with the
    model's even phasing (14th-FYP money for projects, all of it for roads) and roads report their whole length in
    their last build year. Everything passes the same validation as a file.
    """
    cal = calendar_of(data)
    years = range(cal.plan_first_year, cal.plan_last_year + 1)
    ind = data.indicators
    targets = ind[ind["kind"] == "target"]
    rows = []
    for t in targets.to_dict(orient="records"):
        if t["comparator"] != "qual" and not _finite(t["value"]):
            continue
        base, t_measure = baseline_row(data, t), t.get("measure") or ""
        for y in years:
            if y > int(t["year"]):
                continue
            rec = {"indicator_id": t["indicator_id"], "year": y, "unit": t["unit"], "source": "plan", "note": ""}
            if t["comparator"] == "qual":
                rows.append({**rec, "value": None, "measure": QUALITATIVE, "note": "已完成"})
                continue
            value = float(t["value"])
            if (base is not None and base["unit"] == t["unit"] and _finite(base["value"]) and base["value"] > 0
                    and value > 0 and int(t["year"]) > int(base["year"]) and y >= int(base["year"])):
                value = float(plan_path(float(base["value"]), value, int(base["year"]), int(t["year"]))[y])
            if units.of(t["unit"]).whole:
                value = float(round(value))
            rows.append({**rec, "value": value, "measure": t_measure or "plan", "scope": t.get("scope") or data.scope})
    cols = ["indicator_id", "year", "value", "unit", "measure", "scope", "source", "note"]
    actuals = ActualsSet.from_frame(pd.DataFrame(rows, columns=cols), data, "plan")
    planned_projects, planned_roads = planned_phasing(data)
    ph = planned_projects.long()
    last = {pid: max(int(y) for y in ph.loc[ph["id"] == pid, "year"]) for pid in set(ph["id"])}
    proj = pd.DataFrame({"project_id": ph["id"], "year": ph["year"], "invested_yi": ph["value_yi"],
                         "status": [DONE if last[i] == y else "在建" for i, y in zip(ph["id"], ph["year"])],
                         "note": ""})
    rd = planned_roads.long()
    ends = {k: (int(v) if _finite(v) else cal.plan_last_year) for k, v in zip(data.roads["road_id"],
                                                                               data.roads["end_year"].astype("Float64").fillna(cal.plan_last_year))}
    lengths = dict(zip(data.roads["road_id"], data.roads["length_m"]))
    roads = pd.DataFrame({"road_id": rd["id"], "year": rd["year"], "invested_wan": rd["value_yi"] * WAN_PER_YI,
                          "length_built_m": [float(lengths[i]) if ends[i] == y else 0.0 for i, y in
                                             zip(rd["id"], rd["year"])],
                          "status": [DONE if ends[i] == y else "在建" for i, y in zip(rd["id"], rd["year"])],
                          "note": ""})
    return (actuals, ProjectActuals.from_frame(proj, data, "plan-projects"),
            RoadActuals.from_frame(roads, data, "plan-roads"))


__all__ = ["Evaluation", "EvalSettings", "evaluate", "evaluate_indicators", "segment_path", "evaluate_projects",
           "evaluate_roads", "project_groups", "road_groups", "summary_table", "completion", "progress", "holds",
           "grade", "plan_path", "plan_as_actuals", "road_totals_as_actuals", "planned_phasing", "baseline_row", "FLAGS", "measure_differs", "district_funding", "STATUSES", "MET", "NEARLY", "NOT_MET",
           "MISMATCH", "QUAL_PENDING", "NO_DATA", "INDICATOR_COLUMNS", "SERIES_COLUMNS", "GROWTH_COLUMNS",
           "PROJECT_COLUMNS", "ROAD_COLUMNS", "GROUP_COLUMNS", "SUMMARY_COLUMNS", "MONITOR_COLUMNS", "comparability",
           "pick_actual", "monitoring_indicators", "path_segments", "lower_is_better", "other_figures",
           "OTHER_COLUMNS"]

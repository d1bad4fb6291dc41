"""Annual monitoring with early warning (年度监测预警): is each target on course to be met by its target year?

Pure (pandas only at the edges, no I/O). Method: ``shared/reference/evaluation-methods.md`` (the UN regional
commissions' progress assessment: current status and anticipated progress), for a plan's annual and mid-term
reviews. The maths (:func:`monitor_target`) takes one target record and its observed ``(year, value)`` series; the
caller decides which figures are comparable. :func:`plan_targets` is the one place that reads the plan.

Terms (one per concept; ratios inside the model, 1.0 = exactly as needed)
--------------------------------------------------------------------------
plan path (规划路径)
    The value expected in each year from the base value *b* in the base year to the target *T* in the target year:
    constant rate, b × (T ÷ b)^((y − base year) ÷ n), n = target year − base year; **linear**, b + (T − b) × (y −
    base year) ÷ n, where the base or the target is not positive, or for a count (家, 个 …) or an increment
    (measure 新增…, counted from 0 in the base year): things added one by one, not compounding.
expected_now (当前应达值)
    The plan path in the year of the latest actual (the data may lag the monitoring year: flag ``latest_before``).
current_status (当前进度)
    Progress since the base relative to the progress needed by then: (actual − b) ÷ (expected_now − b).
progress_to_target (目标进度)
    Progress since the base relative to all the progress the target asks for: (actual − b) ÷ (T − b).
anticipated_value (预计值)
    The value at the target year from the observed trend — the base and every comparable actual since it up to
    the monitoring year. Its form follows the plan path: compound growth where the path is constant-rate (growth
    from the base to the latest actual, or with ``fit="regression"`` a least-squares line through the logarithms
    of all points); linear otherwise; linear as a fallback where a value is not positive (growth undefined).
    ``method`` says which: :data:`METHODS`.
anticipated_progress (预计进度)
    (anticipated_value − b) ÷ (T − b): the share of the needed progress the trend delivers by the target year; its
    gap to 1 is the gap between anticipated value and target relative to the progress needed (the note's
    Anticipated Progress). The same formula is the mirrored measure for lower-is-better targets.
growth_needed_pct (所需年均增速)
    The growth a year now needed from the latest actual to reach the target: (T ÷ actual)^(1 ÷ years) − 1, in %,
    for constant-rate paths; for linear paths ``increase_needed`` (the unit per year) instead.

Warning levels (:func:`warning_level`, thresholds in :class:`MonitorSettings`)
------------------------------------------------------------------------------
正常 (on track) when anticipated_progress ≥ ``on_track`` (default 0.95); 关注 (watch) when ≥ ``watch`` (0.75);
else 预警 (warning); a trend moving away from the target (anticipated progress below 0, the note's "regressing") is
预警 and flagged ``regressing``. The thresholds are this tool's: the note calls a target on track when its trend
reaches it, which ``on_track=1.0`` reproduces; the default 0.95 allows for rounding in reported figures.
Where the target asks for no progress (T at or beyond b in the target's direction): 正常 when
the anticipated value meets the target, else 预警. 无法评估 (not assessable, never guessed) without a numeric
target, a base, or ``min_points`` data points (the base included, default 2). Direction: ``<=`` targets are
lower-is-better; every measure above is mirrored by construction.

Qualitative targets and key tasks are graded from the task register (:func:`task_warning`): 已完成 → 正常; 推进中 →
正常 (关注 in the year it is due); 未启动 → 关注, 预警 once ``start_by`` years or fewer are left to its 时限 (the
target year when none); 滞后 → 预警; not done after its 时限's year → 预警; no report → 无法评估.

Key projects (the plan's project library) are graded from an execution report (:func:`project_warning`): 竣工 →
正常; 未开工 in or after the start year, or not finished after the end year → 预警; otherwise the money invested to
date relative to the money the plan phases in up to the monitoring year, on the same thresholds.

The plan is read in one place, :func:`plan_view` (a :class:`PlanView`: target records, register entries, projects,
calendar); :func:`monitor` and :func:`history` accept either plan data or a view.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..units import COUNT_UNITS, POINT_UNITS

NORMAL, WATCH, WARNING, NOT_ASSESSABLE = "正常", "关注", "预警", "无法评估"
LEVELS = (NORMAL, WATCH, WARNING)
WARNINGS = LEVELS + (NOT_ASSESSABLE,)
SEVERITY = {NORMAL: 0, WATCH: 1, WARNING: 2}
HIGHER, LOWER = "higher", "lower"
RATE, LINEAR = "rate", "linear"
ENDPOINTS, REGRESSION = "endpoints", "regression"
COMPOUND, LINEAR_TREND, LINEAR_FALLBACK, ACTUAL = "compound", "linear", "linear_fallback", "actual"
METHODS = (COMPOUND, LINEAR_TREND, LINEAR_FALLBACK, ACTUAL)  # ACTUAL: the target year's own figure, no trend
# flags (codes; reports translate them)
FLAG_NO_TARGET, FLAG_NO_BASE, FLAG_FEW = "no_target", "no_base", "few_points"
FLAG_BASE_OBSERVED, FLAG_BASE_INCREMENT, FLAG_BASE_DERIVED = "base_observed", "base_increment", "baseline_derived"
FLAG_BASE_MEASURE, FLAG_EXCLUDED, FLAG_LATEST = "baseline_measure", "measure_differs", "latest_before"
FLAG_MET, FLAG_NO_NEED, FLAG_RANGE, FLAG_FIT = "already_met", "no_progress_needed", "out_of_range", "regression"
FLAG_NO_REPORT, FLAG_OVERDUE, FLAG_LATE_START, FLAG_DUE_NOW = "no_report", "overdue", "not_started_late", "due_now"
FLAG_FROM_ACTUALS = "from_actuals"  # a qualitative target graded by an actuals file's 定性 row, not the register
FLAG_DROPPED = "dropped"  # a project reported 调出 (taken out of the plan)
FLAG_NO_STATUS = "no_status"  # a project past its end year whose reports never gave its status (竣工 or not)
FLAG_SCOPE = "scope_differs"  # figures left out as of another scope (a city's, a province's): not measure_differs
FLAG_REGRESSING = "regressing"  # the trend moves away from the target (anticipated progress below 0): the note's
# "regressing", graded 预警 like any shortfall beyond the watch band and named so
FLAGS = (FLAG_NO_TARGET, FLAG_NO_BASE, FLAG_FEW, FLAG_BASE_OBSERVED, FLAG_BASE_INCREMENT, FLAG_BASE_DERIVED,
         FLAG_BASE_MEASURE, FLAG_EXCLUDED, FLAG_LATEST, FLAG_MET, FLAG_NO_NEED, FLAG_RANGE, FLAG_FIT, FLAG_NO_REPORT,
         FLAG_OVERDUE, FLAG_LATE_START, FLAG_DUE_NOW, FLAG_FROM_ACTUALS, FLAG_DROPPED, FLAG_NO_STATUS, FLAG_REGRESSING,
         FLAG_SCOPE)
# units of things counted one by one (the path and the trend are linear); as printed in indicators.csv
INCREMENT_PREFIX = "新增"  # a measure that counts what was added since the base year (新增个数)
TOLERANCE = 1e-9  # relative: an on-path series computed in floating point reads as on the path
# register progress words (model.io.tasks.PROGRESS) as the grading reads them
_DONE, _UNDER_WAY, _NOT_STARTED, _LAGGING = "已完成", "推进中", "未启动", "滞后"


@dataclass(frozen=True)
class MonitorSettings:
    """Thresholds and choices of the warning rules.

    Parameters
    ----------
    on_track : anticipated progress (ratio) at or above which a target is 正常 (default 0.95).
    watch : anticipated progress (ratio) at or above which a target not on track is 关注, below it 预警 (0.75).
    min_points : data points (the base included) needed to project a trend (default 2, the least a trend needs).
    fit : ``"endpoints"`` (growth from the base to the latest actual, the default) or ``"regression"`` (least
        squares through every point, in logarithms for compound trends).
    start_by : years left to the target year at or below which a task still 未启动 is 预警 (default 1).
    """

    on_track: float = 0.95
    watch: float = 0.75
    min_points: int = 2
    fit: str = ENDPOINTS
    start_by: int = 1

    def __post_init__(self):
        num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)  # noqa: E731
        if not (num(self.on_track) and 0.0 < self.on_track <= 2.0):
            raise ValueError(f"on_track must be a ratio in (0, 2], not {self.on_track!r}")
        if not (num(self.watch) and 0.0 <= self.watch <= self.on_track):
            raise ValueError(f"watch must be a ratio in [0, on_track = {self.on_track!r}], not {self.watch!r}")
        if not (isinstance(self.min_points, int) and not isinstance(self.min_points, bool)
                and 2 <= self.min_points <= 20):
            raise ValueError(f"min_points must be a whole number from 2 to 20, not {self.min_points!r}")
        if self.fit not in (ENDPOINTS, REGRESSION):
            raise ValueError(f"fit must be {ENDPOINTS!r} or {REGRESSION!r}, not {self.fit!r}")
        if not (isinstance(self.start_by, int) and not isinstance(self.start_by, bool) and 0 <= self.start_by <= 50):
            raise ValueError(f"start_by must be a whole number of years from 0 to 50, not {self.start_by!r}")


# -- the maths of one target ---------------------------------------------------------------------------------------

def _finite(x) -> bool:
    return isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, bool) and math.isfinite(x)


def _num(x) -> float | None:
    """A finite float or None (outputs never hold NaN or ±inf)."""
    return float(x) if _finite(x) else None


def direction_of(comparator: str) -> str:
    """``<=`` targets are lower-is-better; every other comparator (``>``, ``>=``, ``=``, ``~``) higher-is-better."""
    return LOWER if comparator == "<=" else HIGHER


def path_kind(base: float, target: float, linear: bool = False) -> str:
    """:data:`RATE` (constant-rate) where base and target are positive, else (or when ``linear``) :data:`LINEAR`."""
    return LINEAR if linear or not (base > 0 and target > 0) else RATE


def path_value(base: float, target: float, base_year: int, target_year: int, year: float, kind: str) -> float:
    """The plan path in ``year`` (the base before the base year, the target after the target year)."""
    if year <= base_year:
        return float(base)
    if year >= target_year:
        return float(target)
    f = (year - base_year) / (target_year - base_year)
    if kind == RATE:
        return float(base * (target / base) ** f)
    return float(base + (target - base) * f)


def trend_value(points: Sequence[tuple[int, float]], year: int, kind: str, fit: str = ENDPOINTS
                ) -> tuple[float | None, str, float | None]:
    """The observed trend's value in ``year`` from ``points`` ((year, value), at least two distinct years, sorted).

    Returns ``(value, method, growth)``: ``growth`` is the trend's rate a year (ratio) for a compound trend, its
    slope (unit a year) for a linear one; ``value`` None when it overflows. ``kind`` is the plan path's kind: a
    :data:`RATE` path gets a compound trend unless a value is not positive (then :data:`LINEAR_FALLBACK`)."""
    ys = np.array([p[0] for p in points], dtype=float)
    vs = np.array([p[1] for p in points], dtype=float)
    method = LINEAR_TREND if kind == LINEAR else (COMPOUND if (vs > 0).all() else LINEAR_FALLBACK)
    try:
        with np.errstate(all="ignore"):
            if method == COMPOUND:
                logs = np.log(vs)
                if fit == REGRESSION:
                    slope, icpt = np.polyfit(ys, logs, 1)
                    value = math.exp(icpt + slope * year)
                else:
                    slope = (logs[-1] - logs[0]) / (ys[-1] - ys[0])
                    value = math.exp(logs[-1] + slope * (year - ys[-1]))
                growth = math.expm1(slope)
            else:
                if fit == REGRESSION:
                    slope, icpt = np.polyfit(ys, vs, 1)
                    value = icpt + slope * year
                else:
                    slope = (vs[-1] - vs[0]) / (ys[-1] - ys[0])
                    value = vs[-1] + slope * (year - ys[-1])
                growth = float(slope)
    except (OverflowError, ValueError, np.linalg.LinAlgError):
        return None, method, None
    return _num(value), method, _num(growth)


def warning_level(anticipated_progress: float, settings: MonitorSettings = MonitorSettings()) -> str:
    """正常 / 关注 / 预警 from the anticipated progress (ratio); monotone: less progress is never a milder level."""
    ap = anticipated_progress
    if ap >= settings.on_track * (1 - TOLERANCE) - TOLERANCE:
        return NORMAL
    if ap >= settings.watch * (1 - TOLERANCE) - TOLERANCE:
        return WATCH
    return WARNING


def meets(value: float, target: float, direction: str) -> bool:
    """Whether ``value`` reaches ``target`` in the target's direction (within the floating-point tolerance)."""
    slack = TOLERANCE * max(abs(target), 1.0)
    return value >= target - slack if direction == HIGHER else value <= target + slack


RESULT_KEYS = ("actual", "actual_year", "expected_now", "current_status", "progress_to_target", "anticipated_value",
               "anticipated_progress", "trend_growth_pct", "trend_slope", "required_growth_pct",
               "growth_needed_pct", "increase_needed", "years_to_go", "points", "base", "base_year", "path",
               "direction", "method", "warning", "flags")


def monitor_target(target: Mapping, observed: Iterable[tuple[int, float]], year: int,
                   settings: MonitorSettings = MonitorSettings()) -> dict:
    """Monitor one quantitative target in ``year`` from its observed series.

    Parameters
    ----------
    target : ``value`` (the target, in ``unit``), ``comparator`` (``>``, ``>=``, ``=``, ``~``, ``<=``), ``year``
        (the target year), optional ``base`` / ``base_year`` (the base value and its year), ``direction``
        (:data:`HIGHER` / :data:`LOWER`; default from the comparator), ``path`` (:data:`RATE` / :data:`LINEAR`;
        default :func:`path_kind`), ``flags`` (codes carried into the result).
    observed : comparable actuals ``(year, value)`` in the target's unit; later duplicates of a year win; values
        after ``year`` or the target year, and at or before the base year, are not used.
    year : the monitoring year.

    Returns
    -------
    dict with :data:`RESULT_KEYS` (module docstring for each): numbers finite or None (never NaN or ±inf);
    ratios as ratios; ``*_pct`` in %; ``warning`` one of :data:`WARNINGS`; ``flags`` a list of :data:`FLAGS`.
    """
    flags = list(target.get("flags", ()))
    out = {k: None for k in RESULT_KEYS}
    out.update(flags=flags, warning=NOT_ASSESSABLE)
    comp = target.get("comparator", "")
    direction = target.get("direction") or direction_of(comp)
    out["direction"] = direction
    t_value, t_year = target.get("value"), target.get("year")
    if comp == "qual" or not _finite(t_value) or not isinstance(t_year, (int, np.integer)):
        flags.append(FLAG_NO_TARGET)
        return out
    t_value, t_year = float(t_value), int(t_year)
    out["years_to_go"] = max(t_year - int(year), 0)
    pts: dict[int, float] = {}
    for y, v in observed:
        if _finite(v) and isinstance(y, (int, np.integer)) and y <= min(int(year), t_year):
            pts[int(y)] = float(v)
    base, b_year = target.get("base"), target.get("base_year")
    if _finite(base) and isinstance(b_year, (int, np.integer)):
        base, b_year = float(base), int(b_year)
    elif pts:
        b_year = min(pts)
        base = pts[b_year]
        flags.append(FLAG_BASE_OBSERVED)
    else:
        flags.append(FLAG_NO_BASE)
        return out
    if b_year >= t_year:
        flags.append(FLAG_NO_BASE)
        return out
    out["base"], out["base_year"] = base, b_year
    series = [(y, pts[y]) for y in sorted(pts) if y > b_year]
    kind = target.get("path") or path_kind(base, t_value)
    if kind == RATE and not (base > 0 and t_value > 0):
        kind = LINEAR
    out["path"] = kind
    n = t_year - b_year
    if kind == RATE:
        out["required_growth_pct"] = _num(((t_value / base) ** (1 / n) - 1) * 100)
    out["points"] = 1 + len(series)
    if not series:
        flags.append(FLAG_FEW)
        return out
    y_l, v_l = series[-1]
    out["actual"], out["actual_year"] = v_l, y_l
    if y_l < year and y_l < t_year:
        flags.append(FLAG_LATEST)
    expected = path_value(base, t_value, b_year, t_year, y_l, kind)
    out["expected_now"] = _num(expected)
    if expected != base:
        out["current_status"] = _num((v_l - base) / (expected - base))
    if t_value != base:
        out["progress_to_target"] = _num((v_l - base) / (t_value - base))
    left = t_year - y_l
    if left > 0:
        if kind == RATE and v_l > 0:
            out["growth_needed_pct"] = _num(((t_value / v_l) ** (1 / left) - 1) * 100)
        else:
            out["increase_needed"] = _num((t_value - v_l) / left)
    if meets(v_l, t_value, direction):
        flags.append(FLAG_MET)
    if out["points"] < settings.min_points:
        flags.append(FLAG_FEW)
        return out
    if left <= 0:
        anticipated, method, growth = v_l, ACTUAL, None
    else:
        anticipated, method, growth = trend_value([(b_year, base)] + series, t_year, kind, settings.fit)
        if settings.fit == REGRESSION:
            flags.append(FLAG_FIT)
    out["method"] = method
    if method == COMPOUND:
        out["trend_growth_pct"] = _num(growth * 100) if growth is not None else None
    elif method in (LINEAR_TREND, LINEAR_FALLBACK):
        out["trend_slope"] = growth
    if anticipated is None:
        flags.append(FLAG_RANGE)
        return out
    out["anticipated_value"] = anticipated
    sign = 1.0 if direction == HIGHER else -1.0
    if (t_value - base) * sign <= 0:  # the target asks for no progress from the base
        flags.append(FLAG_NO_NEED)
        out["warning"] = NORMAL if meets(anticipated, t_value, direction) else WARNING
        return out
    ap = (anticipated - base) / (t_value - base)
    if meets(anticipated, t_value, direction):
        ap = max(ap, 1.0)  # reaches the target: at least the progress needed (rounding never demotes it)
    out["anticipated_progress"] = _num(ap)
    if _finite(ap) and ap < -TOLERANCE:  # a flat trend (0 up to rounding) is stagnation, not regression
        flags.append(FLAG_REGRESSING)
    out["warning"] = warning_level(ap, settings) if _finite(ap) else NOT_ASSESSABLE
    return out


def task_warning(progress: str, deadline_year: int | None, year: int, target_year: int,
                 settings: MonitorSettings = MonitorSettings()) -> tuple[str, list[str]]:
    """The warning of a qualitative target or key task from its register entry in monitoring ``year``.

    ``progress`` one of 未启动 / 推进中 / 已完成 / 滞后 (blank: 无法评估, flag ``no_report``); ``deadline_year`` the
    year of its 时限 (None: the target year). Rules: 已完成 → 正常; its deadline's year passed and not done → 预警
    (``overdue``); 滞后 → 预警; 未启动 → 预警 when ``start_by`` years or fewer are left to the deadline
    (``not_started_late``), else 关注; 推进中 → 关注 in its deadline's year (``due_now``), else 正常.
    """
    if not progress:
        return NOT_ASSESSABLE, [FLAG_NO_REPORT]
    if progress == _DONE:
        return NORMAL, []
    due = deadline_year if deadline_year is not None else target_year
    if due < year:
        return WARNING, [FLAG_OVERDUE]
    if progress == _LAGGING:
        return WARNING, []
    if progress == _NOT_STARTED:
        return (WARNING, [FLAG_LATE_START]) if due - year <= settings.start_by else (WATCH, [])
    return (WATCH, [FLAG_DUE_NOW]) if due == year else (NORMAL, [])


PROJECT_DONE, PROJECT_DROPPED, PROJECT_NOT_STARTED = "竣工", "调出", "未开工"  # model.io.actuals.STATUSES


def project_warning(planned: Mapping[int, float], reports: Sequence[tuple], start_year: int, end_year: int,
                    year: int, settings: MonitorSettings = MonitorSettings()) -> dict:
    """The warning of a key project in monitoring ``year`` from its execution reports ``(year, invested 亿元 or None,
    status)`` and the money the plan phases into each year (``planned``, 亿元; the even phasing of its plan-period
    money).

    Rules: no report up to ``year`` → 无法评估 (``no_report``); latest status 竣工 → 正常; 调出 → 无法评估
    (``dropped``: out of the plan); 未开工 in or after its start year → 预警 (``not_started_late``); not finished
    after its end year → 预警 (``overdue``), but where no report ever gave a status (``no_status``: finished or not is
    unknown) its money decides: in full → 关注 (completion to be confirmed), behind → 预警 (``overdue``), none
    reported → 无法评估; otherwise money invested to date ÷ money planned to date (``ratio``) graded with the same
    thresholds as a target's anticipated progress (正常 / 关注 / 预警); no money due yet → 正常.
    Returns status, status_year, planned_to_date, invested_to_date, ratio (finite or None), warning, flags."""
    seen = sorted((r for r in reports if r[0] <= year), key=lambda r: r[0])
    invested = [float(r[1]) for r in seen if _finite(r[1])]
    planned_to_date = float(sum(v for y, v in planned.items() if y <= year))
    out = {"status": "", "status_year": None, "planned_to_date": planned_to_date,
           "invested_to_date": float(sum(invested)) if invested else None, "ratio": None,
           "warning": NOT_ASSESSABLE, "flags": []}
    if not seen:
        out["flags"].append(FLAG_NO_REPORT)
        return out
    with_status = [r for r in seen if r[2]]
    if with_status:
        out["status"], out["status_year"] = with_status[-1][2], int(with_status[-1][0])
    status = out["status"]
    if planned_to_date > 0 and out["invested_to_date"] is not None:
        out["ratio"] = _num(out["invested_to_date"] / planned_to_date)
    if status == PROJECT_DONE:
        out["warning"] = NORMAL
    elif status == PROJECT_DROPPED:
        out["flags"].append(FLAG_DROPPED)
    elif status == PROJECT_NOT_STARTED and year >= start_year:
        out["warning"] = WARNING
        out["flags"].append(FLAG_LATE_START)
    elif year > end_year and not status:  # completion never reported: not called overdue on money paid in full
        out["flags"].append(FLAG_NO_STATUS)
        level = warning_level(out["ratio"], settings) if out["ratio"] is not None else NOT_ASSESSABLE
        if level == NORMAL:
            out["warning"] = WATCH
        elif level != NOT_ASSESSABLE:
            out["warning"] = WARNING
            out["flags"].append(FLAG_OVERDUE)
    elif year > end_year:
        out["warning"] = WARNING
        out["flags"].append(FLAG_OVERDUE)
    elif planned_to_date <= 0:
        out["warning"] = NORMAL
    elif out["ratio"] is not None:
        out["warning"] = warning_level(out["ratio"], settings)
    else:
        out["flags"].append(FLAG_NO_REPORT)
    return out


# -- the plan: one small adapter --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanView:
    """What the monitoring reads from a plan, and nothing else: target records (:func:`monitor_target`'s form),
    the task register's entries (:func:`model.io.tasks.entries`), the key projects with their planned money by year
    (亿元), and the calendar. :func:`plan_view` builds it from the repository's plan data; a plan package can build
    it from its own."""

    targets: tuple[dict, ...]
    entries: tuple[dict, ...]
    projects: tuple[dict, ...]  # project_id, name_zh, name_en, owner, start_year, end_year, planned {year: 亿元}
    base_year: int
    target_year: int
    data: object = None  # the plan (for the one comparability rule, model.calc.evaluation.comparability)

    @property
    def first_year(self) -> int:
        return self.base_year + 1


def plan_view(data) -> PlanView:
    """The one function that reads the plan (``PlanData``): swap it when the plan comes from a data package."""
    from ..io.actuals import calendar_of
    from ..io.tasks import entries
    from .evaluation import planned_phasing

    cal = calendar_of(data)
    planned: dict[str, dict[int, float]] = {}
    for pid, y, v in planned_phasing(data)[0].long()[["id", "year", "value_yi"]].itertuples(index=False):
        planned.setdefault(pid, {})[int(y)] = float(v)
    def year(v, default):
        return int(v) if _finite(v) else default

    projects = tuple({"project_id": p["project_id"], "name_zh": p["name_zh"], "name_en": p["name_en"] or p["name_zh"],
                      "owner": p.get("owner") or "", "start_year": year(p["start_year"], cal.plan_first_year),
                      "end_year": year(p["end_year"], cal.plan_last_year), "planned": planned.get(p["project_id"], {})}
                     for p in data.projects.to_dict(orient="records"))
    return PlanView(tuple(plan_targets(data)), tuple(entries(data)), projects, cal.base_year, cal.target_year,
                    data)


def plan_targets(data) -> list[dict]:
    """Target records of the plan in ``data`` (the one function that reads the plan; swap it for a plan package).

    One dict per ``indicators.csv`` row of kind ``target``, file order: ``indicator_id``, ``name_zh``, ``name_en``,
    ``section_id``, ``value`` (None for ``qual``), ``comparator``, ``unit``, ``measure``, ``year`` (target year),
    ``base`` / ``base_year`` (the base-year row in the same unit: :func:`model.calc.evaluation.baseline_row`; for an
    increment measure 0 in the plan's base year), ``path`` (:data:`LINEAR` for counts and increments, else None:
    decided by the values), ``flags``."""
    from ..io.actuals import calendar_of, canonical_measure
    from .evaluation import baseline_row

    from .evaluation import comparability, lower_is_better

    cal = calendar_of(data)
    ind = data.indicators
    out = []
    for t in ind[ind["kind"] == "target"].to_dict(orient="records"):
        if int(t["year"]) > cal.target_year:  # a later horizon (2035 …) is not monitored within the plan period
            continue
        measure = str(t.get("measure") or "")
        rec = {"indicator_id": t["indicator_id"], "name_zh": t["name_zh"], "name_en": t["name_en"] or t["name_zh"],
               "section_id": str(t["section_id"]), "comparator": t["comparator"], "unit": t["unit"] or "",
               "measure": measure, "scope": t.get("scope") or data.scope, "year": int(t["year"]),
               "value": _num(t["value"]), "base": None, "base_year": None, "path": None, "flags": []}
        if lower_is_better(t["comparator"], t.get("direction") or ""):
            rec["direction"] = LOWER
        if t["comparator"] != "qual":
            increment = t.get("basis") in ("increment", "cumulative") or measure.startswith(INCREMENT_PREFIX)
            if increment or rec["unit"] in COUNT_UNITS or rec["unit"] in POINT_UNITS:
                rec["path"] = LINEAR  # counted one by one, or a share (moves in points, not at a rate)
            base = baseline_row(data, t)
            money = {"亿元": 1.0, "万元": 1e-4}
            same_unit = base is not None and (base["unit"] == t["unit"] or (base["unit"] in money and
                                                                           t["unit"] in money))
            if increment:
                rec["base"], rec["base_year"] = 0.0, cal.base_year
                rec["flags"].append(FLAG_BASE_INCREMENT)
            elif same_unit and _finite(base["value"]):
                rec["base"] = float(base["value"]) * money.get(base["unit"], 1.0) / money.get(t["unit"], 1.0)
                rec["base_year"] = int(base["year"])
                if base.get("kind") == "derived":
                    rec["flags"].append(FLAG_BASE_DERIVED)
                if not comparability(data, t, base.get("scope") or data.scope, str(base.get("measure") or ""))[0]:
                    rec["flags"].append(FLAG_BASE_MEASURE)
        out.append(rec)
    return out


# -- actuals: rows as records, vintages, comparability ------------------------------------------------------------

from ..io.actuals import VINTAGES  # noqa: E402  (preliminary, flash, annual, revised: a later one replaces earlier)


def actual_records(actuals) -> list[dict]:
    """An actuals set's rows as dicts by column name (scope and vintage included): several figures of one indicator
    and year may differ in scope, measure or vintage; :func:`observations` keeps the comparable ones and, of those,
    the latest vintage of each year."""
    return actuals.records()


def same_measure(actual: Mapping, target: Mapping) -> bool:
    """The default comparability: a figure on the target's statistical measure (never an estimate or a city-level
    figure) and in its unit. The plan-as-data engine's own comparability function (scope and measure) replaces it
    through ``comparable=``."""
    from ..io.actuals import canonical_measure
    from .evaluation import measure_differs

    unit_ok = not actual.get("unit") or canonical_measure(str(actual["unit"])) == canonical_measure(target["unit"])
    return unit_ok and not measure_differs(str(actual.get("measure") or ""), str(target.get("measure") or ""))


Comparable = Callable[[Mapping, Mapping], bool]


def observations(records: list[dict], target: Mapping, year: int, comparable: Comparable | None = None
                 ) -> tuple[list[tuple[int, float]], int]:
    """A target's comparable ``(year, value)`` series up to ``year`` and how many figures were left out as not
    comparable."""
    pts, left = _observed(records, target, year, comparable)
    return pts, len(left)


def _observed(records: list[dict], target: Mapping, year: int, comparable: Comparable | None
              ) -> tuple[list[tuple[int, float]], list[dict]]:
    """:func:`observations` with the figures left out themselves (their reasons flag the target)."""
    from ..io.actuals import vintage_rank

    comparable = comparable or same_measure
    best: dict[int, tuple[int, float]] = {}
    left = []
    for r in records:
        if r["indicator_id"] != target["indicator_id"] or r["year"] > year or r.get("value") is None:
            continue
        if comparable(r, target):
            y, rank = int(r["year"]), vintage_rank(r.get("vintage", ""))
            if y not in best or rank >= best[y][0]:
                best[y] = (rank, float(r["value"]))
        else:
            left.append(r)
    return sorted((y, v) for y, (_, v) in best.items()), left


def left_out_flags(left: list[dict], target: Mapping, data) -> list[str]:
    """Why a target's figures ``left`` were left out: ``scope_differs`` for a figure of another scope (a city's),
    ``measure_differs`` for any other (another measure or unit); without plan data, ``measure_differs``."""
    from .evaluation import comparability

    out = [FLAG_SCOPE if data is not None and comparability(data, target, str(r.get("scope") or ""),
                                                            str(r.get("measure") or ""))[1] == "scope"
           else FLAG_EXCLUDED for r in left]
    return list(dict.fromkeys(out))


def plan_comparable(data) -> Comparable:
    """The plan's comparability rule (:func:`model.calc.evaluation.comparability`: scope and measure) as
    ``comparable(actual_row, target_row)``, with the unit checked too."""
    from ..io.actuals import canonical_measure
    from .evaluation import comparability

    def comparable(actual: Mapping, target: Mapping) -> bool:
        unit_ok = not actual.get("unit") or canonical_measure(str(actual["unit"])) == canonical_measure(target["unit"])
        return unit_ok and comparability(data, target, str(actual.get("scope") or ""),
                                         str(actual.get("measure") or ""))[0]
    return comparable


# -- the whole plan in one year ------------------------------------------------------------------------------------

MONITOR_COLUMNS = ["indicator_id", "name_zh", "name_en", "section_id", "kind", "year", "target", "comparator",
                   "target_year", "unit", "measure", "direction", "path", "base", "base_year", "actual", "actual_year",
                   "expected_now", "current_status", "progress_to_target", "anticipated_value",
                   "anticipated_progress", "trend_growth_pct", "trend_slope", "required_growth_pct",
                   "growth_needed_pct", "increase_needed", "years_to_go", "points", "method", "progress", "lead_unit",
                   "warning", "flags"]
TASK_COLUMNS = ["task_id", "kind", "programme", "name_zh", "name_en", "section_id", "lead_unit", "support_units",
                "deadline", "progress", "evidence", "updated_by", "updated_at", "year", "years_to_go", "warning",
                "flags"]
PROJECT_COLUMNS = ["project_id", "name_zh", "name_en", "owner", "start_year", "end_year", "year", "status",
                   "status_year", "planned_to_date", "invested_to_date", "ratio", "warning", "flags"]
NUMERIC, QUALITATIVE_KIND = "numeric", "qualitative"


@dataclass(frozen=True)
class Monitoring:
    """One year's monitoring: targets (:data:`MONITOR_COLUMNS`) and register entries (:data:`TASK_COLUMNS`)."""

    year: int
    targets: pd.DataFrame
    tasks: pd.DataFrame
    base_year: int
    target_year: int
    settings: MonitorSettings = field(default_factory=MonitorSettings)
    actuals_id: str = ""
    tasks_id: str = ""
    sources: tuple[str, ...] = ()  # the actuals' sources used (for the method section)
    projects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROJECT_COLUMNS))
    projects_id: str = ""
    # the plan's monitoring indicators (kind monitoring: tracked every year, no target) with their figures up to
    # the monitoring year (model.calc.evaluation.monitoring_indicators' columns); empty without plan data
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def has_projects(self) -> bool:
        return bool(self.projects_id)

    def counts(self, frame: str = "targets") -> dict[str, int]:
        """Entries per warning level, every level present (0 where none)."""
        vc = getattr(self, frame)["warning"].value_counts()
        return {w: int(vc.get(w, 0)) for w in WARNINGS}


def default_year(actuals, target_year: int, base_year: int) -> int:
    """The latest year with a figure (up to the target year); the first plan year without one."""
    years = [r[1] for r in actuals.rows if r[1] <= target_year and r[1] > base_year]
    return max(years) if years else base_year + 1


def _view(plan) -> PlanView:
    return plan if isinstance(plan, PlanView) else plan_view(plan)


def monitor(plan, actuals, year: int | None = None, *, tasks=None, projects=None,
            settings: MonitorSettings = MonitorSettings(), comparable: Comparable | None = None) -> Monitoring:
    """Monitor every target of ``plan`` (plan data, or a :class:`PlanView`) in ``year`` against ``actuals`` (an
    :class:`~model.io.actuals.ActualsSet`), the task register ``tasks`` (a :class:`~model.io.tasks.TaskRegister`)
    and the project execution report ``projects`` (a :class:`~model.io.actuals.ProjectActuals`), both optional.

    Quantitative targets: :func:`monitor_target` on the comparable figures (``comparable(actual_row, target_row)``,
    default :func:`same_measure`; figures left out are flagged ``measure_differs``). Qualitative targets: graded from
    the register (:func:`task_warning`), else from the actuals' qualitative (定性) rows, else 无法评估. The
    register's key tasks are graded the same way (``tasks`` frame), the key projects by :func:`project_warning`
    (``projects`` frame, empty without a report). ``year`` defaults to the latest year with a figure.
    """
    from ..io.actuals import QUALITATIVE
    from ..io.tasks import date_year

    view = _view(plan)
    if comparable is None and view.data is not None:
        comparable = plan_comparable(view.data)
    year = int(year) if year is not None else default_year(actuals, view.target_year, view.base_year)
    records = [r for r in actual_records(actuals) if r["year"] <= year]
    reg = tasks.by_id() if tasks is not None else {}
    rows = []
    from_actuals = {}  # a qualitative target graded by the actuals' 定性 row: its register row says the same
    for t in view.targets:
        rec = {"indicator_id": t["indicator_id"], "name_zh": t["name_zh"], "name_en": t["name_en"],
               "section_id": t["section_id"], "year": year, "target": t["value"], "comparator": t["comparator"],
               "target_year": t["year"], "unit": t["unit"], "measure": t["measure"], "progress": "",
               "lead_unit": ""}
        if t["comparator"] == "qual":
            rec.update({k: None for k in RESULT_KEYS})
            rec["kind"] = QUALITATIVE_KIND
            rec["years_to_go"] = max(t["year"] - year, 0)
            entry = reg.get(t["indicator_id"])
            progress, deadline, flags = "", None, []
            if entry is not None and entry["progress"]:
                progress, deadline = entry["progress"], date_year(entry["deadline"])
                rec["lead_unit"] = entry["lead_unit"]
            else:
                qual = [r for r in records if r["indicator_id"] == t["indicator_id"] and r["measure"] == QUALITATIVE
                        and r.get("note")]
                if qual:
                    progress, flags = qual[-1]["note"], [FLAG_FROM_ACTUALS]
            warning, more = task_warning(progress, deadline, year, t["year"], settings)
            rec.update(progress=progress, warning=warning, flags=";".join(flags + more))
            if FLAG_FROM_ACTUALS in flags:
                from_actuals[t["indicator_id"]] = (progress, warning, flags + more)
        else:
            pts, left = _observed(records, t, year, comparable)
            res = monitor_target(t, pts, year, settings)
            res["flags"] += left_out_flags(left, t, view.data)
            res["flags"] = ";".join(dict.fromkeys(res["flags"]))
            rec.update(res)
            rec["kind"] = NUMERIC
        rows.append(rec)
    targets = pd.DataFrame(rows, columns=MONITOR_COLUMNS)
    task_rows = []
    for e in view.entries:
        got = reg.get(e["task_id"], {})
        progress = got.get("progress", "")
        warning, flags = task_warning(progress, date_year(got.get("deadline", "")), year, e["year"], settings)
        if not progress and e["task_id"] in from_actuals:  # graded from the actuals, not the register
            progress, warning, flags = from_actuals[e["task_id"]]
        task_rows.append({"task_id": e["task_id"], "kind": e["kind"], "programme": e["programme"],
                          "name_zh": e["name_zh"], "name_en": e["name_en"], "section_id": e["section_id"],
                          "lead_unit": got.get("lead_unit") or e["lead_unit"],
                          "support_units": got.get("support_units", ""), "deadline": got.get("deadline", ""),
                          "progress": progress, "evidence": got.get("evidence", ""),
                          "updated_by": got.get("updated_by", ""), "updated_at": got.get("updated_at", ""),
                          "year": year, "years_to_go": max(e["year"] - year, 0), "warning": warning,
                          "flags": ";".join(flags)})
    project_frame = pd.DataFrame(columns=PROJECT_COLUMNS)
    if projects is not None:
        reports: dict[str, list] = {}
        for r in projects.rows:  # (project_id, year, invested_yi, status, note, …)
            reports.setdefault(r[0], []).append((r[1], r[2], r[3]))
        prow = []
        for p in view.projects:
            res = project_warning(p["planned"], reports.get(p["project_id"], []), p["start_year"], p["end_year"],
                                  year, settings)
            prow.append({"project_id": p["project_id"], "name_zh": p["name_zh"], "name_en": p["name_en"],
                         "owner": p["owner"], "start_year": p["start_year"], "end_year": p["end_year"],
                         "year": year, **res, "flags": ";".join(res["flags"])})
        project_frame = pd.DataFrame(prow, columns=PROJECT_COLUMNS)
    sources = tuple(sorted({str(r.get("source") or "") for r in records if r.get("source")}))
    indicators = pd.DataFrame()
    if view.data is not None:  # indicators the plan tracks without a target: their figures, not graded
        from .evaluation import monitoring_indicators

        got = monitoring_indicators(view.data, actuals)
        indicators = got[~(got["year"] > year)].reset_index(drop=True)  # a row without a figure stays
    return Monitoring(year, targets, pd.DataFrame(task_rows, columns=TASK_COLUMNS), view.base_year,
                      view.target_year, settings, actuals.short_id, tasks.short_id if tasks is not None else "",
                      sources, project_frame, projects.short_id if projects is not None else "", indicators)


# -- several years ------------------------------------------------------------------------------------------------

HISTORY_COLUMNS = ["indicator_id", "name_zh", "name_en", "kind", "year", "actual", "anticipated_progress",
                   "current_status", "warning"]


def history_years(plan, actuals, year: int | None = None) -> list[int]:
    """The plan years from the first up to ``year`` (default: the latest year with a figure)."""
    view = _view(plan)
    last = int(year) if year is not None else default_year(actuals, view.target_year, view.base_year)
    return list(range(view.first_year, max(last, view.first_year) + 1))


def history(plan, actuals, years: Sequence[int] | None = None, *, tasks=None,
            settings: MonitorSettings = MonitorSettings(), comparable: Comparable | None = None) -> pd.DataFrame:
    """Each target's warning in each of ``years`` (default :func:`history_years`), each year monitored with the
    actuals up to it (the latest vintage of each figure). The register is a snapshot: an entry grades its target
    from the year of its update on (an undated entry in the last year only); earlier years fall back on the
    actuals' qualitative (定性) rows. Tidy: :data:`HISTORY_COLUMNS`, one row per target and year."""
    view = _view(plan)
    years = list(years) if years is not None else history_years(view, actuals)
    frames = []
    for y in years:
        reg = _register_as_of(tasks, y, years[-1]) if tasks is not None else None
        m = monitor(view, actuals, y, tasks=reg, settings=settings, comparable=comparable)
        frames.append(m.targets[["indicator_id", "name_zh", "name_en", "kind", "year", "actual",
                                 "anticipated_progress", "current_status", "warning"]])
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    return pd.concat(frames, ignore_index=True)[HISTORY_COLUMNS]


def _register_as_of(register, year: int, last: int):
    """The register's rows known in ``year``: those updated in or before it (undated rows: the last year only)."""
    from ..io.tasks import TaskRegister, date_year

    keep = []
    for r in register.rows:
        updated = date_year(r[-1])
        if (updated is None and year == last) or (updated is not None and updated <= year):
            keep.append(r)
    return TaskRegister(tuple(keep))


def history_table(hist: pd.DataFrame) -> pd.DataFrame:
    """Targets as rows, years as columns, warnings as cells (in the targets' order)."""
    if not len(hist):
        return pd.DataFrame()
    order = list(dict.fromkeys(hist["indicator_id"]))
    wide = hist.pivot(index="indicator_id", columns="year", values="warning").reindex(order)
    return wide


__all__ = ["MonitorSettings", "Monitoring", "PlanView", "monitor", "monitor_target", "task_warning",
           "project_warning", "warning_level", "plan_view", "plan_targets", "observations", "actual_records", "same_measure", "history", "history_years",
           "history_table", "trend_value", "path_value", "path_kind", "direction_of", "meets", "default_year",
           "NORMAL", "WATCH", "WARNING", "NOT_ASSESSABLE", "LEVELS", "WARNINGS", "SEVERITY", "HIGHER", "LOWER",
           "RATE", "LINEAR", "METHODS", "FLAGS", "MONITOR_COLUMNS", "TASK_COLUMNS", "PROJECT_COLUMNS", "HISTORY_COLUMNS",
           "RESULT_KEYS", "COUNT_UNITS", "VINTAGES"]

"""The monitoring's files: ``monitoring.csv`` and its companions, the annual monitoring report (年度监测报告) and the
mid-term report (中期评估报告) as Word (.docx) and self-contained HTML, the warnings-by-year chart and the early-warning
lines for the overview.

The reports follow an office's structure: 总体情况; 主要指标监测; 预警指标 (with the growth now needed); 重点任务推进
(lagging tasks with their lead units, per programme); the mid-term report adds 年度监测变化 (warnings by year); 存在
问题 (bullets from the data); 下一步建议 (headings marked for the office to write); 监测方法 (thresholds and sources).
Every text is a row of ``strings/monitoring.csv`` (keys ``mon.*``); numbers go through :mod:`model.report.labels`
(via the evaluation report's helpers); the documents are rendered by the evaluation report's machinery
(:func:`~model.report.evaluation_report.docx_from_blocks`, :func:`~model.report.evaluation_report.html_from_blocks`),
so fonts, widths, kept rows and LibreOffice's printing are the same. Pure: no files are written here.
"""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from ..calc.monitoring import (ACTUAL, COMPOUND, FLAG_BASE_DERIVED, FLAG_BASE_MEASURE, FLAG_BASE_OBSERVED,
                               FLAG_EXCLUDED, FLAG_FEW, FLAG_LATE_START, FLAG_LATEST, FLAG_NO_BASE, FLAG_REGRESSING,
                               FLAG_NO_REPORT, FLAG_NO_STATUS, FLAG_OVERDUE, FLAG_SCOPE,
                               LINEAR_FALLBACK, LINEAR_TREND, NORMAL, NOT_ASSESSABLE, NUMERIC, QUALITATIVE_KIND,
                               WARNING, WARNINGS, WATCH, Monitoring, history_table)
from ..calc.evaluation import YI
from ..io import tasks as register
from ..io.export import comparator_text, csv_bytes
from ..plan.tables import PlanData
from . import charts
from .evaluation_report import (COMPARATOR_SHOWN, PROJECT_STATUS_KEY, UNIT_DECIMALS, Block, docx_from_blocks,
                                html_from_blocks, money, num, pct, rate, unit_text, value)
from ..units import COUNT_UNITS, POINT_UNITS
from .labels import date_text, fmt, inline_unit
from .text import tr

WARNING_KEY = {NORMAL: "mon.warning.normal", WATCH: "mon.warning.watch", WARNING: "mon.warning.warning",
               NOT_ASSESSABLE: "mon.warning.not_assessable"}
WARNING_ICON = {NORMAL: "✔", WATCH: "◐", WARNING: "▲", NOT_ASSESSABLE: "—"}  # a level reads by icon and word
WARNING_COLOR = {NORMAL: "#009E73", WATCH: "#E69F00", WARNING: "#D55E00", NOT_ASSESSABLE: "#8C8C8C"}
METHOD_KEY = {COMPOUND: "mon.method.compound", LINEAR_TREND: "mon.method.linear",
              LINEAR_FALLBACK: "mon.method.linear_fallback", ACTUAL: "mon.method.actual"}
# flags a reader must know about, marked in the tables and explained under them
# § is the evaluation's mark (a base on another measure): the first actual as the base is marked † here
FLAG_MARK = {FLAG_LATEST: "*", FLAG_BASE_DERIVED: "‡", FLAG_BASE_OBSERVED: "†", FLAG_REGRESSING: "↓",
             FLAG_BASE_MEASURE: "§"}  # § as the evaluation report marks a base on another scope or measure
FLAG_NOTE_KEY = {FLAG_LATEST: "mon.flag.latest", FLAG_BASE_DERIVED: "mon.flag.derived",
                 FLAG_BASE_MEASURE: "mon.flag.base_measure",
                 FLAG_BASE_OBSERVED: "mon.flag.observed", FLAG_REGRESSING: "mon.flag.regressing"}
# why a target is not assessable, most telling first
REASON_KEY = {FLAG_SCOPE: "mon.reason.scope", FLAG_EXCLUDED: "mon.reason.measure", FLAG_NO_BASE: "mon.reason.no_base",
              FLAG_FEW: "mon.reason.few_points"}
FIT_KEY = {"endpoints": "mon.fit.endpoints", "regression": "mon.fit.regression"}
KINDS = ("annual", "midterm")
TITLE_KEY = {"annual": "mon.title.annual", "midterm": "mon.title.midterm"}
CSV_FILES = ("monitoring.csv", "monitoring_tasks.csv", "monitoring_history.csv", "monitoring_projects.csv",
             "monitoring_indicators.csv")
PROJECT_CSV_COLUMNS = ["project_id", "name", "owner", "start_year", "end_year", "year", "status", "status_year",
                       "planned_to_date_yi", "invested_to_date_yi", "ratio", "warning", "flags"]
REPORT_FILES = {("annual", "zh"): ("年度监测报告.docx", "年度监测报告.html"),
                ("annual", "en"): ("monitoring-report.docx", "monitoring-report.html"),
                ("midterm", "zh"): ("中期评估报告.docx", "中期评估报告.html"),
                ("midterm", "en"): ("midterm-report.docx", "midterm-report.html")}
MONITOR_FILES = frozenset(CSV_FILES) | frozenset(n for pair in REPORT_FILES.values() for n in pair)
MONITORING_CSV_COLUMNS = ["indicator_id", "year", "actual", "expected_now", "current_status", "anticipated_value",
                          "anticipated_progress", "warning", "name", "unit", "target", "comparator", "target_year",
                          "base", "base_year", "actual_year", "progress_to_target", "method", "years_to_go",
                          "growth_needed_pct", "increase_needed", "trend_growth_pct", "required_growth_pct", "points",
                          "progress", "lead_unit", "flags"]
TASKS_CSV_COLUMNS = ["task_id", "kind", "programme", "name", "section_id", "lead_unit", "support_units", "deadline",
                     "progress", "evidence", "updated_by", "updated_at", "year", "years_to_go", "warning", "flags"]
INDICATORS_CSV_COLUMNS = ["indicator_id", "name", "unit", "year", "actual", "baseline", "baseline_year", "measure",
                          "scope", "vintage", "comparable", "reason", "source", "note"]
TOP_N = 8  # names listed in a problem bullet before "…"


def warning_label(w: str, lang: str) -> str:
    """A warning level's word in ``lang``."""
    return tr(WARNING_KEY[w], lang) if w in WARNING_KEY else w


def warning_text(w: str, lang: str) -> str:
    """A warning level as shown anywhere: its icon and its word (never colour alone)."""
    return f"{WARNING_ICON.get(w, '')} {warning_label(w, lang)}".strip()


def _name(rec: dict, lang: str) -> str:
    return rec.get(f"name_{lang}") or rec.get("name_zh") or ""


def _ratio(v) -> str:
    """A ratio as a percentage with one decimal (``0.4524`` → ``45.2%``)."""
    return "—" if v is None or v != v else pct(float(v) * 100)


def _missing(v) -> bool:
    return v is None or v != v


def _flags(rec: dict) -> list[str]:
    return [f for f in str(rec.get("flags") or "").split(";") if f]


def _join(items: list[str], lang: str, top: int = TOP_N) -> str:
    shown = items[:top] + (["…"] if len(items) > top else [])
    return tr("eval.sep", lang).join(shown)


def plan_name(lang: str, data: PlanData | None = None) -> str:
    """The plan's name as the reports print it (plan.csv ``short_name``, else ``name``)."""
    if data is None:
        from ..plan.registry import default_plan

        data = default_plan()
    return data.name(lang, "short_name") or data.name(lang)


def programme_names(data: PlanData, lang: str) -> dict[str, str]:
    return {p["task_id"]: register.name_of(p, lang) for p in register.programmes(data)}


# -- tidy CSV files ----------------------------------------------------------------------------------------------

def monitoring_tables(data: PlanData, mon: Monitoring, lang: str = "zh", hist: pd.DataFrame | None = None
                      ) -> dict[str, pd.DataFrame]:
    """``monitoring.csv`` (:data:`MONITORING_CSV_COLUMNS`: values in ``unit``; ``current_status``,
    ``progress_to_target`` and ``anticipated_progress`` as ratios, 1 = as needed; ``*_pct`` in %;
    ``increase_needed`` in ``unit`` a year; ``warning`` in ``lang``; ``flags`` codes), ``monitoring_tasks.csv``
    (every register entry, :data:`TASKS_CSV_COLUMNS`), with ``hist`` ``monitoring_history.csv`` (one row per target
    and year), and with a project report ``monitoring_projects.csv`` (:data:`PROJECT_CSV_COLUMNS`: money in 亿元 to
    the monitoring year; ``ratio`` invested ÷ planned to date), and where the plan has monitoring indicators
    (tracked without a target) ``monitoring_indicators.csv`` (:data:`INDICATORS_CSV_COLUMNS`: every figure to the
    monitoring year, marked comparable or not; not graded)."""
    t = mon.targets.copy()
    t["name"] = t[f"name_{lang}"]
    t["comparator"] = t["comparator"].map(comparator_text)  # ＝ ≥ ≈ …: no cell a spreadsheet runs
    t["warning"] = [warning_label(w, lang) for w in t["warning"]]
    t["progress"] = [register.progress_label(p, lang) if p else "" for p in t["progress"]]
    k = mon.tasks.copy()
    k["name"] = k[f"name_{lang}"]
    k["kind"] = [tr(register.KIND_KEY[x], lang) for x in k["kind"]]
    names = programme_names(data, lang)
    k["programme"] = [names.get(p, p) for p in k["programme"]]
    k["progress"] = [register.progress_label(p, lang) if p else "" for p in k["progress"]]
    k["warning"] = [warning_label(w, lang) for w in k["warning"]]
    out = {CSV_FILES[0]: t[MONITORING_CSV_COLUMNS], CSV_FILES[1]: k[TASKS_CSV_COLUMNS]}
    if hist is not None:
        h = hist.copy()
        h["name"] = h[f"name_{lang}"]
        h["warning"] = [warning_label(w, lang) for w in h["warning"]]
        out[CSV_FILES[2]] = h[["indicator_id", "name", "kind", "year", "actual", "current_status",
                               "anticipated_progress", "warning"]]
    if mon.has_projects:
        p = mon.projects.copy()
        p["name"] = p[f"name_{lang}"]
        p["warning"] = [warning_label(w, lang) for w in p["warning"]]
        p = p.rename(columns={"planned_to_date": "planned_to_date_yi", "invested_to_date": "invested_to_date_yi"})
        out[CSV_FILES[3]] = p[PROJECT_CSV_COLUMNS]
    if len(mon.indicators):  # the indicators the plan tracks without a target: their figures, not graded
        m = mon.indicators.copy()
        m["name"] = m[f"name_{lang}"]
        out[CSV_FILES[4]] = m[INDICATORS_CSV_COLUMNS]
    return out


def monitoring_files(data: PlanData, mon: Monitoring, lang: str = "zh", *, report: str | None = None,
                     hist: pd.DataFrame | None = None, today: date | None = None) -> dict[str, bytes]:
    """Every file of a monitoring folder as bytes (CSV: UTF-8 with BOM, formulas neutralised); with ``report``
    (``"annual"`` or ``"midterm"``) the report as .docx and .html."""
    files = {name: csv_bytes(df) for name, df in monitoring_tables(data, mon, lang, hist).items()}
    if report is not None:
        docx_name, html_name = REPORT_FILES[(report, lang)]
        blocks = report_blocks(data, mon, lang, report, hist, today=today)
        files[docx_name] = docx_from_blocks(blocks, lang)
        files[html_name] = html_from_blocks(blocks, lang).encode("utf-8")
    return files


# -- sentences ----------------------------------------------------------------------------------------------------

def _target_text(rec: dict) -> str:
    return f"{COMPARATOR_SHOWN.get(rec['comparator'], '')}{value(rec['target'], rec['unit'], stated=True)}"


def amount(v, unit: str, lang: str, stated: bool = False, comparator: str = "") -> str:
    """A figure with its unit as running text prints it: ``1,249.3亿元`` / ``1,249.3 亿元``; a count in English
    without its measure word (``12``, not ``12 number``)."""
    text = f"{COMPARATOR_SHOWN.get(comparator, '')}{value(v, unit, stated=stated)}"
    u = inline_unit(unit, lang)
    return f"{text}{'' if lang == 'zh' or not u else ' '}{u}"


def _target_amount(rec: dict, lang: str) -> str:
    return amount(rec["target"], rec["unit"], lang, stated=True, comparator=rec["comparator"])


def need_text(rec: dict, lang: str) -> str:
    """What is now needed to reach a target from its latest actual: a growth a year, or an increase a year."""
    if not _missing(rec.get("growth_needed_pct")):
        g = rec["growth_needed_pct"]  # a fall needed is said as one (需年均下降4.65%)
        return tr("mon.need.decline" if g < 0 else "mon.need.growth", lang, growth=rate(-g if g < 0 else g))
    if not _missing(rec.get("increase_needed")):
        ty, ay = rec.get("year"), rec.get("actual_year")
        years = int(ty) - int(ay) if not (_missing(ty) or _missing(ay)) else 0  # from the latest actual to the target
        if rec["unit"] in POINT_UNITS:  # a share: percentage points a year (需每年提高1.60个百分点)
            inc = rec["increase_needed"]
            return tr("mon.need.points_down" if inc < 0 else "mon.need.points", lang, inc=fmt(abs(inc), 2))
        if rec["unit"] in COUNT_UNITS and years > 1:
            # things counted one by one: the number still to add over the years left (再增加1家), not 0.5家 a year
            total = rec["increase_needed"] * years
            return tr("mon.need.increase_total", lang, inc=amount(round(total, 6), rec["unit"], lang),
                      years=int(years))
        return tr("mon.need.increase", lang, inc=amount(rec["increase_needed"], rec["unit"], lang))
    return tr("mon.need.none", lang)


def warning_sentence(rec: dict, lang: str) -> str:
    """The paragraph on one quantitative target at 预警 or 关注: where it stands, where the trend leads, what is
    needed now."""
    method = tr(METHOD_KEY.get(rec["method"], "mon.method.actual"), lang)
    unit = rec["unit"]
    # in the target year no year is left: what "remains" is not a growth a year (还有0年，需年均增长123.60%)
    key = "mon.warn.sentence" if int(rec["years_to_go"]) > 0 else "mon.warn.sentence_due"
    return tr(key, lang, name=_name(rec, lang), level=warning_label(rec["warning"], lang),
              year=int(rec["actual_year"]), actual=amount(rec["actual"], unit, lang),
              expected=amount(rec["expected_now"], unit, lang), status=_ratio(rec["current_status"]),
              target_year=int(rec["target_year"]), anticipated=amount(rec["anticipated_value"], unit, lang),
              target=_target_amount(rec, lang), ap=_ratio(rec["anticipated_progress"]), method=method,
              left=int(rec["years_to_go"]), need=need_text(rec, lang), trend=trend_text(rec, lang))


def apart(v, target, unit: str) -> str:
    """``value(v, unit)``, with as many more decimals (up to four) as it takes not to print a figure that is not
    the target as the target (a forecast of 0.4529 printed 0.45 beside ≤0.45 read as on target)."""
    text = value(v, unit)
    if _missing(v) or _missing(target) or float(v) == float(target) or text != value(target, unit):
        return text
    digits = UNIT_DECIMALS.get(unit, 2)
    for d in range(digits + 1, digits + 5):
        text = fmt(float(v), d)
        if text != fmt(float(target), d):
            break
    return text


def trend_text(rec: dict, lang: str) -> str:
    """The observed trend in words: growth a year (compound) or increase a year (linear)."""
    if not _missing(rec.get("trend_growth_pct")):
        g = rec["trend_growth_pct"]  # a fall is said as one (年均下降2.20%), not as a negative growth
        return tr("mon.trend.decline" if g < 0 else "mon.trend.growth", lang, growth=rate(abs(g) if g < 0 else g))
    if not _missing(rec.get("trend_slope")):
        return tr("mon.trend.slope", lang, slope=amount(rec["trend_slope"], rec["unit"], lang))
    return tr("mon.trend.none", lang)


def _due(rec: dict) -> bool:
    """Whether the monitoring year is the target's year (or later): its figure is then the outcome, not a forecast."""
    return not (_missing(rec.get("year")) or _missing(rec.get("target_year"))) and \
        int(rec["year"]) >= int(rec["target_year"])


def warning_lines(mon: Monitoring, lang: str = "zh") -> list[dict]:
    """The early-warning list: every target, register entry and key project at 预警, one line each — quantitative
    targets first (with the anticipated value and the growth now needed), then register entries (with progress and
    lead unit), then projects (with what is late and the owner). Each line is a dict ``kind`` (``target`` /
    ``task`` / ``project``), ``id``, ``text`` (no icon: the caller shows it)."""
    out = []
    t = mon.targets
    for rec in t[(t["warning"] == WARNING) & (t["kind"] == NUMERIC)].to_dict(orient="records"):
        if _due(rec) and not _missing(rec.get("actual")):  # the target year reached: what is, not what is expected
            text = tr("mon.line.target_due", lang, name=_name(rec, lang), year=int(rec["actual_year"]),
                      actual=amount(rec["actual"], rec["unit"], lang), target=_target_amount(rec, lang))
        else:
            text = tr("mon.line.target", lang, name=_name(rec, lang), target_year=int(rec["target_year"]),
                      anticipated=amount(rec["anticipated_value"], rec["unit"], lang),
                      target=_target_amount(rec, lang), need=need_text(rec, lang))
        out.append({"kind": "target", "id": rec["indicator_id"], "text": text})
    for rec in mon.tasks[mon.tasks["warning"] == WARNING].to_dict(orient="records"):
        kind = "target" if rec["kind"] == register.TARGET else "task"
        out.append({"kind": kind, "id": rec["task_id"], "text": _task_line(rec, lang)})
    for rec in mon.projects[mon.projects["warning"] == WARNING].to_dict(orient="records"):
        out.append({"kind": "project", "id": rec["project_id"], "text": project_line(rec, lang)})
    seen = {x["id"] for x in out}
    for rec in t[(t["warning"] == WARNING) & (t["kind"] == QUALITATIVE_KIND)].to_dict(orient="records"):
        if rec["indicator_id"] not in seen:  # graded by an actuals file's 定性 row, not by the register
            out.append({"kind": "target", "id": rec["indicator_id"], "text": _task_line(rec, lang)})
    return out


def project_status(status: str, lang: str) -> str:
    return tr(PROJECT_STATUS_KEY[status], lang) if status in PROJECT_STATUS_KEY else (status or "—")


def project_line(rec: dict, lang: str) -> str:
    """One key project at 预警: why (not started, past its end year, or money behind the plan) and its owner."""
    flags = _flags(rec)
    name = f"{rec['project_id']} {_name(rec, lang)}"
    owner = rec.get("owner") or tr("mon.lead.none", lang)

    def behind() -> str:
        return tr("mon.project.behind", lang, invested=money(rec["invested_to_date"], YI),
                  planned=money(rec["planned_to_date"], YI), ratio=_ratio(rec["ratio"]))

    if FLAG_LATE_START in flags:
        why = tr("mon.project.not_started", lang, start=int(rec["start_year"]))
    elif FLAG_OVERDUE in flags and FLAG_NO_STATUS in flags:  # its status never reported: what its money says
        why = tr("mon.project.overdue_no_status", lang, end=int(rec["end_year"]), behind=behind())
    elif FLAG_OVERDUE in flags:
        why = tr("mon.project.overdue", lang, end=int(rec["end_year"]), status=project_status(rec["status"], lang))
    else:
        why = behind()
    return tr("mon.line.project", lang, name=name, why=why, owner=owner)


def _task_line(rec: dict, lang: str) -> str:
    progress = register.progress_label(rec.get("progress") or "", lang) or tr("mon.no_report", lang)
    lead = rec.get("lead_unit") or tr("mon.lead.none", lang)
    key = "mon.line.task_overdue" if FLAG_OVERDUE in _flags(rec) else "mon.line.task"
    return tr(key, lang, name=_name(rec, lang), progress=progress, lead=lead,
              deadline=rec.get("deadline") or "—")


# -- the report's blocks --------------------------------------------------------------------------------------------

def _heading(n: int, key: str, lang: str) -> Block:
    numerals = tr("mon.numerals", lang).split(",")
    return Block("h1", tr("mon.heading", lang, num=numerals[n], title=tr(key, lang)))


def _overview(data: PlanData, mon: Monitoring, lang: str) -> list[Block]:
    t = mon.targets
    numeric, qual = t[t["kind"] == NUMERIC], t[t["kind"] == QUALITATIVE_KIND]
    left = max(mon.target_year - mon.year, 0)  # the target year itself: "还有0年" says nothing
    out = [Block("p", tr("mon.overview.year" if left else "mon.overview.year_due", lang, year=mon.year,
                         target_year=mon.target_year, left=left))]
    for key, frame in (("mon.overview.numeric", numeric), ("mon.overview.qual", qual),
                       ("mon.overview.tasks", mon.tasks[mon.tasks["kind"] == register.TASK])):
        c = frame["warning"].value_counts()
        out.append(Block("p", tr(key, lang, n=len(frame), normal=int(c.get(NORMAL, 0)), watch=int(c.get(WATCH, 0)),
                                 warning=int(c.get(WARNING, 0)), na=int(c.get(NOT_ASSESSABLE, 0)))))
    return out


def _numeric_table(mon: Monitoring, lang: str) -> list[Block]:
    t = mon.targets[mon.targets["kind"] == NUMERIC]
    rows, used = [], set()
    for r in t.to_dict(orient="records"):
        flags = [f for f in _flags(r) if f in FLAG_MARK]
        used |= set(flags)
        unit = r["unit"]
        marks = "".join(FLAG_MARK[f] for f in flags)
        rows.append((_name(r, lang) + marks, _target_text(r), value(r["actual"], unit),
                     "—" if _missing(r["actual_year"]) else str(int(r["actual_year"])),
                     value(r["expected_now"], unit), _ratio(r["current_status"]),
                     apart(r["anticipated_value"], r["target"], unit),
                     _ratio(r["anticipated_progress"]), unit_text(unit, lang), warning_text(r["warning"], lang)))
    head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target", "eval.col.actual", "mon.col.year",
                                       "mon.col.expected", "mon.col.status", "mon.col.anticipated",
                                       "mon.col.ap", "eval.col.unit", "mon.col.warning"))
    out = [Block("caption", tr("mon.s2.numeric", lang)),
           Block("table", head=head, items=tuple(rows), widths=(26, 9, 9, 6, 9, 8, 9, 8, 6, 10))]
    if used:
        out.append(Block("note", tr("mon.flags", lang, items=tr("eval.path_sep", lang).join(  # items hold ，
            f"{FLAG_MARK[f]} {tr(FLAG_NOTE_KEY[f], lang)}" for f in FLAG_MARK if f in used))))
    na = [r for r in t.to_dict(orient="records") if r["warning"] == NOT_ASSESSABLE]
    if na:
        out.append(Block("p", tr("mon.s2.not_assessable", lang, n=len(na), items=_join(
            [tr("mon.item.reason", lang, name=_name(r, lang), reason=_reason(r, lang)) for r in na], lang, 99))))
    return out


def _reason(rec: dict, lang: str) -> str:
    flags = _flags(rec)
    return next((tr(k, lang) for f, k in REASON_KEY.items() if f in flags), tr("mon.reason.other", lang))


def _qual_table(mon: Monitoring, lang: str) -> list[Block]:
    q = mon.targets[mon.targets["kind"] == QUALITATIVE_KIND]
    if not len(q):
        return []
    c = q["progress"].value_counts()
    out = [Block("caption", tr("mon.s2.qual", lang)),
           Block("p", tr("mon.s2.qual_summary", lang, n=len(q), done=int(c.get(register.DONE, 0)),
                         going=int(c.get(register.UNDER_WAY, 0)), not_started=int(c.get(register.NOT_STARTED, 0)),
                         lagging=int(c.get(register.LAGGING, 0)), none=int((q["progress"] == "").sum())))]
    rows = tuple((_name(r, lang), register.progress_label(r["progress"], lang) if r["progress"] else "—",
                  r["lead_unit"] or "—", warning_text(r["warning"], lang)) for r in q.to_dict(orient="records"))
    head = (tr("eval.col.indicator", lang), tr("tasks.col.progress", lang), tr("tasks.col.lead_unit", lang),
            tr("mon.col.warning", lang))
    out.append(Block("table", head=head, items=rows, widths=(52, 14, 20, 14)))
    return out


def _warnings_section(mon: Monitoring, lang: str) -> list[Block]:
    t = mon.targets[mon.targets["kind"] == NUMERIC]
    flagged = t[t["warning"].isin((WARNING, WATCH))].copy()
    if not len(flagged):
        return [Block("p", tr("mon.s3.none", lang))]
    flagged["order"] = flagged["warning"].map({WARNING: 0, WATCH: 1})
    flagged = flagged.sort_values(["order", "anticipated_progress"])
    out = [Block("p", warning_sentence(r, lang)) for r in flagged.to_dict(orient="records")]
    rows = tuple((_name(r, lang), warning_text(r["warning"], lang), need_text(r, lang), trend_text(r, lang),
                  rate(r["required_growth_pct"]) if not _missing(r["required_growth_pct"]) else "—")
                 for r in flagged.to_dict(orient="records"))
    head = (tr("eval.col.indicator", lang), tr("mon.col.warning", lang), tr("mon.col.need", lang),
            tr("mon.col.trend", lang), tr("mon.col.required", lang))
    out += [Block("caption", tr("mon.s3.table", lang)), Block("table", head=head, items=rows,
                                                              widths=(34, 12, 22, 16, 16))]
    return out


def _tasks_section(data: PlanData, mon: Monitoring, lang: str) -> list[Block]:
    k = mon.tasks
    tasks = k[k["kind"] == register.TASK]
    names = programme_names(data, lang)
    counts = dict(n=len(k), targets=len(k) - len(tasks), tasks=len(tasks), reported=int((k["progress"] != "").sum()))
    out = [Block("p", tr("mon.s4.register", lang, id=mon.tasks_id, **counts) if mon.tasks_id else
                 tr("mon.s4.register_none", lang, **counts))]
    if len(tasks):
        rows = []
        for pid, name in names.items():
            part = tasks[tasks["programme"] == pid]
            c = part["progress"].value_counts()
            rows.append((name, num(len(part)), num(c.get(register.DONE, 0)), num(c.get(register.UNDER_WAY, 0)),
                         num(c.get(register.NOT_STARTED, 0)), num(c.get(register.LAGGING, 0)),
                         num(int((part["progress"] == "").sum())), num(int((part["warning"] == WARNING).sum()))))
        head = tuple(tr(x, lang) for x in ("tasks.col.programme", "mon.col.tasks", "tasks.progress.done",
                                           "tasks.progress.under_way", "tasks.progress.not_started",
                                           "tasks.progress.lagging", "mon.col.unreported", "mon.warning.warning"))
        out += [Block("caption", tr("mon.s4.by_programme", lang)),
                Block("table", head=tuple(h[:1].upper() + h[1:] for h in head), items=tuple(rows),
                      widths=(30, 10, 10, 10, 10, 10, 10, 10))]
    late = k[k["warning"] == WARNING].to_dict(orient="records")
    if late:
        rows = tuple((_name(r, lang), register.progress_label(r["progress"], lang) if r["progress"] else "—",
                      r["lead_unit"] or tr("mon.lead.none", lang), r["deadline"] or "—",
                      tr("mon.overdue", lang) if FLAG_OVERDUE in _flags(r) else "")
                     for r in late)
        head = (tr("mon.col.task", lang), tr("tasks.col.progress", lang), tr("tasks.col.lead_unit", lang),
                tr("tasks.col.deadline", lang), tr("mon.col.note", lang))
        out += [Block("caption", tr("mon.s4.late", lang)),
                Block("table", head=head, items=rows, widths=(44, 12, 20, 12, 12))]
    else:
        out.append(Block("p", tr("mon.s4.none", lang)))
    return out


def projects_summary(mon: Monitoring, lang: str) -> str:
    """The sentence on the key projects: how many, how many reported, how many at each level."""
    p = mon.projects
    c = p["warning"].value_counts()
    reported = int((p["status_year"].notna() | p["invested_to_date"].notna()).sum())
    return tr("mon.s_proj.summary", lang, n=len(p), reported=reported, normal=int(c.get(NORMAL, 0)),
              watch=int(c.get(WATCH, 0)), warning=int(c.get(WARNING, 0)), na=int(c.get(NOT_ASSESSABLE, 0)))


def _projects_section(mon: Monitoring, lang: str) -> list[Block]:
    p = mon.projects
    out = [Block("p", projects_summary(mon, lang))]
    flagged = p[p["warning"].isin((WARNING, WATCH))].copy()
    if not len(flagged):
        return out + [Block("p", tr("mon.s_proj.none", lang))]
    flagged["order"] = flagged["warning"].map({WARNING: 0, WATCH: 1})
    rows = tuple((f"{r['project_id']} {_name(r, lang)}", r["owner"] or "—", project_status(r["status"], lang),
                  money(r["planned_to_date"], YI), money(r["invested_to_date"], YI), _ratio(r["ratio"]),
                  warning_text(r["warning"], lang))
                 for r in flagged.sort_values(["order", "project_id"]).to_dict(orient="records"))
    head = tuple(tr(k, lang) for k in ("mon.col.project", "mon.col.owner", "mon.col.project_status",
                                       "mon.col.planned_to_date", "mon.col.invested_to_date", "mon.col.ratio",
                                       "mon.col.warning"))
    return out + [Block("caption", tr("mon.s_proj.table", lang)),
                  Block("table", head=head, items=rows, widths=(30, 16, 10, 11, 11, 10, 12))]


def _history_section(hist: pd.DataFrame, lang: str, with_charts: bool) -> list[Block]:
    out = []
    if with_charts:
        out.append(Block("chart", tr("mon.chart.history", lang), spec=history_chart(hist, lang)))
    wide = history_table(hist[hist["kind"] == NUMERIC])
    if len(wide):
        names = dict(zip(hist["indicator_id"], hist[f"name_{lang}"]))
        years = list(wide.columns)
        rows = tuple((names[i],) + tuple(warning_text(w, lang) for w in wide.loc[i]) for i in wide.index)
        head = (tr("eval.col.indicator", lang),) + tuple(str(y) for y in years)
        out += [Block("caption", tr("mon.s_hist.table", lang)),
                Block("table", head=head, items=rows, widths=(34,) + (12,) * len(years))]
    return out


def problems(mon: Monitoring, lang: str) -> list[str]:
    """The bullets of 存在问题, from the data: targets at 预警 and 关注, key projects at 预警, lagging and overdue
    tasks, targets that cannot be assessed, entries nobody has reported."""
    t, k = mon.targets, mon.tasks
    out = []
    for level, key in ((WARNING, "mon.p.warning"), (WATCH, "mon.p.watch")):
        recs = t[(t["warning"] == level) & (t["kind"] == NUMERIC)].to_dict(orient="records")
        due = [r for r in recs if _due(r)]  # in their target year: not met, said so (no "on the present trend")
        ahead = [r for r in recs if not _due(r)]
        if ahead:
            out.append(tr(key, lang, n=len(ahead), items=_join([_name(r, lang) for r in ahead], lang)))
        if due:
            out.append(tr(f"{key}_due", lang, n=len(due), items=_join([_name(r, lang) for r in due], lang)))
    recs = mon.projects[mon.projects["warning"] == WARNING].to_dict(orient="records")
    if recs:
        out.append(tr("mon.p.projects", lang, n=len(recs), items=_join(
            [f"{r['project_id']} {_name(r, lang)}" for r in recs], lang)))
    lag = k[k["progress"] == register.LAGGING].to_dict(orient="records")
    if lag:
        out.append(tr("mon.p.lagging", lang, n=len(lag), items=_join(
            [tr("mon.item.lead", lang, name=_name(r, lang), lead=r["lead_unit"] or tr("mon.lead.none", lang))
             for r in lag], lang)))
    over = [r for r in k.to_dict(orient="records") if FLAG_OVERDUE in _flags(r)]
    if over:
        out.append(tr("mon.p.overdue", lang, n=len(over), items=_join([_name(r, lang) for r in over], lang)))
    na = t[(t["kind"] == NUMERIC) & (t["warning"] == NOT_ASSESSABLE)]
    if len(na):
        out.append(tr("mon.p.not_assessable", lang, n=len(na)))
    silent = k[k["warning"] == NOT_ASSESSABLE]
    if len(silent):
        out.append(tr("mon.p.unreported", lang, n=len(silent)))
    return out or [tr("mon.p.none", lang)]


def method_blocks(mon: Monitoring, lang: str) -> list[Block]:
    """监测方法: the rules with the thresholds in force, and the sources."""
    s = mon.settings
    return [Block("p", tr("mon.method.rules", lang)),
            Block("p", tr("mon.method.thresholds", lang, on_track=pct(s.on_track * 100, 0), watch=pct(s.watch * 100, 0),
                          points=s.min_points, fit=tr(FIT_KEY[s.fit], lang), start_by=s.start_by)),
            Block("p", tr("mon.method.tasks", lang)),
            Block("p", tr("mon.method.sources", lang, actuals=mon.actuals_id or tr("mon.none_loaded", lang),
                          tasks=mon.tasks_id or tr("mon.none_loaded", lang),
                          sources=tr("eval.sep", lang).join(mon.sources) or "—"))]


def report_blocks(data: PlanData, mon: Monitoring, lang: str = "zh", kind: str = "annual",
                  hist: pd.DataFrame | None = None, with_charts: bool = True, today: date | None = None
                  ) -> list[Block]:
    """The annual (``kind="annual"``) or mid-term (``"midterm"``) report as blocks; with a project report a section on
    the key projects; the mid-term report adds the warnings by year (``hist``,
    :func:`model.calc.monitoring.history`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    blocks = [Block("title", tr(TITLE_KEY[kind], lang, plan=plan_name(lang, data), year=mon.year)),
              Block("meta", tr("mon.period", lang, first=data.calendar.plan_first_year,  # the plan's own period
                               last=data.calendar.plan_last_year, year=mon.year)),
              Block("meta", tr("mon.meta", lang, actuals=mon.actuals_id or "—", tasks=mon.tasks_id or "—",
                               date=date_text(today or date.today(), lang)))]
    n = 0
    blocks.append(_heading(n, "mon.s1", lang))
    blocks += _overview(data, mon, lang)
    n += 1
    blocks.append(_heading(n, "mon.s2", lang))
    if with_charts:
        blocks.append(Block("chart", tr("mon.chart.ap", lang), spec=progress_chart(mon, lang)))
    blocks += _numeric_table(mon, lang) + _qual_table(mon, lang)
    n += 1
    blocks.append(_heading(n, "mon.s3", lang))
    blocks += _warnings_section(mon, lang)
    if mon.has_projects:
        n += 1
        blocks.append(_heading(n, "mon.s_proj", lang))
        blocks += _projects_section(mon, lang)
    n += 1
    blocks.append(_heading(n, "mon.s4", lang))
    blocks += _tasks_section(data, mon, lang)
    if kind == "midterm" and hist is not None and len(hist):
        n += 1
        blocks.append(_heading(n, "mon.s_hist", lang))
        blocks += _history_section(hist, lang, with_charts)
    n += 1
    blocks += [_heading(n, "mon.s5", lang), Block("bullets", items=tuple(problems(mon, lang)))]
    n += 1
    blocks.append(_heading(n, "mon.s6", lang))
    keys = ("mon.s6.h1", "mon.s6.h2", "mon.s6.h3")
    for i, key in enumerate(keys):
        blocks += [Block("h2", tr(key, lang)), Block("note", tr("mon.s6.note", lang), keep=True)]
    n += 1
    blocks.append(_heading(n, "mon.s7", lang))
    blocks += method_blocks(mon, lang)
    return blocks


def monitoring_docx(data: PlanData, mon: Monitoring, lang: str = "zh", kind: str = "annual",
                    hist: pd.DataFrame | None = None) -> bytes:
    return docx_from_blocks(report_blocks(data, mon, lang, kind, hist), lang)


def monitoring_html(data: PlanData, mon: Monitoring, lang: str = "zh", kind: str = "annual",
                    hist: pd.DataFrame | None = None) -> str:
    return html_from_blocks(report_blocks(data, mon, lang, kind, hist), lang)


# -- charts -------------------------------------------------------------------------------------------------------

CHART_HEIGHT = 300


def history_chart(hist: pd.DataFrame, lang: str = "zh", kind: str = NUMERIC) -> dict:
    """Warnings by year: for each year, how many targets (of ``kind``) are at each level, stacked bars whose legend
    names each level with its icon and word (colour only repeats it)."""
    part = hist[hist["kind"] == kind] if len(hist) else hist
    order = [warning_text(w, lang) for w in WARNINGS]
    colors = [WARNING_COLOR[w] for w in WARNINGS]
    rows = []
    for y in sorted(set(part["year"])) if len(part) else []:
        c = part[part["year"] == y]["warning"].value_counts()
        rows += [{"year": int(y), "level": warning_text(w, lang), "n": int(c.get(w, 0)), "order": i}
                 for i, w in enumerate(WARNINGS)]
    df = pd.DataFrame(rows, columns=["year", "level", "n", "order"])
    x_title, y_title, level_title = tr("eval.axis.year", lang), tr("mon.axis.targets", lang), tr("mon.col.warning",
                                                                                                    lang)
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(n):Q", title=y_title, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("level:N", title=level_title, scale=alt.Scale(domain=order, range=colors), sort=order),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title=x_title), alt.Tooltip("level:N", title=level_title),
                 alt.Tooltip("n:Q", title=y_title)])
    return charts.style(chart, CHART_HEIGHT, legend_columns=2).to_dict(validate=False)


def progress_chart(mon: Monitoring, lang: str = "zh") -> dict:
    """Anticipated progress of each assessable quantitative target as a bullet chart (%, 100 = reaches the target),
    the watch-to-on-track band shaded; each bar's figure and warning written under its name."""
    t = mon.targets[(mon.targets["kind"] == NUMERIC) & mon.targets["anticipated_progress"].notna()]
    df = pd.DataFrame({"label": [_name(r, lang) for r in t.to_dict(orient="records")],
                       "value": [float(v) * 100 for v in t["anticipated_progress"]],
                       "status": [warning_text(w, lang) for w in t["warning"]],
                       "text": [f"{_ratio(r['anticipated_progress'])} · {warning_text(r['warning'], lang)}"
                                for r in t.to_dict(orient="records")]})
    levels = list(WARNINGS[:3])
    return charts.bullet(df, x_title=tr("mon.axis.ap", lang), label_title=tr("eval.col.indicator", lang),
                         status_title=tr("mon.col.warning", lang), statuses=[warning_text(w, lang) for w in levels],
                         colors=[WARNING_COLOR[w] for w in levels],
                         band=(mon.settings.watch * 100, mon.settings.on_track * 100))


__all__ = ["monitoring_tables", "monitoring_files", "monitoring_docx", "monitoring_html", "report_blocks",
           "warning_lines", "warning_sentence", "warning_label", "warning_text", "need_text", "problems",
           "history_chart", "progress_chart", "method_blocks", "project_line", "project_status", "projects_summary", "plan_name", "programme_names", "WARNING_KEY",
           "WARNING_ICON", "WARNING_COLOR", "CSV_FILES", "REPORT_FILES", "MONITOR_FILES", "MONITORING_CSV_COLUMNS",
           "TASKS_CSV_COLUMNS", "PROJECT_CSV_COLUMNS", "KINDS"]

"""The final evaluation's files: tidy CSVs, the report as Word (.docx) and as one self-contained HTML page.

The report is what an office files (issue #23 item 6): 一、总体评价 (a conclusion generated from the counts and the
output paths); 二、主要成效 (targets met, projects completed); 三、目标完成情况 (the table with each figure's source,
scope, measure and release; qualitative targets; each output path with its sentence and chart; the monitoring
indicators; long-term targets, not graded); 四、重大项目建设情况 (and roads where the plan lists any); 五、存在问题
(implementation problems, and apart from them what the data lack or must reconcile); 六、下一步工作建议 (generated
from the findings, marked as a draft for editing); 七、评估方法和数据说明 (rules, thresholds, the comparability rule,
releases and sources used); an appendix naming the data by name and ID.

Nothing here names a plan: the plan's names, segments, areas and categories come from the package (``data``). A
figure on another scope or measure than its target has no completion, progress, growth or gap anywhere (tables, CSVs,
charts, sentences). Every text comes from the translation table (``strings/evaluation.csv``, keys ``eval.*``); both
renderers walk one list of blocks, so the .docx and the HTML say the same. Pure: no files are written here (the CLI
hands the bytes to :func:`model.io.files.write_folder`).
"""
from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..calc.evaluation import (FLAG_BASE_MEASURE, FLAG_DERIVED, FLAG_LATEST, FLAG_SCOPE_UNSTATED, MET, MISMATCH,
                               NEARLY, NO_DATA, NOT_MET, QUAL_PENDING, Evaluation)
from ..io.actuals import (CITY_LEVEL, ESTIMATE, QUALITATIVE, QUALITATIVE_STATES, VINTAGES, ProjectActuals,
                          canonical_measure)
from ..io.actuals import STATUSES as PROJECT_STATUSES
from ..io.actuals import template_tables, template_xlsx
from ..io.export import comparator_text, csv_bytes
from ..plan.tables import MONEY_UNITS, PlanData, money_factor
from . import charts
from .brief import set_fonts
from ..units import COUNT_UNITS
from .labels import date_text, fmt, inline_unit, rolled_area, unit_text
from .widths import column_widths
from .text import tr

STATUS_KEY = {MET: "eval.status.met", NEARLY: "eval.status.nearly", NOT_MET: "eval.status.not_met",
              MISMATCH: "eval.status.mismatch", QUAL_PENDING: "eval.status.qual_pending", NO_DATA: "eval.status.no_data"}
LONG_TERM_STATUS = "eval.status.long_term"
QUAL_KEY = dict(zip(QUALITATIVE_STATES, ("eval.qual.done", "eval.qual.going", "eval.qual.not_started")))
CLAUSE_KEY = {MET: "eval.clause.met", NEARLY: "eval.clause.nearly", NOT_MET: "eval.clause.not_met",
              MISMATCH: "eval.clause.mismatch", NO_DATA: "eval.clause.no_data", QUAL_PENDING: "eval.clause.qual"}
PROJECT_STATUS_KEY = {s: f"eval.project_status.{s}" for s in PROJECT_STATUSES}
PROJECT_CLAUSES = ("竣工", "在建", "未开工", "调出")  # the order the overview counts them in (then 未报送)
PROJECT_CLAUSE_KEY = {s: f"eval.pclause.{s}" for s in PROJECT_CLAUSES} | {"": "eval.pclause.none"}
REASON_KEY = {"scope": "eval.reason.scope", "measure": "eval.reason.measure", "estimate": "eval.reason.estimate"}
CMP_KEY = {">": "eval.cmp.gt", ">=": "eval.cmp.ge", "=": "eval.cmp.eq", "~": "eval.cmp.about", "<=": "eval.cmp.le"}
# texts with a count: "{n} targets …" has a singular twin "<key>.one" ("1 target …"; the same words in Chinese)
COUNTED_KEYS = ("eval.overview.counts", "eval.overview.project_status", "eval.overview.new_projects", "eval.a.met",
                "eval.a.qual", "eval.a.projects", "eval.a.roads", "eval.seg.others", "eval.p.not_met",
                "eval.p.nearly", "eval.p.delayed", "eval.p.unstarted", "eval.p.roads_delayed", "eval.p.qual_lagging",
                "eval.d.mismatch", "eval.d.no_data", "eval.d.latest", "eval.d.qual_pending", "eval.d.scope_unstated")
# keys built at run time (model.report.keys.dynamic_keys)
DYNAMIC_KEYS = (frozenset(PROJECT_STATUS_KEY.values()) | frozenset(PROJECT_CLAUSE_KEY.values())
                | frozenset(f"{k}.one" for k in COUNTED_KEYS))
COMPARATOR_SHOWN = {">": ">", ">=": "≥", "<=": "≤", "~": "≈", "=": ""}  # how a target is qualified in tables
MARK_LATEST, MARK_DERIVED, MARK_BASE_MEASURE = "*", "‡", "§"
TOP_N = 6  # items named in a sentence before "… and n more" (等)
ZH_NUMBERS, EN_LETTERS = "一二三四五六七八九十", "abcdefghij"  # sub-section numbers: （一） / (a)
# the measures model.io.actuals knows by name (canonical_measure); any other measure is the text the office typed
MEASURE_KEY = {ESTIMATE: "eval.measure.estimate", CITY_LEVEL: "eval.measure.city_level",
               QUALITATIVE: "eval.measure.qualitative"}

# output file names per language
CSV_FILES = ("evaluation.csv", "execution_projects.csv", "execution_roads.csv", "evaluation_summary.csv",
             "evaluation_monitoring.csv")
REPORT_FILES = {"zh": ("评估报告.docx", "评估报告.html"), "en": ("evaluation-report.docx", "evaluation-report.html")}
EVALUATE_FILES = frozenset(CSV_FILES) | frozenset(n for pair in REPORT_FILES.values() for n in pair)
TEMPLATE_FILES = ("actuals-template.csv", "projects-template.csv", "roads-template.csv", "actuals-template.xlsx")

# the first 15 columns are those of the files made before scopes and releases (scripts read them by name)
EVALUATION_CSV_COLUMNS = ["indicator_id", "name", "target", "comparator", "baseline", "actual", "actual_year", "unit",
                          "measure", "completion_pct", "progress_pct", "status", "target_year", "target_measure",
                          "flags", "scope", "vintage", "source", "comparable", "reason", "target_scope", "target_max",
                          "basis", "direction"]
MONITORING_CSV_COLUMNS = ["indicator_id", "name", "year", "actual", "unit", "measure", "scope", "vintage",
                          "comparable", "reason", "target_measure", "target_scope", "source", "note"]
SUMMARY_CSV_COLUMNS = ["metric", "group", "value", "unit", "note"]


# -- number formats (the app's: model.report.labels.fmt, halves rounded up) --------------------------------
#
# Output in 亿元 one decimal, investment in 亿元 two, money in 万元 and lengths in metres whole, growth rates two
# decimals, completion and progress one (as the evaluation page shows them). Counts and figures as the plan states
# them keep their own digits (num). "—" stands for a missing value in a table cell only: a sentence is written
# differently when a value is missing.

YI_DECIMALS, INVEST_DECIMALS, WAN_DECIMALS, LENGTH_DECIMALS = 1, 2, 0, 0
RATE_DECIMALS, COMPLETION_DECIMALS = 2, 1
UNIT_DECIMALS = {"亿元": YI_DECIMALS, "万元": WAN_DECIMALS, "m": LENGTH_DECIMALS, "米": LENGTH_DECIMALS,
                 "%": RATE_DECIMALS, "%/年": RATE_DECIMALS}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and not math.isfinite(v)) or v != v


def _finite(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def num(v, decimals: int = 2) -> str:
    """A count or a figure as the plan states it: ``12,345`` / ``1,234.57`` — thousands separators, at most
    ``decimals`` decimals, trailing zeros dropped; ``—`` for a missing value. Any other figure has fixed decimals
    (:func:`value`, :func:`money`, :func:`pct`)."""
    if _missing(v):
        return "—"
    text = fmt(float(v), decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def pct(v, decimals: int = COMPLETION_DECIMALS) -> str:
    """A percentage already in % with fixed decimals (``93.75`` → ``93.8%``; rates: ``pct(v, 2)`` → ``4.74%``)."""
    return "—" if _missing(v) else f"{fmt(float(v), decimals).replace(',', '')}%"


def rate(v) -> str:
    """A growth rate in % (``4.74%``)."""
    return pct(v, RATE_DECIMALS)


def money(v, unit: str) -> str:
    """Investment: 亿元 with two decimals (``5.50``), 万元 whole (``42,000``)."""
    return "—" if _missing(v) else fmt(float(v), INVEST_DECIMALS if unit == "亿元" else WAN_DECIMALS)


def value(v, unit: str, stated: bool = False) -> str:
    """An indicator's figure in its unit: as printed when the plan states it (``stated``) or when it is a count
    (家, 个 …); else with the unit's decimals (output 亿元 one, 万元 and metres none, % two; others two)."""
    if _missing(v):
        return "—"
    if stated or unit in COUNT_UNITS or unit == "分钟":
        return num(v)
    return fmt(float(v), UNIT_DECIMALS.get(unit, 2))


def fig(v, unit: str, lang: str, stated: bool = False) -> str:
    """A figure with its unit as a sentence writes it: ``1,280.0亿元`` in Chinese, ``1,280.0 亿元`` in English
    (``3.50%`` in both; an English count without its Chinese measure word: ``150``). Never called with a missing
    value: the sentence says so instead."""
    text = value(v, unit, stated)
    u = inline_unit(unit, lang)
    if not u:
        return text
    return f"{text}{u}" if lang == "zh" or unit.startswith("%") else f"{text} {u}"


def measure_text(measure: str, lang: str) -> str:
    """A statistical measure in ``lang``: estimate / 定性 by name; any other as typed (规模以上 …); 口径未注明 when
    the file states none."""
    key = MEASURE_KEY.get(canonical_measure(measure))
    return tr(key, lang) if key else (measure or tr("eval.not_stated.measure", lang))


def scope_text(data: PlanData, scope: str, lang: str) -> str:
    """A scope by its name (园区 / 市级 … from the engine's enumerations), or 范围未注明."""
    return data.label("scope", scope, lang) if scope else tr("eval.not_stated.scope", lang)


def vintage_text(data: PlanData, vintage: str, lang: str) -> str:
    """A release by its name (预计 / 快报 / 年报 / 修订), or 版本未注明."""
    return data.label("vintage", vintage, lang) if vintage else tr("eval.not_stated.vintage", lang)


def _word(text: str, lang: str) -> str:
    """A label inside an English sentence starts lower-case (City → city figures)."""
    return text[:1].lower() + text[1:] if lang == "en" else text


def _cap(text: str, lang: str) -> str:
    """An English sentence starts upper-case (a segment's output name is written lower-case)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def counted(key: str, lang: str, n: int, **values) -> str:
    """A text with a count ``n``: the singular twin (``<key>.one``) when n is 1."""
    return tr(f"{key}.one" if n == 1 else key, lang, n=n, **values)


def enum_name(data: PlanData, column: str, v: str, lang: str) -> str:
    """An area, category or funding source by its name in ``lang`` (the package's); ``—`` for none."""
    return data.label(column, v, lang) if v and v != "—" else "—"


def status_label(status: str, lang: str) -> str:
    return tr(STATUS_KEY[status], lang) if status in STATUS_KEY else status


def _name(rec: dict, lang: str) -> str:
    return rec.get(f"name_{lang}") or rec.get("name_zh") or ""


def _join(items: list[str], lang: str) -> str:
    """Items as a list in a sentence, the first few named (``A、B、C等`` / ``A, B, C and 3 more``)."""
    sep = tr("eval.sep", lang)
    if len(items) <= TOP_N:
        return sep.join(items)
    return tr("eval.more", lang, items=sep.join(items[:TOP_N]), n=len(items))


def comparable(rec: dict) -> bool:
    """Whether a target's completion and progress may be read: not when its figure is on another scope or measure
    (status 口径不一致, a ``reason``)."""
    return rec.get("status") != MISMATCH and not rec.get("reason")


def plan_values(data: PlanData, lang: str) -> dict:
    """The plan's names the report's texts use (short name, else the name; the next period, if any)."""
    return {"plan_short": data.meta.text("short_name", lang) or data.meta.text("name", lang),
            "next_period": data.meta.text("next_period", lang)}


def seg_label(data: PlanData, seg: str, lang: str) -> str:
    """A segment's output as a quantity (its output name in the package, e.g. 新材料产值 / new-materials output)."""
    return data.segments[seg].output_name(lang) if seg in data.segments else seg


def target_text(rec: dict, lang: str) -> str:
    """A target as a sentence states it: 突破N亿元 / over N 亿元, N亿元以上, M—N家 (a range)."""
    unit = rec["unit"]
    v = fig(rec["target"], unit, lang, stated=True)
    if _finite(rec.get("target_max")):  # a range (3—5家) says its own bounds: no comparator word
        return tr("eval.range", lang, v=value(rec["target"], unit, stated=True),
                  max=fig(rec["target_max"], unit, lang, stated=True))
    return tr(CMP_KEY.get(rec["comparator"], "eval.cmp.eq"), lang, v=v)


def target_cell(rec: dict, lang: str) -> str:
    """A target in a table: the comparator's sign, the figure and its unit (≥380亿元, 3–5家)."""
    unit = rec["unit"]
    v = fig(rec["target"], unit, lang, stated=True)
    if _finite(rec.get("target_max")):
        return tr("eval.range", lang, v=value(rec["target"], unit, stated=True),
                  max=fig(rec["target_max"], unit, lang, stated=True))
    return f"{COMPARATOR_SHOWN.get(rec['comparator'], '')}{v}"


def what_text(data: PlanData, reason: str, scope: str, measure: str, lang: str) -> str:
    """What a figure not compared is: 市级数据 / city figures, “营业收入”口径数据, 估算值."""
    if reason == "estimate" or canonical_measure(measure) == ESTIMATE:
        return tr("eval.what.estimate", lang)
    if reason == "scope":
        return tr("eval.what.scope", lang, scope=_word(scope_text(data, scope, lang), lang))
    return tr("eval.what.measure", lang, measure=measure_text(measure, lang))


def basis_text(data: PlanData, scope: str, measure: str, vintage: str, lang: str) -> str:
    """Scope, measure and release of a figure (园区，总产值，年报), each said where the file states none."""
    return tr("eval.cell.basis", lang, scope=scope_text(data, scope, lang), measure=measure_text(measure, lang),
              vintage=vintage_text(data, vintage, lang))


SOURCE_KEY = {"roads": "eval.source.roads"}  # sources the evaluation itself writes (road totals from the reports)


def source_text(source: str, lang: str) -> str:
    return tr(SOURCE_KEY[source], lang) if source in SOURCE_KEY else source


def source_cell(data: PlanData, rec: dict, lang: str) -> str:
    """The 来源/口径 cell of a target's figure: its source, then scope, measure and release (— without a figure)."""
    if _missing(rec.get("actual_year")):
        return "—"
    if rec["comparator"] == "qual":
        return source_text(rec.get("source") or "", lang) or "—"
    basis = basis_text(data, rec.get("scope", ""), rec.get("measure", ""), rec.get("vintage", ""), lang)
    return tr("eval.cell.source", lang, source=source_text(rec["source"], lang), basis=basis) if rec.get("source") \
        else basis


def reason_text(reason: str, lang: str) -> str:
    return tr(REASON_KEY[reason], lang) if reason in REASON_KEY else ""


def _sub(n: int, title_key: str, lang: str) -> str:
    """A sub-section's heading, numbered （一） / (a) in the order the sub-sections appear."""
    mark = ZH_NUMBERS[n] if lang == "zh" else EN_LETTERS[n]
    return tr("eval.sub", lang, n=mark, title=tr(title_key, lang))


# -- tidy CSV files --------------------------------------------------------------------------------

def _default_plan() -> PlanData:
    from ..plan.registry import default_plan

    return default_plan()


def evaluation_tables(ev: Evaluation, lang: str = "zh", data: PlanData | None = None) -> dict[str, pd.DataFrame]:
    """The tidy tables of ``python -m model evaluate`` (names, statuses, scopes and releases in ``lang``).

    ``evaluation.csv`` (:data:`EVALUATION_CSV_COLUMNS`): one row per target, values in ``unit``; ``completion_pct``
    and ``progress_pct`` in %, blank where undefined and always blank for a figure on another scope or measure
    (``comparable`` 0, ``reason`` says why); ``scope``, ``measure`` and ``vintage`` of the figure used, each said
    where the file states none (口径未注明 …); the long-term targets follow, status 远景目标（不评价）, never graded.
    ``execution_projects.csv`` (money in 亿元, ``_yi``) and ``execution_roads.csv`` (money in 万元, ``_wan``; lengths
    in m): one row per project / road, ``new`` / ``delayed`` / ``unstarted`` as 0/1. ``evaluation_summary.csv``:
    ``metric,group,value,unit,note`` (a growth or gap left blank says why in ``note``).
    ``evaluation_monitoring.csv``: the monitoring indicators' figures by year with their scope, measure, release and
    whether they are on the plan's scope and measure.
    """
    data = data if data is not None else _default_plan()
    ind = pd.concat([ev.indicators.assign(_long=False), ev.long_term.assign(_long=True)], ignore_index=True)
    recs = ind.to_dict(orient="records")
    ind["name"] = [_name(r, lang) for r in recs]
    has_fig = [not _missing(r["actual_year"]) and r["comparator"] != "qual" for r in recs]
    ind["status"] = [tr(LONG_TERM_STATUS, lang) if r["_long"] else status_label(r["status"], lang) for r in recs]
    ok = [comparable(r) for r in recs]
    for c in ("completion_pct", "progress_pct"):  # no arithmetic with a figure on another scope or measure
        ind[c] = [v if k and not r["_long"] else math.nan for v, k, r in zip(ind[c], ok, recs)]
    ind["measure"] = [measure_text(r["measure"], lang) if h else r["measure"] for r, h in zip(recs, has_fig)]
    ind["scope"] = [scope_text(data, r["scope"], lang) if h else "" for r, h in zip(recs, has_fig)]
    ind["vintage"] = [vintage_text(data, r["vintage"], lang) if h else "" for r, h in zip(recs, has_fig)]
    ind["comparable"] = [("1" if k else "0") if h else "" for k, h in zip(ok, has_fig)]
    ind["reason"] = [reason_text(r["reason"], lang) for r in recs]
    ind["target_scope"] = [scope_text(data, r["target_scope"], lang) for r in recs]
    ind["basis"] = [data.label("basis", r["basis"], lang) for r in recs]
    ind["direction"] = [data.label("direction", r["direction"], lang) for r in recs]
    ind = ind.assign(comparator=ind["comparator"].map(comparator_text))
    proj = ev.projects.copy()
    proj.insert(1, "name", proj[f"name_{lang}"])
    proj = proj.drop(columns=["name_zh", "name_en"])
    roads = ev.roads.copy()
    roads.insert(1, "name", roads[f"name_{lang}"])
    roads = roads.drop(columns=["name_zh", "name_en"])
    for df in (proj, roads):
        for c in ("new", "delayed", "unstarted"):
            if c in df.columns:
                df[c] = df[c].astype(int)
    summary = ev.summary.copy()
    summary["group"] = [status_label(g, lang) if m == "targets_by_status" else g
                        for m, g in zip(summary["metric"], summary["group"])]
    summary["note"] = _summary_notes(ev, lang)
    mon = ev.monitoring.copy()
    mrecs = mon.to_dict(orient="records")
    mon["name"] = [_name(r, lang) for r in mrecs]
    seen = [not _missing(r["year"]) for r in mrecs]
    mon["measure"] = [measure_text(r["measure"], lang) if s else "" for r, s in zip(mrecs, seen)]
    mon["scope"] = [scope_text(data, r["scope"], lang) if s else "" for r, s in zip(mrecs, seen)]
    mon["vintage"] = [vintage_text(data, r["vintage"], lang) if s else "" for r, s in zip(mrecs, seen)]
    mon["comparable"] = [("1" if r["comparable"] else "0") if s else "" for r, s in zip(mrecs, seen)]
    mon["reason"] = [reason_text(r["reason"], lang) for r in mrecs]
    mon["target_scope"] = [scope_text(data, r["target_scope"], lang) for r in mrecs]
    return {"evaluation.csv": ind[EVALUATION_CSV_COLUMNS], "execution_projects.csv": proj,
            "execution_roads.csv": roads, "evaluation_summary.csv": summary[SUMMARY_CSV_COLUMNS],
            "evaluation_monitoring.csv": mon[MONITORING_CSV_COLUMNS]}


SEGMENT_METRICS = ("latest_actual", "latest_year", "cagr_pct", "shortfall_to_plan_path")


def _summary_notes(ev: Evaluation, lang: str) -> list[str]:
    """Why a per-segment figure of the summary is blank: no comparable figure (and how many others were left out),
    or a base the plan does not state."""
    growth = {g["segment"]: g for g in ev.growth.to_dict(orient="records")}
    out = []
    for m, grp, v in zip(ev.summary["metric"], ev.summary["group"], ev.summary["value"]):
        g = growth.get(grp) if m in SEGMENT_METRICS else None
        note = ""
        if g is not None and _missing(v):
            if _missing(g["latest_year"]):
                note = tr("eval.csv.no_comparable", lang, n=int(g["other_figures"]))
            elif m == "cagr_pct" and g["base_kind"] == "assumed":
                note = tr("eval.csv.base_assumed", lang)
        elif g is not None and m == "cagr_pct" and g["base_kind"] == "derived":
            note = tr("eval.csv.base_derived", lang)
        out.append(note)
    return out


def evaluation_files(data: PlanData, ev: Evaluation, lang: str = "zh", report: bool = False) -> dict[str, bytes]:
    """Every file of an evaluation folder as bytes (CSV: UTF-8 with BOM, formulas neutralised)."""
    files = {name: csv_bytes(df, name) for name, df in evaluation_tables(ev, lang, data).items()}
    if report:
        docx_name, html_name = REPORT_FILES[lang]
        files[docx_name] = evaluation_docx(data, ev, lang)
        files[html_name] = evaluation_html(data, ev, lang).encode("utf-8")
    return files


def template_files(data: PlanData) -> dict[str, bytes]:
    """The blank templates: three CSVs (UTF-8 with BOM) and one .xlsx with a sheet each."""
    tables = template_tables(data)
    files = {f"{kind}-template.csv": csv_bytes(df) for kind, df in tables.items()}
    files["actuals-template.xlsx"] = template_xlsx(tables)
    return files


# -- the report's content, as blocks ---------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One piece of the report: ``kind`` is title / meta / h1 / h2 / p / caption (of the next table) / bullets /
    table / chart / note. ``keep``: kept on one page with what follows (a heading always is)."""

    kind: str
    text: str = ""
    items: tuple = ()  # bullets: texts; table: rows
    head: tuple = ()  # table: header cells
    widths: tuple = ()  # table: relative column widths wanted (each column at least as wide as its longest word)
    spec: dict | None = None  # chart: Vega-Lite spec
    keep: bool = False


def _group(frame: pd.DataFrame, dimension: str) -> list[dict]:
    return frame[frame["dimension"] == dimension].to_dict(orient="records")


def _numeric(ev: Evaluation) -> pd.DataFrame:
    return ev.indicators[ev.indicators["comparator"] != "qual"]


def _qual(ev: Evaluation) -> pd.DataFrame:
    return ev.indicators[ev.indicators["comparator"] == "qual"]


def _flags(rec: dict) -> set[str]:
    return set(filter(None, str(rec.get("flags", "")).split(";")))


def _worst(ev: Evaluation, seg: str):
    """The year whose change of the gap to the plan path was the largest widening, and that change (or None)."""
    s = ev.series[(ev.series["segment"] == seg) & ev.series["shortfall_increment"].notna()
                  & (ev.series["year"] > ev.calendar.base_year)]
    if len(s) < 2 or not (s["shortfall_increment"] > 0).any():
        return None
    row = s.loc[s["shortfall_increment"].idxmax()]
    return int(row["year"]), float(row["shortfall_increment"])


def _others(ev: Evaluation, seg: str) -> pd.DataFrame:
    o = ev.other_figures
    return o[o["segment"] == seg] if len(o) else o


def _whats(data: PlanData, others: pd.DataFrame, lang: str) -> str:
    """The kinds of figures not compared, each once (市级数据、省级数据 / city figures, province figures)."""
    items = [what_text(data, r["reason"], r["scope"], r["measure"], lang) for r in others.to_dict(orient="records")]
    return tr("eval.sep", lang).join(dict.fromkeys(items))


def segment_sentence(ev: Evaluation, g: dict, lang: str, data: PlanData) -> str:
    """The paragraph on one output segment at its latest comparable figure: figure, completion, growth achieved and
    needed, the gap to the plan path; figures on another scope or measure are named, never computed with. A
    segment with none says so (a sentence of its own, no "—")."""
    seg = g["segment"]
    name = seg_label(data, seg, lang)
    others = _others(ev, seg)
    if _missing(g["latest_year"]):
        if len(others):
            last = others.sort_values(["year"]).iloc[-1]
            return _cap(tr("eval.seg.only_others", lang, name=name, what=_whats(data, others, lang),
                           year=int(last["year"]), value=fig(last["value"], last["unit"], lang)), lang)
        return _cap(tr("eval.seg.nodata", lang, name=name, first=ev.calendar.plan_first_year), lang)
    unit, year = g["unit"], int(g["latest_year"])
    ind = ev.indicators.set_index("indicator_id")
    row = ind.loc[g["indicator_id"]].to_dict() if g["indicator_id"] in ind.index else None
    if row is not None and comparable(row) and row["actual_year"] == year and _finite(row["completion_pct"]):
        completion = row["completion_pct"]
    else:
        completion = g["latest_actual"] / g["target"] * 100 if g["target"] else math.nan
    # in the unit the plan writes the target in (a plan in 万元 reads 万元 here as in its table), converted exactly
    shown = row["unit"] if row is not None and row.get("unit") in MONEY_UNITS and unit in MONEY_UNITS else unit
    factor = money_factor(unit, shown) if shown != unit else 1.0

    def money_fig(v, stated: bool = False) -> str:
        return fig(v * factor if _finite(v) and factor != 1.0 else v, shown, lang, stated=stated)

    values = dict(year=year, name=name, actual=money_fig(g["latest_actual"]),
                  target=money_fig(g["target"], stated=True), base_year=g["base_year"],
                  completion=pct(completion), cagr=rate(g["cagr_pct"]), required=rate(g["required_cagr_pct"]),
                  base=money_fig(g["base"]))
    if g["base_kind"] == "assumed":
        key = "eval.seg.sentence_assumed"
    elif not (_finite(g["cagr_pct"]) and _finite(completion)):
        key = "eval.seg.sentence_nogrowth"
    else:
        key = "eval.seg.sentence_derived" if g["base_kind"] == "derived" else "eval.seg.sentence"
    if not _finite(completion):
        key = "eval.seg.sentence_plain"
    parts = [_cap(tr(key, lang, **values), lang)]
    if FLAG_BASE_MEASURE in _flags(g) and key in ("eval.seg.sentence", "eval.seg.sentence_derived"):
        parts.append(tr("eval.seg.base_measure", lang, base_year=g["base_year"]))
    gap = g["shortfall"]
    if _finite(gap) and gap > 0:
        worst = _worst(ev, seg)
        parts.append(tr("eval.seg.below", lang, gap=money_fig(gap), worst_year=worst[0],
                        inc=money_fig(worst[1])) if worst else tr("eval.seg.below_once", lang,
                                                                        gap=money_fig(gap)))
    elif _finite(gap) and gap < 0:
        parts.append(tr("eval.seg.above", lang, gap=money_fig(-gap)))
    if len(others):
        parts.append(_cap(counted("eval.seg.others", lang, len(others), name=name, what=_whats(data, others, lang)),
                          lang))
    return ("" if lang == "zh" else " ").join(parts)


def _verdict(c: dict, lang: str) -> str:
    graded = c[MET] + c[NEARLY] + c[NOT_MET]
    good = c[MET] + c[NEARLY]
    if not graded:
        return tr("eval.verdict.none", lang)
    if c[MET] == graded:
        return tr("eval.verdict.all_met", lang)
    key = "eval.verdict.mostly" if 3 * good >= 2 * graded else "eval.verdict.short"
    return tr(key, lang, graded=graded, good=good)


def _counts_sentence(ev: Evaluation, lang: str) -> str:
    c = ev.counts()
    n = len(ev.indicators)
    if not n:
        return tr("eval.overview.no_targets", lang)
    clauses = tr("eval.clause_sep", lang).join(tr(CLAUSE_KEY[s], lang, n=c[s]) for s in CLAUSE_KEY if c[s])
    sep = "" if lang == "zh" else " "
    return counted("eval.overview.counts", lang, n, clauses=clauses) + sep + _verdict(c, lang)


def _paths_sentence(data: PlanData, ev: Evaluation, lang: str) -> str | None:
    items = []
    for g in ev.growth.to_dict(orient="records"):
        name = seg_label(data, g["segment"], lang)
        if _missing(g["latest_year"]):
            items.append(tr("eval.path.none", lang, name=name))
            continue
        values = dict(name=name, year=int(g["latest_year"]), actual=fig(g["latest_actual"], g["unit"], lang))
        if _finite(g["shortfall"]) and g["shortfall"] > 0:
            items.append(tr("eval.path.below", lang, gap=fig(g["shortfall"], g["unit"], lang), **values))
        else:
            items.append(tr("eval.path.above", lang, **values))
    if not items:
        return None
    if len(items) == 1:
        return tr("eval.overview.path_one", lang, item=items[0])
    return tr("eval.overview.paths", lang, items=tr("eval.path_sep", lang).join(items))


def _plan_has_projects(data: PlanData, ev: Evaluation) -> bool:
    return len(data.projects) > 0 or bool(len(ev.projects))


def _projects_sentence(data: PlanData, ev: Evaluation, lang: str) -> str:
    if not _plan_has_projects(data, ev):
        return tr("eval.overview.no_project_list", lang)
    if not ev.has_projects:
        return tr("eval.overview.no_projects", lang)
    p = ev.projects
    listed = p[~p["new"]]
    parts = []
    if len(listed):
        statuses = [s if s in PROJECT_CLAUSES else "" for s in listed["status"]]
        clauses = [tr(PROJECT_CLAUSE_KEY[s], lang, n=statuses.count(s)) for s in PROJECT_CLAUSES + ("",)
                   if statuses.count(s)]
        parts.append(counted("eval.overview.project_status", lang, len(listed),
                             clauses=tr("eval.clause_sep", lang).join(clauses)))
    new = int(p["new"].sum())
    if new:
        parts.append(counted("eval.overview.new_projects", lang, new))
    total = _group(ev.project_groups, "all")
    g = total[0] if total else None
    if g is not None and _finite(g["planned"]):
        if _finite(g["invested"]) and _finite(g["completion_pct"]):
            parts.append(tr("eval.overview.project_money", lang, planned=money(g["planned"], g["unit"]),
                            invested=money(g["invested"], g["unit"]), unit=g["unit"], pct=pct(g["completion_pct"])))
        else:
            parts.append(tr("eval.overview.project_money_nodata", lang, planned=money(g["planned"], g["unit"]),
                            unit=g["unit"]))
    if g is not None and _finite(g["invested_new"]):  # outside the plan's list: told, never in its completion
        parts.append(tr("eval.overview.new_money", lang, invested=money(g["invested_new"], g["unit"]),
                        unit=g["unit"]))
    return ("" if lang == "zh" else " ").join(parts)


def _roads_sentence(data: PlanData, ev: Evaluation, lang: str) -> str | None:
    if not len(data.roads):
        return None
    if not ev.has_roads:
        return tr("eval.overview.no_roads", lang)
    g = _group(ev.road_groups, "all")[0]
    s = {m: v for m, grp, v, _ in ev.summary.itertuples(index=False) if grp == "all"}
    if _finite(g["invested"]) and _finite(g["completion_pct"]):
        money_part = tr("eval.overview.road_money", lang, planned=money(g["planned"], g["unit"]),
                        invested=money(g["invested"], g["unit"]), unit=g["unit"], pct=pct(g["completion_pct"]))
    else:
        money_part = tr("eval.overview.road_money_nodata", lang, planned=money(g["planned"], g["unit"]),
                        unit=g["unit"])
    built, length, share = (s.get(k) for k in ("road_length_built_m", "road_length_plan_m", "road_length_pct"))
    if _finite(built) and _finite(length) and _finite(share):
        length_part = tr("eval.overview.road_length", lang, built=value(built, "m"), length=value(length, "m"),
                         length_pct=pct(share))
    else:
        length_part = tr("eval.overview.road_length_nodata", lang)
    return tr("eval.overview.roads", lang, money=money_part, length=length_part)


def _overview(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    out = [Block("p", _counts_sentence(ev, lang))]
    paths = _paths_sentence(data, ev, lang)
    if paths:
        out.append(Block("p", _cap(paths, lang)))
    if _plan_has_projects(data, ev):
        out.append(Block("p", _projects_sentence(data, ev, lang)))
    roads = _roads_sentence(data, ev, lang)
    if roads:
        out.append(Block("p", roads))
    return out


# -- 二、主要成效 --------------------------------------------------------------------------------------

def _project_name(r: dict, lang: str) -> str:
    name = f"{r['project_id']} {_name(r, lang)}"
    return tr("eval.item.new", lang, name=name) if r.get("new") else name


def achievements(data: PlanData, ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 二、主要成效: targets met (with figure and target), qualitative targets done, output above its
    plan path, projects and roads completed."""
    out = []
    met = _numeric(ev)
    met = met[met["status"] == MET].to_dict(orient="records")
    if met:
        out.append(counted("eval.a.met", lang, len(met), items=_join([tr(
            "eval.item.met", lang, name=_name(r, lang), actual=fig(r["actual"], r["unit"], lang),
            target=target_text(r, lang)) for r in met], lang)))
    done = _qual(ev)
    done = done[done["status"] == MET].to_dict(orient="records")
    if done:
        out.append(counted("eval.a.qual", lang, len(done), items=_join([_name(r, lang) for r in done], lang)))
    status = dict(zip(ev.indicators["indicator_id"], ev.indicators["status"]))
    for g in ev.growth.to_dict(orient="records"):
        if _missing(g["latest_year"]) or not _finite(g["shortfall"]) or g["shortfall"] > 0:
            continue
        if g["latest_year"] >= g["target_year"] and status.get(g["indicator_id"]) != MET:
            continue  # on the path in the target year but the target not met (突破 is strict): no achievement
        values = dict(name=seg_label(data, g["segment"], lang), year=int(g["latest_year"]),
                      actual=fig(g["latest_actual"], g["unit"], lang))
        out.append(_cap(tr("eval.a.path", lang, gap=fig(-g["shortfall"], g["unit"], lang), **values)
                        if g["shortfall"] < 0 else tr("eval.a.path_on", lang, **values), lang))
    if ev.has_projects:
        recs = ev.projects[ev.projects["status"] == "竣工"].to_dict(orient="records")
        if recs:
            out.append(counted("eval.a.projects", lang, len(recs), items=_join(
                [_project_name(r, lang) for r in recs], lang)))
    if ev.has_roads:
        recs = ev.roads[ev.roads["status"] == "竣工"].to_dict(orient="records")
        if recs:
            out.append(counted("eval.a.roads", lang, len(recs), items=_join(
                [f"{r['road_id']} {_name(r, lang)}" for r in recs], lang)))
    return out or [tr("eval.a.none", lang)]


# -- 三、目标完成情况 ------------------------------------------------------------------------------------

def _target_rows(data: PlanData, ev: Evaluation, lang: str) -> tuple[tuple, set[str]]:
    rows, marks = [], set()
    for r in _numeric(ev).to_dict(orient="records"):
        flags, unit = _flags(r), r["unit"]
        ok = comparable(r)
        base = value(r["baseline"], unit, stated=FLAG_DERIVED not in flags)
        if not _missing(r["baseline"]):
            if FLAG_DERIVED in flags:
                base += MARK_DERIVED
                marks.add(MARK_DERIVED)
            if FLAG_BASE_MEASURE in flags:
                base += MARK_BASE_MEASURE
                marks.add(MARK_BASE_MEASURE)
        year = "—" if _missing(r["actual_year"]) else str(int(r["actual_year"]))
        if FLAG_LATEST in flags and year != "—":
            year += MARK_LATEST
            marks.add(MARK_LATEST)
        has = not _missing(r["actual"])
        if has and not ok:
            marks.add("nc")
        completion = pct(r["completion_pct"]) if ok else tr("eval.cell.not_comparable", lang) if has else "—"
        progress = pct(r["progress_pct"]) if ok else tr("eval.cell.not_comparable", lang) if has else "—"
        rows.append((_name(r, lang), target_cell(r, lang), base, value(r["actual"], unit), year, completion,
                     progress, status_label(r["status"], lang), source_cell(data, r, lang)))
    return tuple(rows), marks


MARK_KEYS = ((MARK_LATEST, "eval.flag.latest_year"), ("nc", "eval.flag.not_comparable"),
             (MARK_DERIVED, "eval.flag.baseline_derived"), (MARK_BASE_MEASURE, "eval.flag.baseline_measure"))


def _qual_blocks(ev: Evaluation, lang: str) -> list[Block]:
    qual = _qual(ev)
    notes = qual["note"].where(qual["measure"] == QUALITATIVE, "")
    counts = notes.value_counts()
    done, going, not_started = QUALITATIVE_STATES
    rows = tuple((_name(r, lang), tr(QUAL_KEY[n], lang) if n in QUAL_KEY else "—", status_label(r["status"], lang))
                 for r, n in zip(qual.to_dict(orient="records"), notes))
    head = (tr("eval.col.indicator", lang), tr("eval.col.assessment", lang), tr("eval.col.status", lang))
    return [Block("p", tr("eval.s3.qual_summary", lang, n=len(qual), done=int(counts.get(done, 0)),
                          going=int(counts.get(going, 0)), not_started=int(counts.get(not_started, 0)),
                          pending=int((qual["status"] == QUAL_PENDING).sum()))),
            Block("table", head=head, items=rows, widths=(60, 20, 20))]


def _monitoring_blocks(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    m = ev.monitoring
    have = m[m["year"].notna()]
    out = [Block("p", tr("eval.s3.monitoring_intro", lang))]
    if len(have):
        rows = []
        for r in have.to_dict(orient="records"):
            rows.append((_name(r, lang), str(int(r["year"])), value(r["actual"], r["unit"]), unit_text(r["unit"], lang),
                         scope_text(data, r["scope"], lang), measure_text(r["measure"], lang),
                         vintage_text(data, r["vintage"], lang),
                         tr("eval.cell.same", lang) if r["comparable"] else reason_text(r["reason"], lang)))
        head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.year", "eval.col.value", "eval.col.unit",
                                           "eval.col.scope", "eval.col.measure", "eval.col.vintage",
                                           "eval.col.comparable"))
        out.append(Block("table", head=head, items=tuple(rows), widths=(26, 8, 10, 7, 10, 17, 10, 12)))
    missing = m[m["year"].isna()]
    if len(missing):
        out.append(Block("p", tr("eval.s3.monitoring_nodata", lang, items=_join(
            [_name(r, lang) for r in missing.to_dict(orient="records")], lang))))
    return out


def _long_term_blocks(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    rows = []
    for r in ev.long_term.to_dict(orient="records"):
        latest = "—"
        if r["comparator"] != "qual" and not _missing(r["actual"]):
            latest = tr("eval.cell.latest", lang, value=fig(r["actual"], r["unit"], lang), year=int(r["actual_year"]))
        target = "—" if r["comparator"] == "qual" else target_cell(r, lang)
        rows.append((_name(r, lang), str(int(r["target_year"])), target, latest, source_cell(data, r, lang)))
    head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target_year", "eval.col.target",
                                       "eval.col.latest", "eval.col.source"))
    return [Block("p", tr("eval.s3.long_term_intro", lang)),
            Block("table", head=head, items=tuple(rows), widths=(30, 12, 16, 18, 24))]


def _targets_section(data: PlanData, ev: Evaluation, lang: str, with_charts: bool) -> list[Block]:
    out: list[Block] = []
    n = 0
    numeric = _numeric(ev)
    if len(numeric):
        rows, marks = _target_rows(data, ev, lang)
        head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target", "eval.col.baseline",
                                           "eval.col.actual", "eval.col.year", "eval.col.completion",
                                           "eval.col.progress", "eval.col.status", "eval.col.source"))
        out += [Block("h2", _sub(n, "eval.s3.numeric", lang)),
                Block("table", head=head, items=rows, widths=(24, 12, 9, 9, 7, 8, 8, 9, 16))]
        if marks:
            notes = [tr(k, lang) for m, k in MARK_KEYS if m in marks]
            out.append(Block("note", tr("eval.s3.flags", lang, items=tr("eval.path_sep", lang).join(notes))))
        n += 1
    if len(_qual(ev)):
        out += [Block("h2", _sub(n, "eval.s3.qual", lang))] + _qual_blocks(ev, lang)
        n += 1
    if len(ev.growth):
        out.append(Block("h2", _sub(n, "eval.s3.paths", lang)))
        for g in ev.growth.to_dict(orient="records"):
            out.append(Block("p", segment_sentence(ev, g, lang, data)))
            if with_charts:
                title, spec = path_chart(data, ev, g["segment"], lang)
                out.append(Block("chart", title, spec=spec))
        if with_charts:
            short = shortfall_chart(data, ev, lang)
            if short is not None:
                out.append(Block("chart", short[0], spec=short[1]))
        n += 1
    if len(ev.monitoring):
        out += [Block("h2", _sub(n, "eval.s3.monitoring", lang))] + _monitoring_blocks(data, ev, lang)
        n += 1
    if len(ev.long_term):
        out += [Block("h2", _sub(n, "eval.s3.long_term", lang))] + _long_term_blocks(data, ev, lang)
    return out


# -- 四、重大项目建设情况 ------------------------------------------------------------------------------

def _status_text(status: str, lang: str) -> str:
    return tr(PROJECT_STATUS_KEY[status], lang) if status else "—"


def _money_rows(groups: list[dict], total: dict, label, lang: str) -> tuple:
    """(group, planned, invested, completion) per group, then the total."""
    rows = [(rolled_area(label(g["group"]), g.get("sub_areas"), lang), money(g["planned"], g["unit"]),
             money(g["invested"], g["unit"]), pct(g["completion_pct"])) for g in groups]
    rows.append((tr("eval.all", lang), money(total["planned"], total["unit"]), money(total["invested"], total["unit"]),
                 pct(total["completion_pct"])))
    return tuple(rows)


def _projects_blocks(data: PlanData, ev: Evaluation, lang: str, with_charts: bool) -> list[Block]:
    out = [Block("p", _projects_sentence(data, ev, lang))]
    if not ev.has_projects or not len(ev.project_groups):
        return out
    unit = ev.project_groups["unit"].iloc[0]
    head = (tr("eval.col.group", lang), tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=unit),
            tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=unit),
            tr("eval.col.completion", lang))
    total = _group(ev.project_groups, "all")[0]
    for key, dim in (("eval.s4.by_area", "area"), ("eval.s4.by_category", "category")):
        groups = _group(ev.project_groups, dim)
        if groups:
            rows = _money_rows(groups, total, lambda v, d=dim: enum_name(data, d, v, lang), lang)
            out += [Block("caption", tr(key, lang)), Block("table", head=head, items=rows, widths=(40, 20, 20, 20))]
    if with_charts:
        inv = invest_chart(data, ev, lang)
        if inv is not None:
            out.append(Block("chart", inv[0], spec=inv[1]))
    rows = tuple((_project_name(r, lang), money(r["planned_yi"], unit), money(r["invested_yi"], unit),
                  pct(r["completion_pct"]), _status_text(r["status"], lang))
                 for r in ev.projects.to_dict(orient="records"))
    out += [Block("caption", tr("eval.s4.detail", lang)),
            Block("table", head=(tr("eval.col.project", lang),) + head[1:] + (tr("eval.col.latest_status", lang),),
                  items=rows, widths=(44, 14, 14, 14, 14))]
    return out


def _roads_blocks(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    out = [Block("p", _roads_sentence(data, ev, lang))]
    if not ev.has_roads:
        return out
    total = _group(ev.road_groups, "all")[0]
    rows = _money_rows(_group(ev.road_groups, "funding_source"), total,
                       lambda v: enum_name(data, "funding_source", v, lang), lang)
    wan = ev.road_groups["unit"].iloc[0]
    rhead = (tr("eval.col.group", lang),
             tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=wan),
             tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=wan),
             tr("eval.col.completion", lang))
    out += [Block("caption", tr("eval.s4.by_funding", lang)),
            Block("table", head=rhead, items=rows, widths=(40, 20, 20, 20))]
    district = ev.summary[ev.summary["metric"].str.startswith("district_finance")]
    if len(district):  # only a plan whose enumerations flag an own-budget funding source
        v = dict(zip(district["metric"], district["value"]))
        source = enum_name(data, "funding_source", district["group"].iloc[0], lang)
        planned, paid, share = (v.get(k) for k in ("district_finance_planned_wan", "district_finance_paid_wan",
                                                    "district_finance_pct"))
        if _finite(paid) and _finite(share):
            out.append(Block("p", tr("eval.s4.district", lang, source=source, planned=money(planned, wan),
                                     paid=money(paid, wan), unit=wan, pct=pct(share))))
        elif _finite(planned):
            out.append(Block("p", tr("eval.s4.district_nodata", lang, source=source, planned=money(planned, wan),
                                     unit=wan)))
    rows = tuple((f"{r['road_id']} {_name(r, lang)}", value(r["length_m"], "m"), value(r["length_built_m"], "m"),
                  money(r["planned_wan"], wan), money(r["invested_wan"], wan), _status_text(r["status"], lang))
                 for r in ev.roads.to_dict(orient="records"))
    out += [Block("caption", tr("eval.s4.road_detail", lang)),
            Block("table", head=(tr("eval.col.road", lang), tr("eval.col.length_plan", lang),
                                 tr("eval.col.length_built", lang)) + rhead[1:3] + (
                tr("eval.col.latest_status", lang),), items=rows, widths=(34, 13, 13, 14, 14, 12))]
    return out


def _execution_section(data: PlanData, ev: Evaluation, lang: str, with_charts: bool) -> list[Block]:
    has_projects, has_roads = _plan_has_projects(data, ev), len(data.roads) > 0
    if not has_projects and not has_roads:
        return [Block("p", tr("eval.overview.no_project_list", lang))]
    out, n = [], 0
    if has_projects:
        out += [Block("h2", _sub(n, "eval.s4.projects", lang))] + _projects_blocks(data, ev, lang, with_charts)
        n += 1
    if has_roads:
        out += [Block("h2", _sub(n, "eval.s4.roads", lang))] + _roads_blocks(data, ev, lang)
    return out


# -- 五、存在问题 ------------------------------------------------------------------------------------

def _shortfalls(data: PlanData, ev: Evaluation) -> list[dict]:
    return [g for g in ev.growth.to_dict(orient="records") if _finite(g["shortfall"]) and g["shortfall"] > 0]


def problems(data: PlanData, ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 五（一）: problems in implementing the plan, from the data: targets not met (worst first),
    output below its plan path, targets nearly met, delayed and unstarted projects and roads, qualitative tasks
    still under way or not started. Data gaps are apart (:func:`data_gaps`)."""
    numeric = _numeric(ev)
    out = []
    missed = numeric[numeric["status"] == NOT_MET].sort_values("completion_pct").to_dict(orient="records")
    if missed:
        out.append(counted("eval.p.not_met", lang, len(missed), items=_join(
            [tr("eval.item.completion", lang, name=_name(r, lang), pct=pct(r["completion_pct"]))
             if _finite(r["completion_pct"]) else _name(r, lang) for r in missed], lang)))
    for g in _shortfalls(data, ev):
        worst = _worst(ev, g["segment"])
        values = dict(year=int(g["latest_year"]), name=seg_label(data, g["segment"], lang),
                      gap=fig(g["shortfall"], g["unit"], lang))
        out.append(_cap(tr("eval.p.shortfall", lang, worst_year=worst[0], inc=fig(worst[1], g["unit"], lang),
                           **values) if worst else tr("eval.p.shortfall_once", lang, **values), lang))
    nearly = numeric[numeric["status"] == NEARLY].sort_values("completion_pct").to_dict(orient="records")
    if nearly:
        out.append(counted("eval.p.nearly", lang, len(nearly), items=_join(
            [tr("eval.item.completion", lang, name=_name(r, lang), pct=pct(r["completion_pct"])) for r in nearly],
            lang)))
    if ev.has_projects:
        for flag, key in (("delayed", "eval.p.delayed"), ("unstarted", "eval.p.unstarted")):
            recs = ev.projects[ev.projects[flag]].to_dict(orient="records")
            if recs:
                out.append(counted(key, lang, len(recs), items=_join([_project_name(r, lang) for r in recs], lang)))
    if ev.has_roads:
        recs = ev.roads[ev.roads["delayed"]].to_dict(orient="records")
        if recs:
            out.append(counted("eval.p.roads_delayed", lang, len(recs),
                               items=_join([f"{r['road_id']} {_name(r, lang)}" for r in recs], lang)))
    qual = _qual(ev)
    lagging = qual[qual["status"] == NOT_MET].to_dict(orient="records")
    if lagging:
        out.append(counted("eval.p.qual_lagging", lang, len(lagging), items=_join(
            [tr("eval.item.what", lang, name=_name(r, lang), what=tr(QUAL_KEY[r["note"]], lang))
             if r["note"] in QUAL_KEY else _name(r, lang) for r in lagging], lang)))
    return out or [tr("eval.p.none", lang)]


def data_gaps(data: PlanData, ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 五（二）: what the data lack or must reconcile (not implementation problems): figures on
    another scope or measure, targets without data, qualitative targets not assessed, figures from before the target
    year, figures that state no scope."""
    ind = ev.indicators
    numeric = _numeric(ev)
    out = []
    recs = ind[ind["status"] == MISMATCH].to_dict(orient="records")
    if recs:
        out.append(counted("eval.d.mismatch", lang, len(recs), items=_join(
            [tr("eval.item.what", lang, name=_name(r, lang),
                what=what_text(data, r["reason"], r["scope"], r["measure"], lang)) for r in recs], lang)))
    recs = numeric[numeric["status"] == NO_DATA].to_dict(orient="records")
    if recs:
        out.append(counted("eval.d.no_data", lang, len(recs), items=_join([_name(r, lang) for r in recs], lang)))
    recs = ind[ind["status"] == QUAL_PENDING].to_dict(orient="records")
    if recs:
        out.append(counted("eval.d.qual_pending", lang, len(recs), items=_join([_name(r, lang) for r in recs],
                                                                               lang)))
    recs = [r for r in ind.to_dict(orient="records") if FLAG_LATEST in _flags(r)]
    if recs:
        out.append(counted("eval.d.latest", lang, len(recs), items=_join(
            [tr("eval.item.year", lang, name=_name(r, lang), year=int(r["actual_year"])) for r in recs], lang)))
    recs = [r for r in ind.to_dict(orient="records") if FLAG_SCOPE_UNSTATED in _flags(r)]
    if recs:
        out.append(counted("eval.d.scope_unstated", lang, len(recs), items=_join([_name(r, lang) for r in recs],
                                                                                 lang)))
    return out or [tr("eval.d.none", lang)]


# -- 六、下一步工作建议 (generated, for editing) --------------------------------------------------------------

def suggestions(data: PlanData, ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 六: one per kind of finding (targets not met, output below its path, projects and roads
    behind, qualitative tasks, data to reconcile or supply, how to report, the next plan, long-term targets)."""
    ind, numeric = ev.indicators, _numeric(ev)
    out = []
    names = lambda recs: _join([_name(r, lang) for r in recs], lang)  # noqa: E731
    missed = numeric[numeric["status"].isin([NOT_MET, NEARLY])].to_dict(orient="records")
    if missed:
        out.append(tr("eval.r.not_met", lang, items=names(missed)))
    short = _shortfalls(data, ev)
    if short:
        out.append(_cap(tr("eval.r.path", lang, items=_join([seg_label(data, g["segment"], lang) for g in short],
                                                               lang)), lang))
    late = []
    if ev.has_projects:
        late = ev.projects[ev.projects["delayed"] | ev.projects["unstarted"]].to_dict(orient="records")
        if late:
            out.append(tr("eval.r.projects", lang, items=_join([_project_name(r, lang) for r in late], lang)))
    if ev.has_roads:
        late = ev.roads[ev.roads["delayed"]].to_dict(orient="records")
        if late:
            out.append(tr("eval.r.roads", lang, items=_join([f"{r['road_id']} {_name(r, lang)}" for r in late],
                                                            lang)))
    qual = _qual(ev)
    lagging = qual[qual["status"] == NOT_MET].to_dict(orient="records")
    if lagging:
        out.append(tr("eval.r.qual", lang, items=names(lagging)))
    mism = ind[ind["status"] == MISMATCH].to_dict(orient="records")
    if mism:
        out.append(tr("eval.r.mismatch", lang, items=names(mism)))
    nodata = numeric[numeric["status"] == NO_DATA].to_dict(orient="records")
    if nodata:
        out.append(tr("eval.r.no_data", lang, items=names(nodata)))
    figures = ind[ind["actual_year"].notna() & (ind["comparator"] != "qual")]
    if len(figures) and ((figures["scope"] == "") | (figures["vintage"] == "")).any():
        out.append(tr("eval.r.stating", lang))
    if missed or short or late:
        nxt = plan_values(data, lang)["next_period"]
        out.append(tr("eval.r.next_named", lang, next_period=nxt) if nxt else tr("eval.r.next", lang))
    if len(ev.long_term):
        out.append(tr("eval.r.long_term", lang, items=names(ev.long_term.to_dict(orient="records"))))
    return out or [tr("eval.r.keep", lang)]


# -- 七、评估方法和数据说明 ---------------------------------------------------------------------------------

def _method_blocks(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    s = ev.settings
    out = [Block("p", tr("eval.m.rules", lang, tol=pct(s.about_tolerance * 100, 0), nearly=pct(s.nearly_met * 100, 0))),
           Block("p", tr("eval.m.comparable", lang))]
    used = ev.indicators[ev.indicators["actual_year"].notna() & (ev.indicators["comparator"] != "qual")]
    if len(used):
        counts = used["vintage"].value_counts()
        items = [tr("eval.m.vintage_count", lang, vintage=vintage_text(data, v, lang), n=int(counts[v]))
                 for v in tuple(reversed(VINTAGES)) + ("",) if counts.get(v, 0)]
        out.append(Block("p", tr("eval.m.vintage", lang, items=tr("eval.sep", lang).join(items))))
    else:
        out.append(Block("p", tr("eval.m.vintage_none", lang)))
    seen = ev.indicators["actual_year"].notna()
    sources = [source_text(x, lang) for x in dict.fromkeys(ev.indicators.loc[seen, "source"]) if x]
    if sources:
        out.append(Block("p", tr("eval.m.sources", lang, items=tr("eval.sep", lang).join(sources))))
    elif seen.any():
        out.append(Block("p", tr("eval.m.sources_none", lang)))
    if len(ev.growth):
        out.append(Block("p", tr("eval.m.path", lang)))
    if len(used):
        rows = []
        for r in used.to_dict(orient="records"):
            target = tr("eval.cell.target_basis", lang, scope=scope_text(data, r["target_scope"], lang),
                        measure=measure_text(r["target_measure"], lang))
            rows.append((_name(r, lang), target, basis_text(data, r["scope"], r["measure"], r["vintage"], lang),
                         tr("eval.cell.same", lang) if comparable(r) else reason_text(r["reason"], lang)))
        head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target_basis", "eval.col.figure_basis",
                                           "eval.col.comparable"))
        out += [Block("caption", tr("eval.m.measures", lang)),
                Block("table", head=head, items=tuple(rows), widths=(30, 26, 30, 14))]
    return out


def _appendix(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    rows = [(tr("eval.ap.plan", lang), data.meta.text("name", lang), data.id),
            (tr("eval.ap.actuals", lang), ev.actuals_name or tr("eval.unnamed", lang), ev.actuals_id or "—")]
    names = dict(ev.file_names)
    if ev.has_projects:
        rows.append((tr("eval.ap.projects", lang), names.get("projects") or "—",
                     ProjectActuals(tuple(ev.project_rows)).short_id))
    if ev.has_roads and names.get("roads"):
        rows.append((tr("eval.ap.roads", lang), names["roads"], "—"))
    head = tuple(tr(k, lang) for k in ("eval.col.data", "eval.col.name", "eval.col.id"))
    return [Block("table", head=head, items=tuple(rows), widths=(22, 48, 30)), Block("note", tr("eval.ap.note", lang))]


# -- charts ---------------------------------------------------------------------------------------------

CHART_HEIGHT = 300  # px of a chart's plot (the paths chart adds its legend): about a third of an A4 page


def area_order(data: PlanData, ev: Evaluation | None = None) -> list[str]:
    """Areas in the order that gives each its colour everywhere (model.report.charts assigns the palette in the
    order of a chart's groups): the project list's order, as the phasing page and the brief's investment chart draw
    them, then any other area the package names or a report gives."""
    seen = list(data.projects["area"]) + list(data.values("area"))
    if ev is not None:
        seen += [a for a in ev.projects["area"] if a]
    return list(dict.fromkeys(seen))


def path_chart(data: PlanData, ev: Evaluation, seg: str, lang: str) -> tuple[str, dict]:
    """(title, spec) of one segment's path: the plan path from its base to its target (labelled as derived or
    assumed where the plan states no base: never "actual"), the actual figures on the target's scope and measure,
    and any other figure in a series named by its scope or measure ("市级数据，口径不一致"). The axis covers the
    base year to the target year."""
    s = ev.series[ev.series["segment"] == seg]
    g = ev.growth[ev.growth["segment"] == seg].iloc[0].to_dict()
    name = seg_label(data, seg, lang)
    unit = str(s["unit"].iloc[0]) if len(s) else g["unit"]
    plan_key = {"derived": "eval.series.plan_derived", "assumed": "eval.series.plan_assumed"}.get(
        g["base_kind"], "eval.series.plan")
    frames = [charts.long_frame(s["year"].to_numpy(), {tr(plan_key, lang, name=name): s["plan_path"].to_numpy()},
                                ref=0)]
    have = s[s["actual"].notna() & (s["year"] > ev.calendar.base_year)]  # the base is the plan path's start
    if len(have):
        frames.append(charts.long_frame(have["year"].to_numpy(), {tr("eval.series.actual", lang, name=name):
                                                                  have["actual"].to_numpy()}, ref=2))
    others = _others(ev, seg)
    if len(others):
        label = tr("eval.series.other", lang, name=name, what=_whats(data, others, lang))
        frames.append(charts.long_frame(others["year"].to_numpy(), {label: others["value"].to_numpy()}, ref=2))
    targets = pd.DataFrame({"year": [int(g["target_year"])], "value": [float(g["target"])],
                            "label": [f"{tr('eval.series.target', lang)} {num(g['target'])}"]})
    spec = charts.trajectory(charts.concat(frames), targets, x_title=tr("eval.axis.year", lang),
                             y_title=tr("eval.axis.value", lang, name=_cap(name, lang), unit=unit_text(unit, lang)),
                             series_title=tr("eval.legend.series", lang), projected_label=tr("eval.band", lang),
                             height=CHART_HEIGHT)
    return _cap(tr("eval.chart.path", lang, name=name), lang), spec


def invest_chart(data: PlanData, ev: Evaluation, lang: str) -> tuple[str, dict] | None:
    """(title, spec) of project investment by year and area (each area in the colour it has on every page and in
    the brief), or None without any reported in the plan years."""
    if not ev.has_projects:
        return None
    area = dict(zip(ev.projects["project_id"], ev.projects["area"]))
    new = set(ev.projects.loc[ev.projects["new"], "project_id"])
    rows = []
    first, last = ev.calendar.plan_first_year, ev.calendar.plan_last_year
    for pid, year, inv in ((r[0], r[1], r[2]) for r in ev.project_rows):
        if inv is not None and first <= year <= last:  # new projects apart: the areas' bars are the plan's list
            group = tr("eval.legend.new", lang) if pid in new else enum_name(data, "area", area.get(pid, ""), lang)
            rows.append({"year": year, "group": group, "value": inv})
    if not rows:
        return None
    bars = pd.DataFrame(rows).groupby(["year", "group"], as_index=False, sort=False)["value"].sum()
    order = [enum_name(data, "area", a, lang) for a in area_order(data, ev)]
    order += [x for x in dict.fromkeys(bars["group"]) if x not in order]
    return tr("eval.chart.invest", lang), charts.stacked_bars(
        bars, group_title=tr("eval.legend.area", lang), x_title=tr("eval.axis.year", lang),
        y_title=tr("eval.axis.invest", lang, unit=ev.project_groups["unit"].iloc[0]), order=order,
        height=CHART_HEIGHT)


def shortfall_chart(data: PlanData, ev: Evaluation, lang: str) -> tuple[str, dict] | None:
    """(title, spec) of the root segment's year-on-year change of its gap to the plan path, or None without two
    comparable figures."""
    if not len(ev.growth):
        return None
    root = ev.growth["segment"].iloc[0]
    s = ev.series
    inc = s[(s["segment"] == root) & s["shortfall_increment"].notna() & (s["year"] > ev.calendar.base_year)]
    if not len(inc) or not (inc["shortfall_increment"].abs() > 0).any():
        return None
    name = seg_label(data, root, lang)
    unit = unit_text(str(inc["unit"].iloc[0]), lang)
    return _cap(tr("eval.chart.shortfall", lang, name=name), lang), charts.diff_bars(
        pd.DataFrame({"year": inc["year"].astype(int), "value": inc["shortfall_increment"]}),
        x_title=tr("eval.axis.year", lang), y_title=tr("eval.axis.shortfall", lang, unit=unit))


def chart_specs(data: PlanData, ev: Evaluation, lang: str = "zh") -> list[tuple[str, dict]]:
    """(title, Vega-Lite spec) of every chart of the report, labelled in ``lang``: each path segment's path, project
    investment by year and area, the root's change of its gap to the plan path. Render with ``st.vega_lite_chart``
    or :func:`model.report.charts.to_svg` / ``to_png``."""
    out = [path_chart(data, ev, seg, lang) for seg in ev.growth["segment"]]
    for extra in (invest_chart(data, ev, lang), shortfall_chart(data, ev, lang)):
        if extra is not None:
            out.append(extra)
    return out


# -- the whole report ---------------------------------------------------------------------------------------

def report_blocks(data: PlanData, ev: Evaluation, lang: str = "zh", with_charts: bool = True,
                  today: date | None = None) -> list[Block]:
    """The whole report as blocks (the .docx and the HTML render the same list)."""
    cal = ev.calendar
    names = plan_values(data, lang)
    title = (tr("eval.title_interim", lang, plan_short=names["plan_short"], year=ev.data_year)
             if ev.interim and ev.data_year is not None else tr("eval.title", lang, plan_short=names["plan_short"]))
    blocks = [Block("title", title),
              Block("meta", tr("eval.period", lang, first=cal.plan_first_year, last=cal.plan_last_year))]
    if ev.interim and ev.data_year is not None:
        blocks.append(Block("meta", tr("eval.interim_note", lang, year=ev.data_year, target_year=cal.target_year)))
    blocks += [Block("meta", tr("eval.meta", lang, name=ev.actuals_name or tr("eval.unnamed", lang),
                                date=date_text(today or date.today(), lang))),
               Block("meta", tr("eval.draft", lang)),
               Block("h1", tr("eval.s1", lang))]
    blocks += _overview(data, ev, lang)
    blocks += [Block("h1", tr("eval.s2", lang)), Block("bullets", items=tuple(achievements(data, ev, lang)))]
    blocks.append(Block("h1", tr("eval.s3", lang)))
    blocks += _targets_section(data, ev, lang, with_charts)
    blocks.append(Block("h1", tr("eval.s4", lang)))
    blocks += _execution_section(data, ev, lang, with_charts)
    blocks += [Block("h1", tr("eval.s5", lang)), Block("h2", _sub(0, "eval.s5.implementation", lang)),
               Block("bullets", items=tuple(problems(data, ev, lang))), Block("h2", _sub(1, "eval.s5.data", lang)),
               Block("bullets", items=tuple(data_gaps(data, ev, lang))),
               Block("h1", tr("eval.s6", lang)), Block("note", tr("eval.s6.note", lang), keep=True),
               Block("bullets", items=tuple(suggestions(data, ev, lang))),
               Block("h1", tr("eval.s7", lang))]
    blocks += _method_blocks(data, ev, lang)
    blocks.append(Block("h1", tr("eval.appendix", lang)))
    blocks += _appendix(data, ev, lang)
    return blocks


# -- HTML ------------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 20mm; }
body { font-family: 'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC','SimSun',sans-serif;
       margin: 2em auto; max-width: 62em; padding: 0 1em; color: #222; line-height: 1.7; }
h1.title { font-size: 1.6em; text-align: center; margin-bottom: .2em; } p.meta { text-align: center; color: #555; margin: .2em 0; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: .2em; margin-top: 1.6em; }
h3 { font-size: 1.1em; margin-top: 1.2em; }
.scroll { overflow-x: auto; } .scroll table { min-width: 36em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; } th { background: #eef3f8; }
tr { page-break-inside: avoid; break-inside: avoid; }
figure { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
.note { color: #555; font-size: .92em; } .keep { page-break-after: avoid; break-after: avoid; } p.caption { margin: 1em 0 .2em; page-break-after: avoid; break-after: avoid; }
@media print { body { margin: 0; max-width: none; padding: 0; } h2, h3 { page-break-after: avoid; break-after: avoid; } }
"""


def _is_number_cell(text: str) -> bool:
    t = str(text).rstrip("%*†‡").replace(",", "").lstrip("<>=~≥≤≈")
    try:
        float(t)
        return True
    except ValueError:
        return t == "—"


def _html_block(b: Block) -> str:
    e = html.escape
    if b.kind == "title":
        return f'<h1 class="title">{e(b.text)}</h1>'
    if b.kind == "meta":
        return f'<p class="meta">{e(b.text)}</p>'
    if b.kind == "h1":
        return f"<h2>{e(b.text)}</h2>"
    if b.kind == "h2":
        return f"<h3>{e(b.text)}</h3>"
    if b.kind == "p":
        return f"<p>{e(b.text)}</p>"
    if b.kind == "note":
        return f'<p class="note{" keep" if b.keep else ""}">{e(b.text)}</p>'
    if b.kind == "caption":
        return f'<p class="caption"><b>{e(b.text)}</b></p>'
    if b.kind == "bullets":
        return "<ul>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + "</ul>"
    if b.kind == "table":
        widths, _ = column_widths(b.head, b.items, b.widths, TEXT_WIDTH_MM)
        cols = "".join(f'<col style="width:{w / TEXT_WIDTH_MM * 100:.1f}%">' for w in widths)  # format-ok: CSS width
        th = "".join(f"<th>{e(str(h))}</th>" for h in b.head)
        numeric = [any(_is_number_cell(r[i]) and str(r[i]) != "—" for r in b.items) for i in range(len(b.head))]
        trs = "".join("<tr>" + "".join(
            f'<td{" class=n" if i and numeric[i] and _is_number_cell(c) else ""}>{e(str(c))}</td>'
            for i, c in enumerate(row)) + "</tr>" for row in b.items)
        return f'<div class="scroll"><table><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{trs}' \
               f"</tbody></table></div>"
    if b.kind == "chart":
        return f"<figure><figcaption><b>{e(b.text)}</b></figcaption>{charts.to_svg(b.spec).decode('utf-8')}</figure>"
    raise ValueError(b.kind)


def evaluation_html(data: PlanData, ev: Evaluation, lang: str = "zh") -> str:
    """The report as one self-contained HTML page: no scripts, nothing fetched, charts inline as SVG; A4 when
    printed."""
    return html_from_blocks(report_blocks(data, ev, lang), lang)


def html_from_blocks(blocks: list[Block], lang: str = "zh") -> str:
    """Any report's blocks as one self-contained HTML page (the first block's text is the page title)."""
    body = "\n".join(_html_block(b) for b in blocks)
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(blocks[0].text)}</title>
<style>{CSS}</style></head><body>
{body}
</body></html>"""


# -- Word ------------------------------------------------------------------------------------------

FONTS = {"body": ("Times New Roman", "SimSun"), "heading": ("Arial", "SimHei")}  # (Latin, East Asian) per role
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704 (公文) page margins
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]
CHART_MAX_MM = 90  # a chart's height on the page at most (about 40 % of it), so no chart leaves half a page empty
KEEP_WHOLE_ROWS = 12  # a table of up to this many rows (header included) is kept on one page
CAPTION_SPACE_PT = 8  # space above a table's or a chart's caption


def _set_fonts(element, latin: str, east_asia: str) -> None:
    """Latin and East Asian fonts on a run's or a style's rPr (the brief's helper)."""
    set_fonts(element, latin, east_asia)


def _run(paragraph, text: str, role: str = "body", bold: bool = False, size: float | None = None):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    _set_fonts(run._element, *FONTS[role])
    return run


def _styles(doc) -> None:
    from docx.shared import Pt, RGBColor

    for name, role, size in (("Normal", "body", 11), ("Title", "heading", 20), ("Heading 1", "heading", 15),
                             ("Heading 2", "heading", 13), ("Table Grid", "body", 9.5), ("List Bullet", "body", 11)):
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        st.font.size = Pt(size)
        st.font.name = FONTS[role][0]
        if role == "heading":
            st.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(st.element, *FONTS[role])


def _table(doc, b: Block) -> None:
    """A grid table. Rows never split (cantSplit). The header row repeats on each page and keeps with the first
    body row; a short table (up to KEEP_WHOLE_ROWS rows) keeps on one page and a long one keeps its last two rows
    together, so a page never holds a header alone (LibreOffice then drops the rows that follow it) nor a lone
    last row. Column widths from :func:`column_widths`."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    widths_mm, pt = column_widths(b.head, b.items, b.widths, TEXT_WIDTH_MM)
    widths = [Mm(w) for w in widths_mm]
    tb = doc.add_table(rows=1, cols=len(b.head))
    tb.style = "Table Grid"
    tb.autofit = False
    tbl_pr = tb._tbl.tblPr
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):  # narrow cell margins (1 mm) so figures fit their columns
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "57", qn("w:type"): "dxa"}))
    tbl_pr.append(margins)
    all_rows = [b.head] + list(b.items)
    n = len(all_rows)
    numeric = [any(_is_number_cell(r[i]) and str(r[i]) != "—" for r in b.items) for i in range(len(b.head))]
    for k, row_cells in enumerate(all_rows):
        row = tb.rows[0] if k == 0 else tb.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if k == 0:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        keep = k < n - 1 and (k == 0 or n <= KEEP_WHOLE_ROWS or k == n - 2)
        for i, (cell, text) in enumerate(zip(row.cells, row_cells)):
            cell.width = widths[i]
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.keep_with_next = keep or None
            if i and k and numeric[i] and _is_number_cell(text):  # figures (and a column's "—") to the right
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(para, str(text), bold=k == 0, size=pt)
    for i, col in enumerate(tb.columns):
        col.width = widths[i]


def _picture(doc, png: bytes) -> None:
    """A chart as wide as the text, or narrower (centred) when that would make it taller than CHART_MAX_MM."""
    import struct

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    w_px, h_px = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    width = min(TEXT_WIDTH_MM, CHART_MAX_MM * w_px / h_px)
    doc.add_picture(io.BytesIO(png), width=Mm(width))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def evaluation_docx(data: PlanData, ev: Evaluation, lang: str = "zh") -> bytes:
    """The report as a Word document: A4 with 公文 margins, East Asian fonts on every run and style, headings
    (and captions) kept with what follows, table rows never split and short tables kept whole, column widths that
    fit every word, charts as PNG at most CHART_MAX_MM tall."""
    return docx_from_blocks(report_blocks(data, ev, lang), lang)


def docx_from_blocks(blocks: list[Block], lang: str = "zh") -> bytes:
    """Any report's blocks as a Word document, laid out as :func:`evaluation_docx` describes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _styles(doc)
    for b in blocks:
        if b.kind in ("title", "h1", "h2"):
            level = {"title": 0, "h1": 1, "h2": 2}[b.kind]
            para = doc.add_paragraph(style="Title" if level == 0 else f"Heading {level}")
            _run(para, b.text, "heading", bold=level > 0)
            para.paragraph_format.keep_with_next = True
            if level == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "meta":
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(para, b.text)
        elif b.kind == "caption":
            para = doc.add_paragraph()
            para.paragraph_format.keep_with_next = True
            para.paragraph_format.space_before = Pt(CAPTION_SPACE_PT)
            _run(para, b.text, bold=True)
        elif b.kind in ("p", "note"):
            para = doc.add_paragraph()
            if b.kind == "p" and lang == "zh":
                para.paragraph_format.first_line_indent = Pt(22)  # two characters, as 公文 paragraphs are
            para.paragraph_format.keep_with_next = b.keep or None
            _run(para, b.text, size=9.5 if b.kind == "note" else None)
        elif b.kind == "bullets":
            for t in b.items:
                _run(doc.add_paragraph(style="List Bullet"), t)
        elif b.kind == "table":
            _table(doc, b)
        elif b.kind == "chart":
            para = doc.add_paragraph()
            para.paragraph_format.keep_with_next = True
            para.paragraph_format.space_before = Pt(CAPTION_SPACE_PT)
            _run(para, b.text, bold=True)
            _picture(doc, charts.to_png(b.spec, scale=1.5))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


__all__ = ["evaluation_docx", "evaluation_html", "docx_from_blocks", "html_from_blocks", "evaluation_files",
           "evaluation_tables", "template_files", "report_blocks", "achievements", "problems", "data_gaps",
           "suggestions", "chart_specs", "path_chart", "invest_chart", "shortfall_chart", "segment_sentence",
           "status_label", "num", "pct", "rate", "money", "value", "fig", "unit_text", "measure_text", "scope_text",
           "vintage_text", "what_text", "basis_text", "source_cell", "reason_text", "target_text", "target_cell",
           "seg_label", "plan_values", "date_text", "enum_name", "comparable", "area_order", "column_widths", "Block",
           "CSV_FILES", "REPORT_FILES", "EVALUATE_FILES", "TEMPLATE_FILES", "EVALUATION_CSV_COLUMNS",
           "MONITORING_CSV_COLUMNS", "SUMMARY_CSV_COLUMNS"]

"""The final evaluation's files: tidy CSVs, the report as Word (.docx) and as one self-contained HTML page.

The report follows the structure of a plan evaluation: 一、规划实施总体情况; 二、主要指标完成情况; 三、重大项目和
基础设施建设情况; 四、存在的主要问题 (bullets generated from the data); 五、下一步工作建议 (headings only, for the
office to write). Every text comes from the translation table (``strings/evaluation.csv``, keys ``eval.*``) with
figures filled in from the evaluation; both renderers walk one list of blocks, so the .docx and the HTML say the
same. Pure: no files are written here (the CLI hands the bytes to :func:`model.io.files.write_folder`).
"""
from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..calc.evaluation import (FLAG_DERIVED, FLAG_LATEST, FLAG_MEASURE, MET, MISMATCH, NEARLY, NO_DATA, NOT_MET,
                               QUAL_PENDING, Evaluation, measure_differs)
from ..io.actuals import (CITY_LEVEL, ESTIMATE, NOT_AN_ACTUAL, QUALITATIVE, QUALITATIVE_STATES,
                          canonical_measure)
from ..io.actuals import STATUSES as PROJECT_STATUSES
from ..io.actuals import template_tables, template_xlsx
from ..io.export import comparator_text, csv_bytes
from ..plan import enums
from ..plan.tables import PlanData
from . import charts
from .brief import set_fonts
from .labels import date_text, fmt
from .widths import column_widths
from .text import tr

STATUS_KEY = {MET: "eval.status.met", NEARLY: "eval.status.nearly", NOT_MET: "eval.status.not_met",
              MISMATCH: "eval.status.mismatch", QUAL_PENDING: "eval.status.qual_pending", NO_DATA: "eval.status.no_data"}
QUAL_KEY = dict(zip(QUALITATIVE_STATES, ("eval.qual.done", "eval.qual.going", "eval.qual.not_started")))
FLAG_MARK = {FLAG_LATEST: "*", FLAG_MEASURE: "†", FLAG_DERIVED: "‡"}
FLAG_KEY = {FLAG_LATEST: "eval.flag.latest_year", FLAG_MEASURE: "eval.flag.measure_differs",
            FLAG_DERIVED: "eval.flag.baseline_derived"}
SEGMENT_KEY = {"total": "eval.seg.total", "rail_transit": "eval.seg.rail_transit"}
PROJECT_STATUS_KEY = {s: f"eval.project_status.{s}" for s in PROJECT_STATUSES}
# texts with a count: "{n} targets …" has a singular twin "<key>.one" ("1 target …"; the same words in Chinese)
COUNTED_KEYS = ("eval.overview.counts", "eval.p.not_met", "eval.p.nearly", "eval.p.delayed", "eval.p.unstarted",
                "eval.p.roads_delayed", "eval.p.mismatch", "eval.p.no_data", "eval.p.latest")
# keys built at run time (model.report.text.dynamic_keys)
DYNAMIC_KEYS = frozenset(PROJECT_STATUS_KEY.values()) | frozenset(f"{k}.one" for k in COUNTED_KEYS)
COMPARATOR_SHOWN = {">": ">", ">=": "≥", "<=": "≤", "~": "≈", "=": ""}  # how a target is qualified in tables
NOT_COMPARABLE = "—†"  # the completion of a figure on another measure: not comparable (see the † note)
TOP_N = 5  # items named in a problem bullet before "…"
# Units as printed in data/indicators.csv, named per language where the printed form is not that language's:
# "m" is 米 in Chinese; Chinese measure words of counts (家, 个 …) and 分钟 get English names.
COUNT_UNITS = ("家", "个", "条", "所", "位", "项", "名", "座", "件", "人")
UNIT_KEY = {"zh": {"m": "eval.unit.m"},
            "en": {"分钟": "eval.unit.minutes", **{u: "eval.unit.count" for u in COUNT_UNITS}}}
# the measures model.io.actuals knows by name (canonical_measure); any other measure is the text the office typed
MEASURE_KEY = {ESTIMATE: "eval.measure.estimate", CITY_LEVEL: "eval.measure.city_level",
               QUALITATIVE: "eval.measure.qualitative"}

# output file names per language
CSV_FILES = ("evaluation.csv", "execution_projects.csv", "execution_roads.csv", "evaluation_summary.csv")
REPORT_FILES = {"zh": ("评估报告.docx", "评估报告.html"), "en": ("evaluation-report.docx", "evaluation-report.html")}
EVALUATE_FILES = frozenset(CSV_FILES) | frozenset(n for pair in REPORT_FILES.values() for n in pair)
TEMPLATE_FILES = ("actuals-template.csv", "projects-template.csv", "roads-template.csv", "actuals-template.xlsx")

EVALUATION_CSV_COLUMNS = ["indicator_id", "name", "target", "comparator", "baseline", "actual", "actual_year", "unit",
                          "measure", "completion_pct", "progress_pct", "status", "target_year", "target_measure",
                          "flags"]


# -- number formats (the app's: model.report.labels.fmt, halves rounded up) --------------------------------
#
# Output in 亿元 one decimal, investment in 亿元 two, money in 万元 and lengths in metres whole, growth rates two
# decimals, completion and progress one (as the evaluation page shows them). Counts and figures as the plan states
# them keep their own digits (num).

YI_DECIMALS, INVEST_DECIMALS, WAN_DECIMALS, LENGTH_DECIMALS = 1, 2, 0, 0
RATE_DECIMALS, COMPLETION_DECIMALS = 2, 1
UNIT_DECIMALS = {"亿元": YI_DECIMALS, "万元": WAN_DECIMALS, "m": LENGTH_DECIMALS, "米": LENGTH_DECIMALS,
                 "%": RATE_DECIMALS, "%/年": RATE_DECIMALS}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and not math.isfinite(v)) or v != v


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


def unit_text(unit: str, lang: str) -> str:
    """A unit as printed in the data, in ``lang`` (``m`` → 米 in Chinese; 家 → number in English)."""
    key = UNIT_KEY.get(lang, {}).get(unit or "")
    return tr(key, lang) if key else (unit or "")


def measure_text(measure: str, lang: str) -> str:
    """A statistical measure in ``lang``: estimate / city-level / 定性 by name; any other as typed (规模以上 …)."""
    key = MEASURE_KEY.get(canonical_measure(measure))
    return tr(key, lang) if key else (measure or "—")


def counted(key: str, lang: str, n: int, **values) -> str:
    """A text with a count ``n``: the singular twin (``<key>.one``) when n is 1."""
    return tr(f"{key}.one" if n == 1 else key, lang, n=n, **values)


def enum_name(column: str, v: str, lang: str) -> str:
    """An area, category or funding source by its name in ``lang`` (data/enumerations.csv); ``—`` for none."""
    return enums.label(column, v, lang) if v and v != "—" else "—"


def status_label(status: str, lang: str) -> str:
    return tr(STATUS_KEY[status], lang) if status in STATUS_KEY else status


def _name(rec: dict, lang: str) -> str:
    return rec.get(f"name_{lang}") or rec.get("name_zh") or ""


def _join(items: list[str], lang: str) -> str:
    shown = items[:TOP_N] + (["…"] if len(items) > TOP_N else [])
    return tr("eval.sep", lang).join(shown)


def comparable(rec: dict) -> bool:
    """Whether a target's completion and progress can be read: not when its figure is on another measure."""
    return rec["status"] != MISMATCH and FLAG_MEASURE not in str(rec["flags"]).split(";")


# -- tidy CSV files --------------------------------------------------------------------------------

def evaluation_tables(ev: Evaluation, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The four tidy tables of ``python -m model evaluate`` (names in ``lang``, status labels in ``lang``).

    ``evaluation.csv``: :data:`EVALUATION_CSV_COLUMNS` (values in ``unit``; ``completion_pct``, ``progress_pct`` in
    %). ``execution_projects.csv`` (money in 亿元, ``_yi``) and ``execution_roads.csv`` (money in 万元, ``_wan``;
    lengths in m): one row per project / road, ``new`` / ``delayed`` / ``unstarted`` as 0/1.
    ``evaluation_summary.csv``: ``metric,group,value,unit``.
    """
    ind = ev.indicators.copy()
    ind["name"] = ind[f"name_{lang}"] if f"name_{lang}" in ind.columns else ind["name_zh"]
    ind["status"] = [status_label(s, lang) for s in ind["status"]]
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
    ind = ind.assign(comparator=ind["comparator"].map(comparator_text))
    return {"evaluation.csv": ind[EVALUATION_CSV_COLUMNS], "execution_projects.csv": proj,
            "execution_roads.csv": roads, "evaluation_summary.csv": summary}


def evaluation_files(data: PlanData, ev: Evaluation, lang: str = "zh", report: bool = False) -> dict[str, bytes]:
    """Every file of an evaluation folder as bytes (CSV: UTF-8 with BOM, formulas neutralised)."""
    files = {name: csv_bytes(df, name) for name, df in evaluation_tables(ev, lang).items()}
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


def segment_sentence(ev: Evaluation, g: dict, lang: str) -> str:
    """The sentence on one output segment (park total, rail) at its latest actual: figure, completion, growth achieved
    and needed. A figure on another measure than the target's has no completion (not comparable): it says so."""
    name = tr(SEGMENT_KEY[g["segment"]], lang)
    if _missing(g["latest_year"]):
        return tr("eval.overview.segment_nodata", lang, name=name, first=ev.calendar.plan_first_year)
    ind = ev.indicators.set_index("indicator_id")
    row = ind.loc[g["indicator_id"]].to_dict() if g["indicator_id"] in ind.index else None
    same = row is not None and row["actual_year"] == g["latest_year"]
    if same:
        differs, measure, comp = not comparable(row), row["measure"], row["completion_pct"]
    else:
        measure = g["measure"]
        differs = measure_differs(measure, row["target_measure"] if row is not None else "")
        comp = g["latest_actual"] / g["target"] * 100 if g["target"] else math.nan
    unit = g["unit"]
    values = dict(year=int(g["latest_year"]), name=name, actual=value(g["latest_actual"], unit),
                  unit=unit_text(unit, lang), target=value(g["target"], unit, stated=True), base_year=g["base_year"],
                  cagr=rate(g["cagr_pct"]), required=rate(g["required_cagr_pct"]))
    if differs:
        return tr("eval.overview.segment_mismatch", lang, measure=measure_text(measure, lang), **values)
    return tr("eval.overview.segment", lang, completion=pct(comp), **values)


def _overview(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    c = ev.counts()
    out = [Block("p", counted("eval.overview.counts", lang, len(ev.indicators), met=c[MET], nearly=c[NEARLY],
                              not_met=c[NOT_MET], mismatch=c[MISMATCH], no_data=c[NO_DATA], qual=c[QUAL_PENDING]))]
    out += [Block("p", segment_sentence(ev, g, lang)) for g in ev.growth.to_dict(orient="records")]
    out.append(Block("p", _projects_sentence(ev, lang)))
    out.append(Block("p", _roads_sentence(data, ev, lang)))
    return out


def _group(frame: pd.DataFrame, dimension: str) -> list[dict]:
    return frame[frame["dimension"] == dimension].to_dict(orient="records")


def _projects_sentence(ev: Evaluation, lang: str) -> str:
    if not ev.has_projects:
        return tr("eval.overview.no_projects", lang)
    g = _group(ev.project_groups, "all")[0]
    return tr("eval.overview.projects", lang, planned=money(g["planned"], g["unit"]),
              invested=money(g["invested"], g["unit"]), unit=g["unit"], pct=pct(g["completion_pct"]))


def _roads_sentence(data: PlanData, ev: Evaluation, lang: str) -> str:
    if not ev.has_roads:
        return tr("eval.overview.no_roads", lang)
    g = _group(ev.road_groups, "all")[0]
    s = {m: v for m, grp, v, _ in ev.summary.itertuples(index=False) if grp == "all"}
    return tr("eval.overview.roads", lang, planned=money(g["planned"], g["unit"]),
              invested=money(g["invested"], g["unit"]), unit=g["unit"], pct=pct(g["completion_pct"]),
              built=value(s.get("road_length_built_m"), "m"), length=value(s.get("road_length_plan_m"), "m"),
              length_pct=pct(s.get("road_length_pct")))


def _indicator_section(ev: Evaluation, lang: str) -> list[Block]:
    ind = ev.indicators
    numeric = ind[ind["comparator"] != "qual"]
    qual = ind[ind["comparator"] == "qual"]
    out = [Block("p", tr("eval.rules", lang, tol=pct(ev.settings.about_tolerance * 100, 0),
                         nearly=pct(ev.settings.nearly_met * 100, 0))),
           Block("h2", tr("eval.s2.numeric", lang))]
    rows = []
    used_flags: set[str] = set()
    for r in numeric.to_dict(orient="records"):
        flags = [f for f in str(r["flags"]).split(";") if f in FLAG_MARK]
        used_flags |= set(flags)
        unit = r["unit"]
        year = "—" if _missing(r["actual_year"]) else str(int(r["actual_year"]))
        ok = comparable(r)
        rows.append((_name(r, lang),
                     f"{COMPARATOR_SHOWN.get(r['comparator'], '')}{value(r['target'], unit, stated=True)}",
                     value(r["baseline"], unit, stated=FLAG_DERIVED not in flags)
                     + ("‡" if FLAG_DERIVED in flags else ""),
                     value(r["actual"], unit) + ("†" if FLAG_MEASURE in flags else ""),
                     year + ("*" if FLAG_LATEST in flags else ""), unit_text(unit, lang),
                     pct(r["completion_pct"]) if ok else NOT_COMPARABLE,
                     pct(r["progress_pct"]) if ok else "—", status_label(r["status"], lang)))
    head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target", "eval.col.baseline",
                                       "eval.col.actual", "eval.col.year", "eval.col.unit", "eval.col.completion",
                                       "eval.col.progress", "eval.col.status"))
    out.append(Block("table", head=head, items=tuple(rows), widths=(30, 10, 10, 10, 7, 6, 8, 8, 11)))
    if used_flags:
        notes = [tr(FLAG_KEY[f], lang) for f in FLAG_KEY if f in used_flags]
        out.append(Block("note", tr("eval.s2.flags", lang, items=tr("eval.sep", lang).join(notes))))
    if len(qual):
        notes = qual["note"].where(qual["measure"] == QUALITATIVE, "")
        counts = notes.value_counts()
        done, going, not_started = QUALITATIVE_STATES
        out.append(Block("h2", tr("eval.s2.qual", lang)))
        out.append(Block("p", tr("eval.s2.qual_summary", lang, n=len(qual), done=int(counts.get(done, 0)),
                                 going=int(counts.get(going, 0)), not_started=int(counts.get(not_started, 0)),
                                 pending=int((qual["status"] == QUAL_PENDING).sum()))))
        rows = tuple((_name(r, lang), tr(QUAL_KEY[n], lang) if n in QUAL_KEY else "—", status_label(r["status"], lang))
                     for r, n in zip(qual.to_dict(orient="records"), notes))
        head = (tr("eval.col.indicator", lang), tr("eval.col.assessment", lang), tr("eval.col.status", lang))
        out.append(Block("table", head=head, items=rows, widths=(60, 20, 20)))
    return out


def _status_text(status: str, lang: str) -> str:
    return tr(PROJECT_STATUS_KEY[status], lang) if status else "—"


def _money_rows(groups: list[dict], total: dict, label, lang: str) -> tuple:
    """(group, planned, invested, completion) per group, then the total."""
    rows = [(label(g["group"]), money(g["planned"], g["unit"]), money(g["invested"], g["unit"]),
             pct(g["completion_pct"])) for g in groups]
    rows.append((tr("eval.all", lang), money(total["planned"], total["unit"]), money(total["invested"], total["unit"]),
                 pct(total["completion_pct"])))
    return tuple(rows)


def _execution_section(data: PlanData, ev: Evaluation, lang: str, with_charts: bool) -> list[Block]:
    out = [Block("h2", tr("eval.s3.projects", lang)), Block("p", _projects_sentence(ev, lang))]
    unit = ev.project_groups["unit"].iloc[0]
    head = (tr("eval.col.group", lang), tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=unit),
            tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=unit),
            tr("eval.col.completion", lang))
    if ev.has_projects:
        total = _group(ev.project_groups, "all")[0]
        for key, dim in (("eval.s3.by_area", "area"), ("eval.s3.by_category", "category")):
            rows = _money_rows(_group(ev.project_groups, dim), total, lambda v, d=dim: enum_name(d, v, lang), lang)
            out += [Block("caption", tr(key, lang)), Block("table", head=head, items=rows, widths=(40, 20, 20, 20))]
    if with_charts:
        out += [Block("chart", title, spec=spec) for title, spec in chart_specs(data, ev, lang)]
    if ev.has_projects:
        rows = tuple((f"{r['project_id']} {_name(r, lang)}", money(r["planned_yi"], unit),
                      money(r["invested_yi"], unit), pct(r["completion_pct"]), _status_text(r["status"], lang))
                     for r in ev.projects.to_dict(orient="records"))
        out += [Block("caption", tr("eval.s3.detail", lang)),
                Block("table", head=(tr("eval.col.project", lang),) + head[1:] + (tr("eval.col.latest_status", lang),),
                      items=rows, widths=(44, 14, 14, 14, 14))]
    out += [Block("h2", tr("eval.s3.roads", lang)), Block("p", _roads_sentence(data, ev, lang))]
    if ev.has_roads:
        total = _group(ev.road_groups, "all")[0]
        rows = _money_rows(_group(ev.road_groups, "funding_source"), total,
                           lambda v: enum_name("funding_source", v, lang), lang)
        wan = ev.road_groups["unit"].iloc[0]
        rhead = (tr("eval.col.group", lang),
                 tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=wan),
                 tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=wan),
                 tr("eval.col.completion", lang))
        out += [Block("caption", tr("eval.s3.by_funding", lang)),
                Block("table", head=rhead, items=rows, widths=(40, 20, 20, 20))]
        district = ev.summary[ev.summary["metric"].str.startswith("district_finance")]
        if len(district):
            v = dict(zip(district["metric"], district["value"]))
            out.append(Block("p", tr("eval.s3.district", lang,
                                     source=enum_name("funding_source", district["group"].iloc[0], lang),
                                     planned=money(v.get("district_finance_planned_wan"), wan),
                                     paid=money(v.get("district_finance_paid_wan"), wan), unit=wan,
                                     pct=pct(v.get("district_finance_pct")))))
        rows = tuple((f"{r['road_id']} {_name(r, lang)}", value(r["length_m"], "m"), value(r["length_built_m"], "m"),
                      money(r["planned_wan"], wan), money(r["invested_wan"], wan), _status_text(r["status"], lang))
                     for r in ev.roads.to_dict(orient="records"))
        out += [Block("caption", tr("eval.s3.road_detail", lang)),
                Block("table", head=(tr("eval.col.road", lang), tr("eval.col.length_plan", lang),
                                     tr("eval.col.length_built", lang)) + rhead[1:3] + (
                    tr("eval.col.latest_status", lang),), items=rows, widths=(34, 13, 13, 14, 14, 12))]
    return out


def problems(ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 四、存在的主要问题, from the data: targets not met, shortfalls against the plan path, targets
    nearly met, delayed and unstarted projects and roads, measure mismatches, targets without data, latest-year
    figures."""
    ind = ev.indicators
    out = []
    sep_items = lambda recs, key, **kw: [tr(key, lang, name=_name(r, lang), **{k: f(r) for k, f in kw.items()})  # noqa
                                         for r in recs]
    missed = ind[ind["status"] == NOT_MET].sort_values("completion_pct").to_dict(orient="records")
    if missed:
        out.append(counted("eval.p.not_met", lang, len(missed), items=_join(
            [tr("eval.item.completion", lang, name=_name(r, lang), pct=pct(r["completion_pct"]))
             if not _missing(r["completion_pct"]) else _name(r, lang) for r in missed], lang)))
    for g in ev.growth.to_dict(orient="records"):
        if not (math.isfinite(g["shortfall"]) and g["shortfall"] > 0):
            continue
        s = ev.series[(ev.series["segment"] == g["segment"]) & ev.series["shortfall_increment"].notna()]
        worst = s.loc[s["shortfall_increment"].idxmax()]
        out.append(tr("eval.p.shortfall", lang, year=int(g["latest_year"]), name=tr(SEGMENT_KEY[g["segment"]], lang),
                      gap=value(g["shortfall"], g["unit"]), unit=unit_text(g["unit"], lang),
                      worst_year=int(worst["year"]), inc=value(worst["shortfall_increment"], g["unit"])))
    nearly = ind[ind["status"] == NEARLY].sort_values("completion_pct").to_dict(orient="records")
    if nearly:
        out.append(counted("eval.p.nearly", lang, len(nearly), items=_join(
            sep_items(nearly, "eval.item.completion", pct=lambda r: pct(r["completion_pct"])), lang)))
    if ev.has_projects:
        for flag, key in (("delayed", "eval.p.delayed"), ("unstarted", "eval.p.unstarted")):
            recs = ev.projects[ev.projects[flag]].to_dict(orient="records")
            if recs:
                out.append(counted(key, lang, len(recs), items=_join(
                    [f"{r['project_id']} {_name(r, lang)}" for r in recs], lang)))
    if ev.has_roads:
        recs = ev.roads[ev.roads["delayed"]].to_dict(orient="records")
        if recs:
            out.append(counted("eval.p.roads_delayed", lang, len(recs),
                               items=_join([f"{r['road_id']} {_name(r, lang)}" for r in recs], lang)))
    recs = ind[ind["status"] == MISMATCH].to_dict(orient="records")
    if recs:
        out.append(counted("eval.p.mismatch", lang, len(recs), items=_join(
            sep_items(recs, "eval.item.measure", measure=lambda r: measure_text(r["measure"], lang)), lang)))
    recs = ind[(ind["status"] == NO_DATA)].to_dict(orient="records")
    if recs:
        out.append(counted("eval.p.no_data", lang, len(recs), items=_join([_name(r, lang) for r in recs], lang)))
    recs = ind[ind["flags"].str.contains(FLAG_LATEST, regex=False)].to_dict(orient="records")
    if recs:
        out.append(counted("eval.p.latest", lang, len(recs), items=_join(
            sep_items(recs, "eval.item.year", year=lambda r: int(r["actual_year"])), lang)))
    return [x.replace("….", "…") for x in out] or [tr("eval.p.none", lang)]  # a list cut short ends the sentence


def area_order(data: PlanData, ev: Evaluation | None = None) -> list[str]:
    """Areas in the order that gives each its colour everywhere (model.report.charts assigns the palette in the
    order of a chart's groups): Annex 1's order, as the phasing page and the brief's investment chart draw them,
    then any other area the schema allows or a report names."""
    seen = list(data.projects["area"]) + list(enums.values("area"))
    if ev is not None:
        seen += [a for a in ev.projects["area"] if a]
    return list(dict.fromkeys(seen))


def chart_specs(data: PlanData, ev: Evaluation, lang: str = "zh") -> list[tuple[str, dict]]:
    """(title, Vega-Lite spec) of the report's charts, labelled in ``lang``: actual vs plan paths; project
    investment by year and area (when projects are reported; each area in the colour it has on every page and in
    the brief); the park total's year-by-year change of the gap to the plan path. Render with
    ``st.vega_lite_chart`` or :func:`model.report.charts.to_svg` / ``to_png``."""
    out = []
    s = ev.series
    unit = str(s["unit"].iloc[0]) if len(s) else ""
    frames = []
    for seg in ("total", "rail_transit"):
        part = s[s["segment"] == seg]
        name = tr(SEGMENT_KEY[seg], lang)
        have = part[part["actual"].notna()]
        estimate = have["measure"].map(canonical_measure).isin(NOT_AN_ACTUAL)  # never drawn as an actual
        for key, rows in (("eval.series.actual", have[~estimate]), ("eval.series.estimate", have[estimate])):
            if len(rows):
                frames.append(charts.long_frame(rows["year"].to_numpy(), {tr(key, lang, name=name):
                                                                          rows["actual"].to_numpy()}))
        frames.append(charts.long_frame(part["year"].to_numpy(), {tr("eval.series.plan", lang, name=name):
                                                                  part["plan_path"].to_numpy()}, ref=1))
    paths = pd.concat(frames, ignore_index=True)
    g = ev.growth
    targets = pd.DataFrame({"year": g["target_year"].astype(int), "value": g["target"],
                            "label": [f"{tr('eval.series.target', lang)} {num(v)}" for v in g["target"]]})
    out.append((tr("eval.chart.paths", lang), charts.trajectory(
        paths, targets, x_title=tr("eval.axis.year", lang), y_title=tr("eval.axis.output", lang, unit=unit),
        series_title=tr("eval.legend.series", lang), projected_label=tr("eval.band", lang), height=CHART_HEIGHT)))
    if ev.has_projects:
        area = dict(zip(ev.projects["project_id"], ev.projects["area"]))
        rows = []
        first, last = ev.calendar.plan_first_year, ev.calendar.plan_last_year
        for pid, year, inv in ((r[0], r[1], r[2]) for r in ev.project_rows):
            if inv is not None and first <= year <= last:
                rows.append({"year": year, "group": enum_name("area", area.get(pid, ""), lang), "value": inv})
        if rows:
            bars = pd.DataFrame(rows).groupby(["year", "group"], as_index=False, sort=False)["value"].sum()
            order = [enum_name("area", a, lang) for a in area_order(data, ev)]
            order += [x for x in dict.fromkeys(bars["group"]) if x not in order]
            out.append((tr("eval.chart.invest", lang), charts.stacked_bars(
                bars, group_title=tr("eval.legend.area", lang), x_title=tr("eval.axis.year", lang),
                y_title=tr("eval.axis.invest", lang, unit=ev.project_groups["unit"].iloc[0]), order=order,
                height=CHART_HEIGHT)))
    inc = s[(s["segment"] == "total") & s["shortfall_increment"].notna() & (s["year"] > ev.calendar.base_year)]
    if len(inc) and (inc["shortfall_increment"].abs() > 0).any():
        out.append((tr("eval.chart.shortfall", lang), charts.diff_bars(
            pd.DataFrame({"year": inc["year"].astype(int), "value": inc["shortfall_increment"]}),
            x_title=tr("eval.axis.year", lang), y_title=tr("eval.axis.shortfall", lang, unit=unit))))
    return out


CHART_HEIGHT = 320  # px of a chart's plot (the paths chart adds its legend): about a third of an A4 page


def report_blocks(data: PlanData, ev: Evaluation, lang: str = "zh", with_charts: bool = True,
                  today: date | None = None) -> list[Block]:
    """The whole report as blocks (the .docx and the HTML render the same list). Section 五 (headings and
    placeholders for the office) is kept on one page."""
    cal = ev.calendar
    blocks = [Block("title", tr("eval.title", lang)),
              Block("meta", tr("eval.period", lang, first=cal.plan_first_year, last=cal.plan_last_year)),
              Block("meta", tr("eval.meta", lang, id=ev.actuals_id or "—", date=date_text(today or date.today(),
                                                                                          lang))),
              Block("h1", tr("eval.s1", lang))]
    blocks += _overview(data, ev, lang)
    blocks.append(Block("h1", tr("eval.s2", lang)))
    blocks += _indicator_section(ev, lang)
    blocks.append(Block("h1", tr("eval.s3", lang)))
    blocks += _execution_section(data, ev, lang, with_charts)
    blocks += [Block("h1", tr("eval.s4", lang)), Block("bullets", items=tuple(problems(ev, lang))),
               Block("h1", tr("eval.s5", lang))]
    keys = ("eval.s5.h1", "eval.s5.h2", "eval.s5.h3", "eval.s5.h4")
    for i, k in enumerate(keys):
        blocks += [Block("h2", tr(k, lang)), Block("note", tr("eval.s5.note", lang), keep=i < len(keys) - 1)]
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


__all__ = ["evaluation_docx", "evaluation_html", "docx_from_blocks", "html_from_blocks", "evaluation_files", "evaluation_tables", "template_files",
           "report_blocks", "problems", "chart_specs", "segment_sentence", "status_label", "num", "pct", "rate",
           "money", "value", "unit_text", "measure_text", "date_text", "enum_name", "comparable", "area_order",
           "column_widths", "Block", "CSV_FILES", "REPORT_FILES", "EVALUATE_FILES", "TEMPLATE_FILES",
           "EVALUATION_CSV_COLUMNS", "NOT_COMPARABLE"]

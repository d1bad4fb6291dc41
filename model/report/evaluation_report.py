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
                               QUAL_PENDING, Evaluation)
from ..io.actuals import NOT_AN_ACTUAL, QUALITATIVE, QUALITATIVE_STATES, canonical_measure
from ..io.actuals import STATUSES as PROJECT_STATUSES
from ..io.actuals import template_tables, template_xlsx
from ..io.export import csv_bytes
from ..plan.tables import PlanData
from . import charts
from .brief import set_fonts
from .labels import fmt
from .text import tr

STATUS_KEY = {MET: "eval.status.met", NEARLY: "eval.status.nearly", NOT_MET: "eval.status.not_met",
              MISMATCH: "eval.status.mismatch", QUAL_PENDING: "eval.status.qual_pending", NO_DATA: "eval.status.no_data"}
QUAL_KEY = dict(zip(QUALITATIVE_STATES, ("eval.qual.done", "eval.qual.going", "eval.qual.not_started")))
FLAG_MARK = {FLAG_LATEST: "*", FLAG_MEASURE: "†", FLAG_DERIVED: "‡"}
FLAG_KEY = {FLAG_LATEST: "eval.flag.latest_year", FLAG_MEASURE: "eval.flag.measure_differs",
            FLAG_DERIVED: "eval.flag.baseline_derived"}
SEGMENT_KEY = {"total": "eval.seg.total", "rail_transit": "eval.seg.rail_transit"}
PROJECT_STATUS_KEY = {s: f"eval.project_status.{s}" for s in PROJECT_STATUSES}
DYNAMIC_KEYS = frozenset(PROJECT_STATUS_KEY.values())  # keys built at run time (model.report.text.dynamic_keys)
COMPARATOR_SHOWN = {">": ">", ">=": "≥", "<=": "≤", "~": "≈", "=": ""}  # how a target is qualified in tables
TOP_N = 5  # items named in a problem bullet before "…"

# output file names per language
CSV_FILES = ("evaluation.csv", "execution_projects.csv", "execution_roads.csv", "evaluation_summary.csv")
REPORT_FILES = {"zh": ("评估报告.docx", "评估报告.html"), "en": ("evaluation-report.docx", "evaluation-report.html")}
EVALUATE_FILES = frozenset(CSV_FILES) | frozenset(n for pair in REPORT_FILES.values() for n in pair)
TEMPLATE_FILES = ("actuals-template.csv", "projects-template.csv", "roads-template.csv", "actuals-template.xlsx")

EVALUATION_CSV_COLUMNS = ["indicator_id", "name", "target", "comparator", "baseline", "actual", "actual_year", "unit",
                          "measure", "completion_pct", "progress_pct", "status", "target_year", "target_measure",
                          "flags"]


# -- number formats --------------------------------------------------------------------------------

def num(v, decimals: int = 2) -> str:
    """``12,345`` / ``1,234.57``: thousands separators, at most ``decimals`` decimals, trailing zeros dropped; ``—``
    for a missing value."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    text = fmt(float(v), decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def pct(v, decimals: int = 1) -> str:
    """A percentage already in % (``93.75`` → ``93.8%``)."""
    return "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{num(v, decimals)}%"


def status_label(status: str, lang: str) -> str:
    return tr(STATUS_KEY[status], lang) if status in STATUS_KEY else status


def _name(rec: dict, lang: str) -> str:
    return rec.get(f"name_{lang}") or rec.get("name_zh") or ""


def _join(items: list[str], lang: str) -> str:
    shown = items[:TOP_N] + (["…"] if len(items) > TOP_N else [])
    return tr("eval.sep", lang).join(shown)


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
    return {"evaluation.csv": ind[EVALUATION_CSV_COLUMNS], "execution_projects.csv": proj,
            "execution_roads.csv": roads, "evaluation_summary.csv": summary}


def evaluation_files(data: PlanData, ev: Evaluation, lang: str = "zh", report: bool = False) -> dict[str, bytes]:
    """Every file of an evaluation folder as bytes (CSV: UTF-8 with BOM, formulas neutralised)."""
    files = {name: csv_bytes(df) for name, df in evaluation_tables(ev, lang).items()}
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
    table / chart / note."""

    kind: str
    text: str = ""
    items: tuple = ()  # bullets: texts; table: rows
    head: tuple = ()  # table: header cells
    widths: tuple = ()  # table: relative column widths
    spec: dict | None = None  # chart: Vega-Lite spec


def _overview(data: PlanData, ev: Evaluation, lang: str) -> list[Block]:
    c = ev.counts()
    out = [Block("p", tr("eval.overview.counts", lang, n=len(ev.indicators), met=c[MET], nearly=c[NEARLY],
                         not_met=c[NOT_MET], mismatch=c[MISMATCH], no_data=c[NO_DATA], qual=c[QUAL_PENDING]))]
    ind = ev.indicators.set_index("indicator_id")
    for g in ev.growth.to_dict(orient="records"):
        name = tr(SEGMENT_KEY[g["segment"]], lang)
        if not math.isfinite(g["latest_year"]):
            out.append(Block("p", tr("eval.overview.segment_nodata", lang, name=name,
                                     first=ev.calendar.plan_first_year)))
            continue
        row = ind.loc[g["indicator_id"]] if g["indicator_id"] in ind.index else None
        same = row is not None and row["actual_year"] == g["latest_year"]
        comp = row["completion_pct"] if same else g["latest_actual"] / g["target"] * 100
        text = tr("eval.overview.segment", lang, year=int(g["latest_year"]), name=name, actual=num(g["latest_actual"]),
                  unit=g["unit"], completion=pct(comp), target=num(g["target"]), base_year=g["base_year"],
                  cagr=pct(g["cagr_pct"]), required=pct(g["required_cagr_pct"]))
        if row is not None and FLAG_MEASURE in str(row["flags"]).split(";"):
            text += tr("eval.overview.segment_measure", lang, measure=row["measure"])
        out.append(Block("p", text))
    out.append(Block("p", _projects_sentence(ev, lang)))
    out.append(Block("p", _roads_sentence(data, ev, lang)))
    return out


def _group(frame: pd.DataFrame, dimension: str) -> list[dict]:
    return frame[frame["dimension"] == dimension].to_dict(orient="records")


def _projects_sentence(ev: Evaluation, lang: str) -> str:
    if not ev.has_projects:
        return tr("eval.overview.no_projects", lang)
    g = _group(ev.project_groups, "all")[0]
    return tr("eval.overview.projects", lang, planned=num(g["planned"]), invested=num(g["invested"]), unit=g["unit"],
              pct=pct(g["completion_pct"]))


def _roads_sentence(data: PlanData, ev: Evaluation, lang: str) -> str:
    if not ev.has_roads:
        return tr("eval.overview.no_roads", lang)
    g = _group(ev.road_groups, "all")[0]
    s = {m: v for m, grp, v, _ in ev.summary.itertuples(index=False) if grp == "all"}
    return tr("eval.overview.roads", lang, planned=num(g["planned"]), invested=num(g["invested"]), unit=g["unit"],
              pct=pct(g["completion_pct"]), built=num(s.get("road_length_built_m"), 0),
              length=num(s.get("road_length_plan_m"), 0), length_pct=pct(s.get("road_length_pct")))


def _marks(flags: str) -> str:
    return "".join(FLAG_MARK.get(f, "") for f in str(flags).split(";") if f)


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
        year = "—" if not math.isfinite(r["actual_year"]) else str(int(r["actual_year"]))
        rows.append((_name(r, lang), f"{COMPARATOR_SHOWN.get(r['comparator'], '')}{num(r['target'])}",
                     num(r["baseline"]) + ("‡" if FLAG_DERIVED in flags else ""),
                     num(r["actual"]) + ("†" if FLAG_MEASURE in flags else ""),
                     year + ("*" if FLAG_LATEST in flags else ""), r["unit"], pct(r["completion_pct"]),
                     pct(r["progress_pct"]), status_label(r["status"], lang)))
    head = tuple(tr(k, lang) for k in ("eval.col.indicator", "eval.col.target", "eval.col.baseline",
                                       "eval.col.actual", "eval.col.year", "eval.col.unit", "eval.col.completion",
                                       "eval.col.progress", "eval.col.status"))
    out.append(Block("table", head=head, items=tuple(rows), widths=(22, 11, 12, 11, 10, 7, 9, 8, 12)))
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


def _execution_section(data: PlanData, ev: Evaluation, lang: str, with_charts: bool) -> list[Block]:
    out = [Block("h2", tr("eval.s3.projects", lang)), Block("p", _projects_sentence(ev, lang))]
    unit = ev.project_groups["unit"].iloc[0]
    head = (tr("eval.col.group", lang), tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=unit),
            tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=unit),
            tr("eval.col.completion", lang))
    if ev.has_projects:
        for key, dim in (("eval.s3.by_area", "area"), ("eval.s3.by_category", "category")):
            rows = [(g["group"], num(g["planned"]), num(g["invested"]), pct(g["completion_pct"]))
                    for g in _group(ev.project_groups, dim)]
            total = _group(ev.project_groups, "all")[0]
            rows.append((tr("eval.all", lang), num(total["planned"]), num(total["invested"]),
                         pct(total["completion_pct"])))
            out += [Block("caption", tr(key, lang)),
                    Block("table", head=head, items=tuple(rows), widths=(40, 20, 20, 20))]
    if with_charts:
        out += [Block("chart", title, spec=spec) for title, spec in chart_specs(data, ev, lang)]
    if ev.has_projects:
        rows = tuple((f"{r['project_id']} {_name(r, lang)}", num(r["planned_yi"]), num(r["invested_yi"]),
                      pct(r["completion_pct"]), _status_text(r["status"], lang))
                     for r in ev.projects.to_dict(orient="records"))
        out += [Block("caption", tr("eval.s3.detail", lang)),
                Block("table", head=(tr("eval.col.project", lang),) + head[1:] + (tr("eval.col.latest_status", lang),),
                      items=rows, widths=(44, 14, 14, 14, 14))]
    out += [Block("h2", tr("eval.s3.roads", lang)), Block("p", _roads_sentence(data, ev, lang))]
    if ev.has_roads:
        money = [g for g in _group(ev.road_groups, "funding_source")]
        rows = [(g["group"], num(g["planned"]), num(g["invested"]), pct(g["completion_pct"])) for g in money]
        total = _group(ev.road_groups, "all")[0]
        rows.append((tr("eval.all", lang), num(total["planned"]), num(total["invested"]), pct(total["completion_pct"])))
        wan = ev.road_groups["unit"].iloc[0]
        rhead = (tr("eval.col.group", lang),
                 tr("eval.col.with_unit", lang, label=tr("eval.col.planned", lang), unit=wan),
                 tr("eval.col.with_unit", lang, label=tr("eval.col.invested", lang), unit=wan),
                 tr("eval.col.completion", lang))
        out += [Block("caption", tr("eval.s3.by_funding", lang)),
                Block("table", head=rhead, items=tuple(rows), widths=(40, 20, 20, 20))]
        district = ev.summary[ev.summary["metric"].str.startswith("district_finance")]
        if len(district):
            v = dict(zip(district["metric"], district["value"]))
            out.append(Block("p", tr("eval.s3.district", lang, source=district["group"].iloc[0],
                                     planned=num(v.get("district_finance_planned_wan")),
                                     paid=num(v.get("district_finance_paid_wan")), unit=wan,
                                     pct=pct(v.get("district_finance_pct")))))
        rows = tuple((f"{r['road_id']} {_name(r, lang)}", num(r["length_m"], 0), num(r["length_built_m"], 0),
                      num(r["planned_wan"]), num(r["invested_wan"]), _status_text(r["status"], lang))
                     for r in ev.roads.to_dict(orient="records"))
        out += [Block("caption", tr("eval.s3.road_detail", lang)),
                Block("table", head=(tr("eval.col.road", lang), tr("eval.col.length_plan", lang),
                                     tr("eval.col.length_built", lang)) + rhead[1:3] + (
                    tr("eval.col.latest_status", lang),), items=rows, widths=(34, 13, 13, 14, 14, 12))]
    return out


def problems(ev: Evaluation, lang: str) -> list[str]:
    """The bullets of 四、存在的主要问题, from the data: targets not met, shortfalls against the plan path, targets
    nearly met,
    delayed and unstarted projects and roads, measure mismatches, targets without data, latest-year figures."""
    ind = ev.indicators
    out = []
    sep_items = lambda recs, key, **kw: [tr(key, lang, name=_name(r, lang), **{k: f(r) for k, f in kw.items()})  # noqa
                                         for r in recs]
    missed = ind[ind["status"] == NOT_MET].sort_values("completion_pct").to_dict(orient="records")
    if missed:
        out.append(tr("eval.p.not_met", lang, n=len(missed), items=_join(
            [tr("eval.item.completion", lang, name=_name(r, lang), pct=pct(r["completion_pct"]))
             if math.isfinite(r["completion_pct"]) else _name(r, lang) for r in missed], lang)))
    for g in ev.growth.to_dict(orient="records"):
        if not (math.isfinite(g["shortfall"]) and g["shortfall"] > 0):
            continue
        s = ev.series[(ev.series["segment"] == g["segment"]) & ev.series["shortfall_increment"].notna()]
        worst = s.loc[s["shortfall_increment"].idxmax()]
        out.append(tr("eval.p.shortfall", lang, year=int(g["latest_year"]), name=tr(SEGMENT_KEY[g["segment"]], lang),
                      gap=num(g["shortfall"]), unit=g["unit"], worst_year=int(worst["year"]),
                      inc=num(worst["shortfall_increment"])))
    nearly = ind[ind["status"] == NEARLY].sort_values("completion_pct").to_dict(orient="records")
    if nearly:
        out.append(tr("eval.p.nearly", lang, n=len(nearly), items=_join(
            sep_items(nearly, "eval.item.completion", pct=lambda r: pct(r["completion_pct"])), lang)))
    if ev.has_projects:
        for flag, key in (("delayed", "eval.p.delayed"), ("unstarted", "eval.p.unstarted")):
            recs = ev.projects[ev.projects[flag]].to_dict(orient="records")
            if recs:
                out.append(tr(key, lang, n=len(recs), items=_join([f"{r['project_id']} {_name(r, lang)}" for r in recs],
                                                                  lang)))
    if ev.has_roads:
        recs = ev.roads[ev.roads["delayed"]].to_dict(orient="records")
        if recs:
            out.append(tr("eval.p.roads_delayed", lang, n=len(recs),
                          items=_join([f"{r['road_id']} {_name(r, lang)}" for r in recs], lang)))
    recs = ind[ind["status"] == MISMATCH].to_dict(orient="records")
    if recs:
        out.append(tr("eval.p.mismatch", lang, n=len(recs), items=_join(
            sep_items(recs, "eval.item.measure", measure=lambda r: r["measure"]), lang)))
    recs = ind[(ind["status"] == NO_DATA)].to_dict(orient="records")
    if recs:
        out.append(tr("eval.p.no_data", lang, n=len(recs), items=_join([_name(r, lang) for r in recs], lang)))
    recs = ind[ind["flags"].str.contains(FLAG_LATEST, regex=False)].to_dict(orient="records")
    if recs:
        out.append(tr("eval.p.latest", lang, n=len(recs), items=_join(
            sep_items(recs, "eval.item.year", year=lambda r: int(r["actual_year"])), lang)))
    return out or [tr("eval.p.none", lang)]


def chart_specs(data: PlanData, ev: Evaluation, lang: str = "zh") -> list[tuple[str, dict]]:
    """(title, Vega-Lite spec) of the report's charts, labelled in ``lang``: actual vs plan paths; project
    investment by year and area (when projects are reported); the park total's year-by-year change of the gap to
    the plan path. Render with ``st.vega_lite_chart`` or :func:`model.report.charts.to_svg` / ``to_png``."""
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
        series_title=tr("eval.legend.series", lang), projected_label=tr("eval.band", lang))))
    if ev.has_projects:
        area = dict(zip(ev.projects["project_id"], ev.projects["area"]))
        rows = []
        first, last = ev.calendar.plan_first_year, ev.calendar.plan_last_year
        for pid, year, inv in ((r[0], r[1], r[2]) for r in ev.project_rows):
            if inv is not None and first <= year <= last:
                rows.append({"year": year, "group": area.get(pid, ""), "value": inv})
        if rows:
            bars = pd.DataFrame(rows).groupby(["year", "group"], as_index=False, sort=False)["value"].sum()
            out.append((tr("eval.chart.invest", lang), charts.stacked_bars(
                bars, group_title=tr("eval.legend.area", lang), x_title=tr("eval.axis.year", lang),
                y_title=tr("eval.axis.invest", lang, unit=ev.project_groups["unit"].iloc[0]))))
    inc = s[(s["segment"] == "total") & s["shortfall_increment"].notna() & (s["year"] > ev.calendar.base_year)]
    if len(inc) and (inc["shortfall_increment"].abs() > 0).any():
        out.append((tr("eval.chart.shortfall", lang), charts.diff_bars(
            pd.DataFrame({"year": inc["year"].astype(int), "value": inc["shortfall_increment"]}),
            x_title=tr("eval.axis.year", lang), y_title=tr("eval.axis.shortfall", lang, unit=unit))))
    return out


def report_blocks(data: PlanData, ev: Evaluation, lang: str = "zh", with_charts: bool = True) -> list[Block]:
    """The whole report as blocks (the .docx and the HTML render the same list)."""
    cal = ev.calendar
    blocks = [Block("title", tr("eval.title", lang)),
              Block("meta", tr("eval.period", lang, first=cal.plan_first_year, last=cal.plan_last_year)),
              Block("meta", tr("eval.meta", lang, id=ev.actuals_id or "—", date=date.today().isoformat())),
              Block("h1", tr("eval.s1", lang))]
    blocks += _overview(data, ev, lang)
    blocks.append(Block("h1", tr("eval.s2", lang)))
    blocks += _indicator_section(ev, lang)
    blocks.append(Block("h1", tr("eval.s3", lang)))
    blocks += _execution_section(data, ev, lang, with_charts)
    blocks += [Block("h1", tr("eval.s4", lang)), Block("bullets", items=tuple(problems(ev, lang))),
               Block("h1", tr("eval.s5", lang))]
    for k in ("eval.s5.h1", "eval.s5.h2", "eval.s5.h3", "eval.s5.h4"):
        blocks += [Block("h2", tr(k, lang)), Block("note", tr("eval.s5.note", lang))]
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
.note { color: #555; font-size: .92em; } p.caption { margin: 1em 0 .2em; page-break-after: avoid; break-after: avoid; }
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
        return f'<p class="note">{e(b.text)}</p>'
    if b.kind == "caption":
        return f'<p class="caption"><b>{e(b.text)}</b></p>'
    if b.kind == "bullets":
        return "<ul>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + "</ul>"
    if b.kind == "table":
        total = sum(b.widths) or 1
        cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in b.widths)  # format-ok: CSS width
        th = "".join(f"<th>{e(str(h))}</th>" for h in b.head)
        trs = "".join("<tr>" + "".join(
            f'<td{" class=n" if i and _is_number_cell(c) else ""}>{e(str(c))}</td>' for i, c in enumerate(row))
            + "</tr>" for row in b.items)
        return f'<div class="scroll"><table><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{trs}' \
               f"</tbody></table></div>"
    if b.kind == "chart":
        return f"<figure><figcaption><b>{e(b.text)}</b></figcaption>{charts.to_svg(b.spec).decode('utf-8')}</figure>"
    raise ValueError(b.kind)


def evaluation_html(data: PlanData, ev: Evaluation, lang: str = "zh") -> str:
    """The report as one self-contained HTML page: no scripts, nothing fetched, charts inline as SVG; A4 when
    printed."""
    blocks = report_blocks(data, ev, lang)
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
TABLE_PT = 9


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
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    tb = doc.add_table(rows=1, cols=len(b.head))
    tb.style = "Table Grid"
    tb.autofit = False
    tbl_pr = tb._tbl.tblPr
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):  # narrow cell margins (1 mm) so figures fit their columns
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "57", qn("w:type"): "dxa"}))
    tbl_pr.append(margins)
    total = sum(b.widths) or 1
    widths = [Mm(TEXT_WIDTH_MM * w / total) for w in b.widths]
    for row_cells in [b.head] + list(b.items):
        row = tb.rows[0] if row_cells is b.head else tb.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if row_cells is b.head:
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        for i, (cell, value) in enumerate(zip(row.cells, row_cells)):
            cell.width = widths[i]
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            if i and row_cells is not b.head and _is_number_cell(value):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(para, str(value), bold=row_cells is b.head, size=TABLE_PT)
    for i, col in enumerate(tb.columns):
        col.width = widths[i]


def evaluation_docx(data: PlanData, ev: Evaluation, lang: str = "zh") -> bytes:
    """The report as a Word document: A4 with 公文 margins, East Asian fonts on every run and style, headings kept
    with the next paragraph, table rows never split across pages, column widths set, charts as PNG."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _styles(doc)
    for b in report_blocks(data, ev, lang):
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
            _run(para, b.text, bold=True)
        elif b.kind in ("p", "note"):
            para = doc.add_paragraph()
            if b.kind == "p" and lang == "zh":
                para.paragraph_format.first_line_indent = Pt(22)  # two characters, as 公文 paragraphs are
            _run(para, b.text, size=9.5 if b.kind == "note" else None)
        elif b.kind == "bullets":
            for t in b.items:
                _run(doc.add_paragraph(style="List Bullet"), t)
        elif b.kind == "table":
            _table(doc, b)
        elif b.kind == "chart":
            para = doc.add_paragraph()
            para.paragraph_format.keep_with_next = True
            _run(para, b.text, bold=True)
            doc.add_picture(io.BytesIO(charts.to_png(b.spec, scale=1.5)), width=Mm(TEXT_WIDTH_MM))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


__all__ = ["evaluation_docx", "evaluation_html", "evaluation_files", "evaluation_tables", "template_files",
           "report_blocks", "problems", "chart_specs", "status_label", "num", "pct", "Block", "CSV_FILES",
           "REPORT_FILES", "EVALUATE_FILES", "TEMPLATE_FILES", "EVALUATION_CSV_COLUMNS"]

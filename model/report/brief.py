"""Briefing pack: one self-contained HTML file (charts inline as SVG, no network, prints to PDF) and a Word .docx.

Both hold the title, date, scenario name and short ID, the generated story sentences, the key results, the
assumptions, the charts and the plan sources. Pure: used by the app's download and by ``python -m model brief``.
"""
from __future__ import annotations

import html
import io
from datetime import date

import numpy as np
import pandas as pd

from ..calc.analysis import Fan, simulate
from ..calc.results import Results, summary_metrics
from ..io.assumptions import scenario_id, to_assumption_rows
from ..plan.tables import PlanData
from . import charts
from .story import story

L = {
    "zh": {"title": "石峰区“十四五”园区发展规划 · 情景简报", "scenario": "情景", "date": "日期", "summary": "要点",
           "results": "主要结果", "assumptions": "情景假设", "charts": "图表", "sources": "规划依据",
           "metric": "指标", "value": "数值", "unit": "单位", "parameter": "参数", "year": "年份",
           "output": "产值（亿元）", "invest": "投资（亿元）", "series": "系列", "total": "园区总产值",
           "rail": "轨道交通", "target": "2025年目标", "trend": "历史趋势（年均5.1%）", "plan": "规划目标路径",
           "projected": "预测 →", "area": "片区", "funding": "资金来源", "median": "中位数",
           "c_traj": "产值轨迹", "c_invest": "项目年度投资（按片区）", "c_roads": "道路投资（按资金来源）",
           "c_fan": "园区总产值的不确定性", "note": "园区2020年总产值为派生值（975 ÷ 0.96），非规划原文。"},
    "en": {"title": "Shifeng Park Plan 2021–2025 · Scenario brief", "scenario": "Scenario", "date": "Date",
           "summary": "Key points", "results": "Key results", "assumptions": "Assumptions", "charts": "Charts",
           "sources": "Plan sources", "metric": "Metric", "value": "Value", "unit": "Unit",
           "parameter": "Parameter", "year": "Year", "output": "Output (亿元)", "invest": "Investment (亿元)",
           "series": "Series", "total": "Park total", "rail": "Rail transit", "target": "2025 target",
           "trend": "Historical trend (5.1 %/yr)", "plan": "Plan-targets path", "projected": "Projected →",
           "area": "Area", "funding": "Funding source", "median": "Median", "c_traj": "Output trajectory",
           "c_invest": "Annual project investment by area", "c_roads": "Road investment by funding source",
           "c_fan": "Uncertainty of park output",
           "note": "The 2020 park total is derived (975 ÷ 0.96), not stated in the plan."},
}
METRICS = {
    "output_2025_total": ("2025年园区总产值", "Park output 2025"), "output_2025_rail": ("2025年轨道交通产值", "Rail output 2025"),
    "gap_2025_total": ("总产值与目标差距", "Park gap to target"), "gap_2025_rail": ("轨道交通与目标差距", "Rail gap to target"),
    "cagr_total": ("情景总产值年均增长", "Scenario park growth"), "cagr_rail": ("情景轨道交通年均增长", "Scenario rail growth"),
    "required_cagr_total": ("所需总产值年均增长", "Park growth needed"),
    "required_cagr_rail": ("所需轨道交通年均增长", "Rail growth needed"),
    "required_cagr_nonrail": ("所需非轨道年均增长", "Non-rail growth needed"),
    "project_investment_fyp": ("2021–2025年项目投资", "Project investment 2021–2025"),
    "road_investment_total": ("道路投资合计", "Road investment"), "peak_investment_year": ("投资高峰年", "Peak year"),
}
SOURCE_IDS = ("rail_output_2020", "rail_share_above_scale_2020", "output_per_mu_2020", "park_output_2025",
              "rail_output_2025", "hightech_firms_2025", "above_scale_va_growth_13fyp")


def chart_specs(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None) -> list[tuple[str, dict]]:
    """(title, Vega-Lite spec) of the pack's charts, labelled in ``lang``."""
    tx = L[lang]
    s, p = r.scenario, r.projection
    b = s.base_year
    years = np.arange(b, s.horizon + 1)
    plan = np.arange(b, s.target_year + 1)
    hist = data.role("trend_growth") / 100
    paths = pd.concat([
        charts.long_frame(p.path.index, {tx["total"]: p.path["total"].to_numpy(),
                                         tx["rail"]: p.path["rail_transit"].to_numpy()}),
        charts.long_frame(years, {tx["trend"]: s.baseline_total_yi * (1 + hist) ** (years - b)}, ref=1),
        charts.long_frame(plan, {tx["plan"]: s.baseline_total_yi * (1 + p.required_cagr_total) ** (plan - b)},
                          ref=1),
    ], ignore_index=True)
    targets = pd.DataFrame({"year": [s.target_year] * 2, "value": [p.targets.total_yi, p.targets.rail_yi],
                            "label": [f"{tx['target']} {p.targets.total_yi:,.0f}", f"{tx['target']} {p.targets.rail_yi:,.0f}"]})
    out = [(tx["c_traj"], charts.trajectory(paths, targets, x_title=tx["year"], y_title=tx["output"],
                                            series_title=tx["series"], projected_label=tx["projected"]))]
    area = r.projects.by_group(dict(zip(data.projects["project_id"], data.projects["area"])))
    out.append((tx["c_invest"], charts.stacked_bars(charts.group_frame(area), group_title=tx["area"],
                                                    x_title=tx["year"], y_title=tx["invest"])))
    roads = r.roads.by_group(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    out.append((tx["c_roads"], charts.stacked_bars(charts.group_frame(roads), group_title=tx["funding"],
                                                   x_title=tx["year"], y_title=tx["invest"], highlight="区财政")))
    bands = (fan or simulate(s, p.targets)).bands("total")
    pts = pd.DataFrame({"year": [s.target_year], "value": [p.targets.total_yi], "series": [tx["target"]]})
    out.append((tx["c_fan"], charts.fan(bands, pts, x_title=tx["year"], y_title=tx["output"], series_title=tx["series"],
                                        outer_label="P10–P90", inner_label="P25–P75", median_label=tx["median"])))
    return out


def _content(data: PlanData, r: Results, lang: str) -> dict:
    tx = L[lang]
    steps = story(data, r)
    results = [(METRICS[m][0 if lang == "zh" else 1], v, u) for m, v, u in summary_metrics(r) if m in METRICS]
    sources = [data.indicator_row(i) for i in SOURCE_IDS]
    return {
        "title": tx["title"], "date": date.today().isoformat(), "name": r.scenario.name,
        "id": scenario_id(r.scenario),
        "steps": [(s.title_zh if lang == "zh" else s.title_en, s.text_zh if lang == "zh" else s.text_en)
                  for s in steps],
        "results": [(m, "—" if v != v else (f"{v:,.2f}" if isinstance(v, float) else str(v)), u)
                    for m, v, u in results],
        "assumptions": [(p, v, u) for p, v, u, _ in to_assumption_rows(r.scenario)],
        "sources": [(f"{s['section_id']}", s["name_zh"] if lang == "zh" else s["name_en"], s["quote"])
                    for s in sources],
    }


def _table_html(head: tuple, rows: list) -> str:
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


CSS = """
body { font-family: 'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif; margin: 2.5em auto;
       max-width: 60em; color: #222; line-height: 1.6; }
h1 { font-size: 1.7em; } h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: .2em; }
table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eef3f8; } figure { margin: 1em 0; page-break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
.meta { color: #555; } .note { color: #666; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
"""


def brief_html(data: PlanData, r: Results, lang: str = "zh") -> str:
    """A single self-contained HTML page: no scripts, no external files, charts inline as SVG."""
    tx, c = L[lang], _content(data, r, lang)
    figures = "".join(
        f"<figure><figcaption><b>{html.escape(title)}</b></figcaption>{charts.to_svg(spec).decode('utf-8')}</figure>"
        for title, spec in chart_specs(data, r, lang))
    steps = "".join(f"<p><b>{html.escape(t)}</b>：{html.escape(x)}</p>" if lang == "zh" else
                    f"<p><b>{html.escape(t)}.</b> {html.escape(x)}</p>" for t, x in c["steps"])
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8"><title>{html.escape(c['title'])}</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(c['title'])}</h1>
<p class="meta">{tx['scenario']}：{html.escape(c['name'])} · ID {c['id']} · {tx['date']} {c['date']}</p>
<h2>{tx['summary']}</h2>{steps}
<h2>{tx['results']}</h2>{_table_html((tx['metric'], tx['value'], tx['unit']), c['results'])}
<h2>{tx['charts']}</h2>{figures}
<h2>{tx['assumptions']}</h2>{_table_html((tx['parameter'], tx['value'], tx['unit']), c['assumptions'])}
<h2>{tx['sources']}</h2>{_table_html(('§', tx['metric'], '“…”'), c['sources'])}
<p class="note">{tx['note']}</p>
</body></html>"""


def brief_docx(data: PlanData, r: Results, lang: str = "zh") -> bytes:
    """The same pack as a Word document (python-docx), charts as PNG images."""
    from docx import Document
    from docx.shared import Inches

    tx, c = L[lang], _content(data, r, lang)
    doc = Document()
    doc.add_heading(c["title"], level=0)
    doc.add_paragraph(f"{tx['scenario']}：{c['name']} · ID {c['id']} · {tx['date']} {c['date']}")
    doc.add_heading(tx["summary"], level=1)
    for title, text in c["steps"]:
        para = doc.add_paragraph()
        para.add_run(f"{title}：" if lang == "zh" else f"{title}. ").bold = True
        para.add_run(text)

    def table(head, rows):
        tb = doc.add_table(rows=1, cols=len(head))
        tb.style = "Table Grid"
        for cell, h in zip(tb.rows[0].cells, head):
            cell.text = str(h)
        for row in rows:
            for cell, v in zip(tb.add_row().cells, row):
                cell.text = str(v)

    doc.add_heading(tx["results"], level=1)
    table((tx["metric"], tx["value"], tx["unit"]), c["results"])
    doc.add_heading(tx["charts"], level=1)
    for title, spec in chart_specs(data, r, lang):
        doc.add_paragraph(title).runs[0].bold = True
        doc.add_picture(io.BytesIO(charts.to_png(spec, scale=1.5)), width=Inches(6.2))
    doc.add_heading(tx["assumptions"], level=1)
    table((tx["parameter"], tx["value"], tx["unit"]), c["assumptions"])
    doc.add_heading(tx["sources"], level=1)
    table(("§", tx["metric"], "“…”"), c["sources"])
    doc.add_paragraph(tx["note"])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

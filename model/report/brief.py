"""Briefing pack: one self-contained HTML file (charts inline as SVG, no network, prints on A4) and a Word .docx.

Both hold the title, date, scenario name and short ID, the story's sentences, the key results, the charts, the
assumptions (labels, units, sensible decimals) and the plan sources. Pure: used by the app's download and by
``python -m model brief``. Documents are A4 with an East Asian font on every run, headings kept with what follows
and table rows never split across pages.
"""
from __future__ import annotations

import html
import io
import re
from datetime import date

from ..calc.analysis import Fan, has_land, investment_output, land, simulate
from ..calc.results import Results, metric_names, summary_metrics
from ..io.assumptions import scenario_id
from ..plan.tables import PlanData
from ..scenario.presets import is_assumed_base
from . import charts, figures
from .labels import (assumption_rows, base_kind, context, date_text, derived_formula, error_text, fmt, metric_label,
                     pct, preset_name, probability, rounds_to_zero, seg_output, signed, stated_value, tx, yi_text)
from .story import order, story

# roles of indicator rows a scenario's results rest on (beside its segments' base and target rows), in the order
# the sources table lists them
SOURCE_ROLES = ("share_of_city", "per_mu_base", "land_available", "trend_growth")
# per-segment metrics of the results table (stable names: FAMILY_KEY), in order, with their format
RESULT_FAMILIES = (("output", "yi"), ("gap", "signed"), ("required_cagr", "pct"), ("cagr", "pct"))
FONT_ZH = "SimSun"  # 宋体 on Windows; on Linux fontconfig maps it to a Simplified-Chinese face
FONT_LATIN = "Times New Roman"  # Liberation Serif on Linux (metric-compatible)


def stable_metrics(r: Results) -> dict[str, tuple[float, str]]:
    """Summary metrics keyed by stable names (``output_total`` whatever the target year)."""
    n = metric_names(r.scenario)
    back = {f"{v}_": f"{k}_" for k, v in n.items()}
    out = {}
    for name, value, unit in summary_metrics(r):
        for prefix, stable in back.items():
            if name.startswith(prefix):
                name = stable + name[len(prefix):]
                break
        out[name] = (value, unit)
    return out


def _value_text(v: float, kind: str, lang: str, met: bool | None = None) -> str:
    if kind == "pct":
        return pct(None if v != v else v / 100)
    if kind == "year":
        return "—" if v != v else str(int(v))
    if kind == "signed":
        if rounds_to_zero(v):
            return tx("story.gap.equal_strict" if met is False else "story.gap.equal", lang)
        return yi_text(signed(v), lang)
    return yi_text(fmt(v, 2 if kind == "yi2" else 1), lang)


def result_rows(data: PlanData, r: Results, lang: str, fan: Fan) -> list[tuple[str, str]]:
    """(label, value) of the key results: per headline segment (the total first) its output, gap, growth needed
    (a remainder's on its condition) and growth, then the investment figures the plan's lists give, the output
    from projects, the probabilities and (where the plan states output per mu) the land."""
    s = r.scenario
    ctx = context(s, data)
    m = stable_metrics(r)
    key = {x.id: x.key for x in s.tree}
    segs = order(r)
    rows = []
    for fam, kind in RESULT_FAMILIES:
        for seg in segs + tuple(x for x in r.projection.required_conditional if x not in segs):
            name = f"{fam}_{key[seg]}"
            if name in m and not (fam == "required_cagr" and m[name][0] != m[name][0]):
                met = r.projection.met(seg) if fam == "gap" else None
                rows.append((metric_label(name, s, lang, data), _value_text(m[name][0], kind, lang, met)))
    if len(data.projects):
        rows.append((tx("sm.project_investment_fyp", lang, ctx), _value_text(m["project_investment_fyp"][0], "yi2",
                                                                             lang)))
    if len(data.roads):
        rows.append((tx("sm.road_investment_total", lang, ctx), _value_text(m["road_investment_total"][0], "yi2",
                                                                            lang)))
    if len(data.projects) or len(data.roads):
        rows.append((metric_label("peak_investment_year", s, lang, data),
                     _value_text(m["peak_investment_year"][0], "year", lang)))
    if len(data.projects):
        inv = float(investment_output(data, s, r.projects).get(s.target_year, 0.0))
        rows.append((tx("sm.investment_output", lang, ctx), yi_text(fmt(inv), lang)))
    for seg in segs:
        if seg in fan.prob:
            rows.append((metric_label(f"prob_target_{key[seg]}", s, lang, data),
                         probability(fan.prob[seg], fan.n_paths, lang)))
    ld = land(s, r.projection.targets, data) if has_land(data) else None
    if ld is not None:
        mu = tx("unit_mu", lang)
        rows.append((tx("sm.land_needed_mu", lang, ctx),
                     f"{fmt(ld.land_needed_mu, 0)}{mu if lang == 'zh' else ' ' + mu}"))
        rows.append((tx("sm.land_available_mu", lang, ctx),
                     f"{fmt(ld.land_available_mu, 0)}{mu if lang == 'zh' else ' ' + mu}"))
    return rows


_result_rows = result_rows  # the name before the plan-as-data refactor


def chart_specs(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None) -> list[tuple[str, dict]]:
    """(title, Vega-Lite spec) of the pack's charts, labelled and numbered in ``lang``: the trajectory, the
    project investment by area and the roads by funding source (where the plan has them), the fan of its total."""
    fan = fan or simulate(r.scenario, r.projection.targets)
    ctx = context(r.scenario, data)
    specs = [("brief.c_traj", {}, lambda: figures.trajectory(r, data, lang, height=380))]
    if figures.has_projects(data):
        specs.append(("brief.c_invest", {}, lambda: figures.invest_by(r, data, lang, "area", height=340)))
    if figures.has_roads(data):
        specs.append(("brief.c_roads", {}, lambda: figures.roads_by_funding(r, data, lang, height=340)))
    root = r.projection.root
    specs.append(("brief.c_fan", {"output": seg_output(root, lang, data)},
                  lambda: figures.fan_chart(r, data, fan, lang, height=340)))
    return [(tx("brief.figure", lang, n=i, title=tx(key, lang, ctx, **kw)), build())
            for i, (key, kw, build) in enumerate(specs, start=1)]


def _row_text(row: dict, col: str, lang: str) -> str:
    return str(row.get(f"{col}_{lang}") or row.get(f"{col}_zh") or "")


def source_rows(data: PlanData, s) -> list[dict]:
    """The plan's indicator rows the scenario's results rest on, each once: every headline segment's stated base
    row (a derived base: the rows its formula names), the rows of the roles the results use (share of the city,
    output per mu, land, trend), then the targets."""
    t = data.segments
    out: dict[str, dict] = {}

    def add(row):
        if row is not None and row.get("indicator_id") and row.get("file", "indicators.csv") == "indicators.csv":
            out.setdefault(row["indicator_id"], row)

    segs = [x for x in t.post_order() if x in t.stated or t[x].target_id]
    for seg in segs:
        row = data.segment_base_row(seg)
        if row is None:
            continue
        if row.get("kind") == "derived":
            named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(row.get("quote") or "")))
            for rid in data.indicators["indicator_id"]:
                if rid != row["indicator_id"] and rid in named:
                    ref = data.indicator_row(rid)
                    if ref.get("kind") != "derived":
                        add(ref)
        else:
            add(row)
    for role in SOURCE_ROLES:
        if role == "per_mu_base" and not has_land(data):
            continue
        for row in data.role_rows(role):
            add(row)
    for seg in (t.root,) + tuple(x for x in t.ids if x != t.root):
        add(data.segment_target_row(seg))
    return list(out.values())


def notes(data: PlanData, r: Results, lang: str, fan: Fan) -> list[str]:
    """The pack's notes: every derived base (its formula, from the package's row) and assumed base the scenario
    uses, user-set targets, the method (output from projects, sampling error)."""
    s = r.scenario
    ctx = context(s, data)
    out = []
    for seg in order(r):
        kind = base_kind(s, seg)
        if kind == "derived" and seg in data.segments.stated:
            formula = derived_formula(data.segment_base_row(seg))
            out.append(tx("brief.note_derived" if formula else "brief.note_derived_plain", lang, ctx,
                          output=seg_output(seg, lang, data), formula=formula))
        elif kind == "assumed" and is_assumed_base(data, seg):
            out.append(tx("brief.note_assumed", lang, ctx, output=seg_output(seg, lang, data)))
    if r.projection.targets.any_user_set:
        out.append(tx("brief.note_user_targets", lang, ctx))
    if fan.prob:
        key = "brief.note_method" if len(data.projects) else "brief.note_method_mc"
        out.append(tx(key, lang, ctx, err=error_text(*fan.prob.values(), n=fan.n_paths)))
    elif len(data.projects):
        out.append(tx("brief.note_method_io", lang, ctx))
    return out


def title(data: PlanData, s, lang: str, kind: str = "brief") -> str:
    """The document's title: the plan's short name and period, or (a scenario for another target year) the next
    plan period of the plan's district."""
    ctx = context(s, data)
    if s.target_year != data.calendar.target_year:
        subject = data.meta.text("district", lang) or data.meta.text("short_name", lang) or data.name(lang)
        return tx(f"{kind}.title_next", lang, ctx, subject=subject)
    short = data.meta.text("short_name", lang)  # the name itself when no short name is given
    cal = data.calendar
    if str(cal.plan_first_year) in short and str(cal.plan_last_year) in short:  # its years named already
        return tx(f"{kind}.title_dated", lang, ctx)
    return tx(f"{kind}.title", lang, ctx)


def _content(data: PlanData, r: Results, lang: str, fan: Fan) -> dict:
    s = r.scenario
    sources = [(str(row["section_id"]), _row_text(row, "name", lang), stated_value(row["value"], row["unit"], lang),
                row["quote"]) for row in source_rows(data, s)]
    return {
        "title": title(data, s, lang),
        "date": date_text(date.today(), lang), "name": preset_name(s.name, lang, data), "id": scenario_id(s),
        "steps": [(st.title, st.text) for st in story(data, r, lang, fan)],
        "results": result_rows(data, r, lang, fan),
        "assumptions": [(label, value) for label, value, _ in assumption_rows(s, lang, data)],
        "sources": sources,
        "notes": notes(data, r, lang, fan),
    }


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


# -- HTML ------------------------------------------------------------------------------------------

def _table_html(head: tuple, rows: list, widths: tuple | None = None) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: 'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif; margin: 2em auto;
       max-width: 60em; padding: 0 1em; color: #1a1a1a; line-height: 1.65; }
h1 { font-size: 1.6em; line-height: 1.3; } h2 { font-size: 1.25em; border-bottom: 2px solid #0072B2;
       padding-bottom: .2em; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: .92em; table-layout: fixed; }
th, td { border: 1px solid #8c8c8c; padding: .3em .5em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #e8eef5; } tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: .3em; } figure svg { max-width: 100%; height: auto; }
.meta { color: #3d3d3d; } .note { color: #3d3d3d; font-size: .9em; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""


def brief_html(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None) -> str:
    """A single self-contained HTML page: no scripts, no external files, charts inline as SVG."""
    fan = fan or simulate(r.scenario, r.projection.targets)
    c = _content(data, r, lang, fan)
    sep = _sep(lang)
    figs = "".join(
        f"<figure><figcaption>{html.escape(title)}</figcaption>{charts.to_svg(spec).decode('utf-8')}</figure>"
        for title, spec in chart_specs(data, r, lang, fan))
    steps = "".join(f"<p><b>{html.escape(t)}</b>{sep}{html.escape(x)}</p>" for t, x in c["steps"])
    meta = " · ".join((f"{tx('brief.scenario', lang)}{sep}{html.escape(c['name'])}",
                       f"{tx('brief.id', lang)}{sep}{c['id']}", f"{tx('brief.date', lang)}{sep}{c['date']}"))
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in c["notes"])
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(c['title'])}</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(c['title'])}</h1>
<p class="meta">{meta}</p>
<h2>{tx('brief.summary', lang)}</h2>{steps}
<h2>{tx('brief.results', lang)}</h2>{_table_html((tx('brief.metric', lang), tx('brief.value', lang)), c['results'], (62, 38))}
<h2>{tx('brief.charts', lang)}</h2>{figs}
<h2>{tx('brief.assumptions', lang)}</h2>{_table_html((tx('brief.parameter', lang), tx('brief.value', lang)), c['assumptions'], (62, 38))}
<h2>{tx('brief.sources', lang)}</h2>{_table_html((tx('brief.section', lang), tx('brief.metric', lang), tx('brief.value', lang), tx('brief.quote', lang)), c['sources'], (10, 24, 14, 52))}
{notes}
</body></html>"""


# -- Word --------------------------------------------------------------------------------------------

def set_fonts(element, latin: str = FONT_LATIN, east_asian: str = FONT_ZH) -> None:
    """Latin and East Asian fonts, and Chinese as the East Asian language, on the rPr of a run's or a style's XML
    element (w:rFonts ascii / hAnsi / cs / eastAsia, w:lang eastAsia): the brief and the evaluation report."""
    _set_rpr_fonts(element.get_or_add_rPr(), latin, east_asian)


def _set_rpr_fonts(rpr, latin: str, east_asian: str, drop_theme: bool = False) -> None:
    """Write w:rFonts (and w:lang eastAsia = zh-CN) into one w:rPr element; ``drop_theme`` removes theme font
    attributes, which would otherwise override the names."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    if drop_theme:
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def set_east_asian(run_or_style, east_asian: str = FONT_ZH, latin: str = FONT_LATIN) -> None:
    """Name the font for Chinese (w:eastAsia) as well as Latin text, on a run or a style."""
    run_or_style.font.name = latin
    set_fonts(run_or_style.element, latin, east_asian)


def _doc_defaults(doc, east_asian: str = FONT_ZH, latin: str = FONT_LATIN) -> None:
    """The document's default run properties: Chinese (zh-CN) and its font, not the template's ja-JP."""
    from docx.oxml.ns import qn

    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rpr_fonts(rpr, latin, east_asian, drop_theme=True)


def a4_document():
    """A python-docx Document on A4 with 25/20 mm margins and East Asian fonts on every style."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(25)
        section.left_margin = section.right_margin = Mm(20)
    _doc_defaults(doc)
    for style in doc.styles:
        if hasattr(style, "font") and style.type in (1, 3):  # paragraph and table styles
            try:
                set_east_asian(style)
            except (AttributeError, ValueError):
                continue
    return doc


BRIEF_PT = 11  # the brief's tables are set in the document's default size
WORD_PAD_MM = 4.0  # Word's default cell margins (1.9 mm each side) and the border


def fit_widths(head: tuple, rows: list, widths_mm: tuple) -> tuple:
    """Column widths with the same total as ``widths_mm`` in which no word is split ("Secti/on"): see
    :func:`model.report.widths.column_widths` (at the brief's size; it never shrinks the type)."""
    from .widths import column_widths

    return tuple(column_widths(head, rows, widths_mm, float(sum(widths_mm)), pt=BRIEF_PT, smallest=BRIEF_PT,
                               pad_mm=WORD_PAD_MM)[0])


def docx_table(doc, head: tuple, rows: list, widths_mm: tuple) -> None:
    """A grid table: header row repeated on each page, rows never split, fixed column widths (widened where a word
    would otherwise be split, see :func:`fit_widths`)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    widths_mm = fit_widths(head, rows, widths_mm)

    tb = doc.add_table(rows=1, cols=len(head))
    tb.style = "Table Grid"
    tb.autofit = False

    def fill(cells, values, bold=False):
        for cell, v, w in zip(cells, values, widths_mm):
            cell.width = Mm(w)
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(v))
            run.bold = bold
            set_east_asian(run)

    fill(tb.rows[0].cells, head, bold=True)
    for row in rows:
        fill(tb.add_row().cells, row)
    for i, row in enumerate(tb.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            trpr.append(OxmlElement("w:tblHeader"))
    grid = tb._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(w).twips)))


def heading(doc, text: str, level: int):
    h = doc.add_heading("", level=level)
    set_east_asian(h.add_run(text))
    h.paragraph_format.keep_with_next = True
    return h


def paragraph(doc, parts: list[tuple[str, bool]], keep_with_next: bool = False):
    para = doc.add_paragraph()
    for text, bold in parts:
        run = para.add_run(text)
        run.bold = bold
        set_east_asian(run)
    para.paragraph_format.keep_with_next = keep_with_next
    return para


def brief_docx(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None) -> bytes:
    """The same pack as a Word document (python-docx), charts as PNG images."""
    from docx.shared import Mm

    fan = fan or simulate(r.scenario, r.projection.targets)
    c = _content(data, r, lang, fan)
    sep = _sep(lang)
    doc = a4_document()
    heading(doc, c["title"], 0)
    paragraph(doc, [(" · ".join((f"{tx('brief.scenario', lang)}{sep}{c['name']}", f"{tx('brief.id', lang)}{sep}{c['id']}",
                                 f"{tx('brief.date', lang)}{sep}{c['date']}")), False)])
    heading(doc, tx("brief.summary", lang), 1)
    for title, text in c["steps"]:
        paragraph(doc, [(f"{title}{sep}", True), (text, False)])
    heading(doc, tx("brief.results", lang), 1)
    docx_table(doc, (tx("brief.metric", lang), tx("brief.value", lang)), c["results"], (105, 65))
    heading(doc, tx("brief.charts", lang), 1)
    for title, spec in chart_specs(data, r, lang, fan):
        paragraph(doc, [(title, True)], keep_with_next=True)
        doc.add_picture(io.BytesIO(charts.to_png(spec, scale=1.5)), width=Mm(165))
    heading(doc, tx("brief.assumptions", lang), 1)
    docx_table(doc, (tx("brief.parameter", lang), tx("brief.value", lang)), c["assumptions"], (105, 65))
    heading(doc, tx("brief.sources", lang), 1)
    docx_table(doc, (tx("brief.section", lang), tx("brief.metric", lang), tx("brief.value", lang),
                     tx("brief.quote", lang)), c["sources"], (16, 40, 24, 90))
    for note in c["notes"]:
        paragraph(doc, [(note, False)])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

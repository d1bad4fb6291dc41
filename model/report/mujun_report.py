"""The per-mu efficiency evaluation's files: tidy CSVs, the 公示 workbook (.xlsx), the report (.docx and .html),
the templates and the chart specs.

* CSVs (UTF-8 with BOM, formulas neutralised, :func:`model.io.export.csv_bytes`): ``mujun_enterprises.csv`` (one
  row per firm: inputs, indicators, points, score, rank, class), ``mujun_areas.csv`` and ``mujun_industries.csv``
  (tidy: ``group,metric,value,unit``), ``mujun_references.csv`` (the benchmarks or min/max each score used),
  ``mujun_method.csv`` (``parameter,value,description``: reads back with
  :func:`model.calc.mujun.method_from_bytes`), with a land register ``mujun_land.csv``, and ``mujun_lever.csv`` (the
  illustrative lever).
* The 公示 workbook: a cover (what is published, the data's and the method's short IDs, the date, how to object),
  one row per enterprise with its class and an empty 异议 (objection) column, and the method; reuses the scenario
  workbook's sheet writer (:func:`model.io.workbook._table_sheet`: translated headers with units, frozen header,
  A4 print setup, text never a formula).
* The report: aggregates only (no enterprise is named, so it may be shared beyond the editors): overview, per area and
  per industry, charts, low-efficiency land, the lever (illustrative), the method and the differentiated policies
  by class. The .docx and the HTML render one list of blocks with the final evaluation report's machinery
  (:mod:`model.report.evaluation_report`: East Asian fonts, column widths that fit every word, A4).

Every text is a row of ``strings/mujun.csv`` (keys ``mj.*``); numbers go through :mod:`model.report.labels`.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from ..calc.mujun import (ALL, CLASSES, DEFINITIONS, INDICATORS, NO_LAND, SCALES, Lever, Method, Result, lever)
from ..io.enterprises import (CATEGORIES, ENTERPRISES, IDLE_LAND, REASONS, Areas, code_label, header_label,
                              template_frame, template_xlsx)
from ..io.export import csv_bytes
from . import charts
from .labels import date_text, fmt, pct, rolled_area, signed
from .text import tr

CSV_FILES = ("mujun_enterprises.csv", "mujun_areas.csv", "mujun_industries.csv", "mujun_references.csv",
             "mujun_method.csv")
OPTIONAL_CSV = ("mujun_land.csv", "mujun_lever.csv")
WORKBOOK_NAME = {"zh": "亩均效益评价公示.xlsx", "en": "mujun-publication.xlsx"}
REPORT_FILES = {"zh": ("亩均效益评价报告.docx", "亩均效益评价报告.html"), "en": ("mujun-report.docx", "mujun-report.html")}
TEMPLATE_FILES = ("enterprises-template.csv", "enterprises-template.xlsx", "land-template.csv", "land-template.xlsx")
MUJUN_FILES = frozenset(CSV_FILES + OPTIONAL_CSV) | frozenset(WORKBOOK_NAME.values()) | frozenset(
    n for pair in REPORT_FILES.values() for n in pair)
CLASS_COLORS = {"A": "#009E73", "B": "#0072B2", "C": "#E69F00", "D": "#D55E00"}  # Okabe–Ito; words carry the meaning
NOT_GRADED_COLOR = "#7f7f7f"
PARAMS = ("scoring", "benchmark", "cap", "floor", "apart", "class_rule", "cuts", "bonus_cap", "exempt")
# keys built at run time (model.report.keys.dynamic_keys): names of codes, parameters, metrics and policies
DYNAMIC_KEYS = tuple(
    [f"mj.ind.{k}" for k in INDICATORS] + [f"mj.unit.{k}" for k in INDICATORS]
    + [f"mj.class.{k}" for k in CLASSES] + [f"mj.policy.{k}" for k in CLASSES]
    + [f"mj.scale.{k}" for k in SCALES] + [f"mj.reason.{k}" for k in REASONS + (NO_LAND,)]
    + [f"mj.landcat.{k}" for k in CATEGORIES] + [f"mj.col.{c.id}" for c in ENTERPRISES.columns + IDLE_LAND.columns]
    + [f"mj.help.{c.id}" for c in ENTERPRISES.columns + IDLE_LAND.columns]
    + [f"mj.param.{p}" for p in PARAMS] + [f"mj.scoring.{s}" for s in ("benchmark", "minmax")]
    + [f"mj.measure.{m}" for m in ("tax_per_mu", "output_per_mu")]
    + [f"mj.benchmark.{s}" for s in ("average", "given")] + [f"mj.rule.{s}" for s in ("percentile", "score")]
    + [f"mj.metric.{m}" for m in ("firms", "graded", "land_mu", "tax_wan", "revenue_wan", "value_added_wan",
                                  "tax_per_mu", "output_per_mu", "va_per_mu", "tax_per_mu_base", "tax_per_mu_change",
                                  "tax_per_mu_change_pct", "output_per_mu_base", "output_per_mu_change",
                                  "output_per_mu_change_pct")]
    + [f"mj.ref.{k}" for k in ("benchmark", "min", "max")] + ["mj.group.all"])


# -- labels ----------------------------------------------------------------------------------------------

def indicator_name(k: str, lang: str) -> str:
    return tr(f"mj.ind.{k}", lang)


def indicator_unit(k: str, lang: str) -> str:
    return tr(f"mj.unit.{k}", lang)


def class_name(c: str, lang: str) -> str:
    return tr(f"mj.class.{c}", lang) if c else tr("mj.class.none", lang)


def group_name(g: str, lang: str) -> str:
    """A scoring group (规上 / 规下 / all firms) in ``lang``."""
    return tr("mj.group.all", lang) if g == ALL else code_label("mj.scale", g, lang)


def reason_name(code: str, lang: str) -> str:
    return tr(f"mj.reason.{code}", lang) if code else ""


def area_name(value: str, areas: Areas | None, lang: str) -> str:
    names = (areas or {}).get(value) or {}
    return names.get(lang) or value


def group_label(r: Result, areas: Areas | None, lang: str):
    """The label of a per-area row (``ALL``: the whole set): an area totalled with the areas inside it says so."""
    sub = dict(zip(r.by_area["group"], r.by_area["sub_areas"])) if "sub_areas" in r.by_area else {}

    def label(g) -> str:
        if g == ALL:
            return tr("mj.group.all", lang)
        if not str(g or "").strip():  # firms whose file gives no 片区 (a plan without areas leaves it optional)
            return tr("mj.area.none", lang)
        name = area_name(g, areas, lang)
        return rolled_area(name, sub.get(g), lang)

    return label


def _sep(lang: str) -> str:
    return tr("mj.sep", lang)


def _num(v, digits: int = 2) -> str:
    return "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else fmt(v, digits)


def _int(v) -> str:
    return "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else fmt(v, 0)


METHOD_NAMES = {"default": "mj.method.default", "minmax": "mj.method.minmax", "custom": "mj.method.custom"}


def method_name(m: Method, lang: str) -> str:
    """A method's display name: a preset's (or "custom"'s) name in ``lang``; any other as its file gives it."""
    return tr(METHOD_NAMES[m.name], lang) if m.name in METHOD_NAMES else m.name


def method_rows(m: Method, lang: str) -> list[tuple[str, str]]:
    """(parameter, value) of a method as people read it (weights in their own table)."""
    sep = _sep(lang)
    scoring = tr(f"mj.scoring.{m.scoring}", lang)
    rows = [(tr("mj.desc.name", lang), method_name(m, lang)), (tr("mj.param.scoring", lang), scoring)]
    if m.scoring == "benchmark":
        rows.append((tr("mj.param.benchmark", lang), tr(f"mj.benchmark.{m.benchmark}", lang)))
        rows.append((tr("mj.param.cap", lang), tr("mj.value.times", lang, x=_num(m.cap, 2).rstrip("0").rstrip("."))))
    else:
        rows.append((tr("mj.param.floor", lang), tr("mj.value.points_pct", lang, x=fmt(m.floor, 0))))
    rows.append((tr("mj.param.apart", lang), tr("yes" if m.apart else "no", lang)))
    rows.append((tr("mj.param.class_rule", lang), tr(f"mj.rule.{m.class_rule}", lang)))
    a, b, c = m.cuts
    key = "mj.value.cuts_pct" if m.class_rule == "percentile" else "mj.value.cuts_score"
    rows.append((tr("mj.param.cuts", lang), tr(key, lang, a=fmt(a, 0), b=fmt(b, 0), c=fmt(c, 0))))
    rows.append((tr("mj.param.bonus_cap", lang), tr("mj.value.points", lang, x=fmt(m.bonus_cap, 0))))
    exempt = sep.join(reason_name(r, lang) for r in REASONS if r in m.exempt) or tr("none", lang)
    rows.append((tr("mj.param.exempt", lang), exempt))
    return rows


def weight_rows(m: Method, lang: str) -> list[tuple[str, str, str, str]]:
    """(indicator, unit, 规上 weight, 规下 weight) of the indicators either group weighs, then the totals."""
    rows = []
    for k in INDICATORS:
        wa, wb = m.weights_above.get(k, 0.0), m.weights_below.get(k, 0.0)
        if wa or wb:
            given = ""
            if m.benchmark == "given" and m.scoring == "benchmark" and k in m.given:
                given = tr("paren", lang, x=tr("mj.given", lang, v=_num(m.given[k])))
            rows.append((indicator_name(k, lang) + given, indicator_unit(k, lang), fmt(wa, 0), fmt(wb, 0)))
    rows.append((tr("mj.total", lang), "", fmt(sum(m.weights_above.values()), 0),
                 fmt(sum(m.weights_below.values()), 0)))
    return rows


def method_sentences(m: Method, lang: str) -> list[str]:
    """The method in words: scoring, classes, what is not graded (every result prints them)."""
    out = []
    if m.scoring == "benchmark":
        key = "mj.text.benchmark_average" if m.benchmark == "average" else "mj.text.benchmark_given"
        out.append(tr(key, lang, cap=_num(m.cap, 2).rstrip("0").rstrip(".")))
    else:
        out.append(tr("mj.text.minmax", lang, floor=fmt(m.floor, 0), rest=fmt(100 - m.floor, 0)))
    out.append(tr("mj.text.apart" if m.apart else "mj.text.together", lang))
    a, b, c = m.cuts
    if m.class_rule == "percentile":
        out.append(tr("mj.text.percentile", lang, a=fmt(a, 0), b=fmt(b, 0), c=fmt(c, 0)))
    else:
        out.append(tr("mj.text.score", lang, a=fmt(a, 0), b=fmt(b, 0), c=fmt(c, 0)))
    exempt = _sep(lang).join(reason_name(r, lang) for r in REASONS if r in m.exempt)
    out.append(tr("mj.text.exempt", lang, reasons=exempt) if exempt else tr("mj.text.exempt_none", lang))
    out.append(tr("mj.text.bonus", lang, cap=fmt(m.bonus_cap, 0)))
    out.append(tr("mj.text.output", lang))
    return out


# -- tidy tables -----------------------------------------------------------------------------------------

AREA_METRICS = (("firms", "家"), ("graded", "家"), ("land_mu", "亩"), ("tax_wan", "万元"), ("revenue_wan", "万元"),
                ("value_added_wan", "万元"), ("tax_per_mu", "万元/亩"), ("output_per_mu", "万元/亩"),
                ("va_per_mu", "万元/亩"), ("tax_per_mu_base", "万元/亩"), ("tax_per_mu_change", "万元/亩"),
                ("tax_per_mu_change_pct", "%"), ("output_per_mu_base", "万元/亩"),
                ("output_per_mu_change", "万元/亩"), ("output_per_mu_change_pct", "%"))


def _tidy(agg: pd.DataFrame, label) -> pd.DataFrame:
    rows = []
    for rec in agg.to_dict(orient="records"):
        g = label(rec["group"])
        for m, unit in AREA_METRICS:
            if m in rec:
                rows.append((g, m, float(rec[m]), unit))
        for k in CLASSES:
            rows.append((g, f"class_{k}", float(rec[k]), "家"))
    return pd.DataFrame(rows, columns=["group", "metric", "value", "unit"])


def enterprise_table(r: Result, lang: str, areas: Areas | None = None) -> pd.DataFrame:
    """One row per enterprise: the file's columns (names of codes in ``lang``), indicators, points, score, rank,
    class, why not graded, missing data."""
    df = r.enterprises
    out = pd.DataFrame({"name": df["name"], "credit_code": df["credit_code"],
                        "area": [area_name(a, areas, lang) for a in df["area"]],
                        "scale": [code_label("mj.scale", s, lang) for s in df["scale"]], "industry": df["industry"]})
    for c in ("land_mu", "tax_wan", "revenue_wan", "value_added_wan", "energy_tce", "emissions_t", "employees",
              "rd_wan", "bonus"):
        out[c] = df[c]
    for k in INDICATORS:
        out[k] = df[f"v_{k}"].replace([np.inf, -np.inf], np.nan)
    for k in INDICATORS:
        out[f"points_{k}"] = df[f"p_{k}"]
    out["bonus_counted"] = df["bonus_points"]
    out["score"] = df["score"]
    out["group"] = [group_name(g, lang) for g in df["group"]]
    out["rank"] = df["rank"]
    out["of"] = df["of"]
    out["class"] = df["class"]
    out["not_graded"] = [reason_name(x, lang) for x in df["not_graded"]]
    out["missing"] = [_sep(lang).join(indicator_name(k, lang) for k in m.split(";") if k) for m in df["missing"]]
    order = np.lexsort((df["name"].to_numpy(dtype=str), df["rank"].fillna(np.inf).to_numpy(),
                        df["group"].to_numpy(dtype=str)))
    return out.iloc[order].reset_index(drop=True)


def method_table(m: Method, lang: str) -> pd.DataFrame:
    """``parameter,value,description`` (the description in ``lang``)."""
    rows = []
    for p, v in m.rows():
        if p.startswith("weight."):
            _, scale, k = p.split(".", 2)
            desc = tr("mj.desc.weight", lang, group=code_label("mj.scale", scale, lang), ind=indicator_name(k, lang))
        elif p.startswith("given."):
            desc = tr("mj.desc.given", lang, ind=indicator_name(p.split(".", 1)[1], lang))
        elif p in ("cut_a", "cut_b", "cut_c"):
            desc = tr("mj.desc.cut", lang, c=p[-1].upper())
        elif p == "name":
            desc = tr("mj.desc.name", lang)
        else:
            desc = tr(f"mj.param.{p}", lang)
        rows.append((p, v, desc))
    return pd.DataFrame(rows, columns=["parameter", "value", "description"])


def references_table(r: Result, lang: str) -> pd.DataFrame:
    ref = r.references
    return pd.DataFrame({"group": [group_name(g, lang) for g in ref["group"]], "indicator": ref["indicator"],
                         "indicator_name": [indicator_name(k, lang) for k in ref["indicator"]],
                         "kind": [tr(f"mj.ref.{k}", lang) for k in ref["kind"]], "value": ref["value"],
                         "unit": ref["unit"]})


def land_table(r: Result, lang: str, areas: Areas | None = None) -> pd.DataFrame:
    lt = r.land if r.land is not None else pd.DataFrame(columns=["area", "category", "parcels", "land_mu"])
    return pd.DataFrame({"area": [area_name(a, areas, lang) for a in lt["area"]],
                         "category": [code_label("mj.landcat", c, lang) for c in lt["category"]],
                         "parcels": lt["parcels"].astype(float), "land_mu": lt["land_mu"].astype(float),
                         "unit": "亩"})


def lever_table(lv: Lever, lang: str, areas: Areas | None = None) -> pd.DataFrame:
    rows = []
    for rec in lv.by_area.to_dict(orient="records"):
        a = area_name(rec["area"], areas, lang)
        rows += [(a, "cd_firms", float(rec["cd_firms"]), "家"), (a, "cd_land_mu", rec["cd_land_mu"], "亩"),
                 (a, "extra_output_yi", rec["extra_output_yi"], "亿元"),
                 (a, "land_freed_mu", rec["land_freed_mu"], "亩"), (a, "idle_land_mu", rec["idle_land_mu"], "亩"),
                 (a, "idle_output_yi", rec["idle_output_yi"], "亿元")]
    rows.append((tr("mj.group.all", lang), "median_b_output_per_mu", lv.median_b_output_per_mu, "万元/亩"))
    df = pd.DataFrame(rows, columns=["area", "metric", "value", "unit"])
    df["note"] = tr("mj.lever.csv_note", lang)
    return df


def result_tables(r: Result, lang: str = "zh", areas: Areas | None = None) -> dict[str, pd.DataFrame]:
    """The tidy tables of ``python -m model mujun`` (see the module docstring)."""
    out = {"mujun_enterprises.csv": enterprise_table(r, lang, areas),
           "mujun_areas.csv": _tidy(pd.concat([r.by_area, r.total.assign(group=ALL)]), group_label(r, areas, lang)),
           "mujun_industries.csv": _tidy(pd.concat([r.by_industry, r.total.assign(group=tr("mj.group.all", lang))]),
                                         lambda g: g),
           "mujun_references.csv": references_table(r, lang),
           "mujun_method.csv": method_table(r.method, lang)}
    if r.land is not None:
        out["mujun_land.csv"] = land_table(r, lang, areas)
        out["mujun_lever.csv"] = lever_table(lever(r), lang, areas)
    return out


# -- charts ----------------------------------------------------------------------------------------------

def _class_frame(r: Result, areas: Areas | None, lang: str) -> pd.DataFrame:
    rows, label = [], group_label(r, areas, lang)
    for rec in r.by_area.to_dict(orient="records"):
        for k in CLASSES:
            rows.append((label(rec["group"]), class_name(k, lang), int(rec[k])))
    return pd.DataFrame(rows, columns=["label", "class", "count"])


def class_chart(r: Result, lang: str, areas: Areas | None = None, height: int = 320) -> dict:
    """Graded firms per area and class (horizontal stacked bars; the classes named in the legend)."""
    import altair as alt

    df = _class_frame(r, areas, lang)
    domain = [class_name(k, lang) for k in CLASSES]
    colors = [CLASS_COLORS[k] for k in CLASSES]
    df = df.assign(order=df["class"].map({c: i for i, c in enumerate(domain)}))
    x_title, y_title, c_title = tr("mj.chart.firms", lang), tr("mj.chart.area", lang), tr("mj.chart.class", lang)
    labels = tuple(dict.fromkeys(df["label"]))

    def build():
        bars = alt.Chart(charts._data("bars")).mark_bar().encode(
            y=alt.Y("label:N", title=y_title, sort=list(labels), axis=alt.Axis(labelLimit=300)),
            x=alt.X("sum(count):Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("class:N", title=c_title, scale=alt.Scale(domain=domain, range=colors), sort=domain),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("label:N", title=y_title), alt.Tooltip("class:N", title=c_title),
                     alt.Tooltip("count:Q", title=x_title)])
        return charts.style(bars, height, legend_columns=4 if lang == "zh" else 2)

    key = ("mujun_classes", labels, tuple(domain), x_title, y_title, c_title, height, lang)
    return charts._render(key, build, bars=df)


def score_chart(r: Result, lang: str, height: int = 320) -> dict:
    """Distribution of scores of graded firms (bins of 10 points), stacked by class."""
    import altair as alt

    df = r.enterprises
    graded = df[df["graded"]]
    width = 10.0
    bins = np.floor(graded["score"].to_numpy(dtype=float) / width) * width
    frame = pd.DataFrame({"bin": bins, "class": [class_name(c, lang) for c in graded["class"]]})
    counts = frame.groupby(["bin", "class"], as_index=False).size().rename(columns={"size": "count"})
    counts["label"] = [f"{fmt(b, 0)}–{fmt(b + width, 0)}" for b in counts["bin"]]
    domain = [class_name(k, lang) for k in CLASSES]
    counts["order"] = counts["class"].map({c: i for i, c in enumerate(domain)})
    order = [f"{fmt(b, 0)}–{fmt(b + width, 0)}" for b in sorted(set(counts["bin"]))]
    x_title, y_title, c_title = tr("mj.chart.score", lang), tr("mj.chart.firms", lang), tr("mj.chart.class", lang)

    def build():
        bars = alt.Chart(charts._data("bars")).mark_bar().encode(
            x=alt.X("label:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(count):Q", title=y_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("class:N", title=c_title, scale=alt.Scale(domain=domain, range=list(CLASS_COLORS.values())),
                            sort=domain),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("label:N", title=x_title), alt.Tooltip("class:N", title=c_title),
                     alt.Tooltip("count:Q", title=y_title)])
        return charts.style(bars, height, legend_columns=4 if lang == "zh" else 2)

    key = ("mujun_scores", tuple(order), tuple(domain), x_title, y_title, c_title, height)
    return charts._render(key, build, bars=counts)


def per_mu_chart(r: Result, lang: str, areas: Areas | None = None, which: str = "tax_per_mu",
                 height: int = 300) -> dict:
    """亩均税收 (or 亩均产值) per area and for the whole set, with the plan's base-year figure as a dashed rule."""
    import altair as alt

    agg = pd.concat([r.by_area, r.total.assign(group=ALL)], ignore_index=True)
    labels = [group_label(r, areas, lang)(g) for g in agg["group"]]
    df = pd.DataFrame({"label": labels, "value": agg[which].astype(float).fillna(0.0)})
    base = getattr(r.baselines, which, None) if r.baselines is not None else None
    name = tr(f"mj.metric.{which}", lang)
    bar_label = tr("mj.chart.current", lang)
    rule_label = tr("mj.chart.baseline", lang, year=r.baselines.year if r.baselines is not None else "")
    y_title = tr("mj.chart.per_mu_axis", lang, name=tr(f"mj.measure.{which}", lang))  # short: the title says more
    domain = [bar_label] + ([rule_label] if base is not None else [])

    def build():
        color = alt.Color("what:N", title=None, scale=alt.Scale(domain=domain, range=["#0072B2", "#D55E00"][:len(
            domain)]))
        quote = bar_label.replace("\\", "\\\\").replace("'", "\\'")
        bars = alt.Chart(charts._data("bars")).transform_calculate(what=f"'{quote}'").mark_bar().encode(
            x=alt.X("label:N", title=None, sort=labels, axis=alt.Axis(labelAngle=0, labelLimit=200)),
            y=alt.Y("value:Q", title=y_title), color=color,
            tooltip=[alt.Tooltip("label:N", title=tr("mj.chart.area", lang)),
                     alt.Tooltip("value:Q", title=y_title, format=",.2f")])
        text = alt.Chart(charts._data("bars")).mark_text(dy=-8, fontSize=charts.FS - 1, color=charts.GREY).encode(
            x=alt.X("label:N", sort=labels), y=alt.Y("value:Q"), text=alt.Text("value:Q", format=",.2f"))
        layers = [bars, text]
        if base is not None:
            rq = rule_label.replace("\\", "\\\\").replace("'", "\\'")
            layers.append(alt.Chart(charts._data("rule")).transform_calculate(what=f"'{rq}'").mark_rule(
                strokeWidth=3, strokeDash=[6, 4]).encode(y=alt.Y("value:Q"), color=color))
        return charts.style(alt.layer(*layers), height, legend_columns=2)

    key = ("mujun_per_mu", tuple(labels), y_title, tuple(domain), height)
    frames = {"bars": df}
    if base is not None:
        frames["rule"] = pd.DataFrame({"value": [float(base)]})
    return charts._render(key, build, **frames)


def chart_specs(r: Result, lang: str = "zh", areas: Areas | None = None) -> list[tuple[str, dict]]:
    """(title, spec) of the report's charts."""
    out = [(tr("mj.chart.per_mu_title", lang, name=tr("mj.metric.tax_per_mu", lang)),
            per_mu_chart(r, lang, areas, "tax_per_mu"))]
    if r.total["output_per_mu"].notna().any():
        out.append((tr("mj.chart.per_mu_title", lang, name=tr("mj.metric.output_per_mu", lang)),
                    per_mu_chart(r, lang, areas, "output_per_mu")))
    if r.enterprises["graded"].any():
        out.append((tr("mj.chart.classes_title", lang), class_chart(r, lang, areas)))
        out.append((tr("mj.chart.scores_title", lang), score_chart(r, lang)))
    return out


# -- the 公示 workbook -------------------------------------------------------------------------------------

def publication_rows(r: Result, lang: str, areas: Areas | None = None) -> tuple[list[str], list[list[tuple]]]:
    """Header and rows ((value, number format) per cell) of the publication sheet: every enterprise, graded ones
    by group and rank, then the firms not graded; the last column (异议) empty for objections."""
    from ..io.workbook import F_INT, F_YI2

    df = r.enterprises
    order = np.lexsort((df["name"].to_numpy(dtype=str), df["rank"].fillna(np.inf).to_numpy(),
                        df["group"].to_numpy(dtype=str), (~df["graded"]).to_numpy()))
    head = [tr("mj.pub.no", lang), header_label(ENTERPRISES, "name", lang),
            header_label(ENTERPRISES, "credit_code", lang), header_label(ENTERPRISES, "area", lang),
            header_label(ENTERPRISES, "scale", lang), header_label(ENTERPRISES, "industry", lang),
            header_label(ENTERPRISES, "land_mu", lang),
            tr("mj.pub.with_unit", lang, label=indicator_name("tax_per_mu", lang),
               unit=indicator_unit("tax_per_mu", lang)),
            tr("mj.pub.with_unit", lang, label=tr("mj.metric.output_per_mu", lang),
               unit=indicator_unit("revenue_per_mu", lang)),
            tr("mj.pub.score", lang), tr("mj.pub.rank", lang), tr("mj.pub.class", lang),
            tr("mj.pub.objection", lang)]
    rows = []
    for i, k in enumerate(order, start=1):
        rec = df.iloc[k]
        v = lambda x: None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)  # noqa: E731
        graded = bool(rec["graded"])
        rank = f"{int(rec['rank'])}/{int(rec['of'])}" if graded else "—"
        cls = class_name(rec["class"], lang) if graded else tr("mj.pub.not_graded", lang,
                                                                 reason=reason_name(rec["not_graded"], lang))
        rows.append([(i, F_INT), (rec["name"], None), (rec["credit_code"] or "", None),
                     (area_name(rec["area"], areas, lang), None), (code_label("mj.scale", rec["scale"], lang), None),
                     (rec["industry"], None), (v(rec["land_mu"]), F_YI2), (v(rec["v_tax_per_mu"]), F_YI2),
                     (v(rec["v_revenue_per_mu"]), F_YI2), (v(rec["score"]), F_YI2), (rank, None), (cls, None),
                     (None, None)])
    return head, rows


OBJECTION_WIDTH = 30  # characters: room to write an objection by hand on the printed list


def publication_workbook(r: Result, lang: str = "zh", areas: Areas | None = None, day: dt.date | None = None,
                         title: str | None = None) -> bytes:
    """The 公示 workbook as .xlsx bytes (same result, language and day: same bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from ..io import workbook as wbm

    day = day or dt.date.today()
    title = title or tr("mj.pub.title", lang)
    wb = Workbook()
    stamp = dt.datetime(day.year, day.month, day.day)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "Shifeng park plan scenario model"
    wb.properties.title = title
    wb.properties.language = "zh-CN" if lang == "zh" else "en"
    footer = tr("mj.pub.footer", lang, id=r.source_id or "—", method=r.method.short_id)
    taken: list[str] = []

    def sheet(text: str, first: bool = False):
        name = wbm.sheet_title(text, taken)
        taken.append(name)
        if first:
            wb.active.title = name
            return wb.active
        return wb.create_sheet(name)

    cover = sheet(tr("mj.pub.sheet_cover", lang), first=True)
    ws = sheet(tr("mj.pub.sheet_list", lang))
    head, rows = publication_rows(r, lang, areas)
    wbm._table_sheet(ws, head, rows, footer=footer, lang=lang)
    ws.column_dimensions[wbm.get_column_letter(len(head))].width = OBJECTION_WIDTH
    # a notice is read row by row: the whole row on one page width (the table sheet would split a wide sheet)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.page_setup.scale = 1, 0, None
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_cols = None
    ms = sheet(tr("mj.pub.sheet_method", lang))
    mrows = [[(a, None), (b, None)] for a, b in method_rows(r.method, lang)]
    mrows += [[(tr("mj.pub.weight", lang, ind=a), None), (tr("mj.pub.weights", lang, above=c, below=d), None)]
              for a, _, c, d in weight_rows(r.method, lang)]
    mrows += [[(tr("mj.pub.method_id", lang), None), (r.method.short_id, None)]]
    wbm._table_sheet(ms, [tr("mj.pub.parameter", lang), tr("mj.pub.value", lang)], mrows, footer=footer, lang=lang)
    counts = r.counts()
    cover_rows = [(tr("mj.pub.what", lang), tr("mj.pub.what_text", lang, n=len(r.enterprises),
                                               graded=int(r.enterprises["graded"].sum()))),
                  (tr("mj.pub.classes", lang), _sep(lang).join(f"{class_name(k, lang)} {counts[k]}" for k in CLASSES)),
                  (tr("mj.pub.data_id", lang), r.source_id or "—"),
                  (tr("mj.pub.method_id", lang),
                   r.method.short_id + tr("paren", lang, x=method_name(r.method, lang))),
                  (tr("mj.pub.date", lang), day),
                  (tr("mj.pub.objection", lang), tr("mj.pub.objection_text", lang)),
                  (tr("mj.pub.method", lang), " ".join(method_sentences(r.method, lang)))]
    wbm._cover_sheet(cover, title, [(a, b) for a, b in cover_rows], lang, footer)
    for row in cover.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.active = 1  # opens on the list
    return wbm.save_bytes(wb, day)


# -- the report ------------------------------------------------------------------------------------------

def _overview(r: Result, lang: str) -> list:
    from .evaluation_report import Block

    df = r.enterprises
    c = r.counts()
    n_above = int((df["scale"] == "above").sum())
    out = [Block("p", tr("mj.r.counts", lang, n=len(df), above=n_above, below=len(df) - n_above,
                         graded=int(df["graded"].sum()), not_graded=int((~df["graded"]).sum()),
                         a=c["A"], b=c["B"], c=c["C"], d=c["D"]))]
    t = r.total.iloc[0]
    for which in ("tax_per_mu", "output_per_mu"):
        out.append(Block("p", per_mu_sentence(t, r, which, lang)))
    return out


def per_mu_sentence(rec, r: Result, which: str, lang: str, where: str | None = None) -> str:
    """亩均税收 / 亩均产值 of a group, with its change against the plan's base-year figure when there is one."""
    name = tr(f"mj.metric.{which}", lang)
    value = rec[which]
    where = where or tr("mj.r.all_firms", lang)
    if not (isinstance(value, (int, float)) and math.isfinite(value)):
        return tr("mj.r.per_mu_none", lang, where=where, name=name)
    base = getattr(r.baselines, which, None) if r.baselines is not None else None
    if base is None:
        return tr("mj.r.per_mu", lang, where=where, name=name, v=fmt(value, 2))
    change = value - base
    return tr("mj.r.per_mu_base", lang, where=where, name=name, v=fmt(value, 2), year=r.baselines.year,
              base=fmt(base, 2), change=signed(change, 2), pct=pct(value / base - 1) if base else "—")


def _agg_rows(agg: pd.DataFrame, label, lang: str) -> tuple:
    rows = []
    for rec in agg.to_dict(orient="records"):
        rows.append((label(rec["group"]), _int(rec["firms"]), _num(rec["land_mu"]), _num(rec["tax_per_mu"]),
                     _num(rec["output_per_mu"]),
                     signed(rec["tax_per_mu_change"], 2) if "tax_per_mu_change" in rec and math.isfinite(
                         rec["tax_per_mu_change"]) else "—",
                     "/".join(_int(rec[k]) for k in CLASSES)))
    return tuple(rows)


def _agg_head(lang: str, base: bool) -> tuple:
    return (tr("mj.r.col.group", lang), tr("mj.r.col.firms", lang), tr("mj.r.col.land", lang),
            tr("mj.r.col.tax_per_mu", lang), tr("mj.r.col.output_per_mu", lang),
            tr("mj.r.col.change", lang) if base else tr("mj.r.col.change_none", lang), tr("mj.r.col.classes", lang))


def report_blocks(r: Result, lang: str = "zh", areas: Areas | None = None, with_charts: bool = True,
                  today: dt.date | None = None) -> list:
    """The report as blocks (rendered by :func:`report_docx` and :func:`report_html`): aggregates only."""
    from .evaluation_report import Block

    all_label = tr("mj.group.all", lang)
    blocks = [Block("title", tr("mj.r.title", lang)),
              Block("meta", tr("mj.r.meta", lang, id=r.source_id or "—", method=r.method.short_id,
                               date=date_text(today or dt.date.today(), lang))),
              Block("h1", tr("mj.r.s1", lang))]
    blocks += _overview(r, lang)
    base = r.baselines is not None
    head = _agg_head(lang, base)
    widths = (26, 10, 14, 14, 14, 12, 14)
    blocks += [Block("h1", tr("mj.r.s2", lang)), Block("caption", tr("mj.r.by_area", lang)),
               Block("table", head=head, widths=widths, items=_agg_rows(
                   pd.concat([r.by_area, r.total.assign(group=ALL)], ignore_index=True),
                   group_label(r, areas, lang), lang)),
               Block("caption", tr("mj.r.by_industry", lang)),
               Block("table", head=head, widths=widths, items=_agg_rows(
                   pd.concat([r.by_industry, r.total.assign(group=ALL)], ignore_index=True),
                   lambda g: all_label if g == ALL else g, lang)),
               Block("note", tr("mj.r.agg_note", lang))]
    if with_charts:
        blocks += [Block("chart", title, spec=spec) for title, spec in chart_specs(r, lang, areas)]
    blocks.append(Block("h1", tr("mj.r.s3", lang)))
    if r.land is not None and len(r.land):
        rows = [(area_name(a, areas, lang), code_label("mj.landcat", c, lang), _int(p), _num(m))
                for a, c, p, m in r.land[["area", "category", "parcels", "land_mu"]].itertuples(index=False)]
        rows.append((tr("mj.total", lang), "", _int(r.land["parcels"].sum()), _num(r.land["land_mu"].sum())))
        blocks += [Block("table", head=(tr("mj.r.col.group", lang), tr("mj.r.col.category", lang),
                                        tr("mj.r.col.parcels", lang), tr("mj.r.col.land", lang)),
                         items=tuple(rows), widths=(30, 30, 20, 20))]
    else:
        blocks.append(Block("p", tr("mj.r.no_land", lang)))
    lv = lever(r)
    blocks += [Block("h1", tr("mj.r.s4", lang))] + [Block("p", t) for t in lever_sentences(lv, lang)]
    blocks += [Block("h1", tr("mj.r.s5", lang))] + [Block("p", t) for t in method_sentences(r.method, lang)]
    blocks += [Block("caption", tr("mj.r.weights", lang)),
               Block("table", head=(tr("mj.r.col.indicator", lang), tr("mj.r.col.unit", lang),
                                    tr("mj.r.col.w_above", lang), tr("mj.r.col.w_below", lang)),
                     items=tuple(weight_rows(r.method, lang)), widths=(40, 24, 18, 18)),
               Block("caption", tr("mj.r.params", lang)),
               Block("table", head=(tr("mj.pub.parameter", lang), tr("mj.pub.value", lang)),
                     items=tuple(method_rows(r.method, lang)), widths=(40, 60))]
    ref = r.references
    if len(ref):
        rows = tuple((group_name(g, lang), indicator_name(k, lang), tr(f"mj.ref.{kind}", lang), _num(v),
                      indicator_unit(k, lang)) for g, k, kind, v in ref[["group", "indicator", "kind", "value"]]
                     .itertuples(index=False))
        blocks += [Block("caption", tr("mj.r.references", lang)),
                   Block("table", head=(tr("mj.r.col.scoring_group", lang), tr("mj.r.col.indicator", lang),
                                        tr("mj.r.col.reference", lang), tr("mj.r.col.value", lang),
                                        tr("mj.r.col.unit", lang)), items=rows, widths=(16, 30, 14, 18, 22))]
    blocks += [Block("h1", tr("mj.r.s6", lang)),
               Block("bullets", items=tuple(f"{class_name(k, lang)}{tr('colon', lang)}{tr(f'mj.policy.{k}', lang)}"
                                            for k in CLASSES)),
               Block("note", tr("mj.r.policy_note", lang))]
    return blocks


def lever_sentences(lv: Lever, lang: str) -> list[str]:
    """The lever in words, labelled illustrative."""
    if not lv.available:
        return [tr("mj.lever.unavailable", lang)]
    out = [tr("mj.lever.text", lang, median=fmt(lv.median_b_output_per_mu, 2), n=lv.cd_firms,
              land=fmt(lv.cd_land_mu, 1), extra=fmt(lv.extra_output_yi, 2), freed=fmt(lv.land_freed_mu, 1))]
    if lv.idle_land_mu > 0:
        cats = _sep(lang).join(code_label("mj.landcat", c, lang) for c in lv.categories)
        out.append(tr("mj.lever.idle", lang, land=fmt(lv.idle_land_mu, 1), cats=cats, out=fmt(lv.idle_output_yi, 2)))
    out.append(tr("mj.lever.note", lang))
    return out


def report_html(r: Result, lang: str = "zh", areas: Areas | None = None) -> str:
    """The report as one self-contained HTML page (no scripts, charts inline as SVG; A4 when printed)."""
    from .evaluation_report import html_from_blocks

    return html_from_blocks(report_blocks(r, lang, areas), lang)


def report_docx(r: Result, lang: str = "zh", areas: Areas | None = None) -> bytes:
    """The report as a Word document, laid out as the evaluation report is (A4, 公文 margins, East Asian fonts)."""
    from .evaluation_report import docx_from_blocks

    return docx_from_blocks(report_blocks(r, lang, areas), lang)


# -- files -----------------------------------------------------------------------------------------------

def mujun_files(r: Result, lang: str = "zh", areas: Areas | None = None, report: bool = False,
                day: dt.date | None = None) -> dict[str, bytes]:
    """Every file of a ``python -m model mujun`` folder as bytes: the CSVs, the 公示 workbook and with ``report``
    the .docx and .html."""
    files = {name: csv_bytes(df) for name, df in result_tables(r, lang, areas).items()}
    files[WORKBOOK_NAME[lang]] = publication_workbook(r, lang, areas, day)
    if report:
        docx_name, html_name = REPORT_FILES[lang]
        files[docx_name] = report_docx(r, lang, areas)
        files[html_name] = report_html(r, lang, areas).encode("utf-8")
    return files


def template_files(lang: str = "zh", areas: Areas | None = None) -> dict[str, bytes]:
    """The blank enterprise and land templates (CSV with headers in ``lang``, .xlsx with a guide sheet)."""
    return {"enterprises-template.csv": csv_bytes(template_frame(ENTERPRISES, lang)),
            "enterprises-template.xlsx": template_xlsx(ENTERPRISES, lang, areas),
            "land-template.csv": csv_bytes(template_frame(IDLE_LAND, lang)),
            "land-template.xlsx": template_xlsx(IDLE_LAND, lang, areas)}


__all__ = ["result_tables", "enterprise_table", "method_table", "method_rows", "weight_rows", "method_sentences",
           "publication_workbook", "publication_rows", "report_blocks", "report_docx", "report_html", "mujun_files",
           "template_files", "chart_specs", "class_chart", "score_chart", "per_mu_chart", "lever_sentences",
           "per_mu_sentence", "method_name", "indicator_name", "indicator_unit", "class_name", "group_name",
           "reason_name",
           "area_name", "group_label", "CSV_FILES", "OPTIONAL_CSV", "WORKBOOK_NAME", "REPORT_FILES", "TEMPLATE_FILES",
           "MUJUN_FILES", "DYNAMIC_KEYS", "DEFINITIONS"]

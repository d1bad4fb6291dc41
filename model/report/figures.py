"""The product's charts, built from a scenario's results in one language: the same figure on a page, in the
story and in the brief (pure: tidy frames handed to the builders in :mod:`model.report.charts`)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..calc.analysis import Fan
from ..calc.results import Results
from ..plan import enums
from ..plan.tables import PlanData
from . import charts
from .labels import context, fmt, fmt_stated, pct, seg_name, tx


def reference_paths(r: Results, data: PlanData, lang: str, *, rail: bool = True) -> pd.DataFrame:
    """Dashed reference lines: the trend extrapolation (labelled by its measure) and the plan-targets path."""
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    b = s.base_year
    years = np.arange(b, s.horizon + 1)
    plan = np.arange(b, s.target_year + 1)
    hist = data.role("trend_growth") / 100
    total = seg_name("total", lang)
    frames = [charts.long_frame(years, {f"{tx('ref_trend', lang, ctx)} · {total}":
                                        s.baseline_total_yi * (1 + hist) ** (years - b)}, ref=1)]
    plan_series = {f"{tx('ref_plan', lang, ctx)} · {total}":
                   s.baseline_total_yi * (1 + p.required_cagr_total) ** (plan - b)}
    if rail:
        plan_series[f"{tx('ref_plan', lang, ctx)} · {seg_name('rail_transit', lang)}"] = \
            s.baseline_rail_yi * (1 + p.required_cagr_rail) ** (plan - b)
    frames.append(charts.long_frame(plan, plan_series, ref=1))
    return pd.concat(frames, ignore_index=True)


def target_markers(r: Results, data: PlanData, lang: str) -> pd.DataFrame:
    s, t = r.scenario, r.projection.targets
    key = "ref_target_user" if t.user_set else "ref_target"
    label = tx(key, lang, context(s, data))
    return pd.DataFrame({"year": [s.target_year, s.target_year], "value": [t.total_yi, t.rail_yi],
                         "label": [f"{label} {fmt_stated(t.total_yi)}", f"{label} {fmt_stated(t.rail_yi)}"]})


def trajectory(r: Results, data: PlanData, lang: str, *, segments: bool = False, references: bool = True,
               actuals: pd.DataFrame | None = None, height: int = 420) -> dict:
    """The scenario's output path (total and rail, or every segment) with targets and reference paths.

    ``actuals``: year, segment (total | rail_transit), value — drawn as their own series (years before a rebased
    scenario's base year, or outcomes to compare).
    """
    p, s = r.projection, r.scenario
    cols = (["total"] + list(s.segments)) if segments else ["total", "rail_transit"]
    frames = [charts.long_frame(p.path.index, {seg_name(c, lang): p.path[c].to_numpy() for c in cols})]
    if actuals is not None and len(actuals):
        word = tx("kind_actual", lang)
        for seg in ("total", "rail_transit"):
            a = actuals[actuals["segment"] == seg].sort_values("year")
            if len(a):
                frames.append(charts.long_frame(a["year"].to_numpy(), {f"{seg_name(seg, lang)} · {word}":
                                                                      a["value"].to_numpy()}, ref=2))
    if references:
        frames.append(reference_paths(r, data, lang))
    ctx = context(s, data)
    return charts.trajectory(pd.concat(frames, ignore_index=True), target_markers(r, data, lang),
                             x_title=tx("year", lang), y_title=tx("value_yi", lang), series_title=tx("series", lang),
                             projected_label=f"{tx('kind_projected', lang, ctx)} →", height=height)


def invest_by(r: Results, data: PlanData, lang: str, column: str = "area", height: int = 380) -> dict:
    """Annual project investment stacked by an enum column of the project list (area, category)."""
    names = {v: enums.label(column, v, lang) for v in data.projects[column].unique()}
    table = r.projects.by_group(dict(zip(data.projects["project_id"], data.projects[column].map(names))))
    return charts.stacked_bars(charts.group_frame(table), group_title=tx(f"by_{column}", lang),
                               x_title=tx("year", lang), y_title=tx("invest_yi", lang), height=height)


def roads_by_funding(r: Results, data: PlanData, lang: str, height: int = 380, legend_columns: int = 3) -> dict:
    """Road investment by funding source, the district budget outlined (its burden is what the plan weighs)."""
    order = [f for f in enums.values("funding_source") if f in set(data.roads["funding_source"])]
    table = r.roads.by_group(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    names = [enums.label("funding_source", f, lang) for f in order]
    frame = charts.group_frame(table[[f for f in order if f in table.columns]].rename(
        columns=lambda f: enums.label("funding_source", f, lang)))
    return charts.stacked_bars(frame, group_title=tx("funding", lang), x_title=tx("year", lang),
                               y_title=tx("invest_yi", lang), order=names,
                               highlight=enums.label("funding_source", enums.DISTRICT_BUDGET, lang),
                               legend_columns=legend_columns, height=height)


def fan_chart(r: Results, data: PlanData, fan: Fan, lang: str, segment: str = "total",
              points: pd.DataFrame | None = None, height: int = 380) -> dict:
    """Monte Carlo fan of ``segment`` with the target (and any extra labelled points)."""
    s, t = r.scenario, r.projection.targets
    ctx = context(s, data)
    key = "ref_target_user" if t.user_set else "ref_target"
    pts = pd.DataFrame({"year": [s.target_year], "value": [t.total_yi if segment == "total" else t.rail_yi],
                        "series": [tx(key, lang, ctx)]})
    if points is not None and len(points):
        pts = pd.concat([pts, points], ignore_index=True)
    return charts.fan(fan.bands(segment), pts, x_title=tx("year", lang), y_title=tx("value_yi", lang),
                      series_title=tx("series", lang), outer_label="P10–P90", inner_label="P25–P75",
                      median_label=tx("median", lang), height=height)


def story_chart(step: str, r: Results, data: PlanData, lang: str, fan: Fan | None = None, height: int = 380) -> dict:
    """The guided story's chart for ``step`` (model.report.story.STEPS): each shows what its sentence says.

    baseline: the base year's output, rail and the rest; targets: base year against target year, by segment; gap: the
    scenario's target-year output against the targets; growth: the growth each segment needs against the scenario's;
    projects: investment by area; finance: roads by funding source; risks: the fan of the park total."""
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    rail, non, total = (seg_name(k, lang) for k in ("rail_transit", "nonrail", "total"))
    t = p.targets
    if step in ("baseline", "targets"):
        rows = [{"year": s.base_year, "group": rail, "value": s.baseline_rail_yi},
                {"year": s.base_year, "group": non, "value": s.baseline_total_yi - s.baseline_rail_yi}]
        if step == "targets":
            rows += [{"year": s.target_year, "group": rail, "value": t.rail_yi},
                     {"year": s.target_year, "group": non, "value": t.total_yi - t.rail_yi}]
        return charts.stacked_bars(pd.DataFrame(rows), group_title=tx("story.chart.segment", lang),
                                   x_title=tx("year", lang), y_title=tx("value_yi", lang), order=[rail, non],
                                   height=height)
    if step == "gap":
        out = [p.output_total, p.output_rail]
        goal = [t.total_yi, t.rail_yi]
        df = pd.DataFrame({"label": [total, rail], "planned": goal, "actual": out,
                           "text": [f"{fmt(o)} / {fmt_stated(g)}" for o, g in zip(out, goal)]})
        return charts.plan_vs_actual(df, x_title=tx("value_yi", lang), planned_label=tx("story.chart.target", lang, ctx),
                                     actual_label=tx("story.chart.scenario", lang, ctx), height=height)
    if step == "growth":
        labels, need, have = [total, rail], [p.required_cagr_total, p.required_cagr_rail], [p.cagr_total, p.cagr_rail]
        if p.required_cagr_nonrail is not None:
            labels.append(non)
            need.append(p.required_cagr_nonrail)
            n = s.target_year - s.base_year  # non-rail's growth to the target year: the park total less rail
            end = float(p.path.loc[s.target_year, "total"] - p.path.loc[s.target_year, "rail_transit"])
            have.append((end / s.baseline_nonrail_yi) ** (1 / n) - 1 if n > 0 and end > 0 and
                        s.baseline_nonrail_yi > 0 else float("nan"))
        need_pct = [max(x * 100, 0.0) for x in need]
        have_pct = [max(x * 100, 0.0) if x == x else float("nan") for x in have]
        df = pd.DataFrame({"label": labels, "planned": need_pct, "actual": have_pct,
                           "text": [f"{pct(h)} / {pct(n)}" if h == h else pct(n) for n, h in zip(need, have)]})
        return charts.plan_vs_actual(df, x_title=tx("story.chart.growth_axis", lang),
                                     planned_label=tx("story.chart.required", lang),
                                     actual_label=tx("story.chart.assumed", lang), height=height)
    if step == "projects":
        return invest_by(r, data, lang, "area", height=height)
    if step == "finance":
        return roads_by_funding(r, data, lang, height=height)
    return fan_chart(r, data, fan, lang, height=height)

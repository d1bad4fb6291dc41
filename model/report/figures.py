"""The product's charts, built from a scenario's results in one language: the same figure on a page, in the
story and in the brief (pure: tidy frames handed to the builders in :mod:`model.report.charts`).

Every figure works for any plan package: the segments drawn are the plan's (the total, then every segment with a
target), named from the package; a figure whose data the plan lacks (no project list, no road list, no trend row)
is left out by the callers (:func:`has_projects`, :func:`has_roads`, :func:`has_trend`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..calc.analysis import Fan, fan_segments
from ..calc.results import Results
from ..plan.tables import PlanData
from ..scenario.presets import implied_targets
from . import charts
from .labels import context, fmt, fmt_stated, pct, seg_name, tx


def has_projects(data: PlanData) -> bool:
    return len(data.projects) > 0


def has_roads(data: PlanData) -> bool:
    return len(data.roads) > 0


def has_trend(data: PlanData) -> bool:
    return data.has_role("trend_growth")


def shown_segments(r: Results) -> tuple[str, ...]:
    """The segments a trajectory, a fan or a target chart shows: the total, then every segment with a target
    (parents before their parts, the plan's file order)."""
    return fan_segments(r.scenario, r.projection.targets)


def trend_label(data: PlanData, lang: str, ctx: dict) -> str:
    """The trend line's label: the trend row's own name (its measure) and rate, e.g. 趋势外推：规模以上工业增加值年均增长5.1%."""
    row = data.role_row("trend_growth")
    name = (row.get(f"name_{lang}") or row.get("name_zh") or "").strip()
    return tx("ref_trend", lang, ctx, trend_name=name if lang == "zh" else name[:1].lower() + name[1:])


def reference_paths(r: Results, data: PlanData, lang: str, *, parts: bool = True) -> charts.Columns:
    """Dashed reference lines: the trend extrapolation of the total (labelled by its measure; only where the plan
    has a trend row) and the plan-targets path of the total and (``parts``) of every other segment with a
    target."""
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    b = s.base_year
    root = p.root
    years = np.arange(b, s.horizon + 1)
    plan = np.arange(b, s.target_year + 1)
    frames = []
    if has_trend(data):
        hist = data.role("trend_growth") / 100
        frames.append(charts.long_frame(years, {f"{trend_label(data, lang, ctx)} · {seg_name(root, lang, data)}":
                                                p.bases[root] * (1 + hist) ** (years - b)}, ref=1))
    plan_series = {}
    for seg in shown_segments(r):
        if seg not in p.required or (seg != root and not parts):
            continue
        plan_series[f"{tx('ref_plan', lang, ctx)} · {seg_name(seg, lang, data)}"] = \
            p.bases[seg] * (1 + p.required[seg]) ** (plan - b)
    if plan_series:
        frames.append(charts.long_frame(plan, plan_series, ref=1))
    if not frames:
        return charts.long_frame(np.zeros(0, dtype=int), {}, ref=1)
    return charts.concat(frames)


def target_markers(r: Results, data: PlanData, lang: str) -> pd.DataFrame:
    """One marker per shown segment with a target, at the target year."""
    s, t = r.scenario, r.projection.targets
    key = "ref_target_user" if t.any_user_set else "ref_target"
    label = tx(key, lang, context(s, data))
    segs = [x for x in shown_segments(r) if x in t]
    return pd.DataFrame({"year": [s.target_year] * len(segs), "value": [t[x] for x in segs],
                         "label": [f"{label} {fmt_stated(t[x])}" for x in segs]})


def trajectory(r: Results, data: PlanData, lang: str, *, segments: bool = False, references: bool = True,
               actuals: pd.DataFrame | None = None, height: int = 420) -> dict:
    """The scenario's output path (the total and every segment with a target, or ``segments``: the total and every
    projected segment) with targets and reference paths.

    ``actuals``: year, segment (a segment id), value — drawn as their own series (years before a rebased
    scenario's base year, or outcomes to compare).
    """
    p, s = r.projection, r.scenario
    root = p.root
    cols = list(dict.fromkeys([root] + list(s.segments))) if segments else list(shown_segments(r))
    frames = [charts.long_frame(p.path.index, {seg_name(c, lang, data): p.series(c).to_numpy() for c in cols})]
    if actuals is not None and len(actuals):
        word = tx("kind_actual", lang)
        for seg in cols:
            a = actuals[actuals["segment"] == seg].sort_values("year")
            if len(a):
                frames.append(charts.long_frame(a["year"].to_numpy(), {f"{seg_name(seg, lang, data)} · {word}":
                                                                      a["value"].to_numpy()}, ref=2))
    if references:
        ref = reference_paths(r, data, lang)
        if len(ref):
            frames.append(ref)
    ctx = context(s, data)
    return charts.trajectory(charts.concat(frames), target_markers(r, data, lang),
                             x_title=tx("year", lang), y_title=tx("value_yi", lang), series_title=tx("series", lang),
                             projected_label=f"{tx('kind_projected', lang, ctx)} →", height=height)


def _empty_bars() -> pd.DataFrame:
    return pd.DataFrame({"year": pd.Series([], dtype=int), "group": pd.Series([], dtype=object),
                         "value": pd.Series([], dtype=float)})


def invest_by(r: Results, data: PlanData, lang: str, column: str = "area", height: int = 380) -> dict:
    """Annual project investment stacked by an enum column of the project list (area, category)."""
    if not has_projects(data):
        frame = _empty_bars()
    else:
        names = {v: data.label(column, v, lang) for v in data.projects[column].unique()}
        groups, sums = r.projects.group_sums(dict(zip(data.projects["project_id"], data.projects[column].map(names))))
        frame = charts.group_columns(r.projects.years, groups, sums)
    return charts.stacked_bars(frame, group_title=tx(f"by_{column}", lang),
                               x_title=tx("year", lang), y_title=tx("invest_yi", lang), height=height)


def roads_by_funding(r: Results, data: PlanData, lang: str, height: int = 380, legend_columns: int = 3) -> dict:
    """Road investment by funding source, the plan's own budget (flagged ``own_budget`` in its enumerations)
    outlined: its burden is what the plan weighs."""
    own = data.flagged("funding_source", "own_budget")
    highlight = data.label("funding_source", own, lang) if own else None
    if not has_roads(data):
        return charts.stacked_bars(_empty_bars(), group_title=tx("funding", lang), x_title=tx("year", lang),
                                   y_title=tx("invest_yi", lang), highlight=highlight, legend_columns=legend_columns,
                                   height=height)
    used = set(data.roads["funding_source"])
    order = [f for f in data.values("funding_source") if f in used] + sorted(
        f for f in used if f not in data.values("funding_source"))
    groups, sums = r.roads.group_sums(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    names = [data.label("funding_source", f, lang) for f in order]
    drawn = [f for f in order if f in groups]
    frame = charts.group_columns(r.roads.years, [data.label("funding_source", f, lang) for f in drawn],
                                 sums[[groups.index(f) for f in drawn]])
    return charts.stacked_bars(frame, group_title=tx("funding", lang), x_title=tx("year", lang),
                               y_title=tx("invest_yi", lang), order=names, highlight=highlight,
                               legend_columns=legend_columns, height=height)


def fan_chart(r: Results, data: PlanData, fan: Fan, lang: str, segment: str | None = None,
              points: pd.DataFrame | None = None, height: int = 380) -> dict:
    """Monte Carlo fan of ``segment`` (default: the plan's total) with its target (and any extra labelled
    points)."""
    s, t = r.scenario, r.projection.targets
    segment = segment or r.projection.root
    ctx = context(s, data)
    key = "ref_target_user" if t.is_user_set(segment) else "ref_target"
    if segment in t:
        pts = charts.Columns({"year": np.array([s.target_year]), "value": np.array([float(t[segment])]),
                              "series": [tx(key, lang, ctx)]})
    else:
        pts = charts.Columns({"year": np.zeros(0, dtype=int), "value": np.zeros(0),
                              "series": np.zeros(0, dtype=object)})
    if points is not None and len(points):
        pts = charts.concat([pts, points[["year", "value", "series"]]])
    return charts.fan(charts.Columns(fan.band_columns(segment)), pts, x_title=tx("year", lang),
                      y_title=tx("value_yi", lang), series_title=tx("series", lang), outer_label="P10–P90",
                      inner_label="P25–P75", median_label=tx("median", lang), height=height)


def composition(r: Results, data: PlanData, year_kind: str = "base") -> list[tuple[str, float]]:
    """(segment, value) of the total's parts in the base year (``base``) or by its targets (``target``): the
    total's children (parts and the residual; assumed shares are not shown), else the total alone. A target
    composition leaves out a child without a target (none is invented)."""
    s, p = r.scenario, r.projection
    t = s.tree
    root = p.root
    kids = [k for k in t.children(root) if t[k].relation != "share"]
    if year_kind == "base":
        return [(k, p.bases[k]) for k in kids] if kids else [(root, p.bases[root])]
    tg = implied_targets(data, dict(p.targets.values))
    if kids and all(k in tg for k in kids):
        return [(k, tg[k]) for k in kids]
    return [(root, tg[root])] if root in tg else []


def story_chart(step: str, r: Results, data: PlanData, lang: str, fan: Fan | None = None, height: int = 380) -> dict:
    """The guided story's chart for ``step`` (model.report.story.STEPS): each shows what its sentence says.

    baseline: the base year's output by the total's parts; targets: base year against target year, by part; gap:
    the scenario's target-year output against each target; growth: the growth each segment needs against the
    scenario's (a residual's on the condition that the parts grow as set); projects: investment by area; finance:
    roads by funding source; risks: the fan of the plan's total."""
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    t = p.targets
    if step in ("baseline", "targets"):
        base = composition(r, data, "base")
        rows = [{"year": s.base_year, "group": seg_name(k, lang, data), "value": v} for k, v in base]
        order = [seg_name(k, lang, data) for k, _ in base]
        if step == "targets":
            tgt = composition(r, data, "target")
            rows += [{"year": s.target_year, "group": seg_name(k, lang, data), "value": v} for k, v in tgt]
            order += [seg_name(k, lang, data) for k, _ in tgt if seg_name(k, lang, data) not in order]
        return charts.stacked_bars(pd.DataFrame(rows), group_title=tx("story.chart.segment", lang),
                                   x_title=tx("year", lang), y_title=tx("value_yi", lang), order=order,
                                   height=height)
    if step == "gap":
        segs = [x for x in shown_segments(r) if x in t]
        out = [p.output[x] for x in segs]
        goal = [t[x] for x in segs]
        df = pd.DataFrame({"label": [seg_name(x, lang, data) for x in segs], "planned": goal, "actual": out,
                           "text": [f"{fmt(o)} / {fmt_stated(g)}" for o, g in zip(out, goal)]})
        return charts.plan_vs_actual(df, x_title=tx("value_yi", lang), planned_label=tx("story.chart.target", lang, ctx),
                                     actual_label=tx("story.chart.scenario", lang, ctx), height=height)
    if step == "growth":
        segs = [x for x in shown_segments(r) if x in p.required]
        labels = [seg_name(x, lang, data) for x in segs]
        need = [p.required[x] for x in segs]
        have = [p.cagr.get(x, float("nan")) for x in segs]
        for res, rate in p.required_conditional.items():
            if rate is None or res in segs:
                continue
            labels.append(seg_name(res, lang, data))
            need.append(rate)
            have.append(p.cagr.get(res, float("nan")))
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

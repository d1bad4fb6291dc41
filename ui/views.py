"""View pieces used by more than one page: tidy frames from model results, translated for charts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from model.export import Results

from model import charts
from model.charts import long_frame

from . import layout, state
from .i18n import seg, t


def clause(indicator_id: str) -> str:
    """'Plan clause 2.4: …quote…' for an indicator (derived rows show their formula)."""
    row = state.load_data().indicator_row(indicator_id)
    if row["kind"] == "derived":
        return t("derived_note", formula=row["quote"])
    return t("clause", sec=row["section_id"], quote=row["quote"])


def trajectory_chart(r: Results, *, segments: bool = True, references: bool = True, height: int = 420):
    """Chart of the scenario's path (total and, optionally, each segment) with targets and references."""
    p, s = r.projection, r.scenario
    cols = (["total"] + list(s.segments)) if segments else ["total", "rail_transit"]
    frames = [long_frame(p.path.index, {seg(c): p.path[c].to_numpy() for c in cols})]
    if references:
        hist = state.load_data().role("trend_growth") / 100
        b = s.base_year
        years = np.arange(b, s.horizon + 1)
        plan = np.arange(b, s.target_year + 1)
        frames.append(long_frame(years, {f"{t('ref_trend')} · {seg('total')}":
                                         s.baseline_total_yi * (1 + hist) ** (years - b)}, ref=1))
        frames.append(long_frame(plan, {
            f"{t('ref_plan')} · {seg('total')}": s.baseline_total_yi * (1 + p.required_cagr_total) ** (plan - b),
            f"{t('ref_plan')} · {seg('rail_transit')}": s.baseline_rail_yi * (1 + p.required_cagr_rail) ** (
                plan - b)}, ref=1))
    targets = pd.DataFrame({
        "year": [s.target_year, s.target_year],
        "value": [p.targets.total_yi, p.targets.rail_yi],
        "label": [f"{t('ref_target')} {p.targets.total_yi:,.0f}", f"{t('ref_target')} {p.targets.rail_yi:,.0f}"],
    })
    chart = charts.trajectory(pd.concat(frames, ignore_index=True), targets, x_title=t("year"),
                              y_title=t("value_yi"), series_title=t("series"),
                              projected_label=f"{t('kind_projected')} →", height=height)
    layout.chart(chart)


def nonrail_chart(r: Results, height: int = 300) -> None:
    """The non-rail part (split into industries when chosen) on its own scale, with the path it needs."""
    p = r.projection
    segs = [c for c in r.scenario.segments if c != "rail_transit"]
    series = {seg(c): p.path[c].to_numpy() for c in segs}
    if len(segs) > 1:
        series[seg("nonrail")] = p.path[segs].to_numpy().sum(axis=1)
    frames = [long_frame(p.path.index, series)]
    if p.required_cagr_nonrail is not None:
        b = r.scenario.base_year
        plan = np.arange(b, r.scenario.target_year + 1)
        need = r.scenario.baseline_nonrail_yi * (1 + p.required_cagr_nonrail) ** (plan - b)
        frames.append(long_frame(plan, {t("nonrail_needed"): need}))
    st.caption(t("nonrail_chart"))
    layout.chart(charts.lines(pd.concat(frames, ignore_index=True), series_title=t("series"),
                                         x_title=t("year"), y_title=t("value_yi"), dashed=t("nonrail_needed"),
                                         height=height))

"""View pieces used by more than one page: tidy frames from model results, translated for charts."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model.export import Results
from model.growth import TARGET_YEAR, reference_path
from model.scenario import HISTORICAL_RATE_ID

from . import charts, state
from .i18n import seg, t


def clause(indicator_id: str) -> str:
    """'Plan clause 2.4: …quote…' for an indicator (derived rows show their formula)."""
    row = state.load_data().indicator_row(indicator_id)
    if row["kind"] == "derived":
        return t("derived_note", formula=row["quote"])
    return t("clause", sec=row["section_id"], quote=row["quote"])


def trajectory_chart(r: Results, *, segments: bool = True, references: bool = True, height: int = 420):
    """Chart of the scenario's path (total and, optionally, each segment) with targets and references."""
    p = r.projection
    cols = (["total"] + list(r.scenario.segments)) if segments else ["total", "rail_transit"]
    path = p.path[cols].reset_index().melt(id_vars="year", var_name="seg", value_name="value")
    path["series"] = path["seg"].map(seg)
    refs = pd.DataFrame(columns=["year", "series", "value"])
    if references:
        data = state.load_data()
        trend = reference_path(r.scenario.baseline_total_yi, data.indicator(HISTORICAL_RATE_ID) / 100,
                               r.scenario.horizon)
        plan_total = reference_path(r.scenario.baseline_total_yi, p.required_cagr_total, TARGET_YEAR)
        plan_rail = reference_path(r.scenario.baseline_rail_yi, p.required_cagr_rail, TARGET_YEAR)
        refs = pd.concat([
            pd.DataFrame({"year": trend.index, "series": f"{t('ref_trend')} · {seg('total')}", "value": trend.values}),
            pd.DataFrame({"year": plan_total.index, "series": f"{t('ref_plan')} · {seg('total')}",
                          "value": plan_total.values}),
            pd.DataFrame({"year": plan_rail.index, "series": f"{t('ref_plan')} · {seg('rail_transit')}",
                          "value": plan_rail.values}),
        ], ignore_index=True)
    targets = pd.DataFrame({
        "year": [TARGET_YEAR, TARGET_YEAR],
        "series": [seg("total"), seg("rail_transit")],
        "value": [p.targets.total_yi, p.targets.rail_yi],
        "label": [f"{t('ref_target')} {p.targets.total_yi:,.0f}", f"{t('ref_target')} {p.targets.rail_yi:,.0f}"],
    })
    chart = charts.trajectory(path[["year", "series", "value"]], refs, targets, x_title=t("year"),
                              y_title=t("value_yi"), series_title=t("series"),
                              projected_label=f"{t('kind_projected')} →", height=height)
    st.vega_lite_chart(spec=chart, width="stretch")


def nonrail_chart(r: Results, height: int = 300) -> None:
    """The non-rail part (split into industries when chosen) on its own scale, with the path it needs."""
    p = r.projection
    segs = [c for c in r.scenario.segments if c != "rail_transit"]
    frames = [pd.DataFrame({"year": p.path.index, "series": seg(c), "value": p.path[c].values}) for c in segs]
    if len(segs) > 1:
        frames.append(pd.DataFrame({"year": p.path.index, "series": seg("nonrail"),
                                    "value": p.path[segs].sum(axis=1).values}))
    if p.required_cagr_nonrail is not None:
        need = reference_path(r.scenario.baseline_nonrail_yi, p.required_cagr_nonrail, TARGET_YEAR)
        frames.append(pd.DataFrame({"year": need.index, "series": t("nonrail_needed"), "value": need.values}))
    st.caption(t("nonrail_chart"))
    st.vega_lite_chart(spec=charts.lines(pd.concat(frames, ignore_index=True), series_title=t("series"), x_title=t("year"),
                                 y_title=t("value_yi"), dashed=t("nonrail_needed"), height=height), width="stretch")

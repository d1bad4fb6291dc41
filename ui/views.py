"""View pieces used by more than one page (the figures themselves are built in model/report/figures.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.calc.results import Results
from model.report import charts, figures
from model.report.charts import long_frame

from . import layout, state
from .i18n import lang, seg, t


def clause(indicator_id: str) -> str:
    """'Plan clause 2.4: …quote…' for an indicator (derived rows show their formula)."""
    row = state.load_data().indicator_row(indicator_id)
    return _clause(row)


def clause_of_role(role: str) -> str:
    return _clause(state.load_data().role_row(role))


def _clause(row: dict) -> str:
    if row["kind"] == "derived":
        return t("derived_note", formula=row["quote"])
    return t("clause", sec=row["section_id"], quote=row["quote"])


def trajectory_chart(r: Results, *, segments: bool = False, references: bool = True, height: int = 420,
                     actuals: pd.DataFrame | None = None) -> None:
    build = lambda: figures.trajectory(r, state.load_data(), lang(), segments=segments,  # noqa: E731
                                       references=references, actuals=actuals, height=height)
    layout.chart(build, key=None if actuals is not None else ("trajectory", r.scenario, lang(), segments, references,
                                                               height))


def nonrail_chart(r: Results, height: int = 320) -> None:
    """The non-rail part (split into industries when chosen) on its own scale, with the path it needs."""
    import streamlit as st

    st.caption(t("nonrail_chart"))
    layout.chart(lambda: _nonrail_spec(r, height), key=("nonrail", r.scenario, lang(), height))


def _nonrail_spec(r: Results, height: int) -> dict:
    p, s = r.projection, r.scenario
    segs = [c for c in s.segments if c != "rail_transit"]
    series = {seg(c): p.path[c].to_numpy() for c in segs}
    if len(segs) > 1:
        series[seg("nonrail")] = p.path[segs].to_numpy().sum(axis=1)
    frames = [long_frame(p.path.index, series)]
    if p.required_cagr_nonrail is not None:
        plan = np.arange(s.base_year, s.target_year + 1)
        need = s.baseline_nonrail_yi * (1 + p.required_cagr_nonrail) ** (plan - s.base_year)
        frames.append(long_frame(plan, {t("nonrail_needed"): need}))
    return charts.lines(pd.concat(frames, ignore_index=True), series_title=t("series"), x_title=t("year"),
                        y_title=t("value_yi"), dashed=t("nonrail_needed"), height=height)

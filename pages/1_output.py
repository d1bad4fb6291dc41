"""产值情景 Output scenarios: growth per segment, baseline, overrides, trajectory and yearly table."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.numbers import pct_to_rate, sig15
from model.plan.calendar import HORIZON_SPAN
from model.scenario import SPLIT_SEGMENTS, FrozenMap, field_of
from ui import controls, layout, state, views
from ui.i18n import seg, t
from ui.layout import fmt, gap_delta, pct


def _set_rate(segments: tuple[str, ...], rate: float) -> None:
    g = dict(state.scenario().growth)
    for s in segments:
        g[s] = sig15(rate)
    state.change(growth=FrozenMap(g))


def growth_controls(r) -> None:
    s, p = r.scenario, r.projection
    for segment in s.segments:
        controls.slider("growth", map_key=segment, label_kw={"seg": seg(segment)}, widget_key=f"g_{segment}")
        if segment == "rail_transit":
            req, targets = p.required_cagr_rail, ("rail_transit",)
        else:
            req = p.required_cagr_nonrail
            targets = SPLIT_SEGMENTS if s.split_nonrail else ("nonrail",)
        if req is None:
            st.caption(t("required_na"))
        else:
            st.button(t("set_required", rate=fmt(req * 100, 2)), key=f"req_{segment}", on_click=_set_rate, width="stretch",
                      args=(targets, req))


def _share_fields(segment: str):
    def to_fields(v):
        shares = dict(state.scenario().shares)
        shares[segment] = pct_to_rate(float(v))
        rest = 1.0 - sum(shares[k] for k in SPLIT_SEGMENTS if k != "other")
        if rest < -1e-9:
            state.flash("error", "shares_sum", sum=fmt((1 - rest) * 100, 1))
            return {}
        shares["other"] = max(rest, 0.0)
        return {"shares": FrozenMap(shares)}
    return to_fields


def structure_controls(r) -> None:
    s = r.scenario
    data = state.load_data()
    f = field_of("baseline_total_yi")
    state.bound(st.number_input, controls.label(f), "baseline_total", float(s.baseline_total_yi),
                lambda v: {"baseline_total_yi": float(v)}, min_value=float(s.baseline_rail_yi), max_value=f.hi,
                step=1.0, format="%.3f", help=controls.help_text(
                    f, rail=f"{data.role('rail_base'):g}", share=f"{data.role('rail_share_above_scale'):g}",
                    total=f"{data.role('total_base'):g}"))
    options = list(range(s.target_year, s.target_year + HORIZON_SPAN + 1))
    state.bound(st.select_slider, controls.label(field_of("horizon")), "horizon", s.horizon,
                lambda v: {"horizon": int(v)}, options=options, help=controls.help_text(field_of("horizon")))
    controls.toggle("split_nonrail", widget_key="split")
    if s.split_nonrail:
        cols = st.columns(4)
        sf = field_of("shares")
        for col, segment in zip(cols, SPLIT_SEGMENTS):
            with col:
                if segment == "other":
                    st.metric(controls.label(sf, seg=seg(segment)), pct(s.shares[segment], 1))
                else:
                    state.bound(st.number_input, controls.label(sf, seg=seg(segment)), f"share_{segment}",
                                round(s.shares[segment] * 100, 6), _share_fields(segment), min_value=0.0,
                                max_value=100.0, step=1.0, format="%.1f")
        st.caption(f"{t('split_help')} {seg('nonrail')} {fmt(s.baseline_nonrail_yi)} {t('unit_yi')} = "
                   f"{fmt(s.baseline_total_yi)} − {fmt(s.baseline_rail_yi)}")


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def overrides_editor(r) -> None:
    """Per-year rates in a table; only cells the user changed are converted (others keep their exact rate)."""
    s = r.scenario
    f = field_of("overrides")
    years = list(range(s.base_year + 1, s.horizon + 1))
    shown = {(k, y): s.overrides[(k, y)] * 100 if (k, y) in s.overrides else math.nan
             for k in s.segments for y in years}
    frame = pd.DataFrame({seg(k): [shown[(k, y)] for y in years] for k in s.segments},
                         index=pd.Index(years, name=t("year")), dtype="float64")
    key = "ov_" + format(abs(hash((s.overrides, s.horizon, s.segments))), "x")
    cfg = {seg(k): st.column_config.NumberColumn(seg(k), min_value=f.lo * 100, max_value=f.hi * 100, step=0.1,
                                                 format="%.1f%%") for k in s.segments}
    edited = st.data_editor(frame, key=key, column_config=cfg, width="stretch", placeholder="—")
    new = {kv: v for kv, v in s.overrides.items() if kv[0] not in s.segments or kv[1] > s.horizon}
    for k in s.segments:
        for y, v in zip(years, edited[seg(k)].tolist()):
            before = shown[(k, y)]
            if _blank(v):
                continue
            if not _blank(before) and float(v) == before:
                new[(k, y)] = s.overrides[(k, y)]
            else:
                new[(k, y)] = pct_to_rate(round(float(v), 6))
    if FrozenMap(new) != s.overrides:
        if state.change(overrides=FrozenMap(new)):
            st.rerun()


def yearly_table(r) -> None:
    path = r.projection.path
    cols = list(r.scenario.segments) + ["total"]
    table = path[cols].rename(columns={c: seg(c) for c in cols})
    table.index = table.index.astype(str)
    cagr_label = t("cagr", year=r.scenario.horizon)
    table.loc[cagr_label] = [r.projection.cagr_horizon[c] * 100 for c in cols]
    table = table.reset_index(names=t("year"))
    fmt_cols = {seg(c): st.column_config.NumberColumn(format="%.2f") for c in cols}
    st.dataframe(table, width="stretch", hide_index=True,
                 column_config={t("year"): st.column_config.TextColumn(width="medium"), **fmt_cols})
    st.caption(t("yearly_units"))


def body() -> None:
    s = state.scenario()
    r = state.results(s)
    p = r.projection
    st.title(t("nav_output"))
    st.caption(f"{t('output_intro')} {t('yi_gloss')}")
    m = st.columns(4)
    yi = t("unit_yi")
    m[0].metric(f"{s.target_year} {seg('rail_transit')}", f"{fmt(p.output_rail)} {yi}",
                **gap_delta(p.gap_rail, yi), help=t("gap_help"))
    m[1].metric(f"{s.target_year} {seg('total')}", f"{fmt(p.output_total)} {yi}",
                **gap_delta(p.gap_total, yi), help=t("gap_help"))
    m[2].metric(t("req_rail"), pct(p.required_cagr_rail))
    m[3].metric(t("req_nonrail"), pct(p.required_cagr_nonrail), help=t("req_nonrail_help", rail=fmt(p.output_rail)))
    left, right = st.columns([1, 2], gap="large")
    with left:
        growth_controls(r)
    with right:
        views.trajectory_chart(r, height=460)
        views.nonrail_chart(r)
    exp = layout.lazy_expander(t("structure"), "open_structure", icon=":material/tune:",
                               expanded=s.split_nonrail or s.horizon != s.target_year)
    if exp is not None:
        with exp:
            structure_controls(r)
    exp = layout.lazy_expander(t("overrides"), "open_overrides", icon=":material/edit_calendar:",
                               expanded=bool(s.overrides))
    if exp is not None:
        with exp:
            st.caption(t("overrides_help"))
            overrides_editor(r)
    exp = layout.lazy_expander(t("yearly_table"), "open_yearly", icon=":material/table:")
    if exp is not None:
        with exp:
            yearly_table(r)
    layout.downloads()


layout.page(body, "nav_output")

"""深入分析 Analysis: uncertainty, goal seek, sensitivity, land, investment → output, plan vs reality."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.analysis import (baseline_needed, earlier_realisation, investment_output, land, realisation,
                            solve_growth, tornado, track_record_targets)
from model.scenario import ACTUAL_SEGMENTS, FrozenMap, pct_to_rate
from model import charts
from ui import layout, state
from ui.i18n import lang, seg, t
from ui.layout import fmt

PATH_CHOICES = (1_000, 5_000, 10_000, 50_000, 100_000)


def _sd_fields(segment: str):
    def to_fields(v):
        sd = dict(state.scenario().sd)
        sd[segment] = pct_to_rate(float(v))
        return {"sd": FrozenMap(sd)}
    return to_fields


def _points(r, segment: str) -> pd.DataFrame:
    """Markers drawn on a fan: the target, entered actuals, public figures (city level) and track-record target."""
    s, p = r.scenario, r.projection
    rows = [{"year": s.target_year, "value": p.targets.total_yi if segment == "total" else p.targets.rail_yi,
             "series": t("ref_target")}]
    for (k, y), v in sorted(s.actuals.items()):
        if k == segment:
            rows.append({"year": y, "value": v, "series": t("actual")})
    if s.track_record:
        tr = track_record_targets(s, p.targets, state.load_data())
        rows.append({"year": s.target_year, "value": tr.total_yi if segment == "total" else tr.rail_yi,
                     "series": t("track_record_target")})
    if segment == "rail_transit" and st.session_state.get("show_public", False):
        figs = state.load_data().public_figures
        city = figs[figs["scope"] == "city"]
        for y, v in zip(city["year"], city["value"]):
            rows.append({"year": int(y), "value": float(v), "series": t("city_series")})
    return pd.DataFrame(rows, columns=["year", "value", "series"])


def uncertainty_tab(r) -> None:
    s = r.scenario
    cols = st.columns(len(s.segments) + 2)
    for col, segment in zip(cols, s.segments):
        with col:
            state.bound(st.slider, t("sd_of", seg=seg(segment)), f"sd_{segment}", round(s.sd[segment] * 100, 4),
                        _sd_fields(segment), min_value=0.0, max_value=50.0, step=0.5, format="%.1f%%")
    lo = -1.0 / (len(s.segments) - 1)
    with cols[-2]:
        state.bound(st.slider, t("correlation"), "rho", float(s.correlation), lambda v: {"correlation": float(v)},
                    min_value=round(lo, 2), max_value=1.0, step=0.05)
    with cols[-1]:
        state.bound(st.number_input, t("seed"), "seed", int(s.seed), lambda v: {"seed": int(v)}, min_value=0,
                    max_value=2**32 - 1, step=1)
        state.bound(st.select_slider, t("n_paths"), "n_paths",
                    s.n_paths if s.n_paths in PATH_CHOICES else 10_000, lambda v: {"n_paths": int(v)},
                    options=list(PATH_CHOICES), format_func=lambda v: f"{v:,}")
    fan = state.fan(s)
    m = st.columns(2)
    m[0].metric(t("prob_total"), f"{fan.prob_total * 100:.1f}%", help=t("prob_help", n=f"{fan.n_paths:,}"))
    m[1].metric(t("prob_rail"), f"{fan.prob_rail * 100:.1f}%", help=t("prob_help", n=f"{fan.n_paths:,}"))
    left, right = st.columns(2, gap="large")
    for col, segment in ((left, "total"), (right, "rail_transit")):
        bands = fan.bands(segment)
        with col:
            st.caption(f"{seg(segment)}（{t('unit_yi')}）")
            layout.chart(charts.fan(bands, _points(r, segment), x_title=t("year"), y_title=t("value_yi"),
                                               series_title=t("series"), outer_label="P10–P90",
                                               inner_label="P25–P75", median_label=t("median")))
    st.caption(t("uncertainty_note"))


def goal_tab(r) -> None:
    s, p = r.scenario, r.projection
    rows = []
    for which in ("total", "rail"):
        for segment in s.segments:
            seek = solve_growth(s, p.targets, segment, which)
            rows.append({
                t("target"): t("m_total") if which == "total" else t("m_rail"),
                t("segment"): seg(segment),
                t("needed_rate"): "—" if seek.rate is None else f"{seek.rate * 100:.2f}%",
                t("status"): t(f"seek_{seek.reason}"),
            })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    c = st.columns(4)
    c[0].metric(t("first_year_total"), str(p.first_year_total or "—"))
    c[1].metric(t("first_year_rail"), str(p.first_year_rail or "—"))
    bt, br = baseline_needed(s, p.targets, "total"), baseline_needed(s, p.targets, "rail")
    c[2].metric(t("baseline_needed_total"), "—" if bt is None else f"{fmt(bt)} {t('unit_yi')}",
                delta=None if bt is None else f"{bt - s.baseline_total_yi:+,.1f}", delta_color="off")
    c[3].metric(t("baseline_needed_rail"), f"{fmt(br)} {t('unit_yi')}", delta=f"{br - s.baseline_rail_yi:+,.1f}",
                delta_color="off")
    st.caption(t("goal_note"))


def sensitivity_tab(r) -> None:
    df = tornado(r.scenario, r.projection.targets)
    names = {"baseline.rail_transit": f"{t('baseline_2020')} {seg('rail_transit')} ±10%",
             "baseline.nonrail": f"{t('baseline_2020')} {seg('nonrail')} ±10%"}
    df["label"] = [names.get(n, f"{seg(n.split('.', 1)[1])} {t('growth_word')} ±1pp") for n in df["parameter"]]
    chart_df = pd.DataFrame({"label": df["label"], "low": df["output_low"], "high": df["output_high"]})
    layout.chart(charts.tornado(chart_df, x_title=f"2025 {seg('total')}（{t('unit_yi')}）",
                                           low_label=t("low_case"), high_label=t("high_case"),
                                           base=float(df["output_base"].iloc[0]),
                                           height=60 * len(df) + 60))
    shown = df[["label", "output_low", "output_high", "gap_low", "gap_high", "swing"]].rename(columns={
        "label": t("assumption"), "output_low": t("low_case"), "output_high": t("high_case"),
        "gap_low": f"{t('gap_2025')} ({t('low_case')})", "gap_high": f"{t('gap_2025')} ({t('high_case')})",
        "swing": t("swing")})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.1f") for c in shown.columns[1:]})


def land_tab(r) -> None:
    s = r.scenario
    state.bound(st.slider, t("per_mu_growth"), "per_mu_growth", round(s.per_mu_growth * 100, 4),
                lambda v: {"per_mu_growth": pct_to_rate(float(v))}, min_value=-10.0, max_value=30.0, step=0.5,
                format="%.1f%%")
    ld = land(s, r.projection.targets, state.load_data())
    c = st.columns(4)
    c[0].metric(t("extra_output"), f"{fmt(ld.extra_output_yi)} {t('unit_yi')}")
    c[1].metric(t("land_needed"), f"{fmt(ld.land_needed_mu, 0)} 亩",
                delta=f"{ld.land_needed_mu - ld.land_available_mu:+,.0f} 亩", delta_color="inverse")
    c[2].metric(t("land_available"), f"{fmt(ld.land_available_mu, 0)} 亩", help=t("land_available_help"))
    c[3].metric(t("per_mu_needed"), f"{fmt(ld.per_mu_output_needed, 0)} 万元/亩",
                help=t("per_mu_help", v=fmt(ld.per_mu_output_target, 2)))
    ok = ld.land_needed_mu <= ld.land_available_mu
    layout.badge(ok, t("land_ok") if ok else t("land_short", v=fmt(ld.land_needed_mu - ld.land_available_mu, 0)))


def invest_tab(r) -> None:
    s = r.scenario
    c = st.columns(2)
    with c[0]:
        state.bound(st.slider, t("io_ratio"), "io_ratio", float(s.io_ratio), lambda v: {"io_ratio": float(v)},
                    min_value=0.0, max_value=5.0, step=0.1, help=t("io_help"))
    with c[1]:
        state.bound(st.slider, t("ramp_first"), "ramp_first", round(s.ramp_first * 100, 4),
                    lambda v: {"ramp_first": pct_to_rate(float(v))}, min_value=0.0, max_value=100.0, step=5.0,
                    format="%.0f%%")
    inv = investment_output(state.load_data(), s, r.projects)
    gap = max(-r.projection.gap_total, 0.0)
    v25 = float(inv.get(s.target_year, 0.0))
    m = st.columns(2)
    m[0].metric(t("invest_output_2025"), f"{fmt(v25)} {t('unit_yi')}")
    m[1].metric(t("gap_2025"), f"{fmt(gap)} {t('unit_yi')}", help=t("gap_help"))
    df = pd.DataFrame({"year": inv.index, "value": inv.values})
    layout.chart(charts.bars_and_rule(df, gap, x_title=t("year"), y_title=t("invest_output_axis"),
                                                 bar_label=t("invest_output"), rule_label=t("gap_to_total")))
    st.caption(t("invest_note"))


def _actual_frame(s) -> pd.DataFrame:
    years = list(range(s.base_year + 1, s.target_year + 1))
    return pd.DataFrame({seg(k): [s.actuals.get((k, y), math.nan) for y in years] for k in ACTUAL_SEGMENTS},
                        index=pd.Index(years, name=t("year")), dtype="float64")


def reality_tab(r) -> None:
    s = r.scenario
    data = state.load_data()
    c = st.columns(2)
    with c[0]:
        st.toggle(t("show_public"), key="show_public", help=t("public_help"))
    with c[1]:
        state.bound(st.toggle, t("track_record"), "track_record", s.track_record,
                    lambda v: {"track_record": bool(v)},
                    help=t("track_help", r=f"{earlier_realisation(data) * 100:.2f}"))
    st.caption(t("actuals_help"))
    frame = _actual_frame(s)
    key = "act_" + format(abs(hash((s.actuals, lang()))), "x")
    edited = st.data_editor(frame, key=key, width="stretch", placeholder="—", column_config={
        c: st.column_config.NumberColumn(c, min_value=0.0, max_value=100_000.0, format="%.1f") for c in frame.columns})
    new = {}
    for k in ACTUAL_SEGMENTS:
        for y, v in zip(frame.index, edited[seg(k)].tolist()):
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                new[(k, int(y))] = float(v)
    if FrozenMap(new) != s.actuals:
        if state.change(actuals=FrozenMap(new)):
            st.rerun()
    real = realisation(s, r.projection.targets)
    if len(real):
        real = real.assign(segment=real["segment"].map(seg), ratio=real["ratio"] * 100)
        st.dataframe(real.rename(columns={"year": t("year"), "segment": t("segment"), "actual": t("actual"),
                                          "projected": t("projected"), "ratio": t("realisation")}),
                     hide_index=True, width="stretch", column_config={
                         t("realisation"): st.column_config.NumberColumn(format="%.1f%%"),
                         t("projected"): st.column_config.NumberColumn(format="%.1f"),
                         t("actual"): st.column_config.NumberColumn(format="%.1f")})
    figs = data.public_figures.assign(scope=lambda d: d["scope"].map(lambda v: t(f"scope_{v}")))
    cols = ["year", "name_zh" if lang() == "zh" else "name_en", "value", "unit", "scope", "measure", "source",
            "note"]
    st.dataframe(figs[cols], hide_index=True, width="stretch",
                 column_config={c: st.column_config.Column(t(f"col_{c}")) for c in cols})
    if s.track_record:
        tr = track_record_targets(s, r.projection.targets, data)
        st.info(t("track_values", total=fmt(tr.total_yi), rail=fmt(tr.rail_yi)))


TABS = (("tab_uncertainty", uncertainty_tab), ("tab_goal", goal_tab), ("tab_sensitivity", sensitivity_tab),
        ("tab_land", land_tab), ("tab_invest", invest_tab), ("tab_reality", reality_tab))


def body() -> None:
    r = state.results(state.scenario())
    st.title(t("nav_analysis"))
    st.caption(t("analysis_intro"))
    tabs = st.tabs([t(k) for k, _ in TABS], key="analysis_tab", on_change="rerun")  # only the open tab runs
    for tab, (_, draw) in zip(tabs, TABS):
        if tab.open:
            with tab:
                draw(r)
    layout.downloads()


layout.page(body, "nav_analysis")

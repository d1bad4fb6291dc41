"""深入分析 Analysis: uncertainty, goal seek, sensitivity, land, output from projects, plan and outcome."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.calc.analysis import (baseline_needed, contributors, earlier_base, earlier_realisation,
                                 increase_realisation, investment_output, land, realisation, solve_growth, tornado,
                                 track_record_targets)
from model.report import charts, figures
from model.report.labels import probability
from model.scenario import ACTUAL_SEGMENTS, FrozenMap, field_of
from model.scenario.fields import RATE_MAX
from ui import controls, layout, state
from ui.i18n import area, enum, lang, seg, t
from ui.layout import fmt, pct, signed

PATH_CHOICES = (1_000, 5_000, 10_000, 50_000, 100_000)


def _points(r, segment: str) -> pd.DataFrame:
    """Markers on a fan besides the target: entered actuals, city-level public figures, the track-record target."""
    s, p = r.scenario, r.projection
    rows = []
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
            controls.slider("sd", map_key=segment, label_kw={"seg": seg(segment)}, widget_key=f"sd_{segment}")
    lo = -1.0 / (len(s.segments) - 1)
    with cols[-2]:
        f = field_of("correlation")
        state.bound(st.slider, controls.label(f), "rho", float(s.correlation), lambda v: {"correlation": float(v)},
                    min_value=round(max(lo, f.lo), 2), max_value=f.hi, step=f.step, help=controls.help_text(f))
        controls.choice("shocks", lambda v: t(f"shocks_{v}"), widget_key="shocks")
    with cols[-1]:
        controls.number("seed", integer=True, widget_key="seed")
        f = field_of("n_paths")
        options = sorted(set(PATH_CHOICES) | {s.n_paths})
        state.bound(st.select_slider, controls.label(f), "n_paths", s.n_paths, lambda v: {"n_paths": int(v)},
                    options=options, format_func=lambda v: f"{v:,}", help=controls.help_text(f))
    fan = state.fan(s)
    m = st.columns(2)
    help_ = t("prob_help", n=f"{fan.n_paths:,}")
    m[0].metric(t("prob_total"), probability(fan.prob_total, fan.n_paths, lang()), help=help_)
    m[1].metric(t("prob_rail"), probability(fan.prob_rail, fan.n_paths, lang()), help=help_)
    st.caption(t("prob_below_half_lognormal" if s.shocks == "lognormal" else "prob_below_half"))
    left, right = st.columns(2, gap="large")
    data = state.load_data()
    for col, segment in ((left, "total"), (right, "rail_transit")):
        with col:
            st.caption(f"{seg(segment)}（{t('unit_yi')}）" if lang() == "zh" else f"{seg(segment)} ({t('unit_yi')})")
            layout.chart(lambda segment=segment: figures.fan_chart(r, data, fan, lang(), segment, _points(r, segment)),
                         key=("fan", s, lang(), segment, bool(st.session_state.get("show_public", False))))
    st.caption(t("uncertainty_note", sd_rail=f"{field_of('sd').default_value()['rail_transit'] * 100:g}",
                 sd_other=f"{field_of('sd').default_value()['nonrail'] * 100:g}"))


def goal_tab(r) -> None:
    s, p = r.scenario, r.projection
    rows = []
    for which in ("total", "rail"):
        for segment in s.segments:
            seek = solve_growth(s, p.targets, segment, which)
            rows.append({
                t("target"): t("m_total") if which == "total" else t("m_rail"),
                t("segment"): seg(segment),
                t("needed_rate"): pct(seek.rate),
                t("status"): t(f"seek_{seek.reason}", max=f"{RATE_MAX * 100:g}"),
            })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    c = st.columns(4)
    c[0].metric(t("first_year_total"), str(p.first_year_total or "—"))
    c[1].metric(t("first_year_rail"), str(p.first_year_rail or "—"))
    bt, br = baseline_needed(s, p.targets, "total"), baseline_needed(s, p.targets, "rail")
    c[2].metric(t("baseline_needed_total"), "—" if bt is None else f"{fmt(bt)} {t('unit_yi')}",
                delta=None if bt is None else signed(bt - s.baseline_total_yi), delta_color="off")
    c[3].metric(t("baseline_needed_rail"), f"{fmt(br)} {t('unit_yi')}", delta=signed(br - s.baseline_rail_yi),
                delta_color="off")
    st.caption(t("goal_note"))


def sensitivity_tab(r) -> None:
    s = r.scenario
    df = tornado(s, r.projection.targets)
    base_label = t("baseline_year")
    names = {"baseline.rail_transit": f"{base_label} {seg('rail_transit')} ±10%",
             "baseline.nonrail": f"{base_label} {seg('nonrail')} ±10%"}
    df["label"] = [names.get(n, f"{seg(n.split('.', 1)[1])}{t('growth_word')} ±1{t('pp').strip()}")
                   for n in df["parameter"]]
    chart_df = pd.DataFrame({"label": df["label"], "low": df["output_low"], "high": df["output_high"]})
    layout.chart(charts.tornado(chart_df, x_title=f"{s.target_year} {seg('total')}（{t('unit_yi')}）",
                                low_label=t("low_case"), high_label=t("high_case"),
                                base=float(df["output_base"].iloc[0]), height=60 * len(df) + 60))
    shown = df[["label", "output_low", "output_high", "gap_low", "gap_high", "swing"]].rename(columns={
        "label": t("assumption"), "output_low": t("low_case"), "output_high": t("high_case"),
        "gap_low": f"{t('gap_label')}（{t('low_case')}）", "gap_high": f"{t('gap_label')}（{t('high_case')}）",
        "swing": t("swing")})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.1f") for c in shown.columns[1:]})


def land_tab(r) -> None:
    s = r.scenario
    controls.slider("per_mu_growth", widget_key="per_mu_growth")
    data = state.load_data()
    ld = land(s, r.projection.targets, data)
    mu = t("unit_mu")
    c = st.columns(4)
    c[0].metric(t("extra_output"), f"{fmt(ld.extra_output_yi)} {t('unit_yi')}")
    c[1].metric(t("land_needed"), f"{fmt(ld.land_needed_mu, 0)} {mu}",
                delta=f"{signed(ld.land_needed_mu - ld.land_available_mu, 0)} {mu}", delta_color="inverse")
    c[2].metric(t("land_available"), f"{fmt(ld.land_available_mu, 0)} {mu}")
    c[3].metric(t("per_mu_needed"), f"{fmt(ld.per_mu_output_needed, 0)} {t('unit_wan_per_mu')}",
                help=t("per_mu_help", per_mu=f"{data.role('per_mu_base'):g}", v=fmt(ld.per_mu_output_target, 2)))
    known = set(data.projects["area"])
    rows = []
    for a in ld.areas:
        name = a.label(lang())
        rows.append({t("land_table_area"): name,
                     t("land_named"): t("land_not_stated") if a.named_mu is None else fmt(a.named_mu, 0),
                     t("land_claimed"): fmt(a.claimed_mu, 1),
                     t("land_available"): fmt(a.counted_mu, 0) + (f"（{t('user_set_mark')}）" if a.user_set else "")})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    cols = st.columns(len([a for a in ld.areas if a.area in known]) or 1)
    for col, a in zip(cols, [a for a in ld.areas if a.area in known]):
        with col:
            f = field_of("land_mu")
            value = s.land_mu.get(a.area, a.named_mu or 0.0)

            def to_fields(v, key=a.area, named=a.named_mu):
                m = dict(state.scenario().land_mu)
                if v is None or (named is not None and float(v) == named) or (named is None and float(v) == 0):
                    m.pop(key, None)  # back to the plan's own figure
                else:
                    m[key] = float(v)
                return {"land_mu": FrozenMap(m)}

            state.bound(st.number_input, controls.label(f, area=area(a.area)), f"land_{a.area}", float(value),
                        to_fields, min_value=f.lo, max_value=f.hi, step=f.step, help=controls.help_text(f))
    areas = ld.included_names(lang())
    st.caption(t("land_included", areas=areas) if ld.included else t("land_none_included"))
    ok = ld.land_needed_mu <= ld.land_available_mu
    layout.badge(ok, t("land_ok") if ok else t("land_short", v=fmt(ld.land_needed_mu - ld.land_available_mu, 0)))


def invest_tab(r) -> None:
    s = r.scenario
    data = state.data_for(s)
    io = contributors(data, s, r.projects)
    c = st.columns(2)
    with c[0]:
        controls.slider("io_ratio", widget_key="io_ratio", label_kw={})
        controls.slider("ramp_first", widget_key="ramp_first", format="%.0f%%")
    with c[1]:
        for role in io["output_role"]:
            if role == "producing":
                continue
            controls.slider("io_roles", map_key=role, label_kw={"role": enum("output_role", role)},
                            widget_key=f"io_{role}")
    inv = investment_output(data, s, r.projects)
    gap = max(-r.projection.gap_total, 0.0)
    v = float(inv.get(s.target_year, 0.0))
    m = st.columns(2)
    m[0].metric(t("invest_output_target"), f"{fmt(v)} {t('unit_yi')}")
    m[1].metric(t("gap_label"), f"{fmt(gap)} {t('unit_yi')}", help=t("gap_help"))
    df = pd.DataFrame({"year": inv.index, "value": inv.values})
    layout.chart(charts.bars_and_rule(df, gap, x_title=t("year"), y_title=t("invest_output_axis"),
                                      bar_label=t("invest_output"), rule_label=t("gap_to_total")))
    st.caption(t("invest_note"))
    st.markdown(f"**{t('invest_contributors')}**")
    st.dataframe(pd.DataFrame({
        t("io_role"): [enum("output_role", x) for x in io["output_role"]],
        t("io_projects"): io["projects"],
        t("io_invested"): io["invested_yi"].round(2),
        t("f.io_ratio"): io["ratio"],
    }), hide_index=True, width="stretch")


def _actual_frame(s) -> pd.DataFrame:
    years = list(range(s.base_year + 1, s.target_year + 1))
    return pd.DataFrame({seg(k): [s.actuals.get((k, y), math.nan) for y in years] for k in ACTUAL_SEGMENTS},
                        index=pd.Index(years, name=t("year")), dtype="float64")


def reality_tab(r) -> None:
    s = r.scenario
    data = state.load_data()
    c = st.columns(3)
    with c[0]:
        st.toggle(t("show_public"), key="show_public", help=t("public_help"))
        controls.toggle("track_record", widget_key="track_record")
    with c[1]:
        controls.choice("track_reading", lambda v: t(f"track_{v}"), widget_key="track_reading")
    with c[2]:
        eb = earlier_base(s, data)
        f = field_of("earlier_base_yi")
        state.bound(st.number_input, controls.label(f), "earlier_base", float(eb.value),
                    lambda v: {"earlier_base_yi": None if v is None else float(v)}, min_value=0.0,
                    max_value=float(data.role("earlier_target")) - 1.0, step=10.0, format="%.1f",
                    help=controls.help_text(f, share=f"{data.role('rail_share_city'):g}"))
        st.caption(t("earlier_base_source", source=t(f"earlier_base_{eb.source}"), year=eb.year))
    st.info(t("track_explain", level=fmt(earlier_realisation(data) * 100, 2),
              increase=fmt(increase_realisation(s, data) * 100, 2), year=eb.year))
    if s.track_record:
        tr = track_record_targets(s, r.projection.targets, data)
        st.warning(t("track_values", reading=t(f"track_{s.track_reading}"), total=fmt(tr.total_yi), rail=fmt(tr.rail_yi)))
        if tr.total_yi < s.baseline_total_yi or tr.rail_yi < s.baseline_rail_yi:
            st.warning(t("track_below_base"))
    st.caption(t("actuals_help"))
    frame = _actual_frame(s)
    key = "act_" + format(abs(hash((s.actuals, lang()))), "x")
    fa = field_of("actuals")
    edited = st.data_editor(frame, key=key, width="stretch", placeholder="—", column_config={
        c: st.column_config.NumberColumn(c, min_value=fa.lo, max_value=fa.hi, format="%.1f") for c in frame.columns})
    new = {k: v for k, v in s.actuals.items() if not s.base_year < k[1] <= s.target_year}
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
                                          "projected": t("projected"), "ratio": t("actual_vs_projected")}),
                     hide_index=True, width="stretch", column_config={
                         t("actual_vs_projected"): st.column_config.NumberColumn(format="%.1f%%",
                                                                                 help=t("actual_vs_projected_help")),
                         t("projected"): st.column_config.NumberColumn(format="%.1f"),
                         t("actual"): st.column_config.NumberColumn(format="%.1f")})


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

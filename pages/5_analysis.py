"""深入分析 Analysis: uncertainty, goal seek, sensitivity, land, output from projects, plan and outcome — each for
the segments, areas and figures the plan has (a panel whose figures the plan lacks is not shown)."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.calc.analysis import (baseline_needed, contributors, earlier_base, earlier_realisation, has_land,
                                 has_track_record, increase_realisation, investment_output, land, realisation,
                                 solve_growth, tornado, track_record_targets)
from model.calc.results import headline
from model.report import charts, figures
from model.report.labels import metric_label, name_list, probability, rounds_to_zero
from model.scenario import FrozenMap
from model.scenario.fields import RATE_MAX
from ui import controls, layout, state
from ui.controls import field_of
from ui.i18n import enum, lang, seg, seg_output, t
from ui.layout import fmt, pct, signed

PATH_CHOICES = (1_000, 5_000, 10_000, 50_000, 100_000)


def grid(n: int, most: int = 4) -> list:
    """``n`` places in columns, in rows as :func:`ui.layout.row_sizes` (for controls and charts; metric cards:
    :func:`ui.layout.metric_grid`)."""
    return [col for size in layout.row_sizes(n, most) for col in st.columns(size)]


def city_figures(segment: str) -> pd.DataFrame:
    """The plan's public figures at city level for ``segment`` (another scope and measure: context only)."""
    figs = state.load_data().public_figures
    if not len(figs):
        return figs
    city = figs[(figs["scope"] == "city") & (figs["segment"] == segment)]
    return city[city["value"].notna() & city["year"].notna()]


def _points(r, segment: str) -> pd.DataFrame:
    """Markers on a fan besides the target: entered actuals, city-level public figures, the track-record target."""
    s, p = r.scenario, r.projection
    data = s.plan_data
    rows = []
    for (k, y), v in sorted(s.actuals.items()):
        if k == segment:
            rows.append({"year": y, "value": v, "series": t("actual")})
    if s.track_record and has_track_record(data) and segment in p.targets:
        tr = track_record_targets(s, p.targets, data)
        rows.append({"year": s.target_year, "value": tr[segment], "series": t("track_record_target")})
    if st.session_state.get("show_public", False):
        lg = lang()
        for rec in city_figures(segment).to_dict(orient="records"):
            name = rec.get(f"name_{lg}") or rec.get("name_zh") or rec["figure_id"]
            rows.append({"year": int(rec["year"]), "value": float(rec["value"]),
                         "series": t("city_series_of", name=name)})
    return pd.DataFrame(rows, columns=["year", "value", "series"])


def uncertainty_tab(r) -> None:
    s = r.scenario
    for col, segment in zip(grid(len(s.segments)), s.segments):
        with col:
            controls.slider("sd", map_key=segment, label_kw={"seg": seg(segment)}, widget_key=f"sd_{segment}")
    cols = st.columns(2)
    with cols[0]:
        if len(s.segments) > 1:  # one segment: nothing to correlate
            f = field_of("correlation")
            lo = -1.0 / (len(s.segments) - 1)
            state.bound(st.slider, controls.label(f), "rho", float(s.correlation),
                        lambda v: {"correlation": float(v)}, min_value=round(max(lo, f.lo), 2), max_value=f.hi,
                        step=f.step, help=controls.help_text(f))
        controls.choice("shocks", lambda v: t(f"shocks_{v}"), widget_key="shocks")
    with cols[1]:
        controls.number("seed", integer=True, widget_key="seed")
        f = field_of("n_paths")
        options = sorted(set(PATH_CHOICES) | {s.n_paths})
        state.bound(st.select_slider, controls.label(f), "n_paths", s.n_paths, lambda v: {"n_paths": int(v)},
                    options=options, format_func=lambda v: f"{v:,}", help=controls.help_text(f))
    fan = state.fan(s)
    help_ = t("prob_help", n=f"{fan.n_paths:,}")
    with_prob = [x for x in fan.segments if x in fan.prob]
    for col, segment in zip(layout.metric_grid(len(with_prob)), with_prob):
        col.metric(t("prob_seg", output=seg_output(segment)), probability(fan.prob[segment], fan.n_paths, lang()),
                   help=help_)
    st.caption(t("prob_below_half_lognormal" if s.shocks == "lognormal" else "prob_below_half"))
    data = state.data_for(s)
    shown = list(fan.segments)
    public = bool(st.session_state.get("show_public", False))
    for col, segment in zip(grid(len(shown), 2), shown):
        with col:
            heading = f"{seg(segment)}（{t('unit_yi')}）" if lang() == "zh" else f"{seg(segment)} ({t('unit_yi')})"
            st.caption(heading)
            layout.chart(lambda segment=segment: figures.fan_chart(r, data, fan, lang(), segment=segment,
                                                                 points=_points(r, segment)),
                         key=("fan", s, data.fingerprint, lang(), segment, public), name=heading)
    sd = field_of("sd").default_value()
    parts = [t("sd_item", seg=seg(x), sd=f"{sd[x] * 100:g}") for x in s.segments if x in sd]
    st.caption(t("uncertainty_note_seg", sds=name_list(parts, lang())))


def goal_tab(r) -> None:
    s, p = r.scenario, r.projection
    targeted = [x for x in headline(s, p.targets) if x in p.targets]
    if not targeted:
        st.info(t("up.no_targets"))
        return
    rows = []
    for which in targeted:
        for segment in s.segments:
            seek = solve_growth(s, p.targets, segment, which)
            rows.append({"target": seg(which), "segment": seg(segment), "rate": pct(seek.rate),
                         "status": t(f"seek_{seek.reason}", max=f"{RATE_MAX * 100:g}")})
    layout.wrapped_table(("goal", layout.rows_key(rows)), lambda: rows,
                         {"target": t("target"), "segment": t("segment"), "rate": t("needed_rate"),
                          "status": t("status")}, figures=("rate",), long=("target", "segment", "status"))
    key = {x.id: x.key for x in s.tree}
    items = []
    for which in targeted:
        first = p.first_year.get(which)  # the model's (summary.csv's): by the target's own rule
        items.append((metric_label(f"first_year_target_{key[which]}", s, lang()), str(first or "—"), {}))
    for which in targeted:
        need = baseline_needed(s, p.targets, which)
        items.append((metric_label(f"baseline_needed_{key[which]}", s, lang()),
                      "—" if need is None else f"{fmt(need)} {t('unit_yi')}",
                      {} if need is None or rounds_to_zero(need - p.bases[which]) else  # never "↑ 0.0"
                      {"delta": f"{signed(need - p.bases[which])} {t('unit_yi')}", "delta_color": "off"}))
    for col, (label, value, delta) in zip(layout.metric_grid(len(items)), items):
        col.metric(label, value, **delta)
    st.caption(t("goal_note"))


def sensitivity_tab(r) -> None:
    s = r.scenario
    df = tornado(s, r.projection.targets)
    base_label = t("baseline_year")
    pp = t("pp").strip()

    def name(parameter: str) -> str:
        kind, segment = parameter.split(".", 1)
        if kind == "baseline":
            return f"{base_label} {seg(segment)} ±10%"
        return f"{seg(segment)}{t('growth_word') if lang() == 'zh' else ' ' + t('growth_word')} ±1{pp}"

    df["label"] = [name(n) for n in df["parameter"]]
    chart_df = pd.DataFrame({"label": df["label"], "low": df["output_low"], "high": df["output_high"]})
    root = s.root
    title = f"{s.target_year} {seg(root)}（{t('unit_yi')}）" if lang() == "zh" else \
        f"{s.target_year} {seg(root)} ({t('unit_yi')})"
    layout.chart(charts.tornado(chart_df, x_title=title, low_label=t("low_case"), high_label=t("high_case"),
                                base=float(df["output_base"].iloc[0]), height=60 * len(df) + 60))
    cols = ["label", "output_low", "output_high"] + (["gap_low", "gap_high"] if root in r.projection.targets else [])
    cols.append("swing")
    yi = t("unit_yi")
    unit = lambda label: t("eval.col.with_unit", label=label, unit=yi)  # noqa: E731
    heads = {"label": t("assumption"), "output_low": unit(t("low_case")), "output_high": unit(t("high_case")),
             "gap_low": unit(f"{t('gap_label')}{t('paren', x=t('low_case'))}"),
             "gap_high": unit(f"{t('gap_label')}{t('paren', x=t('high_case'))}"), "swing": unit(t("swing"))}
    rows = [{c: (rec[c] if c == "label" else fmt(rec[c])) for c in cols} for rec in df[cols].to_dict(orient="records")]
    layout.wrapped_table(("tornado", layout.rows_key(rows), lang()), lambda: rows, {c: heads[c] for c in cols},
                         figures=cols[1:], long=("label",))


def land_tab(r) -> None:
    s = r.scenario
    data = s.plan_data
    ld = land(s, r.projection.targets, data)
    if ld is None:  # not offered without the plan's output per mu (the tab is not drawn then)
        return
    controls.slider("per_mu_growth", widget_key="per_mu_growth")
    mu = t("unit_mu")
    c = layout.metric_row(4)
    c[0].metric(t("extra_output"), f"{fmt(ld.extra_output_yi)} {t('unit_yi')}")
    c[1].metric(t("land_needed"), f"{fmt(ld.land_needed_mu, 0)} {mu}",
                delta=f"{signed(ld.land_needed_mu - ld.land_available_mu, 0)} {mu}", delta_color="inverse")
    c[2].metric(t("land_available"), f"{fmt(ld.land_available_mu, 0)} {mu}")
    row = data.role_row("per_mu_base")
    c[3].metric(t("per_mu_needed"), f"{fmt(ld.per_mu_output_needed, 0)} {t('unit_wan_per_mu')}",
                help=t("per_mu_help", per_mu=f"{data.role('per_mu_base'):g}", base_year=row["year"],
                       v=fmt(ld.per_mu_output_target, 2)))
    annex = data.meta.text("projects_annex", lang())
    claimed = t("land_claimed", projects_annex=annex)
    rows = []
    for a in ld.areas:
        rows.append({t("land_table_area"): a.label(lang()),
                     t("land_named"): t("land_not_stated") if a.named_mu is None else fmt(a.named_mu, 0),
                     claimed: fmt(a.claimed_mu, 1),
                     t("land_available"): fmt(a.counted_mu, 0) + (t("paren", x=t("user_set_mark")) if a.user_set
                                                                 else t("paren", x=t("land_from_parts"))
                                                                 if a.from_parts else "")})
    st.table(pd.DataFrame(rows), hide_index=True)  # wraps: every column on screen at any width (a long English head)
    known = set(data.projects["area"]) if len(data.projects) else set()
    editable = [a for a in ld.areas if a.area in data.areas and (a.area in known or a.named_mu is not None)]
    f = field_of("land_mu")
    for col, a in zip(grid(len(editable)), editable):
        with col:
            value = s.land_mu.get(a.area, a.named_mu or 0.0)

            def to_fields(v, key=a.area, named=a.named_mu):
                m = dict(state.scenario().land_mu)
                if v is None or (named is not None and float(v) == named) or (named is None and float(v) == 0):
                    m.pop(key, None)  # back to the plan's own figure
                else:
                    m[key] = float(v)
                return {"land_mu": FrozenMap(m)}

            state.bound(st.number_input, controls.label(f, a.area), f"land_{a.area}", float(value),
                        to_fields, min_value=f.lo, max_value=f.hi, step=f.step, help=controls.help_text(f))
    areas = ld.included_names(lang())
    st.caption(t("land_included", areas=areas) if ld.included else t("land_none_included"))
    ok = ld.land_needed_mu <= ld.land_available_mu
    layout.badge(ok, t("land_ok") if ok else t("land_short", v=fmt(ld.land_needed_mu - ld.land_available_mu, 0)))
    st.markdown(f"**{t('mj.p.lever_title')}**")
    from ui import mujun

    mujun.lever_panel("analysis", land_needed_mu=ld.land_needed_mu, land_available_mu=ld.land_available_mu)


def invest_tab(r) -> None:
    s = r.scenario
    data = state.data_for(s)
    io = contributors(data, s, r.projects)
    c = st.columns(2)
    with c[0]:
        controls.slider("io_ratio", widget_key="io_ratio")
        controls.slider("ramp_first", widget_key="ramp_first", format="%.0f%%")
    with c[1]:
        for role in io["output_role"]:
            if role == "producing" or not role:
                continue
            controls.slider("io_roles", map_key=role, widget_key=f"io_{role}")
    inv = investment_output(data, s, r.projects)
    root = s.root
    gap = max(-r.projection.gap[root], 0.0) if root in r.projection.gap else 0.0
    v = float(inv.get(s.target_year, 0.0))
    m = layout.metric_row(2)
    m[0].metric(t("invest_output_target"), f"{fmt(v)} {t('unit_yi')}")
    if root in r.projection.gap:
        m[1].metric(t("gap_label"), f"{fmt(gap)} {t('unit_yi')}", help=t("gap_help"))
    df = pd.DataFrame({"year": inv.index, "value": inv.values})
    layout.chart(charts.bars_and_rule(df, gap, x_title=t("year"), y_title=t("invest_output_axis"),
                                      bar_label=t("invest_output"), rule_label=t("gap_to_seg", output=seg_output(root))))
    st.caption(t("invest_note"))
    st.markdown(f"**{t('invest_contributors')}**")
    rows = [{"role": enum("output_role", r) if r else "—", "projects": str(n), "invested": layout.money_text(v),
             "ratio": layout.stated_text(q)}
            for r, n, v, q in zip(io["output_role"], io["projects"], io["invested_yi"], io["ratio"])]
    layout.wrapped_table(("io", layout.rows_key(rows), lang()), lambda: rows,
                         {"role": t("io_role"), "projects": t("io_projects"), "invested": t("io_invested"),
                          "ratio": t("up.io_ratio_col")}, figures=("projects", "invested", "ratio"),
                         long=("role",))


def actual_segments(s) -> tuple[str, ...]:
    """The segments actuals are entered for: the total and every segment with a base or a target, as reported."""
    p = state.results(s).projection
    return tuple(headline(s, p.targets))


def _actual_frame(s, segs) -> pd.DataFrame:
    years = list(range(s.base_year + 1, s.target_year + 1))
    return pd.DataFrame({seg(k): [s.actuals.get((k, y), math.nan) for y in years] for k in segs},
                        index=pd.Index(years, name=t("year")), dtype="float64")


def track_record_panel(r) -> None:
    """The earlier plan's track record (where the package has its target and outcome)."""
    s = r.scenario
    data = s.plan_data
    c = st.columns(2)
    with c[0]:
        controls.toggle("track_record", widget_key="track_record")
        controls.choice("track_reading", lambda v: t(f"track_{v}"), widget_key="track_reading")
    with c[1]:
        eb = earlier_base(s, data)
        f = field_of("earlier_base_yi")
        shown = float(eb.value) if eb.value == eb.value else 0.0
        state.bound(st.number_input, controls.label(f), "earlier_base", shown,
                    lambda v: {"earlier_base_yi": None if not v else float(v)}, min_value=0.0,
                    max_value=max(data.role_amount("earlier_target") - 1.0, 1.0), step=10.0, format="%.1f",
                    help=controls.help_text(f))
        # the earlier plan's base year is known from the city's figure of that year only (no role states it)
        source = t(f"earlier_base_{eb.source}") if eb.source != "none" else t("up.earlier_base_none")
        st.caption(t("earlier_base_source", source=source, year=eb.year) if data.has_role("city_earlier_base")
                   else t("earlier_base_unknown", source=source))
    increase = increase_realisation(s, data)
    st.info(t("track_explain", level=fmt(earlier_realisation(data) * 100, 2),
              increase=fmt(increase * 100, 2) if increase == increase else "—"))
    if s.track_record:
        p = r.projection
        tr = track_record_targets(s, p.targets, data)
        targeted = [x for x in headline(s, p.targets) if x in p.targets]
        items = name_list([t("track_item", output=seg_output(x), v=fmt(tr[x])) for x in targeted], lang())
        st.warning(t("track_values_seg", reading=t(f"track_{s.track_reading}"), items=items))
        if any(tr[x] < p.bases[x] for x in targeted):
            st.warning(t("track_below_base"))


def reality_tab(r) -> None:
    s = r.scenario
    data = s.plan_data
    public = [x for x in headline(s, r.projection.targets) if len(city_figures(x))]
    if public:
        st.toggle(t("show_public"), key="show_public", help=t("public_help"))
    if has_track_record(data):
        track_record_panel(r)
    st.caption(t("actuals_help"))
    segs = actual_segments(s)
    frame = _actual_frame(s, segs)
    key = "act_" + format(abs(hash((s.actuals, lang(), data.id))), "x")
    fa = field_of("actuals")
    edited = layout.data_editor(frame, key, width="stretch", placeholder="—", column_config={
        c: st.column_config.NumberColumn(c, min_value=fa.lo, max_value=fa.hi, format="%,.1f") for c in frame.columns})
    new = {k: v for k, v in s.actuals.items() if not s.base_year < k[1] <= s.target_year or k[0] not in segs}
    for k in segs:
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
                         t("actual_vs_projected"): st.column_config.NumberColumn(format="%,.1f%%",
                                                                                 help=t("actual_vs_projected_help")),
                         t("projected"): st.column_config.NumberColumn(format="%,.1f"),
                         t("actual"): st.column_config.NumberColumn(format="%,.1f")})


def tabs_of(s) -> list[tuple[str, object]]:
    """The panels this plan has: land needs the plan's output per mu, output from projects needs projects."""
    data = state.data_for(s)
    out = [("tab_uncertainty", uncertainty_tab), ("tab_goal", goal_tab), ("tab_sensitivity", sensitivity_tab)]
    if has_land(data):
        out.append(("tab_land", land_tab))
    if len(data.projects):
        out.append(("tab_invest", invest_tab))
    out.append(("tab_reality", reality_tab))
    return out


def body() -> None:
    r = state.results(state.scenario())
    st.title(t("nav_analysis"))
    st.caption(t("analysis_intro"))
    panels = tabs_of(r.scenario)
    tabs = st.tabs([t(k) for k, _ in panels], key="analysis_tab", on_change="rerun")  # only the open tab runs
    for tab, (_, draw) in zip(tabs, panels):
        if tab.open:
            with tab:
                draw(r)
    layout.downloads()


layout.page(body, "nav_analysis")

"""投资时序 Investment phasing: basis, profile, delays, overrun, exclusions, ceiling; charts and A/B."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from model.calc.phasing import project_delays
from model.plan import enums
from model.scenario import BASES, DELAY_MAX, PROFILES, FrozenMap, pct_to_rate
from model import charts
from ui import layout, state
from ui.i18n import area, category, funding, lang, t
from ui.layout import fmt

B_KEY = "phasing_b"
B_DEFAULT = {"basis": "fyp", "profile": "even", "delay_all": 1, "overrun": 0.0, "ceiling_yi": None}


def _cap_fields(on: bool) -> dict:
    return {"ceiling_yi": 60.0 if on else None}


def controls(s) -> None:
    c1, c2, c3 = st.columns(3)
    with c1:
        state.bound(st.radio, t("basis"), "basis", s.basis, lambda v: {"basis": v}, options=list(BASES),
                    format_func=lambda v: t(f"basis_{v}"))
        state.bound(st.selectbox, t("profile"), "profile", s.profile, lambda v: {"profile": v},
                    options=list(PROFILES), format_func=lambda v: t(f"profile_{v}"))
    with c2:
        state.bound(st.slider, t("delay_all"), "delay_all", s.delay_all, lambda v: {"delay_all": int(v)},
                    min_value=0, max_value=DELAY_MAX, step=1)
        for a in enums.values("area"):
            state.bound(st.slider, t("delay_area", area=area(a)), f"delay_area_{a}", s.delay_area.get(a, 0),
                        _map_field("delay_area", a), min_value=0, max_value=DELAY_MAX, step=1)
    with c3:
        for c in enums.values("category"):
            state.bound(st.slider, t("delay_category", cat=category(c)), f"delay_cat_{c}",
                        s.delay_category.get(c, 0), _map_field("delay_category", c), min_value=0,
                        max_value=DELAY_MAX, step=1)
        state.bound(st.slider, t("overrun"), "overrun", round(s.overrun * 100, 4),
                    lambda v: {"overrun": pct_to_rate(float(v))}, min_value=-50.0, max_value=200.0, step=1.0,
                    format="%.0f%%")
        state.bound(st.toggle, t("ceiling_on"), "ceiling_on", s.ceiling_yi is not None, _cap_fields)
        if s.ceiling_yi is not None:
            state.bound(st.number_input, t("ceiling"), "ceiling", float(s.ceiling_yi),
                        lambda v: {"ceiling_yi": float(v)}, min_value=1.0, max_value=10_000.0, step=5.0)


def _map_field(field: str, key: str):
    def to_fields(v):
        m = dict(getattr(state.scenario(), field))
        m[key] = int(v)
        return {field: FrozenMap(m)}
    return to_fields


def project_editor(s) -> None:
    """Per-project delay and exclusion in one table (re-keyed when the scenario changes elsewhere)."""
    p = state.load_data().projects
    frame = pd.DataFrame({
        "id": p["project_id"],
        t("project"): p["name_zh"] if lang() == "zh" else p["name_zh"] + " · " + p["name_en"],
        t("area"): p["area"].map(area),
        t("start"): p["start_year"].astype(int),
        t("end"): p["end_year"].astype(int),
        "fyp": p["fyp_investment_yi"],
        t("delay_projects"): [int(s.delay_project.get(i, 0)) for i in p["project_id"]],
        t("excluded"): [i in s.excluded for i in p["project_id"]],
    })
    key = "proj_" + format(abs(hash((s.delay_project, s.excluded, lang()))), "x")
    edited = st.data_editor(
        frame, key=key, hide_index=True, width="stretch", height=360,
        disabled=["id", t("project"), t("area"), t("start"), t("end"), "fyp"],
        column_config={
            "fyp": st.column_config.NumberColumn(f"{t('basis_fyp')[:7]}（{t('unit_yi')}）", format="%.2f"),
            t("delay_projects"): st.column_config.NumberColumn(min_value=0, max_value=DELAY_MAX, step=1,
                                                               format="%d"),
            t("excluded"): st.column_config.CheckboxColumn(),
        })
    delays = {i: int(d) for i, d in zip(edited["id"], edited[t("delay_projects")].fillna(0)) if int(d)}
    excluded = frozenset(i for i, x in zip(edited["id"], edited[t("excluded")]) if bool(x))
    if FrozenMap(delays) != s.delay_project or excluded != s.excluded:
        if state.change(delay_project=FrozenMap(delays), excluded=excluded):
            st.rerun()


def annual_chart(r) -> None:
    data = state.load_data()
    by = st.segmented_control(t("stack_by"), ["area", "category", "owner"], key="stack_by", default="area",
                              format_func=lambda v: t(f"by_{v}"), required=True) or "area"
    label = {"area": area, "category": category, "owner": lambda o: o or "—"}[by]
    p = data.projects
    groups = dict(zip(p["project_id"], p[by].map(label)))
    table = r.projects.by_group(groups)
    order = None
    if by == "owner":  # keep the legend readable: the 7 largest owners, the rest as 其他/other
        others = "其他" if lang() == "zh" else "Others"
        top = list(table.sum().nlargest(7).index)
        rest = [c for c in table.columns if c not in top]
        table = table[top].assign(**({others: table[rest].sum(axis=1)} if rest else {}))
        order = list(table.columns)
    layout.chart(charts.stacked_bars(charts.group_frame(table), group_title=t(f"by_{by}"), x_title=t("year"),
                                                y_title=t("invest_yi"), order=order))


def scurve_chart(r) -> None:
    s = r.scenario
    planned = state.results(s.with_(profile="even", delay_all=0, delay_area=FrozenMap(), delay_category=FrozenMap(),
                                    delay_project=FrozenMap(), overrun=0.0, excluded=frozenset(), ceiling_yi=None))
    frames = []
    for label, ph in ((t("current"), r.projects), (t("as_planned"), planned.projects)):
        by = ph.by_year()
        frames.append(pd.DataFrame({"year": by.index, "series": label, "value": by.cumsum().values}))
    layout.chart(charts.lines(pd.concat(frames), series_title=t("series"), x_title=t("year"),
                                 y_title=t("cum_invest_yi"), dashed=t("as_planned")))


def gantt_chart(r) -> None:
    s = r.scenario
    p = state.load_data().projects
    p = p.loc[~p["project_id"].isin(s.excluded)]
    delay = project_delays(p, s)
    df = pd.DataFrame({
        "label": [f"{i} {n}" if lang() == "zh" else f"{i} {n} · {e}" for i, n, e in zip(p["project_id"], p["name_zh"],
                                                                                       p["name_en"])],
        "start": p["start_year"].astype(int) + delay, "end": p["end_year"].astype(int) + delay,
        "area": p["area"].map(area)})
    layout.chart(charts.gantt(df, area_title=t("area"), x_title=t("year"), project_title=t("project"),
                                 start_title=t("start"), end_title=t("end")))


def roads_chart(r) -> None:
    roads = state.load_data().roads
    table = r.roads.by_group(dict(zip(roads["road_id"], roads["funding_source"])))
    order = [f for f in ("区财政", "企业自筹", "待定") if f in table.columns]
    df = charts.group_frame(table[order].rename(columns=funding))
    layout.chart(charts.stacked_bars(df, group_title=t("funding"), x_title=t("year"), y_title=t("invest_yi"),
                                                order=[funding(f) for f in order], highlight=funding("区财政"),
                                                legend_columns=1))
    s = r.scenario
    fyp = table.loc[(table.index >= s.plan_first_year) & (table.index <= s.plan_last_year)]
    district = float(fyp["区财政"].sum()) if "区财政" in fyp else 0.0
    total = float(fyp.to_numpy().sum())
    share = district / total * 100 if total else 0.0
    st.markdown(f"**{t('district_burden', v=fmt(district, 2), p=f'{share:.1f}')}**")


def _b_settings() -> dict:
    return dict(st.session_state.get(B_KEY, B_DEFAULT))


def _set_b(field: str, key: str, convert=lambda v: v) -> None:
    b = _b_settings()
    b[field] = convert(st.session_state[key])
    st.session_state[B_KEY] = b


def ab_section(r) -> None:
    b = _b_settings()
    cols = st.columns(5)
    widgets = (
        (cols[0], st.selectbox, t("basis"), "b_basis", "basis", dict(options=list(BASES), format_func=lambda v: t(
            f"basis_{v}")), lambda v: v),
        (cols[1], st.selectbox, t("profile"), "b_profile", "profile", dict(options=list(PROFILES),
                                                                           format_func=lambda v: t(f"profile_{v}")),
         lambda v: v),
        (cols[2], st.slider, t("delay_all"), "b_delay", "delay_all", dict(min_value=0, max_value=DELAY_MAX), int),
        (cols[3], st.slider, t("overrun"), "b_overrun", "overrun", dict(min_value=-50, max_value=200, step=1,
                                                                       format="%d%%"),
         lambda v: pct_to_rate(float(v))),
    )
    for col, widget, label, key, field, kw, convert in widgets:
        value = b[field]
        st.session_state[key] = int(round(value * 100)) if field == "overrun" else value
        with col:
            widget(f"{t('setting_b')} · {label}", key=key, on_change=_set_b, args=(field, key, convert), **kw)
    with cols[4]:
        st.session_state["b_cap"] = 0.0 if b["ceiling_yi"] is None else float(b["ceiling_yi"])
        st.number_input(f"{t('setting_b')} · {t('ceiling')}", key="b_cap", min_value=0.0, max_value=10_000.0,
                        step=5.0, help="0 = —", on_change=_set_b,
                        args=("ceiling_yi", "b_cap", lambda v: None if not v or v < 1 else float(v)))
    sb = r.scenario.with_(**b)
    rb = state.results(sb)
    a_by, b_by = r.projects.by_year(), rb.projects.by_year()
    years = np.arange(min(a_by.index.min(), b_by.index.min()), max(a_by.index.max(), b_by.index.max()) + 1)
    a_by, b_by = a_by.reindex(years, fill_value=0.0), b_by.reindex(years, fill_value=0.0)
    left, right = st.columns(2)
    with left:
        df = pd.concat([pd.DataFrame({"year": years, "series": t("setting_a"), "value": a_by.values}),
                        pd.DataFrame({"year": years, "series": t("setting_b"), "value": b_by.values})])
        layout.chart(charts.lines(df, series_title=t("series"), x_title=t("year"), y_title=t("invest_yi"),
                                     dashed=t("setting_b"), height=300))
    with right:
        diff = pd.DataFrame({"year": years, "value": (b_by - a_by).values})
        layout.chart(charts.diff_bars(diff, x_title=t("year"), y_title=t("diff_b_a")))
    table = pd.DataFrame({t("setting_a"): a_by.values, t("setting_b"): b_by.values,
                          t("diff_b_a"): (b_by - a_by).values}, index=pd.Index(years, name=t("year")))
    table = table.T
    table.columns = table.columns.astype(str)
    st.dataframe(table, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in table.columns})


def body() -> None:
    s = state.scenario()
    r = state.results(s)
    st.title(t("nav_phasing"))
    st.caption(t("phasing_intro"))
    m = st.columns(4)
    yi = t("unit_yi")
    m[0].metric(t("fyp_total"), f"{fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2)} {yi}")
    m[1].metric(t("all_years_total"), f"{fmt(float(r.projects.matrix.sum()), 2)} {yi}")
    by = r.projects.by_year()
    m[2].metric(t("peak_year"), str(int(by.idxmax())) if len(by) and by.max() > 0 else "—")
    m[3].metric(t("road_total"), f"{fmt(float(r.roads.matrix.sum()), 2)} {yi}")
    with st.container(border=True):
        controls(s)
        exp = layout.lazy_expander(f"{t('delay_projects')} · {t('excluded')}", "open_projects",
                                   icon=":material/checklist:", expanded=bool(s.delay_project or s.excluded))
        if exp is not None:
            with exp:
                project_editor(s)
    if r.projects.placed_by_default:
        st.info(t("placed_default", year=s.plan_first_year, ids=", ".join(r.projects.placed_by_default)))
    st.subheader(t("annual_invest"))
    annual_chart(r)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("scurve"))
        scurve_chart(r)
    with right:
        st.subheader(t("roads_chart"))
        roads_chart(r)
    for label, key, icon, section in ((t("gantt"), "open_gantt", ":material/view_timeline:", gantt_chart),
                                      (t("ab_title"), "open_ab", ":material/compare:", ab_section)):
        exp = layout.lazy_expander(label, key, icon=icon)
        if exp is not None:
            with exp:
                section(r)
    layout.downloads()


layout.page(body, "nav_phasing")

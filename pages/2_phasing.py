"""投资时序 Investment phasing: basis, profile, delays, overrun, exclusions, ceiling; charts and A/B."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from model.calc.phasing import project_delays
from model.report import charts, figures
from model.report.labels import name_list, named_ids
from model.report.story import district_share
from model.scenario import BASES, DELAY_MAX, PROFILES, FrozenMap, pct_to_rate
from ui import controls, layout, state
from ui.controls import field_of
from ui.i18n import area, area_path, category, fixed, funding, lang, plan_text, t
from ui.layout import fmt

B_KEY = "phasing_b"
B_DEFAULT = {"basis": "fyp", "profile": "even", "delay_all": 1, "overrun": 0.0, "ceiling_yi": None}


def _cap_fields(on: bool) -> dict:
    f = field_of("ceiling_yi")
    return {"ceiling_yi": max(f.lo, round(state.results(state.scenario()).projects.by_year().max() * 0.8, 0))
            if on else None}


BASIS_KEYS = {"fyp": "basis_fyp", "total": "basis_total"}


def basis_label(v: str) -> str:
    return t(BASIS_KEYS[v], period=period())


def period() -> str:
    """The plan's period as texts name it (plan.csv ``period``), else "规划期" / "plan-period"."""
    return plan_text("period") or t("up.plan_period")


def controls_panel(s) -> None:
    data = state.data_for(s)
    has_projects = len(data.projects) > 0
    c1, c2, c3 = st.columns(3)
    with c1:
        controls.choice("basis", basis_label, widget_key="basis", help=t("up.basis_help", period=period()))
        controls.choice("profile", lambda v: t(f"profile_{v}"), widget=st.selectbox, widget_key="profile")
    with c2:
        controls.slider("delay_all", integer=True, widget_key="delay_all")
        controls.slider("overrun", widget_key="overrun", format="%.0f%%")
    with c3:
        if has_projects:
            state.bound(st.toggle, t("ceiling_on"), "ceiling_on", s.ceiling_yi is not None, _cap_fields)
            if s.ceiling_yi is not None:
                controls.number("ceiling_yi", widget_key="ceiling")
    if has_projects and (len(data.areas.ids) or len(data.values("category"))):
        group_delays(s, data)


def group_delays(s, data) -> None:
    """The delays by area and by category, in a panel of their own (a slider each, drawn only while it is open);
    closed, the delays set are named below it, so the screen always says what the scenario holds."""
    nested = any(data.areas.ancestors(a) for a in data.areas.ids)
    exp = layout.lazy_expander(t("delay_groups"), "open_group_delays", icon=":material/date_range:",
                               expanded=bool(s.delay_area or s.delay_category))
    if exp is None:
        items = [t("delay_item_area", area=area_path(a) if nested else area(a), n=int(d))
                 for a, d in s.delay_area.items() if d] + \
            [t("delay_item_cat", cat=category(c), n=int(d)) for c, d in s.delay_category.items() if d]
        if items:
            st.caption(t("delay_groups_set", items=name_list(items, lang())))
        return
    with exp:
        both = len(data.areas.ids) and len(data.values("category"))
        left, right = st.columns(2) if both else (st.container(), st.container())
        with left:
            for a in data.areas.ids:
                controls.slider("delay_area", map_key=a, label_kw={"area": area_path(a) if nested else area(a)},
                                integer=True, widget_key=f"delay_area_{a}")
        with right:
            for c in data.values("category"):
                controls.slider("delay_category", map_key=c, label_kw={"cat": category(c)}, integer=True,
                                widget_key=f"delay_cat_{c}")


EDIT_WIDTH = 120  # px: the editor's delay and exclusion columns, their headings whole (延期（年）, Delay (years))


def project_editor(s) -> None:
    """Per-project delay and exclusion in one table (re-keyed when the scenario changes elsewhere)."""
    p = state.data_for(state.scenario()).projects
    frame = pd.DataFrame({
        "id": p["project_id"],
        t("project"): p["name_zh"] if lang() == "zh" else p["name_en"].where(p["name_en"] != "", p["name_zh"]),
        t("area"): p["area"].map(lambda a: area(a) if a else "—"),
        t("start"): pd.to_numeric(p["start_year"], errors="coerce").astype("Int64"),
        t("end"): pd.to_numeric(p["end_year"], errors="coerce").astype("Int64"),
        "fyp": p["fyp_investment_yi"],
        t("delay_one"): [int(s.delay_project.get(i, 0)) for i in p["project_id"]],
        t("excluded_one"): [i in s.excluded for i in p["project_id"]],
    })
    key = "proj_" + format(abs(hash((s.delay_project, s.excluded, lang()))), "x")
    # what is edited (delay, excluded) right after the project, so a projector's width shows it; the rest after
    edited = layout.data_editor(
        frame, key, hide_index=True, width="stretch", height=360,
        disabled=["id", t("project"), t("area"), t("start"), t("end"), "fyp"],
        column_order=["id", t("project"), t("delay_one"), t("excluded_one"), t("area"), t("start"), t("end"), "fyp"],
        column_config={
            "id": st.column_config.TextColumn(t("col_project_id"), width="small"),
            t("project"): st.column_config.TextColumn(width="large"),
            "fyp": st.column_config.NumberColumn(t("col_fyp_investment_yi", period=period()), format="%,.2f"),
            t("delay_one"): st.column_config.NumberColumn(min_value=0, max_value=DELAY_MAX, step=1, format="%d",
                                                          width=EDIT_WIDTH),
            t("excluded_one"): st.column_config.CheckboxColumn(width=EDIT_WIDTH),
        })
    # the table is fixed: its rows are the list's projects, keyed by the table's own ids (a crafted message could add
    # a row with an unknown id, blank the disabled id column or delete rows: none of that is a project's setting)
    edited = edited.reindex(frame.index)
    d_col, x_col = t("delay_one"), t("excluded_one")
    delay = pd.to_numeric(edited[d_col], errors="coerce")
    delay = delay.where(delay.abs() < 1e15, frame[d_col])  # blank, inf or absurd: the value it had
    delays = {i: int(d) for i, d in zip(frame["id"], delay) if int(d)}
    excluded = frozenset(i for i, x, was in zip(frame["id"], edited[x_col], frame[x_col])
                         if (bool(was) if x is None or x != x else bool(x)))
    if FrozenMap(delays) != s.delay_project or excluded != s.excluded:
        if state.change(delay_project=FrozenMap(delays), excluded=excluded):
            st.rerun()


def annual_chart(r) -> None:
    data = state.data_for(state.scenario())
    by = st.segmented_control(t("stack_by"), ["area", "category", "owner"], key="stack_by", default="area",
                              format_func=fixed(lambda v: t(f"by_{v}"), ["area", "category", "owner"]), required=True) or "area"
    layout.chart(lambda: _annual_spec(r, data, by), key=("annual", r.scenario, data.fingerprint, lang(), by))


def _annual_spec(r, data, by: str) -> dict:
    """Investment per year stacked by area, category or owner (built once per scenario and choice)."""
    label = {"area": lambda a: area(a) if a else "—", "category": lambda c: category(c) if c else "—",
             "owner": lambda o: o or "—"}[by]
    p = data.projects
    # the projects' groups in the language shown: once per plan data (a kept object), not per new value
    groups = layout.memo_on(data, ("annual_groups", by, lang()), lambda: dict(zip(p["project_id"], p[by].map(label))))
    names, sums = r.projects.group_sums(groups)
    order = None
    if by == "owner":  # keep the legend readable: the 7 largest owners, the rest as 其他/other
        names, sums = charts.keep_largest(names, sums, 7, t("others"))
        order = names
    return charts.stacked_bars(charts.group_columns(r.projects.years, names, sums), group_title=t(f"by_{by}"),
                               x_title=t("year"), y_title=t("invest_yi"), order=order)


def scurve_chart(r) -> None:
    layout.chart(lambda: _scurve_spec(r), key=("scurve", r.scenario, lang()))


def _scurve_spec(r) -> dict:
    s = r.scenario
    planned = state.results(s.with_(profile="even", delay_all=0, delay_area=FrozenMap(), delay_category=FrozenMap(),
                                    delay_project=FrozenMap(), overrun=0.0, excluded=frozenset(), ceiling_yi=None))
    frames = [charts.long_frame(ph.years, {label: np.cumsum(ph.matrix.sum(axis=0))})
              for label, ph in ((t("current"), r.projects), (t("as_planned"), planned.projects))]
    return charts.lines(charts.concat(frames), series_title=t("series"), x_title=t("year"), y_title=t("cum_invest_yi"),
                        dashed=t("as_planned"))


def gantt_chart(r) -> None:
    s = r.scenario
    p = state.data_for(state.scenario()).projects
    p = p.loc[~p["project_id"].isin(s.excluded) & p["start_year"].notna() & p["end_year"].notna()]
    if not len(p):
        st.caption(t("up.no_build_years"))
        return
    delay = project_delays(p, s)
    df = pd.DataFrame({
        # one name, in the language shown (both made English labels too long for the bars beside them)
        "label": [f"{i} {n}" if lang() == "zh" or not e else f"{i} {e}"
                  for i, n, e in zip(p["project_id"], p["name_zh"], p["name_en"])],
        "start": p["start_year"].astype(int).to_numpy() + delay, "end": p["end_year"].astype(int).to_numpy() + delay,
        "area": p["area"].map(lambda a: area(a) if a else "—")})
    layout.chart(charts.gantt(df, area_title=t("area"), x_title=t("year"), project_title=t("project"),
                                 start_title=t("start"), end_title=t("end"),
                                 period=(s.plan_first_year, s.plan_last_year)))


def roads_chart(r) -> None:
    data = state.data_for(state.scenario())
    layout.chart(lambda: figures.roads_by_funding(r, data, lang(), legend_columns=1),
                 key=("roads", r.scenario, data.fingerprint, lang()))
    own = data.flagged("funding_source", "own_budget")
    if own:
        burden, _total, share = layout.memo(("own_budget", r.scenario, data.fingerprint, own),
                                            lambda: district_share(data, r))
        st.markdown(f"**{t('own_budget_burden', funding=funding(own), v=fmt(burden, 2), p=fmt(share, 1))}**")


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
        (cols[0], st.selectbox, t("f.basis"), "b_basis", "basis", dict(options=list(BASES), format_func=fixed(
            basis_label, BASES)), lambda v: v),
        (cols[1], st.selectbox, t("f.profile"), "b_profile", "profile", dict(options=list(PROFILES),
                                                                           format_func=fixed(lambda v: t(f"profile_{v}"), PROFILES)),
         lambda v: v),
        (cols[2], st.slider, t("f.delay_all"), "b_delay", "delay_all", dict(min_value=0, max_value=DELAY_MAX), int),
        (cols[3], st.slider, t("f.overrun"), "b_overrun", "overrun",
         dict(min_value=round(field_of("overrun").lo * 100), max_value=round(field_of("overrun").hi * 100), step=1,
              format="%d%%"),
         lambda v: pct_to_rate(float(v))),
    )
    for col, widget, label, key, field, kw, convert in widgets:
        value = b[field]
        state.seed(key, int(round(value * 100)) if field == "overrun" else value)
        with col:
            widget(f"{t('setting_b')} · {label}", key=key, on_change=_set_b, args=(field, key, convert), **kw)
    with cols[4]:
        state.seed("b_cap", 0.0 if b["ceiling_yi"] is None else float(b["ceiling_yi"]))
        st.number_input(f"{t('setting_b')} · {t('f.ceiling_yi')}", key="b_cap", min_value=0.0,
                        max_value=float(field_of("ceiling_yi").hi), step=5.0, help=t("ceiling_zero"),
                        on_change=_set_b,
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
                 column_config={c: st.column_config.NumberColumn(format="%,.2f") for c in table.columns})


def body() -> None:
    s = state.scenario()
    r = state.results(s)
    data = state.data_for(s)
    has_projects, has_roads = len(data.projects) > 0, len(data.roads) > 0
    st.title(t("nav_phasing"))
    if not has_projects and not has_roads:
        st.info(t("up.no_lists"))
        return
    st.caption(intro(data))
    yi = t("unit_yi")
    items = []
    if has_projects:
        by = r.projects.by_year()
        items += [(t("fyp_total"), f"{fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2)} {yi}",
                   t("sm.project_investment_fyp")),
                  (t("all_years_total"), f"{fmt(float(r.projects.matrix.sum()), 2)} {yi}", None),
                  (t("peak_year"), str(int(by.idxmax())) if len(by) and by.max() > 0 else "—", None)]
    if has_roads:
        items.append((t("road_total"), f"{fmt(float(r.roads.matrix.sum()), 2)} {yi}", None))
    for col, (label, value, help_) in zip(layout.metric_row(len(items)), items):
        col.metric(label, value, help=help_)
    with st.container(border=True):
        controls_panel(s)
        if has_projects:
            exp = layout.lazy_expander(t("delay_projects"), "open_projects",
                                       icon=":material/checklist:", expanded=bool(s.delay_project or s.excluded))
            if exp is not None:
                with exp:
                    project_editor(s)
    if r.projects.placed_by_default:
        st.info(t("placed_default", period=period(), year=s.plan_first_year,
                  ids=layout.memo_on(data, ("placed_default", r.projects.placed_by_default, lang()), lambda: name_list(
                      named_ids(data.projects, r.projects.placed_by_default, lang()), lang()))))
    if has_projects:
        st.subheader(t("annual_invest"))
        annual_chart(r)
    if has_projects and has_roads:
        left, right = st.columns(2, gap="large")
    else:
        left = right = st.container()
    if has_projects:
        with left:
            st.subheader(t("scurve"))
            scurve_chart(r)
    if has_roads:
        with right:
            st.subheader(t("roads_chart"))
            roads_chart(r)
    if has_projects:
        for label, key, icon, section in ((t("gantt"), "open_gantt", ":material/view_timeline:", gantt_chart),
                                          (t("ab_title"), "open_ab", ":material/compare:", ab_section)):
            exp = layout.lazy_expander(label, key, icon=icon)
            if exp is not None:
                with exp:
                    section(r)
    layout.downloads()


def intro(data) -> str:
    """What the page phases: the plan's project list and road list as the plan names them."""
    projects = plan_text("projects_annex") or t("up.project_list")
    roads = plan_text("roads_annex") or t("up.road_list")
    if len(data.projects) and len(data.roads):
        return t("phasing_intro", projects_annex=projects, roads_annex=roads)
    if len(data.projects):
        return t("up.phasing_intro_projects", projects=projects)
    return t("up.phasing_intro_roads", roads=roads)


layout.page(body, "nav_phasing")

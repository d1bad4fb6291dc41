"""下一规划期 Next plan: start from the actuals, set the next plan's targets (user-set), read them backwards (growth,
probability, land) and phase a new project list over the new plan period."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model import ScenarioError
from model.calc import nextplan as npn
from model.calc.analysis import investment_output
from model.io.export import neutralise_csv_text
from model.io.lists import template_text
from model.numbers import sig15
from model.report import figures
from model.report.labels import fmt_stated, sampling_error_pp
from model.report.story import district_share
from model.scenario import FIELDS, SPLIT_SEGMENTS, FrozenMap, field_of
from model.scenario.scenario import MAX_PLAN_YEARS
from ui import controls, documents, layout, state
from ui.i18n import area, fixed, lang, seg, t
from ui.layout import fmt, md_code, md_text, pct, signed

METHOD_KEYS = {"achieved": "pn.method.achieved", "historical": "pn.method.historical",
               "old_required": "pn.method.old_required"}
LIST_KEYS = {"projects": ("pn.list_projects", "pn.upload_projects", "pn.template_projects", "pn.annex_projects"),
             "roads": ("pn.list_roads", "pn.upload_roads", "pn.template_roads", "pn.annex_roads")}
REF_KEYS = (("actuals", "actuals_ref", "pn.ref_actuals"), ("projects", "projects_ref", "pn.ref_projects"),
            ("roads", "roads_ref", "pn.ref_roads"))


# -- changes -------------------------------------------------------------------------------------------

def _diff(new) -> dict:
    old = state.scenario()
    return {f.name: getattr(new, f.name) for f in FIELDS if getattr(new, f.name) != getattr(old, f.name)}


def _apply(new) -> bool:
    """Every field in which ``new`` differs from the current scenario, as one validated change (undoable)."""
    fields = _diff(new)
    return state.change(**fields) if fields else True


def _history(s, data):
    """The new base's actuals, when the scenario starts from the session's actuals set (rules that need them)."""
    aset = documents.actuals()
    if aset is None or not npn.is_rebased(s, data):
        return None
    try:
        return npn.base_actuals(aset.frame(), data, s.base_year)
    except ScenarioError:
        return None


def _rebase() -> None:
    data, aset = state.load_data(), documents.actuals()
    year = st.session_state.get("np_base_year")
    if aset is None or year is None:
        return
    method = st.session_state.get("np_method", "achieved")
    try:
        base = npn.base_actuals(aset.frame(), data, int(year))
        s = npn.rebase(state.scenario(), base)
        g = npn.achieved_segment_growth(base, data)  # carry on at the growth achieved, until the user moves it
        s = s.with_growth(**g, **({k: g["nonrail"] for k in SPLIT_SEGMENTS} if "nonrail" in g else {}))
        d = npn.derive_targets(s, data, method, history=base)
        s = npn.set_targets(s, d.rail_yi, d.total_yi).with_(actuals_ref=aset.short_id)
    except ScenarioError as exc:
        state.flash("error", "scenario_error", exc.problems)
        return
    if _apply(s):
        state.flash("success", "pn.rebased_ok", base_year=s.base_year, plan_first=s.plan_first_year,
                    plan_last=s.plan_last_year, method=t(METHOD_KEYS[method]))


def _unrebase() -> None:
    _apply(npn.plan_calendar_fields(state.scenario(), state.base()))


def _derive() -> None:
    s, data = state.scenario(), state.load_data()
    method = st.session_state.get("np_method", "achieved")
    hist = _history(s, data)
    if method != "old_required" and hist is None:
        state.flash("warning", "pn.derive_needs_actuals")
        return
    d = npn.derive_targets(s, data, method, history=hist)
    if state.change(target_rail_yi=d.rail_yi, target_total_yi=d.total_yi):
        state.flash("success", "pn.derived", method=t(METHOD_KEYS[method]), target_year=s.target_year,
                    total=fmt(d.total_yi), rail=fmt(d.rail_yi), rt=pct(d.total_rate), rr=pct(d.rail_rate))


def _fix_targets() -> None:
    """A scenario aimed at a year the plan names no target for, without targets (a hand-made link): targets by the
    rule chosen, else the growth the old plan required (user-set)."""
    s, data = state.scenario(), state.load_data()
    hist = _history(s, data)
    method = st.session_state.get("np_method", "achieved") if hist is not None else "old_required"
    d = npn.derive_targets(s, data, method, history=hist)
    state.change(target_rail_yi=s.target_rail_yi or d.rail_yi, target_total_yi=s.target_total_yi or d.total_yi)


def _target_year_fields(v) -> dict:
    data = state.load_data()
    new = npn.with_target_year(state.scenario(), int(v))
    if new.target_year != data.role_year("total_target") and (new.target_total_yi is None
                                                               or new.target_rail_yi is None):
        d = npn.derive_targets(new, data, "old_required")  # a year the plan names no target for: user-set ones
        new = npn.set_targets(new, new.target_rail_yi or d.rail_yi, new.target_total_yi or d.total_yi)
    return _diff(new)


def _set_rate(segments: tuple[str, ...], rate: float) -> None:
    g = dict(state.scenario().growth)
    for k in segments:
        g[k] = sig15(rate)
    state.change(growth=FrozenMap(g))


# -- sections ------------------------------------------------------------------------------------------

def base_section(r, data) -> None:
    s = r.scenario
    st.subheader(t("pn.step_base"))
    aset = documents.actuals()
    rebased = npn.is_rebased(s, data)
    hist = _history(s, data)
    if rebased:
        mark = t("pn.mark_actual", measure=hist.total_measure if hist else "—")
    else:
        derived = data.role_row("total_base")["kind"] == "derived" and abs(
            s.baseline_total_yi - data.role("total_base")) < 1e-9
        mark = t("pn.mark_derived" if derived else "pn.mark_plan")
    c = st.columns(3)
    c[0].metric(t("pn.base_total"), f"{fmt(s.baseline_total_yi)} {t('unit_yi')}", help=mark)
    c[1].metric(t("pn.base_rail"), f"{fmt(s.baseline_rail_yi)} {t('unit_yi')}",
                help=t("pn.mark_actual", measure=hist.rail_measure) if hist else mark)
    if hist is not None:
        g_rail, g_total = npn.achieved_growth(hist, data)
        c[2].metric(t("pn.achieved"), pct(g_total), help=t("pn.achieved_value", total=pct(g_total), rail=pct(g_rail)))
    st.caption(f"{mark} · {t('pn.rebased_caption')}" if rebased else mark)
    if rebased and aset is None:
        st.warning(t("pn.actuals_ref_missing"))
    left, right = st.columns(2, gap="large")
    with left:
        st.file_uploader(t("pn.actuals_upload"), type=["csv", "xlsx"], key="np_actuals_file",
                         on_change=documents.load_actuals_upload, args=("np_actuals_file",))
    with right:
        if aset is None:
            st.caption(t("pn.actuals_none"))
            if rebased:
                st.button(t("pn.unrebase"), on_click=_unrebase, key="np_unrebase")
            return
        st.caption(t("pn.actuals_held", n=len(aset), id=md_code(aset.short_id)))
        years = npn.rebase_years(aset.frame(), data)
        if not years:
            st.info(t("pn.no_rebase_year"))
        else:
            if st.session_state.get("np_base_year") not in years:
                st.session_state["np_base_year"] = s.base_year if s.base_year in years else years[0]
            st.selectbox(t("pn.rebase_year"), years, key="np_base_year")
        st.button(t("pn.rebase"), on_click=_rebase, type="primary", disabled=not years, width="stretch",
                  key="np_rebase", icon=":material/restart_alt:")
        st.button(t("pn.unrebase"), on_click=_unrebase, disabled=not rebased, width="stretch", key="np_unrebase")


def targets_section(r, data) -> None:
    s, p = r.scenario, r.projection
    st.subheader(t("pn.step_targets" if p.targets.user_set else "pn.step_targets_plan"))
    c = st.columns([1, 2, 2])
    options = list(range(s.base_year + 1, s.base_year + MAX_PLAN_YEARS + 1))
    with c[0]:
        state.bound(st.selectbox, t("pn.target_year"), "np_target_year", s.target_year, _target_year_fields,
                    options=options, help=controls.help_text(field_of("target_year")))
    f = field_of("target_total_yi")
    with c[1]:
        state.bound(st.number_input, t("pn.target_total"), "np_target_total", float(p.targets.total_yi),
                    lambda v: {"target_total_yi": sig15(float(v))}, min_value=1.0, max_value=float(f.hi),
                    step=10.0, format="%.1f", help=controls.help_text(f))
    with c[2]:
        state.bound(st.number_input, t("pn.target_rail"), "np_target_rail", float(p.targets.rail_yi),
                    lambda v: {"target_rail_yi": sig15(float(v))}, min_value=1.0, max_value=float(f.hi),
                    step=10.0, format="%.1f", help=controls.help_text(field_of("target_rail_yi")))
    if p.targets.user_set:
        st.caption(f":material/edit_note: {t('pn.user_set_note')}")
    else:
        st.caption(t("pn.plan_target_note"))
    if p.targets.total_yi < p.targets.rail_yi:
        st.warning(t("pn.total_below_rail"))
    m = st.columns([3, 1], vertical_alignment="bottom")
    st.session_state.setdefault("np_method", "achieved")
    m[0].radio(t("pn.method"), list(METHOD_KEYS), key="np_method", horizontal=True,
               format_func=fixed(lambda k: t(METHOD_KEYS[k]), list(METHOD_KEYS)))
    m[1].button(t("pn.derive"), on_click=_derive, width="stretch", key="np_derive", icon=":material/calculate:")


def solve_section(r, data, fan) -> npn.BackSolve:
    s, p = r.scenario, r.projection
    st.subheader(t("pn.step_solve"))
    bs = npn.back_solve(r, data, fan)
    c = st.columns(3)
    c[0].metric(t("pn.req_total"), pct(bs.required_total), help=t("pn.assumed", v=pct(bs.assumed_total)))
    c[1].metric(t("req_rail"), pct(bs.required_rail), help=t("pn.assumed", v=pct(bs.assumed_rail)))
    c[2].metric(t("req_nonrail"), pct(bs.required_nonrail) if bs.required_nonrail is not None else "—",
                help=t("req_nonrail_help", rail=fmt(p.output_rail)))
    c = st.columns(3)
    for col, key, prob in ((c[0], "prob_total", fan.prob_total), (c[1], "prob_rail", fan.prob_rail)):
        err = max(sampling_error_pp(prob, fan.n_paths), 0.5)
        col.metric(t(key), t("pn.prob", p=fmt(prob * 100, 0)),
                   help=f"{t('prob_help', n=f'{fan.n_paths:,}')} {t('pn.prob_err', e=fmt(err, 1))}")
    c[2].metric(t("pn.increase"), f"{fmt(bs.increase_yi)} {t('unit_yi')}")
    c = st.columns(3)
    mu = t("unit_mu")
    c[0].metric(t("pn.per_mu"), f"{fmt(bs.per_mu, 0)} {t('unit_wan_per_mu')}",
                help=t("pn.per_mu_help", per_mu=f"{data.role('per_mu_base'):g}", g=pct(s.per_mu_growth)))
    c[1].metric(t("pn.land_needed"), f"{fmt(bs.land_needed_mu, 0)} {mu}", help=t("pn.land_help"),
                delta=f"{signed(bs.land_needed_mu - bs.land_available_mu, 0)} {mu}", delta_color="inverse")
    c[2].metric(t("pn.land_available"), f"{fmt(bs.land_available_mu, 0)} {mu}")
    st.markdown(f"**{t('pn.growth_title')}**")
    cols = st.columns(3, gap="large")
    for col, segment in zip(cols, ("rail_transit", "nonrail")):
        with col:
            if segment not in s.segments:  # non-rail split into industries: their rates live on the output page
                st.caption(t("pn.split_note"))
                continue
            controls.slider("growth", map_key=segment, label_kw={"seg": seg(segment)}, widget_key=f"np_g_{segment}")
            req = p.required_cagr_rail if segment == "rail_transit" else p.required_cagr_nonrail
            targets = ("rail_transit",) if segment == "rail_transit" else (
                SPLIT_SEGMENTS if s.split_nonrail else ("nonrail",))
            if req is None:
                st.caption(t("required_na"))
            else:
                st.button(t("set_required", rate=fmt(req * 100, 2)), key=f"np_req_{segment}", on_click=_set_rate, width="stretch",
                          args=(targets, req))
    with cols[2]:
        controls.slider("per_mu_growth", widget_key="np_per_mu")
    st.markdown(f"**{t('pn.chart')}**")
    aset = documents.actuals()
    actual = None
    if aset is not None:
        actual = npn.outcome_series(aset.frame(), data, s.base_year if npn.is_rebased(s, data) else None)
    layout.chart(lambda: figures.trajectory(r, data, lang(), references=False, actuals=actual, height=380),
                 key=("np_trajectory", s, lang(), None if aset is None else aset.short_id))
    return bs


def _list_panel(kind: str, data, s) -> None:
    title, upload, template, annex = LIST_KEYS[kind]
    st.markdown(f"**{t(title)}**")
    pl, status = documents.list_status(kind)
    ref = getattr(s, documents.LIST_REF[kind])
    if status == "held":
        where = t("pn.in_library") if documents.in_library(kind, pl.short_id) else t("pn.not_in_library")
        st.caption(f"{t('pn.list_held', file=md_text(pl.label or kind), n=len(pl), id=md_code(pl.short_id))} · "
                   f"{where}")
    elif status == "missing":
        st.warning(t("pn.list_missing", id=md_code(ref)))
    else:
        st.caption(t(annex) + ((" " + t("pn.annex_old")) if npn.is_rebased(s, data) else ""))
    st.file_uploader(t(upload), type=["csv", "xlsx"], key=f"np_{kind}_file",
                     on_change=documents.load_list_upload, args=(f"np_{kind}_file", kind))
    b = st.container(horizontal=True, gap="small")
    b.download_button(t(template), data=template_text(kind).encode("utf-8-sig"), file_name=f"{kind}.csv",
                      mime="text/csv", on_click="ignore", key=f"np_tpl_{kind}", icon=":material/download:")
    if pl is not None:
        b.download_button(t("pn.download_list"), data=neutralise_csv_text(pl.to_csv_text()).encode("utf-8-sig"),
                          file_name=f"{kind}-{pl.short_id}.csv", mime="text/csv", on_click="ignore",
                          key=f"np_dl_{kind}", icon=":material/download:")
    if ref is not None:
        b.button(t("pn.use_annex"), on_click=documents.clear_list, args=(kind,), key=f"np_annex_{kind}",
                 icon=":material/undo:")


def projects_section(r, data_r, data) -> None:
    s = r.scenario
    st.subheader(t("pn.step_projects"))
    left, right = st.columns(2, gap="large")
    with left:
        _list_panel("projects", data, s)
    with right:
        _list_panel("roads", data, s)
    exp = layout.lazy_expander(t("pn.phasing_settings"), "np_open_settings", icon=":material/tune:")
    if exp is not None:
        with exp:
            c = st.columns(3)
            with c[0]:
                controls.choice("profile", lambda v: t(f"profile_{v}"), widget=st.selectbox, widget_key="np_profile")
                controls.slider("delay_all", integer=True, widget_key="np_delay_all")
            with c[1]:
                controls.slider("overrun", widget_key="np_overrun", format="%.0f%%")
            with c[2]:
                state.bound(st.toggle, t("ceiling_on"), "np_ceiling_on", s.ceiling_yi is not None,
                            lambda on: {"ceiling_yi": max(field_of("ceiling_yi").lo, round(
                                r.projects.by_year().max() * 0.8, 0)) if on else None})
                if s.ceiling_yi is not None:
                    controls.number("ceiling_yi", widget_key="np_ceiling")
    first, last = s.plan_first_year, s.plan_last_year
    by = r.projects.by_year()
    peak = int(by.idxmax()) if len(by) and by.max() > 0 else "—"
    inv = investment_output(data_r, s, r.projects)
    _, roads_total, _ = district_share(data_r, r)
    c = st.columns(5)
    c[0].metric(t("pn.list_period"), f"{fmt(data_r.projects['fyp_investment_yi'].sum(), 2)} {t('unit_yi')}")
    c[1].metric(t("pn.phased_period"), f"{fmt(r.projects.total_in(first, last), 2)} {t('unit_yi')}")
    c[2].metric(t("peak_year"), str(peak))
    c[3].metric(t("invest_output_target"), f"{fmt(float(inv.get(s.target_year, 0.0)))} {t('unit_yi')}")
    c[4].metric(t("pn.roads_period"), f"{fmt(roads_total, 2)} {t('unit_yi')}")
    if r.projects.placed_by_default:
        st.caption(t("pn.placed", year=first, ids="、".join(r.projects.placed_by_default) if lang() == "zh" else
                     ", ".join(r.projects.placed_by_default)))
    st.markdown(f"**{t('pn.phasing_chart')}**")
    layout.chart(lambda: figures.invest_by(r, data_r, lang(), "area", height=340), key=("np_invest", s, lang()))
    exp = layout.lazy_expander(t("pn.phasing_table"), "np_open_table", icon=":material/table_chart:")
    if exp is not None:
        with exp:
            st.dataframe(_phasing_table(r, data_r), width="stretch", hide_index=True)


def _phasing_table(r, data_r) -> pd.DataFrame:
    s = r.scenario
    ph = r.projects
    years = [y for y in ph.years if s.plan_first_year <= y <= s.plan_last_year]
    idx = [list(ph.years).index(y) for y in years]
    p = data_r.projects.set_index("project_id")
    rows = []
    for i, pid in enumerate(ph.ids):
        row = p.loc[pid]
        rec = {"ID": pid, t("project"): row["name_zh"] if lang() == "zh" else f"{row['name_zh']} · {row['name_en']}",
               t("area"): area(row["area"]), t("start"): int(row["start_year"]), t("end"): int(row["end_year"])}
        for y, j in zip(years, idx):
            rec[str(y)] = round(float(ph.matrix[i, j]), 2)
        rec[t("pn.period_total")] = round(float(ph.matrix[i, idx].sum()), 2)
        rows.append(rec)
    return pd.DataFrame(rows)


def summary_parts(r, data_r, data, bs: npn.BackSolve, fan) -> list[tuple[str, str]]:
    """The conclusion as an office writes it: (heading, paragraph) for the base, the targets, the growth they take,
    the land and the projects; every figure from the scenario, every target labelled user-set."""
    s, p = r.scenario, r.projection
    out = []
    hist = _history(s, data)
    if hist is not None:
        g_rail, g_total = npn.achieved_growth(hist, data)
        measure = hist.total_measure if hist.total_measure == hist.rail_measure else \
            f"{hist.total_measure}/{hist.rail_measure}"
        out.append(("pn.summary.h_base", t("pn.summary.base", rail=fmt(s.baseline_rail_yi),
                                             total=fmt(s.baseline_total_yi), measure=measure,
                                             achieved_total=pct(g_total), achieved_rail=pct(g_rail))))
    else:
        out.append(("pn.summary.h_base", t("pn.summary.base_plan", rail=fmt(s.baseline_rail_yi),
                                             total=fmt(s.baseline_total_yi))))
    out.append(("pn.summary.h_targets", t("pn.summary.targets" if p.targets.user_set else "pn.summary.targets_plan",
                                          total=fmt_stated(p.targets.total_yi), rail=fmt_stated(p.targets.rail_yi))))
    out.append(("pn.summary.h_growth", t("pn.summary.need", req_total=pct(bs.required_total),
                                         req_rail=pct(bs.required_rail), p_total=fmt(fan.prob_total * 100, 0),
                                         p_rail=fmt(fan.prob_rail * 100, 0))))
    gap = bs.land_needed_mu - bs.land_available_mu
    verdict = t("pn.summary.land_short", v=fmt(gap, 0)) if gap > 0 else t("pn.summary.land_ok")
    out.append(("pn.summary.h_land", t("pn.summary.land", increase=fmt(bs.increase_yi), per_mu=fmt(bs.per_mu, 0),
                                       land=fmt(bs.land_needed_mu, 0), available=fmt(bs.land_available_mu, 0))
                + verdict))
    by = r.projects.by_year()
    inv = float(investment_output(data_r, s, r.projects).get(s.target_year, 0.0))
    share = inv / bs.increase_yi * 100 if bs.increase_yi > 0 else float("nan")
    out.append(("pn.summary.h_projects", t(
        "pn.summary.projects", library=t("pn.summary.library_annex" if data_r.source_projects == "plan"
                                         else "pn.summary.library_user"),
        n=len(data_r.projects), phased=fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2),
        peak=int(by.idxmax()) if len(by) and by.max() > 0 else "—", inv=fmt(inv), share=fmt(share, 1))))
    return out


def summary_section(r, data_r, data, bs: npn.BackSolve, fan) -> None:
    st.subheader(t("pn.step_summary"))
    html_parts = [f"<p class=\"story-text\" style=\"font-size:1.15rem;margin-bottom:0.4rem\"><b>{_html(t(h))}</b>"
                  f"{_html(text)}</p>" for h, text in summary_parts(r, data_r, data, bs, fan)]
    st.markdown("".join(html_parts), unsafe_allow_html=True)


def _html(text: str) -> str:
    import html

    return html.escape(text)


def save_section(s) -> None:
    exp = layout.lazy_expander(t("pn.save_title"), "np_open_save", icon=":material/inventory_2:")
    if exp is None:
        return
    with exp:
        rows = []
        for kind, name, key in REF_KEYS:
            ref = getattr(s, name)
            rows.append({t("pn.refs"): t(key), "ID": ref or t("pn.ref_none"),
                         t("pn.in_library"): "—" if ref is None else (t("yes") if documents.in_library(kind, ref)
                                                                      else t("no"))})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        if state.read_only():
            st.caption(t("lib_read_only"))
            return
        c = st.columns([2, 1, 1], vertical_alignment="bottom")
        st.session_state.setdefault("np_lib_name", f"{s.name} {s.plan_first_year}-{s.plan_last_year}")
        c[0].text_input(t("lib_name"), key="np_lib_name", max_chars=200)
        c[1].text_input(t("lib_author"), key="np_lib_author", max_chars=200)
        ss = st.session_state
        c[2].button(t("lib_save"), type="primary", width="stretch", key="np_lib_save",
                    on_click=lambda: documents.save_documents(str(ss.get("np_lib_name", "")),
                                                              str(ss.get("np_lib_author", "")), ""))


def body() -> None:
    st.title(t("nav_nextplan"))
    st.caption(t("pn.intro"))
    s, data = state.scenario(), state.load_data()
    try:
        r = state.results(s)
    except ScenarioError as exc:  # e.g. a link that moves the target year without setting targets
        st.error(t("scenario_error") + "\n\n" + "\n".join(f"- {md_code(x)}" for x in exc.problems[:10]))
        st.button(t("pn.derive"), on_click=_fix_targets, key="np_derive_fix", type="primary")
        st.button(t("pn.unrebase"), on_click=_unrebase, key="np_unrebase_fix")
        return
    data_r = documents.data_for(s)
    fan = state.fan(s)
    base_section(r, data)
    st.divider()
    targets_section(r, data)
    st.divider()
    bs = solve_section(r, data, fan)
    st.divider()
    projects_section(r, data_r, data)
    st.divider()
    summary_section(r, data_r, data, bs, fan)
    save_section(s)
    layout.downloads("np_")


layout.page(body, "nav_nextplan")

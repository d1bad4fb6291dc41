"""总览 Overview: the plan on one screen (home page; the shared sidebar lives in ui/layout.py)."""
from __future__ import annotations

import streamlit as st

from model.report import figures
from model.report.labels import points, rounds_to_zero
from ui import layout, state, views
from ui.i18n import enum, lang, t
from ui.layout import fmt, gap_delta, pct


def headline(col, r, which: str) -> None:
    p, s = r.projection, r.scenario
    data = state.load_data()
    if which == "total":
        base, target, out, gap = s.baseline_total_yi, p.targets.total_yi, p.output_total, p.gap_total
        req, assumed, first = p.required_cagr_total, p.cagr_total, p.first_year_total
        title, base_role, target_role, user = t("m_total"), "total_base", "total_target", p.targets.total_user_set
    else:
        base, target, out, gap = s.baseline_rail_yi, p.targets.rail_yi, p.output_rail, p.gap_rail
        req, assumed, first = p.required_cagr_rail, p.cagr_rail, p.first_year_rail
        title, base_role, target_role, user = t("m_rail"), "rail_base", "rail_target", p.targets.rail_user_set
    ok = gap >= -1e-6
    derived = data.role_row(base_role)["kind"] == "derived" and s.base_year == data.role_year(base_role) and abs(
        base - data.role(base_role)) < 1e-9
    yi = t("unit_yi")
    with col:
        st.subheader(title)
        layout.badge(ok, t("badge_on", what=title) if ok else t("badge_off", what=title, gap=fmt(-gap)))
        c1, c2 = st.columns(2)
        c1.metric(t("baseline_year_derived" if derived else "baseline_year"), f"{fmt(base)} {yi}",
                  help=views.clause_of_role(base_role) if s.base_year == data.role_year(base_role) else None)
        c2.metric(t("target_year_label") + (t("paren", x=t("user_set_mark")) if user else ""),
                  f"{fmt(target, 0)} {yi}", help=None if user else views.clause_of_role(target_role))
        c1, c2 = st.columns(2)
        c1.metric(t("scenario_year"), f"{fmt(out)} {yi}", help=t("gap_help"), border=True)  # the gap: next card
        gap_text = gap_delta(gap, yi)["delta"]
        c2.metric(t("gap_label"), gap_text, help=t("gap_help"), border=True)
        d1, d2 = st.columns(2)
        d1.metric(t("required_growth"), pct(req))
        diff = assumed - req
        d2.metric(t("assumed_growth"), pct(assumed),
                  **({} if rounds_to_zero(diff * 100, 2) else {"delta": points(diff, lang())}))
        st.caption(t("reached_in", year=first) if first else t("not_reached"))
        if not user:
            st.caption(f":material/menu_book: {views.clause_of_role(target_role)}")


def other_targets(data) -> list[dict]:
    """The plan's other numeric targets for the target year (section 2.4), straight from data/."""
    ind = data.indicators
    roles = set(ind["role"])
    rows = []
    for _, row in ind[(ind["kind"] == "target") & (ind["section_id"] == data.role_row("total_target")["section_id"])
                      ].iterrows():
        if row["role"] in roles - {""} or row["value"] != row["value"]:
            continue
        rows.append({
            t("indicator"): row["name_zh"] if lang() == "zh" else row["name_en"],
            t("target"): f"{enum('comparator', row['comparator'])} {row['value']:g} {row['unit']}",
            t("source"): f"{t('clause_short', sec=row['section_id'])}",
        })
    return rows


def body() -> None:
    r = state.results(state.scenario())
    data = state.load_data()
    st.title(t("app_title"))
    st.caption(f"{t('overview_intro')} {t('yi_gloss')}")
    left, right = st.columns(2, gap="large")
    headline(left, r, "total")
    headline(right, r, "rail")
    st.subheader(t("trajectory"))
    layout.chart(figures.trajectory(r, data, lang(), height=420))
    if not r.projection.targets.user_set:
        st.subheader(t("other_targets"))
        # a table that wraps: every column and every word on screen at any width (the quotes are on the sources page)
        st.table(other_targets(data), hide_index=True)
        st.caption(t("other_targets_note"))
    briefing()
    layout.downloads()


def briefing() -> None:
    """The one-click briefing pack and workbook (made on click: they render every chart)."""
    exp = layout.lazy_expander(t("brief"), "open_brief", icon=":material/description:")
    if exp is None:
        return
    from model.report.brief import brief_docx, brief_html

    s, lg = state.scenario(), lang()
    data = state.data_for(s)
    r, fan = state.results(s), state.fan(s)
    with exp:
        st.caption(t("brief_help"))
        c = st.columns(2)  # the workbook is in the downloads below (once on the page)
        c[0].download_button("brief.html", data=lambda: brief_html(data, r, lg, fan).encode("utf-8"),
                             file_name="brief.html", mime="text/html", on_click="ignore", icon=":material/html:",
                             width="stretch", key="dl_brief_html")
        c[1].download_button("brief.docx", data=lambda: brief_docx(data, r, lg, fan), file_name="brief.docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             on_click="ignore", icon=":material/description:", width="stretch", key="dl_brief_docx")


layout.page(body, "nav_overview")

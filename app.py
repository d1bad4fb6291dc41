"""总览 Overview: the plan on one screen (home page; the shared sidebar lives in ui/layout.py)."""
from __future__ import annotations

import streamlit as st

from ui import layout, state, views
from ui.i18n import lang, t
from ui.layout import fmt, pct

COMPARATOR = {"=": "", ">": "> ", ">=": "≥ ", "<=": "≤ ", "~": "≈ "}
OTHER_TARGETS = ("hightech_firms_2025", "firms_rev_10yi_2025", "land_use_index_2025", "new_national_incubators",
                 "new_provincial_incubators")


def headline(col, r, which: str) -> None:
    p = r.projection
    s = r.scenario
    if which == "total":
        base, target, out, gap = s.baseline_total_yi, p.targets.total_yi, p.output_total, p.gap_total
        req, assumed, first = p.required_cagr_total, p.cagr_total, p.first_year_total
        title, base_id, target_id = t("m_total"), "park_output_2020", "park_output_2025"
    else:
        base, target, out, gap = s.baseline_rail_yi, p.targets.rail_yi, p.output_rail, p.gap_rail
        req, assumed, first = p.required_cagr_rail, p.cagr_rail, p.first_year_rail
        title, base_id, target_id = t("m_rail"), "rail_output_2020", "rail_output_2025"
    ok = gap >= -1e-6
    with col:
        st.subheader(title)
        layout.badge(ok, t("badge_on", what=title) if ok else t("badge_off", what=title, gap=fmt(-gap)))
        yi = t("unit_yi")
        c1, c2 = st.columns(2)
        c1.metric(t("baseline_2020"), f"{fmt(base)} {yi}", help=views.clause(base_id))
        c2.metric(t("target_2025"), f"{fmt(target, 0)} {yi}", help=views.clause(target_id))
        c1, c2 = st.columns(2)
        c1.metric(t("scenario_2025"), f"{fmt(out)} {yi}", delta=f"{gap:+,.1f} {yi}", help=t("gap_help"),
                  border=True)
        c2.metric(t("gap_2025"), f"{gap:+,.1f} {yi}", help=t("gap_help"), border=True)
        d1, d2 = st.columns(2)
        d1.metric(t("required_growth"), pct(req))
        d2.metric(t("assumed_growth"), pct(assumed), delta=f"{(assumed - req) * 100:+.2f} pp")
        st.caption(t("reached_in", year=first) if first else f"{t('reached_in', year='')}{t('not_reached')}")
        st.caption(f":material/menu_book: {views.clause(target_id)}")


def body() -> None:
    r = state.results(state.scenario())
    st.title(t("app_title"))
    st.caption(t("overview_intro"))
    left, right = st.columns(2, gap="large")
    headline(left, r, "total")
    headline(right, r, "rail")
    st.subheader(t("trajectory"))
    views.trajectory_chart(r, segments=False, height=360)
    st.subheader(t("other_targets"))
    data = state.load_data()
    rows = []
    for iid in OTHER_TARGETS:
        row = data.indicator_row(iid)
        rows.append({
            t("indicator"): row["name_zh"] if lang() == "zh" else f"{row['name_en']} ({row['name_zh']})",
            t("value"): f"{COMPARATOR[row['comparator']]}{row['value']:g}",
            t("unit"): row["unit"],
            t("source"): f"{row['section_id']} · {row['quote']}",
        })
    st.dataframe(rows, hide_index=True, width="stretch")
    briefing()
    layout.downloads()


def briefing() -> None:
    """The one-click briefing pack (made on click: it renders every chart)."""
    exp = layout.lazy_expander(t("brief"), "open_brief", icon=":material/description:")
    if exp is None:
        return
    from model.brief import brief_docx, brief_html

    data, r, lg = state.load_data(), state.results(state.scenario()), lang()
    with exp:
        st.caption(t("brief_help"))
        c = st.columns(2)
        c[0].download_button("brief.html", data=lambda: brief_html(data, r, lg).encode("utf-8"),
                             file_name="brief.html", mime="text/html", on_click="ignore", icon=":material/html:",
                             width="stretch", key="dl_brief_html")
        c[1].download_button("brief.docx", data=lambda: brief_docx(data, r, lg), file_name="brief.docx",
                             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             on_click="ignore", icon=":material/description:", width="stretch", key="dl_brief_docx")


layout.page(body, "nav_overview")

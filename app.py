"""总览 Overview: the plan on one screen (home page; the shared sidebar lives in ui/layout.py)."""
from __future__ import annotations

import math

import streamlit as st

if __name__ == "__main__":  # run by Streamlit as the home page's script (a session's run, or AppTest)
    from model.calc.results import headline
    from model.report.labels import points, rounds_to_zero, stated_value, inline_unit
    from ui import layout, state, views
    from ui.i18n import app_title, enum, lang, seg, t
    from ui.layout import fmt, gap_delta, pct
else:  # imported by `streamlit run app.py` to serve it: the first page's work begins at server start, in a thread
    from ui.warmup import lifespan

    app = st.App(__file__, lifespan=lifespan)


def cards(r) -> tuple[str, ...]:
    """The segments with a card: the total first, then every segment with a target (parts before their whole)."""
    p, s = r.projection, r.scenario
    root = s.root
    rest = [x for x in headline(s, p.targets) if x in p.targets and x != root]
    return (root, *rest)


def badge(r, segment: str) -> None:
    """On or off track by the target's own rule (突破 is strictly above: landing on the target is not meeting it)."""
    p = r.projection
    what = seg(segment)
    if segment not in p.targets:
        st.caption(t("up.no_target", seg=what))
        return
    gap = p.gap[segment]
    if p.met(segment):
        layout.badge(True, t("badge_on", what=what))
    elif gap >= 0 or rounds_to_zero(gap):
        layout.badge(False, t("up.badge_off_strict", what=what, rule=views.comparator_word(r, segment)))
    else:
        layout.badge(False, t("badge_off", what=what, gap=fmt(-gap)))


def card(col, r, segment: str) -> None:
    p, s = r.projection, r.scenario
    data = s.plan_data
    yi = t("unit_yi")
    has_target = segment in p.targets
    user = p.targets.is_user_set(segment)
    with col:
        st.subheader(seg(segment))
        badge(r, segment)
        c1, c2 = st.columns(2)
        c1.metric(base_label(s, segment), f"{fmt(p.bases[segment])} {yi}", help=views.base_help(s, segment))
        if has_target:
            target_text = views.segment_target_text(r, segment)
            row = data.segment_target_row(segment)
            c2.metric(t("target_year_label") + (t("paren", x=t("user_set_mark")) if user else ""), target_text,
                      help=None if user or row is None else views.clause_of_row(row))
        c1, c2 = st.columns(2)
        c1.metric(t("scenario_year"), f"{fmt(p.output[segment])} {yi}", help=t("gap_help") if has_target else None,
                  border=True)
        if has_target:
            c2.metric(t("gap_label"), gap_delta(p.gap[segment], yi)["delta"], help=t("gap_help"), border=True)
        d1, d2 = st.columns(2)
        assumed = p.cagr.get(segment)
        req = p.required.get(segment)
        if req is not None:
            d1.metric(t("required_growth"), pct(req))
        diff = None if req is None or assumed is None or not math.isfinite(assumed) else assumed - req
        (d2 if req is not None else d1).metric(
            t("assumed_growth"), pct(assumed),
            **({} if diff is None or rounds_to_zero(diff * 100, 2) else {"delta": points(diff, lang())}))
        if has_target:
            first = first_year(p, segment)
            st.caption(t("reached_in", year=first) if first else t("not_reached"))


def first_year(p, segment: str) -> int | None:
    """The first projected year that meets the segment's target by the target's own rule (突破: above it): the
    model's, as summary.csv writes it."""
    return p.first_year.get(segment)


def base_label(s, segment: str) -> str:
    return views.base_label(s, segment)


def other_targets(r) -> list[dict]:
    """The plan's other numeric targets for its target year, straight from the package (ranges, ranks,
    increments and cumulative figures as the plan states them)."""
    s = r.scenario
    data = s.plan_data
    ind = data.indicators
    segment_rows = {x.target_id for x in data.segments if x.target_id} | {x.base_id for x in data.segments if x.base_id}
    rows = []
    for row in ind.to_dict(orient="records"):
        if row["kind"] != "target" or row["indicator_id"] in segment_rows or row.get("role"):
            continue
        if row["value"] != row["value"] or int(row["year"]) != data.calendar.target_year:
            continue
        rows.append({
            t("indicator"): row["name_zh"] if lang() == "zh" else (row["name_en"] or row["name_zh"]),
            t("target"): target_text(row),
            t("source"): t("clause_short", sec=row["section_id"]) if row.get("section_id") else "—",
        })
    return rows


def target_text(row: dict) -> str:
    """A target as the plan states it: its word, its value or range and its unit (达到150家, 90%以上, 1—2所, 约25名;
    Reach 150, At least 90%, 1–2, About 25)."""
    lg = lang()
    value = stated_value(row["value"], "", lg)
    top = row.get("value_max")
    if top is not None and top == top:
        value = f"{value}{'—' if lg == 'zh' else '–'}{stated_value(top, '', lg)}"
    unit = inline_unit(row.get("unit") or "", lg)
    basis = row.get("basis") or ""
    figure = f"{value}{'' if lg == 'zh' or not unit or unit.startswith('%') else ' '}{unit}"
    if top is not None and top == top:  # a range says its own bounds (1—2所): no comparator word, as the report
        text = figure
    elif row.get("comparator") == ">=":  # 90%以上 / At least 90%: as the report writes it, the word after the figure
        text = t("eval.cmp.ge", v=figure)
        text = text[:1].upper() + text[1:]
    else:
        word = enum("comparator", row["comparator"]) if row.get("comparator") else ""
        text = f"{word}{'' if lg == 'zh' else ' '}{figure}".strip()
    if basis and basis != "level":
        text += t("paren", x=enum("basis", basis))
    return text


def early_warning_list() -> None:
    """When the session holds actuals: the targets and tasks at 预警 (warning) in the latest year monitored, with the
    growth now needed, one line each (the monitoring page has the rest)."""
    from ui import documents

    aset = documents.actuals()
    if aset is None or not len(aset):
        return
    from ui import monitoring, warnings  # only with actuals: a first start without them does not import them

    mon, _ = monitoring.monitoring(aset, None)
    warnings.early_warnings(mon, limit=6)


def body() -> None:
    r = state.results(state.scenario())
    s = r.scenario
    st.title(app_title())
    st.caption(f"{t('overview_intro')} {t('yi_gloss')}")
    segs = cards(r)
    per_row = 2  # two cards a row (one alone keeps a half): a card's numbers never wrap at a projector's width
    for i in range(0, len(segs), per_row):
        cols = st.columns(per_row, gap="large")
        for col, segment in zip(cols, segs[i:i + per_row]):
            card(col, r, segment)
    early_warning_list()
    st.subheader(t("trajectory"))
    views.trajectory_chart(r, height=420)
    if not r.projection.targets.any_user_set and s.target_year == s.plan_data.calendar.target_year:
        rows = other_targets(r)
        if rows:
            st.subheader(t("other_targets"))
            # a table that wraps: every column and every word on screen at any width (the quotes are on the sources page)
            st.table(rows, hide_index=True)
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


if __name__ == "__main__":
    layout.page(body, "nav_overview")

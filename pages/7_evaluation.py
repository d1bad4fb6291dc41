"""规划实施评估 Plan evaluation (终期评估): the plan's targets against the district's actuals, the output paths against
the plan path and the current scenario, and the execution of the Annex 1 projects and Annex 2 roads.

Files come in through ui.documents (strict ``file:row:column`` validation; a bad file changes nothing); the evaluation
is model.calc.evaluation, cached per (files, thresholds, scenario); the downloads are
model.report.evaluation_report's, in the page's language.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.calc.evaluation import (FLAG_ABOUT, FLAG_BASE_UNIT, FLAG_DERIVED, FLAG_LATEST, FLAG_MEASURE, MET,
                                   MISMATCH, NEARLY, NO_DATA, NOT_MET, QUAL_PENDING, STATUSES, EvalSettings,
                                   Evaluation, district_funding)
from model.io.actuals import ACTUALS, NOT_AN_ACTUAL, PROJECTS, QUALITATIVE, ROADS, canonical_measure
from model.io.actuals import STATUSES as PROJECT_STATUSES
from model.report import charts
from model.report.evaluation_report import (COMPARATOR_SHOWN, COUNT_UNITS, CSV_FILES, PROJECT_STATUS_KEY, QUAL_KEY,
                                            REPORT_FILES, SEGMENT_KEY, STATUS_KEY, TEMPLATE_FILES, comparable,
                                            segment_sentence, unit_text, value)
from model.report.evaluation_report import measure_text as measure_name
from model.report.labels import rounded, years
from model.scenario import field_of
from ui import documents, layout, state
from ui.i18n import enum, fixed, funding, lang, t
from ui.layout import fmt, md_code, md_text, signed

# A status is read from its icon and its word; colour only repeats it (metric cards, table, bullet chart).
STATUS_ICON = {MET: "✔", NEARLY: "◐", NOT_MET: "✖", MISMATCH: "≠", QUAL_PENDING: "✎", NO_DATA: "—"}
METRIC_ICON = {MET: ":material/check_circle:", NEARLY: ":material/timelapse:", NOT_MET: ":material/cancel:",
               MISMATCH: ":material/rule:", QUAL_PENDING: ":material/edit_note:", NO_DATA: ":material/help:"}
STATUS_COLOR = {MET: "#009E73", NEARLY: "#E69F00", NOT_MET: "#D55E00", MISMATCH: "#CC79A7"}
HELP_KEY = {MET: "pe.help.met", NEARLY: "pe.help.nearly", NOT_MET: "pe.help.not_met", MISMATCH: "pe.help.mismatch",
            QUAL_PENDING: "pe.help.qual", NO_DATA: "pe.help.no_data"}
# project / road statuses in model.io.actuals.STATUSES order: 未开工, 在建, 竣工, 调出, 新增
PROJECT_ICON = dict(zip(PROJECT_STATUSES, ("○", "◑", "✔", "✖", "+")))
SETTINGS = "pe_settings"  # the thresholds (ratios), kept for the session: sliders are re-seeded from it
UPLOADS = (("pe_up_actuals", "pe.up_actuals", ACTUALS, documents.load_actuals_upload),
           ("pe_up_projects", "pe.up_projects", PROJECTS, documents.load_project_actuals_upload),
           ("pe_up_roads", "pe.up_roads", ROADS, documents.load_road_actuals_upload))
TEMPLATE_KEYS = dict(zip(TEMPLATE_FILES, ("pe.tpl.actuals", "pe.tpl.projects", "pe.tpl.roads", "pe.kind.workbook")))
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "html": "text/html"}
TOP_OWNERS = 10  # owners drawn one by one; the rest as 其他 / others
CARD_WIDTH = 210  # px: the longest status word, its icon and the help mark on one line
TABLE_ROW, TABLE_HEAD = 35, 40
SCREEN_TARGET_COLUMNS = ["name", "status", "completion", "target", "actual", "measure", "progress"]  # px: a table shows about a dozen rows and scrolls the rest
# px: roads-table columns wide enough for their headers (and funding sources) in both languages at 1280×720
LENGTH_PCT_WIDTH, LENGTH_WIDTH, FUNDING_WIDTH = 170, 150, 190


def cap(text: str) -> str:
    """English status words start lower-case in running text; as a label they start upper-case."""
    return text[:1].upper() + text[1:]


def status_word(s: str) -> str:
    return t(STATUS_KEY[s]) if s in STATUS_KEY else s


def status_text(s: str) -> str:
    return f"{STATUS_ICON.get(s, '')} {cap(status_word(s))}"


def pct_text(v, digits: int = 1) -> str:
    return "—" if v is None or not math.isfinite(float(v)) else f"{fmt(v, digits)}%"


def name_of(rec: dict) -> str:
    return rec["name_zh"] if lang() == "zh" else (rec.get("name_en") or rec["name_zh"])


# -- thresholds ------------------------------------------------------------------------------------------------------

def settings() -> EvalSettings:
    d = EvalSettings()
    got = st.session_state.get(SETTINGS, {})
    try:
        return EvalSettings(got.get("nearly", d.nearly_met), got.get("about", d.about_tolerance))
    except ValueError:
        return d


def _set_threshold(field: str, key: str) -> None:
    cur = dict(st.session_state.get(SETTINGS, {}))
    cur[field] = round(float(st.session_state[key]), 6) / 100
    st.session_state[SETTINGS] = cur


def rules_panel(s: EvalSettings) -> None:
    d = EvalSettings()
    exp = layout.lazy_expander(t("pe.rules"), "pe_open_rules", icon=":material/tune:", expanded=s != d)
    if exp is None:
        return
    with exp:
        c = st.columns(2, gap="large")
        state.seed("pe_nearly", int(round(s.nearly_met * 100)))
        c[0].slider(t("pe.nearly"), min_value=50, max_value=100, step=1, format="%d%%", key="pe_nearly",
                    help=t("pe.nearly_help", default=fmt(d.nearly_met * 100, 0)), on_change=_set_threshold,
                    args=("nearly", "pe_nearly"))
        state.seed("pe_about", round(s.about_tolerance * 100, 1))
        c[1].slider(t("pe.about"), min_value=0.0, max_value=20.0, step=0.5, format="%.1f%%", key="pe_about",
                    help=t("pe.about_help", default=fmt(d.about_tolerance * 100, 0)), on_change=_set_threshold,
                    args=("about", "pe_about"))


# -- files: templates, uploads, library ------------------------------------------------------------------------------

def templates() -> None:
    st.markdown(f"**{t('pe.templates')}**")
    cols = st.columns(len(TEMPLATE_FILES))
    for col, name in zip(cols, TEMPLATE_FILES):
        col.download_button(t(TEMPLATE_KEYS[name]), data=documents.template_file(name), file_name=name,
                            mime=MIME[name.rsplit(".", 1)[1]], on_click="ignore", key=f"pe_tpl_{name}",
                            help=t("pe.tpl_help", file=name), icon=":material/download:", width="stretch",
                            wrap=True)


def uploaders() -> None:
    cols = st.columns(len(UPLOADS))
    for col, (key, label, spec, load) in zip(cols, UPLOADS):
        col.file_uploader(t(label), type=["csv", "xlsx"], key=key,
                          help=t("pe.up_help", columns=",".join(spec.columns)),
                          on_change=load, args=(key,), kwargs={"bad_key": "pe.upload_bad"})


def _save_actuals() -> None:
    ss = st.session_state
    documents.save_actuals(str(ss.get("pe_lib_name", "")), str(ss.get("pe_lib_author", "")), "")


def library_panel(loaded: bool) -> None:
    """Open an actuals set saved in the library; save the loaded one (not in a read-only deployment)."""
    records, err = documents.actuals_records()
    if err:
        st.warning(t("lib_unavailable", err=err))
        return
    st.markdown(f"**{t('pe.lib_title')}**")
    if records:
        by_id = {r.short_id: r for r in records}
        ids = list(by_id)
        c = st.columns([3, 1], vertical_alignment="bottom")
        pick = c[0].selectbox(t("pe.lib_pick"), ids, key="pe_lib_pick", format_func=fixed(
            lambda i: t("pe.lib_row", name=by_id[i].name, v=by_id[i].version, id=i, author=by_id[i].author or "—",
                        time=by_id[i].created_at[:16].replace("T", " ")), ids))
        if pick in by_id:
            c[1].button(t("pe.lib_open"), on_click=documents.open_actuals, args=(pick, by_id[pick].name),
                        width="stretch", icon=":material/folder_open:")
    else:
        st.caption(t("pe.lib_empty"))
    if not loaded:
        return
    if state.read_only():
        st.caption(t("lib_read_only"))
        return
    if not documents.can_save():
        st.caption(t("lib_viewer"))
        return
    st.session_state.setdefault("pe_lib_name", documents.label_of(documents.ACTUALS) or "")
    c = st.columns([2, 2, 2], vertical_alignment="bottom")
    c[0].text_input(t("lib_name"), key="pe_lib_name", max_chars=200)
    c[1].text_input(t("lib_author"), key="pe_lib_author", max_chars=200)
    c[2].button(t("pe.lib_save"), on_click=_save_actuals, type="primary", width="stretch", icon=":material/save:")
    st.caption(t("pe.lib_save_help", param=md_code(field_of("actuals_ref").url)))


def files_panel() -> None:
    """With a set loaded: replace or add files, the templates, the library (open another set, save this one)."""
    uploaders()
    templates()
    library_panel(loaded=True)


def empty_state() -> None:
    """What to upload, the uploaders on the first screen, then the templates and the library."""
    st.subheader(t("pe.empty_title"), anchor=False)
    st.markdown(t("pe.empty_intro", columns=md_code(",".join(ACTUALS.columns))))
    uploaders()
    st.markdown(t("pe.empty_optional", projects=md_code(",".join(PROJECTS.columns)),
                  roads=md_code(",".join(ROADS.columns))))
    st.caption(t("pe.empty_templates"))
    templates()
    library_panel(loaded=False)


def loaded_caption(aset) -> None:
    name = documents.label_of(documents.ACTUALS) or t("pe.from_link", id=aset.short_id)
    parts = [t("pe.loaded.one" if len(aset) == 1 else "pe.loaded", name=md_text(name), id=md_code(aset.short_id),
               n=len(aset))]
    for kind, what, doc in ((documents.EXEC_PROJECTS, "pe.kind.projects", documents.project_actuals()),
                            (documents.EXEC_ROADS, "pe.kind.roads", documents.road_actuals())):
        parts.append(t("pe.loaded_exec.one" if len(doc) == 1 else "pe.loaded_exec", what=t(what),
                       name=md_text(documents.label_of(kind) or ""), n=len(doc))
                     if doc is not None else t("pe.not_loaded", what=t(what)))
    st.caption(":material/folder_open: " + " · ".join(parts))


# -- targets ---------------------------------------------------------------------------------------------------------

def status_cards(ev: Evaluation) -> None:
    counts = ev.counts()
    nearly = fmt(ev.settings.nearly_met * 100, 0)
    # two rows of three at every width: the grades (met, nearly met, not met), then what is not graded yet
    for group in (STATUSES[:3], STATUSES[3:]):
        for col, s in zip(st.columns(3), group):
            col.metric(cap(status_word(s)), counts[s], icon=METRIC_ICON[s], help=t(HELP_KEY[s], nearly=nearly),
                       border=True)
    numeric = int((ev.indicators["comparator"] != "qual").sum())
    st.caption(t("pe.total", n=len(ev.indicators), numeric=numeric, qual=len(ev.indicators) - numeric))


def chapter_titles() -> dict[str, str]:
    sec = state.load_data().sections
    return dict(zip(sec["section_id"].astype(str), sec[f"title_{lang()}"]))


def chapter_of(section_id) -> str:
    return str(section_id).split(".")[0]


def short_chapter(title: str) -> str:
    """第二章 / Chapter 2 / 附件2 / Annex 2: the first word(s) of a chapter's title."""
    words = title.split(" ")
    return words[0] if lang() == "zh" else " ".join(words[:2])


def measure_text(r: dict, flags: set[str]) -> str:
    measure = r["measure"] or ""
    if FLAG_MEASURE in flags:
        if canonical_measure(measure) in NOT_AN_ACTUAL:
            return t("pe.measure_not_actual", measure=measure_name(measure, lang()))
        return t("pe.measure_differs", measure=measure_name(measure, lang()), target=r["target_measure"] or "—")
    return "" if measure == QUALITATIVE else measure_name(measure, lang()) if measure else ""


def notes_text(r: dict, flags: set[str]) -> str:
    notes = []
    if r["comparator"] == "qual" and r["measure"] == QUALITATIVE and r["note"] in QUAL_KEY:
        notes.append(t(QUAL_KEY[r["note"]]))
    if r["comparator"] != "qual" and not comparable(r):
        notes.append(t("pe.note.not_comparable"))
    if FLAG_LATEST in flags and math.isfinite(r["actual_year"]):
        notes.append(t("pe.note.latest", year=int(r["actual_year"])))
    for flag, key in ((FLAG_ABOUT, "pe.note.above_about"), (FLAG_DERIVED, "pe.note.derived"),
                      (FLAG_BASE_UNIT, "pe.note.base_unit")):
        if flag in flags:
            notes.append(t(key))
    return t("eval.sep").join(notes)


def target_table(ev: Evaluation) -> None:
    titles = chapter_titles()
    ind = ev.indicators
    chapters = list(dict.fromkeys(chapter_of(s) for s in ind["section_id"]))
    c = st.columns(2)
    chosen_status = c[0].multiselect(t("pe.filter_status"), list(STATUSES), key="pe_f_status",
                                     format_func=fixed(status_text, STATUSES), placeholder=t("choose"))
    chosen_chapter = c[1].multiselect(t("pe.filter_chapter"), chapters, key="pe_f_chapter",
                                      format_func=fixed(lambda ch: titles.get(ch, ch), chapters),
                                      placeholder=t("choose"))
    rows = []
    for r in ind.to_dict(orient="records"):
        ch = chapter_of(r["section_id"])
        if (chosen_status and r["status"] not in chosen_status) or (chosen_chapter and ch not in chosen_chapter):
            continue
        flags = set(filter(None, str(r["flags"]).split(";")))
        qual = r["comparator"] == "qual"
        ok = comparable(r)  # a figure on another measure: completion and progress not comparable, shown as —
        rows.append({
            "name": name_of(r), "status": status_text(r["status"]), "completion": r["completion_pct"] if ok else None,
            "target": "—" if qual else target_text(r), "actual": rounded(r["actual"]), "measure": measure_text(r, flags),
            "baseline": rounded(r["baseline"]), "progress": r["progress_pct"] if ok else None, "notes": notes_text(r, flags),
            "chapter": short_chapter(titles.get(ch, ch))})
    st.caption(t("pe.shown", n=len(rows), total=len(ind)))
    cc = st.column_config
    # the screen's columns fit a projector's width (1280 px with the sidebar open: 789 px of table; tested): the
    # baseline, the notes and the chapter are in evaluation.csv and the report
    st.dataframe(pd.DataFrame(rows, columns=SCREEN_TARGET_COLUMNS), hide_index=True, width="stretch",
                 height=TABLE_ROW * min(len(rows), 12) + TABLE_HEAD, placeholder="—", column_config={
                     "name": cc.TextColumn(t("eval.col.indicator"), width=200, pinned=True),
                     "status": cc.TextColumn(t("eval.col.status"), width=150),
                     "completion": cc.NumberColumn(t("eval.col.completion"), format="%.1f%%", width=90),
                     "target": cc.TextColumn(t("eval.col.target"), width=100),
                     "actual": cc.NumberColumn(t("eval.col.actual"), format="localized", width=80),
                     "measure": cc.TextColumn(t("pe.col.measure"), width=90, help=t("pe.col.measure_help")),
                     "progress": cc.NumberColumn(t("eval.col.progress"), format="%.1f%%", width=75)})
    st.caption(t("pe.more_in_files"))


def target_text(r: dict) -> str:
    """≥ 90% / > 1,234 亿元: the comparator, the figure and the unit (a percent sign written on the figure)."""
    printed = r["unit"] or ""
    unit = "" if lang() == "en" and printed in COUNT_UNITS else unit_text(printed, lang())  # 150 firms: "150"
    figure = value(r["target"], printed, stated=True) + (unit if unit == "%" else f" {unit}" if unit else "")
    comp = COMPARATOR_SHOWN.get(r["comparator"], "")
    return f"{comp} {figure}" if comp else figure


def bullet_chart(ev: Evaluation) -> None:
    ind = ev.indicators
    graded = ind[(ind["comparator"] != "qual") & ind["completion_pct"].notna()]
    ok = [comparable(r) for r in graded.to_dict(orient="records")]
    rows, apart = graded[ok], graded[[not x for x in ok]]  # no bar for a figure on another measure
    st.subheader(t("pe.bullet_title"), anchor=False)
    if not len(rows):
        st.info(t("pe.bullet_none"))
        if len(apart):
            st.caption(t("pe.bullet_mismatch", items=t("eval.sep").join(name_of(r) for r in apart.to_dict(
                orient="records"))))
        return
    present = [s for s in (MET, NEARLY, NOT_MET) if s in set(rows["status"])]
    df = pd.DataFrame({
        "label": [name_of(r) for r in rows.to_dict(orient="records")],
        "value": rows["completion_pct"].astype(float).to_numpy(),
        "status": [cap(status_word(s)) for s in rows["status"]],
        "text": [f"{pct_text(v)} · {status_text(s)}" for v, s in zip(rows["completion_pct"], rows["status"])]})
    nearly = ev.settings.nearly_met * 100
    aset = documents.actuals()  # the targets' grades rest on the actuals set and the thresholds only
    layout.chart(lambda: charts.bullet(df, x_title=t("pe.bullet_axis"), label_title=t("eval.col.indicator"),
                                       status_title=t("eval.col.status"),
                                       statuses=[cap(status_word(s)) for s in present],
                                       colors=[STATUS_COLOR[s] for s in present], band=(nearly, 100.0)),
                 key=None if aset is None else ("bullet", aset.short_id, ev.settings, lang()))
    st.caption(t("pe.bullet_note", nearly=fmt(nearly, 0)))
    if len(apart):
        st.caption(t("pe.bullet_mismatch", items=t("eval.sep").join(name_of(r) for r in apart.to_dict(
            orient="records"))))


def targets_tab(ev: Evaluation) -> None:
    rules_panel(ev.settings)
    bullet_chart(ev)
    target_table(ev)


# -- output paths ----------------------------------------------------------------------------------------------------

def output_tab(ev: Evaluation) -> None:
    segs = list(SEGMENT_KEY)
    seg = st.segmented_control(t("pe.segment"), segs, key="pe_seg", default=segs[0], required=True,
                               format_func=fixed(lambda s: t(SEGMENT_KEY[s]), segs)) or segs[0]
    s = ev.series[ev.series["segment"] == seg]
    g = ev.growth[ev.growth["segment"] == seg].iloc[0].to_dict()
    name, unit = t(SEGMENT_KEY[seg]), g["unit"]
    has = math.isfinite(g["latest_year"])
    ly = int(g["latest_year"]) if has else None
    m = st.columns(4)
    m[0].metric(t("pe.latest", year=ly) if has else t("pe.no_actual"),
                f"{value(g['latest_actual'], unit)} {unit_text(unit, lang())}" if has else "—")
    if has:
        diff = g["cagr_pct"] - g["required_cagr_pct"]
        behind = math.isfinite(diff) and diff < 0  # colour and arrow set here, never read from the text's sign
        m[1].metric(t("pe.cagr", base=g["base_year"], year=ly), pct_text(g["cagr_pct"], 2),
                    delta=t("pe.cagr_delta", required=pct_text(g["required_cagr_pct"], 2), diff=signed(diff, 2))
                    if math.isfinite(diff) else None, delta_color="red" if behind else "green",
                    delta_arrow="down" if behind else "up")
        last = s[s["year"] == ly].iloc[0]
        m[2].metric(t("pe.gap_plan"), f"{signed(last['gap_to_plan'])} {unit}", help=t("pe.gap_help"))
        m[3].metric(t("pe.gap_scenario"), f"{signed(last['gap_to_scenario'])} {unit}"
                    if math.isfinite(last["gap_to_scenario"]) else "—", help=t("pe.gap_help"))
    st.subheader(t("pe.output_title"), anchor=False)
    frames = []
    scen = s[s["scenario"].notna()]
    if len(scen):
        frames.append(charts.long_frame(scen["year"].to_numpy(), {t("pe.series.scenario", name=name):
                                                                  scen["scenario"].to_numpy()}))
    have = s[s["actual"].notna()]
    estimate = have["measure"].map(canonical_measure).isin(NOT_AN_ACTUAL)
    for key, part in (("eval.series.actual", have[~estimate]), ("eval.series.estimate", have[estimate])):
        if len(part):
            frames.append(charts.long_frame(part["year"].to_numpy(), {t(key, name=name): part["actual"].to_numpy()},
                                            ref=2))
    frames.append(charts.long_frame(s["year"].to_numpy(), {t("eval.series.plan", name=name): s["plan_path"].to_numpy()},
                                    ref=0 if not len(scen) else 1))
    targets = pd.DataFrame({"year": [int(g["target_year"])], "value": [float(g["target"])],
                            "label": [f"{t('eval.series.target')} {fmt(g['target'], 0)}"]})
    layout.chart(charts.trajectory(pd.concat(frames, ignore_index=True), targets, x_title=t("year"),
                                   y_title=t("eval.axis.output", unit=unit), series_title=t("series"),
                                   projected_label=t("eval.band"), height=400))
    if has:  # the report's sentence: a figure on another measure than the target's has no completion
        st.markdown(md_text(segment_sentence(ev, g, lang())))
    exp = layout.lazy_expander(t("pe.yearly"), "pe_open_yearly", icon=":material/table_rows:")
    if exp is not None:
        with exp:
            cc = st.column_config
            st.dataframe(s[["year", "actual", "plan_path", "scenario", "gap_to_plan", "growth_pct"]], hide_index=True,
                         width="stretch", placeholder="—", column_config={
                             "year": cc.NumberColumn(t("year"), format="%d"),
                             "actual": cc.NumberColumn(t("eval.col.with_unit", label=t("eval.col.actual"), unit=unit),
                                                       format="%.1f"),
                             "plan_path": cc.NumberColumn(t("eval.col.with_unit", label=t("pe.col.plan_path"),
                                                            unit=unit), format="%.1f"),
                             "scenario": cc.NumberColumn(t("eval.col.with_unit", label=t("pe.col.scenario"),
                                                           unit=unit), format="%.1f"),
                             "gap_to_plan": cc.NumberColumn(t("eval.col.with_unit", label=t("pe.gap_plan"),
                                                              unit=unit), format="%+.1f"),
                             "growth_pct": cc.NumberColumn(t("pe.col.growth"), format="%.2f")})


# -- projects and roads ----------------------------------------------------------------------------------------------

def _summary(ev: Evaluation) -> dict[tuple[str, str], float]:
    return {(m, g): v for m, g, v, _ in ev.summary.itertuples(index=False)}


def pva_frame(groups: pd.DataFrame, label, digits: int = 2) -> pd.DataFrame:
    rows = groups.to_dict(orient="records")
    return pd.DataFrame({
        "label": [label(r["group"]) for r in rows], "planned": [r["planned"] for r in rows],
        "actual": [r["invested"] for r in rows],
        "text": [t("pe.pva_text", done=fmt(r["invested"], digits), planned=fmt(r["planned"], digits),
                   pct=pct_text(r["completion_pct"])) for r in rows]})


def _status_cell(status: str, year) -> str:
    if not status:
        return f"— {t('pe.no_report')}"
    word = f"{PROJECT_ICON.get(status, '')} {cap(t(PROJECT_STATUS_KEY[status]))}"
    return t("pe.status_year", status=word, year=int(year)) if year == year else word


def projects_tab(ev: Evaluation) -> None:
    if not ev.has_projects:
        st.info(t("pe.no_projects"))
        return
    p, sm = ev.projects, _summary(ev)
    yi = t("unit_yi")
    m = st.columns(3) + st.columns(3)  # money, then the projects to follow up
    m[0].metric(t("pe.p.planned"), f"{fmt(sm[('project_planned_yi', 'all')], 2)} {yi}")
    m[1].metric(t("pe.p.invested"), f"{fmt(sm[('project_invested_yi', 'all')], 2)} {yi}")
    m[2].metric(t("pe.p.completion"), pct_text(sm[("project_completion_pct", "all")]))
    m[3].metric(t("pe.p.delayed"), int(p["delayed"].sum()), icon=":material/schedule:")
    m[4].metric(t("pe.p.unstarted"), int(p["unstarted"].sum()), icon=":material/hourglass_empty:")
    m[5].metric(t("pe.p.new"), int(p["new"].sum()), icon=":material/add_circle:")
    dims = ["area", "category", "owner"]
    by = st.segmented_control(t("pe.by"), dims, key="pe_p_by", default="area", required=True,
                              format_func=fixed(lambda v: t(f"by_{v}"), dims)) or "area"
    pg = ev.project_groups
    groups = pg[pg["dimension"] == by]
    if by == "owner":  # the largest owners by planned money, the rest together
        groups = groups.sort_values("planned", ascending=False)
        top, rest = groups.iloc[:TOP_OWNERS], groups.iloc[TOP_OWNERS:]
        if len(rest):
            planned, invested = rest["planned"].sum(min_count=1), rest["invested"].sum(min_count=1)
            top = pd.concat([top, pd.DataFrame([{"dimension": "owner", "group": t("others"), "planned": planned,
                                                 "invested": invested,
                                                 "completion_pct": invested / planned * 100 if planned else math.nan,
                                                 "unit": yi}])], ignore_index=True)
        groups = top
    label = {"area": lambda v: enum("area", v), "category": lambda v: enum("category", v),
             "owner": lambda v: v}[by]
    total = pg[pg["dimension"] == "all"]
    df = pd.concat([pva_frame(total, lambda _: t("eval.all")), pva_frame(groups, label)], ignore_index=True)
    st.subheader(t("pe.plan_vs_actual", by=t(f"by_{by}")), anchor=False)
    layout.chart(charts.plan_vs_actual(df, x_title=t("pe.axis_yi"), planned_label=t("pe.planned"),
                                       actual_label=t("pe.done")))
    st.subheader(t("pe.schedule"), anchor=False)
    rows = []
    for r in p.to_dict(orient="records"):
        alerts = [t(k) for flag, k in (("delayed", "pe.alert.delayed"), ("unstarted", "pe.alert.unstarted"),
                                       ("new", "pe.alert.new")) if r[flag]]
        rows.append({"project": f"{r['project_id']} {name_of(r)}", "area": enum("area", r["area"]) if r["area"] else "",
                     "period": years(r["start_year"], r["end_year"], lang()), "planned": r["planned_yi"],
                     "invested": r["invested_yi"], "completion": r["completion_pct"],
                     "status": _status_cell(r["status"], r["status_year"]), "alert": t("eval.sep").join(alerts)})
    cc = st.column_config
    order = ["project", "status", "alert", "completion", "invested"]  # planned, period, area: in the files
    st.dataframe(pd.DataFrame(rows, columns=order), hide_index=True, width="stretch",
                 height=TABLE_ROW * 12 + TABLE_HEAD, placeholder="—", column_config={
                     "project": cc.TextColumn(t("eval.col.project"), width=240, pinned=True),
                     "status": cc.TextColumn(t("eval.col.latest_status"), width=190),
                     "alert": cc.TextColumn(t("pe.col.alert"), width=130),
                     "completion": cc.NumberColumn(t("eval.col.completion"), format="%.1f%%", width=90),
                     "invested": cc.NumberColumn(t("eval.col.with_unit", label=t("eval.col.invested"), unit=yi),
                                                 format="%.2f", width=130)})
    st.caption(t("pe.more_in_files"))
    exp = layout.lazy_expander(t("pe.gantt"), "pe_open_gantt", icon=":material/view_timeline:")
    if exp is not None:
        with exp:
            status = [_status_cell(s, math.nan) for s in p["status"]]
            gantt = pd.DataFrame({"label": [f"{r['project_id']} {name_of(r)}" for r in p.to_dict(orient="records")],
                                  "start": p["start_year"].astype(int), "end": p["end_year"].astype(int),
                                  "area": status})
            cal = ev.calendar
            layout.chart(charts.gantt(gantt, area_title=t("eval.col.latest_status"), x_title=t("year"),
                                      project_title=t("eval.col.project"), start_title=t("start"), end_title=t("end"),
                                      period=(cal.plan_first_year, cal.plan_last_year)))


def roads_tab(ev: Evaluation) -> None:
    if not ev.has_roads:
        st.info(t("pe.no_roads"))
        return
    sm, rd = _summary(ev), ev.roads
    data = state.load_data()
    district = district_funding(data)
    m = st.columns(3)
    m[0].metric(t("pe.r.length"), fmt(sm[("road_length_built_m", "all")], 0),
                delta=t("pe.r.of_plan", planned=fmt(sm[("road_length_plan_m", "all")], 0),
                        pct=pct_text(sm[("road_length_pct", "all")])), delta_color="off", delta_arrow="off")
    m[1].metric(t("pe.r.invested"), fmt(sm[("road_invested_wan", "all")], 0),
                delta=t("pe.r.of_plan", planned=fmt(sm[("road_planned_wan", "all")], 0),
                        pct=pct_text(sm[("road_completion_pct", "all")])), delta_color="off", delta_arrow="off")
    if ("district_finance_paid_wan", district) in sm:
        m[2].metric(t("pe.r.district", source=funding(district)), fmt(sm[("district_finance_paid_wan", district)], 0),
                    delta=t("pe.r.of_plan", planned=fmt(sm[("district_finance_planned_wan", district)], 0),
                            pct=pct_text(sm[("district_finance_pct", district)])), delta_color="off",
                    delta_arrow="off")
    rg = ev.road_groups
    df = pd.concat([pva_frame(rg[rg["dimension"] == "all"], lambda _: t("eval.all"), 0),
                    pva_frame(rg[rg["dimension"] == "funding_source"], funding, 0)], ignore_index=True)
    st.subheader(t("pe.r.by_funding"), anchor=False)
    layout.chart(charts.plan_vs_actual(df, x_title=t("pe.axis_wan"), planned_label=t("pe.planned"),
                                       actual_label=t("pe.done")))
    st.subheader(t("pe.r.detail"), anchor=False)
    rows = [{"road": f"{r['road_id']} {name_of(r)}", "class": enum("road_class", r["road_class"]),
             "funding": funding(r["funding_source"]), "period": years(r["start_year"], r["end_year"], lang()),
             "length": r["length_m"], "built": r["length_built_m"], "length_pct": r["length_pct"],
             "planned": r["planned_wan"], "invested": r["invested_wan"], "completion": r["completion_pct"],
             "status": _status_cell(r["status"], r["status_year"])} for r in rd.to_dict(orient="records")]
    cc = st.column_config
    unit = ev.road_groups["unit"].iloc[0]
    order = ["road", "status", "length_pct", "completion", "invested"]  # the rest: in the files
    st.dataframe(pd.DataFrame(rows, columns=order), hide_index=True, width="stretch",
                 height=TABLE_ROW * 12 + TABLE_HEAD, placeholder="—", column_config={
                     "road": cc.TextColumn(t("eval.col.road"), width=200, pinned=True),
                     "status": cc.TextColumn(t("eval.col.latest_status"), width=190),
                     "length_pct": cc.NumberColumn(t("pe.col.length_pct"), format="%.1f%%", width=LENGTH_PCT_WIDTH),
                     "completion": cc.NumberColumn(t("eval.col.completion"), format="%.1f%%", width=90),
                     "invested": cc.NumberColumn(t("eval.col.with_unit", label=t("eval.col.invested"), unit=unit),
                                                 format="localized", width=130)})
    st.caption(t("pe.more_in_files"))


# -- downloads and the page ------------------------------------------------------------------------------------------

def downloads(ev: Evaluation) -> None:
    exp = layout.lazy_expander(t("pe.downloads"), "pe_open_downloads", icon=":material/download:")
    if exp is None:
        return
    lg = lang()
    files = list(zip(CSV_FILES, ("pe.dl.evaluation", "pe.dl.projects", "pe.dl.roads", "pe.dl.summary")))
    files += list(zip(REPORT_FILES[lg], ("pe.dl.docx", "pe.dl.html")))
    with exp:
        st.caption(t("pe.dl_help"))
        cols = st.columns(3)
        for i, (name, key) in enumerate(files):
            report = name in REPORT_FILES[lg]
            cols[i % 3].download_button(f"{t(key)} · {name}", data=documents.evaluation_file(ev, lg, name),
                                        file_name=name, mime=MIME[name.rsplit(".", 1)[1]], on_click="ignore",
                                        key=f"pe_dl_{i}", width="stretch", type="primary" if report else "secondary",
                                        icon=":material/description:" if report else ":material/download:")


TABS = (("pe.tab.targets", targets_tab), ("pe.tab.output", output_tab), ("tab_projects", projects_tab),
        ("tab_roads", roads_tab))


def body() -> None:
    st.title(t("nav_evaluation"))
    st.caption(t("pe.intro"))
    aset = documents.actuals()
    layout.show_messages()  # what opening the set the link names had to say (the frame showed earlier ones)
    if aset is None:
        empty_state()
        return
    loaded_caption(aset)
    exp = layout.lazy_expander(t("pe.files"), "pe_open_files", icon=":material/upload_file:")
    if exp is not None:
        with exp:
            files_panel()
    with st.spinner(t("pe.computing")):  # shown only past 0.5 s (a large set on a busy machine)
        ev = documents.evaluation(aset, settings())
    status_cards(ev)
    tabs = st.tabs([t(k) for k, _ in TABS], key="pe_tab", on_change="rerun")  # only the open tab runs
    for tab, (_, draw) in zip(tabs, TABS):
        if tab.open:
            with tab:
                draw(ev)
    downloads(ev)


layout.page(body, "nav_evaluation")

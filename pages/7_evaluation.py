"""规划实施评估 Plan evaluation (终期评估): the plan's targets against the actuals, each output path against the plan
path and the current scenario, the monitoring indicators and long-term targets apart, and the execution of the plan's
project and road lists (where the plan has them).

The plan is the session's (``state.load_data()``): its segments, areas, categories and lists; the page names no plan.
Files come in through ui.documents (strict ``file:row:column`` validation; a bad file changes nothing; a document of
another plan is refused); the evaluation is model.calc.evaluation, cached per (plan, files, thresholds, scenario);
the downloads are model.report.evaluation_report's, in the page's language. A figure on another scope or measure than
its target is shown with its scope and never computed with: no completion, progress, growth, gap or bar.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from model.calc.evaluation import (FLAG_ABOUT, FLAG_BASE_MEASURE, FLAG_BASE_UNIT, FLAG_DERIVED, FLAG_LATEST, MET,
                                   MISMATCH, NEARLY, NO_DATA, NOT_MET, QUAL_PENDING, STATUSES, EvalSettings,
                                   Evaluation, district_funding)
from model.io.actuals import FILE_ORDER, PROJECTS, QUALITATIVE, ROADS
from model.io.actuals import STATUSES as PROJECT_STATUSES
from model.report import charts
from model.report.evaluation_report import (CSV_FILES, PROJECT_STATUS_KEY, QUAL_KEY, REPORT_FILES,
                                            STATUS_KEY, TEMPLATE_FILES, comparable, fig, measure_text, reason_text,
                                            scope_text, seg_label, segment_sentence, target_cell, unit_text, value,
                                            vintage_text, what_text)
from model.report.labels import rolled_area, rounded, years
from model.scenario import field_of
from ui import documents, layout, state
from ui.i18n import fixed, lang, t
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
UPLOADS = {"actuals": ("pe_up_actuals", "pe.up_actuals", FILE_ORDER, documents.load_actuals_upload),
           "projects": ("pe_up_projects", "pe.up_projects", PROJECTS.columns, documents.load_project_actuals_upload),
           "roads": ("pe_up_roads", "pe.up_roads", ROADS.columns, documents.load_road_actuals_upload)}
TEMPLATE_KEYS = dict(zip(TEMPLATE_FILES, ("pe.tpl.actuals", "pe.tpl.projects", "pe.tpl.roads", "pe.kind.workbook")))
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "html": "text/html"}
TOP_OWNERS = 10  # owners drawn one by one; the rest as 其他 / others
TABLE_ROW, TABLE_HEAD = 35, 40  # px: a table shows about a dozen rows and scrolls the rest
# The status table's columns (a wrapped table: every column on screen, names in full): the figure's scope, measure
# and release share one column (口径); baseline, notes and chapter are in the files.
SCREEN_TARGET_COLUMNS = ["name", "status", "completion", "target", "actual", "basis", "progress"]


def data():
    """The session's plan (its segments, areas, categories and lists)."""
    return state.load_data()


def cap(text: str) -> str:
    """English status words start lower-case in running text; as a label they start upper-case."""
    return text[:1].upper() + text[1:]


def status_word(s: str) -> str:
    return t(STATUS_KEY[s]) if s in STATUS_KEY else s


def status_text(s: str) -> str:
    return f"{STATUS_ICON.get(s, '')} {cap(status_word(s))}"


pct_text = layout.percent_text


def name_of(rec: dict) -> str:
    return rec["name_zh"] if lang() == "zh" else (rec.get("name_en") or rec["name_zh"])


def label(column: str, value_: str) -> str:
    """An area, category or funding source by the plan's own name for it."""
    return data().label(column, value_, lang()) if value_ else ""


def has_projects() -> bool:
    return len(data().projects) > 0


def has_roads() -> bool:
    return len(data().roads) > 0


def uploads() -> list[tuple]:
    """The uploaders the plan needs: actuals always; project and road execution only where it lists any."""
    kinds = ["actuals"] + (["projects"] if has_projects() else []) + (["roads"] if has_roads() else [])
    return [UPLOADS[k] for k in kinds]


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
        c = [layout.row("pe_rules", gap="large")] * 2
        # each slider's default is the value it shows (ui.state.bound says why)
        nearly, about = int(round(s.nearly_met * 100)), round(s.about_tolerance * 100, 1)
        state.seed("pe_nearly", nearly)
        c[0].slider(t("pe.nearly"), min_value=50, max_value=100, value=nearly, step=1, format="%d%%", key="pe_nearly",
                    help=t("pe.nearly_help", default=fmt(d.nearly_met * 100, 0)), on_change=_set_threshold,
                    args=("nearly", "pe_nearly"))
        state.seed("pe_about", about)
        c[1].slider(t("pe.about"), min_value=0.0, max_value=20.0, value=about, step=0.5, format="%.1f%%",
                    key="pe_about", help=t("pe.about_help", default=fmt(d.about_tolerance * 100, 0)),
                    on_change=_set_threshold, args=("about", "pe_about"))
        st.caption(t("pe.rules_note"))


# -- files: templates, uploads, library ------------------------------------------------------------------------------

def templates() -> None:
    st.markdown(f"**{t('pe.templates')}**")
    names = [n for n in TEMPLATE_FILES if (n != "projects-template.csv" or has_projects())
             and (n != "roads-template.csv" or has_roads())]
    cols = st.columns(len(names))
    for col, name in zip(cols, names):
        col.download_button(t(TEMPLATE_KEYS[name]), data=documents.template_file(name), file_name=name,
                            mime=MIME[name.rsplit(".", 1)[1]], on_click="ignore", key=f"pe_tpl_{name}",
                            help=t("pe.tpl_help", file=name), icon=":material/download:", width="stretch",
                            wrap=True)


def uploaders() -> None:
    items = uploads()
    cols = st.columns(len(items))
    for col, (key, label_key, columns, load) in zip(cols, items):
        col.file_uploader(t(label_key), type=["csv", "xlsx"], key=key,
                          help=t("pe.up_help", columns=",".join(columns)),
                          on_change=load, args=(key,), kwargs={"bad_key": "pe.upload_bad"})


def _save_actuals() -> None:
    ss = st.session_state
    documents.save_actuals(str(ss.get("pe_lib_name", "")), str(ss.get("pe_lib_author", "")), "")


def library_panel(loaded: bool) -> None:
    """Open an actuals set of this plan saved in the library; save the loaded one (not in a read-only deployment)."""
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
    st.markdown(t("pe.empty_intro", columns=md_code(",".join(FILE_ORDER))))
    uploaders()
    if has_projects():
        st.markdown(t("pe.empty_projects", columns=md_code(",".join(PROJECTS.columns))))
    if has_roads():
        st.markdown(t("pe.empty_roads", columns=md_code(",".join(ROADS.columns))))
    st.caption(t("pe.empty_templates"))
    templates()
    library_panel(loaded=False)


def loaded_caption(aset) -> None:
    name = documents.label_of(documents.ACTUALS) or t("pe.from_link", id=aset.short_id)
    parts = [t("pe.loaded.one" if len(aset) == 1 else "pe.loaded", name=md_text(name), id=md_code(aset.short_id),
               n=len(aset))]
    execution = ((documents.EXEC_PROJECTS, "pe.kind.projects", documents.project_actuals(), has_projects()),
                 (documents.EXEC_ROADS, "pe.kind.roads", documents.road_actuals(), has_roads()))
    for kind, what, doc, wanted in execution:
        if not wanted:
            continue
        parts.append(t("pe.loaded_exec.one" if len(doc) == 1 else "pe.loaded_exec", what=t(what),
                       name=md_text(documents.label_of(kind) or ""), n=len(doc))
                     if doc is not None else t("pe.not_loaded", what=t(what)))
    st.caption(":material/folder_open: " + " · ".join(parts))


# -- targets ---------------------------------------------------------------------------------------------------------

def status_cards(ev: Evaluation) -> None:
    counts = layout.memo_on(ev, ("counts",), ev.counts)
    nearly = fmt(ev.settings.nearly_met * 100, 0)
    # two rows of three at every width: the grades (met, nearly met, not met), then what is not graded yet
    for group in (STATUSES[:3], STATUSES[3:]):
        for col, s in zip(layout.metric_row(3), group):
            col.metric(cap(status_word(s)), counts[s], icon=METRIC_ICON[s], help=t(HELP_KEY[s], nearly=nearly),
                       border=True)
    numeric = layout.memo_on(ev, ("numeric",), lambda: int((ev.indicators["comparator"] != "qual").sum()))
    qual = len(ev.indicators) - numeric
    graded = qual - counts[QUAL_PENDING]  # qualitative targets graded from a progress row join the grades above
    st.caption(t("pe.total_graded" if graded else "pe.total", n=len(ev.indicators), numeric=numeric, qual=qual,
                 graded=graded))


def chapter_titles() -> dict[str, str]:
    sec = data().sections
    if not len(sec) or f"title_{lang()}" not in sec.columns:
        return {}
    return dict(zip(sec["section_id"].astype(str), sec[f"title_{lang()}"]))


def chapter_of(section_id) -> str:
    return str(section_id).split(".")[0]


def short_chapter(title: str) -> str:
    """The first word(s) of a chapter's title (第二章 / Chapter 2)."""
    words = title.split(" ")
    return words[0] if lang() == "zh" else " ".join(words[:2])


def basis_cell(r: dict) -> str:
    """The figure's scope, measure and release in one cell (园区·总产值·年报); ≠ first where they are not the
    target's (the figure is never computed with); blank without a figure or for a qualitative target."""
    if r["comparator"] == "qual" or not math.isfinite(r["actual_year"]):
        return ""
    d = data()
    parts = [scope_text(d, r["scope"], lang()), measure_text(r["measure"], lang())]
    if r.get("vintage"):
        parts.append(vintage_text(d, r["vintage"], lang()))
    text = "·".join(parts)
    return text if comparable(r) else t("pe.basis_differs", basis=text)


def notes_text(r: dict, flags: set[str]) -> str:
    notes = []
    if r["comparator"] == "qual" and r["measure"] == QUALITATIVE and r["note"] in QUAL_KEY:
        notes.append(t(QUAL_KEY[r["note"]]))
    if r["comparator"] != "qual" and not comparable(r) and r.get("reason"):
        notes.append(t("pe.note.not_comparable", reason=reason_text(r["reason"], lang())))
    if FLAG_LATEST in flags and math.isfinite(r["actual_year"]):
        notes.append(t("pe.note.latest", year=int(r["actual_year"])))
    for flag, key in ((FLAG_ABOUT, "pe.note.above_about"), (FLAG_DERIVED, "pe.note.derived"),
                      (FLAG_BASE_UNIT, "pe.note.base_unit"), (FLAG_BASE_MEASURE, "pe.note.base_measure")):
        if flag in flags:
            notes.append(t(key))
    return t("eval.sep").join(notes)


def target_text(r: dict) -> str:
    """≥ 90% / > 1,234 亿元: the comparator, the figure and the unit (an English count without its measure word)."""
    return target_cell(r, lang())


def target_table(ev: Evaluation) -> None:
    lg = lang()
    titles = layout.memo_on(data(), ("chapter_titles", lg), chapter_titles)
    ind = ev.indicators
    chapters = layout.memo_on(ev, ("chapters",), lambda: list(dict.fromkeys(chapter_of(s) for s in ind["section_id"])))
    c = [layout.row("pe_filters")] * 2
    chosen_status = c[0].multiselect(t("pe.filter_status"), list(STATUSES), key="pe_f_status",
                                     format_func=fixed(status_text, STATUSES), placeholder=t("choose"))
    chosen_chapter = c[1].multiselect(t("pe.filter_chapter"), chapters, key="pe_f_chapter",
                                      format_func=fixed(lambda ch: titles.get(ch, ch), chapters),
                                      placeholder=t("choose"))
    rows, key = layout.memo_on(ev, ("target_table", lg, tuple(chosen_status), tuple(chosen_chapter)),
                               lambda: _target_table_rows(ev, chosen_status, chosen_chapter))
    st.caption(t("pe.shown", n=len(rows), total=len(ind)))
    heads = {"name": t("eval.col.indicator"), "status": t("eval.col.status"), "completion": t("eval.col.completion"),
             "target": t("eval.col.target"), "actual": t("eval.col.actual"), "basis": t("pe.col.basis"),
             "progress": t("eval.col.progress")}
    layout.wrapped_table(("eval_targets", lg, key),
                         lambda: [{c: _screen_cell(c, row[c]) for c in SCREEN_TARGET_COLUMNS} for row in rows],
                         heads, figures=("completion", "actual", "progress"), long=("name", "basis"),
                         phone_hides=("basis", "progress"),
                         whole=("status",))
    st.caption(t("pe.basis_caption", basis=t("pe.col.basis"), help=t("pe.col.basis_help")))
    st.caption(t("pe.more_in_files"))


def _screen_cell(column: str, value) -> str:
    """A status-table cell as shown: percentages with one decimal, an actual as stated, '—' for none."""
    if column in ("completion", "progress"):
        return pct_text(value)
    if column == "actual":
        return layout.stated_text(value)
    return value or "—" if column != "basis" else value


def _target_table_rows(ev: Evaluation, chosen_status, chosen_chapter) -> tuple[list[dict], tuple]:
    """The status table's rows under the filters, and their content as a table key (once per evaluation, language
    and filters)."""
    rows = [row for status, ch, row in layout.memo_on(ev, ("target_rows", lang()), lambda: target_rows(ev))
            if not (chosen_status and status not in chosen_status) and not (chosen_chapter and ch not in chosen_chapter)]
    return rows, layout.rows_key(rows)


def target_rows(ev: Evaluation) -> list[tuple[str, str, dict]]:
    """(status, chapter, screen row) of every target, in the language shown (built once per evaluation)."""
    out = []
    for r in records(ev):
        qual = r["comparator"] == "qual"
        ok = comparable(r)  # another scope or measure: no completion or progress, shown as —
        out.append((r["status"], chapter_of(r["section_id"]), {
            "name": name_of(r), "status": status_text(r["status"]), "completion": r["completion_pct"] if ok else None,
            "target": "—" if qual else target_text(r), "actual": rounded(r["actual"]), "basis": basis_cell(r),
            "progress": r["progress_pct"] if ok else None}))
    return out


def records(ev: Evaluation) -> list[dict]:
    """The evaluation's targets as records, made once per evaluation for the table and the chart (pandas turns its
    Arrow strings into Python ones slowly). The records must not be mutated."""
    return layout.memo_on(ev, ("records",), lambda: layout.frame_records(ev.indicators))


def _bullet_parts(ev: Evaluation) -> tuple[charts.Columns, str, int, list[str]]:
    """The bullet chart's rows, the names of targets without a bar (another scope or measure), how many, and the
    grades present (built once per evaluation and language)."""
    numeric = [r for r in records(ev) if r["comparator"] != "qual"]
    rows = [r for r in numeric if pd.notna(r["completion_pct"]) and r["status"] != MISMATCH]
    apart = [r for r in numeric if r["status"] == MISMATCH]  # no bar for a figure on another scope or measure
    apart_names = t("eval.sep").join(name_of(r) for r in apart)
    present = [s for s in (MET, NEARLY, NOT_MET) if s in {r["status"] for r in rows}]
    df = charts.Columns({
        "label": [name_of(r) for r in rows],
        "value": np.array([r["completion_pct"] for r in rows], dtype=float),
        "status": [cap(status_word(r["status"])) for r in rows],
        "text": [f"{pct_text(r['completion_pct'])} · {status_text(r['status'])}" for r in rows]})
    return df, apart_names, len(apart), present


def bullet_chart(ev: Evaluation) -> None:
    st.subheader(t("pe.bullet_title"), anchor=False)
    df, apart_names, n_apart, present = layout.memo_on(ev, ("bullet", lang()), lambda: _bullet_parts(ev))
    if not len(df):
        st.info(t("pe.bullet_none"))
        if n_apart:
            st.caption(t("pe.bullet_mismatch", items=apart_names))
        return
    nearly = ev.settings.nearly_met * 100
    aset = documents.actuals()  # the targets' grades rest on the actuals set, the plan and the thresholds only
    layout.chart(lambda: charts.bullet(df, x_title=t("pe.bullet_axis"), label_title=t("eval.col.indicator"),
                                       status_title=t("eval.col.status"),
                                       statuses=[cap(status_word(s)) for s in present],
                                       colors=[STATUS_COLOR[s] for s in present], band=(nearly, 100.0)),
                 key=None if aset is None else ("bullet", data().id, aset.short_id, ev.settings, lang()))
    st.caption(t("pe.bullet_note", nearly=fmt(nearly, 0)))
    if n_apart:
        st.caption(t("pe.bullet_mismatch", items=apart_names))


def monitoring_table(ev: Evaluation) -> None:
    """The plan's monitoring indicators (no target, not graded): every figure by year with its scope, measure and
    release, and whether it is on the plan's scope and measure."""
    m = ev.monitoring
    if not len(m):
        return
    d = data()
    st.subheader(t("pe.monitoring_title"), anchor=False)
    # what a threshold does not change (the monitoring figures): built once for every threshold
    rows, missing = layout.memo(("eval_monitoring_rows", documents.basis_key(documents.actuals()), lang()),
                                lambda: _monitoring_rows(m, d))
    if rows:
        cc = st.column_config
        st.dataframe(layout.table_data(("eval_monitoring", lang(), layout.rows_key(rows)), lambda: pd.DataFrame(rows)),
                     hide_index=True, width="stretch", placeholder="—",
                     height=TABLE_ROW * min(len(rows), 8) + TABLE_HEAD, column_config={
                         "name": cc.TextColumn(t("eval.col.indicator"), width=160, pinned=True),
                         "year": cc.NumberColumn(t("eval.col.year"), format="%d", width=60),
                         "actual": cc.NumberColumn(t("eval.col.value"), format="localized", width=80),
                         "unit": cc.TextColumn(t("eval.col.unit"), width=55),
                         "scope": cc.TextColumn(t("eval.col.scope"), width=80),
                         "measure": cc.TextColumn(t("eval.col.measure"), width=130),
                         "vintage": cc.TextColumn(t("eval.col.vintage"), width=90),
                         "comparable": cc.TextColumn(t("eval.col.comparable"), width=120)})  # 775 px of 789
    if missing:
        st.caption(t("pe.monitoring_none", items=missing))


def _monitoring_rows(m: pd.DataFrame, d) -> tuple[list[dict], str]:
    """The monitoring table's screen rows, and the names of indicators without a figure."""
    have = m[m["year"].notna()]
    rows = [{"name": name_of(r), "year": int(r["year"]), "actual": rounded(r["actual"]),
             "unit": unit_text(r["unit"], lang()), "scope": scope_text(d, r["scope"], lang()),
             "measure": measure_text(r["measure"], lang()), "vintage": vintage_text(d, r["vintage"], lang()),
             "comparable": t("pe.comparable_yes") if r["comparable"] else
             t("pe.comparable_no", reason=reason_text(r["reason"], lang()))} for r in have.to_dict(orient="records")]
    missing = m[m["year"].isna()]
    return rows, t("eval.sep").join(name_of(r) for r in missing.to_dict(orient="records"))


def long_term_table(ev: Evaluation) -> None:
    """Targets for a year beyond the plan period: listed with the latest figure, never graded."""
    lt = ev.long_term
    if not len(lt):
        return
    st.subheader(t("pe.long_term_title"), anchor=False)
    rows = layout.memo_on(ev, ("long_term_rows", lang()), lambda: _long_term_rows(lt))
    cc = st.column_config
    st.dataframe(layout.table_data(("eval_long_term", lang(), layout.rows_key(rows)), lambda: pd.DataFrame(rows)),
                 hide_index=True, width="stretch", placeholder="—", column_config={
                     "name": cc.TextColumn(t("eval.col.indicator"), width=200, pinned=True),
                     "year": cc.NumberColumn(t("eval.col.target_year"), format="%d", width=100),
                     "target": cc.TextColumn(t("eval.col.target"), width=120),
                     "latest": cc.TextColumn(t("eval.col.latest"), width=180),
                     "basis": cc.TextColumn(t("pe.col.basis"), width=150)})
    st.caption(t("pe.long_term_note"))


def _long_term_rows(lt: pd.DataFrame) -> list[dict]:
    """The long-term table's screen rows (once per evaluation and language: a threshold changes none of them)."""
    d = data()
    rows = []
    for r in lt.to_dict(orient="records"):
        has = r["comparator"] != "qual" and math.isfinite(r["actual_year"]) and math.isfinite(r["actual"])
        basis = ""
        if has:
            basis = "·".join([scope_text(d, r["scope"], lang()), measure_text(r["measure"], lang())])
        rows.append({"name": name_of(r), "year": int(r["target_year"]),
                     "target": "—" if r["comparator"] == "qual" else target_text(r),
                     "latest": t("pe.latest_figure", value=fig(r["actual"], r["unit"], lang()),
                                 year=int(r["actual_year"])) if has else "", "basis": basis})
    return rows


def targets_tab(ev: Evaluation) -> None:
    rules_panel(ev.settings)
    bullet_chart(ev)
    target_table(ev)
    monitoring_table(ev)
    long_term_table(ev)


# -- output paths ----------------------------------------------------------------------------------------------------

def output_tab(ev: Evaluation) -> None:
    d = data()
    segs = list(ev.growth["segment"])
    if not segs:
        st.info(t("pe.no_paths"))
        return
    seg = st.segmented_control(t("pe.segment"), segs, key="pe_seg", default=segs[0], required=True,
                               format_func=fixed(lambda x: cap(seg_label(d, x, lang())), segs)) or segs[0]
    if seg not in segs:
        seg = segs[0]
    s = ev.series[ev.series["segment"] == seg]
    g = ev.growth[ev.growth["segment"] == seg].iloc[0].to_dict()
    name, unit = cap(seg_label(d, seg, lang())), g["unit"]
    others = ev.other_figures[ev.other_figures["segment"] == seg] if len(ev.other_figures) else ev.other_figures
    has = math.isfinite(g["latest_year"])
    ly = int(g["latest_year"]) if has else None
    m = layout.metric_row(4)
    m[0].metric(t("pe.latest", year=ly) if has else t("pe.no_actual"),
                f"{value(g['latest_actual'], unit)} {unit_text(unit, lang())}" if has else "—")
    if has:
        diff = g["cagr_pct"] - g["required_cagr_pct"]
        behind = math.isfinite(diff) and diff < 0  # colour and arrow set here, never read from the text's sign
        m[1].metric(t("pe.cagr", base=g["base_year"], year=ly), pct_text(g["cagr_pct"], 2),
                    delta=t("pe.cagr_delta", required=pct_text(g["required_cagr_pct"], 2), diff=signed(diff, 2))
                    if math.isfinite(diff) else None, delta_color="red" if behind else "green",
                    delta_arrow="down" if behind else "up",
                    help=t("pe.cagr_assumed") if g["base_kind"] == "assumed" else
                    t("pe.cagr_derived") if g["base_kind"] == "derived" else None)
        last = s[s["year"] == ly].iloc[0]
        m[2].metric(t("pe.gap_plan"), f"{signed(last['gap_to_plan'])} {unit}", help=t("pe.gap_help"))
        m[3].metric(t("pe.gap_scenario"), f"{signed(last['gap_to_scenario'])} {unit}"
                    if math.isfinite(last["gap_to_scenario"]) else "—", help=t("pe.gap_help"))
    if len(others):  # shown with their scope or measure; no growth, gap or completion is computed with them
        items = [t("pe.other_item", year=int(r["year"]), value=fig(r["value"], r["unit"], lang()),
                   what=what_text(d, r["reason"], r["scope"], r["measure"], lang()))
                 for r in others.to_dict(orient="records")]
        st.warning(t("pe.others", items=t("eval.sep").join(items)), icon=":material/rule:")
    st.subheader(t("pe.output_title"), anchor=False)
    frames = []
    scen = s[s["scenario"].notna()]
    if len(scen):
        frames.append(charts.long_frame(scen["year"].to_numpy(), {t("pe.series.scenario", name=name):
                                                                  scen["scenario"].to_numpy()}))
    have = s[s["actual"].notna() & (s["year"] > ev.calendar.base_year)]  # the base is the plan path's start
    if len(have):
        frames.append(charts.long_frame(have["year"].to_numpy(), {t("eval.series.actual", name=name):
                                                                  have["actual"].to_numpy()}, ref=2))
    if len(others):
        what = t("eval.sep").join(dict.fromkeys(what_text(d, r["reason"], r["scope"], r["measure"], lang())
                                                for r in others.to_dict(orient="records")))
        frames.append(charts.long_frame(others["year"].to_numpy(), {t("eval.series.other", name=name, what=what):
                                                                    others["value"].to_numpy()}, ref=2))
    plan_key = {"derived": "eval.series.plan_derived", "assumed": "eval.series.plan_assumed"}.get(
        g["base_kind"], "eval.series.plan")
    frames.append(charts.long_frame(s["year"].to_numpy(), {t(plan_key, name=name): s["plan_path"].to_numpy()},
                                    ref=0 if not len(scen) else 1))
    targets = pd.DataFrame({"year": [int(g["target_year"])], "value": [float(g["target"])],
                            "label": [f"{t('eval.series.target')} {fmt(g['target'], 0)}"]})
    layout.chart(charts.trajectory(charts.concat(frames), targets, x_title=t("year"),
                                   y_title=t("eval.axis.value", name=name, unit=unit_text(unit, lang())),
                                   series_title=t("series"), projected_label=t("eval.band"), height=400))
    st.markdown(md_text(segment_sentence(ev, g, lang(), d)))  # the report's paragraph, the same words
    exp = layout.lazy_expander(t("pe.yearly"), "pe_open_yearly", icon=":material/table_rows:")
    if exp is not None:
        with exp:
            table = s[["year", "actual", "plan_path", "scenario", "gap_to_plan", "growth_pct"]].copy()
            table.loc[table["year"] <= ev.calendar.base_year, ["actual", "gap_to_plan"]] = math.nan  # the base
            rows = [{"year": str(int(r["year"])), "actual": fmt(r["actual"]), "plan_path": fmt(r["plan_path"]),
                     "scenario": fmt(r["scenario"]),  # fmt: "—" for none; signed would write "+—"
                     "gap_to_plan": "—" if r["gap_to_plan"] != r["gap_to_plan"] else signed(r["gap_to_plan"]),
                     "growth_pct": fmt(r["growth_pct"], 2) if math.isfinite(r["growth_pct"]) else "—"}
                    for r in table.to_dict(orient="records")]
            heads = {"year": t("year"),
                     "actual": t("eval.col.with_unit", label=t("eval.col.actual"), unit=unit),
                     "plan_path": t("eval.col.with_unit", label=t("pe.col.plan_path"), unit=unit),
                     "scenario": t("eval.col.with_unit", label=t("pe.col.scenario"), unit=unit),
                     "gap_to_plan": t("eval.col.with_unit", label=t("pe.gap_plan"), unit=unit),
                     "growth_pct": t("pe.col.growth")}
            layout.wrapped_table(("eval_yearly", lang(), layout.rows_key(rows)), lambda: rows, heads,
                                 figures=tuple(heads), long=(), phone_hides=("scenario",))
            st.caption(t("pe.yearly_note"))


# -- projects and roads ----------------------------------------------------------------------------------------------

def _summary(ev: Evaluation) -> dict[tuple[str, str], float]:
    return {(m, g): v for m, g, v, _ in ev.summary.itertuples(index=False)}


def pva_frame(groups: pd.DataFrame, label_of, digits: int = 2) -> pd.DataFrame:
    rows = groups.to_dict(orient="records")
    return pd.DataFrame({
        "label": [rolled_area(label_of(r["group"]), r.get("sub_areas"), lang()) for r in rows],
        "planned": [r["planned"] for r in rows],
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
    m = layout.metric_row(3) + layout.metric_row(3)  # money, then the projects to follow up
    m[0].metric(t("pe.p.planned"), f"{fmt(sm.get(('project_planned_yi', 'all')), 2)} {yi}")
    m[1].metric(t("pe.p.invested"), f"{fmt(sm.get(('project_invested_yi', 'all')), 2)} {yi}")
    m[2].metric(t("pe.p.completion"), pct_text(sm.get(("project_completion_pct", "all"), math.nan)),
                help=t("pe.p.completion_help"))
    m[3].metric(t("pe.p.delayed"), int(p["delayed"].sum()), icon=":material/schedule:")
    m[4].metric(t("pe.p.unstarted"), int(p["unstarted"].sum()), icon=":material/hourglass_empty:")
    m[5].metric(t("pe.p.new"), int(p["new"].sum()), icon=":material/add_circle:")
    new_money = sm.get(("project_invested_new_yi", "all"), math.nan)
    if new_money == new_money:
        st.caption(t("eval.overview.new_money", invested=fmt(new_money, 2), unit=yi))
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
    label_of = {"area": lambda v: label("area", v), "category": lambda v: label("category", v),
                "owner": lambda v: v}[by]
    total = pg[pg["dimension"] == "all"]
    df = pd.concat([pva_frame(total, lambda _: t("eval.all")), pva_frame(groups, label_of)], ignore_index=True)
    st.subheader(t("pe.plan_vs_actual", by=t(f"by_{by}")), anchor=False)
    layout.chart(charts.plan_vs_actual(df, x_title=t("pe.axis_yi"), planned_label=t("pe.planned"),
                                       actual_label=t("pe.done")))
    st.subheader(t("pe.schedule"), anchor=False)
    rows = []
    for r in p.to_dict(orient="records"):
        alerts = [t(k) for flag, k in (("delayed", "pe.alert.delayed"), ("unstarted", "pe.alert.unstarted"),
                                       ("new", "pe.alert.new")) if r[flag]]
        rows.append({"project": f"{r['project_id']} {name_of(r)}", "area": label("area", r["area"]),
                     "period": years(r["start_year"], r["end_year"], lang()), "planned": r["planned_yi"],
                     "invested": r["invested_yi"], "completion": r["completion_pct"],
                     "status": _status_cell(r["status"], r["status_year"]), "alert": t("eval.sep").join(alerts)})
    order = ["project", "status", "alert", "completion", "invested"]  # planned, period, area: in the files
    heads = {"project": t("eval.col.project"), "status": t("eval.col.latest_status"), "alert": t("pe.col.alert"),
             "completion": t("eval.col.completion"),
             "invested": t("eval.col.with_unit", label=t("eval.col.invested"), unit=yi)}
    figures = {"completion": layout.percent_text, "invested": layout.money_text}
    layout.wrapped_table(("eval_projects", lang(), layout.rows_key(rows)),
                         lambda: [{c: figures[c](r[c]) if c in figures else r[c] for c in order} for r in rows],
                         {c: heads[c] for c in order}, figures=tuple(figures), long=("project", "alert"),
                         phone_hides=("alert",), whole=("status",))
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
    district = district_funding(data())  # only a plan whose enumerations flag an own-budget source has one
    m = layout.metric_row(3)
    m[0].metric(t("pe.r.length"), fmt(sm.get(("road_length_built_m", "all")), 0),
                delta=t("pe.r.of_plan", planned=fmt(sm.get(("road_length_plan_m", "all")), 0),
                        pct=pct_text(sm.get(("road_length_pct", "all"), math.nan))), delta_color="off",
                delta_arrow="off")
    m[1].metric(t("pe.r.invested"), fmt(sm.get(("road_invested_wan", "all")), 0),
                delta=t("pe.r.of_plan", planned=fmt(sm.get(("road_planned_wan", "all")), 0),
                        pct=pct_text(sm.get(("road_completion_pct", "all"), math.nan))), delta_color="off",
                delta_arrow="off")
    if district and ("district_finance_paid_wan", district) in sm:
        m[2].metric(t("pe.r.district", source=label("funding_source", district)),
                    fmt(sm[("district_finance_paid_wan", district)], 0),
                    delta=t("pe.r.of_plan", planned=fmt(sm[("district_finance_planned_wan", district)], 0),
                            pct=pct_text(sm[("district_finance_pct", district)])), delta_color="off",
                    delta_arrow="off")
    rg = ev.road_groups
    df = pd.concat([pva_frame(rg[rg["dimension"] == "all"], lambda _: t("eval.all"), 0),
                    pva_frame(rg[rg["dimension"] == "funding_source"], lambda v: label("funding_source", v), 0)],
                   ignore_index=True)
    st.subheader(t("pe.r.by_funding"), anchor=False)
    layout.chart(charts.plan_vs_actual(df, x_title=t("pe.axis_wan"), planned_label=t("pe.planned"),
                                       actual_label=t("pe.done")))
    st.subheader(t("pe.r.detail"), anchor=False)
    rows = [{"road": f"{r['road_id']} {name_of(r)}", "class": label("road_class", r["road_class"]),
             "funding": label("funding_source", r["funding_source"]),
             "period": years(r["start_year"], r["end_year"], lang()),
             "length": r["length_m"], "built": r["length_built_m"], "length_pct": r["length_pct"],
             "planned": r["planned_wan"], "invested": r["invested_wan"], "completion": r["completion_pct"],
             "status": _status_cell(r["status"], r["status_year"])} for r in rd.to_dict(orient="records")]
    unit = ev.road_groups["unit"].iloc[0]
    order = ["road", "status", "length_pct", "completion", "invested"]  # the rest: in the files
    heads = {"road": t("eval.col.road"), "status": t("eval.col.latest_status"), "length_pct": t("pe.col.length_pct"),
             "completion": t("eval.col.completion"),
             "invested": t("eval.col.with_unit", label=t("eval.col.invested"), unit=unit)}
    figures = {"length_pct": layout.percent_text, "completion": layout.percent_text, "invested": layout.stated_text}
    layout.wrapped_table(("eval_roads", lang(), layout.rows_key(rows)),
                         lambda: [{c: figures[c](r[c]) if c in figures else r[c] for c in order} for r in rows],
                         {c: heads[c] for c in order}, figures=tuple(figures), long=("road",), whole=("status",))
    st.caption(t("pe.more_in_files"))


# -- downloads and the page ------------------------------------------------------------------------------------------

DOWNLOAD_KEYS = dict(zip(CSV_FILES, ("pe.dl.evaluation", "pe.dl.projects", "pe.dl.roads", "pe.dl.summary",
                                     "pe.dl.monitoring")))


def downloads(ev: Evaluation) -> None:
    exp = layout.lazy_expander(t("pe.downloads"), "pe_open_downloads", icon=":material/download:")
    if exp is None:
        return
    lg = lang()
    wanted = {"execution_projects.csv": has_projects() or ev.has_projects, "execution_roads.csv": has_roads(),
              "evaluation_monitoring.csv": len(ev.monitoring) > 0}
    files = [(n, DOWNLOAD_KEYS[n]) for n in CSV_FILES if wanted.get(n, True)]
    files += list(zip(REPORT_FILES[lg], ("pe.dl.docx", "pe.dl.html")))
    with exp:
        st.caption(t("pe.dl_help"))
        cols = st.columns(3)
        for i, (name, key) in enumerate(files):
            report = name in REPORT_FILES[lg]
            cols[i % 3].download_button(f"{t(key)} · {layout.file_label(name)}", data=documents.evaluation_file(ev, lg, name),
                                        file_name=name, mime=MIME[name.rsplit(".", 1)[1]], on_click="ignore",
                                        key=f"pe_dl_{name}", width="stretch", type="primary" if report else "secondary",
                                        icon=":material/description:" if report else ":material/download:")


def tabs() -> tuple:
    """The tabs the plan needs: targets and paths always; projects and roads where the plan lists any."""
    out = [("pe.tab.targets", targets_tab), ("pe.tab.output", output_tab)]
    if has_projects():
        out.append(("pe.tab.projects", projects_tab))
    if has_roads():
        out.append(("pe.tab.roads", roads_tab))
    return tuple(out)


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
    cards = st.container(key=f"{layout.MOVING}_cards")
    shown = tabs()
    bar = st.tabs([t(k) for k, _ in shown], key="pe_tab", on_change="rerun")  # only the open tab runs
    opened = [(tab, draw) for tab, (_, draw) in zip(bar, shown) if tab.open]
    below, exports = st.container(key=f"{layout.MOVING}_downloads"), st.container(key=f"{layout.MOVING}_exports")
    layout.moving(moving_part(aset, cards, opened, below), outer_key, exports)


def outer_key() -> tuple:
    """Everything of the session the rest of the page shows (layout.moving): the scenario, the plan, the documents
    held, the language and the open tab; the thresholds and a tab's own view are the moving part's."""
    return (state.scenario_key(state.scenario()), lang(), documents.session_key(), st.session_state.get("pe_tab"))


def moving_part(aset, cards, opened, below):
    """The evaluation under the thresholds in effect: the status cards into ``cards``, the open tab, the downloads
    into ``below``; a threshold or a tab's own view reruns it alone."""
    def draw() -> None:
        ev = documents.evaluation_kept(aset, settings())  # a threshold seen before: no spinner (a thread a run)
        if ev is None:
            with st.spinner(t("pe.computing")):  # shown only past 0.5 s (a large set on a busy machine)
                ev = documents.evaluation(aset, settings())
        with cards:
            if ev.interim and ev.data_year is not None:  # graded so far, not the plan's final result
                st.info(t("eval.interim_note", year=ev.data_year, target_year=ev.calendar.target_year),
                        icon=":material/schedule:")
            status_cards(ev)
        for tab, draw_tab in opened:
            with tab, st.container(key=f"{layout.MOVING}_tab"):
                draw_tab(ev)
        with below:
            downloads(ev)
    return draw


layout.page(body, "nav_evaluation", split="view")

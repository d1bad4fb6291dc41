"""年度监测预警 Monitoring: is each target on course for its target year, which targets and tasks need an early
warning, how the warnings moved year by year, and the task register (任务台账) of the qualitative targets and key tasks.

Files come in through ui.documents (actuals, shared with the evaluation page) and ui.monitoring (the register); the
monitoring is model.calc.monitoring, cached per (files, thresholds, year); tables and charts come from
model.report.monitoring_report, in the page's language.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model.calc.monitoring import (NORMAL, NOT_ASSESSABLE, NUMERIC, WARNING, WARNINGS, WATCH, MonitorSettings,
                                   default_year, history_table)
from model.io.actuals import ACTUALS, PROJECTS, calendar_of
from model.io.tasks import COLUMN_KEY, PROGRESS, TEMPLATE_FILES, progress_label, register_table
from model.report import monitoring_report as R
from model.report.evaluation_report import TEMPLATE_FILES as ACTUALS_TEMPLATES
from model.report.labels import rounded, stated_value
from ui import documents, layout, state
from ui import monitoring as mstate
from ui.i18n import fixed, lang, t
from ui.layout import md_code
from ui.warnings import early_warnings

METRIC_ICON = {NORMAL: ":material/check_circle:", WATCH: ":material/visibility:", WARNING: ":material/warning:",
               NOT_ASSESSABLE: ":material/help:"}
HELP_KEY = {NORMAL: "pm.help.normal", WATCH: "pm.help.watch", WARNING: "pm.help.warning",
            NOT_ASSESSABLE: "pm.help.not_assessable"}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "html": "text/html"}
TABLE_ROW, TABLE_HEAD = 35, 40
# The columns of each view of the wide tables (wrapped tables: every column on screen, names in full)
STATUS_VIEWS = {"warning": ("name", "warning", "ap", "status", "need"),
                "values": ("name", "actual", "expected", "anticipated", "unit", "progress", "lead")}
PROJECT_VIEWS = {"progress": ("project", "warning", "ratio", "planned", "invested"),
                 "info": ("project", "status", "owner")}
# px per column of each view of the task register (a grid: it is edited in place), every view whole at 1280×720 with
# the sidebar open (layout.GRID_PX; tests/test_grid_widths.py checks the sums)
REGISTER_VIEWS = {"progress": {"task_id": 80, "name": 220, "warning": 100, "progress": 90, "evidence": 190,
                               "updated_by": 90},
                  "units": {"task_id": 80, "name": 220, "lead_unit": 170, "support_units": 170, "deadline": 120},
                  "info": {"task_id": 80, "name": 220, "kind": 90, "programme": 150, "section_id": 80,
                           "updated_at": 150}}


def sized(config: dict, widths: dict[str, int]) -> dict:
    """The column configs of one view, each with its width."""
    return {c: {**config[c], "width": px} for c, px in widths.items()}


EDITABLE = ("lead_unit", "support_units", "deadline", "progress", "evidence", "updated_by", "updated_at")


def level_word(w: str) -> str:
    word = R.warning_label(w, lang())
    return word[:1].upper() + word[1:]


def level_text(w: str) -> str:
    """A level in a table cell: its sign and its word (never colour alone)."""
    return f"{R.WARNING_ICON.get(w, '')} {level_word(w)}"


def name_of(rec: dict) -> str:
    return rec["name_zh"] if lang() == "zh" else (rec.get("name_en") or rec["name_zh"])


# -- files ---------------------------------------------------------------------------------------------------------

def actuals_panel(loaded: bool) -> None:
    """Upload an actuals file (as on the evaluation page) or open one from the library."""
    st.file_uploader(t("pm.up_actuals"), type=["csv", "xlsx"], key="pm_up_actuals",
                     help=t("pe.up_help", columns=",".join(ACTUALS.columns)),
                     on_change=documents.load_actuals_upload, args=("pm_up_actuals",),
                     kwargs={"bad_key": "pe.upload_bad"})
    records, err = documents.actuals_records()
    if err:
        st.warning(t("lib_unavailable", err=err))
    elif records:
        by_id = {r.short_id: r for r in records}
        ids = list(by_id)
        c = st.columns([3, 1], vertical_alignment="bottom")
        pick = c[0].selectbox(t("pe.lib_pick"), ids, key="pm_lib_actuals", format_func=fixed(
            lambda i: t("pe.lib_row", name=by_id[i].name, v=by_id[i].version, id=i, author=by_id[i].author or "—",
                        time=by_id[i].created_at[:16].replace("T", " ")), ids))
        if pick in by_id:
            c[1].button(t("pe.lib_open"), on_click=documents.open_actuals, args=(pick, by_id[pick].name),
                        width="stretch", icon=":material/folder_open:", key="pm_open_actuals")
    if loaded:
        st.file_uploader(t("pm.up_projects"), type=["csv", "xlsx"], key="pm_up_projects",
                         help=t("pe.up_help", columns=",".join(PROJECTS.columns)),
                         on_change=documents.load_project_actuals_upload, args=("pm_up_projects",),
                         kwargs={"bad_key": "pe.upload_bad"})
    else:
        name = ACTUALS_TEMPLATES[3]
        st.download_button(t("pm.tpl_actuals"), data=documents.template_file(name), file_name=name,
                           mime=MIME["xlsx"], on_click="ignore", key="pm_tpl_actuals", icon=":material/download:")


def register_panel() -> None:
    """Upload a filled register, open one from the library, or download the blank template."""
    reg = mstate.register()
    if reg is not None:
        st.caption(":material/assignment: " + t("pm.tasks_held", name=md_code(mstate.label() or "—"),
                                                id=md_code(reg.short_id), n=len(reg)))
    else:
        st.caption(t("pm.tasks_none"))
    c = st.columns([2, 1, 1], vertical_alignment="bottom")
    c[0].file_uploader(t("pm.up_tasks"), type=["csv", "xlsx"], key="pm_up_tasks", help=t("pm.up_tasks_help"),
                       on_change=mstate.load_register_upload, args=("pm_up_tasks",))
    lg = lang()
    for col, name in zip(c[1:], TEMPLATE_FILES):
        col.download_button(t("pm.tpl_tasks", kind=name.rsplit(".", 1)[1].upper()), key=f"pm_tpl_{name}",
                            data=mstate.template_file(lg, name), file_name=name, mime=MIME[name.rsplit(".", 1)[1]],
                            on_click="ignore", icon=":material/download:", width="stretch")
    records, err = mstate.register_records()
    if err or not records:
        return
    by_id = {r.short_id: r for r in records}
    ids = list(by_id)
    c = st.columns([3, 1], vertical_alignment="bottom")
    pick = c[0].selectbox(t("pm.lib_tasks"), ids, key="pm_lib_tasks", format_func=fixed(
        lambda i: t("pe.lib_row", name=by_id[i].name, v=by_id[i].version, id=i, author=by_id[i].author or "—",
                    time=by_id[i].created_at[:16].replace("T", " ")), ids))
    if pick in by_id:
        c[1].button(t("pe.lib_open"), on_click=mstate.open_register, args=(pick, by_id[pick].name),
                    width="stretch", icon=":material/folder_open:", key="pm_open_tasks")


# -- settings --------------------------------------------------------------------------------------------------------

def _set_threshold(field: str, key: str) -> None:
    mstate.set_settings(**{field: round(float(st.session_state[key]), 6) / 100})


def _set_year() -> None:
    st.session_state[mstate.YEAR] = st.session_state.get("pm_year")


def settings_panel(aset, cal) -> int:
    """Year and thresholds; returns the monitoring year."""
    years = list(range(cal.plan_first_year, cal.target_year + 1))
    held = st.session_state.get(mstate.YEAR)
    year = held if held in years else default_year(aset, cal.target_year, cal.base_year)
    year = min(max(year, years[0]), years[-1])
    s, d = mstate.settings(), MonitorSettings()
    c = st.columns([1, 2, 2], vertical_alignment="bottom")
    # each widget's default is the value it shows (ui.state.bound says why)
    on_track, watch = int(round(s.on_track * 100)), int(round(s.watch * 100))
    st.session_state["pm_year"] = year
    c[0].selectbox(t("pm.year"), years, index=years.index(year), key="pm_year", on_change=_set_year,
                   help=t("pm.year_help"))
    st.session_state["pm_on_track"] = on_track
    c[1].slider(t("pm.on_track"), min_value=50, max_value=100, value=on_track, step=1, format="%d%%",
                key="pm_on_track", help=t("pm.on_track_help", default=layout.fmt(d.on_track * 100, 0)),
                on_change=_set_threshold, args=("on_track", "pm_on_track"))
    st.session_state["pm_watch"] = watch
    c[2].slider(t("pm.watch"), min_value=0, max_value=100, value=watch, step=1, format="%d%%", key="pm_watch",
                help=t("pm.watch_help", default=layout.fmt(d.watch * 100, 0)), on_change=_set_threshold,
                args=("watch", "pm_watch"))
    return year


# -- status ----------------------------------------------------------------------------------------------------------

def status_cards(mon) -> None:
    counts = mon.counts()
    for col, w in zip(layout.metric_row(4), WARNINGS):
        col.metric(level_word(w), counts[w], icon=METRIC_ICON[w], border=True,  # the card's icon is its sign
                   help=t(HELP_KEY[w], on_track=layout.fmt(mon.settings.on_track * 100, 0),
                          watch=layout.fmt(mon.settings.watch * 100, 0)))
    numeric = int((mon.targets["kind"] == NUMERIC).sum())
    st.caption(t("pm.total", n=len(mon.targets), numeric=numeric, qual=len(mon.targets) - numeric, year=mon.year))


def _pct(v):
    return None if v is None or v != v else rounded(float(v) * 100, 1)


def status_table(mon) -> None:
    lg = lang()
    chosen = st.multiselect(t("pm.filter"), list(WARNINGS), key="pm_f_level", format_func=fixed(level_text, WARNINGS),
                            placeholder=t("choose"))
    rows = []
    for r in mon.targets.to_dict(orient="records"):
        if chosen and r["warning"] not in chosen:
            continue
        numeric = r["kind"] == NUMERIC
        rows.append({
            "name": name_of(r), "warning": level_text(r["warning"]),
            "actual": rounded(r["actual"]) if numeric else None,
            "expected": rounded(r["expected_now"]) if numeric else None,
            "status": _pct(r["current_status"]), "anticipated": rounded(r["anticipated_value"]) if numeric else None,
            "ap": _pct(r["anticipated_progress"]),
            "need": R.need_text(r, lg) if numeric and r["warning"] in (WARNING, WATCH) else "",
            "unit": R.unit_text(r["unit"], lg) if numeric else "",
            "progress": progress_label(r["progress"], lg) if r["progress"] else "",
            "lead": r["lead_unit"] or ""})
    st.caption(t("pe.shown", n=len(rows), total=len(mon.targets)))
    w = layout.column_view("pm_status_view", STATUS_VIEWS, {"warning": t("pm.view.warning"),
                                                             "values": t("pm.view.values")})
    heads = {"name": t("eval.col.indicator"), "warning": t("mon.col.warning"), "ap": t("mon.col.ap"),
             "status": t("mon.col.status"), "actual": t("eval.col.actual"), "expected": t("mon.col.expected"),
             "anticipated": t("mon.col.anticipated"), "unit": t("eval.col.unit"), "need": t("mon.col.need"),
             "progress": t("tasks.col.progress"), "lead": t("tasks.col.lead_unit")}
    figures = {"ap": layout.percent_text, "status": layout.percent_text, "actual": layout.stated_text,
               "expected": layout.stated_text, "anticipated": layout.stated_text}
    layout.wrapped_table(("pm_status", lg, tuple(chosen), layout.rows_key(rows)),
                         lambda: [{c: figures[c](r[c]) if c in figures else r[c] or "" for c in w} for r in rows],
                         {c: heads[c] for c in w}, figures=tuple(figures), long=("name", "need", "lead"),
                         phone_hides=("need", "progress", "lead"), whole=("warning",))
    st.caption(t("pm.table_help"))
    if len(mon.indicators):
        indicators_panel(mon)


def indicators_panel(mon) -> None:
    """The indicators the plan tracks every year without a target: each one's latest figure, not graded."""
    exp = layout.lazy_expander(t("pm.indicators"), "pm_open_indicators", icon=":material/monitoring:")
    if exp is None:
        return
    lg = lang()
    rows = []
    for iid, g in mon.indicators.groupby("indicator_id", sort=False):
        r = g.to_dict(orient="records")
        shown = [x for x in r if x["actual"] == x["actual"]]  # a figure (NaN: none reported)
        last = max(shown, key=lambda x: (x["comparable"], x["year"])) if shown else r[0]
        has = last["actual"] == last["actual"]
        rows.append({"name": name_of(last), "year": str(int(last["year"])) if has else "—",
                     "actual": rounded(last["actual"]) if has else None, "unit": R.unit_text(last["unit"], lg),
                     "base": stated_value(last["baseline"], "", lg) + t("paren", x=int(last["baseline_year"]))
                     if last["baseline"] == last["baseline"] else "—",
                     "note": "" if not has or last["comparable"] else t("pm.ind.not_comparable")})
    cc = st.column_config
    with exp:
        st.caption(t("pm.indicators_help"))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="—",
                     column_config={"name": cc.TextColumn(t("eval.col.indicator"), pinned=True),
                                    "year": cc.TextColumn(t("pm.ind.year")),
                                    "actual": cc.NumberColumn(t("eval.col.actual"), format="localized"),
                                    "unit": cc.TextColumn(t("eval.col.unit")),
                                    "base": cc.TextColumn(t("pm.ind.base")),
                                    "note": cc.TextColumn(t("pm.ind.note"))})


def history_tab(mon, hist) -> None:
    lg = lang()
    st.subheader(t("mon.chart.history"), anchor=False)
    layout.chart(R.history_chart(hist, lg))
    part = hist[hist["kind"] == NUMERIC]
    wide = history_table(part)
    if len(wide):
        names = dict(zip(part["indicator_id"], part[f"name_{lg}"]))
        heads = {"name": t("eval.col.indicator"), **{str(y): str(y) for y in wide.columns}}
        rows = [{"name": names[i], **{str(y): level_text(wide.at[i, y]) for y in wide.columns}} for i in wide.index]
        years = [str(y) for y in wide.columns]  # a phone shows the last two years (the CSV has every one)
        layout.wrapped_table(("pm_history", lg, layout.rows_key(rows)), lambda: rows, heads, long=("name",),
                             phone_hides=years[:-2])
    st.caption(t("pm.history_help"))


def projects_tab(mon) -> None:
    if not mon.has_projects:
        st.info(t("pm.no_projects"))
        return
    lg = lang()
    st.caption(R.projects_summary(mon, lg))
    rows = [{"project": f"{r['project_id']} {name_of(r)}", "warning": level_text(r["warning"]),
             "ratio": _pct(r["ratio"]), "planned": rounded(r["planned_to_date"]),
             "invested": rounded(r["invested_to_date"]), "status": R.project_status(r["status"], lg),
             "owner": r["owner"]} for r in mon.projects.to_dict(orient="records")]
    w = layout.column_view("pm_project_view", PROJECT_VIEWS, {"progress": t("pm.view.progress"),
                                                               "info": t("pm.view.info")})
    yi = t("unit_yi")
    heads = {"project": t("mon.col.project"), "warning": t("mon.col.warning"), "ratio": t("mon.col.ratio"),
             "planned": t("eval.col.with_unit", label=t("pm.col.planned"), unit=yi),
             "invested": t("eval.col.with_unit", label=t("pm.col.invested"), unit=yi),
             "status": t("mon.col.project_status"), "owner": t("mon.col.owner")}
    figures = {"ratio": layout.percent_text, "planned": layout.money_text, "invested": layout.money_text}
    layout.wrapped_table(("pm_projects", lg, layout.rows_key(rows)),
                         lambda: [{c: figures[c](r[c]) if c in figures else r[c] or "" for c in w} for r in rows],
                         {c: heads[c] for c in w}, figures=tuple(figures), long=("project", "owner"),
                         whole=("warning", "status"))


# -- the register -----------------------------------------------------------------------------------------------------

def _apply(save: bool) -> None:
    ss = st.session_state
    edited, base = ss.get("pm_edit_frame"), ss.get("pm_edit_base")
    if edited is None or base is None:
        return
    author = str(ss.get("pm_author", "") or "")
    name = str(ss.get("pm_lib_name", "") or "") if save else None
    mstate.apply_edits(edited, base, author, name)


def register_tab(mon) -> None:
    data, lg = state.load_data(), lang()
    table = register_table(data, mstate.register(), lg)
    table["progress"] = [progress_label(v, lg) if v else None for v in table["progress"]]
    warn = dict(zip(mon.tasks["task_id"], mon.tasks["warning"]))
    table.insert(5, "warning", [level_text(warn.get(i, NOT_ASSESSABLE)) for i in table["task_id"]])
    cc = st.column_config
    config = {"task_id": cc.TextColumn(t(COLUMN_KEY["task_id"]), pinned=True),
              "kind": cc.TextColumn(t(COLUMN_KEY["kind"])),
              "programme": cc.TextColumn(t(COLUMN_KEY["programme"])),
              "name": cc.TextColumn(t(COLUMN_KEY["name"])),
              "section_id": cc.TextColumn(t(COLUMN_KEY["section_id"])),
              "warning": cc.TextColumn(t("mon.col.warning")),
              "lead_unit": cc.TextColumn(t(COLUMN_KEY["lead_unit"]), max_chars=200),
              "support_units": cc.TextColumn(t(COLUMN_KEY["support_units"]), max_chars=200),
              "deadline": cc.TextColumn(t(COLUMN_KEY["deadline"]), max_chars=20, help=t("pm.deadline_help")),
              "progress": cc.SelectboxColumn(t(COLUMN_KEY["progress"]),
                                             options=[progress_label(v, lg) for v in PROGRESS]),
              "evidence": cc.TextColumn(t(COLUMN_KEY["evidence"]), max_chars=2000),
              "updated_by": cc.TextColumn(t(COLUMN_KEY["updated_by"]), max_chars=200),
              "updated_at": cc.TextColumn(t(COLUMN_KEY["updated_at"]), max_chars=20)}
    height = TABLE_ROW * 12 + TABLE_HEAD
    # the columns of one view on screen; the others keep their values (and their edits) in the table
    w = layout.column_view("pm_register_view", REGISTER_VIEWS, {"progress": t("pm.view.progress"),
                                                                 "units": t("pm.view.units"),
                                                                 "info": t("pm.view.info")})
    config = sized(config, w)
    if not mstate.can_edit():  # read only: a wrapped table (names and evidence in full)
        st.caption(t("lib_read_only") if state.read_only() else t("pm.viewer"))
        rows = [{c: "—" if r[c] is None or r[c] != r[c] or r[c] == "" else str(r[c]) for c in w}
                for r in table.to_dict(orient="records")]
        layout.wrapped_table(("pm_register", lg, layout.rows_key(rows)), lambda: rows,
                             {c: config[c]["label"] for c in w}, long=("name", "evidence", "lead_unit",
                                                                       "support_units", "programme"),
                             phone_hides=("kind", "section_id", "updated_by", "updated_at", "support_units"))
        return
    st.caption(t("pm.editor_help"))
    reg = mstate.register()
    edited = layout.data_editor(table, f"pm_editor_{reg.short_id if reg is not None else 'blank'}_{lg}",
                                hide_index=True, width="stretch", height=height, column_config=config,
                                column_order=list(w), num_rows="fixed", placeholder="—",
                                disabled=[c for c in table.columns if c not in EDITABLE])
    # the table is fixed and its disabled columns are the plan's: a crafted message cannot add, delete or rename an
    # entry (rows deleted emptied the register; rows added raised in the apply button)
    kept = table.index.isin(edited.index)
    edited = edited.reindex(table.index)
    edited.loc[~kept] = table.loc[~kept]
    for c in table.columns:
        if c not in EDITABLE:
            edited[c] = table[c]
    st.session_state["pm_edit_frame"] = edited.drop(columns=["warning"])
    st.session_state["pm_edit_base"] = table.drop(columns=["warning"])
    st.session_state.setdefault("pm_author", mstate.editor_name())
    st.session_state.setdefault("pm_lib_name", mstate.label() or t("pm.lib_default"))
    c = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    c[0].text_input(t("tasks.col.updated_by"), key="pm_author", max_chars=200)
    c[1].text_input(t("lib_name"), key="pm_lib_name", max_chars=200)
    c[2].button(t("pm.apply"), on_click=_apply, args=(False,), width="stretch", key="pm_apply",
                icon=":material/check:")
    c[3].button(t("pm.save"), on_click=_apply, args=(True,), width="stretch", key="pm_save", type="primary",
                icon=":material/save:")


# -- downloads and the page ------------------------------------------------------------------------------------------

def downloads(mon, hist) -> None:
    exp = layout.lazy_expander(t("pm.downloads"), "pm_open_downloads", icon=":material/download:")
    if exp is None:
        return
    lg = lang()
    keys = dict(zip(R.CSV_FILES, ("pm.dl.monitoring", "pm.dl.tasks", "pm.dl.history", "pm.dl.projects",
                                  "pm.dl.indicators")))
    shown = {"monitoring_projects.csv": mon.has_projects, "monitoring_indicators.csv": bool(len(mon.indicators))}
    files = [(name, None, keys[name]) for name in R.CSV_FILES if shown.get(name, True)]
    for kind, key in (("annual", "pm.dl.annual"), ("midterm", "pm.dl.midterm")):
        files += [(name, kind, key) for name in R.REPORT_FILES[(kind, lg)]]
    with exp:
        st.caption(t("pm.dl_help"))
        cols = st.columns(3)
        for i, (name, kind, key) in enumerate(files):
            cols[i % 3].download_button(f"{t(key)} · {layout.file_label(name)}", data=mstate.monitoring_file(mon, hist, lg, name, kind),
                                        file_name=name, mime=MIME[name.rsplit(".", 1)[1]], on_click="ignore",
                                        key=f"pm_dl_{i}", width="stretch",
                                        type="primary" if kind else "secondary",
                                        icon=":material/description:" if kind else ":material/download:")


TABS = (("pm.tab.targets", "targets"), ("pm.tab.history", "history"), ("pm.tab.projects", "projects"),
        ("pm.tab.tasks", "tasks"))


def body() -> None:
    st.title(t("nav_monitoring"))
    st.caption(t("pm.intro"))
    aset = documents.actuals()
    layout.show_messages()
    data = state.load_data()
    cal = calendar_of(data)
    if aset is None:
        st.subheader(t("pm.empty_title"), anchor=False)
        st.markdown(t("pm.empty_intro"))
        actuals_panel(loaded=False)
        register_panel()
        return
    name = documents.label_of(documents.ACTUALS) or t("pe.from_link", id=aset.short_id)
    st.caption(":material/folder_open: " + t("pm.actuals_held", name=md_code(name), id=md_code(aset.short_id),
                                             n=len(aset)))
    exp = layout.lazy_expander(t("pm.files"), "pm_open_files", icon=":material/upload_file:")
    if exp is not None:
        with exp:
            actuals_panel(loaded=True)
            st.divider()
            register_panel()
    year = settings_panel(aset, cal)
    mon, hist = mstate.monitoring(aset, year)
    status_cards(mon)
    early_warnings(mon, limit=8)
    tabs = st.tabs([t(k) for k, _ in TABS], key="pm_tab", on_change="rerun")
    for tab, (_, which) in zip(tabs, TABS):
        if tab.open:
            with tab:
                {"targets": status_table, "history": lambda m: history_tab(m, hist), "projects": projects_tab,
                 "tasks": register_tab}[which](mon)
    downloads(mon, hist)


layout.page(body, "nav_monitoring")

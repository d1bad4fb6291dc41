"""The monitoring page's session side: the task register held in the session (uploaded, opened from or saved in the
library as kind ``tasks``), the thresholds, and the monitoring of the session's actuals (cached per content).

Every file is parsed by the model (``model.io.tasks``: strict, ``file:row:column`` messages); a bad file changes
nothing. Writes go through the library, which checks the actor on every change (a viewer never writes).
"""
from __future__ import annotations

import logging
import threading

import pandas as pd
import streamlit as st

from model import DataError
from model.calc.monitoring import MonitorSettings, Monitoring, history, history_years, monitor
from model.io.actuals import ActualsSet, ProjectActuals
from model.io.library import LibraryError
from model.io.tasks import PROGRESS, REGISTER_COLUMNS, TaskRegister, now_text, progress_label
from model.report.text import LANGS

from . import documents, state

log = logging.getLogger("shifeng.ui")

TASKS, LABEL, SETTINGS, YEAR = "mon_tasks", "mon_tasks_label", "mon_settings", "mon_year_value"


# -- the register in the session ----------------------------------------------------------------------------------

def register() -> TaskRegister | None:
    return st.session_state.get(TASKS)


def label() -> str | None:
    return st.session_state.get(LABEL)


def set_register(reg: TaskRegister | None, name: str | None = None) -> None:
    st.session_state[TASKS] = reg
    st.session_state[LABEL] = name


def load_register_upload(key: str) -> None:
    """on_change of the register uploader: parse, then hold it; a bad file changes nothing."""
    reg = documents.read_upload(key, lambda raw, name: TaskRegister.from_bytes(raw, name, state.load_data()),
                                "pm.upload_bad", rows=True)
    if reg is not None:
        name = getattr(st.session_state.get(key), "name", "")
        set_register(reg, name)
        state.flash("success", "pm.tasks_loaded", file=name, n=len(reg), id=reg.short_id)


def register_records() -> tuple[list, str | None]:
    """The library's registers (latest version of each name) and the library's error, if any."""
    try:
        with state.open_library() as lib:
            return lib.list(kind="tasks"), None
    except LibraryError as exc:
        return [], str(exc)


def open_register(short_id: str, name: str = "") -> None:
    """on_click: make the library's register ``short_id`` the session's."""
    try:
        with state.open_library() as lib:
            rec = lib.get(short_id, kind="tasks")
        reg = TaskRegister.from_bytes(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}", state.load_data())
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)])
        return
    except DataError as exc:
        state.flash("error", "doc_bad", exc.problems, file=name or short_id)
        return
    set_register(reg, rec.name)
    state.flash("success", "pm.tasks_loaded", file=rec.name, n=len(reg), id=reg.short_id)


def editor_name() -> str:
    """The signed-in editor's name (the library's actor), for 更新人; empty when none is signed in."""
    try:
        with state.open_library() as lib:
            return lib.actor.name if lib.actor.is_editor and lib.auth.accounts else ""
    except Exception:  # noqa: BLE001 - the page works without the library
        return ""


def can_edit() -> bool:
    """Whether the register may be edited here: not a read-only deployment, and the library lets this user write."""
    return documents.can_save()


def apply_edits(edited: pd.DataFrame, base: pd.DataFrame, author: str, save_as: str | None = None) -> None:
    """Validate an edited register table (``base``: the table as shown before the edits); hold it, the rows the
    editor changed stamped with 更新人 ``author`` and 更新时间 now (unless the editor set those); with ``save_as``
    store it in the library as that name's next version (the library logs who)."""
    data = state.load_data()
    words = {progress_label(v, lg): v for v in PROGRESS for lg in LANGS}
    table = edited.copy().reset_index(drop=True)
    before = base.copy().reset_index(drop=True)
    for df in (table, before):
        df["progress"] = [words.get(v, v) if isinstance(v, str) else "" for v in df["progress"]]
    cell = lambda df, i, c: "" if df.at[i, c] is None or df.at[i, c] != df.at[i, c] else str(df.at[i, c])  # noqa
    stamp = now_text()
    for i in table.index:
        if any(cell(table, i, c) != cell(before, i, c) for c in REGISTER_COLUMNS[1:6]):
            if cell(table, i, "updated_by") == cell(before, i, "updated_by") and author:
                table.at[i, "updated_by"] = author
            if cell(table, i, "updated_at") == cell(before, i, "updated_at"):
                table.at[i, "updated_at"] = stamp
    try:
        reg = TaskRegister.from_frame(table, data, "tasks.csv")
    except DataError as exc:
        state.flash("error", "pm.edit_bad", exc.problems)
        return
    if save_as is None:
        set_register(reg, label())
        state.flash("success", "pm.applied", n=len(reg), id=reg.short_id)
        return
    try:
        with state.open_library() as lib:
            rec = lib.save_document("tasks", save_as, reg.to_csv_text(), author, "")
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)])
        return
    set_register(reg, rec.name)
    state.flash("success", "lib_saved", name=rec.name, id=rec.short_id, v=rec.version)


# -- thresholds and year -----------------------------------------------------------------------------------------

def settings() -> MonitorSettings:
    got = st.session_state.get(SETTINGS)
    return got if isinstance(got, MonitorSettings) else MonitorSettings()


def set_settings(**changes) -> bool:
    """New thresholds (ratios); a combination the rules refuse is named (its parameter) and changes nothing."""
    from dataclasses import replace

    try:
        st.session_state[SETTINGS] = replace(settings(), **changes)
        return True
    except ValueError as exc:
        state.flash("warning", "pm.settings_bad", [str(exc)])
        return False


# -- the monitoring, cached per content ----------------------------------------------------------------------------

def _short_id(doc) -> str:
    return doc.short_id


@st.cache_resource(show_spinner=False, max_entries=64,
                   hash_funcs={ActualsSet: _short_id, TaskRegister: _short_id, ProjectActuals: _short_id,
                               MonitorSettings: repr})
def _monitoring(aset: ActualsSet, reg: TaskRegister | None, projects: ProjectActuals | None,
                settings_: MonitorSettings, year: int | None, plan_key: tuple = ()) -> tuple[Monitoring, pd.DataFrame]:
    data = state.load_data()
    mon = monitor(data, aset, year, tasks=reg, projects=projects, settings=settings_)
    hist = history(data, aset, history_years(data, aset, mon.year), tasks=reg, settings=settings_)
    return mon, hist


def monitoring(aset: ActualsSet, year: int | None) -> tuple[Monitoring, pd.DataFrame]:
    """The monitoring of ``aset``, the session's register and project execution report (shared with the evaluation
    page) in ``year`` with the session's thresholds, and the warnings of every plan year up to it. The road list's
    totals are taken from the session's road report where the actuals give no figure (as the evaluation does)."""
    data = state.load_data()
    roads = documents.road_actuals()
    if roads is not None:
        from model.calc.evaluation import road_totals_as_actuals

        aset = aset.merged(road_totals_as_actuals(data, roads))
    return _monitoring(aset, register(), documents.project_actuals(), settings(), year, (data.id, data.fingerprint))


_FILES: dict[tuple, tuple] = {}
_LOCK = threading.Lock()


def monitoring_file(mon: Monitoring, hist: pd.DataFrame, lang: str, name: str, report: str | None = None):
    """A download callable for one file of the monitoring (CSV or a report), made on click and kept."""
    data = state.load_data()

    def make() -> bytes:
        from model.report.monitoring_report import monitoring_files

        key = (id(mon), lang, report)
        with _LOCK:
            hit = _FILES.get(key)
            if hit is None or hit[0] is not mon:
                if len(_FILES) > 16:
                    _FILES.clear()
                hit = _FILES[key] = (mon, monitoring_files(data, mon, lang, report=report, hist=hist))
        return hit[1][name]

    return make


def template_file(lang: str, name: str):
    """A download callable for the register's blank template in ``lang``."""
    def make() -> bytes:
        from model.io.tasks import template_files

        return template_files(state.load_data(), lang)[name]

    return make

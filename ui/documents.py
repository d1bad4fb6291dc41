"""Documents a scenario rests on besides its settings: an actuals set (the evaluation, a rebase) and a next plan's
project and road lists. Held in the session; saved in and opened from the library by short ID, so a link that
names them (``as=``, ``pj=``, ``rd=``) restores them in a fresh browser.

Every file is parsed by the model (strict, ``file:row:column`` messages); a bad file changes nothing.
"""
from __future__ import annotations

import logging
import threading

import streamlit as st

from model import DataError, PlanData, Scenario
from model.calc.evaluation import EvalSettings, Evaluation, evaluate
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals
from model.io.library import LibraryError

from . import state

log = logging.getLogger("shifeng.ui")

ACTUALS, PROJECTS, ROADS = "doc_actuals", "doc_projects", "doc_roads"
# execution reports of the plan's annexes (the evaluation's optional files): held in the session only
EXEC_PROJECTS, EXEC_ROADS = "doc_exec_projects", "doc_exec_roads"
LABELS = "doc_labels"  # kind -> the file name (or library name) a held document came from, for the page to show
MAX_BYTES = 1_000_000


def actuals() -> ActualsSet | None:
    """The session's actuals set: an uploaded one, or the one the scenario names (opened from the library)."""
    ss = st.session_state
    ref = state.scenario().actuals_ref
    held = ss.get(ACTUALS)
    if held is not None and (ref is None or held.short_id.startswith(ref)):
        return held
    if ref is not None:
        got = _open("actuals", ref)
        if got is not None:
            try:
                held = ActualsSet.from_bytes(got.encode("utf-8"), f"{ref}.csv", state.load_data())
            except DataError as exc:
                state.flash("error", "doc_bad", exc.problems, file=ref)
                return None
            ss[ACTUALS] = held
            return held
    return held


def set_actuals(aset: ActualsSet | None, label: str | None = None) -> None:
    st.session_state[ACTUALS] = aset
    _set_label(ACTUALS, label)


def _set_label(kind: str, label: str | None) -> None:
    labels = dict(st.session_state.get(LABELS, {}))
    labels[kind] = label
    st.session_state[LABELS] = labels


def label_of(kind: str) -> str | None:
    """The file (or library) name a held document came from; None when unknown (e.g. opened by a link)."""
    return st.session_state.get(LABELS, {}).get(kind)


def project_actuals() -> ProjectActuals | None:
    """The session's project execution report (Annex 1), if one was uploaded."""
    return st.session_state.get(EXEC_PROJECTS)


def road_actuals() -> RoadActuals | None:
    """The session's road execution report (Annex 2), if one was uploaded."""
    return st.session_state.get(EXEC_ROADS)


def clear(kind: str) -> None:
    """Forget a held document (``ACTUALS``, ``EXEC_PROJECTS`` or ``EXEC_ROADS``); an actuals set the scenario names
    is no longer named by it."""
    st.session_state[kind] = None
    _set_label(kind, None)
    if kind == ACTUALS and state.scenario().actuals_ref is not None:
        state.change(actuals_ref=None)


def _open(kind: str, ref: str) -> str | None:
    """A library document's text by short ID, or None with a notice (the app works without the library)."""
    cache = st.session_state.setdefault("doc_cache", {})
    if (kind, ref) in cache:
        return cache[(kind, ref)]
    try:
        with state.open_library() as lib:
            text = lib.get(ref, kind=kind).content
    except LibraryError as exc:
        state.flash("warning", "doc_missing", [str(exc)], ref=ref)
        cache[(kind, ref)] = None  # said once; the page goes on without it
        return None
    cache[(kind, ref)] = text
    return text


def read_upload(key: str, parse, bad_key: str = "upload_bad"):
    """The parsed content of the file in uploader ``key`` (``parse(raw, name)``), or None after one message
    (``bad_key``, with the file's name) listing every problem."""
    f = st.session_state.get(key)
    if f is None:
        return None
    name = getattr(f, "name", "upload")
    try:
        if getattr(f, "size", 0) > MAX_BYTES:
            raise DataError([f"{name}:-:-: larger than {MAX_BYTES // 1000} kB"])
        return parse(f.getvalue(), name)
    except DataError as exc:
        state.flash("error", bad_key, exc.problems, file=name)
    except Exception:  # noqa: BLE001 - a bad upload must never break the page
        log.exception("upload failed")
        state.flash("error", bad_key, ["unreadable file"], file=name)
    return None


def load_actuals_upload(key: str, bad_key: str = "upload_bad") -> None:
    """on_change of an actuals uploader: parse, then hold it (the scenario's own reference is cleared)."""
    aset = read_upload(key, lambda raw, name: ActualsSet.from_bytes(raw, name, state.load_data()), bad_key)
    if aset is not None:
        name = getattr(st.session_state.get(key), "name", "")
        set_actuals(aset, name)
        if state.scenario().actuals_ref is not None:
            state.change(actuals_ref=None)
        state.flash("success", "doc_loaded", file=name, n=len(aset))


def load_project_actuals_upload(key: str, bad_key: str = "upload_bad") -> None:
    """on_change of a project execution uploader: parse, then hold it; a bad file changes nothing."""
    _load_execution(key, EXEC_PROJECTS, ProjectActuals, bad_key)


def load_road_actuals_upload(key: str, bad_key: str = "upload_bad") -> None:
    """on_change of a road execution uploader: parse, then hold it; a bad file changes nothing."""
    _load_execution(key, EXEC_ROADS, RoadActuals, bad_key)


def _load_execution(key: str, kind: str, cls, bad_key: str) -> None:
    got = read_upload(key, lambda raw, name: cls.from_bytes(raw, name, state.load_data()), bad_key)
    if got is not None:
        name = getattr(st.session_state.get(key), "name", "")
        st.session_state[kind] = got
        _set_label(kind, name)
        state.flash("success", "doc_loaded", file=name, n=len(got))


def actuals_records() -> tuple[list, str | None]:
    """The library's actuals sets (latest version of each name, newest first) and the library's error, if any (the
    page works without the library)."""
    try:
        with state.open_library() as lib:
            return lib.list(kind="actuals"), None
    except LibraryError as exc:
        return [], str(exc)


def can_save() -> bool:
    """Whether this deployment lets the user store documents in the library."""
    if state.read_only():
        return False
    try:
        with state.open_library() as lib:
            return lib.can_write
    except LibraryError:
        return False


def open_actuals(short_id: str, name: str = "") -> None:
    """on_click: make the library's actuals set ``short_id`` the session's (the scenario and its link name it)."""
    text = _open("actuals", short_id)
    if text is None:
        return
    try:
        aset = ActualsSet.from_bytes(text.encode("utf-8"), f"{name or short_id}.csv", state.load_data())
    except DataError as exc:
        state.flash("error", "doc_bad", exc.problems, file=name or short_id)
        return
    set_actuals(aset, name or short_id)
    state.change(actuals_ref=aset.short_id)
    state.flash("success", "doc_loaded", file=name or short_id, n=len(aset))


def save_actuals(name: str, author: str, note: str) -> None:
    """Store the session's actuals set in the library and let the scenario (and its link) name it."""
    aset = actuals()
    if aset is None:
        return
    try:
        with state.open_library() as lib:
            rec = lib.save_document("actuals", name, aset.to_csv_text(), author, note)
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)])
        return
    state.change(actuals_ref=rec.short_id)
    _set_label(ACTUALS, rec.name)
    state.flash("success", "lib_saved", name=rec.name, id=rec.short_id, v=rec.version)


def data_for_scenario(data: PlanData, projects=None, roads=None) -> PlanData:
    """The plan's data with the session's project and road lists in place of the annexes, when given."""
    if projects is None and roads is None:
        return data
    return data.with_lists(projects=projects, roads=roads)


# -- the evaluation of the session's documents -----------------------------------------------------

def _short_id(doc) -> str:
    return doc.short_id


# Keyed by content (short IDs), the thresholds and the scenario (its repr spells out every field): a slider move
# that comes back to earlier thresholds, or another session with the same files, reuses the result.
@st.cache_resource(show_spinner=False, max_entries=64,
                   hash_funcs={ActualsSet: _short_id, ProjectActuals: _short_id, RoadActuals: _short_id,
                               Scenario: repr, EvalSettings: repr})
def _evaluation(aset: ActualsSet, projects: ProjectActuals | None, roads: RoadActuals | None,
                settings: EvalSettings, s: Scenario) -> Evaluation:
    return evaluate(state.load_data(), aset, projects, roads, settings=settings,
                    scenario_paths=state.results(s).projection.path)


def evaluation(aset: ActualsSet, settings: EvalSettings) -> Evaluation:
    """The plan's evaluation against ``aset`` (the session's :func:`actuals`) and the session's execution reports,
    with the current scenario's projection as the comparison path."""
    return _evaluation(aset, project_actuals(), road_actuals(), settings, state.scenario())


@st.cache_resource(show_spinner=False)
def _templates() -> dict[str, bytes]:
    from model.report.evaluation_report import template_files

    return template_files(state.load_data())


def template_file(name: str):
    """A download callable for one blank template (``actuals-template.csv`` … ``actuals-template.xlsx``): the bytes
    are made on the first click and kept."""
    return lambda: _templates()[name]


_EVAL_FILES: dict[tuple, tuple[Evaluation, dict[str, bytes]]] = {}
_EVAL_LOCK = threading.Lock()


def evaluation_file(ev: Evaluation, lang: str, name: str):
    """A download callable for one file of the evaluation (the CSVs, the report .docx / .html) in ``lang``; made on
    click (the report renders its charts) and kept for the same evaluation."""
    data = state.load_data()

    def make() -> bytes:
        from model.report.evaluation_report import REPORT_FILES, evaluation_files

        report = name in REPORT_FILES[lang]
        key = (id(ev), lang, report)
        with _EVAL_LOCK:
            hit = _EVAL_FILES.get(key)
            if hit is None or hit[0] is not ev:  # the entry holds its evaluation, so the id is never reused
                if len(_EVAL_FILES) > 16:
                    _EVAL_FILES.clear()
                hit = _EVAL_FILES[key] = (ev, evaluation_files(data, ev, lang, report=report))
        return hit[1][name]

    return make

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


# -- a next plan's project and road lists (pj=, rd=) ---------------------------------------------------
# Lists are content-addressed (the short ID is the hash of the canonical text), so one that has been read is held
# for the whole process: every session that names the same ID means the same list. A list a session uploads is
# named by the scenario at once; saving it in the library is what lets a link restore it elsewhere.

LIST_REF = {"projects": "projects_ref", "roads": "roads_ref"}
_LISTS: dict = {}  # (kind, short_id) -> PlanList
_LISTS_MAX = 256


def remember_list(pl) -> None:
    """Hold a validated list for this process (looked up by its short ID)."""
    if len(_LISTS) >= _LISTS_MAX:
        _LISTS.clear()
    _LISTS[(pl.kind, pl.short_id)] = pl


def held_list(kind: str, ref: str | None):
    """The list a scenario names by ``ref``: held in this process, else opened from the library; None when
    neither has it or the stored text no longer validates (no message here: safe inside cached calls)."""
    if ref is None:
        return None
    for (k, sid), pl in list(_LISTS.items()):
        if k == kind and sid.startswith(ref):
            return pl
    from model.io.lists import PlanList

    try:
        with state.open_library() as lib:
            rec = lib.get(ref, kind=kind)
        pl = PlanList.from_bytes(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}", kind)
    except (LibraryError, DataError):
        return None
    except Exception:  # noqa: BLE001 - the app works without the library
        log.exception("opening %s %s failed", kind, ref)
        return None
    remember_list(pl)
    return pl


def lists_for(s) -> tuple[str, ...]:
    """The lists scenario ``s`` names that can be opened, as ``kind:short_id`` keys (for the results cache)."""
    out = []
    for kind, name in LIST_REF.items():
        pl = held_list(kind, getattr(s, name))
        if pl is not None:
            out.append(f"{kind}:{pl.short_id}")
    return tuple(out)


_DATA: dict = {}  # keys -> PlanData with those lists (content-addressed, so shared like the lists)


def data_with(keys: tuple[str, ...]) -> PlanData:
    """The plan's data with the lists ``keys`` (from :func:`lists_for`) in place of the annexes."""
    from model.io.lists import with_lists

    data = _DATA.get(keys)
    if data is not None:
        return data
    got = {}
    for key in keys:
        kind, sid = key.split(":", 1)
        got[kind] = _LISTS.get((kind, sid)) or held_list(kind, sid)
    data = with_lists(state.load_data(), got.get("projects"), got.get("roads"))
    if len(_DATA) >= _LISTS_MAX:
        _DATA.clear()
    _DATA[keys] = data
    return data


def data_for(s) -> PlanData:
    """The data scenario ``s`` runs on: the plan's, with the lists it names where they can be opened."""
    keys = lists_for(s) if (s.projects_ref or s.roads_ref) else ()
    return data_with(keys) if keys else state.load_data()


def list_status(kind: str) -> tuple[object, str]:
    """(list or None, status): ``annex`` (none named), ``held`` (named and open), ``missing`` (named, not found)."""
    ref = getattr(state.scenario(), LIST_REF[kind])
    if ref is None:
        return None, "annex"
    pl = held_list(kind, ref)
    return (pl, "held") if pl is not None else (None, "missing")


def in_library(kind: str, ref: str | None) -> bool:
    """Whether the library holds the document ``ref`` of ``kind`` (remembered once it does)."""
    if ref is None:
        return False
    known = st.session_state.setdefault("doc_in_library", set())
    if (kind, ref) in known:
        return True
    try:
        with state.open_library() as lib:
            lib.get(ref, kind=kind)
    except LibraryError:
        return False
    except Exception:  # noqa: BLE001
        log.exception("library lookup failed")
        return False
    known.add((kind, ref))
    return True


def _keep_ids(s, ids: set) -> dict:
    """Exclusions and per-project delays of ``s`` that name projects in ``ids`` (the rest would be unknown)."""
    from model.scenario import FrozenMap

    return {"excluded": frozenset(i for i in s.excluded if i in ids),
            "delay_project": FrozenMap({k: v for k, v in s.delay_project.items() if k in ids})}


def load_list_upload(key: str, kind: str) -> None:
    """on_change of a list uploader: validate; a good list is held and named by the scenario (a bad one changes
    nothing and its problems are listed as ``file:row:column``)."""
    from model.io.lists import PlanList

    pl = read_upload(key, lambda raw, name: PlanList.from_bytes(raw, name, kind))
    if pl is None:
        return
    remember_list(pl)
    changes = {LIST_REF[kind]: pl.short_id}
    if kind == "projects":
        changes.update(_keep_ids(state.scenario(), set(pl.ids())))
    if state.change(**changes):
        state.flash("success", "pn.list_loaded", file=pl.label, n=len(pl), id=pl.short_id)


def clear_list(kind: str) -> None:
    """Back to the plan's annex for ``kind``."""
    changes = {LIST_REF[kind]: None}
    if kind == "projects":
        changes.update(_keep_ids(state.scenario(), set(state.load_data().projects["project_id"])))
    state.change(**changes)


def save_documents(name: str, author: str, note: str) -> None:
    """Store every document the scenario names (actuals set, project list, road list) in the library under
    ``name`` (one name, one version each), so that its link restores them in any browser."""
    s = state.scenario()
    docs = []
    aset = actuals()
    if aset is not None and s.actuals_ref is not None:
        docs.append(("actuals", aset.to_csv_text()))
    for kind, field in LIST_REF.items():
        pl = held_list(kind, getattr(s, field))
        if pl is not None:
            docs.append((kind, pl.to_csv_text()))
    if not docs:
        state.flash("info", "pn.nothing_to_save")
        return
    saved = []
    try:
        with state.open_library() as lib:
            for kind, text in docs:
                rec = lib.save_document(kind, name, text, author, note)
                saved.append(f"{kind} {rec.short_id} v{rec.version}")
                st.session_state.setdefault("doc_in_library", set()).add((kind, rec.short_id))
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)] + saved)
        return
    state.flash("success", "pn.docs_saved", saved, name=name)


def use_actuals_ref(ref: str | None) -> None:
    """Let the scenario name the session's actuals set (a rebase rests on it)."""
    if state.scenario().actuals_ref != ref:
        state.change(actuals_ref=ref)

"""Documents a scenario rests on besides its settings: an actuals set (the evaluation, a rebase), the execution
reports of the plan's project and road lists, and a next plan's project and road lists. Held in the session; saved
in and opened from the library by short ID, so a link that names them (``as=``, ``pj=``, ``rd=``) restores them in a
fresh browser.

Every document belongs to one plan (the session's when it was read): it is parsed against that plan, held with its
plan's ID, and stored in the library under the plan's kind (``model.io.library.plan_kind``: ``actuals`` for the
default package, ``actuals@ID`` for another). A document of another plan is refused with a message naming both plans,
never read against the wrong one. Every file is parsed by the model (strict, ``file:row:column`` messages); a bad
file changes nothing.
"""
from __future__ import annotations

import logging
import threading

import streamlit as st

from model import DataError, PlanData, Scenario
from model.calc.evaluation import EvalSettings, Evaluation, EvaluationBasis, evaluation_basis, graded
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals
from model.io.library import LibraryError, plan_kind
from model.io.sheets import require_rows

from . import lists, state
from .i18n import lang
from .lru import Lru

log = logging.getLogger("shifeng.ui")

ACTUALS, PROJECTS, ROADS = "doc_actuals", "doc_projects", "doc_roads"
# execution reports of the plan's annexes (the evaluation's optional files): held in the session only
EXEC_PROJECTS, EXEC_ROADS = "doc_exec_projects", "doc_exec_roads"
LABELS = "doc_labels"  # kind -> the file name (or library name) a held document came from, for the page to show
PLANS = "doc_plans"  # kind -> the ID of the plan a held document was read against
MAX_BYTES = 1_000_000


def plan() -> PlanData:
    """The session's plan: every document is read against it and stored under its kind."""
    return state.load_data()


def library_kind(kind: str, data: PlanData | None = None) -> str:
    """The library kind of this plan's documents of ``kind`` (``actuals``, ``projects``, ``roads``)."""
    return plan_kind(kind, data if data is not None else plan())


def _plan_name(plan_id: str) -> str:
    """A plan's name for a message (its ID when this deployment does not offer it)."""
    from model.plan.registry import by_id

    try:
        return by_id(plan_id).meta.text("short_name", lang()) or by_id(plan_id).meta.text("name", lang()) or plan_id
    except KeyError:
        return plan_id


def _refuse_other_plan(what: str, other_id: str) -> None:
    """The one message for a document of another plan: it names the document, its plan and the session's."""
    data = plan()
    state.flash("error", "doc.other_plan", file=what, plan=_plan_name(other_id),
                this=data.meta.text("short_name", lang()) or data.meta.text("name", lang()) or data.id)


def _held(kind: str):
    """A held document (``ACTUALS``, ``EXEC_PROJECTS``, ``EXEC_ROADS``) if it was read against the session's plan;
    one of another plan (the session changed plan since) is dropped with a message, never used."""
    ss = st.session_state
    doc = ss.get(kind)
    if doc is None:
        return None
    owner = ss.get(PLANS, {}).get(kind)
    if owner is not None and owner != plan().id:
        _refuse_other_plan(label_of(kind) or doc.short_id, owner)
        ss[kind] = None
        _set_label(kind, None)
        return None
    return doc


def _hold(kind: str, doc, label: str | None) -> None:
    st.session_state[kind] = doc
    _set_label(kind, label)
    owners = dict(st.session_state.get(PLANS, {}))
    owners[kind] = plan().id if doc is not None else None
    st.session_state[PLANS] = owners


def actuals() -> ActualsSet | None:
    """The session's actuals set of the session's plan: an uploaded one, or the one the scenario names (opened from
    the library under this plan's kind)."""
    ref = state.scenario().actuals_ref
    held = _held(ACTUALS)
    if held is not None and (ref is None or held.short_id.startswith(ref)):
        return held
    if ref is not None:
        got = _open("actuals", ref)
        if got is not None:
            text, name = got
            try:
                held = ActualsSet.from_bytes(text.encode("utf-8"), f"{name or ref}.csv", plan())
            except DataError as exc:
                state.flash("error", "doc_bad", exc.problems, file=ref)
                return None
            _hold(ACTUALS, held, name or None)
            return held
    return held


def session_key() -> tuple:
    """What the session holds of documents, as a value that changes with any of them: the held documents' short
    IDs and plans, their labels, and what the library is known to hold (a page part that shows these is drawn again
    when this changes; see ui.layout.moving)."""
    ss = st.session_state
    held = tuple(getattr(ss.get(kind), "short_id", None) for kind in (ACTUALS, EXEC_PROJECTS, EXEC_ROADS))
    return (held, repr(sorted(ss.get(LABELS, {}).items())), repr(sorted(ss.get(PLANS, {}).items())),
            repr(sorted(ss.get("doc_in_library", set()))))


def set_actuals(aset: ActualsSet | None, label: str | None = None) -> None:
    _hold(ACTUALS, aset, label)


def _set_label(kind: str, label: str | None) -> None:
    labels = dict(st.session_state.get(LABELS, {}))
    labels[kind] = label
    st.session_state[LABELS] = labels


def label_of(kind: str) -> str | None:
    """The file (or library) name a held document came from; None when unknown (e.g. opened by a link)."""
    return st.session_state.get(LABELS, {}).get(kind)


def project_actuals() -> ProjectActuals | None:
    """The session's execution report of the plan's project list, if one was uploaded for this plan."""
    return _held(EXEC_PROJECTS)


def road_actuals() -> RoadActuals | None:
    """The session's execution report of the plan's road list, if one was uploaded for this plan."""
    return _held(EXEC_ROADS)


def clear(kind: str) -> None:
    """Forget a held document (``ACTUALS``, ``EXEC_PROJECTS`` or ``EXEC_ROADS``); an actuals set the scenario names
    is no longer named by it."""
    _hold(kind, None, None)
    if kind == ACTUALS and state.scenario().actuals_ref is not None:
        state.change(actuals_ref=None)


def _other_plan_of(kind: str, ref: str) -> str | None:
    """The ID of another offered plan whose library kind holds ``ref`` (to say whose document it is), if any."""
    from model.plan.registry import available

    here = plan().id
    try:
        with state.open_library() as lib:
            for other in available():
                if other.id == here:
                    continue
                try:
                    lib.get(ref, kind=plan_kind(kind, other))
                except LibraryError:
                    continue
                return other.id
    except Exception:  # noqa: BLE001 - only the message is at stake
        log.exception("looking for %s %s in other plans failed", kind, ref)
    return None


def _open(kind: str, ref: str) -> tuple[str, str] | None:
    """A library document of this plan (text, name) by short ID, or None with a message: a document of another
    plan is refused as such; a missing one is said once (the app works without the library)."""
    lkind = library_kind(kind)
    cache = st.session_state.setdefault("doc_cache", {})
    if (lkind, ref) in cache:
        return cache[(lkind, ref)]
    try:
        with state.open_library() as lib:
            rec = lib.get(ref, kind=lkind)
    except LibraryError as exc:
        other = _other_plan_of(kind, ref)
        if other is not None:
            _refuse_other_plan(ref, other)
        else:
            state.flash("warning", "doc_missing", [str(exc)], ref=ref)
        cache[(lkind, ref)] = None  # said once; the page goes on without it
        return None
    cache[(lkind, ref)] = (rec.content, rec.name)
    return cache[(lkind, ref)]


def read_upload(key: str, parse, bad_key: str = "upload_bad", *, rows: bool = False):
    """The parsed content of the file in uploader ``key`` (``parse(raw, name)``), or None after one message
    (``bad_key``, with the file's name) listing every problem. ``rows``: a file without a data row (a header only,
    an unfilled template) is refused too, so it never replaces what the session holds."""
    f = st.session_state.get(key)
    if f is None:
        return None
    name = getattr(f, "name", "upload")
    try:
        if getattr(f, "size", 0) > MAX_BYTES:
            raise DataError([f"{name}:-:-: larger than {MAX_BYTES // 1000} kB"])
        got = parse(f.getvalue(), name)
        return require_rows(got, name) if rows else got
    except DataError as exc:
        state.flash("error", bad_key, exc.problems, file=name)
    except Exception:  # noqa: BLE001 - a bad upload must never break the page
        log.exception("upload failed")
        state.flash("error", bad_key, ["unreadable file"], file=name)
    return None


def load_actuals_upload(key: str, bad_key: str = "upload_bad") -> None:
    """on_change of an actuals uploader: parse, then hold it (the scenario's own reference is cleared)."""
    aset = read_upload(key, lambda raw, name: ActualsSet.from_bytes(raw, name, plan()), bad_key, rows=True)
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
    got = read_upload(key, lambda raw, name: cls.from_bytes(raw, name, plan()), bad_key, rows=True)
    if got is not None:
        name = getattr(st.session_state.get(key), "name", "")
        _hold(kind, got, name)
        state.flash("success", "doc_loaded", file=name, n=len(got))


def actuals_records() -> tuple[list, str | None]:
    """The library's actuals sets of this plan (latest version of each name, newest first) and the library's error,
    if any (the page works without the library)."""
    try:
        with state.open_library() as lib:
            return lib.list(kind=library_kind("actuals")), None
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
    got = _open("actuals", short_id)
    if got is None:
        return
    text, stored = got
    name = name or stored
    try:
        aset = ActualsSet.from_bytes(text.encode("utf-8"), f"{name or short_id}.csv", plan())
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
            rec = lib.save_document(library_kind("actuals"), name, aset.to_csv_text(), author, note)
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

def _plan_key(data: PlanData) -> tuple:
    return data.id, data.fingerprint


# Keyed by the plan, content (short IDs), the thresholds, the scenario (its repr spells out every field) and the set's
# name: a slider move that comes back to earlier thresholds, or another session with the same files, reuses the result.
# A plain bounded map (ui/lru.py): asked for on every threshold move.
_EVALUATIONS = Lru(64)


def _basis_key(data: PlanData, aset: ActualsSet, projects: ProjectActuals | None, roads: RoadActuals | None,
               s: Scenario, name: tuple) -> tuple:
    return (_plan_key(data), aset.short_id, projects.short_id if projects is not None else None,
            roads.short_id if roads is not None else None, repr(s), name)


def _evaluation_key(data: PlanData, aset: ActualsSet, projects: ProjectActuals | None, roads: RoadActuals | None,
                    settings: EvalSettings, s: Scenario, name: tuple) -> tuple:
    return _basis_key(data, aset, projects, roads, s, name) + (repr(settings),)


def _evaluation(data: PlanData, aset: ActualsSet, projects: ProjectActuals | None, roads: RoadActuals | None,
                settings: EvalSettings, s: Scenario, name: tuple) -> Evaluation:
    return graded(_basis(data, aset, projects, roads, s, name), settings)


# What a threshold does not change, kept apart: a threshold slider re-grades the targets only. A plain bounded map
# keyed as the evaluations are (Streamlit's cache_resource hashed the six arguments on every threshold move).
_BASES = Lru(16)


def _basis(data: PlanData, aset: ActualsSet, projects: ProjectActuals | None, roads: RoadActuals | None,
           s: Scenario, name: tuple) -> EvaluationBasis:
    return _BASES.get(_basis_key(data, aset, projects, roads, s, name), lambda: evaluation_basis(
        data, aset, projects, roads, scenario_paths=state.results(s).projection.path, actuals_name=name[0],
        file_names=name[1]))


def evaluation(aset: ActualsSet, settings: EvalSettings) -> Evaluation:
    """The plan's evaluation against ``aset`` (the session's :func:`actuals`) and the session's execution reports,
    with the current scenario's projection as the comparison path; the set named as the page names it (file or
    library name)."""
    args = _evaluation_args(aset, settings)
    return _EVALUATIONS.get(_evaluation_key(*args), lambda: _evaluation(*args))


def basis_key(aset: ActualsSet) -> tuple:
    """Everything :func:`evaluation` depends on but the thresholds (plan, documents, scenario, name): a key for what
    a page derives from the evaluation's threshold-free part (the monitoring table), built once however often a
    threshold moves."""
    data, aset, projects, roads, _settings, s, name = _evaluation_args(aset, EvalSettings())
    return _basis_key(data, aset, projects, roads, s, name)


def evaluation_kept(aset: ActualsSet, settings: EvalSettings) -> Evaluation | None:
    """The evaluation :func:`evaluation` would return when it is kept already (a threshold seen before), else None:
    nothing is computed."""
    return _EVALUATIONS.peek(_evaluation_key(*_evaluation_args(aset, settings)))


def _evaluation_args(aset: ActualsSet, settings: EvalSettings) -> tuple:
    # the names the report's appendix gives: the actuals set's, and each execution report's file
    files = tuple((k, label_of(kind)) for k, kind in (("projects", PROJECTS), ("roads", ROADS)) if label_of(kind))
    return plan(), aset, project_actuals(), road_actuals(), settings, state.scenario(), (label_of(ACTUALS) or "",
                                                                                          files)


@st.cache_resource(show_spinner=False, hash_funcs={PlanData: _plan_key})
def _templates(data: PlanData) -> dict[str, bytes]:
    from model.report.evaluation_report import template_files

    return template_files(data)


def template_file(name: str):
    """A download callable for one blank template of the session's plan (``actuals-template.csv`` …
    ``actuals-template.xlsx``): the bytes are made on the first click and kept."""
    data = plan()
    return lambda: _templates(data)[name]


_EVAL_FILES: dict[tuple, tuple[Evaluation, dict[str, bytes]]] = {}
_EVAL_LOCK = threading.Lock()


def evaluation_file(ev: Evaluation, lang: str, name: str):
    """A download callable for one file of the evaluation (the CSVs, the report .docx / .html) in ``lang``; made on
    click (the report renders its charts) and kept for the same evaluation."""
    data = plan()

    def make() -> bytes:
        from model.report.evaluation_report import REPORT_FILES, evaluation_files

        report = name in REPORT_FILES[lang]
        key = (id(ev), data.id, lang, report)
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
# for the whole process, per plan (it was validated against that plan's areas and categories): every session of the
# plan that names the same ID means the same list. A list a session uploads is named by the scenario at once; saving
# it in the library (under the plan's kind) is what lets a link restore it elsewhere.

LIST_REF = lists.LIST_REF
_LISTS = lists.LISTS  # (plan id, kind, short_id) -> PlanList (held in ui/lists.py: results read them too)


def remember_list(pl, data: PlanData | None = None) -> None:
    """Hold a validated list of the plan ``data`` (default: the session's) for this process, by its short ID."""
    lists.remember(pl, data if data is not None else plan())


def held_list(kind: str, ref: str | None):
    """The list of the session's plan a scenario names by ``ref`` (see :func:`ui.lists.held`)."""
    return lists.held(kind, ref, plan(), state.open_library)


def lists_for(s) -> tuple[str, ...]:
    return lists.keys_for(s, plan(), state.open_library)


def data_with(keys: tuple[str, ...]) -> PlanData:
    return lists.data_with(keys, plan(), state.open_library)


def data_for(s) -> PlanData:
    """The data scenario ``s`` runs on: the plan's, with the lists it names where they can be opened."""
    return lists.data_for(s, state.open_library)


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
    lkind = library_kind(kind)
    known = st.session_state.setdefault("doc_in_library", set())
    if (lkind, ref) in known:
        return True
    try:
        with state.open_library() as lib:
            lib.get(ref, kind=lkind)
    except LibraryError:
        return False
    except Exception:  # noqa: BLE001
        log.exception("library lookup failed")
        return False
    known.add((lkind, ref))
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

    pl = read_upload(key, lambda raw, name: PlanList.from_bytes(raw, name, kind, plan()))
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
        changes.update(_keep_ids(state.scenario(), set(plan().projects["project_id"])))
    state.change(**changes)


def save_documents(name: str, author: str, note: str) -> None:
    """Store every document the scenario names (actuals set, project list, road list) in the library under
    ``name`` (one name, one version each), so that its link restores them in any browser."""
    if not str(name).strip():  # said in the page's language (the library's own message is English)
        state.flash("warning", "name_empty")
        return
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
                rec = lib.save_document(library_kind(kind), name, text, author, note)
                saved.append(f"{kind} {rec.short_id} v{rec.version}")
                st.session_state.setdefault("doc_in_library", set()).add((library_kind(kind), rec.short_id))
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)] + saved)
        return
    state.flash("success", "pn.docs_saved", saved, name=name)


def use_actuals_ref(ref: str | None) -> None:
    """Let the scenario name the session's actuals set (a rebase rests on it)."""
    if state.scenario().actuals_ref != ref:
        state.change(actuals_ref=ref)

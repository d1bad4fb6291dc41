"""Documents a scenario rests on besides its settings: an actuals set (the evaluation, a rebase) and a next plan's
project and road lists. Held in the session; saved in and opened from the library by short ID, so a link that
names them (``as=``, ``pj=``, ``rd=``) restores them in a fresh browser.

Every file is parsed by the model (strict, ``file:row:column`` messages); a bad file changes nothing.
"""
from __future__ import annotations

import logging

import streamlit as st

from model import DataError, PlanData
from model.io.actuals import ActualsSet
from model.io.library import LibraryError

from . import state

log = logging.getLogger("shifeng.ui")

ACTUALS, PROJECTS, ROADS = "doc_actuals", "doc_projects", "doc_roads"
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


def set_actuals(aset: ActualsSet | None) -> None:
    st.session_state[ACTUALS] = aset


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
        return None
    cache[(kind, ref)] = text
    return text


def read_upload(key: str, parse):
    """The parsed content of the file in uploader ``key`` (``parse(raw, name)``), or None after a message."""
    f = st.session_state.get(key)
    if f is None:
        return None
    name = getattr(f, "name", "upload")
    try:
        if getattr(f, "size", 0) > MAX_BYTES:
            raise DataError([f"{name}:-:-: larger than {MAX_BYTES // 1000} kB"])
        return parse(f.getvalue(), name)
    except DataError as exc:
        state.flash("error", "upload_bad", exc.problems, file=name)
    except Exception:  # noqa: BLE001 - a bad upload must never break the page
        log.exception("upload failed")
        state.flash("error", "upload_bad", ["unreadable file"], file=name)
    return None


def load_actuals_upload(key: str) -> None:
    """on_change of an actuals uploader: parse, then hold it (the scenario's own reference is cleared)."""
    aset = read_upload(key, lambda raw, name: ActualsSet.from_bytes(raw, name, state.load_data()))
    if aset is not None:
        set_actuals(aset)
        if state.scenario().actuals_ref is not None:
            state.change(actuals_ref=None)
        state.flash("success", "doc_loaded", file=getattr(st.session_state.get(key), "name", ""), n=len(aset))


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
    state.flash("success", "lib_saved", name=rec.name, id=rec.short_id, v=rec.version)


def data_for_scenario(data: PlanData, projects=None, roads=None) -> PlanData:
    """The plan's data with the session's project and road lists in place of the annexes, when given."""
    if projects is None and roads is None:
        return data
    return data.with_lists(projects=projects, roads=roads)

"""The per-mu efficiency page's documents (pages/10_mujun.py): an enterprise file and a low-efficiency land register,
held in this session only and saved in (opened from) the library.

Confidential by default:

* enterprise files and their results live only in the session and the library (kinds ``enterprises`` and
  ``idle_land``); nothing of them goes into the link (the scenario is not changed), into a process-wide cache, or
  into the log (a failed upload logs its exception's type only);
* only those who may write the library (:func:`can_see_firms`: an editor, or everyone where no editor accounts are
  configured, as for the rest of the app; never in a read-only deployment) upload, save, see enterprise names and
  download the 公示 workbook or the per-firm CSV; others open a saved set and see aggregates only (per area,
  industry and class).
"""
from __future__ import annotations

import logging

import streamlit as st

from model import DataError
from model.calc.mujun import Method, MethodError, Result, area_parents, evaluate, plan_inputs, presets
from model.io.enterprises import EnterpriseSet, LandRegister
from model.io.library import LibraryError

from . import layout, state

log = logging.getLogger("shifeng.ui")

SET, LAND, LABEL, METHOD, RESULT = "mj_set", "mj_land", "mj_labels", "mj_method", "mj_result"
KIND = {SET: "enterprises", LAND: "idle_land"}
CLASS_OF = {SET: EnterpriseSet, LAND: LandRegister}
MAX_BYTES = 1_000_000  # the app's upload cap (server.maxUploadSize)


def inputs():
    """(baselines, areas) of the plan the app runs on."""
    return plan_inputs(state.load_data())


def can_see_firms() -> bool:
    """Whether this session may see enterprise names and upload or save enterprise files (see the module doc)."""
    if state.read_only():
        return False
    try:
        with state.open_library() as lib:
            return lib.can_write
    except LibraryError:
        return False
    except Exception as exc:  # noqa: BLE001 - no library: as the rest of the app, the local user edits
        log.warning("library unavailable for the per-mu page (%s)", type(exc).__name__)
        return False


def held(which: str):
    return st.session_state.get(which)


def label_of(which: str) -> str:
    return st.session_state.get(LABEL, {}).get(which, "")


def _hold(which: str, doc, label: str) -> None:
    st.session_state[which] = doc
    labels = dict(st.session_state.get(LABEL, {}))
    labels[which] = label
    st.session_state[LABEL] = labels
    st.session_state.pop(RESULT, None)


def clear(which: str) -> None:
    _hold(which, None, "")


def load_upload(key: str, which: str) -> None:
    """on_change of an uploader: validate; a good file is held (a bad one changes nothing, its problems listed)."""
    f = st.session_state.get(key)
    if f is None:
        return
    name = getattr(f, "name", "upload")
    if not can_see_firms():
        state.flash("warning", "mj.p.editors_only")
        return
    try:
        if getattr(f, "size", 0) > MAX_BYTES:
            raise DataError([f"{name}:-:-: larger than {MAX_BYTES // 1000} kB"])
        doc = CLASS_OF[which].from_bytes(f.getvalue(), name, inputs()[1])
    except DataError as exc:
        state.flash("error", "mj.p.upload_bad", exc.problems, file=name)
        return
    except Exception as exc:  # noqa: BLE001 - never a traceback, never the content in the log
        log.warning("per-mu upload failed (%s)", type(exc).__name__)
        state.flash("error", "mj.p.upload_bad", ["unreadable file"], file=name)
        return
    _hold(which, doc, name)
    state.flash("success", "mj.p.loaded", file=name, n=len(doc), id=doc.short_id)


def records(which: str) -> tuple[list, str | None]:
    """The library's saved documents of ``which`` (latest version of each name) and its error, if any."""
    try:
        with state.open_library() as lib:
            return lib.list(kind=KIND[which]), None
    except LibraryError as exc:
        return [], str(exc)


def open_saved(which: str, short_id: str, name: str) -> None:
    """on_click: make the library's document ``short_id`` the session's (for viewers too: they see aggregates)."""
    land = None
    try:
        with state.open_library() as lib:
            rec = lib.get(short_id, kind=KIND[which])
            if which == SET:  # the land register saved under the same name comes with it
                try:
                    land = lib.get(rec.name, kind=KIND[LAND])
                except LibraryError:
                    land = None
        doc = CLASS_OF[which].from_bytes(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}", inputs()[1])
        if land is not None:
            _hold(LAND, LandRegister.from_bytes(land.content.encode("utf-8"), f"{land.name} v{land.version}",
                                                inputs()[1]), f"{land.name} v{land.version}")
        elif which == SET:
            clear(LAND)
    except (LibraryError, DataError) as exc:
        state.flash("error", "lib_failed", exc.problems[:20] if isinstance(exc, DataError) else [str(exc)])
        return
    _hold(which, doc, f"{rec.name} v{rec.version}")
    state.flash("success", "mj.p.loaded", file=f"{rec.name} v{rec.version}", n=len(doc), id=doc.short_id)


def save(name_key: str, note_key: str) -> None:
    """on_click: store the session's enterprise file (and land register) in the library under one name."""
    if not can_see_firms():
        state.flash("warning", "mj.p.editors_only")
        return
    ss = st.session_state
    name, note = str(ss.get(name_key, "")), str(ss.get(note_key, ""))
    if not name.strip():  # said in the page's language (the library's own message is English)
        state.flash("warning", "name_empty")
        return
    saved = []
    try:
        with state.open_library() as lib:
            for which in (SET, LAND):
                doc = held(which)
                if doc is not None:
                    rec = lib.save_document(KIND[which], name, doc.to_csv_text(), ss.get("editor_name", ""), note)
                    saved.append(f"{KIND[which]} {rec.short_id} v{rec.version}")
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)] + saved)
        return
    state.flash("success", "mj.p.saved", saved, name=name)


def method() -> Method:
    """The session's method (the default preset until changed on the page)."""
    m = st.session_state.get(METHOD)
    return m if isinstance(m, Method) else presets()["default"]


def set_method(m: Method) -> list[str]:
    """Use ``m`` if it is valid; else keep the current one and return its problems (each naming the parameter)."""
    problems = m.problems()
    if problems:
        return problems
    st.session_state[METHOD] = m
    return []


def result() -> Result | None:
    """The evaluation of the session's documents with its method (kept for the session, recomputed on change)."""
    es = held(SET)
    if es is None:
        return None
    land, m = held(LAND), method()
    data = state.load_data()  # the plan's areas: their order and which lie in which
    key = (es.short_id, land.short_id if land is not None else "", m, data.fingerprint)
    hit = st.session_state.get(RESULT)
    if hit is not None and hit[0] == key:
        return hit[1]
    baselines, areas = inputs()
    try:
        r = evaluate(es, m, baselines, land, areas, area_parents(data))
    except MethodError as exc:
        state.flash("error", "mj.p.method_bad", exc.problems)
        return None
    st.session_state[RESULT] = (key, r)
    return r


# -- the lever into the scenario (output page, land check, next plan's land check) ----------------------------

def lever_panel(key: str, *, output_yi: float | None = None, output_name: str = "", land_needed_mu: float | None = None,
                land_available_mu: float | None = None) -> None:
    """The per-mu evaluation's illustrative lever where a scenario is read: if class C and D firms closed a share of
    their gap to the class-B median output per mu (the slider, this session only, never in the link), the extra
    output (亿元) or the land freed (亩), and the low-efficiency land used at that level; set beside the scenario's
    own figures (``output_yi`` in the target year, the land check's ``land_needed_mu`` / ``land_available_mu``).
    Aggregates only: nothing of a firm is shown. Without an evaluated enterprise file in the session: where to make
    one."""
    from model.calc.mujun import lever
    from model.report.labels import fmt

    from .i18n import t

    res = result()
    if res is None:
        st.caption(t("mj.p.lever_none"))
        return
    lv = lever(res)
    if not lv.available:
        st.caption(t("mj.lever.unavailable"))
        return
    share = st.slider(t("mj.p.lever_share"), 0, 100, 100, 5, key=f"{key}_lever_share", format="%d%%",
                      help=t("mj.p.lever_share_help"))
    f = share / 100
    yi, mu = t("unit_yi"), t("unit_mu")
    c = layout.metric_row(3)
    c[0].metric(t("mj.p.lever_extra"), f"{fmt(lv.extra_output_yi * f)} {yi}")
    c[1].metric(t("mj.p.lever_freed"), f"{fmt(lv.land_freed_mu * f, 0)} {mu}")
    c[2].metric(t("mj.p.lever_idle"), f"{fmt(lv.idle_output_yi * f)} {yi}")
    if output_yi:
        st.caption(t("mj.p.lever_of_output", output=output_name, pct=fmt((lv.extra_output_yi + lv.idle_output_yi) * f / output_yi * 100, 1)))
    if land_needed_mu is not None and land_available_mu is not None:
        with_freed = land_available_mu + (lv.land_freed_mu + lv.idle_land_mu) * f
        st.caption(t("mj.p.lever_land", available=fmt(with_freed, 0),
                     verdict=t("mj.p.lever_land_ok") if with_freed >= land_needed_mu else
                     t("mj.p.lever_land_short", v=fmt(land_needed_mu - with_freed, 0))))
    st.caption(t("mj.lever.note"))

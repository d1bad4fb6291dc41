"""A next plan's project and road lists (pj=, rd=) held for the whole process, and the data a scenario runs on.

Lists are content-addressed (the short ID is the hash of the canonical text), so one that has been read is held for
the whole process, per plan (it was validated against that plan's areas and categories): every session of the plan
that names the same ID means the same list. A list a session uploads is named by the scenario at once; saving it in
the library (under the plan's kind) is what lets a link restore it elsewhere. Every function takes the plan and the
library opener it needs, so the session state (ui/state.py) and the documents (ui/documents.py) both read from here.
"""
from __future__ import annotations

import logging

from model import DataError, PlanData
from model.io.library import LibraryError, plan_kind

log = logging.getLogger("shifeng.ui")

LIST_REF = {"projects": "projects_ref", "roads": "roads_ref"}
LISTS: dict = {}  # (plan id, kind, short_id) -> PlanList
MAX = 256
_DATA: dict = {}  # (plan, keys) -> PlanData with those lists (content-addressed, so shared like the lists)


def remember(pl, data: PlanData) -> None:
    """Hold a validated list of the plan ``data`` for this process, by its short ID."""
    if len(LISTS) >= MAX:
        LISTS.clear()
    LISTS[(data.id, pl.kind, pl.short_id)] = pl


def held(kind: str, ref: str | None, data: PlanData, open_library):
    """The list of ``data`` named by ``ref``: held in this process, else opened from the library under the plan's
    kind; None when neither has it or the stored text no longer validates against the plan (no message here: safe
    inside cached calls)."""
    if ref is None:
        return None
    for (pid, k, sid), pl in list(LISTS.items()):
        # the full short ID only: a prefix (4 hex digits) opened a list another session uploaded and never saved;
        # a saved list is found by prefix in the library below, as every saved document is
        if pid == data.id and k == kind and sid == ref:
            return pl
    from model.io.lists import PlanList

    try:
        with open_library() as lib:
            rec = lib.get(ref, kind=plan_kind(kind, data))
        pl = PlanList.from_bytes(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}", kind, data)
    except (LibraryError, DataError):
        return None
    except Exception:  # noqa: BLE001 - the app works without the library
        log.exception("opening %s %s failed", kind, ref)
        return None
    remember(pl, data)
    return pl


def keys_for(s, data: PlanData, open_library) -> tuple[str, ...]:
    """The lists scenario ``s`` names that can be opened, as ``kind:short_id`` keys (for the results cache)."""
    out = []
    for kind, name in LIST_REF.items():
        pl = held(kind, getattr(s, name), data, open_library)
        if pl is not None:
            out.append(f"{kind}:{pl.short_id}")
    return tuple(out)


def data_with(keys: tuple[str, ...], base: PlanData, open_library) -> PlanData:
    """``base`` with the lists ``keys`` (from :func:`keys_for`) in place of its own lists."""
    from model.io.lists import with_lists

    cache_key = ((base.id, base.fingerprint), keys)
    data = _DATA.get(cache_key)
    if data is not None:
        return data
    got = {}
    for key in keys:
        kind, sid = key.split(":", 1)
        got[kind] = LISTS.get((base.id, kind, sid)) or held(kind, sid, base, open_library)
    data = with_lists(base, got.get("projects"), got.get("roads"))
    if len(_DATA) >= MAX:
        _DATA.clear()
    _DATA[cache_key] = data
    return data


def data_for(s, open_library) -> PlanData:
    """The data scenario ``s`` runs on: its plan's, with the lists it names where they can be opened."""
    if s.projects_ref is None and s.roads_ref is None:
        return s.plan_data
    keys = keys_for(s, s.plan_data, open_library)
    return data_with(keys, s.plan_data, open_library) if keys else s.plan_data

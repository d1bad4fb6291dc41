"""Which plans a deployment offers, and each one loaded once.

* the default plan: ``$SHIFENG_PLAN`` (a package folder; ``$SHIFENG_DATA`` is the older name), else the package
  under ``data/plans/`` marked ``default`` in its plan.csv;
* the plans offered: every package under ``data/plans/`` and under each folder of ``$SHIFENG_PLANS`` (folders
  separated by the system's path separator), plus the default; a plan is chosen by its ``id`` (``plan=`` in links,
  ``--plan`` on the command line also takes a folder).

A package is read again when one of its files changes (their sizes and times are compared on each call).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from .tables import PLAN_FILE, PLANS_DIR, TABLE_FILES, DataError, PlanData, default_folder, load_plan_data, plan_folder

_LOCK = threading.Lock()
_CACHE: dict[str, tuple[tuple, PlanData]] = {}


def _stamp(folder: Path) -> tuple:
    out = []
    for f in TABLE_FILES:
        try:
            st = (folder / f).stat()
            out.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((f, None, None))
    return tuple(out)


def plan_at(folder: str | Path | None = None) -> PlanData:
    """The plan in ``folder`` (default: the deployment's default plan), validated; cached while its files stay the
    same. Raises :class:`DataError`."""
    path = plan_folder(folder) if folder is not None else default_folder()
    key = str(Path(path).resolve())
    stamp = _stamp(Path(path))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    data = load_plan_data(path)
    with _LOCK:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = (stamp, data)
    return data


def plan_calendar(data=None):
    """The calendar of a plan: loaded plan data, a package folder, or (None) the deployment's default plan."""
    if isinstance(data, PlanData):
        return data.calendar
    return plan_at(data).calendar


def default_plan() -> PlanData:
    return plan_at(None)


def folders() -> list[Path]:
    """Every package folder the deployment offers (default first), each once."""
    roots = [PLANS_DIR] + [Path(p) for p in os.environ.get("SHIFENG_PLANS", "").split(os.pathsep) if p]
    found = [default_folder()]
    for root in roots:
        if (root / PLAN_FILE).is_file():
            found.append(root)
        found += sorted(p.parent for p in root.glob(f"*/{PLAN_FILE}"))
    out, seen = [], set()
    for f in found:
        r = f.resolve()
        if r not in seen and (f / PLAN_FILE).is_file():
            seen.add(r)
            out.append(f)
    return out


def survey() -> tuple[list[tuple[Path, PlanData]], dict[str, list[str]]]:
    """((folder, plan) of every package that loads with an id not taken by another, the packages left out with
    their problems). ``model.calc.plancheck.offered`` also leaves out those failing ``check``."""
    offered, left_out, by_id_folder = [], {}, {}
    for f in folders():
        try:
            p = plan_at(f)
        except DataError as exc:
            left_out[str(f)] = exc.problems
            continue
        if p.id in by_id_folder:
            left_out[str(f)] = [f"plan.csv:-:id: {p.id!r} is already offered by {by_id_folder[p.id]}"]
            continue
        by_id_folder[p.id] = f
        offered.append((Path(f), p))
    return offered, left_out


def available() -> list[PlanData]:
    """The packages that load, each id once (``problems()`` names the others; the app and ``plans`` offer only
    those that also pass ``check``: ``model.calc.plancheck.offered``)."""
    return [p for _, p in survey()[0]]


def problems() -> dict[str, list[str]]:
    """Packages left out, with their problems (folder -> lines): not loading, or an id already taken."""
    return survey()[1]


def stamp_of(folder: Path) -> tuple:
    """What changes when a package's files change (their sizes and times)."""
    return _stamp(Path(folder))


def by_id(plan_id: str | None) -> PlanData:
    """The plan with ``plan_id`` among those offered (None: the default plan). Raises ``KeyError``."""
    if not plan_id:
        return default_plan()
    for p in available():
        if p.id == plan_id:
            return p
    raise KeyError(plan_id)

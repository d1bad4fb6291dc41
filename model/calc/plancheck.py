"""The whole check of a plan package: what ``python -m model check`` runs, so that a package that passes works in
every command and page — the engine's vocabulary (link codes, defaults), every preset, a run of each, the
evaluation and the monitoring against actuals equal to the plan, and the exports of one scenario."""
from __future__ import annotations

import threading
from pathlib import Path

from ..plan.registry import default_folder, stamp_of, survey
from ..plan.tables import DataError, PlanData
from ..scenario.fields import bind_problems
from ..scenario.scenario import ScenarioError


def check_plan(data: PlanData) -> list[str]:
    """Problems beyond the loader's (``file:row:column: what``); empty when every command works on ``data``."""
    problems = list(bind_problems(data))
    if problems:
        return problems
    from ..io.tasks import key_tasks

    try:  # read when the monitoring or the register first needs it: checked here, with every problem
        key_tasks(data)
    except DataError as exc:
        return list(exc.problems)
    from ..scenario.presets import presets
    from .results import run

    try:
        table = presets(data)
    except (ScenarioError, DataError, ValueError, ZeroDivisionError) as exc:
        return [_located(data, _first(exc))]
    for slug, s in table.items():
        try:
            run(data, s)
        except (ScenarioError, DataError, ValueError, ZeroDivisionError, KeyError) as exc:
            problems.append(f"presets.csv:-:{slug}: the preset does not run: {_first(exc)}")
    if problems:
        return problems
    try:
        from ..io.export import all_files
        from .evaluation import evaluate, plan_as_actuals

        s = next(iter(table.values()))
        all_files(data, run(data, s))
        evaluate(data, *plan_as_actuals(data))
        from ..io.tasks import register_table
        from .monitoring import monitor

        monitor(data, plan_as_actuals(data)[0])
        register_table(data, None, "zh")
    except (ScenarioError, DataError, ValueError, ZeroDivisionError, KeyError) as exc:
        problems.append(f"-:-:-: the package loads but a command fails on it: {_first(exc)}")
    return problems


def _located(data: PlanData, problem: str) -> str:
    """A preset's problem named where the package states its cause: a segment's growth out of range at the rows of
    its target and base (the growth the target needs from the base); a share at segments.csv's share_pct; anything
    else at presets.csv (or the package, without one)."""
    param = problem.split(":", 1)[0]
    what, _, key = param.partition(".")
    seg = next((x for x in data.segments if x.key == key or x.id == key), None)
    if seg is not None and what == "growth":
        target, base = data.segment_target_row(seg.id), data.segment_base_row(seg.id)
        if target is not None and target.get("src_row"):
            at_base = f" (row {base['src_row']})" if base is not None and base.get("src_row") else ""
            return (f"indicators.csv:{target['src_row']}:value: the growth this target needs from its base{at_base} "
                    f"is out of range ({problem}): check both figures and their units")
    if seg is not None and what == "share":
        return f"segments.csv:-:share_pct: {problem}"
    return f"{'presets.csv' if len(data.preset_rules) else '-'}:-:-: {problem}"


def _first(exc: Exception) -> str:
    p = getattr(exc, "problems", None)
    return (p[0] if p else str(exc))[:300]


_CHECKED: dict[str, tuple[tuple, tuple[str, ...]]] = {}
_CHECK_LOCK = threading.Lock()


def _checked(folder, data: PlanData) -> tuple[str, ...]:
    """:func:`check_plan` of a package, once while its files stay the same."""
    key, stamp = str(Path(folder).resolve()), stamp_of(folder)
    with _CHECK_LOCK:
        hit = _CHECKED.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    found = tuple(check_plan(data))
    with _CHECK_LOCK:
        _CHECKED[key] = (stamp, found)
    return found


def offered() -> tuple[list[PlanData], dict[str, list[str]]]:
    """(the plans a deployment offers, the packages left out with their problems). A package is offered when it
    loads, its id is not taken and it passes :func:`check_plan` (one that loaded with presets that fail took down
    every page that opened it; one whose link codes clash with the app's read ``n=12`` as a growth rate); the
    deployment's default is offered as it is (checked by CI, and by ``check`` when it is set)."""
    found, left_out = survey()
    default = Path(default_folder()).resolve()
    plans = []
    for folder, p in found:
        if folder.resolve() != default:
            problems = _checked(folder, p)
            if problems:
                left_out[str(folder)] = ["does not pass `python -m model check`: " + problems[0], *problems[1:]]
                continue
        plans.append(p)
    return plans, left_out

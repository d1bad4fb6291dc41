"""The whole check of a plan package: what ``python -m model check`` runs, so that a package that passes works in
every command and page — the engine's vocabulary (link codes, defaults), every preset, a run of each, the
evaluation and the monitoring against actuals equal to the plan, and the exports of one scenario."""
from __future__ import annotations

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
        return [f"presets.csv:-:-: {_first(exc)}"]
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


def _first(exc: Exception) -> str:
    p = getattr(exc, "problems", None)
    return (p[0] if p else str(exc))[:300]

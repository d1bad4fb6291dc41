"""Enumerations (areas, categories, funding sources …) as a plan package defines them, and the engine's own
(kinds, comparators, scopes, output roles …).

The plan's values, their names in each language and their short link codes come from its ``enumerations.csv`` and
``areas.csv``; the engine's from ``model/plan/enumerations.csv``. Every function takes the plan (default: the
deployment's default plan).
"""
from __future__ import annotations

from .tables import PlanData

OWN_BUDGET, UNDETERMINED = "own_budget", "undetermined"  # flags of funding-source values


def _plan(data) -> PlanData:
    if isinstance(data, PlanData):
        return data
    from .registry import plan_at

    return plan_at(data)


def values(column: str, data=None) -> tuple[str, ...]:
    """Allowed values of an enum column (``area``, ``category``, ``funding_source`` …), in file order."""
    return _plan(data).values(column)


def label(column: str, value: str, lang: str = "zh", data=None) -> str:
    """The name of an enum value in ``lang`` (the value itself when the data give none)."""
    return _plan(data).label(column, value, lang)


def codes(column: str, data=None) -> dict[str, str]:
    """Short link code -> value for an enum column (a public interface, never renamed)."""
    return _plan(data).codes(column)


def own_budget(data=None) -> str | None:
    """The funding source that is the government's own budget (its burden is shown apart), if the plan flags one."""
    return _plan(data).flagged("funding_source", OWN_BUDGET)


def undetermined(data=None) -> str | None:
    """The funding source that means "not yet decided", if the plan flags one."""
    return _plan(data).flagged("funding_source", UNDETERMINED)

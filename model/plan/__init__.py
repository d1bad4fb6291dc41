"""The plan as a package of data: load and validate a plan folder (tables, segments, areas, enumerations, calendar),
the deployment's plans (registry) and the data audit.

Names are imported on first use (PEP 562), so importing one submodule never runs the others: sessions that start at
once cannot meet a half-initialised package."""
from __future__ import annotations

import importlib

_PUBLIC = {"Calendar": ".calendar", "plan_calendar": ".registry", "DATA_DIR": ".tables", "DataError": ".tables",
           "Plan": ".tables", "PlanData": ".tables", "load_plan_data": ".tables"}


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    raise AttributeError(f"module 'model.plan' has no attribute {name!r}")


__all__ = sorted(_PUBLIC)

"""Pure model of the Shifeng park plan (never imports streamlit).

    plan/      load and validate data/ (tables, enumerations, calendar) and audit it
    scenario/  the field table, the Scenario built from it, presets
    calc/      growth, phasing, analysis, run() and its results
    io/        assumptions CSV, URL codec, exports, atomic folder writes, the scenario library
    report/    translation table, labels, charts, story, brief
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

# Module paths from before the regroup keep working (scripts and notebooks import them).
LEGACY_MODULES = {
    "model.tables": "model.plan.tables", "model.audit": "model.plan.audit",
    "model.growth": "model.calc.growth", "model.phasing": "model.calc.phasing", "model.analysis": "model.calc.analysis",
    "model.share": "model.io.url", "model.export": "model.io.export", "model.library": "model.io.library",
    "model.charts": "model.report.charts", "model.story": "model.report.story", "model.brief": "model.report.brief",
}


class _LegacyAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import model.share`` gives the module ``model.io.url`` itself (one object, not a copy)."""

    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name in LEGACY_MODULES else None

    def create_module(self, spec):
        module = importlib.import_module(LEGACY_MODULES[spec.name])
        self._spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self._spec  # keep the real module's identity


if not any(isinstance(f, _LegacyAlias) for f in sys.meta_path):
    sys.meta_path.insert(0, _LegacyAlias())

from .calc.growth import Projection, Targets, project  # noqa: E402
from .calc.phasing import Phasing, phase_projects, phase_roads  # noqa: E402
from .calc.results import Results, run  # noqa: E402
from .plan.tables import DataError, PlanData, load_plan_data  # noqa: E402
from .scenario import (PRESET_NAMES, Scenario, ScenarioError, from_assumptions_csv, presets,  # noqa: E402
                       to_assumptions_csv)

__all__ = ["DataError", "PlanData", "load_plan_data", "Scenario", "ScenarioError", "presets", "PRESET_NAMES",
           "from_assumptions_csv", "to_assumptions_csv", "Projection", "Targets", "project", "Phasing",
           "phase_projects", "phase_roads", "Results", "run"]

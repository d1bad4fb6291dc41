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

    _specs: dict = {}  # real module name -> its own spec (keyed, so concurrent imports never mix them up)

    def create_module(self, spec):
        module = importlib.import_module(LEGACY_MODULES[spec.name])
        self._specs.setdefault(module.__name__, module.__spec__)
        return module

    def exec_module(self, module):
        module.__spec__ = self._specs[module.__name__]  # keep the real module's identity


if not any(isinstance(f, _LegacyAlias) for f in sys.meta_path):
    sys.meta_path.insert(0, _LegacyAlias())

# Public names, imported on first use (PEP 562): importing the package itself stays trivial, so two sessions that
# start at once never meet half-initialised modules in an import cycle.
_PUBLIC = {
    "Projection": ".calc.growth", "Targets": ".calc.growth", "project": ".calc.growth",
    "Phasing": ".calc.phasing", "phase_projects": ".calc.phasing", "phase_roads": ".calc.phasing",
    "Results": ".calc.results", "run": ".calc.results",
    "DataError": ".plan.tables", "PlanData": ".plan.tables", "load_plan_data": ".plan.tables",
    "Scenario": ".scenario.scenario", "ScenarioError": ".scenario.scenario",
    "presets": ".scenario.presets", "PRESET_NAMES": ".scenario.presets",
    "from_assumptions_csv": ".io.assumptions", "to_assumptions_csv": ".io.assumptions",
}


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'model' has no attribute {name!r}")


__all__ = sorted(_PUBLIC)

"""Pure model of the Shifeng park plan: data, projection, phasing, scenarios (never imports streamlit)."""
from .export import Results, run
from .growth import Projection, Targets, project
from .phasing import Phasing, phase_projects, phase_roads
from .scenario import PRESET_NAMES, Scenario, ScenarioError, from_assumptions_csv, presets, to_assumptions_csv
from .tables import DataError, PlanData, load_plan_data

__all__ = ["DataError", "PlanData", "load_plan_data", "Scenario", "ScenarioError", "presets", "PRESET_NAMES",
           "from_assumptions_csv", "to_assumptions_csv", "Projection", "Targets", "project", "Phasing",
           "phase_projects", "phase_roads", "Results", "run"]

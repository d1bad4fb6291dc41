"""The plan as a package of data: load and validate a plan folder (tables, segments, areas, enumerations, calendar),
the deployment's plans (registry) and the data audit."""
from .calendar import Calendar
from .registry import plan_calendar
from .tables import DATA_DIR, DataError, Plan, PlanData, load_plan_data

__all__ = ["Calendar", "plan_calendar", "DATA_DIR", "DataError", "Plan", "PlanData", "load_plan_data"]

"""The plan itself: load and validate ``data/`` (tables), its enumerations and calendar, and the data audit."""
from .calendar import Calendar, plan_calendar
from .tables import DATA_DIR, DataError, PlanData, load_plan_data

__all__ = ["Calendar", "plan_calendar", "DATA_DIR", "DataError", "PlanData", "load_plan_data"]

"""model/plan/calendar.py: the plan's years come from the data's roles, never from code."""
from __future__ import annotations

import pytest

from model.plan.calendar import Calendar, plan_calendar
from model.plan.tables import DataError


def test_the_plans_calendar_is_read_from_its_roles(plan_data):
    cal = plan_calendar()
    assert (cal.base_year, cal.target_year) == (plan_data.role_year("rail_base"), plan_data.role_year("total_target"))
    assert (cal.plan_first_year, cal.plan_last_year) == (cal.base_year + 1, cal.target_year)
    assert cal.horizon_max == cal.target_year + 10 and Calendar.from_years(2025, 2030).plan_first_year == 2026


def test_a_folder_without_the_roles_is_a_named_data_error(data_copy):
    text = (data_copy / "indicators.csv").read_text(encoding="utf-8").replace(",rail_base", ",")
    (data_copy / "indicators.csv").write_text(text, encoding="utf-8")
    plan_calendar.cache_clear()
    with pytest.raises(DataError) as exc:
        plan_calendar(data_copy)
    assert "rail_base" in exc.value.problems[0]

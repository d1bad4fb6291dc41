"""model/plan/calendar.py: the plan's years come from its package (plan.csv), never from code."""
from __future__ import annotations

import shutil

import pytest

from model.plan.calendar import Calendar
from model.plan.registry import plan_calendar
from model.plan.tables import DataError, load_plan_data
from tests.plans_support import PLAN_FOLDERS, plan


def test_the_plans_calendar_is_read_from_its_package(plan_data):
    cal = plan_calendar(plan_data)
    assert (cal.base_year, cal.target_year) == (int(plan_data.meta.value("base_year")),
                                                int(plan_data.meta.value("target_year")))
    assert (cal.plan_first_year, cal.plan_last_year) == (cal.base_year + 1, cal.target_year)
    assert cal.horizon_max == cal.target_year + 10 and Calendar.from_years(2025, 2030).plan_first_year == 2026
    four = plan("four").calendar
    assert (four.base_year, four.target_year, four.long_term_year) == (2025, 2030, 2035)


def test_a_package_without_its_base_year_is_a_named_data_error(tmp_path):
    dst = tmp_path / "plan"
    shutil.copytree(PLAN_FOLDERS["one"], dst)
    text = (dst / "plan.csv").read_text(encoding="utf-8")
    (dst / "plan.csv").write_text("\n".join(l for l in text.splitlines() if not l.startswith("base_year,")),
                                  encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan_data(dst)
    assert any("base_year" in p for p in exc.value.problems)

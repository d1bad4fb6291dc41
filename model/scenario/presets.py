"""Named presets, built from the data's baselines and targets (even profile, 14th-FYP basis, no delay)."""
from __future__ import annotations

from ..plan import PlanData
from .fields import SPLIT_SEGMENTS
from .frozen import FrozenMap
from .scenario import Scenario, required_rate

PRESET_NAMES = ("plan-targets", "historical-trend", "city-trend", "rail-target-only", "zero-growth")
CUSTOM = "custom"  # the name of a scenario that is no longer a preset


def data_baselines(data: PlanData) -> dict[str, float]:
    """The plan figures a preset starts from, by role (see the ``role`` column of data/indicators.csv)."""
    return {
        "rail": data.role("rail_base"),
        "total": data.role("total_base"),
        "target_rail": data.role("rail_target"),
        "target_total": data.role("total_target"),
        "historical": data.role("trend_growth") / 100,
        "city": city_trend(data),
    }


def city_trend(data: PlanData) -> float:
    """Nominal annual growth of the city's rail-transit industry between the two public figures the data hold
    (roles ``city_rail_earlier_base`` and ``city_rail_base``; city level, output measure)."""
    a, b = data.role_row("city_rail_earlier_base"), data.role_row("city_rail_base")
    return required_rate(float(a["value"]), float(b["value"]), int(b["year"]) - int(a["year"]))


def presets(data: PlanData) -> dict[str, Scenario]:
    """Every preset, keyed by its slug.

    ``historical-trend`` extrapolates at the 13th-FYP growth of above-scale industrial value added (real terms:
    another measure than nominal output, and labelled so); ``city-trend`` at the city's nominal rail-industry
    growth (city level). Neither is a district output series: none is public.
    """
    b = data_baselines(data)
    years = data.role_year("total_target") - data.role_year("rail_base")
    r_rail = required_rate(b["rail"], b["target_rail"], years)
    r_non = required_rate(b["total"] - b["rail"], b["target_total"] - b["target_rail"], years)
    hist = b["historical"]
    base = dict(baseline_rail_yi=b["rail"], baseline_total_yi=b["total"])

    def growth(rail, non):
        return FrozenMap({"rail_transit": rail, "nonrail": non, **{s: non for s in SPLIT_SEGMENTS}})

    return {
        "plan-targets": Scenario(name="plan-targets", growth=growth(r_rail, r_non), **base),
        "historical-trend": Scenario(name="historical-trend", growth=growth(hist, hist), **base),
        "city-trend": Scenario(name="city-trend", growth=growth(b["city"], b["city"]), **base),
        "rail-target-only": Scenario(name="rail-target-only", growth=growth(r_rail, hist), **base),
        "zero-growth": Scenario(name="zero-growth", growth=growth(0.0, 0.0), **base),
    }


def honest_name(s: Scenario, table: dict[str, Scenario]) -> Scenario:
    """A scenario that carries a preset's name but not exactly that preset's numbers is renamed ``custom``, so no
    file, link or brief shows a preset's name for other numbers (e.g. rates rounded in a spreadsheet)."""
    preset = table.get(s.name)
    if preset is not None and s != preset:
        return s.with_(name=CUSTOM)
    return s

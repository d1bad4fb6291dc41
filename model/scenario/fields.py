"""The field table: every assumption of a scenario, once.

One row per field: its name, kind (how it is checked, written and read), unit, default, allowed range, link
parameter, assumptions-CSV parameter and description. The :class:`~model.scenario.scenario.Scenario` class, its
validation, the assumptions-CSV codec (:mod:`model.io.assumptions`), the link codec (:mod:`model.io.url`) and the
widgets' labels and ranges (``ui/``) are all generated from this table. A field's label and help are the
translation keys ``f.NAME`` and ``f.NAME.help`` (:mod:`model.report.text`).

Adding a field = one row here, plus the code that uses it. Rates are decimals (0.075 = 7.5 %), money is in 亿元.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..plan import enums
from ..plan.calendar import plan_calendar
from .frozen import FrozenMap
from .kinds import (Bool, Enum, IdSet, Int, Kind, MapKind, Number, OptionalNumber, OptionalRef, PerKeyParams,
                    Positional, Rate, Text, YearMap)

# Model vocabulary (not plan figures): the projected segments, their link codes, the phasing choices.
SPLIT_SEGMENTS = ("power_semiconductor", "digital_intelligence", "modern_services", "other")
GROWTH_KEYS = ("rail_transit", "nonrail") + SPLIT_SEGMENTS
SEG_CODES = {"rail": "rail_transit", "non": "nonrail", "ps": "power_semiconductor", "di": "digital_intelligence",
             "ms": "modern_services", "ot": "other"}
ACTUAL_SEGMENTS = ("total", "rail_transit")
ACTUAL_CODES = {"rail": "rail_transit", "total": "total"}
BASES = ("fyp", "total")
PROFILES = ("even", "front", "back", "s-curve")
TRACK_READINGS = ("level", "increase")
SHOCKS = ("normal", "lognormal")
PRODUCING = "producing"  # the output role whose ratio is io_ratio; every other role's is in io_roles

# Ranges (model limits, not plan figures)
RATE_MIN, RATE_MAX = -0.99, 5.0  # annual growth: −99 % … 500 %
DELAY_MAX = 10
OVERRUN_MIN, OVERRUN_MAX = -0.5, 2.0
CEILING_MIN, CEILING_MAX = 1.0, 1e6
MONEY_MAX = 1e7  # 亿元: a thousand times any output the plan names
SD_MAX = 1.0
N_PATHS_MIN, N_PATHS_MAX = 1_000, 100_000
IO_MAX = 20.0
NAME_MAX = 200
# The Monte Carlo's default seed: not a plan year. Links shared before carry no seed, so changing it would change
# the numbers every one of them shows.
SEED = 2021  # literal-ok: a random seed, kept for every link shared so far
YEAR_MIN, YEAR_MAX = 1949, 2199  # any year a plan file may name (a sanity bound, not a plan year)
# Analysis assumptions (not plan figures; README › Analysis): growth uncertainty as the standard deviation of a
# segment's annual rate, rail steadier than the small, young non-rail industries.
DEFAULT_SD = {"rail_transit": 0.03, "nonrail": 0.10, "power_semiconductor": 0.10, "digital_intelligence": 0.10,
              "modern_services": 0.10, "other": 0.10}


def _areas() -> tuple[str, ...]:
    return enums.values("area")


def _categories() -> tuple[str, ...]:
    return enums.values("category")


def _other_roles() -> tuple[str, ...]:
    return tuple(r for r in enums.values("output_role") if r != PRODUCING)


def _cal(attr: str) -> Callable[[], int]:
    return lambda: getattr(plan_calendar(), attr)


@dataclass(frozen=True)
class Field:
    """One scenario field (see the module docstring)."""

    name: str  # Scenario attribute
    kind: Kind
    csv: str  # assumptions-CSV parameter (maps: the prefix before ".KEY")
    url: str  # link parameter ("" = written as per-key parameters, see kind)
    unit: str
    default: Any  # a value, or a function returning it
    description: str  # the assumptions CSV's description column ({key}, {seg}, {year} for maps)
    lo: float = float("-inf")
    hi: float = float("inf")
    ui_lo: float | None = None  # a slider's comfortable range; widgets widen it to show any allowed value
    ui_hi: float | None = None
    step: float | None = None
    group: str = ""  # fields decoded and validated together (the two baselines)
    required: tuple = ()  # CSV parameters a file must give
    # maps
    complete: bool = False  # the map holds every key of the kind
    all_keys_in_csv: bool = False  # write every key, missing ones as item_default
    item_default: Any = None
    skip_in_csv: Any = None
    fill_from: Callable[[str], str] | None = None
    url_all_items: bool = False  # link holds every item and replaces the map (else: items that differ, merged)
    url_always: tuple = ()  # per-key link parameters written even when equal to the base
    strip: bool = True
    csv_optional: bool = False  # written to the assumptions CSV only when it differs from the default
    project_ids: bool = False  # keys or items are Annex project ids (checked against the data)

    def default_value(self):
        v = self.default() if callable(self.default) else self.default
        return self.kind.coerce(v)

    def sub(self, key: str) -> Field:
        """The field as seen by one item of a map (its messages name ``PREFIX.KEY``)."""
        return replace(self, csv=f"{self.csv}.{key}" if key else self.csv)

    def describe(self, **kw) -> str:
        return self.description.format(**kw) if kw else self.description

    @property
    def label_key(self) -> str:
        return f"f.{self.name}"

    @property
    def help_key(self) -> str:
        return f"f.{self.name}.help"



def _nan() -> float:
    return float("nan")


F = Field
FIELDS: tuple[Field, ...] = (
    F("name", Text(), "name", "n", "", "custom", "scenario name", lo=1, hi=NAME_MAX),
    F("baseline_rail_yi", Number(positive=True), "baseline_2020_rail", "br", "亿元", _nan,
      "base-year rail-transit output (the plan's, by role rail_base)", lo=0, hi=MONEY_MAX, group="baseline",
      required=("baseline_2020_rail",)),
    F("baseline_total_yi", Number(positive=True), "baseline_2020_total", "b", "亿元", _nan,
      "base-year park total output (derived by default: rail ÷ its share of above-scale output)", lo=0, hi=MONEY_MAX,
      group="baseline", required=("baseline_2020_total",), step=1.0),
    # the calendar and the targets (issue 15): the plan's own values unless set; written only when set
    F("base_year", Int(), "base_year", "by", "年", _cal("base_year"), "base year: the year the baselines refer to",
      lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("target_year", Int(), "target_year", "ty", "年", _cal("target_year"), "target year", lo=YEAR_MIN,
      hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("plan_first_year", Int(), "plan_first_year", "pf", "年", _cal("plan_first_year"),
      "first year of the plan period (phasing window)", lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("plan_last_year", Int(), "plan_last_year", "pl", "年", _cal("plan_last_year"),
      "last year of the plan period (phasing window)", lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("target_total_yi", OptionalNumber(), "target_total", "tt", "亿元", None,
      "park total output target in the target year (empty = the plan's; set = user-set)", lo=1e-6, hi=MONEY_MAX,
      csv_optional=True),
    F("target_rail_yi", OptionalNumber(), "target_rail", "trl", "亿元", None,
      "rail-transit output target in the target year (empty = the plan's; set = user-set)", lo=1e-6,
      hi=MONEY_MAX, csv_optional=True),
    F("growth", PerKeyParams(Rate(), GROWTH_KEYS, SEG_CODES), "growth", "", "%", FrozenMap,
      "annual growth of {key}", lo=RATE_MIN, hi=RATE_MAX, ui_lo=-0.2, ui_hi=0.6, step=0.001, complete=True,
      fill_from=lambda k: "nonrail" if k in SPLIT_SEGMENTS else k, url_always=("rail", "non"),
      required=("growth.rail_transit", "growth.nonrail")),
    F("overrides", YearMap(Rate(), SEG_CODES), "override", "ov", "%", FrozenMap,
      "growth of {seg} in {year} only", lo=RATE_MIN, hi=RATE_MAX),
    F("split_nonrail", Bool(), "split_nonrail", "split", "0/1", False,
      "split non-rail output into named industries"),
    F("shares", Positional(Rate(), SPLIT_SEGMENTS), "share", "sh", "%",
      lambda: FrozenMap({s: 0.25 for s in SPLIT_SEGMENTS}), "assumed base-year share of non-rail output: {key}",
      lo=0.0, hi=1.0, complete=True),
    F("horizon", Int(), "horizon", "h", "年", _cal("target_year"), "last projected year (target year … 10 years after)", lo=YEAR_MIN,
      hi=YEAR_MAX, group="calendar"),
    F("basis", Enum(BASES), "phasing.basis", "basis", "", "fyp",
      "fyp = plan-period investment over build years in the plan period; total = total over all build years"),
    F("profile", Enum(PROFILES), "phasing.profile", "prof", "", "even", "even | front | back | s-curve"),
    F("delay_all", Int(), "delay.all", "d", "年", 0, "delay of every project and road", lo=0, hi=DELAY_MAX, step=1),
    F("delay_area", MapKind(Int(), _areas, lambda: enums.codes("area")), "delay.area", "da", "年", FrozenMap,
      "delay of projects in this area", lo=0, hi=DELAY_MAX, all_keys_in_csv=True, item_default=0,
      url_all_items=True),
    F("delay_category", MapKind(Int(), _categories, lambda: enums.codes("category")), "delay.category", "dc", "年",
      FrozenMap, "delay of projects in this category", lo=0, hi=DELAY_MAX, all_keys_in_csv=True, item_default=0,
      url_all_items=True),
    F("delay_project", MapKind(Int()), "delay.project", "dp", "年", FrozenMap, "delay of this project", lo=0,
      hi=DELAY_MAX, skip_in_csv=0, url_all_items=True, project_ids=True),
    F("overrun", Rate(), "overrun", "ovr", "%", 0.0, "cost overrun applied to every amount", lo=OVERRUN_MIN,
      hi=OVERRUN_MAX, step=0.01),
    F("excluded", IdSet(), "excluded", "x", "ids", frozenset, "project ids left out, separated by ;",
      project_ids=True),
    F("ceiling_yi", OptionalNumber(), "ceiling", "cap", "亿元/年", None,
      "annual ceiling on project investment (empty = none); overflow carries into later years", lo=CEILING_MIN,
      hi=CEILING_MAX, step=5.0),
    F("sd", MapKind(Rate(), GROWTH_KEYS, SEG_CODES), "sd", "sd", "%", lambda: FrozenMap(DEFAULT_SD),
      "uncertainty (standard deviation) of {key}'s annual growth", lo=0.0, hi=SD_MAX, ui_lo=0.0, ui_hi=0.5,
      step=0.005, complete=True),
    F("correlation", Number(), "correlation", "rho", "", 0.0, "correlation between segments' growth shocks",
      lo=-1.0, hi=1.0, step=0.05),
    F("seed", Int(), "seed", "seed", "", SEED, "random seed of the Monte Carlo", lo=0, hi=2**32 - 1, step=1),
    F("n_paths", Int(), "n_paths", "np", "", 10_000, "Monte Carlo paths", lo=N_PATHS_MIN, hi=N_PATHS_MAX),
    F("per_mu_growth", Rate(), "per_mu_growth", "mu", "%", 0.0, "annual growth of output per mu after the base year",
      lo=RATE_MIN, hi=RATE_MAX, ui_lo=-0.1, ui_hi=0.3, step=0.005),
    F("land_mu", MapKind(Number(), _areas, lambda: enums.codes("area")), "land_mu", "land", "亩", FrozenMap,
      "developable land counted in this area (default: the plan's figure; 0 = not counted)", lo=0.0, hi=1e6,
      step=50.0, csv_optional=True),
    F("io_ratio", Number(), "io_ratio", "io", "亿元/亿元", 1.0,
      "annual output per 亿元 invested, once a project runs fully", lo=0.0, hi=IO_MAX, ui_lo=0.0, ui_hi=5.0,
      step=0.1),
    F("io_roles", MapKind(Number(), _other_roles), "io_role", "ior", "亿元/亿元", FrozenMap,
      "annual output per 亿元 invested for this kind of project (default 0: it adds no industrial output)",
      lo=0.0, hi=IO_MAX, ui_lo=0.0, ui_hi=5.0, step=0.1, csv_optional=True, item_default=0.0),
    F("ramp_first", Rate(), "ramp_first", "ramp", "%", 0.5,
      "share of that output in the first year after completion", lo=0.0, hi=1.0, step=0.05),
    F("track_record", Bool(), "track_record", "tr", "0/1", False,
      "discount targets by the earlier plan's realisation"),
    F("track_reading", Enum(TRACK_READINGS), "track_reading", "trr", "", "level",
      "level = the earlier plan's outcome ÷ target applied to the target level; increase = the share of its planned "
      "increase achieved, applied to this plan's increase", csv_optional=True),
    F("earlier_base_yi", OptionalNumber(), "earlier_base_rail", "eb", "亿元", None,
      "the earlier plan's base-year district rail output (empty = estimated from the city's figure)", lo=1e-6,
      hi=MONEY_MAX, csv_optional=True),
    F("shocks", Enum(SHOCKS), "shocks", "shk", "", "normal",
      "normal = shocks added to the rate (median slightly below the path); lognormal = median on the path",
      csv_optional=True),
    F("actuals", YearMap(Number(), ACTUAL_CODES), "actual", "act", "亿元", FrozenMap, "actual {seg} output in {year}",
      lo=0.0, hi=MONEY_MAX),
    # documents the scenario rests on (issues 14 and 15): library short IDs, written only when set
    F("actuals_ref", OptionalRef(), "actuals_ref", "as", "", None, "actuals set (library ID) the scenario uses",
      csv_optional=True),
    F("projects_ref", OptionalRef(), "projects_ref", "pj", "", None,
      "project list (library ID) phased instead of Annex 1", csv_optional=True),
    F("roads_ref", OptionalRef(), "roads_ref", "rd", "", None, "road list (library ID) phased instead of Annex 2",
      csv_optional=True),
)

# The seed's default is a model choice, not a plan year; it appears in every shared link that changes it.

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}


def field_of(name: str) -> Field:
    return BY_NAME[name]


def csv_field(param: str) -> tuple[Field, Any] | None:
    """The field (and key) an assumptions-CSV parameter belongs to, or None when no field claims it.

    Raises ``CodecError`` when a field claims the prefix but the key is not one of its keys.
    """
    for f in FIELDS:
        key = f.kind.csv_key(f, param)
        if key is not None:
            return f, key
    return None


def url_fields() -> dict[str, Field]:
    """Link parameter -> field."""
    return {code: f for f in FIELDS for code in f.kind.url_codes(f)}


def required_params() -> tuple[str, ...]:
    return tuple(p for f in FIELDS for p in f.required)


def widget_range(f: Field, value: float | None = None) -> tuple[float, float]:
    """A widget's range: the field's comfortable range, widened to show ``value``, never beyond the allowed range."""
    lo = f.lo if f.ui_lo is None else f.ui_lo
    hi = f.hi if f.ui_hi is None else f.ui_hi
    if value is not None:
        lo, hi = min(lo, value), max(hi, value)
    return max(lo, f.lo), min(hi, f.hi)


__all__ = ["Field", "FIELDS", "BY_NAME", "field_of", "csv_field", "url_fields", "required_params", "widget_range",
           "SPLIT_SEGMENTS", "GROWTH_KEYS", "SEG_CODES", "ACTUAL_SEGMENTS", "BASES", "PROFILES", "RATE_MIN",
           "RATE_MAX", "DELAY_MAX", "OVERRUN_MIN", "OVERRUN_MAX", "CEILING_MIN", "SD_MAX", "N_PATHS_MIN",
           "N_PATHS_MAX", "DEFAULT_SD", "field"]

"""The field table: every assumption of a scenario, once, for any plan.

One row per field: its name, kind (how it is checked, written and read), unit, default, allowed range, link
parameter, assumptions-CSV parameter and description. The :class:`~model.scenario.scenario.Scenario` class, its
validation, the assumptions-CSV codec (:mod:`model.io.assumptions`), the link codec (:mod:`model.io.url`) and the
widgets' labels and ranges (``ui/``) are all generated from this table. A field's label and help are the
translation keys ``f.NAME`` and ``f.NAME.help`` (:mod:`model.report.text`).

The table names no plan: what differs between plans (the segments a scenario projects and their link codes, the
areas, the categories, the calendar, the defaults a package sets) is given as functions of the plan, and
:func:`fields_for` binds the table to one plan. Rates are decimals (0.075 = 7.5 %), money is in 亿元.
"""
from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, replace
from typing import Any, Callable

from ..cleaning import folded
from .frozen import FrozenMap
from .kinds import (Bool, CodecError, Enum, IdSet, Int, Kind, MapKind, Number, OptionalNumber, OptionalRef,
                    PerKeyParams, PlanId, Positional, Rate, SegParams, Text, YearMap, resolve)

# Model vocabulary (not plan figures): the phasing choices and the analysis options.
BASES = ("fyp", "total")
PROFILES = ("even", "front", "back", "s-curve")
TRACK_READINGS = ("level", "increase")
SHOCKS = ("normal", "lognormal")
PRODUCING = "producing"  # the output role whose ratio is io_ratio; every other role's is in io_roles
OUTPUT_ROLES = ("producing", "platform", "real_estate", "commercial", "infrastructure", "unclassified")

# Ranges (model limits, not plan figures)
RATE_MIN, RATE_MAX = -0.99, 5.0  # annual growth: −99 % … 500 %
DELAY_MAX = 10
OVERRUN_MIN, OVERRUN_MAX = -0.5, 2.0
CEILING_MIN, CEILING_MAX = 1.0, 1e6
MONEY_MAX = 1e7  # 亿元: a thousand times any output a district plan names
SD_MAX = 1.0
N_PATHS_MIN, N_PATHS_MAX = 1_000, 100_000
IO_MAX = 20.0
NAME_MAX = 200
# The Monte Carlo's default seed: not a plan year. Links shared before carry no seed, so changing it would change
# the numbers every one of them shows.
SEED = 2021  # literal-ok: a random seed, kept for every link shared so far
YEAR_MIN, YEAR_MAX = 1949, 2199  # noqa: E305  # any year a plan file may name (a sanity bound, not a plan year)


UI_KEYS = ("lang", "page", "present", "plan")  # link parameters the app owns (not scenario settings by code)


# -- what a field takes from the plan (each a function of the plan) -----------------------------------

def _tree(p):
    return p.segments


def _growth_keys(p):
    return p.segments.growth_keys


def _growth_codes(p):
    t = p.segments
    return {t[s].code: s for s in t.growth_keys}


def _segment_codes(p):
    return dict(p.segments.codes)


def _stated(p):
    return p.segments.stated


def _target_keys(p):
    return p.segments.post_order()


def _seg_names(p):
    return {s.id: s.key for s in p.segments}


def _base_codes(p):
    return {p.segments[s].base_code: s for s in p.segments.stated}


def _target_codes(p):
    return {s.target_code: s.id for s in p.segments}


def _share_keys(p):
    return p.segments.share_children


def _areas(p):
    return p.areas.ids


def _area_codes(p):
    return p.codes("area")


def _categories(p):
    return p.values("category")


def _category_codes(p):
    return p.codes("category")


def _other_roles(p):
    return tuple(r for r in OUTPUT_ROLES if r != PRODUCING)


def _cal(attr: str) -> Callable:
    return lambda p: getattr(p.calendar, attr)


def _default_bases(p):
    """The base-year values the package states (a stated segment without one starts at its assumed base)."""
    from ..plan.bases import plan_bases

    return FrozenMap(plan_bases(p))


def _default_sd(p):
    return FrozenMap({s: p.segments[s].sd for s in p.segments.growth_keys})


def _default_shares(p):
    return FrozenMap({s: p.segments[s].share for s in p.segments.share_children})


def _split_name(p):
    parts = p.segments.splittable
    return "split_" + "_".join(parts) if parts else "split"


def _has_split(p) -> bool:
    return bool(p.segments.splittable)


def _has_track_record(p) -> bool:
    return p.has_role("earlier_target")


def _has_land(p) -> bool:
    return p.has_role("per_mu_base")


def _fill_from(p):
    """A share segment not given in a file follows its parent's rate."""
    t = p.segments
    return lambda k: t[k].parent if k in t and t[k].relation == "share" else k


@dataclass(frozen=True)
class Field:
    """One scenario field (see the module docstring). Attributes marked *plan* may be functions of the plan,
    resolved by :meth:`bind`."""

    name: str  # Scenario attribute
    kind: Kind
    csv: Any  # assumptions-CSV parameter (maps: the prefix before ".KEY"; SegParams: a template) — plan
    url: str  # link parameter ("" = written as per-key parameters, see kind)
    unit: str
    default: Any  # a value, or a function of the plan returning it — plan
    description: str  # the assumptions CSV's description column ({key}, {seg}, {year} for maps)
    lo: float = float("-inf")
    hi: float = float("inf")
    ui_lo: float | None = None  # a slider's comfortable range; widgets widen it to show any allowed value
    ui_hi: float | None = None
    step: float | None = None
    group: str = ""  # fields decoded and validated together (the baselines)
    required: Any = ()  # keys a file must give (True: every key; or a function of the plan) — plan
    # maps
    complete: bool = False  # the map holds every key of the kind
    all_keys_in_csv: bool = False  # write every key, missing ones as item_default
    item_default: Any = None
    skip_in_csv: Any = None
    fill_from: Any = None  # key -> the key whose value fills it when a file leaves it out — plan
    url_always: Any = ()  # per-key link codes written even when equal to the base — plan
    url_all_items: bool = False  # link holds every item and replaces the map (else: items that differ, merged)
    strip: bool = True
    csv_optional: bool = False  # written to the assumptions CSV only when it differs from the default
    project_ids: bool = False  # keys or items are project ids (checked against the data)
    present: Any = True  # whether the plan has this setting at all (function of the plan) — plan
    bound: bool = False

    def bind(self, plan) -> Field:
        """The field for one plan: keys, codes, names and defaults resolved (a package's defaults.csv applied)."""
        if self.bound:
            return self
        # a class (FrozenMap, frozenset) makes an empty value; any other callable is a function of the plan
        default = self.default(plan) if callable(self.default) and not isinstance(self.default, type) \
            else self.default
        return replace(self, kind=self.kind.bind(plan), csv=resolve(self.csv, plan), default=default,
                       required=tuple(resolve(self.required, plan) or ()), fill_from=resolve(self.fill_from, plan),
                       url_always=tuple(resolve(self.url_always, plan) or ()),
                       present=bool(resolve(self.present, plan)), bound=True)

    def default_value(self):
        if not self.bound:
            raise TypeError(f"field {self.name}: bind it to a plan first (fields_for)")
        v = self.default() if callable(self.default) else self.default
        return self.kind.coerce(v)

    def sub(self, key: str) -> Field:
        """The field as seen by one item of a map (its messages name ``PREFIX.KEY``); the same object for the same
        field and key (a scenario's validation asks for it once per item, on every change)."""
        return _sub(self, key)

    def describe(self, **kw) -> str:
        return self.description.format(**kw) if kw else self.description

    @property
    def label_key(self) -> str:
        return f"f.{self.name}"

    @property
    def help_key(self) -> str:
        return f"f.{self.name}.help"


@functools.lru_cache(maxsize=4096)
def _sub(field: Field, key: str) -> Field:
    if key and "{key}" in field.csv:  # a parameter per segment (``target_{key}``): the item's own parameter, named
        # without the template's year (a file may leave it out), never the template itself ("target_{key}.total")
        return replace(field, csv=field.csv.replace("_{year}", "").replace("{year}_", "").replace("{key}", key))
    return replace(field, csv=f"{field.csv}.{key}" if key else field.csv)


def _nan(p=None) -> float:
    return float("nan")


def _unsplit_codes(p):
    t = p.segments
    return tuple(t[s].code for s in t.unsplit)


F = Field
FIELDS: tuple[Field, ...] = (
    F("name", Text(), "name", "n", "", "custom", "scenario name", lo=1, hi=NAME_MAX),
    F("plan", PlanId(), "plan", "plan", "", None,
      "the plan package the scenario is for (empty = the plan files without a plan row belong to)",
      csv_optional=True),
    F("baselines", SegParams(Number(positive=True), _stated, _seg_names, _base_codes), "baseline_{year}_{key}", "",
      "亿元", _default_bases, "base-year output of {key}", lo=0, hi=MONEY_MAX, group="baseline", complete=True,
      required=_stated, step=1.0),
    # the calendar and the targets (issue 15): the plan's own values unless set; written only when set
    F("base_year", Int(), "base_year", "by", "年", _cal("base_year"), "base year: the year the baselines refer to",
      lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("target_year", Int(), "target_year", "ty", "年", _cal("target_year"), "target year", lo=YEAR_MIN,
      hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("plan_first_year", Int(), "plan_first_year", "pf", "年", _cal("plan_first_year"),
      "first year of the plan period (phasing window)", lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("plan_last_year", Int(), "plan_last_year", "pl", "年", _cal("plan_last_year"),
      "last year of the plan period (phasing window)", lo=YEAR_MIN, hi=YEAR_MAX, csv_optional=True, group="calendar"),
    F("targets", SegParams(OptionalNumber(), _target_keys, _seg_names, _target_codes), "target_{key}", "", "亿元",
      FrozenMap, "output target of {key} in the target year (empty = the plan's; set = user-set)", lo=1e-6,
      hi=MONEY_MAX, csv_optional=True),
    F("growth", PerKeyParams(Rate(), _growth_keys, _growth_codes), "growth", "", "%", FrozenMap,
      "annual growth of {key}", lo=RATE_MIN, hi=RATE_MAX, ui_lo=-0.2, ui_hi=0.6, step=0.001, complete=True,
      fill_from=_fill_from, url_always=_unsplit_codes, required=lambda p: p.segments.unsplit),
    F("overrides", YearMap(Rate(), _growth_codes), "override", "ov", "%", FrozenMap,
      "growth of {seg} in {year} only", lo=RATE_MIN, hi=RATE_MAX),
    F("split", Bool(), _split_name, "split", "0/1", False, "split a segment into the plan's named industries",
      present=_has_split),
    F("shares", Positional(Rate(), _share_keys), "share", "sh", "%", _default_shares,
      "assumed base-year share of its segment: {key}", lo=0.0, hi=1.0, complete=True, present=_has_split),
    F("horizon", Int(), "horizon", "h", "年", lambda p: p.calendar.horizon or p.calendar.target_year, "last projected year (target year … 10 years after)",
      lo=YEAR_MIN, hi=YEAR_MAX, group="calendar"),
    F("basis", Enum(BASES), "phasing.basis", "basis", "", "fyp",
      "fyp = plan-period investment over build years in the plan period; total = total over all build years"),
    F("profile", Enum(PROFILES), "phasing.profile", "prof", "", "even", "even | front | back | s-curve"),
    F("delay_all", Int(), "delay.all", "d", "年", 0, "delay of every project and road", lo=0, hi=DELAY_MAX, step=1),
    F("delay_area", MapKind(Int(), _areas, _area_codes), "delay.area", "da", "年", FrozenMap,
      "delay of projects in this area", lo=0, hi=DELAY_MAX, all_keys_in_csv=True, item_default=0,
      url_all_items=True),
    F("delay_category", MapKind(Int(), _categories, _category_codes), "delay.category", "dc", "年",
      FrozenMap, "delay of projects in this category", lo=0, hi=DELAY_MAX, all_keys_in_csv=True, item_default=0,
      url_all_items=True),
    F("delay_project", MapKind(Int()), "delay.project", "dp", "年", FrozenMap, "delay of this project", lo=0,
      hi=DELAY_MAX, skip_in_csv=0, url_all_items=True, project_ids=True),
    F("carry_lists", Bool(), "carry_lists", "carry", "0/1", False,
      "count the plan's own project and road lists in a plan period after the plan's (a next plan: off by default)",
      csv_optional=True),
    F("overrun", Rate(), "overrun", "ovr", "%", 0.0, "cost overrun applied to every amount", lo=OVERRUN_MIN,
      hi=OVERRUN_MAX, step=0.01),
    F("excluded", IdSet(), "excluded", "x", "ids", frozenset, "project ids left out, separated by ;",
      project_ids=True),
    F("ceiling_yi", OptionalNumber(), "ceiling", "cap", "亿元/年", None,
      "annual ceiling on project investment (empty = none); overflow carries into later years", lo=CEILING_MIN,
      hi=CEILING_MAX, step=5.0),
    F("sd", MapKind(Rate(), _growth_keys, _growth_codes), "sd", "sd", "%", _default_sd,
      "uncertainty (standard deviation) of {key}'s annual growth", lo=0.0, hi=SD_MAX, ui_lo=0.0, ui_hi=0.5,
      step=0.005, complete=True),
    F("correlation", Number(), "correlation", "rho", "", 0.0, "correlation between segments' growth shocks",
      lo=-1.0, hi=1.0, step=0.05),
    F("seed", Int(), "seed", "seed", "", SEED, "random seed of the Monte Carlo", lo=0, hi=2**32 - 1, step=1),
    F("n_paths", Int(), "n_paths", "np", "", 10_000, "Monte Carlo paths", lo=N_PATHS_MIN, hi=N_PATHS_MAX),
    F("per_mu_growth", Rate(), "per_mu_growth", "mu", "%", 0.0, "annual growth of output per mu after the base year",
      lo=RATE_MIN, hi=RATE_MAX, ui_lo=-0.1, ui_hi=0.3, step=0.005, present=_has_land),
    F("per_mu_base", OptionalNumber(), "per_mu_base", "mub", "万元/亩", None,
      "output per mu in the base year (empty = the plan's figure, grown at per_mu_growth from its year)", lo=1e-6,
      hi=1e7, csv_optional=True, present=_has_land),
    F("land_mu", MapKind(Number(), _areas, _area_codes), "land_mu", "land", "亩", FrozenMap,
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
      "discount targets by the earlier plan's realisation", present=_has_track_record),
    F("track_reading", Enum(TRACK_READINGS), "track_reading", "trr", "", "level",
      "level = the earlier plan's outcome ÷ target applied to the target level; increase = the share of its planned "
      "increase achieved, applied to this plan's increase", csv_optional=True, present=_has_track_record),
    F("earlier_base_yi", OptionalNumber(), "earlier_base_rail", "eb", "亿元", None,
      "the earlier plan's base-year output of the segment its target was for (empty = estimated from the city's "
      "figure)", lo=1e-6, hi=MONEY_MAX, csv_optional=True, present=_has_track_record),
    F("shocks", Enum(SHOCKS), "shocks", "shk", "", "normal",
      "normal = shocks added to the rate (median slightly below the path); lognormal = median on the path",
      csv_optional=True),
    F("actuals", YearMap(Number(), _segment_codes), "actual", "act", "亿元", FrozenMap,
      "actual {seg} output in {year}", lo=0.0, hi=MONEY_MAX),
    # documents the scenario rests on (issues 14 and 15): library short IDs, written only when set
    F("actuals_ref", OptionalRef(), "actuals_ref", "as", "", None, "actuals set (library ID) the scenario uses",
      csv_optional=True),
    F("projects_ref", OptionalRef(), "projects_ref", "pj", "", None,
      "project list (library ID) phased instead of the plan's annex", csv_optional=True),
    F("roads_ref", OptionalRef(), "roads_ref", "rd", "", None,
      "road list (library ID) phased instead of the plan's annex", csv_optional=True),
)

TEMPLATE: dict[str, Field] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)


# -- the table bound to one plan ---------------------------------------------------------------------------

class BoundFields(tuple):
    """The field table for one plan (a tuple of bound fields, with lookups)."""

    def __new__(cls, fields, plan):
        self = super().__new__(cls, fields)
        self.by_name = {f.name: f for f in fields}
        self.plan_id = plan.id
        return self

    def __getitem__(self, item):
        if isinstance(item, str):
            return self.by_name[item]
        return super().__getitem__(item)


_BOUND: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _plan_defaults(plan, fields: list[Field], problems: list[str]) -> list[Field]:
    """The package's defaults.csv applied to the fields (each value read by its field's own codec)."""
    if not len(plan.defaults):
        return fields
    by_csv = {f.csv: i for i, f in enumerate(fields) if isinstance(f.csv, str)}
    for rec in plan.defaults.to_dict(orient="records"):
        param, text = rec["parameter"], rec["value"]
        at = f"defaults.csv:{rec['src_row']}"
        i = by_csv.get(param)
        if i is None or isinstance(fields[i].kind, MapKind) or param in ("name", "plan"):
            problems.append(f"{at}:parameter: {param!r} is not a setting a plan can give a default "
                            f"(one of: io_ratio, ramp_first, per_mu_growth, correlation, overrun …)")
            continue
        f = fields[i]
        try:
            value = f.kind.coerce(f.kind.csv_value(f, "", text))
        except CodecError as exc:
            problems.append(f"{at}:value: not a valid value for {param}: {text[:40]!r} ({exc.detail})")
            continue
        bad = f.kind.problems(f, value)
        if bad:
            problems.append(f"{at}:value: {bad[0]}")
            continue
        fields[i] = replace(f, default=value)
    return fields


def bind_problems(plan) -> list[str]:
    """What keeps the field table from binding to ``plan`` (link codes that clash, bad defaults)."""
    problems: list[str] = []
    fields = [f.bind(plan) for f in FIELDS]
    _plan_defaults(plan, fields, problems)
    owner: dict[str, str] = {}
    for f in fields:
        if f.name == "plan":  # the plan's own parameter: the app reads it before the rest
            continue
        for code in f.kind.url_codes(f):
            if code in owner and owner[code] != f.name:
                problems.append(f"segments.csv:-:code: the link code {code!r} of {f.name} is also "
                                f"{owner[code]}'s: choose another")
            owner.setdefault(code, f.name)
    ui = {folded(k): k for k in UI_KEYS}
    alike: dict[str, str] = {}  # codes as a person reads them -> the first such code
    for code in owner:
        if code in UI_KEYS:
            problems.append(f"segments.csv:-:code: the link code {code!r} is the app's own parameter: choose another")
        elif folded(code) in ui:
            problems.append(f"segments.csv:-:code: the link code {code!r} differs from the app's own parameter "
                            f"{ui[folded(code)]!r} only in case or width: choose another")
        other = alike.setdefault(folded(code), code)
        if other != code:
            problems.append(f"segments.csv:-:code: the link codes {other!r} ({owner[other]}) and {code!r} "
                            f"({owner[code]}) differ only in case or width (a link retyped or read aloud mixes "
                            f"them): choose another")
    return problems


def fields_for(plan=None) -> BoundFields:
    """The field table bound to ``plan`` (default: the deployment's default plan); one object per plan."""
    if plan is None:
        from ..plan.registry import default_plan

        plan = default_plan()
    hit = _BOUND.get(plan)
    if hit is not None:
        return hit
    problems: list[str] = []
    fields = _plan_defaults(plan, [f.bind(plan) for f in FIELDS], problems)
    bound = BoundFields(tuple(fields), plan)
    _BOUND[plan] = bound
    return bound


def field_of(name: str, plan=None) -> Field:
    return fields_for(plan)[name]


def csv_field(param: str, plan=None) -> tuple[Field, Any] | None:
    """The field (and key) an assumptions-CSV parameter belongs to, or None when no field claims it.

    Raises ``CodecError`` when a field claims the prefix but the key is not one of its keys.
    """
    fields = fields_for(plan)
    for f in fields:  # exact parameters first (split_nonrail is not a split prefix of anything)
        if not isinstance(f.kind, MapKind) and f.kind.csv_key(f, param) is not None:
            return f, ""
    for f in fields:
        if isinstance(f.kind, MapKind):
            key = f.kind.csv_key(f, param)
            if key is not None:
                return f, key
    return None


def url_fields(plan=None) -> dict[str, Field]:
    """Link parameter -> field."""
    return {code: f for f in fields_for(plan) if f.present for code in f.kind.url_codes(f)}


def required_keys(plan=None) -> list[tuple[Field, Any]]:
    """(field, key) a file must give; key "" for a scalar."""
    return [(f, k) for f in fields_for(plan) if f.present for k in f.required]


def widget_range(f: Field, value: float | None = None) -> tuple[float, float]:
    """A widget's range: the field's comfortable range, widened to show ``value``, never beyond the allowed range."""
    lo = f.lo if f.ui_lo is None else f.ui_lo
    hi = f.hi if f.ui_hi is None else f.ui_hi
    if value is not None:
        lo, hi = min(lo, value), max(hi, value)
    return max(lo, f.lo), min(hi, f.hi)


__all__ = ["Field", "FIELDS", "TEMPLATE", "NAMES", "fields_for", "field_of", "csv_field", "url_fields",
           "required_keys", "widget_range", "bind_problems", "BASES", "PROFILES", "RATE_MIN", "RATE_MAX",
           "DELAY_MAX", "OVERRUN_MIN", "OVERRUN_MAX", "CEILING_MIN", "SD_MAX", "N_PATHS_MIN", "N_PATHS_MAX",
           "OUTPUT_ROLES", "PRODUCING", "SEED", "MONEY_MAX"]

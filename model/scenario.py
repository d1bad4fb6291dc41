"""The Scenario: every assumption in one frozen, hashable object, its presets and its CSV file.

Rates are decimals here (0.075 = 7.5 %); the assumptions CSV shows them in %.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation, localcontext

from .tables import DataError, PlanData, read_csv_rows

SPLIT_SEGMENTS = ("power_semiconductor", "digital_intelligence", "modern_services", "other")
GROWTH_KEYS = ("rail_transit", "nonrail") + SPLIT_SEGMENTS
BASES = ("fyp", "total")
PROFILES = ("even", "front", "back", "s-curve")
AREAS = ("田心片区", "清水塘片区")
CATEGORIES = ("科技创新", "产业发展")
HORIZON_MIN, HORIZON_MAX = 2025, 2035
RATE_MIN, RATE_MAX = -0.99, 5.0
DELAY_MAX = 10
OVERRUN_MIN, OVERRUN_MAX = -0.5, 2.0
CEILING_MIN = 1.0
HISTORICAL_RATE_ID = "above_scale_va_growth_13fyp"
# Analysis assumptions (not plan figures; documented in README › Analysis): growth uncertainty as the standard
# deviation of a segment's annual rate, rail steadier than the small, young non-rail industries.
DEFAULT_SD = {"rail_transit": 0.03, "nonrail": 0.10, "power_semiconductor": 0.10, "digital_intelligence": 0.10,
              "modern_services": 0.10, "other": 0.10}
SD_MAX = 1.0
N_PATHS_MIN, N_PATHS_MAX = 1_000, 100_000
ACTUAL_SEGMENTS = ("total", "rail_transit")


class ScenarioError(ValueError):
    """Invalid assumptions; ``problems`` lists one message per issue (with row/column for files)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class FrozenMap(Mapping):
    """An immutable, hashable mapping (so a Scenario can key caches)."""

    __slots__ = ("_d", "_h")

    def __init__(self, items=()):
        self._d = dict(items)
        self._h = None

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __hash__(self):
        if self._h is None:
            self._h = hash(tuple(sorted(self._d.items(), key=lambda kv: repr(kv[0]))))
        return self._h

    def __eq__(self, other):
        return isinstance(other, Mapping) and dict(self._d) == dict(other)

    def __repr__(self):
        return f"FrozenMap({self._d!r})"

    def __reduce__(self):
        return (FrozenMap, (tuple(self._d.items()),))


def _fm(x) -> FrozenMap:
    return x if isinstance(x, FrozenMap) else FrozenMap(x or {})


@dataclass(frozen=True)
class Scenario:
    """All assumptions of one scenario.

    Money in 亿元; rates as decimals; years as integers.
    ``overrides`` maps ``(segment, year)`` to that year's growth rate.
    ``delay_*`` are whole years added together (all + area + category + project).
    """

    name: str = "custom"
    baseline_rail_yi: float = math.nan  # no plan figure in code: presets take it from data/
    baseline_total_yi: float = math.nan
    growth: FrozenMap = field(default_factory=FrozenMap)
    overrides: FrozenMap = field(default_factory=FrozenMap)
    split_nonrail: bool = False
    shares: FrozenMap = field(default_factory=lambda: FrozenMap({s: 0.25 for s in SPLIT_SEGMENTS}))
    horizon: int = 2025
    basis: str = "fyp"
    profile: str = "even"
    delay_all: int = 0
    delay_area: FrozenMap = field(default_factory=FrozenMap)
    delay_category: FrozenMap = field(default_factory=FrozenMap)
    delay_project: FrozenMap = field(default_factory=FrozenMap)
    overrun: float = 0.0
    excluded: frozenset = frozenset()
    ceiling_yi: float | None = None
    # analysis (issue 4): uncertainty, land, investment → output, plan vs reality
    sd: FrozenMap = field(default_factory=lambda: FrozenMap(DEFAULT_SD))
    correlation: float = 0.0
    seed: int = 2021
    n_paths: int = 10_000
    per_mu_growth: float = 0.0
    io_ratio: float = 1.0
    ramp_first: float = 0.5
    actuals: FrozenMap = field(default_factory=FrozenMap)
    track_record: bool = False

    def __post_init__(self):
        for name in ("growth", "overrides", "shares", "delay_area", "delay_category", "delay_project", "sd",
                     "actuals"):
            object.__setattr__(self, name, _fm(getattr(self, name)))
        for name in ("delay_area", "delay_category", "delay_project"):  # a zero delay is no delay
            object.__setattr__(self, name, FrozenMap({k: v for k, v in getattr(self, name).items() if v != 0}))
        object.__setattr__(self, "excluded", frozenset(self.excluded))
        problems = self.problems()
        if problems:
            raise ScenarioError(problems)

    # -- validation -------------------------------------------------------------------------
    def problems(self) -> list[str]:
        p = []
        if not isinstance(self.name, str) or not self.name.strip():
            p.append("name: empty")
        elif len(self.name) > 200:
            p.append("name: longer than 200 characters")
        if not _finite(self.baseline_rail_yi) or self.baseline_rail_yi <= 0:
            p.append(f"baseline_2020_rail: must be a positive number of 亿元, got {self.baseline_rail_yi!r}")
        if not _finite(self.baseline_total_yi) or self.baseline_total_yi <= 0:
            p.append(f"baseline_2020_total: must be a positive number of 亿元, got {self.baseline_total_yi!r}")
        elif _finite(self.baseline_rail_yi) and self.baseline_total_yi < self.baseline_rail_yi:
            p.append(f"baseline_2020_total: {self.baseline_total_yi:g} is below the rail baseline {self.baseline_rail_yi:g}")
        for k in GROWTH_KEYS:
            if k not in self.growth:
                p.append(f"growth.{k}: missing")
        for k, v in self.growth.items():
            if k not in GROWTH_KEYS:
                p.append(f"growth.{k}: unknown segment")
            elif not _finite(v) or not RATE_MIN <= v <= RATE_MAX:
                p.append(f"growth.{k}: {_pct_or_raw(v)} % outside {RATE_MIN*100:g}–{RATE_MAX*100:g} %")
        for key, v in self.overrides.items():
            if not (isinstance(key, tuple) and len(key) == 2 and key[0] in GROWTH_KEYS
                    and isinstance(key[1], int) and 2021 <= key[1] <= HORIZON_MAX):
                p.append(f"override.{key}: unknown segment or year outside 2021–{HORIZON_MAX}")
            elif not _finite(v) or not RATE_MIN <= v <= RATE_MAX:
                p.append(f"override.{key[0]}.{key[1]}: {_pct_or_raw(v)} % outside {RATE_MIN*100:g}–{RATE_MAX*100:g} %")
        if set(self.shares) != set(SPLIT_SEGMENTS):
            p.append(f"share: need exactly {', '.join(SPLIT_SEGMENTS)}")
        elif any(not _finite(v) or v < 0 for v in self.shares.values()):
            p.append("share: every share must be a number ≥ 0")
        elif abs(sum(self.shares.values()) - 1) > 1e-6:
            p.append(f"share: shares sum to {sum(self.shares.values())*100:g} %, not 100 %")
        if not isinstance(self.horizon, int) or not HORIZON_MIN <= self.horizon <= HORIZON_MAX:
            p.append(f"horizon: {self.horizon!r} outside {HORIZON_MIN}–{HORIZON_MAX}")
        if self.basis not in BASES:
            p.append(f"phasing.basis: {self.basis!r} not one of {', '.join(BASES)}")
        if self.profile not in PROFILES:
            p.append(f"phasing.profile: {self.profile!r} not one of {', '.join(PROFILES)}")
        for label, m in (("delay.all", {"": self.delay_all}), ("delay.area", self.delay_area),
                         ("delay.category", self.delay_category), ("delay.project", self.delay_project)):
            for k, v in m.items():
                if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= DELAY_MAX:
                    p.append(f"{label}{'.' + k if k else ''}: {v!r} not a whole number of years 0–{DELAY_MAX}")
        for k in self.delay_area:
            if k not in AREAS:
                p.append(f"delay.area.{k}: unknown area")
        for k in self.delay_category:
            if k not in CATEGORIES:
                p.append(f"delay.category.{k}: unknown category")
        if not _finite(self.overrun) or not OVERRUN_MIN <= self.overrun <= OVERRUN_MAX:
            p.append(f"overrun: {_pct_or_raw(self.overrun)} % outside {OVERRUN_MIN*100:g}–{OVERRUN_MAX*100:g} %")
        if self.ceiling_yi is not None and (not _finite(self.ceiling_yi) or self.ceiling_yi < CEILING_MIN):
            p.append(f"ceiling: {self.ceiling_yi!r} must be empty or at least {CEILING_MIN:g}亿元/年")
        p += self._analysis_problems()
        return p

    def _analysis_problems(self) -> list[str]:
        p = []
        if set(self.sd) != set(GROWTH_KEYS):
            p.append(f"sd: need exactly {', '.join(GROWTH_KEYS)}")
        for k, v in self.sd.items():
            if not _finite(v) or not 0 <= v <= SD_MAX:
                p.append(f"sd.{k}: {_pct_or_raw(v)} % outside 0–{SD_MAX * 100:g} %")
        k = len(self.segments)
        lo = -1.0 / (k - 1) if k > 1 else -1.0  # the smallest correlation that keeps the matrix valid
        if not _finite(self.correlation) or not lo <= self.correlation <= 1.0:
            p.append(f"correlation: {self.correlation!r} outside {lo:g}–1 for {k} segments")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed < 2**32:
            p.append(f"seed: {self.seed!r} not a whole number 0–4294967295")
        if not isinstance(self.n_paths, int) or isinstance(self.n_paths, bool) or not (
                N_PATHS_MIN <= self.n_paths <= N_PATHS_MAX):
            p.append(f"n_paths: {self.n_paths!r} outside {N_PATHS_MIN}–{N_PATHS_MAX}")
        if not _finite(self.per_mu_growth) or not RATE_MIN <= self.per_mu_growth <= RATE_MAX:
            p.append(f"per_mu_growth: {_pct_or_raw(self.per_mu_growth)} % outside {RATE_MIN*100:g}–{RATE_MAX*100:g} %")
        if not _finite(self.io_ratio) or not 0 <= self.io_ratio <= 20:
            p.append(f"io_ratio: {self.io_ratio!r} outside 0–20")
        if not _finite(self.ramp_first) or not 0 <= self.ramp_first <= 1:
            p.append(f"ramp_first: {_pct_or_raw(self.ramp_first)} % outside 0–100 %")
        for key, v in self.actuals.items():
            if not (isinstance(key, tuple) and len(key) == 2 and key[0] in ACTUAL_SEGMENTS
                    and isinstance(key[1], int) and 2021 <= key[1] <= HORIZON_MAX):
                p.append(f"actual.{key}: unknown segment or year outside 2021–{HORIZON_MAX}")
            elif not _finite(v) or v < 0:
                p.append(f"actual.{key[0]}.{key[1]}: {v!r} must be a number of 亿元 ≥ 0")
        if not isinstance(self.track_record, bool):
            p.append("track_record: must be 0 or 1")
        return p

    def check_against(self, data: PlanData) -> list[str]:
        """Problems that need the data: unknown project ids."""
        known = set(data.projects["project_id"])
        p = [f"delay.project.{k}: unknown project" for k in self.delay_project if k not in known]
        p += [f"excluded: unknown project {k}" for k in sorted(self.excluded) if k not in known]
        return p

    # -- helpers -----------------------------------------------------------------------------
    @property
    def segments(self) -> tuple[str, ...]:
        """Projected segments (excluding the total)."""
        return ("rail_transit",) + (SPLIT_SEGMENTS if self.split_nonrail else ("nonrail",))

    @property
    def baseline_nonrail_yi(self) -> float:
        return self.baseline_total_yi - self.baseline_rail_yi

    def with_(self, **changes) -> Scenario:
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)

    def with_growth(self, **rates: float) -> Scenario:
        g = dict(self.growth)
        g.update(rates)
        return replace(self, growth=FrozenMap(g))


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _pct_or_raw(v) -> str:
    return f"{v*100:g}" if _finite(v) else repr(v)


# -- percent <-> rate without drift ---------------------------------------------------------------

def rate_to_pct_text(rate: float) -> str:
    """Shortest text ``t`` such that :func:`pct_text_to_rate` (t) == rate exactly."""
    d = Decimal(repr(float(rate))).scaleb(2).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "") else text


def pct_text_to_rate(text: str) -> float:
    """'7.5' (percent) -> 0.075, parsed in decimal so a written rate reads back bit-exact."""
    with localcontext() as ctx:
        ctx.prec = 60
        return float(Decimal(text.strip().rstrip("%").strip()).scaleb(-2))


def pct_to_rate(pct: float) -> float:
    """A percent shown on screen (float) to a decimal rate, via its shortest text."""
    return pct_text_to_rate(repr(float(pct)))


def decimal_text(x: float) -> str:
    """Plain decimal text for a float, no exponent, no thousands separator."""
    d = Decimal(repr(float(x))).normalize()
    text = format(d, "f")
    return "0" if text == "-0" else text


# -- presets ----------------------------------------------------------------------------------------

def required_rate(base: float, target: float, years: int) -> float:
    """Constant annual rate taking ``base`` to ``target`` in ``years`` years (decimal)."""
    return (target / base) ** (1.0 / years) - 1.0


def data_baselines(data: PlanData) -> dict[str, float]:
    return {
        "rail": data.indicator("rail_output_2020"),
        "total": data.indicator("park_output_2020"),
        "target_rail": data.indicator("rail_output_2025"),
        "target_total": data.indicator("park_output_2025"),
        "historical": data.indicator(HISTORICAL_RATE_ID) / 100,
    }


def presets(data: PlanData) -> dict[str, Scenario]:
    """Named presets built from the data's baselines and targets (even profile, 14th-FYP basis, no delay)."""
    b = data_baselines(data)
    r_rail = required_rate(b["rail"], b["target_rail"], 5)
    r_non = required_rate(b["total"] - b["rail"], b["target_total"] - b["target_rail"], 5)
    hist = b["historical"]
    base = dict(baseline_rail_yi=b["rail"], baseline_total_yi=b["total"])

    def growth(rail, non):
        return FrozenMap({"rail_transit": rail, "nonrail": non, **{s: non for s in SPLIT_SEGMENTS}})

    return {
        "plan-targets": Scenario(name="plan-targets", growth=growth(r_rail, r_non), **base),
        "historical-trend": Scenario(name="historical-trend", growth=growth(hist, hist), **base),
        "rail-target-only": Scenario(name="rail-target-only", growth=growth(r_rail, hist), **base),
        "zero-growth": Scenario(name="zero-growth", growth=growth(0.0, 0.0), **base),
    }


PRESET_NAMES = ("plan-targets", "historical-trend", "rail-target-only", "zero-growth")


# -- assumptions CSV --------------------------------------------------------------------------------

ASSUMPTION_HEADER = ("parameter", "value", "unit", "description")
MAX_ASSUMPTIONS_BYTES = 1_000_000
MAX_ASSUMPTION_ROWS = 5_000
REQUIRED_PARAMS = ("baseline_2020_rail", "baseline_2020_total", "growth.rail_transit", "growth.nonrail")


def to_assumption_rows(s: Scenario) -> list[tuple[str, str, str, str]]:
    rows = [
        ("name", s.name, "", "scenario name"),
        ("baseline_2020_rail", decimal_text(s.baseline_rail_yi), "亿元", "2020 rail-transit output (plan 1.1.1: 975亿元)"),
        ("baseline_2020_total", decimal_text(s.baseline_total_yi), "亿元",
         "2020 park total output (derived: 975 ÷ 0.96 by default; not stated in the plan)"),
    ]
    for k in GROWTH_KEYS:
        rows.append((f"growth.{k}", rate_to_pct_text(s.growth[k]), "%", f"annual growth of {k}"))
    for (seg, year), v in sorted(s.overrides.items()):
        rows.append((f"override.{seg}.{year}", rate_to_pct_text(v), "%", f"growth of {seg} in {year} only"))
    rows.append(("split_nonrail", "1" if s.split_nonrail else "0", "0/1", "split non-rail output into named industries"))
    for k in SPLIT_SEGMENTS:
        rows.append((f"share.{k}", rate_to_pct_text(s.shares[k]), "%", f"assumed 2020 share of non-rail output: {k}"))
    rows += [
        ("horizon", str(s.horizon), "年", "last projected year (2025–2035)"),
        ("phasing.basis", s.basis, "", "fyp = 14th-FYP investment over 2021–2025 build years; total = total over all build years"),
        ("phasing.profile", s.profile, "", "even | front | back | s-curve"),
        ("delay.all", str(s.delay_all), "年", "delay of every project and road"),
    ]
    for a in AREAS:
        rows.append((f"delay.area.{a}", str(s.delay_area.get(a, 0)), "年", "delay of projects in this area"))
    for c in CATEGORIES:
        rows.append((f"delay.category.{c}", str(s.delay_category.get(c, 0)), "年", "delay of projects in this category"))
    for pid, v in sorted(s.delay_project.items()):
        if v:
            rows.append((f"delay.project.{pid}", str(v), "年", "delay of this project"))
    rows += [
        ("overrun", rate_to_pct_text(s.overrun), "%", "cost overrun applied to every amount"),
        ("excluded", ";".join(sorted(s.excluded)), "ids", "project ids left out, separated by ;"),
        ("ceiling", "" if s.ceiling_yi is None else decimal_text(s.ceiling_yi), "亿元/年",
         "annual ceiling on project investment (empty = none); overflow carries into later years"),
    ]
    for k in GROWTH_KEYS:
        rows.append((f"sd.{k}", rate_to_pct_text(s.sd[k]), "%", f"uncertainty (standard deviation) of {k}'s annual growth"))
    rows += [
        ("correlation", decimal_text(s.correlation), "", "correlation between segments' growth shocks"),
        ("seed", str(s.seed), "", "random seed of the Monte Carlo"),
        ("n_paths", str(s.n_paths), "", "Monte Carlo paths"),
        ("per_mu_growth", rate_to_pct_text(s.per_mu_growth), "%", "annual growth of output per mu after 2020"),
        ("io_ratio", decimal_text(s.io_ratio), "亿元/亿元", "annual output per 亿元 invested, once a project runs fully"),
        ("ramp_first", rate_to_pct_text(s.ramp_first), "%", "share of that output in the first year after completion"),
        ("track_record", "1" if s.track_record else "0", "0/1", "discount targets by the earlier plan's realisation"),
    ]
    for (seg, year), v in sorted(s.actuals.items()):
        rows.append((f"actual.{seg}.{year}", decimal_text(v), "亿元", f"actual {seg} output in {year}"))
    return rows


def scenario_id(s: Scenario) -> str:
    """Short ID to cite in minutes: the first 8 hex digits of the SHA-256 of the scenario's assumptions CSV."""
    import hashlib

    return hashlib.sha256(to_assumptions_csv(s).encode("utf-8")).hexdigest()[:8]


def to_assumptions_csv(s: Scenario) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ASSUMPTION_HEADER)
    w.writerows(to_assumption_rows(s))
    return buf.getvalue()


def _int_text(text: str) -> int:
    d = Decimal(text)
    if d != d.to_integral_value():
        raise ValueError
    return int(d)


def from_assumptions_csv(raw: bytes, label: str = "assumptions.csv") -> Scenario:
    """Parse an assumptions CSV (UTF-8, UTF-8 with BOM or GBK) into a Scenario.

    Raises ``ScenarioError`` listing ``label:row:column: problem`` lines. Files over 1 MB or 5,000 rows are
    refused before parsing: an assumptions file has about 40 rows.
    """
    if len(raw) > MAX_ASSUMPTIONS_BYTES:
        raise ScenarioError([f"{label}:-:-: larger than {MAX_ASSUMPTIONS_BYTES // 1_000_000} MB "
                             f"({len(raw) // 1_000_000} MB): not an assumptions file"])
    if raw.count(b"\n") > MAX_ASSUMPTION_ROWS:
        raise ScenarioError([f"{label}:-:-: more than {MAX_ASSUMPTION_ROWS} rows: not an assumptions file"])
    try:
        header, rows = read_csv_rows(raw, label)
    except DataError as exc:
        raise ScenarioError(exc.problems) from None
    lower = [h.lower() for h in header]
    if "parameter" not in lower or "value" not in lower:
        raise ScenarioError([f"{label}:1:-: header must start with parameter,value (found: {','.join(header)[:80]})"])
    ip, iv = lower.index("parameter"), lower.index("value")
    problems: list[str] = []
    seen: dict[str, int] = {}
    kw: dict = {"overrides": {}, "growth": {}, "shares": {}, "delay_area": {}, "delay_category": {},
                "delay_project": {}}

    for n, r in enumerate(rows, start=2):
        param = r[ip] if ip < len(r) else ""
        value = r[iv] if iv < len(r) else ""
        if not param:
            problems.append(f"{label}:{n}:parameter: empty parameter name")
            continue
        if param in seen:
            problems.append(f"{label}:{n}:parameter: {param} given twice (first at row {seen[param]})")
            continue
        seen[param] = n
        where = f"{label}:{n}:value"
        try:
            if param == "name":
                kw["name"] = value
            elif param == "baseline_2020_rail":
                kw["baseline_rail_yi"] = float(Decimal(value))
            elif param == "baseline_2020_total":
                kw["baseline_total_yi"] = float(Decimal(value))
            elif param.startswith("growth."):
                key = param[len("growth."):]
                if key not in GROWTH_KEYS:
                    problems.append(f"{label}:{n}:parameter: unknown segment {key!r}")
                    continue
                kw["growth"][key] = pct_text_to_rate(value)
            elif param.startswith("override."):
                parts = param.split(".")
                if len(parts) != 3 or parts[1] not in GROWTH_KEYS or not parts[2].isdigit():
                    problems.append(f"{label}:{n}:parameter: override must read override.SEGMENT.YEAR, got {param!r}")
                    continue
                kw["overrides"][(parts[1], int(parts[2]))] = pct_text_to_rate(value)
            elif param == "split_nonrail":
                if value not in ("0", "1"):
                    problems.append(f"{where}: split_nonrail must be 0 or 1, got {value!r}")
                    continue
                kw["split_nonrail"] = value == "1"
            elif param.startswith("share."):
                key = param[len("share."):]
                if key not in SPLIT_SEGMENTS:
                    problems.append(f"{label}:{n}:parameter: unknown share {key!r}")
                    continue
                kw["shares"][key] = pct_text_to_rate(value)
            elif param == "horizon":
                kw["horizon"] = _int_text(value)
            elif param == "phasing.basis":
                kw["basis"] = value
            elif param == "phasing.profile":
                kw["profile"] = value
            elif param == "delay.all":
                kw["delay_all"] = _int_text(value)
            elif param.startswith(("delay.area.", "delay.category.", "delay.project.")):
                group, key = param.split(".", 2)[1:]
                kw[f"delay_{group}"][key] = _int_text(value)
            elif param == "overrun":
                kw["overrun"] = pct_text_to_rate(value)
            elif param == "excluded":
                kw["excluded"] = frozenset(x.strip() for x in value.replace(",", ";").split(";") if x.strip())
            elif param == "ceiling":
                kw["ceiling_yi"] = None if value == "" else float(Decimal(value))
            elif param.startswith("sd."):
                key = param[len("sd."):]
                if key not in GROWTH_KEYS:
                    problems.append(f"{label}:{n}:parameter: unknown segment {key!r}")
                    continue
                kw.setdefault("sd", {})[key] = pct_text_to_rate(value)
            elif param == "correlation":
                kw["correlation"] = float(Decimal(value))
            elif param in ("seed", "n_paths"):
                kw[param] = _int_text(value)
            elif param in ("per_mu_growth", "ramp_first"):
                kw[param] = pct_text_to_rate(value)
            elif param == "io_ratio":
                kw["io_ratio"] = float(Decimal(value))
            elif param == "track_record":
                if value not in ("0", "1"):
                    problems.append(f"{where}: track_record must be 0 or 1, got {value!r}")
                    continue
                kw["track_record"] = value == "1"
            elif param.startswith("actual."):
                parts = param.split(".")
                if len(parts) != 3 or parts[1] not in ACTUAL_SEGMENTS or not parts[2].isdigit():
                    problems.append(f"{label}:{n}:parameter: actual must read actual.total|rail_transit.YEAR")
                    continue
                kw.setdefault("actuals", {})[(parts[1], int(parts[2]))] = float(Decimal(value))
            else:
                problems.append(f"{label}:{n}:parameter: unknown parameter {param!r}")
        except (InvalidOperation, ValueError, OverflowError):
            problems.append(f"{where}: not a valid number for {param}: {value!r}")
    for req in REQUIRED_PARAMS:
        if req not in seen:
            problems.append(f"{label}:-:parameter: required parameter {req} is missing")
    if problems:
        raise ScenarioError(problems)
    g = kw["growth"]
    for s in SPLIT_SEGMENTS:  # segments not given follow the non-rail rate
        g.setdefault(s, g["nonrail"])
    if not kw["shares"]:
        kw.pop("shares")
    if "sd" in kw:  # segments not given keep their default uncertainty
        kw["sd"] = {**DEFAULT_SD, **kw["sd"]}
    try:
        return Scenario(**kw)
    except ScenarioError as exc:
        rows_of = {p: r for p, r in seen.items()}
        lines = []
        for msg in exc.problems:
            param = msg.split(":", 1)[0]
            row = rows_of.get(param) or rows_of.get(param.split(".", 1)[0])
            lines.append(f"{label}:{row if row else '-'}:value: {msg}")
        raise ScenarioError(lines) from None

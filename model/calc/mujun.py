"""亩均效益评价 (per-mu efficiency evaluation of enterprises): the method as data, scoring, classes, aggregates and
the illustrative lever into the scenario.

Pure and plan-agnostic: the enterprises come from :class:`model.io.enterprises.EnterpriseSet`, the plan's base-year
per-mu figures arrive as :class:`Baselines` and the areas as a mapping (:func:`plan_inputs` reads both from loaded
plan data; nothing here names a plan, an area or a year).

**Indicators** (each from two columns of the enterprise file; 万元 money, 亩 land):

=====================  ==========================================  ===========
id                     definition                                  unit
=====================  ==========================================  ===========
tax_per_mu             税收 ÷ 用地面积 (亩均税收)                    万元/亩
revenue_per_mu         营业收入 ÷ 用地面积 (亩均营业收入)            万元/亩
value_added_per_mu     工业增加值 ÷ 用地面积 (亩均增加值)            万元/亩
va_per_energy          工业增加值 ÷ 综合能耗 (单位能耗增加值)        万元/吨标准煤
va_per_emission        工业增加值 ÷ 主要污染物排放 (单位排放增加值)  万元/吨
labour_productivity    工业增加值 ÷ 年平均职工人数 (全员劳动生产率)  万元/人
rd_intensity           研发经费 ÷ 营业收入 × 100 (R&D经费占比)       %
=====================  ==========================================  ===========

A blank input scores the indicator 0 (named in the firm's ``missing``). A zero denominator with a positive numerator
(no energy use, no emissions) scores the indicator's full points; land is never zero for a graded firm (the file
refuses it), and a firm without land is evaluated but not graded.

**Output per mu (亩均产值)**: the plan's base-year figure is output per mu of industrial land; the enterprise file
holds 营业收入 (revenue), which for industrial firms is the closest published measure of output (产值), and 工业
增加值, which is not output (value added is roughly a quarter to a third of it). So 亩均产值 here is Σ营业收入 ÷
Σ用地面积, labelled "以营业收入计" everywhere it is compared with the plan's figure.

**Scores**, per group (规上 and 规下 apart by default, each with its own weights; graded firms only set the
benchmarks): *benchmark ratio* — points = weight × min(cap, value ÷ benchmark), the benchmark being the group's
aggregate ratio (Σ numerator ÷ Σ denominator over graded firms, i.e. the park's own 亩均税收 …) or a given value;
*min–max* — points = weight × [floor + (100 − floor) × (x − min) ÷ (max − min)] ÷ 100 over the group's graded
firms (all equal: full points). Score = Σ points + bonus (clipped to ± ``bonus_cap``).

**Classes**: *percentile* — graded firms of a group ranked by score (ties share the better rank); with cumulative
cuts (25, 70, 95) a firm of rank r among n is A if r ≤ ⌊n × 25 % + ½⌋, B if r ≤ ⌊n × 70 % + ½⌋, C if
r ≤ ⌊n × 95 % + ½⌋, else D (40 firms: 10 / 18 / 10 / 2); *score* — A at or above the first threshold, B the
second, C the third, else D. Firms whose reason not graded (不参与分类原因) the method accepts are scored but get no
rank and no class.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .. import numbers
from ..cleaning import clean
from ..numbers import WAN_PER_YI
from ..scenario.frozen import FrozenMap

INDICATORS = ("tax_per_mu", "revenue_per_mu", "value_added_per_mu", "va_per_energy", "va_per_emission",
              "labour_productivity", "rd_intensity")
# indicator -> (numerator column, denominator column, factor, unit)
DEFINITIONS = {
    "tax_per_mu": ("tax_wan", "land_mu", 1.0, "万元/亩"),
    "revenue_per_mu": ("revenue_wan", "land_mu", 1.0, "万元/亩"),
    "value_added_per_mu": ("value_added_wan", "land_mu", 1.0, "万元/亩"),
    "va_per_energy": ("value_added_wan", "energy_tce", 1.0, "万元/吨标准煤"),
    "va_per_emission": ("value_added_wan", "emissions_t", 1.0, "万元/吨"),
    "labour_productivity": ("value_added_wan", "employees", 1.0, "万元/人"),
    "rd_intensity": ("rd_wan", "revenue_wan", 100.0, "%"),
}
PER_MU = ("tax_per_mu", "revenue_per_mu", "value_added_per_mu")  # land is the denominator
SCORINGS = ("benchmark", "minmax")
BENCHMARKS = ("average", "given")
CLASS_RULES = ("percentile", "score")
CLASSES = ("A", "B", "C", "D")
SCALES = ("above", "below")
REASONS = ("utility", "startup", "construction")
NO_LAND = "no_land"  # a firm without land: evaluated, not graded
ALL = "all"  # the one group when scales are not kept apart
WEIGHT_TOTAL = 100.0
PARAM_ORDER = ("name", "scoring", "benchmark", "cap", "floor", "apart", "class_rule", "cut_a", "cut_b", "cut_c",
               "bonus_cap", "exempt")
MAX_METHOD_BYTES = 64_000


class MethodError(ValueError):
    """An invalid method; ``problems`` name the parameter (``weight.above.tax_per_mu: …``)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:5]))


# -- the method ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Method:
    """How enterprises are scored and classed: a small value, saved with every result.

    Weights in points per indicator (each group's weights sum to 100), ``cap`` and ``floor`` as described in the
    module docstring, ``cuts``: cumulative percent of the ranking (percentile rule) or minimum scores (score rule)
    for A, B and C; ``given``: benchmark values (the indicator's unit) when ``benchmark`` is ``given``.
    """

    name: str = "default"
    scoring: str = "benchmark"
    benchmark: str = "average"
    cap: float = 2.0
    floor: float = 20.0
    weights_above: FrozenMap = field(default_factory=lambda: FrozenMap(
        {"tax_per_mu": 30.0, "value_added_per_mu": 20.0, "va_per_energy": 20.0, "va_per_emission": 10.0,
         "labour_productivity": 10.0, "rd_intensity": 10.0}))
    weights_below: FrozenMap = field(default_factory=lambda: FrozenMap({"tax_per_mu": 100.0}))
    given: FrozenMap = field(default_factory=FrozenMap)
    apart: bool = True
    class_rule: str = "percentile"
    cuts: tuple = (25.0, 70.0, 95.0)
    bonus_cap: float = 10.0
    exempt: frozenset = frozenset(REASONS)

    def __post_init__(self):
        for name in ("weights_above", "weights_below", "given"):  # a weight of 0 is no weight: one form
            items = dict(getattr(self, name)).items()
            object.__setattr__(self, name, FrozenMap({k: x for k, x in items if not (name != "given" and x == 0)}))
        object.__setattr__(self, "cuts", tuple(float(c) for c in self.cuts))
        object.__setattr__(self, "exempt", frozenset(self.exempt))

    def weights(self, scale: str) -> dict[str, float]:
        """The weights a firm of ``scale`` (above / below) is scored with (indicators with weight 0 left out)."""
        w = self.weights_above if scale == "above" else self.weights_below
        return {k: v for k, v in w.items() if v}

    def with_(self, **changes) -> Method:
        return replace(self, **changes)

    # -- checks --------------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Every problem, each naming the parameter (an empty list: the method is valid)."""
        out = []
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 80:
            out.append("name: give a name of 1–80 characters")
        for p, v, allowed in (("scoring", self.scoring, SCORINGS), ("benchmark", self.benchmark, BENCHMARKS),
                              ("class_rule", self.class_rule, CLASS_RULES)):
            if v not in allowed:
                out.append(f"{p}: {v!r} is not one of {', '.join(allowed)}")
        for p, v, lo, hi in (("cap", self.cap, 1.0, 10.0), ("floor", self.floor, 0.0, 99.0),
                             ("bonus_cap", self.bonus_cap, 0.0, 50.0)):
            if not numbers.finite(v) or not lo <= v <= hi:
                out.append(f"{p}: {v!r} outside {lo:g}–{hi:g}")
        for scale in SCALES:
            w = self.weights_above if scale == "above" else self.weights_below
            for k, v in w.items():
                if k not in INDICATORS:
                    out.append(f"weight.{scale}.{k}: unknown indicator (one of {', '.join(INDICATORS)})")
                elif not numbers.finite(v) or v < 0:
                    out.append(f"weight.{scale}.{k}: a weight is a number of points, 0 or more, not {v!r}")
            total = sum(v for v in w.values() if numbers.finite(v))
            if abs(total - WEIGHT_TOTAL) > 1e-6:
                out.append(f"weight.{scale}: the weights add up to {total:g}, not {WEIGHT_TOTAL:g}")
        for k, v in self.given.items():
            if k not in INDICATORS:
                out.append(f"given.{k}: unknown indicator")
            elif not numbers.finite(v) or v <= 0:
                out.append(f"given.{k}: a benchmark value is above 0, not {v!r}")
        if self.benchmark == "given" and self.scoring == "benchmark":
            used = set(self.weights("above")) | set(self.weights("below"))
            for k in INDICATORS:
                if k in used and k not in self.given:
                    out.append(f"given.{k}: required with benchmark = given (the indicator is weighted)")
        c = self.cuts
        if len(c) != 3 or not all(numbers.finite(x) for x in c):
            out.append("cuts: three numbers (A, B, C)")
        elif self.class_rule == "percentile":
            if not 0 <= c[0] <= c[1] <= c[2] <= 100:
                out.append(f"cut_a, cut_b, cut_c: cumulative percentages in order within 0–100, not {c}")
        elif not c[0] >= c[1] >= c[2]:
            out.append(f"cut_a, cut_b, cut_c: minimum scores from A down to C (descending), not {c}")
        unknown = sorted(set(self.exempt) - set(REASONS))
        if unknown:
            shown = ", ".join(u[:40] for u in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5
                                                                  else "")
            out.append(f"exempt: unknown reasons {shown} (allowed: {', '.join(REASONS)})")
        return out

    def check(self) -> Method:
        """This method, or MethodError naming every bad parameter."""
        problems = self.problems()
        if problems:
            raise MethodError(problems)
        return self

    # -- as data ---------------------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, str]]:
        """(parameter, value) in a fixed order: the method's CSV (and the JSON's keys)."""
        v = {"name": self.name, "scoring": self.scoring, "benchmark": self.benchmark,
             "cap": numbers.decimal_text(self.cap), "floor": numbers.decimal_text(self.floor),
             "apart": "1" if self.apart else "0", "class_rule": self.class_rule,
             "cut_a": numbers.decimal_text(self.cuts[0]), "cut_b": numbers.decimal_text(self.cuts[1]),
             "cut_c": numbers.decimal_text(self.cuts[2]), "bonus_cap": numbers.decimal_text(self.bonus_cap),
             "exempt": ";".join(r for r in REASONS if r in self.exempt)}
        out = [(p, v[p]) for p in PARAM_ORDER]
        for scale in SCALES:
            w = self.weights_above if scale == "above" else self.weights_below
            out += [(f"weight.{scale}.{k}", numbers.decimal_text(w.get(k, 0.0))) for k in INDICATORS]
        out += [(f"given.{k}", numbers.decimal_text(self.given[k])) for k in INDICATORS if k in self.given]
        return out

    def to_csv_text(self) -> str:
        """``parameter,value`` (CRLF); reads back to an equal method."""
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(("parameter", "value"))
        w.writerows(self.rows())
        return buf.getvalue()

    def to_json(self) -> str:
        return json.dumps(dict(self.rows()), ensure_ascii=False, indent=1)

    @property
    def short_id(self) -> str:
        import hashlib

        return hashlib.sha256(self.to_csv_text().encode("utf-8")).hexdigest()[:8]


def method_from_pairs(pairs: list[tuple[int, str, str]], label: str = "method.csv") -> Method:
    """A method from (row, parameter, value) triples (any order; missing parameters keep the default method's
    values, missing weights are 0). Raises MethodError naming ``label:row:parameter`` for each problem."""
    problems: list[str] = []
    base = Method()
    kw: dict = {}
    weights: dict[str, dict[str, float]] = {}
    given: dict[str, float] = {}
    cuts = list(base.cuts)
    seen: dict[str, int] = {}
    for n, param, text in pairs:
        # through the one cleaner (model.cleaning), as every text from a file: a control character in the name
        # stopped the Word report (XML), a lone surrogate the CSV writer, a bidi override turned the name around
        param = clean(param or "")[:80]
        text = clean(text or "")
        where = f"{label}:{n}:{param or '-'}"
        if param in seen:
            problems.append(f"{where}: given twice (first at row {seen[param]})")
            continue
        seen[param] = n
        try:
            if param in ("name",):
                kw["name"] = text
            elif param in ("scoring", "benchmark", "class_rule"):
                kw[param] = text
            elif param in ("cap", "floor", "bonus_cap"):
                kw[param] = numbers.number(text)
            elif param == "apart":
                kw["apart"] = numbers.boolean(text)
            elif param in ("cut_a", "cut_b", "cut_c"):
                cuts["abc".index(param[-1])] = numbers.number(text)
            elif param == "exempt":
                kw["exempt"] = frozenset(x.strip() for x in text.replace(",", ";").split(";") if x.strip())
            elif param.startswith("weight."):
                _, scale, ind = (param.split(".", 2) + ["", ""])[:3]
                if scale not in SCALES:
                    raise MethodError([f"{where}: the group is above or below, not {scale!r}"])
                weights.setdefault(scale, {})[ind] = numbers.number(text)
            elif param.startswith("given."):
                given[param.split(".", 1)[1]] = numbers.number(text)
            else:
                problems.append(f"{where}: unknown parameter")
        except numbers.NumberError as exc:
            problems.append(f"{where}: {exc.reason}: {text[:40]!r}")
        except MethodError as exc:
            problems += exc.problems
    if problems:
        raise MethodError(problems)
    for scale in SCALES:
        if scale in weights:
            kw[f"weights_{scale}"] = FrozenMap(weights[scale])
    m = Method(**kw, given=FrozenMap(given), cuts=tuple(cuts))
    bad = m.problems()
    if bad:
        rows = {p: n for p, n in seen.items()}
        raise MethodError([f"{label}:{rows.get(p.split(':', 1)[0], '-')}:{p}" for p in bad])
    return m


class _Twice(ValueError):
    """A JSON key given twice (json keeps the last one silently)."""


def method_from_bytes(raw: bytes, label: str = "method.csv") -> Method:
    """A method from its CSV (``parameter,value``) or JSON text (detected by a leading ``{``)."""
    from ..plan.tables import DataError, decode_text

    if not isinstance(raw, (bytes, bytearray)) or len(raw) > MAX_METHOD_BYTES:
        raise MethodError([f"{label}:-:-: not a method file (at most {MAX_METHOD_BYTES // 1000} kB)"])
    try:
        text = decode_text(bytes(raw), label)
    except DataError as exc:
        raise MethodError(exc.problems) from None
    if text.lstrip().startswith("{"):
        def pairs_once(items):
            seen = set()
            for k, _ in items:
                if k in seen:
                    raise _Twice(k)
                seen.add(k)
            return dict(items)

        try:  # numbers kept as their text for the one number parser: a 5,000-digit integer is refused there, and
            # int() of it here raised a ValueError without .msg (a traceback)
            obj = json.loads(text, parse_int=str, parse_float=str, parse_constant=str, object_pairs_hook=pairs_once)
        except _Twice as exc:
            key = str(exc.args[0])[:60]
            raise MethodError([f"{label}:-:{key}: given more than once (each parameter once)"]) from None
        except (ValueError, RecursionError) as exc:
            raise MethodError([f"{label}:1:-: not valid JSON ({getattr(exc, 'msg', type(exc).__name__)})"]) from None
        if not isinstance(obj, dict):
            raise MethodError([f"{label}:1:-: a JSON object of parameter: value"])
        def text(v) -> str:
            if isinstance(v, list):
                return ";".join(str(x) for x in v)
            return v if isinstance(v, str) else json.dumps(v)

        pairs = [(i, str(k), text(v)) for i, (k, v) in enumerate(obj.items(), start=1)]
        return method_from_pairs(pairs, label)
    import csv
    import io

    rows = [r for r in csv.reader(io.StringIO(text, newline=""))]
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered or [c.strip().lower() for c in numbered[0][1][:2]] != ["parameter", "value"]:
        raise MethodError([f"{label}:1:-: the header must be parameter,value"])
    width = len(numbered[0][1])  # parameter,value[,description]: a description is for people, not read
    pairs = []
    for n, r in numbered[1:]:
        if len(r) > max(width, 2) and any(c.strip() for c in r[width:]):
            raise MethodError([f"{label}:{n}:-: {len(r)} cells, expected {width} (a decimal comma?)"])
        pairs.append((n, r[0], r[1] if len(r) > 1 else ""))
    return method_from_pairs(pairs, label)


def presets() -> dict[str, Method]:
    """The methods offered by name: ``default`` (benchmark ratio against the park's averages, weights 30/20/20/10/
    10/10 for 规上, 亩均税收 alone for 规下, A/B/C/D by ranking 25/70/95 %) and ``minmax`` (min–max scores,
    weights 45/20/15/15/5, the same classes). Both treat 规上 and 规下 apart and grade neither utilities, start-ups
    nor firms under construction."""
    default = Method()
    minmax = Method(name="minmax", scoring="minmax",
                    weights_above=FrozenMap({"tax_per_mu": 45.0, "revenue_per_mu": 20.0, "va_per_energy": 15.0,
                                             "labour_productivity": 15.0, "rd_intensity": 5.0}))
    return {"default": default, "minmax": minmax}


# -- plan inputs -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Baselines:
    """The plan's base-year per-mu figures (万元/亩); None where the plan states none."""

    year: int
    tax_per_mu: float | None = None
    output_per_mu: float | None = None


def plan_inputs(data) -> tuple[Baselines | None, dict[str, dict[str, str]]]:
    """The base-year 亩均税收 and 亩均产值 and the areas (value -> names per language) of the plan ``data``.

    The baselines are the rows playing the roles ``tax_per_mu_base`` and ``per_mu_base`` (plans/README.md); the
    areas are the plan's areas (areas.csv)."""
    from ..report.text import LANGS

    found: dict[str, tuple[int, float]] = {}
    for key, role in (("tax_per_mu", "tax_per_mu_base"), ("output_per_mu", "per_mu_base")):
        if data.has_role(role):
            row = data.role_row(role)
            found[key] = (int(row["year"]), float(row["value"]))
    baselines = None
    if found:
        year = min(y for y, _ in found.values())
        baselines = Baselines(year, *(found[k][1] if k in found else None for k in ("tax_per_mu", "output_per_mu")))
    areas = {a.id: {lg: a.name(lg) for lg in LANGS} for a in data.areas}
    return baselines, areas


# -- scoring ---------------------------------------------------------------------------------------------

def indicator_values(df: pd.DataFrame) -> pd.DataFrame:
    """The seven indicators per firm (NaN where an input is blank; +inf for a zero denominator under a positive
    numerator, except land: a firm without land has no per-mu figures)."""
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, (num, den, factor, _) in DEFINITIONS.items():
            a = df[num].to_numpy(dtype=float)
            b = df[den].to_numpy(dtype=float)
            v = a / b * factor
            zero = b == 0
            v = np.where(zero, np.where(a > 0, np.inf, np.nan), v)
            if den == "land_mu":
                v = np.where(zero, np.nan, v)
            out[k] = v
    return pd.DataFrame(out, index=df.index)


def _group_keys(df: pd.DataFrame, method: Method) -> np.ndarray:
    return df["scale"].to_numpy(dtype=object) if method.apart else np.full(len(df), ALL, dtype=object)


def _aggregate_benchmark(df: pd.DataFrame, k: str, mask: np.ndarray) -> float:
    num, den, factor, _ = DEFINITIONS[k]
    a = df[num].to_numpy(dtype=float)
    b = df[den].to_numpy(dtype=float)
    ok = mask & np.isfinite(a) & np.isfinite(b) & (b > 0)
    total = b[ok].sum()
    return float(a[ok].sum() / total * factor) if total > 0 else math.nan


def score(df: pd.DataFrame, method: Method) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores, ranks and classes of the enterprises in ``df`` (an EnterpriseSet's frame), in its row order.

    Returns (results, references): results has ``group``, ``graded`` (bool), ``not_graded`` (a reason code, or
    ``no_land``), the indicator values (``v_<id>``), points (``p_<id>``), ``bonus_points`` (the bonus as counted),
    ``score``, ``rank`` and
    ``of`` (graded firms in the group; NaN when not graded), ``class`` ("" when not graded) and ``missing`` (weighted
    indicators without data, ``;``-separated); references has per group and indicator the weight, the benchmark
    (benchmark rule) or min and max (min–max) and the unit.
    """
    method.check()
    n = len(df)
    values = indicator_values(df)
    reason = df["exempt_reason"].fillna("").to_numpy(dtype=object)
    land = df["land_mu"].to_numpy(dtype=float)
    no_land = ~(land > 0)
    exempt = np.array([r in method.exempt for r in reason], dtype=bool)
    graded = ~exempt & ~no_land
    not_graded = np.where(exempt, reason, np.where(no_land, NO_LAND, ""))
    groups = _group_keys(df, method)
    scales = df["scale"].to_numpy(dtype=object)
    points = {k: np.zeros(n) for k in INDICATORS}
    weight_of = {k: np.array([method.weights(s).get(k, 0.0) for s in SCALES]) for k in INDICATORS}
    scale_index = np.where(scales == "above", 0, 1)
    refs = []
    missing = [[] for _ in range(n)]
    for g in dict.fromkeys(groups):
        in_g = groups == g
        ref = in_g & graded
        for k in INDICATORS:
            w = np.where(in_g, weight_of[k][scale_index], 0.0)
            if not (w > 0).any():
                continue
            x = values[k].to_numpy()
            finite = np.isfinite(x)
            if method.scoring == "benchmark":
                if method.benchmark == "given":
                    bench = float(method.given[k])
                else:
                    bench = _aggregate_benchmark(df, k, ref)
                if bench > 0:
                    ratio = np.where(np.isinf(x), method.cap, np.minimum(method.cap, np.clip(x, 0, None) / bench))
                else:
                    ratio = np.zeros(n)
                refs.append((g, k, "benchmark", bench))
            else:
                pool = x[ref & finite]
                lo, hi = (float(pool.min()), float(pool.max())) if len(pool) else (math.nan, math.nan)
                if hi > lo:
                    share = (np.clip(x, lo, hi) - lo) / (hi - lo)
                else:
                    share = np.ones(n)  # every graded firm alike: full points
                share = np.where(np.isinf(x) & (x > 0), 1.0, share)
                ratio = (method.floor + (WEIGHT_TOTAL - method.floor) * share) / WEIGHT_TOTAL
                refs += [(g, k, "min", lo), (g, k, "max", hi)]
            nan = ~np.isfinite(x) & ~np.isinf(x)
            ratio = np.where(nan, 0.0, ratio)
            points[k] = np.where(in_g & (w > 0), w * ratio, points[k])
            for i in np.flatnonzero(in_g & (w > 0) & nan):
                missing[i].append(k)
    bonus = np.clip(df["bonus"].fillna(0.0).to_numpy(dtype=float), -method.bonus_cap, method.bonus_cap)
    total = sum(points.values()) + bonus
    rank = np.full(n, np.nan)
    of = np.full(n, np.nan)
    cls = np.full(n, "", dtype=object)
    for g in dict.fromkeys(groups):
        idx = np.flatnonzero((groups == g) & graded)
        if not len(idx):
            continue
        s = pd.Series(total[idx])
        r = s.rank(method="min", ascending=False).to_numpy()
        rank[idx] = r
        of[idx] = len(idx)
        cls[idx] = classes_for(r, total[idx], len(idx), method)
    res = pd.DataFrame({"group": groups, "graded": graded, "not_graded": not_graded}, index=df.index)
    for k in INDICATORS:
        res[f"v_{k}"] = values[k]
    for k in INDICATORS:
        res[f"p_{k}"] = points[k]
    res["bonus_points"] = bonus
    res["score"] = total
    res["rank"] = rank
    res["of"] = of
    res["class"] = cls
    res["missing"] = [";".join(m) for m in missing]
    ref = pd.DataFrame(refs, columns=["group", "indicator", "kind", "value"])
    ref["weight_above"] = [method.weights("above").get(k, 0.0) for k in ref["indicator"]]
    ref["weight_below"] = [method.weights("below").get(k, 0.0) for k in ref["indicator"]]
    ref["unit"] = [DEFINITIONS[k][3] for k in ref["indicator"]]
    return res, ref


def class_counts(n: int, cuts: tuple) -> tuple[int, int, int, int]:
    """How many of ``n`` ranked firms fall in A, B, C, D under cumulative percentile ``cuts``
    (⌊n × cut ÷ 100 + ½⌋ cumulatively)."""
    cum = [int(math.floor(n * c / 100.0 + 0.5 + 1e-9)) for c in cuts]
    cum = [min(n, max(0, x)) for x in cum]
    a, b, c = cum
    return a, b - a, c - b, n - c


def classes_for(rank: np.ndarray, score_: np.ndarray, n: int, method: Method) -> np.ndarray:
    """Class letters for graded firms with ``rank`` (1 = best, ties share the best) and ``score_``."""
    if method.class_rule == "score":
        a, b, c = method.cuts
        return np.select([score_ >= a, score_ >= b, score_ >= c], ["A", "B", "C"], "D").astype(object)
    counts = class_counts(n, method.cuts)
    bounds = np.cumsum(counts[:3])
    return np.select([rank <= bounds[0], rank <= bounds[1], rank <= bounds[2]], ["A", "B", "C"], "D").astype(object)


# -- aggregates -------------------------------------------------------------------------------------------

AGG_MONEY = ("tax_wan", "revenue_wan", "value_added_wan")


def aggregate(df: pd.DataFrame, res: pd.DataFrame, by: str | None, baselines: Baselines | None = None
              ) -> pd.DataFrame:
    """Per ``by`` (``area``, ``industry``; None: the whole set) the firms, land and money, the per-mu figures and
    the class counts; with ``baselines``, the change of 亩均税收 and 亩均产值 against the plan's base year.

    Every firm with land counts (graded or not: the park's own per-mu figures count all land in use); a per-mu
    figure divides a money total by the land of the firms that report that money. 亩均产值 = Σ营业收入 ÷ Σ用地
    (营业收入 stands for output, see the module docstring). Columns: ``group``, ``firms``, ``graded``, ``land_mu``,
    ``tax_wan``, ``revenue_wan``, ``value_added_wan``, ``tax_per_mu``, ``output_per_mu``, ``va_per_mu``, ``A`` …
    ``D``, and with baselines ``tax_per_mu_base``, ``tax_per_mu_change``, ``tax_per_mu_change_pct``,
    ``output_per_mu_base``, ``output_per_mu_change``, ``output_per_mu_change_pct``.
    """
    keys = df[by].to_numpy(dtype=object) if by else np.full(len(df), ALL, dtype=object)
    land = df["land_mu"].to_numpy(dtype=float)
    has_land = land > 0
    frame = pd.DataFrame({"group": keys, "firm": 1, "graded": res["graded"].to_numpy(dtype=int),
                          "land_mu": np.where(has_land, land, 0.0)})
    for c in AGG_MONEY:
        v = df[c].to_numpy(dtype=float)
        ok = has_land & np.isfinite(v)
        frame[c] = np.where(ok, v, 0.0)
        frame[f"land_{c}"] = np.where(ok, land, 0.0)
        frame[f"n_{c}"] = ok.astype(int)
    for k in CLASSES:
        frame[k] = (res["class"].to_numpy(dtype=object) == k).astype(int)
    g = frame.groupby("group", sort=False).sum(numeric_only=True)
    out = pd.DataFrame({"group": g.index, "firms": g["firm"].to_numpy(), "graded": g["graded"].to_numpy(),
                        "land_mu": g["land_mu"].to_numpy()})
    with np.errstate(divide="ignore", invalid="ignore"):
        for c, name in (("tax_wan", "tax_per_mu"), ("revenue_wan", "output_per_mu"),
                        ("value_added_wan", "va_per_mu")):
            total = g[c].to_numpy()
            out[c] = np.where(g[f"n_{c}"].to_numpy() > 0, total, np.nan)
            den = g[f"land_{c}"].to_numpy()
            out[name] = np.where(den > 0, total / np.where(den > 0, den, 1.0), np.nan)
    for k in CLASSES:
        out[k] = g[k].to_numpy()
    if baselines is not None:
        for name, base in (("tax_per_mu", baselines.tax_per_mu), ("output_per_mu", baselines.output_per_mu)):
            b = math.nan if base is None else float(base)
            out[f"{name}_base"] = b
            out[f"{name}_change"] = out[name] - b
            out[f"{name}_change_pct"] = (out[name] / b - 1) * 100 if b and math.isfinite(b) else math.nan
    return out.reset_index(drop=True)


def land_totals(register: pd.DataFrame) -> pd.DataFrame:
    """Low-efficiency land (亩) per area and category (a LandRegister's frame): columns ``area``, ``category``,
    ``parcels``, ``land_mu``; the order of the data (areas as first met, categories in the plan's order)."""
    from ..io.enterprises import CATEGORIES as LAND_CATEGORIES

    if register is None or not len(register):
        return pd.DataFrame(columns=["area", "category", "parcels", "land_mu"])
    g = register.groupby(["area", "category"], sort=False).agg(parcels=("parcel_id", "size"),
                                                               land_mu=("land_mu", "sum")).reset_index()
    order = {c: i for i, c in enumerate(LAND_CATEGORIES)}
    areas = {a: i for i, a in enumerate(dict.fromkeys(register["area"]))}
    g = g.assign(_a=g["area"].map(areas), _c=g["category"].map(order)).sort_values(["_a", "_c"])
    return g.drop(columns=["_a", "_c"]).reset_index(drop=True)


# -- the result ------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Result:
    """One evaluation: the enterprises with their results, the method, the references, the aggregates."""

    enterprises: pd.DataFrame  # the file's columns + score() columns
    method: Method
    references: pd.DataFrame
    by_area: pd.DataFrame
    by_industry: pd.DataFrame
    total: pd.DataFrame
    baselines: Baselines | None
    source_id: str = ""  # the enterprise set's short ID
    land: pd.DataFrame | None = None  # land_totals() of a register, if one was given
    register: pd.DataFrame | None = None  # the register's parcels

    def counts(self) -> dict[str, int]:
        c = self.enterprises["class"].value_counts()
        return {k: int(c.get(k, 0)) for k in CLASSES}


def area_parents(data) -> dict[str, str]:
    """Area -> the area it lies in (areas.csv ``parent``), for the areas that lie in another."""
    return {a.id: a.parent for a in data.areas if a.parent}


def _by_area(df: pd.DataFrame, res: pd.DataFrame, baselines: Baselines | None, parents) -> pd.DataFrame:
    """:func:`aggregate` per area, an area that others lie in (``parents``: area -> its parent) taken with every firm
    in it or in an area inside it (a park's figures include its 片区'), and ``sub_areas``: how many areas inside it
    the row includes (0: the firms of that area alone)."""
    if not parents:
        return aggregate(df, res, "area", baselines).assign(sub_areas=0)
    own = df["area"].to_numpy(dtype=object)
    idx, keys, inside = [], [], {}
    for i, a in enumerate(own):
        idx.append(i)
        keys.append(a)
        p, seen = parents.get(a), {a}
        while p and p not in seen:  # a cycle is refused by the package's loader; never followed here
            seen.add(p)
            idx.append(i)
            keys.append(p)
            inside.setdefault(p, set()).add(a)
            p = parents.get(p)
    if len(idx) == len(own):
        return aggregate(df, res, "area", baselines).assign(sub_areas=0)
    rows = np.asarray(idx)
    agg = aggregate(df.iloc[rows].reset_index(drop=True).assign(area=np.asarray(keys, dtype=object)),
                    res.iloc[rows].reset_index(drop=True), "area", baselines)
    return agg.assign(sub_areas=[len(inside.get(g, set()) - {g}) for g in agg["group"]])


def _in_order(agg: pd.DataFrame, order) -> pd.DataFrame:
    """Groups in ``order`` first (e.g. the plan's areas, as every page draws them), then the others as met."""
    if not order:
        return agg
    rank = {g: i for i, g in enumerate(order)}
    key = [rank.get(g, len(rank) + i) for i, g in enumerate(agg["group"])]
    return agg.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k").reset_index(drop=True)


def evaluate(enterprises, method: Method | None = None, baselines: Baselines | None = None,
             register=None, areas=None, parents=None) -> Result:
    """Score an :class:`~model.io.enterprises.EnterpriseSet` (or its frame) with ``method`` (default: the default
    preset), aggregate per area, industry and in total against ``baselines``, and total a
    :class:`~model.io.enterprises.LandRegister` (or its frame) if given. ``areas`` (values, e.g. the mapping of
    :func:`plan_inputs`): the order of the per-area rows; ``parents`` (:func:`area_parents`): an area others lie in
    is totalled with theirs (its row's ``sub_areas`` says how many)."""
    method = method or Method()
    df = enterprises.frame() if hasattr(enterprises, "frame") else enterprises.reset_index(drop=True)
    res, refs = score(df, method)
    full = pd.concat([df, res], axis=1)
    reg = register.frame() if hasattr(register, "frame") else register
    by_area = _in_order(_by_area(df, res, baselines, parents), list(areas or ()))
    return Result(full, method, refs, by_area, aggregate(df, res, "industry", baselines),
                  aggregate(df, res, None, baselines), baselines, getattr(enterprises, "short_id", ""),
                  land_totals(reg) if reg is not None else None, reg)


# -- the lever into the scenario (illustrative) -----------------------------------------------------------

LEVER_CATEGORIES = ("approved_unsupplied", "supplied_unused", "used_unbuilt", "built_uninvested", "idle")
# 投而未达标 is left out by default: such land is already in use by firms, which the enterprise file usually holds
# (as class C or D firms); counting it again would add the same land twice.


@dataclass(frozen=True)
class Lever:
    """What the per-mu evaluation could add (illustrative, not a forecast): if class C and D firms reached the
    class-B median output per mu, and low-efficiency land were used at that level.

    ``extra_output_yi`` (亿元) and ``land_freed_mu`` (亩) are two readings of the same gap (more output on the same
    land, or the same output on less land), not to be added; ``idle_output_yi`` is the output of the register's
    land at the B median. ``by_area``: the same per area."""

    median_b_output_per_mu: float  # 万元/亩 (营业收入 ÷ 用地 of class B firms)
    cd_firms: int
    cd_land_mu: float
    extra_output_yi: float
    land_freed_mu: float
    idle_land_mu: float
    idle_output_yi: float
    by_area: pd.DataFrame
    categories: tuple = LEVER_CATEGORIES

    @property
    def available(self) -> bool:
        return math.isfinite(self.median_b_output_per_mu) and self.median_b_output_per_mu > 0


def lever(result: Result, categories: tuple = LEVER_CATEGORIES) -> Lever:
    """The illustrative lever of ``result`` (see :class:`Lever`): pure, for the scenario pages to add as output.

    Only firms with revenue (营业收入) and land count; 1亿元 = 10,000万元 (``model.numbers.WAN_PER_YI``)."""
    df = result.enterprises
    land = df["land_mu"].to_numpy(dtype=float)
    rev = df["revenue_wan"].to_numpy(dtype=float)
    usable = (land > 0) & np.isfinite(rev)
    cls = df["class"].to_numpy(dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_mu = np.where(usable, rev / np.where(land > 0, land, 1.0), np.nan)
    b = per_mu[usable & (cls == "B")]
    median = float(np.median(b)) if len(b) else math.nan
    cd = usable & np.isin(cls, ("C", "D"))
    areas = df["area"].to_numpy(dtype=object)
    if math.isfinite(median) and median > 0:
        extra = np.where(cd, np.clip(median - per_mu, 0, None) * land, 0.0)
        freed = np.where(cd, np.clip(land - rev / median, 0, None), 0.0)
    else:
        extra = freed = np.zeros(len(df))
    frame = pd.DataFrame({"area": areas, "cd": cd.astype(int), "cd_land_mu": np.where(cd, land, 0.0),
                          "extra_wan": extra, "land_freed_mu": freed})
    g = frame.groupby("area", sort=False).sum(numeric_only=True)
    idle = pd.Series(dtype=float)
    if result.register is not None and len(result.register):
        reg = result.register[result.register["category"].isin(categories)]
        idle = reg.groupby("area", sort=False)["land_mu"].sum()
    names = list(dict.fromkeys(list(g.index) + list(idle.index)))
    by = pd.DataFrame({"area": names})
    by["cd_firms"] = [int(g["cd"].get(a, 0)) for a in names]
    by["cd_land_mu"] = [float(g["cd_land_mu"].get(a, 0.0)) for a in names]
    by["extra_output_yi"] = [float(g["extra_wan"].get(a, 0.0)) / WAN_PER_YI for a in names]
    by["land_freed_mu"] = [float(g["land_freed_mu"].get(a, 0.0)) for a in names]
    by["idle_land_mu"] = [float(idle.get(a, 0.0)) for a in names]
    ok = math.isfinite(median) and median > 0
    by["idle_output_yi"] = by["idle_land_mu"] * (median / WAN_PER_YI if ok else 0.0)
    return Lever(median, int(cd.sum()), float(by["cd_land_mu"].sum()), float(by["extra_output_yi"].sum()),
                 float(by["land_freed_mu"].sum()), float(by["idle_land_mu"].sum()),
                 float(by["idle_output_yi"].sum()), by, tuple(categories))


__all__ = ["Method", "MethodError", "Baselines", "Result", "Lever", "INDICATORS", "DEFINITIONS", "PER_MU",
           "SCORINGS", "BENCHMARKS", "CLASS_RULES", "CLASSES", "SCALES", "REASONS", "NO_LAND", "ALL",
           "LEVER_CATEGORIES", "presets", "method_from_bytes", "method_from_pairs", "plan_inputs", "area_parents",
           "indicator_values", "score", "class_counts", "classes_for", "aggregate", "land_totals", "evaluate",
           "lever"]

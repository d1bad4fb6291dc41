"""Labels and number formats shared by the app, the story, the brief and the workbook (one style everywhere).

* Money in 亿元 with thousands separators and one decimal (two for investment sums): ``1,234.5``.
* Rates in % with two decimals: ``7.50%``; differences of rates in 个百分点 / points.
* Year ranges: ``YYYY—YYYY年`` in Chinese, ``YYYY–YYYY`` in English.
* Plan figures in texts come from ``data/`` through :func:`context`; a derived or user-set value is labelled so.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..numbers import finite
from ..units import COUNT_UNITS, output
from ..plan import enums
from ..plan.calendar import HORIZON_SPAN
from ..plan.tables import PlanData
from ..scenario.fields import Field, fields_for
from ..scenario.kinds import Bool, Enum, IdSet, MapKind, Number, OptionalNumber, Rate, SegParams, YearMap
from .text import placeholders, tr

DASH = {"zh": "—", "en": "–"}


def fmt(x, digits: int = 1) -> str:
    """A number for people: thousands separators, fixed decimals rounded half up (1,015.625 → 1,015.63 in every
    text, table and document; Python's own formatting would give 1,015.62), '—' for missing. Every number shown to
    a person goes through here (tests/test_labels.py checks that no other module formats one itself)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = output(float(x), "a number in a text")  # ±inf is never printed: NonFiniteOutput
    with localcontext() as ctx:  # any finite float rounds, however large (the default 28 digits would not)
        ctx.prec = 400
        d = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{0 if d == 0 else d:,.{digits}f}"


def yi_text(number_text: str, lang: str) -> str:
    """A formatted amount with the plan's money unit: ``1,600.0亿元`` in Chinese, ``1,600.0 亿元`` in English."""
    return f"{number_text}{'' if lang == 'zh' else ' '}亿元"


def rounded(x, digits: int = 2):
    """``x`` rounded half up like :func:`fmt`, still a number (for tables that sort): 1015.625 → 1015.63."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return x
    with localcontext() as ctx:
        ctx.prec = 400
        return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def rounds_to_zero(x, digits: int = 1) -> bool:
    """Whether ``x`` shows as zero at ``digits`` decimals (as :func:`fmt` rounds): a gap of 0.04 is "on target"."""
    return float(fmt(x, digits).replace(",", "")) == 0


def signed(x, digits: int = 1) -> str:
    """A difference with its sign: ``+1,234.5`` / ``-3.2``; one that rounds to zero has none (``0.0``)."""
    text = fmt(x, digits)
    return text if text.startswith("-") or rounds_to_zero(x, digits) else "+" + text


def pct(rate, digits: int = 2) -> str:
    """A rate (decimal) in percent: ``0.075`` → ``7.50%``; '—' for missing."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "—"
    return f"{fmt(rate * 100, digits).replace(',', '')}%"


def points(diff_rate: float, lang: str, digits: int = 2) -> str:
    """A difference of two rates in percentage points: ``+1.25个百分点`` / ``+1.25 points``."""
    return f"{signed(diff_rate * 100, digits)}{tr('pp', lang)}"


def years(first: int, last: int, lang: str) -> str:
    return f"{first}{DASH[lang]}{last}"


def context(s, data: PlanData | None = None) -> dict:
    """Values that texts fill in: the scenario's calendar and, with ``data``, the plan's figures by role and its
    names (period, plan, district)."""
    ctx = {"base_year": s.base_year, "target_year": s.target_year, "plan_first": s.plan_first_year,
           "plan_last": s.plan_last_year, "horizon_max": s.target_year + HORIZON_SPAN}
    plan = data if data is not None else getattr(s, "plan_data", None)
    if plan is not None:
        ctx.update(plan_facts(plan))
        ctx["_plan"] = plan
    return ctx


def plan_facts(data: PlanData) -> dict:
    """Plan figures texts quote, formatted as printed (``:g``), and the plan's own names are filled per language
    by :func:`plan_text`."""
    def g(role):
        return f"{data.role(role):g}" if data.has_role(role) else "—"

    return {"trend": g("trend_growth"), "per_mu": g("per_mu_base"), "share_city": g("share_of_city"),
            "plan_base_year": data.calendar.base_year, "plan_target_year": data.calendar.target_year}


def plan_text(data: PlanData, key: str, lang: str) -> str:
    """A name the plan package gives (plan.csv: name, short_name, period, district …) in ``lang``."""
    return data.meta.text(key, lang)


# Placeholders a text may use for the plan's own names (plan.csv keys), filled in the text's language.
PLAN_TEXTS = {"plan_name": "name", "plan_short": "short_name", "district": "district", "city": "city",
              "period": "period", "previous_period": "previous_period", "next_period": "next_period",
              "projects_annex": "projects_annex", "roads_annex": "roads_annex", "issuer": "issuer",
              "app_title": "app_title", "app_short": "app_short"}


def tx(key: str, lang: str, ctx: dict | None = None, **values) -> str:
    """:func:`tr` with the placeholders a text needs taken from ``values``, else from ``ctx`` (whose ``_plan``, the
    plan, fills the plan's own names in ``lang``: {period}, {plan_name}, {projects_annex} …)."""
    need = placeholders(key) - set(values)
    if need and ctx:
        values = {**{k: ctx[k] for k in need if k in ctx}, **values}
        plan = ctx.get("_plan")
        for k in need - set(values):
            if k in PLAN_TEXTS:
                values[k] = plan.meta.text(PLAN_TEXTS[k], lang) if plan is not None else ""
    elif need & set(PLAN_TEXTS):
        plan = _default()
        values = {**{k: plan.meta.text(PLAN_TEXTS[k], lang) for k in need & set(PLAN_TEXTS)}, **values}
    return tr(key, lang, **values)


# units as each language writes them (money stays in the plan's units: 亿元 in both); the one place for every page,
# file and document
UNIT_KEYS = {"亿元": "unit_yi", "亩": "unit_mu", "万元/亩": "unit_wan_per_mu", "年": "wb.unit.year",
             "paths": "wb.unit.paths", "亿元/年": "wb.unit.yi_per_year", "%/年": "wb.unit.pct_per_year"}
UNIT_KEYS_BY_LANG = {"zh": {"m": "eval.unit.m"},
                     "en": {"分钟": "eval.unit.minutes", **{u: "eval.unit.count" for u in COUNT_UNITS}}}


def unit_text(unit: str, lang: str) -> str:
    """A unit in ``lang`` as a table's unit column writes it (亩 → mu, %/年 → %/yr, 分钟 → minutes, 家 → number in
    English; m → 米 in Chinese); any other as the data write it."""
    key = UNIT_KEYS.get(unit or "") or UNIT_KEYS_BY_LANG.get(lang, {}).get(unit or "")
    return tr(key, lang) if key else (unit or "")


def inline_unit(unit: str, lang: str) -> str:
    """A unit as it follows a figure in a sentence or a cell: as :func:`unit_text`, but an English count has no
    measure word (150, not "150 家" or "150 number")."""
    return "" if lang == "en" and unit in COUNT_UNITS else unit_text(unit, lang)


def stated_value(value, unit: str, lang: str) -> str:
    """A figure the plan states, with its unit, as a table prints it: ``12,345亿元`` / ``12,345 亿元``, ``1,234 mu``,
    ``4.2 %/yr``, ``1,234.56万元/亩`` (as stated: whole numbers stay whole, decimals kept, separators added)."""
    v = float(value)
    digits = 0 if v.is_integer() else min(len(repr(v).split(".")[1]), 4)
    unit = inline_unit(unit, lang)
    return f"{fmt(v, digits)}{'' if lang == 'zh' or not unit else ' '}{unit}"


def date_text(day, lang: str) -> str:
    """A date as documents print it: 2026年11月29日 in Chinese, 2026-11-29 in English."""
    return tr("date_text", lang, year=day.year, month=day.month, day=day.day)


def preset_name(name: str, lang: str, data: PlanData | None = None) -> str:
    """A preset's (or 'custom''s) display name (the package's names for its presets, the engine's for its default
    ones); any other name as the user wrote it."""
    from ..scenario.presets import preset_names

    if name == "custom":
        return tr("preset.custom", lang)
    names = preset_names(data if data is not None else _default())
    if name in names:
        return names[name].get(lang) or names[name].get("zh") or name
    from .text import has

    return tr(f"preset.{name}", lang) if has(f"preset.{name}") else name


def _default() -> PlanData:
    from ..plan.registry import default_plan

    return default_plan()


def enum_label(column: str, value: str, lang: str, data: PlanData | None = None) -> str:
    return enums.label(column, value, lang, data)


def fmt_stated(x, digits: int = 1) -> str:
    """A figure as the plan states it: a whole number stays whole (no spurious ".0"), others one decimal."""
    return fmt(x, 0) if x is not None and float(x).is_integer() else fmt(x, digits)


def gap_phrase(gap: float, lang: str, digits: int = 1, met: bool | None = None) -> str:
    """超出目标x亿元 / 低于目标x亿元 / 与目标持平 (a gap that rounds to zero is on target); ``met`` False for such a
    gap: a target the plan asks to exceed (突破), which landing on it does not meet."""
    if rounds_to_zero(gap, digits):
        return tr("story.gap.equal_strict" if met is False else "story.gap.equal", lang)
    return tr("story.gap.above" if gap > 0 else "story.gap.below", lang, v=fmt(abs(gap), digits))


def sampling_error_pp(p: float, n: int) -> float:
    """Half-width of the 95 % interval of a simulated probability, in percentage points."""
    return 1.96 * math.sqrt(max(p * (1 - p), 0.0) / max(n, 1)) * 100


def error_text(*probs: float, n: int) -> str:
    """The sampling error of simulated probabilities in percentage points, as every text shows it: whole points
    from 1 up, else one decimal, never below 0.5 (one text everywhere, so a brief never shows two errors)."""
    err = max([sampling_error_pp(p, n) for p in probs] + [0.5])
    return fmt(err, 0) if round(err, 1) >= 1 else fmt(err, 1)


def percent_whole(p: float, lang: str) -> str:
    """A probability in whole percent that never reads 0 % or 100 % when it is not (不足1% / 超过99%)."""
    v = p * 100
    if 0 < v < 0.5:
        return tr("prob_below", lang, p="1")
    if 99.5 <= v < 100:
        return tr("prob_above", lang, p="99")
    return f"{fmt(v, 0)}%"


def probability(p: float, n: int, lang: str) -> str:
    """约49%（±1个百分点）: whole percent with its sampling error (never more digits than the error allows)."""
    text = percent_whole(p, lang)
    if text.endswith("%") and text[:-1].isdigit():
        return tr("prob_value", lang, p=text[:-1], e=error_text(p, n=n))
    return text


# -- field labels and values (the brief's and the compare page's assumption tables) ------------------

def seg_name(seg: str, lang: str, data: PlanData | None = None) -> str:
    """A segment's name in ``lang`` from the plan package (segments.csv name_zh / name_en)."""
    return (data if data is not None else _default()).seg_name(seg, lang)


def seg_output(seg: str, lang: str, data: PlanData | None = None) -> str:
    """A segment's output as a quantity in ``lang`` (segments.csv output_name_zh / output_name_en)."""
    d = data if data is not None else _default()
    return d.segments[seg].output_name(lang) if seg in d.segments else seg


def rolled_area(name: str, sub_areas, lang: str) -> str:
    """An area's name on a row that takes in the areas inside it (``sub_areas`` > 0): 某园区（含所辖片区）."""
    return tr("area.rolled", lang, name=name) if sub_areas and sub_areas == sub_areas else name


def name_list(names: list[str], lang: str) -> str:
    """Names as a list in ``lang`` (、 in Chinese; ", " in English)."""
    return ("、" if lang == "zh" else ", ").join(names)


def named_ids(items, ids, lang: str, id_col: str = "project_id") -> list[str]:
    """Each id with its name in ``lang`` from the list ``items`` (a project or road frame): "P33 某某项目", so a
    message never names a project by its code alone; an id the list does not hold stays as it is."""
    ids = list(ids)
    names: dict = {}
    cols = getattr(items, "columns", ())
    if ids and id_col in cols:
        n = len(items)
        own = items[f"name_{lang}"].tolist() if f"name_{lang}" in cols else [None] * n
        zh = items["name_zh"].tolist() if "name_zh" in cols else [None] * n
        for key, a, b in zip(items[id_col].tolist(), own, zh):
            name = (a if isinstance(a, str) else "") or (b if isinstance(b, str) else "") or ""
            names.setdefault(key, name)
    return [f"{i} {names[i]}".strip() if names.get(i) else str(i) for i in ids]


def base_kind(s, seg: str) -> str:
    """How a segment's base-year value in ``s`` is known: ``stated`` (the plan's figure), ``derived`` (the
    package derives it: its base row is of kind derived), ``assumed`` (the plan gives a target but no base),
    ``sum`` (the sum of its parts, no base of its own), ``user`` (the scenario's own figure) or ``rebased`` (a
    scenario on another base year)."""
    data = s.plan_data
    if s.base_year != data.calendar.base_year:
        return "rebased"
    t = data.segments
    if seg not in t.stated:
        return "sum" if t[seg].relation in ("total", "part") else "derived"
    plan = data.segment_base(seg)
    if plan is None:
        from ..scenario.presets import assumed_base

        plan, kind = assumed_base(data, seg), "assumed"
    else:
        kind = "derived" if data.segment_base_row(seg).get("kind") == "derived" else "stated"
    return kind if abs(s.baselines.get(seg, float("nan")) - plan) <= 1e-9 * max(1.0, abs(plan)) else "user"


_FORMULA = re.compile(r"[0-9][0-9 .,]*(?:\s*[÷×*/+\-−]\s*[0-9][0-9 .,%]*)+\s*=\s*[0-9][0-9.,]*")


def derived_formula(row: dict | None) -> str:
    """The arithmetic a derived row's quote states (``a ÷ b = c``), else "" (the quote is not read as a formula).
    Language-neutral: figures and operators only."""
    if not row:
        return ""
    m = _FORMULA.search(str(row.get("quote") or ""))
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else ""


COMPARATOR_WORDS = {">": "gt", ">=": "ge", "=": "eq", "~": "approx", "<=": "le"}


def target_phrase(value: float, comparator: str | None, lang: str) -> str:
    """A target as a plan states it: 突破…亿元 / above … 亿元, 达到…以上 / at least …, 约… / about …;
    a user-set target (no comparator) as its value."""
    word = COMPARATOR_WORDS.get(comparator or "", "value")
    return tr(f"cmp.{word}", lang, v=fmt_stated(value))


def _base_mark(s, key: str, lang: str) -> str:
    """How a base-year value is known: ，推算值 (derived by us), ，假设值 (assumed: the plan states none), nothing
    (stated, or a rebased scenario's own base)."""
    data = s.plan_data
    if s.base_year != data.calendar.base_year:
        return ""
    row = data.segment_base_row(key)
    if row is None:
        return tr("mark_assumed", lang)
    return tr("mark_derived", lang) if row.get("kind") == "derived" else ""


def _key_label(f: Field, key, lang: str, data: PlanData | None, s=None) -> dict:
    """Placeholders of a map field's label for one key."""
    d = data if data is not None else (s.plan_data if s is not None else _default())
    if f.name in ("growth", "sd"):
        return {"seg": seg_name(key, lang, d)}
    if f.name == "shares":
        parent = d.segments[key].parent
        return {"seg": seg_name(key, lang, d), "parent": seg_name(parent, lang, d),
                "parent_output": seg_output(parent, lang, d)}
    if f.name in ("baselines", "targets"):
        out = {"seg": seg_name(key, lang, d), "output": seg_output(key, lang, d)}
        if f.name == "baselines":
            out["mark"] = _base_mark(s, key, lang) if s is not None else ""
        return out
    if isinstance(f.kind, YearMap):
        return {"seg": seg_name(key[0], lang, d), "year": key[1]}
    if f.name == "delay_area" or f.name == "land_mu":
        return {"area": enum_label("area", key, lang, d)}
    if f.name == "delay_category":
        return {"cat": enum_label("category", key, lang, d)}
    if f.name == "delay_project":  # named only where the data are given (the file's description keeps the id)
        name = key
        row = data.projects.loc[data.projects["project_id"] == key] if data is not None else ()
        if len(row):
            name = f"{key} {row.iloc[0]['name_zh'] if lang == 'zh' else (row.iloc[0]['name_en'] or row.iloc[0]['name_zh'])}"
        return {"project": name}
    if f.name == "io_roles":
        return {"role": enum_label("output_role", key, lang, d)}
    return {}


def _scalar_label(f: Field, lang: str, d: PlanData) -> dict:
    """Placeholders of a scalar field's label that come from the plan."""
    if f.name == "split":
        parents = d.segments.splittable
        return {"seg": name_list([seg_name(x, lang, d) for x in parents], lang),
                "output": name_list([seg_output(x, lang, d) for x in parents], lang)}
    if f.name == "earlier_base_yi":
        seg = next((r.get("segment") for r in d.role_rows("earlier_target") if r.get("segment")), d.segments.root)
        return {"output": seg_output(seg, lang, d)}
    return {}


def field_description(f: Field, s, key=None) -> str:
    """'中文名 / English name' of a setting, for the assumptions file's description column."""
    ctx = context(s)
    zh, en = (field_label(f, lang, ctx, key, s=s) for lang in ("zh", "en"))
    return zh if zh == en else f"{zh} / {en}"


def field_label(f: Field, lang: str, ctx: dict | None = None, key=None, data: PlanData | None = None,
                s=None) -> str:
    d = data if data is not None else (s.plan_data if s is not None else _default())
    kw = _key_label(f, key, lang, data, s) if key is not None else _scalar_label(f, lang, d)
    return tx(f.label_key, lang, ctx, **kw)


def value_text(f: Field, value, lang: str, ctx: dict | None = None) -> str:
    """A field's value as people read it: 7.50%, 1,015.63, a choice by its name, 是/否, 无."""
    kind = f.kind
    if isinstance(kind, MapKind):
        kind = kind.item
    if value is None:
        return tr("none", lang)
    if isinstance(kind, Rate):
        return pct(value)
    if isinstance(kind, Bool):
        return tr("yes" if value else "no", lang)
    if isinstance(kind, Enum):
        key = {"basis": f"basis_{value}", "profile": f"profile_{value}", "shocks": f"shocks_{value}",
               "track_reading": f"track_{value}"}.get(f.name)
        return tx(key, lang, ctx or {}) if key else str(value)
    if isinstance(kind, IdSet):
        return "、".join(sorted(value)) if value and lang == "zh" else (", ".join(sorted(value)) if value else
                                                                      tr("none", lang))
    if isinstance(kind, (Number, OptionalNumber)) and finite(value):
        return fmt(value, 2) if f.unit in ("亿元", "亿元/年") else f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and f.unit != "年" and f.name != "seed":
        return f"{value:,}"
    return str(value)


# "（%）" / " (%)" go; "（%，假设值）" → "（假设值）", "(standard deviation, %)" → "(standard deviation)"
_PCT_UNIT = re.compile(r"\s*[（(]%[）)]|%[，,]\s*|[，,]\s*%(?=[）)])")


def without_pct_unit(label: str) -> str:
    """A label without its "%" unit, for a place whose value shows it (7.50%, a slider's 7.5%)."""
    return _PCT_UNIT.sub("", label)


def row_label(f: Field, lang: str, ctx: dict, key=None, data: PlanData | None = None, s=None) -> str:
    """A field's label in a table whose value carries its unit: a rate's "（%）" is dropped (7.50% says it)."""
    label = field_label(f, lang, ctx, key, data, s)
    kind = f.kind.item if isinstance(f.kind, MapKind) else f.kind
    return without_pct_unit(label) if isinstance(kind, Rate) else label


def assumption_rows(s, lang: str, data: PlanData | None = None) -> list[tuple[str, str, str]]:
    """(label, value, unit) for every setting of ``s``, in the field table's order, for people to read.

    Map fields give one row per key; settings at their default that a reader does not need (per-project
    delays of 0, unused split shares) are left out.
    """
    ctx = context(s, data)
    rows = []
    t = s.plan_data.segments
    unsplit_only = set(t.share_children) if not s.split else set()
    for f in fields_for(s.plan_data):
        v = getattr(s, f.name)
        if not f.present or (f.csv_optional and v == f.default_value()) or f.name == "plan":
            continue
        unit = "" if f.unit in ("0/1", "ids", "") else f.unit
        if isinstance(f.kind, YearMap):
            for key, item in sorted(v.items()):
                rows.append((row_label(f, lang, ctx, key, data, s), value_text(f, item, lang, ctx), unit))
        elif isinstance(f.kind, MapKind):
            if f.name == "shares" and not s.split:
                continue
            keys = f.kind.keys() or sorted(v)
            for key in keys:
                if key in unsplit_only and f.name in ("growth", "sd"):
                    continue
                if key not in v and not f.all_keys_in_csv:
                    continue
                item = v.get(key, f.item_default)
                rows.append((row_label(f, lang, ctx, key, data, s), value_text(f, item, lang, ctx), unit))
        else:
            if f.name == "name":
                rows.append((field_label(f, lang, ctx, s=s), preset_name(v, lang, s.plan_data), ""))
                continue
            rows.append((row_label(f, lang, ctx, data=data, s=s), value_text(f, v, lang, ctx), unit if unit != "%" else ""))
    return rows


# -- summary metrics (calc.results) as people read them ----------------------------------------------

SEG_METRICS = ("baseline_needed", "track_record_target", "first_year_target", "output_horizon", "required_cagr",
               "prob_target", "baseline", "target", "output", "gap", "cagr")


def stable_name(name: str, s) -> str:
    """A summary metric's stable name: ``output_{year}_{key}`` → ``output_{key}`` (the year-bearing names of the plan's
    own calendar and the ``_target_year`` names of any other lose their year)."""
    from ..calc.results import metric_names

    for stable, full in metric_names(s).items():
        if name == full:
            return stable
        if name.startswith(full + "_"):
            return stable + name[len(full):]
    return name


def metric_segment(name: str, s) -> tuple[str, str] | None:
    """(metric family, segment id) of a per-segment metric (stable or full name), else None."""
    stable = stable_name(name, s)
    keys = {seg.key: seg.id for seg in s.plan_data.segments}
    for fam in SEG_METRICS:
        if stable.startswith(fam + "_") and stable[len(fam) + 1:] in keys:
            return fam, keys[stable[len(fam) + 1:]]
    return None


def _land_area(name: str, d: PlanData):
    """(family, the area's name in a language) for a land-per-area metric (``land_counted_mu_<code>``), else None."""
    from ..calc.results import LAND_AREA_METRICS

    for fam in LAND_AREA_METRICS:
        if name.startswith(fam + "_"):
            code = name[len(fam) + 1:]
            aid = d.areas.codes.get(code, code)
            if aid in d.areas:
                return fam, lambda lg: d.areas.name(aid, lg)
            row = d.indicator_row(aid) if d.has_indicator(aid) else None
            if row is not None:
                return fam, lambda lg: row.get(f"name_{lg}") or row.get("name_zh") or aid
            return fam, lambda lg: code
    return None


def metric_label(name: str, s, lang: str, data: PlanData | None = None) -> str | None:
    """The label of a summary metric in ``lang`` (per-segment metrics named from the plan's segments), or None
    for a metric without one."""
    from .text import has

    d = data if data is not None else s.plan_data
    ctx = context(s, d)
    hit = metric_segment(name, s)
    if hit is not None:
        fam, seg = hit
        kw = {"seg": seg_name(seg, lang, d), "output": seg_output(seg, lang, d)}
        t = d.segments
        if fam == "baseline":
            mark = _base_mark(s, seg, lang) if seg in t.stated else ""
            if seg not in t.stated and s.base_year == d.calendar.base_year:
                mark = "sum" if t[seg].relation in ("total", "part") else tr("mark_derived", lang)
            kw["mark"] = {"": "", "sum": tr("mark_sum_paren", lang),
                          tr("mark_derived", lang): tr("mark_derived_paren", lang),
                          tr("mark_assumed", lang): tr("mark_assumed_paren", lang)}[mark]
        if fam == "required_cagr" and t[seg].relation == "residual":
            parts = t.parts_of(t[seg].parent)
            return tx("sm.seg.required_conditional", lang, ctx, parts=name_list([
                (seg_name if lang == "zh" else seg_output)(x, lang, d) for x in parts], lang), **kw)
        key = f"sm.seg.{fam}"
        return tx(key, lang, ctx, **kw)
    area = _land_area(name, d)
    if area is not None:
        fam, label = area
        return tx(f"sm.area.{fam}", lang, ctx, area=label(lang))
    stable = stable_name(name, s)
    if stable == "peak_investment_year" and len(d.projects) and len(d.roads):
        return tx("sm.peak_investment_year_all", lang, ctx)  # projects and roads together: said, as the pages count
        # projects alone (项目投资高峰年)
    for key in (f"sm.{stable}", f"wb.sm.{stable}"):
        if has(key):
            return tx(key, lang, ctx)
    return None

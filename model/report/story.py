"""Sentences for the guided story (讲解模式) and the brief, generated from a scenario's numbers, for any plan.

Pure; every text comes from the translation table (``story.*`` keys) with the figures and the plan's own names
(segments, annexes, period) filled in, so Chinese reads as a planning office writes (公文 style) and English as
English. Each sentence states its conditions: the growth a remainder needs is given *if* the parts grow as the
scenario says; a derived, assumed or user-set figure is labelled. A step whose data the plan lacks (no project
list, no road list) is left out, so a plan may have fewer than seven steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..calc.analysis import Fan, contributors, has_land, investment_output, land, simulate, tornado
from ..calc.results import Results, headline
from ..numbers import WAN_PER_YI
from ..plan.tables import PlanData
from ..scenario.fields import PRODUCING
from .labels import (base_kind, context, derived_formula, error_text, fmt, fmt_stated, gap_phrase, pct,
                     percent_whole, seg_name, seg_output, target_phrase, tx, years)

STEPS = ("baseline", "targets", "gap", "growth", "projects", "finance", "risks")
BASE_MARKS = ("derived", "assumed", "sum")  # how a base-year value is marked in the baseline sentence


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    text: str


def _join(items: list[str], lang: str, sep_zh: str = "，", sep_en: str = "; ") -> str:
    return (sep_zh if lang == "zh" else sep_en).join(items)


def _names(segs, lang: str, data: PlanData) -> str:
    """Segments as a list: names in Chinese, outputs in English (new-materials output)."""
    words = [_label(x, lang, data) for x in segs]
    return "、".join(words) if lang == "zh" else (" and ".join(words) if len(words) <= 2 else
                                                  ", ".join(words[:-1]) + " and " + words[-1])


def _label(seg: str, lang: str, data: PlanData) -> str:
    """A segment's output within a sentence: its name in Chinese, its output in English."""
    return seg_name(seg, lang, data) if lang == "zh" else mid(seg_output(seg, lang, data))


def mid(name: str) -> str:
    """An English name inside a sentence: a capital that only starts the name goes (Park revenue → park revenue;
    IGBT output stays)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def cat(parts: list[str], lang: str) -> str:
    """Sentences one after another (a space between them in English), each English one starting with a
    capital."""
    parts = [p.strip() for p in parts if p and p.strip()]
    if lang == "zh":
        return "".join(parts)
    text = " ".join(parts)
    text = re.sub(r"(^|[.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return re.sub(r"\s{2,}", " ", text)


def order(r: Results) -> tuple[str, ...]:
    """The headline segments, the total first, then its parts (the plan's order)."""
    s, p = r.scenario, r.projection
    head = headline(s, p.targets)
    root = p.root
    return ((root,) if root in head else ()) + tuple(x for x in s.tree.ids if x in head and x != root)


def district_share(data: PlanData, r: Results) -> tuple[float, float, float]:
    """The plan's own budget's part of road spending in the plan period: (own budget 亿元, total 亿元, share %).
    The own budget is the funding source the plan flags ``own_budget``; none flagged, or no roads: 0."""
    s = r.scenario
    own = data.flagged("funding_source", "own_budget")
    if not len(data.roads):
        return 0.0, 0.0, 0.0
    names, sums = r.roads.group_sums(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    in_period = (r.roads.years >= s.plan_first_year) & (r.roads.years <= s.plan_last_year)
    district = float(sums[names.index(own), in_period].sum()) if own and own in names else 0.0
    total = float(sums[:, in_period].sum())
    return district, total, (district / total * 100 if total else 0.0)


def _baseline_kind(r: Results) -> str:
    """plan (every base as the plan gives it), user (some base changed) or rebased (another base year)."""
    s = r.scenario
    kinds = {base_kind(s, x) for x in s.tree.stated}
    if "rebased" in kinds:
        return "rebased"
    return "user" if "user" in kinds else "plan"


def _achieved(achieved, r: Results) -> dict:
    """``achieved`` as {segment: rate}: a single rate is the first headline part's (older callers)."""
    if achieved is None:
        return {}
    if isinstance(achieved, dict):
        return {k: v for k, v in achieved.items() if v is not None and v == v}
    head = order(r)
    seg = next((x for x in head if x != r.projection.root), head[0])
    return {seg: achieved}


def baseline_text(data: PlanData, r: Results, lang: str, ctx: dict, base_measure: str = "", achieved=None) -> str:
    s, p = r.scenario, r.projection
    kind = _baseline_kind(r)
    items, notes = [], []
    for seg in headline(s, p.targets):
        mark = base_kind(s, seg) if kind == "plan" else ""
        items.append(tx("story.base_item", lang, ctx, output=_label(seg, lang, data), v=fmt_stated(p.bases[seg])
                        if mark in ("stated", "") else fmt(p.bases[seg]),
                        mark=tx(f"story.mark.{mark}", lang) if mark in BASE_MARKS else ""))
        if mark == "derived":
            formula = derived_formula(data.segment_base_row(seg))
            if formula:
                notes.append(tx("story.baseline.derived", lang, ctx, output=_label(seg, lang, data),
                                formula=formula))
        elif mark == "assumed":
            notes.append(tx("story.baseline.assumed", lang, ctx, output=_label(seg, lang, data)))
    text = tx(f"story.baseline.{kind}", lang, ctx, items=_join(items, lang, "，", ", "),
              measure=base_measure or tx("story.measure_unknown", lang))
    if kind == "rebased":
        got = _achieved(achieved, r)
        if got:
            text = cat([text, tx("story.baseline.achieved", lang, ctx, items=_join([tx(
                "story.achieved_item", lang, ctx, output=_label(x, lang, data), rate=pct(v)) for x, v in got.items()
                if x in s.tree], lang, "，", ", "), span=years(data.calendar.base_year, s.base_year, lang))], lang)
    if data.has_role("share_of_city") and kind == "plan":
        row = data.role_row("share_of_city")
        name = row.get(f"name_{lang}") or row["name_zh"]
        notes.append(tx("story.baseline.share_city", lang, ctx, name=name if lang == "zh" else mid(name),
                        v=f"{data.role('share_of_city'):g}"))
    return cat([text] + notes, lang)


def targets_text(data: PlanData, r: Results, lang: str, ctx: dict) -> tuple[str, str]:
    """(title key, sentence) of the targets step."""
    p = r.projection
    t = p.targets
    items = []
    shown = [x for x in order(r) if x in t]
    all_user = bool(shown) and all(t.is_user_set(x) for x in shown)
    for seg in shown:
        phrase = target_phrase(t[seg], None if t.is_user_set(seg) else t.comparator(seg), lang)
        mark = tx("story.mark.user", lang) if t.is_user_set(seg) and not all_user else ""
        items.append(tx("story.target_item", lang, ctx, output=_label(seg, lang, data), target=phrase, mark=mark))
    if not items:
        return "story.targets.title", tx("story.targets.none", lang, ctx)
    key = "story.targets.user_all" if all_user else ("story.targets.user" if t.any_user_set else "story.targets.plan")
    return ("story.targets.title_user" if t.any_user_set else "story.targets.title",
            cat([tx(key, lang, ctx, items=_join(items, lang, "，", "; "))], lang))


def gap_text(data: PlanData, r: Results, lang: str, ctx: dict) -> str:
    p = r.projection
    items = [tx("story.gap_item", lang, ctx, output=_label(x, lang, data), out=fmt(p.output[x]),
                gap=gap_phrase(p.gap[x], lang, met=p.met(x))) for x in order(r) if x in p.gap]
    if not items:
        root = p.root
        items = [tx("story.output_item", lang, ctx, output=_label(root, lang, data), out=fmt(p.output[root]))]
    return cat([tx("story.gap.text", lang, ctx, items=_join(items, lang, "；", "; "))], lang)


def _strict(p, seg: str) -> bool:
    """The segment's target is one the plan asks to exceed (突破, >): the rate that lands on it does not meet it."""
    return seg in p.targets and p.targets.comparator(seg) == ">"


def conditional_text(data: PlanData, r: Results, lang: str, ctx: dict) -> str:
    """For each remainder (residual) of a segment with a target: the growth it needs if the parts grow as the
    scenario says (若X按本情景增长，Y需年均增长…), or that the parts alone meet the target."""
    s, p = r.scenario, r.projection
    t = s.tree
    out = []
    for res, rate in p.required_conditional.items():
        parent = t[res].parent
        parts = [x for x in t.parts_of(parent) if x in p.cagr]
        if not parts:
            continue
        rates = [pct(p.cagr[x]) for x in parts]
        cond = tx("story.growth.if_one" if len(parts) == 1 else "story.growth.if_many", lang, ctx,
                  parts=_names(parts, lang, data), rates=("、" if lang == "zh" else ", ").join(rates))
        if rate is None:
            out.append(tx("story.growth.parts_enough", lang, ctx, cond=cond, output=_label(parent, lang, data)))
        elif rate <= 0:  # a target the plan asks to exceed (突破) is not met at the rate that lands on it
            out.append(tx("story.growth.decline_strict" if _strict(p, parent) else "story.growth.decline", lang,
                          ctx, cond=cond, seg=_label(res, lang, data), decline=pct(-rate),
                          output=_label(parent, lang, data)))
        else:
            out.append(tx("story.growth.conditional_strict" if _strict(p, parent) else "story.growth.conditional",
                          lang, ctx, cond=cond, seg=_label(res, lang, data), req=pct(rate)))
    return ("" if lang == "zh" else " ").join(out)


def trend_text(data: PlanData, lang: str, ctx: dict) -> str:
    """For reference: the plan's trend row (its own name, period and rate); "" without one."""
    if not data.has_role("trend_growth"):
        return ""
    row = data.role_row("trend_growth")
    name = row.get(f"name_{lang}") or row["name_zh"]
    span = ""
    period = str(row.get("period") or "")
    parts = period.replace("—", "-").replace("–", "-").split("-")
    if len(parts) == 2 and all(x.strip().isdigit() for x in parts):
        span = tx("story.trend_span", lang, span=years(int(parts[0]), int(parts[1]), lang))
    return tx("story.growth.trend", lang, ctx, span=span, name=name if lang == "zh" else name[:1].lower() + name[1:],
              v=f"{data.role('trend_growth'):g}")


def growth_text(data: PlanData, r: Results, lang: str, ctx: dict) -> str:
    p = r.projection
    root = p.root
    need = [tx("story.need_item_strict" if _strict(p, x) else "story.need_item", lang, ctx,
               output=_label(x, lang, data), rate=pct(p.required[x])) for x in order(r) if x in p.required]
    head = tx("story.growth.need", lang, ctx, items=_join(need, lang, "，", ", ")) if need else ""
    return cat([head, conditional_text(data, r, lang, ctx),
                tx("story.growth.scenario", lang, ctx, output=_label(root, lang, data), rate=pct(p.cagr[root])),
                trend_text(data, lang, ctx)], lang)


def projects_text(data: PlanData, r: Results, lang: str, ctx: dict) -> str:
    s = r.scenario
    by = r.projects.by_year()
    by = by[(by.index >= s.plan_first_year) & (by.index <= s.plan_last_year)]  # the period's, as summary.csv's
    peak = int(by.idxmax()) if len(by) and by.max() > 0 else "—"
    inv = float(investment_output(data, s, r.projects).get(s.target_year, 0.0))
    io = contributors(data, s, r.projects)
    producing = io.loc[io["output_role"] == PRODUCING, "ratio"]
    own_list = data.source_projects != "plan"
    library = tx("story.library.user" if own_list else "story.library.annex", lang, ctx)
    return cat([tx("story.projects.text_list" if own_list else "story.projects.text", lang, ctx, library=library,
              n=len(data.projects), total=fmt(data.projects["total_investment_yi"].sum(), 2),
              fyp=fmt(data.projects["fyp_investment_yi"].sum(), 2),
              phased=fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2), peak=peak,
              io=f"{float(producing.iloc[0]) if len(producing) else s.io_ratio:g}", inv=fmt(inv))], lang)


def finance_text(data: PlanData, r: Results, lang: str, ctx: dict) -> str:
    s = r.scenario
    own = data.flagged("funding_source", "own_budget")
    library = tx("story.library.roads" if data.source_roads == "plan" else "story.library.road_list", lang, ctx)
    district, total, share = district_share(data, r)
    lead = tx("story.finance.lead", lang, ctx, library=library, n=len(data.roads),
              total=fmt(data.roads["investment_wan"].sum() / WAN_PER_YI, 2))
    if own:
        funding = data.label("funding_source", own, lang)
        return cat([lead, tx("story.finance.own", lang, ctx, funding=funding if lang == "zh" else mid(funding),
                              district=fmt(district, 2), share=fmt(share, 1))], lang)
    return cat([lead, tx("story.finance.phased", lang, ctx, phased=fmt(total, 2))], lang)


def risks_text(data: PlanData, r: Results, lang: str, ctx: dict, fan: Fan) -> str:
    s, p = r.scenario, r.projection
    probs = [(x, fan.prob[x]) for x in order(r) if x in fan.prob]
    top = tornado(s, p.targets).iloc[0]
    what, seg = top["parameter"].split(".", 1)
    top_text = tx(f"story.top.{'baseline' if what == 'baseline' else 'growth'}", lang, ctx,
                  seg=_label(seg, lang, data))
    if probs:
        items = [tx("story.prob_first" if i == 0 else "story.prob_item", lang, ctx, output=_label(x, lang, data),
                    p=_about(v, lang)) for i, (x, v) in enumerate(probs)]
        text = tx("story.risks.text", lang, ctx, probs=_join(items, lang, "，", "; "),
                  err=error_text(*[v for _, v in probs], n=fan.n_paths), top=top_text)
    else:
        text = tx("story.risks.top", lang, ctx, top=top_text)
    ld = land(s, p.targets, data) if has_land(data) else None
    if ld is not None:
        areas = ld.included_names(lang) or tx("land_none_included", lang)
        text = cat([text, tx("story.risks.land", lang, ctx, land_needed=fmt(ld.land_needed_mu, 0),
                               land_available=fmt(ld.land_available_mu, 0), areas=areas)], lang)
    return cat([text], lang)


def _about(p: float, lang: str) -> str:
    """约49% / about 49%; 不足1% / below 1% as it stands."""
    text = percent_whole(p, lang)
    return tx("story.about", lang, p=text) if text[:1].isdigit() else text


def story(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None, *,
          base_measure: str = "", achieved=None) -> list[Step]:
    """The steps: baseline → targets → gap → growth needed → projects → finance → risks (projects and finance only
    where the plan, or the list in use, has projects and roads).

    ``fan`` (the scenario's Monte Carlo) is computed when not given. For a rebased scenario, ``base_measure`` and
    ``achieved`` ({segment: growth achieved since the plan's base year}; a single rate is the first headline
    part's) describe the new base.
    """
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    steps = []

    def add(key: str, text: str, title: str | None = None) -> None:
        steps.append(Step(key, tx(title or f"story.{key}.title", lang, ctx), text))

    add("baseline", baseline_text(data, r, lang, ctx, base_measure, achieved))
    title, text = targets_text(data, r, lang, ctx)
    add("targets", text, title=title)
    add("gap", gap_text(data, r, lang, ctx))
    add("growth", growth_text(data, r, lang, ctx))
    if len(data.projects):
        add("projects", projects_text(data, r, lang, ctx))
    if len(data.roads):
        add("finance", finance_text(data, r, lang, ctx),
            title="story.finance.title" if data.flagged("funding_source", "own_budget") else "story.finance.title_roads")
    fan = fan or simulate(s, p.targets)
    add("risks", risks_text(data, r, lang, ctx, fan))
    return steps

"""Sentences for the guided story (讲解模式) and the brief, generated from a scenario's numbers.

Pure; every text comes from the translation table (``story.*`` keys) with the figures filled in, so Chinese reads
as a planning office writes (公文 style) and English as English. Each sentence states its conditions: the growth a
segment needs is given *if* the other grows as the scenario says; a derived or user-set figure is labelled.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..calc.analysis import Fan, contributors, investment_output, land, simulate, tornado
from ..calc.results import Results
from ..numbers import WAN_PER_YI
from ..plan import enums
from ..plan.tables import PlanData
from ..scenario.fields import PRODUCING
from .labels import context, error_text, fmt, fmt_stated, gap_phrase, pct, percent_whole, seg_name, tx

STEPS = ("baseline", "targets", "gap", "growth", "projects", "finance", "risks")


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    text: str


def district_share(data: PlanData, r: Results) -> tuple[float, float, float]:
    """District finance's part of road spending in the plan period: (district 亿元, total 亿元, share %)."""
    s = r.scenario
    district_value = enums.DISTRICT_BUDGET
    table = r.roads.by_group(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    in_period = table.loc[(table.index >= s.plan_first_year) & (table.index <= s.plan_last_year)]
    district = float(in_period[district_value].sum()) if district_value in in_period else 0.0
    total = float(in_period.to_numpy().sum())
    return district, total, (district / total * 100 if total else 0.0)


def _baseline_kind(data: PlanData, r: Results) -> str:
    s = r.scenario
    if s.base_year != data.role_year("rail_base"):
        return "rebased"
    same = abs(s.baseline_rail_yi - data.role("rail_base")) < 1e-9 and abs(
        s.baseline_total_yi - data.role("total_base")) < 1e-9
    return "plan" if same else "user"


def story(data: PlanData, r: Results, lang: str = "zh", fan: Fan | None = None, *,
          base_measure: str = "", achieved: float | None = None) -> list[Step]:
    """The seven steps: baseline → targets → gap → growth needed → projects → district finance → risks.

    ``fan`` (the scenario's Monte Carlo) is computed when not given. For a rebased scenario, ``base_measure`` and
    ``achieved`` (rail growth achieved since the plan's base year) describe the new base.
    """
    s, p = r.scenario, r.projection
    ctx = context(s, data)
    steps = []

    def add(key: str, text: str, title: str | None = None) -> None:
        steps.append(Step(key, tx(title or f"story.{key}.title", lang, ctx), text))

    kind = _baseline_kind(data, r)
    add("baseline", tx(f"story.baseline.{kind}", lang, ctx, rail=fmt_stated(s.baseline_rail_yi),
                       total=fmt(s.baseline_total_yi), measure=base_measure or tx("story.measure_unknown", lang),
                       achieved=pct(achieved) if achieved is not None else tx("story.measure_unknown", lang)))
    t = p.targets
    add("targets", tx("story.targets.user" if t.user_set else "story.targets.plan", lang, ctx,
                      total=fmt(t.total_yi, 0), rail=fmt(t.rail_yi, 0)),
        title="story.targets.title_user" if t.user_set else None)
    add("gap", tx("story.gap.text", lang, ctx, out_total=fmt(p.output_total), out_rail=fmt(p.output_rail),
                  gap_total=gap_phrase(p.gap_total, lang), gap_rail=gap_phrase(p.gap_rail, lang)))
    if p.required_cagr_nonrail is None:
        nonrail = tx("story.growth.rail_enough", lang, ctx, cagr_rail=pct(p.cagr_rail))
    elif p.required_cagr_nonrail <= 0:  # rail nearly carries the park: non-rail may even shrink
        nonrail = tx("story.growth.nonrail_decline", lang, ctx, cagr_rail=pct(p.cagr_rail),
                     decline=pct(-p.required_cagr_nonrail))
    else:
        nonrail = tx("story.growth.nonrail", lang, ctx, cagr_rail=pct(p.cagr_rail), req_non=pct(p.required_cagr_nonrail))
    add("growth", tx("story.growth.text", lang, ctx, req_total=pct(p.required_cagr_total),
                     req_rail=pct(p.required_cagr_rail), nonrail=nonrail, cagr_total=pct(p.cagr_total)))
    by = r.projects.by_year()
    peak = int(by.idxmax()) if len(by) and by.max() > 0 else "—"
    inv = float(investment_output(data, s, r.projects).get(s.target_year, 0.0))
    io = contributors(data, s, r.projects)
    producing = io.loc[io["output_role"] == PRODUCING, "ratio"]
    library = "story.library.annex" if data.source_projects == "plan" else "story.library.user"
    own_list = data.source_projects != "plan"
    add("projects", tx("story.projects.text_list" if own_list else "story.projects.text", lang, ctx,
                       library=tx(library, lang),
                       n=len(data.projects), total=fmt(data.projects["total_investment_yi"].sum(), 2),
                       fyp=fmt(data.projects["fyp_investment_yi"].sum(), 2),
                       phased=fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2), peak=peak,
                       io=f"{float(producing.iloc[0]) if len(producing) else s.io_ratio:g}", inv=fmt(inv)))
    district, _, share = district_share(data, r)
    add("finance", tx("story.finance.text" if data.source_roads == "plan" else "story.finance.text_list", lang, ctx,
                      n=len(data.roads),
                      total=fmt(data.roads["investment_wan"].sum() / WAN_PER_YI, 2), district=fmt(district, 2),
                      share=fmt(share, 1)))
    fan = fan or simulate(s, p.targets)
    top = tornado(s, p.targets).iloc[0]
    what, seg = top["parameter"].split(".", 1)
    name = seg_name(seg, lang) if lang == "zh" else seg_name(seg, lang).lower()
    top_text = tx(f"story.top.{'baseline' if what == 'baseline' else 'growth'}", lang, ctx, seg=name)
    ld = land(s, p.targets, data)
    areas = ld.included_names(lang) or tx("land_none_included", lang)
    add("risks", tx("story.risks.text", lang, ctx, p_total=percent_whole(fan.prob_total, lang).rstrip("%"),
                    p_rail=percent_whole(fan.prob_rail, lang).rstrip("%"),
                    err=error_text(fan.prob_total, fan.prob_rail, n=fan.n_paths),
                    top=top_text, land_needed=fmt(ld.land_needed_mu, 0), land_available=fmt(ld.land_available_mu, 0),
                    areas=areas))
    return steps

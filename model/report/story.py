"""Sentences for the guided story (讲解模式), generated from a scenario's numbers, in 公文 style or English.

Pure: the same function will serve the briefing pack. Money in 亿元, rates as "年均增长 x%".
"""
from __future__ import annotations

from dataclasses import dataclass

from ..calc.analysis import Fan, land, simulate, tornado
from ..calc.results import Results
from ..numbers import WAN_PER_YI
from ..plan.tables import PlanData

STEPS = ("baseline", "targets", "gap", "growth", "projects", "finance", "risks")


@dataclass(frozen=True)
class Step:
    key: str
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


def _yi(v: float) -> str:
    return f"{v:,.1f}"


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def story(data: PlanData, r: Results, fan: Fan | None = None) -> list[Step]:
    """The seven steps: baseline → targets → gap → growth needed → projects → district finance → risks.

    ``fan`` (the scenario's Monte Carlo) is computed when not given.
    """
    s, p = r.scenario, r.projection
    ind = data.indicator
    steps = []
    steps.append(Step(
        "baseline", "发展基础", "Where we start",
        f"2020年，全区轨道交通产业总规模{_yi(s.baseline_rail_yi)}亿元，占全市轨道交通产业总规模的{ind('rail_share_city_2020'):g}%，"
        f"占全区规模工业总产值的{ind('rail_share_above_scale_2020'):g}%；按此推算，园区总产值约{_yi(s.baseline_total_yi)}亿元。",
        f"In 2020 the district's rail-transit industry reached {_yi(s.baseline_rail_yi)}亿元, "
        f"{ind('rail_share_city_2020'):g}% of the city's and {ind('rail_share_above_scale_2020'):g}% of the district's "
        f"above-scale industrial output; on that basis park output was about {_yi(s.baseline_total_yi)}亿元 (derived)."))
    steps.append(Step(
        "targets", "规划目标", "What the plan targets",
        f"规划提出，到2025年园区总产值突破{p.targets.total_yi:,.0f}亿元，其中轨道交通产业达到{p.targets.rail_yi:,.0f}亿元。",
        f"The plan targets park output above {p.targets.total_yi:,.0f}亿元 by 2025, of which rail transit "
        f"{p.targets.rail_yi:,.0f}亿元."))
    gz = "超出" if p.gap_total >= 0 else "低于"
    gr = "超出" if p.gap_rail >= 0 else "低于"
    steps.append(Step(
        "gap", "情景与目标差距", "The gap",
        f"按当前情景，2025年园区总产值预计{_yi(p.output_total)}亿元，{gz}目标{_yi(abs(p.gap_total))}亿元；"
        f"轨道交通产业{_yi(p.output_rail)}亿元，{gr}目标{_yi(abs(p.gap_rail))}亿元。",
        f"Under this scenario, park output reaches {_yi(p.output_total)}亿元 in 2025, "
        f"{_yi(abs(p.gap_total))}亿元 {'above' if p.gap_total >= 0 else 'below'} target; rail transit "
        f"{_yi(p.output_rail)}亿元, {_yi(abs(p.gap_rail))}亿元 "
        f"{'above' if p.gap_rail >= 0 else 'below'} target."))
    steps.append(Step(
        "growth", "所需增速", "The growth it takes",
        f"实现目标需园区总产值年均增长{_pct(p.required_cagr_total)}，其中轨道交通年均增长{_pct(p.required_cagr_rail)}，"
        f"非轨道产业年均增长{_pct(p.required_cagr_nonrail)}；当前情景园区总产值年均增长{_pct(p.cagr_total)}，"
        f"轨道交通年均增长{_pct(p.cagr_rail)}。“十三五”期间规模以上工业增加值年均增长"
        f"{ind('above_scale_va_growth_13fyp'):g}%。",
        f"Meeting the targets takes {_pct(p.required_cagr_total)} a year for the park, {_pct(p.required_cagr_rail)} "
        f"for rail transit and {_pct(p.required_cagr_nonrail)} for the rest; this scenario assumes "
        f"{_pct(p.cagr_total)} and {_pct(p.cagr_rail)}. In the 13th FYP above-scale industrial value added grew "
        f"{ind('above_scale_va_growth_13fyp'):g}% a year."))
    by = r.projects.by_year()
    peak = int(by.idxmax()) if len(by) and by.max() > 0 else None
    fyp = r.projects.total_in(s.plan_first_year, s.plan_last_year)
    from ..calc.analysis import investment_output

    inv25 = float(investment_output(data, s, r.projects).get(s.target_year, 0.0))
    steps.append(Step(
        "projects", "重大项目带动", "What the project library delivers",
        f"附件1列重大产业项目{len(data.projects)}个，总投资{data.projects['total_investment_yi'].sum():,.2f}亿元，"
        f"“十四五”计划投资{data.projects['fyp_investment_yi'].sum():,.2f}亿元；按当前设置，2021—2025年分摊投资"
        f"{fyp:,.2f}亿元，投资高峰在{peak}年；项目建成后预计带动2025年产值约{_yi(inv25)}亿元。",
        f"Annex 1 lists {len(data.projects)} major projects, {data.projects['total_investment_yi'].sum():,.2f}亿元 in "
        f"total and {data.projects['fyp_investment_yi'].sum():,.2f}亿元 in the 14th FYP; as phased here, "
        f"{fyp:,.2f}亿元 falls in 2021–2025, peaking in {peak}; once built they add about {_yi(inv25)}亿元 of "
        f"output in 2025."))
    long = r.roads.by_group(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
    in_fyp = long.loc[(long.index >= s.plan_first_year) & (long.index <= s.plan_last_year)]
    district = float(in_fyp["区财政"].sum()) if "区财政" in in_fyp else 0.0
    total_fyp = float(in_fyp.to_numpy().sum())
    share = district / total_fyp * 100 if total_fyp else 0.0
    roads_total = data.roads["investment_wan"].sum() / WAN_PER_YI
    steps.append(Step(
        "finance", "时序与区级财力", "Phasing and the district budget",
        f"附件2道路项目{len(data.roads)}个，投资{roads_total:,.2f}亿元；2021—2025年区财政承担{district:,.2f}亿元，"
        f"占同期道路投资的{share:.1f}%，需统筹安排区级财力。",
        f"Annex 2 has {len(data.roads)} road projects worth {roads_total:,.2f}亿元; in 2021–2025 the district budget "
        f"carries {district:,.2f}亿元, {share:.1f}% of road spending in those years."))
    fan = fan or simulate(s, p.targets)
    top = tornado(s, p.targets).iloc[0]
    ld = land(s, p.targets, data)
    seg_names = {"rail_transit": ("轨道交通", "rail-transit"), "nonrail": ("非轨道产业", "non-rail"),
                 "power_semiconductor": ("功率半导体", "power-semiconductor"),
                 "digital_intelligence": ("数智产业", "digital-intelligence"),
                 "modern_services": ("现代服务业", "modern-services"), "other": ("其他产业", "other-industries")}
    kind, seg = top["parameter"].split(".", 1)
    zh, en = seg_names.get(seg, (seg, seg))
    tz, te = (f"{zh}2020年基数", f"the 2020 {en} baseline") if kind == "baseline" else (f"{zh}增速", f"{en} growth")
    steps.append(Step(
        "risks", "主要风险", "Risks",
        f"在增速波动假设下，园区总产值2025年达标概率约{fan.prob_total * 100:.0f}%，轨道交通约{fan.prob_rail * 100:.0f}%；"
        f"影响最大的假设为{tz}；新增产值约需产业用地{ld.land_needed_mu:,.0f}亩，而规划可用地约{ld.land_available_mu:,.0f}亩。",
        f"With the assumed growth uncertainty, the park total meets its 2025 target with about "
        f"{fan.prob_total * 100:.0f}% probability and rail transit with {fan.prob_rail * 100:.0f}%; the assumption that "
        f"matters most is {te}; the extra output needs about {ld.land_needed_mu:,.0f} mu of land against about "
        f"{ld.land_available_mu:,.0f} mu available."))
    return steps

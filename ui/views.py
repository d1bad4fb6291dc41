"""View pieces used by more than one page (the figures themselves are built in model/report/figures.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.calc.results import Results
from model.report import charts, figures
from model.report.charts import long_frame
from model.scenario.presets import assumed_base

from . import layout, state
from .i18n import enum, lang, seg, t


def clause(indicator_id: str) -> str:
    """'Plan clause 2.4: …quote…' for an indicator (derived rows show their formula)."""
    row = state.load_data().indicator_row(indicator_id)
    return clause_of_row(row)


def clause_of_row(row: dict | None) -> str:
    if row is None:
        return ""
    if row["kind"] == "derived":
        return t("derived_note", formula=row["quote"])
    return t("clause", sec=row["section_id"], quote=row["quote"])


def base_mark(s, segment: str) -> str:
    """How the base-year value of ``segment`` in ``s`` is known: "" (stated in the plan), ``derived`` (the plan's
    derived row, or the sum / rest of others), ``assumed`` (the plan states none), ``user`` (set by the user) —
    "" too for a rebased scenario, whose base is its own."""
    data = s.plan_data
    if s.base_year != data.calendar.base_year:
        return ""
    tree = data.segments
    if segment not in tree.stated:
        return "derived"
    value = s.baselines.get(segment)
    row = data.segment_base_row(segment)
    if row is None:
        return "assumed" if value is not None and abs(value - assumed_base(data, segment)) < 1e-9 else "user"
    if value is None or abs(value - data.money_yi(row)) > 1e-9:
        return "user"
    return "derived" if row["kind"] == "derived" else ""


def base_label(s, segment: str) -> str:
    """'2020年基数' with its mark (推算值 / 假设值 / 用户设定)."""
    mark = base_mark(s, segment)
    return t({"": "baseline_year", "derived": "baseline_year_derived", "assumed": "up.baseline_year_assumed",
              "user": "up.baseline_year_user"}[mark])


def base_help(s, segment: str) -> str | None:
    """Where a base-year value comes from: the plan's clause or formula, or how it is assumed."""
    data = s.plan_data
    mark = base_mark(s, segment)
    if mark == "user" or s.base_year != data.calendar.base_year:
        return None
    if mark == "assumed":
        return t("up.assumed_base_help")
    row = data.segment_base_row(segment)
    if row is not None:
        return clause_of_row(row)
    tree = data.segments
    if tree[segment].relation == "residual":
        parent = tree[segment].parent
        return t("up.residual_help", seg=seg(segment), parent=seg(parent),
                 parts=_names([seg(x) for x in tree.parts_of(parent)]))
    return t("up.sum_help", seg=seg(segment), parts=_names([seg(x) for x in tree.children(segment)
                                                            if tree[x].relation != "share"]))


def _names(names: list[str]) -> str:
    from model.report.labels import name_list

    return name_list(names, lang())


def comparator_word(r: Results, segment: str) -> str:
    """The plan's word for how a target is judged (突破, 以上, 达到 …); "" for a user-set target."""
    targets = r.projection.targets
    if targets.is_user_set(segment) or segment not in targets.comparators:
        return ""
    return enum("comparator", targets.comparator(segment))


def segment_target_text(r: Results, segment: str) -> str:
    """A segment's target as the plan states it, in 亿元: 突破N 亿元, N 亿元以上 (以上 after its figure), a
    range as its bounds (N—M 亿元), a user-set target as its figure."""
    p = r.projection
    yi, lg = t("unit_yi"), lang()
    value = layout.fmt(p.targets[segment], 0)
    word = comparator_word(r, segment)
    row = None if p.targets.is_user_set(segment) else r.scenario.plan_data.segment_target_row(segment)
    top = None if row is None else row.get("value_max")
    if top is not None and top == top and float(row["value"]):  # a range: its bounds, scaled as the lower one
        top_yi = p.targets[segment] * float(top) / float(row["value"])
        return f"{value}{'—' if lg == 'zh' else '–'}{layout.fmt(top_yi, 0)} {yi}"
    if word and targets_comparator(r, segment) == ">=":
        text = t("eval.cmp.ge", v=f"{value} {yi}")
        return text[:1].upper() + text[1:]
    return f"{word}{'' if lg == 'zh' or not word else ' '}{value} {yi}"


def targets_comparator(r: Results, segment: str) -> str:
    targets = r.projection.targets
    return targets.comparator(segment) if segment in targets.comparators else ""


def trajectory_chart(r: Results, *, segments: bool = False, references: bool = True, height: int = 420,
                     actuals: pd.DataFrame | None = None) -> None:
    data = state.data_for(r.scenario)
    build = lambda: figures.trajectory(r, data, lang(), segments=segments,  # noqa: E731
                                       references=references, actuals=actuals, height=height)
    layout.chart(build, key=None if actuals is not None else ("trajectory", r.scenario, data.fingerprint, lang(),
                                                               segments, references, height))


def rest_segments(s) -> tuple[str, ...]:
    """The segments shown on a chart of their own: a residual (the rest of its parent once its parts are taken)
    and a segment split into assumed shares, each with a positive base."""
    tree = s.tree
    out = []
    for sid in tree.ids:
        x = tree[sid]
        if (x.relation == "residual" or sid in tree.splittable) and s.bases.get(sid, 0) > 0 and sid not in out:
            out.append(sid)
    return tuple(out)


def rest_chart(r: Results, segment: str, height: int = 320) -> None:
    """A residual (or split) segment on its own scale, split into its industries when chosen, with the path its
    parent's target needs of it."""
    import streamlit as st

    s = r.scenario
    split = any(segment in s.tree.ancestors(c) for c in s.segments)  # industries under it, or the segment alone
    st.caption(t("split_chart", seg=seg(segment)) if split else t("rest_chart", seg=seg(segment)))
    layout.chart(lambda: _rest_spec(r, segment, height),
                 key=("rest", r.scenario, r.scenario.plan_data.fingerprint, segment, lang(), height))


def _rest_spec(r: Results, segment: str, height: int) -> dict:
    p, s = r.projection, r.scenario
    leaves = [c for c in s.segments if c == segment or segment in s.tree.ancestors(c)]
    series = {seg(c): p.path[c].to_numpy() for c in leaves}
    if len(leaves) > 1:
        series[seg(segment)] = p.path[leaves].to_numpy().sum(axis=1)
    frames = [long_frame(p.path.index, series)]
    need = p.required_conditional.get(segment, p.required.get(segment))
    needed = t("needed_path", seg=seg(segment))
    if need is not None:
        plan = np.arange(s.base_year, s.target_year + 1)
        frames.append(long_frame(plan, {needed: p.bases[segment] * (1 + need) ** (plan - s.base_year)}))
    return charts.lines(charts.concat(frames), series_title=t("series"), x_title=t("year"),
                        y_title=t("value_yi"), dashed=needed, height=height)

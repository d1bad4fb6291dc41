"""产值情景 Output scenarios: growth per segment, baselines, split, overrides, trajectory and yearly table."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.calc.results import headline
from model.numbers import pct_to_rate, sig15
from model.plan.calendar import HORIZON_SPAN
from model.scenario import FrozenMap
from ui import controls, layout, state, views
from ui.controls import field_of
from ui.i18n import lang, seg, seg_output, t
from ui.layout import fmt, gap_delta, pct


MIN_BASE = 0.001  # 亿元: the smallest positive base the input's three decimals can show


def _set_rate(segments: tuple[str, ...], rate: float) -> None:
    g = dict(state.scenario().growth)
    for s in segments:
        g[s] = sig15(rate)
    state.change(growth=FrozenMap(g))


def required_for(r, segment: str) -> tuple[float | None, tuple[str, ...], str | None]:
    """The growth a projected segment needs and the segments a button sets to it: its own target's rate; a
    residual's, for its parent's target with its siblings as set (conditional); a share's, its parent's (every
    share of it alike). Returns (rate, segments, the segment whose target it serves) — rate None: none needed or
    none exists."""
    p, s = r.projection, r.scenario
    tree = s.tree
    if segment in p.required:
        return p.required[segment], (segment,), segment
    if segment in p.required_conditional:
        return p.required_conditional[segment], (segment,), tree[segment].parent
    node = tree[segment]
    if node.relation == "share":
        parent = node.parent
        shares = tuple(x for x in s.segments if tree[x].parent == parent)
        if parent in p.required:
            return p.required[parent], shares, parent
        if parent in p.required_conditional:
            return p.required_conditional[parent], shares, tree[parent].parent
        return None, shares, None
    return None, (segment,), None


def growth_controls(r) -> None:
    """A slider per projected segment, each with a button to the growth its target needs (or why none is)."""
    s = r.scenario
    for segment in s.segments:
        controls.slider("growth", map_key=segment, label_kw={"seg": seg(segment)}, widget_key=f"g_{segment}")
        rate, targets, serves = required_for(r, segment)
        if rate is not None:
            st.button(t("set_required", rate=fmt(rate * 100, 2)), key=f"req_{segment}", on_click=_set_rate,
                      width="stretch", args=(targets, rate))
        elif serves is not None:  # the other segments as set already meet the target this one would serve
            st.caption(t("parts_enough", parts=parts_text(s, serves), output=seg_output(serves)))


def parts_text(s, parent: str) -> str:
    """The parts of ``parent`` named in a list, in the current language."""
    from model.report.labels import name_list

    from ui.i18n import lang

    return name_list([seg(x) for x in s.tree.parts_of(parent)], lang())


def _share_fields(parent: str, segment: str):
    def to_fields(v):
        s = state.scenario()
        kids = [k for k in s.tree.children(parent) if s.tree[k].relation == "share"]
        last = kids[-1]
        shares = dict(s.shares)
        shares[segment] = pct_to_rate(float(v))
        rest = 1.0 - sum(shares[k] for k in kids if k != last)
        if rest < -1e-9:
            state.flash("error", "shares_sum", sum=fmt((1 - rest) * 100, 1))
            return {}
        shares[last] = max(rest, 0.0)
        return {"shares": FrozenMap(shares)}
    return to_fields


def _baseline_fields(segment: str):
    def to_fields(v):
        b = dict(state.scenario().baselines)
        b[segment] = float(v)
        return {"baselines": FrozenMap(b)}
    return to_fields


def baseline_controls(r) -> None:
    """One input per segment whose base-year value is an input (derived and assumed values marked in the label)."""
    s = r.scenario
    tree = s.tree
    f = field_of("baselines")
    stated = tree.stated
    cols = st.columns(min(len(stated), 3) or 1)
    for i, segment in enumerate(stated):
        parts = [x for x in tree.parts_of(segment) if x in s.baselines]
        low = sum(s.baselines[x] for x in parts) if tree.residual_of(segment) is not None else 0.0
        value = float(s.baselines[segment])
        helps = [controls.help_text(f)] + [h for h in (views.base_help(s, segment),) if h]
        with cols[i % len(cols)]:
            mark = views.base_mark(s, segment)
            label = controls.label(f, seg=seg(segment), output=seg_output(segment), mark=t(
                {"derived": "mark_derived", "assumed": "mark_assumed", "user": "up.mark_user"}[mark])
                if mark else "")
            # a base is positive: the input never offers 0 (the model refuses it), nor less than its parts' sum
            state.bound(st.number_input, label, f"base_{segment}", value,
                        _baseline_fields(segment), min_value=min(max(float(low), MIN_BASE), value),
                        max_value=float(f.hi),
                        step=1.0, format="%.3f", help=" ".join(helps))


def split_controls(r) -> None:
    """The split toggle (a plan with segments split into assumed shares) and, split, each share."""
    s = r.scenario
    tree = s.tree
    if not tree.splittable or not field_of("split").present:
        return
    controls.toggle("split", widget_key="split")
    if not s.split:
        return
    sf = field_of("shares")
    for parent in tree.splittable:
        kids = [k for k in tree.children(parent) if tree[k].relation == "share"]
        if not kids:
            continue
        per_row = min(len(kids), 4)
        for i in range(0, len(kids), per_row):
            cols = st.columns(per_row)
            for col, segment in zip(cols, kids[i:i + per_row]):
                with col:
                    if segment == kids[-1]:  # the last takes the rest
                        st.metric(controls.label(sf, segment), pct(s.shares[segment], 1))
                    else:
                        state.bound(st.number_input, controls.label(sf, segment), f"share_{segment}",
                                    round(s.shares[segment] * 100, 6), _share_fields(parent, segment),
                                    min_value=0.0, max_value=100.0, step=1.0, format="%.1f")
        st.caption(f"{t('split_help')} {split_formula(s, parent)}")


def split_formula(s, parent: str) -> str:
    """How the split segment's base is known: its value, and for a residual the whole minus its parts."""
    tree, b = s.tree, s.bases
    text = f"{seg(parent)} {fmt(b[parent])} {t('unit_yi')}"
    if tree[parent].relation == "residual":
        whole = tree[parent].parent
        text += f" = {fmt(b[whole])} − " + " − ".join(fmt(b[x]) for x in tree.parts_of(whole))
    return text


def structure_controls(r) -> None:
    s = r.scenario
    baseline_controls(r)
    options = list(range(s.target_year, s.target_year + HORIZON_SPAN + 1))
    hf = field_of("horizon")
    state.bound(st.select_slider, controls.label(hf), "horizon", s.horizon, lambda v: {"horizon": int(v)},
                options=options, help=controls.help_text(hf))
    split_controls(r)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def overrides_editor(r) -> None:
    """Per-year rates in a table; only cells the user changed are converted (others keep their exact rate)."""
    s = r.scenario
    f = field_of("overrides")
    years = list(range(s.base_year + 1, s.horizon + 1))
    shown = {(k, y): s.overrides[(k, y)] * 100 if (k, y) in s.overrides else math.nan
             for k in s.segments for y in years}
    frame = pd.DataFrame({seg(k): [shown[(k, y)] for y in years] for k in s.segments},
                         index=pd.Index(years, name=t("year")), dtype="float64")
    key = "ov_" + format(abs(hash((s.overrides, s.horizon, s.segments, s.plan_data.id))), "x")
    cfg = {seg(k): st.column_config.NumberColumn(seg(k), min_value=f.lo * 100, max_value=f.hi * 100, step=0.1,
                                                 format="%,.1f%%") for k in s.segments}
    edited = layout.data_editor(frame, key, column_config=cfg, width="stretch", placeholder="—")
    edited = edited.reindex(frame.index)  # fixed rows: the years shown, whatever a crafted message adds
    new = {kv: v for kv, v in s.overrides.items() if kv[0] not in s.segments or kv[1] > s.horizon}
    for k in s.segments:
        values = pd.to_numeric(edited[seg(k)], errors="coerce")  # text, Infinity or a 5,000-digit number: blank
        values = values.where(values.abs() < 1e6)  # far outside any growth in %: as if not entered
        for y, v in zip(years, values.tolist()):
            before = shown[(k, y)]
            if _blank(v):
                continue
            if not _blank(before) and float(v) == before:
                new[(k, y)] = s.overrides[(k, y)]
            else:
                new[(k, y)] = pct_to_rate(round(float(v), 6))
    if FrozenMap(new) != s.overrides:
        if state.change(overrides=FrozenMap(new)):
            st.rerun()


def yearly_table(r) -> None:
    s = r.scenario
    path = r.projection.path
    cols = list(dict.fromkeys(list(s.segments) + [s.root]))
    table = path[cols].rename(columns={c: seg(c) for c in cols})
    table.index = table.index.astype(str)
    cagr_label = t("cagr", year=s.horizon)
    table.loc[cagr_label] = [r.projection.cagr_horizon[c] * 100 for c in cols]
    table = table.reset_index(names=t("year"))
    fmt_cols = {seg(c): st.column_config.NumberColumn(format="%,.2f") for c in cols}
    st.dataframe(table, width="stretch", hide_index=True,
                 column_config={t("year"): st.column_config.TextColumn(width="medium"), **fmt_cols})
    st.caption(t("yearly_units"))


def conditional_help(r, segment: str) -> str:
    """What a residual's needed growth assumes: its siblings' parts growing as set, to their target-year output."""
    s, p = r.scenario, r.projection
    parts = s.tree.parts_of(s.tree[segment].parent)
    return t("req_conditional_help", seg=seg(segment), parts=parts_text(s, s.tree[segment].parent),
             v=fmt(sum(p.output[x] for x in parts)))


def top_metrics(r) -> None:
    """The target year's output of every segment with a target (its gap as the delta), then, where they fit in the
    row, the growth each projected segment needs."""
    p, s = r.projection, r.scenario
    yi = t("unit_yi")
    shown = [x for x in headline(s, p.targets) if x in p.targets]
    items = [(f"{s.target_year} {seg(x)}", f"{fmt(p.output[x])} {yi}", gap_delta(p.gap[x], yi), t("gap_help"))
             for x in shown]
    needs = []
    for x in s.segments:
        rate = required_for(r, x)[0]
        if rate is not None and (x, rate) not in needs and s.tree[x].relation != "share":
            needs.append((x, rate))
    if len(items) + len(needs) <= 4:
        items += [(t("up.req_seg", seg=seg(x)), pct(rate), {}, conditional_help(r, x)
                   if x in p.required_conditional else None) for x, rate in needs]
    for col, (label, value, delta, help_) in zip(layout.metric_grid(len(items)), items):  # rows of at most 4
        col.metric(label, value, help=help_, **delta)


def body() -> None:
    s = state.scenario()
    r = state.results(s)
    st.title(t("nav_output"))
    st.caption(f"{t('output_intro')} {t('yi_gloss')}")
    top_metrics(r)
    left, right = st.columns([1, 2], gap="large")
    with left:
        growth_controls(r)
    with right:
        views.trajectory_chart(r, height=460)
        for segment in views.rest_segments(s):
            views.rest_chart(r, segment)
    exp = layout.lazy_expander(t("structure" if s.tree.splittable else "up.structure"), "open_structure", icon=":material/tune:",
                               expanded=s.split or s.horizon != s.target_year)
    if exp is not None:
        with exp:
            structure_controls(r)
    exp = layout.lazy_expander(t("overrides"), "open_overrides", icon=":material/edit_calendar:",
                               expanded=bool(s.overrides))
    if exp is not None:
        with exp:
            st.caption(t("overrides_help"))
            overrides_editor(r)
    exp = layout.lazy_expander(t("yearly_table"), "open_yearly", icon=":material/table:")
    if exp is not None:
        with exp:
            yearly_table(r)
    exp = layout.lazy_expander(t("mj.p.lever_title"), "open_mujun_lever", icon=":material/landscape:")
    if exp is not None:
        with exp:
            from ui import mujun

            root = r.scenario.root
            mujun.lever_panel("output", output_yi=r.projection.output[root],
                              output_name=r.scenario.tree[root].output_name(lang()))
    layout.downloads()


layout.page(body, "nav_output")

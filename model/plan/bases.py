"""The base-year values of a plan's stated segments: the package's own, or — for a segment the plan gives a target
but no base — an assumed one, labelled so wherever it appears."""
from __future__ import annotations

from .tables import MONEY_UNITS, PlanData


def plan_bases(data: PlanData) -> dict[str, float]:
    """Base-year values (亿元) of the stated segments: the package's, else assumed (see :func:`assumed_base`)."""
    out = {}
    for sid in data.segments.stated:
        v = data.segment_base(sid)
        out[sid] = v if v is not None else assumed_base(data, sid)
    return out


def assumed_base(data: PlanData, seg: str) -> float:
    """The base of a segment whose target the plan states without a base: its target discounted at the growth
    its parent needs (base ÷ target of the nearest segment above it that has both), else at the growth the other
    segments under the same parent need together (Σ bases ÷ Σ targets of those with both) — an assumption,
    labelled so wherever it appears, for the user to replace. Without a target: the parent's base left over,
    split evenly among the parts without a base; failing all of these, 1亿元."""
    t = data.segments
    target = data.segment_target(seg)
    for anc in t.ancestors(seg):
        b, g = data.segment_base(anc), data.segment_target(anc)
        if b and g and target:
            return target * b / g
        if b and not target:
            parts = [x for x in t.parts_of(anc) if data.segment_base(x) is None]
            known = sum(data.segment_base(x) or 0.0 for x in t.parts_of(anc))
            return max(b - known, 0.0) / max(len(parts), 1) or b
    if target:
        both = [x for x in t.children(t[seg].parent) if data.segment_base(x) and data.segment_target(x)]
        if both:
            return target * sum(data.segment_base(x) for x in both) / sum(data.segment_target(x) for x in both)
        return target
    return 1.0


def is_assumed_base(data: PlanData, seg: str) -> bool:
    return seg in data.segments.stated and data.segment_base(seg) is None


# -- a target's base-year row (the evaluation's, the monitoring's and the actuals template's) --------------------

def _row(data: PlanData, indicator_id) -> dict | None:
    try:
        return data.indicator_row(indicator_id) if indicator_id else None
    except KeyError:
        return None


def baseline_row(data: PlanData, target: dict) -> dict | None:
    """The base-year row of a target: its ``baseline_id`` where the data give one; for a segment's target without
    one, the segment's base row (segments.csv), so the indicator table and the output paths agree."""
    base = _row(data, target.get("baseline_id"))
    if base is None:
        for seg in data.segments:
            if seg.target_id == target.get("indicator_id"):
                if seg.base_id:
                    return data.indicator_row(seg.base_id)
                return _sum_base_row(data, seg.id, target)
    return base


def _sum_base_row(data: PlanData, seg_id: str, target: dict) -> dict | None:
    """A derived base-year row for a segment the plan gives no base of its own but whose parts all have one (a
    total that is their sum): the projection starts from that sum, so the evaluation and the monitoring do too
    (they had read "no base" and left growth and progress blank, or taken the first actual as the base). None
    where a part has no stated base or a residual takes a rest the plan does not state."""
    t = data.segments

    def base_yi(sid: str) -> tuple[float, list[dict]] | None:
        row = data.segment_base_row(sid)
        if row is not None:
            return data.money_yi(row), [row]
        parts = t.parts_of(sid)
        if not parts or t.residual_of(sid) is not None:
            return None
        got = [base_yi(p) for p in parts]
        if any(g is None for g in got):
            return None
        return sum(g[0] for g in got), [r for g in got for r in g[1]]

    got = base_yi(seg_id)
    unit = target.get("unit")
    if got is None or unit not in MONEY_UNITS:
        return None
    value, rows = got
    years = {int(r["year"]) for r in rows}
    if len(years) != 1:
        return None

    def one(col: str) -> str:  # the parts' common measure or scope, else none
        values = {r.get(col) or "" for r in rows}
        return values.pop() if len(values) == 1 else ""

    return {"indicator_id": "", "year": years.pop(), "value": value / MONEY_UNITS[unit], "unit": unit,
            "kind": "derived", "measure": one("measure"), "scope": one("scope"),
            "quote": "", "formula": " + ".join(r["indicator_id"] for r in rows)}

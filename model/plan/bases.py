"""The base-year values of a plan's stated segments: the package's own, or — for a segment the plan gives a target
but no base — an assumed one, labelled so wherever it appears."""
from __future__ import annotations

from .tables import PlanData


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

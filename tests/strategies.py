"""Hypothesis strategies for scenarios of a plan (default: the default plan), drawn from the plan's own segments,
areas and categories (synthetic baselines: model tests do not read the plan's figures)."""
from __future__ import annotations

from hypothesis import strategies as st

from model.scenario import BASES, PROFILES, FrozenMap, Scenario, clean_name

rates = st.floats(min_value=-0.5, max_value=1.0, allow_nan=False, allow_infinity=False)
names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=30).filter(lambda s: clean_name(s) == s and s)


def _plan(data):
    """``data``: a plan, a package folder (a short repr for hypothesis' reports), or None for the default plan."""
    from model.plan.registry import default_plan, plan_at

    if data is None:
        return default_plan()
    return data if hasattr(data, "segments") else plan_at(data)


@st.composite
def baselines(draw, data=None) -> FrozenMap:
    """Base-year values of the plan's stated segments: a whole never below the parts a remainder leaves it."""
    t = _plan(data).segments
    out = {}
    for sid in t.stated:  # post-order: parts before their whole
        parts = [p for p in t.parts_of(sid) if p in out]
        floor = sum(out[p] for p in parts) if t.residual_of(sid) else 0.0
        out[sid] = floor + draw(st.floats(min_value=1, max_value=5000, allow_nan=False))
    return FrozenMap(out)


@st.composite
def shares(draw, data=None) -> FrozenMap:
    t = _plan(data).segments
    out = {}
    for parent in t.splittable:
        kids = [k for k in t.children(parent) if k in t.share_children]
        weights = draw(st.lists(st.integers(0, 100), min_size=len(kids), max_size=len(kids))
                       .filter(lambda w: sum(w) > 0))
        part = {k: w / sum(weights) for k, w in zip(kids, weights)}
        # the rounding remainder on the largest share (on a share of 0 it could leave one at -2e-14)
        part[max(part, key=part.get)] += 1.0 - sum(part.values())
        out.update(part)
    return FrozenMap(out)


@st.composite
def scenarios(draw, project_ids=("P01", "P02", "P03"), data=None) -> Scenario:
    data = _plan(data)
    t = data.segments
    keys = t.growth_keys
    cal = data.calendar
    horizon = draw(st.integers(cal.target_year, cal.target_year + 10))
    overrides = draw(st.dictionaries(st.tuples(st.sampled_from(keys), st.integers(cal.base_year + 1, horizon)), rates,
                                     max_size=3))
    areas, cats = data.areas.ids, data.values("category")
    actual_segs = (t.root,) + t.parts_of(t.root)[:1]
    return Scenario(
        name=draw(names),
        baselines=draw(baselines(data)),
        growth=FrozenMap({k: draw(rates) for k in keys}),
        overrides=FrozenMap(overrides),
        split=draw(st.booleans()) if t.splittable else False,
        shares=draw(shares(data)),
        horizon=horizon,
        basis=draw(st.sampled_from(BASES)),
        profile=draw(st.sampled_from(PROFILES)),
        delay_all=draw(st.integers(0, 3)),
        delay_area=draw(st.dictionaries(st.sampled_from(areas), st.integers(0, 3), max_size=2)) if areas else {},
        delay_category=draw(st.dictionaries(st.sampled_from(cats), st.integers(0, 3), max_size=2)) if cats else {},
        delay_project=draw(st.dictionaries(st.sampled_from(project_ids), st.integers(0, 3), max_size=2)),
        overrun=draw(st.floats(min_value=-0.5, max_value=2.0, allow_nan=False)),
        excluded=frozenset(draw(st.lists(st.sampled_from(project_ids), max_size=2))),
        ceiling_yi=draw(st.one_of(st.none(), st.floats(min_value=1, max_value=500, allow_nan=False))),
        sd=FrozenMap({k: draw(st.floats(min_value=0, max_value=0.5, allow_nan=False)) for k in keys}),
        correlation=draw(st.floats(min_value=-0.25, max_value=1.0, allow_nan=False)),
        seed=draw(st.integers(0, 2**32 - 1)),
        n_paths=draw(st.integers(1_000, 100_000)),
        per_mu_growth=draw(rates) if data.has_role("per_mu_base") else 0.0,  # a setting only where it exists
        io_ratio=draw(st.floats(min_value=0, max_value=20, allow_nan=False)),
        ramp_first=draw(st.floats(min_value=0, max_value=1, allow_nan=False)),
        actuals=FrozenMap(draw(st.dictionaries(st.tuples(st.sampled_from(actual_segs),
                                                         st.integers(cal.base_year + 1, cal.target_year)),
                                               st.floats(min_value=0, max_value=5000, allow_nan=False),
                                               max_size=3))),
        track_record=draw(st.booleans()) if data.has_role("earlier_target") else False,
        plan_data=data,
    )


class Reads:
    """A scenario that records every setting read from it (what a cache key must hold)."""

    def __init__(self, s):
        object.__setattr__(self, "_s", s)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name):
        self.read.add(name)
        return getattr(self._s, name)

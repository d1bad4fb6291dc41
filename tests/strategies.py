"""Hypothesis strategies for scenarios (synthetic baselines: model tests do not read the plan)."""
from __future__ import annotations

from hypothesis import strategies as st

from model.scenario import (AREAS, BASES, CATEGORIES, GROWTH_KEYS, PROFILES, SPLIT_SEGMENTS, FrozenMap, Scenario,
                            clean_name)

rates = st.floats(min_value=-0.5, max_value=1.0, allow_nan=False, allow_infinity=False)
names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=30).filter(lambda s: clean_name(s) == s and s)


@st.composite
def scenarios(draw, project_ids=("P01", "P02", "P03")) -> Scenario:
    rail = draw(st.floats(min_value=1, max_value=5000, allow_nan=False))
    extra = draw(st.floats(min_value=0, max_value=5000, allow_nan=False))
    weights = draw(st.lists(st.integers(0, 100), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
    shares = {k: w / sum(weights) for k, w in zip(SPLIT_SEGMENTS, weights)}
    drift = 1.0 - sum(shares.values())
    shares["other"] += drift
    horizon = draw(st.integers(2025, 2035))
    overrides = draw(st.dictionaries(st.tuples(st.sampled_from(GROWTH_KEYS), st.integers(2021, horizon)), rates,
                                     max_size=3))
    return Scenario(
        name=draw(names),
        baseline_rail_yi=rail,
        baseline_total_yi=rail + extra,
        growth=FrozenMap({k: draw(rates) for k in GROWTH_KEYS}),
        overrides=FrozenMap(overrides),
        split_nonrail=draw(st.booleans()),
        shares=FrozenMap(shares),
        horizon=horizon,
        basis=draw(st.sampled_from(BASES)),
        profile=draw(st.sampled_from(PROFILES)),
        delay_all=draw(st.integers(0, 3)),
        delay_area=draw(st.dictionaries(st.sampled_from(AREAS), st.integers(0, 3), max_size=2)),
        delay_category=draw(st.dictionaries(st.sampled_from(CATEGORIES), st.integers(0, 3), max_size=2)),
        delay_project=draw(st.dictionaries(st.sampled_from(project_ids), st.integers(0, 3), max_size=2)),
        overrun=draw(st.floats(min_value=-0.5, max_value=2.0, allow_nan=False)),
        excluded=frozenset(draw(st.lists(st.sampled_from(project_ids), max_size=2))),
        ceiling_yi=draw(st.one_of(st.none(), st.floats(min_value=1, max_value=500, allow_nan=False))),
        sd=FrozenMap({k: draw(st.floats(min_value=0, max_value=0.5, allow_nan=False)) for k in GROWTH_KEYS}),
        correlation=draw(st.floats(min_value=-0.25, max_value=1.0, allow_nan=False)),
        seed=draw(st.integers(0, 2**32 - 1)),
        n_paths=draw(st.integers(1_000, 100_000)),
        per_mu_growth=draw(rates),
        io_ratio=draw(st.floats(min_value=0, max_value=20, allow_nan=False)),
        ramp_first=draw(st.floats(min_value=0, max_value=1, allow_nan=False)),
        actuals=FrozenMap(draw(st.dictionaries(st.tuples(st.sampled_from(("total", "rail_transit")),
                                                         st.integers(2021, 2025)),
                                               st.floats(min_value=0, max_value=5000, allow_nan=False),
                                               max_size=3))),
        track_record=draw(st.booleans()),
    )

"""ui.state's kept results: a scenario's results are kept by scenario, and its phasings by what phasing reads, so a
growth move (a new scenario) phases nothing anew and its investment is the fresh run's."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model import run
from ui import state


@settings(max_examples=20, deadline=None)
@given(st.floats(-0.2, 0.6), st.floats(0.0, 0.5))
def test_a_growth_move_reuses_the_phasings_and_an_overrun_does_not(rate, overrun):
    data = state.deployment_default()
    base = state.preset_table(data)[state.base_slug(data)]
    moved = base.with_growth(**{k: rate for k in base.segments})
    a, b = state.results(base), state.results(moved)
    assert b.projects is a.projects and b.roads is a.roads
    costly = moved.with_(overrun=overrun)
    c, fresh = state.results(costly), run(data, costly)
    np.testing.assert_array_equal(c.projects.matrix, fresh.projects.matrix)
    np.testing.assert_array_equal(c.roads.matrix, fresh.roads.matrix)
    if overrun != base.overrun:
        assert c.projects is not a.projects

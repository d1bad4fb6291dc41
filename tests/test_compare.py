"""model/calc/compare.py: one rule for "reached" (突破 is strict) and one for "comparable" (scope and measure)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from model.calc.compare import canonical_scope, comparable, holds


def test_the_plans_words():
    assert not holds(1600, 1600, ">") and holds(1600.01, 1600, ">")
    assert holds(1600, 1600, ">=") and holds(1600, 1600, "=") and not holds(1599.9, 1600, "=")
    assert holds(1521, 1600, "~") and not holds(1519, 1600, "~")
    assert holds(10, 10, "<=") and not holds(10.1, 10, "<=")
    assert not holds(float("nan"), 1, ">=") and not holds(1, 1, "qual")


@given(st.floats(1, 1e6), st.floats(0, 1e-10))
def test_a_path_landing_on_a_target_reaches_it_within_float_error(t, e):
    assert holds(t * (1 - e), t, ">=", tol=1e-9)
    assert not holds(t * (1 + e), t, ">", tol=1e-9)


def test_scopes_are_compared_in_any_spelling():
    assert canonical_scope("市级") == canonical_scope("city") == "city"
    assert comparable("园区", "总产值", "park", "总产值") == (True, "")
    assert comparable("市", "总产值", "park", "总产值") == (False, "scope")
    assert comparable("park", "营业收入", "park", "总产值") == (False, "measure")
    assert comparable("", "总产值", "park", "总产值")[0]  # not stated: taken on the other's (flagged by the caller)

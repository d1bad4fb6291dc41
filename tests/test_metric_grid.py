"""ui.layout.metric_grid: n metric cards in the fewest rows of at most `most`, their lengths differing by one at most, each row one
horizontal container holding its cards directly (no column blocks), in order."""
from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st_
from streamlit.testing.v1 import AppTest


def _grid(n: int, most: int) -> None:
    from ui import layout

    for i, place in enumerate(layout.metric_grid(n, most)):
        place.metric(f"m{i}", i)


@settings(max_examples=12, deadline=None)
@given(n=st_.integers(0, 11), most=st_.integers(1, 5))
def test_rows_of_at_most_most_as_even_as_they_can_be_in_order(n, most):
    at = AppTest.from_function(_grid, args=(n, most)).run()
    assert not at.exception
    rows = list(at.main.children.values())
    assert len(rows) == (math.ceil(n / most) if n else 0)
    sizes = []
    for row in rows:
        assert row.proto.flex_container.direction == row.proto.flex_container.HORIZONTAL
        kids = list(row.children.values())
        assert all(type(k).__name__ == "Metric" for k in kids)  # the cards themselves, no column per card
        sizes.append(len(kids))
    assert sum(sizes) == n and all(s <= most for s in sizes)
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert [m.label for m in at.metric] == [f"m{i}" for i in range(n)]


@given(n=st_.integers(0, 200), most=st_.integers(1, 12))
def test_row_sizes_are_the_fewest_rows_of_at_most_most_differing_by_one(n, most):
    from ui.layout import row_sizes

    sizes = row_sizes(n, most)
    assert sum(sizes) == n and all(1 <= s <= most for s in sizes)
    assert len(sizes) == math.ceil(n / most)
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)

"""ui.layout's memos (what pages derive for display, built once per key or per kept object): a value is built once
per key, a different key or object builds anew, the store is bounded, an object's values go with it."""
from __future__ import annotations

import gc

from hypothesis import given
from hypothesis import strategies as st

from ui import layout


class Kept:  # stands in for a cached evaluation or result
    def __init__(self, v):
        self.v = v


def test_memo_builds_once_per_key():
    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    key = ("test_memo", object())
    assert layout.memo(key, build) == 1
    assert layout.memo(key, build) == 1
    assert layout.memo(("test_memo", object()), build) == 2
    assert len(calls) == 2


@given(st.lists(st.integers(0, 20), max_size=200))
def test_memo_value_is_the_build_of_its_key(keys):
    for k in keys:
        assert layout.memo(("test_memo_prop", k), lambda k=k: k * k) == k * k
    assert len(layout._MEMO) <= layout.MAX_SPECS


def test_memo_on_is_per_object_and_goes_with_it():
    a, b = Kept(1), Kept(1)
    calls = []

    def build(o):
        calls.append(o.v)
        return o.v + len(calls)

    first = layout.memo_on(a, ("k",), lambda: build(a))
    assert layout.memo_on(a, ("k",), lambda: build(a)) == first
    assert layout.memo_on(a, ("other",), lambda: build(a)) != first  # another key of the same object
    layout.memo_on(b, ("k",), lambda: build(b))  # an equal object that is not the same one
    assert len(calls) == 3
    slot = (id(a), ("k",))
    assert slot in layout._ON
    del a
    gc.collect()
    assert slot not in layout._ON


def test_memo_on_without_weak_references_builds_every_time():
    calls = []
    for _ in range(3):
        layout.memo_on((1, 2), ("k",), lambda: calls.append(1))
    assert len(calls) == 3

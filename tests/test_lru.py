"""ui/lru.py: a bounded map of built values. Against a reference model (a list in order of use): every get returns
the value built for its key, a key is built again only after it was dropped, at most ``size`` are kept and the least
recently used goes first; and threads asking at once all get their key's value."""
from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.lru import Lru

OPS = st.lists(st.tuples(st.sampled_from(["get", "peek", "put"]), st.integers(0, 9)), max_size=120)


@given(st.integers(1, 6), OPS)
def test_lru_behaves_as_a_list_in_order_of_use(size, ops):
    lru, order, builds = Lru(size), [], []  # order: the reference model, least recently used first
    kept: dict[int, object] = {}
    for op, k in ops:
        if op == "get":
            n = len(builds)
            value = lru.get(k, lambda k=k: builds.append(k) or ("v", k, len(builds)))
            if k in order:
                assert value is kept[k] and len(builds) == n  # kept: not built again
                order.remove(k)
            else:
                assert builds[n:] == [k] and value[1] == k  # built now, being absent
                kept[k] = value
            order.append(k)
        elif op == "peek":
            got = lru.peek(k, "absent")
            if k in order:
                assert got is kept[k]
                order.remove(k)
                order.append(k)
            else:
                assert got == "absent"
        else:
            kept[k] = ("put", k)
            lru.put(k, kept[k])
            if k in order:
                order.remove(k)
            order.append(k)
        del order[:-size]  # the least recently used dropped beyond size
        assert len(lru) == len(order) <= size
        assert all(x in lru for x in order)


def test_a_failing_build_keeps_nothing():
    lru = Lru(3)
    with pytest.raises(ZeroDivisionError):
        lru.get("k", lambda: 1 / 0)
    assert "k" not in lru and len(lru) == 0
    assert lru.get("k", lambda: 7) == 7


def test_size_at_least_one():
    with pytest.raises(ValueError):
        Lru(0)


def test_threads_get_their_keys_value():
    lru, errors = Lru(8), []

    def work(n):
        for i in range(300):
            k = (n + i) % 12
            if lru.get(k, lambda k=k: k * 10) != k * 10:
                errors.append((n, k))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(lru) <= 8

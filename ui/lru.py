"""A bounded map of values built once per key, the least recently used dropped first, shared by every session's
thread: what the pages keep between reruns (chart specs, display memos, presets, results).

A plain dictionary, not ``st.cache_resource``: a lookup here costs a tuple's hash, where Streamlit's cache reads the
function's signature and hashes every argument on every call (about 0.3 ms, five or more calls a slider move).
Keys must spell out everything the value depends on; values must not be mutated."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable


class Lru:
    """At most ``size`` values by key; :meth:`get` builds a missing one outside the lock (two sessions asking for
    the same new key may both build it; either result is kept, as both are equal)."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("an Lru holds at least one value")
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], object]):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        self.put(key, value)
        return value

    def peek(self, key: Hashable, default=None):
        """The value kept for ``key`` (marked as just used), else ``default``; builds nothing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        return default

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

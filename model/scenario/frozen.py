"""An immutable, hashable mapping, so that a Scenario can key caches."""
from __future__ import annotations

from collections.abc import Mapping


class FrozenMap(Mapping):
    __slots__ = ("_d", "_h")

    def __init__(self, items=()):
        self._d = dict(items)
        self._h = None

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __hash__(self):
        if self._h is None:
            self._h = hash(tuple(sorted(self._d.items(), key=lambda kv: repr(kv[0]))))
        return self._h

    def __eq__(self, other):
        return isinstance(other, Mapping) and dict(self._d) == dict(other)

    def __repr__(self):
        return f"FrozenMap({self._d!r})"

    def __reduce__(self):
        return (FrozenMap, (tuple(self._d.items()),))

"""The plan's areas (片区) as a tree (``areas.csv``): any number, nested, each with its link code and names.

Projects, roads and indicators name an area by its ``area_id``; a delay set for an area applies to the projects in
it and in the areas inside it; land is counted per area from the indicator rows with role ``land_available``.
A package without ``areas.csv`` has the areas its files name, in the order they first appear.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Area:
    id: str
    parent: str
    code: str
    names: tuple[tuple[str, str], ...]
    note: str = ""

    def name(self, lang: str) -> str:
        named = dict(self.names)
        return named.get(lang) or named.get("zh") or self.id


@dataclass(frozen=True)
class AreaTree:
    areas: tuple[Area, ...]

    @cached_property
    def _by_id(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    def __contains__(self, area_id) -> bool:
        return area_id in self._by_id

    def __iter__(self):
        return iter(self.areas)

    def __len__(self) -> int:
        return len(self.areas)

    def __getitem__(self, area_id: str) -> Area:
        return self._by_id[area_id]

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    @cached_property
    def codes(self) -> dict[str, str]:
        """Link code -> area id (a public interface: never renamed)."""
        return {a.code: a.id for a in self.areas}

    def name(self, area_id: str, lang: str) -> str:
        return self[area_id].name(lang) if area_id in self else area_id

    def ancestors(self, area_id: str) -> tuple[str, ...]:
        out, p = [], self[area_id].parent if area_id in self else ""
        while p:
            out.append(p)
            p = self[p].parent
        return tuple(out)

    def within(self, area_id: str) -> tuple[str, ...]:
        """The area and every area inside it."""
        return tuple(a.id for a in self.areas if a.id == area_id or area_id in self.ancestors(a.id))


MAX_DEPTH = 12  # park, area, sub-area …: far above any plan's nesting


def build(records: list[dict], used: list[str] = ()) -> AreaTree:
    """The tree from validated ``areas.csv`` records, or (none given) from the area values the files use."""
    if not records:
        seen = list(dict.fromkeys(v for v in used if v))
        return AreaTree(tuple(Area(v, "", v, (("zh", v),)) for v in seen))
    return AreaTree(tuple(Area(r["area_id"], r.get("parent") or "", r.get("code") or r["area_id"],
                               tuple((k[5:], v) for k, v in r.items() if k.startswith("name_") and v),
                               r.get("note") or "") for r in records))


def check(records: list[dict], problems: list[str], f: str = "areas.csv") -> None:
    ids = {r["area_id"]: r for r in records}
    codes: dict[str, int] = {}
    for r in records:
        at, p = f"{f}:{r['src_row']}", r.get("parent") or ""
        if p and p not in ids:
            problems.append(f"{at}:parent: unknown area {p!r}")
        code = r.get("code") or r["area_id"]
        if code in codes:
            problems.append(f"{at}:code: {code!r} also used in row {codes[code]}")
        codes[code] = r["src_row"]
    if problems:
        return
    for r in records:
        seen, p = {r["area_id"]}, r.get("parent") or ""
        while p:
            if p in seen:
                problems.append(f"{f}:{r['src_row']}:parent: areas lie in each other (a cycle through {p!r})")
                return
            if len(seen) > MAX_DEPTH:
                problems.append(f"{f}:{r['src_row']}:parent: areas nested more than {MAX_DEPTH} deep")
                return
            seen.add(p)
            p = ids[p].get("parent") or ""

"""The plan's output segments as a tree (``segments.csv``): one total, the parts the plan names within it, a residual
that takes the rest, and assumed shares a segment may be split into.

Pure and small: built once per plan from the validated table, then asked by the scenario's field table (which
keys exist, their link codes), by the projection (which segments are projected, how base values follow from the
scenario's baselines) and by every page and document (names, order). Nothing here names a segment.

Orders
------
pre-order (file order, parents before children)
    the projected segments and every per-segment setting (growth, uncertainty, shares).
post-order (children before their parent)
    the segments with inputs and results (baselines, targets, metrics): each part, then the whole it belongs to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

TOTAL, PART, RESIDUAL, SHARE = "total", "part", "residual", "share"
RELATIONS = (TOTAL, PART, RESIDUAL, SHARE)
DEFAULT_SD_PCT = 10.0  # assumed uncertainty of a segment's annual growth when the package states none (pp)


@dataclass(frozen=True)
class Segment:
    id: str
    parent: str  # "" for the total
    relation: str  # total | part | residual | share
    key: str  # in parameter and metric names
    code: str  # in links
    base_code: str
    target_code: str
    names: tuple[tuple[str, str], ...]  # (lang, name)
    output_names: tuple[tuple[str, str], ...] = ()  # (lang, the segment's output as a quantity)
    base_id: str = ""
    target_id: str = ""
    share: float | None = None  # share rows: assumed base-year share of the parent (decimal)
    sd: float = DEFAULT_SD_PCT / 100  # assumed uncertainty of annual growth (decimal)
    note: str = ""

    def name(self, lang: str) -> str:
        named = dict(self.names)
        return named.get(lang) or named.get("zh") or self.id

    def output_name(self, lang: str) -> str:
        """The segment's output as a quantity (e.g. 某产业产值 / an industry's output); its name when not given."""
        return dict(self.output_names).get(lang) or self.name(lang)


@dataclass(frozen=True)
class SegmentTree:
    """Segments in file order (see the module docstring for the orders)."""

    segments: tuple[Segment, ...]
    _by_id: dict = field(default=None, compare=False, repr=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {s.id: s for s in self.segments})

    def __getitem__(self, seg_id: str) -> Segment:
        return self._by_id[seg_id]

    def __contains__(self, seg_id) -> bool:
        return seg_id in self._by_id

    def __iter__(self):
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.segments)

    @cached_property
    def root(self) -> str:
        return next(s.id for s in self.segments if s.relation == TOTAL)

    def children(self, seg_id: str) -> tuple[str, ...]:
        return tuple(s.id for s in self.segments if s.parent == seg_id)

    def ancestors(self, seg_id: str) -> tuple[str, ...]:
        out, p = [], self[seg_id].parent
        while p:
            out.append(p)
            p = self[p].parent
        return tuple(out)

    def name(self, seg_id: str, lang: str) -> str:
        return self[seg_id].name(lang) if seg_id in self else seg_id

    # -- structure -----------------------------------------------------------------------------------
    @cached_property
    def splittable(self) -> tuple[str, ...]:
        """Segments whose children are assumed shares (projected as a whole unless the scenario splits them)."""
        return tuple(s.id for s in self.segments if any(self[c].relation == SHARE for c in self.children(s.id)))

    @cached_property
    def share_children(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.segments if s.relation == SHARE)

    def projected(self, split: bool) -> tuple[str, ...]:
        """The segments projected (the leaves), in pre-order: a splittable segment is one leaf unless ``split``."""
        return self._projected[bool(split)]

    @cached_property
    def _projected(self) -> dict[bool, tuple[str, ...]]:
        """:meth:`projected` for both settings, walked once (asked for a hundred times a page run)."""
        return {split: self._walk_projected(split) for split in (False, True)}

    def _walk_projected(self, split: bool) -> tuple[str, ...]:
        out = []

        def walk(sid):
            kids = self.children(sid)
            if not kids or (sid in self.splittable and not split):
                out.append(sid)
                return
            for k in kids:
                walk(k)

        walk(self.root)
        return tuple(out)

    @cached_property
    def growth_keys(self) -> tuple[str, ...]:
        """Every segment that is projected with some split setting (pre-order): the keys of growth, uncertainty and
        per-year overrides."""
        both = set(self.projected(False)) | set(self.projected(True))
        return tuple(s for s in self.ids if s in both)

    @cached_property
    def unsplit(self) -> tuple[str, ...]:
        return self.projected(False)

    @cached_property
    def stated(self) -> tuple[str, ...]:
        """Segments whose base-year value is an input of a scenario (post-order): the total and the parts, unless
        the total has no base of its own (it is then the sum of its children)."""
        out = []
        for sid in self.post_order():
            s = self[sid]
            if s.relation == PART or (s.relation == TOTAL and (s.base_id or not self.children(sid))):
                out.append(sid)
        return tuple(out)

    def post_order(self, ids: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """``ids`` (default: every segment) children before their parent, siblings in file order."""
        keep = set(self.ids if ids is None else ids)
        out = []
        stack = [(self.root, False)]  # iterative: a package may nest deeper than Python's recursion limit
        while stack:
            sid, children_done = stack.pop()
            if children_done:
                if sid in keep:
                    out.append(sid)
                continue
            stack.append((sid, True))
            stack.extend((k, False) for k in reversed(self.children(sid)))
        return tuple(out)

    @cached_property
    def with_targets(self) -> tuple[str, ...]:
        """Segments with a plan target (post-order)."""
        return self.post_order(tuple(s.id for s in self.segments if s.target_id))

    def residual_of(self, parent: str) -> str | None:
        return next((c for c in self.children(parent) if self[c].relation == RESIDUAL), None)

    def parts_of(self, parent: str) -> tuple[str, ...]:
        return tuple(c for c in self.children(parent) if self[c].relation == PART)

    @cached_property
    def codes(self) -> dict[str, str]:
        """Link code -> segment id."""
        return {s.code: s.id for s in self.segments}

    # -- base values ---------------------------------------------------------------------------------
    def bases(self, baselines: dict, shares: dict, split: bool = True) -> dict[str, float]:
        """Base-year value (亿元) of every segment from a scenario's ``baselines`` (the stated segments) and
        ``shares`` (the share children): a residual is its parent minus its parts, a share child its parent ×
        share, a total without a base of its own the sum of its children."""
        out: dict[str, float] = {}

        def value(sid):
            if sid in out:
                return out[sid]
            s = self[sid]
            if sid in baselines and s.relation in (TOTAL, PART):
                v = float(baselines[sid])
            elif s.relation == RESIDUAL:
                v = value(s.parent) - sum(value(p) for p in self.parts_of(s.parent))
            elif s.relation == SHARE:
                v = value(s.parent) * float(shares.get(sid, s.share or 0.0))
            else:  # a total (or a part) known only through its children
                v = sum(value(k) for k in self.children(sid) if self[k].relation != SHARE)
            out[sid] = v
            return v

        for sid in self.ids:
            value(sid)
        return out

    def leaves_under(self, seg_id: str, split: bool) -> tuple[str, ...]:
        """The projected segments that make up ``seg_id`` (itself when it is projected)."""
        proj = self.projected(split)
        if seg_id in proj:
            return (seg_id,)
        return tuple(p for p in proj if seg_id in self.ancestors(p))


MAX_SEGMENTS, MAX_DEPTH = 200, 12  # far above any plan's structure (the default plan: 4 segments, 2 deep)


def build(records: list[dict]) -> SegmentTree:
    """The tree from validated ``segments.csv`` records (see :mod:`model.plan.tables`)."""
    segs = []
    for r in records:
        code = r.get("code") or r["segment_id"]
        segs.append(Segment(
            id=r["segment_id"], parent=r.get("parent") or "", relation=r["relation"], key=r.get("key") or r["segment_id"],
            code=code, base_code=r.get("base_code") or f"b_{code}", target_code=r.get("target_code") or f"t_{code}",
            names=tuple((k[5:], v) for k, v in r.items() if k.startswith("name_") and v),
            output_names=tuple((k[12:], v) for k, v in r.items() if k.startswith("output_name_") and v),
            base_id=r.get("base_id") or "", target_id=r.get("target_id") or "",
            share=None if r.get("share_pct") is None else float(r["share_pct"]) / 100,
            sd=(DEFAULT_SD_PCT if r.get("sd_pct") is None else float(r["sd_pct"])) / 100, note=r.get("note") or ""))
    return SegmentTree(tuple(segs))


def check(records: list[dict], problems: list[str], f: str = "segments.csv") -> None:
    """Rules across the rows of ``segments.csv`` (each problem ``file:row:column: what``)."""
    if len(records) > MAX_SEGMENTS:  # a plan's output in segments: a handful; the rules below walk the tree
        problems.append(f"{f}:{records[MAX_SEGMENTS]['src_row']}:-: more than {MAX_SEGMENTS} segments")
        return
    ids = {r["segment_id"]: r for r in records}
    totals = [r for r in records if r["relation"] == TOTAL]
    if len(totals) != 1:
        problems.append(f"{f}:-:relation: exactly one segment must be the total (relation total), found {len(totals)}")
    for r in records:
        at, p = f"{f}:{r['src_row']}", r.get("parent") or ""
        if r["relation"] == TOTAL and p:
            problems.append(f"{at}:parent: the total has no parent")
        if r["relation"] != TOTAL and not p:
            problems.append(f"{at}:parent: required value is empty (every segment but the total lies in one)")
        if p and p not in ids:
            problems.append(f"{at}:parent: unknown segment {p!r}")
        if p == r["segment_id"]:
            problems.append(f"{at}:parent: a segment cannot lie in itself")
        if r["relation"] == SHARE and r.get("share_pct") is None:
            problems.append(f"{at}:share_pct: a share segment needs its assumed share (%)")
        if r["relation"] != SHARE and r.get("share_pct") is not None:
            problems.append(f"{at}:share_pct: only a share segment has a share")
        if r.get("sd_pct") is not None and not 0 <= r["sd_pct"] <= 100:
            problems.append(f"{at}:sd_pct: {r['sd_pct']:g} outside 0–100")
        if r["relation"] in (RESIDUAL, SHARE) and r.get("target_id"):
            problems.append(f"{at}:target_id: a {r['relation']} segment's target follows from its parent's")
    if problems:
        return
    for r in records:  # cycles
        seen, p = {r["segment_id"]}, r.get("parent") or ""
        while p:
            if p in seen:
                problems.append(f"{f}:{r['src_row']}:parent: segments lie in each other (a cycle through {p!r})")
                return
            if len(seen) > MAX_DEPTH:
                problems.append(f"{f}:{r['src_row']}:parent: segments nested more than {MAX_DEPTH} deep")
                return
            seen.add(p)
            p = ids[p].get("parent") or ""
    for pid, pr in ids.items():
        kids = [r for r in records if (r.get("parent") or "") == pid]
        rels = {k["relation"] for k in kids}
        if SHARE in rels and rels != {SHARE}:
            problems.append(f"{f}:{pr['src_row']}:relation: the segments in {pid!r} mix assumed shares with parts; "
                            f"split a part or the residual into shares instead")
        if sum(k["relation"] == RESIDUAL for k in kids) > 1:
            problems.append(f"{f}:{pr['src_row']}:relation: more than one residual segment in {pid!r}")
        if SHARE in rels:
            total = sum(k["share_pct"] for k in kids)
            if abs(total - 100) > 1e-6:
                problems.append(f"{f}:{kids[0]['src_row']}:share_pct: the shares of {pid!r} sum to {total:g}, not 100")
    keys = {}
    for col in ("key", "code", "base_code", "target_code"):
        seen = {}
        for r in records:
            v = r.get(col) or ({"key": r["segment_id"], "code": r["segment_id"]}.get(col, ""))
            if col in ("base_code", "target_code") and not v:
                continue
            if v in seen:
                problems.append(f"{f}:{r['src_row']}:{col}: {v!r} also used in row {seen[v]}")
            seen[v] = r["src_row"]
        keys[col] = seen

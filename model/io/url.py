"""Scenario <-> link query parameters, generated from the field table (pure: the UI keeps the URL in step).

Rates are written as percent text that reads back bit-exact, so a shared link reproduces the same numbers.
Decoding never raises and never does work that grows with the input: every value is bounded before it is read
(:mod:`model.numbers`). An unknown, malformed or out-of-range parameter is skipped and reported as a
:class:`Notice` naming that parameter; the rest of the link still applies.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..scenario.fields import FIELDS, Field, url_fields
from ..scenario.kinds import CodecError
from ..scenario.scenario import Scenario, ScenarioError

UI_KEYS = ("lang", "page", "present")  # owned by the UI, not part of the Scenario
MAX_VALUE_LEN = 2000
MAX_PARAMS = 200  # a link with more parameters than any scenario has is cut here (each one is reported)


@dataclass(frozen=True)
class Notice:
    """A parameter that was ignored: ``reason`` is unknown | malformed | out_of_range."""

    param: str
    reason: str
    detail: str = ""


def encode(s: Scenario, base: Scenario) -> dict[str, str]:
    """Query parameters for ``s``: each field where it differs from ``base`` (growth's rail and non always)."""
    q: dict[str, str] = {}
    for f in FIELDS:
        q.update(f.kind.url_encode(f, getattr(s, f.name), getattr(base, f.name)))
    return q


def _units() -> list[tuple[tuple[str, ...], tuple[Field, ...]]]:
    """Codes applied (and validated) together, in field-table order: a group's fields at once, a per-key map's
    parameters one by one, every other field alone."""
    units, done = [], set()
    for f in FIELDS:
        if f.name in done:
            continue
        if f.group:
            members = tuple(g for g in FIELDS if g.group == f.group)
            done.update(g.name for g in members)
            units.append((tuple(c for g in members for c in g.kind.url_codes(g)), members))
        else:
            done.add(f.name)
            codes = f.kind.url_codes(f)
            if len(codes) > 1:
                units += [((c,), (f,)) for c in codes]
            elif codes:
                units.append((codes, (f,)))
    return units


_REASON = {"malformed": "malformed", "unknown_key": "out_of_range", "out_of_range": "out_of_range"}


def _ids_in(f: Field, value) -> set:
    return set(value) if f.project_ids else set()


def decode(params: dict, base: Scenario, project_ids=None) -> tuple[Scenario, list[Notice]]:
    """Apply query parameters on top of ``base``; never raises.

    ``params`` maps names to strings (a list keeps its last value, as ``st.query_params`` does).
    """
    notices: list[Notice] = []
    ids = frozenset(project_ids) if project_ids is not None else None
    by_code = url_fields()
    clean: dict[str, str] = {}
    for n, (k, v) in enumerate(dict(params).items()):
        if n >= MAX_PARAMS:
            notices.append(Notice("…", "malformed", f"more than {MAX_PARAMS} parameters"))
            break
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else ""
        k, v = str(k)[:100], str(v)
        if k in UI_KEYS:
            continue
        if k not in by_code:
            notices.append(Notice(k[:40], "unknown"))
        elif len(v) > MAX_VALUE_LEN:
            notices.append(Notice(k, "malformed", "too long"))
        else:
            clean[k] = v
    s = base
    for codes, members in _units():
        present = [c for c in codes if c in clean]
        if not present:
            continue
        change: dict = {}
        for c in present:
            f = by_code[c]
            current = change.get(f.name, getattr(s, f.name))
            try:
                value = f.kind.url_decode(f, c, clean[c], current)
            except CodecError as exc:
                notices.append(Notice(c, _REASON.get(exc.reason, "malformed"), (exc.detail or clean[c])[:60]))
                continue
            unknown = _ids_in(f, value) - ids if ids is not None else set()
            if unknown:
                notices.append(Notice(c, "out_of_range", f"unknown id {', '.join(sorted(unknown))[:60]}"))
                continue
            change[f.name] = value
        if not change:
            continue
        try:
            s = replace(s, **change)
        except ScenarioError as exc:
            blamed = [c for c in present if any(p.split(":", 1)[0].split(".", 1)[0] == by_code[c].csv.split(".", 1)[0]
                                                 for p in exc.problems)] or present
            notices.append(Notice(",".join(blamed), "out_of_range", exc.problems[0][:120]))
    return s, notices

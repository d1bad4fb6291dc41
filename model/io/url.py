"""Scenario <-> link query parameters, generated from the field table (pure: the UI keeps the URL in step).

Rates are written as percent text that reads back bit-exact, so a shared link reproduces the same numbers.
Decoding never raises and never does work that grows with the input: every value is bounded before it is read
(:mod:`model.numbers`). An unknown, malformed or out-of-range parameter is skipped and reported as a
:class:`Notice` naming that parameter; the rest of the link still applies.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..scenario.fields import UI_KEYS as APP_KEYS
from ..scenario.fields import Field, fields_for, url_fields
from ..scenario.kinds import CodecError
from ..scenario.scenario import Scenario, ScenarioError

UI_KEYS = tuple(k for k in APP_KEYS if k != "plan")  # owned by the UI, not part of the Scenario
PLAN_KEY = "plan"  # the plan a link is for: chosen by the UI before the rest is decoded
MAX_VALUE_LEN = 2000
MAX_PARAMS = 200  # a link with more parameters than any scenario has is cut here (each one is reported)


@dataclass(frozen=True)
class Notice:
    """A parameter that was ignored: ``reason`` is unknown | malformed | out_of_range."""

    param: str
    reason: str
    detail: str = ""


def encode(s: Scenario, base: Scenario) -> dict[str, str]:
    """Query parameters for ``s``: each field where it differs from ``base`` (the growth of the segments projected unsplit always)."""
    q: dict[str, str] = {}
    for f in fields_for(s.plan_data):
        if not f.present:
            continue
        if f.name == "plan":
            if s.plan is not None:
                q[PLAN_KEY] = s.plan
            continue
        q.update(f.kind.url_encode(f, getattr(s, f.name), getattr(base, f.name)))
    return q


def _units(plan) -> list[tuple[tuple[str, ...], tuple[Field, ...]]]:
    """Codes applied (and validated) together, in field-table order: a group's fields at once, a per-key map's
    parameters one by one, every other field alone."""
    units, done = [], set()
    fields = [f for f in fields_for(plan) if f.present and f.name != "plan"]
    for f in fields:
        if f.name in done:
            continue
        if f.group:
            members = tuple(g for g in fields if g.group == f.group)
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


def decode(params: dict, base: Scenario, project_ids=None, whole=None) -> tuple[Scenario, list[Notice]]:
    """Apply query parameters on top of ``base`` (a scenario of the link's plan); never raises.

    ``params`` maps names to strings (a list keeps its last value, as ``st.query_params`` does). Each group of
    parameters is applied and checked on its own; then the whole scenario is checked (``whole(s) -> problems``,
    e.g. a new target year needs its targets): parameters are taken back, last applied first, until it holds, and
    each one taken back is named.
    """
    notices: list[Notice] = []
    ids = frozenset(project_ids) if project_ids is not None else None
    plan = base.plan_data
    by_code = url_fields(plan)
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
        if k == PLAN_KEY:
            if v.strip() != (base.plan or "") and v.strip() != plan.id:
                notices.append(Notice(k, "out_of_range", f"not the plan {plan.id}"[:60]))
            continue
        if k not in by_code:
            notices.append(Notice(k[:40], "unknown"))
        elif len(v) > MAX_VALUE_LEN:
            notices.append(Notice(k, "malformed", "too long"))
        else:
            clean[k] = v
    s = base
    applied: list[tuple[Scenario, list[str]]] = []  # the scenario before each group, and the group's codes
    for codes, members in _units(plan):
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
            before = s
            s = replace(s, **change)
            applied.append((before, [c for c in present if by_code[c].name in change]))
        except ScenarioError as exc:
            blamed = [c for c in present if any(p.split(":", 1)[0].split(".", 1)[0] == by_code[c].csv.split(".", 1)[0]
                                                 for p in exc.problems)] or present
            notices.append(Notice(",".join(blamed), "out_of_range", exc.problems[0][:120]))
    while whole is not None and applied:
        problems = whole(s)
        if not problems:
            break
        before, codes = applied.pop()
        notices.append(Notice(",".join(codes), "out_of_range", problems[0][:120]))
        s = before
    return s, notices

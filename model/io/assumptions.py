"""The assumptions CSV (``parameter,value,unit,description``): a scenario as a file, generated from the field table.

Read strictly: every problem in the file is listed as ``file:row:column: what`` and nothing is applied unless
the whole file is good. Each setting may appear once, in any spelling (``override.SEGMENT.02031`` is the
same setting as ``…2031``); a row with more cells than the header (a decimal comma: ``7,50``) is an error.
"""
from __future__ import annotations

import csv
import hashlib
import io

from ..cleaning import folded, neutralise
from ..plan.tables import DataError, read_csv_rows
from .sheets import csv_rows
from ..scenario.fields import csv_field, fields_for, required_keys
from ..scenario.kinds import CodecError, SegParams
from ..scenario.scenario import Scenario, ScenarioError

ASSUMPTION_HEADER = ("parameter", "value", "unit", "description")
MAX_ASSUMPTIONS_BYTES = 1_000_000
MAX_ASSUMPTION_ROWS = 5_000


def to_assumption_rows(s: Scenario, describe: bool = True) -> list[tuple[str, str, str, str]]:
    """One row per setting, in the field table's order; the description names it in Chinese and English (the
    same in every file whatever the app's language, so a scenario has one short ID)."""
    from ..report.labels import field_description

    rows = []
    ctx = {"base_year": s.base_year}
    for f in fields_for(s.plan_data):
        value = getattr(s, f.name)
        if not f.present or (f.csv_optional and value == f.default_value()):
            continue
        for param, text, unit, _ in f.kind.csv_rows(f, value, ctx):
            key = f.kind.csv_key(f, param) if param != f.csv else None
            rows.append((param, text, unit, field_description(f, s, key or None) if describe else ""))
    return rows


def to_assumptions_csv(s: Scenario) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ASSUMPTION_HEADER)
    # a description carries names from the package (a segment named "=HYPERLINK(…)"): never a formula in Excel
    w.writerows(list(r[:3]) + [neutralise(x) for x in r[3:]] for r in to_assumption_rows(s))
    return buf.getvalue()


def canonical_csv(s: Scenario) -> str:
    """The scenario's settings alone (``parameter,value,unit``): what its identity rests on. The description
    column is left out, so rewording a label never changes a scenario's ID; the library stores this text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ASSUMPTION_HEADER[:3])
    w.writerows(row[:3] for row in to_assumption_rows(s, describe=False))
    return buf.getvalue()


def scenario_id(s: Scenario) -> str:
    """Short ID to cite in minutes: the first 8 hex digits of the SHA-256 of the scenario's canonical CSV (its
    settings and values; see :func:`canonical_csv`). The library's short IDs are the same digits."""
    return hashlib.sha256(canonical_csv(s).encode("utf-8")).hexdigest()[:8]


_unit = folded  # a unit as written for comparison: full-width forms, case and spaces do not count (％ is %)


def _plan_row(rows, ip: int, iv: int) -> tuple[str | None, int | None]:
    for n, r in enumerate(rows, start=2):
        if ip < len(r) and r[ip] == "plan":
            return (r[iv] if iv < len(r) else "").strip() or None, n
    return None, None


def from_assumptions_csv(raw: bytes, label: str = "assumptions.csv", project_ids=None, plan=None) -> Scenario:
    """Parse an assumptions CSV (UTF-8, UTF-8 with BOM or GBK) into a Scenario of ``plan`` (default: the
    deployment's default plan).

    ``project_ids``: the project list's ids, when known, so an unknown id is named with its row too. A file names
    its plan in a ``plan`` row; a file without one is for the plan marked default in its package (a file of
    another plan is refused, naming both).

    Raises ``ScenarioError`` listing ``label:row:column: problem`` lines. Files over 1 MB or 5,000 rows are
    refused before parsing: an assumptions file has about 40 rows.
    """
    if plan is None:
        from ..plan.registry import default_plan

        plan = default_plan()
    if len(raw) > MAX_ASSUMPTIONS_BYTES:
        raise ScenarioError([f"{label}:-:-: larger than {MAX_ASSUMPTIONS_BYTES // 1_000_000} MB "
                             f"({len(raw) // 1_000_000} MB): not an assumptions file"])
    try:  # rows counted as the CSV reader counts records (CR, LF or CRLF ends), refused at the first one too many
        csv_rows(raw, label, MAX_ASSUMPTION_ROWS, "an assumptions file")
        header, rows = read_csv_rows(raw, label)
    except DataError as exc:
        raise ScenarioError(exc.problems) from None
    lower = [h.lower() for h in header]
    if "parameter" not in lower or "value" not in lower:
        raise ScenarioError([f"{label}:1:-: header must start with parameter,value (found: {','.join(header)[:80]})"])
    ip, iv = lower.index("parameter"), lower.index("value")
    iu = lower.index("unit") if "unit" in lower else None
    named, plan_row = _plan_row(rows, ip, iv)
    if named is None and not plan.is_default:
        raise ScenarioError([f"{label}:-:parameter: the file names no plan, so it is a scenario of the default "
                             f"plan, not of {plan.id} ({plan.name('en', 'short_name')}): open it with that plan"])
    if named is not None and named != plan.id:
        raise ScenarioError([f"{label}:{plan_row}:value: the file is a scenario of the plan {named[:64]!r}, not of "
                             f"{plan.id}: open it with that plan (--plan, or plan= in the link)"])
    fields = fields_for(plan)
    problems: list[str] = []
    seen: dict[tuple, int] = {}  # (field, key) -> row
    row_of_param: dict[str, int] = {}
    pieces: dict[str, dict] = {}
    years: dict[str, tuple[int, int]] = {}  # param -> (year its name gives, row)

    for n, r in enumerate(rows, start=2):
        if len(r) > len(header):
            problems.append(f"{label}:{n}:-: {len(r)} cells but the header has {len(header)} columns "
                            f"(a decimal comma? write 7.5, not 7,5)")
            continue
        param = r[ip] if ip < len(r) else ""
        value = r[iv] if iv < len(r) else ""
        if not param:
            problems.append(f"{label}:{n}:parameter: empty parameter name")
            continue
        try:
            found = csv_field(param, plan)
        except CodecError as exc:
            problems.append(f"{label}:{n}:parameter: unknown key: {exc.detail or param}")
            continue
        if found is None or not found[0].present:
            problems.append(f"{label}:{n}:parameter: unknown parameter {param[:60]!r}")
            continue
        f, key = found
        unit = r[iu] if iu is not None and iu < len(r) else ""
        if unit and f.unit and _unit(unit) != _unit(f.unit):  # the value is read in the field's unit, never another
            problems.append(f"{label}:{n}:unit: {unit[:20]!r} is not the unit of {param[:60]} ({f.unit}): write the "
                            f"value in {f.unit}, or leave the unit empty")
        if (f.name, key) in seen:
            problems.append(f"{label}:{n}:parameter: {param[:60]} given twice (rows {seen[(f.name, key)]} and {n})")
            continue
        seen[(f.name, key)] = n
        if isinstance(f.kind, SegParams):
            row_of_param[f.kind.param(f, key)] = n
            y = f.kind.param_year(f, param)
            if y is not None:
                years[param] = (y, n)
        row_of_param[f.csv if key == "" else f"{f.csv}.{f.kind.key_text(key)}"] = n
        row_of_param.setdefault(param, n)
        try:
            pieces.setdefault(f.name, {})[key] = f.kind.csv_value(f, key, value)
            if f.project_ids and project_ids is not None:
                got = pieces[f.name][key]
                unknown = sorted((set(got) if isinstance(got, frozenset) else {key}) - set(project_ids))
                if unknown:
                    problems.append(f"{label}:{n}:{'value' if isinstance(got, frozenset) else 'parameter'}: "
                                    f"unknown project {', '.join(unknown)[:80]}")
        except CodecError as exc:
            what = "number" if getattr(exc, "number", False) else "value"
            problems.append(f"{label}:{n}:value: not a valid {what} for {param[:60]}: {value[:40]!r} ({exc.detail})")
    for f, key in required_keys(plan):
        if (f.name, key) not in seen:
            name = f.kind.param(f, key, fields["base_year"].default_value()) if isinstance(f.kind, SegParams) \
                else (f.csv if key == "" else f"{f.csv}.{f.kind.key_text(key)}")
            problems.append(f"{label}:-:parameter: required parameter {name} is missing")
    if problems:
        raise ScenarioError(problems)
    kw = {f.name: f.kind.csv_build(f, pieces[f.name], f.default_value()) for f in fields if f.name in pieces}
    try:
        s = Scenario(**kw, plan_data=plan)
    except ScenarioError as exc:
        lines = []
        for msg in exc.problems:
            param = msg.split(":", 1)[0]
            row = row_of_param.get(param) or next(
                (r for p, r in sorted(row_of_param.items(), key=lambda kv: kv[1]) if p.startswith(param + ".")), None)
            lines.append(f"{label}:{row if row else '-'}:value: {msg}")
        raise ScenarioError(lines) from None
    wrong = [f"{label}:{n}:parameter: {param} names the year {y}, but the scenario's base year is {s.base_year}"
             for param, (y, n) in years.items() if y != s.base_year]
    if wrong:
        raise ScenarioError(wrong)
    return s

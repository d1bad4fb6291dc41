"""Tidy scenario tables (the public CSV formats of ``python -m model export``) and CSV writing.

Every table has a ``unit`` column; money in 亿元, rates in %.  CSVs are UTF-8 with BOM (Excel on
Chinese Windows), no thousands separators, and text cells that Excel would run as formulas are
neutralised with a leading apostrophe.
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..calc.analysis import Fan, investment_output, simulate, tornado
from ..calc.phasing import projects_long, roads_long
from ..calc.results import YI, Results, analysis_metrics, run, summary_metrics
from ..plan.tables import PlanData
from ..scenario.scenario import Scenario
from ..units import output
from .assumptions import to_assumptions_csv
from .files import write_folder

EXPORT_FILES = ("assumptions.csv", "projection.csv", "phasing.csv", "roads.csv", "summary.csv", "fan.csv",
                "tornado.csv", "investment_output.csv")
_DECIMALS = 8  # 1e-8 亿元 = 1 yuan: below the plan's precision, above float noise


def projection_table(r: Results) -> pd.DataFrame:
    """Every segment's path: the projected columns and every segment above them (a three-level tree's middle level,
    its parts' sum, was missing although summary.csv gives its target-year output)."""
    p = r.projection
    path = p.path
    missing = {}
    for seg in r.scenario.tree:
        sid = getattr(seg, "id", seg)
        if sid not in path.columns:
            try:
                missing[sid] = p.series(sid)
            except KeyError:  # a segment the current split cannot sum (its shares not projected)
                continue
    if missing:
        path = pd.concat([path, pd.DataFrame(missing, index=path.index)], axis=1)
    long = path.reset_index().melt(id_vars="year", var_name="segment", value_name="value")
    long.insert(0, "scenario", r.scenario.name)
    long["unit"] = YI
    long["kind"] = np.where(long["year"] <= r.scenario.base_year, "baseline", "projected")
    # how each base-year value is known (stated, derived, assumed, sum, user, rebased): marked in the file too, not
    # only on screen and on the workbook's cover
    from ..report.labels import base_kind

    s, tree = r.scenario, r.scenario.tree

    def kind(seg: str) -> str:
        node = tree[seg]
        if node.relation == "share" and s.base_year == s.plan_data.calendar.base_year:  # an assumed share of a base
            share = s.shares.get(seg)
            return "assumed" if share is None or abs(share - (node.share or 0.0)) <= 1e-12 else "user"
        return base_kind(s, seg)

    kinds = {seg: kind(seg) for seg in long["segment"].unique()}
    long["basis"] = np.where(long["year"] == s.base_year, long["segment"].map(kinds), "")
    return long.sort_values(["year", "segment"], kind="stable").reset_index(drop=True)


def phasing_table(data: PlanData, r: Results) -> pd.DataFrame:
    df = projects_long(data.projects, r.projects).rename(columns={"value_yi": "value"})
    df.insert(0, "scenario", r.scenario.name)
    df["unit"] = YI
    cols = ["scenario", "year", "project_id", "value", "unit", "name_zh", "name_en", "area", "category",
            "subcategory", "owner"]
    return df[cols].sort_values(["year", "project_id"], kind="stable").reset_index(drop=True)


def roads_table(data: PlanData, r: Results) -> pd.DataFrame:
    df = roads_long(data.roads, r.roads).rename(columns={"value_yi": "value"})
    df.insert(0, "scenario", r.scenario.name)
    df["unit"] = YI
    cols = ["scenario", "year", "road_id", "funding_source", "value", "unit", "name_zh", "name_en", "road_class",
            "builder"]
    return df[cols].sort_values(["year", "road_id"], kind="stable").reset_index(drop=True)


def fan_table(r: Results, fan: Fan) -> pd.DataFrame:
    df = fan.quantiles.copy()
    df["quantile"] = (df["quantile"] * 100).round().astype(int).map(lambda q: f"p{q:02d}")
    df.insert(0, "scenario", r.scenario.name)
    df["unit"] = YI
    return df[["scenario", "year", "segment", "quantile", "value", "unit"]]


def tornado_table(r: Results) -> pd.DataFrame:
    df = tornado(r.scenario, r.projection.targets)
    df.insert(0, "scenario", r.scenario.name)
    df["unit"] = YI
    return df


def investment_output_table(data: PlanData, r: Results) -> pd.DataFrame:
    inv = investment_output(data, r.scenario, r.projects)
    return pd.DataFrame({"scenario": r.scenario.name, "year": inv.index, "value": inv.values, "unit": YI})


def summary_table(r: Results, extra: list | None = None) -> pd.DataFrame:
    rows = summary_metrics(r) + (extra or [])
    return pd.DataFrame({"scenario": r.scenario.name, "metric": [m for m, _, _ in rows],
                         "value": [v for _, v, _ in rows], "unit": [u for _, _, u in rows]})


def export_tables(data: PlanData, r: Results, fan: Fan | None = None) -> dict[str, pd.DataFrame]:
    """Every export table (``fan``: the scenario's Monte Carlo, simulated here when not given)."""
    fan = fan if fan is not None else simulate(r.scenario, r.projection.targets)
    return {
        "projection.csv": projection_table(r),
        "phasing.csv": phasing_table(data, r),
        "roads.csv": roads_table(data, r),
        "summary.csv": summary_table(r, analysis_metrics(data, r, fan)),
        "fan.csv": fan_table(r, fan),
        "tornado.csv": tornado_table(r),
        "investment_output.csv": investment_output_table(data, r),
    }


# -- CSV writing --------------------------------------------------------------------------------

from ..cleaning import _FORMULA_START, neutralise  # noqa: E402,F401  (one guard, kept importable from here)


# How every file people fill in or read spells a target's comparator (data/enumerations.csv's codes): the plan's
# symbols, none of them a spreadsheet formula starter (= + - @), so no cell needs the formula guard ('=) and a
# template shows what the plan says. The one mapping, used by every writer (actuals template, evaluation.csv);
# readers ignore the column or accept both spellings (comparator_code).
COMPARATOR_FILE_TEXT = {"=": "＝", ">": "＞", ">=": "≥", "<=": "≤", "~": "≈", "qual": "qual"}
_COMPARATOR_CODES = {**{v: k for k, v in COMPARATOR_FILE_TEXT.items()}, **{k: k for k in COMPARATOR_FILE_TEXT},
                     **{"'" + k: k for k in COMPARATOR_FILE_TEXT}, "约": "~", "≧": ">=", "≦": "<="}


def comparator_text(code: str) -> str:
    """A comparator code as files spell it (COMPARATOR_FILE_TEXT); an unknown value unchanged."""
    return COMPARATOR_FILE_TEXT.get(code, code)


def comparator_code(text: str) -> str:
    """A comparator as any file spelled it (≥, ＞, the old codes >=, =, the guarded '=) → its code; else unchanged."""
    t = str(text).strip()
    return _COMPARATOR_CODES.get(t, t)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def neutralise_csv_text(text: str) -> str:
    """Rewrite CSV text so that no cell runs as a spreadsheet formula; cells that are numbers stay as they are."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        w.writerow([c if _is_number(c) else neutralise(c) for c in row])
    return out.getvalue()


def _clean_number(v, where: str = ""):
    """A number as a CSV cell: NaN (undefined) blank, ±inf refused (:func:`model.units.output`), the rest rounded."""
    if isinstance(v, (float, np.floating)):
        if output(v, where) is None:
            return ""
        r = round(float(v), _DECIMALS)
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return v


def csv_text(df: pd.DataFrame, label: str = "") -> str:
    """CSV text (no BOM) with numbers as plain decimals and formula-like text neutralised; a table holding ±inf is
    refused (:class:`model.units.NonFiniteOutput`, naming ``label:row:column``), never written as ``inf``."""
    out = df.copy()
    for c in out.columns:
        where = [f"{label or 'csv'}:{i}:{c}" for i in range(2, len(out) + 2)]
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = pd.Series([neutralise(v) if isinstance(v, str) else (output(v, w), v)[1]  # checked, as before
                                for v, w in zip(out[c].to_numpy(), where)], index=out.index, dtype=object)
        elif pd.api.types.is_float_dtype(out[c]):
            out[c] = pd.Series([_clean_number(v, w) for v, w in zip(out[c].to_numpy(), where)], index=out.index,
                               dtype=object)
    return out.to_csv(index=False, lineterminator="\r\n")


def csv_bytes(df: pd.DataFrame, label: str = "") -> bytes:
    """UTF-8 with BOM, as Excel on Chinese Windows expects (``label``: the file's name, for a refusal)."""
    return csv_text(df, label).encode("utf-8-sig")


def assumptions_bytes(s: Scenario) -> bytes:
    """The assumptions CSV (UTF-8 with BOM); the name is its only free text and is neutralised."""
    safe = s if neutralise(s.name) == s.name else replace(s, name=neutralise(s.name))
    return to_assumptions_csv(safe).encode("utf-8-sig")


def all_files(data: PlanData, r: Results) -> dict[str, bytes]:
    files = {"assumptions.csv": assumptions_bytes(r.scenario)}
    files.update({name: csv_bytes(df, name) for name, df in export_tables(data, r).items()})
    return files


def _is_export(folder: Path) -> bool:
    """A folder written by an earlier version (before folders carried a marker): its assumptions.csv reads as one."""
    try:
        return (folder / "assumptions.csv").read_bytes()[:40].lstrip(b"\xef\xbb\xbf").startswith(b"parameter,value")
    except OSError:
        return False


def write_export(files: dict[str, bytes], out_dir: Path, protect=()) -> None:
    """Write an export folder all or nothing, never inside a plan folder (see :mod:`model.io.files`)."""
    write_folder(files, out_dir, "export", legacy_signature=_is_export,
                 names=frozenset(EXPORT_FILES) | {"scenario.xlsx"}, protect=protect)  # scenario.xlsx: export --xlsx


__all__ = ["Results", "run", "export_tables", "all_files", "write_export", "csv_bytes", "csv_text",
           "assumptions_bytes", "summary_metrics", "summary_table", "projection_table", "phasing_table",
           "roads_table", "neutralise", "EXPORT_FILES", "analysis_metrics", "Fan"]

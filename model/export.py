"""Tidy scenario tables (the public CSV formats of ``python -m model export``) and CSV writing.

Every table has a ``unit`` column; money in 亿元, rates in %.  CSVs are UTF-8 with BOM (Excel on
Chinese Windows), no thousands separators, and text cells that Excel would run as formulas are
neutralised with a leading apostrophe.
"""
from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import (Fan, baseline_needed, earlier_realisation, investment_output, land, simulate, tornado,
                       track_record_targets)
from .growth import TARGET_YEAR, Projection, Targets, project
from .phasing import FYP_FIRST, FYP_LAST, Phasing, phase_projects, phase_roads, projects_long, roads_long
from .scenario import Scenario, ScenarioError, to_assumptions_csv
from .tables import PlanData

YI = "亿元"
EXPORT_FILES = ("assumptions.csv", "projection.csv", "phasing.csv", "roads.csv", "summary.csv", "fan.csv",
                "tornado.csv", "investment_output.csv")
_DECIMALS = 8  # 1e-8 亿元 = 1 yuan: below the plan's precision, above float noise


@dataclass(frozen=True)
class Results:
    scenario: Scenario
    projection: Projection
    projects: Phasing
    roads: Phasing


def run(data: PlanData, s: Scenario) -> Results:
    """Projection and phasing of one scenario (the one entry point the UI and CLI share)."""
    problems = s.check_against(data)
    if problems:
        raise ScenarioError(problems)
    return Results(s, project(s, Targets.from_data(data)), phase_projects(data.projects, s), phase_roads(data.roads, s))


def _pct(rate: float | None) -> float:
    return float("nan") if rate is None else rate * 100.0


def projection_table(r: Results) -> pd.DataFrame:
    path = r.projection.path
    long = path.reset_index().melt(id_vars="year", var_name="segment", value_name="value")
    long.insert(0, "scenario", r.scenario.name)
    long["unit"] = YI
    long["kind"] = np.where(long["year"] <= 2020, "baseline", "projected")
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


def summary_metrics(r: Results) -> list[tuple[str, float, str]]:
    p, s = r.projection, r.scenario
    combined = r.projects.by_year().add(r.roads.by_year(), fill_value=0.0)
    peak = int(combined.idxmax()) if len(combined) and combined.max() > 0 else float("nan")
    nan = float("nan")
    return [
        ("baseline_2020_rail", s.baseline_rail_yi, YI),
        ("baseline_2020_total", s.baseline_total_yi, YI),
        ("target_2025_rail", p.targets.rail_yi, YI),
        ("target_2025_total", p.targets.total_yi, YI),
        ("output_2025_rail", p.output_2025_rail, YI),
        ("output_2025_total", p.output_2025_total, YI),
        ("gap_2025_rail", p.gap_2025_rail, YI),
        ("gap_2025_total", p.gap_2025_total, YI),
        ("cagr_rail", _pct(p.cagr_rail), "%"),
        ("cagr_total", _pct(p.cagr_total), "%"),
        ("required_cagr_rail", _pct(p.required_cagr_rail), "%"),
        ("required_cagr_total", _pct(p.required_cagr_total), "%"),
        ("required_cagr_nonrail", _pct(p.required_cagr_nonrail), "%"),
        ("first_year_target_rail", p.first_year_rail if p.first_year_rail else nan, "年"),
        ("first_year_target_total", p.first_year_total if p.first_year_total else nan, "年"),
        ("horizon", s.horizon, "年"),
        ("output_horizon_rail", float(p.path["rail_transit"].iloc[-1]), YI),
        ("output_horizon_total", float(p.path["total"].iloc[-1]), YI),
        ("project_investment_fyp", r.projects.total_in(FYP_FIRST, FYP_LAST), YI),
        ("project_investment_total", float(r.projects.matrix.sum()), YI),
        ("road_investment_fyp", r.roads.total_in(FYP_FIRST, FYP_LAST), YI),
        ("road_investment_total", float(r.roads.matrix.sum()), YI),
        ("peak_investment_year", peak, "年"),
    ]


def analysis_metrics(data: PlanData, r: Results, fan: Fan) -> list[tuple[str, float, str]]:
    s, t = r.scenario, r.projection.targets
    ld = land(s, t, data)
    inv = investment_output(data, s, r.projects)
    tr = track_record_targets(s, t, data)
    base_total, base_rail = baseline_needed(s, t, "total"), baseline_needed(s, t, "rail")
    nan = float("nan")
    return [
        ("prob_target_total", fan.prob_total * 100, "%"),
        ("prob_target_rail", fan.prob_rail * 100, "%"),
        ("monte_carlo_paths", fan.n_paths, "paths"),
        ("baseline_needed_total", nan if base_total is None else base_total, YI),
        ("baseline_needed_rail", nan if base_rail is None else base_rail, YI),
        ("land_needed_mu", ld.land_needed_mu, "亩"),
        ("land_available_mu", ld.land_available_mu, "亩"),
        ("per_mu_output_needed", ld.per_mu_output_needed, "万元/亩"),
        ("per_mu_output_2025", ld.per_mu_output_2025, "万元/亩"),
        ("investment_output_2025", float(inv.get(TARGET_YEAR, 0.0)), YI),
        ("earlier_plan_realisation", earlier_realisation(data) * 100, "%"),
        ("track_record_target_total", tr.total_yi, YI),
        ("track_record_target_rail", tr.rail_yi, YI),
    ]


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


def export_tables(data: PlanData, r: Results) -> dict[str, pd.DataFrame]:
    fan = simulate(r.scenario, r.projection.targets)
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

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would evaluate as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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


def _clean_number(v):
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return ""
        r = round(float(v), _DECIMALS)
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return v


def csv_text(df: pd.DataFrame) -> str:
    """CSV text (no BOM) with numbers as plain decimals and formula-like text neutralised."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
        elif pd.api.types.is_float_dtype(out[c]):
            out[c] = pd.Series([_clean_number(v) for v in out[c].to_numpy()], index=out.index, dtype=object)
    return out.to_csv(index=False, lineterminator="\r\n")


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, as Excel on Chinese Windows expects."""
    return csv_text(df).encode("utf-8-sig")


def assumptions_bytes(s: Scenario) -> bytes:
    """The assumptions CSV (UTF-8 with BOM); the name is its only free text and is neutralised."""
    safe = s if neutralise(s.name) == s.name else replace(s, name=neutralise(s.name))
    return to_assumptions_csv(safe).encode("utf-8-sig")


def all_files(data: PlanData, r: Results) -> dict[str, bytes]:
    files = {"assumptions.csv": assumptions_bytes(r.scenario)}
    files.update({name: csv_bytes(df) for name, df in export_tables(data, r).items()})
    return files


def write_files(files: dict[str, bytes], out_dir: Path) -> None:
    """Write all files or none: each goes to a temporary name first, then all are renamed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    mask = os.umask(0)  # temporary files are private (0600); the results get the user's usual permissions
    os.umask(mask)
    temps = []
    try:
        for name, payload in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.chmod(tmp, 0o666 & ~mask)
            temps.append((tmp, out_dir / name))
        for tmp, final in temps:
            os.replace(tmp, final)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


__all__ = ["Results", "run", "export_tables", "all_files", "write_files", "csv_bytes", "csv_text",
           "assumptions_bytes", "summary_metrics", "summary_table", "projection_table", "phasing_table",
           "roads_table", "neutralise", "TARGET_YEAR", "EXPORT_FILES"]

"""The command line, run as users run it: ``python -m model …`` in a subprocess."""
from __future__ import annotations

import ast
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.export import EXPORT_FILES
from model.io.files import MARKER
from tests.conftest import REPO


def cli(*args, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def read(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_presets_lists_one_name_per_line():
    r = cli("presets")
    assert r.returncode == 0
    assert r.stdout.split() == ["plan-targets", "historical-trend", "city-trend", "rail-target-only", "zero-growth"]


def test_check_passes_real_data_and_prints_the_audit():
    r = cli("check")
    assert r.returncode == 0, r.stderr
    assert "37 projects, 20 roads" in r.stdout
    assert "P33" in r.stdout and "fyp_investment_yi" in r.stdout


def test_check_fails_bad_data_with_file_row_column(data_copy):
    p = data_copy / "projects.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",2020,2023,3.6,3.6,", ",2020,2023,abc,3.6,", 1),
                 encoding="utf-8")
    r = cli("check", "--data", data_copy)
    assert r.returncode == 2
    assert "projects.csv:2:total_investment_yi: not a number: 'abc'" in r.stderr
    assert "Traceback" not in r.stderr


def test_export_writes_the_five_tidy_files(tmp_path):
    out = tmp_path / "out"
    r = cli("export", "--preset", "plan-targets", "--out", out, "--horizon", 2030, "--name", "测试")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == sorted(EXPORT_FILES)
    proj = read(out / "projection.csv")
    assert list(proj[0]) == ["scenario", "year", "segment", "value", "unit", "kind", "basis"]  # basis: added, not renamed
    assert {row["segment"] for row in proj} >= {"rail_transit", "total"}
    assert max(int(row["year"]) for row in proj) == 2030
    rail25 = next(float(r["value"]) for r in proj if r["year"] == "2025" and r["segment"] == "rail_transit")
    assert rail25 == pytest.approx(1400)
    summary = {r["metric"]: r for r in read(out / "summary.csv")}
    for metric in ("baseline_2020_rail", "baseline_2020_total", "target_2025_rail", "target_2025_total",
                   "output_2025_rail", "output_2025_total", "gap_2025_rail", "gap_2025_total",
                   "required_cagr_rail", "required_cagr_total", "project_investment_fyp",
                   "road_investment_total", "peak_investment_year"):
        assert metric in summary
    assert float(summary["required_cagr_rail"]["value"]) == pytest.approx(7.50, abs=0.005)
    assert summary["required_cagr_rail"]["unit"] == "%"
    assert float(summary["project_investment_fyp"]["value"]) == pytest.approx(364.95)
    assert float(summary["road_investment_total"]["value"]) == pytest.approx(51.8615)
    assert {r["scenario"] for r in read(out / "phasing.csv")} == {"测试"}
    roads = read(out / "roads.csv")
    assert list(roads[0])[:6] == ["scenario", "year", "road_id", "funding_source", "value", "unit"]
    plain = re.compile(r"^-?\d+(\.\d+)?$|^$")  # no thousands separators, no exponents
    assert all(plain.match(r["value"]) for r in summary.values())
    assert all(plain.match(r["value"]) for r in proj)


def test_exported_assumptions_reproduce_the_same_results(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("export", "--preset", "rail-target-only", "--out", a).returncode == 0
    r = cli("export", "--assumptions", a / "assumptions.csv", "--out", b)
    assert r.returncode == 0, r.stderr
    for name in EXPORT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize("args, message", [
    (["export", "--preset", "nope", "--out", "{out}"], "unknown preset"),
    (["export", "--preset", "plan-targets", "--horizon", "2050", "--out", "{out}"], "horizon"),
    (["export", "--assumptions", "{missing}", "--out", "{out}"], "no such file"),
    (["export", "--assumptions", "{bad}", "--out", "{out}"], "bad.csv:2:parameter: unknown parameter"),
    (["export", "--out", "{out}"], "one of the arguments --preset --assumptions is required"),
    (["frobnicate"], "invalid choice"),
    (["export", "--preset", "plan-targets", "--horizon", "x", "--out", "{out}"], "argument --horizon: not a number"),
])
def test_bad_input_exits_2_writes_nothing_and_shows_no_traceback(tmp_path, args, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("parameter,value\ncolour,red\n", encoding="utf-8")
    out = tmp_path / "out"
    fill = {"out": out, "missing": tmp_path / "missing.csv", "bad": bad}
    r = cli(*[a.format(**fill) for a in args])
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


def test_model_never_imports_streamlit():
    for path in (REPO / "model").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_plans_describes_the_package_given_with_plan():
    """`plans --plan DIR` (every command takes --plan) describes that package; a folder that is not one exits 2."""
    r = cli("plans", "--plan", "tests/plans/one-segment")
    assert r.returncode == 0 and r.stdout.startswith("synthetic-one-2026-2030") and "segments: park" in r.stdout
    assert "shifeng" not in r.stdout
    bad = cli("plans", "--plan", "tests/nowhere")
    assert bad.returncode == 2 and "not a folder" in bad.stderr


@pytest.mark.parametrize("command", ["evaluate", "monitor"])
def test_a_file_with_no_rows_is_refused_as_on_the_pages(tmp_path, command):
    """The unfilled template (or a header alone) was evaluated as a full folder, every target 无数据; the pages
    refuse it. The command refuses it too, naming the file, and writes nothing; each file of the command alike."""
    templates = tmp_path / "t"
    assert cli("evaluate", "--template", "--out", templates).returncode == 0
    full = REPO / "tests" / "fixtures" / "actuals" / "actuals.csv"
    for name in sorted(p.name for p in templates.glob("*.csv")):
        flag = {"actuals": "--actuals", "projects": "--projects", "roads": "--roads"}.get(
            next((k for k in ("actuals", "projects", "roads") if k in name), ""))
        if flag is None:
            continue
        args = [command, "--out", tmp_path / f"o-{name}", flag, templates / name]
        if flag != "--actuals":
            args += ["--actuals", full]
        r = cli(*args)
        assert r.returncode == 2, (name, r.stdout, r.stderr)
        assert f"{name}:2:-: the file has a header but no rows" in r.stderr, r.stderr
        assert not (tmp_path / f"o-{name}").exists()

"""Exports and links of every preset (and one scenario that sets every field) against stored files.

The stored files in tests/golden/ were written by the code before a change that must not alter them; a change
that alters them on purpose regenerates them (``python -m tests.test_golden --write``) and says why in its
commit message.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from model import load_plan_data, presets
from model.calc.results import run
from model.io.export import all_files
from model.io.url import encode
from model.scenario import FrozenMap

GOLDEN = Path(__file__).resolve().parent / "golden"


def scenarios(data) -> dict:
    table = presets(data)
    base = table["plan-targets"]
    rich = base.with_(
        name="综合 custom", overrides=FrozenMap({("rail_transit", 2022): 0.05, ("nonrail", 2024): -0.1}),
        split=True, shares=FrozenMap({"power_semiconductor": 0.4, "digital_intelligence": 0.3,
                                              "modern_services": 0.2, "other": 0.1}),
        horizon=2030, basis="total", profile="s-curve", delay_all=1, delay_area=FrozenMap({"清水塘片区": 2}),
        delay_category=FrozenMap({"科技创新": 1}), delay_project=FrozenMap({"P05": 3}), overrun=0.15,
        excluded=frozenset({"P01", "P20"}), ceiling_yi=60.0, sd=FrozenMap({**base.sd, "rail_transit": 0.05}),
        correlation=0.3, seed=7, n_paths=2000, per_mu_growth=0.02, io_ratio=0.8, ramp_first=0.4,
        actuals=FrozenMap({("total", 2021): 1100.0, ("rail_transit", 2021): 1050.5}), track_record=True)
    return {**table, "rich": rich}


@pytest.fixture(scope="module")
def current():
    data = load_plan_data()
    table = scenarios(data)
    base = table["plan-targets"]
    return {name: (all_files(data, run(data, s)), encode(s, base)) for name, s in table.items()}


@pytest.mark.parametrize("name", ["plan-targets", "historical-trend", "city-trend", "rail-target-only", "zero-growth",
                                  "rich"])
def test_exports_and_links_match_the_stored_files(current, name):
    files, url = current[name]
    for fname, payload in files.items():
        assert payload == (GOLDEN / name / fname).read_bytes(), f"{name}/{fname} changed"
    stored = json.loads((GOLDEN / "urls.json").read_text(encoding="utf-8"))[name]
    assert url == stored
    if name != "rich":  # a preset's link keeps its parameter order too
        assert list(url) == list(stored)


def write(out: Path = GOLDEN) -> None:
    data = load_plan_data()
    table = scenarios(data)
    base = table["plan-targets"]
    urls = {}
    for name, s in table.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        for fname, payload in all_files(data, run(data, s)).items():
            (out / name / fname).write_bytes(payload)
        urls[name] = encode(s, base)
    (out / "urls.json").write_text(json.dumps(urls, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    write()

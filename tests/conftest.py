"""Shared fixtures: the real plan data (data-health tests only), small synthetic tables, and the browser."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from model.tables import DATA_DIR, load_plan_data

REPO = Path(__file__).resolve().parent.parent

# No wall-clock deadline for any property test: a deadline measures the machine (a CI run on two busy cores once took
# 264 ms for a call that takes 0.02 ms, and hypothesis failed it as flaky), not the property; every test that needs
# its own settings passes them, and the benchmarks in bench/ are where time is measured.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
PLAN_TEXT = REPO.parent / "shared" / "plan" / "shifeng-park-plan-2021-2025.txt"


@pytest.fixture(scope="session")
def plan_data():
    return load_plan_data()


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of data/ for bad-file fixtures."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per browser-test module (skips or fails as need_browser says)."""
    from tests.browser_support import chromium

    with chromium() as b:
        yield b


def synthetic_projects(n: int, seed: int = 0, years: int = 15) -> pd.DataFrame:
    """n synthetic projects spread over ``years`` years from 2016 (for model tests and benchmarks)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    start = rng.integers(2016, 2016 + years - 1, n)
    end = np.minimum(start + rng.integers(0, 6, n), 2016 + years - 1)
    total = np.round(rng.uniform(0.1, 50, n), 2)
    return pd.DataFrame({
        "project_id": [f"S{i:06d}" for i in range(n)],
        "name_zh": "合成项目", "name_en": "synthetic", "subcategory": "工业", "owner": "x",
        "area": rng.choice(["田心片区", "清水塘片区"], n),
        "category": rng.choice(["科技创新", "产业发展"], n),
        "start_year": start, "end_year": end,
        "total_investment_yi": total,
        "fyp_investment_yi": np.round(total * rng.uniform(0.3, 1.0, n), 2),
    })


def pytest_configure(config):
    """Every xdist worker must collect the same tests in the same order: parameters built from sets of strings would
    differ between workers under Python's per-process hash seed, so the workers (started after this) share one, drawn
    anew each run (a run still meets other set orders than the last one)."""
    if not hasattr(config, "workerinput"):
        import random

        os.environ.setdefault("PYTHONHASHSEED", str(random.randrange(1, 2**32)))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (`-n 2 --dist loadgroup`, pytest.ini): the real-browser tests run on one worker, one after
    another (two Chromium sessions and two servers at once would compete for a 2-core machine's cores and make the
    timing of a burst meaningless), while the other worker runs the pure-model and AppTest modules, each module whole
    (its module-scoped fixtures built once)."""
    for item in items:
        group = "browser" if item.get_closest_marker("browser") else item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))

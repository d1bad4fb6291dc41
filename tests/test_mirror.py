"""tests/ mirrors model/: every model module has a test module of its own name."""
from __future__ import annotations

from tests.conftest import REPO


def test_every_model_module_has_a_test_module():
    modules = {p.stem for p in (REPO / "model").rglob("*.py") if p.stem not in ("__init__", "__main__")}
    tests = {p.stem.removeprefix("test_") for p in (REPO / "tests").glob("test_*.py")}
    assert not sorted(modules - tests), sorted(modules - tests)

"""model/plan/registry.py: the deployment's plans — the default, further folders, choosing by id, reloading a
package whose files change."""
from __future__ import annotations

import pytest

from model.plan import registry
from tests.plans_support import PACKAGES, SYNTHETIC, copy_package, read, write


def test_the_default_and_the_offered_plans(monkeypatch):
    monkeypatch.setenv("SHIFENG_PLANS", str(SYNTHETIC))
    ids = [p.id for p in registry.available()]
    assert ids[0] == registry.default_plan().id and registry.default_plan().is_default
    assert {"synthetic-four-2026-2030", "synthetic-one-2026-2030"} <= set(ids)
    assert registry.by_id("synthetic-one-2026-2030").segments.root == "park"
    assert registry.by_id(None) is registry.default_plan()
    with pytest.raises(KeyError):
        registry.by_id("no-such-plan")


def test_shifeng_plan_chooses_the_default(monkeypatch):
    monkeypatch.setenv("SHIFENG_PLAN", str(PACKAGES["one-segment"]))
    assert registry.default_plan().id == "synthetic-one-2026-2030"


def test_a_package_is_read_again_when_a_file_changes(tmp_path):
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    first = registry.plan_at(folder)
    assert registry.plan_at(folder) is first
    header, rows = read(folder / "plan.csv")
    write(folder / "plan.csv", header, [{**r, "zh": "改名"} if r["key"] == "name" else r for r in rows])
    assert registry.plan_at(folder).name("zh") == "改名"


def test_a_package_that_does_not_load_is_named_not_offered(monkeypatch, tmp_path):
    bad = copy_package(PACKAGES["one-segment"], tmp_path / "plans" / "bad")
    (bad / "segments.csv").write_text("segment_id\nx\n", encoding="utf-8")
    monkeypatch.setenv("SHIFENG_PLANS", str(tmp_path / "plans"))
    assert str(bad) in registry.problems()
    assert all(p.source != str(bad) for p in registry.available())


def test_a_package_that_fails_check_or_takes_a_taken_id_is_named_not_offered(monkeypatch, tmp_path):
    """A package that loaded but failed `check` was offered: presets that cannot run took down every page that
    opened it, and a link code clashing with the app's (n, the name) read n=12 as a growth rate. It is left out and
    named, as is a second package with an id already offered; the default stays offered as it is."""
    root = tmp_path / "plans"
    clash = copy_package(PACKAGES["four-industries"], root / "clash")
    header, rows = read(clash / "segments.csv")
    write(clash / "segments.csv", header, [{**r, "code": "n"} if r["segment_id"] == "materials" else r for r in rows])
    header, rows = read(clash / "plan.csv")
    write(clash / "plan.csv", header, [{**r, "value": "clash-ids"} if r["key"] == "id" else r for r in rows])
    twin = copy_package(PACKAGES["one-segment"], root / "twin")
    good = copy_package(PACKAGES["one-segment"], root / "good")
    monkeypatch.setenv("SHIFENG_PLANS", str(root))
    from model.calc.plancheck import offered as checked

    plans, left = checked()
    offered = {p.source for p in plans}
    assert str(clash) in left and "check" in left[str(clash)][0] and "link code 'n'" in " ".join(left[str(clash)])
    assert str(clash) not in offered
    assert len({str(twin), str(good)} & offered) == 1 and len({str(twin), str(good)} & set(left)) == 1
    assert any("already offered" in lines[0] for f, lines in left.items() if f in (str(twin), str(good)))
    assert registry.default_plan().id in {p.id for p in plans}

"""model/calc/plancheck.py: a package whose presets cannot run, or whose link codes clash with the app's, fails the
check with the file named."""
from __future__ import annotations

from model.calc.plancheck import check_plan
from model.plan.tables import load_plan_data
from tests.plans_support import PACKAGES, copy_package, read, write


def test_clashing_link_codes_fail_the_check(tmp_path):
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    header, rows = read(folder / "segments.csv")
    write(folder / "segments.csv", header, [{**r, "code": "d"} if r["segment_id"] == "materials" else r for r in rows])
    problems = check_plan(load_plan_data(folder))
    assert any("link code 'd'" in p for p in problems), problems


def test_a_preset_rule_the_plan_cannot_serve_is_left_out(tmp_path):
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    (folder / "presets.csv").write_text("preset,segment,rule,name_zh\nmine,*,required,我的\ntrend,*,trend,趋势\n",
                                        encoding="utf-8")
    from model.scenario.presets import presets

    data = load_plan_data(folder)
    assert list(presets(data)) == ["mine"] and check_plan(data) == []


def test_a_bad_default_names_its_row(tmp_path):
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    (folder / "defaults.csv").write_text("parameter,value\nio_ratio,99\n", encoding="utf-8")
    assert any(p.startswith("defaults.csv:2:value") for p in check_plan(load_plan_data(folder)))

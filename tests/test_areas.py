"""model/plan/areas.py: nested areas, their link codes, and areas taken from the files when a package has none."""
from __future__ import annotations

from model.plan.areas import build
from tests.plans_support import load


def test_nested_areas_know_what_lies_in_them():
    a = load("four-industries").areas
    assert a.ids == ("北园", "北园一期", "东区")
    assert a.ancestors("北园一期") == ("北园",) and a.within("北园") == ("北园", "北园一期")
    assert a.codes == {"n": "北园", "n1": "北园一期", "e": "东区"} and a.name("东区", "en") == "East zone"


def test_without_areas_csv_the_areas_are_the_values_the_files_use():
    a = build([], ["乙", "", "甲", "乙"])
    assert a.ids == ("乙", "甲") and a.codes == {"乙": "乙", "甲": "甲"}


def test_a_delay_of_an_area_applies_to_the_areas_inside_it():
    from model.calc.phasing import project_delays
    from model.scenario.presets import presets

    data = load("four-industries")
    s = presets(data)["plan-targets"].with_(delay_area={"北园": 2})
    d = dict(zip(data.projects["project_id"], project_delays(data.projects, s)))
    assert d == {"X1": 2, "X2": 2, "X3": 0, "X4": 0}

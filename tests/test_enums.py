"""model/plan/enums.py: allowed values from the engine's schema, names and link codes from the package's
enumerations.csv (and the engine's own)."""
from __future__ import annotations

from model.plan import enums
from model.plan.tables import load_schema
from tests.plans_support import plan


def test_every_allowed_value_has_a_name_in_each_language(plan_data):
    for col in (c for c in load_schema() if c.type == "enum"):
        for v in enums.values(col.name, plan_data):
            zh, en = enums.label(col.name, v, "zh", plan_data), enums.label(col.name, v, "en", plan_data)
            assert zh and en, (col.name, v)
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), (col.name, v, en)


def test_link_codes_are_unique_and_stable(plan_data):
    assert enums.codes("area", plan_data) == {"tx": "田心片区", "qst": "清水塘片区"}  # a public interface: links use them
    assert enums.codes("category", plan_data) == {"kj": "科技创新", "cy": "产业发展"}
    assert enums.own_budget(plan_data) in enums.values("funding_source", plan_data)
    assert enums.undetermined(plan_data) in enums.values("funding_source", plan_data)


def test_a_package_without_funding_flags_has_none():
    four = plan("four")
    assert enums.own_budget(four) is None and enums.undetermined(four) is None
    assert enums.codes("area", four) == {"n": "北园", "n1": "北园一期", "e": "东区"}

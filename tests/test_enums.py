"""model/plan/enums.py: allowed values from data/schema.csv, names and link codes from data/enumerations.csv."""
from __future__ import annotations

from model.plan import enums
from model.plan.tables import load_schema, DATA_DIR


def test_every_allowed_value_has_a_name_in_each_language():
    for col in (c for c in load_schema(DATA_DIR) if c.type == "enum"):
        for v in enums.values(col.name):
            zh, en = enums.label(col.name, v, "zh"), enums.label(col.name, v, "en")
            assert zh and en, (col.name, v)
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), (col.name, v, en)


def test_link_codes_are_unique_and_stable():
    assert enums.codes("area") == {"tx": "田心片区", "qst": "清水塘片区"}  # a public interface: links use them
    assert enums.codes("category") == {"kj": "科技创新", "cy": "产业发展"}
    assert enums.DISTRICT_BUDGET in enums.values("funding_source")
    assert enums.FUNDING_UNDETERMINED in enums.values("funding_source")

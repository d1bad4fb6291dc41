"""model/io/assumptions.py: the assumptions file; its ID rests on settings, not on wording."""
from __future__ import annotations

from model import presets
from model.io.assumptions import canonical_csv, from_assumptions_csv, scenario_id, to_assumptions_csv


def test_the_id_rests_on_settings_and_values_only(plan_data, monkeypatch):
    s = presets(plan_data)["historical-trend"]
    before = scenario_id(s)
    import model.report.labels as labels

    monkeypatch.setattr(labels, "field_description", lambda f, s, key=None: "reworded")
    assert "reworded" in to_assumptions_csv(s) and scenario_id(s) == before
    assert "reworded" not in canonical_csv(s)


def test_the_canonical_text_reads_back_as_the_same_scenario(plan_data):
    for s in presets(plan_data).values():
        assert from_assumptions_csv(canonical_csv(s).encode("utf-8")) == s

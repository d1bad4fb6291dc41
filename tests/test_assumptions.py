"""model/io/assumptions.py: the assumptions file; its ID rests on settings, not on wording."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import presets
from model.io.assumptions import canonical_csv, from_assumptions_csv, scenario_id, to_assumptions_csv
from model.scenario.scenario import ScenarioError


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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_unit_other_than_the_parameters_is_refused_on_its_row(plan_data, data):
    """The unit column was ignored: `ceiling,50000,万元/年` was read as 50,000 亿元/年, `baseline…,975,万元` as 975
    亿元. A row's unit, when given, is the parameter's own (full-width forms and spaces aside), or the row is refused
    naming its unit cell; a blank unit reads in the parameter's unit as before."""
    import csv
    import io

    s = next(iter(presets(plan_data).values()))
    rows = list(csv.reader(io.StringIO(to_assumptions_csv(s))))
    with_unit = [i for i, r in enumerate(rows) if i and r[2]]
    i = data.draw(st.sampled_from(with_unit), label="row")
    units = sorted({r[2] for r in rows[1:] if r[2]} | {"万元", "万元/年", "元"})
    other = data.draw(st.sampled_from([u for u in units if u != rows[i][2]]), label="unit")

    def read(unit: str):
        changed = [r if k != i else [r[0], r[1], unit, r[3]] for k, r in enumerate(rows)]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(changed)
        return from_assumptions_csv(buf.getvalue().encode("utf-8"), "a.csv", plan=plan_data)

    with pytest.raises(ScenarioError) as exc:
        read(other)
    assert exc.value.problems == [f"a.csv:{i + 1}:unit: {other!r} is not the unit of {rows[i][0]} ({rows[i][2]}): "
                                  f"write the value in {rows[i][2]}, or leave the unit empty"]
    wide = "".join(chr(ord(c) + 0xFEE0) if c == "%" else c for c in rows[i][2])
    for same in ("", wide, f" {rows[i][2]} "):
        assert scenario_id(read(same)) == scenario_id(s)

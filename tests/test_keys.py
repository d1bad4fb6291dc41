"""model/report/keys.py: the run-time keys are listed (tests/test_text.py checks each is defined and none dead)."""
from __future__ import annotations

from model.report.keys import dynamic_keys, family_keys


def test_run_time_keys_include_every_field_and_report_family():
    keys = dynamic_keys()
    assert "f.baselines" in keys and "f.targets.help" in keys and "sm.seg.output" in keys
    assert family_keys() <= keys | family_keys() and any(k.startswith("eval.") for k in family_keys())

"""Every CSV the app or CLI writes neutralises spreadsheet formulas; numbers (negative ones too) stay numbers."""
from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from model.export import assumptions_bytes, csv_bytes, neutralise, neutralise_csv_text
from model.scenario import FrozenMap, Scenario, from_assumptions_csv
from tests.plans_support import default_keys, two_bases

GROWTH_KEYS, SPLIT_SEGMENTS = default_keys()  # the default plan's segments

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


def cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_writer_neutralises_text_but_keeps_numbers():
    df = pd.DataFrame({"name": DANGEROUS, "value": [-1.5, -2.0, 3.0, 0.0, -0.25]})
    rows = cells(csv_bytes(df))[1:]
    assert all(r[0].startswith("'") for r in rows)
    assert [float(r[1]) for r in rows] == [-1.5, -2.0, 3.0, 0.0, -0.25]


def test_assumptions_file_neutralises_the_name():
    s = Scenario(name="=cmd()", baselines=two_bases(975.0, 1015.625),
                 growth=FrozenMap({k: -0.05 for k in GROWTH_KEYS}))
    raw = assumptions_bytes(s)
    rows = {r[0]: r[1] for r in cells(raw)[1:]}
    assert rows["name"] == "'=cmd()"
    assert rows["growth.rail_transit"] == "-5"  # a negative rate is still a number
    assert from_assumptions_csv(raw).growth["rail_transit"] == -0.05


def test_raw_table_rewrite_neutralises_only_text():
    text = "a,b\r\n=1+1,-3\r\n@x,5\r\nplain,-0.5\r\n"
    rows = cells(neutralise_csv_text(text).encode())
    assert rows == [["a", "b"], ["'=1+1", "-3"], ["'@x", "5"], ["plain", "-0.5"]]


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_a_formula(value):
    out = neutralise(value)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (value, "'" + value)

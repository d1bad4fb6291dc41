"""Bad input everywhere a user can put data: a clear message saying what and where, no exception, no hang."""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cleaning import clean
from model.library import MAX_NAME, LibraryError, clean_text
from model.scenario import FrozenMap, Scenario, ScenarioError, from_assumptions_csv, to_assumptions_csv
from model.share import decode
from tests.plans_support import default_keys, two_bases

GROWTH_KEYS, SPLIT_SEGMENTS = default_keys()  # the default plan's segments

BASE = Scenario(baselines=two_bases(975.0, 1015.625), growth=FrozenMap({k: 0.05 for k in GROWTH_KEYS}))
GOOD = to_assumptions_csv(BASE.with_(name="测试情景"))


def refused(raw: bytes) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        from_assumptions_csv(raw, "upload.csv")
    assert exc.value.problems
    return exc.value.problems


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # fixed entry times: the same bytes (and test ids) in every worker
        for name, text in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


@pytest.mark.parametrize("raw, says", [
    (GOOD.encode("utf-16"), "not a text CSV"),
    ("parameter,value\nname,測試情景\n".encode("big5"), ""),
    (GOOD.replace(",", ";").encode(), "header must start with parameter,value"),
    (GOOD.replace(",", "\t").encode(), "header must start with parameter,value"),
    (b"", "empty"),
    (b"   \r\n  ", "empty"),
    (_xlsx(), "not a text CSV"),
    (b"parameter,value\ngrowth.rail_transit,abc\n", "upload.csv:2:value"),
    (b"parameter,value\ngrowth.rail_transit,700\nbaseline_2020_rail,975\nbaseline_2020_total,1015\n"
     b"growth.nonrail,1\n", "growth.rail_transit: 700 % outside"),
    (b"parameter,value\nfoo,1\n", "upload.csv:2:parameter: unknown parameter 'foo'"),
])
def test_bad_assumption_files_are_refused_with_where_and_what(raw, says):
    problems = refused(raw)
    assert says in "\n".join(problems)


def test_a_50_mb_file_is_refused_fast():
    raw = b"parameter,value\n" + b"name,x\n" * (50_000_000 // 7)
    t0 = time.perf_counter()
    assert "larger than 1 MB" in refused(raw)[0]
    assert time.perf_counter() - t0 < 1.0  # refused before parsing


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzzed_bytes_never_raise_anything_but_a_scenario_error(raw):
    try:
        from_assumptions_csv(raw)
    except ScenarioError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["name", "growth.rail_transit", "horizon", "overrun", "excluded",
                                           "delay.all", "sd.nonrail", "actual.total.2021", "ceiling", "x"]),
                          st.text(max_size=20)), max_size=8))
def test_fuzzed_rows_never_raise_anything_but_a_scenario_error(rows):
    text = "parameter,value\n" + "\n".join(f"{k},\"{v.replace(chr(34), '')}\"" for k, v in rows)
    try:
        from_assumptions_csv(text.encode("utf-8"))
    except ScenarioError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["n", "rail", "non", "b", "br", "h", "ov", "basis", "prof", "d", "da", "dc",
                                        "dp", "ovr", "x", "cap", "sd", "rho", "seed", "np", "mu", "io", "ramp",
                                        "act", "tr", "lang", "zzz"]),
                       st.text(max_size=25), max_size=8))
def test_fuzzed_urls_never_raise_and_keep_the_base_on_rejection(params):
    s, notices = decode(params, BASE)
    assert isinstance(s, Scenario)
    rejected = {n.param for n in notices}
    if rejected >= set(params) - {"lang"}:
        assert s == BASE  # nothing accepted: the scenario is unchanged


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_name_validator_accepts_or_explains(name):
    try:
        out = clean_text(name, "name", MAX_NAME, required=True)
        assert out == clean(name) and 0 < len(out) <= MAX_NAME  # the one cleaner's text
    except LibraryError as exc:
        assert str(exc).startswith("name:")

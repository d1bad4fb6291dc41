"""model/report/problems.py: a reader's problem line as a Chinese page shows it."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import load_plan_data
from model.io.actuals import ActualsSet
from model.plan.tables import DataError
from model.report.problems import PATTERNS, localized

LATIN = re.compile(r"[A-Za-z]{3,}")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abc_.0123456789实际", min_size=1, max_size=12).map(lambda s: s + ".csv"),
       st.one_of(st.just("-"), st.integers(1, 10_000).map(str)),
       st.one_of(st.just("-"), st.sampled_from(["value", "year", "indicator_id", "单位"])),
       st.text(max_size=60))
def test_any_line_keeps_its_file_row_column_and_reason(file, row, col, what):
    """English pages show the line as the reader wrote it; a Chinese page shows the same file, row and column, and
    the reason either translated or as written: nothing is lost or invented."""
    line = f"{file}:{row}:{col}: {what}"
    assert localized(line, "en") == line
    zh = localized(line, "zh")
    assert zh.startswith(file)
    assert (f"第{row}行" in zh) == (row != "-") and ((f"“{col}”列" in zh) == (col != "-"))


def test_every_problem_a_bad_actuals_file_raises_is_shown_in_chinese():
    """The problems people meet most in an actuals file (not a number, empty, unknown indicator or column, year out
    of range, scope, vintage, twice, too many cells, no rows) read in Chinese on a Chinese page, values as written."""
    data = load_plan_data()
    head = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"
    files = [
        head + "park_output_2025,2023,abc,亿元,总产值,园区,年报,s,\n"
        "nope,2023,1,亿元,总产值,园区,年报,s,\n"
        "park_output_2025,2090,1,亿元,总产值,园区,年报,s,\n"
        "park_output_2025,2022,1,亿元,总产值,火星,年报,s,\n"
        "park_output_2025,2021,1,亿元,总产值,园区,初稿,s,\n"
        ",2021,1,亿元,总产值,园区,年报,s,\n"
        "park_output_2025,2020,1,亿元,总产值,园区,年报,s,,x,y\n",
        head + "park_output_2025,2023,1,亿元,总产值,园区,年报,s,\npark_output_2025,2023,2,亿元,总产值,园区,年报,s,\n",
        head,
        "indicator_id,year,value,unit,measure,source,note,extra\n",
    ]
    seen = 0
    for text in files:
        with pytest.raises(DataError) as exc:
            got = ActualsSet.from_bytes(text.encode("utf-8"), "a.csv", data)
            from model.io.sheets import require_rows

            require_rows(got, "a.csv")
        for p in exc.value.problems:
            zh = localized(p, "zh")
            reason = zh.split("：", 1)[1]
            # what is left in Latin letters is a value or a column the file wrote, quoted, never the reason's words
            # (the expected header lists the file's column names, which are English in every language)
            words = LATIN.findall(re.sub(r"'[^']*'|“[^”]*”|[a-z_]+\.csv|（应为：[^）]*）|[a-z]+_\w+", "", reason))
            assert not words, (p, zh)
            seen += 1
    assert seen >= 9


def test_each_pattern_is_reached_by_its_own_reason():
    """Every pattern's key is defined in both languages and its placeholders are the pattern's groups."""
    from model.report.text import placeholders

    for pattern, key in PATTERNS:
        assert placeholders(key) == set(pattern.groupindex), key

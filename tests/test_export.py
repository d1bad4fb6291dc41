"""model/io/export.py: the tidy export tables and their CSV text."""
from __future__ import annotations

import csv
import io

import pytest

from model import presets, run
from model.io.export import EXPORT_FILES, all_files, csv_text, export_tables, projection_table
import pandas as pd


@pytest.fixture(scope="module")
def files(plan_data):
    return all_files(plan_data, run(plan_data, presets(plan_data)["historical-trend"]))


def test_every_file_is_tidy_utf8_with_bom_and_a_unit_column(files):
    assert set(files) == set(EXPORT_FILES)
    for name, raw in files.items():
        assert raw.startswith(b"\xef\xbb\xbf"), name
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert "unit" in header and ("scenario" in header or name == "assumptions.csv"), name


def test_projection_marks_the_base_year_as_baseline(plan_data):
    r = run(plan_data, presets(plan_data)["plan-targets"])
    t = projection_table(r)
    assert set(t.loc[t["year"] == r.scenario.base_year, "kind"]) == {"baseline"}
    assert set(t.loc[t["year"] > r.scenario.base_year, "kind"]) == {"projected"}


def test_numbers_are_plain_decimals_and_text_is_neutralised():
    df = pd.DataFrame({"scenario": ["=cmd"], "value": [1e-12 + 1.5], "n": [float("nan")]})
    text = csv_text(df)
    assert "'=cmd" in text and ",1.5," in text and text.strip().endswith(",")


def test_summary_names_annex_totals_beside_the_phased_sums(plan_data):
    t = export_tables(plan_data, run(plan_data, presets(plan_data)["plan-targets"]))["summary.csv"]
    m = dict(zip(t["metric"], t["value"]))
    assert m["annex1_total_investment"] == pytest.approx(394.75)
    assert m["annex1_fyp_investment"] == pytest.approx(364.95) == m["project_investment_fyp"]

"""model/io/export.py: the tidy export tables and their CSV text."""
from __future__ import annotations

import csv
import io

import numpy as np
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


@pytest.mark.parametrize("package", ["default", "four-industries", "three-levels"])
def test_projection_csv_has_every_segment_and_each_is_the_sum_of_its_parts(package):
    """A three-level tree's middle level (its parts' sum) was missing from projection.csv although summary.csv gave
    its target-year output: every segment the projection can sum is there, each the sum of its parts every year."""
    from model import load_plan_data, presets, run
    from model.io.export import projection_table
    from tests.conftest import REPO
    from tests.plans_support import PACKAGES

    folder = PACKAGES.get(package, REPO / "tests" / "plans" / package)
    data = load_plan_data(folder)
    for s in presets(data).values():
        r = run(data, s)
        t = projection_table(r).pivot(index="year", columns="segment", values="value")
        tree = s.tree
        for seg in tree:
            sid = seg.id
            parts = [p for p in tree.children(sid) if p in t.columns]
            if sid in t.columns and parts and len(parts) == len(tree.children(sid)):
                assert np.allclose(t[sid], t[parts].sum(axis=1), rtol=1e-9), (package, s.name, sid)
        assert {x.id for x in tree if x.id in r.projection.output} <= set(t.columns), (package, s.name)


def test_projection_csv_says_how_each_base_is_known():
    """Every number has a source: a base the plan does not state (derived, assumed, user-set) is marked in the file
    too, not only on screen and on the workbook's cover."""
    from model import load_plan_data, presets, run
    from model.io.export import projection_table
    from model.scenario import FrozenMap

    data = load_plan_data()
    s = presets(data)["plan-targets"]

    def basis(sc) -> dict:
        t = projection_table(run(data, sc))
        base = t[t["year"] == sc.base_year]
        assert (t.loc[t["year"] != sc.base_year, "basis"] == "").all()
        return dict(zip(base["segment"], base["basis"]))

    assert basis(s) == {"rail_transit": "stated", "total": "derived", "nonrail": "derived"}
    assert basis(s.with_(baselines=FrozenMap({**s.baselines, "rail_transit": 980.0})))["rail_transit"] == "user"
    split = basis(s.with_(split=True))
    assert {v for k, v in split.items() if data.segments[k].relation == "share"} == {"assumed"}

"""Loader validation: one bad-file fixture per failure mode, and the encodings Excel writes."""
from __future__ import annotations

import csv
import io

import pytest

from model.tables import DataError, load_plan_data


def _rewrite(path, edit):
    """Apply ``edit(header, rows)`` to a CSV file in place (UTF-8)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    header, body = edit(header, body)
    buf = io.StringIO()
    csv.writer(buf).writerows([header] + body)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _set(col, row_index, value):
    def edit(header, body):
        body[row_index][header.index(col)] = value
        return header, body
    return edit


def _problems(folder) -> list[str]:
    with pytest.raises(DataError) as exc:
        load_plan_data(folder)
    return exc.value.problems


def test_real_data_loads(plan_data):
    assert len(plan_data.projects) == 37


@pytest.mark.parametrize(
    "file, col, row_index, value, expected",
    [
        ("projects.csv", "total_investment_yi", 0, "三点六", "projects.csv:2:total_investment_yi: not a number"),
        ("projects.csv", "total_investment_yi", 1, "-3", "projects.csv:3:total_investment_yi: negative money"),
        ("projects.csv", "end_year", 2, "2010", "projects.csv:4:end_year: end year 2010 before start year"),
        ("projects.csv", "project_id", 3, "P01", "projects.csv:5:project_id: duplicate id 'P01' (first at row 2)"),
        ("projects.csv", "area", 4, "火星片区", "projects.csv:6:area: unknown area '火星片区' (not in areas.csv)"),
        ("projects.csv", "category", 5, "其他", "projects.csv:7:category: unknown value '其他'"),
        ("projects.csv", "section_id", 6, "Z9", "projects.csv:8:section_id: unknown section 'Z9'"),
        ("roads.csv", "investment_wan", 0, "-1", "roads.csv:2:investment_wan: negative money"),
        ("roads.csv", "funding_source", 1, "市财政", "roads.csv:3:funding_source: unknown value '市财政'"),
        ("indicators.csv", "value", 0, "abc", "indicators.csv:2:value: not a number"),
        ("indicators.csv", "kind", 0, "guess", "indicators.csv:2:kind: unknown value 'guess'"),
        ("projects.csv", "start_year", 0, "", "projects.csv:2:start_year: give both build years or neither"),
    ],
)
def test_bad_cell_is_reported_with_file_row_column(data_copy, file, col, row_index, value, expected):
    _rewrite(data_copy / file, _set(col, row_index, value))
    assert any(p.startswith(expected) for p in _problems(data_copy)), _problems(data_copy)


def _set_by_id(col, row_id, value):
    """Set ``col`` in the row whose first cell (its id) is ``row_id``."""
    def edit(header, body):
        next(r for r in body if r[0] == row_id)[header.index(col)] = value
        return header, body
    return edit


def _row_of(path, row_id) -> int:
    """Spreadsheet row number (header = 1) of the row whose id is ``row_id``."""
    with open(path, encoding="utf-8", newline="") as fh:
        return next(i for i, r in enumerate(csv.reader(fh), start=1) if r and r[0] == row_id)


@pytest.mark.parametrize(
    "file, row_id, col, value, expected",
    [
        ("indicators.csv", "hightech_firms_2025", "value", "", "value: required value is empty"),
        ("indicators.csv", "hightech_firms_2025", "comparator", "qual", "value: a qualitative row (comparator qual) "
                                                                        "takes no value"),
        ("indicators.csv", "hightech_firms_2025", "unit", "", "unit: required value is empty"),
        ("indicators.csv", "listed_firms_2025", "comparator", "=", "value: required value is empty"),
        ("indicators.csv", "hightech_firms_2025", "comparator", "≥", "comparator: unknown value '≥'"),
        ("indicators.csv", "hightech_firms_2025", "quote_kind", "copied", "quote_kind: unknown value 'copied'"),
        ("indicators.csv", "hightech_firms_2025", "area", "九郎山片区", "area: unknown area '九郎山片区' (not in areas.csv)"),
        ("indicators.csv", "hightech_firms_2025", "baseline_id", "no_such_row",
         "baseline_id: unknown indicator 'no_such_row'"),
        ("indicators.csv", "hightech_firms_2025", "baseline_id", "rail_output_2025",
         "baseline_id: 'rail_output_2025' is a target row, not a baseline or derived one"),
        ("indicators.csv", "hightech_firms_2025", "baseline_id", "safety_market_national",
         "baseline_id: 'safety_market_national' is a context row"),
        ("indicators.csv", "rail_firms_2020", "baseline_id", "rail_output_2020",
         "baseline_id: only a target or monitoring row names a baseline"),
        ("indicators.csv", "hightech_firms_2025", "kind", "context", ""),  # a context row may carry a number
        ("projects.csv", "P01", "output_role", "factory", "output_role: unknown value 'factory'"),
    ],
)
def test_indicator_and_project_rules(data_copy, file, row_id, col, value, expected):
    row = _row_of(data_copy / file, row_id)
    _rewrite(data_copy / file, _set_by_id(col, row_id, value))
    if not expected:
        load_plan_data(data_copy)
        return
    problems = _problems(data_copy)
    assert any(p.startswith(f"{file}:{row}:{expected}") for p in problems), problems


def test_a_qualitative_target_loads_without_number_or_unit(plan_data):
    row = plan_data.indicator_row("carbon_tasks_2025")
    assert row["comparator"] == "qual" and row["unit"] == "" and row["value"] != row["value"]  # NaN


def test_missing_and_unknown_columns(data_copy):
    def edit(header, body):
        i = header.index("owner")
        header = header[:i] + header[i + 1:] + ["colour"]
        body = [r[:i] + r[i + 1:] + ["red"] for r in body]
        return header, body
    _rewrite(data_copy / "projects.csv", edit)

    def drop_required(header, body):
        i = header.index("name_zh")
        return header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in body]
    _rewrite(data_copy / "roads.csv", lambda h, b: (h, b))
    _rewrite(data_copy / "projects.csv", drop_required)
    problems = _problems(data_copy)
    assert "projects.csv:1:colour: unknown column" in problems
    assert "projects.csv:1:name_zh: missing column" in problems  # optional columns (owner, area …) may go


def test_every_problem_is_reported_at_once(data_copy):
    _rewrite(data_copy / "projects.csv", _set("total_investment_yi", 0, "x"))
    _rewrite(data_copy / "roads.csv", _set("length_m", 0, "y"))
    problems = _problems(data_copy)
    assert any(p.startswith("projects.csv:2:total_investment_yi") for p in problems)
    assert any(p.startswith("roads.csv:2:length_m") for p in problems)


def test_empty_file(data_copy):
    (data_copy / "roads.csv").write_bytes(b"")
    assert "roads.csv:1:-: the file is empty" in _problems(data_copy)


def test_header_only_file(data_copy):
    text = (data_copy / "roads.csv").read_text(encoding="utf-8").splitlines()[0]
    (data_copy / "roads.csv").write_text(text + "\n", encoding="utf-8")
    assert "roads.csv:2:-: no data rows" in _problems(data_copy)


def test_binary_file(data_copy):
    (data_copy / "projects.csv").write_bytes(b"PK\x03\x04\x00\x00binary xlsx")
    assert any(p.startswith("projects.csv:1:-: not a text CSV") for p in _problems(data_copy))


def test_missing_file(data_copy):
    (data_copy / "indicators.csv").unlink()
    assert any(p.startswith("indicators.csv:-:-: file missing") for p in _problems(data_copy))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_excel_encodings_are_accepted(data_copy, encoding, plan_data):
    for name in ("projects.csv", "roads.csv", "indicators.csv", "plan_sections.csv"):
        path = data_copy / name
        # GBK lacks a few characters (m²): Excel writes "?" for them, so do we
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    data = load_plan_data(data_copy)
    assert data.projects["name_zh"].tolist() == plan_data.projects["name_zh"].tolist()
    assert data.indicator("output_per_mu_2020") == 1238.56


def test_not_a_folder(tmp_path):
    assert _problems(tmp_path / "nope")[0].endswith("not a folder")


def _typed_by_insertion(df, schema):
    """The typing as it was (each column inserted into a frame in turn): the oracle for the framed-once version."""
    import pandas as pd

    out = pd.DataFrame(index=range(len(df)))
    for c in schema:
        s = df[c.name]
        if c.type in ("number", "money"):
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.type in ("int", "year"):
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        else:
            out[c.name] = s.astype("object").where(s.notna(), "")
    for extra in df.columns:
        if extra not in out.columns and extra != "src_row":
            out[extra] = df[extra].astype("object").where(df[extra].notna(), "")
    out["src_row"] = df["src_row"].astype(int).to_numpy()
    return out


def test_typed_columns_equal_the_insertion_oracle_on_any_records():
    """A file's typed frame (model.plan.tables._typed) equals, value for value and dtype for dtype, what inserting
    each column in turn gave, on random records as the cell checker makes them: numbers, whole numbers, texts and
    missing cells in every column kind, columns the schema leaves out, further languages' columns, no rows."""
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from model.plan import tables

    kinds = ("number", "money", "int", "year", "text", "enum", "id")
    cell = {"number": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False),
                                st.integers(-10**6, 10**6)),
            "int": st.one_of(st.none(), st.integers(-10**6, 10**6)),
            "text": st.one_of(st.none(), st.text(max_size=8))}
    cell["money"], cell["year"], cell["enum"], cell["id"] = cell["number"], cell["int"], cell["text"], cell["text"]

    @st.composite
    def frames(draw):
        types = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=6))
        schema = [tables.Column("f.csv", f"c{i}", k, False, "", (), "") for i, k in enumerate(types)]
        left_out = draw(st.sets(st.sampled_from([c.name for c in schema])))
        extras = draw(st.lists(st.sampled_from(["name_en", "name_fr", "note_en"]), unique=True, max_size=2))
        n = draw(st.integers(0, 6))
        records = []
        for i in range(n):
            rec = {c.name: draw(cell[c.type]) for c in schema if c.name not in left_out}
            rec.update({e: draw(cell["text"]) for e in extras})
            rec["src_row"] = i + 2
            records.append(rec)
        df = pd.DataFrame.from_records(records) if records else pd.DataFrame({"src_row": pd.Series([], dtype=int)})
        for c in schema:  # as _validate_file does for a column the file leaves out
            if c.name not in df.columns:
                df[c.name] = None
        return df, schema

    @settings(max_examples=200, deadline=None)
    @given(frames())
    def check(case):
        df, schema = case
        got, want = tables._typed(df, schema), _typed_by_insertion(df, schema)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert list(got.dtypes) == list(want.dtypes) and type(got.index) is type(want.index)

    check()

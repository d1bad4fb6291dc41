"""ui.layout's memos (what pages derive for display, built once per key or per kept object): a value is built once
per key, a different key or object builds anew, the store is bounded, an object's values go with it."""
from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st

from ui import layout


class Kept:  # stands in for a cached evaluation or result
    def __init__(self, v):
        self.v = v


def test_memo_builds_once_per_key():
    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    key = ("test_memo", object())
    assert layout.memo(key, build) == 1
    assert layout.memo(key, build) == 1
    assert layout.memo(("test_memo", object()), build) == 2
    assert len(calls) == 2


@given(st.lists(st.integers(0, 20), max_size=200))
def test_memo_value_is_the_build_of_its_key(keys):
    for k in keys:
        assert layout.memo(("test_memo_prop", k), lambda k=k: k * k) == k * k
    assert len(layout._MEMO) <= layout.MAX_SPECS


def test_memo_on_is_per_object_and_goes_with_it():
    a, b = Kept(1), Kept(1)
    calls = []

    def build(o):
        calls.append(o.v)
        return o.v + len(calls)

    first = layout.memo_on(a, ("k",), lambda: build(a))
    assert layout.memo_on(a, ("k",), lambda: build(a)) == first
    assert layout.memo_on(a, ("other",), lambda: build(a)) != first  # another key of the same object
    layout.memo_on(b, ("k",), lambda: build(b))  # an equal object that is not the same one
    assert len(calls) == 3
    slot = (id(a), ("k",))
    assert slot in layout._ON
    del a
    gc.collect()
    assert slot not in layout._ON


def test_memo_on_without_weak_references_builds_every_time():
    calls = []
    for _ in range(3):
        layout.memo_on((1, 2), ("k",), lambda: calls.append(1))
    assert len(calls) == 3


ROWS = st.lists(st.fixed_dictionaries({"name": st.text(max_size=8), "status": st.sampled_from(["达标", "未达标", "—"]),
                                       "completion": st.none() | st.sampled_from([0.0, -0.0, 1]) | st.floats(-50, 300)}),
                max_size=12)


@given(ROWS, ROWS)
def test_table_data_is_streamlits_conversion_of_the_rows_and_follows_their_content(a, b):
    """A table's Arrow data kept by its rows' content: the same bytes Streamlit would send for the frame, built
    again for other rows, never another table's."""
    import pandas as pd
    from streamlit import dataframe_util

    def frame(rows):
        return pd.DataFrame(rows, columns=["name", "status", "completion"])

    ta = layout.table_data(("test_table", layout.rows_key(a)), lambda: frame(a))
    tb = layout.table_data(("test_table", layout.rows_key(b)), lambda: frame(b))
    for rows, got in ((a, ta), (b, tb)):
        assert dataframe_util.convert_arrow_table_to_arrow_bytes(got) == \
            dataframe_util.convert_pandas_df_to_arrow_bytes(frame(rows))
    assert (layout.rows_key(a) == layout.rows_key(b)) == (ta is tb)


def test_rows_equal_in_python_but_not_in_a_table_are_different_tables():
    import pandas as pd

    seen = []
    for rows in ([{"v": 0.0}], [{"v": -0.0}], [{"v": 1}], [{"v": 1.0}], [{"v": True}]):
        seen.append(layout.table_data(("test_rows_apart", layout.rows_key(rows)), lambda rows=rows: pd.DataFrame(rows)))
    assert len({id(x) for x in seen}) == len(seen)
    nan = [{"v": float("nan")}]
    again = [{"v": float("nan")}]
    assert layout.table_data(("test_rows_apart", layout.rows_key(nan)), lambda: pd.DataFrame(nan)) is \
        layout.table_data(("test_rows_apart", layout.rows_key(again)), lambda: pd.DataFrame(again))


_CELLS = st.one_of(st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=False, width=32),
                   st.text(max_size=3), st.none(), st.booleans())


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "t"]), _CELLS, min_size=1, max_size=3), min_size=1,
                max_size=3),
       st.lists(st.dictionaries(st.sampled_from(["a", "b", "t"]), _CELLS, min_size=1, max_size=3), min_size=1,
                max_size=3))
def test_inline_records_are_converted_as_streamlit_converts_them_whatever_came_under_their_name(first, second):
    """A chart's inline records are converted once per name (Altair's hash of their JSON) and reused only for equal
    records: records drawn under a name another set used (JSON equal under default=str, a forged name) are still
    converted as Streamlit converts them."""
    from streamlit import dataframe_util

    name = "data-test-inline"
    for records in (first, second, first):
        got = layout._arrow({"datasets": {name: records}})["datasets"][name]
        assert got == dataframe_util.convert_anything_to_arrow_bytes(records)


def test_inline_records_of_a_template_are_converted_once(monkeypatch):
    from streamlit import dataframe_util

    calls = []
    real = dataframe_util.convert_anything_to_arrow_bytes
    monkeypatch.setattr(dataframe_util, "convert_anything_to_arrow_bytes", lambda v: calls.append(v) or real(v))
    band = [{"a": 2025.5, "b": 2030.4, "t": "预测 →"}]
    for _ in range(3):
        layout._arrow({"datasets": {"data-test-band": [dict(r) for r in band]}})
    assert len(calls) == 1


_COLUMNS = {
    "int": st.lists(st.integers(-3, 3)), "int_na": st.lists(st.one_of(st.integers(-3, 3), st.none())),
    "date": st.lists(st.datetimes(timezones=st.none())),
    "float": st.lists(st.one_of(st.floats(allow_infinity=False), st.none())),
    "str": st.lists(st.one_of(st.text(max_size=3), st.none())), "bool": st.lists(st.booleans()),
    "obj": st.lists(st.one_of(st.integers(), st.text(max_size=2), st.none(), st.floats(allow_nan=True))),
}


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(sorted(_COLUMNS)), st.just(0), max_size=7), st.integers(0, 6), st.data())
def test_frame_records_are_pandas_records(kinds, n, data):
    """frame_records equals to_dict(orient="records"): the same values of the same Python types (an int stays an
    int, a missing string the same NaN or None), keys in column order, for the dtypes pandas infers."""
    import math

    import pandas as pd

    cols = {}
    for kind in kinds:
        cells = data.draw(_COLUMNS[kind].filter(lambda x: len(x) >= n).map(lambda x: x[:n]))
        if kind.startswith("int") and data.draw(st.booleans()):
            cells = pd.array(cells, dtype="Int64")
        elif kind == "str":  # pandas' default string type (NaN missing), the nullable one (NA), or objects
            cells = pd.array(cells, dtype=data.draw(st.sampled_from(["str", pd.StringDtype("pyarrow"), object])))
        cols[kind] = cells
    frame = pd.DataFrame(cols, index=range(n)) if cols else pd.DataFrame(index=range(n))
    got, want = layout.frame_records(frame), frame.to_dict(orient="records")

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return type(a) is type(b) and (a is b or a == b)

    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert list(g) == list(w)
        assert all(same(g[k], w[k]) for k in w), (g, w)



def _cell(kind: str):
    return {"int": st.integers(-(2 ** 40), 2 ** 40), "float": st.one_of(st.floats(allow_infinity=False), st.none()),
            "text": st.one_of(st.text(max_size=4), st.none()), "bool": st.booleans()}[kind]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["int", "float", "text", "bool"]), min_size=1, max_size=4), st.integers(0, 6),
       st.data())
def test_chart_columns_reach_the_browser_as_the_frame_they_make(kinds, n, data):
    """A chart's Columns are converted without pandas into the table Streamlit sends for the frame they make: the
    same column names, types and values (NaN and None as null), only the index metadata left out."""
    import pyarrow as pa
    from streamlit import dataframe_util

    from model.report.charts import Columns

    cols = Columns({f"c{i}_{k}": data.draw(st.lists(_cell(k), min_size=n, max_size=n)) for i, k in enumerate(kinds)})
    got = pa.ipc.open_stream(layout.columns_arrow(cols)).read_all()
    want = pa.ipc.open_stream(dataframe_util.convert_anything_to_arrow_bytes(cols.to_frame())).read_all()
    assert got.schema.remove_metadata() == want.schema.remove_metadata()
    assert got.to_pylist() == want.to_pylist()

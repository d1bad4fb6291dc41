"""Chart templates are compiled without Altair's validation at run time, so every shape is validated here."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from hypothesis import given, settings
from hypothesis import strategies as st

from model import charts

LINES = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "series": ["a", "a", "b", "b"], "value": [1.0, 2, 3, 4]})
SPECS = {
    "trajectory_with_actuals": lambda: charts.trajectory(
        LINES.assign(ref=[0, 2, 1, 1]), pd.DataFrame({"year": [2025], "value": [1600.0], "label": ["t1"]}),
        x_title="年份", y_title="产值（亿元）", series_title="系列", projected_label="预测"),
    "trajectory": lambda: charts.trajectory(
        LINES.assign(ref=[0, 0, 1, 1]), pd.DataFrame({"year": [2025, 2025], "value": [1600.0, 1400.0],
                                                      "label": ["t1", "t2"]}),
        x_title="年份", y_title="产值（亿元）", series_title="系列", projected_label="预测"),
    "stacked": lambda: charts.stacked_bars(LINES.rename(columns={"series": "group"}), group_title="g", x_title="x",
                                           y_title="y", highlight="a"),
    "lines": lambda: charts.lines(LINES, series_title="s", x_title="x", y_title="y", dashed="b"),
    "gantt": lambda: charts.gantt(pd.DataFrame({"label": ["P01 x", "P02 y"], "start": [2020, 2021],
                                                "end": [2023, 2025], "area": ["田心片区", "清水塘片区"]}),
                                  area_title="a", x_title="x", project_title="p", start_title="s", end_title="e",
                                  period=(2021, 2025)),
    "diff": lambda: charts.diff_bars(pd.DataFrame({"year": [2021, 2022], "value": [-1.0, 2.0]}), x_title="x",
                                     y_title="y"),
    "fan": lambda: charts.fan(pd.DataFrame({"year": [2020, 2021], "p10": [1.0, 1.1], "p25": [1.0, 1.2],
                                            "p50": [1.0, 1.3], "p75": [1.0, 1.4], "p90": [1.0, 1.5]}),
                              pd.DataFrame({"year": [2021], "value": [1.2], "series": ["actual"]}), x_title="x",
                              y_title="y", series_title="s", outer_label="P10–P90", inner_label="P25–P75",
                              median_label="median"),
    "tornado": lambda: charts.tornado(pd.DataFrame({"label": ["a", "b"], "low": [1.0, 2.0], "high": [3.0, 2.5]}),
                                      x_title="x", low_label="low", high_label="high", base=2.0),
    "bars_rule": lambda: charts.bars_and_rule(pd.DataFrame({"year": [2021, 2022], "value": [1.0, 2.0]}), 1.5,
                                              x_title="x", y_title="y", bar_label="b", rule_label="r"),
}


@pytest.mark.parametrize("name", SPECS)
def test_every_chart_template_is_valid_vega_lite(name):
    spec = SPECS[name]()
    spec["datasets"] = {k: v.to_dict(orient="records") if isinstance(v, pd.DataFrame) else v
                        for k, v in spec["datasets"].items()}
    validate_jsonschema(json.loads(json.dumps(spec, default=str)), load_schema())


def test_a_template_is_compiled_once_per_shape_and_filled_with_new_data():
    charts._TEMPLATES.clear()
    a = charts.lines(LINES, series_title="s", x_title="x", y_title="y")
    b = charts.lines(LINES.assign(value=LINES["value"] * 2), series_title="s", x_title="x", y_title="y")
    assert len(charts._TEMPLATES) == 1
    assert a["datasets"]["lines"]["value"].sum() * 2 == b["datasets"]["lines"]["value"].sum()
    charts.lines(LINES, series_title="other title", x_title="x", y_title="y")
    assert len(charts._TEMPLATES) == 2


def test_projector_sized_text_and_cjk_font():
    spec = SPECS["trajectory"]()
    assert spec["config"]["axis"]["labelFontSize"] >= 14 and spec["config"]["legend"]["labelFontSize"] >= 14
    assert "Noto Sans CJK SC" in spec["config"]["font"]


def test_charts_export_as_png_and_svg_with_chinese_text():
    spec = SPECS["trajectory"]()
    png = charts.to_png(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    svg = charts.to_svg(spec).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "年份" in svg and "产值（亿元）" in svg


def test_many_reference_paths_keep_distinct_styles_and_never_take_a_series_colour():
    """Five plan paths (a plan of five segments): each reference path has its own (colour, dash) pair, none a
    series' colour (a colour range shorter than its domain makes Vega cycle back to the series' colours)."""
    refs = [f"ref{i}" for i in range(5)]
    paths = pd.concat([LINES.assign(ref=0)] + [LINES.assign(series=r, ref=1) for r in refs], ignore_index=True)
    spec = charts.trajectory(paths, pd.DataFrame({"year": [2021], "value": [4.0], "label": ["t"]}),
                             x_title="x", y_title="y", series_title="s", projected_label="p")
    layer = next(lay for lay in spec["layer"] if lay.get("mark", {}).get("type") == "line")
    enc = layer["encoding"]
    domain, colors, dashes = enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"], \
        enc["strokeDash"]["scale"]["range"]
    assert len(colors) == len(domain) == len(dashes)
    pairs = [(c, tuple(d)) for c, d in zip(colors, dashes)]
    assert len(set(pairs)) == len(pairs)
    assert not set(colors[2:]) & set(colors[:2])
    colors, dashes = charts.ref_styles(15)
    assert len({(c, tuple(d)) for c, d in zip(colors, dashes)}) == 15


def test_target_labels_of_one_year_never_print_over_each_other():
    from hypothesis import given, settings, strategies as st

    from model.report.charts import FS, label_plot_px, target_label_rows

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.floats(0, 5000, allow_nan=False), min_size=1, max_size=6),
           st.lists(st.floats(0, 5000, allow_nan=False), min_size=2, max_size=30), st.integers(250, 600))
    def check(targets, values, height):
        t = pd.DataFrame({"year": [2030] * len(targets), "value": targets, "label": [f"t{i}" for i in
                                                                                   range(len(targets))]})
        got = target_label_rows(t, pd.Series(values), height)
        lo = min(min(values), min(targets))
        hi = max(max(values), max(targets))
        per_px = (hi - lo or abs(hi) or 1.0) / label_plot_px(height)
        ly = got.sort_values("value", ascending=False)["ly"].to_numpy()
        assert all(a - b >= (FS + 3) * per_px * (1 - 1e-9) for a, b in zip(ly, ly[1:]))
        assert got["ly"].max() >= got["value"].max()  # the highest label above its marker

    check()


def _label_rows_by_groupby(targets, values, height):
    """target_label_rows as it was written first (a groupby and a Series set cell by cell): the oracle."""
    from model.report.charts import FS, label_plot_px

    if not len(targets):
        return targets.assign(ly=pd.Series(dtype=float))
    lo, hi = float(min(values.min(), targets["value"].min())), float(max(values.max(), targets["value"].max()))
    per_px = (hi - lo or abs(hi) or 1.0) / label_plot_px(height)
    ly = pd.Series(0.0, index=targets.index)
    for _, grp in targets.groupby("year", sort=False):
        prev = None
        for i, (idx, v) in enumerate(grp["value"].sort_values(ascending=False).items()):
            want = v + 16 * per_px if i == 0 else v - 20 * per_px
            if prev is not None:
                want = min(want, prev - (FS + 3) * per_px)
            ly[idx] = prev = want
    return targets.assign(ly=ly)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([2025, 2030, 2035, float("nan")]),
                          st.one_of(st.sampled_from([0.0, 450.0, 380.0, 450.0, -3.0, float("nan")]),
                                    st.floats(-1e4, 1e4, allow_nan=False))), max_size=12),
       st.lists(st.one_of(st.floats(-1e4, 1e4, allow_nan=False), st.just(float("nan"))), min_size=1, max_size=20),
       st.integers(100, 900), st.booleans())
def test_target_label_rows_from_arrays_equal_the_groupby(rows, values, height, shuffled_index):
    """The label positions built from arrays equal the groupby's, bit for bit: several years (a NaN year in no
    group), tied targets (which label goes above), NaN targets and values, any row index."""
    from model.report.charts import target_label_rows

    t = pd.DataFrame({"year": [y for y, _ in rows], "value": [v for _, v in rows],
                      "label": [f"t{i}" for i in range(len(rows))]})
    if shuffled_index:
        t.index = pd.Index(range(3 * len(rows), 0, -3))
    got, want = target_label_rows(t, pd.Series(values), height), _label_rows_by_groupby(t, pd.Series(values), height)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 6), st.integers(0, 12), st.data())
def test_group_columns_are_the_melt_of_the_table_without_zero_cells(n_groups, n_years, data):
    """group_columns builds from arrays what melt gave: the same rows in the same order, the same values, years as
    integers and sums as floats, every group its text."""
    # (melt, the oracle, cannot take a group named like its own columns; group_columns can)
    names = data.draw(st.lists(st.text(min_size=1, max_size=6).filter(lambda x: x not in ("year", "value")),
                               min_size=n_groups, max_size=n_groups, unique=True))
    cells = data.draw(st.lists(st.sampled_from([0.0, 1.5, -2.25, 1e-9, 300.0]), min_size=n_groups * n_years,
                               max_size=n_groups * n_years))
    table = pd.DataFrame(np.array(cells, dtype=float).reshape(n_years, n_groups),
                         index=pd.Index(range(2020, 2020 + n_years), name="year"), columns=names)
    long = table.reset_index().melt(id_vars="year", var_name="group", value_name="value")
    expected = long[long["value"] != 0].reset_index(drop=True)
    cols = charts.group_columns(table.index.to_numpy(), names, table.to_numpy(dtype=float).T)
    got = cols.to_frame()
    # the group column: text as objects (what reaches Arrow as text), melt's str dtype aside
    pd.testing.assert_frame_equal(got.astype({"group": expected["group"].dtype}), expected, check_index_type=False)
    assert cols["year"].dtype == np.int64 and cols["value"].dtype == np.float64
    assert list(got["group"]) == list(expected["group"]) and all(isinstance(g, str) for g in cols["group"])


def _configure_chain(chart, height: int = 380, legend_columns: int = 3):
    """How :func:`charts.style` set height and config before it set them in place: Altair's copying methods."""
    charts.wrap_legends(chart, legend_columns)
    F, FS, INK, AX = charts.FONT, charts.FS, charts.INK, charts.AXIS_LINE
    return (chart.properties(height=height)
            .configure(font=F)
            .configure_axis(labelFontSize=FS, titleFontSize=FS + 1, labelFont=F, titleFont=F, grid=True,
                            gridOpacity=0.4, labelColor=INK, titleColor=INK, domainColor=AX, tickColor=AX)
            .configure_legend(labelFontSize=FS, titleFontSize=FS, labelFont=F, titleFont=F, orient="bottom",
                              columns=legend_columns, labelLimit=0, symbolSize=180, symbolStrokeWidth=3,
                              labelColor=INK, titleColor=INK, symbolOpacity=1)
            .configure_title(fontSize=FS + 3, font=F, anchor="start", color=INK, subtitleColor=INK)
            .configure_text(color=INK)
            .configure_mark(aria=False)
            .configure_view(strokeWidth=0))


EVERY = {
    **SPECS,
    "bullet": lambda: charts.bullet(
        pd.DataFrame({"label": ["a", "b"], "text": ["1", "2"], "value": [80.0, 120.0], "status": ["s1", "s2"]}),
        x_title="x", label_title="l", status_title="s", statuses=["s1", "s2"], colors=["#000000", "#111111"],
        band=(90.0, 100.0)),
    "plan_vs_actual": lambda: charts.plan_vs_actual(
        pd.DataFrame({"label": ["a", "b"], "text": ["1", "2"], "planned": [10.0, 20.0], "actual": [5.0, None]}),
        x_title="x", planned_label="p", actual_label="a"),
}


@pytest.mark.parametrize("name", EVERY)
def test_style_in_place_gives_the_spec_of_the_copying_chain(name, monkeypatch):
    """Every chart's template, key for key and in the same order (Streamlit hashes the JSON), whether height and config
    are set on the chart or through Altair's properties()/configure_*() (each a copy of the whole chart)."""
    charts._TEMPLATES.clear()
    fast = json.dumps(EVERY[name](), default=str)
    charts._TEMPLATES.clear()
    monkeypatch.setattr(charts, "style", _configure_chain)
    slow = json.dumps(EVERY[name](), default=str)
    charts._TEMPLATES.clear()
    assert fast == slow


@settings(max_examples=30, deadline=None)
@given(height=st.integers(50, 2000), columns=st.integers(1, 6), layered=st.booleans(),
       legend=st.sampled_from(["none", "default", "given", "off"]))
def test_style_matches_the_copying_chain_for_any_height_columns_and_legend(height, columns, layered, legend):
    import altair as alt

    def make():
        kw = {} if legend == "default" else {"legend": None} if legend == "off" else \
            {"legend": alt.Legend(title="t", columns=2)}
        enc = {"x": "a:Q", "y": "b:Q"}
        if legend != "none":
            enc["color"] = alt.Color("c:N", **kw)
        unit = alt.Chart(alt.NamedData("d")).mark_line().encode(**enc)
        return alt.layer(unit, alt.Chart(alt.NamedData("d")).mark_point().encode(x="a:Q", y="b:Q")) if layered \
            else unit

    assert json.dumps(charts.style(make(), height, columns).to_dict(validate=False)) == \
        json.dumps(_configure_chain(make(), height, columns).to_dict(validate=False))


@pytest.mark.parametrize("name", EVERY)
def test_a_template_is_built_without_altair_converting_dicts(name, monkeypatch):
    """Every channel is given as Altair's own class (``alt.X2``, ``alt.Text``,
    ``alt.ColorValue(**alt.condition(…))``), never as a shorthand string, ``alt.value`` or a condition's dict: for each of those Altair 6 runs ``from_dict``,
    which hashes all ~570 schema classes again (5–8 ms each; a trajectory chart took 83 ms to build instead of 30, and
    every new title — a language switch, a page's first view, the cold start — builds its charts anew)."""
    from altair.utils import schemapi

    calls = []
    real = schemapi.SchemaBase.from_dict.__func__
    monkeypatch.setattr(schemapi.SchemaBase, "from_dict",
                        classmethod(lambda cls, *a, **k: calls.append(cls.__name__) or real(cls, *a, **k)))
    charts._TEMPLATES.clear()
    EVERY[name]()
    charts._TEMPLATES.clear()
    assert calls == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["甲", "乙", "丙", "丁", ""]), max_size=12),
       st.one_of(st.none(), st.lists(st.sampled_from(["甲", "乙", "丙", "戊"]), unique=True, max_size=4)),
       st.sampled_from(["str", object]))
def test_stacked_bars_order_is_the_map_of_each_group_to_its_place(groups, order, dtype):
    """group_order equals Series.map of a {group: place} dict: ints when every group is in the domain, floats with
    NaN for one that is not, the same values and dtype in the chart's data."""
    df = pd.DataFrame({"year": np.arange(len(groups)), "group": pd.array(groups, dtype=dtype),
                       "value": np.ones(len(groups))})
    domain = tuple(order or dict.fromkeys(df["group"]))
    want = df.assign(group_order=df["group"].map({g: i for i, g in enumerate(domain)}))
    spec = charts.stacked_bars(df, group_title="g", x_title="x", y_title="y", order=order)
    got = spec["datasets"]["bars"]
    # the chart's columns: the same values, the order as an integer exactly when map gives integers
    pd.testing.assert_frame_equal(got.to_frame(), want, check_exact=True, check_dtype=False)
    assert got["group_order"].dtype.kind == want["group_order"].dtype.kind


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10), st.integers(1, 6), st.data())
def test_keep_largest_is_the_frame_of_the_largest_groups_and_the_rest(n_groups, n_years, data):
    """keep_largest gives what pandas' nlargest and assign gave the phasing page's owner chart: the same groups in
    the same order (ties in first-seen order) and the same sums, an 'others' group only when some are left out."""
    names = data.draw(st.lists(st.sampled_from(["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "其他"]),
                               min_size=n_groups, max_size=n_groups, unique=True))
    cells = data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.5, 1e-9, 300.0]), min_size=n_groups * n_years,
                               max_size=n_groups * n_years))
    n = data.draw(st.integers(1, 8))
    sums = np.array(cells, dtype=float).reshape(n_groups, n_years)
    table = pd.DataFrame(sums.T, columns=names)
    top = list(table.sum().nlargest(n).index)
    rest = [c for c in table.columns if c not in top]
    want = table[top].assign(**({"其他": table[rest].sum(axis=1)} if rest else {}))
    got_names, got = charts.keep_largest(names, sums, n, "其他")
    assert got_names == list(want.columns)
    np.testing.assert_array_equal(got, want.to_numpy().T.reshape(len(got_names), n_years))

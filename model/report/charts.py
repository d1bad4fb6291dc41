"""Chart specs (pure: Altair + pandas, no Streamlit; used by the UI and the briefing pack): projector-sized text, CJK fonts, Okabe–Ito colours, units in every title.

Charts are written with Altair, but Altair's build-and-validate step costs tens of milliseconds per chart. So each
builder compiles its chart once per *shape* (titles, series names, year range, …) into a Vega-Lite template whose
data are named placeholders, and every rerun only drops the current data into a copy of that template, as
:class:`Columns` (numpy columns, converted to Arrow without pandas). Builders take tidy DataFrames or Columns whose
labels are already translated; they never compute model results.
"""
from __future__ import annotations

import copy
import threading
from typing import Callable

import altair as alt
import numpy as np
import pandas as pd

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#595959"  # annotations (band label, bar totals): 7.0:1 on white, 6.3:1 on the projected-years band
INK = "#1f1f1f"  # axis, legend and title text: 16.6:1 on white (Vega's and Streamlit's greys were 3.7:1)
AXIS_LINE = "#6b6b6b"  # axis lines and ticks: 5.3:1 on white (graphics need 3:1)
TARGET = "#D55E00"  # target markers (Okabe–Ito vermillion, 3.9:1: fine for a graphic)
TARGET_TEXT = "#A84A00"  # target labels: the same hue darkened to 5.8:1 on white (text needs 4.5:1)
FS = 15  # ≥ 14 px so a projector reads it


def label_limit(wide: int, narrow: int = 150, below: int = 560) -> dict:
    """A row axis's label width: ``wide`` px, but ``narrow`` in a chart less than ``below`` px wide (a phone), so the
    bars keep the width (a longer name ends in "…"; the bar's tooltip and the table give it whole)."""
    return {"expr": f"containerSize()[0] < {below} ? {narrow} : {wide}"}

_TEMPLATES: dict[tuple, dict] = {}
_LOCK = threading.Lock()
_MAX_TEMPLATES = 1024


def _render(key: tuple, build: Callable[[], alt.TopLevelMixin], **frames) -> dict:
    """The compiled template for ``key`` (built once) with ``frames`` (DataFrames or :class:`Columns`) as its named
    datasets, each as Columns."""
    template = _TEMPLATES.get(key)
    if template is None:
        template = build().to_dict(validate=False)  # the shapes are validated once, in tests
        with _LOCK:
            if len(_TEMPLATES) >= _MAX_TEMPLATES:
                _TEMPLATES.clear()
            _TEMPLATES[key] = template
    spec = _json_copy(template)
    spec.setdefault("datasets", {}).update({k: Columns.of(v) for k, v in frames.items()})
    return spec


def _json_copy(node):
    """A deep copy of a compiled Vega-Lite spec (dicts, lists and scalars only, as ``to_dict`` gives): a fraction of
    ``copy.deepcopy``'s time, which was a fifth of drawing a chart; anything else is copied by deepcopy."""
    kind = type(node)
    if kind is dict:
        return {k: _json_copy(v) for k, v in node.items()}
    if kind is list:
        return [_json_copy(v) for v in node]
    if kind in (str, int, float, bool) or node is None:
        return node
    return copy.deepcopy(node)


class Columns:
    """A chart's data as named columns of one length (numpy arrays): what a slider move draws, built and converted
    to Arrow without pandas (a DataFrame per chart and its conversion were a third of a new value's server time on
    the phasing page). A scalar is repeated to the others' length. ``to_frame()`` gives the DataFrame the same
    columns make, ``to_dict(orient="records")`` its records (exports, tests)."""

    __slots__ = ("_cols", "_n")

    def __init__(self, cols: dict):
        arrays = {str(k): v for k, v in cols.items()}
        n = next((len(v) for v in arrays.values() if np.ndim(v) != 0), 1 if arrays else 0)
        for k, v in arrays.items():
            if np.ndim(v) == 0:
                arrays[k] = np.full(n, v, dtype=object if isinstance(v, str) or v is None else None)
            else:
                a = v if isinstance(v, np.ndarray) else np.asarray(v, dtype=object if _has_text(v) else None)
                if a.dtype.kind == "U":  # text as objects, as a frame would hold them
                    a = a.astype(object)
                if len(a) != n:
                    raise ValueError(f"column {k!r} has {len(a)} rows, not {n}")
                arrays[k] = a
        self._cols, self._n = arrays, n

    @classmethod
    def of(cls, frame) -> "Columns":
        """A frame's columns (a Columns as it is)."""
        if isinstance(frame, Columns):
            return frame
        return cls({c: frame[c].to_numpy(dtype=object) if frame[c].dtype == object or isinstance(
            frame[c].dtype, pd.StringDtype) else frame[c].to_numpy() for c in frame.columns})

    @property
    def columns(self) -> list[str]:
        return list(self._cols)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, name: str) -> np.ndarray:
        return self._cols[name]

    def __contains__(self, name) -> bool:
        return name in self._cols

    def items(self):
        return self._cols.items()

    def assign(self, **cols) -> "Columns":
        return Columns({**self._cols, **cols})

    @staticmethod
    def concat(parts: list) -> "Columns":
        """Rows of ``parts`` (Columns with the same columns) one after another."""
        parts = [p if isinstance(p, Columns) else Columns.of(p) for p in parts]
        names = parts[0].columns
        return Columns({k: np.concatenate([p[k] for p in parts]) for k in names})

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self._cols)

    def to_dict(self, orient: str = "records") -> list[dict]:
        return self.to_frame().to_dict(orient=orient)

    def __repr__(self) -> str:
        return f"Columns({self._n} rows: {', '.join(self._cols)})"


def _has_text(values) -> bool:
    return any(isinstance(v, str) for v in values)


def long_frame(years, series: dict[str, np.ndarray], ref: int = 0) -> Columns:
    """Tidy year/series/value/ref rows from arrays, built in one go (charts are redrawn on every slider move); join
    several with :func:`concat`."""
    years = np.asarray(years)
    names = list(series)
    n = len(names) * len(years)
    labels = np.empty(n, dtype=object)
    for i, name in enumerate(names):
        labels[i * len(years):(i + 1) * len(years)] = name
    values = np.concatenate([np.asarray(v, dtype=float) for v in series.values()]) if names else np.zeros(0)
    return Columns({"year": np.tile(years, len(names)), "series": labels, "value": values,
                    "ref": np.full(n, ref, dtype=np.int64)})


def concat(parts: list) -> Columns:
    """The rows of ``parts`` (:func:`long_frame`'s, or frames with the same columns) one after another."""
    return Columns.concat(parts)


def group_columns(years, groups: list, sums: np.ndarray) -> Columns:
    """Sums per group and year (``Phasing.group_sums``: groups × years) as tidy year/group/value rows, zero cells
    dropped: the rows of a year × group table's ``melt`` (group by group, years in order), without a frame."""
    years = np.asarray(years)
    values = np.asarray(sums, dtype=float).reshape(len(groups), len(years)).ravel()  # group by group
    keep = values != 0
    labels = np.empty(len(groups), dtype=object)
    labels[:] = groups
    return Columns({"year": np.tile(years, len(groups))[keep], "group": labels.repeat(len(years))[keep],
                    "value": values[keep]})


def keep_largest(groups: list, sums: np.ndarray, n: int, others: str) -> tuple[list, np.ndarray]:
    """The ``n`` groups with the largest totals (largest first, ties in their order) and the rest summed as
    ``others``: what ``table[table.sum().nlargest(n).index].assign(others=rest.sum(axis=1))`` gives a year × group
    frame, for :func:`group_columns`' groups × years sums."""
    sums = np.asarray(sums, dtype=float)  # groups × years
    totals = sums.sum(axis=1)
    top = sorted(range(len(groups)), key=lambda i: -totals[i])[:n]
    rest = [i for i in range(len(groups)) if i not in top]
    kept = {groups[i]: sums[i] for i in top}
    if rest:
        kept[others] = sums[rest].sum(axis=0)
    return list(kept), np.array(list(kept.values())).reshape(len(kept), sums.shape[1])


def text_width(label: str) -> int:
    """Width of a label in half-width units (a CJK character counts two)."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in str(label))


def legend_columns(labels, wide: int = 26, most: int = 3) -> int:
    """As many legend columns as the longest label allows: long labels get one column each (never clipped)."""
    longest = max((text_width(x) for x in labels), default=0)
    return 1 if longest > wide else (2 if longest > wide // 2 else most)


def _data(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


def style(chart: alt.TopLevelMixin, height: int = 380, legend_columns: int = 3) -> alt.TopLevelMixin:
    """``chart`` (changed in place, and returned) with the app's height, fonts, ink and legend layout."""
    wrap_legends(chart, legend_columns)
    # Height and the whole config set on the chart itself (every caller passes a chart it has just made): Altair's
    # properties() and configure_*() copy a layered chart each, and a copy re-runs the layer's constructor, which
    # deep-copies every layer; those eight copies were half of building a chart's template. The spec is the same,
    # key for key and in the same order (tests/test_charts.py).
    chart.height = height
    chart.config = _config(legend_columns)
    return chart


def wrap_legends(chart: alt.TopLevelMixin, legend_columns: int) -> None:
    """Every legend of ``chart`` (in place) in at most ``legend_columns`` columns that fit its width, labels wrapped."""
    # A legend never runs past the drawing (the bottom legend starts at the plot's left edge and Vega does not wrap
    # labels). Its room: the chart's container width less the y axis (containerSize(), read when the container is
    # resized; Vega's plot `width` would lag a resize by one layout pass and leave the legend cut at the bottom), or
    # the plot width when rendered without a container (exports). Columns: at most `legend_columns`, as many as give
    # each the room its labels were sized for (builders pick 3 for short labels, 2 for medium ones); each label breaks
    # into lines of at most n characters of its column (CJK at the full font size, Latin at 0.6 of it; 44 px for the
    # symbol and the gaps).
    room = "(containerSize()[0] > 0 ? containerSize()[0] - 100 : width)"
    cols = f"min({legend_columns}, max(1, floor({room} / {({3: 150, 2: 270}).get(legend_columns, 10_000)})))"
    n = (f"max(6, floor(({room} / {cols} - 44) / "
         f"(test(regexp('[\\u2e80-\\uffef]'), datum.label) ? {FS} : {FS * 0.6:.1f})))")  # format-ok: chart geometry
    # a line ends at a space, else after at most n characters but never inside a number ("（5 / .1%" was cut so)
    wrap = (f"split(trim(replace(datum.label, regexp('(.{{1,' + {n} + '}})(\\\\s+|$)|(.{{1,' + {n} + '}})"
            "(?![0-9.,%）)])', 'g'), '$1$3\\n')), '\\n')")
    layers = chart["layer"] if "layer" in chart._kwds and chart["layer"] is not alt.Undefined else [chart]
    for unit in layers:
        enc = unit._kwds.get("encoding", alt.Undefined)
        for name in ("color", "fill", "stroke", "shape", "strokeDash", "size", "opacity"):
            channel = alt.Undefined if enc is alt.Undefined else enc._kwds.get(name, alt.Undefined)
            if not isinstance(channel, alt.SchemaBase) or all(
                    channel._kwds.get(k, alt.Undefined) is alt.Undefined for k in ("shorthand", "field")):
                continue  # no channel, or a value or condition: no legend
            legend = channel._kwds.get("legend", alt.Undefined)
            if legend is None:
                continue
            channel["legend"] = legend = alt.Legend() if legend is alt.Undefined else legend.copy(deep=False)
            for key, expr in (("labelExpr", wrap), ("columns", {"expr": cols})):
                if legend._kwds.get(key, alt.Undefined) is alt.Undefined:
                    legend[key] = expr


def _config(legend_columns: int) -> alt.Config:
    """The charts' look: fonts, ink and sizes for a projector (see :func:`style`)."""
    return alt.Config(
        font=FONT,
        axis=alt.AxisConfig(labelFontSize=FS, titleFontSize=FS + 1, labelFont=FONT, titleFont=FONT, grid=True,
                            gridOpacity=0.4, labelColor=INK, titleColor=INK, domainColor=AXIS_LINE,
                            tickColor=AXIS_LINE),
        legend=alt.LegendConfig(labelFontSize=FS, titleFontSize=FS, labelFont=FONT, titleFont=FONT, orient="bottom",
                                columns=legend_columns, labelLimit=0, symbolSize=180, symbolStrokeWidth=3,
                                labelColor=INK, titleColor=INK, symbolOpacity=1),
        title=alt.TitleConfig(fontSize=FS + 3, font=FONT, anchor="start", color=INK, subtitleColor=INK),
        text=alt.MarkConfig(color=INK),
        # Marks stay out of the accessibility tree (Vega would give an empty layer, e.g. no actuals yet, an
        # unlabelled graphics-symbol role: axe's svg-img-alt); axes and legend keep their spoken descriptions,
        # and every number drawn is also in the page's metrics and tables.
        mark=alt.MarkConfig(aria=False),
        view=alt.ViewConfig(strokeWidth=0))


# reference paths (trend, plan paths): greys and dash patterns that tell each other apart in the lines and the legend
REF_COLORS = ["#6b6b6b", "#1f1f1f", "#7a5c3a"]
REF_DASHES = [[8, 4], [3, 3], [12, 4, 2, 4], [2, 6], [16, 6]]  # with the 3 greys: 15 distinct (colour, dash) pairs


def ref_styles(n: int) -> tuple[list[str], list[list[int]]]:
    """Colours and dashes of ``n`` reference paths, each pair distinct from the others' (up to 15) and never a
    series' solid line: a ``range`` shorter than its domain would make Vega cycle back to the series' colours."""
    return ([REF_COLORS[i % len(REF_COLORS)] for i in range(n)], [REF_DASHES[i % len(REF_DASHES)] for i in range(n)])


def label_plot_px(height: int) -> int:
    """The plot height the target labels are spaced for: a narrow column's legend takes more rows than the chart
    budgets, squeezing the plot (to about 195 px on the output page at 1280 px), so no more than 190 px is assumed."""
    return min(max(height - 60, 120), 190)


def target_label_rows(targets, values, height: int):
    """Where each target's label sits (``ly``, in the data's units): the highest target of a year above its marker,
    the others below theirs, each at least a line of text below the one above it, so close targets (450 and 380)
    never print over each other. Pixels are estimated from the values' span over the plot's height
    (:func:`label_plot_px`). ``targets``: a frame or :class:`Columns` (year, value, label), given back with ``ly``."""
    if not len(targets):
        return targets.assign(ly=pd.Series(dtype=float) if isinstance(targets, pd.DataFrame) else np.zeros(0))
    return targets.assign(ly=_label_ys(np.asarray(targets["year"]), np.asarray(targets["value"], dtype=float),
                                       np.asarray(values, dtype=float), height))


def _label_ys(years: np.ndarray, tv: np.ndarray, values: np.ndarray, height: int) -> np.ndarray:
    """:func:`target_label_rows`' ``ly`` from arrays: the span of the values and the targets, each without its NaN
    (as a Series' min and max), then Python's min and max of the two."""
    v, t = values[~np.isnan(values)], tv[~np.isnan(tv)]
    nan = float("nan")
    lo = float(min(v.min() if len(v) else nan, t.min() if len(t) else nan))
    hi = float(max(v.max() if len(v) else nan, t.max() if len(t) else nan))
    per_px = (hi - lo or abs(hi) or 1.0) / label_plot_px(height)
    # arrays, not a groupby and a Series written cell by cell (2 ms of a new slider value on the output page)
    ly = np.zeros(len(tv))
    for year in dict.fromkeys(years.tolist()):
        if year != year:  # a year that is NaN: in no group (as groupby drops it)
            continue
        at = np.flatnonzero(years == year)
        prev = None
        for i, k in enumerate(at[_descending(tv[at])]):
            want = tv[k] + 16 * per_px if i == 0 else tv[k] - 20 * per_px
            if prev is not None:
                want = min(want, prev - (FS + 3) * per_px)
            ly[k] = prev = want
    return ly


def _descending(v: np.ndarray) -> np.ndarray:
    """The positions of ``v`` from largest to smallest, NaN last, ties as pandas' ``sort_values(ascending=False)``
    orders them (its ``nargsort``: the reversed values sorted ascending, the order reversed back)."""
    pos = np.arange(len(v))
    nan = np.isnan(v)
    kept, at = v[~nan][::-1], pos[~nan][::-1]
    return np.concatenate([at[kept.argsort(kind="quicksort")][::-1], pos[nan]])


def _scale(domain: list[str], colors: list[str] | None = None) -> alt.Scale:
    return alt.Scale(domain=domain, range=(colors or PALETTE)[: max(1, len(domain))])


def trajectory(paths: pd.DataFrame, targets: pd.DataFrame, *, x_title: str, y_title: str,
               series_title: str, projected_label: str, height: int = 420) -> dict:
    """Output paths with reference paths and target markers, one legend.

    paths: year, series, value, ref — ref 0: solid with points (projected years sit on a shaded band);
    ref 1: dashed grey reference paths; ref 2: outcomes (actuals), dotted with square markers.
    targets: year, value, label.
    """
    refs, names, years = (np.asarray(paths[c]) for c in ("ref", "series", "year"))  # arrays: no Series per mask
    is_ref = refs == 1
    series = tuple(dict.fromkeys(names[refs == 0].tolist()))
    act_series = tuple(dict.fromkeys(names[refs == 2].tolist()))
    ref_series = tuple(dict.fromkeys(names[is_ref].tolist()))
    drawn = years[~is_ref]
    first, last = int(drawn.min()), int(drawn.max())
    proj_first = int(years[refs == 0].min())
    tgt = target_label_rows(Columns.of(targets), paths["value"], height)

    def build():
        domain = list(series + act_series + ref_series)
        ref_colors, ref_dashes = ref_styles(len(ref_series))
        colors = PALETTE[: len(series)] + ["#000000", "#8B4513"][: len(act_series)] + ref_colors
        dashes = [[1, 0]] * len(series) + [[2, 3]] * len(act_series) + ref_dashes
        color = alt.Color("series:N", title=series_title, scale=alt.Scale(domain=domain, range=colors), sort=domain,
                          legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=3))
        # the dash pattern is the series' own, so the (merged) legend draws each symbol as its line: dashed as dashes
        dash = alt.StrokeDash("series:N", title=series_title, scale=alt.Scale(domain=domain, range=dashes),
                              sort=domain)
        xscale = alt.Scale(domain=[first - 0.2, last + 0.4], nice=False, zero=False)
        x = alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1), scale=xscale)
        y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
        tooltip = [alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:Q", title=x_title, format="d"),
                   alt.Tooltip("value:Q", title=y_title, format=",.1f")]
        band_df = pd.DataFrame({"a": [proj_first + 0.5], "b": [last + 0.4], "t": [projected_label]})
        band = alt.Chart(band_df).mark_rect(color="#eef3f8").encode(x=alt.X("a:Q", scale=xscale), x2=alt.X2("b:Q"))
        band_text = alt.Chart(band_df).mark_text(align="left", baseline="top", dx=6, dy=6, fontSize=FS,
                                                 color=GREY).encode(x=alt.X("a:Q", scale=xscale), text=alt.Text("t:N"),
                                                                    y=alt.YValue(0))
        path = alt.Chart(_data("paths")).mark_line(strokeWidth=3).encode(
            x=x, y=y, color=color, detail=alt.Detail("series:N"), tooltip=tooltip, strokeDash=dash,
            strokeWidth=alt.StrokeWidthValue(**alt.condition(alt.datum.ref == 1, alt.value(2), alt.value(3.5))))
        marker = color.copy(deep=False)
        marker["legend"] = None  # the points repeat the lines' colours: the lines' legend says it
        pts = alt.Chart(_data("paths")).transform_filter(alt.datum.ref == 0).mark_point(
            filled=True, size=80).encode(x=x, y=y, color=marker, tooltip=tooltip)
        act = alt.Chart(_data("paths")).transform_filter(alt.datum.ref == 2).mark_point(
            filled=True, size=110, shape="square").encode(x=x, y=y, color=marker, tooltip=tooltip)
        layers = [band, band_text, path, pts, act]
        if len(tgt):
            marks = alt.Chart(_data("targets"))
            layers.append(marks.mark_point(shape="diamond", size=300, filled=False, strokeWidth=3,
                                           color="#D55E00").encode(
                x=x, y=y, tooltip=[alt.Tooltip("label:N", title=series_title),
                                   alt.Tooltip("value:Q", format=",.0f", title=y_title)]))
            # each label where target_label_rows puts it (apart from the others), with a halo over the lines
            text = dict(align="right", baseline="middle", dx=-14, fontSize=FS, fontWeight="bold")
            ly = alt.Y("ly:Q", title=y_title, scale=alt.Scale(zero=False))
            layers.append(marks.mark_text(stroke="white", strokeWidth=5, strokeJoin="round", **text).encode(
                x=x, y=ly, text=alt.Text("label:N")))
            layers.append(marks.mark_text(color=TARGET_TEXT, **text).encode(x=x, y=ly, text=alt.Text("label:N")))
        names = series + act_series + ref_series
        cols = legend_columns(names)
        # the legend sits below the plot inside the chart's height: add its rows so the plot keeps its height
        return style(alt.layer(*layers), height + 26 * -(-len(names) // cols), legend_columns=cols)

    key = ("trajectory", series, act_series, ref_series, first, last, proj_first, bool(len(tgt)), x_title, y_title, series_title,
           projected_label, height)
    return _render(key, build, paths=paths, targets=tgt)


def group_order(groups: pd.Series, domain: tuple) -> np.ndarray | pd.Series:
    """Each group's place in ``domain`` (NaN for one not in it): ``groups.map`` of a {group: place} dict, from a list
    (two stacked charts a move on the phasing page). No rows: pandas' own map, which keeps the column's dtype (an
    empty array cannot say it)."""
    place = {g: i for i, g in enumerate(domain)}
    if len(groups) or not isinstance(groups, pd.Series):
        return np.array([place.get(g, np.nan) for g in groups.tolist()], dtype=None if len(groups) else float)
    return groups.map(place)


def stacked_bars(df: pd.DataFrame, *, group_title: str, x_title: str, y_title: str, order: list[str] | None = None,
                 highlight: str | None = None, height: int = 380, legend_columns: int = 3) -> dict:
    """Bars per year stacked by ``group``; ``highlight`` gets a black outline and full opacity."""
    domain = tuple(order or dict.fromkeys(df["group"].tolist()))
    data = df.assign(group_order=group_order(df["group"], domain))

    def build():
        enc = dict(
            x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(value):Q", title=y_title),
            color=alt.Color("group:N", title=group_title, scale=_scale(list(domain)), sort=list(domain)),
            order=alt.Order("group_order:Q"),
            tooltip=[alt.Tooltip("group:N", title=group_title), alt.Tooltip("year:O", title=x_title),
                     alt.Tooltip("sum(value):Q", title=y_title, format=",.2f")],
        )
        if highlight is not None:  # an outline, not transparency: the legend's swatches stay the bars' colours
            enc["stroke"] = alt.StrokeValue(**alt.condition(alt.datum.group == highlight, alt.value("#000000"),
                                                           alt.value(None)))
            enc["strokeWidth"] = alt.StrokeWidthValue(**alt.condition(alt.datum.group == highlight, alt.value(2.5),
                                                                     alt.value(0)))
        chart = alt.Chart(_data("bars")).mark_bar().encode(**enc)
        totals = alt.Chart(_data("bars")).mark_text(dy=-8, fontSize=FS - 1, color=GREY).encode(
            x=alt.X("year:O"), y=alt.Y("sum(value):Q"), text=alt.Text("sum(value):Q", format=",.1f"))
        return style(alt.layer(chart, totals), height, legend_columns)

    key = ("stacked", domain, group_title, x_title, y_title, highlight, height, legend_columns)
    return _render(key, build, bars=data)


def lines(df: pd.DataFrame, *, series_title: str, x_title: str, y_title: str, dashed: str | None = None,
          height: int = 360) -> dict:
    """Simple multi-series lines (year, series, value); ``dashed`` series drawn dashed."""
    domain = tuple(dict.fromkeys(df["series"]))

    def build():
        enc = dict(
            x=alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("series:N", title=series_title, scale=_scale(list(domain)), sort=list(domain)),
            tooltip=[alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:O", title=x_title),
                     alt.Tooltip("value:Q", title=y_title, format=",.2f")],
        )
        if dashed is not None:  # the legend draws each series as its line: the dashed one with dashes
            enc["color"]["legend"] = alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=3)
            enc["strokeDash"] = alt.StrokeDash("series:N", title=series_title, sort=list(domain), scale=alt.Scale(
                domain=list(domain), range=[[6, 4] if d == dashed else [1, 0] for d in domain]))
        mark = alt.Chart(_data("lines")).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3)
        return style(mark.encode(**enc), height)

    key = ("lines", domain, series_title, x_title, y_title, dashed, height)
    return _render(key, build, lines=df)


def gantt(df: pd.DataFrame, *, area_title: str, x_title: str, project_title: str, start_title: str,
          end_title: str, period: tuple[int, int], height: int | None = None) -> dict:
    """Build periods: label, start, end, area (columns), one bar per project; ``period`` (first, last year) is
    shaded: the plan period."""
    d = df.assign(end_excl=df["end"] + 1)
    labels = tuple(d["label"])
    areas = tuple(dict.fromkeys(d["area"]))
    span = (int(d["start"].min()), int(d["end_excl"].max())) if len(d) else (period[0], period[1] + 1)
    h = height or max(300, 26 * len(d) + 60)

    def build():
        xscale = alt.Scale(domain=list(span), nice=False, zero=False)
        chart = alt.Chart(_data("bars")).mark_bar(height=16, cornerRadius=2).encode(
            x=alt.X("start:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1), scale=xscale),
            x2=alt.X2("end_excl:Q"),
            y=alt.Y("label:N", title=None, sort=list(labels),
                    axis=alt.Axis(labelLimit=label_limit(420), labelFontSize=FS - 1, labelOverlap=False)),
            color=alt.Color("area:N", title=area_title, scale=_scale(list(areas))),
            tooltip=[alt.Tooltip("label:N", title=project_title), alt.Tooltip("area:N", title=area_title),
                     alt.Tooltip("start:Q", title=start_title, format="d"),
                     alt.Tooltip("end:Q", title=end_title, format="d")],
        )
        fyp = alt.Chart(pd.DataFrame({"a": [period[0]], "b": [period[1] + 1]})).mark_rect(color="#eef3f8").encode(
            x=alt.X("a:Q", scale=xscale), x2=alt.X2("b:Q"))
        return style(alt.layer(fyp, chart), h)

    key = ("gantt", labels, areas, span, tuple(period), area_title, x_title, project_title, start_title, end_title, h)
    return _render(key, build, bars=d)


def diff_bars(df: pd.DataFrame, *, x_title: str, y_title: str, height: int = 300) -> dict:
    """year, value (difference): bars with their values written on them (sign never by colour alone)."""

    def build():
        bars = alt.Chart(_data("diff")).mark_bar().encode(
            x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=y_title),
            color=alt.ColorValue(**alt.condition(alt.datum.value >= 0, alt.value("#0072B2"), alt.value("#D55E00"))),
            tooltip=[alt.Tooltip("year:O", title=x_title), alt.Tooltip("value:Q", title=y_title, format="+,.2f")])
        text = alt.Chart(_data("diff")).mark_text(dy=-8, fontSize=FS - 1).encode(
            x=alt.X("year:O"), y=alt.Y("value:Q"), text=alt.Text("value:Q", format="+,.1f"))
        return style(alt.layer(bars, text), height)

    return _render(("diff", x_title, y_title, height), build, diff=df)


def fan(bands: pd.DataFrame, points: pd.DataFrame, *, x_title: str, y_title: str, series_title: str,
        outer_label: str, inner_label: str, median_label: str, height: int = 380) -> dict:
    """Monte Carlo fan: bands (year, p10, p25, p50, p75, p90), plus labelled points (year, value, series)."""
    point_series = tuple(dict.fromkeys(points["series"])) if len(points) else ()
    first, last = int(bands["year"].min()), int(bands["year"].max())
    shapes = ["diamond", "square", "triangle-up", "cross", "circle"]

    def build():
        xscale = alt.Scale(domain=[first - 0.2, last + 0.4], nice=False, zero=False)
        x = alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1), scale=xscale)
        # one legend for bands and markers: every layer colours by a field called "band"
        domain = [outer_label, inner_label, median_label] + list(point_series)
        colors = ["#c6dbef", "#6baed6", "#08519c"] + ["#D55E00", "#000000", "#CC79A7", "#009E73", "#E69F00"][
            : len(point_series)]
        color = alt.Color("band:N", title=series_title, scale=alt.Scale(domain=domain, range=colors), sort=domain)
        tip = [alt.Tooltip("year:Q", format="d", title=x_title)] + [
            alt.Tooltip(f"{q}:Q", format=",.1f", title=f"{q.upper()} ({y_title})") for q in
            ("p10", "p25", "p50", "p75", "p90")]
        outer = alt.Chart(_data("bands")).transform_calculate(band=f"'{outer_label}'").mark_area(opacity=0.8).encode(
            x=x, y=alt.Y("p10:Q", title=y_title, scale=alt.Scale(zero=False)), y2=alt.Y2("p90:Q"), color=color,
            tooltip=tip)
        inner = alt.Chart(_data("bands")).transform_calculate(band=f"'{inner_label}'").mark_area(opacity=0.8).encode(
            x=x, y=alt.Y("p25:Q"), y2=alt.Y2("p75:Q"), color=color, tooltip=tip)
        median = alt.Chart(_data("bands")).transform_calculate(band=f"'{median_label}'").mark_line(
            strokeWidth=3).encode(x=x, y=alt.Y("p50:Q"), color=color, tooltip=tip)
        layers = [outer, inner, median]
        if point_series:
            layers.append(alt.Chart(_data("points")).transform_calculate(band="datum.series").mark_point(
                size=220, filled=True, strokeWidth=2).encode(
                x=x, y=alt.Y("value:Q"), color=color,
                shape=alt.Shape("series:N", legend=None, scale=alt.Scale(domain=list(point_series),
                                                                        range=shapes[: len(point_series)])),
                tooltip=[alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:Q", format="d"),
                         alt.Tooltip("value:Q", format=",.1f", title=y_title)]))
        return style(alt.layer(*layers), height, legend_columns=3)

    key = ("fan", point_series, first, last, x_title, y_title, series_title, outer_label, inner_label, median_label,
           height)
    return _render(key, build, bands=bands, points=points)


def tornado(df: pd.DataFrame, *, x_title: str, low_label: str, high_label: str, base: float,
            height: int = 260) -> dict:
    """Horizontal bars from the base value to the low and high outcome (label, low, high), ranked top-down."""
    labels = tuple(df["label"])
    long = pd.concat([pd.DataFrame({"label": df["label"], "case": low_label, "value": df["low"]}),
                      pd.DataFrame({"label": df["label"], "case": high_label, "value": df["high"]})],
                     ignore_index=True).assign(base=base)

    def build():
        y = alt.Y("label:N", title=None, sort=list(labels), axis=alt.Axis(labelLimit=label_limit(400)))
        bars = alt.Chart(_data("bars")).mark_bar(height=22).encode(
            y=y, x=alt.X("value:Q", title=x_title, scale=alt.Scale(zero=False)), x2=alt.X2("base:Q"),
            color=alt.Color("case:N", title=None, scale=alt.Scale(domain=[low_label, high_label],
                                                                 range=["#D55E00", "#0072B2"])),
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("case:N"),
                     alt.Tooltip("value:Q", format=",.1f", title=x_title)])
        text = alt.Chart(_data("bars")).mark_text(fontSize=FS - 1, dx=4, align="left").encode(
            y=y, x=alt.X("value:Q"), text=alt.Text("value:Q", format=",.0f"))
        return style(alt.layer(bars, text), height, legend_columns=2)

    return _render(("tornado", labels, x_title, low_label, high_label, height), build, bars=long)


def bars_and_rule(df: pd.DataFrame, rule_value: float, *, x_title: str, y_title: str, bar_label: str,
                  rule_label: str, height: int = 320) -> dict:
    """Bars per year (year, value) against a horizontal reference (e.g. the gap to a target)."""

    def build():
        color = alt.Color("what:N", title=None, scale=alt.Scale(domain=[bar_label, rule_label],
                                                                range=["#009E73", "#D55E00"]))
        bars = alt.Chart(_data("bars")).transform_calculate(what=f"'{bar_label}'").mark_bar().encode(
            x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=y_title),
            color=color, tooltip=[alt.Tooltip("year:O"), alt.Tooltip("value:Q", format=",.1f", title=y_title)])
        text = alt.Chart(_data("bars")).mark_text(dy=-8, fontSize=FS - 1).encode(
            x=alt.X("year:O"), y=alt.Y("value:Q"), text=alt.Text("value:Q", format=",.0f"))
        rule = alt.Chart(_data("rule")).transform_calculate(what=f"'{rule_label}'").mark_rule(
            strokeWidth=3, strokeDash=[6, 4]).encode(y=alt.Y("value:Q"), color=color,
                                                     tooltip=[alt.Tooltip("value:Q", format=",.1f")])
        return style(alt.layer(bars, text, rule), height, legend_columns=2)

    return _render(("bars_rule", x_title, y_title, bar_label, rule_label, height), build, bars=df,
                   rule=pd.DataFrame({"value": [rule_value]}))


# -- export for slides (vl-convert: rendered on the server, offline, Chinese included) ---------------

_FONTS_REGISTERED = False
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts")


def standalone(spec: dict, width: int = 900) -> dict:
    """A self-contained copy of a spec: datasets as plain records and a fixed width (no container to stretch)."""
    out = copy.deepcopy(spec)
    out["datasets"] = {k: (v.to_dict(orient="records") if isinstance(v, (pd.DataFrame, Columns)) else v)
                       for k, v in out.get("datasets", {}).items()}
    out.setdefault("width", width)
    return out


def _fonts() -> None:
    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        import os

        import vl_convert as vlc

        for d in FONT_DIRS:
            if os.path.isdir(d):
                vlc.register_font_directory(d)
                break
        _FONTS_REGISTERED = True


def to_svg(spec: dict) -> bytes:
    import vl_convert as vlc

    _fonts()
    return vlc.vegalite_to_svg(standalone(spec)).encode("utf-8")


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    _fonts()
    return vlc.vegalite_to_png(standalone(spec), scale=scale)


def _two_line_rows(df):
    """A row key per bar: its label and its text on two lines (an axis measures its labels, so none is cut)."""
    return df.assign(row=[f"{a}\n{b}" for a, b in zip(df["label"], df["text"])], order=np.arange(len(df)))


def _row_axis() -> alt.Y:
    return alt.Y("row:N", title=None, sort=alt.EncodingSortField(field="order", op="min"),
                 axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=label_limit(460, 175),
                               labelFontSize=FS, labelLineHeight=FS + 5, labelOverlap=False, labelPadding=8))


def bullet(df: pd.DataFrame, *, x_title: str, label_title: str, status_title: str, statuses: list[str],
           colors: list[str], band: tuple[float, float], height: int | None = None) -> dict:
    """Completion of targets as a bullet chart: one bar per target from 0 to its completion (%), a vertical rule at
    100 % (the target) and a light band over ``band`` (e.g. the 基本完成 range, 90–100 %).

    df: label, value (completion %), status (translated word), text (the figure and the status word, written under
    the label on the axis, so no reading depends on colour and no legend is needed). ``statuses`` / ``colors``: the
    status words and their colours. Bars longer than the axis stop at its end (their text gives the figure).
    """
    df = Columns.of(df)
    values = np.asarray(df["value"], dtype=float)
    top = float(np.nanmax(values)) if len(df) and (~np.isnan(values)).any() else 100.0
    axis_max = float(min(max(120.0, np.ceil(top / 20) * 20), 300.0))
    data = _two_line_rows(df).assign(shown=np.clip(values, 0, axis_max))
    h = height or 50 * len(df) + 70

    def build():
        xscale = alt.Scale(domain=[0, axis_max], nice=False, clamp=True)
        step = 20 if axis_max <= 160 else 50
        x = alt.X("shown:Q", title=x_title, scale=xscale,
                  axis=alt.Axis(values=list(range(0, int(axis_max) + 1, step)), format="d"))
        bands = alt.Chart(_data("bands")).mark_rect(color="#e3e3e3").encode(
            x=alt.X("a:Q", scale=xscale), x2=alt.X2("b:Q"))
        rule = alt.Chart(_data("bands")).mark_rule(color=INK, strokeWidth=2.5).encode(
            x=alt.X("target:Q", scale=xscale))
        tooltip = [alt.Tooltip("label:N", title=label_title), alt.Tooltip("value:Q", title=x_title, format=",.1f"),
                   alt.Tooltip("status:N", title=status_title)]
        bars = alt.Chart(_data("bars")).mark_bar(height={"band": 0.5}).encode(
            x=x, y=_row_axis(), color=alt.Color("status:N", legend=None,
                                                scale=alt.Scale(domain=list(statuses), range=list(colors))),
            tooltip=tooltip)
        return style(alt.layer(bands, rule, bars), h)

    key = ("bullet", len(df), tuple(statuses), tuple(colors), x_title, label_title, status_title, axis_max, h)
    return _render(key, build, bars=data,
                   bands=pd.DataFrame({"a": [float(band[0])], "b": [float(band[1])], "target": [100.0]}))


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round tick values 0, step, 2·step … up to ``top`` (step 1, 2 or 5 × 10^k; at most ``most`` + 1 ticks)."""
    if not top > 0:
        return [0.0]
    raw = top / most
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [float(v) for v in np.arange(0, top + step * 1e-9, step)]


def plan_vs_actual(df: pd.DataFrame, *, x_title: str, planned_label: str, actual_label: str,
                   height: int | None = None) -> dict:
    """Planned against actual per group, bullet style: a wide light bar for the plan, a narrow dark bar for what was
    done inside it; each group's figures written under its name on the axis.

    df: label, planned, actual (NaN = nothing reported), text (e.g. "5.5 / 364.95 (1.5%)").
    """
    top = float(np.nanmax(np.r_[df["planned"].to_numpy(dtype=float), df["actual"].to_numpy(dtype=float), 0.0])) or 1.0
    data = _two_line_rows(df).assign(actual=df["actual"].astype(float).fillna(0.0).to_numpy())
    h = height or 52 * len(df) + 120

    def build():
        xscale = alt.Scale(domain=[0, top], nice=True)
        quote = lambda v: "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"  # noqa: E731 - a Vega string
        color = alt.Color("what:N", title=None, scale=alt.Scale(domain=[planned_label, actual_label],
                                                                range=["#9ecae1", "#08519c"]))
        tip = [alt.Tooltip("label:N", title=x_title), alt.Tooltip("planned:Q", title=planned_label, format=",.2f"),
               alt.Tooltip("actual:Q", title=actual_label, format=",.2f")]
        plan = alt.Chart(_data("rows")).transform_calculate(what=quote(planned_label)).mark_bar(
            height={"band": 0.62}).encode(
            x=alt.X("planned:Q", title=x_title, scale=xscale, axis=alt.Axis(format=",.0f", tickCount=5)),
            y=_row_axis(), color=color, tooltip=tip)
        done = alt.Chart(_data("rows")).transform_calculate(what=quote(actual_label)).mark_bar(
            height={"band": 0.26}).encode(x=alt.X("actual:Q", scale=xscale), y=_row_axis(), color=color,
                                          tooltip=tip)
        return style(alt.layer(plan, done), h, legend_columns=2)

    key = ("plan_vs_actual", len(df), x_title, planned_label, actual_label, round(top, 9), h)
    return _render(key, build, rows=data)

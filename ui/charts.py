"""Altair chart builders: projector-sized text, CJK fonts, Okabe–Ito colours, units in every title.

Builders take tidy DataFrames whose labels are already translated; they never compute model results.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#6b6b6b"
FS = 15  # ≥ 14 px so a projector reads it


def style(chart: alt.TopLevelMixin, height: int = 380, legend_columns: int = 3) -> alt.TopLevelMixin:
    return (chart.properties(height=height)
            .configure(font=FONT)
            .configure_axis(labelFontSize=FS, titleFontSize=FS + 1, labelFont=FONT, titleFont=FONT, grid=True,
                            gridOpacity=0.4)
            .configure_legend(labelFontSize=FS, titleFontSize=FS, labelFont=FONT, titleFont=FONT, orient="bottom",
                              columns=legend_columns, labelLimit=420, symbolSize=180, symbolStrokeWidth=3)
            .configure_title(fontSize=FS + 3, font=FONT, anchor="start")
            .configure_view(strokeWidth=0))


def _scale(domain: list[str], colors: list[str] | None = None) -> alt.Scale:
    return alt.Scale(domain=domain, range=(colors or PALETTE)[: max(1, len(domain))])


def trajectory(lines: pd.DataFrame, refs: pd.DataFrame, targets: pd.DataFrame, *, x_title: str, y_title: str,
               series_title: str, projected_label: str, height: int = 420) -> alt.TopLevelMixin:
    """Output paths with reference paths and target markers, one legend.

    lines: year, series, value — solid with points (projected years sit on a shaded band).
    refs: year, series, value — dashed grey reference paths.  targets: year, value, label.
    """
    series = list(dict.fromkeys(lines["series"]))
    ref_series = list(dict.fromkeys(refs["series"])) if len(refs) else []
    first, last = int(lines["year"].min()), int(lines["year"].max())
    domain = series + ref_series
    colors = PALETTE[: len(series)] + ["#7a7a7a", "#2b2b2b", "#a0a0a0"][: len(ref_series)]
    color = alt.Color("series:N", title=series_title, scale=alt.Scale(domain=domain, range=colors), sort=domain)
    xscale = alt.Scale(domain=[first - 0.2, last + 0.4], nice=False, zero=False)
    x = alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1), scale=xscale)
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:Q", title=x_title, format="d"),
               alt.Tooltip("value:Q", title=y_title, format=",.1f")]
    band_df = pd.DataFrame({"a": [first + 0.5], "b": [last + 0.4], "t": [projected_label]})
    band = alt.Chart(band_df).mark_rect(color="#eef3f8").encode(x=alt.X("a:Q", scale=xscale), x2="b:Q")
    band_text = alt.Chart(band_df).mark_text(align="left", baseline="top", dx=6, dy=6, fontSize=FS,
                                             color=GREY).encode(x=alt.X("a:Q", scale=xscale), text="t:N",
                                                                y=alt.value(0))
    both = pd.concat([lines.assign(ref=0), refs.assign(ref=1)], ignore_index=True)
    path = alt.Chart(both).mark_line(strokeWidth=3).encode(
        x=x, y=y, color=color, detail="series:N", tooltip=tooltip,
        strokeDash=alt.condition(alt.datum.ref == 1, alt.value([7, 5]), alt.value([1, 0])),
        strokeWidth=alt.condition(alt.datum.ref == 1, alt.value(2), alt.value(3.5)))
    pts = alt.Chart(lines).mark_point(filled=True, size=80).encode(x=x, y=y, color=color, tooltip=tooltip)
    layers = [band, band_text, path, pts]
    if len(targets):
        tgt = alt.Chart(targets)
        layers.append(tgt.mark_point(shape="diamond", size=300, filled=False, strokeWidth=3, color="#D55E00").encode(
            x=x, y=y, tooltip=[alt.Tooltip("label:N", title=series_title),
                               alt.Tooltip("value:Q", format=",.0f", title=y_title)]))
        # the higher target's label above its marker, the lower one's below, so they never sit on a line
        top = float(targets["value"].max())
        for above in (True, False):
            part = tgt.transform_filter((alt.datum.value >= top) if above else (alt.datum.value < top))
            text = dict(align="right", dx=-14, dy=-14 if above else 22, fontSize=FS, fontWeight="bold")
            layers.append(part.mark_text(stroke="white", strokeWidth=5, strokeJoin="round", **text).encode(
                x=x, y=y, text="label:N"))  # a halo keeps the label legible over the lines
            layers.append(part.mark_text(color="#D55E00", **text).encode(x=x, y=y, text="label:N"))
    return style(alt.layer(*layers), height, legend_columns=2)


def stacked_bars(df: pd.DataFrame, *, group_title: str, x_title: str, y_title: str, order: list[str] | None = None,
                 highlight: str | None = None, height: int = 380, legend_columns: int = 3) -> alt.TopLevelMixin:
    """Bars per year stacked by ``group``; ``highlight`` gets a black outline and full opacity."""
    domain = order or list(dict.fromkeys(df["group"]))
    enc = dict(
        x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(value):Q", title=y_title),
        color=alt.Color("group:N", title=group_title, scale=_scale(domain), sort=domain),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("group:N", title=group_title), alt.Tooltip("year:O", title=x_title),
                 alt.Tooltip("sum(value):Q", title=y_title, format=",.2f")],
    )
    df = df.assign(group_order=df["group"].map({g: i for i, g in enumerate(domain)}))
    if highlight is not None:
        enc["opacity"] = alt.condition(alt.datum.group == highlight, alt.value(1.0), alt.value(0.55))
        enc["stroke"] = alt.condition(alt.datum.group == highlight, alt.value("#000000"), alt.value(None))
        enc["strokeWidth"] = alt.condition(alt.datum.group == highlight, alt.value(2), alt.value(0))
    chart = alt.Chart(df).mark_bar().encode(**enc)
    totals = alt.Chart(df).mark_text(dy=-8, fontSize=FS - 1, color=GREY).encode(
        x=alt.X("year:O"), y=alt.Y("sum(value):Q"), text=alt.Text("sum(value):Q", format=",.1f"))
    return style(alt.layer(chart, totals), height, legend_columns)


def lines(df: pd.DataFrame, *, series_title: str, x_title: str, y_title: str, dashed: str | None = None,
          height: int = 360) -> alt.TopLevelMixin:
    """Simple multi-series lines (year, series, value); ``dashed`` series drawn dashed."""
    domain = list(dict.fromkeys(df["series"]))
    enc = dict(
        x=alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=series_title, scale=_scale(domain), sort=domain),
        tooltip=[alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:O", title=x_title),
                 alt.Tooltip("value:Q", title=y_title, format=",.2f")],
    )
    if dashed is not None:
        enc["strokeDash"] = alt.condition(alt.datum.series == dashed, alt.value([6, 4]), alt.value([1, 0]))
    return style(alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3).encode(**enc),
                 height)


def gantt(df: pd.DataFrame, *, area_title: str, x_title: str, project_title: str, start_title: str,
          end_title: str, height: int | None = None) -> alt.TopLevelMixin:
    """Build periods: label, start, end, area (columns), one bar per project."""
    domain = list(dict.fromkeys(df["area"]))
    d = df.assign(end_excl=df["end"] + 1)
    xscale = alt.Scale(domain=[int(d["start"].min()), int(d["end_excl"].max())], nice=False, zero=False)
    chart = alt.Chart(d).mark_bar(height=16, cornerRadius=2).encode(
        x=alt.X("start:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1), scale=xscale),
        x2="end_excl:Q",
        y=alt.Y("label:N", title=None, sort=list(d["label"]),
                axis=alt.Axis(labelLimit=640, labelFontSize=FS - 1, labelOverlap=False)),
        color=alt.Color("area:N", title=area_title, scale=_scale(domain)),
        tooltip=[alt.Tooltip("label:N", title=project_title), alt.Tooltip("area:N", title=area_title),
                 alt.Tooltip("start:Q", title=start_title, format="d"), alt.Tooltip("end:Q", title=end_title,
                                                                                  format="d")],
    )
    fyp = alt.Chart(pd.DataFrame({"a": [2021], "b": [2026]})).mark_rect(color="#eef3f8").encode(
        x=alt.X("a:Q", scale=xscale), x2="b:Q")
    return style(alt.layer(fyp, chart), height or max(300, 26 * len(d) + 60))


def diff_bars(df: pd.DataFrame, *, x_title: str, y_title: str, height: int = 300) -> alt.TopLevelMixin:
    """year, value (difference): bars with their values written on them (sign never by colour alone)."""
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=y_title),
        color=alt.condition(alt.datum.value >= 0, alt.value("#0072B2"), alt.value("#D55E00")),
        tooltip=[alt.Tooltip("year:O", title=x_title), alt.Tooltip("value:Q", title=y_title, format="+,.2f")])
    text = alt.Chart(df).mark_text(dy=-8, fontSize=FS - 1).encode(
        x="year:O", y="value:Q", text=alt.Text("value:Q", format="+,.1f"))
    return style(alt.layer(bars, text), height)

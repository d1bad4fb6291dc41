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


def style(chart: alt.TopLevelMixin, height: int = 380) -> alt.TopLevelMixin:
    return (chart.properties(height=height)
            .configure(font=FONT)
            .configure_axis(labelFontSize=FS, titleFontSize=FS + 1, labelFont=FONT, titleFont=FONT, grid=True,
                            gridOpacity=0.4)
            .configure_legend(labelFontSize=FS, titleFontSize=FS, labelFont=FONT, titleFont=FONT, orient="bottom",
                              columns=4, labelLimit=360, symbolSize=160)
            .configure_title(fontSize=FS + 3, font=FONT, anchor="start")
            .configure_view(strokeWidth=0))


def _scale(domain: list[str], colors: list[str] | None = None) -> alt.Scale:
    return alt.Scale(domain=domain, range=(colors or PALETTE)[: max(1, len(domain))])


def trajectory(lines: pd.DataFrame, refs: pd.DataFrame, targets: pd.DataFrame, *, x_title: str, y_title: str,
               series_title: str, kind_title: str, projected_label: str, height: int = 420) -> alt.TopLevelMixin:
    """Output paths with reference paths and target markers.

    lines: year, series, value, kind (translated) — drawn solid, baseline year squares, projected circles.
    refs: year, series, value — dashed grey reference paths.  targets: year, series, value, label.
    """
    series = list(dict.fromkeys(lines["series"]))
    ref_series = list(dict.fromkeys(refs["series"])) if len(refs) else []
    tooltip = [alt.Tooltip("series:N", title=series_title), alt.Tooltip("year:O", title=x_title),
               alt.Tooltip("value:Q", title=y_title, format=",.1f")]
    x = alt.X("year:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    first, last = int(lines["year"].min()), int(lines["year"].max())
    band = alt.Chart(pd.DataFrame({"a": [first + 0.5], "b": [last + 0.3], "t": [projected_label]})).mark_rect(
        color="#eef3f8").encode(x="a:Q", x2="b:Q")
    band_text = alt.Chart(pd.DataFrame({"a": [first + 0.6], "t": [projected_label]})).mark_text(
        align="left", baseline="top", dy=4, fontSize=FS, color=GREY).encode(x="a:Q", text="t:N", y=alt.value(2))
    layers = [band, band_text]
    if len(refs):
        layers.append(alt.Chart(refs).mark_line(strokeDash=[6, 4], strokeWidth=2).encode(
            x=x, y=y, color=alt.Color("series:N", title=None, scale=_scale(ref_series, ["#999999", "#444444"])),
            tooltip=tooltip))
    line = alt.Chart(lines).mark_line(strokeWidth=3).encode(
        x=x, y=y, color=alt.Color("series:N", title=series_title, scale=_scale(series)), tooltip=tooltip)
    pts = alt.Chart(lines).mark_point(filled=True, size=90).encode(
        x=x, y=y, color=alt.Color("series:N", scale=_scale(series), legend=None),
        shape=alt.Shape("kind:N", title=kind_title, scale=alt.Scale(range=["square", "circle"])),
        tooltip=tooltip + [alt.Tooltip("kind:N", title=kind_title)])
    layers += [line, pts]
    if len(targets):
        tgt = alt.Chart(targets)
        layers.append(tgt.mark_point(shape="diamond", size=260, filled=False, strokeWidth=3, color="#D55E00").encode(
            x=x, y=y, tooltip=[alt.Tooltip("label:N", title=series_title), alt.Tooltip("value:Q", format=",.0f",
                                                                                         title=y_title)]))
        layers.append(tgt.mark_text(align="right", dx=-12, dy=-12, fontSize=FS, color="#D55E00").encode(
            x=x, y=y, text="label:N"))
    return style(alt.layer(*layers).resolve_scale(color="independent"), height)


def stacked_bars(df: pd.DataFrame, *, group_title: str, x_title: str, y_title: str, order: list[str] | None = None,
                 highlight: str | None = None, height: int = 380) -> alt.TopLevelMixin:
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
    return style(alt.layer(chart, totals), height)


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
    chart = alt.Chart(d).mark_bar(height=14, cornerRadius=2).encode(
        x=alt.X("start:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)),
        x2="end_excl:Q",
        y=alt.Y("label:N", title=None, sort=list(d["label"]), axis=alt.Axis(labelLimit=420, labelFontSize=13)),
        color=alt.Color("area:N", title=area_title, scale=_scale(domain)),
        tooltip=[alt.Tooltip("label:N", title=project_title), alt.Tooltip("area:N", title=area_title),
                 alt.Tooltip("start:Q", title=start_title, format="d"), alt.Tooltip("end:Q", title=end_title,
                                                                                  format="d")],
    )
    fyp = alt.Chart(pd.DataFrame({"a": [2021], "b": [2026]})).mark_rect(color="#eef3f8").encode(x="a:Q", x2="b:Q")
    return style(alt.layer(fyp, chart), height or max(300, 22 * len(d) + 60))


def diff_bars(df: pd.DataFrame, *, x_title: str, y_title: str, height: int = 300) -> alt.TopLevelMixin:
    """year, value (difference): bars with their values written on them (sign never by colour alone)."""
    bars = alt.Chart(df).mark_bar().encode(
        x=alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=y_title),
        color=alt.condition(alt.datum.value >= 0, alt.value("#0072B2"), alt.value("#D55E00")),
        tooltip=[alt.Tooltip("year:O", title=x_title), alt.Tooltip("value:Q", title=y_title, format="+,.2f")])
    text = alt.Chart(df).mark_text(dy=-8, fontSize=FS - 1).encode(
        x="year:O", y="value:Q", text=alt.Text("value:Q", format="+,.1f"))
    return style(alt.layer(bars, text), height)

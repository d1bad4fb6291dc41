"""亩均效益评价 Per-mu efficiency: evaluate enterprises by tax and output per mu (the plan's 亩均效益评价), classes
A–D, per area and industry against the plan's base year, low-efficiency land, the illustrative lever, the 公示
workbook and the report. Enterprise data are confidential: see ui/mujun.py."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.calc.mujun import CLASS_RULES, CLASSES, INDICATORS, SCORINGS, Result, lever, presets
from model.io.export import csv_bytes
from model.report import mujun_report as R
from ui import layout, state
from ui import mujun as docs
from ui.i18n import fixed, lang, t
from ui.layout import fmt, md_code, md_text

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "html": "text/html"}
PRESETS = tuple(presets())


# -- documents -------------------------------------------------------------------------------------------

def uploaders() -> None:
    c = st.columns(2)
    c[0].file_uploader(t("mj.p.up_enterprises"), type=["csv", "xlsx"], key="mj_up_set", help=t("mj.p.up_help"),
                       on_change=docs.load_upload, args=("mj_up_set", docs.SET))
    c[1].file_uploader(t("mj.p.up_land"), type=["csv", "xlsx"], key="mj_up_land", help=t("mj.p.up_land_help"),
                       on_change=docs.load_upload, args=("mj_up_land", docs.LAND))


def templates() -> None:
    lg = lang()
    files = R.template_files(lg, docs.inputs()[1])
    cols = st.columns(len(files))
    for col, (name, raw) in zip(cols, files.items()):
        col.download_button(t("mj.p.template", name=name), data=raw, file_name=name, mime=MIME[name.rsplit(".")[-1]],
                            on_click="ignore", key=f"mj_tpl_{name}", width="stretch", icon=":material/download:")


def library_panel(editor: bool) -> None:
    recs, err = docs.records(docs.SET)
    if err:
        st.warning(t("lib_unavailable", err=err))
        return
    st.markdown(f"**{t('mj.p.lib_title')}**")
    if recs:
        by_id = {r.short_id: r for r in recs}
        ids = list(by_id)
        c = st.columns([3, 1], vertical_alignment="bottom")
        pick = c[0].selectbox(t("mj.p.lib_pick"), ids, key="mj_lib_pick", format_func=fixed(
            lambda i: t("mj.p.lib_row", name=by_id[i].name, v=by_id[i].version, id=i,
                        time=by_id[i].created_at[:16].replace("T", " ")), ids))
        if pick in by_id:
            c[1].button(t("mj.p.lib_open"), on_click=docs.open_saved, args=(docs.SET, pick, by_id[pick].name),
                        width="stretch", icon=":material/folder_open:", key="mj_lib_open")
    else:
        st.caption(t("mj.p.lib_empty"))
    if editor and docs.held(docs.SET) is not None:
        c = st.columns([2, 2, 1], vertical_alignment="bottom")
        c[0].text_input(t("lib_name"), key="mj_lib_name", max_chars=200)
        c[1].text_input(t("lib_note"), key="mj_lib_note", max_chars=500)
        c[2].button(t("mj.p.lib_save"), on_click=docs.save, args=("mj_lib_name", "mj_lib_note"), type="primary",
                    width="stretch", icon=":material/save:", key="mj_lib_save")


def files_panel(editor: bool) -> None:
    if editor:
        uploaders()
        templates()
    else:
        st.info(t("mj.p.viewer"))
    library_panel(editor)


def loaded_caption() -> None:
    es, land = docs.held(docs.SET), docs.held(docs.LAND)
    parts = [t("mj.p.loaded_set", name=md_text(docs.label_of(docs.SET)), n=len(es), id=md_code(es.short_id))]
    parts.append(t("mj.p.loaded_land", name=md_text(docs.label_of(docs.LAND)), n=len(land)) if land is not None
                 else t("mj.p.no_land"))
    st.caption(":material/folder_open: " + " · ".join(parts))


# -- the method ------------------------------------------------------------------------------------------

def _apply_method() -> None:
    """on_click of the method form: every control at once (weights must add up to 100 only when applied)."""
    ss = st.session_state
    m = docs.method()
    try:
        weights = {scale: {k: float(ss.get(f"mj_w_{scale}_{k}") or 0.0) for k in INDICATORS}
                   for scale in ("above", "below")}
        new = m.with_(scoring=ss.get("mj_scoring", m.scoring), cap=float(ss.get("mj_cap", m.cap)),
                      floor=float(ss.get("mj_floor", m.floor)), apart=bool(ss.get("mj_apart", m.apart)),
                      class_rule=ss.get("mj_rule", m.class_rule),
                      cuts=tuple(float(ss.get(f"mj_cut_{k}", v)) for k, v in zip("abc", m.cuts)),
                      weights_above=weights["above"], weights_below=weights["below"])
    except (TypeError, ValueError) as exc:
        state.flash("error", "mj.p.method_bad", [str(exc)])
        return
    if new == m:
        return
    problems = docs.set_method(new.with_(name="custom"))
    if problems:
        state.flash("warning", "mj.p.method_bad", problems)
    else:
        state.flash("success", "mj.p.method_ok")


METHOD_KEYS = ("mj_scoring", "mj_rule", "mj_cap", "mj_floor", "mj_apart", "mj_cut_a", "mj_cut_b", "mj_cut_c")


def _forget_controls() -> None:
    for k in [k for k in st.session_state if str(k) in METHOD_KEYS or str(k).startswith("mj_w_")]:
        del st.session_state[k]


def _apply_preset() -> None:
    name = st.session_state.get("mj_preset")
    if name in presets():
        docs.set_method(presets()[name])
        _forget_controls()


def method_panel() -> None:
    """The method: a preset, or every parameter edited in one form (applied together, checked, named)."""
    m = docs.method()
    ss = st.session_state
    ss["mj_preset"] = m.name if m.name in presets() else None
    st.selectbox(t("mj.p.preset"), PRESETS, key="mj_preset", on_change=_apply_preset,
                 placeholder=R.method_name(m.with_(name="custom"), lang()),
                 format_func=fixed(lambda p: R.method_name(presets()[p], lang()), PRESETS))
    seeds = {"mj_scoring": m.scoring, "mj_rule": m.class_rule, "mj_cap": float(m.cap), "mj_floor": float(m.floor),
             "mj_apart": m.apart, **{f"mj_cut_{k}": float(v) for k, v in zip("abc", m.cuts)}}
    seeds.update({f"mj_w_{scale}_{k}": float(w.get(k, 0.0)) for scale, w in (("above", m.weights_above),
                                                                             ("below", m.weights_below))
                  for k in INDICATORS})
    for k, v in seeds.items():  # what the user typed stays until applied (an unapplied sum need not be 100)
        ss.setdefault(k, v)
    with st.form("mj_method_form", border=False):
        c = st.columns(2)
        c[0].radio(t("mj.param.scoring"), SCORINGS, key="mj_scoring",
                   format_func=fixed(lambda s: t(f"mj.scoring.{s}"), SCORINGS))
        c[1].radio(t("mj.param.class_rule"), CLASS_RULES, key="mj_rule",
                   format_func=fixed(lambda s: t(f"mj.rule.{s}"), CLASS_RULES))
        c = st.columns(2)
        c[0].number_input(t("mj.p.cap"), min_value=1.0, max_value=10.0, step=0.1, key="mj_cap")
        c[1].number_input(t("mj.p.floor"), min_value=0.0, max_value=99.0, step=5.0, key="mj_floor")
        c = st.columns(3)
        for col, k in zip(c, "abc"):
            col.number_input(t("mj.p.cut", c=k.upper()), min_value=-1000.0, max_value=1000.0, step=1.0,
                             key=f"mj_cut_{k}")
        st.caption(t("mj.p.cuts_help"))
        st.toggle(t("mj.param.apart"), key="mj_apart")
        st.markdown(f"**{t('mj.p.weights')}**")
        head = st.columns([3, 1, 1])
        head[1].markdown(f"**{t('mj.scale.above')}**")
        head[2].markdown(f"**{t('mj.scale.below')}**")
        for k in INDICATORS:
            row = st.columns([3, 1, 1], vertical_alignment="center")
            row[0].markdown(t("mj.p.weight_row", ind=t(f"mj.ind.{k}"), unit=t(f"mj.unit.{k}")))
            for col, scale in zip(row[1:], ("above", "below")):
                col.number_input(t("mj.p.weight_label", ind=t(f"mj.ind.{k}"), group=t(f"mj.scale.{scale}")),
                                 min_value=0.0, max_value=100.0, step=5.0, key=f"mj_w_{scale}_{k}",
                                 label_visibility="collapsed")
        st.caption(t("mj.p.weights_help", above=fmt(sum(m.weights_above.values()), 0),
                     below=fmt(sum(m.weights_below.values()), 0)))
        st.form_submit_button(t("mj.p.apply"), on_click=_apply_method, type="primary", icon=":material/check:")
    for line in R.method_sentences(m, lang()):
        st.caption(md_text(line))


# -- results ---------------------------------------------------------------------------------------------

def _per_mu_metric(col, r: Result, which: str) -> None:
    v = float(r.total[which].iloc[0])
    base = getattr(r.baselines, which, None) if r.baselines is not None else None
    shown = f"{fmt(v, 2)} {t('unit_wan_per_mu')}" if math.isfinite(v) else "—"
    kw = {}
    if base is not None and math.isfinite(v):
        d = round(v - base, 2)  # said as 比2020年增加/减少 …, or 持平: no signed figure after 较
        key = "mj.p.vs_base_up" if d > 0 else "mj.p.vs_base_down" if d < 0 else "mj.p.vs_base_same"
        kw = {"delta": t(key, change=fmt(abs(d), 2), year=r.baselines.year), "delta_color": "off",
              "delta_arrow": "off"}
    col.metric(t(f"mj.metric.{which}"), shown, border=True, **kw)


def overview(r: Result) -> None:
    df = r.enterprises
    counts = r.counts()
    c = layout.metric_row(3)
    c[0].metric(t("mj.p.evaluated"), len(df), border=True)
    c[1].metric(t("mj.p.graded"), int(df["graded"].sum()), border=True)
    c[2].metric(t("mj.p.not_graded"), int((~df["graded"]).sum()), border=True)
    c = layout.metric_row(4)
    for col, k in zip(c, CLASSES):
        col.metric(t(f"mj.class.{k}"), counts[k], border=True)
    c = layout.metric_row(2)
    _per_mu_metric(c[0], r, "tax_per_mu")
    _per_mu_metric(c[1], r, "output_per_mu")
    st.caption(t("mj.p.method_caption", name=md_text(R.method_name(r.method, lang())),
                 id=md_code(r.method.short_id)))


# px: every column on screen at 1280×720 with the sidebar open (789 px), headers short, units in the caption below
AGG_WIDTHS = {"group": 150, "firms": 70, "land": 100, "tax": 110, "output": 110, "change": 110, "classes": 110}
FIRM_WIDTHS = {"result": {"name": 190, "class": 70, "score": 80, "rank_of": 90, "tax_per_mu": 110,
                          "revenue_per_mu": 110, "land_mu": 100},
               "info": {"name": 190, "area": 110, "scale": 70, "industry": 120, "not_graded": 130, "missing": 150}}


def _classes_cell(row) -> str:
    return "/".join(str(int(row[k])) for k in CLASSES)


def aggregate_table(agg: pd.DataFrame, label, base: bool) -> None:
    rows = pd.DataFrame({"group": [label(g) for g in agg["group"]], "firms": agg["firms"], "land": agg["land_mu"],
                         "tax": agg["tax_per_mu"], "output": agg["output_per_mu"],
                         "change": agg["tax_per_mu_change"] if base else float("nan"),
                         "classes": [_classes_cell(r) for r in agg.to_dict(orient="records")]})
    cc = st.column_config
    w = AGG_WIDTHS
    config = {"group": cc.TextColumn(t("mj.r.col.group"), pinned=True, width=w["group"]),
              "firms": cc.NumberColumn(t("mj.p.col.firms"), width=w["firms"]),
              "land": cc.NumberColumn(t("mj.r.col.land"), format="%,.2f", width=w["land"]),
              "tax": cc.NumberColumn(t("mj.p.col.tax"), format="%,.2f", width=w["tax"],
                                     help=t("mj.p.col.tax_per_mu")),
              "output": cc.NumberColumn(t("mj.p.col.output"), format="%,.2f", width=w["output"],
                                        help=t("mj.p.col.output_per_mu")),
              "change": cc.NumberColumn(t("mj.p.col.change"), format="%+.2f", width=w["change"],
                                        help=t("mj.r.col.change")),
              "classes": cc.TextColumn(t("mj.p.col.classes"), width=w["classes"], help=t("mj.r.col.classes"))}
    if not base:
        rows = rows.drop(columns=["change"])
    st.dataframe(rows, hide_index=True, width="stretch", placeholder="—", column_config=config)


def firms_table(r: Result) -> None:
    """Two views of the firms, each whole on a projector with the sidebar open: the result (class, score, rank,
    亩均) and the firm's details (area, scale, industry, why not graded, missing data)."""
    _, areas = docs.inputs()
    df = R.enterprise_table(r, lang(), areas)
    df["rank_of"] = [("—" if rk != rk else f"{int(rk)}/{int(of)}") for rk, of in zip(df["rank"], df["of"])]
    w = layout.column_view("mj_firm_view", FIRM_WIDTHS, {"result": t("mj.p.view.result"),
                                                          "info": t("mj.p.view.info")})
    cc = st.column_config
    config = {
        "name": cc.TextColumn(t("mj.col.name"), pinned=True, width=w.get("name")),
        "class": cc.TextColumn(t("mj.p.col.class"), width=w.get("class")),
        "score": cc.NumberColumn(t("mj.p.col.score"), format="%,.2f", width=w.get("score"),
                                 help=t("mj.pub.score")),
        "rank_of": cc.TextColumn(t("mj.pub.rank"), width=w.get("rank_of"), help=t("mj.p.col.rank_help")),
        "tax_per_mu": cc.NumberColumn(t("mj.p.col.tax"), format="%,.2f", width=w.get("tax_per_mu"),
                                      help=t("mj.p.col.tax_per_mu")),
        "revenue_per_mu": cc.NumberColumn(t("mj.p.col.output"), format="%,.2f", width=w.get("revenue_per_mu"),
                                          help=t("mj.p.col.output_per_mu")),
        "land_mu": cc.NumberColumn(t("mj.r.col.land"), format="%,.2f", width=w.get("land_mu")),
        "area": cc.TextColumn(t("mj.col.area"), width=w.get("area")),
        "scale": cc.TextColumn(t("mj.col.scale"), width=w.get("scale")),
        "industry": cc.TextColumn(t("mj.col.industry"), width=w.get("industry")),
        "not_graded": cc.TextColumn(t("mj.col.exempt_reason"), width=w.get("not_graded")),
        "missing": cc.TextColumn(t("mj.p.col.missing"), width=w.get("missing"))}
    cols = list(w)
    st.dataframe(df[cols], hide_index=True, width="stretch", height=420, placeholder="—",
                 column_config={c: config[c] for c in cols})
    st.caption(t("mj.p.firms_note"))


def land_section(r: Result) -> None:
    st.subheader(t("mj.p.land_title"), anchor=False)
    if r.land is None or not len(r.land):
        st.caption(t("mj.r.no_land"))
        return
    _, areas = docs.inputs()
    df = R.land_table(r, lang(), areas).drop(columns=["unit"])
    cc = st.column_config
    st.dataframe(df, hide_index=True, width="stretch", column_config={
        "area": cc.TextColumn(t("mj.col.area")), "category": cc.TextColumn(t("mj.r.col.category")),
        "parcels": cc.NumberColumn(t("mj.r.col.parcels"), format="%d"),
        "land_mu": cc.NumberColumn(t("mj.r.col.land"), format="%,.2f")})


def lever_section(r: Result) -> None:
    st.subheader(t("mj.p.lever_title"), anchor=False)
    lv = lever(r)
    if not lv.available:
        st.caption(t("mj.lever.unavailable"))
        return
    c = layout.metric_row(3 if lv.idle_land_mu > 0 else 2)
    c[0].metric(t("mj.p.lever_extra"), f"{fmt(lv.extra_output_yi, 2)} {t('unit_yi')}", border=True)
    c[1].metric(t("mj.p.lever_freed"), f"{fmt(lv.land_freed_mu, 1)} {t('unit_mu')}", border=True)
    if lv.idle_land_mu > 0:
        c[2].metric(t("mj.p.lever_idle"), f"{fmt(lv.idle_output_yi, 2)} {t('unit_yi')}", border=True)
    st.warning(("" if lang() == "zh" else " ").join(md_text(x) for x in R.lever_sentences(lv, lang())),
               icon=":material/info:")


def downloads(r: Result, editor: bool) -> None:
    exp = layout.lazy_expander(t("mj.p.downloads"), "mj_open_downloads", icon=":material/download:")
    if exp is None:
        return
    lg = lang()
    _, areas = docs.inputs()
    with exp:
        st.caption(t("mj.p.dl_help" if editor else "mj.p.dl_viewer"))
        docx_name, html_name = R.REPORT_FILES[lg]
        items = [(docx_name, lambda: R.report_docx(r, lg, areas)),
                 (html_name, lambda: R.report_html(r, lg, areas).encode("utf-8")),
                 ("mujun_areas.csv", lambda: csv_bytes(R.result_tables(r, lg, areas)["mujun_areas.csv"])),
                 ("mujun_method.csv", lambda: r.method.to_csv_text().encode("utf-8-sig"))]
        if editor:
            items += [(R.WORKBOOK_NAME[lg], lambda: R.publication_workbook(r, lg, areas)),
                      ("mujun_enterprises.csv", lambda: csv_bytes(R.enterprise_table(r, lg, areas)))]
        cols = st.columns(3)
        for i, (name, make) in enumerate(items):
            cols[i % 3].download_button(layout.file_label(name), data=make, file_name=name,
                                        mime=MIME[name.rsplit(".")[-1]], on_click="ignore", key=f"mj_dl_{i}",
                                        width="stretch",
                                        icon=":material/download:")


def body() -> None:
    st.title(t("nav_mujun"))
    st.caption(t("mj.p.intro"))
    editor = docs.can_see_firms()
    layout.show_messages()
    es = docs.held(docs.SET)
    exp = layout.lazy_expander(t("mj.p.files"), "mj_open_files", icon=":material/upload_file:",
                               expanded=es is None)
    if exp is not None:
        with exp:
            files_panel(editor)
    if es is None:
        st.info(t("mj.p.empty" if editor else "mj.p.empty_viewer"))
        return
    loaded_caption()
    exp = layout.lazy_expander(t("mj.p.method"), "mj_open_method", icon=":material/tune:")
    if exp is not None:
        with exp:
            method_panel()
    r = docs.result()
    if r is None:
        return
    overview(r)
    _, areas = docs.inputs()
    for title, spec in R.chart_specs(r, lang(), areas):
        st.subheader(title, anchor=False)
        layout.chart(spec)
    base = r.baselines is not None
    st.subheader(t("mj.r.by_area"), anchor=False)
    aggregate_table(pd.concat([r.by_area, r.total.assign(group="all")], ignore_index=True),
                    R.group_label(r, areas, lang()), base)
    st.subheader(t("mj.r.by_industry"), anchor=False)
    aggregate_table(pd.concat([r.by_industry, r.total.assign(group="all")], ignore_index=True),
                    lambda g: t("mj.group.all") if g == "all" else g, base)
    st.caption(t("mj.r.agg_note") + ("" if lang() == "zh" else " ") + t("mj.p.unit_note"))
    if editor:
        st.subheader(t("mj.p.firms"), anchor=False)
        firms_table(r)
    else:
        st.caption(t("mj.p.firms_hidden"))
    land_section(r)
    lever_section(r)
    downloads(r, editor)


layout.page(body, "nav_mujun")

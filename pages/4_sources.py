"""数据与来源 Data & sources: every table with quotes and units, the audit, and raw downloads."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from model.io.export import neutralise_csv_text
from model.numbers import WAN_PER_YI
from model.plan import enums
from model.plan.audit import audit
from model.plan.tables import decode_text
from ui import layout, state
from ui.layout import fmt
from ui.i18n import area, category, enum, fixed, funding, lang, t


@st.cache_data(show_spinner=False)
def raw_with_bom(source: str, file: str) -> bytes:
    """The data file as stored, re-encoded UTF-8 with BOM so Excel opens it correctly."""
    text = decode_text((Path(source) / file).read_bytes(), file)
    return neutralise_csv_text(text).encode("utf-8-sig")


@st.cache_data(show_spinner=False)
def audit_rows(data_source: str) -> list:
    """The audit of the loaded data (keyed by its folder)."""
    return audit(state.load_data())


def _search(df: pd.DataFrame, text: str, cols: list[str]) -> pd.DataFrame:
    if not text:
        return df
    needle = text.strip().lower()
    mask = pd.Series(False, index=df.index)
    for c in cols:
        mask |= df[c].astype(str).str.lower().str.contains(needle, regex=False)
    return df[mask]


def _download(data, file: str) -> None:
    st.download_button(t("download_table", file=file), data=raw_with_bom(data.source, file), file_name=file,
                       mime="text/csv", on_click="ignore", key=f"raw_{file}")


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """Enum cells (kind, comparator, area …) shown by their names in the current language."""
    out = df.copy()
    for c in out.columns:
        try:
            values = enums.values(c)
        except Exception:  # noqa: BLE001 - not an enum column
            continue
        out[c] = out[c].map(lambda v, c=c: enum(c, v) if v in values else v)
    return out


def _config(df: pd.DataFrame, **special) -> dict:
    """Translated headers for every column; ``special`` adds formats for some."""
    cfg = {c: st.column_config.Column(t(f"col_{c}")) for c in df.columns}
    for c, kw in special.items():
        kind = kw.pop("kind", "number")
        maker = st.column_config.NumberColumn if kind == "number" else st.column_config.TextColumn
        cfg[c] = maker(t(f"col_{c}"), **kw)
    return cfg


def _shown(df: pd.DataFrame, total: int) -> None:
    st.caption(t("rows_shown", n=len(df), total=total))


def indicators_tab(data) -> None:
    ind = data.indicators.drop(columns=["src_row"])
    c1, c2 = st.columns([3, 1])
    text = c1.text_input(t("filter_text"), key="f_ind_text")
    kinds = c2.multiselect(t("filter_kind"), list(enums.values("kind")), key="f_ind_kind", placeholder=t("choose"),
                           format_func=fixed(lambda k: enum("kind", k), enums.values("kind")))
    df = _search(ind, text, ["indicator_id", "name_zh", "name_en", "quote"])
    if kinds:
        df = df[df["kind"].isin(kinds)]
    # the screen's columns fit a projector with the sidebar open (789 px of table at 1280×720); kind, measure and
    # period are in indicators.csv (the download below); a long quote is shown in full on hover
    cols = [c for c in ("indicator_id", "name_zh" if lang() == "zh" else "name_en", "year", "comparator", "value",
                        "unit", "section_id", "quote") if c in df.columns]
    name = "name_zh" if lang() == "zh" else "name_en"
    st.dataframe(_labelled(df[cols]), hide_index=True, width="stretch", height=520, column_config=_config(
        df[cols], indicator_id=dict(kind="text", width=80), **{name: dict(kind="text", width=200)},
        year=dict(width=60, format="%d"), comparator=dict(kind="text", width=90), value=dict(format="%g", width=70),
        unit=dict(kind="text", width=70), section_id=dict(kind="text", width=60), quote=dict(kind="text", width=150)))
    _shown(df, len(ind))
    _download(data, "indicators.csv")


def projects_tab(data) -> None:
    p = data.projects.drop(columns=["src_row"])
    c1, c2, c3 = st.columns([3, 1, 1])
    text = c1.text_input(t("filter_text"), key="f_proj_text")
    areas = c2.multiselect(t("filter_area"), sorted(p["area"].unique()), key="f_proj_area", placeholder=t("choose"),
                           format_func=fixed(area, p["area"].unique()))
    cats = c3.multiselect(t("category"), sorted(p["category"].unique()), key="f_proj_cat", placeholder=t("choose"),
                          format_func=fixed(category, p["category"].unique()))
    df = _search(p, text, ["project_id", "name_zh", "name_en", "owner", "description", "notes"])
    if areas:
        df = df[df["area"].isin(areas)]
    if cats:
        df = df[df["category"].isin(cats)]
    st.dataframe(_labelled(df), hide_index=True, width="stretch", height=520, column_config=_config(
        df, total_investment_yi=dict(format="%g"), fyp_investment_yi=dict(format="%g"), land_mu=dict(format="%g"),
        description=dict(kind="text", width="large")))
    st.caption(t("sum_total_invest", v=fmt(df['total_investment_yi'].sum(), 2),
                 f=fmt(df['fyp_investment_yi'].sum(), 2)))
    _shown(df, len(p))
    _download(data, "projects.csv")


def roads_tab(data) -> None:
    r = data.roads.drop(columns=["src_row"])
    c1, c2 = st.columns([3, 1])
    text = c1.text_input(t("filter_text"), key="f_road_text")
    funds = c2.multiselect(t("funding"), sorted(r["funding_source"].unique()), key="f_road_fund", placeholder=t("choose"),
                           format_func=fixed(funding, r["funding_source"].unique()))
    df = _search(r, text, ["road_id", "name_zh", "name_en", "extent", "builder", "notes"])
    if funds:
        df = df[df["funding_source"].isin(funds)]
    st.dataframe(_labelled(df), hide_index=True, width="stretch", height=520, column_config=_config(
        df, investment_wan=dict(format="%g"), length_m=dict(format="%g")))
    st.caption(t("sum_roads", m=fmt(df['length_m'].sum(), 0), wan=fmt(df['investment_wan'].sum(), 0),
                 yi=fmt(df['investment_wan'].sum() / WAN_PER_YI, 4)))
    _shown(df, len(r))
    _download(data, "roads.csv")


def audit_tab(data) -> None:
    st.caption(t("audit_intro"))
    findings = audit_rows(data.source)
    rows = [{t("audit_severity"): t(f"sev_{f.severity}"), t("audit_file"): f.file,
             t("audit_row"): f.row if f.row is not None else "—", t("audit_column"): t(f"col_{f.column}"),
             t("audit_message"): f.message(lang())} for f in findings]
    st.dataframe(pd.DataFrame(rows).astype(str), hide_index=True, width="stretch", height=520)
    n_warn = sum(f.severity == "warning" for f in findings)
    st.caption(f"{t('sev_warning')}{t('colon')}{n_warn} · {t('sev_info')}{t('colon')}{len(findings) - n_warn}")


def public_tab(data) -> None:
    """Figures beyond the plan (city-level series, an earlier target and its outcome), each with its measure."""
    figs = data.public_figures.drop(columns=["src_row"])
    zh = lang() == "zh"
    cols = [c for c in ("figure_id", "name_zh" if zh else "name_en", "year", "value", "unit", "scope",
                        "measure_zh" if zh else "measure", "source", "quote", "note_zh" if zh else "note")
            if c in figs.columns]
    st.caption(t("public_help"))
    st.dataframe(_labelled(figs[cols]), hide_index=True, width="stretch", column_config=_config(figs[cols]))
    _download(data, "public_figures.csv")


def sections_tab(data) -> None:
    sections = data.sections.drop(columns=["src_row"])
    st.dataframe(sections, hide_index=True, width="stretch", column_config=_config(sections))
    _download(data, "plan_sections.csv")


def body() -> None:
    data = state.load_data()
    st.title(t("nav_sources"))
    st.caption(t("sources_intro"))
    labels = [t("tab_indicators"), t("tab_projects"), t("tab_roads"), t("tab_public"), t("tab_sections"),
              t("tab_audit")]
    # only the open tab is computed and sent
    tabs = st.tabs(labels, key="src_tab", on_change="rerun")
    for tab, draw in zip(tabs, (indicators_tab, projects_tab, roads_tab, public_tab, sections_tab, audit_tab)):
        if tab.open:
            with tab:
                draw(data)


layout.page(body, "nav_sources")

"""数据与来源 Data & sources: every table with quotes and units, the audit, and raw downloads."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from model.io.export import neutralise_csv_text
from model.numbers import WAN_PER_YI
from model.plan.tables import decode_text
from model.report.labels import preset_name, stated_value
from model.report.text import has
from ui import layout, state
from ui.layout import fmt
from ui.i18n import area, category, enum, fixed, funding, lang, plan_text, seg, t


@st.cache_data(show_spinner=False)
def raw_with_bom(source: str, file: str) -> bytes:
    """The data file as stored, re-encoded UTF-8 with BOM so Excel opens it correctly."""
    text = decode_text((Path(source) / file).read_bytes(), file)
    return neutralise_csv_text(text).encode("utf-8-sig")


@st.cache_resource(show_spinner=False, max_entries=16)
def audit_rows(plan_id: str, fingerprint: str, _data) -> list:
    """The audit of the plan's data (once per plan package and contents)."""
    from model.plan.audit import audit

    return audit(_data)


def _search(df: pd.DataFrame, text: str, cols: list[str]) -> pd.DataFrame:
    if not text:
        return df
    needle = text.strip().lower()
    mask = pd.Series(False, index=df.index)
    for c in cols:
        mask |= df[c].astype(str).str.lower().str.contains(needle, regex=False)
    return df[mask]


def _download(data, file: str) -> None:
    """The package's file as stored (only a file the package has: a table it leaves out has nothing to download)."""
    if not (Path(data.source) / file).is_file():
        return
    st.download_button(t("download_table", file=file), data=raw_with_bom(data.source, file), file_name=file,
                       mime="text/csv", on_click="ignore", key=f"raw_{file}")


ENUM_COLUMNS = ("kind", "comparator", "direction", "basis", "scope", "area", "category", "subcategory", "nature",
                "build_type", "road_class", "funding_source", "output_role", "quote_kind", "relation")


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """Enum cells (kind, comparator, area …) shown by their names in the current language."""
    data = state.load_data()
    out = df.copy()
    for c in out.columns:
        if c not in ENUM_COLUMNS:
            continue
        values = set(data.values(c))
        if values:
            out[c] = out[c].map(lambda v, c=c: enum(c, v) if v in values else v)
    return out


def col_title(c: str) -> str:
    """A column's header in the current language (the column's own name when the table has none)."""
    return t(f"col_{c}") if has(f"col_{c}") else c


def _config(df: pd.DataFrame, **special) -> dict:
    """Translated headers for every column; ``special`` adds formats for some."""
    cfg = {c: st.column_config.Column(col_title(c)) for c in df.columns}
    for c, kw in special.items():
        if c not in df.columns:
            continue
        kind = kw.pop("kind", "number")
        maker = st.column_config.NumberColumn if kind == "number" else st.column_config.TextColumn
        cfg[c] = maker(col_title(c), **kw)
    if "fyp_investment_yi" in df.columns:
        period = plan_text("period") or t("up.plan_period")
        cfg["fyp_investment_yi"] = st.column_config.NumberColumn(t("col_fyp_investment_yi", period=period),
                                                                 format="localized")
    return cfg


def _shown(df: pd.DataFrame, total: int) -> None:
    st.caption(t("rows_shown", n=len(df), total=total))


def indicators_tab(data) -> None:
    ind = data.indicators.drop(columns=["src_row"])
    c1, c2 = st.columns([3, 1])
    text = c1.text_input(t("filter_text"), key="f_ind_text")
    kind_values = list(data.values("kind"))
    kinds = c2.multiselect(t("filter_kind"), kind_values, key="f_ind_kind", placeholder=t("choose"),
                           format_func=fixed(lambda k: enum("kind", k), kind_values))
    df = _search(ind, text, ["indicator_id", "name_zh", "name_en", "quote"])
    if kinds:
        df = df[df["kind"].isin(kinds)]
    # the screen's columns fit a projector with the sidebar open (789 px of table at 1280×720); kind, measure and
    # period are in indicators.csv (the download below); a long quote is shown in full on hover
    ranged = "value_max" in df.columns and df["value_max"].notna().any()
    cols = [c for c in ("indicator_id", "name_zh" if lang() == "zh" else "name_en", "year", "comparator", "value",
                        "value_max" if ranged else "", "unit", "section_id", "quote") if c and c in df.columns]
    name = "name_zh" if lang() == "zh" else "name_en"
    shown = _labelled(df[cols])
    if ranged:  # the upper end of a range (3–5家): text, blank where the target is a single value
        shown["value_max"] = shown["value_max"].map(
            lambda v: "—" if v is None or v != v else stated_value(v, "", lang()))  # 3,500,000, never 3.5e+06
    st.dataframe(shown, hide_index=True, width="stretch", height=520, column_config=_config(
        df[cols], indicator_id=dict(kind="text", width=80), **{name: dict(kind="text", width=200 if not ranged else 170)},
        year=dict(width=60 if not ranged else 55, format="%d"), comparator=dict(kind="text", width=90 if not ranged
                                                                               else 80),
        value=dict(format="localized", width=70 if not ranged else 65), value_max=dict(kind="text", width=60),
        unit=dict(kind="text", width=70 if not ranged else 60), section_id=dict(kind="text", width=60 if not ranged
                                                                                 else 55),
        quote=dict(kind="text", width=150 if not ranged else 140)))  # ranged: 765 px, within 789
    _shown(df, len(ind))
    _download(data, "indicators.csv")


def projects_tab(data) -> None:
    p = data.projects.drop(columns=["src_row"])
    c1, c2, c3 = st.columns([3, 1, 1])
    text = c1.text_input(t("filter_text"), key="f_proj_text")
    area_values = [a for a in data.areas.ids if a in set(p["area"])] + sorted(set(p["area"]) - set(data.areas.ids))
    areas = c2.multiselect(t("filter_area"), area_values, key="f_proj_area", placeholder=t("choose"),
                           format_func=fixed(lambda a: area(a) if a else "—", area_values))
    cat_values = sorted(p["category"].unique())
    cats = c3.multiselect(t("category"), cat_values, key="f_proj_cat", placeholder=t("choose"),
                          format_func=fixed(lambda c: category(c) if c else "—", cat_values))
    df = _search(p, text, ["project_id", "name_zh", "name_en", "owner", "description", "notes"])
    if areas:
        df = df[df["area"].isin(areas)]
    if cats:
        df = df[df["category"].isin(cats)]
    st.dataframe(_labelled(df), hide_index=True, width="stretch", height=520, column_config=_config(
        df, total_investment_yi=dict(format="localized"), fyp_investment_yi=dict(format="localized"), land_mu=dict(format="localized"),
        description=dict(kind="text", width="large")))
    st.caption(t("sum_total_invest", v=fmt(df['total_investment_yi'].sum(), 2),
                 f=fmt(df['fyp_investment_yi'].sum(), 2), period=plan_text("period") or t("up.plan_period")))
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
        df, investment_wan=dict(format="localized"), length_m=dict(format="localized")))
    st.caption(t("sum_roads", m=fmt(df['length_m'].sum(), 0), wan=fmt(df['investment_wan'].sum(), 0),
                 yi=fmt(df['investment_wan'].sum() / WAN_PER_YI, 4)))
    _shown(df, len(r))
    _download(data, "roads.csv")


def audit_tab(data) -> None:
    st.caption(t("audit_intro"))
    findings = audit_rows(data.id, data.fingerprint, data)
    rows = [{t("audit_severity"): t(f"sev_{f.severity}"), t("audit_file"): f.file,
             t("audit_row"): f.row if f.row is not None else "—", t("audit_column"): col_title(f.column),
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


def plan_tab(data) -> None:
    """The plan's own record (plan.csv: names, calendar, period, annexes) and its sections."""
    zh = lang() == "zh"
    rows = []
    for key, value, texts in data.meta.rows:
        named = dict(texts)
        shown = named.get(lang()) or named.get("zh") or value
        rows.append({t("up.col_setting"): key, t("value"): shown,
                     **({t("up.col_code"): value} if value and value != shown else {t("up.col_code"): ""})})
    st.caption(t("up.plan_meta_help"))
    st.dataframe(pd.DataFrame(rows).astype(str), hide_index=True, width="stretch")
    _download(data, "plan.csv")
    if len(data.sections):
        st.subheader(t("tab_sections"))
        sections = data.sections.drop(columns=["src_row"])
        cols = [c for c in ("section_id", "title_zh" if zh else "title_en") if c in sections.columns]
        st.dataframe(sections[cols], hide_index=True, width="stretch", column_config=_config(sections[cols]))
        _download(data, "plan_sections.csv")


def structure_tab(data) -> None:
    """The package's structure: segments, areas, its own enumerations, presets and defaults (each where it has it)."""
    lg = lang()
    tree = data.segments
    st.subheader(t("up.segments"))
    seg_rows = [{
        t("up.col_segment"): seg(x.id), t("up.col_relation"): enum("relation", x.relation),
        t("up.col_parent"): seg(x.parent) if x.parent else "—",
        t("up.col_base_row"): x.base_id or "—", t("up.col_target_row"): x.target_id or "—",
        t("up.col_share"): fmt(x.share * 100, 1) if x.share is not None else "—", t("up.col_sd"): fmt(x.sd * 100, 1),
        t("up.col_code"): x.code} for x in tree]
    st.dataframe(pd.DataFrame(seg_rows).astype(str), hide_index=True, width="stretch")
    _download(data, "segments.csv")
    if len(data.areas):
        st.subheader(t("up.areas"))
        st.dataframe(pd.DataFrame([{t("area"): area(a.id), t("up.col_parent"): area(a.parent) if a.parent else "—",
                                    t("up.col_code"): a.code} for a in data.areas]).astype(str),
                     hide_index=True, width="stretch")
        _download(data, "areas.csv")
    own = [r for r in data.enumerations if "src_row" in r and r.get("column") not in ENGINE_COLUMNS]
    if own:
        st.subheader(t("up.enumerations"))
        st.dataframe(pd.DataFrame([{t("up.col_column"): col_title(r["column"]), t("value"): r["value"],
                                    t("up.col_name"): r.get(f"name_{lg}") or r.get("name_zh") or r["value"],
                                    t("up.col_code"): r.get("code") or "—",
                                    t("up.col_flag"): t(FLAG_KEYS[r["flag"]]) if r.get("flag") in FLAG_KEYS
                                    else (r.get("flag") or "—")}
                                   for r in own]).astype(str), hide_index=True, width="stretch")
        _download(data, "enumerations.csv")
    from model.scenario.presets import _rules

    rules = _rules(data)
    st.subheader(t("up.presets"))
    st.dataframe(pd.DataFrame([{t("preset"): preset_name(slug, lg, data),
                                t("up.col_segment"): t("up.all_segments") if k == "*" else seg(k),
                                t("up.col_rule"): t(RULE_KEYS[rule]) if rule in RULE_KEYS else rule}
                               for slug, by in rules.items() for k, rule in by.items()]).astype(str),
                 hide_index=True, width="stretch")
    _download(data, "presets.csv")
    if len(data.defaults):
        st.subheader(t("up.defaults"))
        st.dataframe(pd.DataFrame([{t("up.col_setting"): r["parameter"], t("value"): r["value"],
                                    t("col_note"): r.get(f"note_{lg}") or r.get("note_zh") or ""}
                                   for r in data.defaults.to_dict(orient="records")]).astype(str),
                     hide_index=True, width="stretch")
        _download(data, "defaults.csv")


RULE_KEYS = {"required": "up.rule_required", "trend": "up.rule_trend", "city_trend": "up.rule_city_trend",
             "zero": "up.rule_zero"}
FLAG_KEYS = {"own_budget": "up.flag_own_budget", "undetermined": "up.flag_undetermined"}
ENGINE_COLUMNS = ("kind", "comparator", "direction", "basis", "scope", "vintage", "quote_kind", "output_role",
                  "relation")


def tabs_of(data) -> list[tuple[str, object]]:
    """The tabs this plan has: a table the package leaves out (no projects, no roads, no public figures) has none."""
    projects = plan_text("projects_annex")
    roads = plan_text("roads_annex")
    out = [(t("tab_indicators"), indicators_tab)]
    if len(data.projects):
        out.append((t("tab_projects", projects_annex=projects) if projects else t("up.tab_projects_plain"),
                    projects_tab))
    if len(data.roads):
        out.append((t("tab_roads", roads_annex=roads) if roads else t("up.tab_roads_plain"), roads_tab))
    if len(data.public_figures):
        out.append((t("tab_public"), public_tab))
    out += [(t("up.tab_plan"), plan_tab), (t("up.tab_structure"), structure_tab), (t("tab_audit"), audit_tab)]
    return out


def body() -> None:
    data = state.load_data()
    st.title(t("nav_sources"))
    st.caption(t("sources_intro"))
    tabs_ = tabs_of(data)
    # only the open tab is computed and sent
    tabs = st.tabs([label for label, _ in tabs_], key="src_tab", on_change="rerun")
    for tab, (_, draw) in zip(tabs, tabs_):
        if tab.open:
            with tab:
                draw(data)


layout.page(body, "nav_sources")

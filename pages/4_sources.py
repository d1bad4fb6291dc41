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


def _head(c: str) -> str:
    if c == "fyp_investment_yi":
        return t("col_fyp_investment_yi", period=plan_text("period") or t("up.plan_period"))
    return col_title(c)


def _cell(v) -> str:
    """A cell as shown: a figure as stated (1,280 · 3.6), a year whole, '—' for none."""
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, float):
        return layout.stated_text(v)
    return str(v)


def _table(key: str, df: pd.DataFrame, cols: list[str], *, figures=(), long=(), phone_hides=(), shares=None,
           titles=None) -> None:
    """``df``'s ``cols`` as a wrapped table (every column on screen, names and quotes in full; the file below has
    them all): enumerations by their names, figures as stated, years whole."""
    cols = [c for c in cols if c in df.columns]
    shown = _labelled(df[cols])
    years = [c for c in cols if c.endswith("year")]
    rows = [{c: (str(int(v)) if c in years and v == v and v is not None else _cell(v)) for c, v in rec.items()}
            for rec in shown.to_dict(orient="records")]
    layout.wrapped_table((key, lang(), layout.rows_key(rows)), lambda: rows,
                         {c: (titles or {}).get(c) or _head(c) for c in cols},
                         figures=[c for c in figures if c in cols], long=[c for c in long if c in cols],
                         phone_hides=[c for c in phone_hides if c in cols],
                         shares={c: v for c, v in (shares or {}).items() if c in cols}, shown=14)


VIEW_KEYS = {"summary": "src.view.summary", "detail": "src.view.detail", "more": "src.view.more",
             "notes": "src.view.notes", "source": "src.view.source"}


def _plain(key: str, rows: list[dict], shown: int = 12, short: int = 0, phone_hides=()) -> None:
    """Rows of text (their keys the headers shown) as a wrapped table, every column wrapping but the first
    ``short`` ones (file names, codes: kept whole); ``phone_hides``: headers of columns a phone leaves out."""
    rows = [{k: _cell(v) for k, v in r.items()} for r in rows]
    heads = {k: k for k in (rows[0] if rows else {})}
    layout.wrapped_table((key, lang(), layout.rows_key(rows)), lambda: rows, heads, long=tuple(heads)[short:],
                         phone_hides=[h for h in phone_hides if h in heads], shown=shown)


def _views(key: str, df: pd.DataFrame, views: dict[str, list[str]]) -> list[str]:
    """The columns of the view chosen (``views``: a view's key → its columns; the first view's name column first).
    A column the table has and no view names goes to the last view, so every column is on some view."""
    named = {c for v in views.values() for c in v}
    views = {k: [c for c in v if c in df.columns] for k, v in views.items()}
    last = list(views)[-1]
    views[last] += [c for c in df.columns if c not in named]
    pick = layout.column_view(key, views, {k: t(VIEW_KEYS[k]) for k in views})
    return list(pick)


def _shown(df: pd.DataFrame, total: int) -> None:
    st.caption(t("rows_shown", n=len(df), total=total))


def _stated(rec: dict) -> str:
    """An indicator's figure as the plan states it, with its unit: 261家, 3–5家 (a range), '—' for none."""
    v, unit, lg = rec.get("value"), rec.get("unit"), lang()
    unit = unit if isinstance(unit, str) else ""  # a package's empty cell: no unit, never "nan"
    if v is None or v != v:
        return "—"
    top = rec.get("value_max")
    if top is not None and top == top:  # 3–5家: 3,500,000, never 3.5e+06
        return f"{stated_value(v, '', lg)}–{stated_value(top, unit, lg)}"
    return stated_value(v, unit, lg)


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
    # the screen's columns (a wrapped table: names and quotes in full): the figure with its range and unit in one
    # cell (3–5家, 1,238.56万元/亩); kind, measure and period are in indicators.csv (the download below)
    name = "name_zh" if lang() == "zh" else "name_en"
    cols = [c for c in ("indicator_id", name, "year", "comparator", "value", "section_id", "quote") if c in df.columns]
    shown = df[cols].copy()
    if "value" in shown.columns:
        shown["value"] = [_stated(r) for r in df.to_dict(orient="records")]
    _table("src_ind", shown, cols, figures=("value", "year"), long=("indicator_id", name, "quote"),
           phone_hides=("indicator_id", "comparator", "section_id"), shares={"indicator_id": 14, name: 22, "quote": 40})
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
    name, other = ("name_zh", "name_en") if lang() == "zh" else ("name_en", "name_zh")
    cols = _views("src_proj_view", df, {
        "summary": ["project_id", name, "category", "area", "start_year", "end_year", "total_investment_yi",
                    "fyp_investment_yi"],
        "detail": ["project_id", name, "owner", "nature", "description", "output_note"],
        "more": ["project_id", name, other, "annex_no", "subcategory", "land_mu", "section_id", "output_role"],
        "notes": ["project_id", name, "notes"]})
    _table("src_proj", df, cols, figures=("total_investment_yi", "fyp_investment_yi", "land_mu"),
           long=(name, other, "owner", "description", "output_note", "notes", "subcategory", "output_role"),
           phone_hides=("category", "start_year", "nature", "annex_no", "subcategory", "section_id"),
           shares={name: 24, "description": 36, "notes": 50, "output_note": 20})
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
    name, other = ("name_zh", "name_en") if lang() == "zh" else ("name_en", "name_zh")
    cols = _views("src_road_view", df, {
        "summary": ["road_id", name, "road_class", "extent", "length_m", "investment_wan", "start_year", "end_year"],
        "detail": ["road_id", name, "build_type", "width_m", "width_min_m", "width_max_m", "funding_source",
                   "builder"],
        "more": ["road_id", name, other, "annex_no", "section_id"],
        "notes": ["road_id", name, "notes"]})
    _table("src_road", df, cols, figures=("length_m", "investment_wan", "width_m", "width_min_m", "width_max_m"),
           long=(name, other, "extent", "builder", "notes", "funding_source", "road_class"),
           phone_hides=("road_class", "start_year", "width_min_m", "width_max_m", "annex_no", "section_id"),
           shares={name: 16, "extent": 20, "notes": 50})
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
    _plain("src_audit", rows, shown=14, short=4)
    n_warn = sum(f.severity == "warning" for f in findings)
    st.caption(f"{t('sev_warning')}{t('colon')}{n_warn} · {t('sev_info')}{t('colon')}{len(findings) - n_warn}")


def public_tab(data) -> None:
    """Figures beyond the plan (city-level series, an earlier target and its outcome), each with its measure."""
    figs = data.public_figures.drop(columns=["src_row"])
    zh = lang() == "zh"
    name, measure, note = ("name_zh", "measure_zh", "note_zh") if zh else ("name_en", "measure", "note")
    st.caption(t("public_help"))
    shown = figs[[c for c in ("figure_id", name, "year", "value", "unit", "scope", measure, "source", "quote", note)
                  if c in figs.columns]]
    cols = _views("src_public_view", shown, {"summary": ["figure_id", name, "year", "value", "unit", "scope", measure],
                                             "source": ["figure_id", name, "source", "quote", note]})
    _table("src_public", shown, cols, figures=("value", "year"), long=("figure_id", name, measure, "source", "quote",
                                                                        note),
           phone_hides=("figure_id", "scope"), shares={"quote": 36, note: 24},
           titles={"quote": t("src.col.quote_public")})  # the source's words, not the plan's
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
    _plain("src_meta", rows)
    _download(data, "plan.csv")
    if len(data.sections):
        st.subheader(t("tab_sections"))
        sections = data.sections.drop(columns=["src_row"])
        cols = [c for c in ("section_id", "title_zh" if zh else "title_en") if c in sections.columns]
        _plain("src_sections", [{_head(c): v for c, v in r.items()} for r in sections[cols].to_dict(orient="records")])
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
    _plain("src_segments", seg_rows, phone_hides=(t("up.col_base_row"), t("up.col_target_row"), t("up.col_code"),
                                                  t("up.col_sd")))
    _download(data, "segments.csv")
    if len(data.areas):
        st.subheader(t("up.areas"))
        _plain("src_areas", [{t("area"): area(a.id), t("up.col_parent"): area(a.parent) if a.parent else "—",
                              t("up.col_code"): a.code} for a in data.areas])
        _download(data, "areas.csv")
    own = [r for r in data.enumerations if "src_row" in r and r.get("column") not in ENGINE_COLUMNS]
    if own:
        st.subheader(t("up.enumerations"))
        _plain("src_enums", [{t("up.col_column"): col_title(r["column"]), t("value"): r["value"],
                              t("up.col_name"): r.get(f"name_{lg}") or r.get("name_zh") or r["value"],
                              t("up.col_code"): r.get("code") or "—",
                              t("up.col_flag"): t(FLAG_KEYS[r["flag"]]) if r.get("flag") in FLAG_KEYS
                              else (r.get("flag") or "—")} for r in own])
        _download(data, "enumerations.csv")
    from model.scenario.presets import _rules

    rules = _rules(data)
    st.subheader(t("up.presets"))
    _plain("src_presets", [{t("preset"): preset_name(slug, lg, data),
                            t("up.col_segment"): t("up.all_segments") if k == "*" else seg(k),
                            t("up.col_rule"): t(RULE_KEYS[rule]) if rule in RULE_KEYS else rule}
                           for slug, by in rules.items() for k, rule in by.items()])
    _download(data, "presets.csv")
    if len(data.defaults):
        st.subheader(t("up.defaults"))
        _plain("src_defaults", [{t("up.col_setting"): r["parameter"], t("value"): r["value"],
                                 t("col_note"): r.get(f"note_{lg}") or r.get("note_zh") or ""}
                                for r in data.defaults.to_dict(orient="records")])
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

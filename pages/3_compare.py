"""情景对比 Compare: save scenarios in this session, overlay 2–4 of them, table of assumptions and results."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model import ScenarioError
from model.io.export import assumptions_bytes, neutralise_csv_text
from model.io.library import LibraryError
from model.plan.calendar import HORIZON_SPAN
from model.calc.results import headline
from model.report import charts
from model.report import labels
from model.report.brief import stable_metrics
from model.units import YEAR_UNIT
from model.report.labels import row_label, value_text
from model.scenario import clean_name
from ui import layout, state
from ui.controls import field_of
from ui.i18n import fixed, lang, preset_name, seg, seg_output, t
from ui.layout import fmt, md_text

MAX_NAME = 80
ASSUMPTION_FIELDS = ("horizon", "basis", "profile", "delay_all", "overrun", "ceiling_yi")


def _save() -> None:
    name = clean_name(str(st.session_state.get("save_name", "")))[:MAX_NAME]  # the one cleaner of entered text
    if not name:
        state.flash("warning", "name_empty")
        return
    saved = dict(st.session_state.get(state.SAVED, {}))
    saved[name] = state.scenario().with_(name=name)
    st.session_state[state.SAVED] = saved
    state.flash("success", "saved_ok", name=name)


def _library_records() -> list:
    """The library's latest versions, or [] with a notice when it cannot be used (the app works without it)."""
    try:
        with state.open_library() as lib:
            records = lib.list()
            if lib.skipped:  # unreadable rows are named, the rest stays usable
                st.session_state["library_skipped"] = [str(x) for x in lib.skipped]
            return records
    except LibraryError as exc:
        st.session_state["library_error"] = str(exc)
        return []


def _lib_save() -> None:
    ss = st.session_state
    try:
        with state.open_library() as lib:
            rec = lib.save(str(ss.get("lib_name", "")), state.scenario(), str(ss.get("lib_author", "")),
                           str(ss.get("lib_note", "")))
        state.flash("success", "lib_saved", name=rec.name, id=rec.short_id, v=rec.version)
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)])


def _lib_open(name: str, version: int | None = None) -> None:
    """Open a stored scenario with the plan it is for (another plan offered here: that plan, and a message)."""
    try:
        with state.open_library() as lib:
            rec = lib.get(name, version)
        s = state.read_scenario_file(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}")
    except (LibraryError, ScenarioError) as exc:
        state.flash("error", "lib_failed", exc.problems if isinstance(exc, ScenarioError) else [str(exc)])
        return
    state.open_scenario(s, name)


def _lib_do(action: str, name: str, version: int | None = None) -> None:
    try:
        with state.open_library() as lib:
            if action == "delete":
                lib.delete(name)
            elif action == "restore":
                lib.restore(name, version)
        state.flash("info", f"lib_{action}d", name=name)
    except LibraryError as exc:
        state.flash("error", "lib_failed", [str(exc)])


def _lib_file(rec) -> bytes:
    """A stored scenario as the file users download everywhere else (with its descriptions)."""
    try:
        return assumptions_bytes(rec.scenario())
    except ScenarioError:
        return neutralise_csv_text(rec.content).encode("utf-8-sig")


def who_panel() -> None:
    """Editors sign in to change the library; everyone else reads it (no accounts configured: no sign-in)."""
    if st.session_state.get(state.EDITOR_TOKEN):
        c = st.columns([3, 1], vertical_alignment="center")
        c[0].caption(t("signed_in_as", name=md_text(st.session_state.get("editor_name", ""))))
        c[1].button(t("sign_out"), on_click=state.sign_out, width="stretch", key="sign_out")
        return
    state.oidc_session()
    if st.session_state.get(state.EDITOR_TOKEN):
        st.rerun()
    if state.oidc_configured():
        st.button(t("sign_in_oidc"), on_click=st.login, icon=":material/badge:", key="sign_in_oidc")
    with st.form("sign_in_form", border=True):
        st.caption(t("sign_in_help"))
        c = st.columns([2, 2, 1], vertical_alignment="bottom")
        c[0].text_input(t("editor_name"), key="si_name", max_chars=200)
        c[1].text_input(t("editor_password"), key="si_password", type="password", max_chars=1024)
        c[2].form_submit_button(t("sign_in"), on_click=state.sign_in, args=("si_name", "si_password"),
                                width="stretch")


def history_panel(name: str) -> None:
    """Who did what to this scenario, from the library's audit log."""
    try:
        with state.open_library() as lib:
            entries = lib.log(limit=50, name=name)
    except LibraryError:
        return
    if entries:
        st.dataframe([{t("log_time"): e.at, t("log_who"): e.actor, t("log_action"): e.action, t("lib_version"): e.version,
                       t("scenario_id"): e.short_id} for e in entries], hide_index=True, width="stretch")


def library_panel(records: list) -> None:
    """Save, open, version history, trash (save/delete hidden in a read-only presentation deployment)."""
    if st.session_state.get("library_error"):
        st.warning(t("lib_unavailable", err=st.session_state.pop("library_error")))
        return
    skipped = st.session_state.pop("library_skipped", None)
    if skipped:
        st.warning(t("lib_skipped") + "\n\n" + "\n".join(f"- {md_text(x)}" for x in skipped[:20]))
    ro = state.read_only()
    try:
        with state.open_library() as lib:
            accounts, ro = lib.auth.accounts, ro or not lib.can_write
    except LibraryError:
        accounts = False
    if accounts:
        who_panel()
    if ro:
        st.caption(t("lib_read_only") if state.read_only() else t("lib_viewer"))
    else:
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        st.session_state.setdefault("lib_name", state.scenario().name)
        c1.text_input(t("lib_name"), key="lib_name", max_chars=200)
        c2.text_input(t("lib_author"), key="lib_author", max_chars=200)
        c3.button(t("lib_save"), on_click=_lib_save, type="primary", width="stretch")
        st.text_area(t("lib_note"), key="lib_note", max_chars=10_000, height=68)
    if not records:
        st.caption(t("lib_empty"))
        return
    rows = [{t("scenario_id"): r.short_id, t("lib_name"): r.name, t("lib_version"): r.version, t("lib_author"): r.author,
             t("lib_note"): r.note[:80], t("lib_time"): r.created_at} for r in records]
    st.dataframe(rows, hide_index=True, width="stretch")  # names and notes shown as text, never as markdown
    names = [r.name for r in records]
    pick = st.selectbox(t("lib_pick"), names, key="lib_pick")
    b = st.columns(3)
    b[0].button(t("lib_open"), on_click=_lib_open, args=(pick,), width="stretch")
    rec = next(r for r in records if r.name == pick)
    b[1].download_button("assumptions.csv", data=_lib_file(rec), file_name="assumptions.csv",
                         mime="text/csv", on_click="ignore", width="stretch", key="lib_dl")
    trash = []  # read-only (or a viewer): no trash to restore from, and the history panel below still opens
    if not ro:
        b[2].button(t("lib_delete"), on_click=_lib_do, args=("delete", pick), width="stretch")
        try:
            with state.open_library() as lib:
                history, trash = lib.history(pick), lib.list(trash=True)
        except LibraryError:
            history, trash = [], []
        if len(history) > 1:
            versions = [r.version for r in history]
            v = st.selectbox(t("lib_history"), versions, key="lib_version",
                             format_func=fixed(lambda x: next(f"v{r.version} · {r.short_id} · {r.created_at}"
                                                              for r in history if r.version == x), versions))
            st.button(t("lib_restore_version"), on_click=_lib_do, args=("restore", pick, v))
    exp = layout.lazy_expander(t("log_title"), "open_lib_log", icon=":material/history:")
    if exp is not None:
        with exp:
            history_panel(pick)
        if trash:
            tname = st.selectbox(t("lib_trash"), [r.name for r in trash], key="lib_trash_pick")
            st.button(t("lib_restore"), on_click=_lib_do, args=("restore", tname))


@st.cache_resource(show_spinner=False, max_entries=256)
def _stored(content: str, plan_id: str, fingerprint: str):
    """A stored scenario of the session's plan (None: another plan's, or unreadable), parsed once per content."""
    try:
        s = state.read_scenario_file(content.encode("utf-8"), "library")
    except ScenarioError:
        return None
    return s if s.plan_data.id == plan_id else None


def _options(records: list | None = None) -> dict[str, object]:
    """The scenarios to compare, all of the session's plan: the current one, saved ones, the library's, presets."""
    data = state.load_data()
    opts = {"current": state.scenario()}
    for name, s in st.session_state.get(state.SAVED, {}).items():
        if s.plan_data.id == data.id:
            opts[f"saved:{name}"] = s
    for r in records or []:
        s = _stored(r.content, data.id, data.fingerprint)
        if s is not None:  # a stored scenario of another plan, or one that no longer validates, is not offered here
            opts[f"lib:{r.name}"] = s
    for name, s in state.preset_table().items():
        opts[f"preset:{name}"] = s
    return opts


def _label(key: str, opts: dict) -> str:
    if key == "current":
        return t("current_label", name=preset_name(opts[key].name))
    kind, name = key.split(":", 1)
    return t({"saved": "saved_label", "lib": "lib_label"}.get(kind, "preset_label"), name=preset_name(name))


def _assumption_rows(s) -> dict[str, object]:
    """The settings that differ most between scenarios, labelled from the field table and the plan. The table prints
    bare numbers (and their differences), so a number's label keeps its unit (growth （%）, ceiling （亿元/年）)."""
    lg, data = lang(), s.plan_data
    ctx = labels.context(s, data)
    rows = {}
    g = field_of("growth")
    for k in s.tree.unsplit:
        rows[labels.field_label(g, lg, ctx, k, data, s)] = s.growth[k] * 100
    b = field_of("baselines")
    for k in s.tree.stated:
        rows[labels.field_label(b, lg, ctx, k, data, s)] = s.baselines[k]
    for name in ASSUMPTION_FIELDS:
        f = field_of(name)
        v = getattr(s, name)
        if not f.present:
            continue
        if name == "basis":
            rows[row_label(f, lg, ctx, data=data, s=s)] = t(
                {"fyp": "basis_fyp", "total": "basis_total"}[v],
                period=data.meta.text("period", lg) or t("up.plan_period"))
        elif name == "overrun":
            rows[labels.field_label(f, lg, ctx, data=data, s=s)] = v * 100
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            rows[labels.field_label(f, lg, ctx, data=data, s=s)] = v
        else:
            rows[row_label(f, lg, ctx, data=data, s=s)] = value_text(f, v, lg, ctx)
    rows[row_label(field_of("excluded"), lg, ctx, data=data, s=s)] = len(s.excluded)
    return rows


def result_metrics(r) -> list[str]:
    """The results a comparison shows: per headline segment its output, gap and growth; a residual's conditional
    growth; the plan's investment."""
    p, s = r.projection, r.scenario
    key = {x.id: x.key for x in s.tree}
    names = []
    for x in headline(s, p.targets):
        names.append(f"output_{key[x]}")
        if x in p.targets:
            names.append(f"gap_{key[x]}")
        names.append(f"cagr_{key[x]}")
    names += [f"required_cagr_{key[x]}" for x in p.required_conditional]
    data = state.data_for(s)
    if len(data.projects):
        names += ["project_investment_fyp", "peak_investment_year"]
    if len(data.roads):
        names.append("road_investment_total")
    return names


def _outcome(segments: tuple[str, ...]):
    """The outcome of the session's actuals set for ``segments`` (year, segment, value), or None (no set, or a plan
    whose actuals the outcome series cannot read)."""
    from ui import documents

    try:
        aset = documents.actuals()
        if aset is None:
            return None
        from model.calc.nextplan import outcome_series

        out = outcome_series(aset.frame(), state.load_data())
    except Exception:  # noqa: BLE001 - the outcome is an extra: the comparison stands without it
        layout.log.info("no outcome series for this plan", exc_info=True)
        return None
    return out[out["segment"].isin(segments)]


def body() -> None:
    st.title(t("nav_compare"))
    st.caption(t("compare_intro"))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input(t("save_as"), key="save_name", max_chars=MAX_NAME, placeholder=preset_name(state.scenario().name))
    c2.button(t("save"), on_click=_save, width="stretch", type="primary")
    lib_open = layout.lazy_expander(t("lib_title"), "open_library", icon=":material/inventory_2:")
    records = _library_records() if lib_open is not None else []
    if lib_open is not None:
        with lib_open:
            library_panel(records)
    opts = _options(records)
    keys = list(opts)
    others = [k for k in keys if k.startswith("preset:") and k != f"preset:{state.base_slug()}"]
    default = ["current"] + others[:1]
    ss = st.session_state
    if "compare_pick" in ss:  # choices of another plan (or deleted) are dropped, not an error
        kept = [k for k in ss["compare_pick"] if k in opts]
        if kept != list(ss["compare_pick"]):
            ss["compare_pick"] = kept
    chosen = st.multiselect(t("pick"), keys, default=None if "compare_pick" in ss else default, key="compare_pick",
                            placeholder=t("choose"), format_func=fixed(lambda k: _label(k, opts), keys))
    chosen = [k for k in chosen if k in opts]
    if len(chosen) < 2:
        st.info(t("pick_more"))
        return
    if len(chosen) > 4:
        st.warning(t("pick_fewer"))
        chosen = chosen[:4]
    first = min(opts[k].target_year for k in chosen)
    last = max(opts[k].target_year for k in chosen) + HORIZON_SPAN
    if st.session_state.get("compare_horizon") not in range(first, last + 1):
        st.session_state.pop("compare_horizon", None)
    horizon = st.select_slider(t("compare_to"), options=list(range(first, last + 1)), key="compare_horizon")

    def at(s):  # each scenario to the chosen year, within what its own calendar allows
        return s.with_(horizon=min(max(horizon, s.target_year), s.target_year + HORIZON_SPAN))

    names = [_label(k, opts) for k in chosen]
    res = [state.results(at(opts[k])) for k in chosen]
    s0 = state.scenario()
    root = s0.root
    st.caption(" · ".join(t("compare_value_at", label=md_text(label), v=fmt(r.projection.series(root).iloc[-1]),
                            year=horizon) for label, r in zip(names, res)))
    parts = [x for x in headline(s0, res[0].projection.targets) if x != root]
    second = None
    if parts:
        if st.session_state.get("compare_seg") not in parts:
            st.session_state.pop("compare_seg", None)
        second = st.selectbox(t("up.compare_seg"), parts, key="compare_seg", format_func=fixed(seg, parts)) \
            if len(parts) > 1 else parts[0]
    traj, part, inv = [], [], []
    for label, r in zip(names, res):
        p = r.projection
        traj.append(pd.DataFrame({"year": p.path.index, "series": label, "value": p.series(root).values}))
        if second is not None:
            part.append(pd.DataFrame({"year": p.path.index, "series": label, "value": p.series(second).values}))
        by = r.projects.by_year()
        inv.append(pd.DataFrame({"year": by.index, "series": label, "value": by.values}))
    outcome = _outcome(tuple(x for x in (root, second) if x))  # actuals of the session's set beside the scenarios
    if outcome is not None and len(outcome):
        name = t("pn.compare_outcome")
        for frames, segment in ((traj, root), (part, second)):
            a = outcome[outcome["segment"] == segment]
            if len(a) and segment is not None:
                frames.append(pd.DataFrame({"year": a["year"], "series": name, "value": a["value"]}))
    left, right = st.columns(2, gap="large") if second is not None else (st.container(), None)
    with left:
        st.subheader(t("compare_seg", output=seg_output(root)))
        layout.chart(charts.lines(pd.concat(traj), series_title=t("series"), x_title=t("year"),
                                  y_title=t("value_yi")), name=t("compare_seg", output=seg_output(root)))
    if right is not None:
        with right:
            st.subheader(t("compare_seg", output=seg_output(second)))
            layout.chart(charts.lines(pd.concat(part), series_title=t("series"), x_title=t("year"),
                                      y_title=t("value_yi")), name=t("compare_seg", output=seg_output(second)))
    if len(state.data_for(s0).projects):
        st.subheader(t("compare_phasing"))
        layout.chart(charts.lines(pd.concat(inv), series_title=t("series"), x_title=t("year"),
                                  y_title=t("invest_yi")))
    st.subheader(t("compare_table"))
    table = {}
    not_amounts: set[str] = set()  # rows of years (a horizon, a peak year): a difference of two years is no amount
    wanted = result_metrics(res[0])
    for label, k, r in zip(names, chosen, res):
        col = _assumption_rows(opts[k])
        metrics = stable_metrics(r)
        for metric in wanted:
            if metric not in metrics:
                continue
            value, unit = metrics[metric]
            name = labels.metric_label(metric, r.scenario, lang(), state.data_for(r.scenario)) or metric
            row = f"{name}（{labels.unit_text(unit, lang())}）" if lang() == "zh" else \
                f"{name} ({labels.unit_text(unit, lang())})"
            col[row] = value
            if unit == YEAR_UNIT:  # a year (the investment peak, the year a target is reached), not an amount
                not_amounts.add(row)
        table[label] = col
    df = pd.DataFrame(table)
    first_label = names[0]
    not_amounts.add(labels.field_label(field_of("horizon"), lang(), labels.context(s0, s0.plan_data),
                                       data=s0.plan_data, s=s0))
    amounts = ~df.index.isin(sorted(not_amounts))
    for label in names[1:]:
        a = pd.to_numeric(df[first_label], errors="coerce")
        b = pd.to_numeric(df[label], errors="coerce")
        df[t("diff_of", label=label, first=first_label)] = (b - a).where(a.notna() & b.notna() & amounts, None)
    shown = df.astype(object).map(lambda v: "—" if v is None or v != v else fmt(v, 2) if isinstance(v, float)
                                   else str(v))
    st.table(shown)  # wraps: every scenario's column on screen at any width
    layout.downloads()


layout.page(body, "nav_compare")

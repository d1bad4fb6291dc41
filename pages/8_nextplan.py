"""下一规划期 Next plan, for any plan: start from the actuals of a year in which every stated segment has its own
figure, set the next plan's targets (user-set, typed or derived by a stated rule), read them backwards (growth,
probability, land), phase a new project and road list over the new plan period, write the conclusion, and take the
draft away as a plan package (model/plan/draft.py).

Every name comes from the plan package (segments, periods, areas); every base says its year and whether it is an
actual, derived or user-set; every target here is user-set unless it is the plan's own for its own year."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from model import DataError, ScenarioError
from model.calc import nextplan as npn
from model.calc.analysis import investment_output, investment_output_key
from model.calc.phasing import phasing_key
from model.calc.results import lists_in_effect
from model.io.export import neutralise_csv_text
from model.io.lists import template_text
from model.numbers import sig15
from model.plan import draft as plan_draft
from model.report import charts
from model.report.labels import inline_unit, name_list, named_ids, sampling_error_pp, unit_text
from model.scenario import FIELDS, FrozenMap
from model.scenario.fields import MONEY_MAX, field_of
from model.scenario.presets import implied_targets, plan_bases
from model.scenario.scenario import MAX_PLAN_YEARS
from ui import controls, documents, layout, state
from ui.i18n import area, fixed, lang, t
from ui.layout import fmt, md_code, md_text, pct

METHOD_KEYS = {"achieved": "pn.method.achieved", "historical": "pn.method.historical",
               "old_required": "pn.method.old_required"}
REBASE_WHY = {code: f"pn.why.{code}" for code in npn.REBASE_WHY}  # the model's reasons, each worded once
METHOD_WHY = {"needs_actuals": "pn.mwhy.needs_actuals", "not_after": "pn.mwhy.not_after",
              "no_stated_base": "pn.mwhy.no_stated_base", "base_not_comparable": "pn.mwhy.base_not_comparable",
              "no_trend": "pn.mwhy.no_trend", "trend_not_comparable": "pn.mwhy.trend_not_comparable",
              "assumed_base": "pn.mwhy.assumed_base"}
BASE_KIND = {"actual": "pn.kind.actual", "plan": "pn.kind.plan", "derived": "pn.kind.derived",
             "assumed": "pn.kind.assumed", "user": "pn.kind.user", "rest": "pn.kind.rest"}
LIST_KEYS = {"projects": ("pn.list_projects", "pn.upload_projects", "pn.template_projects", "pn.annex_projects"),
             "roads": ("pn.list_roads", "pn.upload_roads", "pn.template_roads", "pn.annex_roads")}
REF_KEYS = (("actuals", "actuals_ref", "pn.ref_actuals"), ("projects", "projects_ref", "pn.ref_projects"),
            ("roads", "roads_ref", "pn.ref_roads"))
OTHER = "np_other_targets"  # plan id -> {indicator id: the user's target} (the plan's other numeric targets)
COMPARATOR_WORD = {">": "pn.cmp.gt", ">=": "pn.cmp.ge", "=": "pn.cmp.eq", "~": "pn.cmp.about", "<=": "pn.cmp.le"}


# -- what is in effect ----------------------------------------------------------------------------------

def _data():
    return state.scenario().plan_data


def _diff(new) -> dict:
    old = state.scenario()
    return {f.name: getattr(new, f.name) for f in FIELDS if getattr(new, f.name) != getattr(old, f.name)}


def _apply(new) -> bool:
    """Every field in which ``new`` differs from the current scenario, as one validated change (undoable)."""
    fields = _diff(new)
    return state.change(**fields) if fields else True


def _history(s, data):
    """The new base's actuals (BaseActuals) when the scenario starts from the session's actuals set."""
    aset = documents.actuals()
    if aset is None or not npn.is_rebased(s, data):
        return None
    try:
        return npn.base_actuals(aset, data, s.base_year)
    except ScenarioError:
        return None


def _same(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def base_kind(s, data, hist, segment: str) -> str:
    """How the scenario's base of ``segment`` is known: actual, plan (stated), derived, assumed, user or rest (it
    follows from the other bases: a residual, a share, a sum)."""
    if segment not in data.segments.stated:
        return "rest"
    v = s.baselines[segment]
    if npn.is_rebased(s, data):
        return "actual" if hist is not None and segment in hist.values and _same(v, hist.values[segment]) else "user"
    if not _same(v, plan_bases(data)[segment]):
        return "user"
    return {"stated": "plan", "derived": "derived", "assumed": "assumed"}[npn.old_base_kind(data, segment)]


def base_mark(s, data, hist, segment: str) -> str:
    kind = base_kind(s, data, hist, segment)
    if kind == "actual":
        scope = hist.scopes.get(segment, "")
        return t(BASE_KIND[kind], measure=hist.measures.get(segment) or "—",
                 scope=t("pn.scope_is", scope=data.label("scope", scope, lang())) if scope else t("pn.scope_none"))
    return t(BASE_KIND[kind])


def per_mu_mark(s, data, hist) -> str:
    """Where output per mu in the base year comes from."""
    if s.per_mu_base is not None:
        if hist is not None and hist.per_mu is not None and _same(s.per_mu_base, hist.per_mu):
            return t("pn.per_mu_actual", base_year=s.base_year)
        return t("pn.per_mu_user")
    row = data.role_row("per_mu_base")
    if int(row["year"]) == s.base_year:  # the plan's own figure of this very year: nothing is grown
        return t("pn.per_mu_stated", plan_year=int(row["year"]))
    return t("pn.per_mu_plan", plan_year=int(row["year"]), value=fmt(float(row["value"]), 2),
             g=pct(s.per_mu_growth))


def _land_years(data, s) -> str:
    """The years of the plan's land figures, listed as a sentence names them: land stated for an earlier year than
    the new base year is counted as it was then, and said so."""
    years = sorted({int(r["year"]) for r in data.role_rows("land_available") if r.get("year") == r.get("year")})
    return t("eval.sep").join(str(y) for y in years) if years else str(s.base_year)


def target_per_mu_mark(s, data, hist) -> str:
    """Where output per mu in the target year comes from: the base year's figure (as :func:`per_mu_mark` says)
    grown at the per-mu growth, never a figure stated or reported for that year."""
    return t("pn.per_mu_target_mark", base_year=s.base_year, mark=per_mu_mark(s, data, hist), g=pct(s.per_mu_growth))


def _reasons(reasons: dict, keys: dict, data) -> str:
    items = [t("pn.seg_why", seg=data.seg_name(k, lang()), why=t(keys.get(v, v) if v in keys else v))
             for k, v in reasons.items()]
    return ("；" if lang() == "zh" else "; ").join(items)


def _method() -> str:
    m = st.session_state.get("np_method", "old_required")
    return m if m in METHOD_KEYS else "old_required"


# -- changes ----------------------------------------------------------------------------------------------

def _rebase() -> None:
    data, aset = _data(), documents.actuals()
    year = st.session_state.get("np_base_year")
    if aset is None or year is None:
        return
    method = _method()
    try:
        base = npn.base_actuals(aset, data, int(year))
        s = npn.rebase(state.scenario(), base).with_(actuals_ref=aset.short_id)
        d = npn.derive_targets(s, data, method, base, complete=True)
        s = npn.set_targets(s, d.values)  # the growth the new targets require, never the old preset's
    except ScenarioError as exc:
        state.flash("error", "scenario_error", exc.problems)
        return
    if _apply(s):
        state.flash("success", "pn.rebased_ok", base_year=s.base_year, plan_first=s.plan_first_year,
                    plan_last=s.plan_last_year, method=t(METHOD_KEYS[method]))
        _fallback_note(d, data)


def _fallback_note(d, data) -> None:
    """Say which segments the rule did not apply to (their targets follow the old plan's required rate)."""
    if d.fallback:
        state.flash("warning", "pn.fallback", segs=name_list([data.seg_name(x, lang()) for x in d.fallback], lang()))


def _unrebase() -> None:
    _apply(npn.plan_calendar_fields(state.scenario(), state.base()))


def _derive() -> None:
    s, data = state.scenario(), _data()
    method = _method()
    hist = _history(s, data)
    if method != "old_required" and hist is None:
        state.flash("warning", "pn.derive_needs_actuals")
        return
    try:
        d = npn.derive_targets(s, data, method, hist, complete=True)
        new = npn.follow_targets(s, d.values)
    except ScenarioError as exc:
        state.flash("error", "scenario_error", exc.problems)
        return
    if _apply(new):
        items = [t("pn.derived_item", seg=data.segments[x].output_name(lang()), value=fmt(v), rate=pct(d.rates[x]))
                 for x, v in d.values.items()]
        state.flash("success", "pn.derived", method=t(METHOD_KEYS[method]), target_year=s.target_year,
                    items=name_list(items, lang()))
        _fallback_note(d, data)


def _fix_targets() -> None:
    """A scenario aimed at a year its plan names no target for, without targets: the rule chosen, else the growth
    the old plan required (user-set)."""
    s, data = state.scenario(), _data()
    hist = _history(s, data)
    method = _method() if hist is not None else "old_required"
    d = npn.derive_targets(s, data, method, hist, complete=True)
    state.change(**_diff(npn.follow_targets(s, {k: v for k, v in d.values.items() if k not in s.targets})))


def _target_year_fields(v) -> dict:
    s, data = state.scenario(), _data()
    new = npn.with_target_year(s, int(v))
    if new.target_year != data.calendar.target_year:  # the plan's targets are for its own year: user-set ones
        missing = [x for x in data.segments.with_targets if x not in new.targets]
        if missing:
            d = npn.derive_targets(new, data, "old_required", complete=True)
            new = npn.follow_targets(new, {x: d.values[x] for x in missing if x in d.values})
    return _diff(new)


def _target_fields(segment: str):
    def convert(v) -> dict:
        if v is None:
            return {}
        return _diff(npn.follow_targets(state.scenario(), {segment: sig15(float(v))}))
    return convert


def _set_rate(keys: tuple[str, ...], rate: float) -> None:
    g = dict(state.scenario().growth)
    for k in keys:
        g[k] = sig15(rate)
    state.change(growth=FrozenMap(g))


def _load_list(key: str, kind: str) -> None:
    """on_change of a list uploader: the list validated against the session's plan (its areas and values)."""
    from model.io.lists import PlanList

    data = _data()
    pl = documents.read_upload(key, lambda raw, name: PlanList.from_bytes(raw, name, kind, data))
    if pl is None:
        return
    documents.remember_list(pl)
    changes = {documents.LIST_REF[kind]: pl.short_id}
    if kind == "projects":
        s = state.scenario()
        ids = set(pl.ids())
        changes.update(excluded=frozenset(i for i in s.excluded if i in ids),
                       delay_project=FrozenMap({k: v for k, v in s.delay_project.items() if k in ids}))
    if state.change(**changes):
        state.flash("success", "pn.list_loaded", file=pl.label, n=len(pl), id=pl.short_id)


# -- 1. the base -------------------------------------------------------------------------------------------

def base_section(r, data) -> None:
    s = r.scenario
    st.subheader(t("pn.step_base"))
    aset = documents.actuals()
    rebased = npn.is_rebased(s, data)
    hist = _history(s, data)
    t_ = data.segments
    shown = [x for x in t_.post_order() if x in t_.stated or x == t_.root or t_.residual_of(t_[x].parent) == x]
    bases = s.bases
    cols = layout.metric_grid(len(shown))
    for i, x in enumerate(shown):
        cols[i].metric(t("pn.base_of", seg=t_[x].output_name(lang())), f"{fmt(bases[x])} {t('unit_yi')}",
                                   help=base_mark(s, data, hist, x))
    st.caption(t("pn.base_kinds", items=("；" if lang() == "zh" else "; ").join(
        f"{t_[x].output_name(lang())}{t('colon')}{base_mark(s, data, hist, x)}" for x in shown)))
    if rebased:
        st.caption(t("pn.rebased_caption"))
        if hist is not None:
            achieved = npn.achieved_growth(hist, data)
            if achieved:
                cols = layout.metric_grid(len(achieved))
                for i, (x, g) in enumerate(achieved.items()):
                    cols[i].metric(t("pn.achieved_of", seg=data.seg_name(x, lang())), pct(g),
                                               help=t("pn.achieved_help"))
            refused = {k: v for k, v in npn.method_reasons(data, "achieved", hist).items() if k not in achieved}
            if refused:
                st.caption(f":material/block: {t('pn.achieved_none', items=_reasons(refused, METHOD_WHY, data))}")
        elif aset is None:
            st.warning(t("pn.actuals_ref_missing"))
    if data.has_role("per_mu_base"):
        v = npn.per_mu_output(s, data, s.base_year)
        st.caption(t("pn.per_mu_base", value=fmt(v, 1), mark=per_mu_mark(s, data, hist)))
    left, right = st.columns(2, gap="large")
    with left:
        st.file_uploader(t("pn.actuals_upload"), type=["csv", "xlsx"], key="np_actuals_file",
                         on_change=documents.load_actuals_upload, args=("np_actuals_file",))
    with right:
        if aset is None:
            st.caption(t("pn.actuals_none"))
            if rebased:
                st.button(t("pn.unrebase"), on_click=_unrebase, key="np_unrebase")
            return
        st.caption(t("pn.actuals_held", n=len(aset), id=md_code(aset.short_id)))
        cands = npn.rebase_candidates(aset, data)
        years = [y for y, why in cands.items() if not why]
        if not years:
            st.info(t("pn.no_rebase_year"))
        else:
            if st.session_state.get("np_base_year") not in years:
                st.session_state["np_base_year"] = s.base_year if s.base_year in years else years[0]
            st.selectbox(t("pn.rebase_year"), years, key="np_base_year")
        refused = {y: why for y, why in cands.items() if why}
        if refused:
            st.caption(":material/block: " + " ".join(t("pn.year_refused", year=y, items=_reasons(why, REBASE_WHY, data))
                                                     for y, why in list(refused.items())[:4]))
        st.button(t("pn.rebase"), on_click=_rebase, type="primary", disabled=not years, width="stretch",
                  key="np_rebase", icon=":material/restart_alt:")
        st.button(t("pn.unrebase"), on_click=_unrebase, disabled=not rebased, width="stretch", key="np_unrebase")


# -- 2. the targets ----------------------------------------------------------------------------------------

def _comparator(p, x: str) -> str:
    if p.targets.is_user_set(x):
        return t("pn.cmp.user")
    return t(COMPARATOR_WORD.get(p.targets.comparator(x), "pn.cmp.eq"))


def targets_section(r, data) -> None:
    s, p = r.scenario, r.projection
    user = p.targets.any_user_set
    st.subheader(t("pn.step_targets" if user else "pn.step_targets_plan"))
    options = list(range(s.base_year + 1, s.base_year + MAX_PLAN_YEARS + 1))
    state.bound(st.selectbox, t("pn.target_year"), "np_target_year", s.target_year, _target_year_fields,
                options=options, help=t("pn.target_year_help"))
    segs = [x for x in data.segments.with_targets]
    cols = st.columns(min(max(len(segs), 1), 3))
    for i, x in enumerate(segs):
        with cols[i % len(cols)]:
            value = float(p.targets[x]) if x in p.targets else None
            state.bound(st.number_input, t("pn.target_of", seg=data.segments[x].output_name(lang())),
                        f"np_target_{data.segments[x].code}", value, _target_fields(x), min_value=1e-6,
                        max_value=float(MONEY_MAX), step=10.0, format="%.1f",
                        help=t("pn.target_user" if p.targets.is_user_set(x) else "pn.target_plan"))
    implied = implied_targets(data, dict(p.targets.values))
    rest = [x for x in implied if x not in p.targets]
    if rest:
        st.caption(t("pn.implied", items=name_list([t("pn.implied_item", seg=data.segments[x].output_name(lang()),
                                                          value=fmt(implied[x])) for x in rest], lang())))
    st.caption(f":material/edit_note: {t('pn.user_set_note')}" if user else t("pn.plan_target_note"))
    for x in data.segments.ids:
        parts = [q for q in data.segments.parts_of(x) if q in p.targets]
        if x in p.targets and parts and p.targets[x] < sum(p.targets[q] for q in parts) - 1e-9:
            st.warning(t("pn.whole_below_parts", seg=data.seg_name(x, lang()),
                         parts=name_list([data.seg_name(q, lang()) for q in parts], lang())))
    m = st.columns([3, 1], vertical_alignment="bottom")
    st.session_state.setdefault("np_method", "old_required")
    m[0].radio(t("pn.method"), list(METHOD_KEYS), key="np_method", horizontal=True,
               format_func=fixed(lambda k: t(METHOD_KEYS[k]), list(METHOD_KEYS)))
    m[1].button(t("pn.derive"), on_click=_derive, width="stretch", key="np_derive", icon=":material/calculate:")
    method = _method()
    hist = _history(s, data)
    why = npn.method_reasons(data, method, hist)
    if why:
        st.caption(f":material/block: {t('pn.method_na', method=t(METHOD_KEYS[method]), items=_reasons(why, METHOD_WHY, data))}")
    if method == "old_required":
        flags = {x: k for x in data.segments.with_targets if x not in why
                 for k in [npn.old_base_kind(data, x)] if k != "stated"}
        flags.update({x: "measure" for x in data.segments.with_targets if x not in why and x not in flags
                      and _pairing_differs(data, x)})
        if flags:
            st.caption(f":material/info: {t('pn.old_required_flags', items=_reasons(flags, {'derived': 'pn.flag.derived', 'measure': 'pn.flag.measure'}, data))}")
    other_targets_panel(r, data)


def _pairing_differs(data, x: str) -> bool:
    from model.calc.evaluation import comparability

    b, g = data.segment_base_row(x), data.segment_target_row(x)
    return b is not None and g is not None and not comparability(data, g, b.get("scope") or data.scope,
                                                                 b.get("measure") or "")[0]


_OTHER_ROWS: dict[tuple, list[dict]] = {}


def other_numeric_targets(data) -> list[dict]:
    """The plan's numeric targets for its target year other than the segments' (rows people may set anew); found
    once per plan data (the page asked pandas on every slider move)."""
    key = (data.id, data.fingerprint, data.calendar.target_year)
    if key not in _OTHER_ROWS:
        if len(_OTHER_ROWS) > 64:
            _OTHER_ROWS.clear()
        _OTHER_ROWS[key] = _other_numeric_targets(data)
    return [dict(r) for r in _OTHER_ROWS[key]]


def _other_numeric_targets(data) -> list[dict]:
    seg_ids = {x.target_id for x in data.segments if x.target_id}
    ind = data.indicators
    rows = ind[(ind["kind"] == "target") & (ind["comparator"] != "qual")
               & (ind["year"] == data.calendar.target_year)].to_dict(orient="records")
    return [r for r in rows if r["indicator_id"] not in seg_ids and r.get("value") == r.get("value")]


def other_targets_panel(r, data) -> None:
    rows = other_numeric_targets(data)
    if not rows:
        return
    exp = layout.lazy_expander(t("pn.other_title", n=len(rows)), "np_open_other", icon=":material/checklist:")
    if exp is None:
        return
    store = st.session_state.setdefault(OTHER, {}).setdefault(data.id, {})
    with exp:
        st.caption(t("pn.other_help", target_year=r.scenario.target_year))
        cols = st.columns(3)
        for i, row in enumerate(rows):
            iid = row["indicator_id"]
            key = f"np_other_{iid}"
            if key not in st.session_state:
                st.session_state[key] = store.get(iid)
            name = row.get(f"name_{lang()}") or row["name_zh"]
            old = f"{t(COMPARATOR_WORD.get(row['comparator'], 'pn.cmp.eq'))}{' ' if lang() == 'en' else ''}{row['value']:g}" + (
                f"–{row['value_max']:g}" if row.get("value_max") == row.get("value_max") and row.get("value_max")
                else "")
            unit = row.get("unit") or ""
            cols[i % 3].number_input(t("pn.other_label", name=name, unit=unit_text(unit, lang())), key=key,
                                     value=None, min_value=0.0,
                                     help=t("pn.other_old", plan_year=data.calendar.target_year,
                                            old=_with_unit(old, inline_unit(unit, lang()))),
                                     on_change=_keep_other, args=(data.id, iid, key))


def _with_unit(figure: str, unit: str) -> str:
    """A figure followed by its unit as the language writes it (``12家`` in Chinese, ``12`` in English)."""
    return f"{figure}{' ' if unit and lang() == 'en' else ''}{unit}"


def _keep_other(plan_id: str, iid: str, key: str) -> None:
    store = st.session_state.setdefault(OTHER, {}).setdefault(plan_id, {})
    v = st.session_state.get(key)
    if v is None:
        store.pop(iid, None)
    else:
        store[iid] = float(v)


def other_targets_set(data) -> dict:
    return dict(st.session_state.get(OTHER, {}).get(data.id, {}))


# -- 3. what the targets take --------------------------------------------------------------------------------

def prob_text(p: float) -> str:
    """A probability as the page words it: never "about 100 %" or "about 0 %" (a Monte Carlo share is not a
    certainty)."""
    v = p * 100
    if v >= 99.5:
        return t("pn.prob_high")
    if v <= 0.5:
        return t("pn.prob_low")
    return t("pn.prob", p=fmt(v, 0))


def _required_for(bs, data, key: str) -> float | None:
    """The growth a growth key needs by the targets' own split (a share child: its parent's)."""
    for x in (key,) + data.segments.ancestors(key):
        if x in bs.required:
            return bs.required[x]
    return None


def solve_section(r, data, fan) -> npn.BackSolve:
    s, p = r.scenario, r.projection
    st.subheader(t("pn.step_solve"))
    bs = layout.memo_on(r, ("back_solve", data.id, data.fingerprint), lambda: npn.back_solve(r, data, fan))
    order = [x for x in data.segments.post_order() if x in bs.required]
    cols = layout.metric_grid(len(order))
    for i, x in enumerate(order):
        rel = data.segments[x].relation
        help_ = t("pn.assumed", v=pct(bs.assumed.get(x))) + (" " + t("pn.req_split") if rel == "residual" else "")
        cols[i].metric(t("pn.req_of", seg=data.seg_name(x, lang())), pct(bs.required[x]), help=help_)
    probs = [x for x in data.segments.post_order() if x in bs.prob]
    cols = layout.metric_grid(len(probs) + 1)
    for i, x in enumerate(probs):
        err = max(sampling_error_pp(bs.prob[x], bs.n_paths), 0.5)
        cols[i].metric(t("pn.prob_of", seg=data.seg_name(x, lang())), prob_text(bs.prob[x]),
                                   help=f"{t('pn.prob_help', n=f'{bs.n_paths:,}')} {t('pn.prob_err', e=fmt(err, 1))}")
    cols[len(probs)].metric(t("pn.increase", seg=data.seg_name(s.root, lang())),
                                        f"{fmt(bs.increase_yi)} {t('unit_yi')}")
    if bs.per_mu is not None:
        hist = _history(s, data)
        c = layout.metric_row(3)
        mu = t("unit_mu")
        c[0].metric(t("pn.per_mu"), f"{fmt(bs.per_mu, 0)} {t('unit_wan_per_mu')}",
                    help=target_per_mu_mark(s, data, hist))
        c[1].metric(t("pn.land_needed"), f"{fmt(bs.land_needed_mu, 0)} {mu}", help=t("pn.land_help"))
        if bs.land_available_mu is not None:
            c[2].metric(t("pn.land_available"), f"{fmt(bs.land_available_mu, 0)} {mu}",
                        help=t("pn.land_plan", years=_land_years(data, s)))
        exp = layout.lazy_expander(t("mj.p.lever_title"), "np_open_lever", icon=":material/landscape:")
        if exp is not None:  # its slider and cards drawn only while it is open
            from ui import mujun

            with exp:
                mujun.lever_panel("nextplan", land_needed_mu=bs.land_needed_mu,
                                  land_available_mu=bs.land_available_mu)
    st.markdown(f"**{t('pn.growth_title')}**")
    following = npn.following_targets(s)
    keys = list(s.segments)
    cols = st.columns(3, gap="large")
    for i, x in enumerate(keys):
        with cols[i % 3]:
            controls.slider("growth", map_key=x, widget_key=f"np_g_{data.segments[x].code}")
            req = _required_for(bs, data, x)
            if req is None:
                st.caption(t("pn.required_none"))
            elif following.get(x, False):
                st.caption(t("pn.following"))
            else:
                st.button(t("pn.set_required", rate=fmt(req * 100, 2)), key=f"np_req_{data.segments[x].code}",
                          on_click=_set_rate, args=((x,), req), width="stretch")
    if field_of("per_mu_growth", data).present:
        with cols[len(keys) % 3]:
            controls.slider("per_mu_growth", widget_key="np_per_mu")
    st.markdown(f"**{t('pn.chart')}**")
    aset = documents.actuals()
    actual = None
    if aset is not None:
        actual = npn.outcome_series(aset, data, s.base_year if npn.is_rebased(s, data) else None)
    layout.chart(lambda: trajectory_spec(r, data, lang(), actual),
                 key=("np_trajectory", repr(s), data.id, lang(), None if aset is None else aset.short_id))
    return bs


def trajectory_spec(r, data, lg: str, actual: pd.DataFrame | None) -> dict:
    """The scenario's path of the total and of each segment with a target (any plan), the actuals before the base
    year, and a marker at each target."""
    from model.report.text import tr

    s, p = r.scenario, r.projection
    t_ = data.segments
    shown = [x for x in t_.ids if x == t_.root or x in p.targets]
    frames = [charts.long_frame(p.path.index, {t_.name(x, lg): p.series(x).to_numpy() for x in shown})]
    if actual is not None and len(actual):
        word = tr("kind_actual", lg)
        for x in shown:
            a = actual[actual["segment"] == x].sort_values("year")
            if len(a):
                frames.append(charts.long_frame(a["year"].to_numpy(), {f"{t_.name(x, lg)} · {word}":
                                                                      a["value"].to_numpy()}, ref=2))
    marks = []
    for x in shown:
        if x in p.targets:
            key = "pn.marker_user" if p.targets.is_user_set(x) else "pn.marker_plan"
            marks.append({"year": s.target_year, "value": float(p.targets[x]),
                          "label": tr(key, lg, seg=t_.name(x, lg), year=s.target_year, value=fmt(p.targets[x]))})
    return charts.trajectory(charts.concat(frames), pd.DataFrame(marks, columns=["year", "value", "label"]),
                             x_title=tr("year", lg), y_title=tr("value_yi", lg), series_title=tr("series", lg),
                             projected_label=f"{tr('kind_projected', lg)} →", height=380)


# -- 4. projects --------------------------------------------------------------------------------------------

def _list_panel(kind: str, data, s) -> None:
    title, upload, template, annex = LIST_KEYS[kind]
    st.markdown(f"**{t(title)}**")
    pl, status = documents.list_status(kind)
    ref = getattr(s, documents.LIST_REF[kind])
    own = data.projects if kind == "projects" else data.roads
    if status == "held":
        where = t("pn.in_library") if documents.in_library(kind, pl.short_id) else t("pn.not_in_library")
        st.caption(f"{t('pn.list_held', file=md_text(pl.label or kind), n=len(pl), id=md_code(pl.short_id))} · "
                   f"{where}")
    elif status == "missing":
        st.warning(t("pn.list_missing", id=md_code(ref)))
    elif not len(own):
        st.caption(t("pn.no_annex"))
    elif s.plan_first_year > data.calendar.plan_last_year and not s.carry_lists:
        st.caption(t("pn.annex_not_counted", n=len(own), plan_first=s.plan_first_year))
    else:
        st.caption(t(annex, n=len(own)) + ((" " + t("pn.annex_old")) if npn.is_rebased(s, data) else ""))
    st.file_uploader(t(upload), type=["csv", "xlsx"], key=f"np_{kind}_file", on_change=_load_list,
                     args=(f"np_{kind}_file", kind))
    b = st.container(horizontal=True, gap="small")
    b.download_button(t(template), data=lambda: template_text(kind).encode("utf-8-sig"), file_name=f"{kind}.csv",
                      mime="text/csv", on_click="ignore", key=f"np_tpl_{kind}", icon=":material/download:")
    if pl is not None:
        b.download_button(t("pn.download_list"), data=lambda: neutralise_csv_text(pl.to_csv_text()).encode("utf-8-sig"),
                          file_name=f"{kind}-{pl.short_id}.csv", mime="text/csv", on_click="ignore",
                          key=f"np_dl_{kind}", icon=":material/download:")
    if ref is not None:
        b.button(t("pn.use_annex"), on_click=documents.clear_list, args=(kind,), key=f"np_annex_{kind}",
                 icon=":material/undo:")


def projects_section(r, data_r, data) -> None:
    s = r.scenario
    st.subheader(t("pn.step_projects"))
    left, right = st.columns(2, gap="large")
    with left:
        _list_panel("projects", data, s)
    with right:
        _list_panel("roads", data, s)
    later = s.plan_first_year > data.calendar.plan_last_year
    if later and (len(data.projects) or len(data.roads)):
        state.bound(st.toggle, t("pn.carry_lists"), "np_carry", bool(s.carry_lists),
                    lambda on: {"carry_lists": bool(on)}, help=t("pn.carry_help"))
    exp = layout.lazy_expander(t("pn.phasing_settings"), "np_open_settings", icon=":material/tune:")
    if exp is not None:
        with exp:
            c = st.columns(3)
            with c[0]:
                controls.choice("profile", lambda v: t(f"profile_{v}"), widget=st.selectbox, widget_key="np_profile")
                controls.slider("delay_all", integer=True, widget_key="np_delay_all")
            with c[1]:
                controls.slider("overrun", widget_key="np_overrun", format="%.0f%%")
            with c[2]:
                by = r.projects.by_year()
                state.bound(st.toggle, t("ceiling_on"), "np_ceiling_on", s.ceiling_yi is not None,
                            lambda on: {"ceiling_yi": max(field_of("ceiling_yi", data).lo, round(
                                float(by.max()) * 0.8 if len(by) else 10.0, 0)) if on else None})
                if s.ceiling_yi is not None:
                    controls.number("ceiling_yi", widget_key="np_ceiling")
    projects, roads = lists_in_effect(data_r, s)
    first, last = s.plan_first_year, s.plan_last_year
    by = r.projects.by_year()
    peak = int(by.idxmax()) if len(by) and by.max() > 0 else "—"
    inv = _investment_output(r, data_r) if len(projects) else pd.Series(dtype=float)
    any_roads = bool(len(roads) or len(data.roads))  # a plan without a road list shows no road investment
    c = layout.metric_row(5 if any_roads else 4)
    c[0].metric(t("pn.list_period"), f"{fmt(float(projects['fyp_investment_yi'].sum()), 2)} {t('unit_yi')}")
    c[1].metric(t("pn.phased_period"), f"{fmt(r.projects.total_in(first, last), 2)} {t('unit_yi')}")
    c[2].metric(t("peak_year"), str(peak))
    c[3].metric(t("pn.output_from_projects"), f"{fmt(float(inv.get(s.target_year, 0.0)))} {t('unit_yi')}")
    if any_roads:
        c[4].metric(t("pn.roads_period"), f"{fmt(r.roads.total_in(first, last), 2)} {t('unit_yi')}")
    if not len(projects) and not len(roads):
        st.info(t("pn.nothing_counted"))
        return
    if r.projects.placed_by_default:
        ids = list(r.projects.placed_by_default)
        st.caption(t("pn.placed", year=first, n=len(ids), ids=name_list(named_ids(projects, ids[:12], lang()), lang())
                     + ("…" if len(ids) > 12 else "")))
    if len(projects):
        st.markdown(f"**{t('pn.phasing_chart')}**")
        layout.chart(lambda: invest_spec(r, projects, data_r, lang()),
                     key=("np_invest", phasing_key(s), data_r.id, data_r.source_projects, lang()))
        exp = layout.lazy_expander(t("pn.phasing_table"), "np_open_table", icon=":material/table_chart:")
        if exp is not None:
            with exp:
                heads, rows = _phasing_table(r, projects)
                figures = [k for k in heads if k.isdigit()] + ["total"]
                layout.wrapped_table(("np_phasing", layout.rows_key(rows)), lambda: rows, heads,  # its content
                                     figures=figures, long=("project", "area"),
                                     phone_hides=["id", "area", "start", "end"] + figures[:-1])  # a phone: the totals
                st.caption(t("pn.phasing_rounding"))


def _investment_output(r, data_r) -> pd.Series:
    """Output from the projects' investment by year (model.calc.analysis.investment_output), once per phasing and
    the settings it reads: a growth move reuses it."""
    return layout.memo_on(r.projects, ("investment_output", data_r.id, data_r.fingerprint, data_r.source_projects,
                                       investment_output_key(r.scenario)),
                          lambda: investment_output(data_r, r.scenario, r.projects))


def invest_spec(r, projects: pd.DataFrame, data, lg: str) -> dict:
    from model.report.text import tr

    names = {a: (data.label("area", a, lg) if a else tr("pn.no_area", lg)) for a in projects["area"].unique()}
    groups, sums = r.projects.group_sums(dict(zip(projects["project_id"], projects["area"].map(names))))
    return charts.stacked_bars(charts.group_columns(r.projects.years, groups, sums), group_title=tr("by_area", lg), x_title=tr("year", lg),
                               y_title=tr("invest_yi", lg), height=340)


def _phasing_table(r, projects: pd.DataFrame) -> tuple[dict[str, str], list[dict]]:
    """The per-year investment table: its columns (key → header) and its rows as shown (amounts with two
    decimals; a year's column keyed by the year)."""
    s = r.scenario
    ph = r.projects
    years = [y for y in ph.years if s.plan_first_year <= y <= s.plan_last_year]
    idx = [list(ph.years).index(y) for y in years]
    p = projects.set_index("project_id")
    heads = {"id": "ID", "project": t("project"), "area": t("area"), "start": t("start"), "end": t("end"),
             **{str(y): str(y) for y in years}, "total": t("pn.period_total")}
    rows = []
    for i, pid in enumerate(ph.ids):
        row = p.loc[pid]
        sy, ey = row["start_year"], row["end_year"]
        rec = {"id": pid, "project": row["name_zh"] if lang() == "zh" or not row.get("name_en") else
               row["name_en"],
               "area": area(row["area"]) if row["area"] else "—",
               "start": "—" if pd.isna(sy) else str(int(sy)), "end": "—" if pd.isna(ey) else str(int(ey))}
        for y, j in zip(years, idx):  # a year without money: "—", as a planning table leaves it
            rec[str(y)] = "—" if ph.matrix[i, j] == 0 else layout.money_text(float(ph.matrix[i, j]))
        rec["total"] = layout.money_text(float(ph.matrix[i, idx].sum()))
        rows.append(rec)
    return heads, rows


# -- 5. the conclusion ------------------------------------------------------------------------------------------

def _sep() -> str:
    return "，" if lang() == "zh" else ", "


def summary_parts(r, data_r, data, bs: npn.BackSolve, fan) -> list[tuple[str, str]]:
    """The conclusion as an office writes it: (heading, paragraph) for the base, the targets, the growth they take,
    the land and the projects; every figure from the scenario in effect, every target labelled."""
    s, p = r.scenario, r.projection
    t_ = data.segments
    hist = _history(s, data)
    out = []
    stated = [x for x in t_.post_order() if x in t_.stated]
    items = [t("pn.summary.base_item", seg=t_[x].output_name(lang()), value=fmt(s.bases[x]),
               mark=base_mark(s, data, hist, x)) for x in stated]
    text = t("pn.summary.base", items=_sep().join(items))
    if hist is not None:
        achieved = npn.achieved_growth(hist, data)
        if achieved:
            text += t("pn.summary.achieved", items=_sep().join(
                t("pn.summary.rate_item", seg=t_[x].output_name(lang()), rate=pct(g)) for x, g in achieved.items()))
        refused = [x for x in t_.with_targets if x not in achieved]
        if refused:
            text += t("pn.summary.no_achieved", segs=name_list([data.seg_name(x, lang()) for x in refused], lang()))
    out.append(("pn.summary.h_base", text))
    tg = [x for x in t_.post_order() if x in p.targets]
    items = [t("pn.summary.target_item", seg=t_[x].output_name(lang()), cmp=_comparator(p, x), value=fmt(p.targets[x]))
             for x in tg]
    out.append(("pn.summary.h_targets", t("pn.summary.targets" if p.targets.any_user_set else "pn.summary.targets_plan",
                                          items=_sep().join(items))))
    order = [x for x in t_.post_order() if x in bs.required]
    need = _sep().join(t("pn.summary.need_item", seg=t_[x].output_name(lang()), rate=pct(bs.required[x]))
                       for x in order)
    assumed = _sep().join(t("pn.summary.rate_item", seg=t_[x].output_name(lang()), rate=pct(bs.assumed.get(x)))
                          for x in order if x in bs.assumed)
    probs = _sep().join(t("pn.summary.prob_item", seg=t_[x].output_name(lang()), p=prob_text(bs.prob[x]))
                        for x in order if x in bs.prob)
    text = t("pn.summary.need", items=need)
    if probs:
        text += t("pn.summary.prob", assumed=assumed, items=probs)
    out.append(("pn.summary.h_growth", text))
    if bs.per_mu is not None and bs.land_needed_mu is not None:
        text = t("pn.summary.land", seg=t_[s.root].output_name(lang()), increase=fmt(bs.increase_yi),
                 per_mu=fmt(bs.per_mu, 0), mark=target_per_mu_mark(s, data, hist), land=fmt(bs.land_needed_mu, 0))
        if bs.land_available_mu is not None:
            gap = bs.land_needed_mu - bs.land_available_mu
            text += t("pn.summary.land_available", available=fmt(bs.land_available_mu, 0),
                      years=_land_years(data, s))
            text += t("pn.summary.land_short", v=fmt(gap, 0)) if gap > 0 else t("pn.summary.land_ok")
        out.append(("pn.summary.h_land", text))
    projects, _ = lists_in_effect(data_r, s)
    if len(projects):
        by = r.projects.by_year()
        inv = float(_investment_output(r, data_r).get(s.target_year, 0.0))
        share = inv / bs.increase_yi * 100 if bs.increase_yi > 0 else float("nan")
        library = t("pn.summary.library_user" if data_r.source_projects != "plan" else "pn.summary.library_annex")
        out.append(("pn.summary.h_projects", t(
            "pn.summary.projects", library=library, n=len(projects),
            phased=fmt(r.projects.total_in(s.plan_first_year, s.plan_last_year), 2),
            peak=int(by.idxmax()) if len(by) and by.max() > 0 else "—", inv=fmt(inv), share=fmt(share, 1))))
    else:
        out.append(("pn.summary.h_projects", t("pn.summary.no_projects")))
    return out


def summary_section(r, data_r, data, bs: npn.BackSolve, fan) -> None:
    st.subheader(t("pn.step_summary"))
    parts = [f"<p class=\"story-text\" style=\"font-size:1.15rem;margin-bottom:0.4rem\"><b>{html.escape(t(h))}</b>"
             f"{html.escape(text)}</p>" for h, text in summary_parts(r, data_r, data, bs, fan)]
    st.markdown("".join(parts), unsafe_allow_html=True)
    st.caption(t("pn.summary.note"))


# -- 6. the draft package, the library -----------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=16)
def _draft_zip(key: tuple, _data, _s, _lists, _base, _other, _label) -> tuple[bytes | None, list[str]]:
    try:
        files = plan_draft.draft_files(_data, _s, _lists, key[-1], base=_base, other_targets=_other,
                                       actuals_label=_label)
    except (DataError, ScenarioError, ValueError) as exc:
        return None, list(getattr(exc, "problems", None) or [str(exc)])
    return plan_draft.draft_zip(files, plan_draft.draft_id(_data)), []


def draft_section(r, data_r, data) -> None:
    exp = layout.lazy_expander(t("pn.draft_title"), "np_open_draft", icon=":material/folder_zip:")
    if exp is None:
        return
    s = r.scenario
    with exp:
        st.markdown(t("pn.draft_help", id=plan_draft.draft_id(data)))
        lists = {}
        for kind in ("projects", "roads"):
            pl, status = documents.list_status(kind)
            if pl is not None:
                lists[kind] = pl
        other = other_targets_set(data)
        hist = _history(s, data)
        label = documents.label_of(documents.ACTUALS) or ""
        key = (repr(s), data.id, data.fingerprint, tuple((k, v.short_id) for k, v in lists.items()),
               tuple(sorted(other.items())), label, lang())
        raw, problems = _draft_zip(key, data, s, lists, hist, other, label)
        if raw is None:
            st.error(t("pn.draft_bad") + "\n\n" + "\n".join(f"- {md_code(p)}" for p in problems[:10]))
            return
        st.download_button(t("pn.draft_button"), data=raw, file_name=f"{plan_draft.draft_id(data)}.zip",
                           mime="application/zip", on_click="ignore", key="np_dl_draft", type="primary",
                           icon=":material/folder_zip:")


def save_section(s) -> None:
    exp = layout.lazy_expander(t("pn.save_title"), "np_open_save", icon=":material/inventory_2:")
    if exp is None:
        return
    with exp:
        rows = []
        for kind, name, key in REF_KEYS:
            ref = getattr(s, name)
            rows.append({t("pn.refs"): t(key), "ID": ref or t("pn.ref_none"),
                         t("pn.in_library"): "—" if ref is None else (t("yes") if documents.in_library(kind, ref)
                                                                      else t("no"))})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        if state.read_only():
            st.caption(t("lib_read_only"))
            return
        c = st.columns([2, 1, 1], vertical_alignment="bottom")
        st.session_state.setdefault("np_lib_name", f"{s.name} {s.plan_first_year}-{s.plan_last_year}")
        c[0].text_input(t("lib_name"), key="np_lib_name", max_chars=200)
        c[1].text_input(t("lib_author"), key="np_lib_author", max_chars=200)
        ss = st.session_state
        c[2].button(t("lib_save"), type="primary", width="stretch", key="np_lib_save",
                    on_click=lambda: documents.save_documents(str(ss.get("np_lib_name", "")),
                                                              str(ss.get("np_lib_author", "")), ""))


def body() -> None:
    s = state.scenario()
    data = s.plan_data
    cal, own = data.calendar, (s.plan_first_year, s.plan_last_year)
    named = own == (cal.plan_first_year, cal.plan_last_year) or cal.is_next_period(*own)  # the plan's next_period: that period only
    st.title(t("pn.title_period") if named and data.meta.text("next_period", lang()) else t("pn.title"))
    st.caption((t("pn.intro_plan") if data.meta.text("short_name", lang()) else "") + t("pn.intro"))
    try:
        r = state.results(s)
    except ScenarioError as exc:  # e.g. a link that moves the target year without setting targets
        st.error(t("scenario_error") + "\n\n" + "\n".join(f"- {md_code(x)}" for x in exc.problems[:10]))
        st.button(t("pn.derive"), on_click=_fix_targets, key="np_derive_fix", type="primary")
        st.button(t("pn.unrebase"), on_click=_unrebase, key="np_unrebase_fix")
        return
    data_r = documents.data_for(s)
    base_section(r, data)
    st.divider()
    targets_section(r, data)
    st.divider()
    solve_box = st.container(key=f"{layout.MOVING}_solve")
    projects_section(r, data_r, data)
    st.divider()
    summary_box, exports = st.container(key=f"{layout.MOVING}_summary"), st.container(key=f"{layout.MOVING}_exports")
    save_section(s)
    layout.moving(moving_part(solve_box, summary_box), outer_key, exports)


# What only the moving part shows (steps 3 and 5, the scenario bar): a change in these fields reruns it alone. Not the
# per-mu growth: step 1 shows a base year's per-mu output grown from the plan's year at it (a per-mu move reruns the
# whole page).
MOVING_FIELDS = frozenset({"name", "growth"})


def outer_key() -> tuple:
    """Everything of the session the rest of the page (steps 1, 2 and 4, the library) shows: the scenario but the
    moving part's own fields, the plan, the documents held and the page's own settings (layout.moving)."""
    s = state.scenario()
    return (state.scenario_key_without(s, MOVING_FIELDS), lang(), documents.session_key(),
            repr(sorted(st.session_state.get(OTHER, {}).get(s.plan_data.id, {}).items())))


def moving_part(solve_box, summary_box):
    """Step 3 (the growth the targets take) into ``solve_box`` and step 5 (the conclusion, the draft, the files)
    into ``summary_box``: what a growth slider changes, rerun alone on its move."""
    def draw() -> None:
        s = state.scenario()
        data = s.plan_data
        r = state.results(s)
        data_r = documents.data_for(s)
        fan = state.fan(s)
        with solve_box:
            bs = solve_section(r, data, fan)
            st.divider()
        with summary_box:
            summary_section(r, data_r, data, bs, fan)
            draft_section(r, data_r, data)
            layout.downloads("np_")
    return draw


layout.page(body, "nav_nextplan", split=True)

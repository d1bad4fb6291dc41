"""The UI's side of the translation table (model/report/text.py): the current language and t()."""
from __future__ import annotations

import threading

import streamlit as st

from model.report import labels
from model.report.text import LANGS, has, placeholders, tr

_run = threading.local()  # the language and text context of the script run on this thread


def fix_lang_for_run() -> None:
    """Read the language once per run: t() is called hundreds of times and session_state access is not free."""
    v = st.session_state.get("lang", "zh")
    _run.lang = v if v in LANGS else "zh"
    _run.ctx = None


def lang() -> str:
    v = getattr(_run, "lang", None)
    if v is None:
        v = st.session_state.get("lang", "zh")
    return v if v in LANGS else "zh"


def _context() -> dict:
    """Calendar of the current scenario and the plan's figures and names (filled into texts that ask for them)."""
    ctx = getattr(_run, "ctx", None)
    if ctx is None:
        from . import state

        try:
            ctx = labels.context(state.scenario(), state.load_data())
        except Exception:  # noqa: BLE001 - before the session has a scenario (a data error page)
            try:
                ctx = {"_plan": state.load_data()}
            except Exception:  # noqa: BLE001 - no plan loads at all
                ctx = {}
        _run.ctx = ctx
    return ctx


def t(key: str, **kw) -> str:
    """The text for ``key`` in the current language; calendar and plan placeholders ({target_year}, {period},
    {projects_annex} …) are filled from the session's scenario and plan."""
    need = placeholders(key) - set(kw)
    if need:
        return labels.tx(key, lang(), _context(), **kw)
    return tr(key, lang(), **kw)


def text(key: str, fallback: str, **kw) -> str:
    """``key``'s text where the table has it, else ``fallback``'s (a key another module may not define yet)."""
    return t(key if has(key) else fallback, **kw)


def data():
    """The session's plan."""
    from . import state

    return state.load_data()


def plan_text(key: str) -> str:
    """A name from the plan's plan.csv in the current language (period, district, projects_annex …); "" if none."""
    return data().meta.text(key, lang())


def app_title() -> str:
    """The app's title: the plan's own (plan.csv app_title), else made from the plan's short name."""
    d = data()
    return d.name(lang(), "app_title") or t("up.app_title", plan=_plan_name(d))


def app_short() -> str:
    """The app's short name (sidebar, browser tab): the plan's own (plan.csv app_short), else from its short name."""
    d = data()
    return d.name(lang(), "app_short") or t("up.app_short", plan=_plan_name(d))


def _plan_name(d) -> str:
    return d.name(lang(), "short_name") or d.name(lang()) or d.id


def seg(name: str) -> str:
    """A segment's name from the plan package (a name the plan does not have: the translation table's, if any)."""
    d = data()
    if name in d.segments:
        return d.seg_name(name, lang())
    return t(f"seg_{name}") if has(f"seg_{name}") else name


def seg_output(name: str) -> str:
    """A segment's output as a quantity (…产值 / … output) from the plan package."""
    return labels.seg_output(name, lang(), data())


def area(name: str) -> str:
    return labels.enum_label("area", name, lang(), data())


def area_path(name: str) -> str:
    """An area's name with the areas it lies in (北园 › 北园一期), for lists of nested areas."""
    d = data()
    chain = list(reversed(d.areas.ancestors(name))) + [name] if name in d.areas else [name]
    return " › ".join(area(a) for a in chain)


def category(name: str) -> str:
    return labels.enum_label("category", name, lang(), data())


def funding(name: str) -> str:
    return labels.enum_label("funding_source", name, lang(), data())


def enum(column: str, value: str) -> str:
    return labels.enum_label(column, value, lang(), data())


def preset_name(name: str) -> str:
    return labels.preset_name(name, lang(), data())


def name_of(row) -> str:
    """A project or road name: Chinese, with English alongside in English mode."""
    return row["name_zh"] if lang() == "zh" else f"{row['name_zh']} · {row['name_en']}"


def fixed(fn, options):
    """A format_func computed now, for widgets: Streamlit (and AppTest) may call it outside this script run."""
    names = {o: fn(o) for o in options}
    return lambda v: names.get(v, str(v))

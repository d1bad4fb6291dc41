"""The UI's side of the translation table (model/report/text.py): the current language and t()."""
from __future__ import annotations

import threading

import streamlit as st

from model.report import labels
from model.report.text import LANGS, placeholders, tr

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
    """Calendar of the current scenario and the plan's figures (filled into texts that ask for them)."""
    ctx = getattr(_run, "ctx", None)
    if ctx is None:
        from . import state

        try:
            ctx = labels.context(state.scenario(), state.load_data())
        except Exception:  # noqa: BLE001 - before the session has a scenario (a data error page)
            ctx = {}
        _run.ctx = ctx
    return ctx


def t(key: str, **kw) -> str:
    """The text for ``key`` in the current language; calendar and plan placeholders are filled automatically."""
    need = placeholders(key) - set(kw)
    if need:
        ctx = _context()
        kw = {**{k: ctx[k] for k in need if k in ctx}, **kw}
    return tr(key, lang(), **kw)


def seg(name: str) -> str:
    return t(f"seg_{name}")


def area(name: str) -> str:
    return labels.enum_label("area", name, lang())


def category(name: str) -> str:
    return labels.enum_label("category", name, lang())


def funding(name: str) -> str:
    return labels.enum_label("funding_source", name, lang())


def enum(column: str, value: str) -> str:
    return labels.enum_label(column, value, lang())


def preset_name(name: str) -> str:
    return labels.preset_name(name, lang())


def name_of(row) -> str:
    """A project or road name: Chinese, with English alongside in English mode."""
    return row["name_zh"] if lang() == "zh" else f"{row['name_zh']} · {row['name_en']}"


def fixed(fn, options):
    """A format_func computed now, for widgets: Streamlit (and AppTest) may call it outside this script run."""
    names = {o: fn(o) for o in options}
    return lambda v: names.get(v, str(v))

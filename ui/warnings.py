"""The early-warning list (预警清单): the targets and tasks at 预警, one line each, large enough for a projector.

``early_warnings(mon)`` draws it (for the overview, or any page); ``warning_items(mon, lang)`` is its pure part: the
lines as text, each starting with the level's icon and word, so the list never depends on colour.
"""
from __future__ import annotations

import html

import streamlit as st

from model.calc.monitoring import WARNING, Monitoring
from model.report.monitoring_report import warning_lines, warning_text
from model.report.text import tr

from .i18n import lang as current_lang
from .i18n import t

CSS = """
<style>
.early-warning { font-size: 1.45rem; line-height: 1.55; margin: 0.35rem 0; padding: 0.35rem 0.7rem;
  border-left: 6px solid #D55E00; background: rgba(213, 94, 0, 0.06); }
.early-warning b { font-weight: 700; }
</style>
"""


def warning_items(mon: Monitoring, lang: str) -> list[str]:
    """Each line of the list: ``▲ 预警 · 指标名称：……``, targets first, then tasks."""
    word = warning_text(WARNING, lang)
    word = word[:1].upper() + word[1:]  # it opens the line (English writes the level in lower case mid-sentence)
    return [tr("pm.ew.item", lang, level=word, text=x["text"]) for x in warning_lines(mon, lang)]


def early_warnings(mon: Monitoring, *, limit: int | None = None, title: bool = True) -> None:
    """Draw the list: a heading, then every target and task at 预警 with what it now needs (the growth a year, or the
    lead unit of a lagging task); at most ``limit`` lines, the number left out said below."""
    lg = current_lang()
    items = warning_items(mon, lg)
    if title:
        st.subheader(t("pm.ew.title", year=mon.year), anchor=False)
    if not items:
        st.success(t("pm.ew.none", year=mon.year))
        return
    shown = items if limit is None else items[:limit]
    body = "".join(f'<div class="early-warning" role="listitem">{html.escape(x)}</div>' for x in shown)
    st.markdown(f'{CSS}<div role="list" aria-label="{html.escape(t("pm.ew.title", year=mon.year))}">{body}</div>',
                unsafe_allow_html=True)
    if len(shown) < len(items):
        st.caption(t("pm.ew.more", n=len(items) - len(shown)))

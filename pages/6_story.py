"""讲解模式 Guided story: baseline → targets → gap → growth → projects → district finance → risks, step by step."""
from __future__ import annotations

import html

import streamlit as st

from model.report import figures
from model.report.story import STEPS
from ui import layout, state
from ui.i18n import lang, seg, t

KEY = "story_step"


def _go(delta: int) -> None:
    st.session_state[KEY] = min(max(st.session_state.get(KEY, 0) + delta, 0), len(STEPS) - 1)


def _chart(key: str, r) -> None:
    data, lg = state.data_for(state.scenario()), lang()
    if key in ("baseline", "targets", "gap", "growth"):
        layout.chart(figures.trajectory(r, data, lg, references=key != "baseline", height=420))
    elif key == "projects":
        layout.chart(figures.invest_by(r, data, lg, "area", height=420))
    elif key == "finance":
        layout.chart(figures.roads_by_funding(r, data, lg, height=420))
    else:
        st.caption(f"{seg('total')}（{t('unit_yi')}）" if lg == "zh" else f"{seg('total')} ({t('unit_yi')})")
        layout.chart(figures.fan_chart(r, data, state.fan(r.scenario), lg, height=420))


def body() -> None:
    r = state.results(state.scenario())
    steps = state.story_steps(r.scenario, lang())
    i = min(max(int(st.session_state.get(KEY, 0)), 0), len(steps) - 1)
    step = steps[i]
    st.title(t("nav_story"))
    st.progress((i + 1) / len(steps), text=t("story_progress", k=i + 1, n=len(steps)))
    st.header(f"{i + 1}. {step.title}")
    st.markdown(f'<p class="story-text">{html.escape(step.text)}</p>', unsafe_allow_html=True)
    _chart(step.key, r)
    c = st.columns([1, 1, 4])
    c[0].button(t("story_back"), on_click=_go, args=(-1,), disabled=i == 0, width="stretch",
                icon=":material/arrow_back:", key="story_back")
    c[1].button(t("story_next"), on_click=_go, args=(1,), disabled=i == len(steps) - 1, width="stretch",
                icon=":material/arrow_forward:", type="primary", key="story_next")


layout.page(body, "nav_story")

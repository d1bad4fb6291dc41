"""讲解模式 Guided story: baseline → targets → gap → growth → projects → district finance → risks, step by step."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model.story import STEPS
from model import charts
from ui import layout, state, views
from ui.i18n import area, funding, lang, seg, t

KEY = "story_step"


def _go(delta: int) -> None:
    st.session_state[KEY] = min(max(st.session_state.get(KEY, 0) + delta, 0), len(STEPS) - 1)


def _chart(key: str, r) -> None:
    data = state.load_data()
    if key in ("baseline", "targets", "gap", "growth"):
        views.trajectory_chart(r, segments=False, references=key != "baseline", height=420)
    elif key == "projects":
        table = r.projects.by_group(dict(zip(data.projects["project_id"], data.projects["area"].map(area))))
        layout.chart(charts.stacked_bars(charts.group_frame(table), group_title=t("area"), x_title=t("year"),
                                         y_title=t("invest_yi"), height=420))
    elif key == "finance":
        table = r.roads.by_group(dict(zip(data.roads["road_id"], data.roads["funding_source"])))
        order = [f for f in ("区财政", "企业自筹", "待定") if f in table.columns]
        layout.chart(charts.stacked_bars(charts.group_frame(table[order].rename(columns=funding)),
                                         group_title=t("funding"), x_title=t("year"), y_title=t("invest_yi"),
                                         order=[funding(f) for f in order], highlight=funding("区财政"),
                                         height=420))
    else:
        bands = state.fan(r.scenario).bands("total")
        points = pd.DataFrame({"year": [r.scenario.target_year], "value": [r.projection.targets.total_yi], "series": [t("ref_target")]})
        st.caption(f"{seg('total')}（{t('unit_yi')}）")
        layout.chart(charts.fan(bands, points, x_title=t("year"), y_title=t("value_yi"), series_title=t("series"),
                                outer_label="P10–P90", inner_label="P25–P75", median_label=t("median"), height=420))


def body() -> None:
    r = state.results(state.scenario())
    steps = state.story_steps(r.scenario)
    i = min(max(int(st.session_state.get(KEY, 0)), 0), len(steps) - 1)
    step = steps[i]
    zh = lang() == "zh"
    st.title(t("nav_story"))
    st.progress((i + 1) / len(steps), text=t("story_progress", k=i + 1, n=len(steps)))
    st.header(f"{i + 1}. {step.title_zh if zh else step.title_en}")
    st.markdown(f'<p class="story-text">{step.text_zh if zh else step.text_en}</p>', unsafe_allow_html=True)
    _chart(step.key, r)
    c = st.columns([1, 1, 4])
    c[0].button(t("story_back"), on_click=_go, args=(-1,), disabled=i == 0, width="stretch",
                icon=":material/arrow_back:", key="story_back")
    c[1].button(t("story_next"), on_click=_go, args=(1,), disabled=i == len(steps) - 1, width="stretch",
                icon=":material/arrow_forward:", type="primary", key="story_next")


layout.page(body, "nav_story")

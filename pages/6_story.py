"""讲解模式 Guided story: baseline → targets → gap → growth → projects → district finance → risks, step by step.

Back and next sit above the step, on the first screen of a projector (1280×720); ←/→ and PageUp/PageDown (what a
presentation clicker sends) press them; each step opens at its heading; presenting, the sidebar is folded when a step
opens. Each step has its own chart (model.report.figures.story_chart)."""
from __future__ import annotations

import html

import streamlit as st

from model.report import figures
from model.report.story import STEPS
from ui import documents, layout, state
from ui.i18n import lang, seg, t

KEY = "story_step"

# Keys for the story: a clicker's PageDown / PageUp and the arrow keys press next / back (never while typing or on a
# control that uses arrows itself); then, as each step opens, the page goes back to its top and, while presenting, a
# sidebar opened to navigate is folded again. One listener per browser tab; on other pages it finds no button.
KEYS_JS = """<script>
(() => {
  const doc = document;
  window.__shifengStoryStep = STEP;  // the step in the script itself, so each step's script differs and runs
  if (!window.__shifengStoryKeys) {
    window.__shifengStoryKeys = true;
    doc.addEventListener('keydown', (e) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const next = e.key === 'ArrowRight' || e.key === 'PageDown', back = e.key === 'ArrowLeft' || e.key === 'PageUp';
      if (!next && !back) return;
      const t = e.target;
      if (t && t.closest && t.closest('input, textarea, select, [contenteditable="true"], [role="slider"], '
          + '[role="tab"], [role="radio"], [role="listbox"], [role="grid"], [data-testid="stDataFrame"]')) return;
      const b = doc.querySelector('.st-key-story_' + (next ? 'next' : 'back') + ' button');
      if (!b) return;
      e.preventDefault();
      if (!b.disabled) b.click();
    });
  }
  const top = () => {
    for (const s of ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', '[data-testid="stAppScrollToBottomContainer"]']) {
      const el = doc.querySelector(s); if (el) el.scrollTop = 0; }
    if (doc.scrollingElement) doc.scrollingElement.scrollTop = 0;
  };
  top(); requestAnimationFrame(top);
  if (PRESENT) {
    const open = doc.querySelector('[data-testid="stSidebar"][data-collapsed="false"]');
    const fold = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (open && fold) fold.click();
  }
})();
</script>"""


def _go(delta: int) -> None:
    st.session_state[KEY] = min(max(st.session_state.get(KEY, 0) + delta, 0), len(STEPS) - 1)


def _chart(key: str, r) -> None:
    s, lg = r.scenario, lang()
    fan = state.fan(s) if key == "risks" else None
    if key == "risks":
        root = seg(s.root)
        st.caption(f"{root}（{t('unit_yi')}）" if lg == "zh" else f"{root} ({t('unit_yi')})")
    data = state.data_for(s)
    layout.chart(lambda: figures.story_chart(key, r, data, lg, fan, height=380),
                 key=("story", key, s, data.fingerprint, lg))


def buttons(i: int, n: int) -> None:
    c = st.columns([1, 1, 3], vertical_alignment="center")
    c[0].button(t("story_back"), on_click=_go, args=(-1,), disabled=i == 0, width="stretch",
                icon=":material/arrow_back:", key="story_back")
    c[1].button(t("story_next"), on_click=_go, args=(1,), disabled=i == n - 1, width="stretch",
                icon=":material/arrow_forward:", type="primary", key="story_next")
    c[2].caption(t("story_keys"))


def body() -> None:
    r = state.results(state.scenario())
    st.title(t("nav_story"))
    rebased = r.scenario.base_year != r.scenario.plan_data.calendar.base_year
    steps = state.story_steps(r.scenario, lang(), documents.actuals() if rebased else None)
    i = min(max(int(st.session_state.get(KEY, 0)), 0), len(steps) - 1)
    step = steps[i]
    st.progress((i + 1) / len(steps), text=t("story_progress", k=i + 1, n=len(steps)))
    buttons(i, len(steps))
    st.header(f"{i + 1}. {step.title}")
    st.markdown(f'<p class="story-text">{html.escape(step.text)}</p>', unsafe_allow_html=True)
    _chart(step.key, r)
    st.html(KEYS_JS.replace("PRESENT", "true" if state.presenting() else "false").replace("STEP", str(i)),
            unsafe_allow_javascript=True)


layout.page(body, "nav_story")

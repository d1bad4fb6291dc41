"""Page frame shared by every page: config, sidebar (language, navigation, scenario bar), messages,
downloads, and the guard that turns any error into a message in the user's language."""
from __future__ import annotations

import base64
import html
import logging
import math
import threading
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from model import DataError
from model.cleaning import clean
from model.io.assumptions import scenario_id
from model.report import labels
from model.report.charts import Columns
from model.report.problems import localized

from . import state
from .lru import Lru
from .i18n import app_short, fix_lang_for_run, fixed, lang, preset_name, t

log = logging.getLogger("shifeng.ui")


from .serve import apply_all  # noqa: E402

apply_all()  # also when the app runs under plain `streamlit run`

# A local file: a Material-icon favicon is fetched from the internet, and the app must work offline. As a data URL:
# a file path is served as media, and the browser fetched it again after every slider move (a request per move).
ICON = "data:image/png;base64," + base64.b64encode((Path(__file__).resolve().parent / "icon.png").read_bytes()).decode()

PAGES = (
    ("app.py", "nav_overview", ":material/dashboard:"),
    ("pages/1_output.py", "nav_output", ":material/trending_up:"),
    ("pages/2_phasing.py", "nav_phasing", ":material/construction:"),
    ("pages/3_compare.py", "nav_compare", ":material/compare_arrows:"),
    ("pages/5_analysis.py", "nav_analysis", ":material/insights:"),
    ("pages/6_story.py", "nav_story", ":material/slideshow:"),
    ("pages/7_evaluation.py", "nav_evaluation", ":material/fact_check:"),
    ("pages/8_nextplan.py", "nav_nextplan", ":material/flag:"),
    ("pages/9_monitoring.py", "nav_monitoring", ":material/monitor_heart:"),
    ("pages/10_mujun.py", "nav_mujun", ":material/landscape:"),
    ("pages/4_sources.py", "nav_sources", ":material/menu_book:"),
)
EXTRA_PAGES: list = []  # (path, key, icon) of pages added at run time (none today)

CSS = """
<style>
/* A marker that the app's styles are in effect (the browser tests wait for it before checking contrast). */
:root { --shifeng-styled: 1; }
/* A number is never cut: metric values and labels wrap instead of ending in an ellipsis, and their size follows
   the column's width (container query units) between a projector-legible minimum and the full size. */
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: clamp(1.25rem, 11cqi, 2.1rem); }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; }
/* A value breaks between words (at a space, after a bracket), not inside a Chinese word, unless it alone is wider. */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] * { word-break: keep-all; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
/* A row of metrics (metric_grid) or of controls (row): one horizontal container, its elements sharing the width
   equally; on a phone one a line, as columns stack. */
[data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]),
[class*="st-key-row_"] > [data-testid="stElementContainer"] { flex: 1 1 0 !important; min-width: 0 !important; }
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]),
  [class*="st-key-row_"] > [data-testid="stElementContainer"] { flex-basis: 100% !important; } }
/* A page title breaks between words (at " · "), not inside a Chinese word. */
h1 { word-break: keep-all; overflow-wrap: anywhere; }
/* Nor is a button's label: in a narrow column it wraps onto a second line, between words (at a space, at " · "),
   not inside a Chinese word unless that word alone is wider than the button. */
[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"], [data-testid^="stBaseButton"] p {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
  word-break: keep-all; overflow-wrap: anywhere; }
/* A widget's label (a toggle's, a checkbox's) wraps instead of ending in "…". */
[data-testid="stWidgetLabel"] .stMarkdownEllipsis, [data-testid="stWidgetLabel"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* A plain table (st.table) wraps inside its box on any screen: a long word breaks only when it alone is wider. */
[data-testid="stTable"] table { table-layout: auto; width: 100%; }
[data-testid="stTable"] th, [data-testid="stTable"] td { overflow-wrap: anywhere; white-space: normal !important; }
@media (max-width: 480px) { [data-testid="stTable"] table { table-layout: fixed; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.25rem 0.3rem !important; font-size: 0.85rem; } }
/* A wrapped table (wrapped_table): every column on screen, names wrapped in their cells, figures right-aligned and
   whole; the box scrolls its rows under a header that stays. */
.wtable { overflow: auto; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; }
.wtable table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 0.95rem; margin: 0; }
.wtable th { position: sticky; top: 0; z-index: 1; background: #f4f5f8; font-weight: bold; text-align: left;
  vertical-align: bottom; }
.wtable th, .wtable td { padding: 0.35rem 0.55rem; border-bottom: 1px solid rgba(49, 51, 63, 0.1);
  word-break: keep-all; overflow-wrap: normal; }
.wtable .long { word-break: normal; overflow-wrap: anywhere; min-width: 4.5rem; }
.wtable td { vertical-align: top; }
.wtable th { word-break: keep-all; }
.wtable .fig { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.wtable th.fig { white-space: normal; }
.wtable td.whole { white-space: nowrap; }
.wtable th.long { overflow-wrap: normal; }
@media (max-width: 640px) { .wtable table { font-size: 0.75rem; }
  .wtable th, .wtable td { padding: 0.25rem 0.3rem; }
  .wtable th { overflow-wrap: anywhere; }
  .wtable .long { min-width: 3.5rem; }
  .wtable .wide { display: none; }
  .wtable td.whole { white-space: normal; } }
.block-container { padding-top: 2.2rem; }
[data-testid="stBadge"], [data-testid="stBadge"] p { font-size: 1.05rem; font-weight: bold; }
/* An on/off-track badge says why in full: it wraps in a narrow column instead of ending in an ellipsis. */
.stMarkdownBadge { white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
  max-width: 100%; }
.story-text { font-size: 1.45rem; line-height: 1.7; }
/* Contrast for a projector (WCAG 2 AA; the theme's near-black text is in .streamlit/config.toml): captions at 72 %
   instead of Streamlit's 60 % (7.6:1 on white, 7.4:1 on the sidebar). */
[data-testid="stCaptionContainer"] { opacity: 0.72 !important; }
/* The current page's sidebar link is a disabled link, greyed out by Streamlit to 2.6:1: "you are here" in full
   text colour, bold, with a bar; not a greyed-out control. */
[data-testid="stPageLink-NavLink"][disabled] { color: inherit !important; background: rgba(17, 17, 17, 0.07);
  box-shadow: inset 4px 0 0 currentColor; }
[data-testid="stPageLink-NavLink"][disabled] * { color: inherit !important; }
[data-testid="stPageLink-NavLink"][disabled] p { font-weight: 700; }
/* Keyboard focus seen from the back of the room; and never on the folded sidebar's controls (presentation mode),
   which Streamlit only slides out of view: hidden, they leave the Tab order until the sidebar is opened again. */
:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px !important; }
[data-testid="stSidebar"][data-collapsed="true"], [data-testid="stSidebar"][data-collapsed="true"] * {
  visibility: hidden !important; }
</style>
"""

# Chinese UI: the file uploader's English size/type line hidden and its button's "Upload" written in Chinese
# (Streamlit cannot translate either); the uploader's label names the file and its type, and the dropzone keeps that
# label as its accessible name. The English word is drawn at size 0 (it stays the button's name for screen readers:
# a button needs text they can read), the Chinese one in its place (from the translation table: uploader_button).
ZH_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "UPLOADER_BUTTON"; font-size: 1rem; }
</style>
"""


# Presentation mode: everything larger for a projector; the sidebar stays one click away.
PRESENT_CSS = """
<style>
html { font-size: 19px !important; }
[data-testid="stMetricValue"] { font-size: 1.8rem; }
[data-testid="stHeading"] h1 { font-size: 2.3rem; }
.block-container { padding-top: 3.4rem; max-width: 100%; }
</style>
"""


fmt = labels.fmt  # one number format for the app, the CSV and the brief
pct = labels.pct
signed = labels.signed


def gap_delta(gap: float, unit: str, digits: int = 1) -> dict:
    """``st.metric`` delta arguments for a gap to a target: signed with its unit and arrow, or "on target" without
    an arrow when it rounds to zero (never "↑ +0.0")."""
    if labels.rounds_to_zero(gap, digits):
        return {"delta": t("story.gap.equal"), "delta_arrow": "off", "delta_color": "off"}
    return {"delta": f"{signed(gap, digits)} {unit}"}


def row_sizes(n: int, most: int) -> list[int]:
    """How many of ``n`` places each row holds: the fewest rows of at most ``most``, their lengths differing by one
    at most (the longer rows first)."""
    if n <= 0:
        return []
    rows = math.ceil(n / max(most, 1))
    return [n // rows + (i < n % rows) for i in range(rows)]


def metric_grid(n: int, most: int = 4, container=st) -> list:
    """``n`` places for ``st.metric`` cards in rows (:func:`row_sizes`); each row is one horizontal container (its
    cards share the width equally, and stack on a phone), so a row of k cards is k + 1 elements to send and draw on
    every rerun, not 2k + 1 as with ``st.columns``."""
    out = []
    for size in row_sizes(n, most):
        out += [container.container(horizontal=True, gap="small")] * size
    return out


def row(key: str, gap: str = "small", container=st):
    """A row of controls, one element each, sharing the width equally and stacking on a phone, as ``st.columns``
    places them, in one horizontal container: one element to send and draw on every rerun, not one per column.
    ``key`` names the row (unique on the page)."""
    return container.container(horizontal=True, gap=gap, key=f"row_{key}")


def metric_row(n: int, container=st) -> list:
    """``n`` places for metric cards in one row (:func:`metric_grid`)."""
    return metric_grid(n, most=max(n, 1), container=container)


def page(body: Callable[[], None], page_key: str, split: bool | str = False) -> None:
    """Run one page: frame and sidebar (a full run), then the scenario's part of the page as one fragment.

    A widget inside the fragment (a slider, a tab, a panel) reruns only the fragment: the scenario bar it writes into
    the sidebar (name, ID, undo, QR code), the banner, the messages, the page's body, the chart exports and the link.
    Whatever shows the scenario is inside it, so name, ID and link change with the numbers in the same rerun; the
    frame (page config, styles, language, page links, presentation toggle, presets and upload) reruns only when one of
    its own widgets is used.

    ``split``: the page's body draws its moving part through :func:`moving` (a fragment inside this one), which then
    draws the chart exports, and (``True``) the scenario bar, banner, messages and link too, or not (``"view"``);
    the rest of the body reruns only when one of its own widgets is used or the session changes in something it
    shows (see :func:`moving`)."""
    state.init_lang()
    fix_lang_for_run()  # once per run; never a language left on this thread by another run
    problem = None
    try:
        state.init()  # the session's plan and scenario (the page's title names the plan)
    except DataError as exc:
        problem = exc
    fix_lang_for_run()
    try:
        short = app_short() if problem is None else ""
    except Exception:  # noqa: BLE001 - a title is never worth a traceback
        log.exception("app title")
        short = ""
    st.set_page_config(page_title=f"{t(page_key)} · {short}" if short else t(page_key), page_icon=ICON,
                       layout="wide", initial_sidebar_state="collapsed" if state.presenting() else "auto")
    st.markdown(CSS + (PRESENT_CSS if state.presenting() else "") + (ZH_CSS.replace("UPLOADER_BUTTON", t("uploader_button")) if lang() == "zh" else ""),
                unsafe_allow_html=True)
    if problem is not None:
        st.error(t("data_error"))
        st.code("\n".join(problem.problems[:100]), language=None)
        return
    try:
        bar, qr = sidebar(page_key)
    except Exception:  # noqa: BLE001 - never a traceback in a meeting
        log.exception("sidebar of %s failed", page_key)
        st.error(t("error_generic"))
        return
    scenario_part(body, page_key, bar, qr, split)


def _guarded(page_key: str, draw: Callable[[], None]) -> None:
    """``draw()``, with any error turned into a message (a data problem naming file, row and column)."""
    try:
        draw()
    except DataError as exc:  # a plan file read when a page first needs it (tasks.csv …): name file, row, column
        log.warning("page %s: data problems: %s", page_key, exc.problems[:5])
        st.error(t("data_error"))
        st.code("\n".join(exc.problems[:100]), language=None)
    except Exception:  # noqa: BLE001 - never a traceback in a meeting
        log.exception("page %s failed", page_key)
        st.error(t("error_generic"))


def _sync_url() -> None:
    try:
        state.sync_url()
    except Exception:  # noqa: BLE001
        log.exception("url sync failed")


class _Frame:
    """Where a split page's moving part (:func:`moving`) draws what shows the scenario: the sidebar's scenario bar
    and QR code, the banner and the messages above the body (the head), the chart exports below it and the link (the
    tail); and the charts the rest of the body drew (the export list names them too)."""

    def __init__(self, page_key: str, bar, qr, banner, messages, exports):
        self.page_key, self.bar, self.qr, self.banner, self.messages, self.exports = (
            page_key, bar, qr, banner, messages, exports)
        self.specs: list = []
        self.names: list = []
        self.drawn = False  # the moving part was drawn (the body reached it)
        self.head_moves = True  # the head and the link are drawn by the moving part, not the rest of the body

    def head(self) -> None:
        """The scenario bar, QR code, banner and messages."""
        with self.bar:
            _guarded(self.page_key, scenario_bar)
        with self.qr:
            _guarded(self.page_key, qr_panel)
        with self.banner:
            _guarded(self.page_key, scenario_banner)
        with self.messages:
            _guarded(self.page_key, show_messages)

    def export_panel(self) -> None:
        """The chart exports, in their place."""
        with self.exports:
            _guarded(self.page_key, lambda: chart_exports(self.page_key))

    def tail(self) -> None:
        """The chart exports, then the link."""
        self.export_panel()
        _sync_url()

    def draw(self, body: Callable[[], None] | None = None) -> None:
        """The head, ``body``, the tail."""
        self.head()
        if body is not None:
            _guarded(self.page_key, body)
        self.tail()


_RUN = threading.local()  # the split page's frame while its outer part runs (see :func:`moving`)
OUTER_KEY = "_outer_key"  # session state: (page, what the outer part of a split page was drawn with)
MOVING = "moving"  # the key (prefix) of every container in the main area a split page's moving part draws into


@st.fragment
def scenario_part(body: Callable[[], None], page_key: str, bar, qr, split: bool | str = False) -> None:
    """Everything that shows the scenario (see :func:`page`); ``bar`` and ``qr`` are the sidebar's places for the
    scenario bar and the QR code."""
    fix_lang_for_run()  # a fragment rerun runs on its own thread
    _CHARTS.specs, _CHARTS.names = [], []
    if split:
        # the moving part draws into containers this part creates (in the sidebar too): Streamlit lets a nested
        # fragment write into a container created outside it only if that container's creator is rerunning with it
        frame = _Frame(page_key, bar.container(), qr.container(), st.container(key=f"{MOVING}_banner"),
                       st.container(key=f"{MOVING}_messages"), None)
        frame.head_moves = split != "view"
        if not frame.head_moves:
            frame.head()
        _RUN.frame = frame
        try:
            _guarded(page_key, body)
        finally:
            _RUN.frame = None
        if not frame.drawn:  # the body stopped (an error, a message) before its moving part: the frame here
            frame.exports = st.container()
            if frame.head_moves:
                frame.head()
            frame.tail()
        elif not frame.head_moves:
            _sync_url()
        return

    def whole() -> None:
        with bar:
            scenario_bar()
        with qr:
            qr_panel()
        scenario_banner()
        show_messages()
        body()
        chart_exports(page_key)

    _guarded(page_key, whole)
    _sync_url()


def moving(draw: Callable[[], None], outer_key: Callable[[], object], exports) -> None:
    """The moving part of a split page (``layout.page(..., split=True)``): ``draw`` runs as a fragment inside the
    page's, so a widget it draws (a growth slider, a threshold) reruns it alone and not the rest of the body, with
    the chart exports (into ``exports``, a container the body placed).

    On a page split for its scenario (``split=True``: its widgets change the scenario, a growth rate) the scenario
    bar, banner, messages and link are drawn with it; on a page split for a view (``split="view"``: a threshold, a
    tab's own choice) they are drawn by the rest of the page, and a rerun of this part alone that changed the
    scenario after all (``outer_key`` then names the whole scenario) reruns the whole page.

    The rest of the body shows nothing that such a rerun changes, by contract: ``outer_key()`` is everything of the
    session it shows (the scenario without the fields only ``draw`` shows, the documents it names), taken when the
    body draws; a rerun of the moving part alone that finds it changed (an undo of a target, from the scenario bar)
    reruns the whole page instead, so no part of the page ever shows another scenario than the one in effect.
    ``draw`` may write into containers the body created before calling this (its steps in their places)."""
    frame = getattr(_RUN, "frame", None)
    if frame is None or frame.drawn:  # not a split page's body: drawn in place
        draw()
        return
    frame.drawn, frame.exports = True, exports
    frame.specs, frame.names = list(_CHARTS.specs), list(_CHARTS.names)
    st.session_state[OUTER_KEY] = (frame.page_key, outer_key())
    _RUN.within = True
    try:
        _moving_part(draw, outer_key, frame)
    finally:
        _RUN.within = False


@st.fragment
def _moving_part(draw: Callable[[], None], outer_key: Callable[[], object], frame: _Frame) -> None:
    fix_lang_for_run()  # a fragment rerun runs on its own thread
    if not getattr(_RUN, "within", False):  # a rerun of this part alone
        try:
            same = st.session_state.get(OUTER_KEY) == (frame.page_key, outer_key())
        except Exception:  # noqa: BLE001 - the whole page then says what is wrong
            log.exception("outer key of %s", frame.page_key)
            same = False
        if not same:
            st.rerun(scope="app")
        _CHARTS.specs, _CHARTS.names = list(frame.specs), list(frame.names)
    if frame.head_moves:
        frame.draw(draw)
    else:
        _guarded(frame.page_key, draw)
        frame.export_panel()


def _set_lang() -> None:
    choice = st.session_state.get("lang_widget")
    if choice in ("zh", "en"):
        st.session_state["lang"] = choice
        fix_lang_for_run()


def sidebar(page_key: str):
    """The sidebar's frame; returns the places the scenario part fills (scenario bar, QR code)."""
    sb = st.sidebar
    sb.markdown(f"### {md_text(app_short())}")
    plan_selector(sb)
    state.seed("lang_widget", lang())
    # a radio, not a segmented control: the latter imports Streamlit's emoji table (~0.2 s) on a cold start
    sb.radio(t("language"), options=["zh", "en"], key="lang_widget", on_change=_set_lang, horizontal=True,
             format_func=lambda v: "中文" if v == "zh" else "English")
    # links carry no parameters: the session keeps the scenario and the next page writes it into the URL
    try:
        for path, key, icon in PAGES + tuple(EXTRA_PAGES):
            sb.page_link(path, label=t(key), icon=icon, disabled=(key == page_key))
    except StreamlitPageNotFoundError:  # a page run on its own (`streamlit run pages/…`, AppTest of one file)
        sb.caption(t("nav_alone"))
    sb.divider()
    bar = sb.container()
    state.seed("present_widget", state.presenting())
    sb.toggle(t("present"), key="present_widget", help=t("present_help"),
              on_change=lambda: st.session_state.__setitem__("present", st.session_state["present_widget"]))
    exp = lazy_expander(t("tools"), "open_tools", icon=":material/settings_backup_restore:", container=sb)
    if exp is not None:
        with exp:
            slugs = list(state.preset_table())
            if st.session_state.get("reset_choice") not in slugs:  # another plan's preset: this plan's base
                st.session_state.pop("reset_choice", None)
            st.selectbox(t("preset"), slugs, key="reset_choice", format_func=fixed(preset_name, slugs))
            st.button(t("reset"), on_click=lambda: state.reset(st.session_state.get("reset_choice") or
                                                               state.base_slug()), width="stretch")
            st.file_uploader(t("upload"), type=["csv"], key="upload_assumptions", help=t("upload_help"),
                             on_change=state.load_upload, args=("upload_assumptions",))
    sb.caption(f":material/link: **{t('share')}**{t('colon')}{t('share_help')}")
    return bar, sb.container()


PLAN_WIDGET = "plan_choice"


def plan_selector(container) -> None:
    """The plan of this session, where the deployment offers more than one: choosing another opens its base preset
    (and says so); undo goes back."""
    plans = state.offered()
    if len(plans) < 2:
        return
    ids = [p.id for p in plans]
    current = state.load_data().id
    if current not in ids:  # the session's plan is no longer offered: shown as it is, not switched
        return
    state.seed(PLAN_WIDGET, current)
    names = unique_labels({p.id: state.plan_label(p, lang()) for p in plans})
    container.selectbox(t("up.plan"), ids, key=PLAN_WIDGET, format_func=fixed(names.get, ids), help=t("up.plan_help"),
                        on_change=state.switch_plan, args=(PLAN_WIDGET,))


def data_editor(frame: pd.DataFrame, key: str, **kw) -> pd.DataFrame:
    """``st.data_editor`` that survives a widget state it cannot apply (Streamlit applies added or edited rows of a
    crafted message to the frame before the page sees them, and a row it cannot assign raised inside it): such a
    state is dropped (the editor starts again under a new key) and the table shows what the scenario holds."""
    ss = st.session_state
    again = ss.get(f"{key}__again", 0)
    try:
        return st.data_editor(frame, key=f"{key}~{again}" if again else key, **kw)
    except Exception:  # noqa: BLE001 - only a state no browser of ours sends: logged, dropped
        log.warning("data editor %s: a widget state it could not apply was dropped", key)
        ss[f"{key}__again"] = again + 1
        return st.data_editor(frame, key=f"{key}~{again + 1}", **kw)


def unique_labels(names: dict[str, str]) -> dict[str, str]:
    """Labels that tell every option apart: a label two options share gets its id (Streamlit's selectbox sends the
    label shown, so two plans with one short name switched a session to the other without a word)."""
    out = dict(names)
    for _ in range(4):
        seen: dict[str, int] = {}
        for label in out.values():
            seen[label] = seen.get(label, 0) + 1
        if all(n == 1 for n in seen.values()):
            return out
        out = {k: (f"{v}（{k}）" if seen[v] > 1 else v) for k, v in out.items()}
    return {k: f"{v}（{k}）" for k, v in names.items()}  # every label with its (unique) id


def scenario_bar() -> None:
    """The scenario's name (editable), short ID and undo, in the sidebar (drawn by the scenario part)."""
    s = state.scenario()
    state.name_box(t("scenario"), lang())
    st.caption(f"{t('scenario_id')} {md_code(short_id(s))}")
    st.button(t("undo"), on_click=state.undo, disabled=not st.session_state.get(state.HISTORY), width="stretch",
              key="undo")


def short_id(s) -> str:
    """The scenario's short ID (model.io.assumptions.scenario_id), computed once per scenario: a value pressed back
    to, or a rerun that changes nothing, costs no CSV and hash."""
    return memo(("scenario_id",) + state.scenario_key(s), lambda: scenario_id(s))


def qr_panel() -> None:
    """A QR code of the link to this scenario, computed only while its panel is open."""
    qr = lazy_expander(t("qr"), "open_qr", icon=":material/qr_code_2:")
    if qr is not None:
        with qr:
            url = state.share_url()
            st.image(qr_png(url), caption=t("qr_help"), width="stretch", alt=t("qr"))


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG bytes (segno writes PNG without Pillow)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


def scenario_banner() -> None:
    """In presentation mode, the scenario's name and short ID stay on screen."""
    if state.presenting():
        s = state.scenario()
        st.caption(f":material/slideshow: {md_text(preset_name(s.name))} · {t('scenario_id')} "
                   f"{md_code(short_id(s))}")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=")


def file_label(name: str) -> str:
    """A file's name in a button's label, broken only where it has no hyphen: each hyphen drawn as a non-breaking
    one (evaluation‑report.docx never ends a line at "evaluation-"); the file saved keeps its own name."""
    return str(name).replace("-", "\u2011")


def md_text(value) -> str:
    """User text (names, notes, file names) shown literally inside Streamlit markdown: every markup character is
    escaped, so a name is never rendered as a link, emphasis, HTML or an icon directive."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in clean(str(value))).replace("\n", " ")


def md_code(value) -> str:
    """User text inside an inline code span (which cannot escape a backtick)."""
    return "`" + clean(str(value)).replace("`", "ˋ").replace("\n", " ") + "`"


def show_messages() -> None:
    notices = state.pop_notices()
    if notices:
        items = "\n".join(f"- {md_code(n.param)}{t('colon')}{t('reason_' + n.reason)}" +
                          (t("paren", x=md_text(n.detail)) if n.detail else "") for n in notices[:20])
        if len(notices) > 20:  # the list is cut: say how much is not shown
            items += "\n- " + t("more_problems", n=len(notices) - 20)
        st.warning(f"{t('url_notice')}\n\n{items}")
    for kind, key, details, kw in state.pop_flash():
        text = t(key, **{k: md_text(v) for k, v in kw.items()})
        if details:
            # a file's problems in the page's language: the location always, the reason where it is a common one
            text += "\n\n" + "\n".join(f"- {md_code(localized(d, lang()))}" for d in details[:30])
            if len(details) > 30:  # the list is cut: say how much is not shown
                text += "\n- " + t("more_problems", n=len(details) - 30)
        getattr(st, kind if kind in ("error", "warning", "info", "success") else "info")(text)


def downloads(prefix: str = "") -> None:
    """The scenario's CSV files (UTF-8 with BOM), as ``python -m model export`` writes them, and its workbook, on
    the data it runs on (the next plan's lists when it names them). ``prefix`` keeps a page's widget keys apart."""
    exp = lazy_expander(t("downloads"), f"{prefix}open_downloads", icon=":material/download:")
    if exp is None:
        return
    data, r = state.data_for(state.scenario()), state.results(state.scenario())
    with exp:
        # three to a row: a file name is never broken inside a word ("assump/tions.cs/v" in six narrow columns)
        cols = st.columns(3) + st.columns(3)
        for col, (name, key) in zip(cols, (("assumptions.csv", "dl_assumptions"), ("projection.csv", "dl_projection"),
                                           ("phasing.csv", "dl_phasing"), ("roads.csv", "dl_roads"),
                                           ("summary.csv", "dl_summary"))):
            # the bytes are made on click, not on every slider move
            col.download_button(f"{t(key)} · {file_label(name)}", data=state.lazy_file(data, r, name), file_name=name,
                                mime="text/csv", on_click="ignore", key=f"{prefix}dl_{name}", width="stretch",
                                icon=":material/download:")
        workbook_button(cols[5], key=f"{prefix}dl_workbook_downloads")


# px a grid may take on a projector with the sidebar open (1280×720): wider tables are split into views
GRID_PX = 789


def column_view(key: str, views: dict[str, dict[str, int]], names: dict[str, str]) -> dict[str, int]:
    """A switch between groups of a wide table's columns, so that every column shown is on screen at 1280×720 with
    the sidebar open (a grid never hides a column to the right of the projector): returns the chosen group's
    columns and their widths (px), in order. ``names`` are the groups' labels."""
    order = tuple(views)
    pick = st.segmented_control(t("table_view"), order, default=order[0], key=key, required=True,
                                format_func=fixed(names.get, order))
    return views[pick if pick in views else order[0]]


def lazy_expander(label: str, key: str, *, icon: str | None = None, expanded: bool = False, container=st):
    """An expander whose body is only computed while it is open (its content costs every rerun otherwise).

    Returns the expander, or None when it is closed.
    """
    # Streamlit's expander ID includes `expanded`: a default that follows the scenario (open when non-default) would
    # make a new expander, and remount the control being used inside it, on the move that flips it (focus lost,
    # the rest of a key burst pressed into nothing). The default is fixed while the expander is on the page.
    ss, first = st.session_state, f"{key}__expanded"
    if key not in ss or first not in ss:
        ss[first] = expanded
    exp = container.expander(label, expanded=ss[first], icon=icon, key=key, on_change="rerun")
    return exp if exp.open else None


_CHARTS = threading.local()  # the charts drawn in this script run, for the export panel


MAX_SPECS = 512
_SPECS = Lru(MAX_SPECS)  # key -> (spec, spec with Arrow datasets)
_INLINE = Lru(MAX_SPECS)  # Altair's inline datasets, by name -> (their repr, Arrow bytes): a template's constant rows
# (the trajectory's shaded band) converted once, not with every new value's frames (0.8 ms a chart)
_SPECS_LOCK = threading.Lock()  # the per-object memos (memo_on)


def _arrow(spec: dict) -> dict:
    """The spec with its named datasets as Arrow bytes (what st.vega_lite_chart would convert them to on every run)."""
    from streamlit import dataframe_util

    def convert(name: str, value) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, list):  # Altair's inline records (a band's one row), named by a hash of their JSON
            # the same records, not only the same JSON (default=str): their repr, which tells 0 from 0.0 and True
            # from 1 (equal in Python, other Arrow types) and keeps the keys' order (the columns')
            text, hit = repr(value), _INLINE.peek(name)
            if hit is not None and hit[0] == text:
                return hit[1]
            out = dataframe_util.convert_anything_to_arrow_bytes(value)
            _INLINE.put(name, (text, out))
            return out
        if isinstance(value, Columns):
            return columns_arrow(value)
        return dataframe_util.convert_anything_to_arrow_bytes(value)

    # every dataset, frames and Altair's inline records alike: any left as records is converted on every draw
    datasets = {k: convert(k, v) for k, v in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets} if datasets else dict(spec)


def columns_arrow(cols: Columns) -> bytes:
    """Arrow IPC bytes of a chart's columns, built without pandas: the table Streamlit would send for
    ``cols.to_frame()`` (its columns and values; NaN and None as null, text as large strings), without the index
    metadata a frame's conversion adds (the chart reads no index)."""
    import pyarrow as pa
    from streamlit import dataframe_util

    arrays = []
    try:
        for _, v in cols.items():
            a = pa.array(v, from_pandas=True)
            if pa.types.is_string(a.type):
                a = a.cast(pa.large_string())
            arrays.append(a)
    except (pa.ArrowException, TypeError, ValueError):  # mixed objects: as Streamlit fixes a frame's column types
        return dataframe_util.convert_anything_to_arrow_bytes(cols.to_frame())
    table = pa.Table.from_arrays(arrays, names=cols.columns)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def chart(spec, key: tuple | None = None, name: str | None = None) -> None:
    """Draw a chart and remember it for PNG/SVG export (under ``name``, the heading the page shows above it, when
    the page has one).

    ``spec`` is a Vega-Lite spec, or a function building one; with ``key`` (everything the chart shows: the
    scenario, the language, the chart's own choices) it is built and its data converted once per key, so a slider
    move redraws a chart it does not change without rebuilding it, and a scenario seen before (a key pressed back
    and forth, undo) costs no pandas."""
    try:
        built, shown = _built(spec, key)
    except Exception:  # noqa: BLE001 - one chart that cannot be drawn never takes the page with it
        log.exception("chart %s failed", key[0] if key else "")
        st.error(t("error_generic"))
        return
    # Streamlit moves the datasets out of the dict it is given: a fresh top level each time
    st.vega_lite_chart(spec={**shown, "datasets": dict(shown.get("datasets", {}))}, width="stretch")
    if not hasattr(_CHARTS, "specs"):
        _CHARTS.specs, _CHARTS.names = [], []
    _CHARTS.specs.append(built)
    _CHARTS.names.append(name)


def _built(spec, key: tuple | None) -> tuple[dict, dict]:
    """The chart's spec and the spec with Arrow data (cached per key)."""
    def build() -> tuple[dict, dict]:
        built = spec() if callable(spec) else spec
        return built, _arrow(built)

    return build() if key is None else _SPECS.get(key, build)


_MEMO = Lru(MAX_SPECS)  # key -> a value a page shows, built once per key


def memo(key: tuple, build: Callable[[], object]):
    """``build()`` once per ``key`` (everything the value depends on: the scenario, its data): what a page derives
    from a scenario for display, so a slider move back to a value, or a rerun that changes something else, costs no
    pandas. The value must not be mutated."""
    return _MEMO.get(key, build)


def table_data(key: tuple, frame: Callable[[], pd.DataFrame]):
    """A table's data for ``st.dataframe``, converted to Arrow once per ``key`` (the table's content: its rows in the
    language shown), exactly as Streamlit converts a frame — which it otherwise does on every run, for a table whose
    rows a slider move rarely changes (the evaluation's status table under a threshold)."""
    from streamlit import dataframe_util

    return memo(("table_data",) + key, lambda: dataframe_util.convert_pandas_df_to_arrow_table(frame()))


WRAP_ROWS_PX = 37  # px: the box of a wrapped table holds about this much per row of one line (and its header)


def wrapped_table(key: tuple, rows: Callable[[], list[dict]], heads: dict[str, str], *, figures: Sequence[str] = (),
                  long: Sequence[str] | None = None, phone_hides: Sequence[str] = (), shares: dict | None = None,
                  whole: Sequence[str] = (), shown: int = 12) -> None:
    """A table of long names with every column and every word on screen at any width (a grid cuts a cell at its
    column's width and hides the columns beyond the screen): an HTML table whose text wraps inside its cells, in a
    box of about ``shown`` rows that scrolls the rest under its header. One element, its HTML built once per
    ``key`` (the table's content: rows and language); ``st.table`` would render every cell as Markdown.

    ``rows()``: the rows as text already formatted, by column key; ``heads``: the shown columns' keys and headers,
    in order (each header carries its key as ``data-key``, for tests); ``figures``: the columns of figures, aligned
    right and never broken; ``long``: the columns of long text (names, notes; the first column if not given), which
    take the width the others leave and wrap anywhere; every other cell breaks only between words (未完成 and
    >1,600亿元 stay whole); ``phone_hides``: columns left out on a phone's screen (below 640 px), so that the others
    keep their words whole (the downloads have every column); ``shares``: the part of the table's width (%) some
    long columns take (a quote beside names: the browser would give most of the width to the longest text);
    ``whole``: columns of short phrases kept on one line on a computer's screen (a status: its sign and its word)."""
    long = tuple(heads)[:1] if long is None else tuple(long)
    shares = dict(shares or {})
    body = memo(("wrapped", *key, tuple(heads.items()), tuple(figures), long, tuple(phone_hides),
                 tuple(shares.items()), tuple(whole)),
                lambda: table_html(rows(), heads, figures, long, phone_hides, shares, whole))
    n = body.count("<tr>") - 1
    # the box may scroll (its rows; sideways where a word is wider than a phone): a region the keyboard reaches
    # (WCAG 2.1.1), named by its columns
    height = f' style="max-height: {(shown + 1) * WRAP_ROWS_PX}px"' if n > shown else ""
    st.html(f'<div class="wtable"{height} tabindex="0" role="region" '
            f'aria-label="{html.escape(" · ".join(heads.values()))}">{body}</div>')


def stated_text(v) -> str:
    """A figure in a wrapped table as stated: thousands separators, at most two decimals (1,280 · 46.5 · 2.35),
    '—' for none (what a grid's "localized" format shows)."""
    if v is None or not math.isfinite(float(v)):
        return "—"
    text = fmt(v, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_text(v) -> str:
    """An amount in a wrapped table: two decimals, as a plan's annex states them (1,234.50), '—' for none."""
    return "—" if v is None or not math.isfinite(float(v)) else fmt(v, 2)


def percent_text(v, digits: int = 1) -> str:
    """A percentage in a table or card: one decimal (45.2%) unless told, '—' for none."""
    return "—" if v is None or not math.isfinite(float(v)) else f"{fmt(v, digits)}%"


def table_html(rows: list[dict], heads: dict[str, str], figures: Sequence[str] = (), long: Sequence[str] = (),
               phone_hides: Sequence[str] = (), shares: dict | None = None, whole: Sequence[str] = ()) -> str:
    """``<table>`` of ``rows`` under ``heads`` (see :func:`wrapped_table`), every text escaped."""
    def classes(k: str) -> str:
        names = (["fig"] * (k in figures) + ["long"] * (k in long) + ["wide"] * (k in phone_hides)
                 + ["whole"] * (k in whole))
        return f' class="{" ".join(names)}"' if names else ""

    fig = {k: classes(k) for k in heads}
    shares = shares or {}
    head = "".join(f'<th scope="col" data-key="{html.escape(k)}"{fig[k]}'
                   + (f' style="width: {float(shares[k]):g}%"' if k in shares else "") + f">{html.escape(v)}</th>"
                   for k, v in heads.items())
    body = "".join("<tr>" + "".join(f"<td{fig[k]}>{html.escape('' if r.get(k) is None else str(r.get(k)))}</td>"
                                    for k in heads) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict(orient="records")``, built column by column: pandas iterates an Arrow string column cell by
    cell there (10 ms for the evaluation's targets), ``tolist`` converts it at once. The same values of the same
    types: object and extension columns boxed as pandas boxes them (a missing value of a nullable column is None);
    repeated column names are left to pandas."""
    from pandas.core.dtypes.cast import maybe_box_native

    cols = list(frame.columns)
    if len(set(cols)) != len(cols):
        return frame.to_dict(orient="records")
    values = []
    for c in cols:
        col = frame[c]
        if isinstance(col.dtype, pd.StringDtype):
            values.append([None if v is pd.NA else v for v in col.tolist()])
        elif col.dtype == object or isinstance(col.dtype, pd.api.extensions.ExtensionDtype):
            values.append([maybe_box_native(v) for v in col])
        else:
            values.append(list(col))
    return [dict(zip(cols, row)) for row in zip(*values)] if cols else [{} for _ in range(len(frame))]


def rows_key(rows) -> tuple:
    """The content of screen rows (dicts) as a key for :func:`table_data`: their repr, which tells 0.0 from -0.0 and
    1 from 1.0 (equal as Python values, different in a table) and finds a NaN equal to itself."""
    return (repr(list(rows)),)


_ON: dict[tuple, tuple] = {}  # (id(obj), key) -> (weak reference to obj, value)


def memo_on(obj, key: tuple, build: Callable[[], object]):
    """``build()`` once per object and ``key``, for an immutable object the app keeps (an evaluation, a monitoring
    result: cached by their inputs, so the same object comes back on every rerun that does not change them) — what a
    page derives from it for display (table rows in the language shown). Dropped with the object. The value must not
    be mutated."""
    import weakref

    slot = (id(obj), key)
    with _SPECS_LOCK:
        hit = _ON.get(slot)
    if hit is not None and hit[0]() is obj:
        return hit[1]
    value = build()
    try:
        ref = weakref.ref(obj, lambda _r, slot=slot: _ON.pop(slot, None))
    except TypeError:  # an object without weak references: not remembered
        return value
    with _SPECS_LOCK:
        _ON[slot] = (ref, value)
    return value


def _chart_title(spec: dict, n: int) -> str:
    def titles(node):
        enc = node.get("encoding", {})
        for ch in ("y", "x"):
            title = enc.get(ch, {}).get("title")
            if isinstance(title, str) and title:
                yield title
        for sub in node.get("layer", []):
            yield from titles(sub)

    return next(titles(spec), f"chart {n}")


def _chart_series(spec: dict) -> list[str]:
    """The series a chart's legend names (its colour domain), for telling charts with the same axis apart."""
    def domains(node):
        dom = node.get("encoding", {}).get("color", {}).get("scale", {}).get("domain")
        if isinstance(dom, list):
            yield [str(x) for x in dom]
        for sub in node.get("layer", []):
            yield from domains(sub)

    return next(domains(spec), [])


def chart_names(specs: list[dict], given: list[str | None] | None = None) -> list[str]:
    """Each chart's name in the export list: the name the page gave it (its heading), else its axis title, and
    where two charts share that, their first series too (产值（亿元） · <first series>)."""
    given = list(given or []) + [None] * (len(specs) - len(given or []))
    names = [g or _chart_title(spec, n) for n, (spec, g) in enumerate(zip(specs, given), start=1)]
    out = []
    for name, spec in zip(names, specs):
        series = _chart_series(spec)
        out.append(f"{name} · {series[0]}" if names.count(name) > 1 and series else name)
    return out


def chart_exports(page_key: str) -> None:
    """PNG and SVG of every chart on the page, rendered on the server (vl-convert) only when asked for."""
    specs = getattr(_CHARTS, "specs", [])
    if not specs:
        return
    exp = lazy_expander(t("export_charts"), "open_chart_export", icon=":material/image:")
    if exp is None:
        return
    from model import charts

    with exp:
        for n, (spec, name) in enumerate(zip(specs, chart_names(specs, getattr(_CHARTS, "names", None))), start=1):
            c = st.columns([3, 1, 1], vertical_alignment="center")
            c[0].text(f"{n}. {name}")
            stem = f"{page_key.removeprefix('nav_')}-{n}"
            c[1].download_button("PNG", data=lambda spec=spec: charts.to_png(spec), file_name=f"{stem}.png",
                                 mime="image/png", on_click="ignore", key=f"png_{n}", icon=":material/image:")
            c[2].download_button("SVG", data=lambda spec=spec: charts.to_svg(spec), file_name=f"{stem}.svg",
                                 mime="image/svg+xml", on_click="ignore", key=f"svg_{n}", icon=":material/draw:")


def workbook_button(container=st, key: str = "dl_workbook") -> None:
    """The scenario's Excel workbook (every table as a sheet), made on click."""
    try:
        from model.io.workbook import workbook_bytes, workbook_name
    except ImportError:  # the workbook writer is optional until it is installed
        return
    s, lg = state.scenario(), lang()
    data = state.data_for(s)
    r, fan = state.results(s), state.fan(s)
    container.download_button(t("workbook"), data=lambda: workbook_bytes(data, r, lg, fan),
                              file_name=workbook_name(s, lg),
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              on_click="ignore", icon=":material/table_view:", width="stretch", key=key)


def badge(ok: bool, text: str) -> None:
    """An on/off-track badge: text and icon carry the meaning, colour only repeats it."""
    st.badge(text, icon=":material/check_circle:" if ok else ":material/warning:", color="green" if ok else "orange")

"""Every page and the brief in Chinese carry no English words except units, ids, numbers and names of file types
(issue 12): the page's own texts, captions, labels, metrics, notices and the brief's text. (Tables' headers are
set through column configuration, which AppTest does not expose; the browser screenshots show them.)"""
from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import presets, run
from model.report.brief import brief_html
from tests.conftest import REPO

PAGES = ("app.py", "pages/1_output.py", "pages/2_phasing.py", "pages/3_compare.py", "pages/4_sources.py",
         "pages/5_analysis.py", "pages/6_story.py", "pages/7_evaluation.py", "pages/8_nextplan.py")
ALLOWED = {"PNG", "SVG", "HTML", "CSV", "Excel", "Word", "WPS", "PDF", "ID", "QR", "P10", "P25", "P50", "P75", "P90",
           "IGBT", "UTC", "English", "Language", "A", "B", "S", "m", "mu", "xlsx", "docx", "html", "csv", "brief",
           "assumptions", "projection", "phasing", "roads", "summary", "fan", "tornado", "investment_output",
           "CRRC", "KB", "MB", "GBK", "UTF", "BOM"}
# every folded panel open, so their texts are read too (they are computed only while open)
PANELS = ("open_brief", "open_chart_export", "open_downloads", "open_library", "open_overrides", "open_projects",
          "open_qr", "open_structure", "open_tools", "open_yearly", "open_gantt", "open_ab", "np_open_downloads",
          "np_open_save", "np_open_settings", "np_open_table", "pe_open_downloads", "pe_open_files", "pe_open_rules")
WORD = re.compile(r"[A-Za-z][A-Za-z_\-]{1,}")


def english_words(texts) -> set[str]:
    words = set()
    for text in texts:
        text = re.sub(r"`[^`]*`", "", str(text))  # code spans hold ids and file names
        text = re.sub(r":material/[a-z_]+:|:[a-z]+-badge\[|<[^>]*>", "", text)  # icons, badges, HTML tags
        text = re.sub(r"[A-Za-z0-9_/.\-]+\.(csv|xlsx|docx|html)\b", "", text)
        text = re.sub(r"\b[0-9a-f]{8}\b", "", text)  # short IDs
        text = re.sub(r"\b[PRN]\d{2,3}\b", "", text)  # project / road ids
        words |= {w.strip("-_") for w in WORD.findall(text)}
    return {w for w in words if w and w not in ALLOWED}


HALF_WIDTH = re.compile(r"[\u4e00-\u9fff\u3001-\u3011][:;?!]\s|[\u4e00-\u9fff](?:\s?\()(?![A-Za-z_.][A-Za-z0-9_.]*\))|"
                        r"\([^()]*[\u4e00-\u9fff][^()]*\)")


def half_width_punctuation(texts) -> list[str]:
    """Chinese text punctuated in ASCII: "分享链接: …", "情景 (2025)", "(含清水塘)"; code spans and markup aside."""
    found = []
    for text in texts:
        text = re.sub(r"\*\*|`[^`]*`|:material/[a-z_]+:|<[^>]*>|\]\([^)]*\)", "", str(text))
        found += [text[max(m.start() - 12, 0):m.end() + 12] for m in HALF_WIDTH.finditer(text)]
    return found


PLANS = (None, "synthetic-four-2026-2030", "synthetic-one-2026-2030")  # the default package and two of other shapes
UI_PAGES = PAGES[:7]  # the pages of any plan (the evaluation and next-plan pages are checked on the default plan)


@pytest.fixture(autouse=True)
def _clear_caches(monkeypatch):
    monkeypatch.setenv("SHIFENG_PLANS", str(REPO / "tests" / "plans"))
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page, plan", [(p, None) for p in PAGES] + [(p, plan) for plan in PLANS[1:] for p in UI_PAGES],
                         ids=lambda v: str(v).rsplit("/", 1)[-1].split("-2026")[0] if v else "default")
def test_a_page_in_chinese_shows_no_english_words(page, plan):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    if plan:
        at.query_params["plan"] = plan
    at.run()
    for key in PANELS:
        at.session_state[key] = True
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception
    texts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success",
                                  "error") for e in getattr(at, kind) if not e.value.lstrip().startswith("<style>")]
    texts += [m.label for m in at.metric] + [m.value for m in at.metric]
    for kind in ("slider", "select_slider", "selectbox", "multiselect", "radio", "toggle", "number_input",
                 "text_input", "button", "checkbox", "text_area"):
        texts += [w.label for w in getattr(at, kind)]
    for key in ("src_tab", "analysis_tab"):  # every tab of a lazy tab bar
        if key in at.session_state:
            for tab in [x.label for x in at.tabs][1:]:
                at.session_state[key] = tab
                at.run()
                texts += [e.value for kind in ("caption", "markdown", "info", "warning", "subheader") for e in
                          getattr(at, kind) if not e.value.lstrip().startswith("<style>")]
                texts += [m.label for m in at.metric] + [w.label for w in at.slider] + [w.label for w in at.toggle]
    stray = english_words(texts)
    assert not stray, f"{page}: {sorted(stray)[:20]}"
    ascii_marks = half_width_punctuation(texts)
    assert not ascii_marks, f"{page}: {ascii_marks[:20]}"


def test_the_brief_in_chinese_shows_no_english_words(plan_data):
    page = brief_html(plan_data, run(plan_data, presets(plan_data)["historical-trend"]), "zh")
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    texts = re.findall(r">([^<>]+)<", body)
    stray = english_words(texts)
    assert not stray, sorted(stray)[:30]
    assert not half_width_punctuation(texts), half_width_punctuation(texts)[:20]

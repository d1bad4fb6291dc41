"""The guided story on a projector (presentation mode, 1280×720 and 1366×768, both languages), in a real browser.

At every step: back and next are on the first screen, the step's heading is in view (each step opens at its top,
even when the previous one was scrolled down), the chart is the step's own (no two steps draw the same chart). The
keys a presentation clicker sends (PageDown / PageUp) and the arrow keys turn the pages; a sidebar opened to
navigate is folded when the next step opens. Screenshots: test-artifacts/screenshots/story/.
"""
from __future__ import annotations

import hashlib
import re

import pytest

from tests.browser_support import ARTIFACTS, browser_page, server_fixture

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots" / "story"
MAIN = '[data-testid="stMain"]'
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(c => c.querySelector('svg.marks, canvas'))"""
WORDS = {"zh": ("上一步", "下一步"), "en": ("Back", "Next")}

server = server_fixture("streamlit-story.log")


def at_step(pg, k: int) -> None:
    """Until step ``k`` is drawn and the page has settled."""
    pg.wait_for_function(f"() => document.querySelector('{MAIN} h2')?.innerText.startsWith('{k}.')")
    pg.wait_for_function(IDLE_JS)


def on_first_screen(pg, locator) -> bool:
    box = locator.bounding_box()
    vh = pg.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vh


def chart_signature(pg) -> str:
    """What the step's chart shows: its axis titles, legend and mark texts (SVG), else its pixels."""
    chart = pg.locator(f'{MAIN} [data-testid="stVegaLiteChart"]').first
    texts = chart.locator("svg text").all_text_contents()
    if texts:
        return "|".join(texts)
    return hashlib.sha1(chart.screenshot()).hexdigest()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)], ids=["1280x720", "1366x768"])
def test_the_story_on_a_projector(browser, server, size, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    back_word, next_word = WORDS[lang]
    w, h = size
    with browser_page(browser, w, h) as pg:
        pg.goto(f"{server}/story?present=1&rail=6&non=20" + ("&lang=en" if lang == "en" else ""))
        at_step(pg, 1)
        seen = {}
        for k in range(1, 8):
            # the story's own buttons (the sidebar's 撤销上一步 / undo is another button)
            pg.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', state="attached")
            back = pg.locator(MAIN).get_by_role("button", name=re.compile(back_word))
            nxt = pg.locator(MAIN).get_by_role("button", name=re.compile(next_word))
            heading = pg.locator(f"{MAIN} h2").first
            assert on_first_screen(pg, back) and on_first_screen(pg, nxt), f"step {k}: back/next below the fold"
            assert on_first_screen(pg, heading), f"step {k}: the heading is not in view"
            assert pg.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
            sig = chart_signature(pg)
            assert sig not in seen.values(), f"step {k} draws the chart of step {[s for s, v in seen.items() if v == sig]}"
            seen[k] = sig
            pg.screenshot(path=str(SHOTS / f"story-{lang}-{w}x{h}-step{k}.png"))
            if k == 7:
                break
            # scrolled down to the chart, as a presenter would be; the clicker's key turns the page
            pg.locator(f'{MAIN} [data-testid="stVegaLiteChart"]').first.scroll_into_view_if_needed()
            pg.locator("body").focus() if k % 2 else nxt.focus()
            pg.keyboard.press("PageDown" if k % 2 else "ArrowRight")
            at_step(pg, k + 1)
        pg.keyboard.press("PageUp")
        at_step(pg, 6)
        pg.keyboard.press("ArrowLeft")
        at_step(pg, 5)


def test_a_sidebar_opened_to_navigate_is_folded_when_the_next_step_opens(browser, server):
    with browser_page(browser, 1280, 720) as pg:
        pg.goto(f"{server}/story?present=1")
        at_step(pg, 1)
        # the step's script has run (it folds an open sidebar as the step opens): only then does the presenter open it
        pg.wait_for_function("() => window.__shifengStoryKeys === true")
        pg.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', state="attached")
        pg.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
        pg.wait_for_selector('[data-testid="stSidebar"][data-collapsed="false"]')
        pg.locator(MAIN).get_by_role("button", name=re.compile("下一步")).click()
        at_step(pg, 2)
        pg.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', state="attached")


def test_arrow_keys_in_a_text_box_do_not_turn_the_page(browser, server):
    with browser_page(browser, 1280, 720) as pg:
        pg.goto(f"{server}/story")
        at_step(pg, 1)
        pg.wait_for_function("() => window.__shifengStoryKeys === true")  # the keys are listened to
        box = pg.locator('[data-testid="stSidebar"] input[type="text"]').first
        box.focus()
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("PageDown")
        pg.wait_for_function(IDLE_JS)
        assert pg.locator(f"{MAIN} h2").first.inner_text().startswith("1.")
        box.evaluate("e => e.blur()")
        pg.wait_for_function(IDLE_JS)  # leaving the box may rerun the page; the press then meets the settled page
        pg.keyboard.press("ArrowRight")  # and out of the box they do
        at_step(pg, 2)
        assert pg.locator(f"{MAIN} h2").first.inner_text().startswith("2.")

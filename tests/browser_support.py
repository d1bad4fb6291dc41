"""What every real-browser test module shares: the skip rule, a `streamlit run` server per module (optionally on
a library of its own), Debian's Chromium through Playwright, and waiting for Streamlit to finish a run."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import weakref
from pathlib import Path

import pytest
from streamlit.web.server.server import UPLOAD_FILE_ENDPOINT

from bench._browser import CHROMIUM, serve
from bench._browser import chromium as _bench_chromium
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
MAIN = '[data-testid="stMain"]'


def need_browser() -> None:
    """Skip without Chromium and the CJK fonts, unless REQUIRE_BROWSER=1 (as in CI): then fail."""
    if CHROMIUM is None or shutil.which("fc-list") is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium not installed: apt-get install chromium fonts-noto-cjk")


@contextlib.contextmanager
def app_server(log_name: str, library: Path | None = None):
    """`streamlit run app.py` on a free port (its log in test-artifacts/); with ``library``, on that library file
    (the server inherits $SHIFENG_LIBRARY_DB), never the repository's."""
    need_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    old = os.environ.get("SHIFENG_LIBRARY_DB")
    if library is not None:
        os.environ["SHIFENG_LIBRARY_DB"] = str(library)
    try:
        with open(ARTIFACTS / log_name, "w") as log, serve("app.py", log=log) as (base, _):
            yield base
    finally:
        if library is not None:
            if old is None:
                os.environ.pop("SHIFENG_LIBRARY_DB", None)
            else:
                os.environ["SHIFENG_LIBRARY_DB"] = old


class RunWatch:
    """What a page and its Streamlit server said to each other, read from the websocket's frames: the reruns the
    page asked for, the runs the server started (each begins with ``new_session``, a fragment's run too) and the
    runs it finished. So a test waits for the run its action caused, however slow the machine, never for a time."""

    def __init__(self):
        self.seq = 0
        self.asked = self.started = self.finished = 0  # sequence number of the latest of each
        # a file chosen in an uploader: the page asks for upload URLs, uploads over HTTP, then asks for the rerun
        self.upload = 0  # sequence number of the latest upload event (URLs asked for, an upload begun or ended)
        self.uploading = 0  # uploads in flight

    def sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if not isinstance(payload, bytes):
            return
        kind = BackMsg.FromString(payload).WhichOneof("type")
        if kind == "rerun_script":
            self.seq += 1
            self.asked = self.seq
        elif kind == "file_urls_request":
            self.seq += 1
            self.upload = self.seq

    def upload_began(self, request) -> None:
        if UPLOAD_PATH in request.url:
            self.seq += 1
            self.upload = self.seq
            self.uploading += 1

    def upload_ended(self, request) -> None:
        if UPLOAD_PATH in request.url:
            self.seq += 1
            self.upload = self.seq
            self.uploading -= 1

    def received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.seq += 1
            self.started = self.seq
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.seq += 1
            self.finished = self.seq

    def idle(self) -> bool:
        """The last rerun asked for has started and finished (or none was ever asked for), and no file is on its way:
        every upload has ended and the rerun it causes has been asked for."""
        if self.uploading or self.upload > self.asked:
            return False
        return self.asked == 0 or self.asked < self.started < self.finished

    @classmethod
    def attach(cls, page) -> "RunWatch":
        watch = cls()
        page.on("websocket", lambda ws: (ws.on("framesent", watch.sent), ws.on("framereceived", watch.received)))
        page.on("request", watch.upload_began)
        page.on("requestfinished", watch.upload_ended)
        page.on("requestfailed", watch.upload_ended)
        _WATCHES[page] = watch
        return watch


UPLOAD_PATH = UPLOAD_FILE_ENDPOINT + "/"  # where the page sends a chosen file


_WATCHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _watched(browser):
    """Every page of every context of ``browser`` watched from its creation (before its websocket opens)."""
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        ctx = new_context(*args, **kwargs)
        ctx.on("page", RunWatch.attach)
        return ctx

    browser.new_context = watched_context
    return browser


@contextlib.contextmanager
def chromium():
    """bench/_browser.chromium(), after the test suite's skip-or-fail rule; its pages' runs are watched
    (wait_idle)."""
    need_browser()
    with _bench_chromium() as b:
        yield _watched(b)


@contextlib.contextmanager
def browser_page(browser, width: int, height: int, timeout_ms: int = 30_000):
    """A page in a fresh browser context of the given size (Chinese locale), closed with its context."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(timeout_ms)
        yield pg
    finally:
        ctx.close()


def server_fixture(log_name: str, own_library: bool = False):
    """A module-scoped ``server`` fixture: the app on a free port, logging to test-artifacts/<log_name>; with
    ``own_library``, on a library of the module's own (pages list and save documents there, never in the
    repository's)."""

    @pytest.fixture(scope="module")
    def server(tmp_path_factory):
        library = tmp_path_factory.mktemp("library") / "lib.db" if own_library else None
        with app_server(log_name, library=library) as base:
            yield base

    return server


def wait_idle(pg, timeout_ms: int = 30_000) -> None:
    """Until the run the last action asked for has finished and the page shows it (nothing running or stale, every
    chart on screen drawn). The page's messages say which run that is (RunWatch): a round trip to the page first, so
    a rerun it has just sent has been seen, then the watch is read every 20 ms (polling, not a pause)."""
    import time

    watch = _WATCHES.get(pg)
    if watch is None:  # a page from a browser not launched through chromium()
        raise RuntimeError("wait_idle needs a page of a browser from tests.browser_support.chromium()")
    deadline = time.monotonic() + timeout_ms / 1000
    round_trip = "() => new Promise(r => { requestAnimationFrame(() => requestAnimationFrame(r)); setTimeout(r, 250); })"
    pg.evaluate(round_trip)
    while True:
        while not watch.idle():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no finished run after {timeout_ms} ms (asked #{watch.asked}, started "
                                   f"#{watch.started}, finished #{watch.finished}, upload #{watch.upload}, "
                                   f"{watch.uploading} in flight)")
            pg.wait_for_timeout(20)
        # the browser reports network events apart from the page's answers: one more round trip, and idle only if
        # nothing was seen meanwhile
        seen = watch.seq
        pg.evaluate(round_trip)
        if watch.seq == seen and watch.idle():
            break
    settled(pg, timeout_ms)


def click_run(pg, target, tries: int = 3, timeout_ms: int = 30_000) -> None:
    """Click ``target`` (a button whose click reruns the script) and wait for that run (wait_idle). A click the page
    never sent to the server (the button moved under the pointer while a loaded machine laid the page out) is tried
    again, up to ``tries`` times; a click that was sent is never repeated, so an action that then shows nothing fails
    its test."""
    import time

    watch = _WATCHES.get(pg)
    if watch is None:
        raise RuntimeError("click_run needs a page of a browser from tests.browser_support.chromium()")
    for _ in range(tries):
        before = watch.asked
        target.click()
        deadline = time.monotonic() + 10
        while watch.asked == before and time.monotonic() < deadline:
            pg.wait_for_timeout(20)
        if watch.asked != before:
            wait_idle(pg, timeout_ms)
            return
    raise AssertionError(f"{tries} clicks on {target} asked the server for no run (last asked #{watch.asked}, "
                         f"started #{watch.started}, finished #{watch.finished})")


# True once Streamlit has finished: nothing running, nothing stale, every chart on screen drawn
SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
        c => c.getClientRects().length === 0 || c.querySelector('svg.marks, canvas'))"""


def settled(pg, timeout_ms: int = 30_000) -> None:
    """Until the page shows a finished run (call it after waiting for the state the action leads to: a run that has
    not started yet looks settled too)."""
    pg.wait_for_function(SETTLED_JS, timeout=timeout_ms)


def eventually(check, timeout_s: float = 30.0):
    """``check()`` until it passes (returns its result), for a state reached by a run that may not have started when
    the action returned (a loaded machine): an assertion or a missing element is retried every 100 ms, the last one
    raised after ``timeout_s``. The assertion is the test's own, unchanged: only the moment it is read waits."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return check()
        except (AssertionError, PlaywrightError, AttributeError):  # AttributeError: a regex on text not yet drawn
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def upload(pg, index: int, path, then: str | None = None) -> None:
    """A file into the page's ``index``-th uploader (the sidebar has one too: only the main area's count); waits for
    what the upload leads to — ``then`` (a text the page shows afterwards, e.g. its message), else the file's name
    in the uploader — and for the run to finish: never for a time (a busy machine starts the run late)."""
    import re

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = pg.locator(f'{MAIN} [data-testid="stFileUploader"]').nth(index)
    box.wait_for()
    settled(pg)  # the page's first run drawn: a file chosen in a box the run then replaces can be lost
    for attempt in range(2):
        box.locator('input[type="file"]').set_input_files(str(path))
        try:  # the file reached the uploader (its name under the box): the user's action happened
            box.get_by_text(path.name).first.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            # once in a CI run the file never reached the uploader (no name, no message, never reproduced): the file
            # is chosen again, as a user who sees an empty box would; what the page does with it is never retried
            if attempt:
                raise
    if then is not None:
        pg.get_by_text(re.compile(then)).first.wait_for()
    settled(pg)


RAIL_SLIDER = re.compile(r"^轨道交通\s?(产业)?年均增长")  # the first growth slider of the default plan's pages


def move_slider(pg, name=RAIL_SLIDER, key: str = "ArrowRight") -> str:
    """One key press on the slider named ``name``, until the link has changed and the run finished; returns the link
    (``location.search``) from before the press."""
    slider = pg.get_by_role("slider", name=name).first
    before = pg.evaluate("() => location.search")
    slider.focus()
    pg.keyboard.press(key)
    pg.wait_for_function("(b) => location.search !== b", arg=before)
    wait_idle(pg)
    return before


def enter(pg, box, text: str, link_has: str) -> None:
    """``text`` typed into ``box`` and Enter pressed; until the link contains ``link_has`` and the run finished."""
    box.fill(text)
    box.press("Enter")
    pg.wait_for_function("(x) => location.search.includes(x)", arg=link_has)
    wait_idle(pg)


def undo(pg, until_js: str, arg=None) -> None:
    """The scenario bar's undo button (in the sidebar) clicked; until ``until_js`` (a function of ``arg``: the link
    back, a parameter gone) holds and the run finished."""
    pg.locator('[data-testid="stSidebar"]').get_by_role("button", name=re.compile("^撤销")).click()
    pg.wait_for_function(until_js, arg=arg)
    wait_idle(pg)

"""What every real-browser test module shares: the skip rule, a `streamlit run` server per module (optionally on
a library of its own), Debian's Chromium through Playwright, and waiting for Streamlit to finish a run."""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from bench._browser import CHROMIUM, serve
from bench._browser import chromium as _bench_chromium
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"


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


@contextlib.contextmanager
def chromium():
    """bench/_browser.chromium(), after the test suite's skip-or-fail rule."""
    need_browser()
    with _bench_chromium() as b:
        yield b


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
    """Until Streamlit has finished the current run (no running status widget)."""
    pg.wait_for_timeout(150)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    pg.wait_for_timeout(150)


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

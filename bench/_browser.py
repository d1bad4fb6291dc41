"""Shared helpers for the browser benchmarks: serve a Streamlit script on a free port, drive Debian's Chromium."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists()), None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# True once the page has finished a run: no running indicator and no element still marked stale.
IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""
# What a rerun redraws as text (metric values, captions); not the slider's own value label, which the browser
# updates before the server has done anything.
# The scenario's ID in the sidebar too: it changes with every setting (a move that changes no rounded metric still
# changes the ID), and it is drawn by the same run as the page.
MAIN_TEXT_JS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stCaptionContainer"], '
    + '[data-testid="stSidebar"] [data-testid="stCaptionContainer"] code')]
    .map(e => e.textContent).join('|')"""
# True once a rerun has changed that text and finished (argument: the text before the key press)
REDRAWN_JS = f"""(before) => ({MAIN_TEXT_JS})() !== before && ({IDLE_JS})()"""


def keys(n: int) -> list[str]:
    """Slider key presses that stay inside the range: ten right, ten left, …"""
    return ["ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft" for i in range(n)]


async def slider_value(slider) -> tuple[float, float, float, float]:
    """(value, minimum, maximum, step) of a slider (Streamlit 1.67 draws an ``<input type="range">``)."""
    return tuple(float(x) for x in await slider.evaluate("e => [e.value, e.min, e.max, e.step]"))


def fresh_keys(now: float, lo: float, hi: float, step: float, n: int) -> list[str]:
    """``n`` presses in one direction from ``now``, each to a value not shown before in the session but for the
    first (the warm-up's one step each way): the direction with more room, which must hold ``n`` steps."""
    key, room = ("ArrowRight", hi - now) if hi - now >= now - lo else ("ArrowLeft", now - lo)
    if step <= 0 or room / step < n:
        raise SystemExit(f"the slider has {room / step if step > 0 else 0:.0f} steps of room, fewer than {n} presses")
    return [key] * n


async def open_app(browser, url: str, width: int = 1400, height: int = 1100,
                   ready: str = '[data-testid="stMetric"], [data-testid="stVegaLiteChart"]'):
    """(context, page) of a fresh async Playwright page on ``url``, once its first run has drawn (``ready``) and
    finished."""
    ctx = await browser.new_context(viewport={"width": width, "height": height})
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    await page.goto(url)
    await page.wait_for_selector(ready)
    await page.wait_for_function(IDLE_JS, polling="raf")
    return ctx, page


async def press(page, slider, key: str) -> float:
    """Milliseconds from a key press on ``slider`` to the page redrawn."""
    import time

    await slider.focus()
    before = await page.evaluate(MAIN_TEXT_JS)
    t0 = time.perf_counter()
    await page.keyboard.press(key)
    await page.wait_for_function(REDRAWN_JS, arg=before, polling="raf")
    return (time.perf_counter() - t0) * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: str, port: int | None = None, log=None):
    """``streamlit run script`` on 127.0.0.1 (output to ``log``, a file, if given); yields (base_url, seconds from
    spawn to health ok). The server is terminated, then killed if need be, on exit."""
    port = port or free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType",
         "none"], cwd=REPO, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit run {script} did not start")
            time.sleep(0.05)
        yield base, time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def chromium():
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium: apt-get install -y chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    """Until the first run has drawn its metric and charts and finished."""
    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stVegaLiteChart"]', timeout=timeout_ms)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling="raf")
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                           timeout=timeout_ms)


def open_ready(browser, url: str, setup: str | None = None, init_script: str | None = None):
    """(context, page): a fresh 1600×1400 context on ``url`` with its first run drawn and, for ``setup``, what the
    page needs before its slider exists (see SLIDER_PAGES); ``init_script`` runs in the page before its own scripts.
    The caller closes the context."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1400})
    if init_script:
        ctx.add_init_script(init_script)
    page = ctx.new_page()
    page.goto(url)
    if setup:
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stFileUploader"]')
        prepare(page, setup)
    else:
        wait_rendered(page)
    return ctx, page


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


# The slider pages every UI benchmark measures: name, path, slider label (regex), what to do first (None, or
# "actuals": the synthetic actuals set uploaded through the page's own uploader and the thresholds' panel opened).
SLIDER_PAGES = [
    ("output", "output", r"^轨道交通\s?(产业)?年均增长", None),
    ("phasing", "phasing", r"^成本超支", None),
    ("analysis", "analysis", r"^轨道交通产业增速波动", None),
    ("evaluation", "evaluation", r"^基本完成门槛", "actuals"),
    ("nextplan", "nextplan", r"^轨道交通\s?(产业)?年均增长", None),
    ("compare", "compare", r"^对比至年份", None),
]
ACTUALS_FIXTURE = REPO / "tests" / "fixtures" / "actuals" / "actuals.csv"
_MAIN = '[data-testid="stMain"]'


def prepare(page, setup: str | None) -> None:
    """Sync Playwright: what a page needs before its slider exists (see SLIDER_PAGES)."""
    if setup != "actuals":
        return
    page.locator(f'{_MAIN} [data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(ACTUALS_FIXTURE))
    page.locator(f'{_MAIN} [data-testid="stMetric"]').first.wait_for(timeout=60_000)
    page.wait_for_function(IDLE_JS, polling="raf", timeout=60_000)
    page.locator(f'{_MAIN} [data-testid="stExpander"] summary').filter(has_text="评价规则").first.click()
    page.get_by_role("slider").first.wait_for(timeout=60_000)
    page.wait_for_function(IDLE_JS, polling="raf", timeout=60_000)


async def prepare_async(page, setup: str | None) -> None:
    """Async Playwright: as :func:`prepare`."""
    if setup != "actuals":
        return
    await page.locator(f'{_MAIN} [data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(ACTUALS_FIXTURE))
    await page.locator(f'{_MAIN} [data-testid="stMetric"]').first.wait_for()
    await page.wait_for_function(IDLE_JS, polling="raf")
    await page.locator(f'{_MAIN} [data-testid="stExpander"] summary').filter(has_text="评价规则").first.click()
    await page.get_by_role("slider").first.wait_for()
    await page.wait_for_function(IDLE_JS, polling="raf")


READY_FOR = {None: '[data-testid="stMetric"], [data-testid="stVegaLiteChart"]',
             "actuals": '[data-testid="stMain"] [data-testid="stFileUploader"]'}

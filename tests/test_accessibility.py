"""Accessibility: colour contrast of the theme, the custom CSS and the charts; keyboard reach and use; axe-core
(WCAG 2.0/2.1/2.2, A and AA) on every page with its panels and tabs open.

axe-core is npm's package (AXE_VERSION), never a copied file: `.ci/run` installs it under test-artifacts/axe/
(git-ignored) and `axe_source()` installs it there itself when it is missing. The default view of every page in both
languages and both modes (sidebar open, presentation) is checked by axe in tests/test_layout.py, on the same page
load as its layout checks.

Pages come from ui.layout.PAGES, EXTRA_PAGES and pages/*.py, so a page added later is tested without editing this
file. The helpers here (pages, server, page pool, parallel sweep, axe, contrast) are shared with tests/test_layout.py.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

from tests.browser_support import server_fixture
from bench._browser import ARGS, CHROMIUM
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
AXE_VERSION = "4.14.1"
AXE_DIR = ARTIFACTS / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags); best practices are not part of the contract
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


# -- pages, server, browser ----------------------------------------------------------------------------------------

def app_pages() -> dict[str, str]:
    """{name: URL path} of every page: ui.layout.PAGES and EXTRA_PAGES plus every script in pages/, so a page added
    later (evaluation, next plan, …) is tested without editing the tests."""
    from streamlit.source_util import page_icon_and_name

    from ui import layout

    paths = [p for p, *_ in tuple(layout.PAGES) + tuple(layout.EXTRA_PAGES)]
    paths += sorted(str(p.relative_to(REPO)) for p in (REPO / "pages").glob("*.py"))
    out: dict[str, str] = {}
    for path in dict.fromkeys(paths):
        if Path(path).name == "app.py":
            out["overview"] = ""
        else:
            name = page_icon_and_name(Path(path))[1]  # Streamlit's own rule: "pages/1_output.py" → "output"
            if name:
                out[name] = name
    return out


PAGES = app_pages()
LANGS = ("zh", "en")
MODES = ("sidebar", "present")


def query(lang: str, mode: str) -> str:
    q = [p for p, on in (("lang=en", lang == "en"), ("present=1", mode == "present")) if on]
    return "?" + "&".join(q) if q else ""


# True once Streamlit has finished the run: no running indicator, nothing stale, every chart drawn, fonts loaded,
# and the app's styles in effect (a check before them would see Streamlit's own greyed-out current-page link).
READY_JS = """() => document.querySelector('[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stAlert"]')
    && !document.querySelector('[data-testid="stStatusWidget"]') && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
        c => c.getClientRects().length === 0 || c.querySelector('svg.marks, canvas'))
    && document.fonts.status === 'loaded'
    && getComputedStyle(document.documentElement).getPropertyValue('--shifeng-styled').trim() === '1'"""
# What moves when Streamlit or Vega re-lays out: equal in two samples in a row means settled.
SIGNATURE_JS = """() => { const q = s => [...document.querySelectorAll(s)].map(e => { const r = e.getBoundingClientRect();
      return [r.x, r.y, r.width, r.height].map(Math.round).join(','); }).join(';');
    return [innerWidth, innerHeight, document.querySelectorAll('[data-testid="stElementContainer"]').length,
            q('[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas'),
            q('[data-testid="stVegaLiteChart"] .role-legend'), q('[data-testid="stMetric"]'), q('[data-testid="stSidebar"]'),
            !!document.querySelector('[data-testid="stStatusWidget"]')].join('|'); }"""


def settle(pg, timeout: float = 15.0) -> None:
    """Until Streamlit has finished its run and the layout (charts, legends, metrics, sidebar) stands still."""
    pg.wait_for_function(READY_JS, timeout=timeout * 1000)
    last, same, waited = None, 0, 0
    while same < 2 and waited < timeout * 1000:
        pg.wait_for_timeout(100)
        waited += 100
        sig = pg.evaluate(SIGNATURE_JS)
        same = same + 1 if sig == last else 0
        last = sig
    pg.wait_for_function(READY_JS, timeout=timeout * 1000)


def url(base: str, name: str, lang: str = "zh", mode: str = "sidebar") -> str:
    return f"{base}/{PAGES[name]}{query(lang, mode)}"


def wait_page(pg, name: str) -> None:
    """Until the page's first run is drawn and the layout stands still; never an exception on screen."""
    pg.wait_for_selector('[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stAlert"]', timeout=60_000)
    settle(pg, timeout=30)
    assert pg.locator('[data-testid="stException"]').count() == 0, f"{name}: an exception is shown"


def open_page(pg, base: str, name: str, lang: str = "zh", mode: str = "sidebar") -> None:
    pg.goto(url(base, name, lang, mode))
    wait_page(pg, name)


class PagePool:
    """Tabs of one browser context (Streamlit's scripts and fonts load once), each its own Streamlit session.

    ``open(key, then=next_key)`` starts loading the next test's page in another tab before returning this one, so
    the server and the browser prepare it while this test measures (the CI machine has two cores)."""

    def __init__(self, context, base: str, size: tuple[int, int]):
        self.context, self.base, self.size, self.loading = context, base, size, {}

    def _start(self, key: tuple[str, str, str]) -> None:
        pg = self.context.new_page()
        pg.set_default_timeout(30_000)
        pg.set_viewport_size({"width": self.size[0], "height": self.size[1]})
        pg.goto(url(self.base, *key), wait_until="commit")
        self.loading[key] = pg

    def open_later(self, key: tuple[str, str, str]) -> None:
        if key not in self.loading:
            self._start(key)

    def open(self, key: tuple[str, str, str], then: tuple[str, str, str] | None = None):
        if key not in self.loading:
            self._start(key)
        pg = self.loading.pop(key)
        if then is not None and then not in self.loading:
            self._start(then)
        try:
            wait_page(pg, key[0])
        except Exception:  # noqa: BLE001 - a load that stalled (seen once in a busy run): keep a picture, load again
            pg.screenshot(path=str(ARTIFACTS / f"stalled-{'-'.join(key)}.png"))
            pg.goto(url(self.base, *key))
            wait_page(pg, key[0])
        return pg

    def close(self) -> None:
        for pg in self.loading.values():
            pg.close()
        self.loading.clear()


def sweep(base: str, keys: list, work, size: tuple[int, int], workers: int = 2) -> dict:
    """``work(page, key) -> [problem, …]`` for every key, in ``workers`` threads (each with its own Playwright,
    Chromium and PagePool: Playwright is not thread-safe) against one server; the waits of one thread (Streamlit
    runs, Vega drawing, axe) overlap the work of the other. An exception becomes that key's problem."""
    import queue
    import threading
    import traceback

    from playwright.sync_api import sync_playwright

    todo: queue.Queue = queue.Queue()
    for k in keys:
        todo.put(k)
    results: dict = {}

    def take():
        try:
            return todo.get_nowait()
        except queue.Empty:
            return None

    warm = threading.Event()

    def worker(first: bool):
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            ctx = b.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
            pool = PagePool(ctx, base, size)
            if not first:  # the server's first script run imports the app alone, so the pages' timings do not
                warm.wait(180)  # include a cold start (concurrent first imports are safe: tests/test_imports.py)
            key = take()
            while key is not None:
                nxt = take()
                t0 = time.perf_counter()
                try:
                    pg = pool.open(key, then=nxt if warm.is_set() else None)
                    if not warm.is_set():
                        warm.set()
                        if nxt is not None:
                            pool.open_later(nxt)
                    try:
                        results[key] = work(pg, key)
                    finally:
                        pg.close()
                except Exception as exc:  # noqa: BLE001 - reported by the key's test
                    results[key] = [f"{'-'.join(key)}: {exc.__class__.__name__}: "
                                    f"{''.join(traceback.format_exception_only(exc)).strip()[:2000]}"]
                warm.set()  # even if the first page failed: the others report for themselves
                print(f"{'-'.join(key)}: {time.perf_counter() - t0:.1f} s")
                key = nxt
            pool.close()
            ctx.close()
            b.close()

    threads = [threading.Thread(target=worker, args=(i == 0,), daemon=True)
               for i in range(min(workers, len(keys)) or 1)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def selected(request, argname: str, everything: list) -> list:
    """The values of ``argname`` in this module's tests that pytest will run (all of them, or those picked by -k)."""
    keys = [it.callspec.params[argname] for it in request.session.items
            if it.module is request.module and hasattr(it, "callspec") and argname in it.callspec.params]
    return [k for k in everything if k in keys] or everything


# -- axe -------------------------------------------------------------------------------------------------------------

def _axe_version() -> str | None:
    try:
        return json.loads((AXE_JS.parent / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def axe_source() -> str:
    """axe-core's browser bundle from the npm package (installed by .ci/run; installed here if missing)."""
    if _axe_version() != AXE_VERSION and shutil.which("npm"):
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--loglevel=error",
                        f"axe-core@{AXE_VERSION}"], check=False, capture_output=True, timeout=300)
    if _axe_version() != AXE_VERSION:
        msg = f"axe-core {AXE_VERSION} missing: npm install --prefix {AXE_DIR} axe-core@{AXE_VERSION}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return AXE_JS.read_text(encoding="utf-8")


AXE_RUN_JS = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' '),
      summary: (n.any.concat(n.all, n.none).map(c => c.message).filter(Boolean)[0] || n.failureSummary || '')
        .replace(/\\s+/g, ' ').slice(0, 220)}))}));
}"""


def run_axe(pg, source: str) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on the page as it is now."""
    if not pg.evaluate("() => typeof window.axe !== 'undefined'"):
        pg.add_script_tag(content=source)
    return pg.evaluate(AXE_RUN_JS, AXE_TAGS)


def describe(violations: list[dict], where: str) -> list[str]:
    """One line per failing element: where, rule id, selector and axe's reason."""
    return [f"{where}: {v['id']} ({v['impact']}: {v['help']}) at {n['target']}: {n['summary']}"
            for v in violations for n in v["nodes"]]


# Chart text (SVG, which axe does not judge): every text's colour against white and against the lightest tinted
# background a chart draws (#eef3f8, the projected-years band), unless the text is large (WCAG: ≥ 24 px, or ≥ 18.66 px
# bold) where 3:1 is enough.
CHART_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks text')]
  .filter(t => t.getClientRects().length && t.textContent.trim() && parseFloat(getComputedStyle(t).opacity) > 0)
  .map(t => { const cs = getComputedStyle(t);
    return {text: t.textContent.trim().slice(0, 40), fill: cs.fill, opacity: parseFloat(cs.opacity) * parseFloat(cs.fillOpacity),
            size: parseFloat(cs.fontSize), bold: parseInt(cs.fontWeight) >= 700,
            role: (t.closest('.role-axis, .role-legend, .role-title, .role-mark') || {classList: ['?']}).classList[1] || '?'}; })"""


def chart_text_problems(pg, where: str) -> list[str]:
    out = []
    for t in pg.evaluate(CHART_TEXT_JS):
        rgb = parse_rgb(t["fill"])
        if rgb is None:
            continue
        need = 3.0 if t["size"] >= 24 or (t["bold"] and t["size"] >= 18.66) else 4.5
        for bg in ("#ffffff", "#eef3f8"):
            ratio = contrast(blend(rgb, hex_rgb(bg), t["opacity"]), hex_rgb(bg))
            if ratio < need:
                out.append(f"{where}: chart text {t['text']!r} ({t['role']}, {t['fill']}, {t['size']:.0f}px) "
                           f"{ratio:.2f}:1 on {bg} < {need}")
                break
    return out


# -- contrast arithmetic (WCAG 2) --------------------------------------------------------------------------------------

def hex_rgb(h: str) -> tuple[float, float, float]:
    h = h.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def parse_rgb(css: str):
    m = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", css or "")
    if m:
        return tuple(float(x) for x in m.groups())
    if css and css.startswith("#"):
        return hex_rgb(css)
    return None


def luminance(rgb) -> float:
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    a = hex_rgb(a) if isinstance(a, str) else a
    b = hex_rgb(b) if isinstance(b, str) else b
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(fg, bg, alpha: float):
    fg = hex_rgb(fg) if isinstance(fg, str) else fg
    bg = hex_rgb(bg) if isinstance(bg, str) else bg
    return tuple(alpha * f + (1 - alpha) * g for f, g in zip(fg, bg))


def theme() -> dict:
    with open(REPO / ".streamlit" / "config.toml", "rb") as f:
        return tomllib.load(f)["theme"]


def caption_opacity() -> float:
    from ui import layout

    m = re.search(r'\[data-testid="stCaptionContainer"\][^{]*\{[^}]*opacity:\s*([\d.]+)', layout.CSS)
    return float(m.group(1)) if m else 0.6  # Streamlit's own caption opacity


# -- theme and chart colours (no browser) ----------------------------------------------------------------------------

def test_theme_text_contrast():
    th = theme()
    text, sb = th["textColor"], th.get("sidebar", {})
    sb_text = sb.get("textColor", text)
    backgrounds = {"main": th["backgroundColor"], "widgets": th["secondaryBackgroundColor"],
                   "sidebar": sb["backgroundColor"], "sidebar widgets": sb["secondaryBackgroundColor"]}
    assert th.get("base") == "light"  # what is checked here is what is shown, whatever the laptop's setting
    for where, bg in backgrounds.items():
        fg = sb_text if where.startswith("sidebar") else text
        assert contrast(fg, bg) >= 7, f"text on {where}: {contrast(fg, bg):.2f}:1"
        # captions: Streamlit's 60 % opacity must pass AA on its own; the CSS raises it further
        for alpha in (0.6, caption_opacity()):
            ratio = contrast(blend(fg, bg, alpha), bg)
            assert ratio >= 4.5, f"caption ({alpha:.0%}) on {where}: {ratio:.2f}:1"
    assert caption_opacity() >= 0.7
    assert contrast("#ffffff", th["primaryColor"]) >= 4.5  # white label on primary buttons
    assert contrast(th["primaryColor"], th["backgroundColor"]) >= 4.5  # slider values drawn in the primary colour
    # a selected segmented control, pill or tab: primary text on a light tint of the primary colour (axe measured
    # #c53948 on its 10 % tint at 4.47:1); every tint up to 20 % passes, whichever Streamlit draws
    for alpha in (0.05, 0.1, 0.15, 0.2):
        tint = blend(th["primaryColor"], th["backgroundColor"], alpha)
        assert contrast(th["primaryColor"], tint) >= 4.5, f"primary on its {alpha:.0%} tint"
    for key in ("primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor"):  # never Streamlit's
        assert key in th, key
    assert contrast(th["codeTextColor"], th["secondaryBackgroundColor"]) >= 7
    assert th["chartCategoricalColors"] == OKABE_ITO


def test_chart_colours_are_legible_and_colour_blind_safe():
    import altair as alt

    from model.report import charts

    assert charts.PALETTE == OKABE_ITO
    spec = charts.style(alt.Chart(alt.Data(values=[{"a": 1}])).mark_point()).to_dict(validate=False)
    cfg = spec["config"]
    texts = {"axis label": cfg["axis"]["labelColor"], "axis title": cfg["axis"]["titleColor"],
             "legend label": cfg["legend"]["labelColor"], "legend title": cfg["legend"]["titleColor"],
             "title": cfg["title"]["color"], "subtitle": cfg["title"]["subtitleColor"],
             "text mark": cfg["text"]["color"], "grey annotation": charts.GREY}
    for what, colour in texts.items():
        for bg in ("#ffffff", "#eef3f8"):
            assert contrast(colour, bg) >= 4.5, f"{what} {colour} on {bg}: {contrast(colour, bg):.2f}:1"
    # axis lines and ticks are graphical objects: 3:1 (WCAG 1.4.11)
    for part in ("domainColor", "tickColor"):
        assert contrast(cfg["axis"][part], "#ffffff") >= 3, part


# -- every page: keyboard reachability, then axe with panels and tabs open ----------------------------------------------

SIZE = (1366, 900)
# Known violations owned by code outside this test's remit, each with the fix that removes it. Matched by rule and by
# the failing element lying inside `where`; anything else fails.
KNOWN: list = []


server = server_fixture("streamlit-a11y.log")


@pytest.fixture(scope="module")
def pool(browser, server):
    ctx = browser.new_context(viewport={"width": SIZE[0], "height": SIZE[1]}, locale="zh-CN")
    p = PagePool(ctx, server, SIZE)
    yield p
    p.close()
    ctx.close()


@pytest.fixture(scope="module")
def axe_js():
    return axe_source()


def unexpected(pg, violations: list[dict]) -> tuple[list[dict], list[str]]:
    """The violations not in KNOWN, and a note for each known one met."""
    left, notes = [], []
    for v in violations:
        nodes = []
        for n in v["nodes"]:
            known = next((k for k in KNOWN if k["rule"] == v["id"] and pg.evaluate(
                "([t, w]) => { try { const e = document.querySelector(t); return !!(e && e.closest(w)); }"
                " catch (x) { return false; } }", [n["target"], k["where"]])), None)
            if known:
                notes.append(f"known {v['id']} at {n['target']}: {known['fix']}")
            else:
                nodes.append(n)
        if nodes:
            left.append({**v, "nodes": nodes})
    return left, notes


def _open_everything(pg) -> None:
    """Open every closed expander (sidebar and main; some are computed only when opened)."""
    for _ in range(12):  # an opened panel can add another one
        closed = pg.locator('[data-testid="stExpander"] details:not([open]) > summary')
        if closed.count() == 0:
            return
        closed.first.click()
        settle(pg)


INTERACTIVE_JS = """() => [...document.querySelectorAll(
    'button, a[href], input, select, textarea, [role="slider"], [role="switch"], [role="tab"], [role="radio"], [tabindex]')]
  .filter(e => e.getClientRects().length && !e.disabled && e.getAttribute('aria-disabled') !== 'true'
          && e.tabIndex >= 0 && getComputedStyle(e).visibility !== 'hidden'
          /* radio groups, tab lists, segmented controls: Tab stops once, arrows move within (the ARIA pattern) */
          && !((e.type === 'radio' && !e.checked) || (e.getAttribute('role') === 'radio' && e.getAttribute('aria-checked') !== 'true')
               || (e.getAttribute('role') === 'tab' && e.getAttribute('aria-selected') !== 'true'))
          && !e.closest('[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"]') /* a grid: one stop */
          && !e.closest('[inert]'))
  .map(e => { if (!e.dataset.kbId) e.dataset.kbId = Math.random().toString(36).slice(2); return e.dataset.kbId; })"""
# Record every element that receives focus, so a run of Tab presses is read back in one call.
FOCUS_LOG_JS = """() => { window.__focusLog = []; document.addEventListener('focusin', ev => { const e = ev.target;
  if (!e.dataset.kbId) e.dataset.kbId = Math.random().toString(36).slice(2); window.__focusLog.push(e.dataset.kbId); }, true); }"""
DESCRIBE_JS = """(ids) => ids.map(id => { const e = document.querySelector(`[data-kb-id="${id}"]`);
  return e ? `<${e.tagName.toLowerCase()}> "${(e.innerText || e.getAttribute('aria-label') || e.getAttribute('type') || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40)}" in ${(e.closest('[data-testid^="st"]') || {dataset: {}}).dataset.testid}` : id; })"""


def unreachable(pg) -> list[str]:
    """Controls (visible, enabled) that Tab from the top of the page never reaches before focus comes round again."""
    wanted = pg.evaluate(INTERACTIVE_JS)
    pg.evaluate(FOCUS_LOG_JS)
    log: list[str] = []
    for _ in range((2 * len(wanted) + 40) // 10 + 1):  # twice round at most
        for _ in range(10):
            pg.keyboard.press("Tab")
        log = pg.evaluate("() => window.__focusLog")
        if log and log.count(log[0]) > 1:  # came round
            break
    lost = pg.evaluate(DESCRIBE_JS, [w for w in wanted if w not in set(log)])
    if lost:  # where the focus went instead, to tell a trap from a skipped control
        path = pg.evaluate(DESCRIBE_JS, list(dict.fromkeys(log))[-12:])
        lost = [f"{d} (focus went through … {' → '.join(path)})" for d in lost[:1]] + lost[1:]
    return lost


def keyboard_and_panels(pg, name: str, axe_js: str) -> list[str]:
    problems = [f"{name}: Tab never reaches {d}" for d in unreachable(pg)]
    pg.mouse.click(1, 1)  # leave the keyboard walk
    _open_everything(pg)
    tabs = pg.locator('[data-testid="stMain"] [data-testid="stTabs"] [role="tab"]')
    for i in range(max(1, tabs.count())):
        where = f"{name}-zh (panels open)"
        if tabs.count():
            tabs.nth(i).click()
            settle(pg)
            _open_everything(pg)
            where = f"{name}-zh tab {i + 1} (panels open)"
        left, known = unexpected(pg, run_axe(pg, axe_js))
        problems += describe(left, where)
        for note in known:
            print(f"{where}: {note}")
        problems += chart_text_problems(pg, where)
    # every widget in its other state: toggles on, another option of each segmented control selected
    switched = _switch_everything(pg)
    print(f"{name}: {switched} widgets switched before axe ran again")
    if switched:
        where = f"{name}-zh ({switched} widgets switched)"
        left, _ = unexpected(pg, run_axe(pg, axe_js))
        problems += describe(left, where) + chart_text_problems(pg, where)
    return problems


def _switch_everything(pg) -> int:
    """Turn every toggle of the main area on and pick the last option of every segmented control (a selected pill
    drawn in the primary colour on its tint: #c53948 gave 4.47:1); how many were switched."""
    n = 0
    for _ in range(8):  # a toggle can show another one
        off = pg.locator('[data-testid="stMain"] [data-testid="stCheckbox"] input[role="switch"]:not(:checked), '
                         '[data-testid="stMain"] label:has(input[role="switch"]:not(:checked))')
        if off.count() == 0:
            break
        off.first.click()
        settle(pg)
        n += 1
    groups = pg.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]')
    for i in range(groups.count()):
        options = groups.nth(i).locator("button")
        if options.count() > 1:
            options.last.click()
            settle(pg)
            n += 1
    return n


@pytest.fixture(scope="module")
def panel_results(request, server, axe_js):
    keys = [(n, "zh", "sidebar") for n in selected(request, "name", list(PAGES))]
    return sweep(server, keys, lambda pg, key: keyboard_and_panels(pg, key[0], axe_js), SIZE)


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_keyboard_reach_and_axe_with_panels_open(panel_results, name):
    """Chinese, sidebar open: Tab reaches every control of the sidebar and the main area; then every expander
    (uploader, QR code, downloads, tables, editors) and every tab open: no WCAG 2 A/AA violation (axe), chart text
    legible. (The default view of every page, both languages and both modes: tests/test_layout.py.)"""
    problems = panel_results[(name, "zh", "sidebar")]
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


# -- keyboard ------------------------------------------------------------------------------------------------------

FOCUSED_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const cs = getComputedStyle(e);
  return {tag: e.tagName, role: e.getAttribute('role') || '', type: e.getAttribute('type') || '',
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
          label: (e.closest('label') ? e.closest('label').innerText : '').trim().slice(0, 60),
          testid: (e.closest('[data-testid^="st"]') || {dataset: {}}).dataset.testid || '',
          outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, visible: e.matches(':focus-visible'),
          offscreen: (r => r.right <= 0 || r.left >= innerWidth)(e.getBoundingClientRect())}; }"""


def tab_to(pg, match, limit: int = 200, back: bool = False) -> dict:
    """Press Tab (Shift+Tab) until the focused element satisfies ``match``; that element's description."""
    seen = []
    for _ in range(limit):
        pg.keyboard.press("Shift+Tab" if back else "Tab")
        f = pg.evaluate(FOCUSED_JS)
        # focus on something out of sight (e.g. the folded sidebar's controls) is a focus one cannot see
        assert not (f and f["offscreen"]), f"focus went out of sight: {f}"
        if f and match(f):
            return f
        seen.append(f and f"{f['tag']}:{f['text'] or f['label']}")
    raise AssertionError(f"not reached by keyboard in {limit} presses; focus went through: {seen[:60]}")


def step_is(pg, k: int) -> None:
    pg.wait_for_function(f"() => document.querySelector('[data-testid=stMain] h2')?.innerText.startsWith('{k}.')")
    settle(pg)


@pytest.mark.browser
def test_story_buttons_by_keyboard(pool):
    """Tab reaches the story's Next and Back buttons, with a visible focus ring; Enter and Space both press them."""
    pg = pool.open(("story", "zh", "sidebar"))
    is_next = lambda f: f["tag"] == "BUTTON" and "下一步" in f["text"]  # noqa: E731
    is_back = lambda f: f["tag"] == "BUTTON" and "上一步" in f["text"]  # noqa: E731
    focused = lambda m: m(pg.evaluate(FOCUSED_JS) or {"tag": "", "text": ""})  # noqa: E731
    try:
        step_is(pg, 1)
        f = tab_to(pg, is_next)
        assert f["visible"] and f["outline"], f"no visible focus indicator on the Next button: {f}"
        pg.keyboard.press("Enter")
        step_is(pg, 2)
        if not focused(is_next):  # focus normally stays on the button across the rerun
            tab_to(pg, is_next)
        pg.keyboard.press("Space")
        step_is(pg, 3)
        f = tab_to(pg, is_back, back=True)  # Back comes before Next
        assert f["visible"] and f["outline"], f"no visible focus indicator on the Back button: {f}"
        pg.keyboard.press("Enter")
        step_is(pg, 2)
        if not focused(is_back):
            tab_to(pg, is_back, back=True)
        pg.keyboard.press("Space")
        step_is(pg, 1)
    finally:
        pg.close()


@pytest.mark.browser
def test_presentation_toggle_by_keyboard(pool):
    """Tab reaches the presentation toggle (a switch: Space switches it, as the ARIA switch pattern has it); in
    presentation mode the folded sidebar opens from the keyboard (its button takes Enter) and the toggle switches
    back."""
    is_toggle = lambda f: f["tag"] == "INPUT" and "演示模式" in (f["label"] + f["text"])  # noqa: E731
    pg = pool.open(("story", "zh", "sidebar"))
    try:
        f = tab_to(pg, is_toggle)
        assert f["visible"] and f["outline"], f"no visible focus indicator on the toggle: {f}"
        pg.keyboard.press("Space")
        pg.wait_for_function("() => location.search.includes('present=1')")
        settle(pg)
        assert pg.locator('[data-testid="stSidebar"][data-collapsed="true"]').count() == 1
        pg.locator("body").focus()
        f = tab_to(pg, lambda f: f["tag"] == "BUTTON" and f["testid"] in (
            "stExpandSidebarButton", "stSidebarCollapsedControl"))
        assert f["visible"] and f["outline"], f"no visible focus indicator on the open-sidebar button: {f}"
        pg.keyboard.press("Enter")
        pg.wait_for_selector('[data-testid="stSidebar"][data-collapsed="false"]')
        settle(pg)
        tab_to(pg, is_toggle)
        pg.keyboard.press("Space")
        pg.wait_for_function("() => !location.search.includes('present=1')")
    finally:
        pg.close()

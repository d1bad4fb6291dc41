"""Layouts that never cut a number or a legend, on the screens and projectors the app meets.

Every page (ui.layout.PAGES, EXTRA_PAGES and pages/*.py), both languages, sidebar open and presentation mode, at
1280×720, 1366×768, 1440×900, 1920×1080 and a phone (390×844): no metric value, label or delta cut, no button label cut
(scrollWidth ≤ clientWidth, no text-overflow ellipsis, its text inside the metric's box and inside every box that clips
it), no table column hidden (a data grid's columns within its box, a plain table within its box), no chart legend
outside its chart's drawing or cut short or broken inside a number, no two legend entries drawn alike (colour and dash
pattern), no chart drawing cut by its container, no sideways scrolling of the page or the sidebar; the sidebar open,
or folded in presentation mode (on a phone Streamlit folds it either way).

Each page is opened once per language and mode and the viewport resized through the sizes (Streamlit and Vega re-lay
out without a reload; `settle` waits until charts, legends and metrics stand still). axe-core (WCAG 2 A/AA) and the
chart-text contrast check run on the same load, at the first size. One server for the module; the combinations run
two at a time (two Playwright threads, each with its own Chromium) so that one's waits overlap the other's work, and
each is reported by its own test. Screenshots: test-artifacts/screenshots/layout/<page>-<lang>-<mode>-<W>x<H>.png.
"""
from __future__ import annotations

from hypothesis import given as hyp_given, settings as hyp_settings, strategies as hyp_st

import pytest

from tests.browser_support import server_fixture
from tests.test_accessibility import (ARTIFACTS, LANGS, MODES, PAGES, axe_source, chart_text_problems, describe,
                                      run_axe, selected, settle, sweep)

pytestmark = pytest.mark.browser

SIZES = ((1280, 720), (1366, 768), (1440, 900), (1920, 1080), (390, 844))
PHONE = 400  # below this width Streamlit folds the sidebar over the page whatever the mode
SHOTS = ARTIFACTS / "screenshots" / "layout"

LAYOUT_JS = """() => {
  const out = [], R = e => e.getBoundingClientRect();
  const box = r => `[${Math.round(r.left)}..${Math.round(r.right)} × ${Math.round(r.top)}..${Math.round(r.bottom)}]`;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const words = e => (e.innerText || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  const inX = (a, b, t = 1.5) => a.left >= b.left - t && a.right <= b.right + t;
  const inXY = (a, b, t = 1.5) => inX(a, b, t) && a.top >= b.top - t && a.bottom <= b.bottom + t;
  const clips = cs => /hidden|clip/.test(cs.overflowX + ' ' + cs.overflowY);
  // text for screen readers only (a 1-px box clipped away, as Streamlit labels its icon buttons): never on screen
  const srOnly = e => { const cs = getComputedStyle(e);
    return e.clientWidth <= 1 && e.clientHeight <= 1 || (cs.clip !== 'auto' && cs.clip !== '')
      || cs.clipPath.startsWith('inset'); };
  // boxes that cut what overflows them (scrolling ones only hide it until scrolled: sideways scrolling is checked
  // below), from e's parent up to the main area or the sidebar
  const clippers = e => { const list = [];
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (clips(getComputedStyle(p))) list.push(p);
      if (p.matches('[data-testid="stMain"], [data-testid="stSidebar"]')) break; }
    return list; };
  const textRects = e => { const rects = [], w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) if (n.textContent.trim()) {
      const r = document.createRange(); r.selectNodeContents(n); rects.push(...r.getClientRects()); }
    return rects.filter(r => r.width > 0 && r.height > 0); };

  // metrics: value, label, delta
  for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    if (!shown(m)) continue;
    const mb = R(m);
    for (const part of m.querySelectorAll(
        '[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"]')) {
      const what = `${part.dataset.testid.replace('stMetric', 'metric ')} "${words(part)}" (metric "${words(m.querySelector('[data-testid="stMetricLabel"]') || m)}")`;
      for (const e of [part, ...part.querySelectorAll('*')]) {
        if (e instanceof SVGElement || !shown(e)) continue;
        const cs = getComputedStyle(e);
        if (cs.textOverflow !== 'clip' && (e.scrollWidth > e.clientWidth + 1 || cs.whiteSpace.includes('nowrap')))
          out.push(`${what}: text-overflow ${cs.textOverflow} on <${e.tagName.toLowerCase()}>`);
        if (!/^inline|contents/.test(cs.display) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
          out.push(`${what}: scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth} on <${e.tagName.toLowerCase()}>`);
      }
      const cutters = clippers(part);
      for (const r of textRects(part)) {
        if (!inX(r, mb)) { out.push(`${what}: text ${box(r)} outside its metric ${box(mb)}`); break; }
        const c = cutters.find(p => !inXY(r, R(p)));
        if (c) { out.push(`${what}: text ${box(r)} cut by <${c.tagName.toLowerCase()} ${c.dataset.testid || c.className}> ${box(R(c))}`); break; }
      }
    }
  }

  // buttons (plain, download, link): the label is never cut short
  for (const b of document.querySelectorAll('[data-testid^="stBaseButton"]')) {
    if (!shown(b)) continue;
    for (const e of [b, ...b.querySelectorAll('*')]) {
      if (e instanceof SVGElement || !shown(e) || srOnly(e)) continue;
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') {
        out.push(`button "${words(b)}": label cut (scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth})`);
        break;
      }
    }
  }

  // charts: drawing inside whatever clips it, each legend inside the drawing, no legend label cut short
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((c, i) => {
    if (!shown(c)) return;
    const draw = c.querySelector('svg.marks, canvas');
    const name = `chart ${i + 1} "${words(c.querySelector('.role-axis-title, .role-title') || c).slice(0, 30)}"`;
    if (!draw) { out.push(`${name}: not drawn`); return; }
    const db = R(draw);
    const cut = clippers(draw).find(p => !inX(db, R(p)));
    if (cut) out.push(`${name}: drawing ${box(db)} wider than <${cut.tagName.toLowerCase()} ${cut.dataset.testid || cut.className}> ${box(R(cut))}`);
    if (db.right > innerWidth + 1) out.push(`${name}: drawing ${box(db)} beyond the window (${innerWidth})`);
    for (const lg of c.querySelectorAll('.role-legend')) {
      const lb = R(lg);
      if (!inXY(lb, db)) out.push(`${name}: legend ${box(lb)} outside the drawing ${box(db)}`);
      for (const t of lg.querySelectorAll('text')) if (/…$/.test(t.textContent)) out.push(`${name}: legend label cut: "${t.textContent}"`);
    }
  });

  // tables: every column on screen — a data grid never scrolls sideways inside its box (a column hidden to the right
  // of the projector), a plain table is never wider than its box
  // (on a phone a grid of more than two columns scrolls sideways, its first column pinned: README, Known limits)
  if (innerWidth >= 400) document.querySelectorAll('[data-testid="stDataFrame"]').forEach((d, i) => {
    if (!shown(d)) return;
    const sc = d.querySelector('.dvn-scroller');
    const heads = [...d.querySelectorAll('[role="columnheader"]')].map(h => h.textContent.trim()).filter(Boolean);
    if (sc && sc.scrollWidth > sc.clientWidth + 1)
      out.push(`table ${i + 1} (${heads.length} columns: ${heads.slice(0, 4).join(', ')}…): its columns need ${sc.scrollWidth} px, its box is ${sc.clientWidth} px: columns hidden`);
  });
  // a wrapped table (ui.layout.wrapped_table) at any width: every column inside its box, no word cut
  document.querySelectorAll('.wtable').forEach((d, i) => {
    if (!shown(d)) return;
    const heads = [...d.querySelectorAll('th')].filter(h => getComputedStyle(h).display !== 'none').map(h => h.textContent.trim());
    if (d.scrollWidth > d.clientWidth + 1)
      out.push(`wrapped table ${i + 1} (${heads.slice(0, 4).join(', ')}…): needs ${d.scrollWidth} px, its box is ${d.clientWidth} px`);
  });
  document.querySelectorAll('[data-testid="stTable"]').forEach((d, i) => {
    if (!shown(d)) return;
    const tb = d.querySelector('table');
    if (tb && R(tb).right > R(d).right + 1.5) out.push(`plain table ${i + 1}: ${Math.round(R(tb).width)} px wider than its box ${Math.round(R(d).width)} px`);
  });

  // legends: no label broken inside a number, no two entries drawn alike (colour and dash pattern)
  document.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach((c, i) => {
    if (!shown(c)) return;
    for (const lg of c.querySelectorAll('.role-legend')) {
      for (const t of lg.querySelectorAll('.role-legend-label text')) {
        const lines = [...t.querySelectorAll('tspan')].map(x => x.textContent);
        for (let k = 1; k < lines.length; k++)
          if (/[0-9]$/.test(lines[k - 1]) && /^[0-9.,%）)]/.test(lines[k]))
            out.push(`chart ${i + 1}: legend label broken inside a number: "${lines[k - 1]} / ${lines[k]}"`);
      }
      const seen = new Map();
      for (const sym of lg.querySelectorAll('.role-legend-symbol path')) {
        const cs = getComputedStyle(sym);
        const look = [sym.getAttribute('stroke') || cs.stroke, sym.getAttribute('fill') || cs.fill,
                      sym.getAttribute('stroke-dasharray') || cs.strokeDasharray, sym.getAttribute('d')].join(' ');
        const label = (sym.closest('.role-scope, g') || sym).parentNode?.textContent || '';
        if (seen.has(look)) out.push(`chart ${i + 1}: two legend entries drawn alike (${look.slice(0, 60)})`);
        seen.set(look, label);
      }
    }
  });

  // a tab bar shows every tab on a computer's screen (a phone scrolls it, with its arrows)
  if (innerWidth >= 1000) document.querySelectorAll('[data-testid="stMain"] [data-testid="stTabs"] [role="tablist"]').forEach((l, i) => {
    if (shown(l) && l.scrollWidth > l.clientWidth + 1) out.push(`tab bar ${i + 1} ("${words(l).slice(0, 40)}"): needs ${l.scrollWidth} px, shows ${l.clientWidth} px`);
  });

  // a label Streamlit ends in "…" when it does not fit (widget labels): drawn whole (the app's CSS wraps them)
  document.querySelectorAll('[data-testid="stMain"] .stMarkdownEllipsis').forEach(e => {
    if (shown(e) && e.scrollWidth > e.clientWidth + 1) out.push(`label cut: "${words(e).slice(0, 40)}"`);
  });

  // no sideways scrolling
  const se = document.scrollingElement;
  if (se.scrollWidth > innerWidth + 1) out.push(`page scrolls sideways: ${se.scrollWidth} > ${innerWidth}`);
  for (const s of ['[data-testid="stAppViewContainer"]', '[data-testid="stMain"]', '[data-testid="stMainBlockContainer"]',
                   '[data-testid="stSidebarContent"]']) {
    const e = document.querySelector(s);
    if (e && e.closest('[data-testid="stSidebar"][data-collapsed="true"]')) continue;  // folded away
    if (e && shown(e) && e.scrollWidth > e.clientWidth + 1) out.push(`${s} scrolls sideways: ${e.scrollWidth} > ${e.clientWidth}`);
  }
  return out;
}"""


COMBOS = [(name, lang, mode) for name in PAGES for lang in LANGS for mode in MODES]


def check(pg, combo: tuple[str, str, str], axe_js: str) -> list[str]:
    """axe and chart text at the first size, then every size: layout checks and a screenshot."""
    name, lang, mode = combo
    where = "-".join(combo)
    problems = describe(run_axe(pg, axe_js), f"{where} axe") + chart_text_problems(pg, where)
    for w, h in SIZES:
        if (w, h) != SIZES[0]:
            pg.set_viewport_size({"width": w, "height": h})
        settle(pg)
        collapsed = pg.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed")
        want = "true" if mode == "present" else "false"
        if collapsed != want and w >= PHONE:
            problems.append(f"{where}-{w}x{h}: sidebar data-collapsed={collapsed}, expected {want}")
        problems += [f"{where}-{w}x{h}: {p}" for p in pg.evaluate(LAYOUT_JS)]
        pg.screenshot(path=str(SHOTS / f"{name}-{lang}-{mode}-{w}x{h}.png"))
    return problems


server = server_fixture("streamlit-layout.log")


@pytest.fixture(scope="module")
def results(request, server):
    """Every selected page × language × mode, two at a time (one server)."""
    axe_js = axe_source()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return sweep(server, selected(request, "combo", COMBOS), lambda pg, combo: check(pg, combo, axe_js), SIZES[0])


@pytest.mark.parametrize("combo", COMBOS, ids=["-".join(c) for c in COMBOS])
def test_layout_and_axe(results, combo):
    problems = results[combo]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


BREAK_JS = """() => {
  const s = document.createElement('style');
  s.textContent = `html body [data-testid="stMetricValue"], html body [data-testid="stMetricValue"] * {
      white-space: nowrap !important;
      overflow: hidden !important; text-overflow: ellipsis !important; font-size: 90px !important; }
    [data-testid="stVegaLiteChart"] .role-legend { transform: translate(600px, 0); }`;
  document.body.append(s);
  const wide = document.createElement('div');
  wide.style.width = '4000px'; wide.style.height = '10px';
  document.querySelector('[data-testid="stMainBlockContainer"]').append(wide);
}"""


def test_the_checks_see_a_cut_number_a_clipped_legend_and_sideways_scrolling(server):
    """The layout checks are not blind: Streamlit's old ellipsis on metric values, a legend pushed out of its chart
    and a too-wide block are each reported."""
    def broken(pg, key):
        # the charts drawn first (on a loaded machine a sweep could reach them before Vega had): the legend moved
        # out of its chart is what the check must see
        pg.wait_for_selector('[data-testid="stVegaLiteChart"] .role-legend', state="attached", timeout=60_000)
        pg.evaluate(BREAK_JS)
        pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # laid out
        return pg.evaluate(LAYOUT_JS)

    found = sweep(server, [("output", "en", "sidebar")], broken, SIZES[0], workers=1)[("output", "en", "sidebar")]
    text = "\n".join(found)
    assert "metric Value" in text and "text-overflow ellipsis" in text, text
    assert "outside the drawing" in text, text
    assert "scrolls sideways" in text, text


@hyp_settings(max_examples=200, deadline=None)
@hyp_given(hyp_st.dictionaries(hyp_st.text(min_size=1, max_size=6), hyp_st.sampled_from(["石峰", "云溪", "X", "X（b）", ""]),
                       min_size=1, max_size=8))
def test_plan_labels_always_tell_every_plan_apart(names):
    """Streamlit's selectbox sends back the label shown: two plans with one short name switched a session to the
    other without a word. Every label is unique, and a label no other plan shares is left as it is."""
    from ui.layout import unique_labels

    got = unique_labels(names)
    assert set(got) == set(names) and len(set(got.values())) == len(got)
    shared = {v for v in names.values() if list(names.values()).count(v) > 1}
    clash_free = {k for k, v in names.items() if v not in shared and v not in {f"{w}（{j}）" for j, w in names.items()}}
    assert all(got[k] == names[k] for k in clash_free)

"""Where a slider move's browser latency goes, ours against the bare reference app, in the same run.

Run:  .venv/bin/python bench/latency_parts.py [--presses 40] [--pages output nextplan]
Each press on a page's slider (as bench/ui_latency.py does) is split by the page's own clock into: key press → the
rerun sent (the browser handling the key), → the first answer (the server starting the run), → the last message of
the run (the server running the page and sending it), → redrawn (what bench/ui_latency.py waits for: the new text
drawn, nothing running or stale, two animation frames for Vega). The websocket is wrapped in the page before
Streamlit opens it, so every time is read in the page; medians in ms, with the number of messages and bytes a move
sends.
"""
from __future__ import annotations

import argparse
import re
import statistics

from _browser import MAIN_TEXT_JS, REDRAWN_JS, SLIDER_PAGES, chromium, open_ready, serve

# Every websocket message in and out, with the page's clock, from before Streamlit opens its socket.
RECORD_JS = """
window.__ws = [];
const PageWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new PageWebSocket(...args);
  const send = ws.send.bind(ws);
  ws.send = (d) => { window.__ws.push(['s', performance.now(), d.byteLength || d.length || 0]); return send(d); };
  ws.addEventListener('message', (e) => window.__ws.push(['r', performance.now(), e.data.byteLength || e.data.size || 0]));
  return ws;
};
window.WebSocket.prototype = PageWebSocket.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
"""
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
PARTS = ("rerun sent", "first answer", "last message", "redrawn", "messages", "bytes")


def parts(browser, url: str, slider: str, setup: str | None, presses: int) -> list[float]:
    """Medians of (rerun sent, first answer, last message, redrawn) in ms after the key press, messages, bytes."""
    ctx, page = open_ready(browser, url, setup, init_script=RECORD_JS)
    try:
        handle = page.get_by_role("slider", name=re.compile(slider)).first
        keys = ["ArrowRight", "ArrowLeft"] * 2 + ["ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft"
                                                  for i in range(presses)]
        rows = []
        for i, key in enumerate(keys):
            handle.focus()
            before = page.evaluate(MAIN_TEXT_JS)
            page.evaluate("() => { window.__ws = []; window.__t0 = performance.now(); }")
            page.keyboard.press(key)
            page.wait_for_function(REDRAWN_JS, arg=before, polling="raf", timeout=30_000)
            page.evaluate(TWO_FRAMES_JS)
            end, t0, ws = page.evaluate("() => [performance.now(), window.__t0, window.__ws]")
            sent = [w for w in ws if w[0] == "s"]
            got = [w for w in ws if w[0] == "r"]
            if i >= 4 and sent and got:  # the first four warm caches
                rows.append((sent[0][1] - t0, got[0][1] - t0, got[-1][1] - t0, end - t0, len(got),
                             sum(w[2] for w in got)))
        return [statistics.median(col) for col in zip(*rows)]
    finally:
        ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--pages", nargs="*", default=[p[0] for p in SLIDER_PAGES])
    args = ap.parse_args()
    results = {}
    with chromium() as browser, serve("bench/reference_app.py") as (ref_url, _), serve("app.py") as (app_url, _):
        ref = [parts(browser, ref_url, r"^growth", None, args.presses)]
        for name, path, slider, setup in SLIDER_PAGES:
            if name in args.pages:
                results[name] = parts(browser, f"{app_url}/{path}", slider, setup, args.presses)
        ref.append(parts(browser, ref_url, r"^growth", None, args.presses))  # before and after: drift alike
    results = {"reference": [statistics.mean(c) for c in zip(*ref)], **results}
    print(f"Browser: a slider move in parts, ms after the key press (medians of {args.presses} presses)")
    print(f"{'page':12}" + "".join(f"{p:>14}" for p in PARTS))
    for name, row in results.items():
        print(f"{name:12}" + "".join(f"{v:14.1f}" for v in row[:4]) + f"{row[4]:14.0f}{row[5]:14.0f}")
    r = results["reference"]
    print("after the last message (the browser's own work): "
          + ", ".join(f"{n} {row[3] - row[2]:.0f} ms" for n, row in results.items())
          + f"; server part (first answer → last message): reference {r[2] - r[1]:.0f} ms")


if __name__ == "__main__":
    main()

"""Browser latency of a slider move, ours against the bare reference app, in the same run.

Run:  .venv/bin/python bench/ui_latency.py [--presses 30]
Starts our app and bench/reference_app.py on two localhost ports, opens each page in headless Chromium,
focuses its slider and presses an arrow key ``--presses`` times. Each sample runs from the key press until the
page has redrawn: the metric values and captions changed and no element is stale or running, plus
two animation frames for Vega to paint the chart. Prints median and p95 (ms) and the ratio to the reference.
Target: every slider page ≤ 1.0× (output, phasing, analysis, evaluation with the synthetic actuals loaded, next
plan; compare is measured too).
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from _browser import MAIN_TEXT_JS, REDRAWN_JS, SLIDER_PAGES, chromium, open_ready, p95, serve

TARGET = 1.0  # every slider page redraws within the bare page's time (issue #22)
# name, path, slider label (regex), setup, target ratio
PAGES = [(*p, TARGET) for p in SLIDER_PAGES]
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def presses(n: int) -> list[str]:
    """Right ten times, left ten times, …: stays inside every slider's range and always changes the value."""
    return ["ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft" for i in range(n)]


def sample(page, slider_name: str, keys: list[str]) -> list[float]:
    slider = page.get_by_role("slider", name=re.compile(slider_name)).first
    slider.focus()
    times = []
    for key in keys:
        before = page.evaluate(MAIN_TEXT_JS)
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(REDRAWN_JS, arg=before, polling="raf", timeout=30_000)
        page.evaluate(TWO_FRAMES_JS)
        times.append((time.perf_counter() - t0) * 1000)
        slider.focus()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--presses", type=int, default=30)
    args = ap.parse_args()
    results = {}
    with chromium() as browser, serve("bench/reference_app.py") as (ref_url, _), serve("app.py") as (app_url, _):
        def run(url: str, slider: str, setup: str | None = None) -> list[float]:
            ctx, page = open_ready(browser, url, setup)
            try:
                sample(page, slider, ["ArrowRight", "ArrowLeft"] * 2)  # warm caches; back where it started
                return sample(page, slider, presses(args.presses))
            finally:
                ctx.close()

        # the reference is measured before and after our pages, so machine drift affects both sides alike
        results["reference"] = run(ref_url, r"^growth")
        for name, path, slider, setup, _ in PAGES:
            results[name] = run(f"{app_url}/{path}", slider, setup)
        results["reference"] += run(ref_url, r"^growth")
    ref = statistics.median(results["reference"])
    print(f"Browser: key press -> page redrawn, {args.presses} presses each (headless Chromium)")
    print(f"{'page':12} {'median ms':>10} {'p95 ms':>8} {'ratio':>7} {'target':>8}")
    targets = {name: target for name, *_, target in PAGES}
    for name, times in results.items():
        med = statistics.median(times)
        tgt = f"≤ {targets[name]:g}×" if name in targets else "-"
        flag = "" if name not in targets else ("  ok" if med / ref <= targets[name] else "  MISSED")
        print(f"{name:12} {med:10.1f} {p95(times):8.1f} {med / ref:7.2f} {tgt:>8}{flag}")


if __name__ == "__main__":
    main()

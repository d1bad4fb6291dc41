"""Cold start: `streamlit run` until the first complete render in headless Chromium, ours against the reference.

Run:  .venv/bin/python bench/cold_start.py [--repeat 3]
Each sample spawns a fresh server process and a fresh browser context; it ends when the home page shows its metric
and chart and no element is running or stale. Prints medians (s), the part until the server answers its health
check, and the ratio ours / reference. Target ≤ 1.3×.
"""
from __future__ import annotations

import argparse
import statistics
import time

from _browser import chromium, serve, wait_rendered


def once(browser, script: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    with serve(script) as (url, health):
        ctx = browser.new_context(viewport={"width": 1600, "height": 1400})
        try:
            page = ctx.new_page()
            page.goto(url)
            wait_rendered(page)
            return time.perf_counter() - t0, health
        finally:
            ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    samples: dict[str, list[tuple[float, float]]] = {"reference": [], "app": []}
    with chromium() as browser:
        once(browser, "bench/reference_app.py")  # warm the OS file cache for both
        once(browser, "app.py")
        for _ in range(args.repeat):  # interleaved so drift hits both alike
            samples["reference"].append(once(browser, "bench/reference_app.py"))
            samples["app"].append(once(browser, "app.py"))
    ref = statistics.median(s for s, _ in samples["reference"])
    print(f"Cold start: spawn -> first complete render, {args.repeat} runs each")
    print(f"{'app':10} {'median s':>9} {'health s':>9} {'ratio':>7}  target ≤ 1.3×")
    for name, xs in samples.items():
        med = statistics.median(s for s, _ in xs)
        print(f"{name:10} {med:9.2f} {statistics.median(h for _, h in xs):9.2f} {med / ref:7.2f}")


if __name__ == "__main__":
    main()

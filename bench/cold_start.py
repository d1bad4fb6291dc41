"""Cold start: `streamlit run` until the first complete render in headless Chromium, ours against the reference.

Run:  .venv/bin/python bench/cold_start.py [--repeat 3]
Each sample spawns a fresh server process and a fresh browser context; it ends when the home page shows its metric
and chart and no element is running or stale. Prints medians (s), the part until the server answers its health
check, and the ratio ours / reference. Target ≤ 1.3×.

The repository's modules are byte-compiled first (``compileall``), as a first start writes them on any machine that
caches bytecode and as a deployment compiles them (deploy/run-local.sh); this machine sets
PYTHONDONTWRITEBYTECODE=1, so without it every start compiled ~90 modules again (0.1–0.15 s a start, our code only:
the reference's libraries come compiled by pip). ``--no-compile`` measures without: it removes the app's
``__pycache__`` folders first (build artefacts, ignored by git), so with this machine's setting every start compiles.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

from _browser import REPO, chromium, serve, wait_rendered

SOURCES = ("app.py", "pages", "ui", "model")


def compile_sources() -> None:
    """Byte-compile the app's own modules into __pycache__ (what a first start writes where bytecode is cached)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *SOURCES], cwd=REPO, check=True)


def remove_bytecode() -> None:
    for source in SOURCES[1:]:
        for cache in (REPO / source).rglob("__pycache__"):
            shutil.rmtree(cache)


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
    ap.add_argument("--no-compile", action="store_true", help="do not byte-compile the app's modules first")
    args = ap.parse_args()
    if args.no_compile:
        remove_bytecode()
    else:
        compile_sources()
    samples: dict[str, list[tuple[float, float]]] = {"reference": [], "app": []}
    with chromium() as browser:
        once(browser, "bench/reference_app.py")  # warm the OS file cache for both
        once(browser, "app.py")
        for _ in range(args.repeat):  # interleaved so drift hits both alike
            samples["reference"].append(once(browser, "bench/reference_app.py"))
            samples["app"].append(once(browser, "app.py"))
    ref = statistics.median(s for s, _ in samples["reference"])
    print(f"Cold start: spawn -> first complete render, {args.repeat} runs each"
          f"{' (modules not byte-compiled first)' if args.no_compile else ''}")
    print(f"{'app':10} {'median s':>9} {'health s':>9} {'ratio':>7}  target ≤ 1.3×")
    for name, xs in samples.items():
        med = statistics.median(s for s, _ in xs)
        print(f"{name:10} {med:9.2f} {statistics.median(h for _, h in xs):9.2f} {med / ref:7.2f}")


if __name__ == "__main__":
    main()

"""Load: N simultaneous browser sessions moving a slider on one server.

Run:  .venv/bin/python bench/load.py [--sessions 1 10 30] [--presses 10]
Starts one `streamlit run app.py`, opens N headless-Chromium pages on the output page, then every session presses
an arrow key ``--presses`` times at once (asyncio), each waiting for its own redraw. Prints the median and p95
rerun time (key press → redrawn) per N, and the server's resident memory per session (RSS growth ÷ N, after one
warm-up session). The browser runs on the same 2 cores as the server, so large N measures both.
Traffic stays on 127.0.0.1 and the run is bounded by --presses.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
from pathlib import Path

from _browser import ARGS, CHROMIUM, keys, open_app, p95, press, serve


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (MiB), from /proc."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def server_pid(port: int) -> int:
    out = subprocess.run(["pgrep", "-f", f"server.port {port}"], capture_output=True, text=True).stdout.split()
    return int(out[0])


async def session(browser, url: str, presses: int, start: asyncio.Event, times: list[float]) -> None:
    ctx, page = await open_app(browser, url, 1400, 1200)
    slider = page.get_by_role("slider", name=re.compile("^轨道交通\\s?(产业)?年均增长")).first
    await start.wait()
    for key in keys(presses):
        times.append(await press(page, slider, key))
    await ctx.close()


async def run(n: int, presses: int) -> tuple[list[float], float]:
    from playwright.async_api import async_playwright

    with serve("app.py") as (url, _):
        port = int(url.rsplit(":", 1)[1])
        pid = server_pid(port)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            # one session first, so imports and caches are not counted as per-session memory
            warm = asyncio.Event()
            warm.set()
            await session(browser, f"{url}/output", 1, warm, [])
            await asyncio.sleep(1)
            base_mem = rss_mib(pid)
            start, times = asyncio.Event(), []
            tasks = [asyncio.create_task(session(browser, f"{url}/output", presses, start, times)) for _ in range(n)]
            await asyncio.sleep(2 + 0.8 * n)  # let every session open and render before the clock starts
            loaded_mem = rss_mib(pid)
            start.set()
            await asyncio.gather(*tasks)
            await browser.close()
    return times, (loaded_mem - base_mem) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    ap.add_argument("--presses", type=int, default=10)
    args = ap.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium")
    print(f"Load: N sessions pressing a slider key {args.presses} times at once (output page, one server)")
    print(f"{'sessions':>8} {'median ms':>10} {'p95 ms':>8} {'MiB/session':>12}")
    for n in args.sessions:
        times, per = asyncio.run(run(n, args.presses))
        print(f"{n:8d} {statistics.median(times):10.0f} {p95(times):8.0f} {per:12.1f}")


if __name__ == "__main__":
    main()

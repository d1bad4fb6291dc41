"""Capacity of a shared deployment: server CPU per slider move, and a presenter's latency under an audience.

Run:  .venv/bin/python bench/capacity.py [--presses 30] [--viewers 30] [--movers 5] [--replicas 1 2] [--rounds 1]
                                        [--pages output …] [--fresh]

1. **Server CPU per interaction**, per page and for bench/reference_app.py: one `streamlit run` and one browser
   session; the slider is pressed ``--presses`` times, each press waiting for the redraw. CPU is read from the
   server's own ``/proc/PID/stat`` (utime + stime of all its threads) before and after, minus the same server's idle
   rate over an equally long quiet period with the session still connected. Chromium, Playwright and this script
   are other processes, so the load generator's CPU is not in the figure (it only competes for the cores, which
   slows wall-clock times, not the server's CPU seconds). ``1 / CPU per interaction`` = interactions per second
   one core sustains. The reference runs before the first page, between every two pages and after the last; each
   page's ratio is to the mean of the two reference runs beside it. With ``--rounds N`` the whole sequence runs N
   times and a page's ratio is the median of its N ratios (runs minutes apart on a shared machine spread by ±0.15×).
   The presses go ten right, ten left, …, so three in four show a value the session has seen (whatever a page keeps
   per value is then reused); ``--fresh`` presses one way only, every value new (the reference keeps nothing, so
   only our side changes).
2. **Presenter's latency** through nginx (deploy/run-local.sh N) for N = 1 and 2 replicas: ``--viewers`` sessions
   open the output page and stay idle; a presenter presses the slider ``--presses`` times (key press → redrawn);
   then the same while ``--movers`` other sessions move their sliders non-stop. Median and p95.
   The browser runs on the same 2 cores as the servers, so the latency figures include its load.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _browser import (ARGS, CHROMIUM, READY_FOR, REPO, SLIDER_PAGES, free_port, fresh_keys, keys, open_app, p95,
                      prepare_async, press, serve, slider_value)

TICK = os.sysconf("SC_CLK_TCK")
# page, path, slider label, setup: the sliders bench/ui_latency.py uses (evaluation: synthetic actuals loaded)
PAGES = SLIDER_PAGES
OUTPUT_LINK = "output?rail=6.5&non=20"


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all threads), from /proc: what the server itself spent."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pid_on_port(port: int) -> int:
    """The process listening on 127.0.0.1:port (our streamlit server), found via /proc/net/tcp and fd links."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[3] == "0A" and int(parts[1].split(":")[1], 16) == port:
            inode = parts[9]
            break
    if inode is None:
        raise RuntimeError(f"nothing listens on port {port}")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    raise RuntimeError(f"no process owns the socket on port {port}")


# -- 1. CPU per interaction ------------------------------------------------------------------------------

async def cpu_per_interaction(script: str, path: str, slider_name: str, presses: int,
                              setup: str | None = None, fresh: bool = False) -> tuple[float, float]:
    """(server CPU seconds per interaction, median latency ms) for one page on a fresh server."""
    from playwright.async_api import async_playwright

    with serve(script) as (base, _):
        pid = pid_on_port(int(base.rsplit(":", 1)[1]))
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            ctx, page = await open_app(browser, f"{base}/{path}", ready=READY_FOR[setup])
            await prepare_async(page, setup)
            slider = page.get_by_role("slider", name=re.compile(slider_name)).first
            for k in ["ArrowRight", "ArrowLeft"] * 2:  # warm caches
                await press(page, slider, k)
            # ten right, ten left …: three in four presses show a value seen before (cached); fresh: one way only
            pattern = fresh_keys(*await slider_value(slider), presses) if fresh else keys(presses)
            c0, t0 = cpu_seconds(pid), time.perf_counter()
            times = [await press(page, slider, k) for k in pattern]
            busy, wall = cpu_seconds(pid) - c0, time.perf_counter() - t0
            c1 = cpu_seconds(pid)
            await asyncio.sleep(wall)  # same length, session connected, nothing pressed
            idle = cpu_seconds(pid) - c1
            await ctx.close()
            await browser.close()
    return max(busy - idle, 0.0) / presses, statistics.median(times)


# -- 2. presenter under an audience ------------------------------------------------------------------------

class Deployment:
    """deploy/run-local.sh N on a free port; stopped (TERM to its process group) on exit."""

    def __init__(self, n: int):
        self.port = free_port()
        env = {**os.environ, "PYTHON": sys.executable}
        self.proc = subprocess.Popen(["bash", str(REPO / "deploy" / "run-local.sh"), str(n), str(self.port)],
                                     cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        self.pids: list[int] = []
        deadline = time.time() + 120
        for line in self.proc.stdout:
            if m := re.match(r"replica \d+: pid (\d+)", line):
                self.pids.append(int(m[1]))
            if line.startswith("ready:") or time.time() > deadline:
                break
        else:
            raise RuntimeError("run-local.sh did not start")
        self.url = f"http://127.0.0.1:{self.port}"

    def cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.pids)

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.communicate()


async def audience(n_replicas: int, viewers: int, movers: int, presses: int) -> dict:
    from playwright.async_api import async_playwright

    dep = Deployment(n_replicas)
    out = {}
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            url = f"{dep.url}/{OUTPUT_LINK}"
            gate = asyncio.Semaphore(4)  # open the audience a few at a time, as people arrive

            async def arrive():
                async with gate:
                    return await open_app(browser, url)

            idle = await asyncio.gather(*(arrive() for _ in range(viewers)))
            active = await asyncio.gather(*(arrive() for _ in range(movers)))
            pctx, ppage = await open_app(browser, url)
            pslider = ppage.get_by_role("slider", name=re.compile(PAGES[0][2])).first
            for k in ["ArrowRight", "ArrowLeft"]:
                await press(ppage, pslider, k)
            await asyncio.sleep(2)

            c0, t0 = dep.cpu(), time.perf_counter()
            await asyncio.sleep(5)
            out["idle_cpu_per_s"] = (dep.cpu() - c0) / (time.perf_counter() - t0)
            out["idle"] = [await press(ppage, pslider, k) for k in keys(presses)]

            stop = asyncio.Event()
            moved = []

            async def mover(page):
                slider = page.get_by_role("slider", name=re.compile(PAGES[0][2])).first
                i = 0
                while not stop.is_set():
                    moved.append(await press(page, slider, keys(i + 1)[-1]))
                    i += 1

            tasks = [asyncio.create_task(mover(p)) for _, p in active]
            await asyncio.sleep(1)
            c0, t0, m0 = dep.cpu(), time.perf_counter(), len(moved)
            out["busy"] = [await press(ppage, pslider, k) for k in keys(presses)]
            cpu, wall = dep.cpu() - c0, time.perf_counter() - t0
            out["busy_cpu_per_s"] = cpu / wall
            out["busy_cpu_per_interaction"] = cpu / (presses + len(moved) - m0)  # everyone's presses in the window
            stop.set()
            await asyncio.gather(*tasks)
            out["movers_median"] = statistics.median(moved) if moved else float("nan")
            for ctx, _ in [*idle, *active, (pctx, ppage)]:
                await ctx.close()
            await browser.close()
    finally:
        dep.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--presses", type=int, default=30)
    ap.add_argument("--viewers", type=int, default=30)
    ap.add_argument("--movers", type=int, default=5)
    ap.add_argument("--replicas", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--pages", nargs="*", default=[p[0] for p in PAGES], help="pages for part 1")
    ap.add_argument("--rounds", type=int, default=1,
                    help="part 1 repeated, the pages and the reference interleaved again; each page's ratio is the "
                         "median of its rounds' ratios")
    ap.add_argument("--fresh", action="store_true",
                    help="part 1 presses one way only, every value new to the session (nothing cached for it); "
                         "by default ten right, ten left …, so that three in four moves show a value seen before")
    args = ap.parse_args()
    if CHROMIUM is None:
        raise SystemExit("needs Debian's chromium (and nginx for the audience part)")

    print(f"1. Server CPU per slider interaction ({args.presses} presses each"
          f"{', every value new' if args.fresh else ''}; server /proc, idle rate subtracted)")
    print(f"{'page':12} {'CPU ms':>8} {'per core /s':>12} {'ratio':>7} {'latency ms':>11}")
    # The reference is measured before the first page, between every two pages and after the last: each page's
    # ratio is to the mean of the reference runs just before and just after it (a minute apart at most), so that the
    # machine's drift over the whole run (±0.3x between runs minutes apart) hits both sides of each ratio alike.
    def reference() -> tuple[float, float]:
        return asyncio.run(cpu_per_interaction("bench/reference_app.py", "", r"^growth", args.presses,
                                               fresh=args.fresh))

    chosen = [p for p in PAGES if p[0] in args.pages]
    refs_all, rows = [], {name: [] for name, *_ in chosen}  # rows: page -> [(cpu, latency, reference beside)]
    for _ in range(args.rounds):
        refs = [reference()]
        for name, path, slider, setup in chosen:
            cpu, lat = asyncio.run(cpu_per_interaction("app.py", path, slider, args.presses, setup, args.fresh))
            refs.append(reference())
            rows[name].append((cpu, lat, (refs[-2][0] + refs[-1][0]) / 2))  # the reference runs on either side
        refs_all += refs
    med = statistics.median
    ref_all = (med([r[0] for r in refs_all]), med([r[1] for r in refs_all]))
    print(f"{'reference':12} {ref_all[0] * 1000:8.1f} {1 / ref_all[0]:12.1f} {1.0:7.2f} {ref_all[1]:11.0f}"
          f"   (median of {len(refs_all)} runs: {', '.join(f'{r[0] * 1000:.1f}' for r in refs_all)} ms)")
    for name, runs in rows.items():
        ratios = [cpu / ref if ref > 0 else float("nan") for cpu, _, ref in runs]
        cpu, lat = med([r[0] for r in runs]), med([r[1] for r in runs])
        rate = 1 / cpu if cpu > 0 else float("inf")
        note = (f"reference beside it {runs[0][2] * 1000:.1f} ms" if len(runs) == 1 else
                f"median of {len(runs)} rounds; each to the reference beside it: "
                f"{', '.join(f'{x:.2f}' for x in ratios)}")
        print(f"{name:12} {cpu * 1000:8.1f} {rate:12.1f} {med(ratios):7.2f} {lat:11.0f}   ({note})")

    if not args.replicas:
        return
    print(f"\n2. Presenter on the output page through nginx: {args.viewers} idle viewers, then + {args.movers} "
          f"moving sliders ({args.presses} presses)")
    print(f"{'replicas':>8} {'audience':>22} {'median ms':>10} {'p95 ms':>8} {'server CPU/s':>13} "
          f"{'CPU ms/interaction':>19}")
    for n in args.replicas:
        r = asyncio.run(audience(n, args.viewers, args.movers, args.presses))
        print(f"{n:8d} {str(args.viewers) + ' idle':>22} {statistics.median(r['idle']):10.0f} {p95(r['idle']):8.0f} "
              f"{r['idle_cpu_per_s']:13.2f}")
        print(f"{n:8d} {f'{args.viewers} idle + {args.movers} moving':>22} {statistics.median(r['busy']):10.0f} "
              f"{p95(r['busy']):8.0f} {r['busy_cpu_per_s']:13.2f} {r['busy_cpu_per_interaction'] * 1000:19.0f}"
              f"   (movers' median {r['movers_median']:.0f} ms)")


if __name__ == "__main__":
    main()

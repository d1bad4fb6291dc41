"""Model benchmark: projection + phasing on the real tables and on 10,000 synthetic projects.

Run:  .venv/bin/python bench/model.py
Prints medians (ms) of repeated runs; targets: real tables < 5 ms, 10,000 projects < 100 ms.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.growth import Targets, project  # noqa: E402
from model.phasing import phase_projects, phase_roads  # noqa: E402
from model.scenario import presets  # noqa: E402
from model.tables import load_plan_data  # noqa: E402
from tests.conftest import synthetic_projects  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    data = load_plan_data()
    s = presets(data)["plan-targets"]
    targets = Targets.from_data(data)
    capped = s.with_(ceiling_yi=60.0, profile="s-curve", delay_area={data.areas.ids[-1]: 1})

    def real(sc):
        project(sc, targets)
        phase_projects(data.projects, sc)
        phase_roads(data.roads, sc)

    big = synthetic_projects(10_000, seed=1, years=15)
    big_cap = s.with_(ceiling_yi=2000.0, profile="s-curve", delay_all=1)
    rows = [
        ("load + validate data/ (4 files)", median_ms(load_plan_data, 30), None),
        ("real tables: projection + phasing", median_ms(lambda: real(s), 200), 5.0),
        ("real tables, ceiling + s-curve + delay", median_ms(lambda: real(capped), 200), 5.0),
        ("10,000 projects x 15 years: phasing", median_ms(lambda: phase_projects(big, s), 30), 100.0),
        ("10,000 projects, ceiling + s-curve + delay", median_ms(lambda: phase_projects(big, big_cap), 30), 100.0),
    ]
    print(f"{'case':46} {'median ms':>10} {'target':>8}  ratio")
    for name, ms, target in rows:
        tgt = f"{target:g}" if target else "-"
        ratio = f"{ms / target:.2f}" if target else "-"
        print(f"{name:46} {ms:10.2f} {tgt:>8}  {ratio}")
    scaling(s)
    monte_carlo(s, targets)


def monte_carlo(s, targets) -> None:
    """10,000 paths × every segment × 2020–2035: target < 100 ms."""
    from model.calc import analysis
    from model.analysis import simulate

    full = s.with_(split=bool(s.tree.splittable), horizon=s.target_year + 10, n_paths=10_000)

    def fresh():  # a seed, path count, calendar or correlation not seen before: the shocks are drawn
        analysis._SHOCKS.clear()
        simulate(full, targets)

    drawn = median_ms(fresh, 20)
    ms = median_ms(lambda: simulate(full, targets), 20)  # a new rate or spread: the kept shocks
    print(f"\nMonte Carlo: 10,000 paths x {len(full.segments)} segments x {full.horizon - full.base_year + 1} years "
          f"({full.base_year}-{full.horizon}), quantiles and probabilities: {drawn:.1f} ms median with the shocks "
          f"drawn, {ms:.1f} ms with them kept (a rate or spread moved) (target < 100 ms)")


def scaling(s) -> None:
    """Phasing cost against library size: it must grow no faster than linearly."""
    heavy = s.with_(ceiling_yi=1e6, profile="s-curve", delay_all=1)
    print("\nScaling (phasing with ceiling + S-curve + delay, 15 years)")
    print(f"{'projects':>9} {'median ms':>10} {'µs / project':>13}")
    for n in (37, 1_000, 10_000, 100_000):
        projects = synthetic_projects(n, seed=2, years=15)
        ms = median_ms(lambda: phase_projects(projects, heavy), 30 if n < 100_000 else 7)
        per = ms * 1000 / n
        print(f"{n:9,d} {ms:10.2f} {per:13.2f}")


if __name__ == "__main__":
    main()

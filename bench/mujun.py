"""Per-mu efficiency benchmark: scoring 10,000 synthetic enterprises (tests/mujun_support.py; made-up firms).

Times ``score`` (indicators, points, ranks and classes, 规上 and 规下 apart) and the whole ``evaluate`` (plus the per
area and per industry aggregates) under both presets, and reading the enterprise file. Target: median < 200 ms to
score 10,000 firms.

Run:  .venv/bin/python bench/mujun.py [--firms N] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.calc.mujun import evaluate, presets, score  # noqa: E402
from model.io.enterprises import EnterpriseSet  # noqa: E402
from tests.mujun_support import AREAS, synthetic, to_csv_bytes  # noqa: E402

TARGET_MS = 200.0


def times_ms(fn, repeat: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(what: str, t: list[float], target: float | None = None) -> str:
    med = statistics.median(t)
    p95 = statistics.quantiles(t, n=20)[-1] if len(t) >= 2 else med
    verdict = f" (target < {target:.0f} ms: {'met' if med < target else 'MISSED'})" if target else ""  # format-ok
    return f"{what}: median {med:.1f} ms, p95 {p95:.1f} ms over {len(t)} runs{verdict}"  # format-ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    df = synthetic(args.firms, seed=1)
    raw = to_csv_bytes(df)
    es = EnterpriseSet.from_bytes(raw, "bench.csv", AREAS)
    frame = es.frame()
    print(f"{len(es):,} synthetic firms ({int((frame['scale'] == 'above').sum()):,} above-scale), "
          f"{len(raw) / 1e6:.1f} MB as CSV")  # format-ok
    for name, m in presets().items():
        print(line(f"score, {name}", times_ms(lambda m=m: score(frame, m), args.repeat), TARGET_MS))
        print(line(f"evaluate (score + aggregates), {name}", times_ms(lambda m=m: evaluate(frame, m), args.repeat)))
    print(line("read and validate the CSV", times_ms(lambda: EnterpriseSet.from_bytes(raw, "bench.csv", AREAS),
                                                     max(3, args.repeat // 5))))


if __name__ == "__main__":
    main()

"""Evaluation benchmark: the final evaluation on the real plan tables with a full synthetic actuals set.

The actuals are the plan itself (every target, project and road, every plan year: model.calc.evaluation.plan_as_actuals),
so every code path that reads a row is exercised. Target: median < 20 ms for ``evaluate`` (indicators, both output
paths, project and road execution, groups and summary).

Run:  .venv/bin/python bench/evaluation.py [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.calc.evaluation import EvalSettings, evaluate, evaluation_basis, graded, plan_as_actuals  # noqa: E402
from model.plan.tables import load_plan_data  # noqa: E402
from model.report.evaluation_report import evaluation_tables  # noqa: E402

TARGET_MS = 20.0


def times_ms(fn, repeat: int) -> list[float]:
    fn()  # warm up (the plan's phasing is kept per data object after the first run)
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    data = load_plan_data()
    actuals, projects, roads = plan_as_actuals(data)
    print(f"actuals: {len(actuals)} indicator rows, {len(projects)} project rows, {len(roads)} road rows "
          f"({int((data.indicators['kind'] == 'target').sum())} targets, {len(data.projects)} projects, "
          f"{len(data.roads)} roads)")
    t = times_ms(lambda: evaluate(data, actuals, projects, roads), args.repeat)
    med = statistics.median(t)
    p95 = statistics.quantiles(t, n=20)[-1]
    print(f"evaluate: median {med:.2f} ms, p95 {p95:.2f} ms over {args.repeat} runs "
          f"(target < {TARGET_MS:.0f} ms: {'met' if med < TARGET_MS else 'MISSED'})")
    basis = evaluation_basis(data, actuals, projects, roads)
    t = times_ms(lambda: graded(basis, EvalSettings(nearly_met=0.85)), args.repeat)
    print(f"graded (a threshold moved: the kept basis re-graded): median {statistics.median(t):.2f} ms")
    ev = evaluate(data, actuals, projects, roads)
    t = times_ms(lambda: evaluation_tables(ev, "zh"), args.repeat)
    print(f"evaluation_tables (the CSV frames): median {statistics.median(t):.2f} ms")


if __name__ == "__main__":
    main()

"""AppTest rerun time per page after a widget change, beside the bare reference app, in the same run.

Run:  .venv/bin/python bench/rerun.py [--repeat 30]
Prints the median and p95 (ms) of `widget.set_value(...).run()` for each page and the ratio to the reference.
Target: every page ≤ 3× the reference.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

# page, widget kind, key, values cycled through (each differs from the one before)
CASES = [
    ("reference", None, "slider", "rate", [5.0 + i / 10 for i in range(40)]),
    ("overview", "app.py", "radio", "lang_widget", ["en", "zh"] * 20),
    ("output", "pages/1_output.py", "slider", "g_rail_transit", [5.0 + i / 10 for i in range(40)]),
    ("phasing", "pages/2_phasing.py", "slider", "overrun", [float(i) for i in range(40)]),
    ("compare", "pages/3_compare.py", "select_slider", "compare_horizon", [2025 + i % 11 for i in range(1, 41)]),
    ("sources", "pages/4_sources.py", "text_input", "f_ind_text", ["亿元", "2025", "家", "rail", "亩"] * 8),
    ("analysis", "pages/5_analysis.py", "slider", "sd_rail_transit", [1.0 + i / 2 for i in range(40)]),
    ("evaluation", "pages/7_evaluation.py", "slider", "pe_nearly", [80 + i % 20 for i in range(1, 41)]),
    ("nextplan", "pages/8_nextplan.py", "slider", "np_g_rail_transit", [5.0 + i / 10 for i in range(40)]),
]


def setup(name: str, at) -> None:
    """Pages that need a document loaded first: the evaluation and the next plan get the synthetic actuals set."""
    if name not in ("evaluation", "nextplan"):
        return
    from model import load_plan_data
    from model.io.actuals import ActualsSet

    folder = "actuals" if name == "evaluation" else "nextplan"
    raw = (REPO / "tests" / "fixtures" / folder / "actuals.csv").read_bytes()
    at.session_state["doc_actuals"] = ActualsSet.from_bytes(raw, "actuals.csv", load_plan_data())
    at.session_state["pe_open_rules"] = True  # the thresholds' panel, folded by default


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def measure(name, page, kind, key, values, repeat) -> list[float]:
    script = REPO / ("bench/reference_app.py" if name == "reference" else "app.py")
    at = AppTest.from_file(str(script), default_timeout=120).run()
    setup(name, at)
    if page and page != "app.py":
        at.switch_page(page).run()
    times = []
    for i in range(repeat + 3):
        widget = getattr(at, kind)(key=key)  # the overview has no slider: it toggles the language
        value = values[i % len(values)]
        widget.set_value(value)
        t0 = time.perf_counter()
        at.run()
        dt = (time.perf_counter() - t0) * 1000
        if at.exception:
            raise SystemExit(f"{name}: exception {at.exception[0].value}")
        if i >= 3:  # the first runs fill caches
            times.append(dt)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    rows = [(name, measure(name, page, kind, key, values, args.repeat)) for name, page, kind, key, values in CASES]
    ref = statistics.median(rows[0][1])
    print(f"AppTest rerun after a widget change, {args.repeat} runs each")
    print(f"{'page':12} {'median ms':>10} {'p95 ms':>8} {'ratio':>7}  target ≤ 3×")
    for name, times in rows:
        med = statistics.median(times)
        print(f"{name:12} {med:10.1f} {p95(times):8.1f} {med / ref:7.2f}")


if __name__ == "__main__":
    main()

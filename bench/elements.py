"""Streamlit's own server cost per element on a slider move: what a page pays for each thing it draws.

Run:  .venv/bin/python bench/elements.py [--presses 40] [--n 20]
Serves small generated apps from the repository (its `.streamlit/config.toml`), each a fragment holding one slider
and one metric plus ``--n`` more of one kind of element (captions, sliders, expanders, rows of three columns with a
metric), and measures the server's CPU per key press as bench/capacity.py does (the process's own /proc time, the
idle rate subtracted). Prints the fragment alone, each kind's cost per element (its app minus the fragment alone,
divided by ``--n``) and bench/reference_app.py (a full run with an Altair chart) for scale.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from capacity import cpu_per_interaction

HEAD = '''import streamlit as st


@st.fragment
def part():
    rate = st.slider("growth (%)", min_value=-20.0, max_value=60.0, value=7.5, step=0.1, key="rate")
    st.metric("2025", f"{rate:,.1f}")
    for i in range(N):
        BODY


part()
'''
KINDS = {
    "fragment alone": "pass",
    "caption": 'st.caption(f"item {i}: {rate}")',
    "slider": 'st.slider(f"s{i}", min_value=0, max_value=10, value=3, key=f"s{i}", help="help", on_change=lambda: None)',
    "expander (closed)": 'st.expander(f"e{i}")',
    "row of 3 columns + metric": 'st.columns(3)[0].metric("x", i)',
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    cpu = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, body in KINDS.items():
            app = Path(tmp) / f"{len(cpu)}.py"
            app.write_text(HEAD.replace("N)", f"{args.n})").replace("BODY", body), encoding="utf-8")
            cpu[kind] = asyncio.run(cpu_per_interaction(str(app), "", r"^growth", args.presses))[0]
    ref = asyncio.run(cpu_per_interaction("bench/reference_app.py", "", r"^growth", args.presses))[0]
    alone = cpu["fragment alone"]
    print(f"Server CPU per slider move ({args.presses} presses; {args.n} elements of each kind)")
    print(f"{'fragment: one slider + one metric':36} {alone * 1000:7.2f} ms")
    for kind in list(KINDS)[1:]:
        print(f"{'  + each ' + kind:36} {(cpu[kind] - alone) / args.n * 1000:7.3f} ms")
    print(f"{'reference app (full run, Altair chart)':36} {ref * 1000:7.2f} ms")


if __name__ == "__main__":
    main()

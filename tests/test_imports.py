"""Sessions that start at once import the model at once: no import cycle may deadlock or half-initialise it.

A thread switch every microsecond makes the interleavings that matter common: before model.scenario stopped
importing its own submodules, 7 runs in 12 of this script met a deadlock (tests/test_import_graph.py checks the
lock order itself)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import sys, threading
sys.setswitchinterval(1e-6)
errors = []
def go(stmt):
    try:
        exec(stmt, {})
    except Exception as exc:
        errors.append(repr(exc))
stmts = ["import model.plan.calendar", "import model.calc.phasing", "from model import run, presets",
         "import model.report.labels", "import model.io.library", "from model.scenario import FIELDS",
         "import model.scenario.scenario", "import model.scenario.presets", "from model.scenario import Scenario",
         "import model.calc.results", "import model.report.story", "import model.io.url", "import model.io.export",
         "import model.calc.evaluation", "import model.calc.nextplan", "import model.plan.tables"]
threads = [threading.Thread(target=go, args=(s,)) for s in stmts]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors[:1] or "ok")
"""


def test_concurrent_first_imports_never_deadlock():
    for _ in range(6):
        r = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert r.stdout.strip() == "ok", r.stdout + r.stderr[-500:]

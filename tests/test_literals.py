"""No plan figure or plan year is typed into code (issue 11): they live in data/ and reach code by role.

The numbers the issue names are searched as whole tokens in every .py file of model/, ui/ and pages/ and in
app.py — code, strings, comments and docstrings alike — except the data loader, which reads them. A line may
carry a justified exception with a `# literal-ok:` comment on it or on the line above, saying why.
"""
from __future__ import annotations

import re

from tests.conftest import REPO

BANNED = ("975", "1400", "1600", "0.96", "5.1", "1238.56", "2100", "600", "1500", "48.75", "2020", "2021", "2025")
PATTERN = re.compile(r"(?<![\w.])(" + "|".join(re.escape(b) for b in BANNED) + r")(?![\w]|\.\d)")
EXEMPT = {REPO / "model" / "plan" / "tables.py"}


def _found() -> list[str]:
    found = []
    files = [p for d in ("model", "ui", "pages") for p in (REPO / d).rglob("*.py")] + [REPO / "app.py"]
    for path in files:
        if path in EXEMPT:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if PATTERN.search(line) and "literal-ok:" not in line and not (n and "literal-ok:" in lines[n - 1]):
                found.append(f"{path.relative_to(REPO)}:{n + 1}: {line.strip()[:90]}")
    return found


def test_no_plan_number_or_year_in_the_report_layer():
    from tests.test_no_plan_names import REPORT_FILES

    found = [f for f in _found() if f.split(":", 1)[0] in REPORT_FILES]
    assert not found, "\n".join(found)


def test_no_plan_number_or_year_in_code():
    found = _found()
    assert not found, "\n".join(found)

"""The engine names no plan: no word of the default plan appears in code (model/, ui/, pages/, app.py) or in the
translation table (model/report/strings/*.csv).

The words are taken from the default plan's own package, so a renamed segment or area is still found: its
segments' names, output names, ids and keys (of four characters or more), its areas' names and ids, the name,
short name, district, city and period of plan.csv, and its base and target years as whole tokens; plus a small
fixed list. An ASCII word is matched as a whole token in any case (``rail`` in ``seg == "rail"``, not in
``trail``); a Chinese one anywhere. A Python line may carry a justified exception with a ``# literal-ok:`` comment
on it or on the line above (as in tests/test_literals.py); a strings file has no exceptions.

The report layer's files are clean (:data:`REPORT_FILES`); files of other layers still being moved to the
plan-as-data API are listed in the expected failure's reason.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest

from tests.conftest import REPO
from tests.plans_support import plan

FIXED = ("石峰", "株洲", "十四五", "十三五", "轨道交通", "田心", "清水塘", "rail_transit", "nonrail")
# ids and keys of the default plan that are also the engine's own words or plain English (a relation is called
# ``total``; ``other`` is a word): not a sign of the plan in code
ORDINARY = {"total", "other"}
# the report layer's files (model/report, the workbook, the export and the audit, and their strings)
REPORT_FILES = (
    "model/report/figures.py", "model/report/story.py", "model/report/brief.py", "model/report/charts.py",
    "model/io/workbook.py", "model/io/export.py", "model/plan/audit.py", "model/report/text.py",
    "model/report/labels.py", "model/report/strings/ui.csv", "model/report/strings/labels.csv",
    "model/report/strings/story.csv", "model/report/strings/brief.csv", "model/report/strings/workbook.csv",
    "model/report/strings/audit.csv", "model/report/strings/fields.csv",
)


@lru_cache(maxsize=1)
def default_plan_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, years) that name the default plan, from its package."""
    data = plan("default")
    words = set(FIXED)
    for s in data.segments:
        for w in (s.name("zh"), s.name("en"), s.output_name("zh"), s.output_name("en"), s.id, s.key, s.code):
            if len(w) >= 4:
                words.add(w)
    for a in data.areas:
        words |= {a.name("zh"), a.name("en"), a.id}
    for key in ("name", "short_name", "district", "city", "period"):
        for lang in ("zh", "en"):
            text = data.meta.text(key, lang).strip().strip("“”\"")
            if text:
                words.add(text)
    words = {w for w in words if w and w.lower() not in ORDINARY}
    cal = data.calendar
    return tuple(sorted(words, key=len, reverse=True)), (str(cal.base_year), str(cal.target_year))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern | None, re.Pattern]:
    words, years = default_plan_words()
    ascii_words = [w for w in words if w.isascii()]
    other = [w for w in words if not w.isascii()]
    latin = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(w) for w in ascii_words) + r")(?![A-Za-z0-9_])",
                       re.I)
    cjk = re.compile("|".join(re.escape(w) for w in other)) if other else None
    year = re.compile(r"(?<![\w.])(" + "|".join(years) + r")(?![\w]|\.\d)")
    return latin, cjk, year


def files() -> list:
    code = [p for d in ("model", "ui", "pages") for p in sorted((REPO / d).rglob("*.py"))] + [REPO / "app.py"]
    return code + sorted((REPO / "model" / "report" / "strings").glob("*.csv"))


def offenders(path) -> list[str]:
    """``file:line: word: text`` for every line of ``path`` that names the default plan."""
    latin, cjk, year = _patterns()
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    py = path.suffix == ".py"
    for n, line in enumerate(lines):
        if py and ("literal-ok:" in line or (n and "literal-ok:" in lines[n - 1])):
            continue
        found = [m.group(0) for pat in (latin, cjk, year) if pat is not None for m in pat.finditer(line)]
        if found:
            out.append(f"{path.relative_to(REPO)}:{n + 1}: {', '.join(dict.fromkeys(found))}: {line.strip()[:80]}")
    return out


@lru_cache(maxsize=1)
def by_file() -> dict[str, list[str]]:
    out = {}
    for path in files():
        got = offenders(path)
        if got:
            out[str(path.relative_to(REPO))] = got
    return out


def test_the_words_come_from_the_package():
    words, years = default_plan_words()
    data = plan("default")
    assert data.seg_name(data.segments.root, "zh") in words and data.areas.ids[0] in words
    assert years == (str(data.calendar.base_year), str(data.calendar.target_year))
    assert "total" not in words and "rail_transit" in words


def test_the_search_finds_what_it_should(tmp_path):
    words, years = default_plan_words()
    probe = tmp_path / "probe.py"
    probe.write_text(f'x = "{words[-1]}"\ny = {years[0]}\nz = "trail"  # a word inside a word is no name\n'
                     f'w = {years[0]}  # literal-ok: a test of the escape\n', encoding="utf-8")
    probe = probe.rename(REPO / "tests" / f".probe_{tmp_path.name}.py")
    try:
        got = offenders(probe)
    finally:
        probe.unlink()
    assert len(got) == 2 and ":1:" in got[0] and ":2:" in got[1]


def test_the_report_layer_names_no_plan():
    found = {f: lines for f, lines in by_file().items() if f in REPORT_FILES}
    assert not found, "\n".join(line for lines in found.values() for line in lines[:5])


OTHERS = sorted(f for f in by_file() if f not in REPORT_FILES)


def test_nothing_names_the_default_plan():
    assert not by_file(), "\n".join(line for lines in by_file().values() for line in lines[:3])

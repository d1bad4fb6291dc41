"""A problem line (``file:row:column: what``, as readers and the CLI write it) as a page shows it in its language.

The readers name every problem in English where they find it (the CLI and the logs print those lines). A Chinese
page shows the location in Chinese (``actuals.csv 第3行 value列``) and, for the problems people meet most in the files
they upload, the reason too; any other reason stays as written, after a Chinese location. One table of patterns
(:data:`PATTERNS`), each with its translation key in ``strings/problems.csv``.
"""
from __future__ import annotations

import re

from .text import tr

LOCATION = re.compile(r"^(?P<file>[^:\n]{1,200}):(?P<row>\d+|-):(?P<col>[^:\n]{0,80}): (?P<what>.*)$", re.S)

# (the reason's pattern, its key): the first that matches the whole reason; named groups fill the key's placeholders
PATTERNS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.S), k) for p, k in (
    (r"required value is empty", "prob.empty"),
    (r"not a number: (?P<v>.*)", "prob.not_number"),
    (r"not a finite number: (?P<v>.*)", "prob.not_finite"),
    (r"not a whole number: (?P<v>.*)", "prob.not_whole"),
    (r"too large: (?P<v>.*)", "prob.too_large"),
    (r"too long: (?P<v>.*)", "prob.too_long"),
    (r"unknown column \(expected: (?P<v>.*)\)", "prob.unknown_column"),
    (r"missing column", "prob.missing_column"),
    (r"duplicate column", "prob.duplicate_column"),
    (r"unknown indicator (?P<v>.*) \(not in indicators\.csv\)", "prob.unknown_indicator"),
    (r"(?P<y>-?\d+) outside (?P<lo>\d+)–(?P<hi>\d+) \(base year.*", "prob.year_outside"),
    (r"the file has a header but no rows.*", "prob.no_rows"),
    (r"the file is empty", "prob.file_empty"),
    (r"larger than (?P<v>\d+ [kM]B).*", "prob.too_big"),
    (r"unknown scope (?P<v>.*?) \(.*", "prob.unknown_scope"),
    (r"unknown vintage (?P<v>.*?) \(.*", "prob.unknown_vintage"),
    (r"unknown status (?P<v>.*?) \(.*", "prob.unknown_status"),
    (r"(?P<v>.*) given twice \(first at row (?P<r>\d+)\)", "prob.twice"),
    (r"(?P<n>\d+) cells but the header has (?P<m>\d+) columns.*", "prob.too_many_cells"),
    (r"unreadable file", "prob.unreadable"),
    (r"(?P<n>\d+) problems before this row: the rest of the file was not read", "prob.stopped"),
))


def localized(problem: str, lang: str) -> str:
    """``problem`` as a page in ``lang`` shows it: unchanged in English; in Chinese its location in Chinese and its
    reason translated where :data:`PATTERNS` knows it (else as written)."""
    if lang == "en":
        return problem
    m = LOCATION.match(problem)
    if m is None:
        return problem
    row, col = (m["row"] != "-"), (m["col"] not in ("-", ""))
    key = "prob.at_rc" if row and col else "prob.at_r" if row else "prob.at_c" if col else None
    where = tr(key, lang, file=m["file"], row=m["row"], col=m["col"]) if key else m["file"]
    return tr("prob.line", lang, where=where, what=reason(m["what"], lang))


def reason(what: str, lang: str) -> str:
    """A problem's reason in ``lang`` where a pattern knows it, else as written."""
    for pattern, key in PATTERNS:
        m = pattern.fullmatch(what)
        if m is not None:
            return tr(key, lang, **{k: v for k, v in m.groupdict().items() if v is not None})
    return what

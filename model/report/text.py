"""The one translation table: every piece of text the app, the story, the brief, the audit and the CLI show.

The table is the CSV files in ``model/report/strings/`` (``key,zh,en``; one file per concern, keys unique across
files). ``tr(key, lang, **values)`` formats the text; a key that is not in the table, or a placeholder left
unfilled, raises :class:`MissingText` (tests check every key used against the table, so this never reaches a
user). Plan figures are never typed into a text: they are placeholders filled from ``data/``.

Adding a language = one more column in each strings file, plus the ``name_xx`` columns of the data files.
"""
from __future__ import annotations

import csv
import io
import string
from functools import lru_cache
from pathlib import Path

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class MissingText(KeyError):
    """A key that the translation table does not define (or a text whose placeholders were not all given)."""


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """key -> {lang: text}, from every strings file (loaded once)."""
    out: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in sorted(STRINGS_DIR.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        if header[0] != "key" or set(LANGS) - set(header[1:]):
            raise ValueError(f"{path.name}:1: header must be key,{','.join(LANGS)}")
        for n, row in enumerate(rows[1:], start=2):
            if not row or not row[0]:
                continue
            key = row[0]
            if key in out:
                raise ValueError(f"{path.name}:{n}: key {key!r} also defined in {where[key]}")
            texts = dict(zip(header[1:], row[1:]))
            missing = [lang for lang in LANGS if not texts.get(lang)]
            if missing:
                raise ValueError(f"{path.name}:{n}: key {key!r} has no {', '.join(missing)} text")
            out[key] = texts
            where[key] = f"{path.name}:{n}"
    return out


def has(key: str) -> bool:
    return key in table()


def tr(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The text for ``key`` in ``lang`` with ``values`` filled in."""
    try:
        text = table()[key][lang if lang in LANGS else DEFAULT_LANG]
    except KeyError:
        raise MissingText(key) from None
    if not values and "{" not in text:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError) as exc:
        raise MissingText(f"{key}: placeholder {exc} not given") from None


def placeholders(key: str) -> frozenset[str]:
    """The placeholders a text uses, in any language (found once per key: every text on a page asks)."""
    return _placeholders(key, id(table()))


@lru_cache(maxsize=None)
def _placeholders(key: str, _table: int) -> frozenset[str]:
    names = set()
    for text in table()[key].values():
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return frozenset(names)


# Keys removed with the plan-as-data refactor (they named the default plan's segments, annexes or period), and
# what replaces each: for the pages that still call them (tests/test_text.py lists those calls).
RENAMED_KEYS_FILE = Path(__file__).resolve().parent / "renamed_keys.csv"


def _renamed() -> dict[str, str]:
    """Keys removed with the plan-as-data refactor (they named the default plan's segments, annexes or period),
    each with what replaces it, from ``renamed_keys.csv`` (a record of old names, not texts anyone reads): for the
    pages that still call them (tests/test_text.py lists those calls)."""
    rows = list(csv.reader(io.StringIO(RENAMED_KEYS_FILE.read_text(encoding="utf-8"), newline="")))
    return {r[0]: r[1] for r in rows[1:] if r}


RENAMED_KEYS = _renamed()

"""The one cleaner of text that enters from outside: a file's cell, a link, a form, the command line.

Every text a reader or a form accepts goes through :func:`clean` before the model keeps it, so every writer (CSV, the
workbook, the Word and HTML documents) can take it as it is: python-docx and openpyxl refuse XML-invalid characters,
and a name that looks like another must be that other name.

What it does: Unicode NFC; control, format (zero-width, bidi), surrogate, private-use and unassigned characters
removed (white-space controls become a space); every kind of space one space, runs of them one, none at either end.
A multi-line text (a note) keeps its line breaks (CR LF and CR become LF; line and paragraph separators a line break)
and its tabs, with spaces collapsed and trimmed per line. ``limit`` cuts the result to at most that many characters.
"""
from __future__ import annotations

import functools
import re
import unicodedata

REMOVED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # control, format, surrogate, private use, unassigned
_SPACES = re.compile(r" {2,}")


# Characters clean() keeps as they are and NFC never changes: printable ASCII, the CJK unified ideographs, CJK
# punctuation (not the ideographic space, nor the tone marks, which NFC reorders), full-width forms and the common
# general punctuation (dashes, quotes, …).
# A one-line text of these and plain spaces only needs its spaces collapsed: the per-character pass is skipped
# (the default plan package's 5,522 cells: 11 → 3 ms). tests/test_cleaning.py checks every one of these characters.
_PLAIN = re.compile("[ !-~\u00b7\u2010-\u2027\u3001-\u3029\u3030-\u303f\u4e00-\u9fff\uff01-\uff5e]*")


def clean(value: str, *, multiline: bool = False, limit: int | None = None) -> str:
    """``value`` cleaned as the module says; anything that is not a ``str`` is returned unchanged (the caller
    refuses it with its own message)."""
    if not isinstance(value, str):
        return value
    if not multiline and _PLAIN.fullmatch(value):
        result = " ".join(value.split())
        return result[:limit] if limit is not None else result
    result = _cleaned(value, multiline)
    return result[:limit] if limit is not None else result


@functools.lru_cache(maxsize=4096)
def _cleaned(value: str, multiline: bool) -> str:
    """The per-character pass, once per distinct text: a spreadsheet's cells may all repeat one long shared string
    (a Python str caches its hash, so a repeat costs a lookup)."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if multiline and ch in "\n\t":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in REMOVED:
            if ch in "\t\n\r\v\f":
                out.append(" ")
            continue
        if cat in ("Zl", "Zp"):
            out.append("\n" if multiline else " ")
        else:
            out.append(" " if cat == "Zs" else ch)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip(" ") for line in "".join(out).split("\n")]
        return "\n".join(lines).strip("\n")
    return " ".join("".join(out).split())


def folded(text: str) -> str:
    """``text`` as a person reading or retyping it tells it apart: case, full/half width and spaces do not count
    (the one rule for codes, ids, units and headers that are compared so)."""
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def read_alike(first: dict, key, row, what: str) -> str | None:
    """The reason an id ``key`` at ``row`` is refused because another in the same file reads alike (case, width),
    or None after noting it in ``first`` (folded id -> (the first such id, its row)): one rule for every file."""
    f = folded(key) if isinstance(key, str) else key
    if f in first:
        return (f"{key!r} differs from {first[f][0]!r} (row {first[f][1]}) only in case or width: ids that read "
                f"alike are one {what} to a person")
    first[f] = (key, row)
    return None


def is_clean(value: str, *, multiline: bool = False) -> bool:
    """Whether ``value`` is what :func:`clean` would make of it."""
    return isinstance(value, str) and clean(value, multiline=multiline) == value


__all__ = ["clean", "is_clean", "REMOVED"]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would evaluate as a formula with an apostrophe (every CSV and workbook writer
    uses this one guard; :mod:`model.io.export` re-exports it)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value

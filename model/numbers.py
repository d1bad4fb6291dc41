"""The one way a number enters the model from text: a link, a file, a form or the command line.

Every text is bounded *before* it is converted (at most ``MAX_TEXT`` characters, plain decimal notation, an
exponent of at most three digits), so no input can make a conversion do work that grows with the number's
magnitude: ``int(Decimal("1e9999999"))`` would hold the interpreter for minutes and freeze every session of
the server. NaN, ±infinity and values that overflow a float are refused, each with a reason that names it.

Writers are here too, so that a number written to a file or a link reads back bit-exact.
"""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

MAX_TEXT = 64  # characters of one number: a float needs at most 24
MAX_INT_DIGITS = 18  # whole numbers (seeds, years, counts) stay far below this
WAN_PER_YI = 10_000.0  # 1亿元 = 10,000万元 (the plan's two money units)
SIG_DIGITS = 15  # what a spreadsheet keeps: values are rounded to this many significant digits on entry

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\uff0d": "-"})
_TYPO_OK = frozenset("\u2212\u2013")  # the typographic minus and the en dash (read as minus), which NFKC keeps


class NumberError(ValueError):
    """A text that is not an acceptable number; ``reason`` says why in a few words."""

    def __init__(self, reason: str, text: str = ""):
        self.reason = reason
        self.text = text[:40]
        super().__init__(f"{reason}: {self.text!r}" if text else reason)


def _clean(text) -> str:
    if not isinstance(text, str):
        raise NumberError("not text")
    if len(text) > 4 * MAX_TEXT:  # bound before normalising
        raise NumberError("too long", text)
    if not text.isascii():
        for ch in text:  # NFKC reads full-width forms and spaces as they look; a superscript, subscript, circled or
            # fraction digit it would turn into a plain one (10³ → "103", ① → "1") is not a number a reader meant
            if ch > "\x7f" and not ("\uff00" <= ch <= "\uffef" or ch.isspace()) and \
                    unicodedata.normalize("NFKC", ch) != ch and ch not in _TYPO_OK:
                raise NumberError("not a number", text)  # its reason as for any other text that is not one
    t = unicodedata.normalize("NFKC", text).translate(_MINUS).strip()
    if not t:
        raise NumberError("empty")
    if len(t) > MAX_TEXT:
        raise NumberError("too long", t)
    return t


def decimal(text: str) -> Decimal:
    """A bounded, finite :class:`~decimal.Decimal` from plain decimal text (``'7.5'``, ``'-3'``, ``'1e3'``).

    Full-width digits and the typographic minus are accepted (NFKC); thousands separators, ``nan``, ``inf``,
    hexadecimal and underscores are not.
    """
    t = _clean(text)
    if not _NUMBER.fullmatch(t):
        lowered = t.lower().lstrip("+-")
        if lowered in ("nan", "snan", "inf", "infinity"):
            raise NumberError("not a finite number", t)
        raise NumberError("not a number", t)
    try:
        return Decimal(t)
    except InvalidOperation:  # unreachable after the pattern; kept so no conversion error escapes unnamed
        raise NumberError("not a number", t) from None


def _to_float(d: Decimal, text: str) -> float:
    if d.adjusted() > 308:  # a float's range ends near 1.8e308
        raise NumberError("too large", text)
    f = float(d)
    if not math.isfinite(f):
        raise NumberError("too large", text)
    return 0.0 if f == 0 else f


def number(text: str) -> float:
    """A finite float from decimal text (see :func:`decimal`)."""
    return _to_float(decimal(text), text)


def integer(text: str) -> int:
    """A whole number (``'3'``, ``'3.0'``, ``'3e2'``); refuses fractions and anything over 18 digits."""
    d = decimal(text)
    if d.adjusted() >= MAX_INT_DIGITS:
        raise NumberError("too large", text)
    if d != d.to_integral_value():
        raise NumberError("not a whole number", text)
    return int(d)


def percent(text: str) -> float:
    """A rate (decimal) from percent text: ``'7.5'`` or ``'7.5%'`` → 0.075, read in decimal so it is bit-exact."""
    t = _clean(text)
    t = t[:-1].rstrip() if t.endswith("%") else t
    d = decimal(t)
    with localcontext() as ctx:
        ctx.prec = 60
        return _to_float(d.scaleb(-2), text)


def boolean(text: str) -> bool:
    """``'0'`` or ``'1'`` (also ``'true'``/``'false'``, ``'yes'``/``'no'``)."""
    t = _clean(text).lower()
    if t in ("1", "true", "yes"):
        return True
    if t in ("0", "false", "no"):
        return False
    raise NumberError("not 0 or 1", t)


# -- writers: shortest text that reads back bit-exact -----------------------------------------------

MAX_PLAIN = 30  # longer plain text (tiny or huge magnitudes) is written with an exponent instead


def _text(d: Decimal) -> str:
    text = format(d, "f")
    if text in ("-0", "", "0"):
        return "0"
    return text if len(text) <= MAX_PLAIN else str(d)


def rate_text(rate: float) -> str:
    """Shortest percent text ``t`` with :func:`percent` (t) == rate (plain decimal unless tiny or huge)."""
    return _text(Decimal(repr(float(rate))).scaleb(2).normalize())


def decimal_text(x: float) -> str:
    """Decimal text for a float: no thousands separator, bit-exact on reading (plain unless tiny or huge)."""
    return _text(Decimal(repr(float(x))).normalize())


def pct_to_rate(pct: float) -> float:
    """A percent shown on screen (float) to a decimal rate, via its shortest text."""
    return percent(repr(float(pct)))


def sig15(x: float) -> float:
    """``x`` rounded to 15 significant digits, what a spreadsheet keeps: every number a scenario holds is stored
    this way, so a file that passes through Excel or LibreOffice reads back to the same numbers and short ID."""
    if not math.isfinite(x):
        return x
    r = float(f"{x:.15g}")
    return 0.0 if r == 0 else r


def finite(x) -> bool:
    """A real, finite int or float (bools are not numbers here)."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False

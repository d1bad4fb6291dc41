"""model/numbers.py: the one parser every number from a link, file, form or command line goes through."""
from __future__ import annotations

import math
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import numbers as num

HUGE = ["1e9999999", "9" * 5000, "1" + "0" * 4000, "1e999", "-1e999", "1E+400", "1e-9999999", "9" * 65,
        "1" * 300, "0." + "0" * 500 + "1"]
NOT_NUMBERS = ["nan", "NaN", "inf", "-Infinity", "sNaN", "0x10", "1_000", "1,000", "7,50", "", "   ", "abc", "1e",
               "--1", "1.2.3", "½", "١٢٣", "1e+1000", "\x00", "e5"]


@pytest.mark.parametrize("text", HUGE + NOT_NUMBERS)
def test_bad_or_huge_text_is_refused_quickly_and_by_name(text):
    for parse in (num.number, num.integer, num.percent):
        t0 = time.thread_time()  # the parser's own CPU: a busy machine (CI's browser tests) does not count
        try:
            v = parse(text)
        except num.NumberError as exc:
            assert exc.reason in ("too long", "too large", "not a number", "not a finite number", "empty",
                                  "not a whole number", "not text")
        else:
            assert math.isfinite(v)  # a tiny value may read as a (finite) number
        assert time.thread_time() - t0 < 0.05


def test_known_answers():
    assert num.number("7.5") == 7.5 and num.number("-3") == -3.0 and num.number("1e3") == 1000.0
    assert num.number("１２.５") == 12.5  # full-width digits (an IME) read as digits
    assert num.number("\u22123") == -3.0  # the typographic minus
    assert num.integer("2021") == 2021 and num.integer("3.0") == 3 and num.integer("3e2") == 300
    with pytest.raises(num.NumberError):
        num.integer("1.5")
    with pytest.raises(num.NumberError):
        num.integer("1e18")  # 19 digits: no seed, year or count is that long
    assert num.percent("7.5") == 0.075 and num.percent("7.5%") == 0.075 and num.percent(" 10 ％") == 0.1
    assert num.boolean("1") is True and num.boolean("no") is False


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_writers_read_back_bit_exact(x):
    assert num.number(num.decimal_text(x)) == x
    assert num.percent(num.rate_text(x)) == pytest.approx(x, rel=1e-15, abs=1e-300) or abs(x) > 1e300


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_sig15_is_what_a_spreadsheet_keeps(x):
    q = num.sig15(x)
    assert num.sig15(q) == q  # idempotent
    assert len(num.rate_text(q).lstrip("-").replace(".", "").lstrip("0").rstrip("0")) <= 15 or "E" in num.rate_text(q)
    assert float(f"{q:.15g}") == q  # survives a round trip through 15 significant digits


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_any_text_parses_or_is_refused_within_50_ms(text):
    for parse in (num.number, num.integer, num.percent, num.boolean):
        t0 = time.thread_time()  # CPU of this thread: a loaded machine does not make it fail
        try:
            v = parse(text)
            assert not isinstance(v, float) or math.isfinite(v)
        except num.NumberError:
            pass
        assert time.thread_time() - t0 < 0.05


def test_finite_refuses_ints_too_large_for_a_float():
    assert not num.finite(10 ** 400) and not num.finite(True) and not num.finite(float("nan")) and num.finite(3)


_LOOKALIKE_DIGITS = [chr(c) for c in range(0x80, 0x3000) if not chr(c).isspace()
                     and any(ch.isdigit() for ch in unicodedata.normalize("NFKC", chr(c)))]


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789.", min_size=0, max_size=6), st.sampled_from(_LOOKALIKE_DIGITS),
       st.text("0123456789", min_size=0, max_size=3))
def test_a_digit_that_only_looks_like_one_is_never_read_as_one(before, odd, after):
    """10³ was read as 103, 7.5² as 7.52 and ① as 1 (NFKC): any superscript, subscript, circled, fraction or other
    compatibility digit makes the text not a number; full-width digits still read as digits."""
    assert _LOOKALIKE_DIGITS and "³" in _LOOKALIKE_DIGITS and "①" in _LOOKALIKE_DIGITS
    with pytest.raises(num.NumberError):
        num.number(before + odd + after)


@given(st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)))
def test_full_width_digits_still_read_as_digits(x):
    text = num.decimal_text(x)
    assert num.number(text.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})) == num.number(text)

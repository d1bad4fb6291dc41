"""What the AppTest page tests share: the no-error check, reading a metric, and the first number in a text."""
from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest


def ok(at: AppTest) -> None:
    """No exception and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def open_page(page: str, query: dict, timeout: int = 90) -> AppTest:
    """The app opened with the link parameters ``query``, then switched to ``page`` (a path under pages/), checked
    with :func:`ok`."""
    from tests.conftest import REPO

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    ok(at)
    return at


def metric(at: AppTest, startswith: str) -> str:
    """The value of the first metric whose label starts with ``startswith``."""
    for m in at.metric:
        if m.label.startswith(startswith):
            return m.value
    raise AssertionError(f"no metric {startswith!r} in {[m.label for m in at.metric]}")


def number(text: str) -> float:
    """The first number in a text: '1,400.0 亿元' -> 1400.0, '约49%（±1个百分点）' -> 49.0"""
    return float(re.search(r"[-+]?\d+(?:\.\d+)?", text.replace(",", "")).group())

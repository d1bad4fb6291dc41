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


def _in_moving(node) -> bool:
    from ui.layout import MOVING

    proto = getattr(node, "proto", None)
    return str(getattr(proto, "id", "") or "").split("-")[-1].startswith(MOVING + "_")


def outer_elements(at: AppTest) -> list:
    """Every element of the page's main area outside the moving part's containers (ui.layout.moving), with what it
    shows: type, label, value, help, options (a chart: its whole spec and data)."""
    out: list = []

    def walk(node) -> None:
        if _in_moving(node):
            return
        row = [type(node).__name__]
        for attr in ("label", "value", "help", "options", "disabled", "body"):
            try:
                row.append((attr, repr(getattr(node, attr))))
            except Exception:  # noqa: BLE001 - an attribute this element does not have
                continue
        if type(node).__name__ == "UnknownElement":
            row.append(str(node.proto))
        out.append(tuple(row))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at.main)
    return out


def moving_metrics(at: AppTest) -> list:
    """(label, value) of every metric inside the moving part's containers."""
    out: list = []

    def walk(node, inside: bool) -> None:
        inside = inside or _in_moving(node)
        if inside and type(node).__name__ == "Metric":
            out.append((node.label, node.value))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child, inside)

    walk(at.main, False)
    return out


def crafted_widget_states(monkeypatch) -> dict:
    """A dict of widget id -> JSON text that every later AppTest run sends as that widget's state (what a crafted
    browser message could carry: rows added to a fixed table, a disabled column edited …)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1 import element_tree as et

    sent: dict = {}
    original = et.ElementTree.get_widget_states

    def with_payload(self):
        states = original(self)
        for wid, value in sent.items():
            w = WidgetState()
            w.id, w.string_value = wid, value
            states.widgets.append(w)
        return states

    monkeypatch.setattr(et.ElementTree, "get_widget_states", with_payload)
    return sent


def where(file: str, row, col: str = "-", lang: str = "zh") -> str:
    """A problem's location as a page in ``lang`` shows it (``a.csv 第3行“value”列：`` on a Chinese page)."""
    from model.report.problems import localized

    return localized(f"{file}:{row}:{col}: ", lang).rstrip()


def wrapped_tables(at: AppTest) -> list:
    """The page's wrapped tables (ui.layout.wrapped_table), each as a DataFrame of its cells' text, its columns
    named by their keys (the headers' ``data-key``), in page order."""
    from html.parser import HTMLParser

    import pandas as pd

    class Table(HTMLParser):
        def __init__(self):
            super().__init__()
            self.keys, self.rows, self.cell = [], [], None

        def handle_starttag(self, tag, attrs):
            if tag == "th":
                self.keys.append(dict(attrs).get("data-key"))
            elif tag == "tr" and self.keys:
                self.rows.append([])
            elif tag == "td":
                self.cell = ""

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

        def handle_endtag(self, tag):
            if tag == "td":
                self.rows[-1].append(self.cell)
                self.cell = None

    out = []
    for el in at.get("html"):
        body = el.proto.body
        if 'class="wtable"' in body:
            parser = Table()
            parser.feed(body)
            out.append(pd.DataFrame(parser.rows, columns=parser.keys))
    return out

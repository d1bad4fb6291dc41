"""ui.layout.wrapped_table's HTML: any text, however hostile, is shown as written (never markup), every row and
column is kept in order, figures are marked for the right-aligned style; and the number formats it shows."""
from __future__ import annotations

import math
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from ui import layout

KEYS = st.lists(st.text("abcdefgh_", min_size=1, max_size=6), min_size=1, max_size=6, unique=True)
TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["<script>alert(1)</script>", "&amp;", "a\"b'c", ">1,600亿元",
                                                         "<b>x</b>", "]]>", "<!--", "\u202e", ""]), st.none())


class Parsed(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.heads, self.rows, self.cell, self.classes = [], [], [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "th":
            self.heads.append([a.get("data-key"), ""])
            self.cell = self.heads[-1]
        elif tag == "tr" and self.heads and self.cell is None:
            self.rows.append([])
        elif tag == "td":
            self.rows[-1].append("")
            self.classes.append(a.get("class", ""))
            self.cell = "td"

    def handle_data(self, data):
        if self.cell == "td":
            self.rows[-1][-1] += data
        elif self.cell is not None:
            self.cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None


@settings(max_examples=200, deadline=None)
@given(KEYS.flatmap(lambda keys: st.tuples(
    st.just(keys), st.lists(st.text(max_size=12), min_size=len(keys), max_size=len(keys)),
    st.lists(st.lists(TEXT, min_size=len(keys), max_size=len(keys)), max_size=8),
    st.sets(st.sampled_from(keys)))))
def test_every_text_is_shown_as_written_in_its_row_and_column(case):
    keys, titles, rows, figures = case
    heads = dict(zip(keys, titles))
    records = [dict(zip(keys, r)) for r in rows]
    p = Parsed()
    p.feed(layout.table_html(records, heads, figures=sorted(figures)))
    assert set(p.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}  # no markup from the cells
    assert p.heads == [[k, v] for k, v in heads.items()]
    assert p.rows == [["" if r.get(k) is None else str(r.get(k)) for k in keys] for r in records]
    for i, c in enumerate(p.classes):
        assert ("fig" in c.split()) == (keys[i % len(keys)] in figures)


@given(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(-10**12, 10**12).map(float)))
def test_figures_read_as_the_grid_showed_them(v):
    bad = v is None or not math.isfinite(v)
    s, p, m = layout.stated_text(v), layout.percent_text(v), layout.money_text(v)
    if bad:
        assert s == p == m == "—"
        return
    assert float(s.replace(",", "")) == float(layout.fmt(v, 2).replace(",", ""))  # at most two decimals, no zeros
    assert not (("." in s) and s.endswith("0")) and not s.endswith(".")
    assert p == layout.fmt(v, 1) + "%" and m == layout.fmt(v, 2)


def test_known_formats():
    assert layout.stated_text(1280.0) == "1,280" and layout.stated_text(46.5) == "46.5"
    assert layout.stated_text(2.345) == "2.35" and layout.percent_text(45.25) == "45.3%"
    assert layout.money_text(3.0) == "3.00" and layout.percent_text(float("nan")) == "—"

"""model/report/widths.py: column widths in which no word is split, with the table's total width kept."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from model.report.widths import CELL_PAD_MM, column_widths, longest_word_mm, text_mm, words


def test_words_break_at_spaces_and_between_chinese_characters_only():
    assert words("Planned (亿元)") == ["Planned", "(亿", "元)"]
    assert words("计划投资（亿元）") == ["计", "划", "投", "资", "（亿", "元）"]  # no line starts with ）or ends with （
    assert words("Self-funded by enterprises") == ["Self-funded", "by", "enterprises"]
    assert text_mm("Completion", bold=True) > text_mm("Completion") > text_mm("Compl")
    # a short Chinese word standing alone stays on one line: a column of 预/警/等/级 read badly
    assert words("预警等级") == ["预警等级"] and words("正常 预警") == ["正常", "预警"]
    assert words("园区总产值") == ["园", "区", "总", "产", "值"]


def test_a_narrow_first_column_is_widened_for_its_word():
    out, pt = column_widths(("Section", "Indicator"), [("1.1.2", "Rail")], (16, 154), 170.0)
    assert out[0] >= longest_word_mm("Section", pt, bold=True) + CELL_PAD_MM and abs(sum(out) - 170) < 1e-9


TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ 田心片区清水塘（）1.,%—", min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=6), st.tuples(*[st.floats(5, 100)] * 3),
       st.floats(60, 250))
def test_widths_keep_the_total_and_fit_every_word_when_they_can(rows, wanted, total):
    head = ("Section", "Metric", "Value")
    out, pt = column_widths(head, rows, wanted, total)
    assert abs(sum(out) - total) < 1e-6 and all(w > 0 for w in out)
    need = [max([longest_word_mm(h, pt, bold=True)] + [longest_word_mm(r[i], pt) for r in rows]) + CELL_PAD_MM
            for i, h in enumerate(head)]
    if sum(need) <= total:
        assert all(w >= n - 1e-6 for w, n in zip(out, need))

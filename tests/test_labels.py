"""model/report/labels.py: one number style, honest probabilities, field labels and values."""
from __future__ import annotations

from model import presets
from model.report.labels import (assumption_rows, fmt, fmt_stated, gap_phrase, pct, points, preset_name,
                                 probability)


def test_number_style():
    assert fmt(1015.625, 2) == "1,015.63" and fmt(1600) == "1,600.0" and fmt(float("nan")) == "—"
    assert fmt(-0.04) == "0.0" and fmt_stated(975.0) == "975" and pct(0.07504) == "7.50%"
    assert points(0.0125, "zh") == "+1.25个百分点"


def test_gaps_and_probabilities_never_overstate():
    assert gap_phrase(0.04, "zh") == "与目标持平" and gap_phrase(-3.21, "zh") == "低于目标3.2亿元"
    assert probability(0.4987, 10_000, "zh") == "约50%（±1个百分点）"
    assert probability(0.001, 10_000, "zh") == "不足1%" and probability(0.998, 10_000, "en") == "above 99%"


def test_presets_read_by_name_and_assumptions_by_label(plan_data):
    assert preset_name("plan-targets", "zh") == "规划目标情景" and preset_name("区长汇报", "zh") == "区长汇报"
    rows = dict((a, b) for a, b, _ in assumption_rows(presets(plan_data)["historical-trend"], "zh", plan_data))
    assert rows["轨道交通产业年均增长"] == "5.10%"  # the value carries the unit: no "（%）" in the label and rows["情景名称"] == "历史趋势情景"


def test_rates_are_not_labelled_with_the_unit_their_value_carries(plan_data):
    for lang in ("zh", "en"):
        for label, value, unit in assumption_rows(presets(plan_data)["plan-targets"], lang, plan_data):
            assert not (value.endswith("%") and "%" in label), (label, value)


def test_halves_round_up_everywhere():
    """1,015.625 is 1,015.63 in every text (Python's own format gives 1,015.62: two values in one document)."""
    assert fmt(1015.625, 2) == "1,015.63" and fmt(0.125, 2) == "0.13" and fmt(2.5, 0) == "3"
    assert pct(0.000125, 3) == "0.013%" and fmt(-2.5, 0) == "-3"


def test_no_module_formats_a_number_for_people_itself():
    """Every number shown to a person goes through labels.fmt / pct (one rounding, one separator style): no
    format spec with fixed decimals elsewhere in model/, ui/, pages/ (CSS and chart geometry say ``# format-ok``)."""
    import re
    from tests.conftest import REPO

    spec = re.compile(r"\{[^{}]*:[+\- ]?,?\.(?:\d+|\{[^}]*\})[f%]\}")
    found = []
    for folder in ("model", "ui", "pages", "app.py"):
        for path in sorted((REPO / folder).rglob("*.py")) if folder != "app.py" else [REPO / folder]:
            if path.name == "labels.py":
                continue
            for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if spec.search(line) and "# format-ok" not in line:
                    found.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
    assert not found, "\n".join(found)


def test_stated_values_keep_the_plans_decimals_with_separators_and_units_in_the_language():
    from model.report.labels import stated_value

    assert stated_value(1600, "亿元", "zh") == "1,600亿元" and stated_value(1600.0, "亿元", "en") == "1,600 亿元"
    assert stated_value(1238.56, "万元/亩", "zh") == "1,238.56万元/亩" and stated_value(1500, "亩", "en") == "1,500 mu"
    assert stated_value(5.1, "%/年", "en") == "5.1 %/yr" and stated_value(96, "%", "zh") == "96%"


def test_dates_read_as_documents_print_them():
    import datetime as dt

    from model.report.labels import date_text

    assert date_text(dt.date(2026, 1, 5), "zh") == "2026年1月5日" and date_text(dt.date(2026, 1, 5), "en") == "2026-01-05"


def test_rounded_numbers_round_like_the_texts():
    from model.report.labels import rounded

    assert rounded(1015.625) == 1015.63 and rounded(2.675) == 2.68 and rounded(None) is None
    assert rounded(float("nan")) != rounded(float("nan"))  # missing stays missing


def test_zero_is_what_shows_as_zero():
    from model.report.labels import rounds_to_zero, signed

    assert rounds_to_zero(0.04) and rounds_to_zero(-0.049) and not rounds_to_zero(0.05) and not rounds_to_zero(-0.05)
    assert signed(0.04) == "0.0" and signed(0.05) == "+0.1" and signed(-0.05) == "-0.1" and points(0.0, "en") == "0.00 pp"


def test_units_in_english_never_carry_a_chinese_measure_word_and_chinese_keeps_every_unit():
    """One place for units (model.report.labels): a count reads 150 in English (the indicator names the thing),
    a time or length its English name; in Chinese every figure keeps its unit as the plan writes it (m as 米)."""
    import re

    from hypothesis import given, strategies as st

    from model.report.evaluation_report import fig
    from model.report.labels import inline_unit, stated_value, unit_text
    from model.units import COUNT_UNITS, UNITS

    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert {"家", "个", "所", "名"} <= set(COUNT_UNITS) and "万人" not in COUNT_UNITS

    @given(st.sampled_from(sorted(UNITS)), st.integers(0, 10**6))
    def check(unit, v):
        en = stated_value(v, unit, "en")
        if unit in COUNT_UNITS:
            assert en == fmt(v, 0) and fig(v, unit, "en", stated=True) == fmt(v, 0) and inline_unit(unit, "en") == ""
            assert unit_text(unit, "en") == "number"
        if unit in ("分钟", "m", "亩"):
            assert not cjk.search(en), en
        zh = stated_value(v, unit, "zh")
        assert zh.endswith(unit_text(unit, "zh")) and unit_text(unit, "zh")

    check()
    assert unit_text("m", "zh") == "米" and stated_value(15, "分钟", "en") == "15 minutes"


def test_a_project_is_named_with_its_id(plan_data):
    from model.report.labels import named_ids

    p = plan_data.projects
    i = p["project_id"].iloc[0]
    assert named_ids(p, [i, "ZZ99"], "zh") == [f"{i} {p['name_zh'].iloc[0]}", "ZZ99"]
    assert named_ids(p, [i], "en") == [f"{i} {p['name_en'].iloc[0]}"]
    assert named_ids(p, [], "zh") == [] and named_ids(p, iter([i]), "zh") == [f"{i} {p['name_zh'].iloc[0]}"]
    no_en = p.assign(name_en=None)
    assert named_ids(no_en, [i], "en") == [f"{i} {p['name_zh'].iloc[0]}"]  # no English name: the Chinese one
    assert named_ids(p.drop(columns=["name_en"]), [i], "en") == [f"{i} {p['name_zh'].iloc[0]}"]

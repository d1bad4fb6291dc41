"""model/calc/plancheck.py: a package whose presets cannot run, or whose link codes clash with the app's, fails the
check with the file named."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.calc.plancheck import check_plan
from model.plan.tables import load_plan_data
from tests.plans_support import PACKAGES, copy_package, read, write


def test_clashing_link_codes_fail_the_check(tmp_path):
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    header, rows = read(folder / "segments.csv")
    write(folder / "segments.csv", header, [{**r, "code": "d"} if r["segment_id"] == "materials" else r for r in rows])
    problems = check_plan(load_plan_data(folder))
    assert any("link code 'd'" in p for p in problems), problems


def test_a_preset_rule_the_plan_cannot_serve_is_left_out(tmp_path):
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    (folder / "presets.csv").write_text("preset,segment,rule,name_zh\nmine,*,required,我的\ntrend,*,trend,趋势\n",
                                        encoding="utf-8")
    from model.scenario.presets import presets

    data = load_plan_data(folder)
    assert list(presets(data)) == ["mine"] and check_plan(data) == []


def test_a_bad_default_names_its_row(tmp_path):
    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    (folder / "defaults.csv").write_text("parameter,value\nio_ratio,99\n", encoding="utf-8")
    assert any(p.startswith("defaults.csv:2:value") for p in check_plan(load_plan_data(folder)))


def test_a_tasks_file_the_monitoring_cannot_read_fails_the_check_and_the_page_names_its_row(tmp_path):
    """tasks.csv is read when the monitoring or the register first needs it: `check` reads it too, so a package
    that passes the check works in every command; a page that meets it anyway names file, row and column."""
    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "tasks.csv")
    i = next(k for k, r in enumerate(rows) if r["kind"] == "task")
    rows[i] = {**rows[i], "lead_unit": "不在原文中的单位"}
    write(folder / "tasks.csv", header, rows)
    problems = check_plan(load_plan_data(folder))
    assert problems and problems[0].startswith(f"tasks.csv:{i + 2}:lead_unit:"), problems
    assert check_plan(load_plan_data(PACKAGES["default"])) == []


def test_the_packages_horizon_is_where_its_scenarios_project_to_and_is_checked(tmp_path):
    from model.plan.tables import DataError
    from model.scenario.presets import presets

    folder = copy_package(PACKAGES["one-segment"], tmp_path / "p")
    text = (folder / "plan.csv").read_text(encoding="utf-8")
    (folder / "plan.csv").write_text(text.rstrip("\n") + "\nhorizon,2035\n", encoding="utf-8")
    data = load_plan_data(folder)
    assert {s.horizon for s in presets(data).values()} == {2035} and check_plan(data) == []
    (folder / "plan.csv").write_text(text.rstrip("\n") + "\nhorizon,2050\n", encoding="utf-8")
    try:
        load_plan_data(folder)
    except DataError as exc:
        assert any(p.startswith("plan.csv:-:horizon:") for p in exc.problems), exc.problems
    else:
        raise AssertionError("a horizon beyond the product's span loads")


def test_a_long_term_target_is_never_read_as_a_segments_target(tmp_path):
    """A segment whose target_id named the 2035 row was projected to 2030 against it (the growth needed 30 %/yr
    instead of 14 %, a residual's −30 %): the package is refused with the row and the remedy named."""
    from model.plan.tables import DataError
    import pytest

    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    header, rows = read(folder / "segments.csv")
    write(folder / "segments.csv", header,
          [{**r, "target_id": "output_total_2035"} if r["segment_id"] == "industry" else r for r in rows])
    with pytest.raises(DataError) as exc:
        load_plan_data(folder)
    assert any(p.startswith("segments.csv:2:target_id:") and "long-term target (2035)" in p
               for p in exc.value.problems), exc.value.problems


def test_a_column_enumerations_csv_does_not_list_takes_any_value(tmp_path):
    """The format README: "a column not listed takes any value (named as written)". A project's nature was refused
    as "unknown value '新建' (allowed: @nature)" without an enumerations.csv, or with one listing other columns."""
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    header, rows = read(folder / "projects.csv")
    assert rows, "the package has projects"
    extra = [h for h in ("category", "nature") if h not in header]
    write(folder / "projects.csv", header + extra, [{**r, "category": "产业项目", "nature": "新建"} for r in rows])
    (folder / "enumerations.csv").unlink(missing_ok=True)
    data = load_plan_data(folder)
    assert set(data.projects["nature"]) == {"新建"} and set(data.projects["category"]) == {"产业项目"}
    (folder / "enumerations.csv").write_text("column,value,code,name_zh,name_en,flag\ncategory,产业项目,,产业项目,"
                                             "Industrial,\n", encoding="utf-8")
    assert set(load_plan_data(folder).projects["nature"]) == {"新建"}
    (folder / "enumerations.csv").write_text("column,value,code,name_zh,name_en,flag\nnature,续建,,续建,Ongoing,\n",
                                             encoding="utf-8")
    import pytest

    from model.plan.tables import DataError

    with pytest.raises(DataError) as exc:  # a listed column still holds to its list
        load_plan_data(folder)
    assert any(":nature: unknown value '新建' (allowed: 续建)" in p for p in exc.value.problems), exc.value.problems


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("spell", [str.upper, _wide, lambda c: _wide(c.upper()), str.title])
@pytest.mark.parametrize("of", ["segment", "app"])
def test_link_codes_differing_only_in_case_or_width_fail_the_check(tmp_path, spell, of):
    """A link is read aloud, retyped from minutes or a slide: `MAT=9` for `mat`, or `ＬＡＮＧ`, is another parameter
    to the decoder and the same one to a person. Codes equal but for case or width fail the check, naming both."""
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    header, rows = read(folder / "segments.csv")
    code = spell("eq" if of == "segment" else "lang")
    write(folder / "segments.csv", header, [{**r, "code": code} if r["segment_id"] == "materials" else r
                                            for r in rows])
    problems = check_plan(load_plan_data(folder))
    assert any(f"{code!r}" in p and "only in case or width" in p and p.startswith("segments.csv:")
               for p in problems), problems
    assert check_plan(load_plan_data(PACKAGES["four-industries"])) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([1e-6, 1e-3, 0.01, 1e6, 1e7]))
def test_a_base_and_target_no_growth_joins_are_named_at_their_rows(tmp_path_factory, base):
    """A base of 0.000001 亿元 (a unit slip) was reported as "presets.csv:-:-: growth.park: 4473 % outside …" in a
    package without a presets.csv. The growth out of range is named at the target's row, with its base's row."""
    from model.calc.plancheck import check_plan
    from model.plan.tables import DataError, load_plan_data
    from tests.plans_support import PACKAGES, copy_package, read, write

    folder = copy_package(PACKAGES["one-segment"], tmp_path_factory.mktemp("b") / "p")
    data = load_plan_data(folder)
    root = data.segments.root
    b, t = data.segment_base_row(root), data.segment_target_row(root)
    header, rows = read(folder / "indicators.csv")
    for r in rows:
        if r["indicator_id"] == b["indicator_id"]:
            r["value"] = repr(base)
    write(folder / "indicators.csv", header, rows)
    try:
        problems = check_plan(load_plan_data(folder))
    except DataError as exc:
        problems = exc.problems
    years = t["year"] - b["year"]
    need = (t["value"] / base) ** (1 / years) - 1
    if not -0.99 <= need <= 5.0:
        assert any(p.startswith(f"indicators.csv:{t['src_row']}:value:") and f"row {b['src_row']}" in p
                   for p in problems), problems
        assert not any(p.startswith("presets.csv") for p in problems), problems

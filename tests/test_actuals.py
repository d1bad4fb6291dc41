"""Actuals files: strict loading (every problem as file:row:column), templates that load back, canonical text and
short IDs, encodings and .xlsx, size caps, the city-series estimate. Fixtures in tests/fixtures/actuals/ are
synthetic."""
from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io.actuals import (ESTIMATE, FILE_ORDER, MAX_ACTUALS_BYTES, MAX_ACTUALS_ROWS, PRE_BASE_YEARS, ActualsSet,
                              ProjectActuals, RoadActuals, calendar_of, canonical_measure, estimate_from_city,
                              estimate_rail_from_city, template_tables, template_xlsx, year_bounds)
from model.io.export import csv_bytes
from model.plan.calendar import HORIZON_SPAN
from model.plan.registry import plan_calendar
from model.plan.tables import DataError
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "actuals"
HEAD = "indicator_id,year,value,unit,measure,source,note\n"


def problems(cls, text: str, data, label="a.csv") -> list[str]:
    with pytest.raises(DataError) as exc:
        cls.from_bytes(text.encode("utf-8"), label, data)
    return exc.value.problems


def target(data, which: str) -> dict:
    """The target row of the plan's root segment (``total``) or of its first part with a target (``part``): by the
    package's segments, never by a plan's ids."""
    tree = data.segments
    if which == "total":
        return data.segment_target_row(tree.root)
    return data.segment_target_row(next(s for s in tree.with_targets if s != tree.root))


# -- year bounds ----------------------------------------------------------------------------------------

def test_year_bounds_are_derived_from_the_plan_calendar():
    cal = plan_calendar()
    lo, hi = year_bounds(cal)
    assert (lo, hi) == (cal.base_year - PRE_BASE_YEARS, max(cal.target_year, cal.long_term_year or 0) + HORIZON_SPAN)


def test_years_just_inside_the_bounds_load_and_just_outside_are_refused(plan_data):
    t = target(plan_data, "part")
    lo, hi = year_bounds(calendar_of(plan_data))
    ok = f"{t['indicator_id']},{lo},1,{t['unit']},总产值,,\n{t['indicator_id']},{hi},1,{t['unit']},总产值,,\n"
    assert len(ActualsSet.from_bytes((HEAD + ok).encode(), "a.csv", plan_data)) == 2
    bad = f"{t['indicator_id']},{lo - 1},1,{t['unit']},总产值,,\n{t['indicator_id']},{hi + 1},1,{t['unit']},总产值,,\n"
    found = problems(ActualsSet, HEAD + bad, plan_data)
    assert [p.split(": ")[0] for p in found] == ["a.csv:2:year", "a.csv:3:year"]
    assert f"outside {lo}–{hi}" in found[0]


# -- templates ------------------------------------------------------------------------------------------

def test_template_has_every_target_and_plan_year_and_loads_back_empty(plan_data):
    tables = template_tables(plan_data)
    cal = calendar_of(plan_data)
    years = list(range(cal.plan_first_year, cal.plan_last_year + 1))
    n_targets = int(plan_data.indicators["kind"].isin(("target", "monitoring")).sum())
    a = tables["actuals"]
    assert list(a.columns)[:9] == list(FILE_ORDER) == ["indicator_id", "year", "value", "unit", "measure", "scope",
                                                      "vintage", "source", "note"]
    assert len(a) == n_targets * len(years)
    assert sorted(set(a["year"])) == years
    assert a["value"].isna().all()
    assert len(tables["projects"]) == len(plan_data.projects) * len(years)
    assert len(tables["roads"]) == len(plan_data.roads) * len(years)
    assert len(ActualsSet.from_bytes(csv_bytes(a), "t.csv", plan_data)) == 0
    assert len(ProjectActuals.from_bytes(csv_bytes(tables["projects"]), "t.csv", plan_data)) == 0
    assert len(RoadActuals.from_bytes(csv_bytes(tables["roads"]), "t.csv", plan_data)) == 0


def test_xlsx_template_has_three_sheets_that_load_back_empty(plan_data):
    import openpyxl

    raw = template_xlsx(template_tables(plan_data))
    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    assert wb.sheetnames == ["actuals", "projects", "roads"]
    header = [c.value for c in next(wb["actuals"].iter_rows(max_row=1))]
    assert header[:9] == list(FILE_ORDER)  # scope and vintage after measure, as the CSV
    wb.close()
    for cls in (ActualsSet, ProjectActuals, RoadActuals):
        assert len(cls.from_bytes(raw, "t.xlsx", plan_data)) == 0


def test_a_filled_xlsx_loads_the_same_numbers_as_csv(plan_data):
    import openpyxl

    t = target(plan_data, "total")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actuals"
    ws.append(["indicator_id", "year", "value", "unit", "measure", "source", "note"])
    ws.append([t["indicator_id"], int(t["year"]) - 1, 1234.5678, t["unit"], "总产值", "x", None])
    buf = io.BytesIO()
    wb.save(buf)
    got = ActualsSet.from_bytes(buf.getvalue(), "filled.xlsx", plan_data)
    csv_text = HEAD + f"{t['indicator_id']},{int(t['year']) - 1},1234.5678,{t['unit']},总产值,x,\n"
    assert got == ActualsSet.from_bytes(csv_text.encode(), "filled.csv", plan_data)
    assert got.rows[0][2] == 1234.5678


def test_a_damaged_xlsx_is_a_data_error_not_a_crash(plan_data):
    raw = template_xlsx(template_tables(plan_data))
    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(raw[: len(raw) // 2], "half.xlsx", plan_data)
    assert exc.value.problems[0].startswith("half.xlsx:1:-: not a readable .xlsx")


# -- the synthetic fixtures -----------------------------------------------------------------------------

def test_fixture_files_load(plan_data):
    a = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    p = ProjectActuals.from_path(FIX / "projects.csv", plan_data)
    r = RoadActuals.from_path(FIX / "roads.csv", plan_data)
    assert len(a) == 9 and len(p) == 7 and len(r) == 3
    # an older file's status 新增 is read as the flag "new" (the 9th field), the status left blank
    assert ("N01", 2023, 2.0, "", "synthetic new project", "合成新增项目", "清水塘片区", "产业发展", "1") in p.rows
    assert all(len(r) == 9 for r in a.rows) and all(len(r) == 9 for r in p.rows)


def test_every_problem_of_a_bad_file_is_listed_with_row_and_column(plan_data):
    with pytest.raises(DataError) as exc:
        ActualsSet.from_path(FIX / "bad_actuals.csv", plan_data)
    found = exc.value.problems
    where = [p.split(": ")[0] for p in found]
    assert "bad_actuals.csv:2:indicator_id" in where  # unknown indicator
    assert "bad_actuals.csv:3:value" in where  # not a number
    assert "bad_actuals.csv:4:indicator_id" in where  # duplicate id + year
    assert "bad_actuals.csv:5:unit" in where  # unit differs
    assert "bad_actuals.csv:6:year" in where  # outside the bounds
    assert "bad_actuals.csv:7:indicator_id" in where  # a baseline row, not a target
    assert "bad_actuals.csv:8:-" in where  # more cells than the header
    assert "bad_actuals.csv:9:value" in where  # negative money
    assert len(found) == 8, found


@pytest.mark.parametrize("text, where, words", [
    ("indicator_id,year,value,unit,measure,source\n", "a.csv:1:note", "missing column"),
    ("indicator_id,year,value,unit,measure,source,note,colour\n", "a.csv:1:colour", "unknown column"),
    ("indicator_id,year,value,unit,measure,source,note,note\n", "a.csv:1:note", "duplicate column"),
])
def test_header_problems(plan_data, text, where, words):
    found = problems(ActualsSet, text, plan_data)
    assert any(p.startswith(where) and words in p for p in found), found


@pytest.mark.parametrize("row, where, words", [
    ("{id},{y},10,{u},,,", "a.csv:2:measure", "required with a value"),
    ("{id},{y},10,,总产值,,", "a.csv:2:unit", "required with a value"),
    ("{id},{y},,,定性,,已完成", "a.csv:2:measure", "numeric target"),
    ("{id},{y},nan,{u},总产值,,", "a.csv:2:value", "not a finite number"),
    ("{id},{y},1e999,{u},总产值,,", "a.csv:2:value", "too large"),
    ("{id},,10,{u},总产值,,", "a.csv:2:year", "required value is empty"),
    ("{id},20x5,10,{u},总产值,,", "a.csv:2:year", "not a number"),
    (",{y},10,{u},总产值,,", "a.csv:2:indicator_id", "required value is empty"),
])
def test_row_problems(plan_data, row, where, words):
    t = target(plan_data, "total")
    text = HEAD + row.format(id=t["indicator_id"], y=int(t["year"]), u=t["unit"]) + "\n"
    found = problems(ActualsSet, text, plan_data)
    assert any(p.startswith(where) and words in p for p in found), found


def test_qualitative_assessment_rules(plan_data):
    ind = plan_data.indicators
    qual = ind[(ind["kind"] == "target") & (ind["comparator"] == "qual")]
    if qual.empty:
        pytest.skip("no qualitative target in data/ yet")
    qid = qual["indicator_id"].iloc[0]
    good = ActualsSet.from_bytes((HEAD + f"{qid},2025,,,定性,,已完成\n").encode(), "a.csv", plan_data)
    assert good.rows[0][4] == "定性" and good.rows[0][6] == "已完成"
    found = problems(ActualsSet, HEAD + f"{qid},2025,3,个,定性,,已完成\n{qid},2024,,,定性,,快好了\n", plan_data)
    assert any(p.startswith("a.csv:2:value") for p in found)
    assert any(p.startswith("a.csv:3:note") and "已完成" in p for p in found)


def test_project_rules(plan_data):
    head = "project_id,year,invested_yi,status,note,name,area,category\n"
    found = problems(ProjectActuals, head + "\n".join([
        "X99,2022,1,在建,,,,",  # unknown, not marked 新增
        "N01,2022,1,新增,,,,",  # new without name, area, category
        "N02,2022,1,新增,,名,火星片区,产业发展",  # area not in the schema's enum
        "P01,2022,-1,在建,,,,",  # negative money
        "P01,2023,1,建设中,,,,",  # unknown status
        "P02,2022,1,新增,,,,",  # an Annex 1 project marked new
        "P03,2022,1,在建,,,清水塘片区,",  # area differing from Annex 1
    ]) + "\n", plan_data)
    where = {p.split(": ")[0] for p in found}
    assert {"a.csv:2:project_id", "a.csv:3:name", "a.csv:3:area", "a.csv:3:category", "a.csv:4:area",
            "a.csv:5:invested_yi", "a.csv:6:status", "a.csv:7:new"} <= where
    annex_area = plan_data.projects.set_index("project_id").loc["P03", "area"]
    assert ("a.csv:8:area" in where) == (annex_area != "清水塘片区")


def test_road_rules(plan_data):
    head = "road_id,year,invested_wan,length_built_m,status,note\n"
    found = problems(RoadActuals, head + "R99,2022,1,1,在建,\nR01,2022,1,-3,在建,\nR01,2023,1,1,新增,\n", plan_data)
    where = [p.split(": ")[0] for p in found]
    assert where == ["a.csv:2:road_id", "a.csv:3:length_built_m", "a.csv:4:status"]


# -- encodings, caps, canonical text --------------------------------------------------------------------

def test_utf8_bom_and_gbk_give_the_same_set(plan_data):
    text = (FIX / "actuals.csv").read_text(encoding="utf-8")
    sets = [ActualsSet.from_bytes(raw, "a.csv", plan_data) for raw in
            (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gbk"))]
    assert sets[0] == sets[1] == sets[2]
    assert sets[0].short_id == sets[2].short_id


def test_size_caps_refuse_before_parsing(plan_data):
    big = (HEAD + "x" * (MAX_ACTUALS_BYTES + 1)).encode()
    assert "larger than 1 MB" in problems(ActualsSet, big.decode(), plan_data)[0]
    many = HEAD + "\n" * (MAX_ACTUALS_ROWS + 5)
    assert f"more than {MAX_ACTUALS_ROWS:,} rows" in problems(ActualsSet, many, plan_data)[0]


def test_binary_and_empty_files_are_refused(plan_data):
    assert "empty" in problems(ActualsSet, "", plan_data)[0]
    with pytest.raises(DataError):
        ActualsSet.from_bytes("indicator_id,year\n".encode("utf-16"), "a.csv", plan_data)


def test_canonical_text_round_trips_and_gives_the_short_id(plan_data):
    a = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    text = a.to_csv_text()
    assert ActualsSet.from_bytes(text.encode("utf-8"), "again.csv", plan_data) == a
    assert a.short_id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    shuffled = HEAD + "\n".join(reversed((FIX / "actuals.csv").read_text(encoding="utf-8").splitlines()[1:])) + "\n"
    assert ActualsSet.from_bytes(shuffled.encode(), "s.csv", plan_data).short_id == a.short_id  # order-free
    for cls, name in ((ProjectActuals, "projects.csv"), (RoadActuals, "roads.csv")):
        x = cls.from_path(FIX / name, plan_data)
        assert cls.from_bytes(x.to_csv_bytes(), name, plan_data) == x


def test_formula_like_text_is_neutralised_on_entry(plan_data):
    t = target(plan_data, "total")
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},2023,1,{t['unit']},总产值,=HYPERLINK(1),@x\n").encode(),
                              "a.csv", plan_data)
    assert a.rows[0][5] == "'=HYPERLINK(1)" and a.rows[0][6] == "'@x"
    assert ActualsSet.from_bytes(a.to_csv_text().encode(), "a.csv", plan_data) == a


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10), st.floats(0, 1e7).filter(lambda v: v == 0 or v >= 1e-9),  # 亿元's range
                          st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)),
                max_size=8, unique_by=lambda t: t[0]))
def test_any_valid_set_round_trips_through_its_canonical_text(plan_data, rows):
    t = target(plan_data, "part")
    lo = year_bounds(calendar_of(plan_data))[0]
    import csv as _csv

    buf = io.StringIO()
    w = _csv.writer(buf)
    w.writerow(HEAD.strip().split(","))
    for k, v, note in rows:
        w.writerow([t["indicator_id"], lo + k, repr(v), t["unit"], "总产值", "", note])
    a = ActualsSet.from_bytes(buf.getvalue().encode("utf-8"), "h.csv", plan_data)
    assert ActualsSet.from_bytes(a.to_csv_text().encode("utf-8"), "h.csv", plan_data) == a
    assert [r[2] for r in a.rows] == [v for _, v, _ in sorted(rows)]


# -- estimate and merge ---------------------------------------------------------------------------------

def test_measure_spellings_map_to_one_form():
    assert canonical_measure(" City level ") == "city-level" == canonical_measure("市级")
    assert canonical_measure("估算") == ESTIMATE
    assert canonical_measure("总产值") == "总产值"


def test_rail_estimate_uses_the_city_series_and_the_base_share_and_is_labelled(plan_data):
    est = estimate_rail_from_city(plan_data)
    cal = calendar_of(plan_data)
    pf = plan_data.public_figures
    t = target(plan_data, "part")
    city = pf[(pf["scope"] == "city") & (pf["unit"] == t["unit"]) & (pf["year"] > cal.base_year)
              & (pf["year"] <= cal.target_year)]
    share = plan_data.role("share_of_city") / 100
    assert len(est) == len(city)
    for r, (_, c) in zip(est.rows, city.sort_values("year").iterrows()):
        assert r[0] == t["indicator_id"] and r[1] == c["year"] and r[4] == ESTIMATE
        assert r[2] == pytest.approx(c["value"] * share, rel=1e-12)


def test_reported_actuals_win_over_estimates_when_merged(plan_data):
    est = estimate_rail_from_city(plan_data)
    if not len(est):
        pytest.skip("no city figure in the plan years")
    t = target(plan_data, "part")
    y = est.rows[0][1]
    mine = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},{y},1000,{t['unit']},总产值,,\n").encode(), "a.csv",
                                 plan_data)
    merged = mine.merged(est)
    assert len(merged) == len(est)
    assert [r for r in merged.rows if r[1] == y] == list(mine.rows)


def test_comparators_are_written_without_a_formula_guard_and_old_spellings_still_load(plan_data):
    """The template and evaluation.csv spell comparators as the plan's symbols (model.io.export.COMPARATOR_FILE_TEXT),
    none a formula starter, so no cell shows the guard ('=); files with the old spellings (=, '=, >=) still load."""
    from model.calc.evaluation import evaluate
    from model.io.export import COMPARATOR_FILE_TEXT, comparator_code
    from model.report.evaluation_report import evaluation_files, template_files

    for text in COMPARATOR_FILE_TEXT.values():
        assert text[:1] not in "=+-@'"
        assert comparator_code(text) in COMPARATOR_FILE_TEXT
    raw = template_files(plan_data)["actuals-template.csv"].decode("utf-8-sig")
    assert "'=" not in raw and ",=," not in raw and ",>=," not in raw
    assert "≥" in raw or "＝" in raw or "＞" in raw
    ev = evaluate(plan_data, ActualsSet.from_path(REPO / "tests" / "fixtures" / "actuals" / "actuals.csv", plan_data))
    out = evaluation_files(plan_data, ev)["evaluation.csv"].decode("utf-8-sig")
    assert "'=" not in out and "'>" not in out
    a = template_tables(plan_data)["actuals"].head(6).copy()
    a["value"] = [1.0] * len(a)
    base = ActualsSet.from_bytes(csv_bytes(a), "new.csv", plan_data)
    for old in ("=", "'=", ">=", "≥", "约"):
        b = a.assign(comparator=old)
        assert ActualsSet.from_bytes(csv_bytes(b), "old.csv", plan_data).short_id == base.short_id, old
        assert comparator_code(old) in COMPARATOR_FILE_TEXT
    assert comparator_code("'=") == "=" and comparator_code(">=") == ">=" and comparator_code("≥") == ">="


# -- scope, vintage, monitoring rows and new projects (issue #23) ----------------------------------------------------

FULL = "indicator_id,year,value,unit,measure,scope,vintage,source,note\n"


def test_scope_and_vintage_are_fields_of_their_own_in_any_spelling(plan_data):
    t = target(plan_data, "total")
    i, u = t["indicator_id"], t["unit"]
    a = ActualsSet.from_bytes((FULL + f"{i},2023,1,{u},总产值,市,年报,s,\n{i},2023,2,{u},总产值,province,revised,s,\n"
                                      f"{i},2023,3,{u},总产值,,快报,s,\n").encode(), "a.csv", plan_data)
    by = {(r["scope"], r["vintage"]): r["value"] for r in a.records()}
    assert by == {("city", "annual"): 1.0, ("province", "revised"): 2.0, ("", "flash"): 3.0}
    found = problems(ActualsSet, FULL + f"{i},2023,1,{u},总产值,火星,年报,s,\n{i},2024,1,{u},总产值,园区,草稿,s,\n",
                     plan_data)
    assert [p.split(": ")[0] for p in found] == ["a.csv:2:scope", "a.csv:3:vintage"]


def test_an_older_file_whose_measure_says_city_level_reads_it_as_the_scope(plan_data):
    t = target(plan_data, "total")
    a = ActualsSet.from_bytes((HEAD + f"{t['indicator_id']},2023,1,{t['unit']},市级,s,\n").encode(), "a.csv", plan_data)
    rec = a.records()[0]
    assert rec["scope"] == "city" and rec["measure"] == ""


def test_a_monitoring_row_is_accepted(plan_data):
    ind = plan_data.indicators
    mon = ind[ind["kind"] == "monitoring"]
    if mon.empty:
        pytest.skip("the plan has no monitoring indicator")
    m = mon.iloc[0]
    a = ActualsSet.from_bytes((FULL + f"{m['indicator_id']},2023,5,{m['unit']},{m['measure']},园区,年报,s,\n").encode(),
                              "a.csv", plan_data)
    assert len(a) == 1 and a.records()[0]["indicator_id"] == m["indicator_id"]


def test_a_new_project_carries_any_status_and_its_flag(plan_data):
    area = plan_data.values("area")[0]
    category = plan_data.values("category")[0]
    p = ProjectActuals.from_bytes((f"project_id,year,invested_yi,status,note,new,name,area,category\n"
                                   f"N9,2023,1.5,竣工,,1,新项目,{area},{category}\n").encode(), "p.csv", plan_data)
    assert p.rows == (("N9", 2023, 1.5, "竣工", "", "新项目", area, category, "1"),)


def test_the_estimate_from_the_city_series_is_the_old_name_too(plan_data):
    assert estimate_rail_from_city is estimate_from_city


def test_the_template_gives_an_increment_or_cumulative_target_the_base_it_is_judged_from():
    """A 新增 / 累计 target is reported as the amount since the base year (or over the period), and judged from 0: the
    template's reading column says 0, never the stock the plan states for the base year."""
    from model.io.actuals import template_tables
    from model.plan.tables import load_plan_data
    for folder in ("data/plans/shifeng-2021-2025", "tests/plans/four-industries", "tests/plans/one-segment"):
        data = load_plan_data(folder)
        kinds = {r["indicator_id"]: r.get("basis") or "" for r in data.indicators.to_dict(orient="records")}
        t = template_tables(data)["actuals"]
        counted = t[[kinds[i] in ("increment", "cumulative") for i in t["indicator_id"]]]
        assert (counted["baseline"] == 0).all()
        if folder.startswith("data"):
            assert len(counted)


@settings(max_examples=30, deadline=None)
@given(st.floats(1, 5000, allow_nan=False), st.sampled_from(["万元", "亿元"]))
def test_money_in_the_other_unit_is_converted_and_the_note_keeps_the_figure_reported(value, unit):
    """An actual of 165 亿元 for a target in 万元 was refused, though the package and --target take either money
    unit. A figure in the other money unit is converted exactly, its note keeping the figure as reported; any
    other unit still differs and is refused."""
    from model.numbers import WAN_PER_YI, decimal_text
    from model.plan.tables import load_plan_data

    data = load_plan_data()
    row = next(r for r in data.indicators.to_dict(orient="records") if r["kind"] == "target" and r["unit"] == "亿元")
    text = (f"indicator_id,year,value,unit,measure,source,note\n{row['indicator_id']},2022,{decimal_text(value)},{unit},"
            f"总产值,统计公报,\n")
    a = ActualsSet.from_bytes(text.encode("utf-8"), "a.csv", data)
    got = a.frame().iloc[0]
    expected = value / WAN_PER_YI if unit == "万元" else value
    assert got["value"] == pytest.approx(expected, rel=1e-12) and got["unit"] == "亿元"
    assert (f"原值{decimal_text(value)}万元" in got["note"]) == (unit == "万元")
    with pytest.raises(DataError, match="differs from the indicator's unit"):
        ActualsSet.from_bytes(text.replace(f",{unit},", ",元,").encode("utf-8"), "a.csv", data)


@pytest.mark.parametrize("name", ["default", "four-industries", "one-segment", "three-levels", "sum-of-parts"])
def test_the_templates_baseline_is_the_evaluations(name):
    """A segment's target without a baseline_id had an empty baseline in the template while evaluation.csv used
    the segment's base row: the template shows the base the evaluation measures from, in the target's unit."""
    from model.calc.evaluation import baseline_row
    from model.io.actuals import template_tables
    from model.plan.tables import MONEY_UNITS, load_plan_data
    from tests.plans_support import PACKAGES

    data = load_plan_data(PACKAGES[name])
    df = template_tables(data)["actuals"].drop_duplicates("indicator_id")
    rows = {r["indicator_id"]: r for r in data.indicators.to_dict(orient="records")}
    for rec in df.to_dict(orient="records"):
        t = rows[rec["indicator_id"]]
        if t.get("basis") in ("increment", "cumulative"):
            continue
        base = baseline_row(data, t)
        if base is None:
            assert rec["baseline"] is None or rec["baseline"] != rec["baseline"], rec
            continue
        v = float(base["value"])
        if base.get("unit") != t["unit"] and base.get("unit") in MONEY_UNITS and t["unit"] in MONEY_UNITS:
            v = v * MONEY_UNITS[base["unit"]] / MONEY_UNITS[t["unit"]]
        assert float(rec["baseline"]) == pytest.approx(v), rec


def test_a_city_figure_in_the_other_money_unit_is_estimated_from_too(tmp_path):
    """estimate_from_city kept only city figures in the target's unit: one given in 万元 was dropped, silently."""
    from model.io.actuals import estimate_from_city
    from model.plan.tables import load_plan_data
    from tests.plans_support import PACKAGES, copy_package, read, write

    before = estimate_from_city(load_plan_data(PACKAGES["default"])).frame()
    assert len(before)
    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "public_figures.csv")
    rows = [{**r, "value": f"{float(r['value']) * 10_000:g}", "unit": "万元"} if r["scope"] == "city" and
            r["unit"] == "亿元" else r for r in rows]
    write(folder / "public_figures.csv", header, rows)
    after = estimate_from_city(load_plan_data(folder)).frame()
    assert list(after["year"]) == list(before["year"]) and list(after["unit"]) == list(before["unit"])
    assert list(after["value"]) == pytest.approx(list(before["value"]), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.01, 50, allow_nan=False))
def test_a_projects_money_typed_in_wan_is_named_not_graded(share):
    """A project's 3.6 亿元 reported as 36000 (万元) in the 亿元 column read as 36,000 亿元 invested: completion
    1,000,000 %, the park 9,864 %. A figure a thousand times the plan or more is refused naming the cell and the
    unit; anything a project could plausibly spend (here up to fifty times its plan) is read."""
    from model.numbers import decimal_text
    from model.plan.tables import load_plan_data

    data = load_plan_data()
    p = data.projects.iloc[0]
    planned = max(float(p["total_investment_yi"]), float(p["fyp_investment_yi"]))
    head = "project_id,year,invested_yi,status,note\n"
    ok_text = f"{head}{p['project_id']},2022,{decimal_text(planned * share)},,\n"
    assert len(ProjectActuals.from_bytes(ok_text.encode("utf-8"), "e.csv", data).frame()) == 1
    wan = f"{head}{p['project_id']},2022,{decimal_text(planned * share * 10_000)},,\n"
    if share * 10_000 >= 1_000:
        with pytest.raises(DataError, match=r"e\.csv:2:invested_yi: .* a figure in 万元"):
            ProjectActuals.from_bytes(wan.encode("utf-8"), "e.csv", data)


def test_a_converted_figure_with_a_long_note_reads_back():
    """The conversion's note (原值…万元) made a 500-character note too long to read back or save."""
    from model.io.actuals import MAX_TEXT
    from model.plan.tables import load_plan_data

    data = load_plan_data()
    text = ("indicator_id,year,value,unit,measure,source,note\npark_output_2025,2022,12000000,万元,总产值,统计,"
            + "注" * MAX_TEXT + "\n")
    a = ActualsSet.from_bytes(text.encode("utf-8"), "a.csv", data)
    note = a.frame().iloc[0]["note"]
    assert len(note) <= MAX_TEXT and note.endswith("原值12000000万元")
    assert ActualsSet.from_bytes(a.to_csv_text().encode("utf-8"), "b.csv", data).short_id == a.short_id


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=5), st.booleans())
def test_execution_money_in_the_other_unit_is_converted_as_read(amounts, roads):
    """A project report in 万元 (invested_wan, as projects.csv may be written) was refused as an unknown column. Either
    unit reads to the same rows and the same content ID; both columns at once are refused."""
    from decimal import Decimal

    from model import load_plan_data
    from model.io.actuals import ProjectActuals, RoadActuals

    data = load_plan_data()
    cls, id_col = (RoadActuals, "road_id") if roads else (ProjectActuals, "project_id")
    ids = (data.roads if roads else data.projects)[id_col].tolist()
    extra, pad = (",length_built_m", ",") if roads else ("", "")
    # each amount a: a 万元 = a / 10,000 亿元, both written as exact decimal text
    wan = "".join(f"{ids[i]},{2022 + i},{a}{pad},,\n" for i, a in enumerate(amounts))
    yi = "".join(f"{ids[i]},{2022 + i},{Decimal(a) / 10000}{pad},,\n" for i, a in enumerate(amounts))
    own, other = ("invested_wan", "invested_yi") if roads else ("invested_yi", "invested_wan")
    rows_own, rows_other = (wan, yi) if roads else (yi, wan)
    a = cls.from_bytes(f"{id_col},year,{other}{extra},status,note\n{rows_other}".encode(), "x.csv", data)
    b = cls.from_bytes(f"{id_col},year,{own}{extra},status,note\n{rows_own}".encode(), "x.csv", data)
    assert a.rows == b.rows and a.short_id == b.short_id
    with pytest.raises(DataError, match="the money is given twice"):
        cls.from_bytes(f"{id_col},year,{own},{other}{extra},status,note\n".encode() +
                       f"{ids[0]},2022,1,1{',' if roads else ''},,\n".encode(), "x.csv", data)


def test_the_template_shows_a_ranged_target_as_its_range():
    """A target printed as a range (3到5家) was shown in the template as ≥3 only. Its row shows the range and no
    comparator word, as the report does; every other target keeps its comparator."""
    from model import load_plan_data
    from model.io.actuals import template_tables
    from tests.plans_support import PACKAGES

    seen = 0
    for name in PACKAGES:
        data = load_plan_data(PACKAGES[name])
        t = template_tables(data)["actuals"]
        ind = data.indicators.set_index("indicator_id")
        for rec in t.drop_duplicates("indicator_id").to_dict(orient="records"):
            row = ind.loc[rec["indicator_id"]]
            if row["kind"] != "target":
                continue
            top = row.get("value_max")
            if top == top and top is not None:
                seen += 1
                assert rec["comparator"] == "" and rec["target"] == f"{row['value']:g}–{top:g}", rec
            elif row["comparator"] != "qual":
                assert rec["comparator"], rec
    assert seen

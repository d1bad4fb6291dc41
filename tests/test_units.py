"""model/units.py: every number that enters has a range from its unit, every number that leaves is finite (issue 21,
class 3). Properties: a reader accepts a value exactly when it lies in its unit's range (else ``file:row:column: …
outside …``), and for any accepted input no output file holds inf, NaN or Infinity."""
from __future__ import annotations

import csv
import io
import math
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import units
from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals
from model.plan.tables import DATA_DIR, DataError, load_schema
from model.units import NonFiniteOutput, UNITS, UNKNOWN, output, problem
from tests.conftest import REPO

HEAD = ["indicator_id", "year", "value", "unit", "measure", "source", "note"]
FIX = REPO / "tests" / "fixtures"
HOSTILE = st.one_of(st.sampled_from([1e30, 1e308, -1e308, 1.7976931348623157e308, -5.0, 3.5, 5e-324, -0.0, 1e7,
                                     1e7 + 1, 1e11, 1e11 * 1.0000001, 1e-300, 1000.0, -100.0, -100.5, 1e9, 1e9 + 1]),
                     st.floats(allow_nan=False, allow_infinity=False))


def _csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _text(v: float) -> str:
    return repr(float(v))


# -- the table -----------------------------------------------------------------------------------------------

def test_every_unit_of_the_plan_and_the_schema_is_in_the_table_and_the_plans_figures_lie_inside(plan_data):
    ind = plan_data.indicators
    used = {u for u in ind["unit"] if u} | {c.unit for c in load_schema(DATA_DIR) if c.unit and c.unit != "see unit"}
    used |= {u for u in plan_data.public_figures["unit"] if u}
    assert not sorted(u for u in used if units.normal(u) not in UNITS)
    for r in ind.to_dict(orient="records"):
        if r["unit"] and r["value"] == r["value"]:
            assert problem(float(r["value"]), r["unit"]) is None, r["indicator_id"]
    for col, unit in (("total_investment_yi", "亿元"), ("fyp_investment_yi", "亿元"), ("land_mu", "亩")):
        assert all(problem(float(v), unit) is None for v in plan_data.projects[col] if v == v)
    for col, unit in (("investment_wan", "万元"), ("length_m", "m")):
        assert all(problem(float(v), unit) is None for v in plan_data.roads[col] if v == v)


def test_kinds_bounds_and_messages():
    assert problem(-5, "家") == "negative count -5 outside 0–1e+09 家"
    assert "not a whole number" in problem(3.5, "家")
    assert problem(1e30, "亿元") == "money 1e+30 outside 0–1e+07 亿元"
    assert problem(1e11, "万元") is None and "outside" in problem(1e11 * 1.01, "万元")
    assert problem(-100, "%") is None and "outside" in problem(-100.5, "%") and "outside" in problem(1e4, "％")
    assert units.of("莫名单位") is UNKNOWN and "outside" in problem(1e13, "莫名单位")
    assert "not a finite" in problem(math.inf, "亿元") and "not a finite" in problem(math.nan, "亿元")
    for u in UNITS.values():  # every kind bounded, far from what decimal formatting cannot round
        assert -1e16 <= u.lo < u.hi <= 1e16


def test_output_blanks_nan_and_refuses_inf_with_where():
    assert output(math.nan) is None and output(1.5) == 1.5 and output("inf") == "inf" and output(None) is None
    with pytest.raises(NonFiniteOutput, match="x.csv:3:value: -inf"):
        output(-math.inf, "x.csv:3:value")


def test_every_writer_refuses_inf_and_names_where():
    from model.io.export import csv_bytes
    from model.io.workbook import number
    from model.report.labels import fmt

    df = pd.DataFrame({"metric": ["a", "b"], "value": [1.0, math.inf],
                       "obj": pd.Series([1, -math.inf], dtype=object)})
    with pytest.raises(NonFiniteOutput, match="summary.csv:3:value: inf"):
        csv_bytes(df, "summary.csv")
    with pytest.raises(NonFiniteOutput, match="summary.csv:3:obj: -inf"):
        csv_bytes(df.drop(columns="value"), "summary.csv")
    rows = list(csv.reader(io.StringIO(csv_bytes(pd.DataFrame({"v": [math.nan, 2.0]})).decode("utf-8-sig"))))
    assert rows == [["v"], [""], ["2"]]  # undefined: blank
    with pytest.raises(NonFiniteOutput):
        number(math.inf)
    with pytest.raises(NonFiniteOutput):
        fmt(-math.inf)
    assert fmt(1e30, 2).startswith("1,000,000") and fmt(1.7e308).endswith(".0")  # any finite float formats


# -- entry: each reader, each numeric column ----------------------------------------------------------------

@pytest.fixture(scope="module")
def numeric_targets(plan_data):
    ind = plan_data.indicators
    return ind[(ind["kind"] == "target") & (ind["comparator"] != "qual")].to_dict(orient="records")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), HOSTILE)
def test_an_actual_is_accepted_exactly_when_it_lies_in_its_units_range(plan_data, numeric_targets, data, v):
    t = data.draw(st.sampled_from(numeric_targets))
    raw = _csv([HEAD, [t["indicator_id"], int(t["year"]), _text(v), t["unit"], t["measure"] or "x", "", ""]])
    why = problem(v, t["unit"])
    try:
        a = ActualsSet.from_bytes(raw, "a.csv", plan_data)
    except DataError as exc:
        assert why is not None, exc.problems
        assert exc.problems == [f"a.csv:2:value: {why}"]
    else:
        assert why is None and a.rows[0][2] == v


COLUMNS = {"invested_yi": (ProjectActuals, ["project_id", "year", "invested_yi", "status", "note"], "P01", "亿元"),
           "invested_wan": (RoadActuals, ["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
                            "R01", "万元"),
           "length_built_m": (RoadActuals, ["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
                              "R01", "m")}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(COLUMNS)), HOSTILE)
def test_execution_money_and_lengths_are_accepted_exactly_within_their_range(plan_data, col, v):
    from model.io.actuals import MISTYPED_RATIO

    cls, header, rid, unit = COLUMNS[col]
    row = {h: "" for h in header} | {header[0]: rid, "year": "2023", col: _text(v), "status": "在建"}
    why = problem(v, unit)
    p = plan_data.projects.set_index("project_id").loc[rid] if col == "invested_yi" else None
    mistyped = p is not None and why is None and v >= MISTYPED_RATIO * max(p["total_investment_yi"],
                                                                          p["fyp_investment_yi"])
    try:
        cls.from_bytes(_csv([header, [row[h] for h in header]]), "x.csv", plan_data)
    except DataError as exc:
        if mistyped:  # within the unit's range, but a thousand times the project's plan: a figure in 万元
            assert len(exc.problems) == 1 and exc.problems[0].startswith(f"x.csv:2:{col}: ") and "万元" in \
                exc.problems[0], exc.problems
        else:
            assert why is not None and exc.problems == [f"x.csv:2:{col}: {why}"], exc.problems
    else:
        assert why is None and not mistyped


LISTS = {"projects": ("total_investment_yi", "fyp_investment_yi", "land_mu", "annex_no"),
         "roads": ("length_m", "width_m", "investment_wan", "annex_no")}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([(k, c) for k, cols in LISTS.items() for c in cols]), HOSTILE)
def test_a_next_plan_lists_numbers_are_bounded_by_their_schema_unit(kind_col, v):
    from model.io.lists import PlanList

    kind, col = kind_col
    rows = list(csv.reader(io.StringIO((FIX / "nextplan" / f"{kind}.csv").read_text(encoding="utf-8"))))
    rows[1][rows[0].index(col)] = _text(v)
    if kind == "projects" and col in ("total_investment_yi", "fyp_investment_yi"):
        other = "fyp_investment_yi" if col == "total_investment_yi" else "total_investment_yi"
        rows[1][rows[0].index(other)] = _text(v)  # the two amounts of a project agree
    if col == "width_m":  # a width given alone (its printed range, which it must lie in, left out)
        for c in ("width_min_m", "width_max_m"):
            if c in rows[0]:
                rows[1][rows[0].index(c)] = ""
    unit = {"land_mu": "亩", "annex_no": "个", "length_m": "m", "width_m": "m", "investment_wan": "万元"}.get(col, "亿元")
    why = problem(v, unit)
    try:
        PlanList.from_bytes(_csv(rows), "next.csv", kind)
    except DataError as exc:  # refused by its unit's range (or by the schema's own rule first), at that cell
        assert why is not None, exc.problems
        assert any(p.startswith(f"next.csv:2:{col}:") for p in exc.problems), exc.problems
    else:
        assert why is None, (col, v)


def test_the_issues_numbers_are_refused_where_they_enter(plan_data, tmp_path, capsys):
    from model.cli import main

    rail = plan_data.segment_target_row("rail_transit")
    (tmp_path / "a.csv").write_bytes(_csv([HEAD, [rail["indicator_id"], "2025", "1e30", "亿元", "总产值", "", ""],
                                           ["hightech_firms_2025", "2025", "-5", "家", "企业数", "", ""]]))
    (tmp_path / "p.csv").write_bytes(_csv([["project_id", "year", "invested_yi", "status", "note"],
                                           ["P01", "2023", "1e308", "在建", ""]]))
    (tmp_path / "r.csv").write_bytes(_csv([["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
                                           ["R01", "2023", "1e308", "1e308", "在建", ""]]))
    assert main(["evaluate", "--actuals", str(tmp_path / "a.csv"), "--projects", str(tmp_path / "p.csv"),
                 "--roads", str(tmp_path / "r.csv"), "--out", str(tmp_path / "ev")]) == 2
    err = capsys.readouterr().err
    for where in ("a.csv:2:value: money 1e+30 outside", "a.csv:3:value: negative count -5 outside",
                  "p.csv:2:invested_yi: money 1e+308 outside", "r.csv:2:invested_wan: money 1e+308 outside",
                  "r.csv:2:length_built_m: length 1e+308 outside"):
        assert where in err, err
    assert not (tmp_path / "ev").exists()


# -- exit: for any accepted input, no output holds inf / NaN / Infinity ---------------------------------------

BAD_TOKEN = re.compile(r"^[+-]?(inf|infinity|nan)$", re.I)
BAD_IN_TEXT = re.compile(r"(?<![A-Za-z])[+-]?(inf|infinity|nan)(?![A-Za-z])", re.I)


def _no_non_finite(files: dict[str, bytes]) -> None:
    for name, raw in files.items():
        if name.endswith(".csv"):
            for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"))):
                assert not [c for c in r if BAD_TOKEN.match(c.strip().lstrip("'"))], (name, r)
        elif name.endswith(".html"):
            assert not BAD_IN_TEXT.search(re.sub(r"<[^>]*>", " ", raw.decode("utf-8"))), name
        elif name.endswith(".xlsx"):
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(raw))
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    for v in row:
                        assert not (isinstance(v, float) and not math.isfinite(v)), (name, ws.title, row)
                        assert not (isinstance(v, str) and BAD_TOKEN.match(v.strip())), (name, ws.title, row)


def bounded(unit: str):
    u = units.of(unit)
    values = st.floats(u.lo, u.hi, allow_nan=False, allow_infinity=False).filter(
        lambda v: v == 0 or abs(v) >= u.resolution)
    extremes = st.sampled_from([u.lo, u.hi, 0.0, min(u.hi, u.resolution), -u.resolution if u.lo < 0 else 0.0])
    out = st.one_of(values, extremes)
    return out.map(lambda v: float(round(v))) if u.whole else out


@st.composite
def accepted_inputs(draw, targets):
    """An actuals set on any numeric targets, a project and a road execution report: every value within range."""
    rows = [HEAD]
    for t in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=6, unique_by=lambda t: t["indicator_id"])):
        for y in draw(st.sets(st.integers(int(t["year"]) - 4, int(t["year"])), min_size=1, max_size=2)):
            rows.append([t["indicator_id"], y, _text(draw(bounded(t["unit"]))), t["unit"], t["measure"] or "x", "",
                         ""])
    proj = [["project_id", "year", "invested_yi", "status", "note", "name", "area", "category"],
            ["P01", 2022, _text(draw(bounded("亿元"))), "在建", "", "", "", ""],
            ["N01", 2023, _text(draw(bounded("亿元"))), "新增", "", "新项目", "清水塘片区", "产业发展"]]
    road = [["road_id", "year", "invested_wan", "length_built_m", "status", "note"],
            ["R01", 2022, _text(draw(bounded("万元"))), _text(draw(bounded("m"))), "竣工", ""],
            ["R02", 2024, _text(draw(bounded("万元"))), _text(draw(bounded("m"))), "在建", ""]]
    return _csv(rows), _csv(proj), _csv(road)


@pytest.fixture()
def cheap_charts(monkeypatch):
    from model.report import charts

    monkeypatch.setattr(charts, "to_png", lambda spec, **kw: (REPO / "ui" / "icon.png").read_bytes())
    monkeypatch.setattr(charts, "to_svg", lambda spec, **kw: b"<svg xmlns='http://www.w3.org/2000/svg'/>")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_no_evaluation_file_holds_inf_or_nan_for_any_accepted_input(plan_data, numeric_targets, cheap_charts, data):
    from model.calc.evaluation import evaluate
    from model.report.evaluation_report import evaluation_files

    a, p, r = data.draw(accepted_inputs(numeric_targets))
    try:
        ev = evaluate(plan_data, ActualsSet.from_bytes(a, "a.csv", plan_data),
                      ProjectActuals.from_bytes(p, "p.csv", plan_data), RoadActuals.from_bytes(r, "r.csv", plan_data))
    except DataError:
        assume(False)  # another rule refused it (e.g. a note-only row): not this property's concern
    lang = data.draw(st.sampled_from(["zh", "en"]))
    _no_non_finite(evaluation_files(plan_data, ev, lang, report=data.draw(st.booleans())))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(1e-9, 1e7), st.floats(0, 1e7), st.sampled_from(["total_investment_yi", "land_mu"]),
       st.floats(0, 1e7))
def test_no_export_or_next_plan_file_holds_inf_or_nan_for_any_accepted_input(plan_data, rail, extra, col, v):
    """The next plan (actuals of any size in range, a list with amounts at the bounds): summary.csv and every other
    export file, and the workbook, are finite or refused with a message."""
    from model import presets, run
    from model.calc.nextplan import next_plan
    from model.io.export import all_files
    from model.io.lists import PlanList, with_lists
    from model.io.workbook import workbook_bytes
    from model.scenario import ScenarioError

    rows = list(csv.reader(io.StringIO((FIX / "nextplan" / "projects.csv").read_text(encoding="utf-8"))))
    rows[1][rows[0].index(col)] = _text(v)
    if col == "total_investment_yi":
        rows[1][rows[0].index("fyp_investment_yi")] = _text(v)
    try:
        pl = PlanList.from_bytes(_csv(rows), "next.csv", "projects")
    except DataError:
        assume(False)
    data = with_lists(plan_data, pl)
    actuals = pd.DataFrame({"indicator_id": [plan_data.segment_target_row("rail_transit")["indicator_id"],
                                             plan_data.segment_target_row("total")["indicator_id"]],
                            "year": [2025, 2025], "value": [rail, rail + extra], "unit": ["亿元", "亿元"],
                            "measure": ["总产值", "总产值"], "source": ["", ""], "note": ["", ""]})
    try:
        aset = ActualsSet.from_frame(actuals, plan_data)
        s = next_plan(presets(plan_data)["plan-targets"], data, actuals=aset.frame(), base_year=2025,
                      target_year=2030, targets={"total": 2300.0, "rail_transit": 2000.0}).with_(projects_ref=pl.short_id)
    except (DataError, ScenarioError):
        assume(False)  # refused with a message naming the cell or the setting (e.g. a growth beyond its range)
    r = run(data, s)
    files = all_files(data, r)
    files["scenario.xlsx"] = workbook_bytes(data, r, "zh")
    _no_non_finite(files)


def test_the_money_bound_is_the_one_a_scenario_holds():
    from model.scenario.fields import MONEY_MAX

    assert units.of("亿元").hi == MONEY_MAX  # an accepted actual can always become a next plan's base

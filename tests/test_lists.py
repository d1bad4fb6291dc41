"""A next plan's project and road lists (model/io/lists.py): validated exactly like data/projects.csv and
data/roads.csv, every problem named file:row:column; CSV (UTF-8, BOM, GBK) and .xlsx; size caps; canonical text
and short ID; library kinds; a good list phases over the new plan period."""
from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import DataError, load_plan_data, presets, run
from model.calc import nextplan as npn
from model.io.actuals import ActualsSet
from model.io.library import Library, LibraryError
from model.io.lists import MAX_LIST_BYTES, MAX_LIST_ROWS, PlanList, open_document, template_text, with_lists
from model.plan.tables import DATA_DIR
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "nextplan"
GOOD = (FIX / "projects.csv").read_text(encoding="utf-8")
GOOD_ROADS = (FIX / "roads.csv").read_text(encoding="utf-8")


def lines(text: str = GOOD) -> list[str]:
    return text.splitlines()


def refused(raw: bytes | str, label: str = "next.csv", kind: str = "projects") -> list[str]:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    with pytest.raises(DataError) as exc:
        PlanList.from_bytes(raw, label, kind)
    return exc.value.problems


def with_row(n: int, old: str, new: str, text: str = GOOD) -> str:
    rows = lines(text)
    assert old in rows[n - 1], (old, rows[n - 1])
    rows[n - 1] = rows[n - 1].replace(old, new, 1)
    return "\n".join(rows) + "\n"


def test_the_plans_own_annexes_load_as_lists_with_the_same_frames(plan_data):
    p = PlanList.from_bytes((DATA_DIR / "projects.csv").read_bytes(), "projects.csv")
    r = PlanList.from_bytes((DATA_DIR / "roads.csv").read_bytes(), "roads.csv", "roads")
    for got, want in ((p.frame(), plan_data.projects), (r.frame(), plan_data.roads)):
        want = want.sort_values(got.columns[0]).reset_index(drop=True)
        assert got.drop(columns="src_row").equals(want.drop(columns="src_row"))
    assert len(p) == len(plan_data.projects) and len(r) == len(plan_data.roads)


def test_a_good_next_plan_list_phases_over_2026_2030(plan_data):
    pl = PlanList.from_path(FIX / "projects.csv")
    rl = PlanList.from_path(FIX / "roads.csv", "roads")
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    s = npn.next_plan(presets(plan_data)["plan-targets"], plan_data, actuals=aset.frame(), base_year=2025,
                      target_year=2030, target_total=2300, target_rail=2000).with_(projects_ref=pl.short_id,
                                                                                    roads_ref=rl.short_id)
    data = with_lists(plan_data, pl, rl)
    assert data.source_projects != "plan" and list(data.projects["project_id"]) == pl.ids()
    r = run(data, s)
    ph = r.projects
    assert ph.ids == tuple(pl.ids()) and not ph.placed_by_default
    assert list(ph.years) == [2026, 2027, 2028, 2029, 2030]  # only the plan period: money before it is not its own
    assert ph.matrix.sum() == pytest.approx(117.0) and ph.total_in(2026, 2030) == pytest.approx(117.0)
    row = dict(zip(ph.ids, ph.matrix))
    np.testing.assert_allclose(row["N01"], [7.5, 7.5, 7.5, 7.5, 0.0])  # 30 over 2026–2029, even
    np.testing.assert_allclose(row["N06"], [5.0, 5.0, 0, 0, 0])  # 10 of period money over 2026–2027
    assert r.roads.total_in(2026, 2030) == pytest.approx(6.18)
    # delays, the ceiling and the total basis work on the list for the scenario's plan period
    late = run(data, s.with_(delay_all=1, ceiling_yi=20.0))
    assert late.projects.matrix.sum() == pytest.approx(117.0)
    by = late.projects.by_year()
    assert by.max() <= 20.0 + 1e-9 and by.loc[2026] == 0.0 and by.loc[2027] > 0  # a year later, capped
    total = run(data, s.with_(basis="total"))
    assert total.projects.matrix.sum() == pytest.approx(133.0) and total.projects.years[0] == 2024
    excl = run(data, s.with_(excluded=frozenset({"N01"})))
    assert excl.projects.matrix.sum() == pytest.approx(87.0)
    # investment → output: the producing projects add output after their last phased money
    from model.calc.analysis import investment_output

    inv = investment_output(data, s, r.projects)
    # N01 (30 亿元, last money 2029) at ramp_first in 2030; N03 and N04 still building; N02, N05, N06 add none
    assert inv.loc[2030] == pytest.approx(30.0 * s.ramp_first)
    # ids of Annex 1 are unknown to the list
    from model import ScenarioError

    with pytest.raises(ScenarioError, match="unknown project"):
        run(data, s.with_(excluded=frozenset({"P01"})))


BAD_CASES = [
    ("", "next.csv:1:-: the file is empty"),
    ("\x00\x01binary", "next.csv:1:-: not a text CSV file"),
    (lines()[0] + ",foo\n" + "\n".join(x + "," for x in lines()[1:]), "next.csv:1:foo: unknown column"),
    (GOOD.replace(",name_zh,", ",", 1), "next.csv:1:name_zh: missing column"),
    (GOOD.replace(",owner,", ",owner,owner,", 1), "next.csv:1:owner: duplicate column"),
    (lines()[0] + "\n", "next.csv:2:-: no data rows"),
    (with_row(2, "A1,producing", "A1,producing,extra,cell"), "next.csv:2:-: 21 cells but 19 columns"),
    (with_row(3, "轨道交通检测认证平台", ""), "next.csv:3:name_zh: required value is empty"),
    (with_row(4, ",25,25,", ",2.5亿,25,"), "next.csv:4:total_investment_yi: not a number: '2.5亿'"),
    (with_row(2, "N01,1,", "N01,1.5,"), "next.csv:2:annex_no: not a whole number: '1.5'"),
    (with_row(2, ",2026,2029,", ",1850,2029,"), "next.csv:2:start_year: year out of range 1900-2100: '1850'"),
    (with_row(5, ",40,32,", ",40,-32,"), "next.csv:5:fyp_investment_yi: negative money: '-32'"),
    (with_row(2, "田心片区", "火星片区"), "next.csv:2:area: unknown area '火星片区' (not in areas.csv)"),
    (with_row(3, "N02,", "N01,"), "next.csv:3:project_id: duplicate id 'N01' (first at row 2)"),
    (with_row(4, ",2027,2030,", ",2027,2025,"), "next.csv:4:end_year: end year 2025 before start year 2027"),
    (with_row(2, "producing,", "factory,"), "next.csv:2:output_role: unknown value 'factory'"),
]


@pytest.mark.parametrize("text, expected", BAD_CASES, ids=[e.split(":", 3)[-1][:30] for _, e in BAD_CASES])
def test_each_failure_mode_is_refused_with_file_row_column(text, expected):
    problems = refused(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_listed_with_the_spreadsheets_row_numbers():
    rows = lines()
    text = "\n".join([rows[0], "", rows[1].replace("田心片区", "火星片区"), ",,,,,,,,,,,,,,,,,,",  # blank rows
                      rows[2].replace(",2026,2028,", ",2028,2026,"), rows[1]]) + "\n"
    problems = refused(text)
    assert problems == [
        "next.csv:6:project_id: duplicate id 'N01' (first at row 3)",
        "next.csv:5:end_year: end year 2026 before start year 2028",
        "next.csv:3:area: unknown area '火星片区' (not in areas.csv)",
    ]


def test_road_lists_are_validated_like_annex_2():
    assert len(PlanList.from_bytes(GOOD_ROADS.encode("utf-8"), "r.csv", "roads")) == 3
    bad = with_row(2, ",42000,", ",-42000,", GOOD_ROADS)
    bad = bad.replace("区财政", "市财政", 1)
    problems = refused(bad, "r.csv", "roads")
    assert "r.csv:2:investment_wan: negative money: '-42000'" in problems
    assert any(p.startswith("r.csv:2:funding_source: unknown value '市财政'") for p in problems)
    assert any(p.startswith("r.csv:1:project_id: unknown column") for p in refused(GOOD, "r.csv", "roads"))


def test_encodings_as_excel_saves_them_and_header_spelling():
    want = PlanList.from_bytes(GOOD.encode("utf-8"), "a.csv")
    assert PlanList.from_bytes(GOOD.encode("utf-8-sig"), "b.csv") == want
    assert PlanList.from_bytes(GOOD.encode("gbk"), "c.csv") == want
    assert PlanList.from_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"), "d.csv") == want
    header, *rest = lines()
    spaced = ",".join(f" {h.upper()} " for h in header.split(","))
    assert PlanList.from_bytes(("\n".join([spaced, *rest]) + "\n").encode("utf-8"), "e.csv") == want


def _xlsx(rows: list[list], sheet: str = "projects") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _typed_cells(row: list[str]) -> list:
    out = []
    for c in row:
        try:
            out.append(int(c))
        except ValueError:
            try:
                out.append(float(c))
            except ValueError:
                out.append(c or None)
    return out


def test_xlsx_lists_read_like_csv_and_name_their_rows():
    import csv

    rows = list(csv.reader(io.StringIO(GOOD)))
    data = [rows[0]] + [_typed_cells(r) for r in rows[1:]]
    want = PlanList.from_bytes(GOOD.encode("utf-8"), "a.csv")
    assert PlanList.from_bytes(_xlsx(data), "a.xlsx") == want
    assert PlanList.from_bytes(_xlsx(data, "Sheet9"), "a.xlsx") == want  # no sheet named projects: the first
    bad = [rows[0], [None] * len(rows[0])] + [_typed_cells(r) for r in rows[1:]]
    bad[3][rows[0].index("area")] = "火星片区"  # spreadsheet row 4 (a blank row 2 above it)
    assert any(p.startswith("a.xlsx:4:area: unknown area") for p in refused(_xlsx(bad), "a.xlsx"))
    assert refused(b"PK\x03\x04 not really a workbook", "b.xlsx")[0].startswith("b.xlsx:1:-: not a readable .xlsx")


def test_size_caps_refuse_before_parsing():
    big = (GOOD + "#" * MAX_LIST_BYTES).encode("utf-8")
    assert refused(big)[0] == "next.csv:-:-: larger than 1 MB: not a projects list"
    many = (lines()[0] + "\n" + "\n" * (MAX_LIST_ROWS + 5)).encode("utf-8")
    assert refused(many)[0].startswith("next.csv:-:-: more than 5,000 rows")
    with pytest.raises(DataError):
        PlanList.from_bytes("not bytes", "x.csv")  # type: ignore[arg-type]


def test_canonical_text_and_short_id():
    a = PlanList.from_bytes(GOOD.encode("utf-8"), "a.csv")
    rows = lines()
    shuffled = "\n".join([rows[0], *reversed(rows[1:])]) + "\n"
    b = PlanList.from_bytes(shuffled.encode("gbk"), "b.csv")
    assert a == b and a.to_csv_text() == b.to_csv_text() and a.short_id == b.short_id
    again = PlanList.from_bytes(a.to_csv_text().encode("utf-8"), "c.csv")
    assert again == a and again.short_id == a.short_id and len(a.short_id) == 8
    assert a.to_csv_text().splitlines()[0] == template_text("projects").strip()
    changed = PlanList.from_bytes(with_row(2, ",30,30,", ",31,30,").encode("utf-8"), "d.csv")
    assert changed.short_id != a.short_id
    assert a.summary() == {"n": 6, "total_yi": 133.0, "period_yi": 117.0, "first": 2024, "last": 2031}


def test_library_kinds_validate_lists_and_keep_versions(tmp_path):
    pl = PlanList.from_bytes(GOOD.encode("utf-8"), "a.csv")
    rl = PlanList.from_bytes(GOOD_ROADS.encode("utf-8"), "r.csv", "roads")
    with Library(str(tmp_path / "lib.db")) as lib:
        r1 = lib.save_document("projects", "十五五重大项目", pl.to_csv_text(), "规划科", "初稿")
        assert r1.short_id == pl.short_id and r1.version == 1
        changed = PlanList.from_bytes(with_row(2, ",30,30,", ",31,30,").encode("utf-8"), "d.csv")
        r2 = lib.save_document("projects", "十五五重大项目", changed.to_csv_text())
        assert r2.version == 2
        assert lib.get(pl.short_id, kind="projects").content == pl.to_csv_text()
        assert [r.version for r in lib.history("十五五重大项目", kind="projects")] == [2, 1]
        lib.save_document("roads", "十五五道路", rl.to_csv_text())
        with pytest.raises(LibraryError, match="content"):
            lib.save_document("projects", "坏清单", "project_id,foo\r\nN1,1\r\n")
        with pytest.raises(LibraryError, match="content"):
            lib.save_document("roads", "坏清单", pl.to_csv_text())  # a project list is no road list
        assert {r.name for r in lib.list(kind="roads")} == {"十五五道路"}
    got = open_document("projects", pl.short_id, db=str(tmp_path / "lib.db"))
    assert got == pl
    assert open_document("roads", str(FIX / "roads.csv")) == rl
    with pytest.raises(LibraryError):
        open_document("projects", "feedface", db=str(tmp_path / "lib.db"))
    with pytest.raises(DataError, match="no such file"):
        open_document("projects", "missing/list.csv", db=str(tmp_path / "lib.db"))


def test_unreadable_stored_lists_are_skipped_not_fatal(tmp_path):
    import hashlib
    import sqlite3

    db = tmp_path / "lib.db"
    with Library(str(db)) as lib:
        lib.save_document("projects", "好", PlanList.from_bytes(GOOD.encode("utf-8")).to_csv_text())
    bad = "project_id,foo\r\nN1,1\r\n"
    con = sqlite3.connect(db)
    con.execute("INSERT INTO documents (kind, name, version, author, note, content, sha256, created_at) VALUES "
                "('projects', '坏', 1, '', '', ?, ?, '2026-01-01T00:00:00Z')",
                (bad, hashlib.sha256(bad.encode()).hexdigest()))
    con.commit()
    con.close()
    with Library(str(db)) as lib:
        assert [r.name for r in lib.list(kind="projects")] == ["好"]
        assert any("坏" in str(s) for s in lib.skipped)


def test_an_office_data_folder_validates_the_same_way(data_copy):
    """The loader and the list reader refuse the same file for the same reason."""
    bad = with_row(2, "田心片区", "火星片区", (DATA_DIR / "projects.csv").read_text(encoding="utf-8"))
    (data_copy / "projects.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_plan_data(data_copy)
    assert refused(bad, "projects.csv") == [p for p in exc.value.problems if p.startswith("projects.csv")]


def test_a_list_is_validated_against_its_own_plan():
    """Areas and listed values are the plan's: the four-industries plan's areas and categories; a plan that lists
    no categories (one segment, no enumerations) takes the values the list uses, as its own files would."""
    four = load_plan_data(REPO / "tests" / "plans" / "four-industries")
    pl = PlanList.from_path(FIX / "four-projects.csv", "projects", four)
    assert pl.ids() == ["Y1", "Y2"]
    with pytest.raises(DataError) as exc:
        PlanList.from_path(FIX / "projects.csv", "projects", four)  # the default plan's areas and categories
    assert any(":area: unknown area '田心片区'" in p for p in exc.value.problems)
    assert any(":category: unknown value '科技创新' (allowed: 制造业, 平台)" in p for p in exc.value.problems)
    one = load_plan_data(REPO / "tests" / "plans" / "one-segment")
    text = (FIX / "four-projects.csv").read_text(encoding="utf-8")
    got = PlanList.from_bytes(text.replace("北园一期", "").replace("东区", "").encode("utf-8"), "p.csv", "projects", one)
    assert sorted({r[got.columns.index("category")] for r in got.rows}) == ["制造业", "平台"]


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=50))
def test_an_id_a_list_accepts_survives_a_link(pid):
    """A list accepted the id "N,01": excluding it wrote x=N,01, read back as N and 01 (the project stayed in and
    the scenario ID changed); "N:01" broke dp=, an id of 45 characters could not be excluded. An id the list reader
    accepts travels through a link and back unchanged (excluded and delayed); one it refuses is named by its cell."""
    from model.io import url
    from model.io.assumptions import scenario_id
    from model.io.lists import PlanList, with_lists
    from model.plan.registry import default_plan
    from model.plan.tables import DataError
    from model.scenario import FrozenMap
    from model.scenario.presets import presets

    header = "project_id,name_zh,start_year,end_year,total_investment_yi,fyp_investment_yi"
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header.split(","), [pid, "项目", "2026", "2027", "5", "5"]])
    try:
        pl = PlanList.from_bytes(buf.getvalue().encode("utf-8"), "p.csv", "projects")
    except DataError as exc:
        assert all(p.startswith("p.csv:") for p in exc.problems), exc.problems
        return
    (kept,) = pl.ids()
    data = with_lists(default_plan(), pl)
    base = presets(data)["plan-targets"]
    s = base.with_(excluded=frozenset({kept}), delay_project=FrozenMap({kept: 2}), projects_ref=pl.short_id)
    back, notices = url.decode(url.encode(s, base), base, project_ids=pl.ids())
    assert not notices and back.excluded == s.excluded and back.delay_project == s.delay_project
    assert scenario_id(back) == scenario_id(s)

"""model/io/sheets.py: rows of a user's CSV or .xlsx file, with spreadsheet row numbers and size caps."""
from __future__ import annotations

import io

import pytest

from model.io.sheets import cell_text, csv_rows, xlsx_rows
from model.plan.tables import DataError


def test_cells_read_as_a_csv_would_hold_them():
    assert cell_text(2026.0) == "2026" and cell_text(7.5) == "7.5" and cell_text(None) == "" and cell_text(True) == "TRUE"


def test_csv_and_xlsx_rows_keep_spreadsheet_row_numbers():
    import openpyxl

    assert csv_rows("a,b\n1,2\n".encode("gbk"), "x.csv", 10, "a list") == [(1, ["a", "b"]), (2, ["1", "2"])]
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2.5])
    buf = io.BytesIO()
    wb.save(buf)
    assert xlsx_rows(buf.getvalue(), "x.xlsx", "any", 10, "a list") == [(1, ["a", "b"]), (2, ["1", "2.5"])]


def test_oversized_and_damaged_files_are_named():
    with pytest.raises(DataError, match="more than 2 rows"):
        csv_rows(b"a\n1\n2\n3\n4\n", "x.csv", 2, "a list")
    with pytest.raises(DataError, match="not a readable .xlsx"):
        xlsx_rows(b"PK\x03\x04garbage", "x.xlsx", "s", 10, "a list")


# -- what a file expands to (issue 21, class 1): refused before openpyxl, within a second, on every surface ---------

import random  # noqa: E402
import string  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from model.io import sheets  # noqa: E402

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(sheet: str | None = None, strings: str | None = None, styles: str | None = None,
             extra: dict | None = None, method=zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .xlsx (one sheet named 'actuals') with the given parts, as Excel lays it out."""
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               f'content-types"><Default Extension="xml" ContentType="application/xml"/>'
                               f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               f'relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.'
                               f'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.'
                               f'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.'
                               f'sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"'
                               f'/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                       f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets><sheet name="actuals" '
                           f'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                      f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                                      f'Type="{REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship '
                                      f'Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet or f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                                             f'</row></sheetData></worksheet>',
        "xl/sharedStrings.xml": strings or f'<sst {NS}><si><t>indicator_id</t></si></sst>',
        "xl/styles.xml": styles or f'<styleSheet {NS}/>',
        **(extra or {}),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, text in parts.items():
            z.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return buf.getvalue()


def _noise(n: int, k: int = 12, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choices(string.ascii_letters + string.digits, k=k)) for _ in range(n)]


def _rows(n: int, cells: int = 1, cell: str = "<c><v>1</v></c>") -> str:
    return "".join(f'<row r="{r}">' + cell * cells + "</row>" for r in range(1, n + 1))


def _ratio_83(n_mb: int, seed: int) -> bytes:
    """``n_mb`` MB that deflate about 83 to 1: under the ratio cap, so only the total size is wrong."""
    rnd = random.Random(seed)
    return b"".join(rnd.randbytes(1_000) + bytes(99_000) for _ in range(n_mb * 10))


STORED = zipfile.ZIP_STORED  # no compression at all: the caps on structure must hold by themselves
BOMBS = {  # kind -> (workbook bytes, the cap that must refuse it)
    # the 128 kB upload of the issue: one part that inflates four-hundredfold (51 MB of shared strings)
    "huge shared strings": (lambda: workbook(strings=f"<sst {NS}>" + "<si><t>a</t></si>" * 3_000_000 + "</sst>"),
                            "expands to"),
    "many shared strings": (lambda: workbook(strings=f"<sst {NS}>" + "".join(
        f"<si><t>{t}</t></si>" for t in _noise(sheets.MAX_SHARED_STRINGS + 10, 6)) + "</sst>"), "shared strings"),
    "shared-string elements": (lambda: workbook(strings=f"<sst {NS}><si><r>" + "<t/>" * 210_000 + "</r></si></sst>",
                                                method=STORED), "XML elements"),
    "highly compressed sheet": (lambda: workbook(sheet=f"<worksheet {NS}><sheetData>" + "<row><c><v>1</v></c></row>"
                                                 * 1_000_000 + "</sheetData></worksheet>"), "compressed"),
    "too many rows": (lambda: workbook(sheet=f"<worksheet {NS}><sheetData>" + _rows(5_002) + "</sheetData></worksheet>",
                                       method=STORED), "more than 5,000 rows"),
    "sparse sheet": (lambda: workbook(sheet=f'<worksheet {NS}><sheetData><row r="1"><c><v>1</v></c></row>'
                                            f'<row r="1048576"><c><v>1</v></c></row></sheetData></worksheet>'),
                     "more than 5,000 rows"),
    "too many columns": (lambda: workbook(sheet=f"<worksheet {NS}><sheetData>" + _rows(3, 20_000)
                                                + "</sheetData></worksheet>", method=STORED), "more than 64 cells"),
    "too many cells": (lambda: workbook(sheet=f"<worksheet {NS}><sheetData>" + _rows(4_000, 40, "<c/>")
                                              + "</sheetData></worksheet>", method=STORED), "cells:"),
    "elements after the rows": (lambda: workbook(sheet=f"<worksheet {NS}><sheetData>{_rows(1)}</sheetData><mergeCells>"
                                                       + '<mergeCell ref="A1:B2"/>' * 25_000
                                                       + "</mergeCells></worksheet>", method=STORED),
                                "outside the rows"),
    "many entries": (lambda: workbook(extra={f"xl/media/x{i}.bin": b"" for i in range(3_000)}), "parts"),
    "one part too large": (lambda: workbook(extra={"xl/media/x.bin": _ratio_83(40, 1)}), "expands to"),
    "many parts summing up": (lambda: workbook(extra={f"xl/media/x{i}.bin": _ratio_83(25, i) for i in range(3)}),
                              "expands to more than"),
    "deeply nested XML": (lambda: workbook(styles=f"<styleSheet {NS}>" + "<a>" * 90_000 + "</a>" * 90_000
                                                  + "</styleSheet>", method=STORED), "nested deeper"),
    "entity expansion": (lambda: workbook(strings='<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
                                                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                                                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                                                  f'<sst {NS}><si><t>&c;</t></si></sst>'), "DTD"),
    # every cell points to one long shared string: a few kilobytes that expand to 120 million characters to clean
    "one long string in every cell": (lambda: workbook(
        sheet=f"<worksheet {NS}><sheetData>" + _rows(2_000, 15, '<c t="s"><v>0</v></c>') + "</sheetData></worksheet>",
        strings=f"<sst {NS}><si><t>é{'abcdefgh' * 500}</t></si></sst>"), "characters of text"),
    "style records": (lambda: workbook(styles=f'<styleSheet {NS}><cellXfs>' + '<xf numFmtId="0"/>' * 40_000
                                              + "</cellXfs></styleSheet>", method=STORED), "XML elements"),
}


def _surfaces():
    """Every reader an uploaded or CLI-given table file goes through."""
    from model.io.actuals import ActualsSet, ProjectActuals, RoadActuals
    from model.io.lists import PlanList

    return {"actuals": ActualsSet.from_bytes, "project execution": ProjectActuals.from_bytes,
            "road execution": RoadActuals.from_bytes,
            "projects list": lambda raw, label: PlanList.from_bytes(raw, label, "projects"),
            "roads list": lambda raw, label: PlanList.from_bytes(raw, label, "roads")}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_compressed_file_bomb_of_any_kind_is_refused_within_a_second_on_every_surface(kind):
    make, cap = BOMBS[kind]
    raw = make()
    assert len(raw) <= 1_000_000, len(raw)  # within the upload limit: only what it expands to is wrong
    for surface, read in _surfaces().items():
        t0 = time.thread_time()  # the reader's own CPU: a machine busy with browser tests does not count
        with pytest.raises(DataError) as exc:
            read(raw, "bomb.xlsx")
        took = time.thread_time() - t0
        assert took < 1.0, (kind, surface, took)
        assert exc.value.problems[0].startswith("bomb.xlsx:-:-:"), exc.value.problems
        assert cap in exc.value.problems[0] and len(exc.value.problems) == 1, exc.value.problems


def test_the_cli_refuses_a_bomb_file_within_a_second(tmp_path, capsys):
    from model.cli import main

    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(BOMBS["huge shared strings"][0]())
    for argv in (["evaluate", "--actuals", str(bomb), "--out", str(tmp_path / "ev")],
                 ["evaluate", "--actuals", str(bomb), "--projects", str(bomb), "--out", str(tmp_path / "ev")],
                 ["export", "--preset", "plan-targets", "--projects", str(bomb), "--out", str(tmp_path / "ex")],
                 ["export", "--preset", "plan-targets", "--roads", str(bomb), "--out", str(tmp_path / "ex")],
                 ["export", "--preset", "plan-targets", "--actuals", str(bomb), "--out", str(tmp_path / "ex")]):
        t0 = time.thread_time()  # CPU of the command (it runs in this thread), not the machine's load
        assert main(argv) == 2
        assert time.thread_time() - t0 < 1.0, argv
        assert "bomb.xlsx:-:-:" in capsys.readouterr().err
        assert not (tmp_path / "ev").exists() and not (tmp_path / "ex").exists()


def test_the_templates_and_a_full_size_workbook_pass_the_caps(plan_data):
    import openpyxl

    from model.io.actuals import ActualsSet, template_tables, template_xlsx

    ActualsSet.from_bytes(template_xlsx(template_tables(plan_data)), "t.xlsx", plan_data)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actuals"
    ws.append(["indicator_id", "year", "value", "unit", "measure", "source", "note"])
    for i in range(5_000):  # the largest file the readers accept: every row a distinct note
        ws.append(["x", 2021, 1.5, "亿元", "总产值", f"source {i}", f"note {i}"])
    buf = io.BytesIO()
    wb.save(buf)
    sheets.check_xlsx(buf.getvalue(), "full.xlsx", "actuals", 5_000, "an actuals file")
    rows = sheets.xlsx_rows(buf.getvalue(), "full.xlsx", "actuals", 5_000, "an actuals file")
    assert len(rows) == 5_001


def test_damaged_and_encrypted_zips_are_named():
    raw = workbook()
    with pytest.raises(DataError, match="x.xlsx:1:-: not a readable .xlsx"):
        sheets.xlsx_rows(raw[: len(raw) // 2], "x.xlsx", "actuals", 10, "a list")
    with pytest.raises(DataError, match="x.xlsx:"):
        sheets.xlsx_rows(workbook(sheet="<worksheet><sheetData><row"), "x.xlsx", "actuals", 10, "a list")


# -- CSV: rows as the CSV reader counts them ------------------------------------------------------------------

ENDS = st.sampled_from(["\r", "\n", "\r\n"])


@st.composite
def csv_files(draw, n_min: int, n_max: int):
    """(text, records): records of one or two cells joined by any mix of CR, LF and CRLF; some cells quoted over
    several lines (one record however many line breaks it holds)."""
    n = draw(st.integers(n_min, n_max))
    ends = draw(st.lists(ENDS, min_size=n, max_size=n))
    multi = draw(st.sets(st.integers(0, n - 1), max_size=5))
    records = [f'a{i},"x{e}y{e}z"' if i in multi else f"a{i},b" for i, e in enumerate(ends)]
    trailing = draw(st.booleans())
    return "".join(r + e for r, e in zip(records, ends)) if trailing else "".join(
        r + e for r, e in zip(records[:-1], ends)) + records[-1], n


@settings(max_examples=150, deadline=None)
@given(csv_files(1, 40), st.integers(0, 30))
def test_any_mix_of_line_ends_counts_records_as_the_csv_reader_does(f, limit):
    text, n = f
    if n > limit + 1:
        with pytest.raises(DataError, match=f"more than {limit:,} rows"):
            csv_rows(text.encode("utf-8"), "x.csv", limit, "a list")
    else:
        assert len(csv_rows(text.encode("utf-8"), "x.csv", limit, "a list")) == n


@settings(max_examples=10, deadline=None)
@given(st.lists(ENDS, min_size=1, max_size=6))
def test_every_surface_refuses_more_records_than_its_limit_in_any_line_ends(ends):
    from model.io.actuals import MAX_ACTUALS_ROWS
    from model.io.assumptions import MAX_ASSUMPTION_ROWS, from_assumptions_csv
    from model.io.lists import MAX_LIST_ROWS
    from model.scenario import ScenarioError

    def text(header: str, limit: int) -> bytes:
        body = [header] + [f"x{i},2021" for i in range(limit + 1)]
        return "".join(r + ends[i % len(ends)] for i, r in enumerate(body)).encode("utf-8")

    for surface, read in _surfaces().items():
        limit = MAX_LIST_ROWS if "list" in surface else MAX_ACTUALS_ROWS
        with pytest.raises(DataError, match=f"more than {limit:,} rows"):
            read(text("id,year", limit), "cr.csv")
    with pytest.raises(ScenarioError, match=f"more than {MAX_ASSUMPTION_ROWS:,} rows"):
        from_assumptions_csv(text("parameter,value", MAX_ASSUMPTION_ROWS), "cr.csv")


@pytest.mark.parametrize("surface", ["enterprises", "land", "tasks"])
def test_one_long_string_in_every_cell_is_refused_within_a_second_on_the_other_readers(surface, plan_data):
    """The readers with their own sheet names (亩均 files, the task register) take the same cap: a few kilobytes
    whose cells all repeat one long shared string never reach the per-cell cleaning."""
    from model.io.enterprises import ENTERPRISES, IDLE_LAND, EnterpriseSet, LandRegister
    from model.io.tasks import TaskRegister

    sheet = {"enterprises": ENTERPRISES.kind, "land": IDLE_LAND.kind, "tasks": "tasks"}[surface]
    raw = workbook(sheet=f"<worksheet {NS}><sheetData>" + _rows(2_000, 15, '<c t="s"><v>0</v></c>')
                   + "</sheetData></worksheet>", strings=f"<sst {NS}><si><t>é{'abcdefgh' * 500}</t></si></sst>")
    raw = raw.replace(b'name="actuals"', f'name="{sheet}"'.encode())
    read = {"enterprises": lambda: EnterpriseSet.from_bytes(raw, "bomb.xlsx"),
            "land": lambda: LandRegister.from_bytes(raw, "bomb.xlsx"),
            "tasks": lambda: TaskRegister.from_bytes(raw, "bomb.xlsx", plan_data)}[surface]
    t0 = time.process_time()
    with pytest.raises(DataError) as exc:
        read()
    assert time.process_time() - t0 < 1.0
    assert exc.value.problems[0].startswith("bomb.xlsx:-:-:") and "characters of text" in exc.value.problems[0]


def _one_value_workbook(value, number_format: str | None = None, unit: str = "%") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actuals"
    ws.append(["indicator_id", "year", "value", "unit", "measure", "source", "note"])
    ws.append(["land_use_index_2025", 2023, value, unit, "指数", "统计局", ""])
    if number_format:
        ws["C2"].number_format = number_format
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 999).map(lambda k: k / 100), st.sampled_from(["0%", "0.0%", "0.00%", '0.0"%"', "0.0\\%"]))
def test_a_cell_formatted_as_a_percentage_reads_as_the_percentage_excel_shows(share, fmt):
    """0.86 formatted 0% is 86% on screen and in the CSV Excel saves; read as 0.86 it was a hundred times too small,
    without a word. In a row whose unit is % it reads as 86; in a row of another unit it is refused, named."""
    from model.io.actuals import ActualsSet

    got = ActualsSet.from_bytes(_one_value_workbook(share, fmt), "a.xlsx").records()[0]["value"]
    literal = '"' in fmt or "\\" in fmt  # a quoted or escaped % is text: the number is shown as it is
    assert got == pytest.approx(share if literal else share * 100, rel=1e-12)
    if literal:
        return
    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(_one_value_workbook(share, fmt, unit="亿元"), "a.xlsx")
    assert exc.value.problems[0].startswith("a.xlsx:2:value:") and "unit" in exc.value.problems[0]


def test_a_formula_saved_without_its_value_is_named_not_read_as_empty():
    """A file written by a program (openpyxl, pandas) holds formulas without their results; openpyxl read them as
    empty cells and the row was dropped or its value lost, silently. A text formula's empty result is a value."""
    from model.io.actuals import ActualsSet

    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(_one_value_workbook("=80+6"), "a.xlsx")
    assert exc.value.problems == [exc.value.problems[0]] and exc.value.problems[0].startswith("a.xlsx:2:C: a formula")
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             f'<row r="2"><c r="A2" t="str"><f>""</f><v></v></c></row></sheetData></worksheet>')
    assert sheets.xlsx_rows(workbook(sheet=sheet), "w.xlsx", "actuals", 10, "x")[1] == (2, [])


from hypothesis import given, settings, strategies as st  # noqa: E402

_CELL = st.text(st.sampled_from(list("ab1,.\"\n 中文")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=2, max_size=8), st.data())
def test_a_quote_left_open_never_swallows_the_rows_after_it(rows, data):
    """An upload with a quotation mark opened and not closed (a hand-edited CSV): the reader took every row after it
    into that cell — a year's actual vanished into the row above's source, silently. Whatever the cells, a file
    with one stray quote opening a cell is refused (naming the row it opened in, or one after it: never read)."""
    import csv
    import io

    from model.io.sheets import csv_rows
    from model.plan.tables import DataError

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["h1", "h2", "h3"]] + rows)
    good = buf.getvalue()
    assert [r for _, r in csv_rows(good.encode("utf-8"), "f.csv", 100, "a file")] == [["h1", "h2", "h3"]] + rows
    k = data.draw(st.integers(0, len(rows) - 2), label="row")  # not the last: a row follows it
    lines = good.split("\r\n")
    start = 1 + k  # the line row k starts on (split at the writer's CRLF: a cell's own break is a bare LF)
    bad = "\r\n".join(lines[:start] + ['"' + lines[start]] + lines[start + 1:])
    try:
        got = csv_rows(bad.encode("utf-8"), "f.csv", 100, "a file")
    except DataError as exc:
        at = int(exc.problems[0].split(":")[1])
        # the row it opened in, or (closed by a quoted cell's opening quote at a line end) a row after it, where
        # that cell's closing quote is left alone; the known answers below name the row exactly
        assert at >= k + 2 and "quotation mark" in exc.problems[0], (exc.problems, k)
        return
    raise AssertionError(f"read without a problem: {got}")


@pytest.mark.parametrize("later", ['"好",1', 'x,"好,1"', '"他说""好""",1'])
def test_a_stray_quote_closed_by_a_later_cell_is_refused(later):
    """The stray quote closed by a quoted cell further down: the rows between become one cell and the record has
    fewer or more cells than the header (or the reader is thrown out by the text after the closing quote)."""
    from model.io.sheets import csv_rows
    from model.plan.tables import DataError

    text = f'a,b,c\r\n1,"x,2\r\n3,4,5\r\n6,{later}\r\n7,8,9\r\n'
    with pytest.raises(DataError, match="quotation mark") as exc:
        csv_rows(text.encode("utf-8"), "f.csv", 100, "a file")
    assert exc.value.problems[0].startswith("f.csv:2:-:"), exc.value.problems


def test_a_csv_row_of_more_cells_than_an_xlsx_row_may_hold_is_one_problem():
    """A header of 60,000 names gave 60,000 'unknown column' problems (the command printed them all). A CSV row
    holds no more filled cells than an .xlsx row is read with; blank cells after the last are nothing."""
    from model.io.actuals import ActualsSet
    from model.io.sheets import MAX_COLUMNS, csv_rows
    from model.plan.tables import DataError

    wide = ("a,b," + ",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n1,2\n").encode("utf-8")
    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(wide, "w.csv")
    assert exc.value.problems == [f"w.csv:1:-: more than {MAX_COLUMNS} cells in a row: not an actuals file"]
    padded = ("a,b" + "," * 5000 + "\n1,2\n").encode("utf-8")
    assert [r[:2] for _, r in csv_rows(padded, "p.csv", 10, "a file")] == [["a", "b"], ["1", "2"]]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["visible", "hidden", "veryHidden"]), min_size=1, max_size=4), st.booleans(),
       st.data())
def test_a_hidden_sheet_is_never_read_in_place_of_a_visible_one(states, named, data):
    """A workbook whose first sheet is hidden (its figures 1050) and whose visible sheet holds 999 was read as 1050;
    a hidden sheet named as the file's kind won over the visible one. The sheet read is the named one when the user
    can see it, else the first visible one; a named sheet that is hidden is refused, saying so."""
    import io

    import openpyxl

    from model.io.sheets import xlsx_rows
    from model.plan.tables import DataError

    if "visible" not in states:
        states = states + ["visible"]
    at = data.draw(st.integers(0, len(states) - 1), label="named") if named else None
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, state in enumerate(states):
        ws = wb.create_sheet("actuals" if i == at else f"S{i}")
        ws.append(["value"])
        ws.append([i])
        ws.sheet_state = state
    wb.active = next(i for i, s in enumerate(states) if s == "visible")
    buf = io.BytesIO()
    wb.save(buf)
    raw = buf.getvalue()
    if at is not None and states[at] != "visible":
        with pytest.raises(DataError, match="is hidden"):
            xlsx_rows(raw, "a.xlsx", "actuals", 100, "an actuals file")
        return
    got = xlsx_rows(raw, "a.xlsx", "actuals", 100, "an actuals file")
    expected = at if at is not None else states.index("visible")
    assert got[1][1] == [str(expected)], (states, at, got)


_SCALED = ['0.0,,', '0!.0,"万"', '#,##0,', '0\\.0000', '0.0,"K"', '#,##0.00,,"百万"', '0,;-0,']
_PLAIN = ['0', '0.00', '#,##0', '#,##0.00', '0.0"万"', '#,##0;[Red]-#,##0', '@', 'General', '0.0"万元"', '0"年"']


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_SCALED + _PLAIN), st.floats(1, 1e9, allow_nan=False))
def test_a_number_its_format_shows_divided_is_refused_not_read_as_stored(fmt, value):
    """Excel shows 342000000 under 0!.0,"万" as 34200.0万 and 1050000 under 0.0,, as 1.1: the stored number was read,
    10,000 or a million times what the sheet shows. A number whose format divides it (a comma after the last digit
    placeholder, a point typed as text between digits) is refused naming its cell; other formats read as stored."""
    import io

    import openpyxl

    from model.io.sheets import xlsx_rows
    from model.plan.tables import DataError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_id", "value"])
    ws.append(["x", value])
    ws["B2"].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    if fmt in _SCALED:
        with pytest.raises(DataError) as exc:
            xlsx_rows(buf.getvalue(), "a.xlsx", "actuals", 10, "an actuals file")
        assert exc.value.problems[0].startswith("a.xlsx:2:B: the cell's number format"), exc.value.problems
    else:
        got = xlsx_rows(buf.getvalue(), "a.xlsx", "actuals", 10, "an actuals file")
        assert float(got[1][1][1]) == pytest.approx(value, rel=1e-14)  # as stored (the file keeps 16 digits)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 10), st.integers(2, 30), st.integers(0, 3), st.booleans())
def test_a_value_right_of_the_header_is_refused_before_the_sheet_is_parsed(width, row, beyond, styled_only):
    """Every reader refuses a row with more cells than its header; an .xlsx of 5,000 such rows took 2 s to be told
    so (openpyxl parsed every cell first). The scan before openpyxl refuses the first value right of the header's
    last column, naming its row and column; empty (styled) cells there are nothing, as the readers take them."""
    import io

    import openpyxl

    from model.io.sheets import xlsx_rows
    from model.plan.tables import DataError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"h{i}" for i in range(width)])
    for r in range(2, row + 1):
        ws.append([f"v{r}.{i}" for i in range(width)])
    cell = ws.cell(row=row, column=width + 1 + beyond)
    if styled_only:
        cell.number_format = "0.00"  # a formatted empty cell: saved, no value
    else:
        cell.value = "extra"
    buf = io.BytesIO()
    wb.save(buf)
    if styled_only or row == 1:
        assert len(xlsx_rows(buf.getvalue(), "a.xlsx", "x", 100, "a file")) == row
        return
    from openpyxl.utils import get_column_letter

    with pytest.raises(DataError) as exc:
        xlsx_rows(buf.getvalue(), "a.xlsx", "x", 100, "a file")
    assert exc.value.problems == [f"a.xlsx:-:-: row {row} has a value in column {get_column_letter(width + 1 + beyond)}"
                                  f", right of the header's last column ({get_column_letter(width)}): not a file"]


def test_a_reader_stops_at_two_hundred_problems():
    from model.io.actuals import ActualsSet
    from model.io.sheets import MAX_PROBLEMS
    from model.plan.tables import DataError

    text = "indicator_id,year,value,unit,measure,source,note\n" + "".join(f"x{i},notayear,notanumber,亿元,,,\n"
                                                                     for i in range(2000))
    with pytest.raises(DataError) as exc:
        ActualsSet.from_bytes(text.encode("utf-8"), "a.csv")
    stop = [p for p in exc.value.problems if p.endswith("the rest of the file was not read")]
    assert len(stop) == 1 and len(exc.value.problems) < 2 * MAX_PROBLEMS, len(exc.value.problems)


def test_files_saved_oddly_are_named_for_what_they_are():
    """Two BOMs (a file saved twice) read as one: the header's first name was '\\ufeffindicator_id' (unknown) and
    indicator_id missing; an old .xls or a password-protected workbook was 'binary content, or UTF-16'; a line
    break in an assumptions file named its column by number."""
    from model.io.actuals import ActualsSet
    from model.io.assumptions import from_assumptions_csv
    from model.plan.tables import DataError, decode_text
    from model.scenario.scenario import ScenarioError

    body = "indicator_id,year,value,unit,measure,source,note\npark_output_2025,2021,1050,亿元,总产值,s,\n"
    twice = b"\xef\xbb\xbf" + ("\ufeff" + body).encode("utf-8")
    assert decode_text(twice, "a.csv") == body
    assert len(ActualsSet.from_bytes(twice, "a.csv").frame()) == 1
    with pytest.raises(DataError, match=r"a\.xls:1:-: an old \.xls workbook"):
        ActualsSet.from_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 500, "a.xls")
    with pytest.raises(ScenarioError) as exc:
        from_assumptions_csv('parameter,value,unit\nname,"two\nlines",\n'.encode("utf-8"), "s.csv")
    assert exc.value.problems[0].startswith("s.csv:2:value: a line break"), exc.value.problems


def _tampered(rows: int, edit) -> bytes:
    """An .xlsx of ``rows`` data rows whose sheet XML ``edit`` rewrites (as a program, not Excel, may write it)."""
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_id", "value"])
    for i in range(rows):
        ws.append([f"x{i}", i])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            z.writestr(info, data)
    return out.getvalue()


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 30), st.data())
def test_rows_a_tampered_xlsx_hides_are_read_or_the_file_is_refused(rows, data):
    """openpyxl (read-only) believed a sheet's <dimension> and dropped the rows past it, skipped a row numbered
    again and kept the last of a cell given twice: a 2025 actual vanished and a target was graded on 2022. Every
    row the sheet holds is read, whatever its dimension claims; a row or cell given again is refused."""
    import re

    from model.io.sheets import xlsx_rows
    from model.plan.tables import DataError

    k = data.draw(st.integers(2, rows), label="claimed rows")
    short = _tampered(rows, lambda x: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:B{k}"/>', x))
    assert len(xlsx_rows(short, "a.xlsx", "x", 100, "a file")) == rows + 1
    j = data.draw(st.integers(2, rows + 1), label="row repeated")
    again = _tampered(rows, lambda x: x.replace("</sheetData>", f'<row r="{j}"><c r="A{j}" t="inlineStr"><is><t>y'
                                                               f'</t></is></c></row></sheetData>'))
    with pytest.raises(DataError, match=f"row {j} comes again"):
        xlsx_rows(again, "a.xlsx", "x", 100, "a file")
    twice = _tampered(rows, lambda x: x.replace(f'</c></row><row r="{j + 1}"' if j <= rows else "</c></row></sheetData>",
                                                f'</c><c r="B{j}"><v>99999</v></c></row>' +
                                                (f'<row r="{j + 1}"' if j <= rows else "</sheetData>"), 1))
    with pytest.raises(DataError, match="comes again or out of order"):
        xlsx_rows(twice, "a.xlsx", "x", 100, "a file")


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 12), st.data())
def test_a_cells_stored_value_is_what_its_type_requires_or_the_cell_is_named(rows, data):
    """A number cell holding inf, NaN, 0x10 or text failed the whole workbook at row 1 with no reason; a shared-text
    index of -1 read the last text (Python's indexing), one past the end failed without a cell. Every stored value
    a number cell can hold is read as that number or refused naming its row and column; every shared-text index is
    read as that text or refused naming its cell."""
    import math
    import re

    from model.io.sheets import xlsx_rows

    j = data.draw(st.integers(2, rows + 1), label="row")
    stored = data.draw(st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["inf", "-inf", "NaN", "nan", "0x10", "abc", "1e400", "1_000", "١٢", "", " 5 ", "-0",
                         "1E+2", "Infinity", "+3.5"]),
        st.text(alphabet="0123456789.eE+-x ", max_size=8)), label="stored")
    number = _tampered(rows, lambda x: re.sub(rf'(<c r="B{j}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{stored}</v>", x))
    try:
        ok = stored.strip() == "" or math.isfinite(float(stored.strip()))
        ok = ok and stored.strip().isascii() and "_" not in stored
    except ValueError:
        ok = False
    if ok:
        got = dict(xlsx_rows(number, "a.xlsx", "x", 100, "a file"))[j]
        assert stored.strip() == "" or float(got[1]) == float(stored.strip()), (stored, got)
    else:
        with pytest.raises(DataError) as exc:
            xlsx_rows(number, "a.xlsx", "x", 100, "a file")
        assert exc.value.problems[0].startswith(f"a.xlsx:{j}:B: "), exc.value.problems
    index = data.draw(st.integers(-3, 2 * rows + 3), label="shared index")
    shared = _shared(rows, j, index)
    n_texts = len(set(["indicator_id", "value"] + [f"x{i}" for i in range(rows)]))
    if 0 <= index < n_texts:
        got = dict(xlsx_rows(shared, "a.xlsx", "x", 100, "a file"))[j]
        assert got[0] and got[0] != "", got
    else:
        with pytest.raises(DataError) as exc:
            xlsx_rows(shared, "a.xlsx", "x", 100, "a file")
        assert exc.value.problems[0].startswith(f"a.xlsx:{j}:A: "), exc.value.problems


def _shared(rows: int, j: int, index: int) -> bytes:
    """The workbook of :func:`_tampered` saved with shared strings (as Excel saves it), cell A{j} pointing at text
    ``index``."""
    import io
    import re
    import zipfile

    plain = _tampered(rows, lambda x: x)
    src, out = zipfile.ZipFile(io.BytesIO(plain)), io.BytesIO()
    texts: list[str] = []
    sheet = src.read("xl/worksheets/sheet1.xml").decode("utf-8")

    def share(m):
        t = m.group(2)
        if t not in texts:
            texts.append(t)
        k = index if m.group(1) == f"A{j}" else texts.index(t)
        return f'<c r="{m.group(1)}" t="s"><v>{k}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', share, sheet)
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
           f'main" count="{len(texts)}" uniqueCount="{len(texts)}">' + "".join(f"<si><t>{t}</t></si>" for t in texts)
           + "</sst>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            z.writestr(info, data)
        z.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()

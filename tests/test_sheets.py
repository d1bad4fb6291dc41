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

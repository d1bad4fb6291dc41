"""Rows of a user's table file, CSV (UTF-8, UTF-8 with BOM or GBK) or .xlsx, with spreadsheet row numbers.

Shared by the actuals files and the next plan's lists: size caps before parsing, every cell as the text a CSV would
hold (numbers bit-exact, so they pass the one number parser again), a damaged file named, never a traceback.
"""
from __future__ import annotations

import csv
import io
import warnings

from .. import numbers
from ..plan.tables import DataError, decode_text

XLSX_MAGIC = b"PK\x03\x04"
MAX_CELL = 4 * numbers.MAX_TEXT * 16  # characters kept of one .xlsx text cell (a note, a description)


def cell_text(v) -> str:
    """An .xlsx cell value as the text a CSV would hold (2026.0 → '2026'; dates as ISO text)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return numbers.decimal_text(v) if v == v and abs(v) != float("inf") else str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)[:MAX_CELL]


def xlsx_rows(raw: bytes, label: str, sheet: str, max_rows: int, what: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of ``sheet`` (else the first sheet), at most ``max_rows`` data rows."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises many types (zipfile, XML parsers, openpyxl itself)
        raise DataError([f"{label}:1:-: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        out: list[tuple[int, list[str]]] = []
        for n, row in enumerate(ws.iter_rows(values_only=True, max_col=64), start=1):
            if n > max_rows + 1:
                raise DataError([f"{label}:-:-: more than {max_rows:,} rows: not {what}"])
            cells = [cell_text(v) for v in row]
            while cells and cells[-1] == "":  # read_only sheets pad rows to the widest one
                cells.pop()
            out.append((n, cells))
        return out
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - see above
        raise DataError([f"{label}:1:-: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    finally:
        wb.close()


def csv_rows(raw: bytes, label: str, max_rows: int, what: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of a CSV; a record is a row even with a line break inside a quoted cell."""
    if raw.count(b"\n") > max_rows + 1:
        raise DataError([f"{label}:-:-: more than {max_rows:,} rows: not {what}"])
    text = decode_text(raw, label)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as exc:
        raise DataError([f"{label}:1:-: not a valid CSV file ({exc})"]) from None

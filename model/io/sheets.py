"""Rows of a user's table file, CSV (UTF-8, UTF-8 with BOM or GBK) or .xlsx, with spreadsheet row numbers.

Shared by the actuals files, the next plan's lists and the assumptions file: size caps before parsing, every cell as
the text a CSV would hold (numbers bit-exact, so they pass the one number parser again), a damaged file named, never a
traceback.

No parsing grows with what a file *expands to*. A CSV is counted in records the way ``csv.reader`` reads them (a CR,
LF or CRLF line end, a quoted cell over several lines) and refused at the first record over the limit. An .xlsx is a
zip of XML: before openpyxl sees it, :func:`check_xlsx` reads the zip's directory (entries, declared sizes,
compression ratios) and streams the parts openpyxl would parse with a bounded XML scan (no DTD or entities, nesting
depth, shared strings, the sheet's rows and columns, elements elsewhere), stopping at the first cap exceeded, so a
zip bomb of any kind is refused in milliseconds with a ``file:-:-:`` message.
"""
from __future__ import annotations

import csv
import io
import math
import posixpath
import re
import warnings
import zipfile
from xml.parsers import expat

from .. import numbers
from ..plan.tables import DataError, decode_text

XLSX_MAGIC = b"PK\x03\x04"
MAX_CELL = 4 * numbers.MAX_TEXT * 16  # characters kept of one .xlsx text cell (a note, a description)
MAX_COLUMNS = 64  # cells of one row an .xlsx may hold (and the columns read)
MAX_PROBLEMS = 200  # problems a reader lists before it stops reading a file (the CLI prints 200, a page 30)
# Characters all the cells read from one sheet may hold together: no more text than the largest CSV accepted
# (5 MB) could carry. A sheet's cells may all point to one long shared string, so a file of a few kilobytes
# expanded to 120 million characters, which every reader then cleaned and parsed (minutes of CPU).
MAX_SHEET_TEXT = 5_000_000

# What an .xlsx may expand to (a 5,000-row file of 20 columns uses a fraction of each). Measured here: openpyxl
# spends ~9 µs per shared string, ~20 µs per style record and ~4 µs per cell, so these caps keep the parse of any
# accepted file near a second, and the scan that enforces them stops at the first cap exceeded.
MAX_ZIP_ENTRIES = 256
MAX_ZIP_ENTRY = 32_000_000  # bytes, uncompressed, of one part
MAX_ZIP_TOTAL = 64_000_000  # bytes, uncompressed, of all parts
MAX_ZIP_RATIO = 100  # uncompressed ÷ compressed of a part larger than RATIO_FROM (XML compresses ~5-25×)
RATIO_FROM = 256_000
MAX_XML_DEPTH = 64
MAX_SHARED_STRINGS = 50_000  # distinct texts of a workbook
MAX_SHARED_ELEMENTS = 200_000  # XML elements of sharedStrings.xml (rich-text runs add a few per text)
CELLS_PER_ROW = 24  # cells of the sheet read: on average this many per row allowed (a list has 18 columns)
MAX_SHEET_OTHER = 20_000  # elements of that sheet outside its rows (merged cells, formats, validations …)
MAX_PART_ELEMENTS = 30_000  # elements of every other part openpyxl parses (styles, workbook, relationships …)
_NOT_PARSED = ("xl/drawings/", "xl/charts/", "xl/media/", "xl/printerSettings/", "xl/embeddings/",
               "xl/pivotCache/", "xl/pivotTables/", "customXml/")  # read_only openpyxl never parses these


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


_LITERALS = re.compile(r'"[^"]*"|\\.')  # quoted text and backslash-escaped characters of a number format


# a format that shows a number divided: a comma after the last digit placeholder (0.0,, shows 1050000 as 1.1, in
# millions), or a point written as literal text between digits (0!.0,"万" shows 342000000 as 34200.0万)
_SCALING = re.compile(r"[0#?][,]+(?![0#?,])|[0#?](?:!|\\)\.[0#?]")


class ScaledCell(ValueError):
    """A number whose cell shows it divided (see :data:`_SCALING`): neither the value stored nor the one shown
    can be taken for it without asking."""


def _shown(cell) -> str:
    """A cell as a CSV saved from Excel holds it: a number formatted as a percentage (Excel shows 0.86 as 86%) as
    its percentage ("86%"), which the number parser reads as 86, not as 0.86 (a value a hundred times too small).
    Raises :class:`ScaledCell` for a number its format shows divided by thousands (or as 万)."""
    v = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and fmt != "General":
        if _SCALING.search(re.sub(r'"[^"]*"', "", fmt.split(";")[0])):  # the positive section, quoted text aside
            raise ScaledCell(fmt[:40])
        # a % in quotes or after a backslash is literal text (0.0"%" shows 0.86 as 0.9%): no scaling then
        if "%" in fmt and v == v and abs(v) != float("inf") and "%" in _LITERALS.sub("", fmt):
            return numbers.decimal_text(numbers.sig15(v * 100)) + "%"
    return cell_text(v)


# -- the zip before openpyxl -----------------------------------------------------------------------

class _Refused(Exception):
    """A cap exceeded inside the XML scan (the message says which)."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, on_start=None, budget: int | None = None,
          on_end=None, on_text=None) -> int:
    """Stream one XML part through expat: no DTD, no entity, depth at most MAX_XML_DEPTH, at most ``budget``
    elements; ``on_start(local_name, attrs)`` / ``on_end(local_name)`` may raise :class:`_Refused`. Returns the
    number of elements."""
    p = expat.ParserCreate()
    depth, count = [0], [0]

    def dtd(*_):
        raise _Refused(f"{info.filename}: declares a DTD or entities")

    def start(name, attrs):
        depth[0] += 1
        count[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise _Refused(f"{info.filename}: XML nested deeper than {MAX_XML_DEPTH} levels")
        if budget is not None and count[0] > budget:
            raise _Refused(f"{info.filename}: more than {budget:,} XML elements")
        if on_start is not None:
            on_start(_local(name), attrs)

    def end(name):
        depth[0] -= 1
        if on_end is not None:
            on_end(_local(name))

    p.StartDoctypeDeclHandler = dtd
    p.EntityDeclHandler = dtd
    p.StartElementHandler = start
    p.EndElementHandler = end
    if on_text is not None:
        p.CharacterDataHandler = on_text
    try:
        with zf.open(info) as fh:  # reads at most the declared (already capped) size
            while chunk := fh.read(1 << 16):
                p.Parse(chunk, False)
        p.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(f"{info.filename}: not well-formed XML ({expat.ErrorString(exc.code)})") from None
    return count[0]


def _attrs_of(zf: zipfile.ZipFile, info: zipfile.ZipInfo | None, tag: str) -> list[dict]:
    """The attributes of every ``tag`` element of a (small, already scanned) part."""
    found: list[dict] = []
    if info is not None:
        _scan(zf, info, lambda name, attrs: found.append(attrs) if name == tag else None, MAX_PART_ELEMENTS)
    return found


def _sheet_parts(zf: zipfile.ZipFile, by_name: dict, sheet: str) -> tuple[set[str], str | None]:
    """Every worksheet part of the workbook, and the one openpyxl reads (``sheet``, else the first worksheet),
    found as openpyxl finds them (package relationships, then the workbook's); (set(), None) when they cannot be
    told (then every worksheet is held to the rules of the one read)."""
    rels = _attrs_of(zf, by_name.get("_rels/.rels"), "Relationship")
    book = next((r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument")), "")
    book = book.lstrip("/") or "xl/workbook.xml"
    folder = posixpath.dirname(book)
    book_rels = posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")
    sheets = _attrs_of(zf, by_name.get(book), "sheet")
    targets = {}
    for r in _attrs_of(zf, by_name.get(book_rels), "Relationship"):
        target = r.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[r.get("Id")] = (target, r.get("Type", ""))
    parts = []
    for s in sheets:
        rid = next((v for k, v in s.items() if _local(k) == "id"), None)
        target, kind = targets.get(rid, ("", ""))
        if target in by_name and kind.endswith("/worksheet"):
            parts.append((s.get("name"), s.get("state") or "visible", target))
    if not parts:
        return set(), None
    i = pick_sheet([(n, state) for n, state, _ in parts], sheet)
    return {t for _, _, t in parts}, parts[i][2] if i is not None else None


def pick_sheet(sheets: list[tuple[str, str]], sheet: str) -> int | None:
    """Which of the workbook's worksheets ((name, state) in order) is read: ``sheet`` when it is there, else the
    first the user can see. A hidden sheet is never read in place of a visible one (a hidden first sheet holding
    other figures was read instead of the one on screen); None when every sheet is hidden."""
    visible = [i for i, (_, state) in enumerate(sheets) if state == "visible"]
    named = next((i for i, (n, _) in enumerate(sheets) if n == sheet), None)
    if named is not None and (named in visible or not visible):
        return named
    return visible[0] if visible else (0 if sheets else None)


class _SheetRules:
    """Rows numbered as openpyxl numbers them (the ``r`` attribute, else the next), cells per row and in all,
    elements outside the rows: each capped."""

    def __init__(self, part: str, max_rows: int, what: str):
        self.part, self.max_rows, self.what = part, max_rows, what
        self.max_cells = (max_rows + 1) * CELLS_PER_ROW
        self.row = self.cells = self.in_row = self.other = 0
        self.in_data = False
        self.ref, self.formula, self.value, self.in_v = "", False, False, False
        self.uncached: list[tuple[int, str]] = []  # (row, cell reference) of formulas saved without their value
        # the header's last column (the first row holding a value): a value right of it is refused here, as every
        # reader refuses it later, before openpyxl parses thousands of such cells (2 s for a 0.5 MB file)
        self.header_cols: int | None = None
        self.col = self.row_last = self.last_col = 0
        self.filled = self.in_t = False
        self.kind, self.v_text = "", ""  # the cell's type (t=) and its <v>'s text (the first 64 characters)
        self.max_shared, self.max_shared_at = -1, ""  # the highest shared-string index a cell names, and where

    def start(self, name: str, attrs: dict) -> None:
        if name == "sheetData":
            self.in_data = True
        elif name == "row" and self.in_data:
            r = attrs.get("r", "")
            previous = self.row
            self.row = int(r) if r.isdigit() and len(r) < 10 else self.row + 1
            if self.row <= previous:  # openpyxl skips a row numbered again or out of order: its figures vanish
                raise _Refused(f"row {self.row} comes again after row {previous} (a file Excel does not write): "
                               f"open it in Excel and save it, or save it as CSV")
            self.in_row = 0
            self.last_col = 0
            if self.row > self.max_rows + 1:
                raise _Refused(f"more than {self.max_rows:,} rows: not {self.what}")
        elif name == "c" and self.in_data:
            self.in_row += 1
            self.cells += 1
            if self.in_row > MAX_COLUMNS:
                raise _Refused(f"row {self.row} has more than {MAX_COLUMNS} cells: not {self.what}")
            if self.cells > self.max_cells:
                raise _Refused(f"more than {self.max_cells:,} cells: not {self.what}")
            self.ref, self.formula, self.in_v = attrs.get("r", "")[:12], False, False
            self.kind, self.v_text = attrs.get("t", "n"), ""
            self.value = attrs.get("t") == "str"  # a formula's text result may be "" (Excel saves <v></v>)
            letters = "".join(ch for ch in self.ref if ch.isalpha()).upper()
            self.col = _column_index(letters) if letters else self.last_col + 1
            if self.col <= self.last_col:  # a cell given twice: openpyxl keeps the last, silently
                raise _Refused(f"row {self.row}: cell {self.ref or self.col} comes again or out of order (a file "
                               f"Excel does not write): open it in Excel and save it, or save it as CSV")
            self.last_col = self.col
            self.filled = False
        elif name == "f" and self.in_data:
            self.formula = True
        elif name == "is" and self.in_data:
            self.value = True
        elif name == "v" and self.in_data:
            self.in_v = True  # a value only if it holds text: openpyxl writes a formula with an empty <v/>
        elif name == "t" and self.in_data:
            self.in_t = True
        elif not self.in_data:
            self.other += 1
            if self.other > MAX_SHEET_OTHER:
                raise _Refused(f"{self.part}: more than {MAX_SHEET_OTHER:,} elements outside the rows")

    def text(self, data: str) -> None:
        if self.in_v and len(self.v_text) < 64:
            self.v_text += data[:64]
        if (self.in_v or self.in_t) and data.strip():
            self.value = self.value or self.in_v
            self.filled = True

    def end(self, name: str) -> None:
        if name == "v":
            self.in_v = False
            self._check_value()
        elif name == "t":
            self.in_t = False
        elif name == "c" and self.in_data and self.filled:
            if self.header_cols is not None and self.col > self.header_cols:
                raise _Refused(f"row {self.row} has a value in column {_column_letters(self.col)}, right of the "
                               f"header's last column ({_column_letters(self.header_cols)}): not {self.what}")
            self.row_last = max(self.row_last, self.col)
        elif name == "row" and self.in_data:
            if self.header_cols is None and self.row_last:
                self.header_cols = self.row_last
            self.row_last = 0
        if name == "sheetData":
            self.in_data = False
        elif name == "c" and self.in_data and self.formula and not self.value and len(self.uncached) < 10:
            # openpyxl reads such a cell as empty: its row would be dropped, or its value missing, without a word
            self.uncached.append((self.row, self.ref))


    def _where(self) -> str:
        letters = "".join(ch for ch in self.ref if ch.isalpha()).upper() or _column_letters(self.col)
        return f"{self.row}:{letters}"

    def _check_value(self) -> None:
        """A cell's stored value as its type requires: openpyxl reads a shared-string index of -1 as the last
        string (Python's indexing) and a number cell holding ``inf`` or ``abc`` fails the whole workbook."""
        v = self.v_text.strip()
        if not v or not self.in_data:
            return
        if self.kind == "s":
            if not (v.isascii() and v.isdigit()):
                raise _CellRefused(self._where(), f"a shared-text reference {v[:20]!r} that is not a text of "
                                                  f"the workbook (a damaged file): open it in Excel and save it")
            if int(v) > self.max_shared:
                self.max_shared, self.max_shared_at = int(v), self._where()
        elif self.kind == "n":
            try:
                ok = math.isfinite(float(v)) and v.isascii() and "_" not in v  # Python's float reads 1_000
                ok = ok and not v.lower().startswith(("0x", "+0x", "-0x"))
            except ValueError:
                ok = False
            if not ok:
                raise _CellRefused(self._where(), f"a number cell holding {v[:20]!r}, not a finite number (a file "
                                                  f"written by a program, not by Excel): type the figure")


class _CellRefused(Exception):
    """A cell the readers cannot take: (row:column, why)."""


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters[:4]:
        n = n * 26 + (ord(ch) - 64)
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _zip_entries(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _Refused(f"{len(infos):,} parts in the workbook (at most {MAX_ZIP_ENTRIES})")
    total = 0
    for i in infos:
        if i.file_size > MAX_ZIP_ENTRY:
            raise _Refused(f"{i.filename}: expands to {i.file_size:,} bytes (at most {MAX_ZIP_ENTRY:,})")
        if i.file_size > RATIO_FROM and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise _Refused(f"{i.filename}: compressed {i.file_size // max(i.compress_size, 1):,} to 1 "
                           f"(at most {MAX_ZIP_RATIO} to 1)")
        total += i.file_size
        if total > MAX_ZIP_TOTAL:
            raise _Refused(f"expands to more than {MAX_ZIP_TOTAL:,} bytes")
    return infos


def check_xlsx(raw: bytes, label: str, sheet: str, max_rows: int, what: str) -> None:
    """Refuse, before any XML is parsed by openpyxl, an .xlsx whose parts expand beyond the caps above.

    Raises ``DataError`` with one ``label:-:-: …`` line naming the cap (or ``label:1:-:`` for a damaged zip).
    """
    uncached: list[tuple[int, str]] = []
    strings, referenced, at = [0], -1, ""  # shared strings in the workbook; the highest index a cell names, where
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = _zip_entries(zf)
            by_name = {i.filename: i for i in infos}
            worksheets, part = _sheet_parts(zf, by_name, sheet)
            for i in infos:
                name = i.filename
                if not name.endswith((".xml", ".rels", ".vml")) or i.is_dir():
                    continue
                if name in worksheets or (part is None and name.startswith("xl/worksheets/")
                                          and not name.endswith(".rels")):
                    if part is None or name == part:
                        rules = _SheetRules(name, max_rows, what)
                        _scan(zf, i, rules.start, None, rules.end, rules.text)
                        uncached.extend(rules.uncached)
                        if rules.max_shared > referenced:
                            referenced, at = rules.max_shared, rules.max_shared_at
                    continue  # another sheet: openpyxl (read-only) never parses it
                if name.endswith("sharedStrings.xml"):
                    def count(tag, _attrs, n=strings):
                        if tag == "si":
                            n[0] += 1
                            if n[0] > MAX_SHARED_STRINGS:
                                raise _Refused(f"{name}: more than {MAX_SHARED_STRINGS:,} shared strings")

                    _scan(zf, i, count, MAX_SHARED_ELEMENTS)
                    continue
                _scan(zf, i, None, None if name.startswith(_NOT_PARSED) else MAX_PART_ELEMENTS)
        if referenced >= strings[0]:
            raise _CellRefused(at, f"the cell refers to shared text {referenced}, and the workbook holds "
                                   f"{strings[0]} (a damaged file): open it in Excel and save it")
    except _Refused as exc:
        raise DataError([f"{label}:-:-: {exc}"]) from None
    except _CellRefused as exc:
        raise DataError([f"{label}:{exc.args[0]}: {exc.args[1]}"]) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError) as exc:  # a damaged or encrypted zip, an unknown compression method
        raise DataError([f"{label}:1:-: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    if uncached:
        raise DataError([f"{label}:{row}:{''.join(c for c in ref if c.isalpha()) or '-'}: a formula saved without its "
                         f"value (a file written by a program, not by Excel): type the value, or open the file in "
                         f"Excel and save it" for row, ref in uncached])


def xlsx_rows(raw: bytes, label: str, sheet: str, max_rows: int, what: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of ``sheet`` (else the first sheet), at most ``max_rows`` data rows."""
    check_xlsx(raw, label, sheet, max_rows, what)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises many types (zipfile, XML parsers, openpyxl itself)
        raise DataError([f"{label}:1:-: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    try:
        states = [(ws.title, getattr(ws, "sheet_state", "visible") or "visible") for ws in wb.worksheets]
        i = pick_sheet(states, sheet)
        if sheet in (n for n, _ in states) and states[i][0] != sheet:  # the named sheet is hidden, another shown
            raise DataError([f"{label}:-:-: the sheet {sheet!r} is hidden: unhide it (right-click a sheet tab → "
                             f"Unhide) or delete it; a hidden sheet is never read"])
        ws = wb.worksheets[i]
        if hasattr(ws, "reset_dimensions"):  # every row the sheet holds, not only those its <dimension> claims
            ws.reset_dimensions()
        out: list[tuple[int, list[str]]] = []
        text = 0
        for n, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
            if n > max_rows + 1:
                raise DataError([f"{label}:-:-: more than {max_rows:,} rows: not {what}"])
            cells = []
            for j, c in enumerate(row):
                try:
                    cells.append(_shown(c))
                except ScaledCell as exc:
                    from openpyxl.utils import get_column_letter

                    raise DataError([f"{label}:{n}:{get_column_letter(j + 1)}: the cell's number format "
                                     f"({exc.args[0]}) shows the figure divided (in thousands or as 万): type the "
                                     f"figure in the unit of its row, with a plain number format"]) from None
            while cells and cells[-1] == "":  # read_only sheets pad rows to the widest one
                cells.pop()
            text += sum(map(len, cells))
            if text > MAX_SHEET_TEXT:
                raise DataError([f"{label}:-:-: its cells hold more than {MAX_SHEET_TEXT:,} characters of text "
                                 f"(a CSV of more than 5 MB): not {what}"])
            out.append((n, cells))
        return out
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - see above
        raise DataError([f"{label}:1:-: not a readable .xlsx workbook ({type(exc).__name__})"]) from None
    finally:
        wb.close()


# -- CSV, counted in records ------------------------------------------------------------------------

def csv_records(text: str, label: str, max_rows: int, what: str) -> list[list[str]]:
    """Every record of CSV ``text`` as ``csv.reader`` reads it (CR, LF or CRLF line ends in any mix, quoted cells
    over several lines), refused at the first record beyond a header and ``max_rows`` data rows.

    A quotation mark left open is refused at the row it opened in, never read as the rows after it in one cell:
    the reader is strict (a quote never closed, or closed inside a cell, is an error), and a record's quotation
    marks come in pairs (a quoted cell has two, a quote inside it is written twice), so a stray quote closed by a
    later quoted cell leaves its record with an odd number of them."""
    out: list[list[str]] = []
    quotes = [0]  # quotation marks in the lines the reader has taken since the last record

    def lines():
        for line in io.StringIO(text, newline=""):
            quotes[0] += line.count('"')
            yield line

    try:
        for rec in csv.reader(lines(), strict=True):
            if len(out) > max_rows:  # this record is the (max_rows + 2)-th
                raise DataError([f"{label}:-:-: more than {max_rows:,} rows: not {what}"])
            if quotes[0] % 2:
                raise DataError([f"{label}:{len(out) + 1}:-: a quotation mark in this row is not paired (a quote "
                                 f"left open, or one inside a cell not written twice): the rows after it would be "
                                 f"read into one cell. Close the quote or remove it"])
            quotes[0] = 0
            if len(rec) > MAX_COLUMNS:  # as an .xlsx row: blank cells at the end are nothing, more filled ones refused
                while len(rec) > MAX_COLUMNS and not rec[-1].strip():
                    rec.pop()
                if len(rec) > MAX_COLUMNS:
                    raise DataError([f"{label}:{len(out) + 1}:-: more than {MAX_COLUMNS} cells in a row: not {what}"])
            out.append(rec)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc) or "expected after" in str(exc):
            raise DataError([f"{label}:{len(out) + 1}:-: a quotation mark opened in this row is not closed where "
                             f"its cell ends: the rows after it would be read into that cell. Close the quote or "
                             f"remove it"]) from None
        raise DataError([f"{label}:{len(out) + 1}:-: not a valid CSV file ({exc})"]) from None
    return out


def csv_rows(raw: bytes, label: str, max_rows: int, what: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of a CSV; a record is a row even with a line break inside a quoted cell."""
    text = decode_text(raw, label)
    return list(enumerate(csv_records(text, label, max_rows, what), start=1))


def require_rows(doc, label: str):
    """``doc`` (a file read into rows) if it holds a row; else the one refusal every surface gives (page, command):
    a header alone, or an unfilled template, must never replace or stand for the figures."""
    if doc is not None and len(doc) == 0:
        raise DataError([f"{label}:2:-: the file has a header but no rows (an unfilled template?)"])
    return doc

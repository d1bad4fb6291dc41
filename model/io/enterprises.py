"""Files of the per-mu efficiency evaluation (亩均效益评价): the enterprise file and the low-efficiency land register.

Both are read as strictly as the actuals files (:mod:`model.io.actuals`): CSV (UTF-8, UTF-8 with BOM or GBK) or
``.xlsx`` through :mod:`model.io.sheets` (size caps first), every problem named ``file:row:column: what`` with the
spreadsheet's row numbers and the column as the file writes it, one :class:`~model.plan.tables.DataError` listing
them all; a bad file changes nothing.

**Headers** may be in Chinese or English (the template's, from ``strings/mujun.csv``) or the canonical ids; they are
compared after NFKC, case folding and without spaces, so ``用地面积(亩)`` and ``Land (mu)`` both read as
``land_mu``. A unit in brackets must be the column's (``税收（元）`` is refused: convert to 万元); a header without a
unit is read in the column's unit.

**Cells**: text is cleaned (NFC, control, zero-width and bidi characters removed, spaces collapsed) and neutralised
against spreadsheet formulas, so every document writer accepts it; numbers go through the one bounded parser
(:mod:`model.numbers`) and must lie in the column's plausible range (no negative land or money, counts whole);
areas are checked against the areas the caller passes in (by value or by name in either language; ``None`` skips the
check, as the library does); 规模 (scale), 不参与分类原因 (reason not graded; the earlier header 不定等级原因 is read too) and 类别 (land category) are read by
their code or their name in either language and stored as codes.

Each file is a value object with a canonical CSV text (canonical column ids, rows sorted, numbers bit-exact, CRLF):
``short_id`` is the first 8 hex digits of its SHA-256, so the library keeps versions of it. Importing this module
registers the library kinds ``enterprises`` and ``idle_land`` (editors only: see ``pages/10_mujun.py``).

Units: land in 亩, money in 万元, energy in 吨标准煤 (tonnes of standard coal equivalent), emissions in 吨.
"""
from __future__ import annotations

from collections import Counter
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Mapping

import pandas as pd

from .. import numbers
from ..cleaning import clean, folded
from ..plan.tables import DataError
from ..report.text import LANGS, tr
from . import sheets
from .sheets import MAX_PROBLEMS
from .export import neutralise

MAX_BYTES = 4_000_000  # the app's uploads are capped lower (server.maxUploadSize)
MAX_ROWS = 20_000
# the least land a graded firm may hold (6.7 m²): per-mu figures divide by it, and 1e-9 亩 printed as 0 beside a
# tax per mu of 1e17 and grade A
MIN_LAND_MU = 0.01
MAX_NAME = 200  # characters of a name, an industry, a parcel id
MAX_TEXT = 500  # characters of a note
XLSX_MAGIC = b"PK\x03\x04"

# plausible upper bounds (a larger figure is a typing or unit error): a firm's land, money, energy, emissions, staff
MAX_LAND_MU = 100_000.0
MAX_MONEY_WAN = 100_000_000.0  # 1万亿元
MAX_ENERGY_TCE = 100_000_000.0
MAX_EMISSIONS_T = 10_000_000.0
MAX_EMPLOYEES = 1_000_000
MAX_BONUS = 100.0  # points; the method caps what counts (Method.bonus_cap)

SCALES = ("above", "below")  # 规上 / 规下 (above / below the statistical size threshold)
REASONS = ("utility", "startup", "construction")  # why a firm is evaluated but not graded (不参与分类)
CATEGORIES = ("approved_unsupplied", "supplied_unused", "used_unbuilt", "built_uninvested", "invested_substandard",
              "idle")  # idle: 闲置土地 as the 闲置土地处置办法 defines it (a parcel is listed under one category)

# credit code (GB 32100-2015): 18 characters of this alphabet, the last a check character
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The check character of a unified social credit code from its first 17 characters."""
    total = sum(_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CODE_WEIGHTS))
    return _CODE_ALPHABET[(31 - total % 31) % 31]


def credit_problem(code: str) -> str | None:
    """Why ``code`` is not a unified social credit code (None when it is one)."""
    if len(code) != 18:
        return f"a unified social credit code has 18 characters, not {len(code)}"
    bad = sorted({c for c in code if c not in _CODE_ALPHABET})
    if bad:
        return f"characters {''.join(bad)!r} are not used in credit codes"
    if credit_check_char(code[:17]) != code[17]:
        return f"check character {code[17]!r} does not match (expected {credit_check_char(code[:17])!r})"
    return None


# -- columns -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    """One column of a file kind: its id, how a cell is read, whether it must be there and filled, its range."""

    id: str
    kind: str  # text | note | credit | area | scale | reason | category | number | count
    required: bool = False
    lo: float = 0.0
    hi: float = 0.0
    what: str = ""  # for range messages: land, money …
    former: tuple[str, ...] = ()  # headers earlier templates wrote, still read (a downloaded template keeps working)


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: tuple[Col, ...]
    key: str  # duplicates are refused on this column
    what: str  # "an enterprise file" (size messages)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    def col(self, cid: str) -> Col:
        return next(c for c in self.columns if c.id == cid)


ENTERPRISES = Spec("enterprises", (
    Col("name", "text", True),
    Col("credit_code", "credit"),
    Col("area", "area", True),
    Col("scale", "scale", True),
    Col("industry", "text", True),
    Col("land_mu", "number", True, 0.0, MAX_LAND_MU, "land"),
    Col("tax_wan", "number", True, 0.0, MAX_MONEY_WAN, "money"),
    Col("revenue_wan", "number", False, 0.0, MAX_MONEY_WAN, "money"),
    Col("value_added_wan", "number", False, 0.0, MAX_MONEY_WAN, "money"),
    Col("energy_tce", "number", False, 0.0, MAX_ENERGY_TCE, "energy use"),
    Col("emissions_t", "number", False, 0.0, MAX_EMISSIONS_T, "emissions"),
    Col("employees", "count", False, 0.0, MAX_EMPLOYEES, "employees"),
    Col("rd_wan", "number", False, 0.0, MAX_MONEY_WAN, "money"),
    Col("exempt_reason", "reason", former=("不定等级原因",)),
    Col("bonus", "number", False, -MAX_BONUS, MAX_BONUS, "bonus points"),
), "name", "an enterprise file")

IDLE_LAND = Spec("idle_land", (
    Col("parcel_id", "text", True),
    Col("area", "area", True),
    Col("category", "category", True),
    Col("land_mu", "number", True, 0.0, MAX_LAND_MU, "land"),
    Col("location", "text"),
    Col("note", "note"),
), "parcel_id", "a land register")

SPECS = {s.kind: s for s in (ENTERPRISES, IDLE_LAND)}
# the unit each column's header states (both languages write the same unit, or 亩 / mu)
_UNIT_RE = re.compile(r"^(?P<base>.*?)[（(](?P<unit>[^（）()]*)[）)]$")


def header_label(spec: Spec, cid: str, lang: str) -> str:
    """A column's header in ``lang`` with its unit: 用地面积（亩） / Land (mu)."""
    return tr(f"mj.col.{cid}", lang)


_norm = folded  # a header or code as compared (model.cleaning.folded)


def _split_unit(text: str) -> tuple[str, str | None]:
    m = _UNIT_RE.match(_norm(text))
    return (m["base"], m["unit"]) if m else (_norm(text), None)


def _header_map(spec: Spec) -> dict[str, tuple[str, frozenset[str]]]:
    """normalised header base -> (column id, the units its labels state)."""
    out: dict[str, tuple[str, set]] = {}
    for c in spec.columns:
        units: set[str] = set()
        bases = {_norm(c.id)} | {_split_unit(f)[0] for f in c.former}
        for lang in LANGS:
            base, unit = _split_unit(header_label(spec, c.id, lang))
            bases.add(base)
            if unit:
                units.add(unit)
        for b in bases:
            out[b] = (c.id, units)
    return {k: (cid, frozenset(u)) for k, (cid, u) in out.items()}


def _codes(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    """normalised spelling -> code: the code itself and its name in each language."""
    out = {}
    for code in codes:
        out[_norm(code)] = code
        for lang in LANGS:
            out[_norm(tr(f"{prefix}.{code}", lang))] = code
    return out


def code_label(prefix: str, code: str, lang: str) -> str:
    """The name of a scale / reason / category code in ``lang`` (empty for none)."""
    return tr(f"{prefix}.{code}", lang) if code else ""


Areas = Mapping[str, Mapping[str, str]]  # area value -> {lang: display name}


def _area_lookup(areas: Areas) -> dict[str, str]:
    out = {}
    for value, names in areas.items():
        out[_norm(value)] = value
        for name in (names or {}).values():
            if name:
                out[_norm(name)] = value
    return out


def clean_text(value: str) -> str:
    """Text as documents print it: NFC, no control, format (zero-width, bidi), surrogate or private-use
    characters, one space between words."""
    return clean(value)  # the one cleaner (model.cleaning), whose single-line rules these are


# -- reading -------------------------------------------------------------------------------------------

def read_rows(raw, label: str, spec: Spec) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and numbered non-blank data rows of a CSV or .xlsx file, after the size caps."""
    if not isinstance(raw, (bytes, bytearray)):
        raise DataError([f"{label}:-:-: not a file's bytes"])
    raw = bytes(raw)
    if len(raw) > MAX_BYTES:
        raise DataError([f"{label}:-:-: larger than {MAX_BYTES // 1_000_000} MB: not {spec.what}"])
    if not raw.strip():
        raise DataError([f"{label}:1:-: the file is empty"])
    if raw[:4] == XLSX_MAGIC:
        rows = sheets.xlsx_rows(raw, label, spec.kind, MAX_ROWS, spec.what)
    else:
        rows = sheets.csv_rows(raw, label, MAX_ROWS, spec.what)
    rows = [(n, [c.strip() for c in r]) for n, r in rows if any(c.strip() for c in r)]
    for _, r in rows:
        while r and r[-1] == "":
            r.pop()
    if not rows:
        raise DataError([f"{label}:1:-: the file is empty"])
    return rows[0][1], rows[1:]


def _columns(header: list[str], label: str, spec: Spec, optional: frozenset = frozenset()
             ) -> tuple[list[str | None], list[str]]:
    """Column id per header cell (None for a blank header cell) and the header's problems."""
    known = _header_map(spec)
    problems, ids = [], []
    for h in header:
        if not h:
            ids.append(None)
            continue
        base, unit = _split_unit(h)
        hit = known.get(base) or known.get(_norm(h))
        if hit is None:
            problems.append(f"{label}:1:{h}: unknown column (expected: "
                            f"{', '.join(header_label(spec, c.id, 'zh') for c in spec.columns)})")
            ids.append(None)
            continue
        cid, units = hit
        if unit is not None and known.get(_norm(h)) is None and units and unit not in units:
            problems.append(f"{label}:1:{h}: unit {unit!r} differs from the column's "
                            f"({' / '.join(sorted(units))}): convert the figures")
        ids.append(cid)
    for c in spec.columns:
        if c.required and c.id not in ids and c.kind not in optional:
            problems.append(f"{label}:1:{header_label(spec, c.id, 'zh')}: missing column "
                            f"({header_label(spec, c.id, 'en')})")
    for cid in sorted(i for i, n in Counter(ids).items() if i and n > 1):
        where = [header[k] for k, i in enumerate(ids) if i == cid]
        problems.append(f"{label}:1:{where[1]}: the same column as {where[0]!r}")
    return ids, problems


def _cell(c: Col, text: str, where: str, problems: list[str], lookups: dict):
    """One cell as its column reads it (None for blank), appending any problem."""
    if c.kind in ("text", "note"):
        value = clean_text(text)
        limit = MAX_TEXT if c.kind == "note" else MAX_NAME
        if len(value) > limit:
            problems.append(f"{where}: longer than {limit} characters")
            value = value[:limit]
        return neutralise(value) if value else ""
    if text == "":
        return None if c.kind in ("number", "count") else ""
    if c.kind in ("number", "count"):
        try:
            v = numbers.integer(text) if c.kind == "count" else numbers.sig15(numbers.number(text))
        except numbers.NumberError as exc:
            problems.append(f"{where}: {exc.reason}: {text[:40]!r}")
            return None
        if v < c.lo:
            problems.append(f"{where}: negative {c.what}: {numbers.decimal_text(v)}" if c.lo == 0 else
                            f"{where}: {numbers.decimal_text(v)} below {numbers.decimal_text(c.lo)}")
            return None
        if v > c.hi:
            problems.append(f"{where}: {numbers.decimal_text(v)} above the plausible {c.what} of at most "
                            f"{numbers.decimal_text(c.hi)} (a typing or unit error?)")
            return None
        return v
    if c.kind == "credit":
        code = "".join(unicodedata.normalize("NFKC", text).upper().split())
        why = credit_problem(code)
        if why:
            problems.append(f"{where}: {why}")
        return code
    table = lookups.get(c.kind)
    if table is None:  # areas not checked (the library keeps files of any plan)
        return clean_text(text)
    got = table.get(_norm(text))
    if got is None:
        # each allowed value with the Chinese spelling the template's users write (批而未供, not approved_unsupplied)
        zh = {}
        for key, code in table.items():
            if any("\u4e00" <= ch <= "\u9fff" for ch in key) and key != code:
                zh.setdefault(code, key)
        allowed = [f"{code}（{zh[code]}）" if code in zh else code for code in sorted(set(table.values()))]
        problems.append(f"{where}: unknown value {clean_text(text)[:40]!r} (allowed: {', '.join(allowed)})")
        return ""
    return got


def _parse(raw, label: str, spec: Spec, areas: Areas | None) -> list[dict]:
    # a plan without areas (areas.csv is optional) neither requires nor restricts the area column (nor its cells):
    # every value was refused against an empty list, so such a plan could grade no firm
    no_areas = areas is not None and not areas
    header, body = read_rows(raw, label, spec)
    ids, problems = _columns(header, label, spec, frozenset({"area"}) if no_areas else frozenset())
    if problems:
        raise DataError(problems)
    lookups = {"scale": _codes("mj.scale", SCALES), "reason": _codes("mj.reason", REASONS),
               "category": _codes("mj.landcat", CATEGORIES)}
    if areas:
        lookups["area"] = _area_lookup(areas)
    cols = {c.id: c for c in spec.columns}
    shown = {cid: header[k] for k, cid in enumerate(ids) if cid}
    out: list[dict] = []
    for n, cells in body:
        if len(problems) >= MAX_PROBLEMS:  # a file this wrong is read no further (a page lists 30, the CLI 200)
            problems.append(f"{label}:{n}:-: {MAX_PROBLEMS} problems before this row: the rest of the file was not "
                            f"read")
            break
        if len(cells) > len(header):
            problems.append(f"{label}:{n}:-: {len(cells)} cells but the header has {len(header)} columns "
                            f"(a decimal comma? write 7.5, not 7,5)")
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rec: dict = {"_row": n}
        given = set()
        for cid, text in zip(ids, cells):
            if cid is None:
                continue
            rec[cid] = _cell(cols[cid], text, f"{label}:{n}:{shown[cid]}", problems, lookups)
            if text and clean_text(text):
                given.add(cid)
        for c in spec.columns:
            rec.setdefault(c.id, None if c.kind in ("number", "count") else "")
            if c.required and c.id not in given and not (c.kind == "area" and no_areas):  # a bad value: named above
                problems.append(f"{label}:{n}:{shown.get(c.id, c.id)}: required value is empty")
        out.append(rec)
    if not out and not problems:
        problems.append(f"{label}:2:-: the file has a header but no rows")
    _duplicates(out, label, spec, shown, problems)
    if spec is ENTERPRISES:
        for rec in out:
            if not rec["exempt_reason"] and rec["land_mu"] is not None and rec["land_mu"] < MIN_LAND_MU:
                problems.append(f"{label}:{rec['_row']}:{shown['land_mu']}: a graded firm needs at least "
                                f"{MIN_LAND_MU:g} 亩 of land (or give a reason it is not graded)")
    else:
        for rec in out:
            if rec["land_mu"] is not None and rec["land_mu"] <= 0:
                problems.append(f"{label}:{rec['_row']}:{shown['land_mu']}: a parcel's area is above 0")
    if problems:
        raise DataError(problems)
    return out


def _duplicates(recs: list[dict], label: str, spec: Spec, shown: dict, problems: list[str]) -> None:
    keys = [spec.key] + (["credit_code"] if spec is ENTERPRISES else [])
    for key in keys:
        first: dict[str, dict] = {}
        for rec in recs:
            v = rec.get(key)
            if not v:
                continue
            k = _norm(v)
            if k in first:
                other = first[k]
                also = f": {other[spec.key]!r}" if key != spec.key else ""
                problems.append(f"{label}:{rec['_row']}:{shown.get(key, key)}: {v!r} given twice "
                                f"(first at row {other['_row']}{also})")
            else:
                first[k] = rec


# -- the value objects ---------------------------------------------------------------------------------

def _canonical(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return numbers.decimal_text(v)
    return str(v)


@dataclass(frozen=True)
class _Table:
    rows: tuple[tuple, ...] = ()
    label: str = ""  # the file it came from (not part of the content)

    SPEC = ENTERPRISES

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.rows == other.rows

    def __hash__(self) -> int:
        return hash(self.rows)

    @classmethod
    def from_bytes(cls, raw, label: str | None = None, areas: Areas | None = None):
        """Read and validate a file's bytes; ``areas``: the allowed areas (value -> names), None to skip that check.

        Raises
        ------
        DataError
            listing every problem as ``label:row:column: what``.
        """
        label = label or f"{cls.SPEC.kind}.csv"
        recs = _parse(raw, label, cls.SPEC, areas)
        rows = tuple(sorted((tuple(r[c] for c in cls.SPEC.ids) for r in recs),
                            key=lambda r: tuple(_canonical(v) for v in r)))
        return cls(rows, label)

    @classmethod
    def from_path(cls, path, areas: Areas | None = None):
        """Read a file (its size checked before it is read)."""
        path = Path(path)
        if not path.is_file():
            raise DataError([f"{path}:-:-: no such file"])
        if path.stat().st_size > MAX_BYTES:
            raise DataError([f"{path.name}:-:-: larger than {MAX_BYTES // 1_000_000} MB: not {cls.SPEC.what}"])
        return cls.from_bytes(path.read_bytes(), path.name, areas)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, areas: Areas | None = None, label: str | None = None):
        """Build from a DataFrame with the file's columns (ids or headers), through the same validation."""
        out = df.copy()
        for c in out.columns:
            out[c] = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else
                      numbers.decimal_text(v) if isinstance(v, float) else str(v) for v in out[c]]
        return cls.from_bytes(out.to_csv(index=False).encode("utf-8"), label or f"{cls.SPEC.kind}.csv", areas)

    @cached_property
    def _text(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.SPEC.ids)
        for r in self.rows:
            w.writerow([_canonical(v) for v in r])
        return buf.getvalue()

    def to_csv_text(self) -> str:
        """The canonical CSV text (ids as headers, no BOM, CRLF): reads back to an equal object."""
        return self._text

    def to_csv_bytes(self) -> bytes:
        """The canonical text as a file: UTF-8 with BOM."""
        return self._text.encode("utf-8-sig")

    @cached_property
    def short_id(self) -> str:
        """First 8 hex digits of the SHA-256 of the canonical CSV text."""
        return hashlib.sha256(self._text.encode("utf-8")).hexdigest()[:8]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (canonical ids; blank numbers NaN)."""
        df = pd.DataFrame(list(self.rows), columns=list(self.SPEC.ids))
        for c in self.SPEC.columns:
            if c.kind in ("number", "count"):
                df[c.id] = pd.to_numeric(df[c.id], errors="coerce").astype("float64")
        return df

    def __len__(self) -> int:
        return len(self.rows)


class EnterpriseSet(_Table):
    """Validated enterprises: one row per firm in :data:`ENTERPRISES` column order, sorted; money 万元, land 亩."""

    SPEC = ENTERPRISES


class LandRegister(_Table):
    """Validated low-efficiency land parcels (批而未供 … 投而未达标): id, area, category code, 亩, location, note."""

    SPEC = IDLE_LAND


# -- templates -----------------------------------------------------------------------------------------

def template_frame(spec: Spec, lang: str = "zh") -> pd.DataFrame:
    """An empty table with the file's headers in ``lang`` (units included)."""
    return pd.DataFrame(columns=[header_label(spec, c.id, lang) for c in spec.columns])


def _allowed_text(c: Col, lang: str, areas: Areas | None) -> str:
    sep = tr("mj.sep", lang)
    if c.kind == "scale":
        return sep.join(code_label("mj.scale", s, lang) for s in SCALES)
    if c.kind == "reason":
        return sep.join(code_label("mj.reason", s, lang) for s in REASONS)
    if c.kind == "category":
        return sep.join(code_label("mj.landcat", s, lang) for s in CATEGORIES)
    if c.kind == "area" and areas:
        return sep.join((names or {}).get(lang) or v for v, names in areas.items())
    if c.kind in ("number", "count"):
        return tr("mj.help.range", lang, lo=numbers.decimal_text(c.lo), hi=numbers.decimal_text(c.hi))
    return ""


def instruction_rows(spec: Spec, lang: str = "zh", areas: Areas | None = None) -> list[tuple[str, str, str, str]]:
    """(header, required?, allowed values or range, what it holds) per column, for the template's guide sheet."""
    return [(header_label(spec, c.id, lang), tr("yes" if c.required else "no", lang), _allowed_text(c, lang, areas),
             tr(f"mj.help.{c.id}", lang)) for c in spec.columns]


def template_xlsx(spec: Spec, lang: str = "zh", areas: Areas | None = None) -> bytes:
    """The template as .xlsx: the data sheet first (bold frozen header), then a guide sheet (one row per column)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = spec.kind
    ws.append([header_label(spec, c.id, lang) for c in spec.columns])
    for i, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 18
    ws.freeze_panes = "A2"
    guide = wb.create_sheet(tr("mj.sheet.guide", lang)[:31])
    guide.append([tr(k, lang) for k in ("mj.guide.column", "mj.guide.required", "mj.guide.allowed",
                                        "mj.guide.meaning")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in instruction_rows(spec, lang, areas):
        guide.append([neutralise(v) for v in row])
    for letter, width in zip("ABCD", (26, 10, 40, 60)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- the library ---------------------------------------------------------------------------------------

def _library_check(cls):
    def check(content: str) -> None:
        try:
            cls.from_bytes(content.encode("utf-8"), f"{cls.SPEC.kind}.csv")
        except DataError as exc:
            raise ValueError(exc.problems[0] if exc.problems else f"invalid {cls.SPEC.kind}") from None
    return check


def _register() -> None:
    from .library import register_kind

    register_kind(ENTERPRISES.kind, _library_check(EnterpriseSet))
    register_kind(IDLE_LAND.kind, _library_check(LandRegister))


_register()

__all__ = ["EnterpriseSet", "LandRegister", "ENTERPRISES", "IDLE_LAND", "SPECS", "Spec", "Col", "Areas", "SCALES",
           "REASONS", "CATEGORIES", "MAX_BYTES", "MAX_ROWS", "header_label", "code_label", "clean_text",
           "credit_check_char", "credit_problem", "template_frame", "template_xlsx", "instruction_rows", "read_rows"]

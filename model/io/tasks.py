"""The task register (任务台账): who leads each key task and qualitative target, how far it has got, and the evidence.

Two things are read here.

``data/tasks.csv`` (the plan's side, read from the plan's data folder, :func:`key_tasks`)
    The programmes the plan puts implementation into and their key tasks, each row quoting the plan
    (``task_id,kind,programme,name_zh,name_en,section_id,quote,quote_kind,lead_unit,note``; ``kind`` is
    ``programme`` or ``task``; a task names its programme's ``task_id``; ``lead_unit`` only where the plan names
    the unit that acts). A data folder without the file has no key tasks: the register then holds the qualitative
    targets alone.

The register file (the office's side, :class:`TaskRegister`)
    One row per register entry — every qualitative target (``indicators.csv`` kind ``target``, comparator ``qual``,
    under its ``indicator_id``) and every key task (under its ``task_id``) — with the columns
    :data:`REGISTER_COLUMNS`: 牵头单位 ``lead_unit``, 配合单位 ``support_units``, 时限 ``deadline`` (a date: ``2023``,
    ``2023-06``, ``2023-06-30`` or ``2023年6月30日``), 进展 ``progress`` (:data:`PROGRESS`: 未启动 / 推进中 /
    已完成 / 滞后), 证据 ``evidence`` (text, document names, links), 更新人 ``updated_by``, 更新时间 ``updated_at``.
    Headers may be the canonical names or either language's labels (the template writes the language asked for);
    the template's reading columns (类别, 所属工程, 名称, 规划章节 …) are ignored on loading. CSV (UTF-8 / BOM /
    GBK) or ``.xlsx``; read through :mod:`model.io.sheets`; every problem as ``file:row:column: what`` (unknown
    ids, progress values, duplicates, dates); a bad file changes nothing.

A register is a value object with a canonical CSV text (sorted by id, canonical headers, text neutralised against
formulas) whose SHA-256's first 8 hex digits are its ``short_id``; the library stores it as kind ``tasks`` (every
save a version, every change in the write log).

Grades (:func:`qualitative_grades`, :func:`with_task_grades`): a register turns into the qualitative assessments the
evaluation reads (measure 定性): 已完成 → 已完成, 推进中 and 滞后 → 推进中 (late is not done), 未启动 → 未启动.
"""
from __future__ import annotations

from collections import Counter
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from ..cleaning import clean, folded, read_alike
from ..plan.tables import DataError, PlanData, package_file, read_csv_rows
from ..report.text import LANGS, tr
from . import sheets
from .sheets import MAX_PROBLEMS
from .actuals import QUALITATIVE, ActualsSet, calendar_of, year_bounds
from .export import neutralise

TASKS_FILE = "tasks.csv"
TASKS_OPTIONAL = ("name_en", "quote_kind", "lead_unit", "note")  # columns a plan's tasks.csv may leave out
TASKS_FILE_COLUMNS = ("task_id", "kind", "programme", "name_zh", "name_en", "section_id", "quote", "quote_kind",
                      "lead_unit", "note")
PROGRAMME, TASK, TARGET = "programme", "task", "target"  # kinds of rows (TARGET: a qualitative target's entry)
NOT_STARTED, UNDER_WAY, DONE, LAGGING = "未启动", "推进中", "已完成", "滞后"
PROGRESS = (NOT_STARTED, UNDER_WAY, DONE, LAGGING)
# the evaluation's qualitative words (model.io.actuals.QUALITATIVE_STATES): late is still under way, not done
AS_ASSESSMENT = {DONE: DONE, UNDER_WAY: UNDER_WAY, LAGGING: UNDER_WAY, NOT_STARTED: NOT_STARTED}
REGISTER_COLUMNS = ("task_id", "lead_unit", "support_units", "deadline", "progress", "evidence", "updated_by",
                    "updated_at")
INFO_COLUMNS = ("kind", "programme", "name", "section_id")  # written by the template for reading; ignored on loading
TEMPLATE_COLUMNS = ("task_id", "kind", "programme", "name", "section_id", "lead_unit", "support_units", "deadline",
                    "progress", "evidence", "updated_by", "updated_at")
COLUMN_KEY = {"task_id": "tasks.col.task_id", "kind": "tasks.col.kind", "programme": "tasks.col.programme",
              "name": "tasks.col.name", "section_id": "tasks.col.section", "lead_unit": "tasks.col.lead_unit",
              "support_units": "tasks.col.support_units", "deadline": "tasks.col.deadline",
              "progress": "tasks.col.progress", "evidence": "tasks.col.evidence", "updated_by": "tasks.col.updated_by",
              "updated_at": "tasks.col.updated_at"}
PROGRESS_KEY = {NOT_STARTED: "tasks.progress.not_started", UNDER_WAY: "tasks.progress.under_way",
                DONE: "tasks.progress.done", LAGGING: "tasks.progress.lagging"}
KIND_KEY = {TASK: "tasks.kind.task", TARGET: "tasks.kind.target"}
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_TEXT = 200  # characters of a unit's or a person's name
MAX_EVIDENCE = 2_000  # characters of the evidence cell (document names and links)
TEMPLATE_FILES = ("tasks-template.csv", "tasks-template.xlsx")


# -- the plan's side: programmes and key tasks -------------------------------------------------------------------

def _tasks_path(data: PlanData) -> Path:
    return Path(data.source) / TASKS_FILE


@lru_cache(maxsize=8)
def _read_key_tasks(path: str, stamp: tuple, sections: frozenset) -> tuple[dict, ...]:
    problems: list[str] = []
    raw = package_file(Path(path).parent, TASKS_FILE, problems)  # the package's rules: links, size, regular file
    if raw is None:
        raise DataError(problems or [f"{TASKS_FILE}:-:-: the file changed while it was read"])
    header, rows = read_csv_rows(raw, TASKS_FILE)
    problems = []
    for h in header:
        if h not in TASKS_FILE_COLUMNS:
            problems.append(f"{TASKS_FILE}:1:{h or '(blank)'}: unknown column")
    for c in TASKS_FILE_COLUMNS:
        if c not in header and c not in TASKS_OPTIONAL:
            problems.append(f"{TASKS_FILE}:1:{c}: missing column")
    if problems:
        raise DataError(problems)
    out, seen, alike = [], {}, {}  # ids as written -> row; as a person reads them -> (the first, its row)
    for n, cells in enumerate(rows, start=2):
        rec = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        rec = {c: unicodedata.normalize("NFC", rec.get(c, "")) for c in TASKS_FILE_COLUMNS}
        tid = rec["task_id"]
        if not tid:
            problems.append(f"{TASKS_FILE}:{n}:task_id: required value is empty")
        elif tid in seen:
            problems.append(f"{TASKS_FILE}:{n}:task_id: {tid} given twice (first at row {seen[tid]})")
        else:
            seen[tid] = n
            why = read_alike(alike, tid, n, "task")
            if why:
                problems.append(f"{TASKS_FILE}:{n}:task_id: {why}")
        if rec["kind"] not in (PROGRAMME, TASK):
            problems.append(f"{TASKS_FILE}:{n}:kind: {rec['kind']!r} is not programme or task")
        for c in ("name_zh", "quote"):
            if not rec[c]:
                problems.append(f"{TASKS_FILE}:{n}:{c}: required value is empty")
        rec["name_en"] = rec["name_en"] or rec["name_zh"]  # English is optional, as everywhere: the name as written
        if rec["section_id"] not in sections:
            problems.append(f"{TASKS_FILE}:{n}:section_id: unknown section {rec['section_id']!r} "
                            f"(not in plan_sections.csv)")
        if rec["lead_unit"] and rec["lead_unit"] not in rec["quote"]:
            problems.append(f"{TASKS_FILE}:{n}:lead_unit: {rec['lead_unit']!r} is not in the quote: a lead unit "
                            f"is given only where the plan names it")
        rec["n"] = n
        out.append(rec)
    programmes = {r["task_id"] for r in out if r["kind"] == PROGRAMME}
    for r in out:
        if r["kind"] == TASK and r["programme"] not in programmes:
            problems.append(f"{TASKS_FILE}:{r['n']}:programme: {r['programme']!r} is not a programme row")
        if r["kind"] == PROGRAMME and r["programme"]:
            problems.append(f"{TASKS_FILE}:{r['n']}:programme: a programme row names no programme")
    if problems:
        raise DataError(problems)
    return tuple(out)


def key_tasks(data: PlanData) -> list[dict]:
    """The rows of the plan's ``tasks.csv`` (programmes and key tasks, file order); ``[]`` when the data folder has
    none. Raises :class:`DataError` (``tasks.csv:row:column: what``) for a file it cannot read."""
    path = _tasks_path(data)
    if not (path.exists() or path.is_symlink()):
        return []
    if not path.is_file() or path.is_symlink():  # refused (or read) under the package's rules, never skipped
        problems: list[str] = []
        raw = package_file(path.parent, TASKS_FILE, problems)
        if raw is None:
            raise DataError(problems)
    st = path.stat()
    return [dict(r) for r in _read_key_tasks(str(path), (st.st_mtime_ns, st.st_size),
                                              frozenset(data.sections["section_id"]))]


def programmes(data: PlanData) -> list[dict]:
    """The programme rows of ``tasks.csv`` (file order)."""
    return [r for r in key_tasks(data) if r["kind"] == PROGRAMME]


def entries(data: PlanData) -> list[dict]:
    """Every entry the register may hold, in order: the qualitative targets (file order), then the key tasks.

    Each: ``task_id``, ``kind`` (:data:`TARGET` or :data:`TASK`), ``programme`` (a programme's ``task_id``; for a
    qualitative target, the programme of the key tasks in its section when they all share one, else ``""``),
    ``name_zh``, ``name_en``, ``section_id``, ``lead_unit`` (suggested: only where the plan names it), ``year`` (the
    target year; a key task's is the plan's target year)."""
    tasks = key_tasks(data)
    cal = calendar_of(data)
    by_section: dict[str, set] = {}
    for r in tasks:
        if r["kind"] == TASK:
            by_section.setdefault(r["section_id"], set()).add(r["programme"])
    ind = data.indicators
    quals = ind[(ind["kind"] == "target") & (ind["comparator"] == "qual")].to_dict(orient="records")
    out = []
    for t in quals:
        progs = by_section.get(str(t["section_id"]), set())
        out.append({"task_id": t["indicator_id"], "kind": TARGET, "programme": next(iter(progs)) if len(progs) == 1
                    else "", "name_zh": t["name_zh"], "name_en": t["name_en"], "section_id": str(t["section_id"]),
                    "lead_unit": "", "year": int(t["year"])})
    for r in tasks:
        if r["kind"] == TASK:
            out.append({"task_id": r["task_id"], "kind": TASK, "programme": r["programme"], "name_zh": r["name_zh"],
                        "name_en": r["name_en"], "section_id": r["section_id"], "lead_unit": r["lead_unit"],
                        "year": cal.target_year})
    return out


# -- reading a register file -------------------------------------------------------------------------------------

def _header_names() -> dict[str, str]:
    """Every spelling of a column that loading accepts -> the canonical name (canonical names and both languages'
    labels, compared NFKC, case-folded, without spaces)."""
    out = {}
    for col, key in COLUMN_KEY.items():
        for text in [col] + [tr(key, lang) for lang in LANGS]:
            out[_fold(text)] = col
    return out


_fold = folded  # a header as compared (model.cleaning.folded)


def _progress_names() -> dict[str, str]:
    out = {}
    for value, key in PROGRESS_KEY.items():
        for text in [value] + [tr(key, lang) for lang in LANGS]:
            out[_fold(text)] = value
    return out


DATE_FORMS = (re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$"),
              re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$"))
TIME_FORM = re.compile(r"^(.+?)(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str, with_time: bool = False) -> str:
    """A date as the register keeps it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (as precise as written; with
    ``with_time`` a time ``HH:MM`` may follow). Accepts ``-`` ``/`` ``.`` separators, ``2023年6月30日`` and an
    .xlsx cell's ``2023-06-30T00:00:00``. Raises ValueError naming what is wrong."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    m = TIME_FORM.match(t)
    day_text, hh, mm = (m.group(1), m.group(2), m.group(3)) if m else (t, None, None)
    if hh is not None and (int(hh), int(mm)) == (0, 0) and "T" in t:
        hh = mm = None  # a spreadsheet date cell
    for form in DATE_FORMS:
        d = form.match(day_text.strip())
        if d:
            break
    else:
        raise ValueError(f"not a date: {text[:40]!r} (write 2023-06-30, 2023-06 or 2023)")
    y, mo, da = int(d.group(1)), d.group(2), d.group(3)
    if mo == "1" and not da and re.fullmatch(r"\d{4}\.1", day_text.strip()):
        # a spreadsheet keeps 2023.10 typed in a number cell as 2023.1 (and saves it so in a CSV): October or
        # January cannot be told apart, and reading January would move a deadline nine months
        raise ValueError(f"{text[:40]!r} may be January or October (a spreadsheet drops the 0 of 2023.10): "
                         f"write {y}-01 or {y}-10")
    try:
        date(y, int(mo or 1), int(da or 1))
    except ValueError:
        raise ValueError(f"no such date: {text[:40]!r}") from None
    out = f"{y:04d}" + (f"-{int(mo):02d}" if mo else "") + (f"-{int(da):02d}" if da else "")
    if hh is not None:
        if not with_time or not da:
            raise ValueError(f"not a date: {text[:40]!r} (a time only after a full date, in the update time)")
        if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60):
            raise ValueError(f"no such time: {text[:40]!r}")
        out += f" {int(hh):02d}:{int(mm):02d}"
    return out


def date_year(text: str) -> int | None:
    """The year of a register date (``None`` for blank)."""
    return int(text[:4]) if text else None


def _rows(raw: bytes, label: str) -> list[tuple[int, list[str]]]:
    if not isinstance(raw, (bytes, bytearray)):
        raise DataError([f"{label}:-:-: not a file's bytes"])
    if len(raw) > MAX_BYTES:
        raise DataError([f"{label}:-:-: larger than {MAX_BYTES // 1_000_000} MB: not a task register"])
    raw = bytes(raw)
    if raw[:4] == sheets.XLSX_MAGIC:
        rows = sheets.xlsx_rows(raw, label, "tasks", MAX_ROWS, "a task register")
    else:
        rows = sheets.csv_rows(raw, label, MAX_ROWS, "a task register")
    out = []
    for n, cells in rows:
        cells = [c.strip() for c in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append((n, cells))
    if not out:
        raise DataError([f"{label}:1:-: the file is empty"])
    return out


def _parse(raw: bytes, label: str, known: dict[str, dict] | None, bounds: tuple[int, int] | None) -> tuple:
    rows = _rows(raw, label)
    (_, header), body = rows[0], rows[1:]
    names = _header_names()
    cols: list[str | None] = []
    problems = []
    for h in header:
        col = names.get(_fold(h))
        if col is None:
            problems.append(f"{label}:1:{h or '(blank)'}: unknown column (expected: {','.join(REGISTER_COLUMNS)}, "
                            f"or the template's headers)")
        cols.append(col)
    for c in REGISTER_COLUMNS:
        if c not in cols:
            problems.append(f"{label}:1:{c}: missing column")
    for c in sorted(c for c, n in Counter(cols).items() if c and n > 1):
        problems.append(f"{label}:1:{c}: duplicate column")
    if problems:
        raise DataError(problems)
    progress_names = _progress_names()
    out, seen = [], {}
    for n, cells in body:
        if len(problems) >= MAX_PROBLEMS:  # a file this wrong is read no further (a page lists 30, the CLI 200)
            problems.append(f"{label}:{n}:-: {MAX_PROBLEMS} problems before this row: the rest of the file was not "
                            f"read")
            break
        if len(cells) > len(cols):
            problems.append(f"{label}:{n}:-: {len(cells)} cells but the header has {len(cols)} columns")
            continue
        cells = cells + [""] * (len(cols) - len(cells))
        rec = {c: "" for c in REGISTER_COLUMNS}
        for col, text in zip(cols, cells):
            if col in REGISTER_COLUMNS:  # the one cleaner (model.cleaning): evidence keeps its line breaks
                rec[col] = clean(text, multiline=col == "evidence")
        tid = rec["task_id"]
        if not tid:
            if any(rec[c] for c in REGISTER_COLUMNS[1:]):
                problems.append(f"{label}:{n}:task_id: required value is empty")
            continue
        if known is not None and tid not in known:
            problems.append(f"{label}:{n}:task_id: unknown task {tid[:40]!r} (not a qualitative target of "
                            f"indicators.csv nor a key task of tasks.csv)")
        if tid in seen:
            problems.append(f"{label}:{n}:task_id: {tid[:40]} given twice (first at row {seen[tid]})")
        seen.setdefault(tid, n)
        if rec["progress"]:
            value = progress_names.get(_fold(rec["progress"]))
            if value is None:
                problems.append(f"{label}:{n}:progress: {rec['progress'][:40]!r} is not one of "
                                f"{' / '.join(PROGRESS)}")
            else:
                rec["progress"] = value
        for c, with_time in (("deadline", False), ("updated_at", True)):
            if not rec[c]:
                continue
            try:
                rec[c] = parse_date(rec[c], with_time)
            except ValueError as exc:
                problems.append(f"{label}:{n}:{c}: {exc}")
                continue
            if bounds is not None and not bounds[0] <= date_year(rec[c]) <= bounds[1]:
                problems.append(f"{label}:{n}:{c}: {rec[c]} outside {bounds[0]}–{bounds[1]}")
        for c in ("lead_unit", "support_units", "updated_by", "evidence"):
            limit = MAX_EVIDENCE if c == "evidence" else MAX_TEXT
            if len(rec[c]) > limit:
                problems.append(f"{label}:{n}:{c}: longer than {limit} characters")
            rec[c] = neutralise(rec[c][:limit])
        if any(rec[c] for c in REGISTER_COLUMNS[1:]):  # a template row not filled in carries nothing
            out.append(tuple(rec[c] for c in REGISTER_COLUMNS))
    return out, problems


def _default_data() -> PlanData:
    """The plan being checked by the library (a plan-scoped kind), else the deployment's default plan."""
    from .library import current_plan

    return current_plan()


@dataclass(frozen=True)
class TaskRegister:
    """A validated register: ``rows`` of :data:`REGISTER_COLUMNS` (text; dates ISO; progress one of
    :data:`PROGRESS` or blank), sorted by ``task_id``."""

    rows: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_bytes(cls, raw: bytes, label: str = "tasks.csv", data: PlanData | None = None) -> TaskRegister:
        """Read and validate a CSV or .xlsx register against the plan ``data`` (default: the repository's).

        Raises
        ------
        DataError
            listing every problem as ``label:row:column: what``.
        """
        data = data if data is not None else _default_data()
        known = {e["task_id"]: e for e in entries(data)}
        rows, problems = _parse(raw, label, known, year_bounds(calendar_of(data)))
        if problems:
            raise DataError(problems)
        return cls(tuple(sorted(rows)))

    @classmethod
    def from_path(cls, path: Path, data: PlanData | None = None) -> TaskRegister:
        path = Path(path)
        if not path.is_file():
            raise DataError([f"{path}:-:-: no such file"])
        if path.stat().st_size > MAX_BYTES:
            raise DataError([f"{path.name}:-:-: larger than {MAX_BYTES // 1_000_000} MB: not a task register"])
        return cls.from_bytes(path.read_bytes(), path.name, data)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, data: PlanData | None = None, label: str = "tasks.csv") -> TaskRegister:
        """Build from a table with register columns (any accepted header), through the same validation as a file
        (e.g. the app's edited table)."""
        out = df.copy()
        for c in out.columns:
            out[c] = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in out[c]]
        return cls.from_bytes(out.to_csv(index=False).encode("utf-8"), label, data)

    @classmethod
    def from_text(cls, content: str) -> TaskRegister:
        """A register's canonical text (from the library), checked for form only (ids are the plan's business)."""
        rows, problems = _parse(content.encode("utf-8"), "tasks.csv", None, None)
        if problems:
            raise DataError(problems)
        return cls(tuple(sorted(rows)))

    @cached_property
    def _canonical(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(REGISTER_COLUMNS)
        w.writerows(self.rows)
        return buf.getvalue()

    def to_csv_text(self) -> str:
        """The canonical CSV text (no BOM, CRLF): reads back to an equal register; its hash is the short ID."""
        return self._canonical

    def to_csv_bytes(self) -> bytes:
        return self.to_csv_text().encode("utf-8-sig")

    @cached_property
    def short_id(self) -> str:
        return hashlib.sha256(self.to_csv_text().encode("utf-8")).hexdigest()[:8]

    def by_id(self) -> dict[str, dict]:
        """task_id -> the row as a dict of :data:`REGISTER_COLUMNS`."""
        return {r[0]: dict(zip(REGISTER_COLUMNS, r)) for r in self.rows}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(REGISTER_COLUMNS))

    def __len__(self) -> int:
        return len(self.rows)


def _check_library_text(content: str) -> None:
    try:
        TaskRegister.from_text(content)
    except DataError as exc:
        raise ValueError(exc.problems[0] if exc.problems else "invalid task register") from None


def _register_kind() -> None:
    from .library import register_kind

    register_kind("tasks", _check_library_text)


_register_kind()


# -- the register as a table people fill in -----------------------------------------------------------------------

def progress_label(value: str, lang: str) -> str:
    return tr(PROGRESS_KEY[value], lang) if value in PROGRESS_KEY else value


def name_of(entry: dict, lang: str) -> str:
    return entry.get(f"name_{lang}") or entry.get("name_zh") or ""


def register_table(data: PlanData, register: TaskRegister | None, lang: str = "zh") -> pd.DataFrame:
    """Every entry with its register row (blank where none), canonical column names :data:`TEMPLATE_COLUMNS`:
    ``kind`` and ``programme`` as labels in ``lang``, ``name`` in ``lang``, progress as stored (the canonical
    word). A suggested lead unit fills ``lead_unit`` where the register gives none."""
    rows = register.by_id() if register is not None else {}
    names = {p["task_id"]: name_of(p, lang) for p in programmes(data)}
    out = []
    for e in entries(data):
        got = rows.get(e["task_id"], {})
        rec = {"task_id": e["task_id"], "kind": tr(KIND_KEY[e["kind"]], lang),
               "programme": names.get(e["programme"], ""), "name": name_of(e, lang), "section_id": e["section_id"]}
        for c in REGISTER_COLUMNS[1:]:
            rec[c] = got.get(c, "")
        rec["lead_unit"] = rec["lead_unit"] or e["lead_unit"]
        out.append(rec)
    return pd.DataFrame(out, columns=list(TEMPLATE_COLUMNS))


def template_table(data: PlanData, lang: str = "zh", register: TaskRegister | None = None) -> pd.DataFrame:
    """The template: :func:`register_table` with headers in ``lang`` and progress words in ``lang``."""
    df = register_table(data, register, lang)
    df["progress"] = [progress_label(v, lang) if v else "" for v in df["progress"]]
    return df.rename(columns={c: tr(COLUMN_KEY[c], lang) for c in df.columns})


def template_xlsx(df: pd.DataFrame, lang: str = "zh") -> bytes:
    """A template table as .xlsx: one sheet, header bold and frozen, every cell text (never a formula), widths by
    column, the allowed progress words listed in a validation drop-down."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tasks"
    ws.append(list(df.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rec in df.itertuples(index=False):
        ws.append([neutralise(str(v)) if v is not None else "" for v in rec])
    width = {"name": 40, "evidence": 40, "programme": 18, "lead_unit": 18, "support_units": 18}
    for i, c in enumerate(TEMPLATE_COLUMNS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width.get(c, 14)
        for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            row[0].number_format = "@"
    col = openpyxl.utils.get_column_letter(TEMPLATE_COLUMNS.index("progress") + 1)
    words = ",".join(progress_label(v, lang) for v in PROGRESS)
    dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
    dv.add(f"{col}2:{col}{max(2, len(df) + 1)}")
    ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_files(data: PlanData, lang: str = "zh") -> dict[str, bytes]:
    """The blank template as CSV (UTF-8 with BOM, formulas neutralised) and .xlsx, headers in ``lang``."""
    from .export import csv_bytes

    df = template_table(data, lang)
    return {TEMPLATE_FILES[0]: csv_bytes(df), TEMPLATE_FILES[1]: template_xlsx(df, lang)}


# -- grades for the evaluation ---------------------------------------------------------------------------------

def qualitative_grades(register: TaskRegister, data: PlanData) -> ActualsSet:
    """The register's progress of the qualitative targets as the evaluation's qualitative assessments: one row per
    graded target (value blank, measure 定性, note per :data:`AS_ASSESSMENT`, source ``tasks``), in the year of
    its update clamped to the plan period (the target year when no date is given)."""
    cal = calendar_of(data)
    quals = {e["task_id"]: e for e in entries(data) if e["kind"] == TARGET}
    out = []
    for r in register.by_id().values():
        e = quals.get(r["task_id"])
        if e is None or not r["progress"]:
            continue
        y = date_year(r["updated_at"]) or e["year"]
        y = min(max(y, cal.plan_first_year), e["year"])
        out.append((r["task_id"], y, None, "", QUALITATIVE, "tasks", AS_ASSESSMENT[r["progress"]]))
    return ActualsSet(tuple(sorted(out, key=lambda r: (r[0], r[1]))))


def with_task_grades(actuals: ActualsSet, register: TaskRegister, data: PlanData) -> ActualsSet:
    """``actuals`` with the register's grades in place of its own qualitative (定性) rows for the targets the
    register grades: the register wins, figures are untouched."""
    grades = qualitative_grades(register, data)
    graded = {r[0] for r in grades.rows}
    kept = tuple(r for r in actuals.rows if not (r[0] in graded and r[4] == QUALITATIVE))
    return ActualsSet(tuple(sorted(kept + grades.rows, key=lambda r: (r[0], r[1]))))


def lagging(register: TaskRegister, data: PlanData) -> list[dict]:
    """The entries reported 滞后 (lagging), in register order, each with its name and lead unit."""
    rows = register.by_id()
    out = []
    for e in entries(data):
        r = rows.get(e["task_id"])
        if r is not None and r["progress"] == LAGGING:
            out.append({**e, "lead_unit": r["lead_unit"] or e["lead_unit"], "deadline": r["deadline"]})
    return out


def now_text() -> str:
    """The current time as the register writes ``updated_at`` (minutes)."""
    return datetime.now().strftime("%Y-%m-%d %H:%M")


__all__ = ["TaskRegister", "key_tasks", "programmes", "entries", "register_table", "template_table",
           "template_xlsx", "template_files", "qualitative_grades", "with_task_grades", "lagging", "parse_date",
           "date_year", "progress_label", "name_of", "now_text", "PROGRESS", "NOT_STARTED", "UNDER_WAY", "DONE",
           "LAGGING", "REGISTER_COLUMNS", "TEMPLATE_COLUMNS", "INFO_COLUMNS", "COLUMN_KEY", "PROGRESS_KEY",
           "KIND_KEY", "PROGRAMME", "TASK", "TARGET", "TASKS_FILE", "TEMPLATE_FILES", "AS_ASSESSMENT"]

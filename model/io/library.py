"""A scenario library that survives restarts: SQLite (stdlib), WAL mode, one transaction per save.

Each save stores the scenario's assumptions CSV (the same text users download), who and why, and a content hash
whose first 8 hex digits are the short ID to cite in minutes. Saving under an existing name adds a version;
deleting moves every version of a name to the trash (restorable).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..scenario.scenario import Scenario, ScenarioError
from .assumptions import from_assumptions_csv, to_assumptions_csv

DEFAULT_DB = Path(__file__).resolve().parents[2] / "library" / "scenarios.db"
ENV_DB = "SHIFENG_LIBRARY_DB"
MAX_NAME, MAX_AUTHOR, MAX_NOTE = 200, 200, 10_000
BUSY_TIMEOUT_S = 30.0
RETRIES = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    content     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    deleted_at  TEXT,
    UNIQUE (name, version)
);
CREATE INDEX IF NOT EXISTS scenarios_name ON scenarios (name);
"""


class LibraryError(Exception):
    """The library cannot be used (corrupt, unreadable, locked for too long) or an input is invalid."""


@dataclass(frozen=True)
class Record:
    name: str
    version: int
    author: str
    note: str
    created_at: str
    short_id: str
    deleted: bool
    content: str

    def scenario(self) -> Scenario:
        return from_assumptions_csv(self.content.encode("utf-8"), f"{self.name} v{self.version}")


def default_path() -> Path:
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


def clean_text(value: str, field: str, limit: int, required: bool = False) -> str:
    """Trimmed text without control characters (newlines allowed in notes), within ``limit`` characters."""
    if not isinstance(value, str):
        raise LibraryError(f"{field}: not text")
    text = value.strip()
    bad = [c for c in text if unicodedata.category(c) == "Cc" and not (field == "note" and c in "\n\t")]
    if bad:
        raise LibraryError(f"{field}: contains control characters")
    if required and not text:
        raise LibraryError(f"{field}: empty")
    if len(text) > limit:
        raise LibraryError(f"{field}: longer than {limit} characters ({len(text)})")
    return text


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Library:
    """Open (and create on first use) the library at ``path``."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            if self._conn is not None:
                self._conn.close()
            raise LibraryError(f"{self.path}: cannot open the scenario library ({exc})") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _retry(self, fn):
        """Run ``fn`` in one IMMEDIATE transaction, retrying while another writer holds the lock."""
        for attempt in range(RETRIES):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    result = fn()
                    self._conn.execute("COMMIT")
                    return result
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise LibraryError(f"{self.path}: {exc}") from None
                time.sleep(0.05 * (2**attempt))
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"{self.path}: the library file is damaged ({exc})") from None
        raise LibraryError(f"{self.path}: busy for too long; try again")

    def _rows(self, sql: str, args=()) -> list[Record]:
        try:
            rows = self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: the library file is damaged ({exc})") from None
        return [Record(name=r[0], version=r[1], author=r[2], note=r[3], created_at=r[4], short_id=r[5][:8],
                       deleted=r[6] is not None, content=r[7]) for r in rows]

    _COLS = "name, version, author, note, created_at, sha256, deleted_at, content"

    def save(self, name: str, scenario: Scenario, author: str = "", note: str = "") -> Record:
        """Store ``scenario`` under ``name`` as its next version (one transaction)."""
        name = clean_text(name, "name", MAX_NAME, required=True)
        author = clean_text(author, "author", MAX_AUTHOR)
        note = clean_text(note, "note", MAX_NOTE)
        content = to_assumptions_csv(scenario.with_(name=name))
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()  # its first 8 digits = scenario_id()
        created = _now()

        def insert():
            (latest,) = self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM scenarios WHERE name = ?",
                                           (name,)).fetchone()
            self._conn.execute(
                "INSERT INTO scenarios (name, version, author, note, content, sha256, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (name, latest + 1, author, note, content, digest, created))
            self._conn.execute("UPDATE scenarios SET deleted_at = NULL WHERE name = ?", (name,))
            return latest + 1

        version = self._retry(insert)
        return Record(name, version, author, note, created, digest[:8], False, content)

    def list(self, trash: bool = False) -> list[Record]:
        """The latest version of every name (in the trash with ``trash=True``), newest first."""
        cond = "IS NOT NULL" if trash else "IS NULL"
        return self._rows(
            f"SELECT {self._COLS} FROM scenarios s WHERE deleted_at {cond} AND version = "
            "(SELECT MAX(version) FROM scenarios t WHERE t.name = s.name) ORDER BY created_at DESC, name")

    def history(self, name: str) -> list[Record]:
        return self._rows(f"SELECT {self._COLS} FROM scenarios WHERE name = ? ORDER BY version DESC", (name,))

    def get(self, key: str, version: int | None = None) -> Record:
        """A record by name (latest version unless given) or by short ID."""
        if version is not None:
            rows = self._rows(f"SELECT {self._COLS} FROM scenarios WHERE name = ? AND version = ?", (key, version))
        else:
            rows = self.history(key)[:1]
            if not rows and len(key) >= 4 and all(c in "0123456789abcdef" for c in key.lower()):
                rows = self._rows(f"SELECT {self._COLS} FROM scenarios WHERE sha256 LIKE ? ORDER BY created_at DESC",
                                  (key.lower() + "%",))[:1]
        if not rows:
            raise LibraryError(f"no scenario {key!r}" + (f" version {version}" if version else ""))
        return rows[0]

    def delete(self, name: str) -> None:
        """Move every version of ``name`` to the trash."""
        self.get(name)
        self._retry(lambda: self._conn.execute("UPDATE scenarios SET deleted_at = ? WHERE name = ?", (_now(), name)))

    def restore(self, name: str, version: int | None = None) -> Record:
        """Take ``name`` out of the trash; with ``version``, make that version the latest again."""
        rec = self.get(name, version)
        if version is None:
            self._retry(lambda: self._conn.execute("UPDATE scenarios SET deleted_at = NULL WHERE name = ?", (name,)))
            return self.get(name)
        try:
            scenario = rec.scenario()
        except ScenarioError as exc:
            raise LibraryError(f"{name} v{version}: stored scenario no longer valid ({exc.problems[0]})") from None
        return self.save(name, scenario, rec.author, f"restored from version {version}")

    def integrity_ok(self) -> bool:
        try:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            return False

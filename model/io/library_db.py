"""Where the library's rows live: one small SQL layer over SQLite (stdlib) and PostgreSQL (psycopg 3).

Why a layer of our own rather than an ORM: the library needs four guarantees on both backends (one transaction
per change, versions 1..n without gaps under concurrent writers, a schema version with migrations, retry across a
lost connection) and those depend on each backend's locking, which an ORM hides. The statements are plain SQL
written once with ``?`` placeholders; only table creation and locking differ.

One setting picks the backend: ``sqlite:///relative/path``, ``sqlite:////absolute/path`` (SQLAlchemy's
spelling), a bare path (SQLite, as before), or ``postgresql://…`` (a libpq URL).
"""
from __future__ import annotations

import atexit
import os
import re
import sqlite3
import threading
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DB = Path(__file__).resolve().parents[2] / "library" / "scenarios.db"
ENV_DB = "SHIFENG_LIBRARY_DB"
BUSY_TIMEOUT_S = 30.0
RETRIES = 8
RECONNECT_FOR_S = 30.0  # how long a PostgreSQL change keeps retrying across a server restart
POOL_IDLE = 4  # idle PostgreSQL connections kept per URL (opening one costs ~5 ms; the app opens the library often)

SCHEMA_VERSION = 3


class LibraryError(Exception):
    """The library cannot be used (corrupt, unreadable, locked for too long) or an input is invalid."""


class NewerSchemaError(LibraryError):
    """The database was made (or migrated) by a newer version of the app: not damaged, just not ours to read."""


class NotAllowed(LibraryError):
    """The actor may not change the library (a viewer, a signed-out session, a read-only deployment)."""


class _Unreachable(LibraryError):
    """No connection to the PostgreSQL server (yet): worth retrying for a while."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- settings ---------------------------------------------------------------------------------------

def secrets_files() -> list[Path]:
    """Streamlit's own places, in its order (the project's file overrides the user's)."""
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


_SECRETS_CACHE: dict = {}


def read_secrets(paths: list[Path] | None = None) -> dict:
    """The merged secrets (cached by mtime): the model reads the same file as ``st.secrets`` so the CLI and every
    page see one configuration, and a page that forgets to pass it cannot fall back to a laxer one."""
    merged: dict = {}
    for p in paths if paths is not None else secrets_files():
        try:
            stamp = p.stat().st_mtime_ns
        except OSError:
            continue
        key = (str(p), stamp)
        if key not in _SECRETS_CACHE:
            try:
                _SECRETS_CACHE[key] = tomllib.loads(p.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise LibraryError(f"{p}: cannot read the secrets file ({exc})") from None
        for k, v in _SECRETS_CACHE[key].items():
            if isinstance(v, dict) and isinstance(merged.get(k), dict):
                merged[k] = {**merged[k], **v}
            else:
                merged[k] = v
    return merged


def library_url(value: str | os.PathLike | None = None) -> str:
    """The library setting: ``value``, else $SHIFENG_LIBRARY_DB, else secrets ``library_db``, else the default."""
    if value is not None and str(value):
        return str(value)
    env = os.environ.get(ENV_DB)
    if env:
        return env
    secret = read_secrets().get("library_db")
    return str(secret) if secret else str(DEFAULT_DB)


def parse_url(value: str) -> tuple[str, str]:
    """(``"sqlite"``, file path) or (``"postgresql"``, libpq URL)."""
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql", value
    if value.startswith("sqlite://"):
        rest = value[len("sqlite://"):]
        if not rest.startswith("/") or rest == "/":
            raise LibraryError(f"{value}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return "sqlite", rest[1:]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        raise LibraryError(f"{redact(value)}: unsupported library URL (use sqlite:///… or postgresql://…)")
    return "sqlite", value


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<library URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# -- schema and migrations --------------------------------------------------------------------------
# Each migration takes the schema from version n-1 to n inside one transaction. Version 0 is the first release's
# SQLite file (one ``scenarios`` table, no version table) or an empty database.

_TYPES = {"sqlite": {"id": "INTEGER PRIMARY KEY", "real": "REAL"},
          "postgresql": {"id": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "real": "DOUBLE PRECISION"}}

_V1 = [
    """CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)""",
    # every versioned document: kind = scenario | actuals | projects; one row per version
    """CREATE TABLE documents (
        id          {id},
        kind        TEXT NOT NULL DEFAULT 'scenario',
        name        TEXT NOT NULL,
        version     INTEGER NOT NULL,
        author      TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        content     TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        deleted_at  TEXT,
        save_id     TEXT UNIQUE,
        UNIQUE (kind, name, version))""",
    "CREATE INDEX documents_sha256 ON documents (sha256)",
    # the row a save locks to number its version: versions stay 1..n without gaps under concurrent writers
    """CREATE TABLE heads (kind TEXT NOT NULL, name TEXT NOT NULL, latest INTEGER NOT NULL,
        PRIMARY KEY (kind, name))""",
]
_V2 = [
    """CREATE TABLE audit (
        id        {id},
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        role      TEXT NOT NULL,
        via       TEXT NOT NULL,
        action    TEXT NOT NULL,
        kind      TEXT NOT NULL DEFAULT '',
        name      TEXT NOT NULL DEFAULT '',
        version   INTEGER,
        short_id  TEXT NOT NULL DEFAULT '',
        detail    TEXT NOT NULL DEFAULT '')""",
]
_V3 = [
    # sign-in failures and lockout, shared by every replica that uses this database
    """CREATE TABLE auth_state (username TEXT NOT NULL PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0,
        window_start {real}, locked_until {real})""",
    # signed-in sessions (only a hash of the token is stored); sign-out ends one everywhere at once
    """CREATE TABLE auth_sessions (token_sha256 TEXT NOT NULL PRIMARY KEY, username TEXT NOT NULL,
        created_at {real} NOT NULL, expires_at {real} NOT NULL, ended_at {real})""",
]
MIGRATIONS = {1: ("documents with kind, version heads", _V1), 2: ("audit log", _V2), 3: ("sign-in state", _V3)}
LOCK_KEY = 7_265_301  # advisory lock that serialises migrations on PostgreSQL


def _legacy_v0_to_v1_sqlite(db: "Database") -> None:
    """Copy the first release's ``scenarios`` rows (every version, author, note, trash) into ``documents``; keep a
    read-only view by the old name so an old app fails loudly ("views may not be indexed") instead of showing an
    empty library."""
    db.execute("INSERT INTO documents (kind, name, version, author, note, content, sha256, created_at, deleted_at) "
               "SELECT 'scenario', name, version, author, note, content, sha256, created_at, deleted_at "
               "FROM scenarios ORDER BY id")
    db.execute("INSERT INTO heads (kind, name, latest) SELECT 'scenario', name, "
               "COALESCE(MAX(CASE WHEN typeof(version) = 'integer' THEN version END), 0) FROM scenarios GROUP BY name")
    db.execute("DROP TABLE scenarios")
    db.execute("CREATE VIEW scenarios AS SELECT id, name, version, author, note, content, sha256, created_at, "
               "deleted_at FROM documents WHERE kind = 'scenario'")


# -- connections ------------------------------------------------------------------------------------

_POOL: dict[str, list] = {}
_POOL_LOCK = threading.Lock()


@atexit.register
def close_idle_connections() -> None:
    """Close pooled PostgreSQL connections (at exit, or when a test stops its server)."""
    with _POOL_LOCK:
        conns = [c for idle in _POOL.values() for c in idle]
        _POOL.clear()
    for c in conns:
        try:
            c.close()
        except Exception:  # noqa: BLE001 - closing a dead connection may fail; nothing to do
            pass


class Database:
    """One connection to the library database, with the dialect's transaction and retry rules."""

    def __init__(self, url: str):
        self.backend, self.target = parse_url(url)
        self.label = redact(url) if self.backend == "postgresql" else self.target
        self.conn = None
        self._pg_errors = None
        if self.backend == "sqlite":
            self._open_sqlite()
        else:
            self._open_pg()
        try:
            self._migrate()
        except BaseException:
            self.close(reuse=False)
            raise

    # opening
    def _open_sqlite(self) -> None:
        path = Path(self.target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
        except (sqlite3.DatabaseError, OSError) as exc:
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            raise LibraryError(f"{self.label}: cannot open the scenario library ({exc})") from None

    def _open_pg(self) -> None:
        try:
            import psycopg
        except ImportError:
            raise LibraryError("a postgresql:// library needs psycopg: pip install 'psycopg[binary]'") from None
        self._pg = psycopg
        with _POOL_LOCK:
            idle = _POOL.get(self.target, [])
            self.conn = idle.pop() if idle else None
        if self.conn is None or self.conn.closed:
            self.conn = self._pg_connect()

    def _pg_connect(self):
        try:
            return self._pg.connect(self.target, autocommit=True, connect_timeout=5,
                                    application_name="shifeng-library")
        except self._pg.Error as exc:
            raise _Unreachable(f"{self.label}: cannot reach the library database ({_first_line(exc)})") from None

    def close(self, reuse: bool = True) -> None:
        if self.conn is None:
            return
        conn, self.conn = self.conn, None
        if self.backend == "sqlite":
            conn.close()
            return
        if reuse and not conn.closed and conn.info.transaction_status == self._pg.pq.TransactionStatus.IDLE:
            with _POOL_LOCK:
                idle = _POOL.setdefault(self.target, [])
                if len(idle) < POOL_IDLE:
                    idle.append(conn)
                    return
        conn.close()

    # statements
    def _sql(self, sql: str) -> str:
        return sql if self.backend == "sqlite" else sql.replace("?", "%s")

    def execute(self, sql: str, args=()) -> int:
        """Run one statement inside the current transaction; the number of rows it changed."""
        cur = self.conn.execute(self._sql(sql), args)
        return cur.rowcount

    def rows(self, sql: str, args=()) -> list[tuple]:
        return self.conn.execute(self._sql(sql), args).fetchall()

    def one(self, sql: str, args=()):
        row = self.conn.execute(self._sql(sql), args).fetchone()
        return row

    # transactions
    def read(self, fn):
        """``fn()`` for a read, across a dropped PostgreSQL connection; driver errors become LibraryError."""
        return self._run(fn, write=False)

    def write(self, fn):
        """``fn()`` in one transaction that holds the write lock (SQLite: BEGIN IMMEDIATE); retried while another
        writer holds the lock (SQLite) or the connection was lost (PostgreSQL). ``fn`` must be safe to run again."""
        return self._run(fn, write=True)

    def _run(self, fn, write: bool):
        if self.backend == "sqlite":
            return self._run_sqlite(fn, write)
        return self._run_pg(fn, write)

    def _run_sqlite(self, fn, write: bool):
        if not write:
            try:
                return fn()
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"{self.label}: the library file is damaged ({exc})") from None
        for attempt in range(RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    result = fn()
                    self.conn.execute("COMMIT")
                    return result
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.IntegrityError as exc:
                raise LibraryError(f"{self.label}: {exc}") from None
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise LibraryError(f"{self.label}: {exc}") from None
                time.sleep(0.05 * (2**attempt))
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"{self.label}: the library file is damaged ({exc})") from None
        raise LibraryError(f"{self.label}: busy for too long; try again")

    def _run_pg(self, fn, write: bool):
        pg = self._pg
        deadline = time.monotonic() + RECONNECT_FOR_S
        delay = 0.05
        while True:
            try:
                if self.conn is None or self.conn.closed:
                    self.conn = self._pg_connect()
                if not write:
                    return fn()
                with self.conn.transaction():
                    return fn()
            except (pg.OperationalError, pg.errors.SerializationFailure, pg.errors.DeadlockDetected,
                    _Unreachable) as exc:
                # lost connection, server restarting or a lock conflict: the transaction did not happen (or,
                # if the commit's answer was lost, ``fn`` finds its own save_id and returns it)
                if self.conn is not None and (self.conn.closed or self.conn.broken):
                    self.conn.close()
                    self.conn = None
                if time.monotonic() > deadline:
                    msg = _first_line(exc) if not isinstance(exc, LibraryError) else str(exc)
                    raise LibraryError(f"{self.label}: the library database is unavailable ({msg})") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except pg.errors.UniqueViolation as exc:
                raise LibraryError(f"{self.label}: {_first_line(exc)}") from None
            except pg.Error as exc:
                raise LibraryError(f"{self.label}: {_first_line(exc)}") from None

    # schema
    def tables(self) -> set[str]:
        if self.backend == "sqlite":
            return {r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        return {r[0] for r in self.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def schema_version(self) -> int:
        tables = self.tables()
        if "schema_version" not in tables:
            if "documents" in tables:
                raise LibraryError(f"{self.label}: the library is damaged (no schema version table)")
            return 0
        (v,) = self.one("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return int(v)

    def _migrate(self) -> None:
        try:
            current = self.read(self.schema_version)
        except _Unreachable:
            raise
        except LibraryError as exc:
            raise LibraryError(f"{self.label}: cannot open the scenario library "
                               f"({str(exc).removeprefix(self.label + ': ')})") from None
        if current > SCHEMA_VERSION:
            raise NewerSchemaError(f"{self.label}: made by a newer version of the app (schema {current} > "
                                   f"{SCHEMA_VERSION}); update the app to use this library")
        if current == SCHEMA_VERSION:
            return

        def upgrade():
            if self.backend == "postgresql":
                self.one("SELECT pg_advisory_xact_lock(?)", (LOCK_KEY,))
            version = self.schema_version()  # again, under the lock: another process may have done it
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(f"{self.label}: made by a newer version of the app (schema {version} > "
                                       f"{SCHEMA_VERSION}); update the app to use this library")
            legacy = version == 0 and self.backend == "sqlite" and "scenarios" in self.tables()
            for n in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[n][1]:
                    self.execute(stmt.format(**_TYPES[self.backend]))
                if n == 1 and legacy:
                    _legacy_v0_to_v1_sqlite(self)
                self.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (n, now_iso()))

        try:
            self.write(upgrade)
        except (NewerSchemaError, _Unreachable):
            raise
        except LibraryError as exc:
            raise LibraryError(f"{self.label}: cannot open the scenario library "
                               f"({str(exc).removeprefix(self.label + ': ')})") from None

    def integrity_ok(self) -> bool:
        if self.backend == "sqlite":
            try:
                return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError:
                return False
        try:
            return self.read(lambda: self.one("SELECT 1"))[0] == 1
        except LibraryError:
            return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]

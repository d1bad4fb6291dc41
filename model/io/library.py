"""A library of versioned documents that survives restarts: scenarios first, and actuals sets or project lists.

Each save stores the document's text (for a scenario, its assumptions CSV: the same text users download), who and
why, and a content hash whose first 8 hex digits are the short ID to cite in minutes. Saving under an existing
name adds a version (1..n, no gaps, even with concurrent writers); deleting moves every version of a name to the
trash (restorable). Every change is one transaction that also writes the audit log and checks that the actor may
write (``model.io.auth``), so no page can change the library as a viewer.

The backend is one setting (``model.io.library_db``): SQLite (a bare path or ``sqlite:///…``, the default) or
PostgreSQL (``postgresql://…``), with the same schema, migrations and guarantees. Rows the library cannot read
(a bad version, content that no longer parses or no longer matches its hash) are skipped and named in
``Library.skipped``; the rest stays usable. A database made by a newer app is reported as such, not as damaged.
"""
from __future__ import annotations

import contextvars
import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..cleaning import clean
from ..scenario.scenario import Scenario, ScenarioError, clean_name
from .assumptions import canonical_csv, from_assumptions_csv
from .auth import EDITOR, Actor, Auth, AuthError, LockedOut
from .library_db import (DEFAULT_DB, ENV_DB, SCHEMA_VERSION, Database, LibraryError, NewerSchemaError, NotAllowed,
                         library_url, now_iso, parse_url, redact)

__all__ = ["Library", "Record", "Skipped", "AuditEntry", "LibraryError", "NewerSchemaError", "NotAllowed",
           "AuthError", "LockedOut", "Actor", "Auth", "KINDS", "register_kind", "migrate", "default_path",
           "clean_text", "DEFAULT_DB", "ENV_DB", "SCHEMA_VERSION", "MAX_NAME", "MAX_AUTHOR", "MAX_NOTE"]

MAX_NAME, MAX_AUTHOR, MAX_NOTE = 200, 200, 10_000
MAX_CONTENT = 1_000_000  # characters; an assumptions file is ~2 kB, an actuals set a few
SCENARIO = "scenario"


def _check_scenario(content: str) -> None:
    _parse_scenario(content)


def _check_text(content: str) -> None:
    """Other kinds are CSV text checked by their owners' parsers (``register_kind``); here only the basics."""


# kind -> validator(content) raising ScenarioError / ValueError when the text is not a valid document; every kind's
# owner registers the reader that opens it (model.io.actuals: actuals; model.io.lists: projects, roads), imported
# at the end of this module so no document kind is ever stored unchecked
KINDS: dict[str, Callable[[str], None]] = {SCENARIO: _check_scenario, "actuals": _check_text,
                                           "projects": _check_text}
_KINDS_LOADED = False


def _kinds() -> dict[str, Callable[[str], None]]:
    global _KINDS_LOADED
    if not _KINDS_LOADED:
        _KINDS_LOADED = True
        _load_kinds()
    return KINDS


# A document of a plan other than the default package is stored under the kind ``KIND@PLAN_ID`` (actuals, lists,
# registers …; a scenario names its plan in its own content), so it records its plan and is checked — and opened —
# against that plan only. Validators read the plan being checked from :func:`current_plan`.
_CHECKING = contextvars.ContextVar("library_plan", default=None)


def plan_kind(kind: str, plan) -> str:
    """The library kind of ``kind`` documents of ``plan``: ``kind`` for the default package, else ``kind@id``."""
    return kind if plan is None or plan.is_default else f"{kind}@{plan.id}"


def current_plan():
    """The plan a validator checks against: the one a plan-scoped kind names, else the default plan."""
    plan = _CHECKING.get()
    if plan is None:
        from ..plan.registry import default_plan

        plan = default_plan()
    return plan


def _validator(kind: str) -> Callable[[str], None] | None:
    """The check of ``kind`` (a plan-scoped ``KIND@PLAN`` is checked against that plan, which must be offered)."""
    base, at, pid = kind.partition("@")
    check = _kinds().get(base)
    if check is None or not at:
        return check

    def scoped(content: str) -> None:
        from ..plan.registry import by_id

        try:
            plan = by_id(pid)
        except KeyError:
            raise ValueError(f"the plan {pid!r} is not offered here") from None
        token = _CHECKING.set(plan)
        try:
            check(content)
        finally:
            _CHECKING.reset(token)
    return scoped


def register_kind(kind: str, validate: Callable[[str], None]) -> None:
    """Let another module check its own kind's content (on save, and on read: failures are skipped, not fatal)."""
    if not kind or not kind.isascii() or not kind.replace("_", "").isalnum() or len(kind) > 40:
        raise ValueError(f"kind {kind!r}: letters, digits and _ only")
    KINDS[kind] = validate


_PARSED: dict[str, Scenario] = {}


def _parse_scenario(content: str, label: str = "library") -> Scenario:
    """Parse once per distinct content (listing checks every row; the Compare page then asks for the scenarios)."""
    key = hashlib.sha256(content.encode("utf-8")).hexdigest()
    s = _PARSED.get(key)
    if s is None:
        s = from_assumptions_csv(content.encode("utf-8"), label, plan=_plan_of(content))
        if len(_PARSED) > 2048:
            _PARSED.clear()
        _PARSED[key] = s
    return s


def _plan_of(content: str):
    """The plan a stored scenario names in its ``plan`` row (offered by this deployment), else the default plan."""
    import csv as _csv
    import io as _io

    from ..plan.registry import by_id, default_plan

    try:
        rows = list(_csv.reader(_io.StringIO(content, newline="")))
    except _csv.Error:
        rows = []  # not CSV: the assumptions reader names why
    for row in rows:
        if row and row[0] == "plan" and len(row) > 1 and row[1].strip():
            try:
                return by_id(row[1].strip())
            except KeyError:
                raise ScenarioError([f"plan: the plan {row[1].strip()[:64]!r} is not offered here"]) from None
    return default_plan()


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
    kind: str = SCENARIO

    def scenario(self) -> Scenario:
        if self.kind != SCENARIO:
            raise LibraryError(f"{self.name} v{self.version} is a {self.kind} document, not a scenario")
        return _parse_scenario(self.content, f"{self.name} v{self.version}")


@dataclass(frozen=True)
class Skipped:
    """A row the library could not read: named so someone can fix or remove it."""

    kind: str
    name: str
    version: object
    reason: str

    def __str__(self) -> str:
        what = "" if self.kind == SCENARIO else f"{self.kind} "
        return f"skipped {what}{self.name!r} v{self.version}: {self.reason}"


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    role: str
    via: str
    action: str
    kind: str
    name: str
    version: int | None
    short_id: str
    detail: str

    def line(self) -> str:
        what = f"{self.kind}:{self.name}" if self.name else ""
        ver = f" v{self.version}" if self.version is not None else ""
        return "  ".join(x for x in (self.at, f"{self.actor} ({self.role}, {self.via})", self.action,
                                     f"{what}{ver}", self.short_id, self.detail) if x)


def default_path() -> Path:
    """The SQLite file used when nothing is configured (kept for callers of the first release)."""
    kind, target = parse_url(library_url())
    return Path(target) if kind == "sqlite" else DEFAULT_DB


def clean_text(value: str, field: str, limit: int, required: bool = False) -> str:
    """Text without control characters (line breaks and tabs allowed in notes), cleaned by the one cleaner
    (:func:`model.cleaning.clean`: NFC, no format, surrogate or private-use characters, spaces collapsed), within
    ``limit`` characters."""
    if not isinstance(value, str):
        raise LibraryError(f"{field}: not text")
    bad = [c for c in value.strip() if unicodedata.category(c) == "Cc" and not (field == "note" and c in "\n\t\r")]
    if bad:
        raise LibraryError(f"{field}: contains control characters")
    text = clean(value, multiline=field == "note")
    if required and not text:
        raise LibraryError(f"{field}: empty")
    if len(text) > limit:
        raise LibraryError(f"{field}: longer than {limit} characters ({len(text)})")
    return text


def library_name(value: str) -> str:
    """A name as stored and looked up: ``clean_name`` (NFC, no zero-width or bidi characters, one space between
    words), so two names that look the same are one name. Control characters other than white space are refused
    rather than silently dropped: they mean the text is not a name at all."""
    if not isinstance(value, str):
        raise LibraryError("name: not text")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\v\f" for c in value):
        raise LibraryError("name: contains control characters")
    name = clean_name(value)
    if not name:
        raise LibraryError("name: empty")
    if len(name) > MAX_NAME:
        raise LibraryError(f"name: longer than {MAX_NAME} characters ({len(name)})")
    return name


def _check_kind(kind: str) -> str:
    base, at, pid = str(kind).partition("@")
    ok_plan = not at or (0 < len(pid) <= 64 and pid.isascii() and all(c.isalnum() or c in "-_." for c in pid))
    if base not in _kinds() or not ok_plan or base == SCENARIO and at:
        raise LibraryError(f"unknown document kind {kind!r}; one of: {', '.join(KINDS)} (KIND@PLAN for a plan's)")
    return kind


def _is_short_id(key: str) -> bool:
    return 4 <= len(key) <= 64 and all(c in "0123456789abcdef" for c in key.lower())


_COLS = "kind, name, version, author, note, created_at, sha256, deleted_at, content, id"


class Library:
    """Open (and create or migrate on first use) the library at ``path``: a file path or a URL (see module doc).

    ``actor`` is who acts (``Library.sign_in`` / ``resume`` give one); without it, the configuration's default:
    an editor when no accounts are configured, else a viewer. ``auth`` defaults to the secrets file's accounts.
    """

    def __init__(self, path: str | Path | None = None, actor: Actor | None = None, *, auth: Auth | None = None):
        self.url = library_url(path)
        self.auth = auth if auth is not None else Auth.from_secrets()
        self.actor = actor if actor is not None else self.auth.default_actor()
        self.skipped: list[Skipped] = []
        self._db = Database(self.url)
        self.backend = self._db.backend
        self.path = Path(self._db.target) if self.backend == "sqlite" else redact(self.url)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def location(self) -> str:
        """Where the library is, safe to show (no password)."""
        return self._db.label

    @property
    def can_write(self) -> bool:
        """Whether the current actor may change the library (for hiding buttons; every change checks again)."""
        try:
            self._db.read(lambda: self.auth.check_writer(self._db, self.actor))
            return True
        except NotAllowed:
            return False

    # -- reading ------------------------------------------------------------------------------------

    def _record(self, row) -> Record | Skipped:
        """A Record, or a Skipped naming why the row cannot be read."""
        kind, name, version, author, note, created, digest, deleted, content = row[:9]
        shown = name if isinstance(name, str) and name else f"<row {row[9]}>"
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            return Skipped(kind, shown, version, f"bad version {version!r}")
        if not isinstance(name, str) or not name:
            return Skipped(kind, shown, version, "no name")
        if not isinstance(content, str):
            return Skipped(kind, name, version, "content is not text")
        if not isinstance(digest, str) or hashlib.sha256(content.encode("utf-8")).hexdigest() != digest:
            return Skipped(kind, name, version, "content does not match its hash (changed outside the app)")
        check = _validator(kind)
        if check is None:
            return Skipped(kind, name, version, f"unknown kind {kind!r}")
        try:
            check(content)
        except (ScenarioError, ValueError) as exc:
            first = exc.problems[0] if isinstance(exc, ScenarioError) and exc.problems else str(exc)
            return Skipped(kind, name, version, f"content cannot be read ({first})")
        return Record(name=name, version=version, author=author or "", note=note or "", created_at=created or "",
                      short_id=digest[:8], deleted=deleted is not None, content=content, kind=kind)

    def _read(self, sql: str, args=()) -> list[Record]:
        rows = self._db.read(lambda: self._db.rows(sql, args))
        out = []
        for row in rows:
            rec = self._record(row)
            if isinstance(rec, Skipped):
                self.skipped.append(rec)
            else:
                out.append(rec)
        return out

    def list(self, trash: bool = False, kind: str = SCENARIO) -> list[Record]:
        """The latest readable version of every name (in the trash with ``trash=True``), newest first.

        Unreadable rows are left out and named in ``self.skipped``; a name whose newest version is unreadable shows
        its newest readable one."""
        _check_kind(kind)
        self.skipped = []
        cond = "IS NOT NULL" if trash else "IS NULL"
        latest = self._read(
            f"SELECT {_COLS} FROM documents d WHERE kind = ? AND deleted_at {cond} AND version = "
            "(SELECT MAX(version) FROM documents t WHERE t.kind = d.kind AND t.name = d.name)", (kind,))
        seen = {r.name for r in latest}
        for bad in list(self.skipped):
            if bad.name not in seen:  # fall back to the newest readable version of that name
                older = [r for r in self._history(bad.name, kind) if r.deleted == trash]
                if older:
                    latest.append(older[0])
                    seen.add(bad.name)
        self.skipped = list(dict.fromkeys(self.skipped))
        return sorted(latest, key=lambda r: (r.created_at, r.version), reverse=True)

    def _history(self, name: str, kind: str) -> list[Record]:
        return self._read(f"SELECT {_COLS} FROM documents WHERE kind = ? AND name = ? ORDER BY id DESC",
                          (kind, name))

    def history(self, name: str, kind: str = SCENARIO) -> list[Record]:
        """Every readable version of ``name``, newest first (unreadable ones in ``self.skipped``)."""
        _check_kind(kind)
        self.skipped = []
        name = library_name(name)
        return sorted(self._history(name, kind), key=lambda r: r.version, reverse=True)

    def get(self, key: str, version: int | None = None, kind: str = SCENARIO) -> Record:
        """A record by name (its latest readable version unless ``version`` is given) or by short ID."""
        _check_kind(kind)
        self.skipped = []
        name = library_name(key) if isinstance(key, str) else key
        if version is not None:
            rows = self._read(f"SELECT {_COLS} FROM documents WHERE kind = ? AND name = ? AND version = ?",
                              (kind, name, version))
            if not rows and self.skipped:
                raise LibraryError(str(self.skipped[0]).replace("skipped ", "", 1))
        else:
            rows = sorted(self._history(name, kind), key=lambda r: r.version, reverse=True)[:1]
            if not rows and _is_short_id(name):
                found = self._read(f"SELECT {_COLS} FROM documents WHERE kind = ? AND sha256 LIKE ? ORDER BY id DESC",
                                   (kind, name.lower() + "%"))
                names = sorted({r.name for r in found})
                if len(names) > 1:
                    raise LibraryError(f"short ID {name} matches {len(names)} names ({', '.join(names[:5])}): "
                                       "use the name or more digits")
                rows = sorted(found, key=lambda r: r.version, reverse=True)[:1]
        if not rows:
            what = "scenario" if kind == SCENARIO else kind
            raise LibraryError(f"no {what} {key!r}" + (f" version {version}" if version else ""))
        return rows[0]

    def log(self, limit: int = 200, name: str | None = None, kind: str | None = None) -> list[AuditEntry]:
        """The audit log, newest first: who did what, when (saves, deletes, restores, sign-ins, migrations)."""
        where, args = [], []
        if name is not None:
            where.append("name = ?")
            args.append(library_name(name))
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        sql = ("SELECT at, actor, role, via, action, kind, name, version, short_id, detail FROM audit"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?")
        rows = self._db.read(lambda: self._db.rows(sql, (*args, int(limit))))
        return [AuditEntry(*r) for r in rows]

    def integrity_ok(self) -> bool:
        return self._db.integrity_ok()

    # -- changing -----------------------------------------------------------------------------------

    def _audit(self, actor: Actor, action: str, kind: str = "", name: str = "", version: int | None = None,
               short_id: str = "", detail: str = "") -> None:
        self._db.execute("INSERT INTO audit (at, actor, role, via, action, kind, name, version, short_id, detail) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (now_iso(), actor.name, actor.role, actor.via, action, kind, name, version, short_id,
                          detail[:500]))

    def _change(self, fn):
        """One write transaction that first checks the actor (a viewer's change never starts)."""
        def run():
            self.auth.check_writer(self._db, self.actor)
            return fn()
        return self._db.write(run)

    def save(self, name: str, scenario: Scenario, author: str = "", note: str = "") -> Record:
        """Store ``scenario`` under ``name`` as its next version (one transaction)."""
        name = library_name(name)
        return self._save(SCENARIO, name, canonical_csv(scenario.with_(name=name)), author, note, "save")

    def save_document(self, kind: str, name: str, content: str, author: str = "", note: str = "") -> Record:
        """Store any kind's text (``"actuals"``, ``"projects"``, …) with the same versions, hash, trash and audit."""
        _check_kind(kind)
        if not isinstance(content, str):
            raise LibraryError("content: not text")
        if kind == SCENARIO:
            try:
                return self.save(name, _parse_scenario(content), author, note)
            except ScenarioError as exc:
                raise LibraryError(f"content: {exc.problems[0]}") from None
        if "\x00" in content:
            raise LibraryError("content: contains NUL characters")
        if len(content) > MAX_CONTENT:
            raise LibraryError(f"content: longer than {MAX_CONTENT} characters ({len(content)})")
        try:
            _validator(kind)(content)
        except (ScenarioError, ValueError) as exc:
            first = exc.problems[0] if isinstance(exc, ScenarioError) and exc.problems else str(exc)
            raise LibraryError(f"content: {first}") from None
        return self._save(kind, library_name(name), content, author, note, "save")

    def _save(self, kind: str, name: str, content: str, author: str, note: str, action: str,
              detail: str = "") -> Record:
        author = clean_text(author, "author", MAX_AUTHOR)
        note = clean_text(note, "note", MAX_NOTE)
        if _is_short_id(name) and not self._history(name, kind):
            # a new name of hex digits reads as a short ID: a document named after another's ID would open in its
            # place from every link and command naming that ID (names are looked up first)
            raise LibraryError(f"name: {name!r} reads as a short ID (hex digits only): add a word, e.g. 实际值{name}")
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()  # its first 8 digits = scenario_id()
        created = now_iso()
        save_id = uuid.uuid4().hex  # makes a retried save (commit answer lost with the connection) happen once
        db = self._db

        def insert():
            again = db.one("SELECT version FROM documents WHERE save_id = ?", (save_id,))
            if again is not None:
                return again[0]
            # lock this name's head row: concurrent savers of one name queue here, so versions have no gaps
            (version,) = db.one(
                "INSERT INTO heads (kind, name, latest) VALUES (?, ?, 1) "
                "ON CONFLICT (kind, name) DO UPDATE SET latest = heads.latest + 1 RETURNING latest", (kind, name))
            db.execute("INSERT INTO documents (kind, name, version, author, note, content, sha256, created_at, "
                       "save_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (kind, name, version, author, note, content, digest, created, save_id))
            db.execute("UPDATE documents SET deleted_at = NULL WHERE kind = ? AND name = ? AND deleted_at IS NOT NULL",
                       (kind, name))
            self._audit(self.actor, action, kind, name, version, digest[:8], detail or (note[:80] if note else ""))
            return version

        version = self._change(insert)
        return Record(name, version, author, note, created, digest[:8], False, content, kind)

    def delete(self, key: str, kind: str = SCENARIO) -> Record:
        """Move every version of a name (given by name or short ID) to the trash; the latest record moved."""
        rec = self.get(key, kind=kind)
        if rec.name != key:  # found by short ID: act on (and report) the name's latest version
            rec = self.get(rec.name, kind=kind)
        db = self._db

        def trash():
            n = db.execute("UPDATE documents SET deleted_at = ? WHERE kind = ? AND name = ? AND deleted_at IS NULL",
                           (now_iso(), kind, rec.name))
            if n == 0:
                raise LibraryError(f"{rec.name!r} is already in the trash")
            self._audit(self.actor, "delete", kind, rec.name, rec.version, rec.short_id)
            return n

        self._change(trash)
        return Record(rec.name, rec.version, rec.author, rec.note, rec.created_at, rec.short_id, True, rec.content,
                      kind)

    def restore(self, name: str, version: int | None = None, kind: str = SCENARIO) -> Record:
        """Take ``name`` out of the trash; with ``version``, make that version the latest again (a new version)."""
        rec = self.get(name, version, kind)
        if version is None:
            db = self._db

            def untrash():
                db.execute("UPDATE documents SET deleted_at = NULL WHERE kind = ? AND name = ?", (kind, rec.name))
                self._audit(self.actor, "restore", kind, rec.name, rec.version, rec.short_id)

            self._change(untrash)
            return self.get(rec.name, kind=kind)
        if kind == SCENARIO:
            try:
                rec.scenario()
            except ScenarioError as exc:
                raise LibraryError(f"{name} v{version}: stored scenario no longer valid ({exc.problems[0]})") from None
        return self._save(kind, rec.name, rec.content, rec.author, f"restored from version {version}",
                          "restore_version", f"from v{version}")

    # -- who acts -------------------------------------------------------------------------------------

    def _audit_fn(self):
        return lambda actor, action, **kw: self._audit(actor, action, **kw)

    def sign_in(self, name: str, password: str) -> Actor:
        """Check an editor's password (lockout shared through this database); on success this library acts as
        that editor and the returned Actor (with its session token) can be kept in the UI session."""
        self.actor = self.auth.sign_in(self._db, name, password, self._audit_fn())
        return self.actor

    def sign_in_verified(self, identity: str) -> Actor:
        """Act as someone the office's identity provider signed in (an editor when listed, else a viewer)."""
        self.actor = self.auth.sign_in_verified(self._db, identity, self._audit_fn())
        return self.actor

    def resume(self, token: str | None) -> Actor:
        """Act as the editor a kept session token stands for, or as a viewer when it is no longer valid."""
        self.actor = self.auth.resume(self._db, token)
        return self.actor

    def sign_out(self) -> Actor:
        """End the current session on every replica; this library then acts as the default (viewer) actor."""
        self.actor = self.auth.sign_out(self._db, self.actor, self._audit_fn())
        return self.actor

    def unlock(self, name: str) -> bool:
        """Clear a sign-in lockout (needs an editor, e.g. the CLI)."""
        return self.auth.unlock(self._db, name, self.actor, self._audit_fn())

    # -- copying between backends -------------------------------------------------------------------

    def dump(self) -> list[tuple]:
        """Every document row as stored (kind, name, version, author, note, created_at, sha256, deleted_at,
        content), oldest first: for migrations and consistency checks, not for display."""
        return self._db.read(lambda: self._db.rows(
            "SELECT kind, name, version, author, note, created_at, sha256, deleted_at, content FROM documents "
            "ORDER BY id"))


@dataclass(frozen=True)
class MigrationReport:
    versions: int
    names: int
    trashed: int
    audit: int

    def line(self, src: str, dst: str) -> str:
        return (f"copied {self.versions} versions of {self.names} names ({self.trashed} in the trash) and "
                f"{self.audit} audit entries from {src} to {dst}; counts and hashes verified")


def migrate(src: str, dst: str, actor: Actor | None = None) -> MigrationReport:
    """Copy every document version (author, note, times, trash) and the audit log from ``src`` into an empty
    ``dst`` in one transaction, then read both back and compare counts and hashes row by row."""
    actor = actor or Actor.cli()
    if library_url(src) == library_url(dst):
        raise LibraryError("--from and --to are the same library")
    with Library(src, actor) as a, Library(dst, actor) as b:
        rows = a.dump()
        audit = a._db.read(lambda: a._db.rows(
            "SELECT at, actor, role, via, action, kind, name, version, short_id, detail FROM audit ORDER BY id"))
        bad = [r for r in rows if hashlib.sha256(str(r[8]).encode("utf-8")).hexdigest() != r[6]]
        if bad:
            raise LibraryError(f"{a.location}: {len(bad)} rows do not match their hash (first: {bad[0][1]!r} "
                               f"v{bad[0][2]}); fix them before migrating")
        db = b._db

        def copy():
            b.auth.check_writer(db, b.actor)
            (existing,) = db.one("SELECT COUNT(*) FROM documents")
            if existing:
                raise LibraryError(f"{b.location}: not empty ({existing} versions); migrate into a new database")
            for r in rows:
                db.execute("INSERT INTO documents (kind, name, version, author, note, created_at, sha256, deleted_at, "
                           "content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r)
            heads: dict = {}
            for r in rows:
                if isinstance(r[2], int):
                    heads[(r[0], r[1])] = max(heads.get((r[0], r[1]), 0), r[2])
            for (kind, name), latest in heads.items():
                db.execute("INSERT INTO heads (kind, name, latest) VALUES (?, ?, ?)", (kind, name, latest))
            for e in audit:
                db.execute("INSERT INTO audit (at, actor, role, via, action, kind, name, version, short_id, detail) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e)
            b._audit(b.actor, "migrate", detail=f"from {a.location}: {len(rows)} versions")

        db.write(copy)
        copied = b.dump()
        if len(copied) != len(rows) or sorted(map(_key, copied)) != sorted(map(_key, rows)):
            raise LibraryError(f"{b.location}: the copy does not match the source (counts or hashes differ)")
        names = {(r[0], r[1]) for r in rows}
        trashed = {(r[0], r[1]) for r in rows if r[7] is not None}
        return MigrationReport(len(rows), len(names), len(trashed), len(audit))


def _key(r) -> tuple:
    return (r[0], r[1], str(r[2]), r[6], hashlib.sha256(str(r[8]).encode("utf-8")).hexdigest(), r[7] is not None)


def _load_kinds() -> None:
    """The document kinds whose readers live elsewhere register themselves when their module is imported; the library
    imports those modules by name on first use (a plug-in table, so no reader module and the library import each other
    in a circle), so that reading any library validates every kind the same way whichever module opened it first."""
    import importlib

    for module in KIND_MODULES:
        importlib.import_module(module)


KIND_MODULES = ("model.io.actuals", "model.io.lists", "model.io.tasks", "model.io.enterprises")

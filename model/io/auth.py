"""Who may change the library: viewers read, editors write (issue #16 §1, enforced in the model).

Why here and not in the UI: ``Library`` checks the actor on every change, inside the change's own transaction, so a
page that forgets a check cannot write as a viewer, and a sign-out on one replica ends the session on all of them.

* Editor accounts come from the secrets file (``[editors]`` name = argon2id hash, made by
  ``python -m model users add NAME``); no accounts configured means a single user on their own machine, who is
  an editor, as before.
* Password checks are constant-time (argon2's verify; an unknown name is checked against a dummy hash so it takes
  as long). N failed attempts within a window lock the name for a while; that state and the sessions live in the
  library database so replicas share them.
* A read-only deployment (``SHIFENG_READ_ONLY=1`` or ``read_only = true``) makes everyone in the app a viewer.
* The CLI runs with the database's own credentials: it acts as an editor named after the OS user or ``--author``.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

from ..scenario.scenario import clean_name
from .library_db import Database, LibraryError, NotAllowed, read_secrets

VIEWER, EDITOR = "viewer", "editor"
ROLES = (VIEWER, EDITOR)
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
MAX_USER = 200


class AuthError(LibraryError):
    """A sign-in that did not succeed (wrong name or password, no accounts configured)."""


class LockedOut(AuthError):
    """Too many failed attempts: the name is locked until ``until`` (seconds since the epoch)."""

    def __init__(self, message: str, until: float):
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``token`` is a signed-in editor's session token, checked against the database on every
    change (so constructing ``Actor(name, EDITOR)`` by hand does not grant writing once accounts exist)."""

    name: str
    role: str = VIEWER
    via: str = "app"  # "app" | "cli"
    token: str | None = field(default=None, repr=False, compare=False)

    @property
    def is_editor(self) -> bool:
        return self.role == EDITOR

    @classmethod
    def cli(cls, name: str | None = None) -> Actor:
        """The command line's actor: ``--author`` or the OS user."""
        return cls(clean_name(name) if name else os_user(), EDITOR, "cli")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return f"uid {os.getuid()}"


# -- passwords --------------------------------------------------------------------------------------

def _hasher(memory_kib: int = 65536, time_cost: int = 3):
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"password: between {MIN_PASSWORD} and {MAX_PASSWORD} characters")


def hash_password(password: str, *, memory_kib: int = 65536, time_cost: int = 3) -> str:
    """An argon2id hash to put in the secrets file (the parameters travel inside the hash)."""
    check_password_rules(password)
    return _hasher(memory_kib, time_cost).hash(password)


_DUMMY: dict[str, str] = {}


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant-time check; a missing account is checked against a dummy hash so it costs the same."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    if stored_hash is None:
        if "h" not in _DUMMY:
            _DUMMY["h"] = _hasher().hash(secrets.token_hex(16))
        stored_hash, password = _DUMMY["h"], password + "\x00never"
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def secrets_line(name: str, password_hash: str) -> str:
    """``"name" = "hash"`` in TOML (names may hold any character; clean_name has removed control ones)."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{q(name)} = {q(password_hash)}"


def clean_user(name: str) -> str:
    if not isinstance(name, str):
        raise AuthError("name: not text")
    user = clean_name(name)
    if not user or len(user) > MAX_USER:
        raise AuthError(f"name: between 1 and {MAX_USER} characters")
    return user


# -- configuration ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Auth:
    """Accounts and policy. ``Auth.from_secrets()`` reads the secrets file; tests build one directly."""

    editors: dict = field(default_factory=dict)  # name -> argon2 hash
    # identities (e-mail addresses) an office's identity provider vouches for (Streamlit's st.login, OIDC) that
    # may edit: secrets ``[oidc] editors = ["a@office.cn", …]``
    oidc_editors: frozenset = frozenset()
    max_failures: int = 5
    window_s: float = 15 * 60
    lockout_s: float = 15 * 60
    session_s: float = 12 * 3600
    read_only: bool = False
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)

    @classmethod
    def from_secrets(cls, paths=None) -> Auth:
        s = read_secrets(paths)
        policy = s.get("auth") if isinstance(s.get("auth"), dict) else {}
        editors = s.get("editors") if isinstance(s.get("editors"), dict) else {}
        oidc = s.get("oidc") if isinstance(s.get("oidc"), dict) else {}
        oidc_editors = oidc.get("editors") if isinstance(oidc.get("editors"), list) else []
        env_ro = os.environ.get("SHIFENG_READ_ONLY", "").strip().lower() in ("1", "true", "yes")
        try:
            return cls(editors={clean_name(str(k)): str(v) for k, v in editors.items()},
                       oidc_editors=frozenset(clean_user(str(e)).lower() for e in oidc_editors if str(e).strip()),
                       max_failures=int(policy.get("max_failures", 5)),
                       window_s=float(policy.get("window_minutes", 15)) * 60,
                       lockout_s=float(policy.get("lockout_minutes", 15)) * 60,
                       session_s=float(policy.get("session_hours", 12)) * 3600,
                       read_only=env_ro or bool(s.get("read_only")))
        except (TypeError, ValueError) as exc:
            raise LibraryError(f"secrets [auth]: {exc}") from None

    @property
    def accounts(self) -> bool:
        """True when sign-in is in force (at least one editor account, by password or by identity provider)."""
        return bool(self.editors) or bool(self.oidc_editors)

    def default_actor(self) -> Actor:
        """Who someone is before signing in: an editor on a machine without accounts, else a viewer."""
        if self.read_only or self.accounts:
            return Actor("anonymous", VIEWER)
        return Actor("local", EDITOR)

    # -- checks done inside a library change's transaction ---------------------------------------------

    def check_writer(self, db: Database, actor: Actor) -> None:
        """Raise NotAllowed unless ``actor`` may change the library now (called inside the write transaction)."""
        if actor.via == "cli" and actor.is_editor:
            return
        if self.read_only:
            raise NotAllowed("read-only deployment: the library cannot be changed here")
        if not actor.is_editor:
            raise NotAllowed(f"{actor.name or 'anonymous'} is a viewer: sign in as an editor to change the library")
        if not self.accounts:
            return
        if not actor.token or self._session_user(db, actor.token) != actor.name:
            raise NotAllowed(f"{actor.name}: not signed in (signed out or session expired): sign in again")

    def _session_user(self, db: Database, token: str) -> str | None:
        row = db.one("SELECT username, expires_at, ended_at FROM auth_sessions WHERE token_sha256 = ?",
                     (_token_hash(token),))
        if row is None or row[2] is not None or row[1] <= self.clock() or (
                row[0] not in self.editors and row[0] not in self.oidc_editors):
            return None
        return row[0]

    # -- sign-in, sign-out, resume ---------------------------------------------------------------------

    def sign_in(self, db: Database, name: str, password: str, audit: Callable) -> Actor:
        """An editor Actor with a fresh session token, or AuthError / LockedOut. Each attempt is reserved before
        the password is checked, so parallel guesses cannot exceed ``max_failures`` in a window."""
        if not self.accounts:
            raise AuthError("no editor accounts are configured: everyone may edit (nothing to sign in to)")
        user = clean_user(name)
        if not isinstance(password, str) or len(password) > MAX_PASSWORD:
            password = ""

        def reserve():
            now = self.clock()
            db.execute(_INSERT_IGNORE[db.backend], (user,))
            failures, window_start, locked_until = db.one(
                "SELECT failures, window_start, locked_until FROM auth_state WHERE username = ?"
                + (" FOR UPDATE" if db.backend == "postgresql" else ""), (user,))
            if locked_until is not None and locked_until > now:
                audit(Actor(user, VIEWER), "sign_in_locked", detail="refused: locked")
                return locked_until
            if window_start is None or now - window_start > self.window_s:
                failures, window_start = 0, now
            failures += 1
            locked = now + self.lockout_s if failures >= self.max_failures else None
            db.execute("UPDATE auth_state SET failures = ?, window_start = ?, locked_until = ? WHERE username = ?",
                       (failures, window_start, locked, user))
            return None

        locked_until = db.write(reserve)
        if locked_until is not None:
            raise LockedOut(f"{user}: too many failed sign-ins; try again after "
                            f"{time.strftime('%H:%M', time.localtime(locked_until))}", locked_until)
        ok = verify_password(self.editors.get(user), password)
        token = secrets.token_urlsafe(32)

        def record():
            now = self.clock()
            if ok:
                db.execute("UPDATE auth_state SET failures = 0, window_start = NULL, locked_until = NULL "
                           "WHERE username = ?", (user,))
                db.execute("INSERT INTO auth_sessions (token_sha256, username, created_at, expires_at) "
                           "VALUES (?, ?, ?, ?)", (_token_hash(token), user, now, now + self.session_s))
                audit(Actor(user, EDITOR), "sign_in")
                return None
            (locked,) = db.one("SELECT locked_until FROM auth_state WHERE username = ?", (user,))
            audit(Actor(user, VIEWER), "sign_in_failed", detail="locked" if locked else "")
            return locked

        locked = db.write(record)
        if not ok:
            if locked is not None:
                raise LockedOut(f"{user}: wrong name or password; too many failures, locked until "
                                f"{time.strftime('%H:%M', time.localtime(locked))}", locked)
            raise AuthError("wrong name or password")
        return Actor(user, EDITOR, "app", token)

    def sign_in_verified(self, db: Database, identity: str, audit: Callable) -> Actor:
        """A session for someone the office's identity provider has signed in (Streamlit's ``st.login``): an
        editor when the identity is listed under ``[oidc] editors``, else a viewer (no session, no write)."""
        user = clean_user(identity).lower()
        if user not in self.oidc_editors:
            return self.default_actor()
        token = secrets.token_urlsafe(32)

        def record():
            now = self.clock()
            db.execute("INSERT INTO auth_sessions (token_sha256, username, created_at, expires_at) "
                       "VALUES (?, ?, ?, ?)", (_token_hash(token), user, now, now + self.session_s))
            audit(Actor(user, EDITOR, "oidc"), "sign_in", detail="identity provider")

        db.write(record)
        return Actor(user, EDITOR, "app", token)

    def resume(self, db: Database, token: str | None) -> Actor:
        """The actor a stored session token stands for (e.g. after reconnecting to another replica); a viewer
        when the token is unknown, expired or signed out."""
        if token and self.accounts:
            user = db.read(lambda: self._session_user(db, token))
            if user is not None:
                return Actor(user, EDITOR, "app", token)
        return self.default_actor()

    def sign_out(self, db: Database, actor: Actor, audit: Callable) -> Actor:
        """End the session everywhere; returns the viewer the person is now."""
        if actor.token:
            def end():
                n = db.execute("UPDATE auth_sessions SET ended_at = ? WHERE token_sha256 = ? AND ended_at IS NULL",
                               (self.clock(), _token_hash(actor.token)))
                if n:
                    audit(actor, "sign_out")
            db.write(end)
        return self.default_actor()

    def unlock(self, db: Database, name: str, actor: Actor, audit: Callable) -> bool:
        """Clear a lockout (operator command); True when the name was locked."""
        user = clean_user(name)

        def clear():
            self.check_writer(db, actor)
            n = db.execute("UPDATE auth_state SET failures = 0, window_start = NULL, locked_until = NULL "
                           "WHERE username = ? AND locked_until IS NOT NULL", (user,))
            audit(actor, "unlock", name=user, detail="was locked" if n else "was not locked")
            return n > 0
        return db.write(clear)


_INSERT_IGNORE = {
    "sqlite": "INSERT OR IGNORE INTO auth_state (username) VALUES (?)",
    "postgresql": "INSERT INTO auth_state (username) VALUES (?) ON CONFLICT (username) DO NOTHING",
}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

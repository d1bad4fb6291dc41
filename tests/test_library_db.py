"""model/io/library_db.py: one setting picks the backend; a password never shows."""
from __future__ import annotations

import pytest

from model.io.library_db import LibraryError, library_url, parse_url, redact


def test_a_bare_path_is_sqlite_and_urls_are_parsed(tmp_path, monkeypatch):
    assert parse_url(str(tmp_path / "x.db")) == ("sqlite", str(tmp_path / "x.db"))
    assert parse_url("sqlite:///rel/x.db") == ("sqlite", "rel/x.db")
    assert parse_url("postgresql://u:secret@h:5432/db")[0] == "postgresql"
    assert "secret" not in redact("postgresql://u:secret@h:5432/db")
    with pytest.raises(LibraryError):
        parse_url("mysql://x")
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", "sqlite:///from-env.db")
    assert library_url(None) == "sqlite:///from-env.db" and library_url("given.db") == "given.db"

"""The library on both backends: versions, trash, short IDs, bad input and bad rows, schema versions and
migrations, other document kinds, a SIGKILL in mid-save, 8 writers at once, and a PostgreSQL restart mid-loop.

PostgreSQL tests start a throw-away cluster (initdb into a temporary folder, unix socket only, stopped at the
end). Without /usr/lib/postgresql/*/bin/initdb they are skipped, unless REQUIRE_POSTGRES=1 (as in CI).
"""
from __future__ import annotations

import atexit
import glob
import hashlib
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import unicodedata

import pytest

from model.io.auth import Actor, Auth
from model.io.library_db import SCHEMA_VERSION
from model.library import Library, LibraryError, NewerSchemaError, migrate
from model.scenario import FrozenMap, Scenario
from tests.conftest import REPO


def _growth_keys():
    from model.plan.registry import default_plan

    return default_plan().segments.growth_keys

OPEN = Auth()  # no accounts: everyone is an editor (the single-user default), whatever secrets the machine has


def scen(rate=0.05, name="s") -> Scenario:
    return Scenario(name=name, growth=FrozenMap({k: rate for k in _growth_keys()}))


# -- a throw-away PostgreSQL cluster, one per test run ---------------------------------------------------

class PgCluster:
    """initdb + pg_ctl in a temporary folder (owned by user postgres when running as root, since the server
    refuses to run as root), listening only on a unix socket in that folder. Each test gets its own schema."""

    def __init__(self, bindir: str):
        self.bindir = bindir
        self.dir = tempfile.mkdtemp(prefix="shifeng-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = 54000 + os.getpid() % 1000
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        self.start()
        self._schemas = itertools.count()

    def _run(self, tool: str, *args: str) -> None:
        cmd = [os.path.join(self.bindir, tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{tool} failed: {r.stderr[-2000:]}")

    def _pg_ctl(self, action: str) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=''"
        extra = ["-m", "fast"] if action in ("stop", "restart") else []
        self._run("pg_ctl", "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "log"), "-w", *extra, action)

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        try:
            self._pg_ctl("stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, schema: str | None = None) -> str:
        base = f"postgresql://postgres@/postgres?host={self.dir}&port={self.port}"
        return base + (f"&options=-csearch_path%3D{schema}" if schema else "")

    def fresh_url(self) -> str:
        """A new empty schema: the library's tables are unqualified, so search_path isolates each test."""
        import psycopg

        name = f"t{next(self._schemas)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(name)


_CLUSTER: list = []


def pg_cluster() -> PgCluster:
    """The run's cluster, started on first use (stopped at exit); skip or fail when PostgreSQL is missing."""
    if not _CLUSTER:
        initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not initdb:
            if os.environ.get("REQUIRE_POSTGRES") == "1":
                pytest.fail("PostgreSQL is required (REQUIRE_POSTGRES=1) but no /usr/lib/postgresql/*/bin/initdb")
            pytest.skip("PostgreSQL not installed: apt-get install postgresql")
        cluster = PgCluster(os.path.dirname(initdb[-1]))
        atexit.register(cluster.stop)
        _CLUSTER.append(cluster)
    return _CLUSTER[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """The library's URL on each backend (a fresh library per test)."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "lib.db")
    return pg_cluster().fresh_url()


@pytest.fixture()
def lib(url):
    with Library(url, auth=OPEN) as lib:
        yield lib


# -- behaviour ---------------------------------------------------------------------------------------------

def test_save_keeps_versions_and_round_trips(lib):
    a = lib.save("会议A", scen(0.05), author="张三", note="初稿")
    b = lib.save("会议A", scen(0.07))
    assert (a.version, b.version) == (1, 2)
    assert [r.version for r in lib.history("会议A")] == [2, 1]
    assert [r.name for r in lib.list()] == ["会议A"]
    assert lib.get("会议A").scenario() == scen(0.07, name="会议A")
    assert lib.get("会议A", 1).scenario() == scen(0.05, name="会议A")
    assert lib.get(a.short_id).version == 1  # the short ID finds its version
    assert a.short_id == hashlib.sha256(a.content.encode()).hexdigest()[:8]
    assert lib.get("会议A", 1).author == "张三" and lib.get("会议A", 1).note == "初稿"


def test_delete_is_soft_and_restorable(lib):
    lib.save("x", scen())
    lib.delete("x")
    assert lib.list() == [] and [r.name for r in lib.list(trash=True)] == ["x"]
    lib.restore("x")
    assert [r.name for r in lib.list()] == ["x"]
    lib.save("x", scen(0.09))
    restored = lib.restore("x", version=1)
    assert restored.version == 3 and restored.scenario().growth["rail_transit"] == 0.05


def test_delete_by_short_id_really_moves_it(lib):
    rec = lib.save("季度汇报", scen())
    lib.save("other", scen(0.08))
    moved = lib.delete(rec.short_id)
    assert moved.name == "季度汇报" and moved.deleted
    assert [r.name for r in lib.list()] == ["other"]
    assert [r.name for r in lib.list(trash=True)] == ["季度汇报"]
    with pytest.raises(LibraryError, match="already in the trash"):
        lib.delete(rec.short_id)  # never a second, false success


def test_names_that_look_the_same_are_one_name(lib):
    lib.save("会议A", scen(0.05))
    again = lib.save("会议\u200bA ", scen(0.06))  # zero-width space, trailing space
    nfd = unicodedata.normalize("NFD", "Café")
    lib.save("Café", scen())
    assert again.name == "会议A" and again.version == 2
    assert lib.save(nfd, scen(0.07)).version == 2
    assert lib.get("会议\u2060A").version == 2  # word joiner: also invisible
    assert sorted(r.name for r in lib.list()) == sorted(["会议A", "Café"])


@pytest.mark.parametrize("name, ok", [("", False), ("   ", False), ("a" * 10_000, False), ("a\x00b", False),
                                      ("\u200b\u200b", False), ("🚄 高铁情景", True),
                                      ("x'; DROP TABLE documents; --", True), ("x'); DELETE FROM heads; --", True),
                                      ("<script>alert(1)</script>", True), ("=1+1", True), ("%_\\%", True)])
def test_names_are_validated_and_stored_verbatim(lib, name, ok):
    if not ok:
        with pytest.raises(LibraryError, match="^name"):
            lib.save(name, scen())
        assert lib.list() == []
    else:
        lib.save(name, scen())
        assert lib.get(name).name == name and lib.integrity_ok()
        assert [r.name for r in lib.list()] == [name]


def test_sql_like_short_ids_and_wildcards_find_nothing_else(lib):
    lib.save("a", scen())
    for key in ("%", "____", "' OR 1=1 --"):
        with pytest.raises(LibraryError, match="no scenario"):
            lib.get(key)


def test_long_note_is_refused(lib):
    with pytest.raises(LibraryError, match="note"):
        lib.save("n", scen(), note="x" * 10_001)
    lib.save("n", scen(), note="行一\n行二")


def test_unknown_scenario(lib):
    with pytest.raises(LibraryError, match="no scenario"):
        lib.get("nope")


def test_corrupt_file(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="cannot open|damaged"):
        with Library(bad, auth=OPEN) as broken:
            broken.list()


def test_unreadable_rows_are_skipped_and_named(lib):
    good = lib.save("好的", scen())
    lib.save("坏的", scen(0.02))
    lib.save("坏的", scen(0.03))
    lib.save("乱码", scen())
    db = lib._db
    garbage = "parameter,value\r\nrail,not-a-number\r\n"
    db.write(lambda: db.execute("UPDATE documents SET content = ?, sha256 = ? WHERE name = ? AND version = 2",
                                (garbage, hashlib.sha256(garbage.encode()).hexdigest(), "坏的")))
    db.write(lambda: db.execute("UPDATE documents SET content = 'edited by hand' WHERE name = ?", ("乱码",)))
    db.write(lambda: db.execute("INSERT INTO documents (kind, name, version, content, sha256, created_at) "
                                "VALUES ('scenario', '零版', 0, 'x', 'x', '2026')"))
    records = lib.list()
    assert {r.name: r.version for r in records} == {"好的": 1, "坏的": 1}  # falls back to the readable version
    skipped = [str(s) for s in lib.skipped]
    assert any("'坏的' v2: content cannot be read" in s for s in skipped)
    assert any("'乱码' v1: content does not match its hash" in s for s in skipped)
    assert any("'零版' v0: bad version" in s for s in skipped)
    assert lib.get("坏的").version == 1 and lib.get(good.short_id).name == "好的"
    with pytest.raises(LibraryError, match="'坏的' v2: content cannot be read"):
        lib.get("坏的", 2)
    assert [r.version for r in lib.history("坏的")] == [1]
    assert lib.save("坏的", scen(0.04)).version == 3  # the name stays usable


def test_sqlite_text_in_a_version_column_is_skipped(tmp_path):
    db = tmp_path / "lib.db"
    with Library(db, auth=OPEN) as lib:
        lib.save("a", scen())
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO documents (kind, name, version, content, sha256, created_at) "
                 "VALUES ('scenario', 'a', 'abc', 'x', 'y', '2026')")
    conn.commit()
    conn.close()
    with Library(db, auth=OPEN) as lib:
        assert [(r.name, r.version) for r in lib.list()] == [("a", 1)]
        assert "'a' vabc: bad version 'abc'" in str(lib.skipped[0])
        assert lib.save("a", scen(0.1)).version == 2


def test_newer_schema_is_reported_as_newer_not_damaged(url):
    with Library(url, auth=OPEN) as lib:
        lib.save("a", scen())
        lib._db.write(lambda: lib._db.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')"))
    with pytest.raises(NewerSchemaError, match=rf"made by a newer version of the app \(schema 99 > {SCHEMA_VERSION}\)"):
        Library(url, auth=OPEN)
    r = subprocess.run([sys.executable, "-m", "model", "scenarios", "list", "--db", url], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "newer version" in r.stderr and "damaged" not in r.stderr


LEGACY_SCHEMA = """
CREATE TABLE scenarios (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL,
    author TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', content TEXT NOT NULL, sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL, deleted_at TEXT, UNIQUE (name, version));
CREATE INDEX scenarios_name ON scenarios (name);
"""


def test_first_release_file_is_migrated_with_versions_authors_and_trash(tmp_path):
    from model.io.assumptions import to_assumptions_csv

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(LEGACY_SCHEMA)
    for name, v, author, deleted in [("旧A", 1, "甲", None), ("旧A", 2, "乙", None), ("旧B", 1, "丙", "2026-01-01")]:
        content = to_assumptions_csv(scen(v / 100, name))
        conn.execute("INSERT INTO scenarios (name, version, author, note, content, sha256, created_at, deleted_at) "
                     "VALUES (?, ?, ?, '', ?, ?, '2025-12-01', ?)",
                     (name, v, author, content, hashlib.sha256(content.encode()).hexdigest(), deleted))
    conn.commit()
    conn.close()
    with Library(db, auth=OPEN) as lib:
        assert [(r.name, r.version, r.author) for r in lib.list()] == [("旧A", 2, "乙")]
        assert [r.name for r in lib.list(trash=True)] == ["旧B"]
        assert lib.save("旧A", scen()).version == 3
        assert lib._db.one("SELECT MAX(version) FROM schema_version")[0] == SCHEMA_VERSION
    conn = sqlite3.connect(db)  # the old table name is a view: an old app fails loudly instead of seeing nothing
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'scenarios'").fetchone()[0] == "view"
    with pytest.raises(sqlite3.DatabaseError):
        conn.executescript(LEGACY_SCHEMA.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")
                           .replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
    conn.close()


def test_other_kinds_are_versioned_documents_too(lib):
    csv1 = "indicator_id,year,value,unit,measure,source,note\r\nrail_output_2025,2021,1010,亿元,总产值,,\r\n"
    a = lib.save_document("actuals", "区统计局2023", csv1, author="统计")
    b = lib.save_document("actuals", "区统计局2023", csv1 + "rail_output_2025,2022,1100,亿元,总产值,,\r\n")
    lib.save("区统计局2023", scen())  # same name, other kind: independent
    assert (a.version, b.version, a.kind) == (1, 2, "actuals")
    assert a.short_id == hashlib.sha256(csv1.encode()).hexdigest()[:8]
    assert [r.name for r in lib.list(kind="actuals")] == ["区统计局2023"]
    assert lib.list()[0].kind == "scenario" and lib.list()[0].version == 1
    assert lib.get("区统计局2023", 1, kind="actuals").content == csv1
    assert lib.get(a.short_id, kind="actuals").version == 1
    with pytest.raises(LibraryError, match="not a scenario"):
        lib.get("区统计局2023", kind="actuals").scenario()
    lib.delete("区统计局2023", kind="actuals")
    assert lib.list(kind="actuals") == [] and len(lib.list()) == 1
    assert lib.restore("区统计局2023", 1, kind="actuals").version == 3
    with pytest.raises(LibraryError, match="unknown document kind"):
        lib.list(kind="nope")
    with pytest.raises(LibraryError, match="NUL"):
        lib.save_document("projects", "p", "a\x00b")


def test_migrate_copies_every_version_author_trash_and_audit(tmp_path):
    src = "sqlite:///" + str(tmp_path / "src.db")
    dst = pg_cluster().fresh_url()
    with Library(src, Actor.cli("迁移前")) as lib:
        lib.save("甲", scen(0.01), author="张")
        lib.save("甲", scen(0.02), author="李", note="二稿")
        lib.save("乙", scen(0.03))
        lib.delete("乙")
        lib.save_document("actuals", "实际",
                          "indicator_id,year,value,unit,measure,source,note\r\nrail_output_2025,2021,1010,亿元,总产值,,\r\n")
        before = lib.dump()
    r = subprocess.run([sys.executable, "-m", "model", "scenarios", "migrate", "--from", src, "--to", dst],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "copied 4 versions of 3 names (1 in the trash)" in r.stdout and "verified" in r.stdout
    with Library(dst, auth=OPEN) as lib:
        assert sorted(lib.dump()) == sorted(before)
        assert lib.get("甲", 2).author == "李" and lib.get("甲", 2).note == "二稿"
        assert [x.name for x in lib.list(trash=True)] == ["乙"]
        assert lib.save("甲", scen(0.04)).version == 3  # version numbering continues
        actions = [e.action for e in lib.log()]
        assert actions[:2] == ["save", "migrate"] and actions.count("save") == 5 and "delete" in actions
    again = subprocess.run([sys.executable, "-m", "model", "scenarios", "migrate", "--from", src, "--to", dst],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "not empty" in again.stderr
    # and back again into a new SQLite file
    back = "sqlite:///" + str(tmp_path / "back.db")
    report = migrate(dst, back)
    assert report.versions == 5 and report.trashed == 1


def test_bad_url_is_a_clear_error(tmp_path):
    with pytest.raises(LibraryError, match="unsupported library URL"):
        Library("mysql://u:secret@h/db", auth=OPEN)
    with pytest.raises(LibraryError) as exc:
        Library("postgresql://u:secret@127.0.0.1:1/db", auth=OPEN)
    assert "cannot reach" in str(exc.value) and "secret" not in str(exc.value)


# -- durability and concurrency, in separate processes ------------------------------------------------------

WRITER = """
import sys
from model.io.auth import Actor
from model.library import Library
from model.scenario import FrozenMap, Scenario
lib = Library(sys.argv[1], Actor.cli("writer"))
name, n = sys.argv[2], int(sys.argv[3])
for i in range(n):
    from model.plan.registry import default_plan

    s = Scenario(name=name, growth=FrozenMap({k: i / 1000 for k in default_plan().segments.growth_keys}))
    lib.save(name, s, note="x" * 2000)
    print(i, flush=True)
"""


def _writer(url, name, n) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, url, name, str(n)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check_consistent(url) -> list:
    """Every stored row is a whole save: its hash matches, it parses, and versions per name are 1..n."""
    with Library(url, auth=OPEN) as lib:
        assert lib.integrity_ok()
        rows = lib.dump()
        for kind, name, version, *_, digest, _deleted, content in rows:
            assert hashlib.sha256(content.encode()).hexdigest() == digest
            lib.get(name, version).scenario()
        assert lib.skipped == []
    by_name: dict = {}
    for r in rows:
        by_name.setdefault(r[1], []).append(r[2])
    for versions in by_name.values():
        assert sorted(versions) == list(range(1, len(versions) + 1))  # no gaps, no duplicates
    return rows


def _read_lines(proc, count, timeout=60) -> int:
    deadline, seen = time.time() + timeout, 0
    while seen < count and time.time() < deadline:
        if proc.stdout.readline():
            seen += 1
    return seen


def test_sigkill_in_the_middle_of_saves_leaves_a_consistent_library(url):
    Library(url, auth=OPEN).close()
    proc = _writer(url, "killed", 100_000)
    assert _read_lines(proc, 20) == 20  # let it commit a few saves first
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()
    rows = _check_consistent(url)
    assert len(rows) >= 20


def test_eight_writers_at_once_lose_nothing(url):
    Library(url, auth=OPEN).close()
    procs = [_writer(url, f"w{i % 4}", 15) for i in range(8)]  # two writers per name: versions must not clash
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    rows = _check_consistent(url)
    assert len(rows) == 8 * 15
    for i in range(4):
        assert sorted(v for _, n, v, *_ in rows if n == f"w{i}") == list(range(1, 31))
    with Library(url, auth=OPEN) as lib:
        assert len([e for e in lib.log(1000) if e.action == "save" and e.actor == "writer"]) == 8 * 15


def test_postgresql_restart_in_the_middle_of_a_save_loop():
    cluster = pg_cluster()
    url = cluster.fresh_url()
    Library(url, auth=OPEN).close()
    n = 60
    proc = _writer(url, "restart", n)
    assert _read_lines(proc, 10) == 10
    cluster.restart()  # fast shutdown: open transactions are cut off mid-save
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err  # the writer retried across the restart
    rows = _check_consistent(url)
    assert len(rows) == n  # every save exactly once: no partial scenario, no gap, no double


# -- the command line ---------------------------------------------------------------------------------------

def _cli(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "model", "scenarios", *args, "--db", str(db)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, input=stdin)


def test_cli_scenarios_commands(url):
    r = _cli(url, "save", "--name", "季度汇报", "--preset", "plan-targets", "--author", "李", "--note", "test")
    assert r.returncode == 0, r.stderr
    short = r.stdout.split()[0]
    assert len(short) == 8
    listed = _cli(url, "list")
    assert listed.returncode == 0 and short in listed.stdout and "季度汇报" in listed.stdout
    assert _cli(url, "show", short).stdout.startswith("parameter,value")
    deleted = _cli(url, "delete", short)  # by short ID
    assert deleted.returncode == 0 and "'季度汇报'" in deleted.stdout
    assert "季度汇报" not in _cli(url, "list").stdout and "季度汇报" in _cli(url, "list", "--trash").stdout
    again = _cli(url, "delete", short)
    assert again.returncode == 2 and "already in the trash" in again.stderr
    assert _cli(url, "restore", "季度汇报").returncode == 0 and "季度汇报" in _cli(url, "list").stdout
    bad = _cli(url, "save", "--name", "", "--preset", "plan-targets")
    assert bad.returncode == 2 and "name: empty" in bad.stderr and "Traceback" not in bad.stderr
    assert _cli(url, "show", "missing").returncode == 2
    log = _cli(url, "log")
    assert log.returncode == 0
    lines = log.stdout.splitlines()
    assert [ln.split("  ")[2] for ln in lines] == ["restore", "delete", "save"]
    assert "李 (editor, cli)" in lines[-1]


def test_cli_lists_skipped_rows_on_stderr(tmp_path):
    db = tmp_path / "lib.db"
    with Library(db, auth=OPEN) as lib:
        lib.save("ok", scen())
        lib.save("broken", scen())
        lib._db.write(lambda: lib._db.execute("UPDATE documents SET content = 'x' WHERE name = 'broken'"))
    r = _cli(db, "list")
    assert r.returncode == 0 and "ok" in r.stdout and "broken" not in r.stdout
    assert "skipped 'broken' v1: content does not match its hash" in r.stderr


def test_cli_refuses_a_damaged_library_with_exit_2(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    r = _cli(bad, "list")
    assert r.returncode == 2 and "cannot open the scenario library" in r.stderr and "Traceback" not in r.stderr


def test_secrets_library_db_setting_picks_the_backend(tmp_path, monkeypatch):
    from model.io import library_db

    db = tmp_path / "from-secrets.db"
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text(f'library_db = "sqlite:///{db}"\n', encoding="utf-8")
    assert tomllib.loads(secrets.read_text())["library_db"].startswith("sqlite:////")
    monkeypatch.delenv(library_db.ENV_DB, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(library_db, "secrets_files", lambda: [secrets])
    with Library(auth=OPEN) as lib:
        lib.save("x", scen())
    assert db.exists()
    monkeypatch.setenv(library_db.ENV_DB, str(tmp_path / "bare.db"))  # a bare path still means SQLite
    with Library(auth=OPEN) as lib:
        assert lib.backend == "sqlite" and lib.path == tmp_path / "bare.db"


# -- properties: whatever text reaches the library, it is refused, skipped or read, never an exception ----------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from model.io.assumptions import to_assumptions_csv  # noqa: E402

_PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _csv_like() -> st.SearchStrategy[str]:
    """Text near a real assumptions file (lines dropped, values replaced) and text of any kind."""
    real = to_assumptions_csv(scen()).splitlines()
    cell = st.one_of(st.text(max_size=30), st.sampled_from(["nan", "inf", "-inf", "1e999999", "9" * 5000, "7,50",
                                                             "", "\x00", "１２", "0x10", "1_000"]))
    edited = st.lists(st.tuples(st.integers(0, len(real) - 1), cell), max_size=4).map(
        lambda edits: "\r\n".join(line.split(",")[0] + "," + dict(edits).get(i, line.split(",", 1)[-1])
                                  for i, line in enumerate(real)))
    return st.one_of(edited, st.text(max_size=400))


@_PROPS
@given(content=_csv_like())
def test_any_stored_content_is_read_or_skipped_never_raised(tmp_path, content):
    db = tmp_path / f"p{abs(hash(content)) % 10**9}.db"
    with Library(db, auth=OPEN) as lib:
        lib.save("好的", scen())
        lib.save("任意", scen(0.03))
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        lib._db.write(lambda: lib._db.execute("UPDATE documents SET content = ?, sha256 = ? WHERE name = ?",
                                              (content, digest, "任意")))
        names = {r.name for r in lib.list()}
        assert "好的" in names
        if "任意" in names:  # it parsed: a valid scenario within every field's range, finite
            s = lib.get("任意").scenario()
            assert all(0 <= abs(v) < float("inf") for v in s.growth.values())
        else:
            assert any("'任意' v1: content cannot be read" in str(x) for x in lib.skipped)
            with pytest.raises(LibraryError):
                lib.get("任意")
        assert lib.save("任意", scen(0.04)).version == 2  # the name stays usable either way
    db.unlink()


@_PROPS
@given(name=st.text(max_size=120), note=st.text(max_size=200))
def test_any_name_and_note_is_refused_with_a_message_or_stored_once(tmp_path, name, note):
    db = tmp_path / f"n{abs(hash((name, note))) % 10**9}.db"
    with Library(db, auth=OPEN) as lib:
        try:
            rec = lib.save(name, scen(), note=note)
        except LibraryError as exc:
            assert str(exc).startswith(("name", "note"))
            assert lib.list() == []
        else:
            clean = rec.name
            assert clean == unicodedata.normalize("NFC", clean) and clean.strip() == clean and clean
            assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in clean)
            assert lib.get(name).name == clean and lib.get(clean).version == 1
            assert lib.save(clean, scen(0.06)).version == 2  # same-looking name = same name
            assert [r.name for r in lib.list()] == [clean] and lib.integrity_ok()
    db.unlink()


# -- every kind checked on save by the reader that opens it (issue 21, class 7) ----------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from model.io.actuals import ActualsSet, ProjectActuals  # noqa: E402
from model.io.lists import PlanList  # noqa: E402

ACTUALS_HEAD = "indicator_id,year,value,unit,measure,source,note"
LIST_FIX = REPO / "tests" / "fixtures" / "nextplan"


def _opens(kind: str, content: str):
    """Open a stored text as the app and the command line open it."""
    if kind == "actuals":
        return ActualsSet.from_bytes(content.encode("utf-8"), "stored.csv")
    if kind == "scenario":
        from model.io.assumptions import from_assumptions_csv

        return from_assumptions_csv(content.encode("utf-8"), "stored.csv")
    return PlanList.from_bytes(content.encode("utf-8"), "stored.csv", kind)


_NAMES = itertools.count()
CELLS = st.one_of(st.sampled_from(["rail_output_2025", "park_output_2025", "nope", "2021", "2025", "2099", "1010",
                                   "-5", "1e30", "亿元", "家", "总产值", "定性", "已完成", "=1+1", "", "x\ny"]),
                  st.text(max_size=8))


@st.composite
def documents(draw):
    """(kind, text): arbitrary text, or a real file of the kind with cells, rows or the header changed."""
    kind = draw(st.sampled_from(["actuals", "projects", "roads", "scenario"]))
    if draw(st.integers(0, 4)) == 0:
        return kind, draw(st.text(max_size=200))
    if kind == "actuals":
        rows = draw(st.lists(st.lists(CELLS, min_size=6, max_size=8), max_size=4))
        head = draw(st.sampled_from([ACTUALS_HEAD, ACTUALS_HEAD + ",x", "year,value", ""]))
        return kind, "\r\n".join([head] + [",".join(f'"{c}"' for c in r) for r in rows]) + "\r\n"
    if kind == "scenario":
        return kind, draw(st.sampled_from(["parameter,value\r\n", "parameter,value\r\nname,x\r\n"])) + draw(
            st.text(max_size=40))
    lines = (LIST_FIX / f"{kind}.csv").read_text(encoding="utf-8").splitlines()
    n = draw(st.integers(0, len(lines) - 1))
    cells = lines[n].split(",")
    i = draw(st.integers(0, len(cells) - 1))
    cells[i] = draw(CELLS).replace(",", "")
    lines[n] = ",".join(cells)
    return kind, "\r\n".join(lines) + "\r\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_any_text_either_saves_and_opens_or_is_refused_on_save(lib, doc):
    kind, content = doc
    name = f"doc{next(_NAMES)}"  # one library for every example: a fresh name each
    try:
        rec = lib.save_document(kind, name, content)
    except LibraryError as exc:
        assert str(exc).startswith("content:"), exc
        with pytest.raises(LibraryError):
            lib.get(name, kind=kind)  # nothing was stored
        return
    got = lib.get(rec.name, kind=kind)
    assert got.version == rec.version and not lib.skipped
    assert rec.name in [r.name for r in lib.list(kind=kind)] and not lib.skipped
    _opens(kind, got.content)  # never saved and then unopenable


def test_an_actuals_set_that_is_not_an_actuals_file_is_refused_on_save(lib):
    for text in ("year,value\r\n2021,1\r\n", "hello", ACTUALS_HEAD + "\r\nnope,2021,1,亿元,总产值,,\r\n",
                 ACTUALS_HEAD + "\r\nrail_output_2025,2021,1e30,亿元,总产值,,\r\n"):  # out of its unit's range
        with pytest.raises(LibraryError, match="^content: actuals.csv:"):
            lib.save_document("actuals", "统计局", text)
    assert lib.list(kind="actuals") == []
    good = ProjectActuals()  # an empty execution report is not an actuals set either
    with pytest.raises(LibraryError, match="content"):
        lib.save_document("actuals", "统计局", good.to_csv_text())


def test_a_new_name_that_reads_as_a_short_id_is_refused(lib):
    """A set saved under the name 12040aaf (another set's short ID) opened in its place from every link and
    command naming that ID (names are looked up first). A new name of hex digits only is refused; a name with a
    word in it is kept."""
    head = "indicator_id,year,value,unit,measure,source,note\r\n"
    one, two = head + "rail_output_2025,2021,1010,亿元,总产值,,\r\n", head + "rail_output_2025,2021,1020,亿元,总产值,,\r\n"
    first = lib.save_document("actuals", "实际值A", one)
    sid = first.short_id
    with pytest.raises(LibraryError, match="reads as a short ID"):
        lib.save_document("actuals", sid, two)
    assert lib.get(sid, kind="actuals").content == first.content
    assert lib.save_document("actuals", f"实际值{sid}", two).name == f"实际值{sid}"

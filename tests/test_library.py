"""The scenario library: versions, trash, short IDs, bad input, a SIGKILL in mid-save, and 8 writers at once."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from model.library import Library, LibraryError
from model.scenario import GROWTH_KEYS, FrozenMap, Scenario
from tests.conftest import REPO


def scen(rate=0.05, name="s") -> Scenario:
    return Scenario(name=name, baseline_rail_yi=975.0, baseline_total_yi=1015.625,
                    growth=FrozenMap({k: rate for k in GROWTH_KEYS}))


@pytest.fixture()
def lib(tmp_path):
    with Library(tmp_path / "lib.db") as lib:
        yield lib


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


def test_delete_is_soft_and_restorable(lib):
    lib.save("x", scen())
    lib.delete("x")
    assert lib.list() == [] and [r.name for r in lib.list(trash=True)] == ["x"]
    lib.restore("x")
    assert [r.name for r in lib.list()] == ["x"]
    lib.save("x", scen(0.09))
    restored = lib.restore("x", version=1)
    assert restored.version == 3 and restored.scenario().growth["rail_transit"] == 0.05


@pytest.mark.parametrize("name, ok", [("", False), ("   ", False), ("a" * 10_000, False), ("a\x00b", False),
                                      ("🚄 高铁情景", True), ("x'; DROP TABLE scenarios; --", True),
                                      ("<script>alert(1)</script>", True), ("=1+1", True)])
def test_names_are_validated_and_stored_verbatim(lib, name, ok):
    if not ok:
        with pytest.raises(LibraryError):
            lib.save(name, scen())
        assert lib.list() == []
    else:
        lib.save(name, scen())
        assert lib.get(name).name == name and lib.integrity_ok()


def test_long_note_is_refused(lib):
    with pytest.raises(LibraryError, match="note"):
        lib.save("n", scen(), note="x" * 10_001)
    lib.save("n", scen(), note="行一\n行二")


def test_unknown_scenario_and_corrupt_file(tmp_path, lib):
    with pytest.raises(LibraryError, match="no scenario"):
        lib.get("nope")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="cannot open|damaged"):
        with Library(bad) as broken:
            broken.list()


WRITER = """
import sys
from model.library import Library
from model.scenario import GROWTH_KEYS, FrozenMap, Scenario
lib = Library(sys.argv[1])
name, n = sys.argv[2], int(sys.argv[3])
for i in range(n):
    s = Scenario(name=name, baseline_rail_yi=975.0, baseline_total_yi=1015.625,
                 growth=FrozenMap({k: i / 1000 for k in GROWTH_KEYS}))
    lib.save(name, s, note="x" * 2000)
    print(i, flush=True)
"""


def _writer(db, name, n) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), name, str(n)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _check_consistent(db) -> list:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT name, version, content, sha256 FROM scenarios").fetchall()
    conn.close()
    for name, version, content, digest in rows:  # each save is all there or absent
        assert hashlib.sha256(content.encode()).hexdigest() == digest
    with Library(db) as lib:
        for name, version, _, _ in rows:
            lib.get(name, version).scenario()
    return rows


def test_sigkill_in_the_middle_of_saves_leaves_a_consistent_library(tmp_path):
    db = tmp_path / "lib.db"
    proc = _writer(db, "killed", 100_000)
    deadline = time.time() + 30
    seen = 0
    while seen < 20 and time.time() < deadline:  # let it commit a few saves first
        if proc.stdout.readline():
            seen += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()
    rows = _check_consistent(db)
    assert len(rows) >= 20
    assert sorted(v for _, v, _, _ in rows) == list(range(1, len(rows) + 1))  # no gaps, no duplicates


def test_eight_writers_at_once_lose_nothing(tmp_path):
    db = tmp_path / "lib.db"
    Library(db).close()
    procs = [_writer(db, f"w{i % 4}", 15) for i in range(8)]  # two writers per name: versions must not clash
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    rows = _check_consistent(db)
    assert len(rows) == 8 * 15
    for i in range(4):
        versions = sorted(v for n, v, _, _ in rows if n == f"w{i}")
        assert versions == list(range(1, 31))


def test_cli_scenarios_commands(tmp_path):
    db = tmp_path / "cli.db"

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "model", "scenarios", *args, "--db", str(db)], cwd=REPO,
                              capture_output=True, text=True, timeout=120)

    r = cli("save", "--name", "季度汇报", "--preset", "plan-targets", "--author", "李", "--note", "test")
    assert r.returncode == 0, r.stderr
    short = r.stdout.split()[0]
    assert len(short) == 8
    listed = cli("list")
    assert listed.returncode == 0 and short in listed.stdout and "季度汇报" in listed.stdout
    assert cli("show", short).stdout.startswith("parameter,value")
    assert cli("delete", "季度汇报").returncode == 0
    assert "季度汇报" not in cli("list").stdout
    bad = cli("save", "--name", "", "--preset", "plan-targets")
    assert bad.returncode == 2 and "name: empty" in bad.stderr and "Traceback" not in bad.stderr
    assert cli("show", "missing").returncode == 2


def test_cli_refuses_a_damaged_library_with_exit_2(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    r = subprocess.run([sys.executable, "-m", "model", "scenarios", "list", "--db", str(bad)], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "cannot open the scenario library" in r.stderr and "Traceback" not in r.stderr

"""model/io/files.py: writers write all or nothing, and only into a new folder or their own earlier output."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io import files as F
from model.io.files import MARKER, OutputError, write_folder
from tests.conftest import REPO
from tests.plans_support import cli_or_xfail

NAMES = frozenset({"a.csv", "b.csv", "c.csv"})


def cli(*args):
    cli_or_xfail()
    return subprocess.run([sys.executable, "-m", "model", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=180)


def snapshot(folder):
    return {p.name: (p.read_bytes() if p.is_file() else "<folder>") for p in sorted(folder.iterdir())}


def test_a_new_folder_is_written_whole_with_its_marker(tmp_path):
    write_folder({"a.csv": b"1", "b.csv": b"2"}, tmp_path / "out", "export", names=NAMES)
    assert snapshot(tmp_path / "out").keys() == {"a.csv", "b.csv", MARKER}
    write_folder({"a.csv": b"3"}, tmp_path / "out", "export", names=NAMES)  # its own output: replaced whole
    assert snapshot(tmp_path / "out").keys() == {"a.csv", MARKER} and (tmp_path / "out" / "a.csv").read_bytes() == b"3"


@pytest.mark.parametrize("setup", ["other_file", "subfolder", "other_writer", "file", "link", "bad_marker"])
def test_a_folder_holding_anything_else_is_refused_and_left_alone(tmp_path, setup):
    out = tmp_path / "out"
    if setup == "file":
        out.write_text("x")
    elif setup == "link":
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    else:
        out.mkdir()
        (out / "a.csv").write_bytes(b"old")
        if setup == "other_file":
            (out / "notes.docx").write_bytes(b"mine")
        elif setup == "subfolder":
            (out / "keep").mkdir()
        elif setup == "other_writer":
            write_folder({"b.csv": b"x"}, tmp_path / "o2", "brief", names=NAMES)
            out = tmp_path / "o2"
        elif setup == "bad_marker":
            (out / MARKER).write_text("{not json")
    before = snapshot(out) if out.is_dir() and not out.is_symlink() else None
    with pytest.raises(OutputError) as exc:
        write_folder({"a.csv": b"new"}, out, "export", names=NAMES)
    assert str(out) in str(exc.value)
    if before is not None:
        assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") or p.name.startswith(".o2.")]


def test_a_failure_half_way_leaves_the_previous_folder_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_folder({"a.csv": b"first", "b.csv": b"first"}, out, "export", names=NAMES)
    before = snapshot(out)
    real_open, calls = open, []

    def failing_open(path, mode="r", *a, **kw):
        if "w" in mode and str(path).endswith(".csv"):
            calls.append(path)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *a, **kw)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OutputError):
        write_folder({"a.csv": b"second", "b.csv": b"second"}, out, "export", names=NAMES)
    monkeypatch.undo()
    assert snapshot(out) == before  # never a mix of two scenarios
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind


def test_a_failed_swap_puts_the_previous_folder_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_folder({"a.csv": b"first"}, out, "export", names=NAMES)
    before = snapshot(out)
    real_rename = os.rename

    def rename(src, dst):
        if str(src).split(os.sep)[-1].startswith(".out.new-"):
            raise OSError(5, "I/O error")
        return real_rename(src, dst)

    monkeypatch.setattr(F.os, "rename", rename)
    with pytest.raises(OutputError):
        write_folder({"a.csv": b"second"}, out, "export", names=NAMES)
    monkeypatch.undo()
    assert snapshot(out) == before


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from(["a.csv", "b.csv", "x.txt", "data.csv", ".hidden", "sub/"]), max_size=4, unique=True),
       st.booleans())
def test_any_folder_is_either_refused_untouched_or_ours(tmp_path_factory, entries, marked):
    out = tmp_path_factory.mktemp("case") / "out"
    out.mkdir()
    for e in entries:
        (out / e.rstrip("/")).mkdir() if e.endswith("/") else (out / e).write_bytes(b"x")
    if marked:
        (out / MARKER).write_text('{"writer": "export"}')
    before = snapshot(out)
    ours = marked and all(e in NAMES for e in entries) or not entries and not marked
    try:
        write_folder({"a.csv": b"new"}, out, "export", names=NAMES)
    except OutputError:
        assert not ours and snapshot(out) == before
    else:
        assert ours and (out / "a.csv").read_bytes() == b"new"


def test_export_refuses_the_data_folder_and_the_repository(tmp_path):
    data_before = {p.name: p.read_bytes() for p in (REPO / "data").iterdir() if p.is_file()}
    for target, what in ((REPO / "data", "inside the plan's data folder"), (REPO, "inside the repository")):
        r = cli("export", "--preset", "plan-targets", "--out", str(target))
        assert r.returncode == 2 and what in r.stderr and "Traceback" not in r.stderr
    assert {p.name: p.read_bytes() for p in (REPO / "data").iterdir() if p.is_file()} == data_before
    r = cli("brief", "--preset", "plan-targets", "--out", str(REPO / "data"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_export_replaces_its_own_earlier_folder_and_a_legacy_one(tmp_path):
    out = tmp_path / "out"
    assert cli("export", "--preset", "zero-growth", "--out", str(out)).returncode == 0
    assert cli("export", "--preset", "plan-targets", "--out", str(out)).returncode == 0
    assert "plan-targets" in (out / "assumptions.csv").read_text(encoding="utf-8-sig")
    (out / MARKER).unlink()  # a folder written before folders carried a marker
    assert cli("export", "--preset", "zero-growth", "--out", str(out)).returncode == 0


# -- never inside a plan folder or the repository, links resolved (issue 21, class 6) ------------------------------

WRITERS = {  # every command that writes a folder, with what it needs besides --out
    "export": ["export", "--preset", "zero-growth"],
    "brief": ["brief", "--preset", "zero-growth"],
    "evaluate": ["evaluate", "--actuals", str(REPO / "tests" / "fixtures" / "actuals" / "actuals.csv")],
    "templates": ["evaluate", "--template"],
}


def _destinations(tmp: Path) -> dict[str, Path]:
    """Ways to name a folder inside data/ or the repository: plain, relative, through links, with '..'."""
    from model.plan.tables import DATA_DIR

    (tmp / "to-data").symlink_to(DATA_DIR, target_is_directory=True)
    (tmp / "to-repo").symlink_to(REPO, target_is_directory=True)
    (tmp / "nest").mkdir()
    (tmp / "nest" / "up").symlink_to(DATA_DIR.parent, target_is_directory=True)
    return {
        "data itself": DATA_DIR,
        "a new folder in data": DATA_DIR / "evaluation-2025",
        "a deeper new folder in data": DATA_DIR / "a" / "b",
        "relative, into data": Path("data") / "evaluation-2025",
        "relative with dots": Path("tests") / ".." / "data" / "x",
        "a link to data, then a folder": tmp / "to-data" / "sub",
        "a link to data, then two folders": tmp / "to-data" / "sub" / "deeper",
        "a link to the repository, then data": tmp / "to-repo" / "data" / "x",
        "a link inside a path, then dots": tmp / "nest" / "up" / "data" / ".." / "data" / "x",
        "a missing folder, then dots": tmp / "missing" / ".." / "to-data" / "x",
        "the repository": REPO,
        "a new folder in the repository": REPO / "out-x",
        "inside the code": REPO / "model" / "out",
    }


# what the tests themselves write while this runs (the other xdist worker's browser tests write test-artifacts/)
NOT_THE_WRITERS = {".git", "__pycache__", ".hypothesis", ".pytest_cache", ".venv", "test-artifacts"}


def _tree() -> list[str]:
    return sorted(str(p) for p in REPO.rglob("*") if not NOT_THE_WRITERS & set(p.relative_to(REPO).parts)
                  and not p.name.startswith(".probe_"))


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_no_writer_writes_inside_the_data_folder_or_the_repository(writer, tmp_path, monkeypatch, capsys):
    cli_or_xfail()
    from model.cli import main

    monkeypatch.chdir(REPO)
    before = _tree()
    for label, out in _destinations(tmp_path).items():
        assert main([*WRITERS[writer], "--out", str(out)]) == 2, label
        err = capsys.readouterr().err
        assert "inside" in err and "nothing was written" in err and "Traceback" not in err, (label, err)
        with pytest.raises(OutputError, match="inside"):  # the one place every writer's files go through
            write_folder({"a.csv": b"1"}, out, writer, names=NAMES)
    after = _tree()
    assert after == before  # not a folder, not a temporary folder, not a marker
    assert main([*WRITERS[writer], "--out", str(tmp_path / "fine" / "out")]) == 0  # outside: written


def test_shifeng_data_and_a_given_data_folder_are_protected_too(tmp_path, monkeypatch, data_copy, capsys):
    cli_or_xfail()
    from model.cli import main

    for out in (data_copy / "out", data_copy):
        assert main(["export", "--preset", "zero-growth", "--data", str(data_copy), "--out", str(out)]) == 2
        assert "inside a plan data folder" in capsys.readouterr().err
    other = tmp_path / "office-data"
    other.mkdir()
    monkeypatch.setenv("SHIFENG_DATA", str(other))
    with pytest.raises(OutputError, match=r"\$SHIFENG_DATA"):
        write_folder({"a.csv": b"1"}, other / "x", "export", names=NAMES)
    assert list(other.iterdir()) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "..", ".", "link", "data"]), min_size=1, max_size=6))
def test_a_destination_is_refused_exactly_when_it_resolves_inside_a_protected_folder(tmp_path_factory, parts):
    base = tmp_path_factory.mktemp("walk")
    protected = base / "data"
    protected.mkdir()
    (base / "a").mkdir()
    (base / "a" / "link").symlink_to(protected, target_is_directory=True)
    out = base.joinpath("a", *parts)
    real = Path(os.path.realpath(out))
    inside = real == protected or protected in real.parents
    try:
        F.check_not_protected(out, [("the plan's data folder", protected)])
    except OutputError as exc:
        assert inside and "inside the plan's data folder" in str(exc)
    else:
        assert not inside

"""All-or-nothing folder writes, only where they belong.

Every writer (``export``, ``brief``, ``evaluate`` …) hands its files to :func:`write_folder`, which

1. refuses an output folder inside a protected folder (:func:`protected_roots`: the plan's data folder,
   ``$SHIFENG_DATA``, the repository, and any plan folder a caller names), judged after resolving links, and one that
   holds anything other than that writer's own earlier output (a folder with other files or subfolders, a link),
   naming what is in the way;
2. writes every file into a fresh temporary folder beside the target and only then swaps it into place, so a
   failure half-way leaves the previous folder exactly as it was (never a mix of two scenarios).

A folder written here carries a small marker file naming its writer.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".shifeng-output"
REPOSITORY = Path(__file__).resolve().parents[2]  # the folder holding model/


class OutputError(OSError):
    """The output folder cannot be used; the message says why and names the folder."""


def _listing(path: Path) -> list[Path]:
    try:
        return sorted(path.iterdir())
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the folder ({exc.strerror or exc})") from None


def _marker_writer(path: Path) -> str | None:
    try:
        return json.loads((path / MARKER).read_text(encoding="utf-8")).get("writer")
    except (OSError, ValueError, AttributeError):
        return None


def protected_roots(extra=()) -> list[tuple[str, Path]]:
    """(what, folder) of every folder no writer writes into, nor anywhere below: the plans' data folder (the
    repository's ``data/``, holding ``plans/``), the default plan's folder, ``$SHIFENG_PLAN`` / ``$SHIFENG_DATA``,
    each folder of ``$SHIFENG_PLANS``, the repository (the folder holding ``model/``) and the ``extra`` plan
    folders a caller names (e.g. the command line's ``--plan``)."""
    from ..plan import tables

    roots = [("the plan's data folder", Path(tables.PLANS_DIR).parent), ("the plan's data folder",
                                                                       Path(tables.DATA_DIR))]
    for var in ("SHIFENG_PLAN", "SHIFENG_DATA"):
        if os.environ.get(var):
            roots.append((f"the plan's data folder (${var})", Path(os.environ[var])))
    roots += [("a folder of plans ($SHIFENG_PLANS)", Path(p))
              for p in os.environ.get("SHIFENG_PLANS", "").split(os.pathsep) if p]
    roots += [("a plan data folder", Path(p)) for p in extra if p is not None]
    roots.append(("the repository", REPOSITORY))
    return roots


def real_path(path: Path) -> Path:
    """``path`` as the system reaches it: every link of its existing part resolved, then ``..`` and the parts not yet
    created applied to that (``os.path.realpath``); relative paths from the working folder."""
    try:
        return Path(os.path.realpath(Path(path)))
    except (OSError, RuntimeError, ValueError):  # a link loop or an impossible path: judged as written
        return Path(os.path.abspath(Path(path)))


def check_not_protected(out_dir: Path, roots=None) -> None:
    """Raise :class:`OutputError` when ``out_dir`` is, or lies inside, a protected folder (links resolved)."""
    target = real_path(out_dir)
    for what, root in (protected_roots() if roots is None else roots):
        r = real_path(root)
        if target == r or r in target.parents:
            raise OutputError(f"{out_dir}: inside {what} ({r}); write into a folder outside it")


def check_output_folder(out_dir: Path, writer: str, names: frozenset[str], legacy_signature=None) -> None:
    """Raise :class:`OutputError` unless ``out_dir`` is missing, empty, or holds only ``writer``'s own output.

    ``names`` are the files this writer makes. ``legacy_signature(folder) -> bool`` may accept a folder this
    writer made before folders carried a marker (every file one of ``names`` and the signature holds).
    """
    if out_dir.is_symlink():
        raise OutputError(f"{out_dir}: is a link; give a real folder")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    entries = _listing(out_dir)
    if not entries:
        return
    others = [e.name for e in entries if e.name != MARKER and (e.name not in names or not e.is_file()
                                                                or e.is_symlink())]
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise OutputError(f"{out_dir}: holds other files ({shown}); {writer} writes only into a new or empty folder "
                          f"or one it wrote before")
    mark = _marker_writer(out_dir)
    if mark == writer:
        return
    if mark is None and (out_dir / MARKER).exists():
        raise OutputError(f"{out_dir}: its marker file {MARKER} is unreadable; choose another folder")
    if mark is not None:
        raise OutputError(f"{out_dir}: holds the output of {mark}, not {writer}; choose another folder")
    if legacy_signature is not None and legacy_signature(out_dir):
        return
    raise OutputError(f"{out_dir}: holds files this tool did not write ({', '.join(e.name for e in entries[:5])}); "
                      f"choose a new or empty folder")


def write_folder(files: dict[str, bytes], out_dir: Path, writer: str, legacy_signature=None,
                 names: frozenset[str] | None = None, protect=()) -> None:
    """Write ``files`` as the whole content of ``out_dir``, all or nothing (see the module docstring); ``protect``:
    more plan folders to keep out of (besides :func:`protected_roots`)."""
    out_dir = Path(out_dir)
    check_not_protected(out_dir, protected_roots(protect))
    allowed = frozenset(names or ()) | frozenset(files)
    for name in files:
        if name in ("", ".", "..", MARKER) or "/" in name or "\\" in name or "\x00" in name:
            raise OutputError(f"{name!r}: not a plain file name")
    check_output_folder(out_dir, writer, allowed, legacy_signature)
    parent = out_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{parent}: cannot create the folder ({exc.strerror or exc})") from None
    mask = os.umask(0)
    os.umask(mask)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    old: Path | None = None
    try:
        for name, payload in files.items():
            with open(tmp / name, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp / name, 0o666 & ~mask)
        (tmp / MARKER).write_text(json.dumps({"writer": writer, "files": sorted(files)}), encoding="utf-8")
        os.chmod(tmp, 0o777 & ~mask)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.rmdir(old)
            os.rename(out_dir, old)
        try:
            os.rename(tmp, out_dir)
        except OSError:
            if old is not None:
                os.rename(old, out_dir)  # put the previous folder back
                old = None
            raise
        tmp = None
    except OSError as exc:
        raise OutputError(f"{out_dir}: could not write ({exc.strerror or exc}); the previous content is unchanged"
                          ) from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)

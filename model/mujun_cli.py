"""``python -m model mujun``: the per-mu efficiency evaluation on the command line (wired into :mod:`model.cli`).

    python -m model mujun --template --out D [--lang en]
    python -m model mujun --enterprises F [--method M] [--land F] --out D [--report] [--lang en]

``--enterprises`` and ``--land`` take a file (CSV or .xlsx) or a library name / short ID (kinds ``enterprises`` and
``idle_land``); ``--method`` a preset name (``default``, ``minmax``) or a method file (CSV ``parameter,value`` or
JSON). Bad input exits 2 with one line per problem and writes nothing.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .report.text import DEFAULT_LANG, LANGS

WRITER, TEMPLATE_WRITER = "mujun", "mujun-template"


def add_parser(sub, parser_class) -> None:
    """The ``mujun`` subcommand's arguments (``sub``: the main parser's subparsers)."""
    m = sub.add_parser("mujun", help="per-mu efficiency evaluation of enterprises (亩均效益评价)")
    m.add_argument("--enterprises", default=None, metavar="FILE_OR_ID",
                   help="enterprise file (CSV or .xlsx; headers in Chinese or English) or a library name / short ID")
    m.add_argument("--method", default="default", metavar="PRESET_OR_FILE",
                   help="method: a preset (default, minmax) or a method file (parameter,value CSV or JSON)")
    m.add_argument("--land", default=None, metavar="FILE_OR_ID", help="low-efficiency land register (optional)")
    m.add_argument("--template", action="store_true", help="write the blank templates (CSV and .xlsx) instead")
    m.add_argument("--report", action="store_true", help="also write the report (.docx and .html)")
    m.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    m.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help="the plan package folder (default: the deployment's default plan)")
    m.add_argument("--db", default=None, help="library for names / short IDs (as for scenarios)")
    m.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")


def _fail(lines: list[str]) -> int:
    for line in lines[:200]:
        print(line, file=sys.stderr)
    if len(lines) > 200:
        print(f"… and {len(lines) - 200} more", file=sys.stderr)
    return 2


def _method(ref: str):
    from .calc.mujun import MethodError, method_from_bytes, presets

    table = presets()
    if ref in table:
        return table[ref]
    path = Path(ref)
    if not path.is_file():
        raise MethodError([f"--method: {ref!r} is neither a preset ({', '.join(table)}) nor a file"])
    if path.stat().st_size > 64_000:
        raise MethodError([f"{path.name}:-:-: too large for a method file"])
    return method_from_bytes(path.read_bytes(), path.name)


def _document(cls, ref: str, kind: str, areas, db):
    """A file, or else a library document of ``kind`` by name or short ID."""
    from .io.library import Library, LibraryError
    from .plan.tables import DataError

    path = Path(ref)
    if path.is_file():
        return cls.from_path(path, areas)
    if any(c in ref for c in ("/", "\\")) or ref.lower().endswith((".csv", ".xlsx")):
        raise DataError([f"{ref}:-:-: no such file"])
    try:
        with Library(db) as lib:
            rec = lib.get(ref, kind=kind)
    except LibraryError as exc:
        raise DataError([f"{ref}:-:-: no such file, and not in the library ({exc})"]) from None
    return cls.from_bytes(rec.content.encode("utf-8"), f"{rec.name} v{rec.version}", areas)


def run(args) -> int:
    """Run ``mujun``; DataError / OutputError / LibraryError are reported by :func:`model.cli.main`."""
    from .calc.mujun import MethodError, area_parents, evaluate, plan_inputs
    from .io.enterprises import EnterpriseSet, LandRegister
    from .io.files import write_folder
    from .plan.tables import DataError, load_plan_data
    from .report.mujun_report import MUJUN_FILES, TEMPLATE_FILES, mujun_files, template_files

    data = load_plan_data(args.data)
    baselines, areas = plan_inputs(data)
    if args.template:
        if args.enterprises or args.land or args.report:
            return _fail(["error: --template writes the blank templates: give it only --out (and --lang, --data)"])
        files = template_files(args.lang, areas)
        write_folder(files, args.out, TEMPLATE_WRITER, names=frozenset(TEMPLATE_FILES))
        print(f"wrote {', '.join(files)} to {args.out}")
        return 0
    if not args.enterprises:
        return _fail(["error: give --enterprises FILE (or --template to write blank templates)"])
    problems, got = [], {}
    try:
        method = _method(args.method)
    except MethodError as exc:
        problems += exc.problems
    for name, cls, ref, kind in (("enterprises", EnterpriseSet, args.enterprises, "enterprises"),
                                 ("land", LandRegister, args.land, "idle_land")):
        if ref is None:
            continue
        try:
            got[name] = _document(cls, ref, kind, areas, args.db)
        except DataError as exc:
            problems += exc.problems
    if problems:
        return _fail(["error: invalid input; nothing was written"] + problems)
    result = evaluate(got["enterprises"], method, baselines, got.get("land"), areas, area_parents(data))
    files = mujun_files(result, args.lang, areas, report=args.report)
    write_folder(files, args.out, WRITER, names=MUJUN_FILES)
    print(f"wrote {len(files)} files to {args.out} (enterprises ID {result.source_id}, method "
          f"{method.name} {method.short_id})")
    return 0


__all__ = ["add_parser", "run", "WRITER", "TEMPLATE_WRITER"]

"""Command line: ``python -m model presets | check | export``.

Exit codes: 0 success; 2 bad argument, bad data or bad assumptions file (a short message on
stderr, nothing written, never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .calc.results import run
from .io.assumptions import MAX_ASSUMPTIONS_BYTES, from_assumptions_csv
from .io.export import all_files, write_export
from .io.files import OutputError, write_folder
from .io.library import ENV_DB, Library, LibraryError
from .plan.audit import audit
from .plan.tables import DataError, load_plan_data
from .scenario import PRESET_NAMES, ScenarioError, presets


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code is 2 as well; keep its message short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m model", description="Shifeng park plan scenario model")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("presets", help="list preset names, one per line")
    c = sub.add_parser("check", help="validate a data folder and print the audit")
    c.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/)")
    c.add_argument("--lang", choices=("en", "zh"), default="en", help="language of audit messages")
    e = sub.add_parser("export", help="write a scenario's tidy CSV files")
    g = e.add_mutually_exclusive_group(required=True)
    g.add_argument("--preset", help=f"one of: {', '.join(PRESET_NAMES)}")
    g.add_argument("--assumptions", type=Path, help="an assumptions.csv (UTF-8, UTF-8 with BOM or GBK)")
    e.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/)")
    e.add_argument("--horizon", type=int, default=None, help="last projected year (the target year … 10 years after it)")
    e.add_argument("--name", default=None, help="scenario name written into every file")
    e.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    b = sub.add_parser("brief", help="write the briefing pack: brief.html (offline) and brief.docx")
    g = b.add_mutually_exclusive_group(required=True)
    g.add_argument("--preset", help=f"one of: {', '.join(PRESET_NAMES)}")
    g.add_argument("--assumptions", type=Path, help="an assumptions.csv")
    b.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/)")
    b.add_argument("--lang", choices=("zh", "en"), default="zh")
    b.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    lib = sub.add_parser("scenarios", help="the saved-scenario library (SQLite)")
    lsub = lib.add_subparsers(dest="action", required=True, parser_class=_Parser)
    for action, text in (("list", "one line per scenario: short ID, version, name"), ("save", "save a scenario"),
                         ("show", "print a scenario's assumptions CSV"), ("delete", "move a scenario to the trash")):
        a = lsub.add_parser(action, help=text)
        a.add_argument("--db", type=Path, default=None, help=f"library file (default: ${ENV_DB} or library/)")
        if action == "list":
            a.add_argument("--trash", action="store_true", help="list the trash instead")
        if action in ("show", "delete"):
            a.add_argument("name", help="scenario name (show: or short ID)")
        if action == "save":
            a.add_argument("--name", required=True)
            src = a.add_mutually_exclusive_group(required=True)
            src.add_argument("--preset", help=f"one of: {', '.join(PRESET_NAMES)}")
            src.add_argument("--assumptions", type=Path, help="an assumptions.csv")
            a.add_argument("--author", default="")
            a.add_argument("--note", default="")
            a.add_argument("--data", type=Path, default=None, help="data folder (default: the repository's data/)")
    return p


def _brief(args) -> int:
    from .brief import brief_docx, brief_html

    data = load_plan_data(args.data)
    scenario = _load_scenario(args, data)
    if isinstance(scenario, int):
        return scenario
    r = run(data, scenario)
    files = {"brief.html": brief_html(data, r, args.lang).encode("utf-8"), "brief.docx": brief_docx(data, r, args.lang)}
    write_folder(files, args.out, "brief", legacy_signature=lambda d: (d / "brief.html").is_file())
    print(f"wrote brief.html and brief.docx to {args.out}")
    return 0


def _scenarios(args) -> int:
    with Library(args.db) as lib:
        if args.action == "list":
            for r in lib.list(trash=args.trash):
                print(f"{r.short_id}  v{r.version}  {r.name}  {r.author}  {r.created_at}")
            return 0
        if args.action == "show":
            sys.stdout.write(lib.get(args.name).content)
            return 0
        if args.action == "delete":
            lib.delete(args.name)
            print(f"moved {args.name!r} to the trash")
            return 0
        scenario = _load_scenario(args, load_plan_data(args.data))
        if isinstance(scenario, int):
            return scenario
        rec = lib.save(args.name, scenario, args.author, args.note)
        print(f"{rec.short_id}  v{rec.version}  {rec.name}")
        return 0


def _load_scenario(args, data):
    """The scenario named by --preset or --assumptions (or an exit code after printing why not)."""
    if args.preset is not None:
        table = presets(data)
        if args.preset not in table:
            return _fail(f"error: unknown preset {args.preset!r}; choose one of: {', '.join(table)}")
        return table[args.preset]
    path: Path = args.assumptions
    if not path.is_file():
        return _fail(f"error: {path}: no such file")
    if path.stat().st_size > MAX_ASSUMPTIONS_BYTES:
        return _fail(f"error: {path}: larger than {MAX_ASSUMPTIONS_BYTES // 1000} kB, not an assumptions file")
    scenario = from_assumptions_csv(path.read_bytes(), path.name)
    problems = scenario.check_against(data)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _fail(lines: list[str] | str) -> int:
    lines = [lines] if isinstance(lines, str) else lines
    for line in lines[:200]:
        print(line, file=sys.stderr)
    if len(lines) > 200:
        print(f"… and {len(lines) - 200} more", file=sys.stderr)
    return 2


def _export(args) -> int:
    data = load_plan_data(args.data)
    scenario = _load_scenario(args, data)
    if isinstance(scenario, int):
        return scenario
    changes = {}
    if args.horizon is not None:
        changes["horizon"] = args.horizon
    if args.name is not None:
        changes["name"] = args.name
    if changes:
        scenario = scenario.with_(**changes)
    files = all_files(data, run(data, scenario))
    write_export(files, args.out)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "presets":
            print("\n".join(PRESET_NAMES))
            return 0
        if args.command == "check":
            data = load_plan_data(args.data)
            findings = audit(data)
            print(f"ok: {data.source}: {len(data.projects)} projects, {len(data.roads)} roads, "
                  f"{len(data.indicators)} indicators, {len(data.sections)} sections")
            for f in findings:
                print(f.line(args.lang))
            return 0
        if args.command == "scenarios":
            return _scenarios(args)
        if args.command == "brief":
            return _brief(args)
        return _export(args)
    except OutputError as exc:
        return _fail(f"error: {exc}; nothing was written")
    except LibraryError as exc:
        return _fail(f"error: {exc}")
    except DataError as exc:
        return _fail(["error: invalid data"] + exc.problems)
    except ScenarioError as exc:
        return _fail(["error: invalid scenario"] + exc.problems)
    except OSError as exc:
        return _fail(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))



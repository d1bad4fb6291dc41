"""Command line: ``python -m model presets | check | export``.

Exit codes: 0 success; 2 bad argument, bad data or bad assumptions file (a short message on
stderr, nothing written, never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .audit import audit
from .export import all_files, run, write_files
from .scenario import HORIZON_MAX, HORIZON_MIN, PRESET_NAMES, ScenarioError, from_assumptions_csv, presets
from .tables import DataError, load_plan_data

MAX_ASSUMPTIONS_BYTES = 1_000_000


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
    e.add_argument("--horizon", type=int, default=None, help=f"last year, {HORIZON_MIN}–{HORIZON_MAX}")
    e.add_argument("--name", default=None, help="scenario name written into every file")
    e.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    return p


def _fail(lines: list[str] | str) -> int:
    lines = [lines] if isinstance(lines, str) else lines
    for line in lines[:200]:
        print(line, file=sys.stderr)
    if len(lines) > 200:
        print(f"… and {len(lines) - 200} more", file=sys.stderr)
    return 2


def _export(args) -> int:
    data = load_plan_data(args.data)
    if args.preset is not None:
        table = presets(data)
        if args.preset not in table:
            return _fail(f"error: unknown preset {args.preset!r}; choose one of: {', '.join(table)}")
        scenario = table[args.preset]
    else:
        path: Path = args.assumptions
        if not path.is_file():
            return _fail(f"error: {path}: no such file")
        if path.stat().st_size > MAX_ASSUMPTIONS_BYTES:
            return _fail(f"error: {path}: larger than {MAX_ASSUMPTIONS_BYTES // 1000} kB, not an assumptions file")
        scenario = from_assumptions_csv(path.read_bytes(), path.name)
    changes = {}
    if args.horizon is not None:
        changes["horizon"] = args.horizon
    if args.name is not None:
        changes["name"] = args.name
    if changes:
        scenario = scenario.with_(**changes)
    files = all_files(data, run(data, scenario))
    if args.out.exists() and not args.out.is_dir():
        return _fail(f"error: {args.out}: exists and is not a folder")
    write_files(files, args.out)
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
        return _export(args)
    except DataError as exc:
        return _fail(["error: invalid data"] + exc.problems)
    except ScenarioError as exc:
        return _fail(["error: invalid scenario"] + exc.problems)
    except OSError as exc:
        return _fail(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


if __name__ == "__main__":
    sys.exit(main())

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
from .io.sheets import require_rows
from .io.library import ENV_DB, Library, LibraryError
from .plan.audit import audit
from .plan.tables import DataError, load_plan_data
from .report.text import DEFAULT_LANG, LANGS
from .scenario import ScenarioError, presets
from .scenario.presets import honest_name
from .units import NonFiniteOutput


def _integer(text: str) -> int:
    """A whole number from the command line, through the model's one bounded parser."""
    from .numbers import NumberError, integer

    try:
        return integer(text)
    except NumberError as exc:
        raise argparse.ArgumentTypeError(f"{exc.reason}: {text[:30]!r}") from None


def _number(text: str) -> float:
    from .numbers import NumberError, number

    try:
        return number(text)
    except NumberError as exc:
        raise argparse.ArgumentTypeError(f"{exc.reason}: {text[:30]!r}") from None


PLAN_HELP = ("the plan package folder (default: $SHIFENG_PLAN, else the package marked default under data/plans/); "
             "--data is the older name")


def _target(text: str) -> tuple[str, float]:
    """``KEY=VALUE``: a user-set target (亿元) of the segment with that key or id."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"give SEGMENT=VALUE, got {text[:40]!r}")
    from .numbers import WAN_PER_YI

    value = value.strip()
    for unit, factor in (("亿元", 1.0), ("万元", 1.0 / WAN_PER_YI)):  # a plan in 万元: total=9000000万元
        if value.endswith(unit):
            return key.strip(), _number(value[: -len(unit)]) * factor
    return key.strip(), _number(value)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code is 2 as well; keep its message short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m model", description="Shifeng park plan scenario model")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    pr = sub.add_parser("presets", help="list a plan's preset names, one per line")
    pr.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    pl = sub.add_parser("plans", help="list the plans this deployment offers (id, name, folder, segments)")
    pl.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR",
                    help="describe the package in DIR (loaded and validated) instead of the plans offered")
    c = sub.add_parser("check", help="validate a data folder and print the audit")
    c.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    c.add_argument("--lang", choices=LANGS, default="en", help="language of audit messages")
    e = sub.add_parser("export", help="write a scenario's tidy CSV files")
    g = e.add_mutually_exclusive_group(required=True)
    g.add_argument("--preset", help="a preset slug of the plan (see `presets`)")
    g.add_argument("--assumptions", type=Path, help="an assumptions.csv (UTF-8, UTF-8 with BOM or GBK)")
    e.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    e.add_argument("--horizon", type=_integer, default=None, help="last projected year (the target year … 10 years after it)")
    e.add_argument("--name", default=None, help="scenario name written into every file")
    e.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    e.add_argument("--xlsx", nargs="?", const=DEFAULT_LANG, choices=LANGS, default=None,
                   help="also write scenario.xlsx, every table as a sheet (language: zh, the default, or en)")
    # the next plan period: start from the actuals, user-set targets, a new project / road list
    e.add_argument("--actuals", default=None, metavar="ID_OR_FILE",
                   help="actuals set (CSV/.xlsx, or a library name or short ID): the scenario starts from its base year")
    e.add_argument("--base-year", type=_integer, default=None,
                   help="the year of the actuals to start from (default: the newest where every segment has its own figure)")
    e.add_argument("--target-year", type=_integer, default=None, help="the new target year")
    e.add_argument("--target", type=_target, action="append", default=[], metavar="SEGMENT=VALUE",
                   help="a user-set output target for the new target year, per segment (its key or id, see "
                        "`plans`), in 亿元, or in 万元 written so (total=9000000万元); repeat for each")
    e.add_argument("--carry-lists", action="store_true",
                   help="with --actuals: count the plan's own project and road lists in the new plan period (only "
                        "their money that falls in it); by default a next plan counts no old list")
    # the default plan's two targets by their keys (kept for scripts written before --target)
    e.add_argument("--target-total", type=_number, default=None, help=argparse.SUPPRESS)
    e.add_argument("--target-rail", type=_number, default=None, help=argparse.SUPPRESS)  # literal-ok: old option
    e.add_argument("--projects", default=None, metavar="ID_OR_FILE",
                   help="a project list in data/projects.csv's columns (CSV/.xlsx, or a library name or short ID), "
                        "phased instead of Annex 1")
    e.add_argument("--roads", default=None, metavar="ID_OR_FILE",
                   help="a road list in data/roads.csv's columns, phased instead of Annex 2")
    e.add_argument("--package", type=Path, default=None, metavar="DIR",
                   help="also write the next plan as a plan package (草案) into DIR: it loads with --plan DIR")
    e.add_argument("--db", default=None, help=f"library for IDs (default: ${ENV_DB}, secrets library_db, "
                                              "library/scenarios.db)")
    b = sub.add_parser("brief", help="write the briefing pack: brief.html (offline) and brief.docx")
    g = b.add_mutually_exclusive_group(required=True)
    g.add_argument("--preset", help="a preset slug of the plan (see `presets`)")
    g.add_argument("--assumptions", type=Path, help="an assumptions.csv")
    b.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    b.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    b.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    ev = sub.add_parser("evaluate", help="final evaluation against actuals: tidy CSVs, and the report with --report")
    ev.add_argument("--actuals", type=Path, help="actuals file: indicator_id,year,value,unit,measure,source,note "
                                                 "(CSV or .xlsx)")
    ev.add_argument("--projects", type=Path, help="project execution: project_id,year,invested_yi,status,note")
    ev.add_argument("--roads", type=Path, help="road execution: road_id,year,invested_wan,length_built_m,status,note")
    ev.add_argument("--tasks", type=Path, help="task register (see tasks --template): grades the qualitative targets")
    ev.add_argument("--estimate-from-city", "--estimate-rail", dest="estimate_rail", action="store_true",  # literal-ok: the older option's name
                    help="fill missing years of the segment the city series is about with the city's figure × the "
                         "plan's share of the city (labelled estimate, never counted as an actual)")
    ev.add_argument("--template", action="store_true", help="write the blank templates (CSV and one .xlsx) instead")
    ev.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    ev.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    ev.add_argument("--report", action="store_true", help="also write the report (.docx and .html)")
    ev.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    lib = sub.add_parser("scenarios", help="the saved-scenario library (SQLite or PostgreSQL)")
    lib.set_defaults(group="scenarios")
    lsub = lib.add_subparsers(dest="action", required=True, parser_class=_Parser)
    for action, text in (("list", "one line per scenario: short ID, version, name"), ("save", "save a scenario"),
                         ("show", "print a scenario's assumptions CSV"), ("history", "every version of a name"),
                         ("delete", "move a scenario (name or short ID) to the trash"),
                         ("restore", "take a name out of the trash, or make an old version the latest"),
                         ("log", "the audit log: who changed what, when"),
                         ("migrate", "copy a whole library to another (e.g. SQLite to PostgreSQL) and verify it")):
        a = lsub.add_parser(action, help=text)
        if action != "migrate":
            a.add_argument("--db", default=None,
                           help=f"library: a file, sqlite:///PATH or postgresql://… (default: ${ENV_DB}, secrets "
                                "library_db, library/scenarios.db)")
        if action in ("list", "show", "history"):
            a.add_argument("--kind", default="scenario", help="document kind: scenario, actuals or projects")
        if action == "list":
            a.add_argument("--trash", action="store_true", help="list the trash instead")
        if action in ("show", "delete", "restore", "history"):
            a.add_argument("name", help="name (show, delete: or short ID)")
        if action in ("show", "restore"):
            a.add_argument("--version", type=_integer, default=None)
        if action == "log":
            a.add_argument("--limit", type=_integer, default=50)
            a.add_argument("--name", default=None, help="only this name's entries")
        if action == "migrate":
            a.add_argument("--from", dest="src", required=True, help="source library (file or URL)")
            a.add_argument("--to", dest="dst", required=True, help="empty target library (file or URL)")
        if action in ("save", "delete", "restore", "migrate"):
            a.add_argument("--author", default="", help="who (audit log and, for save, the record); default: OS user")
        if action == "save":
            a.add_argument("--name", required=True)
            src = a.add_mutually_exclusive_group(required=True)
            src.add_argument("--preset", help="a preset slug of the plan (see `presets`)")
            src.add_argument("--assumptions", type=Path, help="an assumptions.csv")
            a.add_argument("--note", default="")
            a.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    from .mujun_cli import add_parser as _mujun_parser  # 亩均效益评价 (issue 26): its own module

    _mujun_parser(sub, _Parser)
    # `users` is run by _scenarios (command="scenarios", group="users") so main() needs no new branch
    users = sub.add_parser("users", help="editor accounts: print a secrets line, unlock a locked name")
    users.set_defaults(command="scenarios", group="users")
    usub = users.add_subparsers(dest="action", required=True, parser_class=_Parser)
    u = usub.add_parser("add", help="prompt for a password and print the line to add under [editors] in secrets")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    u = usub.add_parser("unlock", help="clear a sign-in lockout")
    u.add_argument("name")
    u.add_argument("--db", default=None, help="library (as for scenarios)")
    u.add_argument("--author", default="", help="who, for the audit log (default: OS user)")
    _monitoring_parsers(sub)
    return p


def _brief(args) -> int:
    from .brief import brief_docx, brief_html

    data = load_plan_data(args.data)
    scenario = _load_scenario(args, data)
    if isinstance(scenario, int):
        return scenario
    r = run(data, scenario)
    files = {"brief.html": brief_html(data, r, args.lang).encode("utf-8"), "brief.docx": brief_docx(data, r, args.lang)}
    write_folder(files, args.out, "brief", legacy_signature=lambda d: (d / "brief.html").is_file(),
                 protect=[args.data])
    print(f"wrote brief.html and brief.docx to {args.out}")
    return 0


def _scenarios(args) -> int:
    """``scenarios …`` and ``users …``: the CLI acts as an editor named by --author or the OS user (it runs with
    the database's own credentials), and every change it makes is in the audit log under that name."""
    from .io.auth import Actor, hash_password, secrets_line
    from .io.library import migrate
    from .io.library_db import redact

    actor = Actor.cli(getattr(args, "author", "") or None)
    if args.group == "users" and args.action == "add":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            import getpass

            try:
                password = getpass.getpass(f"password for {args.name}: ")
                if getpass.getpass("again: ") != password:
                    return _fail("error: the passwords differ")
            except (EOFError, KeyboardInterrupt):
                return _fail("error: no password given")
        from .io.auth import clean_user

        name = clean_user(args.name)
        print("# add under [editors] in .streamlit/secrets.toml (one line per editor):")
        print(secrets_line(name, hash_password(password)))
        return 0
    if args.action == "migrate":
        print(migrate(args.src, args.dst, actor).line(redact(args.src), redact(args.dst)))
        return 0
    with Library(args.db, actor) as lib:
        if args.group == "users":
            was = lib.unlock(args.name)
            print(f"unlocked {args.name!r}" if was else f"{args.name!r} was not locked")
            return 0
        if args.action in ("list", "history"):
            records = lib.list(trash=args.trash, kind=args.kind) if args.action == "list" else \
                lib.history(args.name, kind=args.kind)
            for r in records:
                print(f"{r.short_id}  v{r.version}  {r.name}  {r.author}  {r.created_at}")
            for s in lib.skipped:
                print(str(s), file=sys.stderr)
            if args.action == "history" and not records:
                return _fail(f"error: no {args.kind} {args.name!r}")
            return 0
        if args.action == "show":
            sys.stdout.write(lib.get(args.name, args.version, kind=args.kind).content)
            return 0
        if args.action == "delete":
            rec = lib.delete(args.name)
            print(f"moved {rec.name!r} ({rec.short_id}, {rec.version} version{'s' if rec.version > 1 else ''}) "
                  "to the trash")
            return 0
        if args.action == "restore":
            rec = lib.restore(args.name, args.version)
            print(f"{rec.short_id}  v{rec.version}  {rec.name}")
            return 0
        if args.action == "log":
            for e in lib.log(args.limit, args.name):
                print(e.line())
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
    raw = path.read_bytes()
    try:  # a scenario that names (or is given) a next plan's project list: its ids are checked against that list
        listed = from_assumptions_csv(raw, path.name, plan=data)
    except ScenarioError:
        listed = None
    if listed is not None and (listed.projects_ref is not None or getattr(args, "projects", None) is not None):
        return honest_name(listed, presets(data))
    scenario = from_assumptions_csv(raw, path.name, project_ids=set(data.projects["project_id"]), plan=data)
    problems = scenario.check_against(data)
    if problems:
        raise ScenarioError(problems)
    return honest_name(scenario, presets(data))  # a preset's name only for that preset's numbers


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
    if args.carry_lists:
        changes["carry_lists"] = True
    if changes:
        scenario = scenario.with_(**changes)
    nextplan = {k: getattr(args, k) for k in ("actuals", "base_year", "target_year", "projects", "roads")}
    targets = _targets(data, args)
    if isinstance(targets, int):
        return targets
    if any(v is not None for v in nextplan.values()) or targets or scenario.projects_ref or scenario.roads_ref:
        from .io.lists import apply_documents

        data, scenario = apply_documents(data, scenario, db=args.db, targets=targets, **nextplan)
        if args.name is None:
            scenario = honest_name(scenario, presets(load_plan_data(args.data)))
    r = run(data, scenario)
    files = all_files(data, r)
    draft = None
    if args.package is not None:
        from .calc.nextplan import base_actuals
        from .io.lists import open_document
        from .plan.draft import draft_files

        base, label = None, ""
        if args.actuals is not None:
            aset = open_document("actuals", args.actuals, data, args.db)
            base, label = base_actuals(aset, data, scenario.base_year), Path(str(args.actuals)).name
        draft = draft_files(data, scenario, base=base, actuals_label=label, lang=DEFAULT_LANG)
    if args.xlsx:
        from .io.workbook import XLSX_NAME, workbook_bytes

        files[XLSX_NAME] = workbook_bytes(data, r, args.xlsx)
    if draft is not None:  # both destinations checked before either is written: nothing written, or both
        from .io.export import EXPORT_FILES
        from .io.files import OutputError, check_not_protected, check_output_folder, protected_roots

        out, pkg = Path(args.out).resolve(), Path(args.package).resolve()
        if out == pkg or out in pkg.parents or pkg in out.parents:
            raise OutputError(f"{args.package}: the draft package and the export ({args.out}) need two separate "
                              f"folders, neither inside the other")
        check_not_protected(args.package, protected_roots([args.data]))
        check_output_folder(Path(args.package), "draft-plan", frozenset(draft))
        check_not_protected(args.out, protected_roots([args.data]))
        check_output_folder(Path(args.out), "export", frozenset(EXPORT_FILES) | {"scenario.xlsx"})
    write_export(files, args.out, protect=[args.data])
    print(f"wrote {len(files)} files to {args.out}")
    if draft is not None:
        from .plan.draft import write_draft

        write_draft(draft, args.package, protect=[args.data])
        print(f"wrote the draft plan package ({len(draft)} files) to {args.package}: check it with "
              f"`python -m model check --plan {args.package}`")
    return 0


def _plans(folder: Path | None = None) -> int:
    """One block per plan the deployment offers (or the one in ``folder``): id, name, folder, calendar, segments
    (key: name)."""
    from .calc.plancheck import offered
    from .plan.registry import default_plan, plan_at

    default_id = default_plan().id if folder is None else None  # one default, even where two packages claim it
    plans, left_out = offered() if folder is None else ([plan_at(folder)], {})
    for p in plans:
        cal = p.calendar
        default = p.is_default if folder is not None else p.id == default_id
        print(f"{p.id}{'  (default)' if default else ''}\n  {p.name('zh')} / {p.name('en')}\n  {p.source}")
        print(f"  base {cal.base_year}, target {cal.target_year}, plan period {cal.plan_first_year}–{cal.plan_last_year}")
        print("  segments: " + ", ".join(f"{s.key} ({s.name('en')})" for s in p.segments))
    for bad, lines in left_out.items():
        print(f"not loaded: {bad}: {lines[0]}", file=sys.stderr)
    return 0


def _targets(data, args) -> dict | int:
    """segment id -> user-set target from --target KEY=VALUE (and the two older options, which name the segments by
    their keys); an exit code after naming an unknown segment."""
    by_key = {seg.key: seg.id for seg in data.segments} | {seg.id: seg.id for seg in data.segments}
    given = list(args.target)
    for key in ("total", "rail"):  # literal-ok: the older options' segment keys
        v = getattr(args, f"target_{key}", None)
        if v is not None:
            given.append((key, v))
    out = {}
    for key, v in given:
        if key not in by_key:
            return _fail(f"error: --target: no segment {key!r} in the plan {data.id} (one of: "
                         f"{', '.join(s.key for s in data.segments)})")
        if by_key[key] in out and out[by_key[key]] != v:  # each setting once: the last one won silently
            return _fail(f"error: --target: segment {key!r} given twice ({out[by_key[key]]:g} and {v:g}): give it once")
        out[by_key[key]] = v
    return out


def _evaluate(args) -> int:
    """``evaluate``: the final evaluation's files, or with ``--template`` the blank templates (exit 2, nothing
    written, on any bad file: every problem of every file listed)."""
    from .calc.evaluation import evaluate
    from .io.actuals import ActualsSet, ProjectActuals, RoadActuals, estimate_rail_from_city
    from .report.evaluation_report import EVALUATE_FILES, TEMPLATE_FILES, evaluation_files, template_files

    data = load_plan_data(args.data)
    if args.template:
        if args.actuals or args.projects or args.roads or args.report or args.estimate_rail or args.tasks:
            return _fail("error: --template writes the blank templates: give it only --out (and --data)")
        files = template_files(data)
        write_folder(files, args.out, "evaluate-template", names=frozenset(TEMPLATE_FILES), protect=[args.data])
        print(f"wrote {', '.join(files)} to {args.out}")
        return 0
    if args.actuals is None:
        return _fail("error: give --actuals FILE (or --template to write blank templates)")
    actuals_name = Path(args.actuals).name
    loaded, problems = {}, []
    from .io.tasks import TaskRegister

    for name, cls, path in (("actuals", ActualsSet, args.actuals), ("projects", ProjectActuals, args.projects),
                            ("roads", RoadActuals, args.roads), ("tasks", TaskRegister, args.tasks)):
        if path is None:
            continue
        try:
            loaded[name] = require_rows(cls.from_path(path, data), Path(path).name)
        except DataError as exc:
            problems += exc.problems
    if problems:
        return _fail(["error: invalid actuals; nothing was written"] + problems)
    actuals = loaded["actuals"]
    if args.estimate_rail:
        estimate = estimate_rail_from_city(data)
        if not len(estimate):  # asked for and not made: said, not silently skipped
            print(f"note: --estimate-from-city: the plan {data.id} has no city figures in its period with the roles "
                  f"city_base and share_of_city; no estimate was added", file=sys.stderr)
        actuals = actuals.merged(estimate)
    result = evaluate(data, actuals, loaded.get("projects"), loaded.get("roads"), tasks=loaded.get("tasks"),
                      actuals_name=actuals_name, file_names=tuple(
                          (k, Path(v).name) for k, v in (("projects", args.projects), ("roads", args.roads)) if v))
    files = evaluation_files(data, result, args.lang, report=args.report)
    write_folder(files, args.out, "evaluate", names=EVALUATE_FILES, protect=[args.data])
    print(f"wrote {', '.join(files)} to {args.out} (actuals ID {actuals.short_id})")
    return 0

# -- monitoring (年度监测预警) and the task register (任务台账) ------------------------------------------------------

def _monitoring_parsers(sub) -> None:
    m = sub.add_parser("monitor", help="annual monitoring with early warning: monitoring.csv, the history, and the "
                                       "report with --report")
    m.add_argument("--actuals", type=Path, required=True, help="actuals file (CSV or .xlsx), as for evaluate")
    m.add_argument("--tasks", type=Path, default=None, help="task register (CSV or .xlsx; see tasks --template)")
    m.add_argument("--projects", type=Path, default=None,
                   help="project execution: project_id,year,invested_yi,status,note (as for evaluate)")
    m.add_argument("--roads", type=Path, default=None,
                   help="road execution: road_id,year,built_m,invested_wan,status,note (as for evaluate): the road "
                        "list's totals (length, money) are monitored from it where the actuals give no figure")
    m.add_argument("--year", type=_integer, default=None, help="monitoring year (default: the latest with a figure)")
    m.add_argument("--on-track", type=_number, default=None, metavar="PCT",
                   help="anticipated progress (%%) at or above which a target is on track (default 95)")
    m.add_argument("--watch", type=_number, default=None, metavar="PCT",
                   help="anticipated progress (%%) at or above which a target is watch, below it warning (default 75)")
    m.add_argument("--fit", choices=("endpoints", "regression"), default=None,
                   help="the trend: endpoints (growth from the base to the latest actual, the default) or regression "
                        "(a least-squares fit through the base and every comparable actual)")
    m.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    m.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    m.add_argument("--report", nargs="?", const="annual", choices=("annual", "midterm"), default=None,
                   help="also write the report (.docx and .html): annual (the default) or midterm")
    m.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    t = sub.add_parser("tasks", help="the task register: a blank template, or validate a filled one")
    g = t.add_mutually_exclusive_group(required=True)
    g.add_argument("--template", action="store_true", help="write tasks-template.csv and .xlsx")
    g.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                   help="validate a filled register (CSV or .xlsx) and write its canonical tasks.csv")
    t.add_argument("--save", default=None, metavar="NAME", help="with --import: also save it in the library")
    t.add_argument("--author", default="", help="with --save: who (the library's write log)")
    t.add_argument("--db", default=None, help=f"library (default: ${ENV_DB}, secrets library_db)")
    t.add_argument("--plan", "--data", dest="data", type=Path, default=None, metavar="DIR", help=PLAN_HELP)
    t.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of the template's headers")
    t.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")


def _monitor(args) -> int:
    """``monitor``: exit 2, nothing written, on any bad file or setting (every problem listed)."""
    from .calc.monitoring import MonitorSettings, history, history_years, monitor
    from .calc.evaluation import road_totals_as_actuals
    from .io.actuals import ActualsSet, ProjectActuals, RoadActuals, calendar_of
    from .io.tasks import TaskRegister
    from .report.monitoring_report import MONITOR_FILES, monitoring_files

    data = load_plan_data(args.data)
    loaded, problems = {}, []
    for name, cls, path in (("actuals", ActualsSet, args.actuals), ("tasks", TaskRegister, args.tasks),
                            ("projects", ProjectActuals, args.projects), ("roads", RoadActuals, args.roads)):
        if path is None:
            continue
        try:
            loaded[name] = require_rows(cls.from_path(path, data), Path(path).name)
        except DataError as exc:
            problems += exc.problems
    cal = calendar_of(data)
    if args.year is not None and not cal.plan_first_year <= args.year <= cal.target_year:
        problems.append(f"--year: {args.year} outside the plan period {cal.plan_first_year}–{cal.target_year}")
    changes = {k: v / 100 for k, v in (("on_track", args.on_track), ("watch", args.watch)) if v is not None}
    if args.fit is not None:
        changes["fit"] = args.fit
    try:
        settings = MonitorSettings(**changes)
    except ValueError as exc:
        problems.append(f"--{str(exc).split(' ')[0].replace('_', '-')}: {exc} (given in %)")
    if problems:
        return _fail(["error: invalid input; nothing was written"] + problems)
    actuals, register = loaded["actuals"], loaded.get("tasks")
    if "roads" in loaded:  # the road list's totals from the road reports, as the evaluation takes them
        actuals = actuals.merged(road_totals_as_actuals(data, loaded["roads"]))
    mon = monitor(data, actuals, args.year, tasks=register, projects=loaded.get("projects"), settings=settings)
    hist = history(data, actuals, history_years(data, actuals, mon.year), tasks=register, settings=settings)
    files = monitoring_files(data, mon, args.lang, report=args.report, hist=hist)
    write_folder(files, args.out, "monitor", names=MONITOR_FILES)
    from .report.monitoring_report import warning_label

    counts = mon.counts()
    print(f"wrote {', '.join(files)} to {args.out} (year {mon.year}; actuals ID {actuals.short_id}"
          + (f", tasks ID {register.short_id}" if register is not None else "") + "; "
          + ", ".join(f"{warning_label(k, args.lang)} {v}" for k, v in counts.items()) + ")")
    return 0


def _tasks(args) -> int:
    """``tasks --template`` / ``tasks --import FILE [--save NAME]``."""
    from .io.tasks import TEMPLATE_FILES, TaskRegister, template_files

    data = load_plan_data(args.data)
    if args.template:
        if args.save:
            return _fail("error: --save goes with --import, not --template")
        files = template_files(data, args.lang)
        write_folder(files, args.out, "tasks-template", names=frozenset(TEMPLATE_FILES))
        print(f"wrote {', '.join(files)} to {args.out}")
        return 0
    try:
        reg = TaskRegister.from_path(args.import_file, data)
    except DataError as exc:
        return _fail(["error: invalid task register; nothing was written"] + exc.problems)
    write_folder({"tasks.csv": reg.to_csv_bytes()}, args.out, "tasks", names=frozenset({"tasks.csv"}))
    line = f"wrote tasks.csv to {args.out} ({len(reg)} entries, ID {reg.short_id})"
    if args.save:
        from .io.auth import Actor

        with Library(args.db, Actor.cli(args.author or None)) as lib:
            rec = lib.save_document("tasks", args.save, reg.to_csv_text(), args.author)
        line += f"; saved {rec.name!r} v{rec.version}"
    print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "out", None) is not None:  # before any work: write_folder checks again when writing
            from .io.files import check_not_protected, protected_roots

            check_not_protected(args.out, protected_roots([getattr(args, "data", None)]))
        if args.command == "presets":
            print("\n".join(presets(load_plan_data(args.data))))
            return 0
        if args.command == "plans":
            return _plans(args.data)
        if args.command == "check":
            from .calc.plancheck import check_plan

            data = load_plan_data(args.data)
            problems = check_plan(data)
            if problems:
                return _fail(["error: invalid plan"] + problems)
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
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command in ("monitor", "tasks"):
            return _monitor(args) if args.command == "monitor" else _tasks(args)
        if args.command == "mujun":
            from .mujun_cli import run as _mujun

            return _mujun(args)
        return _export(args)
    except OutputError as exc:
        return _fail(f"error: {exc}; nothing was written")
    except NonFiniteOutput as exc:  # a number that would be written as inf: bad input that got through
        return _fail(f"error: {exc}; nothing was written")
    except LibraryError as exc:
        return _fail(f"error: {exc}")
    except DataError as exc:
        return _fail(["error: invalid data"] + exc.problems)
    except ScenarioError as exc:
        return _fail(["error: invalid scenario"] + exc.problems)
    except OSError as exc:
        return _fail(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))



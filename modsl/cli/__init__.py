"""The `modsl` command: argument parsing and exit codes only; each command is a thin call
into the API. Exit codes: 0 clean, 1 findings (or a failed step), 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, cast

from modsl._version import __version__
from modsl.diagnostics import Diagnostic
from modsl.environ import DSN as DSN_ENV

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan
from modsl.cli.loading import (
    UsageError,
    checked_or_refuse,
    config_of,
    decoded,
    emit_text,
    load_plan,
    plan_paths,
    read_input,
    use_color,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


# -- commands ---------------------------------------------------------------------------------

def cmd_lint(args: argparse.Namespace) -> int:
    from modsl.cli import settings
    from modsl.diagnostics import render

    try:
        select = settings.codes(args.select or [], "--select")
        ignore = settings.codes(args.ignore or [], "--ignore")
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    everything: list[Diagnostic] = []
    sources: dict[str, str] = {}
    paths = list(plan_paths(args.paths))
    if not paths:
        print(f"no plans (*.mobak) in {', '.join(args.paths)}", file=sys.stderr)
    for path in paths:
        if path.lower().endswith(".sql"):
            raise UsageError(f"{path} is SQL, not a plan: turn it into one with "
                             f"`modsl import {path}`, then lint that")
        loaded = load_plan(read_input(path), args)
        sources[loaded.name] = loaded.text
        for d in loaded.diagnostics:
            if select and not any(d.code.startswith(c) for c in select):
                continue
            if any(d.code.startswith(c) for c in ignore):
                continue
            everything.append(d)
    out = sys.stdout
    if args.format == "json":
        out.write(render.json_report(everything))
    elif args.format == "sarif":
        out.write(render.sarif(everything))
    elif args.format == "github":
        out.write(render.github(everything))
    else:
        emit_text(everything, sources, out)
        if everything:
            errors = sum(d.is_error for d in everything)
            out.write(f"{errors} error(s), {len(everything) - errors} warning(s)\n")
    failing = any(d.is_error or args.strict for d in everything)
    return EXIT_FINDINGS if failing else EXIT_OK


def cmd_fmt(args: argparse.Namespace) -> int:
    import difflib

    import modsl

    status = EXIT_OK
    for path in plan_paths(args.paths):
        given = read_input(path)
        plan, diagnostics = modsl.parse(given.data, given.name)
        errors = [d for d in diagnostics if d.is_error]
        if errors:  # syntax errors only: a plan that parses formats, whatever its names
            emit_text(errors, {given.name: decoded(given.data)}, sys.stderr)
            sys.stderr.write(f"{given.name}: not formatted: fix the syntax errors above "
                             "first\n")
            status = EXIT_FINDINGS
            continue
        old = decoded(given.data)
        new = modsl.format(plan)
        if args.diff and new != old:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True),
                f"{given.name} (original)", f"{given.name} (formatted)"))
        if args.check:
            if new != old:
                print(f"would reformat {given.name}")
                status = EXIT_FINDINGS
        elif path == "-":
            if not args.diff:
                sys.stdout.write(new)
        elif new != old and not args.diff:
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
            except OSError as exc:
                raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
            print(f"reformatted {given.name}", file=sys.stderr)
    return status


def cmd_compile(args: argparse.Namespace) -> int:
    from modsl.compiler import compile_plan

    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FINDINGS
    if args.schedule:
        return _compile_firing(loaded.checked, args)
    if args.at:
        raise UsageError("--at goes with --schedule")
    compiled = compile_plan(loaded.checked)
    if not compiled.statements:
        from modsl.cli.schedule import only_schedules

        note = only_schedules(loaded.checked.plan, args.plan)
        if note:
            print(f"modsl compile: {note}", file=sys.stderr)
    text = compiled.to_json() if args.format == "json" else compiled.to_sql()
    if args.output and args.output != "-":  # `-o -`: standard output, as everywhere
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _compile_firing(checked: CheckedPlan, args: argparse.Namespace) -> int:
    """`compile --schedule NAME [--at T]`: the CREATE SNAPSHOTs of one firing (its drops
    depend on what the server holds: `modsl run --dry-run` shows them)."""
    from modsl.cli.run import now_in
    from modsl.runtime import firing
    from modsl.runtime.session import Refused

    try:
        schedule, _ = firing.schedule_named(checked, args.schedule)
        due = firing.fire(checked, args.schedule, now_in(schedule.zone or "UTC", args.at))
    except (firing.NoFiring, Refused) as exc:
        raise UsageError(str(exc).replace("--now", "--at")) from None
    lines = [f"-- schedule {schedule.name.key}: firing {due.at:%Y-%m-%d %H:%M} "
             f"{schedule.zone or 'UTC'}; retention drops are decided at run time "
             "(`modsl run --dry-run`)"]
    for take in due.takes:
        lines += [f"-- {take.statement.span.file}:{take.statement.span.line}", f"{take.sql};"]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    import modsl

    loaded = load_plan(read_input(args.plan), args)
    # A plan with a missing line or an unprintable name is not explained.
    blocking = [d for d in loaded.diagnostics
                if d.is_error and (d.code.startswith("MB1") or d.code == "MB201")]
    emit_text(loaded.diagnostics, {loaded.name: loaded.text}, sys.stderr)
    if blocking:
        return EXIT_FINDINGS
    explanation = modsl.explain(loaded.checked)
    sys.stdout.write(explanation.to_json() if args.format == "json" else explanation.to_text())
    return EXIT_FINDINGS if loaded.has_errors else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from modsl.diagnostics import CODES, ruledocs

    if args.code is None:
        for code in sorted(CODES):
            c = CODES[code]
            print(f"{code}  {c.severity.value:<7}  {c.summary}")
        return EXIT_OK
    code = args.code.upper()
    if code not in CODES:
        raise UsageError(f"unknown code `{args.code}`; `modsl rules` lists them")
    section = ruledocs.section(code)
    sys.stdout.write(section if args.format == "markdown" else ruledocs.plain(section))
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    from modsl.cli.completion import script

    sys.stdout.write(script(build_parser(), args.shell))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    import json

    import modsl
    from modsl.cli import settings
    from modsl.diagnostics import render

    if args.from_server or args.file is None:
        if not (args.from_server and args.dsn) or args.file is not None:
            raise UsageError("import reads a FILE, or with --from-server the server --dsn names")
        from modsl.cli.live import import_from_server

        return import_from_server(args)
    given = read_input(args.file)
    try:
        target = settings.parse_target(args.target) if args.target else None
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    text = decoded(given.data)
    config = config_of(args)
    try:
        now = settings.parse_now(args.now) if args.now else None
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    result = modsl.import_sql(text, target=target, account=args.as_ or "sys", file=given.name,
                              now=now, zone=config.server_timezone)
    found = sorted([*result.diagnostics, *result.lint], key=Diagnostic.sort_key)
    if args.format == "json":
        sys.stdout.write(json.dumps({"plan": result.plan_text, "lost": result.lost,
                                     "diagnostics": [render.as_dict(d) for d in found]},
                                    indent=2, ensure_ascii=False) + "\n")
    else:
        emit_text(found, {given.name: result.source}, sys.stderr)
        sys.stdout.write(result.plan_text)
        if result.lost:
            print(f"{given.name}: {result.lost} statement(s) not imported (kept in the plan "
                  "as comments)", file=sys.stderr)
    refused = result.lost or any(d.is_error for d in found)
    return EXIT_FINDINGS if refused else EXIT_OK


def cmd_standin(args: argparse.Namespace) -> int:
    from modsl.cli import settings

    try:
        from modsl.standin import StandIn
        from modsl.standin.world import Clock
    except ImportError:
        raise UsageError("the stand-in needs mysql-mimic, a dependency of modsl that is missing "
                         "here: reinstall modsl (pip install --force-reinstall modsl)") from None
    clock = Clock()
    if args.clock:
        try:
            clock.run_from(settings.parse_now(args.clock))
        except settings.SettingsError as exc:
            raise UsageError(str(exc).replace("--now", "--clock", 1)) from None
    from modsl import targets

    engine = args.engine or targets.default().engine
    version = args.server_version or f"{targets.lookup(engine).version}.0"
    server = StandIn(version, args.port, clock, engine=engine)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") \
            from None
    print(server.banner(), flush=True)
    if args.clock:
        print(f"its clock starts at {args.clock} and runs on from there", flush=True)
    server.serve_forever()
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from modsl.runtime import history

    directory = Path(args.journal)
    if not directory.is_dir():
        raise UsageError(f"{directory}: no journal directory here (--journal DIR names one)")
    found = history.runs(directory, args.plan)
    if args.plan and not Path(args.plan).exists():
        wanted = str(Path(args.plan).resolve())
        if not any(r.plan == wanted for r in found):  # a removed plan's runs still show
            raise UsageError(f"{args.plan}: no such plan, and no run of it is journaled in "
                             f"{directory}")
    if args.format == "json":
        print(json.dumps([r.to_json() for r in found], indent=2, ensure_ascii=False,
                         default=str))
    else:
        sys.stdout.write(history.render(found))
    return EXIT_OK


def cmd_apply(args: argparse.Namespace) -> int:
    from modsl.cli.apply import run

    return run(args)


def cmd_run(args: argparse.Namespace) -> int:
    from modsl.cli.run import run

    return run(args)


def cmd_schedule(args: argparse.Namespace) -> int:
    from modsl.cli.schedule import run

    return run(args)


def cmd_rollback(args: argparse.Namespace) -> int:
    from modsl.cli.rollback import run

    return run(args)


def cmd_check(args: argparse.Namespace) -> int:
    from modsl.cli.live import check

    return check(args)


def cmd_status(args: argparse.Namespace) -> int:
    from modsl.cli.live import status

    return status(args)


# -- argument parsing --------------------------------------------------------------------------

def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 31_536_000:
        raise argparse.ArgumentTypeError("must be more than 0 seconds (and at most a year)")
    return value


class _Formatter(argparse.HelpFormatter):
    """argparse's help, told the terminal's width: left to itself, argparse imports `shutil`
    (and with it bz2, lzma, zlib) on every start just to ask."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
        super().__init__(prog, width=max(width, 40))


def _statement(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a statement number (1, 2, ...): {text!r}")
    return int(text)


class _Once(argparse.Action):
    """A flag that names the server may be given once: with two, which one wins is a guess
    (argparse keeps the last), and a guess about which server a plan runs on is no answer."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option: str | None = None) -> None:
        if getattr(namespace, f"_given_{self.dest}", False):
            parser.error(f"{option} is given twice: give it once")
        setattr(namespace, f"_given_{self.dest}", True)
        setattr(namespace, self.dest, values)


def server_flags(p: argparse.ArgumentParser, required: bool, from_env: bool = True) -> None:
    p.add_argument("--dsn", action=_Once,
                   help="mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?account=...] "
                   "(default: the environment variable --dsn-env names; a command line is "
                   "visible to every user of the host, the environment is not)")
    p.add_argument("--dsn-file", metavar="FILE", action=_Once,
                   help="read the DSN from FILE (one line; `#` lines are comments)")
    p.add_argument("--dsn-env", metavar="NAME", default=DSN_ENV, action=_Once,
                   help=f"the environment variable holding the DSN (default {DSN_ENV})")
    p.add_argument("--defaults-file", metavar="FILE",
                   help="a MySQL option file whose [client] section has the password")
    p.add_argument("--connect-timeout", metavar="SECONDS", type=_positive, default=10.0,
                   help="give up connecting after this long (default 10)")
    p.set_defaults(dsn_required=required, dsn_from_env=from_env)


def resolve_dsn(args: argparse.Namespace) -> None:
    """`args.dsn` from `--dsn`, else `--dsn-file`, else the environment: the ways that keep a
    password off the command line (schedule exports use them). A drill, apply's dry run, a
    plain import and `schedule list` take no DSN from the environment: they need no server."""
    if not hasattr(args, "dsn_required"):  # a command that talks to no server
        return
    named_env = getattr(args, "_given_dsn_env", False)
    if sum(map(bool, (args.dsn, args.dsn_file, named_env))) > 1:
        raise UsageError("--dsn, --dsn-file and --dsn-env each name the server: give one")
    if args.dsn_file:
        try:
            with open(args.dsn_file, encoding="utf-8") as f:
                lines = [line.strip() for line in f if line.strip()
                         and not line.lstrip().startswith("#")]
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--dsn-file {args.dsn_file}: cannot read it: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        if len(lines) != 1:
            raise UsageError(f"--dsn-file {args.dsn_file}: expected one line holding the DSN, "
                             f"found {len(lines)}")
        args.dsn = lines[0]
    elif (not args.dsn and args.dsn_from_env and getattr(args, "from_server", True)
          and not getattr(args, "standin", False)
          and not (args.command == "apply" and args.dry_run)):
        args.dsn = os.environ.get(args.dsn_env) or None
        if named_env and args.dsn is None:
            raise UsageError(f"--dsn-env {args.dsn_env}: ${args.dsn_env} is not set")
    if args.dsn_required and not args.dsn and not getattr(args, "standin", False):
        raise UsageError(f"`modsl {args.command}` needs a server: --dsn, --dsn-file FILE, or "
                         f"the DSN in ${args.dsn_env}")


def color_flag(p: argparse.ArgumentParser) -> None:
    from modsl.cli.loading import COLOR_CHOICES

    p.add_argument("--color", choices=COLOR_CHOICES, default=None,
                   help="colour the text output: auto (default: on a terminal, unless NO_COLOR; "
                        "FORCE_COLOR forces it), always or never")


def build_parser() -> argparse.ArgumentParser:
    from modsl import targets
    from modsl.targets import spelled

    parser = argparse.ArgumentParser(
        prog="modsl", formatter_class=_Formatter,
        description="Lint, compile, format, explain, import and apply database backup plans "
                    "(.mobak).")
    parser.add_argument("--version", action="version", version=f"modsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, formatter_class=_Formatter)

    def settings_flags(p: argparse.ArgumentParser, target: bool = True) -> None:
        p.add_argument("--as", dest="as_", metavar="ACCOUNT",
                       help="the account that runs the plan (overrides `as account`)")
        p.add_argument("--now", metavar='"YYYY-MM-DD HH:MM:SS"',
                       help="judge PITR timestamps as if the server's clock read this "
                            "(default: now, in the server's zone)")
        p.add_argument("--server-timezone", metavar="ZONE",
                       help="the IANA zone the server reads timestamps in (default: "
                            "$MODSL_SERVER_TIMEZONE, then the settings' server-timezone, then "
                            "this machine's)")
        p.add_argument("--error", action="append", metavar="CODES",
                       help="report these codes or prefixes as errors (comma-separated)")
        p.add_argument("--warning", action="append", metavar="CODES",
                       help="keep these warnings as warnings though `error` raises them")
        color_flag(p)
        if target:
            p.add_argument("--target", metavar="TARGET",
                           help="ENGINE-VERSION, or ENGINE for its newest: " + spelled())

    lint = command("lint", help="check plans; exit 1 on errors")
    lint.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or -")
    lint.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    lint.add_argument("--strict", action="store_true", help="warnings fail too")
    lint.add_argument("--select", action="append", metavar="CODES",
                      help="only these codes or prefixes (comma-separated)")
    lint.add_argument("--ignore", action="append", metavar="CODES",
                      help="never these codes or prefixes (comma-separated)")
    settings_flags(lint)
    lint.set_defaults(run=cmd_lint)

    fmt = command("fmt", help="rewrite plans in canonical form")
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or -")
    fmt.add_argument("--check", action="store_true", help="write nothing; exit 1 if any "
                     "file would change")
    fmt.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    color_flag(fmt)
    fmt.set_defaults(run=cmd_fmt)

    comp = command("compile", help="compile a plan to its target's SQL")
    comp.add_argument("plan", metavar="PLAN")
    comp.add_argument("--format", choices=("sql", "json"), default="sql")
    comp.add_argument("-o", "--output", metavar="FILE", help="write the SQL here (`-`: stdout)")
    comp.add_argument("--schedule", metavar="NAME",
                      help="the SQL one firing of this schedule creates (see --at)")
    comp.add_argument("--at", metavar='"YYYY-MM-DD HH:MM:SS"',
                      help="with --schedule: the firing due at this wall time in the "
                           "schedule's zone (default: now)")
    settings_flags(comp)
    comp.set_defaults(run=cmd_compile)

    exp = command("explain", help="say in words what each step does and destroys")
    exp.add_argument("plan", metavar="PLAN")
    exp.add_argument("--format", choices=("text", "json"), default="text")
    settings_flags(exp, target=False)
    exp.set_defaults(run=cmd_explain)

    rules = command("rules", help="list the diagnostic codes, or document one")
    rules.add_argument("code", nargs="?", metavar="CODE")
    rules.add_argument("--format", choices=("text", "markdown"), default="text",
                       help="text wrapped to the terminal (default), or the raw Markdown")
    rules.set_defaults(run=cmd_rules)

    done = command("completion", help="print a shell completion script (bash, zsh, fish)")
    done.add_argument("shell", choices=("bash", "zsh", "fish"))
    done.set_defaults(run=cmd_completion)

    imp = command("import", help="turn a target's SQL into a plan")
    imp.add_argument("file", metavar="FILE", nargs="?", help="a .sql file, or -")
    imp.add_argument("--from-server", action="store_true",
                     help="write the `existing` lines of what the server (--dsn) has instead")
    imp.add_argument("--engine", help="with --from-server: the engine (default: the default "
                     "target's)")
    server_flags(imp, required=False)
    imp.add_argument("--format", choices=("mobak", "json"), default="mobak")
    settings_flags(imp)
    imp.set_defaults(run=cmd_import)

    stand = command("standin", help="run a stand-in server, for drills and tests")
    stand.add_argument("--port", type=int, default=6001, help="the loopback port (0: any free)")
    stand.add_argument("--engine", choices=tuple(targets.engines()), default=None,
                       help="which server it stands in for (default: the default target's)")
    stand.add_argument("--version", dest="server_version", default=None,
                       help="the server version it answers as (default: the engine's "
                            "newest target, .0)")
    stand.add_argument("--clock", metavar="'YYYY-MM-DD HH:MM:SS'",
                       help="start the server's clock at this moment; it runs on from there "
                            "(default: this machine's clock)")
    stand.set_defaults(run=cmd_standin)

    app = command("apply", help="run a reviewed plan on a live server")
    app.add_argument("plan", metavar="PLAN", help="a .mobak plan or a .sql file from "
                     "`modsl compile`")
    server_flags(app, required=False)
    app.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    app.add_argument("--dry-run", action="store_true", help="print what would run; "
                     "connect to nothing")
    app.add_argument("--resume", action="store_true",
                     help="continue a plan that stopped, skipping what the journal has done")
    app.add_argument("--mark-done", metavar="N", type=_statement, action="append", default=[],
                     help="with --resume: statement N, whose outcome was unknown, took effect")
    app.add_argument("--retry", metavar="N", type=_statement, action="append", default=[],
                     help="with --resume: statement N, whose outcome was unknown, did not take "
                          "effect: run it again")
    app.add_argument("--statement-timeout", metavar="SECONDS", type=_positive, default=None,
                     help="give up waiting for a statement's reply after this long (its "
                          "outcome is then unknown: the server may still finish it)")
    app.add_argument("--journal", metavar="DIR", default=".modsl/journal",
                     help="where journals and locks live (default .modsl/journal; a drill's "
                          "own temporary directory with --standin)")
    app.add_argument("--standin", action="store_true",
                     help="a drill: run on an in-process stand-in seeded from the plan's "
                          "`existing` lines (no server, no --dsn)")
    app.add_argument("--seed", metavar="FILE.sql",
                     help="with --standin: SQL run first, as the plan's account (a "
                          "`-- as account NAME` line switches)")
    app.add_argument("--no-checks", action="store_true",
                     help="skip the live checks (the server, the login, what the plan "
                          "declares and creates) that run before anything else")
    app.add_argument("--reverify", action="store_true",
                     help="after a rollback on failure, run the verifies before the failure "
                          "again")
    app.add_argument("--poll", metavar="SECONDS", type=_positive, default=None,
                     help="seconds between two reads of a running backup or restore job's "
                          "state (StarRocks; default 2, a drill 0.05)")
    settings_flags(app)
    app.set_defaults(run=cmd_apply)

    fire = command("run", help="one firing of a schedule: its snapshots, then its retention")
    fire.add_argument("plan", metavar="PLAN", help="a .mobak plan with `schedule` lines")
    fire.add_argument("--schedule", required=True, metavar="NAME", help="the schedule to fire")
    server_flags(fire, required=True)
    fire.add_argument("--dry-run", action="store_true",
                      help="read the server, print what would be created and dropped, change "
                           "nothing")
    fire.add_argument("--journal", metavar="DIR", default=".modsl/journal",
                      help="where firings are journaled and locked (default .modsl/journal)")
    fire.add_argument("--no-checks", action="store_true",
                      help="skip the live checks of the server and the login")
    fire.add_argument("--standin", action="store_true",
                      help="rehearse: --firings firings on a stand-in seeded from the plan, "
                           "its clock at each firing's moment (no --dsn)")
    fire.add_argument("--firings", type=int, default=1, metavar="N",
                      help="with --standin: how many firings, from the next one (or --now's)")
    fire.add_argument("--seed", metavar="FILE.sql",
                      help="with --standin: SQL run first, as the plan's account")
    fire.add_argument("--settle", type=float, default=10.0, metavar="SECONDS",
                      help="an outcome an earlier run lost is read from the server until this "
                           "long after it was sent before `did not take` is believed (a dead "
                           "run's statement may still be running there; default 10)")
    fire.add_argument("--report", metavar="FILE",
                      help="write the firing and its restore tests as JUnit XML")
    fire.add_argument("--metrics", metavar="FILE",
                      help="write Prometheus text format (node_exporter's textfile collector)")
    settings_flags(fire)
    fire.set_defaults(run=cmd_run)

    sched = command("schedule", help="a plan's schedules: next firings, owned snapshots, "
                                     "cron/systemd/Kubernetes entries")
    sched_sub = sched.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sched_sub.add_parser("list", help="next firings, and with --dsn what each owns")
    listing.add_argument("plan", metavar="PLAN")
    server_flags(listing, required=False, from_env=False)
    listing.add_argument("--count", type=int, default=3, help="firings to show (default 3)")
    settings_flags(listing)
    export = sched_sub.add_parser("export", help="entries that call `modsl run` on time")
    export.add_argument("plan", metavar="PLAN")
    export.add_argument("--format", choices=("crontab", "systemd", "kubernetes"),
                        required=True)
    export.add_argument("--dsn-env", default=DSN_ENV, metavar="NAME",
                        help=f"the environment variable holding the DSN (default {DSN_ENV})")
    export.add_argument("--dsn-file", metavar="FILE",
                        help="the DSN from this file on the host instead (one line)")
    export.add_argument("--image",
                        help="kubernetes: the container image with modsl (default "
                             "modsl:VERSION, this modsl's version: see Dockerfile)")
    export.add_argument("--modsl", metavar="PATH",
                        help="crontab, systemd: the modsl command the units run (default: "
                             "this one's absolute path)")
    export.add_argument("-o", "--output", metavar="DIR",
                        help="write one file per unit into DIR instead of one stream")
    export.add_argument("--report-dir", metavar="DIR",
                        help="each unit's run writes JUnit XML into DIR (PLAN-SCHEDULE.xml)")
    export.add_argument("--metrics-dir", metavar="DIR",
                        help="each unit's run writes Prometheus metrics into DIR "
                             "(PLAN-SCHEDULE.prom, for the textfile collector)")
    settings_flags(export)
    sched.set_defaults(run=cmd_schedule)

    log = command("log", help="what ran, when, where and how it ended, from the journals")
    log.add_argument("plan", metavar="PLAN", nargs="?",
                     help="only this plan's runs (default: every run journaled)")
    log.add_argument("--journal", metavar="DIR", default=".modsl/journal",
                     help="the journal directory (default .modsl/journal)")
    log.add_argument("--format", choices=("text", "json"), default="text")
    log.set_defaults(run=cmd_log)

    back = command("rollback", help="put back what a run of a plan restored, from its journal")
    back.add_argument("plan", metavar="PLAN", help="the .mobak plan (with `rollback on "
                      "failure`) or its .sql file from `modsl compile`")
    server_flags(back, required=True)
    back.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    back.add_argument("--journal", metavar="DIR", default=".modsl/journal",
                      help="where the run's journal is (default .modsl/journal)")
    back.add_argument("--mark-done", metavar="N", type=_statement, action="append", default=[],
                      help="the rollback of statement N, whose outcome was unknown, took effect")
    back.add_argument("--retry", metavar="N", type=_statement, action="append", default=[],
                      help="the rollback of statement N, whose outcome was unknown, did not "
                           "take effect: send it again")
    back.add_argument("--no-checks", action="store_true",
                      help="skip the live checks of the server and the login")
    settings_flags(back)
    back.set_defaults(run=cmd_rollback)

    for name, run, help in (
            ("check", cmd_check, "read a plan's promises back from a live server, read-only"),
            ("status", cmd_status, "the plan against a live server's snapshots and PITRs")):
        live = command(name, help=help)
        live.add_argument("plan", metavar="PLAN", help="a .mobak plan")
        server_flags(live, required=True)
        live.add_argument("--format", choices=("text", "json"), default="text")
        settings_flags(live)
        live.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from modsl.cli.urlsecrets import Masking

    given = sys.argv[1:] if argv is None else argv
    stderr = sys.stderr
    sys.stderr = cast("TextIO", Masking(stderr, given))  # no password echoed, ever
    try:
        return _main(given)
    finally:
        sys.stderr = stderr


_CUT = "the output was closed before all of it was written (broken pipe)"
_STOPPED = {
    "apply": "; it stopped there: the statements its journal records as done ran, no others "
             "(`--resume` continues)",
    "run": "; it stopped there: the statements its journal records as done ran, no others "
           "(the next firing reads what the server has)",
}


def _main(argv: list[str]) -> int:
    from modsl.cli import brokenpipe

    brokenpipe.reset()
    parser = build_parser()
    args = parser.parse_args(argv)
    use_color(getattr(args, "color", None))
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        resolve_dsn(args)
        code = run(args)
    except UsageError as exc:
        print(f"modsl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("modsl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Nobody reads the output any more (`| head`): say so where someone still reads.
        # apply says what ran itself; here the command stopped where it was writing.
        brokenpipe.silence()
        print(f"modsl {args.command}: {_CUT}{_STOPPED.get(args.command, '')}", file=sys.stderr)
        return brokenpipe.EXIT_PIPE
    except Exception as exc:  # a bug: one line, and the traceback only on request
        if os.environ.get("MODSL_DEBUG") == "1":
            raise
        print(f"modsl: internal error: {type(exc).__name__}: {exc} "
              "(set MODSL_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_USAGE
    if brokenpipe.closed() or brokenpipe.flushed():
        return code  # all written, or cut and already told (apply)
    # The command finished; only the last of its output was lost.
    over = ("; the run had finished: " + ("every statement ran" if code == EXIT_OK
                                          else "it failed, as said above")
            if args.command in _STOPPED else "")
    print(f"modsl {args.command}: {_CUT}{over}", file=sys.stderr)
    return brokenpipe.EXIT_PIPE if code == EXIT_OK else code

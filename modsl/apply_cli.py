"""`modsl apply`: review, confirm, run, journal, resume. What runs is exactly what was
reviewed: a `.mobak` plan is linted and compiled here; a `.sql` file must be one written by
`modsl compile` whose statements still match the hash in its header."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.apply import Journal, JournalError, Locked, Outcome, Step, execute, locked, resolve
from modsl.loading import checked_or_refuse
from modsl.sqlfile import BadSqlFile, Compiled

if TYPE_CHECKING:
    from modsl.connect import Server

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Refused(Exception):
    """The run cannot start (exit 2): bad input, edited SQL, journal conflicts."""


@dataclass(frozen=True)
class Reviewed:
    """The statements to run, as reviewed, and what identifies them."""

    compiled: Compiled
    target: targets.TargetVersion

    @property
    def steps(self) -> list[Step]:
        return [Step(i, s.sql, s.file, s.line) for i, s in enumerate(self.compiled.statements)]

    @property
    def sha(self) -> str:
        return self.compiled.statements_sha256

    @property
    def account(self) -> str:
        return self.compiled.account


def from_plan(args: argparse.Namespace) -> Reviewed | None:
    from modsl.compiler import compile_plan

    loaded = checked_or_refuse(args)
    if loaded is None:
        return None
    return Reviewed(compile_plan(loaded.checked), loaded.checked.target)


def from_sql(path: str) -> Reviewed:
    """A file written by `modsl compile`, refused if a statement was edited since."""
    from modsl import sqlfile

    try:
        with open(path, encoding="utf-8") as f:
            compiled = sqlfile.read(f.read(), path)
        return Reviewed(compiled, targets.parse_flag(compiled.target))
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"{path}: cannot read: {exc}") from None
    except (BadSqlFile, targets.UnknownTarget) as exc:
        raise Refused(f"{path}: {exc}" if isinstance(exc, targets.UnknownTarget)
                      else str(exc)) from None


def review(reviewed: Reviewed, where: str) -> str:
    out = [f"modsl apply: {len(reviewed.steps)} statement(s) for {reviewed.target.name}, as "
           f"account `{reviewed.account}`, on {where}",
           "Not atomic: each statement commits on its own; if one fails, those before it stay "
           "done.", ""]
    for index, s in enumerate(reviewed.compiled.statements):
        out += [f"  {index + 1}. {s.file}:{s.line}", f"     {s.sql};"]
        if s.destroys:
            out.append(f"     DESTROYS: {s.destroys}")
    return "\n".join(out) + "\n"


def resume_command(args: argparse.Namespace, safe_dsn: str) -> str:
    parts = ["modsl", "apply", args.plan, "--dsn", safe_dsn, "--resume", "--journal",
             args.journal]
    if args.statement_timeout:
        parts += ["--statement-timeout", f"{args.statement_timeout:g}"]
    if args.defaults_file:
        parts += ["--defaults-file", args.defaults_file]
    return " ".join(shlex.quote(p) for p in parts)


def prepare_journal(args: argparse.Namespace, reviewed: Reviewed) -> Journal:
    """The journal for this run (the caller holds its lock): the user's word on unknown
    outcomes applied, refused while one remains, archived when a new run starts."""
    directory = Path(args.journal)
    journal = Journal.open(directory, reviewed.sha)
    plan = os.path.abspath(args.plan)
    for number, done in [*((n, True) for n in args.mark_done), *((n, False) for n in args.retry)]:
        if not args.resume:
            raise Refused("--mark-done and --retry go with --resume")
        if not 1 <= number <= len(reviewed.steps):
            raise Refused(f"there is no statement {number} (the plan has "
                          f"{len(reviewed.steps)})")
        resolve(journal, number - 1, done=done)
    if journal.unknown:
        raise Refused(unknown_outcomes(journal, reviewed, args))
    if args.resume:
        if journal.entries and not _incomplete(journal, len(reviewed.steps)):
            raise Refused(f"nothing to resume: every statement is done (journal {journal.path})")
        if not journal.entries:
            for other in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
                if other.stem.count("."):
                    continue  # an archived journal
                earlier = Journal.open(directory, other.stem)
                if earlier.plan == plan and _incomplete(earlier):
                    raise Refused(f"{args.plan} changed since the run that stopped (journal "
                                  f"{other}); a changed plan cannot be resumed: review it and "
                                  "apply it without --resume")
            raise Refused(f"nothing to resume: no journal for this plan in {directory}")
    elif journal.entries:
        if _incomplete(journal, len(reviewed.steps)):
            raise Refused(f"this plan stopped part-way in an earlier run (journal "
                          f"{journal.path}); continue it with --resume, or remove the journal "
                          "to start over")
        journal.archive()
    return journal


def unknown_outcomes(journal: Journal, reviewed: Reviewed, args: argparse.Namespace) -> str:
    """Why the run cannot go on, and how to find out and say what happened."""
    steps = {s.index: s for s in reviewed.steps}
    lines = ["the outcome of these statements is unknown: they were sent to the server, but "
             "the run was killed, or the connection lost, before the reply:"]
    for index in journal.unknown:
        step = steps.get(index)
        where = f" ({step.file}:{step.line})" if step else ""
        lines.append(f"  {index + 1}.{where} {step.sql if step else ''};")
    first = journal.unknown[0] + 1
    lines += ["A statement whose client died may still be running on the server: first wait "
              "until SHOW PROCESSLIST no longer lists it. Then check whether it took effect "
              "(for a snapshot or PITR, SHOW SNAPSHOTS or SHOW PITR; for a restore, the data "
              "it restores), and continue with one of:",
              f"  {resume_command(args, '…')} --mark-done {first}    (it took effect)",
              f"  {resume_command(args, '…')} --retry {first}        (it did not: run it again)"]
    return "\n".join(lines)


def start_run(journal: Journal, args: argparse.Namespace, reviewed: Reviewed) -> None:
    """The journal's `run` entry, written once connected: nothing before that touched a server."""
    journal.write({"event": "run", "plan": os.path.abspath(args.plan), "sha256": reviewed.sha,
                   "target": reviewed.target.name, "account": reviewed.account,
                   "statements": len(reviewed.steps), "resume": bool(args.resume)})


def _incomplete(journal: Journal, total: int | None = None) -> bool:
    runs = [e for e in journal.entries if e.get("event") == "run"]
    expected = total if total is not None else (runs[-1].get("statements") if runs else None)
    return expected is None or len(journal.done) < int(expected)


def confirm(args: argparse.Namespace, count: int) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise Refused("refusing to run without confirmation: no terminal to ask on; "
                      "pass --yes after reviewing the statements")
    try:
        answer = input(f"Type `yes` to run {count} statement(s): ")
    except EOFError:
        return False
    return answer.strip() == "yes"


def report(outcome: Outcome, args: argparse.Namespace, safe_dsn: str, total: int,
           password_given: bool) -> int:
    def lines(steps: list[Step]) -> str:
        return ", ".join(f"{s.file}:{s.line}" for s in steps) or "none"

    if outcome.skipped:
        print(f"skipped (done in an earlier run): {len(outcome.skipped)}")
    if outcome.failure is None and not outcome.interrupted:
        print(f"done: {len(outcome.ran)} statement(s) ran; journal: {args.journal}")
        return EXIT_OK
    err = sys.stderr
    if outcome.failure is not None and outcome.failure.unknown:
        f = outcome.failure
        print(f"modsl apply: statement {f.step.index + 1} of {total} at {f.step.file}:"
              f"{f.step.line} has an UNKNOWN OUTCOME: {f.message}", file=err)
        print("  it was sent, but no reply came: it may or may not have taken effect; "
              "`--resume` will say how to check and tell modsl", file=err)
    elif outcome.failure is not None:
        f = outcome.failure
        code = f"server error {f.code}" if f.code is not None else "error"
        print(f"modsl apply: statement {f.step.index + 1} of {total} failed at "
              f"{f.step.file}:{f.step.line}", file=err)
        print(f"  {code}: {f.message}", file=err)
    else:
        print("modsl apply: interrupted; stopped after the statement in flight", file=err)
    print(f"  ran now ({len(outcome.ran)}): {lines(outcome.ran)} - these are not undone",
          file=err)
    print(f"  not run ({len(outcome.remaining)}): {lines(outcome.remaining)}", file=err)
    print(f"  to continue{' after fixing the cause' if outcome.failure else ''}:\n    "
          f"{resume_command(args, safe_dsn)}", file=err)
    if password_given:
        print("    (with the password in MODSL_PASSWORD or a --defaults-file)", file=err)
    if outcome.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    from modsl.connect import ConnectError, connect, parse_dsn, with_password

    server: Server | None = None
    try:
        if args.dsn:
            server = with_password(parse_dsn(args.dsn), args.defaults_file)
        elif not args.dry_run:
            raise Refused("--dsn is required (mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE])")
        if args.plan.endswith(".sql"):
            if args.as_ or args.target:
                raise Refused("--as and --target are for .mobak plans: a compiled .sql file "
                              "runs as it was compiled and reviewed")
            loaded: Reviewed | None = from_sql(args.plan)
        else:
            loaded = from_plan(args)
        if loaded is None:
            return EXIT_FAILED
        if server is not None:
            server = server.on_port(targets.engine(loaded.target.engine).default_port)
        where = server.safe if server else "(no server: dry run)"
        sys.stdout.write(review(loaded, where))
        if args.dry_run:
            print("dry run: nothing was run, no connection was made")
            return EXIT_OK
        assert server is not None
        return _run_locked(args, loaded, server, connect)
    except (Refused, ConnectError, JournalError, Locked) as exc:
        message = str(exc) if server is None else server.scrub(str(exc))
        print(f"modsl apply: {message}", file=sys.stderr)
        return EXIT_USAGE


def _run_locked(args: argparse.Namespace, loaded: Reviewed, server: Server,
                connect: Callable[[Server, float, str | None], Any]) -> int:
    """Everything that touches the journal or the server, under the plan's lock."""
    journal = Journal(Path(args.journal) / f"{loaded.sha}.jsonl")
    with locked(journal):
        journal = prepare_journal(args, loaded)
        if not confirm(args, len(loaded.steps) - len(journal.done)):
            print("not confirmed: nothing was run", file=sys.stderr)
            return EXIT_FAILED
        engine = targets.engine(loaded.target.engine)
        login = engine.login(server.user, server.account) if server.account else None
        connection = connect(server, args.connect_timeout, login)
        try:
            start_run(journal, args, loaded)
            outcome = execute(loaded.steps, connection, journal, on_step=_progress(loaded),
                              statement_timeout=args.statement_timeout)
        finally:
            _close(connection)
    try:
        return report(outcome, args, server.safe, len(loaded.steps),
                      password_given=bool(server.password) and not args.defaults_file)
    except BrokenPipeError:  # nobody reads the report: the exit code must still say it
        return EXIT_FAILED if outcome.failure or outcome.interrupted else EXIT_OK


def _progress(loaded: Reviewed) -> Callable[[Step], None]:
    def show(step: Step) -> None:
        print(f"running {step.index + 1}/{len(loaded.steps)} ({step.file}:{step.line})",
              flush=True)

    return show


def _close(connection: Any) -> None:
    # Closing a broken connection must not hide the run's outcome.
    with contextlib.suppress(Exception):
        connection.close()

"""`modsl run PLAN --schedule NAME --dsn …`: one firing of a schedule — its snapshots, then
its retention — journaled per server, one firing of a schedule on a server at a time.

Never stuck: an outcome an earlier run lost is decided from the server
(modsl/runtime/run_journal.py)
before anything is computed or sent. Never silent: a stop signal exits 130 with what ran and
what did not."""

from __future__ import annotations

import argparse
import hashlib
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.cli import flags
from modsl.cli.loading import UsageError, checked_or_refuse, wall_time
from modsl.cli.server import add_flags as server_flags
from modsl.cli.server import refused
from modsl.language import ast
from modsl.runtime import firing, live, reports, run_journal
from modsl.runtime.executor import Journal, JournalError, Locked, Outcome, Step, execute, locked
from modsl.runtime.firing import FiringOptions
from modsl.runtime.session import Refused

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan
    from modsl.runtime.connect import Server
    from modsl.runtime.restore_test import Result

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def configure(fire: argparse.ArgumentParser) -> None:
    fire.add_argument("plan", metavar="PLAN", help="a .mobak plan with `schedule` lines")
    fire.add_argument("--schedule", required=True, metavar="NAME", help="the schedule to fire")
    server_flags(fire, required=True)
    fire.add_argument("--dry-run", action="store_true",
                      help="read the server, print what would be created and dropped, change "
                           "nothing")
    flags.journal(fire, "where firings are journaled and locked (default .modsl/journal)")
    flags.no_checks(fire)
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
    flags.settings(fire)


def options_of(args: argparse.Namespace) -> FiringOptions:
    return FiringOptions(args.plan, args.journal, args.dry_run, not args.no_checks,
                         args.settle, args.connect_timeout, args.firings, args.seed,
                         args.report, args.metrics)


def run(args: argparse.Namespace) -> int:
    from modsl.runtime.connect import ConnectError, parse_dsn, with_password

    server = None
    options = options_of(args)
    try:
        with _terminate_as_interrupt():
            loaded = checked_or_refuse(args)
            if loaded is None:
                return EXIT_FAILED
            checked = loaded.checked
            try:
                schedule, _ = firing.schedule_named(checked, args.schedule)
                if args.standin:
                    return _rehearse(args, options, checked, schedule)
                due = firing.fire(checked, args.schedule,
                                  firing.moment(schedule.zone or "UTC", _pinned(args)))
            except firing.NoFiring as exc:
                raise Refused(str(exc)) from None
            server = with_password(parse_dsn(args.dsn), args.defaults_file).on_port(
                targets.engine(checked.target.engine).default_port)
            return _fire(options, checked, due, server)
    except live.Failed as exc:
        sys.stdout.write(live.render(exc.checks, args.plan))
        return EXIT_FAILED
    except (Refused, ConnectError, JournalError, Locked, live.Unreadable) as exc:
        return refused("run", server, exc)
    except KeyboardInterrupt:  # before any statement was sent (execute handles its own)
        print("modsl run: interrupted before any statement was sent; nothing ran",
              file=sys.stderr)
        return EXIT_INTERRUPTED


def _pinned(args: argparse.Namespace) -> datetime | None:
    try:
        return wall_time(args.now)
    except UsageError as exc:
        raise Refused(str(exc)) from None


def _rehearse(args: argparse.Namespace, options: FiringOptions, checked: CheckedPlan,
              schedule: ast.Schedule) -> int:
    """`--standin --firings N`: the schedule rehearsed on a stand-in
    (modsl/runtime/rehearsal.py)."""
    from modsl.cli.loading import config_of
    from modsl.runtime import rehearsal

    if args.dsn:
        raise Refused("--standin rehearses on a stand-in of its own: leave out --dsn")
    if args.firings < 1:
        raise Refused("--firings must be at least 1")
    start = firing.moment(schedule.zone or "UTC", _pinned(args))
    zone = config_of(args).server_timezone or "UTC"
    try:
        return rehearsal.rehearse(options, checked, schedule, start, zone, _fire, say=print)
    except rehearsal.SeedFailed as exc:
        raise Refused(str(exc)) from None


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM before the statements run stops the run as Ctrl-C does (with a message and
    exit 130), instead of killing it silently; `execute` takes over both while it runs."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fire(options: FiringOptions, checked: CheckedPlan, due: firing.Firing,
          server: Server) -> int:
    from modsl.runtime.connect import connect

    engine = targets.engine(checked.target.engine)
    name = due.schedule.name.key
    plan_id = hashlib.sha256(checked.plan.raw).hexdigest()[:16]
    # One firing of a schedule at a time on a server; other servers are other firings.
    lock = Journal(Path(options.journal)
                   / f"schedule-{plan_id}-{name}-{run_journal.dsn_key(server)}.jsonl")
    login = engine.login(server.user, server.account) if server.account else None
    # One firing of a schedule at a time on a server, also from another directory or
    # --journal (the host lock), and from another host where the server has GET_LOCK.
    from modsl.runtime.locks import identity

    where = identity(server.host, server.port, server.account)
    with locked(lock, where, f"schedule-{plan_id}-{name}") as run_lock:
        connection = connect(server, options.connect_timeout, login)
        try:  # a killed run's connection may hold the server's lock a while yet
            run_lock.on_server(connection, wait=options.settle)
            if options.live_checks:
                checks = live.run(connection, checked.target, checked.account, None)
                if not live.passed(checks):
                    raise live.Failed(checks)
            hostname = run_journal.identity(connection)
            journal = Journal.open(
                Path(options.journal), f"run-{plan_id}-{name}-{due.at:%Y%m%dT%H%M}-"
                f"{run_journal.server_key(server, hostname)}")
            print(f"modsl run: schedule `{name}`, firing {due.at:%Y-%m-%d %H:%M} "
                  f"{due.schedule.zone or 'UTC'}, on {server.safe}", flush=True)
            if journal.unknown and options.dry_run:
                print("  an earlier run of this firing left "
                      f"{len(journal.unknown)} outcome(s) unknown: a run decides them from "
                      "the server first")
            elif journal.unknown:
                for entry in run_journal.resolve_unknowns(
                        journal, lambda: engine.live_objects(connection)
                        + firing.backups_written(connection, due, engine), options.settle):
                    print(f"  decided from the server: {entry['why']}")
            objects = (engine.live_objects(connection)
                       + firing.backups_written(connection, due, engine))
            server_now = live.server_time(connection)
            base = max((e["index"] for e in journal.entries if isinstance(e.get("index"), int)),
                       default=-1) + 1
            steps, meant = _steps(checked, due, objects, server_now, base)
            for text in _plan_lines(steps, due, objects):
                print(f"  {text}")
            if options.dry_run:
                print("dry run: nothing was created or dropped")
                return EXIT_OK
            if not steps:
                print("nothing to do: this firing's snapshots exist and nothing is beyond "
                      "retention")
                return reports.after_firing(options, checked, due, connection, journal, EXIT_OK,
                                            say=print, on_test=_tested)
            journal.write({"event": "run", "plan": str(Path(options.plan).resolve()),
                           "schedule": name, "firing": due.at.isoformat(),
                           "server": run_journal.server_record(server, hostname),
                           "statements": len(steps), "steps": meant,
                           "resume": base > 0})
            outcome = execute(steps, connection, journal, command="modsl run",
                              on_job=_job_state, on_stopping=_stopping)
            return reports.after_firing(options, checked, due, connection, journal,
                                        _report(outcome, steps, journal),
                                        say=print, on_test=_tested)
        finally:
            connection.close()


def _job_state(step: Step, state: Any) -> None:
    """A StarRocks backup's job, each state it reaches (the firing waits for it to end)."""
    print(f"  {step.job.kind if step.job else 'job'} job: {state.describe()}", flush=True)


def _report(outcome: Outcome, steps: list[Step], journal: Journal) -> int:
    """Done, or what ran and what did not, and the exit code."""
    if outcome.failure is None and not outcome.interrupted:
        print(f"done: {len(outcome.ran)} statement(s); journal: {journal.path}")
        return EXIT_OK
    err = sys.stderr
    if outcome.failure is not None:
        f = outcome.failure
        print(f"modsl run: {f.step.sql} failed: {f.message}"
              + (" (outcome unknown: the next run decides it from the server)" if f.unknown
                 else ""), file=err)
    if outcome.interrupted:
        print("modsl run: interrupted", file=err)
    not_run = [s for s in outcome.remaining
               if outcome.failure is None or s is not outcome.failure.step]
    print(f"modsl run: ran {len(outcome.ran)} of {len(steps)}; not run: "
          + (" ".join(f"{s.sql};" for s in not_run) or "none")
          + (f"; unknown: {outcome.failure.step.sql};" if outcome.failure is not None
             and outcome.failure.unknown else "")
          + f"; journal: {journal.path}", file=err)
    print("  run the same firing again (the same command) to finish it: what is done is "
          "read from the server", file=err)
    return EXIT_INTERRUPTED if outcome.interrupted else EXIT_FAILED


def _steps(checked: CheckedPlan, due: firing.Firing, objects: list[Any],
           server_now: datetime, base: int) -> tuple[list[Step], list[dict[str, Any]]]:
    """The firing's statements, numbered from `base` (after any earlier run of it in the
    journal), and what each means (to decide it from the server if its outcome is lost)."""
    taken = {o.name for o in objects if o.kind == "snapshot"}
    engine = targets.engine(checked.target.engine)
    steps: list[Step] = []
    meant: list[dict[str, Any]] = []
    for take in due.takes:
        line = take.statement.span
        if take.name not in taken:
            meant.append(run_journal.describe(base + len(steps), take.sql, take.name, None))
            steps.append(Step(base + len(steps), take.sql, line.file, line.line,
                              job=engine.job(take.sql)))  # a StarRocks backup: awaited
        if isinstance(take.statement, ast.Backup):
            continue  # no retention by SQL: the bucket's lifecycle rule (MB225)
        for old in firing.to_drop(take.statement, checked.account, objects, server_now,
                                  taking=True):
            sql = engine.emit(ast.DropSnapshot(ast.Name(old.name)), checked.target,
                              checked.account, None)
            assert sql is not None
            meant.append(run_journal.describe(base + len(steps), sql, None, old))
            steps.append(Step(base + len(steps), sql, line.file, line.line))
    return steps, meant


def _plan_lines(steps: list[Step], due: firing.Firing, objects: list[Any]) -> list[str]:
    taken = {o.name for o in objects if o.kind == "snapshot"}
    lines = [f"exists already (a retried firing): {t.name}" for t in due.takes
             if t.name in taken]
    lines += [("create: " if s.sql.startswith(("CREATE", "BACKUP"))
               else "drop (beyond retention): ")
              + f"{s.sql};" for s in steps]
    return lines


def _stopping(notice: str) -> None:
    """The runtime's Ctrl-C notice, on a line of its own (a progress line may be open)."""
    print(f"\n{notice}", flush=True)


def _tested(result: Result) -> None:
    """A restore test's verdict (on stderr when it failed) and each of its verifies."""
    verdict = "passed" if result.ok else "FAILED"
    print(f"restore test {result.name}: {verdict} ({result.message}; {result.seconds:.1f}s)",
          file=sys.stdout if result.ok else sys.stderr)
    for c in result.checks:
        print(f"  {'ok  ' if c.ok else 'FAIL'} {c.text} (saw {c.seen})")

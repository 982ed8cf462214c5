"""`modsl run PLAN --schedule NAME --dsn …`: one firing of a schedule — its snapshots, then
its retention — journaled like an apply, one firing of a schedule at a time."""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modsl import ast, firing, live, targets
from modsl.executor import Journal, JournalError, Locked, Step, execute, locked
from modsl.loading import checked_or_refuse
from modsl.session import Refused

if TYPE_CHECKING:
    from modsl.connect import Server
    from modsl.rules import CheckedPlan

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def now_in(zone: str, pinned: str | None) -> datetime:
    """Now, aware; `--now` is a wall time in the schedule's zone."""
    from zoneinfo import ZoneInfo

    from modsl import settings

    if pinned is None:
        return datetime.now(UTC)
    try:
        return settings.parse_now(pinned).replace(tzinfo=ZoneInfo(zone))
    except settings.SettingsError as exc:
        raise Refused(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from modsl.connect import ConnectError, parse_dsn, with_password

    server = None
    try:
        loaded = checked_or_refuse(args)
        if loaded is None:
            return EXIT_FAILED
        checked = loaded.checked
        try:
            schedule, _ = firing.schedule_named(checked, args.schedule)
            due = firing.fire(checked, args.schedule, now_in(schedule.zone or "UTC", args.now))
        except firing.NoFiring as exc:
            raise Refused(str(exc)) from None
        server = with_password(parse_dsn(args.dsn), args.defaults_file).on_port(
            targets.engine(checked.target.engine).default_port)
        return _fire(args, checked, due, server)
    except live.Failed as exc:
        sys.stdout.write(live.render(exc.checks, args.plan))
        return EXIT_FAILED
    except (Refused, ConnectError, JournalError, Locked, live.Unreadable) as exc:
        message = str(exc) if server is None else server.scrub(str(exc))
        print(f"modsl run: {message}", file=sys.stderr)
        return EXIT_USAGE


def _fire(args: argparse.Namespace, checked: CheckedPlan, due: firing.Firing,
          server: Server) -> int:
    from modsl.connect import connect

    engine = targets.engine(checked.target.engine)
    name = due.schedule.name.key
    plan_id = hashlib.sha256(checked.plan.raw).hexdigest()[:16]
    lock = Journal(Path(args.journal) / f"schedule-{plan_id}-{name}.jsonl")
    login = engine.login(server.user, server.account) if server.account else None
    with locked(lock):  # one firing of a schedule at a time
        connection = connect(server, args.connect_timeout, login)
        try:
            if not args.no_checks:
                checks = live.run(connection, checked.target, checked.account, None)
                if not live.passed(checks):
                    raise live.Failed(checks)
            objects = engine.live_objects(connection)
            server_now = _server_now(connection)
            steps = _steps(checked, due, objects, server_now)
            print(f"modsl run: schedule `{name}`, firing {due.at:%Y-%m-%d %H:%M} "
                  f"{due.schedule.zone or 'UTC'}, on {server.safe}")
            for text in _plan_lines(steps, due, objects):
                print(f"  {text}")
            if args.dry_run:
                print("dry run: nothing was created or dropped")
                return EXIT_OK
            if not steps:
                print("nothing to do: this firing's snapshots exist and nothing is beyond "
                      "retention")
                return EXIT_OK
            sha = hashlib.sha256("\n".join(s.sql for s in steps).encode()).hexdigest()[:16]
            journal = Journal.open(Path(args.journal),
                                   f"run-{plan_id}-{name}-{due.at:%Y%m%dT%H%M}-{sha}")
            journal.write({"event": "run", "plan": str(Path(args.plan).resolve()),
                           "schedule": name, "firing": due.at.isoformat(),
                           "statements": len(steps), "resume": False})
            outcome = execute(steps, connection, journal)
        finally:
            connection.close()
    if outcome.failure is not None:
        f = outcome.failure
        print(f"modsl run: {f.step.sql} failed: {f.message}"
              + (" (outcome unknown: the next firing reads what is there)" if f.unknown
                 else ""), file=sys.stderr)
        return EXIT_FAILED
    print(f"done: {len(outcome.ran)} statement(s); journal: {journal.path}")
    return EXIT_OK


def _steps(checked: CheckedPlan, due: firing.Firing, objects: list[Any],
           server_now: datetime) -> list[Step]:
    taken = {o.name for o in objects if o.kind == "snapshot"}
    engine = targets.engine(checked.target.engine)
    steps: list[Step] = []
    for take in due.takes:
        line = take.statement.span
        if take.name not in taken:
            steps.append(Step(len(steps), take.sql, line.file, line.line))
        for old in firing.to_drop(take.statement, checked.account, objects, server_now,
                                  taking=True):
            sql = engine.emit(ast.DropSnapshot(ast.Name(old.name)), checked.target,
                              checked.account, None)
            assert sql is not None
            steps.append(Step(len(steps), sql, line.file, line.line))
    return steps


def _plan_lines(steps: list[Step], due: firing.Firing, objects: list[Any]) -> list[str]:
    taken = {o.name for o in objects if o.kind == "snapshot"}
    lines = [f"exists already (a retried firing): {t.name}" for t in due.takes
             if t.name in taken]
    lines += [("create: " if s.sql.startswith("CREATE") else "drop (beyond retention): ")
              + f"{s.sql};" for s in steps]
    return lines


def _server_now(connection: Any) -> datetime:
    from modsl.clock import BadTimestamp, parse_timestamp

    _, rows = live.query(connection, "SELECT now()")
    try:
        return parse_timestamp(str(rows[0][0]))
    except (BadTimestamp, IndexError):
        raise live.Unreadable(f"the server's time reads {rows!r}") from None


"""`modsl rollback PLAN --dsn …`: put back what a finished or stopped run restored, from its
journal, with the rollback statements reviewed with the plan (`rollback on failure`)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from modsl import targets
from modsl.cli import flags
from modsl.cli.reviewed import confirm, from_plan, from_sql
from modsl.cli.server import add_flags as server_flags
from modsl.cli.server import refused
from modsl.runtime import live, rollback
from modsl.runtime.executor import Journal, JournalError, Locked, Step, locked
from modsl.runtime.session import RESUME_WAIT, Refused, Reviewed

if TYPE_CHECKING:
    from modsl.runtime.connect import Server

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(back: argparse.ArgumentParser) -> None:
    back.add_argument("plan", metavar="PLAN", help="the .mobak plan (with `rollback on "
                      "failure`) or its .sql file from `modsl compile`")
    server_flags(back, required=True)
    flags.yes(back)
    flags.journal(back, "where the run's journal is (default .modsl/journal)")
    flags.outcome_words(
        back, done="the rollback of statement N, whose outcome was unknown, took effect",
        again="the rollback of statement N, whose outcome was unknown, did not take effect: "
              "send it again")
    flags.no_checks(back)
    flags.settings(back)


def run(args: argparse.Namespace) -> int:
    from modsl.runtime.connect import ConnectError, parse_dsn, with_password

    server = None
    try:
        server = with_password(parse_dsn(args.dsn), args.defaults_file)
        if args.plan.endswith(".sql"):
            loaded: Reviewed | None = from_sql(args.plan)
        else:
            loaded = from_plan(args)
        if loaded is None:
            return EXIT_FAILED
        if not any(s.rollback for s in loaded.steps):
            raise Refused(f"{args.plan} has no rollback statements: a plan rolls back only "
                          "with a `rollback on failure` line, which makes lint check that "
                          "every restore has an undo and puts the rollback in the review")
        server = server.on_port(targets.engine(loaded.target.engine).default_port)
        return _roll_back(args, loaded, server)
    except live.Failed as exc:
        sys.stdout.write(live.render(exc.checks, args.plan))
        return EXIT_FAILED
    except (Refused, ConnectError, JournalError, Locked) as exc:
        return refused("rollback", server, exc)


def _roll_back(args: argparse.Namespace, loaded: Reviewed, server: Server) -> int:
    from modsl.runtime.connect import connect
    from modsl.runtime.locks import identity

    steps = loaded.steps
    journal = Journal(Path(args.journal) / f"{loaded.sha}.jsonl")
    where = identity(server.host, server.port, server.account)
    with locked(journal, where, loaded.sha) as lock:
        journal = Journal.open(Path(args.journal), loaded.sha)
        if not journal.entries:
            raise Refused(f"no run of this plan to roll back: no journal for it in "
                          f"{args.journal}")
        _resolve(args, steps, journal)
        held = rollback.unknown(steps, journal)
        if held:
            raise Refused(_unknown_message(args, held, journal))
        todo = rollback.pending(steps, journal)
        if not todo:
            print(f"nothing to roll back: no restore of this run is left to put back "
                  f"(journal {journal.path})")
            return EXIT_OK
        sqls = []
        for step in todo:
            try:
                sqls.append(rollback.statement(step, journal))
            except ValueError as exc:
                raise Refused(f"{step.file}:{step.line}: {exc}") from None
        engine = targets.engine(loaded.target.engine)
        login = engine.login(server.user, server.account) if server.account else None
        connection = connect(server, args.connect_timeout, login)
        try:
            # a rollback from another host is refused here; a killed run's statement
            # still running holds the lock until it ends: wait for that
            lock.on_server(connection, wait=RESUME_WAIT)
            if not args.no_checks:
                checks = live.run(connection, loaded.target, loaded.account, None)
                if not live.passed(checks):
                    raise live.Failed(checks)
                print(live.render(checks, args.plan))
            print(f"modsl rollback: {len(todo)} restore(s) to put back on {server.safe}, "
                  "newest first:")
            for step, sql in zip(todo, sqls, strict=True):
                print(f"  {step.file}:{step.line}\n     {sql};")
            if not confirm(args.yes, len(todo)):
                print("not confirmed: nothing was run", file=sys.stderr)
                return EXIT_FAILED
            undone = rollback.roll_back(steps, connection, journal)
        finally:
            connection.close()
    for u in undone:
        said = "" if u.error is None else f"  - {u.error}"
        print(f"  {'✓' if u.error is None else '✗'} {u.step.file}:{u.step.line}{said}")
    if all(u.error is None for u in undone):
        print(f"rolled back: {len(undone)} restore(s) put back; journal: {journal.path}")
        return EXIT_OK
    print("modsl rollback: the rollback did not finish; fix the cause and run it again "
          "(what was put back is not run twice)", file=sys.stderr)
    return EXIT_FAILED


def _resolve(args: argparse.Namespace, steps: list[Step], journal: Journal) -> None:
    """`--mark-done N` / `--retry N`: the user's word on rollbacks whose outcome is unknown."""
    words = [*((n, True) for n in getattr(args, "mark_done", []) or []),
             *((n, False) for n in getattr(args, "retry", []) or [])]
    for number, done in words:
        rollback.resolve(steps, journal, number, done=done)


def _unknown_message(args: argparse.Namespace, held: list[Step], journal: Journal) -> str:
    """Why nothing is sent: which rollbacks may have run, and how to say what happened."""
    lines = ["the outcome of these rollbacks is unknown: each was sent to the server, but the "
             "rollback was killed, or the connection lost, before the reply:"]
    for step in held:
        sql = next((e.get("sql", "") for e in reversed(journal.entries)
                    if e["event"] == "rollback" and e["index"] == step.index
                    and e.get("phase") == "started"), step.rollback or "")
        lines.append(f"  statement {step.index + 1} ({step.file}:{step.line}), put back by: "
                     f"{sql};")
    first = held[0].index + 1
    base = " ".join(shlex.quote(p) for p in ["modsl", "rollback", args.plan, "--dsn", "…",
                                              "--journal", args.journal])
    lines += ["modsl cannot tell from the server whether a restore ran: a restore leaves no "
              "record of itself, and the killed client's restore may still be running. Wait "
              "until SHOW PROCESSLIST no longer lists it, check the data it restores, then "
              "continue with one of:",
              f"  {base} --mark-done {first}    (it took effect)",
              f"  {base} --retry {first}        (it did not: send it again)"]
    return "\n".join(lines)

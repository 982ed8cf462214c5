"""One run of reviewed statements on a server, for `modsl apply` and `modsl.apply()`: the
plan's lock, its journal (unknown outcomes resolved or refused, a finished journal archived),
the connection, and the executor."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets
from modsl.compiler.sqlfile import Compiled
from modsl.runtime.executor import Journal, Outcome, RolledBack, Step, execute, locked, resolve

if TYPE_CHECKING:
    from modsl.language import ast
    from modsl.runtime.account_logins import DsnFor
    from modsl.runtime.connect import Server
    from modsl.runtime.jobs import JobState
    from modsl.runtime.live import Check


class Applied(NamedTuple):
    """What `modsl.apply()` did."""

    outcome: Outcome
    journal: Path | None
    """The journal written (None when nothing was confirmed)."""
    confirmed: bool

    @property
    def ok(self) -> bool:
        """Every statement ran (or had run before) and nothing failed."""
        o = self.outcome
        return self.confirmed and o.failure is None and not o.interrupted


class RunOptions(NamedTuple):
    """How to run: the flags of `modsl apply`, or the arguments of `modsl.apply()`."""

    plan: str
    """The plan's path, as the user gave it (the journal remembers it; resume commands show it)."""
    journal: str = ".modsl/journal"
    resume: bool = False
    mark_done: tuple[int, ...] | list[int] = ()
    retry: tuple[int, ...] | list[int] = ()
    statement_timeout: float | None = None
    connect_timeout: float = 10.0
    defaults_file: str | None = None
    live_checks: bool = True
    """Read the plan's promises back from the server before running (`modsl.runtime.live`)."""
    reverify: bool = False
    """After a rollback on failure, run the verifies before the failure again."""
    poll: float = 2.0
    """Seconds between two reads of a running job's state."""
    account_dsn: DsnFor | None = None
    """Where a verify `in account A` finds its login (default: `MODSL_DSN_<A>`)."""


RESUME_WAIT = 15.0
"""Seconds a resume waits for the server's lock, held by a killed run's statement still running."""


class Refused(Exception):
    """The run cannot start (exit 2): bad input, edited SQL, journal conflicts."""


@dataclass(frozen=True)
class Reviewed:
    """The statements to run, as reviewed, and what identifies them."""

    compiled: Compiled
    target: targets.TargetVersion
    plan: ast.Plan | None = None
    """The plan, when it was compiled here (a `.sql` file has none: its live checks are the
    server and the login only)."""

    @property
    def steps(self) -> list[Step]:
        engine = targets.engine(self.target.engine)
        return [Step(i, s.sql, s.file, s.line, s.expect, s.rollback, engine.job(s.sql),
                     s.account) for i, s in enumerate(self.compiled.statements)]

    @property
    def sha(self) -> str:
        return self.compiled.statements_sha256

    @property
    def account(self) -> str:
        return self.compiled.account


def resume_command(options: RunOptions, safe_dsn: str) -> str:
    parts = ["modsl", "apply", options.plan, "--dsn", safe_dsn, "--resume", "--journal",
             options.journal]
    if options.statement_timeout:
        parts += ["--statement-timeout", f"{options.statement_timeout:g}"]
    if options.defaults_file:
        parts += ["--defaults-file", options.defaults_file]
    if not options.live_checks:
        parts.append("--no-checks")
    return " ".join(shlex.quote(p) for p in parts)


def rollback_command(options: RunOptions, safe_dsn: str) -> str:
    parts = ["modsl", "rollback", options.plan, "--dsn", safe_dsn, "--journal", options.journal]
    if options.defaults_file:
        parts += ["--defaults-file", options.defaults_file]
    return " ".join(shlex.quote(p) for p in parts)


def prepare_journal(options: RunOptions, reviewed: Reviewed) -> Journal:
    """The journal for this run (the caller holds its lock): the user's word on unknown
    outcomes applied, refused while one remains, archived when a new run starts."""
    directory = Path(options.journal)
    journal = Journal.open(directory, reviewed.sha)
    plan = os.path.abspath(options.plan)
    for number, done in [*((n, True) for n in options.mark_done),
                         *((n, False) for n in options.retry)]:
        if not options.resume:
            raise Refused("--mark-done and --retry go with --resume")
        if not 1 <= number <= len(reviewed.steps):
            raise Refused(f"there is no statement {number} (the plan has "
                          f"{len(reviewed.steps)})")
        resolve(journal, number - 1, done=done)
    steps = reviewed.steps
    # A verify with an unknown outcome is the user's to decide like any statement: a verify
    # is read-only by every layer modsl has (docs/runbook.md), but not by a promise it keeps.
    if journal.rolling_back:
        return _after_rollback(journal, reviewed, options)
    # A job's statement is found again on the server (the executor re-attaches to it).
    if any(i >= len(steps) or steps[i].job is None for i in journal.unknown):
        raise Refused(unknown_outcomes(journal, reviewed, options))
    if options.resume:
        if journal.entries and not _incomplete(journal, len(reviewed.steps)):
            raise Refused(f"nothing to resume: every statement is done (journal {journal.path})")
        if not journal.entries:
            for other in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
                if other.stem.count("."):
                    continue  # an archived journal
                earlier = Journal.open(directory, other.stem)
                if earlier.plan == plan and _incomplete(earlier):
                    raise Refused(f"{options.plan} changed since the run that stopped (journal "
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


def _after_rollback(journal: Journal, reviewed: Reviewed, options: RunOptions) -> Journal:
    """A run that was rolled back is over: it cannot be resumed, and a new run starts from
    a fresh journal once every restore it made is put back."""
    from modsl.runtime.rollback import pending

    left = pending(reviewed.steps, journal)
    if left:
        raise Refused(f"the rollback of an earlier run of this plan did not finish (journal "
                      f"{journal.path}; {len(left)} restore(s) not put back): finish it with "
                      f"`modsl rollback {shlex.quote(options.plan)} --dsn …`")
    if options.resume:
        raise Refused(f"nothing to resume: the earlier run was rolled back (journal "
                      f"{journal.path}); apply the plan again to start over")
    journal.archive()
    return journal


def unknown_outcomes(journal: Journal, reviewed: Reviewed, options: RunOptions) -> str:
    """Why the run cannot go on, and how to find out and say what happened."""
    steps = {s.index: s for s in reviewed.steps}
    lines = ["the outcome of these statements is unknown: they were sent to the server, but "
             "the run was killed, or the connection lost, before the reply:"]
    for index in journal.unknown:
        step = steps.get(index)
        if step is not None and step.job is not None:
            continue
        where = f" ({step.file}:{step.line})" if step else ""
        lines.append(f"  {index + 1}.{where} {step.sql if step else ''};")
    first = min(i for i in journal.unknown if i not in steps or steps[i].job is None) + 1
    lines += ["A statement whose client died may still be running on the server: first wait "
              "until SHOW PROCESSLIST no longer lists it. Then check whether it took effect "
              "(for a snapshot or PITR, SHOW SNAPSHOTS or SHOW PITR; for a restore, the data "
              "it restores), and continue with one of:",
              f"  {resume_command(options, '…')} --mark-done {first}    (it took effect)",
              f"  {resume_command(options, '…')} --retry {first}        (it did not: run it again)"]
    return "\n".join(lines)


def start_run(journal: Journal, options: RunOptions, reviewed: Reviewed, server: Server) -> None:
    """The journal's `run` entry, written once connected: nothing before that touched a server.
    It names the server (never the password): `modsl log` says where each run went."""
    journal.write({"event": "run", "plan": os.path.abspath(options.plan), "sha256": reviewed.sha,
                   "target": reviewed.target.name, "account": reviewed.account,
                   "server": server.safe, "statements": len(reviewed.steps),
                   "resume": bool(options.resume)})


def _incomplete(journal: Journal, total: int | None = None) -> bool:
    runs = [e for e in journal.entries if e.get("event") == "run"]
    expected = total if total is not None else (runs[-1].get("statements") if runs else None)
    return expected is None or len(journal.done) < int(expected)


def run_reviewed(options: RunOptions, reviewed: Reviewed, server: Server,
                 confirm: Callable[[int], bool],
                 on_step: Callable[[Step], None] | None = None,
                 on_checks: Callable[[list[Check]], None] | None = None,
                 on_undo: Callable[[Step, str], None] | None = None,
                 on_job: Callable[[Step, JobState], None] | None = None,
                 on_verify: Callable[[Step, object, bool], None] | None = None,
                 on_stopping: Callable[[str], None] | None = None,
                 ) -> tuple[Outcome, Journal] | None:
    """Everything that touches the journal or the server, under the plan's lock: the live
    checks first (`modsl.runtime.live.Failed` when one fails: nothing ran), then `confirm` (given
    the
    number of statements to run; None when it says no), then the statements, and when one
    fails after a restore of a plan with `rollback on failure`, the rollback."""
    from contextlib import ExitStack

    from modsl.runtime import account_logins, live
    from modsl.runtime.connect import connect
    from modsl.runtime.locks import identity

    refuse_writing_verifies(reviewed)
    journal = Journal(Path(options.journal) / f"{reviewed.sha}.jsonl")
    where = identity(server.host, server.port, server.account)
    with locked(journal, where, reviewed.sha) as lock:
        journal = prepare_journal(options, reviewed)
        engine = targets.engine(reviewed.target.engine)
        login = engine.login(server.user, server.account) if server.account else None
        connection = connect(server, options.connect_timeout, login)
        stack = ExitStack()
        try:
            # another host's run of this plan is refused here; after a killed run, its
            # connection may hold the lock until its statement ends: wait for that
            lock.on_server(connection, wait=RESUME_WAIT if options.resume else 0.0)
            try:  # every login a verify needs, checked before anything runs
                accounts = stack.enter_context(account_logins.opened(
                    reviewed.steps, engine, options.account_dsn or account_logins.from_environment,
                    options.connect_timeout, server))
            except account_logins.NoLogin as exc:
                raise Refused(str(exc)) from None
            checks: list[Check] = []
            if options.live_checks:
                # a job statement that may have been sent is found again, not checked as new
                done = {s.line for s in reviewed.steps if s.index in journal.done
                        or (s.job is not None and s.index in journal.unknown)}
                checks = live.run(connection, reviewed.target, reviewed.account,
                                  reviewed.plan, done)
                if not live.passed(checks):
                    raise live.Failed(checks)
                if on_checks is not None:
                    on_checks(checks)
            if not confirm(len(reviewed.steps) - len(journal.done)):
                return None
            start_run(journal, options, reviewed, server)
            journal.write({"event": "checks", "skipped": not options.live_checks,
                           "passed": [f"{c.code} {c.text}" for c in checks]})
            outcome = execute(reviewed.steps, connection, journal, on_step=on_step,
                              statement_timeout=options.statement_timeout,
                              prepare=engine.prepare, on_job=on_job, poll=options.poll,
                              accounts=accounts, on_verify=on_verify,
                              on_stopping=on_stopping)
            outcome = _roll_back_on_failure(outcome, reviewed, connection, journal, options,
                                            on_undo, accounts)
        finally:
            stack.close()
            _close(connection)
    return outcome, journal


def refuse_writing_verifies(reviewed: Reviewed) -> None:
    """Every verify judged again as MB211 judges a plan's, before anything connects: a
    `.sql` file's hashes detect edits, not forgery, and a forged one could hold a write
    under `-- verify:` that the review would call "reads only"."""
    from modsl.checker.verify import query_problem

    for number, s in enumerate(reviewed.compiled.statements, start=1):
        if s.expect is not None:
            problem = query_problem(s.sql)
            if problem is not None:
                raise Refused(f"statement {number} ({s.file}:{s.line}) is a verify, which must "
                              f"be exactly one read-only SELECT (MB211): {problem.why}; "
                              "nothing was run")


def _roll_back_on_failure(outcome: Outcome, reviewed: Reviewed, connection: Any,
                          journal: Journal, options: RunOptions,
                          on_undo: Callable[[Step, str], None] | None,
                          accounts: dict[str, Any]) -> Outcome:
    """A statement or a verify failed with a known outcome, after a restore: put back what
    the run restored. An unknown outcome or an interruption is left to `modsl rollback`
    (the user decides: the connection may be gone, or they asked to stop)."""
    from modsl.runtime import rollback

    failure = outcome.failure
    if failure is None or failure.unknown or outcome.interrupted:
        return outcome
    if not rollback.pending(reviewed.steps, journal):
        return outcome
    undone = rollback.roll_back(reviewed.steps, connection, journal, on_undo)
    again = (rollback.reverify(reviewed.steps, failure.step.index, connection, journal,
                               accounts)
             if options.reverify and all(u.error is None for u in undone) else [])
    return replace(outcome, rolled_back=RolledBack(undone, again))


def _close(connection: Any) -> None:
    # Closing a broken connection must not hide the run's outcome.
    import contextlib

    with contextlib.suppress(Exception):
        connection.close()

"""The executor: run reviewed statements one at a time on a DB-API connection, journaling each
before it starts and after it ends, and stop at the first failure.

Independent of the compiler and of any driver: it takes `Step`s and a connection. The journal
(one JSON-lines file per statements-sha256) is fsynced after every entry, so after any crash
it says, for each statement, done, failed, or *started*: a statement whose end was never
written (the process was killed, the connection died in flight) has an unknown outcome, and
nothing runs again until the user says what happened (`mark_done`, `retry`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from modsl.checker.placeholders import BEFORE
from modsl.runtime import jobs, locks, readonly
from modsl.runtime.locks import Locked as Locked  # re-exported: callers catch executor.Locked

Prepare = Callable[[str, Any], "Prepared"]
"""An engine's `prepare`: the SQL to send for a reviewed statement (placeholders filled)."""


@dataclass(frozen=True)
class Prepared:
    """A statement as it is sent: placeholders filled from the environment or the server."""

    sql: str
    journal: dict[str, str] = field(default_factory=dict)
    """What was read to fill them, for the `started` entry (never a secret)."""
    secrets: tuple[str, ...] = ()
    """Values to blank out of any message the server sends back."""


@dataclass(frozen=True)
class Step:
    """One statement to run, and the plan line it came from."""

    index: int
    sql: str
    file: str
    line: int
    expect: str | None = None
    """A verify: what its first value must satisfy (`>= 1000`, `= "ok"`); None otherwise."""
    rollback: str | None = None
    """A restore in a plan with `rollback on failure`: the SQL that puts back what it
    overwrote (`placeholders.BEFORE` stands for the moment before it ran)."""
    job: jobs.Job | None = None
    """The server job the statement starts (it returns before the work is done)."""
    account: str | None = None
    """A verify `in account A`: it runs on the connection logged into A."""


class Connection(Protocol):
    def cursor(self) -> Any: ...


class JournalError(Exception):
    """The journal cannot be read or written; the message names the file and what to do."""


class _TooDeep(ValueError):
    """A journal line nested too deeply for json to read (whole, not cut short)."""


def now() -> str:
    """UTC, to the millisecond."""
    ns = time.time_ns()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9))
    return f"{stamp}.{ns % 10**9 // 10**6:03d}Z"


def fsync_dir(path: Path) -> None:
    """Make a create or rename in `path` durable."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Events: `run` (a run began), `started` (a statement is about to be sent), `done`, `failed`
# (its outcome, with `outcome: "unknown"` when the connection died before the reply),
# `resolved` (the user said what happened to an unknown one: `as` done or retry), `checks`
# (the live checks that passed before the run, or that they were skipped), `rollback` (a
# restore being put back: `phase` started, done, failed, or resolved by the user), `reverify`
# (a verify run again after a rollback), `job` (a state the job of a statement was seen in;
# `attached`: found again after a crash instead of being sent twice).
_EVENTS = {"run", "checks", "started", "done", "failed", "resolved", "rollback", "reverify",
           "job"}


def last_words(entries: Iterable[dict[str, Any]],
               step: Callable[[dict[str, Any]], object]) -> dict[int, str]:
    """Each index's last word — `done`, `failed`, `unknown` (sent, no reply) or `retry` (the
    user said it did not run) — from the entries whose lifecycle step `step` reads
    (`started`, `done`, `failed`, `resolved`): statements by their event, rollbacks by
    their phase. One reading for the executor, `modsl rollback` and `modsl log`."""
    state: dict[int, str] = {}
    for e in entries:
        match step(e):
            case "started":
                state[e["index"]] = "unknown"
            case "done":
                state[e["index"]] = "done"
            case "failed":
                state[e["index"]] = "unknown" if e.get("outcome") == "unknown" else "failed"
            case "resolved":
                state[e["index"]] = "done" if e.get("as") == "done" else "retry"
    return state


@dataclass
class Journal:
    """`DIR/<statements-sha256>.jsonl`, and what it says of each statement."""

    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def open(cls, directory: Path, sha: str) -> Journal:
        path = directory / f"{sha}.jsonl"
        entries: list[dict[str, Any]] = []
        try:
            lines = path.read_bytes().split(b"\n") if path.exists() else []
        except OSError as exc:
            raise JournalError(f"{path}: cannot read the journal: {exc.strerror or exc}") from None
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                try:
                    entry = json.loads(raw)
                except RecursionError:  # `[[[[...` thousands deep: no entry modsl wrote
                    raise _TooDeep("nested too deeply to be one") from None
                if not (isinstance(entry, dict) and entry.get("event") in _EVENTS):
                    raise ValueError("not a modsl journal entry")
                indexed = entry["event"] not in ("run", "checks")
                if indexed and not isinstance(entry.get("index"), int):
                    raise ValueError("no statement index")
            except ValueError as exc:
                torn = not isinstance(exc, _TooDeep) and (
                    number == len(lines) or (number == len(lines) - 1 and not lines[-1]))
                why = ("it was cut short (the run was killed while writing it)" if torn
                       else f"it is not a journal entry ({exc})")
                raise JournalError(
                    f"{path}:{number}: {why}. Check on the server what the statement before it "
                    "did, then remove that line (or move the journal aside to start over)"
                ) from None
            entries.append(entry)
        return cls(path, entries)

    def _state(self) -> dict[int, str]:
        """Each statement's last word: done, failed, unknown, retry."""
        return last_words(self.entries, lambda e: e["event"])

    @property
    def done(self) -> set[int]:
        return {i for i, s in self._state().items() if s == "done"}

    @property
    def unknown(self) -> list[int]:
        """Statements whose outcome nobody knows: they may or may not have run."""
        return sorted(i for i, s in self._state().items() if s == "unknown")

    @property
    def sent(self) -> set[int]:
        """Statements sent to the server (a `started` entry), whatever came of them."""
        return {e["index"] for e in self.entries if e["event"] == "started"}

    @property
    def rolled_back(self) -> set[int]:
        """Restores put back by a rollback."""
        return {e["index"] for e in self.entries if e["event"] == "rollback" and (
            e.get("phase") == "done" or (e.get("phase") == "resolved" and e.get("as") == "done"))}

    @property
    def rolling_back(self) -> bool:
        """A rollback began: the run is over, whatever else the journal says."""
        return any(e["event"] == "rollback" for e in self.entries)

    def moment_before(self, index: int) -> str | None:
        """The server's time read just before statement `index` first ran."""
        return next((e["before"] for e in self.entries if e["event"] == "started"
                     and e["index"] == index and isinstance(e.get("before"), str)), None)

    @property
    def plan(self) -> str | None:
        runs = [e for e in self.entries if e.get("event") == "run"]
        return runs[-1].get("plan") if runs else None

    def write(self, entry: dict[str, Any]) -> None:
        """Append `entry`, durable; on failure (a full disk) the file is cut back to what it
        held, so no half-written line is left to be read as a run killed mid-write."""
        created = not self.path.exists()
        size = 0 if created else self.path.stat().st_size
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.truncate(self.path, size)
            raise JournalError(f"{self.path}: cannot write the journal: "
                               f"{exc.strerror or exc}") from None
        if created:
            fsync_dir(self.path.parent)
        self.entries.append(entry)

    def archive(self) -> Path:
        """Move a completed journal aside, so the same plan can run again (a nightly job).
        The name never collides: a second archive in the same second gets a number."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        for n in range(1000):
            suffix = f".{n}" if n else ""
            target = self.path.with_name(f"{self.path.stem}.{stamp}{suffix}.jsonl")
            try:
                os.link(self.path, target)  # fails if `target` exists: never overwrites
            except FileExistsError:
                continue
            except OSError as exc:
                raise JournalError(f"{self.path}: cannot archive the journal: "
                                   f"{exc.strerror or exc}") from None
            self.path.unlink()
            fsync_dir(self.path.parent)
            self.entries = []
            return target
        raise JournalError(f"{self.path}: cannot find a free archive name")


@dataclass
class RunLock:
    """The locks a run holds (`locked`); the server's is taken once connected (`on_server`)."""

    key: str | None = None
    """The (server, plan) hash, when the run named its server: the host lock."""
    server_key: str | None = None
    """The (tenant, plan) hash: the server's lock, the same from any host spelling."""
    held: list[str] = field(default_factory=list)
    """What is held, for the journal and the docs' guarantees."""

    def on_server(self, connection: Connection, wait: float = 0.0) -> str:
        """Hold the plan's lock on the server too, for the connection's life (Locked when
        another connection holds it after `wait` seconds, see `locks.hold_on_server`; a
        server without user-level locks is said, not fatal)."""
        if self.server_key is None:
            return "no server lock (no server named)"
        said = locks.hold_on_server(connection, self.server_key, wait)
        self.held.append(said)
        return said


@contextmanager
def locked(journal: Journal, server: str | None = None,
           plan: str | None = None) -> Iterator[RunLock]:
    """Hold `DIR/<sha>.lock` for a whole run: a second run of the same statements is refused
    with the pid that holds it, instead of running everything twice. Given the server's
    identity and the plan's statements sha, also the host lock in the user's state directory
    (`modsl.runtime.locks`): the same plan run from another working directory, or with another
    `--journal`, on the same server is refused too. `RunLock.on_server` adds the server's
    own lock once connected (the only one another host sees)."""
    run_lock = (RunLock(locks.key(server, plan), locks.server_key(server, plan))
                if server and plan else RunLock())
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(locks.file_lock(journal.path.with_suffix(".lock"),
                                                "this plan is running"))
            run_lock.held.append(f"journal lock {journal.path.with_suffix('.lock')}")
            if run_lock.key is not None:
                host = locks.state_dir() / "locks" / f"{run_lock.key}.lock"
                stack.enter_context(locks.file_lock(
                    host, "this plan is running on this server, from another directory"))
                run_lock.held.append(f"host lock {host}")
            yield run_lock
    except locks.LockError as exc:
        raise JournalError(str(exc)) from None


@dataclass(frozen=True)
class Failure:
    step: Step
    code: int | None
    message: str
    unknown: bool = False
    """The statement may have run: the connection died, or it was aborted, before the reply."""


@dataclass(frozen=True)
class Undone:
    """One restore put back by a rollback (error None), or not (the server's message)."""

    step: Step
    sql: str
    error: str | None = None


@dataclass(frozen=True)
class Reverified:
    """A verify run again after the rollback, and what it saw."""

    step: Step
    observed: object
    passed: bool


@dataclass(frozen=True)
class RolledBack:
    """What a rollback on failure put back (`modsl.runtime.rollback` runs it; its result is
    part of the run's outcome, so it lives here and the executor never imports rollback)."""

    undone: list[Undone]
    reverified: list[Reverified]

    @property
    def ok(self) -> bool:
        return all(u.error is None for u in self.undone)


@dataclass(frozen=True)
class Outcome:
    ran: list[Step]
    skipped: list[Step]
    failure: Failure | None = None
    interrupted: bool = False
    remaining: list[Step] = field(default_factory=list)
    rolled_back: RolledBack | None = None
    """What a rollback on failure put back (None: none ran)."""


# Client-side errors after which nobody knows whether the statement ran (PyMySQL's codes for
# a connection lost or gone, and a read that timed out).
_LOST = {2006, 2013, 2055}


def error_parts(exc: BaseException) -> tuple[int | None, str, bool]:
    """(code, message, outcome unknown) from a DB-API error (PyMySQL puts them in `args`)."""
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):
        return args[0], str(args[1]), args[0] in _LOST
    if isinstance(exc, (OSError, TimeoutError, KeyboardInterrupt)):
        return None, str(exc) or type(exc).__name__, True
    return None, str(exc) or type(exc).__name__, False


_STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None),
                                  getattr(signal, "SIGHUP", None)) if s is not None)


class Stop:
    """Ctrl-C, SIGTERM and SIGHUP, as a run sees them: the first asks it to stop after the
    statement in flight; a second, while a statement runs, aborts it (its outcome unknown)."""

    def __init__(self, command: str = "modsl apply",
                 on_stopping: Callable[[str], None] | None = None) -> None:
        self.asked = False
        self.in_flight = False
        self.command = command
        """Who is stopping, for the message (`modsl apply`, `modsl run`)."""
        self.on_stopping = on_stopping
        """Told, in words, that a Ctrl-C will stop the run after the statement in flight
        (the command line prints it; the runtime never does)."""

    def handler(self, signum: int, frame: object) -> None:
        if self.asked and self.in_flight:
            raise KeyboardInterrupt("aborted while the statement ran")
        self.asked = True
        if signum == getattr(signal, "SIGINT", None) and self.in_flight \
                and self.on_stopping is not None:
            self.on_stopping(f"{self.command}: stopping after the statement in flight (press "
                             "Ctrl-C again to abort it; its outcome would then be unknown)")


@contextmanager
def stop_signals(command: str = "modsl apply",
                 on_stopping: Callable[[str], None] | None = None) -> Iterator[Stop]:
    stop = Stop(command, on_stopping)
    previous: dict[int, Any] = {}
    try:
        for sig in _STOP_SIGNALS:
            previous[sig] = signal.signal(sig, stop.handler)
    except ValueError:  # not the main thread: leave signals alone
        for sig, old in previous.items():
            signal.signal(sig, old)
        yield stop
        return
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def execute(steps: list[Step], connection: Connection, journal: Journal,
            on_step: Callable[[Step], None] | None = None,
            statement_timeout: float | None = None, prepare: Prepare | None = None,
            on_job: Callable[[Step, jobs.JobState], None] | None = None,
            poll: float = 2.0, command: str = "modsl apply",
            accounts: Mapping[str, Connection] | None = None,
            on_verify: Callable[[Step, object, bool], None] | None = None,
            on_stopping: Callable[[str], None] | None = None) -> Outcome:
    """Run every step the journal has not recorded as done, in order; stop at the first
    failure, at a stop signal, or when `on_step` raises BrokenPipeError (nobody is watching).
    Never opens a transaction: each statement commits on its own. A step that starts a job
    is done when its job finishes (polled every `poll` seconds, each state it reaches shown
    to `on_job`). The journal must hold no unknown outcome but a job's (the caller resolves
    the others first): a job whose statement may have been sent is found again, not resent.
    A verify `in account A` runs on `accounts[A]`, a connection logged into A; each verify's
    value is shown to `on_verify` once journaled, with whether it passed; `on_stopping` is
    told when a Ctrl-C will stop the run after the statement in flight."""
    by_index = {s.index: s for s in steps}
    missing = {s.account for s in steps if s.account is not None} - set(accounts or {})
    assert not missing, f"no connection for account(s) {sorted(missing)}"
    assert all(by_index[i].job is not None for i in journal.unknown if i in by_index), \
        "resolve unknown outcomes before running"
    unknown_jobs = set(journal.unknown)
    done = journal.done
    skipped = [s for s in steps if s.index in done]
    todo = [s for s in steps if s.index not in done]
    ran: list[Step] = []
    with stop_signals(command, on_stopping) as stop:
        for position, step in enumerate(todo):
            if not stop.asked and on_step is not None:
                try:
                    on_step(step)
                except BrokenPipeError:
                    stop.asked = True
            if stop.asked:
                return Outcome(ran, skipped, interrupted=True, remaining=todo[position:])
            if step.index in unknown_jobs and step.job is not None:
                sent: dict[str, Any] = next(
                    (e for e in reversed(journal.entries)
                     if e["event"] == "started" and e["index"] == step.index), {})
                job = jobs.filled(step.job, sent)
                attached = _reattach(step, job, connection, journal,
                                     sent_at=sent.get("at") if isinstance(sent.get("at"), str)
                                     else None)
                if isinstance(attached, Failure):
                    return Outcome(ran, skipped, attached, remaining=todo[position:])
                if attached is not None:
                    result = _await(step, job, connection, journal, stop, on_job, poll,
                                    now(), ())
                    if result is not None:
                        return Outcome(ran, skipped, result, remaining=todo[position:],
                                       interrupted=stop.asked and result.unknown)
                    ran.append(step)
                    continue
            started_entry = {"event": "started", "index": step.index, "sql": step.sql,
                             "file": step.file, "line": step.line, "at": now()}
            prepared = Prepared(step.sql)
            if prepare is not None:
                try:
                    prepared = prepare(step.sql, connection)
                except Exception as exc:  # nothing was sent: a known failure
                    code, message, _ = error_parts(exc)
                    _ended(journal, step, {"event": "failed", "index": step.index, "ended": now(),
                                   "error": {"code": code, "message": message}})
                    return Outcome(ran, skipped, Failure(step, code, message),
                                   remaining=todo[position:])
                started_entry.update(prepared.journal)
            if step.rollback is not None and BEFORE in step.rollback:
                try:
                    started_entry["before"] = server_moment(connection)
                except Exception as exc:  # nothing was sent: a known failure
                    code, message, _ = error_parts(exc)
                    message = (f"cannot read the server's time, which its rollback needs, "
                               f"before the restore: {message}")
                    _ended(journal, step, {"event": "failed", "index": step.index, "ended": now(),
                                   "error": {"code": code, "message": message}})
                    return Outcome(ran, skipped, Failure(step, code, message),
                                   remaining=todo[position:])
            on = connection
            if step.account is not None and accounts is not None:
                on = accounts[step.account]
                started_entry["account"] = step.account
            try:
                journal.write(started_entry)
            except JournalError as exc:  # nothing sent: a statement never runs unjournaled
                return Outcome(ran, skipped, Failure(step, None, f"not sent: {exc}"),
                               remaining=todo[position:])
            started = now()
            stop.in_flight = True
            try:
                cursor = on.cursor()
                try:
                    _with_timeout(on, statement_timeout)
                    if step.expect is None:
                        cursor.execute(prepared.sql)
                    else:  # a verify: inside a read-only transaction (modsl.runtime.readonly)
                        readonly.execute_verify(on, cursor, prepared.sql)
                    response: dict[str, Any] = {"rowcount": cursor.rowcount}
                    if step.expect is not None:
                        row = cursor.fetchone()
                        observed = row[0] if row else None
                        response = {"observed": _plain(observed), "expected": step.expect,
                                    "passed": satisfied(observed, step.expect)}
                finally:
                    with contextlib.suppress(Exception):
                        cursor.close()
            except (Exception, KeyboardInterrupt) as exc:  # journaled, reported, then stop
                stop.in_flight = False
                code, message, unknown = error_parts(exc)
                message = redact(message, prepared.secrets)
                if (step.job is not None and step.index in unknown_jobs and not unknown
                        and jobs.refused_as_sent(step.job, message)):
                    # Sent before after all (the killed run's statement landed since): the
                    # server refuses the label or the job's slot; the job is found, not resent.
                    job = jobs.filled(step.job, prepared.journal)
                    found = _reattach(step, job, connection, journal, resend=False)
                    if isinstance(found, jobs.JobState):
                        failed = _await(step, job, connection, journal, stop, on_job, poll,
                                        started, prepared.secrets)
                        if failed is None:
                            ran.append(step)
                            continue
                        return Outcome(ran, skipped, failed, remaining=todo[position:],
                                       interrupted=stop.asked and failed.unknown)
                entry = {"event": "failed", "index": step.index, "started": started,
                         "ended": now(), "error": {"code": code, "message": message}}
                if unknown:
                    entry["outcome"] = "unknown"
                _ended(journal, step, entry)
                return Outcome(ran, skipped, Failure(step, code, message, unknown),
                               interrupted=isinstance(exc, KeyboardInterrupt),
                               remaining=todo[position:])
            stop.in_flight = False
            if step.job is not None:
                failed = _await(step, jobs.filled(step.job, prepared.journal), connection,
                                journal, stop, on_job, poll, started, prepared.secrets)
                if failed is not None:
                    return Outcome(ran, skipped, failed, remaining=todo[position:],
                                   interrupted=stop.asked and failed.unknown)
                ran.append(step)
                continue
            if response.get("passed") is False:
                message = (f"verify failed: the first value is {response['observed']!r}, "
                           f"expected {step.expect}")
                _ended(journal, step, {"event": "failed", "index": step.index, "started": started,
                               "ended": now(), "response": response,
                               "error": {"code": None, "message": message}})
                _seen(on_verify, step, response)
                return Outcome(ran, skipped, Failure(step, None, message),
                               remaining=todo[position:])
            _ended(journal, step, {"event": "done", "index": step.index, "started": started,
                           "ended": now(), "response": response})
            _seen(on_verify, step, response)
            ran.append(step)
        return Outcome(ran, skipped, interrupted=False)


def _seen(on_verify: Callable[[Step, object, bool], None] | None, step: Step,
          response: dict[str, Any]) -> None:
    """A verify's value to whoever shows it (nobody reading is no reason to stop)."""
    if on_verify is not None and "passed" in response:
        with contextlib.suppress(BrokenPipeError):
            on_verify(step, response["observed"], bool(response["passed"]))


def _ended(journal: Journal, step: Step, entry: dict[str, Any]) -> None:
    """Journal a statement's end (`done`, `failed`). A journal that cannot take it (a full
    disk) must not pass for a kill: the message says what the server did, what the journal
    now says, and what to tell `--resume`."""
    try:
        journal.write(entry)
    except JournalError as exc:
        n = step.index + 1
        where = f"statement {n} ({step.file}:{step.line})"
        error = entry.get("error") or {}
        if "started" not in entry:
            did = f"{where} was not sent ({error.get('message')})"
            then = "it is not in the journal, so `--resume` runs it"
        elif entry.get("outcome") == "unknown":
            did = f"{where} may have run on the server (no reply: {error.get('message')})"
            then = (f"it is journaled as started, never ended: check on the server whether "
                    f"it took effect, then `--resume --mark-done {n}` or `--resume --retry {n}`")
        elif entry["event"] == "done":
            did = f"{where} RAN on the server and succeeded"
            then = (f"it is journaled as started, never ended, so `--resume` will call its "
                    f"outcome unknown: answer `--resume --mark-done {n}` (it took effect)")
        else:
            did = f"{where} ran on the server and failed ({error.get('message')})"
            then = (f"it is journaled as started, never ended: fix the cause, then "
                    f"`--resume --retry {n}` (it did not take effect)")
        raise JournalError(f"{did}, but the journal cannot record it: {exc}. The run stopped "
                           f"there: no later statement ran. In the journal {then}, once its "
                           "directory can be written again") from None


def redact(message: str, secrets: tuple[str, ...]) -> str:
    """`message` with every secret value blanked (a server may echo what it was sent)."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message


SETTLE = 10.0
"""Seconds after a killed run sent a job's statement during which "the server lists no job"
is read again before it is believed: the statement may still be on its way to being one."""


def _sent_ago(at: str | None) -> float | None:
    """Seconds since a journal's `at` stamp (this host's clock), None when unreadable."""
    if at is None:
        return None
    try:
        sent = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return (datetime.now(UTC) - sent).total_seconds()


def _reattach(step: Step, job: jobs.Job, connection: Connection, journal: Journal,
              resend: bool = True, sent_at: str | None = None
              ) -> jobs.JobState | Failure | None:
    """After a crash, the job of a statement that may have been sent, found by its label
    before anything is sent again: its state when the server lists it, whatever that state
    (any but finished or failed is a job still running: PENDING included, the state a job
    is listed in from the moment BACKUP returns, BackupHandler.backup), or finished when
    its result exists; None when the server has neither (send it: a killed run's BACKUP
    still in flight is then refused by the server, its label or its database's one job
    slot taken, and `execute` attaches to it); a Failure when nobody can tell. With
    `resend` False (the server just refused the statement as sent before), a job found
    neither way is a Failure, never None. A statement sent less than SETTLE seconds ago
    (`sent_at`) is read again until then before "no job" is believed."""
    try:
        while True:  # a statement sent moments ago may not be a listed job yet: wait for it
            state = jobs.read(job, connection)
            if state is None and jobs.finished_elsewhere(job, connection):
                state = jobs.JobState(job.finished, "", "", "")
            age = _sent_ago(sent_at)
            if state is not None or age is None or age >= SETTLE:
                break
            time.sleep(min(0.2, SETTLE - age))
    except Exception as exc:
        code, message, _ = error_parts(exc)
        return Failure(step, code, f"cannot read the state of its {job.kind} job: {message}",
                       unknown=True)
    if state is not None:
        journal.write({"event": "job", "index": step.index, "state": state.state,
                       "job_id": state.job_id, "attached": True, "at": now()})
        return state
    if job.finished_elsewhere is None or not resend:
        return Failure(step, None, f"the server lists no {job.kind} job for it, and cannot say "
                       "whether one ran and was replaced: check the data, then --mark-done "
                       "or --retry", unknown=True)
    journal.write({"event": "resolved", "index": step.index, "as": "retry", "at": now(),
                   "why": f"the server has no {job.kind} job for it, nor its result"})
    return None


def _await(step: Step, job: jobs.Job, connection: Connection, journal: Journal, stop: Stop,
           on_job: Callable[[Step, jobs.JobState], None] | None, poll: float, started: str,
           secrets: tuple[str, ...]) -> Failure | None:
    """Poll the job of a sent statement until it finishes (None) or fails (its Failure). A
    stop signal leaves it running on the server, its outcome unknown to the journal, so
    `--resume` re-attaches to it."""
    seen = ""
    while True:
        try:
            state = jobs.read(job, connection)
            if state is None and jobs.finished_elsewhere(job, connection):
                state = jobs.JobState(job.finished, "", "", "")
        except (Exception, KeyboardInterrupt) as exc:
            code, message, _ = error_parts(exc)
            message = f"the {job.kind} job was sent, but reading its state failed: {message}"
            _ended(journal, step, {"event": "failed", "index": step.index, "started": started,
                           "ended": now(), "outcome": "unknown",
                           "error": {"code": code, "message": redact(message, secrets)}})
            return Failure(step, code, message, unknown=True)
        if state is None:
            message = f"the server lists no {job.kind} job for the statement it accepted"
            _ended(journal, step, {"event": "failed", "index": step.index, "started": started,
                           "ended": now(), "outcome": "unknown",
                           "error": {"code": None, "message": message}})
            return Failure(step, None, message, unknown=True)
        if state.describe() != seen:
            seen = state.describe()
            journal.write({"event": "job", "index": step.index, "state": state.state,
                           "progress": state.progress, "job_id": state.job_id, "at": now()})
            if on_job is not None:
                with contextlib.suppress(BrokenPipeError):
                    on_job(step, state)
        if state.state == job.finished:
            _ended(journal, step, {"event": "done", "index": step.index, "started": started,
                           "ended": now(), "response": {"job": state.state,
                                                        "job_id": state.job_id}})
            return None
        if state.state == job.failed:
            message = redact(f"the {job.kind} job ended {state.state}: {state.message}",
                             secrets)
            _ended(journal, step, {"event": "failed", "index": step.index, "started": started,
                           "ended": now(), "error": {"code": None, "message": message}})
            return Failure(step, None, message)
        if stop.asked:
            message = (f"stopped while the {job.kind} job runs on the server ({state.state}); "
                       "--resume waits for it again")
            _ended(journal, step, {"event": "failed", "index": step.index, "started": started,
                           "ended": now(), "outcome": "unknown",
                           "error": {"code": None, "message": message}})
            return Failure(step, None, message, unknown=True)
        time.sleep(poll)


def server_moment(connection: Connection) -> str:
    """The server's time now, to the microsecond, as a restore timestamp (`SELECT now(6)`)."""
    cursor = connection.cursor()
    try:
        cursor.execute("SELECT now(6)")
        row = cursor.fetchone()
    finally:
        with contextlib.suppress(Exception):
            cursor.close()
    value = row[0] if row else None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)
    if not _MOMENT.fullmatch(text):  # it goes into SQL: only a timestamp may
        raise ValueError(f"the server's time reads {text!r}, not a timestamp")
    return text


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")


def satisfied(observed: object, expect: str) -> bool:
    """Whether a verify's first value meets `OP VALUE`: numbers compare as numbers, strings
    as text; no value (no row, NULL) never does."""
    from modsl.compiler.sqlfile import parse_expectation

    op, value = parse_expectation(expect)
    if observed is None:
        return False
    if isinstance(value, int):
        try:
            return _compare(op, Decimal(str(observed)), Decimal(value))
        except InvalidOperation:
            return False
    raw = observed.decode("utf-8", "replace") if isinstance(observed, bytes) else observed
    return _compare(op, str(raw), value)


def _compare(op: str, left: Any, right: Any) -> bool:
    """`left OP right` for two Decimals or two strings."""
    match op:
        case ">=":
            return bool(left >= right)
        case ">":
            return bool(left > right)
        case "<=":
            return bool(left <= right)
        case "<":
            return bool(left < right)
        case _:
            return bool(left == right)


def _plain(value: object) -> object:
    """A value the journal's JSON can hold."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _with_timeout(connection: Any, seconds: float | None) -> None:
    """Bound the wait for this statement's reply (PyMySQL reads `_read_timeout` per read)."""
    if hasattr(connection, "_read_timeout"):
        connection._read_timeout = seconds


def resolve(journal: Journal, index: int, *, done: bool) -> None:
    """The user's word on an unknown outcome: it ran (`done`), or it did not (retry it)."""
    if index not in journal.unknown:
        raise JournalError(f"statement {index + 1} has no unknown outcome in {journal.path}")
    journal.write({"event": "resolved", "index": index, "as": "done" if done else "retry",
                   "at": now()})

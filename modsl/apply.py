"""The executor: run reviewed statements one at a time on a DB-API connection, journaling each
as it completes, and stop at the first failure.

Independent of the compiler and of any driver: it takes `Step`s and a connection. The journal
(one JSON-lines file per statements-sha256) is flushed and fsynced after every entry, before
the next statement starts, so an interrupted run can be resumed without running anything twice.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Step:
    """One statement to run, and the plan line it came from."""

    index: int
    sql: str
    file: str
    line: int


class Connection(Protocol):
    def cursor(self) -> Any: ...


def now() -> str:
    """UTC, to the millisecond."""
    ns = time.time_ns()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9))
    return f"{stamp}.{ns % 10**9 // 10**6:03d}Z"


@dataclass
class Journal:
    """`DIR/<statements-sha256>.jsonl`: a `run` header, then a `done` or `failed` entry per
    statement run."""

    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def open(cls, directory: Path, sha: str) -> Journal:
        path = directory / f"{sha}.jsonl"
        entries = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entries.append(json.loads(line))
        return cls(path, entries)

    @property
    def done(self) -> set[int]:
        return {e["index"] for e in self.entries if e.get("event") == "done"}

    @property
    def plan(self) -> str | None:
        runs = [e for e in self.entries if e.get("event") == "run"]
        return runs[-1].get("plan") if runs else None

    def write(self, entry: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.entries.append(entry)

    def archive(self) -> Path:
        """Move a completed journal aside, so the same plan can run again (a nightly job)."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        target = self.path.with_name(f"{self.path.stem}.{stamp}.jsonl")
        self.path.rename(target)
        self.entries = []
        return target


@dataclass(frozen=True)
class Failure:
    step: Step
    code: int | None
    message: str


@dataclass(frozen=True)
class Outcome:
    ran: list[Step]
    skipped: list[Step]
    failure: Failure | None = None
    interrupted: bool = False
    remaining: list[Step] = field(default_factory=list)


def error_parts(exc: BaseException) -> tuple[int | None, str]:
    """(code, message) from a DB-API error (PyMySQL puts them in `args`)."""
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):
        return args[0], str(args[1])
    return None, str(exc) or type(exc).__name__


@contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C sets a flag instead of raising: the statement in flight finishes and is
    journaled, then the run stops. Yields a function telling whether Ctrl-C was pressed."""
    pressed = {"yes": False}

    def handler(signum: int, frame: object) -> None:
        pressed["yes"] = True

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave Ctrl-C alone
        yield lambda: False
        return
    try:
        yield lambda: pressed["yes"]
    finally:
        signal.signal(signal.SIGINT, previous)


def execute(steps: list[Step], connection: Connection, journal: Journal,
            on_step: Callable[[Step], None] | None = None) -> Outcome:
    """Run every step the journal has not recorded as done, in order; stop at the first
    failure or at Ctrl-C. Never opens a transaction: each statement commits on its own."""
    done = journal.done
    skipped = [s for s in steps if s.index in done]
    todo = [s for s in steps if s.index not in done]
    ran: list[Step] = []
    with deferred_interrupt() as interrupted:
        for position, step in enumerate(todo):
            if interrupted():
                return Outcome(ran, skipped, interrupted=True, remaining=todo[position:])
            if on_step is not None:
                on_step(step)
            started = now()
            cursor = connection.cursor()
            try:
                cursor.execute(step.sql)
                response = {"rowcount": cursor.rowcount}
            except Exception as exc:  # the driver's error: journaled, reported, then stop
                code, message = error_parts(exc)
                journal.write({"event": "failed", "index": step.index, "sql": step.sql,
                               "file": step.file, "line": step.line, "started": started,
                               "ended": now(), "error": {"code": code, "message": message}})
                return Outcome(ran, skipped, Failure(step, code, message),
                               remaining=todo[position:])
            finally:
                cursor.close()
            journal.write({"event": "done", "index": step.index, "sql": step.sql,
                           "file": step.file, "line": step.line, "started": started,
                           "ended": now(), "response": response})
            ran.append(step)
        return Outcome(ran, skipped, interrupted=False)

"""Rollback: put back, newest first, what a run restored (`rollback on failure`, and
`modsl rollback` from a journal).

Each restore of a plan with `rollback on failure` carries its rollback statement, reviewed
with the plan: a restore of the same object from the undo the checker chose. A rollback
from a PITR restores to the moment just before the restore ran, which the executor read from
the server (`SELECT now(6)`) and journaled in the restore's `started` entry. Rolling back is
journaled like the run (`rollback` entries, started then done or failed), and is safe to
repeat: restoring an object from the same undo twice leaves it as once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from modsl.executor import Connection, Journal, Step, error_parts, now, satisfied
from modsl.sqlfile import BEFORE


@dataclass(frozen=True)
class Undone:
    """One restore put back (error None), or not (the server's message)."""

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
    undone: list[Undone]
    reverified: list[Reverified]

    @property
    def ok(self) -> bool:
        return all(u.error is None for u in self.undone)


def pending(steps: list[Step], journal: Journal) -> list[Step]:
    """The restores to put back, newest first: every one the run sent to the server and not
    put back yet. One that failed is included: 4.x runs a restore in one transaction
    (`doRestoreSnapshot`: "restore as a txn"), earlier releases did not, and putting back the
    moment before is right whether or not it changed anything."""
    ran = journal.sent
    back = journal.rolled_back
    return [s for s in reversed(steps) if s.rollback and s.index in ran and s.index not in back]


def statement(step: Step, journal: Journal) -> str:
    """The rollback SQL of `step`, with the journaled moment before it ran filled in;
    ValueError when a PITR rollback has no moment (the restore never journaled one)."""
    assert step.rollback is not None
    if BEFORE not in step.rollback:
        return step.rollback
    moment = journal.moment_before(step.index)
    if moment is None:
        raise ValueError(f"the journal has no server time from before statement "
                         f"{step.index + 1} ran, so the moment to restore to is unknown")
    return step.rollback.replace(BEFORE, f"'{moment}'")


def roll_back(steps: list[Step], connection: Connection, journal: Journal,
              on_undo: Callable[[Step, str], None] | None = None) -> list[Undone]:
    """Run every pending rollback, newest first, journaling each. One that fails does not
    stop the others: each puts back its own object from its own undo."""
    undone = []
    for step in pending(steps, journal):
        try:
            sql = statement(step, journal)
        except ValueError as exc:
            undone.append(Undone(step, step.rollback or "", str(exc)))
            continue
        if on_undo is not None:
            on_undo(step, sql)
        journal.write({"event": "rollback", "index": step.index, "phase": "started",
                       "sql": sql, "at": now()})
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql)
            finally:
                cursor.close()
        except Exception as exc:
            code, message, _ = error_parts(exc)
            journal.write({"event": "rollback", "index": step.index, "phase": "failed",
                           "at": now(), "error": {"code": code, "message": message}})
            undone.append(Undone(step, sql, message))
            continue
        journal.write({"event": "rollback", "index": step.index, "phase": "done", "at": now()})
        undone.append(Undone(step, sql))
    return undone


def reverify(steps: list[Step], before: int, connection: Connection,
             journal: Journal) -> list[Reverified]:
    """`--reverify`: the verifies before statement `before` again, on the rolled-back data."""
    seen = []
    for step in steps:
        if step.index >= before or step.expect is None:
            continue
        observed: Any = None
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(step.sql)
                row = cursor.fetchone()
                observed = row[0] if row else None
            finally:
                cursor.close()
            passed = satisfied(observed, step.expect)
        except Exception as exc:
            observed, passed = f"error: {error_parts(exc)[1]}", False
        journal.write({"event": "reverify", "index": step.index, "observed": str(observed),
                       "expected": step.expect, "passed": passed, "at": now()})
        seen.append(Reverified(step, observed, passed))
    return seen

"""Rollback: put back, newest first, what a run restored (`rollback on failure`, and
`modsl rollback` from a journal).

Each restore of a plan with `rollback on failure` carries its rollback statement, reviewed
with the plan: a restore of the same object from the undo the checker chose. A rollback
from a PITR restores to the moment just before the restore ran, which the executor read from
the server (`SELECT now(6)`) and journaled in the restore's `started` entry.

Rolling back is journaled like the run: a `rollback` entry with phase `started` is fsynced
before the rollback's RESTORE is sent, then `done` or `failed`. A rollback whose end was never
written (the process was killed, the connection lost before the reply) has an unknown
outcome, and is never sent again without the user's word (`resolve`: `modsl rollback
--mark-done N` or `--retry N`): the server cannot say whether a restore ran (a restore leaves
no record of itself, and the killed client's restore may still be running on the server),
so nothing here guesses. A rollback that failed with the server's answer did not run (4.x
restores in one transaction) and is sent again by the next `modsl rollback`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from modsl.checker.placeholders import BEFORE
from modsl.runtime.executor import (
    Connection,
    Journal,
    JournalError,
    Reverified,
    Step,
    Undone,
    error_parts,
    last_words,
    now,
    satisfied,
)


def states(journal: Journal) -> dict[int, str]:
    """Each restore's rollback, by the journal's last word: `done`, `failed` (the server
    refused it: send it again), `unknown` (sent, no reply), or `retry` (the user said it did
    not run)."""
    return last_words(journal.entries,
                      lambda e: e.get("phase") if e["event"] == "rollback" else None)


def pending(steps: list[Step], journal: Journal) -> list[Step]:
    """The restores to put back, newest first: every one the run sent to the server and not
    put back yet, unknown ones included (see `unknown`). One that failed is included: 4.x runs
    a restore in one transaction (`doRestoreSnapshot`: "restore as a txn"), earlier releases
    did not, and putting back the moment before is right whether or not it changed anything."""
    ran = journal.sent
    back = {i for i, state in states(journal).items() if state == "done"}
    return [s for s in reversed(steps) if s.rollback and s.index in ran and s.index not in back]


def unknown(steps: list[Step], journal: Journal) -> list[Step]:
    """The pending restores whose rollback was sent with no reply: not sent again until the
    user says what happened (`resolve`)."""
    said = states(journal)
    return [s for s in pending(steps, journal) if said.get(s.index) == "unknown"]


def resolve(steps: list[Step], journal: Journal, number: int, *, done: bool) -> None:
    """The user's word on the rollback of statement `number` (1-based, as printed): it took
    effect (`done`), or it did not (`retry`: send it again)."""
    if number not in {s.index + 1 for s in unknown(steps, journal)}:
        raise JournalError(f"statement {number} has no rollback with an unknown outcome in "
                           f"{journal.path}")
    journal.write({"event": "rollback", "index": number - 1, "phase": "resolved",
                   "as": "done" if done else "retry", "at": now()})


UNKNOWN = ("its outcome is unknown: it was sent, and no reply came; check the data it "
           "restores, then say with --mark-done or --retry")


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
    """Run every pending rollback, newest first, journaling each before it is sent. One that
    fails does not stop the others: each puts back its own object from its own undo. One whose
    outcome is unknown is not sent (Undone with the reason): the user says first."""
    undone = []
    held = {s.index for s in unknown(steps, journal)}
    for step in pending(steps, journal):
        if step.index in held:
            undone.append(Undone(step, step.rollback or "", UNKNOWN))
            continue
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
        except (Exception, KeyboardInterrupt) as exc:
            code, message, lost = error_parts(exc)
            entry = {"event": "rollback", "index": step.index, "phase": "failed", "at": now(),
                     "error": {"code": code, "message": message}}
            if lost:
                entry["outcome"] = "unknown"
                message = f"{message} ({UNKNOWN})"
            journal.write(entry)
            undone.append(Undone(step, sql, message))
            if isinstance(exc, KeyboardInterrupt):
                break
            continue
        journal.write({"event": "rollback", "index": step.index, "phase": "done", "at": now()})
        undone.append(Undone(step, sql))
    return undone


def reverify(steps: list[Step], before: int, connection: Connection,
             journal: Journal, accounts: Mapping[str, Connection] | None = None
             ) -> list[Reverified]:
    """`--reverify`: the verifies before statement `before` again, on the rolled-back data,
    each where it first ran (its account's login) and read-only as it first ran."""
    from modsl.runtime import readonly

    seen = []
    for step in steps:
        if step.index >= before or step.expect is None:
            continue
        observed: Any = None
        on = connection if step.account is None else (accounts or {})[step.account]
        try:
            cursor = on.cursor()
            try:
                readonly.execute_verify(on, cursor, step.sql)
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

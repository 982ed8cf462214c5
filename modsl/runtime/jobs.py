"""Statements that start a job on the server and return at once (StarRocks' BACKUP and
RESTORE): how the executor finds the job again, and reads its state.

Engine-neutral: the engine says, from a statement's SQL, which SHOW lists its job and how to
recognise its row (`Engine.job`). The executor polls it until a finished or failed state,
journals each state it sees, and after a crash re-attaches to the job instead of sending the
statement a second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Job:
    """How to watch the job one statement starts."""

    kind: str
    """`backup` or `restore`, for messages."""
    show: str
    """The read that lists the job (`SHOW BACKUP FROM `db``)."""
    match: tuple[tuple[str, str], ...]
    """(column, value) pairs that pick the job's row (lower-case column names)."""
    finished: str = "FINISHED"
    failed: str = "CANCELLED"
    finished_elsewhere: str | None = None
    """A read that lists a row once the job's result exists (a backup's snapshot in its
    repository): how a job no longer listed is known to have finished."""


def filled(job: Job, values: dict[str, Any]) -> Job:
    """`job` with each `{key}` value (a placeholder of its statement) read from `values`,
    what the statement was sent with (`Prepared.journal`, kept in its `started` entry)."""
    match = tuple((column, str(values.get(value[1:-1], value))
                   if value.startswith("{") and value.endswith("}") else value)
                  for column, value in job.match)
    return replace(job, match=match)


@dataclass(frozen=True)
class JobState:
    state: str
    progress: str
    message: str
    job_id: str

    def describe(self) -> str:
        progress = f" {self.progress}" if self.progress else ""
        return f"{self.state}{progress}"


def read(job: Job, connection: Any) -> JobState | None:
    """The job's row as the server lists it now, or None when it lists none."""
    names, rows = _query(connection, job.show)
    for row in rows:
        values = {n: "" if v is None else _text(v) for n, v in zip(names, row, strict=False)}
        if all(values.get(column) == value for column, value in job.match):
            return JobState(values.get("state", "").upper(), values.get("progress", ""),
                            values.get("status", ""), values.get("jobid", ""))
    return None


# What StarRocks answers a BACKUP or RESTORE that was submitted already (STARROCKS.md §7.1):
# S7 while its job runs (the database's one job slot is taken), S10 once a backup finished
# (its label is in the repository); and the generic wordings of other engines.
_SENT_BEFORE = ("can only run one backup or restore job of a database at same time",
                "already exist in repository", "label already used", "already exists")


def refused_as_sent(job: Job, message: str) -> bool:
    """Whether the server refused a job's statement because it was submitted before (its
    label, or its database's job slot, is taken): the caller looks for the job by its label
    instead of reporting a failure, and never sends it again."""
    lowered = message.lower()
    return any(words in lowered for words in _SENT_BEFORE)


def finished_elsewhere(job: Job, connection: Any) -> bool:
    if job.finished_elsewhere is None:
        return False
    _, rows = _query(connection, job.finished_elsewhere)
    return bool(rows)


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _query(connection: Any, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        names = [str(d[0]).lower() for d in cursor.description or ()]
        return names, list(cursor.fetchall())
    finally:
        cursor.close()


JobOf = Callable[[str], Job | None]
"""An engine's `job`: the job a statement's SQL starts, or None."""

"""What a MatrixOne stand-in server holds: accounts with their databases and rows, snapshots,
PITRs, a clock tests can set, and the history a PITR restore reads.

Written from MatrixOne's behaviour (docs/standin.md), never from modsl's checker. Data is
plain Python: a table is its column names and a list of rows; a snapshot keeps a deep copy of
what it covers; every change of data records the state of every account at that moment, so a
PITR restore can return the data as of any timestamp it still reaches.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Rows = list[tuple[object, ...]]
SYSTEM_DATABASES = ("mysql", "system", "system_metrics", "mo_task", "mo_debug",
                    "information_schema", "mo_catalog")


@dataclass
class Table:
    columns: list[str]
    rows: Rows = field(default_factory=list)


Databases = dict[str, dict[str, Table]]


@dataclass
class Account:
    name: str
    admin: str
    password: str
    databases: Databases = field(default_factory=dict)


@dataclass
class Snapshot:
    name: str
    level: str  # cluster, account, database, table
    account: str  # "" for cluster snapshots (MatrixOne stores no account name for them)
    database: str
    table: str
    taken: datetime
    creator: str
    data: dict[str, Databases]
    """The accounts it covers (all of them for a cluster snapshot), as they were."""


@dataclass
class Pitr:
    name: str
    level: str
    account: str
    database: str
    table: str
    length: int
    unit: str
    created: datetime
    modified: datetime
    creator: str


class Clock:
    """The server's wall clock (its `time.Local`): real time, set (stopped) by tests, or
    started at a moment from which it runs at real speed (a drill: the moments a run reads
    before each restore must precede the restore, as on a real server)."""

    def __init__(self, at: datetime | None = None) -> None:
        self.fixed = at
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now() + self.offset

    def set(self, at: datetime) -> None:
        self.fixed = at

    def run_from(self, at: datetime) -> None:
        self.fixed, self.offset = None, at - datetime.now()

    def advance(self, delta: timedelta) -> None:
        if self.fixed is None:
            self.offset += delta
        else:
            self.fixed += delta


class World:
    """One stand-in cluster. Every method is called under `lock`: sessions run in threads."""

    def __init__(self, version: str = "4.2.0", clock: Clock | None = None) -> None:
        self.version = version
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {"sys": Account("sys", "root", "")}
        self.snapshots: dict[tuple[str, str], Snapshot] = {}  # (creator, name)
        self.pitrs: dict[tuple[str, str], Pitr] = {}
        self.history: list[tuple[datetime, dict[str, Databases]]] = []
        self.record()

    @property
    def family(self) -> tuple[int, int]:
        major, minor = (int(p) for p in self.version.split(".")[:2])
        return major, minor

    def data(self) -> dict[str, Databases]:
        return {name: a.databases for name, a in self.accounts.items()}

    def record(self) -> None:
        """Remember every account's data as of now (after a change), for PITR restores."""
        self.history.append((self.clock.now(), copy.deepcopy(self.data())))

    def as_of(self, moment: datetime) -> dict[str, Databases]:
        """Every account's data as it was at `moment`."""
        state = self.history[0][1]
        for at, recorded in self.history:
            if at <= moment:
                state = recorded
        return copy.deepcopy(state)

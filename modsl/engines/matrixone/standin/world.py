"""What a MatrixOne stand-in server holds: accounts with their databases and rows, snapshots,
PITRs, and the history a PITR restore reads (the rows themselves are in the shared `Store`).

Written from MatrixOne's behaviour (docs/standin.md), never from modsl's checker. A snapshot
keeps the image of what it covers, and every change of data records the images of that
moment, so a PITR restore can return the data as of any timestamp it still reaches.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from modsl.standin.store import Account, Clock, Image

SYSTEM_DATABASES = ("mysql", "system", "system_metrics", "mo_task", "mo_debug",
                    "information_schema", "mo_catalog")


@dataclass
class Snapshot:
    name: str
    level: str  # cluster, account, database, table
    account: str  # "" for cluster snapshots (MatrixOne stores no account name for them)
    database: str
    table: str
    taken: datetime
    creator: str
    data: dict[str, Image]
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


class World:
    """One stand-in cluster. Every method is called under `lock`: sessions run in threads."""

    def __init__(self, version: str = "4.2.0", clock: Clock | None = None) -> None:
        self.version = version
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {"sys": Account("sys", "root", "")}
        self.snapshots: dict[tuple[str, str], Snapshot] = {}  # (creator, name)
        self.pitrs: dict[tuple[str, str], Pitr] = {}
        self.history: list[tuple[datetime, dict[str, Image]]] = []
        self.record()

    @property
    def family(self) -> tuple[int, int]:
        major, minor = (int(p) for p in self.version.split(".")[:2])
        return major, minor

    def data(self) -> dict[str, Image]:
        return {name: a.store.image() for name, a in self.accounts.items()}

    def record(self, changed: str | None = None) -> None:
        """Remember every account's data as of now (after a change), for PITR restores;
        with `changed`, only that account changed and the others' images are reused."""
        if changed is None or not self.history:
            state = self.data()
        else:
            state = {name: image for name, image in self.history[-1][1].items()
                     if name in self.accounts}
            state[changed] = self.accounts[changed].store.image()
        self.history.append((self.clock.now(), state))

    def as_of(self, moment: datetime) -> dict[str, Image]:
        """Every account's data as it was at `moment`."""
        state = self.history[0][1]
        for at, recorded in self.history:
            if at <= moment:
                state = recorded
        return dict(state)

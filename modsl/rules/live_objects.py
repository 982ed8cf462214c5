"""MB608: every account, database and table a line snapshots or protects exists on the server
when that line runs — read before anything runs, as snapshot.go and pitr.go look them up.

Lint cannot know (a plan need not declare every object: MB417 catches only near misses), and
the server refuses a missing one only when the line runs (`account acc_1 does not exist`), in
the middle of a run. So the live checks read what exists — `SHOW ACCOUNTS` (sys), `SHOW
DATABASES`, `SHOW TABLES FROM d` in the login's account — and walk the plan: a restore earlier
in the plan brings objects back (a database or table restore its object; an account or cluster
restore whatever its snapshot held, which is not read: such objects are left unchecked).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modsl import ast
from modsl.live import Check, Unreadable, query
from modsl.rules.state import resolve
from modsl.targets.matrixone import ident

SYS = "sys"
Lines = ast.CreateSnapshot | ast.CreatePitr | ast.ScheduledSnapshot


class Catalog:
    """What the server holds, read on first need, and what the plan's restores bring back."""

    def __init__(self, connection: Any, own: str) -> None:
        self.connection = connection
        self.own = own
        self._accounts: set[str] | None = None
        self._databases: set[str] | None = None
        self._tables: dict[str, set[str]] = {}
        self.unknown_accounts: set[str] = set()
        """Accounts whose content a restore in the plan replaced with a snapshot's."""
        self.restored: set[tuple[str, ...]] = set()

    def accounts(self) -> set[str]:
        if self._accounts is None:
            self._accounts = {str(r[0]).lower() for r in query(
                self.connection, "SHOW ACCOUNTS")[1]}
        return self._accounts

    def databases(self) -> set[str]:
        if self._databases is None:
            self._databases = {str(r[0]).lower() for r in query(
                self.connection, "SHOW DATABASES")[1]}
        return self._databases

    def tables(self, database: str) -> set[str]:
        if database not in self._tables:
            self._tables[database] = {str(r[0]).lower() for r in query(
                self.connection, f"SHOW TABLES FROM {ident(database)}")[1]}
        return self._tables[database]

    def restore(self, st: ast.Restore) -> None:
        """What a restore line leaves on the server for the lines after it."""
        match st.scope.level:
            case ast.Level.CLUSTER:
                self.unknown_accounts.add("*")
            case ast.Level.ACCOUNT:
                into = st.to_account.key if st.to_account else None
                source = st.scope.account.key if st.scope.account else self.own
                self.unknown_accounts.add(into or source)
            case _:
                key = resolve(st.scope, self.own)
                into = st.to_account.key if st.to_account else key[0]
                self.restored.add((into, *key[1:]))


def missing(catalog: Catalog, st: Lines) -> Iterator[Check]:
    """MB608 for one line: a failed check for the first object it names that is not there
    (what the server would answer), a passed one when all are."""
    line = st.span.line
    key = resolve(st.scope, catalog.own)
    level = st.scope.level
    if level is ast.Level.CLUSTER:
        return
    what = {1: "account", 2: "database", 3: "table"}[len(key)]
    shown = ".".join(key[1:]) if len(key) > 1 else key[0]
    if catalog.unknown_accounts & {"*", key[0]} or (
            len(key) == 3 and key[:2] in catalog.restored and key not in catalog.restored):
        yield Check("MB608", True, f"{what} `{shown}` is left unchecked: a restore above puts "
                    "back what its snapshot held, which is not read", line)
        return
    try:
        if level is ast.Level.ACCOUNT:
            if key[0] != catalog.own and catalog.own == SYS and key[0] not in catalog.accounts():
                yield _absent(f"account `{key[0]}`", f"account {key[0]} does not exist", line)
                return
        elif key[:2] not in catalog.restored and key not in catalog.restored:
            database = key[1]
            if database not in catalog.databases():
                yield _absent(f"database `{database}`", f"database {database} does not exist",
                              line)
                return
            if len(key) == 3 and key[2] not in catalog.tables(database):
                yield _absent(f"table `{database}.{key[2]}`",
                              f"table {database}.{key[2]} does not exist", line)
                return
    except Unreadable as exc:
        yield Check("MB608", True, f"{what} `{shown}` is left unchecked: the server did not "
                    f"answer ({exc})", line)
        return
    yield Check("MB608", True, f"{what} `{shown}` exists", line)


def _absent(what: str, server_says: str, line: int) -> Check:
    return Check("MB608", False, f"{what} is not on the server at this line: the server would "
                 f"say `internal error: {server_says}`", line)

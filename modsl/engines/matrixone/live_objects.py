"""MB608: every account, database and table a line snapshots or protects exists on the server
when that line runs — read before anything runs, as snapshot.go and pitr.go look them up —
and so does what a `verify rows|table|database` reads; MB609: a tenant's snapshot quota.

Lint cannot know (a plan need not declare every object: MB417 catches only near misses), and
the server refuses a missing one only when the line runs (`account acc_1 does not exist`), in
the middle of a run. So the live checks read what exists — `SHOW ACCOUNTS` (sys), `SHOW
DATABASES`, `SHOW TABLES FROM d` in the login's account — and walk the plan: a restore earlier
in the plan brings objects back (a database or table restore its object; an account or cluster
restore whatever its snapshot held, which is not read: such objects are left unchecked), and a
clone creates its target.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modsl.checker.state import clone_target, resolve
from modsl.checker.suppress import ignores
from modsl.engines.matrixone.quoting import ident
from modsl.language import ast
from modsl.runtime.live import Check, LiveObject, Unreadable, query

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

    def clone(self, st: ast.Clone) -> None:
        """A clone creates its target (`CREATE DATABASE|TABLE … CLONE`)."""
        if st.into.database is not None:
            self.restored.add(clone_target(st, self.own))

    def brought(self, key: tuple[str, ...]) -> bool | None:
        """Whether a line above puts `key` (account, database[, table]) on the server: True
        (a restore or clone of it, or of the table of a database key: a table restore creates
        its database), None (a restore above put back what a snapshot held, which is not read),
        False (nothing above touches it)."""
        if self.unknown_accounts & {"*", key[0]}:
            return None
        if key in self.restored or (len(key) == 2 and any(
                k[:2] == key for k in self.restored)):
            return True
        return None if key[:2] in self.restored else False


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
    brought = catalog.brought(key)
    if brought is None:
        yield _unread(what, shown, line)
        return
    try:
        if level is ast.Level.ACCOUNT:
            if key[0] != catalog.own and catalog.own == SYS and key[0] not in catalog.accounts():
                yield _absent(f"account `{key[0]}`", f"account {key[0]} does not exist", line)
                return
        elif not brought:
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


def _unread(what: str, shown: str, line: int) -> Check:
    return Check("MB608", True, f"{what} `{shown}` is left unchecked: a restore above puts "
                 "back what its snapshot held, which is not read", line)


def read(catalog: Catalog, st: ast.Verify) -> Iterator[Check]:
    """MB608 for a `verify rows|table|database`: what it reads is on the server when it runs.
    A verify that tests existence (`… exists`) is refused only when nothing above could
    bring the object (a restore of it, its database or its account) and the server lacks it;
    one `in account A` of another account than the login's is not read (its catalog is A's)."""
    if st.database is None or st.kind is ast.VerifyKind.QUERY:
        return
    line = st.span.line
    account = st.account.key if st.account is not None else catalog.own
    database = st.database.key
    key = (account, database) + ((st.table.key,) if st.table is not None else ())
    what = "table" if len(key) == 3 else "database"
    shown = ".".join(key[1:])
    if account != catalog.own:
        yield Check("MB608", True, f"{what} `{shown}` in account `{account}` is left unchecked: "
                    f"the verify reads there, and the login (in `{catalog.own}`) does not see "
                    "that account's catalog", line)
        return
    brought = catalog.brought(key)
    if brought is None:
        yield _unread(what, shown, line)
        return
    if brought:
        yield Check("MB608", True, f"{what} `{shown}` is put there by a line above", line)
        return
    try:
        lacks = (f"database `{database}`" if database not in catalog.databases() else
                 f"table `{shown}`" if len(key) == 3 and key[2] not in catalog.tables(database)
                 else None)
    except Unreadable as exc:
        yield Check("MB608", True, f"{what} `{shown}` is left unchecked: the server did not "
                    f"answer ({exc})", line)
        return
    if lacks is None:
        yield Check("MB608", True, f"{what} `{shown}` exists", line)
        return
    if st.kind is ast.VerifyKind.ROWS:
        says = (f"Unknown database {database}" if lacks.startswith("database")
                else f"no such table {shown}")
        outcome = f"the verify would fail with `{says}`"
    else:
        outcome = "the verify would read 0 and fail"
    yield Check("MB608", False, f"{lacks} is not on the server, and no line above restores it: "
                f"{outcome}, after the steps before it ran", line)


def over_quota(st: ast.CreateSnapshot, snapshots: dict[str, LiveObject], quota: int,
               own: str) -> Check:
    """MB609: `checkSnapshotQuota` (feature_limit.go, 4.x), first in `doCreateSnapshot`, before
    `IF NOT EXISTS` looks at the name: a tenant's create at a level is refused when the
    account's snapshots at that level (`SHOW SNAPSHOTS`, and those the plan made above and
    has not dropped) are already the quota. An `ignore[MB503]` on the line says the operator
    raised the account's quota (which a tenant cannot read): it is left unchecked."""
    level = st.scope.level.value
    line = st.span.line
    if "MB503" in ignores(st.comment):
        return Check("MB609", True, f"the {level}-level snapshot quota is left unchecked: the "
                     "line's `ignore[MB503]` says the account's quota was raised", line)
    held = sum(1 for s in snapshots.values() if s.level == level)
    if held + 1 > quota:
        return Check("MB609", False, f"account `{own}` already has {held} {level}-level "
                     f"snapshots (SHOW SNAPSHOTS, less and plus the plan's drops and creates "
                     f"above): the server says "
                     f"`internal error: feature SNAPSHOT with scope {level} has reached the "
                     f"limit of {quota}`" + (" (`if not exists` does not help: the quota is "
                                             "checked first)" if st.if_not_exists else ""), line)
    return Check("MB609", True, f"account `{own}` has {held} {level}-level snapshot"
                 f"{'' if held == 1 else 's'}: one more is within the quota of {quota}", line)

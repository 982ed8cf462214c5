"""What every stand-in holds, whatever engine it plays: an account's databases and rows, a
clock tests can set, and the server's error.

An account's data lives in one in-memory SQLite database (`Store`), so ordinary SQL runs on a
real engine; its state at a moment is an `Image`, the bytes `sqlite3.Connection.serialize()`
gives, which an engine's personality keeps for its snapshots, backups and history.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Rows = list[tuple[object, ...]]
Image = bytes
"""One account's databases and rows, as `Store.image()` gives them."""
_META = "mo_standin_databases"
"""The store's own table of database names (an empty database has no table to show it)."""
_DDL = re.compile(r'CREATE TABLE\s+(?:"(?:[^"]|"")*"|\S+)\s*(.*)\Z', re.S | re.I)


@dataclass
class Table:
    """A table as a value: what a StarRocks backup image holds, what the catalog reads
    build, what a restore copies. `definition` is SQLite's column list (types, keys), empty
    for a table of untyped columns."""

    columns: list[str]
    rows: Rows = field(default_factory=list)
    definition: str = ""


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def internal(database: str, table: str) -> str:
    """The SQLite name of the server's `database.table` in its account's store."""
    return f"{database}.{table}"


class Store:
    """One account's databases: database `d`'s table `t` is the SQLite table "d.t", and the
    databases are the rows of a table of the store's own, so an image holds both."""

    def __init__(self, image: Image | None = None) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        if image is not None:
            self.db.deserialize(image)
        else:
            self.db.execute(f"CREATE TABLE {_META} (name TEXT PRIMARY KEY)")

    def image(self) -> Image:
        return self.db.serialize()

    def databases(self) -> list[str]:
        return [r[0] for r in self.db.execute(f"SELECT name FROM {_META} ORDER BY name")]

    def has(self, database: str) -> bool:
        return self.db.execute(f"SELECT 1 FROM {_META} WHERE name = ?",
                               (database,)).fetchone() is not None

    def tables(self, database: str) -> list[str]:
        """The tables of `database`; a name "d.t" belongs to the longest database `d` that
        prefixes it, so databases whose names hold dots stay apart."""
        names = self.databases()
        found = []
        for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            owners = [d for d in names if name.startswith(d + ".")]
            if owners and max(owners, key=len) == database:
                found.append(name[len(database) + 1:])
        return sorted(found)

    def has_table(self, database: str, table: str) -> bool:
        return self.has(database) and self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (internal(database, table),)).fetchone() is not None

    def create_database(self, database: str) -> None:
        self.db.execute(f"INSERT OR IGNORE INTO {_META} VALUES (?)", (database,))

    def drop_database(self, database: str) -> None:
        for table in self.tables(database):
            self.drop_table(database, table)
        self.db.execute(f"DELETE FROM {_META} WHERE name = ?", (database,))

    def drop_table(self, database: str, table: str) -> None:
        self.db.execute(f"DROP TABLE IF EXISTS {quote(internal(database, table))}")

    def read(self, database: str, table: str) -> Table:
        name = quote(internal(database, table))
        cursor = self.db.execute(f"SELECT * FROM {name}")
        rows = [tuple(r) for r in cursor.fetchall()]
        sql = self.db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (internal(database, table),)).fetchone()[0]
        found = _DDL.match(sql)
        return Table([d[0] for d in cursor.description], rows, found.group(1) if found else "")

    def write(self, database: str, table: str, value: Table) -> None:
        """`value` as `database.table`, replacing what was there (the database made too)."""
        self.create_database(database)
        self.drop_table(database, table)
        name = quote(internal(database, table))
        definition = value.definition or "(" + ", ".join(quote(c) for c in value.columns) + ")"
        self.db.execute(f"CREATE TABLE {name} {definition}")
        if value.rows:
            marks = ", ".join("?" for _ in value.columns)
            self.db.executemany(f"INSERT INTO {name} VALUES ({marks})", value.rows)

    def copy_from(self, source: Store, database: str, table: str = "") -> None:
        """`database` (or its one `table`) dropped and recreated as `source` holds it."""
        if not table:
            self.drop_database(database)
            self.create_database(database)
            for name in source.tables(database):
                self.write(database, name, source.read(database, name))
        else:
            self.write(database, table, source.read(database, table))


class TablesView(MutableMapping[str, Table]):
    """A database's tables as a mapping of values (for code that moves whole tables)."""

    def __init__(self, store: Store, database: str) -> None:
        self.store, self.database = store, database

    def __getitem__(self, table: str) -> Table:
        if not self.store.has_table(self.database, table):
            raise KeyError(table)
        return self.store.read(self.database, table)

    def __setitem__(self, table: str, value: Table) -> None:
        self.store.write(self.database, table, value)

    def __delitem__(self, table: str) -> None:
        if not self.store.has_table(self.database, table):
            raise KeyError(table)
        self.store.drop_table(self.database, table)

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.tables(self.database))

    def __len__(self) -> int:
        return len(self.store.tables(self.database))


class Databases(MutableMapping[str, MutableMapping[str, Table]]):
    """An account's databases as a mapping: `setdefault(d, {})` creates `d`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, database: str) -> TablesView:
        if not self.store.has(database):
            raise KeyError(database)
        return TablesView(self.store, database)

    def __setitem__(self, database: str, tables: Mapping[str, Table]) -> None:
        self.store.drop_database(database)
        self.store.create_database(database)
        for name, value in tables.items():
            self.store.write(database, name, value)

    def __delitem__(self, database: str) -> None:
        if not self.store.has(database):
            raise KeyError(database)
        self.store.drop_database(database)

    def __iter__(self) -> Iterator[str]:
        return iter(self.store.databases())

    def __len__(self) -> int:
        return len(self.store.databases())


@dataclass
class Account:
    name: str
    admin: str
    password: str
    store: Store = field(default_factory=Store)
    users: dict[str, str] = field(default_factory=dict)
    """Users made by CREATE USER inside the account, with their passwords (the admin is not
    one of them); they log in as `account:user`."""

    @property
    def databases(self) -> Databases:
        return Databases(self.store)


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


INTERNAL = 20101
"""The code of an error the server words as an internal one ("internal error: ...")."""


class ServerError(Exception):
    """What the stand-in answers instead of a result: a MySQL error code and its text."""

    def __init__(self, message: str, code: int = INTERNAL) -> None:
        super().__init__(message)
        self.code = code
        self.message = f"internal error: {message}" if code == INTERNAL else message

"""Plain SQL on a stand-in account, run by SQLite: databases, tables and rows, so a drill's
seed can write what an incident does (`DELETE ... WHERE`, `UPDATE`, `INSERT ... SELECT`) and a
test can read it back with joins and aggregates.

A statement arrives parsed (MySQL's grammar, as sqlglot reads it); its tables are checked and
renamed to the account's store ("db.t", `store.internal`), and sqlglot writes it as SQLite.
Databases and tables are created and dropped here, not by SQLite, so the texts are the
server's (`Unknown database %s` 1049, `no such table %s.%s` 1146, ...), not SQLite's.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

from sqlglot import exp

from modsl.standin.store import Account, ServerError, Store, Table, internal

Result = tuple[list[tuple[object, ...]], list[str]]


def _db(node: exp.Expr | None, current: str | None) -> str:
    name = node.name.lower() if node is not None and node.name else (current or "")
    if not name:
        raise ServerError("No database selected", 1046)
    return name


def _need_db(store: Store, db: str) -> None:
    if not store.has(db):
        raise ServerError(f"Unknown database {db}", 1049)


def _rename(t: exp.Table, db: str, alias: bool = True) -> None:
    """`t` as the store names it, still answering to its own name in the statement."""
    name = t.name.lower()
    renamed = exp.Table(this=exp.to_identifier(internal(db, name), quoted=True))
    if alias:
        renamed.set("alias", t.args.get("alias") or exp.TableAlias(
            this=exp.to_identifier(name)))
    t.replace(renamed)


def _resolve(store: Store, e: exp.Expr, current: str | None, skip: exp.Table | None = None,
             ) -> None:
    """Every table `e` reads or writes must exist; each is renamed for the store."""
    ctes = {c.alias_or_name.lower() for c in e.find_all(exp.CTE)}
    for t in list(e.find_all(exp.Table)):
        if t is skip or (not t.args.get("db") and t.name.lower() in ctes):
            continue
        db = _db(t.args.get("db"), current)
        _need_db(store, db)
        if not store.has_table(db, t.name.lower()):
            raise ServerError(f"no such table {db}.{t.name.lower()}", 1146)
        _rename(t, db)
    for column in e.find_all(exp.Column):
        if column.args.get("db"):  # `db.t.c`: `t` is the table's alias now
            column.set("db", None)
    for call in list(e.find_all(exp.Anonymous, exp.CurrentTimestamp)):
        if isinstance(call, exp.CurrentTimestamp) or call.name.lower() in ("now", "sysdate"):
            call.replace(exp.Literal.string(_NOW))  # replaced per statement by `run`


_NOW = "\x00now\x00"


def information_schema(account: Account) -> Store:
    """`information_schema.schemata` and `tables` for the account's own databases (the
    columns a verify reads; MySQL's names)."""
    schemata = Table(["catalog_name", "schema_name"])
    tables = Table(["table_catalog", "table_schema", "table_name", "table_type"])
    for db in account.store.databases():
        schemata.rows.append(("def", db))
        for name in account.store.tables(db):
            tables.rows.append(("def", db, name, "BASE TABLE"))
    store = Store()
    store.write("information_schema", "schemata", schemata)
    store.write("information_schema", "tables", tables)
    return store


def run(account: Account, e: exp.Expr, current: str | None, now: datetime | None = None,
        ) -> Result | None:
    """Run `e`; a result set for a query, None for a statement that changed data (the
    caller records history)."""
    store = account.store
    if isinstance(e, exp.Create):
        _create(store, e, current)
        return None
    if isinstance(e, exp.Drop):
        _drop(store, e, current)
        return None
    if isinstance(e, exp.TruncateTable):
        for t in e.expressions:
            _resolve(store, t, current)
            store.db.execute(f"DELETE FROM {t.sql(dialect='sqlite')}")
        return None
    if isinstance(e, (exp.Insert, exp.Update, exp.Delete, exp.Select, exp.Union)):
        _resolve(store, e, current)
        if isinstance(e, exp.Insert):  # the target keeps no alias: INSERT INTO "d.t" (...)
            target = e.this.this if isinstance(e.this, exp.Schema) else e.this
            target.set("alias", None)
        moment = (now or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
        sql = e.sql(dialect="sqlite").replace(_NOW, moment)
        rows, columns = _execute(store, sql)
        return (rows, columns) if isinstance(e, (exp.Select, exp.Union)) else None
    raise ServerError(f"the stand-in does not run {type(e).__name__} statements", 1235)


def evaluate(e: exp.Expr) -> Result:
    """A SELECT of no table (`select 1 + 1`): SQLite evaluates it."""
    return _execute(Store(), e.sql(dialect="sqlite"))


def _create(store: Store, e: exp.Create, current: str | None) -> None:
    kind = e.args.get("kind", "").upper()
    exists = bool(e.args.get("exists"))
    if kind in ("DATABASE", "SCHEMA"):
        name = e.this.name.lower()
        if store.has(name) and not exists:
            raise ServerError(f"database {name} already exists", 1007)
        store.create_database(name)
        return None
    if kind != "TABLE":
        raise ServerError(f"the stand-in does not run CREATE {kind}", 1235)
    schema = e.this
    t = schema.this if isinstance(schema, exp.Schema) else schema
    db, name = _db(t.args.get("db"), current), t.name.lower()
    _need_db(store, db)
    if store.has_table(db, name):
        if exists:
            return None
        raise ServerError(f"table {name} already exists", 1050)
    e.set("exists", False)
    _resolve(store, e, current, skip=t)
    _rename(t, db, alias=False)
    _execute(store, e.sql(dialect="sqlite"))
    return None


def _drop(store: Store, e: exp.Drop, current: str | None) -> None:
    kind = e.args.get("kind", "").upper()
    exists = bool(e.args.get("exists"))
    if kind in ("DATABASE", "SCHEMA"):
        name = (e.args.get("tables") or [e.this])[0].name.lower()
        if not store.has(name) and not exists:
            raise ServerError(f"Can't drop database '{name}'; database doesn't exist", 1008)
        store.drop_database(name)
        return None
    if kind != "TABLE":
        raise ServerError(f"the stand-in does not run DROP {kind}", 1235)
    for t in e.args.get("tables") or [e.this]:
        db, name = _db(t.args.get("db"), current), t.name.lower()
        if not store.has_table(db, name):
            if exists:
                continue
            _need_db(store, db)
            raise ServerError(f"no such table {db}.{name}", 1146)
        store.drop_table(db, name)
    return None


_NO_COLUMN = re.compile(r"no such column: (?:[^.]+\.)?(.+)\Z")


def _execute(store: Store, sql: str) -> Result:
    """SQLite runs `sql`; what it refuses is said as the server would, where it has a text."""
    try:
        cursor = store.db.execute(sql)
        rows = [tuple(r) for r in cursor.fetchall()]
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc):
            raise ServerError(f"Duplicate entry for key ({exc})", 1062) from None
        raise ServerError(f"constraint failed: {exc}", 1105) from None
    except sqlite3.Error as exc:
        missing = _NO_COLUMN.match(str(exc))
        if missing:
            raise ServerError(f"invalid input: column {missing.group(1)} does not exist",
                              1105) from None
        raise ServerError(f"the stand-in cannot run this: {exc}", 1105) from None
    columns = [d[0] for d in cursor.description or ()]
    return rows, columns

"""Plain SQL on a stand-in account: databases, tables and rows, enough for tests and drills to
create data, change it, and read it back (SELECTs run by sqlglot's Python executor)."""

from __future__ import annotations

from datetime import datetime

from sqlglot import exp
from sqlglot.executor import execute

from modsl.standin.backup import ServerError
from modsl.standin.world import Account, Databases, Table, World

Result = tuple[list[tuple[object, ...]], list[str]]


def _db(account: Account, node: exp.Expr | None, current: str | None) -> str:
    name = node.name.lower() if node is not None and node.name else (current or "")
    if not name:
        raise ServerError("No database selected", 1046)
    return name


def _table(account: Account, t: exp.Table, current: str | None, create: bool = False) -> Table:
    db = _db(account, t.args.get("db"), current)
    tables = account.databases.get(db)
    if tables is None:
        raise ServerError(f"Unknown database '{db}'", 1049)
    table = tables.get(t.name.lower())
    if table is None:
        raise ServerError(f"Table '{db}.{t.name.lower()}' doesn't exist", 1146)
    return table


def catalog(world: World, own: str) -> Databases:
    """`mo_catalog.mo_snapshots` and `mo_pitr` as tables (`predefined.go`'s columns): sys
    sees every row, a tenant what it created."""
    def ns(moment: datetime) -> int:
        return int(moment.timestamp() * 1_000_000_000)

    ids = {name: index for index, name in enumerate(world.accounts)}
    snapshots = Table(["sname", "ts", "level", "account_name", "database_name", "table_name",
                       "obj_id", "kind"])
    for (creator, _), s in world.snapshots.items():
        if own == "sys" or creator == own:
            snapshots.rows.append((s.name, ns(s.taken), s.level, s.account, s.database,
                                   s.table, ids.get(s.account, 0), "user"))
    pitrs = Table(["pitr_name", "create_account", "create_time", "modified_time", "level",
                   "account_id", "account_name", "database_name", "table_name", "pitr_length",
                   "pitr_unit", "pitr_status"])
    for (creator, _), p in world.pitrs.items():
        if own == "sys" or creator == own:
            pitrs.rows.append((p.name, ids.get(p.creator, 0), ns(p.created), ns(p.modified),
                               p.level, ids.get(p.account, 0), p.account, p.database, p.table,
                               p.length, p.unit, 1))
    return {"mo_catalog": {"mo_snapshots": snapshots, "mo_pitr": pitrs}}


def information_schema(account: Account) -> Databases:
    """`information_schema.schemata` and `tables` for the account's own databases (the
    columns a verify reads; MySQL's names, as MatrixOne keeps them)."""
    schemata = Table(["catalog_name", "schema_name"])
    tables = Table(["table_catalog", "table_schema", "table_name", "table_type"])
    for db, content in sorted(account.databases.items()):
        schemata.rows.append(("def", db))
        for name in sorted(content):
            tables.rows.append(("def", db, name, "BASE TABLE"))
    return {"information_schema": {"schemata": schemata, "tables": tables}}


def run(account: Account, e: exp.Expr, current: str | None) -> Result | None:
    """Run `e`; a result set for a query, None for a statement (changed data: the caller
    records history)."""
    if isinstance(e, exp.Create):
        kind = e.args.get("kind", "").upper()
        exists = bool(e.args.get("exists"))
        if kind in ("DATABASE", "SCHEMA"):
            name = e.this.name.lower()
            if name in account.databases and not exists:
                raise ServerError(f"Can't create database '{name}'; database exists", 1007)
            account.databases.setdefault(name, {})
            return None
        if kind == "TABLE":
            schema = e.this
            t = schema.this if isinstance(schema, exp.Schema) else schema
            db = _db(account, t.args.get("db"), current)
            if db not in account.databases:
                raise ServerError(f"Unknown database '{db}'", 1049)
            columns = [c.name.lower() for c in schema.expressions] \
                if isinstance(schema, exp.Schema) else []
            if t.name.lower() in account.databases[db] and not exists:
                raise ServerError(f"Table '{t.name.lower()}' already exists", 1050)
            account.databases[db].setdefault(t.name.lower(), Table(columns))
            return None
    if isinstance(e, exp.Drop):
        kind = e.args.get("kind", "").upper()
        exists = bool(e.args.get("exists"))
        dropped = (e.args.get("tables") or [e.this])[0]
        if kind in ("DATABASE", "SCHEMA"):
            name = dropped.name.lower()
            if name not in account.databases and not exists:
                raise ServerError(f"Can't drop database '{name}'; database doesn't exist", 1008)
            account.databases.pop(name, None)
            return None
        if kind == "TABLE":
            t = dropped
            db = _db(account, t.args.get("db"), current)
            if t.name.lower() not in account.databases.get(db, {}) and not exists:
                raise ServerError(f"Unknown table '{db}.{t.name.lower()}'", 1051)
            account.databases.get(db, {}).pop(t.name.lower(), None)
            return None
    if isinstance(e, exp.Insert):
        target = e.this
        t = target.this if isinstance(target, exp.Schema) else target
        table = _table(account, t, current)
        values = e.expression
        if not isinstance(values, exp.Values):
            raise ServerError("the stand-in inserts VALUES only", 1235)
        for row in values.expressions:
            table.rows.append(tuple(v.to_py() if isinstance(v, exp.Literal) else None
                                    for v in row.expressions))
        return None
    if isinstance(e, exp.Delete):
        table = _table(account, e.this, current)
        if e.args.get("where") is not None:
            raise ServerError("the stand-in deletes whole tables only", 1235)
        table.rows.clear()
        return None
    if isinstance(e, exp.Select):
        return _select(account, e, current)
    raise ServerError(f"the stand-in does not run {type(e).__name__} statements", 1235)


def _select(account: Account, e: exp.Select, current: str | None) -> Result:
    tables: dict[str, dict[str, list[dict[str, object]]]] = {}
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for t in e.find_all(exp.Table):
        table = _table(account, t, current)
        db = _db(account, t.args.get("db"), current)
        tables.setdefault(db, {})[t.name.lower()] = [dict(zip(table.columns, row, strict=True))
                                                     for row in table.rows]
        schema.setdefault(db, {})[t.name.lower()] = {c: "TEXT" for c in table.columns}
        if not t.args.get("db"):
            t.set("db", exp.to_identifier(db))
    result = execute(e, schema=schema or None, dialect="mysql", tables=tables or None)
    return [tuple(r) for r in result.rows], list(result.columns)

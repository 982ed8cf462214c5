"""The stand-in's MatrixOne personality on the wire: MatrixOne's logins (`account:user`, a
tenant's admin and password), its account and user statements, snapshot reads, CLONE, the
backup statements (`backup`), `mo_catalog` and the processlist, and plain SQL on the account's
databases (`modsl.standin.data`). The shell (`modsl.standin.server`) runs it.

Logins are MatrixOne's: `account:user` or `account#user` (a plain user is in sys). A tenant's
login must name its admin and password (`CREATE ACCOUNT ... ADMIN_NAME ... IDENTIFIED BY`); sys
takes any password.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlglot
from mysql_mimic.auth import AbstractClearPasswordAuthPlugin, IdentityProvider, User
from sqlglot import exp

import modsl.engines.matrixone.dialect  # registers the matrixone dialect  # noqa: F401
from modsl.engines.matrixone import expressions as mo
from modsl.engines.matrixone.standin import backup, clone
from modsl.engines.matrixone.standin.world import World
from modsl.standin import data
from modsl.standin.server import Faults, Session
from modsl.standin.store import Account, Clock, ServerError, Store, Table

_CREATE_ACCOUNT = re.compile(
    r"\s*create\s+account\s+(?:if\s+not\s+exists\s+)?`?([0-9a-z_-]+)`?\s+admin_name\s+"
    r"['\"]?([^'\"\s]+)['\"]?\s+identified\s+by\s+['\"]([^'\"]*)['\"]\s*;?\s*\Z", re.I)

# A user inside the login's account (authenticate.go: "the user %s exists", "there is no
# user %s"); it logs in as `account:user`. The stand-in keeps no roles or privileges.
_CREATE_USER = re.compile(r"\s*create\s+user\s+(if\s+not\s+exists\s+)?`?([\w.-]+)`?\s+"
                          r"identified\s+by\s+'([^']*)'\s*;?\s*\Z", re.I)
_DROP_USER = re.compile(r"\s*drop\s+user\s+(if\s+exists\s+)?`?([\w.-]+)`?\s*;?\s*\Z", re.I)
_PROCESSLIST = ["node_id", "conn_id", "session_id", "account", "user", "host", "db",
                "session_start", "command", "info", "txn_id", "statement_id", "statement_type",
                "query_type", "sql_source_type", "query_start", "client_host", "role",
                "proxy_host"]
"""information_schema.processlist's columns (sysview/predefined.go's PROCESSLIST view)."""
_SHOW_ACCOUNTS = re.compile(r"\s*show\s+accounts\s*;?\s*\Z", re.I)
# A snapshot read, as snapshot.go's own `showDatabases`/`showTables` make them.
_SHOW_AS_OF = re.compile(r"\s*show\s+(databases|tables\s+from\s+`?([^`\s]+)`?)\s*"
                         r"\{\s*snapshot\s*=\s*'([^']*)'\s*\}\s*;?\s*\Z", re.I)



def account_of(login: str) -> tuple[str, str]:
    """(account, user) of a MatrixOne login: `acc:user`, `acc#user`, or a sys user."""
    for sep in (":", "#"):
        if sep in login:
            account, user = login.split(sep, 1)
            return account.lower(), user.split(sep, 1)[0]
    return "sys", login


class _Passwords(AbstractClearPasswordAuthPlugin):  # type: ignore[misc]
    name = "mysql_clear_password"

    def __init__(self, world: Callable[[], World]) -> None:
        self.world = world

    async def check(self, username: str, password: str) -> str | None:
        account, user = account_of(username)
        world = self.world()
        with world.lock:
            known = world.accounts.get(account)
            if known is None:
                return None
            if account == "sys" or (user == known.admin and password == known.password):
                return username
            if known.users.get(user) == password:
                return username
        return None


class _Identities(IdentityProvider):  # type: ignore[misc]
    def __init__(self, world: Callable[[], World]) -> None:
        self.plugin = _Passwords(world)

    def get_plugins(self) -> list[Any]:
        return [self.plugin]

    async def get_user(self, username: str) -> Any:
        return User(name=username, auth_plugin=self.plugin.name)


class MatrixOneSession(Session):
    """A MatrixOne connection: GET_LOCK from 4.1 on (func_unary.go's GetLock/ReleaseLock)."""

    dialect = "matrixone"
    world: World

    def __init__(self, world: World, faults: Faults,
                 sessions: dict[int, Session] | None = None) -> None:
        super().__init__(world, faults, sessions)
        self.variables.set("version", f"8.0.30-MatrixOne-v{world.version}", force=True)

    def user_locks(self) -> bool:
        return tuple(map(int, re.findall(r"\d+", self.world.version)[:2])) >= (4, 1)

    @property
    def account(self) -> str:
        return account_of(self.username or "")[0]

    def answer(self, sql: str) -> Any:
        created = _CREATE_ACCOUNT.match(sql)
        if created:
            return self._create_account(*created.groups())
        user = _CREATE_USER.match(sql)
        if user:
            return self._create_user(bool(user.group(1)), user.group(2).lower(), user.group(3))
        dropped = _DROP_USER.match(sql)
        if dropped:
            return self._drop_user(bool(dropped.group(1)), dropped.group(2).lower())
        if _SHOW_ACCOUNTS.match(sql):  # sqlglot reads it only as an opaque Command, noisily
            return self._show("ACCOUNTS")
        as_of = _SHOW_AS_OF.match(sql)
        if as_of:
            return self._show_as_of(as_of.group(3), as_of.group(2))
        cloned = clone.STATEMENT.match(sql)
        if cloned:
            clone.run(self.world, self.account, self.database, cloned)
            return [], []
        try:
            statements = [s for s in sqlglot.parse(sql, read="matrixone") if s is not None]
        except sqlglot.errors.SqlglotError as exc:
            raise ServerError(f"SQL parser error: {exc}", backup.SYNTAX) from None
        result: Any = ([], [])
        for e in statements:
            result = self._statement(e)
        return result

    def _statement(self, e: exp.Expr) -> Any:
        world, own = self.world, self.account
        if isinstance(e, exp.Set):
            return [], []
        if isinstance(e, exp.Transaction):
            self.in_transaction = True
            return [], []
        if isinstance(e, (exp.Commit, exp.Rollback)):
            self.in_transaction = False
            return [], []
        if isinstance(e, exp.Use):
            self.database = e.this.name.lower()
            return [], []
        if isinstance(e, mo.SHOWS):
            return self._show_backup(e)
        if isinstance(e, mo.PLAN_STEPS):
            if self.in_transaction:
                raise ServerError("unclassified statement appears in uncommitted "
                                         "transaction")
            backup.run(world, own, e)
            return [], []
        if isinstance(e, exp.Show):
            db = e.args.get("db")
            rows, columns = self._show(str(e.this).upper(),
                                       db.name.lower() if db is not None else None)
            like = e.args.get("like")
            if like is not None:  # SHOW DATABASES|TABLES LIKE 'pattern'
                rows = [r for r in rows if _like(like.name, str(r[0]))]
            return rows, columns
        if isinstance(e, exp.Select) and not e.find(exp.Table):
            return self._select_functions(e)
        with world.lock:
            account = world.accounts.get(own)
            if account is None:
                raise ServerError(f"account {own} does not exist")
            if isinstance(e, exp.Select) and any(
                    t.db.lower() == "mo_catalog" for t in e.find_all(exp.Table)):
                reader = Account(own, "", "", catalog(world, own))
                return data.run(reader, e, self.database)
            if isinstance(e, exp.Select) and any(
                    t.db.lower() == "information_schema" for t in e.find_all(exp.Table)):
                schema = data.information_schema(account)
                schema.write("information_schema", "processlist", self._processlist())
                reader = Account(own, "", "", schema)
                return data.run(reader, e, self.database)
            before = account.store.db.total_changes
            result = data.run(account, e, self.database, world.clock.now())
            if result is None:
                if isinstance(e, (exp.Insert, exp.Update, exp.Delete)):
                    self.affected = account.store.db.total_changes - before
                world.record(own)
                return [], []
            return result

    def _create_account(self, name: str, admin: str, password: str) -> Any:
        if self.account != "sys":
            raise ServerError("do not have privilege to execute the statement")
        with self.world.lock:
            if name.lower() in self.world.accounts:
                raise ServerError(f"the tenant {name.lower()} exists")
            self.world.accounts[name.lower()] = Account(name.lower(), admin, password)
            self.world.record(name.lower())
        return [], []

    def _create_user(self, exists_ok: bool, name: str, password: str) -> Any:
        with self.world.lock:
            account = self.world.accounts[self.account]
            if name in account.users or name == account.admin:
                if exists_ok:
                    return [], []
                raise ServerError(f"the user {name} exists")
            account.users[name] = password
        return [], []

    def _drop_user(self, missing_ok: bool, name: str) -> Any:
        with self.world.lock:
            account = self.world.accounts[self.account]
            if name not in account.users:
                if missing_ok:
                    return [], []
                raise ServerError(f"there is no user {name}")
            del account.users[name]
        return [], []

    def _processlist(self) -> Table:
        """The sessions a login may see (sys all of them, a tenant its own account's:
        cnservice's processList), each with the statement it runs; the columns the stand-in
        knows nothing of are empty."""
        table = Table(list(_PROCESSLIST))
        for conn_id, session in list(self.sessions.items()):
            account, user = account_of(session.username or "")
            if self.account != "sys" and account != self.account:
                continue
            known = {"conn_id": conn_id, "account": account, "user": user,
                     "host": "127.0.0.1", "db": session.database or "",
                     "session_start": session.started.strftime("%Y-%m-%d %H:%M:%S"),
                     "info": session.info or ""}
            table.rows.append(tuple(known.get(column, "") for column in _PROCESSLIST))
        return table

    def _select_functions(self, e: exp.Select) -> Any:
        values: list[object] = []
        names: list[str] = []
        for projection in e.expressions:
            text = projection.sql(dialect="mysql").lower()
            if text in ("current_account_name()", "current_account()"):
                values.append(self.account)
            elif text == "version()":
                values.append(f"8.0.30-MatrixOne-v{self.world.version}")
            elif text in ("now()", "now(6)", "current_timestamp()", "current_timestamp"):
                values.append(self.world.clock.now().strftime("%Y-%m-%d %H:%M:%S.%f"))
            else:
                values.append(data.evaluate(exp.select(projection))[0][0][0])
            names.append(projection.alias_or_name or text)
        return [tuple(values)], names

    def _show(self, what: str, database: str | None = None) -> Any:
        world, own = self.world, self.account
        with world.lock:
            if what == "DATABASES":
                names = sorted(world.accounts[own].databases)
                return [(n,) for n in names], ["Database"]
            if what == "ACCOUNTS":
                if own != "sys":
                    raise ServerError("do not have privilege to execute the statement")
                return [(a.name, a.admin) for a in world.accounts.values()], [
                    "account_name", "admin_name"]
            database = database or self.database
            if what == "TABLES" and database:
                store = world.accounts[own].store
                if not store.has(database):
                    raise ServerError(f"Unknown database {database}", 1049)
                return [(t,) for t in store.tables(database)], [f"Tables_in_{database}"]
        raise ServerError(f"the stand-in does not answer SHOW {what}", 1235)

    def _show_as_of(self, snapshot: str, database: str | None) -> Any:
        """`SHOW DATABASES|TABLES FROM d {SNAPSHOT = 's'}`: the login's account as the
        snapshot holds it."""
        world, own = self.world, self.account
        with world.lock:
            taken = world.snapshots.get((own, snapshot.lower()))
            if taken is None:
                raise ServerError(f"snapshot {snapshot.lower()} does not exist")
            # Read in the account the snapshot was taken of (clone.go's `snapshot.Tenant`).
            image = taken.data.get(taken.account or own)
            store = Store(image) if image is not None else Store()
            if database is None:
                return [(n,) for n in store.databases()], ["Database"]
            if not store.has(database.lower()):
                raise ServerError(f"Unknown database {database.lower()}", 1049)
            return [(n,) for n in store.tables(database.lower())], [
                f"Tables_in_{database.lower()}"]

    def _show_backup(self, e: exp.Expr) -> Any:
        world, own = self.world, self.account
        with world.lock:
            rows: list[tuple[object, ...]]
            if isinstance(e, mo.ShowSnapshots):
                rows = [(s.name, s.taken.strftime("%Y-%m-%d %H:%M:%S.%f"), s.level, s.account,
                         s.database, s.table)
                        for (creator, _), s in world.snapshots.items() if creator == own]
                rows.sort(key=lambda r: str(r[1]), reverse=True)  # newest first
                return rows, ["SNAPSHOT_NAME", "TIMESTAMP", "SNAPSHOT_LEVEL", "ACCOUNT_NAME",
                              "DATABASE_NAME", "TABLE_NAME"]
            if isinstance(e, mo.ShowPitr):
                rows = [(p.name, p.created.strftime("%Y-%m-%d %H:%M:%S"),
                         p.modified.strftime("%Y-%m-%d %H:%M:%S"), p.level, p.account or "*",
                         p.database or "*", p.table or "*", p.length, p.unit)
                        for (creator, name), p in world.pitrs.items()
                        if creator == own and name != backup.SYS_PITR]  # build_show.go:1013
                return rows, ["PITR_NAME", "CREATED_TIME", "MODIFIED_TIME", "PITR_LEVEL",
                              "ACCOUNT_NAME", "DATABASE_NAME", "TABLE_NAME", "PITR_LENGTH",
                              "PITR_UNIT"]
        raise ServerError("the stand-in does not answer SHOW RECOVERY_WINDOW", 1235)


def _like(pattern: str, name: str) -> bool:
    """SQL's LIKE: `%` any run, `_` one character, `\\` escapes; case-insensitive."""
    parts = re.findall(r"\\.|%|_|[^\\%_]+", pattern)
    regex = "".join(".*" if p == "%" else "." if p == "_" else re.escape(p[-1] if
                    p.startswith("\\") else p) for p in parts)
    return re.fullmatch(regex, name, re.I | re.S) is not None


def catalog(world: World, own: str) -> Store:
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
    store = Store()
    store.write("mo_catalog", "mo_snapshots", snapshots)
    store.write("mo_catalog", "mo_pitr", pitrs)
    return store


class MatrixOnePersonality:
    """The MatrixOne personality (`ENGINE.standin()`)."""

    tls = True  # MatrixOne's enableTls

    def world(self, version: str, clock: Clock | None) -> World:
        return World(version, clock)

    def session(self, world: Any, faults: Faults, sessions: dict[int, Session]) -> Session:
        return MatrixOneSession(world, faults, sessions)

    def identities(self, world: Callable[[], Any]) -> IdentityProvider:
        return _Identities(world)

    def banner(self, version: str, port: int) -> str:
        return (f"a MatrixOne {version} stand-in on 127.0.0.1:{port}; log in as root (sys, "
                "any password) and CREATE ACCOUNT tenants; Ctrl-C stops it")


PERSONALITY = MatrixOnePersonality()

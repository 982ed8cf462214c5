"""The stand-in on the wire: a MySQL-protocol server (mysql-mimic) that answers as MatrixOne
does for what modsl touches, over a `World`; and `StandIn`, which runs one in a thread.

Logins are MatrixOne's: `account:user` or `account#user` (a plain user is in sys). A tenant's
login must name its admin and password (`CREATE ACCOUNT ... ADMIN_NAME ... IDENTIFIED BY`); sys
takes any password. Faults can be injected per statement, for crash tests: a delay, a failure,
a connection dropped after the statement committed and before its reply.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from ssl import SSLContext
from typing import Any

import sqlglot
from mysql_mimic import MysqlServer
from mysql_mimic.auth import AbstractClearPasswordAuthPlugin, IdentityProvider, User
from mysql_mimic.errors import MysqlError
from mysql_mimic.session import BaseSession
from mysql_mimic.stream import MysqlStream
from mysql_mimic.variables import GlobalVariables, SessionVariables
from sqlglot import exp

import modsl.engines.matrixone.dialect  # registers the matrixone dialect  # noqa: F401
from modsl.engines.matrixone import expressions as mo
from modsl.standin import backup, clone, data, starrocks
from modsl.standin.world import Account, Clock, Store, Table, World

_CREATE_ACCOUNT = re.compile(
    r"\s*create\s+account\s+(?:if\s+not\s+exists\s+)?`?([0-9a-z_-]+)`?\s+admin_name\s+"
    r"['\"]?([^'\"\s]+)['\"]?\s+identified\s+by\s+['\"]([^'\"]*)['\"]\s*;?\s*\Z", re.I)

# A user inside the login's account (authenticate.go: "the user %s exists", "there is no
# user %s"); it logs in as `account:user`. The stand-in keeps no roles or privileges.
_CREATE_USER = re.compile(r"\s*create\s+user\s+(if\s+not\s+exists\s+)?`?([\w.-]+)`?\s+"
                          r"identified\s+by\s+'([^']*)'\s*;?\s*\Z", re.I)
_DROP_USER = re.compile(r"\s*drop\s+user\s+(if\s+exists\s+)?`?([\w.-]+)`?\s*;?\s*\Z", re.I)
_SLEEP = re.compile(r"\bsleep\s*\(", re.I)
# User-level locks (func_unary.go's GetLock/ReleaseLock, MatrixOne 4.1 on): held by the
# session until released or closed; GET_LOCK answers 1, or 0 when another session still
# holds it after `timeout` seconds; RELEASE_LOCK 1 (released), 0 (another's), NULL (none).
_USER_LOCK = re.compile(r"\s*select\s+(get_lock|release_lock)\s*\(\s*'([^']*)'\s*"
                        r"(?:,\s*([0-9.]+)\s*)?\)\s*;?\s*\Z", re.I)
_PROCESSLIST = ["node_id", "conn_id", "session_id", "account", "user", "host", "db",
                "session_start", "command", "info", "txn_id", "statement_id", "statement_type",
                "query_type", "sql_source_type", "query_start", "client_host", "role",
                "proxy_host"]
"""information_schema.processlist's columns (sysview/predefined.go's PROCESSLIST view)."""
_SHOW_ACCOUNTS = re.compile(r"\s*show\s+accounts\s*;?\s*\Z", re.I)
# A snapshot read, as snapshot.go's own `showDatabases`/`showTables` make them.
_SHOW_AS_OF = re.compile(r"\s*show\s+(databases|tables\s+from\s+`?([^`\s]+)`?)\s*"
                         r"\{\s*snapshot\s*=\s*'([^']*)'\s*\}\s*;?\s*\Z", re.I)


@dataclass
class Faults:
    """What the next statements will suffer (each fault is used once)."""

    delays: list[float] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)
    drops: int = 0
    """Statements after which the connection is dropped, once they committed."""

    def delay_next(self, seconds: float) -> None:
        self.delays.append(seconds)

    def fail_next(self, code: int, message: str) -> None:
        self.failures.append((code, message))

    def drop_after_commit(self) -> None:
        self.drops += 1


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


class _Session(BaseSession):  # type: ignore[misc]
    def __init__(self, world: World, faults: Faults,
                 sessions: dict[int, _Session] | None = None) -> None:
        self.world = world
        self.faults = faults
        self.sessions: dict[int, _Session] = {} if sessions is None else sessions
        """Every open session of the server by connection id (its processlist)."""
        self.started = datetime.now()
        self.info: str | None = None
        """The statement this session runs now."""
        self.affected = 0
        """The rows the last INSERT, UPDATE or DELETE changed, for its OK packet."""
        self.locks: set[str] = set()
        """The user-level locks (GET_LOCK) this session holds."""
        self.variables = SessionVariables(GlobalVariables())
        self.variables.set("version", f"8.0.30-MatrixOne-v{world.version}", force=True)
        self.username: str | None = None
        self.database: str | None = None
        self.in_transaction = False
        self.connection: Any = None

    async def init(self, connection: Any) -> None:
        self.connection = connection
        self.sessions[connection.connection_id] = self
        ok = connection.ok

        def ok_with_rows(**kwargs: Any) -> Any:  # mysql_mimic answers a statement with ok()
            kwargs.setdefault("affected_rows", self.affected)
            return ok(**kwargs)

        connection.ok = ok_with_rows

    @property
    def account(self) -> str:
        return account_of(self.username or "")[0]

    async def use(self, database: str) -> None:
        self.database = database.lower()

    async def close(self) -> None:
        if self.connection is not None:
            self.sessions.pop(self.connection.connection_id, None)
        self.connection = None

    async def reset(self) -> None:
        self.in_transaction = False

    async def schema(self) -> dict[str, Any]:
        return {}

    async def handle_query(self, sql: str, attrs: dict[str, str]) -> Any:
        # Faults strike statements, not a client's session housekeeping (SET, SELECT @@...,
        # the START TRANSACTION READ ONLY around a verify).
        housekeeping = re.match(r"\s*(set|select|show|use|begin|start|commit|rollback)\b", sql,
                                re.I)
        if not housekeeping and self.faults.delays:
            await asyncio.sleep(self.faults.delays.pop(0))
        if not housekeeping and self.faults.failures:
            code, message = self.faults.failures.pop(0)
            raise MysqlError(message, code)
        self.info, self.affected = sql, 0
        user_lock = _USER_LOCK.match(sql)
        if user_lock and tuple(map(int, re.findall(r"\d+", self.world.version)[:2])) >= (4, 1):
            try:
                return await self._user_lock(*user_lock.groups())
            finally:
                self.info = None
        try:
            result = self._run(await self._sleep(sql) if _SLEEP.search(sql) else sql)
        except backup.ServerError as exc:
            raise MysqlError(exc.message, exc.code) from None
        except MysqlError:
            raise
        except Exception as exc:  # what the stand-in cannot run is an error, not a crash
            raise MysqlError(f"the stand-in cannot run this: {exc}", 1105) from None
        finally:
            self.info = None
        if not housekeeping and self.faults.drops:
            self.faults.drops -= 1
            self.connection.stream.writer.transport.abort()  # committed; no reply ever comes
        return result

    async def _sleep(self, sql: str) -> str:
        """`sleep(n)` (func_unary.go's Sleep: waits n seconds, answers 0): the statement
        waits, other connections go on meanwhile, then it runs with 0 in the call's place."""
        try:
            statements = [s for s in sqlglot.parse(sql, read="matrixone") if s is not None]
        except sqlglot.errors.SqlglotError:
            return sql  # _run says what is wrong with it
        seconds = 0.0
        for e in statements:
            for call in list(e.find_all(exp.Anonymous)):
                argument = call.expressions[0] if len(call.expressions) == 1 else None
                if call.name.lower() != "sleep" or not isinstance(argument, exp.Literal) \
                        or not argument.is_number:
                    continue  # not a constant: SQLite refuses it, as an unknown function
                if float(argument.this) < 0:
                    raise backup.ServerError("invalid argument sleep, bad value input contains "
                                             "negative", 1105)  # ErrInvalidArg, sent as 1105
                seconds += float(argument.this)
                call.replace(exp.Literal.number(0))
        await asyncio.sleep(seconds)
        return ";\n".join(e.sql(dialect="matrixone") for e in statements)

    async def _user_lock(self, function: str, name: str, timeout: str | None) -> Any:
        def holder() -> _Session | None:
            return next((s for s in list(self.sessions.values()) if name in s.locks), None)

        column = f"{function.upper()}('{name}'{', ' + timeout if timeout else ''})"
        if function.lower() == "release_lock":
            owner = holder()
            if owner is self:
                self.locks.discard(name)
            return [(None if owner is None else int(owner is self),)], [column]
        deadline = asyncio.get_running_loop().time() + float(timeout or 0)
        while (owner := holder()) not in (None, self):
            if asyncio.get_running_loop().time() >= deadline:
                return [(0,)], [column]
            await asyncio.sleep(0.02)
        self.locks.add(name)
        return [(1,)], [column]

    def _run(self, sql: str) -> Any:
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
            raise backup.ServerError(f"SQL parser error: {exc}", backup.SYNTAX) from None
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
                raise backup.ServerError("unclassified statement appears in uncommitted "
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
                raise backup.ServerError(f"account {own} does not exist")
            if isinstance(e, exp.Select) and any(
                    t.db.lower() == "mo_catalog" for t in e.find_all(exp.Table)):
                reader = Account(own, "", "", data.catalog(world, own))
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
            raise backup.ServerError("do not have privilege to execute the statement")
        with self.world.lock:
            if name.lower() in self.world.accounts:
                raise backup.ServerError(f"the tenant {name.lower()} exists")
            self.world.accounts[name.lower()] = Account(name.lower(), admin, password)
            self.world.record(name.lower())
        return [], []

    def _create_user(self, exists_ok: bool, name: str, password: str) -> Any:
        with self.world.lock:
            account = self.world.accounts[self.account]
            if name in account.users or name == account.admin:
                if exists_ok:
                    return [], []
                raise backup.ServerError(f"the user {name} exists")
            account.users[name] = password
        return [], []

    def _drop_user(self, missing_ok: bool, name: str) -> Any:
        with self.world.lock:
            account = self.world.accounts[self.account]
            if name not in account.users:
                if missing_ok:
                    return [], []
                raise backup.ServerError(f"there is no user {name}")
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
                    raise backup.ServerError("do not have privilege to execute the statement")
                return [(a.name, a.admin) for a in world.accounts.values()], [
                    "account_name", "admin_name"]
            database = database or self.database
            if what == "TABLES" and database:
                store = world.accounts[own].store
                if not store.has(database):
                    raise backup.ServerError(f"Unknown database {database}", 1049)
                return [(t,) for t in store.tables(database)], [f"Tables_in_{database}"]
        raise backup.ServerError(f"the stand-in does not answer SHOW {what}", 1235)

    def _show_as_of(self, snapshot: str, database: str | None) -> Any:
        """`SHOW DATABASES|TABLES FROM d {SNAPSHOT = 's'}`: the login's account as the
        snapshot holds it."""
        world, own = self.world, self.account
        with world.lock:
            taken = world.snapshots.get((own, snapshot.lower()))
            if taken is None:
                raise backup.ServerError(f"snapshot {snapshot.lower()} does not exist")
            # Read in the account the snapshot was taken of (clone.go's `snapshot.Tenant`).
            image = taken.data.get(taken.account or own)
            store = Store(image) if image is not None else Store()
            if database is None:
                return [(n,) for n in store.databases()], ["Database"]
            if not store.has(database.lower()):
                raise backup.ServerError(f"Unknown database {database.lower()}", 1049)
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
        raise backup.ServerError("the stand-in does not answer SHOW RECOVERY_WINDOW", 1235)


def _like(pattern: str, name: str) -> bool:
    """SQL's LIKE: `%` any run, `_` one character, `\\` escapes; case-insensitive."""
    parts = re.findall(r"\\.|%|_|[^\\%_]+", pattern)
    regex = "".join(".*" if p == "%" else "." if p == "_" else re.escape(p[-1] if
                    p.startswith("\\") else p) for p in parts)
    return re.fullmatch(regex, name, re.I | re.S) is not None


class _AnyPassword(AbstractClearPasswordAuthPlugin):  # type: ignore[misc]
    name = "mysql_clear_password"

    async def check(self, username: str, password: str) -> str | None:
        return username


class _StarRocksIdentities(IdentityProvider):  # type: ignore[misc]
    """StarRocks has no tenants; the stand-in lets any user in with any password."""

    def __init__(self) -> None:
        self.plugin = _AnyPassword()

    def get_plugins(self) -> list[Any]:
        return [self.plugin]

    async def get_user(self, username: str) -> Any:
        return User(name=username, auth_plugin=self.plugin.name)


_SELECT_FUNCTIONS = re.compile(r"\s*select\s+(current_version|version|now)\(\d?\)\s*;?\s*\Z",
                               re.I)


class _StarRocksSession(_Session):
    """StarRocks on the wire: its backup statements (`modsl.standin.starrocks`), and plain
    SQL on one set of databases."""

    world: starrocks.StarRocksWorld  # type: ignore[assignment]

    def __init__(self, world: starrocks.StarRocksWorld, faults: Faults) -> None:
        super().__init__(world, faults)  # type: ignore[arg-type]
        self.variables.set("version", "8.0.33", force=True)

    def _run(self, sql: str) -> Any:
        world = self.world
        called = _SELECT_FUNCTIONS.match(sql)
        if called:
            function = called.group(1).lower()
            value = {"current_version": f"{world.version}-standin", "version": "8.0.33",
                     "now": world.clock.now().strftime("%Y-%m-%d %H:%M:%S")}[function]
            return [(value,)], [f"{function}()"]
        result = starrocks.run(world, sql)
        if result is not None:
            return result
        try:
            statements = [s for s in sqlglot.parse(sql, read="mysql") if s is not None]
        except sqlglot.errors.SqlglotError as exc:
            raise starrocks.syntax(str(exc).splitlines()[0]) from None
        out: Any = ([], [])
        for e in statements:
            out = self._plain(e)
        return out

    def _plain(self, e: exp.Expr) -> Any:
        if isinstance(e, (exp.Set, exp.Transaction, exp.Commit, exp.Rollback)):
            return [], []
        if isinstance(e, exp.Use):
            self.database = e.this.name.lower()
            return [], []
        with self.world.lock:
            account = self.world.account
            if isinstance(e, exp.Select) and any(
                    t.db.lower() == "information_schema" for t in e.find_all(exp.Table)):
                reader = Account("", "", "", data.information_schema(account))
                return data.run(reader, e, self.database)
            return data.run(account, e, self.database) or ([], [])


async def _start_tls(stream: MysqlStream, context: SSLContext) -> None:
    """mysql_mimic's `start_tls`, without its race: a client sends its TLS hello right after
    the SSL request, and when both arrive in one read the hello sits in the StreamReader,
    where the TLS layer never sees it (the handshake then hangs for a minute and fails).
    Those bytes are handed to the TLS layer as soon as it is in place."""
    transport = stream.writer.transport
    leftover = bytes(stream.reader._buffer)
    stream.reader._buffer.clear()
    loop = asyncio.get_running_loop()

    def feed() -> None:
        protocol = transport.get_protocol()
        if not isinstance(protocol, asyncio.BufferedProtocol) or getattr(
                protocol, "_transport", None) is None:  # not connected yet: wait a turn
            loop.call_soon(feed)
            return
        memoryview(protocol.get_buffer(len(leftover)))[:len(leftover)] = leftover
        protocol.buffer_updated(len(leftover))

    if leftover:
        loop.call_soon(feed)
    tls = await loop.start_tls(transport, transport.get_protocol(), context, server_side=True)
    stream.writer._transport = tls  # as mysql_mimic does
    stream.reader._transport = tls


MysqlStream.start_tls = _start_tls


class StandIn:
    """A stand-in server (MatrixOne, or StarRocks with `engine="starrocks"`) on a loopback
    port, running in a thread of its own."""

    def __init__(self, version: str = "4.2.0", port: int = 0, clock: Clock | None = None,
                 engine: str = "matrixone", ssl: SSLContext | None = None) -> None:
        self.engine = engine
        self.ssl = ssl
        """TLS for clients that ask for it (MatrixOne's enableTls); plain for the others."""
        self.sessions: dict[int, _Session] = {}
        self.world: Any = (starrocks.StarRocksWorld(version, clock) if engine == "starrocks"
                           else World(version, clock))
        self.faults = Faults()
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: MysqlServer | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: OSError | None = None

    @property
    def clock(self) -> Clock:
        clock: Clock = self.world.clock
        return clock

    def reset(self) -> Any:
        """A new, empty cluster of the same version and clock, for the next connections."""
        self.world = type(self.world)(self.world.version, self.world.clock)
        return self.world

    def banner(self) -> str:
        if self.engine == "starrocks":
            return (f"a StarRocks {self.world.version} stand-in on 127.0.0.1:{self.port}; log "
                    "in as any user; Ctrl-C stops it")
        return (f"a MatrixOne {self.world.version} stand-in on 127.0.0.1:{self.port}; log in as "
                "root (sys, any password) and CREATE ACCOUNT tenants; Ctrl-C stops it")

    def dsn(self, login: str = "root") -> str:
        return f"mysql://{login.replace(':', '%3A').replace('#', '%23')}@127.0.0.1:{self.port}"

    def start(self) -> StandIn:
        self._thread = threading.Thread(target=self._serve, name="modsl-standin", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the stand-in did not start")
        if self._error is not None:
            raise self._error
        return self

    def _serve(self) -> None:
        # The client gets every error as its answer; the server's own log of them is noise.
        logging.getLogger("mysql_mimic").setLevel(logging.CRITICAL)
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(lambda loop, context: None)  # connections cut at stop
        if self.engine == "starrocks":
            self._server = MysqlServer(
                session_factory=lambda: _StarRocksSession(self.world, self.faults),
                identity_provider=_StarRocksIdentities())
        else:
            self._server = MysqlServer(
                session_factory=lambda: _Session(self.world, self.faults, self.sessions),
                identity_provider=_Identities(lambda: self.world), ssl=self.ssl)
        try:
            self._loop.run_until_complete(self._server.start_server(host="127.0.0.1",
                                                                    port=self.port))
        except OSError as exc:  # the port is taken: say so to start(), not to stderr
            self._error = exc
            self._ready.set()
            return
        sockets = self._server._server.sockets if self._server._server else []
        self.port = sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        if self._loop is None or self._server is None:
            return
        loop, server = self._loop, self._server

        async def shutdown() -> None:
            server.close()
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not current]
            for task in tasks:  # open connections end with the server
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """For `modsl standin`: run in the foreground until interrupted."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()

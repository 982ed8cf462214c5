"""The stand-in on the wire, engine-neutral: a MySQL-protocol server (mysql-mimic) in a thread
of its own, with injected faults, a settable clock and the session plumbing every personality
shares (the statement in flight, affected rows, `sleep(n)`, user-level locks). What the server
*is* (its world, its logins, the statements it answers) is a `Personality`, which the engine's
folder provides (`Engine.standin()`): the shell never names an engine.

Faults can be injected per statement, for crash tests: a delay, a failure, a connection
dropped after the statement committed and before its reply.
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
from typing import Any, Protocol

import sqlglot
from mysql_mimic import MysqlServer
from mysql_mimic.auth import AbstractClearPasswordAuthPlugin, IdentityProvider, User
from mysql_mimic.errors import MysqlError
from mysql_mimic.session import BaseSession
from mysql_mimic.stream import MysqlStream
from mysql_mimic.variables import GlobalVariables, SessionVariables
from sqlglot import exp

from modsl import targets
from modsl.standin.store import Clock, ServerError

_SLEEP = re.compile(r"\bsleep\s*\(", re.I)
# User-level locks (GET_LOCK/RELEASE_LOCK, where a personality has them): held by the
# session until released or closed; GET_LOCK answers 1, or 0 when another session still
# holds it after `timeout` seconds; RELEASE_LOCK 1 (released), 0 (another's), NULL (none).
_USER_LOCK = re.compile(r"\s*select\s+(get_lock|release_lock)\s*\(\s*'([^']*)'\s*"
                        r"(?:,\s*([0-9.]+)\s*)?\)\s*;?\s*\Z", re.I)


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


class Session(BaseSession):  # type: ignore[misc]
    """One client connection. A personality's session answers a statement in `answer`; the
    shell around it injects faults, keeps the statement in flight and the affected rows, and
    turns a `ServerError` (or any failure) into the MySQL error the client reads."""

    dialect = "mysql"
    """The sqlglot dialect `sleep(n)` is read and written back in."""

    def __init__(self, world: Any, faults: Faults,
                 sessions: dict[int, Session] | None = None) -> None:
        self.world = world
        self.faults = faults
        self.sessions: dict[int, Session] = {} if sessions is None else sessions
        """Every open session of the server by connection id (its processlist)."""
        self.started = datetime.now()
        self.info: str | None = None
        """The statement this session runs now."""
        self.affected = 0
        """The rows the last INSERT, UPDATE or DELETE changed, for its OK packet."""
        self.locks: set[str] = set()
        """The user-level locks (GET_LOCK) this session holds."""
        self.variables = SessionVariables(GlobalVariables())
        self.username: str | None = None
        self.database: str | None = None
        self.in_transaction = False
        self.connection: Any = None

    def user_locks(self) -> bool:
        """Whether the server has GET_LOCK/RELEASE_LOCK (none, unless a personality says)."""
        return False

    def answer(self, sql: str) -> Any:
        """The personality's answer to one statement: (rows, columns), or raise
        `ServerError`. A statement it does not know is refused, never answered OK."""
        raise ServerError(f"the stand-in does not run this statement: {sql.strip()[:60]}",
                          1235)

    async def init(self, connection: Any) -> None:
        self.connection = connection
        self.sessions[connection.connection_id] = self
        ok = connection.ok

        def ok_with_rows(**kwargs: Any) -> Any:  # mysql_mimic answers a statement with ok()
            kwargs.setdefault("affected_rows", self.affected)
            return ok(**kwargs)

        connection.ok = ok_with_rows

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
        if user_lock and self.user_locks():
            try:
                return await self._user_lock(*user_lock.groups())
            finally:
                self.info = None
        try:
            result = self.answer(await self._sleep(sql) if _SLEEP.search(sql) else sql)
        except ServerError as exc:
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
        """`sleep(n)` (waits n seconds, answers 0): the statement waits, other connections
        go on meanwhile, then it runs with 0 in the call's place."""
        try:
            statements = [s for s in sqlglot.parse(sql, read=self.dialect) if s is not None]
        except sqlglot.errors.SqlglotError:
            return sql  # `answer` says what is wrong with it
        seconds = 0.0
        for e in statements:
            for call in list(e.find_all(exp.Anonymous)):
                argument = call.expressions[0] if len(call.expressions) == 1 else None
                if call.name.lower() != "sleep" or not isinstance(argument, exp.Literal) \
                        or not argument.is_number:
                    continue  # not a constant: SQLite refuses it, as an unknown function
                if float(argument.this) < 0:
                    raise ServerError("invalid argument sleep, bad value input contains "
                                      "negative", 1105)  # ErrInvalidArg, sent as 1105
                seconds += float(argument.this)
                call.replace(exp.Literal.number(0))
        await asyncio.sleep(seconds)
        return ";\n".join(e.sql(dialect=self.dialect) for e in statements)

    async def _user_lock(self, function: str, name: str, timeout: str | None) -> Any:
        def holder() -> Session | None:
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


class _AnyPassword(AbstractClearPasswordAuthPlugin):  # type: ignore[misc]
    name = "mysql_clear_password"

    async def check(self, username: str, password: str) -> str | None:
        return username


class AnyLogin(IdentityProvider):  # type: ignore[misc]
    """Logins for a server with no tenants: any user, any password."""

    def __init__(self) -> None:
        self.plugin = _AnyPassword()

    def get_plugins(self) -> list[Any]:
        return [self.plugin]

    async def get_user(self, username: str) -> Any:
        return User(name=username, auth_plugin=self.plugin.name)


class Personality(Protocol):
    """What one engine's stand-in is: its world, its sessions, its logins (`Engine.standin()`)."""

    tls: bool
    """Whether it offers TLS to clients that ask (the `ssl` given to `StandIn`)."""

    def world(self, version: str, clock: Clock | None) -> Any:
        """A new, empty cluster of `version` (x.y.z) on `clock`."""
        ...

    def session(self, world: Any, faults: Faults, sessions: dict[int, Session]) -> Session:
        """The session of one new connection."""
        ...

    def identities(self, world: Callable[[], Any]) -> IdentityProvider:
        """Who may log in (`world()` is the cluster as it is now: `reset` replaces it)."""
        ...

    def banner(self, version: str, port: int) -> str:
        """What `modsl standin` says it started, and how to log in."""
        ...


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
    """A stand-in server of `engine` (the default engine without one) on a loopback port,
    running in a thread of its own."""

    def __init__(self, version: str = "4.2.0", port: int = 0, clock: Clock | None = None,
                 engine: str | None = None, ssl: SSLContext | None = None) -> None:
        self.engine = engine or targets.default().engine
        self.personality: Personality = targets.engine(self.engine).standin()
        self.ssl = ssl if self.personality.tls else None
        """TLS for clients that ask for it, where the engine offers it; plain otherwise."""
        self.sessions: dict[int, Session] = {}
        self.world: Any = self.personality.world(version, clock)
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
        return self.personality.banner(self.world.version, self.port)

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
        personality = self.personality
        self._server = MysqlServer(
            session_factory=lambda: personality.session(self.world, self.faults, self.sessions),
            identity_provider=personality.identities(lambda: self.world), ssl=self.ssl)
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

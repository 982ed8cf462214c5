"""Connecting to the server a plan runs on (a MySQL-protocol server) with PyMySQL: the DSN,
where the password comes from, and one clear line for each way a connection fails.

The password is never printed: `Server.safe` is the DSN without it, and every message that
leaves this module is scrubbed of it.
"""

from __future__ import annotations

import configparser
import os
import socket
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class ConnectError(Exception):
    """A connection could not be made; the message is one line, without the password."""


@dataclass(frozen=True)
class Server:
    """The server a plan runs on, as the DSN names it (`port` None: the engine's default)."""

    user: str
    password: str | None
    host: str
    port: int | None
    database: str | None

    def on_port(self, default: int) -> Server:
        """With the engine's default port where the DSN gave none."""
        return self if self.port is not None else replace(self, port=default)

    @property
    def safe(self) -> str:
        """The DSN as it may be printed: no password."""
        db = f"/{self.database}" if self.database else ""
        port = "" if self.port is None else f":{self.port}"
        return f"mysql://{self.user}@{self.host}{port}{db}"

    def scrub(self, text: str) -> str:
        return text.replace(self.password, "***") if self.password else text


def parse_dsn(dsn: str) -> Server:
    """`mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE]`."""
    try:
        parts = urlsplit(dsn)
        port = parts.port
    except ValueError as exc:
        raise ConnectError(f"bad --dsn: {exc}") from None
    if parts.scheme != "mysql" or not parts.hostname or not parts.username:
        raise ConnectError("bad --dsn: expected mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE]")
    database = unquote(parts.path.lstrip("/")) or None
    password = unquote(parts.password) if parts.password is not None else None
    return Server(unquote(parts.username), password, parts.hostname, port, database)


def with_password(server: Server, defaults_file: str | None) -> Server:
    """The password from the DSN, else `MODSL_PASSWORD`, else the option file's [client]."""
    if server.password is not None:
        return server
    env = os.environ.get("MODSL_PASSWORD")
    if env is not None:
        return Server(server.user, env, server.host, server.port, server.database)
    if defaults_file:
        return Server(server.user, option_file_password(Path(defaults_file)), server.host,
                      server.port, server.database)
    return server


def option_file_password(path: Path) -> str | None:
    """The `password` of the `[client]` section, as the mysql client reads it."""
    parser = configparser.ConfigParser(allow_no_value=True, interpolation=None,
                                       strict=False, comment_prefixes=("#", ";"))
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise ConnectError(f"cannot read --defaults-file {path}: {exc}") from None
    if not parser.has_option("client", "password"):
        return None
    value = parser.get("client", "password") or ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


def connect(server: Server, timeout: float) -> Any:
    """A PyMySQL connection in autocommit mode (the servers refuse these statements inside a
    transaction), or ConnectError with one line saying why not."""
    import pymysql

    try:
        # read_timeout bounds the handshake too: a server that accepts and never greets
        # must not hang the run.
        connection = pymysql.connect(host=server.host, port=server.port, user=server.user,
                                     password=server.password or "", database=server.database,
                                     connect_timeout=timeout, read_timeout=timeout,
                                     autocommit=True, charset="utf8mb4")
    except pymysql.err.OperationalError as exc:
        raise ConnectError(server.scrub(_why(exc, server))) from None
    except pymysql.err.MySQLError as exc:
        raise ConnectError(server.scrub(f"cannot connect to {server.host}:{server.port}: "
                                        f"{exc}")) from None
    # A restore can run for a long time: no read timeout once connected. PyMySQL (pinned
    # below 2) applies `_read_timeout` before every read.
    connection._read_timeout = None
    return connection


def _why(exc: Exception, server: Server) -> str:
    code = exc.args[0] if exc.args else None
    cause = getattr(exc, "original_exception", None) or exc.__cause__ or exc.__context__
    where = f"{server.host}:{server.port}"
    if code == 1045:
        return f"authentication failed for user `{server.user}` at {where}"
    if isinstance(cause, socket.gaierror):
        return f"unknown host `{server.host}`"
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return f"timed out connecting to {where}"
    if isinstance(cause, ConnectionRefusedError):
        return f"connection refused by {where} (is the server running?)"
    message = exc.args[1] if len(exc.args) > 1 else str(exc)
    if "timed out" in str(message):
        return f"timed out connecting to {where}"
    return f"cannot connect to {where}: {message}"

"""Connecting to the server a plan runs on (a MySQL-protocol server) with PyMySQL: the DSN,
where the password comes from, and one clear line for each way a connection fails.

The password is never printed: `Server.safe` is the DSN without it, and every message that
leaves this module is scrubbed of it.
"""

from __future__ import annotations

import configparser
import os
import re
import socket
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from modsl.runtime import readonly


class ConnectError(Exception):
    """A connection could not be made; the message is one line, without the password."""


SSL_MODES = ("disabled", "preferred", "required", "verify-ca", "verify-identity")
PARAMETERS = ("account", "ssl-mode", "ssl-ca", "ssl-cert", "ssl-key")
_USAGE = "mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?account=A&ssl-mode=M&ssl-ca=F...]"


@dataclass(frozen=True)
class Server:
    """The server a plan runs on, as the DSN names it (`port` None: the engine's default;
    `account` a tenant to log in to, from `?account=`; `tls` the `ssl-*` parameters)."""

    user: str
    password: str | None
    host: str
    port: int | None
    database: str | None
    account: str | None = None
    tls: tuple[tuple[str, str], ...] = ()

    def on_port(self, default: int) -> Server:
        """With the engine's default port where the DSN gave none."""
        return self if self.port is not None else replace(self, port=default)

    @property
    def safe(self) -> str:
        """The DSN as it may be printed, and parsed back to the same server: no password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port is None else f":{self.port}"
        db = f"/{quote(self.database, safe='')}" if self.database else ""
        params = [("account", self.account)] if self.account else []
        query = urlencode([*params, *self.tls])
        return (f"mysql://{quote(self.user, safe='')}@{host}{port}{db}"
                + (f"?{query}" if query else ""))

    def scrub(self, text: str) -> str:
        """`text` with the password masked wherever it stands alone (not inside a longer
        word: a short password must not mangle the message around it)."""
        if not self.password:
            return text
        return re.sub(rf"(?<![\w]){re.escape(self.password)}(?![\w])", "***", text)


def parse_dsn(dsn: str) -> Server:
    """`mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?PARAMETERS]`.

    The user and password are taken apart by hand: a password may hold `/ # ? [ @ :` that a
    URL parser would read as the start of a path or a fragment, and errors must never show
    any of it. A tenant login may be written `acc#user` as it is, `acc%3Auser`, or as the
    user with `?account=acc`. Everything may be percent-encoded."""
    scheme, sep, rest = dsn.partition("://")
    if scheme != "mysql" or not sep:
        raise ConnectError(f"bad --dsn: expected {_USAGE}")
    userinfo, at, location = rest.rpartition("@")
    if not at or not userinfo:
        raise ConnectError(f"bad --dsn: no user before `@` (expected {_USAGE})")
    # The user ends at the first `:`: everything after it is the password, whatever it holds,
    # so no part of a password can ever be printed as the user.
    user, has_password, password = userinfo.partition(":")
    try:
        parts = urlsplit(f"mysql://{location}")
        port = parts.port
    except ValueError as exc:
        raise ConnectError(f"bad --dsn: {exc} in `{location}`") from None
    if not parts.hostname:
        raise ConnectError(f"bad --dsn: no host in `{location}` (expected {_USAGE})")
    if parts.fragment:
        raise ConnectError(f"bad --dsn: `#` after the host in `{location}` (only the user "
                           "and the password may hold one)")
    params: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in PARAMETERS:
            raise ConnectError(f"bad --dsn: unknown parameter `{key}` (known: "
                               + ", ".join(PARAMETERS) + ")")
        if key in params:  # the last would win: `ssl-mode=required&ssl-mode=disabled` in clear
            raise ConnectError(f"bad --dsn: `{key}` is given twice ({params[key]!r}, then "
                               f"{value!r}): give it once")
        params[key] = value
    mode = params.get("ssl-mode", "preferred")
    if mode not in SSL_MODES:
        raise ConnectError(f"bad --dsn: ssl-mode `{mode}` is not one of {', '.join(SSL_MODES)}")
    if mode.startswith("verify") and "ssl-ca" not in params:
        raise ConnectError(f"bad --dsn: ssl-mode={mode} needs ssl-ca=FILE (the CA to trust)")
    tls = tuple((k, v) for k, v in params.items() if k.startswith("ssl-"))
    return Server(unquote(user), unquote(password) if has_password else None, parts.hostname,
                  port, unquote(parts.path.lstrip("/")) or None, params.get("account"), tls)


def with_password(server: Server, defaults_file: str | None) -> Server:
    """The password from the DSN, else `MODSL_PASSWORD`, else the option file's [client]."""
    if server.password is not None:
        return server
    env = os.environ.get("MODSL_PASSWORD")
    if env is not None:
        return replace(server, password=env)
    if defaults_file:
        return replace(server, password=option_file_password(Path(defaults_file)))
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


def connect(server: Server, timeout: float, login: str | None = None) -> Any:
    """A PyMySQL connection in autocommit mode (the servers refuse these statements inside a
    transaction), or ConnectError with one line saying why not. `login` is the user name as
    the engine spells an account's user (default: the DSN's user)."""
    import pymysql

    tls = dict(server.tls)
    mode = tls.get("ssl-mode", "preferred")

    def attempt(options: dict[str, Any]) -> Any:
        # read_timeout bounds the handshake too: a server that accepts and never greets
        # must not hang the run. The password goes as UTF-8 bytes (PyMySQL would encode a
        # str as Latin-1).
        return pymysql.connect(
            host=server.host, port=server.port, user=login or server.user,
            password=(server.password or "").encode("utf-8"), database=server.database,
            connect_timeout=timeout, read_timeout=timeout, autocommit=True, charset="utf8mb4",
            **options)

    try:
        try:
            connection = attempt(_tls_options(tls, mode))
        except pymysql.err.OperationalError as exc:
            # `preferred`: TLS when the server offers it (PyMySQL refuses instead of falling
            # back when it does not).
            if mode != "preferred" or "SSL is required" not in str(exc):
                raise
            connection = attempt({"ssl_disabled": True})
    except pymysql.err.OperationalError as exc:
        raise ConnectError(server.scrub(_why(exc, server))) from None
    except (pymysql.err.MySQLError, OSError) as exc:
        raise ConnectError(server.scrub(f"cannot connect to {server.host}:{server.port}: "
                                        f"{exc}")) from None
    if mode != "disabled" and mode != "preferred" and not _encrypted(connection):
        connection.close()
        raise ConnectError(f"{server.host}:{server.port} does not offer TLS, and "
                           f"ssl-mode={mode} requires it")
    # The server reads quotes as lint did, whatever its default sql_mode (modsl.runtime.readonly).
    try:
        readonly.pin_sql_mode(connection)
    except pymysql.err.MySQLError as exc:
        connection.close()
        raise ConnectError(server.scrub(f"{server.host}:{server.port} refused `{readonly.PIN}`: "
                                        f"{exc.args[-1] if exc.args else exc}")) from None
    # A restore can run for a long time: no read timeout once connected. PyMySQL (pinned
    # below 2) applies `_read_timeout` before every read.
    connection._read_timeout = None
    return connection


def _tls_options(tls: dict[str, str], mode: str) -> dict[str, Any]:
    """PyMySQL's arguments for an `ssl-mode` and its files."""
    if mode == "disabled":
        return {"ssl_disabled": True}
    import ssl

    context = ssl.create_default_context(cafile=tls.get("ssl-ca"))
    if mode in ("preferred", "required"):  # encrypted, not authenticated
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif mode == "verify-ca":
        context.check_hostname = False
    if "ssl-cert" in tls:
        context.load_cert_chain(tls["ssl-cert"], tls.get("ssl-key"))
    return {"ssl": context}


def _encrypted(connection: Any) -> bool:
    import ssl

    return isinstance(getattr(connection, "_sock", None), ssl.SSLSocket)


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

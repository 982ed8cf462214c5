"""Live checks: a plan's promises about the server (its engine and version, the login's
account, what it declares `existing`, what it creates, the accounts it restores into, the
moments it restores to) read back, read-only, before anything runs (LANGUAGE.md §9.4).

The engine says what to read and how to judge it (`Engine.live_checks`); this module runs
them, prints the checklist and says whether the run may go on."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets

if TYPE_CHECKING:
    from modsl.language import ast


class Check(NamedTuple):
    """One promise and what the server said about it."""

    code: str
    """The MB6xx code the check reports under when it fails."""
    ok: bool
    text: str
    """What was checked and what the server said, in one sentence."""
    line: int | None = None
    """The plan line that made the promise (None for the server and the login)."""


class LiveObject(NamedTuple):
    """A snapshot, PITR or repository as the server lists it (empty strings where it has
    none)."""

    kind: str
    """`snapshot`, `pitr` or `repository`."""
    name: str
    level: str
    account: str
    database: str
    table: str
    range: str = ""
    """A PITR's range as a plan writes it (`2d`)."""
    created: datetime | None = None
    location: str = ""
    """A repository's location."""

    def describe(self) -> str:
        """What it covers, as the checklist and `modsl status` say it."""
        if self.kind == "repository":
            return f"at {self.location}" if self.location else "a repository"
        if self.level == "cluster":
            return "the cluster"
        if self.level == "account":
            return f"account {self.account}" if self.account else "an account"
        obj = f"{self.database}.{self.table}" if self.level == "table" else self.database
        return f"{self.level} {obj}"


class ServerInfo(NamedTuple):
    """Who the server says it is, and who the login is."""

    version: str
    """As the server gives it (its handshake's version string)."""
    target: targets.TargetVersion | None
    """The target whose SQL it speaks (None: not an engine or release modsl knows)."""
    account: str


class Failed(Exception):
    """A live check failed: nothing may run."""

    def __init__(self, checks: list[Check]) -> None:
        super().__init__(f"{sum(not c.ok for c in checks)} live check(s) failed")
        self.checks = checks


class Unreadable(Exception):
    """The server did not answer a read a check needs (it is not the engine it claims, or
    the login may not read it)."""


def run(connection: Any, target: targets.TargetVersion, account: str,
        plan: ast.Plan | None, done_lines: Iterable[int] = ()) -> list[Check]:
    """Every check for `plan` (None for a compiled `.sql` file: only the server and the
    login), stopping after the first that makes the rest meaningless. Statements on
    `done_lines` ran in an earlier run of this plan: what they created is expected."""
    engine = targets.engine(target.engine)
    return list(engine.live_checks(connection, target, account, plan, frozenset(done_lines)))


def connect_to(dsn: str, defaults_file: str | None, timeout: float,
               engine_name: str) -> tuple[Any, Any]:
    """A connection for `modsl check`/`status`/`import --from-server` from their `--dsn`,
    `--defaults-file` and `--connect-timeout` flags, and the server (for scrubbing)."""
    from modsl.runtime.connect import connect, parse_dsn, with_password

    engine = targets.engine(engine_name)
    server = with_password(parse_dsn(dsn), defaults_file).on_port(engine.default_port)
    login = engine.login(server.user, server.account) if server.account else None
    return connect(server, timeout, login), server


def server_time(connection: Any) -> datetime:
    """The server's clock (`SELECT now()`), naive, in its zone: what retention is judged by."""
    from modsl.time.clock import BadTimestamp, parse_timestamp

    _, rows = query(connection, "SELECT now()")
    try:
        return parse_timestamp(str(rows[0][0]))
    except (BadTimestamp, IndexError):
        raise Unreadable(f"the server's time reads {rows!r}") from None


def passed(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def render(checks: list[Check], file: str) -> str:
    """The checklist: ✓ or ✗ per check, the failures with their code and plan line."""
    out = []
    for c in checks:
        where = f"{file}:{c.line}: " if c.line is not None else ""
        out.append(f"  ✓ {where}{c.text}" if c.ok else f"  ✗ {where}{c.code} {c.text}")
    verdict = ("all live checks passed" if passed(checks)
               else f"{sum(not c.ok for c in checks)} live check(s) failed: nothing was run")
    return "\n".join(["live checks:", *out, verdict]) + "\n"


def to_json(checks: list[Check], file: str) -> str:
    return json.dumps({"file": file, "ok": passed(checks),
                       "checks": [c._asdict() for c in checks]}, indent=2) + "\n"


def query(connection: Any, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names (lower-cased) and rows of one read, or Unreadable with the server's
    words."""
    import pymysql

    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            names = [d[0].lower() for d in cursor.description or ()]
            return names, list(cursor.fetchall())
    except pymysql.MySQLError as exc:
        message = exc.args[1] if len(exc.args) > 1 else str(exc)
        raise Unreadable(f"`{sql}` failed: {message}") from None

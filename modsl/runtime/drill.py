"""Drill mode (`modsl apply PLAN --standin`): an in-process MatrixOne stand-in seeded so the
plan's promises hold, to rehearse a restore in CI with no server.

Seeding, in this order, on the stand-in's own clock: the accounts the plan names; the
databases and tables its lines name (empty), in the plan's account; the `--seed` SQL; then
every `existing` snapshot and PITR, made by the plan's account, a day before the earliest
moment the plan restores to (or now), so PITR timestamps fall inside their windows. The
clock then runs from now; the seed's part after an `-- after existing` line runs (the writes
since the backups, which a restore loses and a rollback brings back), and the plan runs
through the normal `apply`, live checks included.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.language import ast
from modsl.time.clock import BadTimestamp, parse_timestamp

if TYPE_CHECKING:
    from modsl.standin import StandIn

PASSWORD = "drill"
DRILL_RANGE = ast.Duration(100, "d")
"""The range of an `existing pitr` declared without one (the widest a PITR may keep in days)."""


class SeedUnreadable(ValueError):
    """The seed file cannot be read; the message names it and says why."""


def read_seed(path: str | None) -> str | None:
    """The SQL of the seed file `--seed` names (None without one)."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedUnreadable(f"{path}: cannot read: {exc}") from None


class SeedError(Exception):
    """The seed SQL failed on the stand-in: its statement, line and the stand-in's words."""


def start(plan: ast.Plan, target: targets.TargetVersion, own: str, seed: str | None,
          seed_name: str, now: datetime) -> StandIn:
    """A started stand-in of the plan's target version, seeded for `plan` (run as `own`),
    its clock running from `now`."""
    from modsl.standin import StandIn

    server = StandIn(f"{target.version}.0").start()
    try:
        server.clock.set(_before(plan, now))
        root = _connect(server, "root")
        accounts = _accounts(plan, own) | {"sys"}
        for account in sorted(accounts - {"sys"}):
            _create_account(root, account)
        mine = root if own == "sys" else _connect(server, f"{own}:admin")
        for database, table in sorted(_objects(plan)):
            _run(mine, f"CREATE DATABASE IF NOT EXISTS `{database}`")
            if table:
                _run(mine, f"CREATE TABLE IF NOT EXISTS `{database}`.`{table}` (id INT)")
        before, after = _parts(seed or "", seed_name)
        account = _seed(server, before, seed_name, own, accounts)
        engine = targets.engine(target.engine)
        for st in plan.statements:
            made = _as_created(st)
            if made is not None:
                sql = engine.emit(made, target, own, None)
                assert sql is not None
                _run(mine, sql)
        server.clock.run_from(now)
        _seed(server, after, seed_name, account, accounts)
    except BaseException:
        server.stop()
        raise
    return server


def start_for(plan: ast.Plan, target: targets.TargetVersion, own: str, seed: str | None,
              seed_name: str, now: datetime) -> tuple[StandIn, str]:
    """A started stand-in of the plan's engine, seeded for it, and the DSN of the plan's
    login on it: the one way `apply --standin` and `run --standin` start theirs."""
    if target.engine == "starrocks":
        from modsl.engines.starrocks import drill as drill_starrocks

        server = drill_starrocks.start(plan, target, seed, seed_name)
        return server, drill_starrocks.dsn(server)
    server = start(plan, target, own, seed, seed_name, now)
    return server, dsn(server, own)


def dsn(server: StandIn, account: str) -> str:
    login = "root" if account == "sys" else f"{account}%3Aadmin"
    return f"mysql://{login}:{PASSWORD}@127.0.0.1:{server.port}"


def _before(plan: ast.Plan, now: datetime) -> datetime:
    """A day before the earliest moment the plan restores to, and never after now."""
    moments = [now]
    for st in plan.statements:
        if isinstance(st, ast.Restore) and st.source.at is not None:
            with contextlib.suppress(BadTimestamp):
                moments.append(parse_timestamp(st.source.at.text))
    return min(moments) - timedelta(days=1)


def _accounts(plan: ast.Plan, own: str) -> set[str]:
    found = {own}
    for st in plan.statements:
        scope = getattr(st, "scope", None)
        if scope is not None and scope.account is not None:
            found.add(scope.account.key)
        if isinstance(st, ast.Restore) and st.to_account is not None:
            found.add(st.to_account.key)
        if isinstance(st, ast.Verify) and st.account is not None:
            found.add(st.account.key)
    return found


def _objects(plan: ast.Plan) -> set[tuple[str, str]]:
    """(database, table or "") of every database and table a line names."""
    found = set()
    for st in plan.statements:
        scope = getattr(st, "scope", None)
        if scope is not None and scope.database is not None:
            found.add((scope.database.key, scope.table.key if scope.table else ""))
    return found


def _as_created(st: ast.Statement) -> ast.CreateSnapshot | ast.CreatePitr | None:
    if isinstance(st, ast.ExistingSnapshot):
        return ast.CreateSnapshot(st.name, st.scope)
    if isinstance(st, ast.ExistingPitr):
        return ast.CreatePitr(st.name, st.scope, st.range or DRILL_RANGE)
    return None


def _create_account(root: Any, account: str) -> None:
    _run(root, f"CREATE ACCOUNT `{account}` ADMIN_NAME 'admin' IDENTIFIED BY '{PASSWORD}'")


AFTER_EXISTING = "after existing"


def _parts(text: str, name: str) -> tuple[list[Any], list[Any]]:
    """The seed split at its `-- after existing` line: what runs before the `existing`
    objects are made, and what runs after."""
    from modsl.sqlimport.split import SqlComment, Unterminated, split

    parts = list(split(text))
    for part in parts:
        if isinstance(part, Unterminated):
            raise SeedError(f"{name}:{part.line}:{part.column}: unterminated {part.what}")
    cut = next((i for i, p in enumerate(parts) if isinstance(p, SqlComment)
                and any(line.strip().lower() == AFTER_EXISTING for line in p.lines)),
               len(parts))
    return parts[:cut], parts[cut:]


def _seed(server: StandIn, parts: list[Any], name: str, own: str, accounts: set[str]) -> str:
    """The seed's statements, as `own`; a `-- as account NAME` line runs what follows as
    that account (created if the plan does not name it). Returns the account it ended as."""
    from modsl.sqlimport.split import Chunk, SqlComment

    account = own
    connections: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, SqlComment):
            for line in part.lines:
                words = line.split()
                if [w.lower() for w in words[:2]] == ["as", "account"] and len(words) == 3:
                    account = words[2].lower()
                    if account not in accounts and account.replace("_", "").replace(
                            "-", "").isalnum():
                        _create_account(connections.setdefault("sys", _connect(server,
                                                                                "root")),
                                        account)
                        accounts.add(account)
            continue
        assert isinstance(part, Chunk)
        try:
            if account not in connections:
                connections[account] = _connect(server, "root" if account == "sys"
                                                else f"{account}:admin")
            _run(connections[account], part.text)
        except Exception as exc:
            message = exc.args[1] if len(exc.args) > 1 else exc
            raise SeedError(f"{name}:{part.line}: {message}") from None
    return account


def _connect(server: StandIn, login: str) -> Any:
    import pymysql

    return pymysql.connect(host="127.0.0.1", port=server.port, user=login,
                           password="" if login == "root" else PASSWORD, autocommit=True)


def _run(connection: Any, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)

"""Drill mode for a MatrixOne plan (`modsl apply PLAN --standin`): an in-process MatrixOne
stand-in seeded so the plan's promises hold, to rehearse a restore in CI with no server (the
engine-neutral frame is `modsl.runtime.drill`).

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
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.language import ast
from modsl.runtime.drill import Drill, SeedError, connect, run_seed, run_sql, seed_parts
from modsl.time.clock import BadTimestamp, parse_timestamp

if TYPE_CHECKING:
    from modsl.standin import StandIn

PASSWORD = "drill"
DRILL_RANGE = ast.Duration(100, "d")
"""The range of an `existing pitr` declared without one (the widest a PITR may keep in days)."""


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
            run_sql(mine, f"CREATE DATABASE IF NOT EXISTS `{database}`")
            if table:
                run_sql(mine, f"CREATE TABLE IF NOT EXISTS `{database}`.`{table}` (id INT)")
        before, after = seed_parts(seed or "", seed_name)
        account = _seed(server, before, seed_name, own, accounts)
        engine = targets.engine(target.engine)
        for st in plan.statements:
            made = _as_created(st)
            if made is not None:
                sql = engine.emit(made, target, own, None)
                assert sql is not None
                run_sql(mine, sql)
        server.clock.run_from(now)
        _seed(server, after, seed_name, account, accounts)
    except BaseException:
        server.stop()
        raise
    return server


def drill(plan: ast.Plan, target: targets.TargetVersion, own: str, seed: str | None,
          seed_name: str, now: datetime) -> Drill:
    """`ENGINE.drill()`: the seeded stand-in, the plan's login on it, and a login into any
    other account (a drill's restores into other accounts)."""
    server = start(plan, target, own, seed, seed_name, now)
    return Drill(server, dsn(server, own), lambda account: dsn(server, account))


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
    run_sql(root, f"CREATE ACCOUNT `{account}` ADMIN_NAME 'admin' IDENTIFIED BY '{PASSWORD}'")


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
        except Exception as exc:
            message = exc.args[1] if len(exc.args) > 1 else exc
            raise SeedError(f"{name}:{part.line}: {message}") from None
        run_seed(connections[account], part, name)
    return account


def _connect(server: StandIn, login: str) -> Any:
    return connect(server, login, "" if login == "root" else PASSWORD)


class Scratch:
    """`ENGINE.restore_tests()`: a restore test's clone into scratch databases, MatrixOne's
    way (`CREATE DATABASE ... CLONE ... {SNAPSHOT = ...}`; an account snapshot is cloned one
    database at a time, as `SHOW DATABASES {SNAPSHOT = ...}` lists them)."""

    @property
    def system_databases(self) -> frozenset[str]:
        from modsl.engines.matrixone.names import SYSTEM_DATABASES

        return SYSTEM_DATABASES

    def source(self, drill: ast.Drill, statements: Iterable[ast.Statement]
               ) -> ast.ScheduledSnapshot | None:
        from modsl.engines.matrixone.rules.clones import drill_source

        return drill_source(drill, statements)

    def render(self, text: str, template: str, name: str) -> str:
        from modsl.engines.matrixone.rules.clones import render

        return render(text, template, name)

    def drop(self, database: str) -> str:
        from modsl.engines.matrixone.quoting import ident

        return f"DROP DATABASE IF EXISTS {ident(database)}"

    def clone(self, connection: Any, source: ast.ScheduledSnapshot, snapshot: str, base: str,
              made: list[str], send: Callable[[Any, str], None],
              emit: Callable[[ast.Clone], str]) -> None:
        from modsl.engines.matrixone.quoting import ident, string
        from modsl.runtime.live import query

        snap = ast.Source(ast.SourceKind.SNAPSHOT, ast.Name(snapshot))
        scope = source.scope
        if scope.level is ast.Level.DATABASE:
            assert scope.database is not None
            into = ast.Scope(ast.Level.DATABASE, database=ast.Name(base))
            made.append(base)
            send(connection, emit(ast.Clone(scope, snap, into)))
            return
        if scope.level is ast.Level.TABLE:
            assert scope.database is not None and scope.table is not None
            made.append(base)
            send(connection, f"CREATE DATABASE {ident(base)}")
            into = ast.Scope(ast.Level.TABLE, database=ast.Name(base), table=scope.table)
            send(connection, emit(ast.Clone(scope, snap, into)))
            return
        _, rows = query(connection, f"SHOW DATABASES {{SNAPSHOT = {string(snapshot)}}}")
        for (db,) in rows:
            if str(db).lower() in self.system_databases:
                continue
            target = f"{base}_{str(db).lower()}"
            made.append(target)
            send(connection, emit(ast.Clone(
                ast.Scope(ast.Level.DATABASE, database=ast.Name(str(db))), snap,
                ast.Scope(ast.Level.DATABASE, database=ast.Name(target)))))


SCRATCH = Scratch()

"""The MatrixOne engine: its versions and capabilities, and the SQL for each plan statement
(the emission table of docs/targets.md).

SQL is built from structure, never by pasting user text: every identifier goes through
`ident` and every literal through `string`. Both refuse what could not be emitted safely;
the checker has already rejected such names (MB201), so a refusal here is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, assert_never

from modsl.engines.matrixone.quoting import UnsafeName as UnsafeName
from modsl.engines.matrixone.quoting import ident as ident
from modsl.engines.matrixone.quoting import string as string
from modsl.engines.matrixone.statements import (
    ENGINE_NAME,
    REFUSALS,
    RESTORES_IN_PLACE,
    SQL_OPENERS,
    STATEMENTS,
)
from modsl.language import ast
from modsl.targets import Engine, TargetVersion, UnknownTarget

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime
    from typing import Any

    from modsl.checker import RestoreFacts
    from modsl.checker.state import Known
    from modsl.explainer import Words
    from modsl.runtime.drill import Drill
    from modsl.runtime.executor import Prepared
    from modsl.runtime.jobs import Job
    from modsl.runtime.live import Check, LiveObject, ServerInfo
    from modsl.runtime.restore_test import Scratch
    from modsl.sqlimport import Reader
    from modsl.standin.server import Personality

CAPABILITIES: Mapping[str, str] = {
    "brace_restore": "snapshot restores are `RESTORE ... {SNAPSHOT='s'}` (4.0+), not "
                     "`RESTORE ... FROM SNAPSHOT s` (3.0)",
    "account_database_pitr_restore": "`RESTORE ACCOUNT a DATABASE d [TABLE t] FROM PITR ...` "
                                     "parses (4.1+)",
    "clone": "`CREATE DATABASE|TABLE ... CLONE ... {SNAPSHOT|TIMESTAMP = ...} [TO ACCOUNT a]` "
             "(3.0.0+; the 3.0 target also stands for 2.1 and 2.2, which lack it)",
}
_V4 = frozenset({"brace_restore", "clone"})
_V41 = _V4 | {"account_database_pitr_restore"}
# A tenant keeps 50 snapshots per level by default from 4.0 (`feature_limit.go`); 3.0 has none.
_QUOTA = {"tenant_snapshots_per_level": 50}

VERSIONS = (
    TargetVersion(ENGINE_NAME, "3.0"),
    TargetVersion(ENGINE_NAME, "4.0", _V4, _QUOTA),
    TargetVersion(ENGINE_NAME, "4.1", _V41, _QUOTA),
    TargetVersion(ENGINE_NAME, "4.2", _V41, _QUOTA),
)

# What each version target stands for, when it stands for more than one release.
_COVERS = {"3.0": "every release from 2.1 through 3.0.x: the `FROM SNAPSHOT` restore syntax"}


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


class MatrixOneEngine:
    """The MatrixOne engine (`ENGINE`; the sqlglot dialect is `dialect.MatrixOne`)."""

    name = ENGINE_NAME
    versions: tuple[TargetVersion, ...] = VERSIONS
    default = True
    default_port = 6001
    capabilities = CAPABILITIES
    accounts = True
    rolls_back = True
    rule_modules: tuple[str, ...] = tuple(f"{__name__}.rules.{m}" for m in (
        "clones", "existence", "forms", "levels", "names", "permissions", "references",
        "safety", "undo", "values", "verify_account"))
    statements = STATEMENTS
    refusals = REFUSALS
    restores_in_place = RESTORES_IN_PLACE
    title = "MatrixOne"
    sql_openers = SQL_OPENERS

    def resolve(self, version: str) -> TargetVersion:
        known = ", ".join(v.version for v in VERSIONS)
        numbers = _numbers(version)
        family = next((v for v in VERSIONS if numbers[:2] == _numbers(v.version)), None)
        if family is None and (2, 1) <= numbers[:2] < (3, 0):
            family = VERSIONS[0]
        if family is not None:
            covers = _COVERS.get(family.version)
            raise UnknownTarget(f"write `{ENGINE_NAME} {family.version}`: that target covers "
                                f"{ENGINE_NAME} {version}" + (f" ({covers})" if covers else ""))
        if () < numbers < (2, 1):
            raise UnknownTarget(f"{ENGINE_NAME} {version} is not supported: releases before 2.1 "
                                "lack database and table snapshots, `FOR ACCOUNT` without a name "
                                f"and table PITRs (known: {known})")
        raise UnknownTarget(f"unknown {ENGINE_NAME} version `{version}`; known: {known}")

    def kind(self, st: ast.Statement) -> str | None:
        return kind(st)

    def emit(self, st: ast.Statement, version: TargetVersion, account: str,
             facts: RestoreFacts | None) -> str | None:
        return emit(st, version, account, None if facts is None else facts.source)

    def job(self, sql: str) -> Job | None:
        return None  # every statement is done when the server answers

    def prepare(self, sql: str, connection: Any) -> Prepared:
        from modsl.runtime.executor import Prepared

        return Prepared(sql)

    def login(self, user: str, account: str) -> str:
        return f"{account}:{user}"  # `GetTenantInfo` (authenticate.go): account:user[:role]

    def sql_reader(self, version: TargetVersion, account: str) -> Reader:
        from modsl.engines.matrixone.reader import MatrixOneReader

        return MatrixOneReader(version, account)

    def live_checks(self, connection: Any, version: TargetVersion, account: str,
                    plan: ast.Plan | None, done: frozenset[int]) -> Iterator[Check]:
        from modsl.engines.matrixone.live import checks

        return checks(connection, version, account, plan, done)

    def live_server(self, connection: Any) -> ServerInfo:
        from modsl.engines.matrixone.live import server

        return server(connection)

    def live_objects(self, connection: Any) -> list[LiveObject]:
        from modsl.engines.matrixone.live import objects

        return objects(connection)

    def drill(self, plan: ast.Plan, target: TargetVersion, own: str, seed: str | None,
              seed_name: str, now: datetime) -> Drill:
        from modsl.engines.matrixone.drill import drill

        return drill(plan, target, own, seed, seed_name, now)

    def live_backups(self, connection: Any, repository: str, label: str | None = None
                     ) -> list[tuple[str, datetime | None]]:
        return []  # MatrixOne keeps snapshots, not backups in repositories (MB408)

    def restore_tests(self) -> Scratch | None:
        from modsl.engines.matrixone.drill import SCRATCH

        return SCRATCH

    def words(self) -> Words:
        from modsl.engines.matrixone.words import WORDS

        return WORDS

    def standin(self) -> Personality:
        from modsl.engines.matrixone.standin.session import PERSONALITY

        return PERSONALITY


ENGINE: Engine = MatrixOneEngine()  # mypy holds the class to the protocol

def _key(name: ast.Name) -> str:
    return ident(name.key)


def _object(scope: ast.Scope) -> str:
    """`CLUSTER`, `ACCOUNT [a]`, `DATABASE d`, `TABLE d t` (no dot: MatrixOne's syntax)."""
    if scope.level is ast.Level.CLUSTER:
        return "CLUSTER"
    if scope.level is ast.Level.ACCOUNT:
        return "ACCOUNT" if scope.account is None else f"ACCOUNT {_key(scope.account)}"
    assert scope.database is not None
    if scope.level is ast.Level.DATABASE:
        return f"DATABASE {_key(scope.database)}"
    assert scope.table is not None
    return f"TABLE {_key(scope.database)} {_key(scope.table)}"


def _range(d: ast.Duration) -> str:
    return f"RANGE {d.value} {string(d.unit)}"


def kind(st: ast.Statement) -> str | None:
    """The statement kind, as MatrixOne's test corpus names them; None for declarations."""
    match st:
        case ast.Restore():
            return f"restore_{st.source.kind.value}"
        case ast.CreateSnapshot():
            return "create_snapshot"
        case ast.DropSnapshot():
            return "drop_snapshot"
        case ast.CreatePitr():
            return "create_pitr"
        case ast.AlterPitr():
            return "alter_pitr"
        case ast.DropPitr():
            return "drop_pitr"
        case ast.ExistingSnapshot() | ast.ExistingPitr() | ast.Schedule():
            return None
        case ast.ScheduledSnapshot():  # `modsl run` emits each firing's CREATE SNAPSHOT
            return None
        case ast.Clone():
            return f"clone_{st.into.level.value}"
        case ast.Drill():  # `modsl run` emits each firing's clones, verifies and drops
            return None
        case ast.Verify():
            return "verify"
        case (ast.CreateRepository() | ast.ExistingRepository() | ast.DropRepository()
              | ast.Backup() | ast.RestoreBackup()):
            return None  # StarRocks' (MB408)
        case _:
            assert_never(st)


def emit(st: ast.Statement, target: TargetVersion, own: str, source: Known | None) -> str | None:
    """The SQL for one statement (no `;`), or None for `existing` declarations.

    `own` is the plan's account; `source` the snapshot or PITR a restore reads, as the
    checker knew it (its level picks the form of an account restore from a PITR).
    """
    match st:
        case ast.CreateSnapshot():
            ine = "IF NOT EXISTS " if st.if_not_exists else ""
            return f"CREATE SNAPSHOT {ine}{_key(st.name)} FOR {_object(st.scope)}"
        case ast.DropSnapshot():
            return f"DROP SNAPSHOT {'IF EXISTS ' if st.if_exists else ''}{_key(st.name)}"
        case ast.CreatePitr():
            ine = "IF NOT EXISTS " if st.if_not_exists else ""
            return (f"CREATE PITR {ine}{_key(st.name)} FOR {_object(st.scope)} "
                    f"{_range(st.range)}")
        case ast.AlterPitr():
            ie = "IF EXISTS " if st.if_exists else ""
            return f"ALTER PITR {ie}{_key(st.name)} {_range(st.range)}"
        case ast.DropPitr():
            return f"DROP PITR {'IF EXISTS ' if st.if_exists else ''}{_key(st.name)}"
        case ast.Restore():
            if st.source.kind is ast.SourceKind.SNAPSHOT:
                return _restore_snapshot(st, target, own)
            return _restore_pitr(st, own, source)
        case ast.ExistingSnapshot() | ast.ExistingPitr() | ast.Schedule():
            return None
        case ast.ScheduledSnapshot() | ast.Drill():
            return None
        case ast.Clone():
            return clone(st)
        case ast.Verify():
            return _verify(st)
        case (ast.CreateRepository() | ast.ExistingRepository() | ast.DropRepository()
              | ast.Backup() | ast.RestoreBackup()):
            raise UnsafeName(f"{type(st).__name__} has no MatrixOne SQL (MB408)")
        case _:
            assert_never(st)


def clone(st: ast.Clone) -> str:
    """`CREATE DATABASE d2 CLONE d {SNAPSHOT = 's'}` or `CREATE TABLE d2.t2 CLONE d.t
    {TIMESTAMP = 'ts'}`, with `TO ACCOUNT a` (mysql_sql.y's clone rules, 3.0.0+). A PITR is
    read through its moment: the server finds the history a PITR keeps for that time."""
    src = st.source
    if src.kind is ast.SourceKind.SNAPSHOT:
        at = f" {{SNAPSHOT = {string(src.name.key)}}}"
    else:
        assert src.at is not None
        at = f" {{TIMESTAMP = {string(src.at.text)}}}"
    to = "" if st.to_account is None else f" TO ACCOUNT {_key(st.to_account)}"
    assert st.scope.database is not None and st.into.database is not None
    if st.into.table is None:
        return (f"CREATE DATABASE {_key(st.into.database)} CLONE "
                f"{_key(st.scope.database)}{at}{to}")
    assert st.scope.table is not None
    return (f"CREATE TABLE {_key(st.into.database)}.{_key(st.into.table)} CLONE "
            f"{_key(st.scope.database)}.{_key(st.scope.table)}{at}{to}")


def _verify(st: ast.Verify) -> str:
    """The SELECT a verify runs; its first value is compared with the expectation. A query
    is the plan's own text, checked (MB211) to be exactly one read-only SELECT."""
    db = st.database.key if st.database else ""
    table = st.table.key if st.table else ""
    match st.kind:
        case ast.VerifyKind.ROWS:
            return f"SELECT COUNT(*) FROM {ident(db)}.{ident(table)}"
        case ast.VerifyKind.TABLE:
            return (f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                    f"{string(db)} AND table_name = {string(table)}")
        case ast.VerifyKind.DATABASE:
            return (f"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = "
                    f"{string(db)}")
        case ast.VerifyKind.QUERY:
            query = st.query or ""
            if "\n" in query or "\r" in query or "\0" in query:
                raise UnsafeName(f"a verify query holds a line break: {query!r}")
            return query.strip().rstrip(";").rstrip()
        case _:
            assert_never(st.kind)


def _account_of(st: ast.Restore, own: str) -> str:
    return own if st.scope.account is None else st.scope.account.key


def _restore_snapshot(st: ast.Restore, target: TargetVersion, own: str) -> str:
    snap = st.source.name.key
    level = st.scope.level
    to = "" if st.to_account is None else f" TO ACCOUNT {_key(st.to_account)}"
    if target.can("brace_restore"):
        brace = f"{{SNAPSHOT={string(snap)}}}"
        if level is ast.Level.CLUSTER:
            return f"RESTORE CLUSTER{brace}"
        if level is ast.Level.ACCOUNT:
            return f"RESTORE ACCOUNT {ident(_account_of(st, own))}{brace}{to}"
        assert st.scope.database is not None
        if level is ast.Level.DATABASE:
            return f"RESTORE DATABASE {_key(st.scope.database)}{brace}"
        assert st.scope.table is not None
        return f"RESTORE TABLE {_key(st.scope.database)}.{_key(st.scope.table)}{brace}"
    source = f"FROM SNAPSHOT {ident(snap)}"
    if level is ast.Level.CLUSTER:
        return f"RESTORE CLUSTER {source}"
    if level is ast.Level.ACCOUNT:
        return f"RESTORE ACCOUNT {ident(_account_of(st, own))} {source}{to}"
    assert st.scope.database is not None
    db = f"RESTORE ACCOUNT {ident(own)} DATABASE {_key(st.scope.database)}"
    if level is ast.Level.DATABASE:
        return f"{db} {source}"
    assert st.scope.table is not None
    return f"{db} TABLE {_key(st.scope.table)} {source}"


def _restore_pitr(st: ast.Restore, own: str, source: Known | None) -> str:
    assert st.source.at is not None
    pitr = f"FROM PITR {_key(st.source.name)} {string(st.source.at.text)}"
    level = st.scope.level
    if level is ast.Level.CLUSTER:
        return f"RESTORE CLUSTER {pitr}"
    if level is ast.Level.ACCOUNT:
        # `RESTORE ACCOUNT dest FROM PITR p 'ts' source` reads a cluster PITR; without the
        # trailing source, an account PITR restores the account it covers into `dest`.
        account = _account_of(st, own)
        dest = account if st.to_account is None else st.to_account.key
        in_place = account == own and dest == own
        if source is None or source.level is None:
            if in_place and own != "sys":
                return f"RESTORE {pitr}"
            raise ValueError(f"the level of PITR `{st.source.name.key}` is unknown (MB404)")
        if source.level is ast.Level.CLUSTER:
            return f"RESTORE ACCOUNT {ident(dest)} {pitr} {ident(account)}"
        if in_place:
            return f"RESTORE {pitr}"
        return f"RESTORE ACCOUNT {ident(dest)} {pitr}"
    assert st.scope.database is not None
    if level is ast.Level.DATABASE:
        return f"RESTORE DATABASE {_key(st.scope.database)} {pitr}"
    assert st.scope.table is not None
    return f"RESTORE DATABASE {_key(st.scope.database)} TABLE {_key(st.scope.table)} {pitr}"

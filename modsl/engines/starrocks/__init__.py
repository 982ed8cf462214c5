"""The StarRocks engine: its versions, and the SQL for repositories, backups and restores
(docs/targets.md, from StarRocks' FE source as ../spec/STARROCKS.md reads it).

StarRocks defines no printed form of these statements (its AST printers skip them), so this
module owns one: every identifier backquoted with backquotes doubled, every string
double-quoted with `\\` and `"` escaped, so no name or value can end its token. A secret
property is emitted as `env("NAME")`, which is not SQL: apply substitutes the value when it
sends the statement (`prepare`), so no file, journal or review ever holds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, assert_never

from modsl.engines.starrocks.quoting import (
    BACKUP_TIMESTAMP_PLACEHOLDER as BACKUP_TIMESTAMP_PLACEHOLDER,
)
from modsl.engines.starrocks.quoting import NEVER as _NEVER
from modsl.engines.starrocks.quoting import UnsafeValue as UnsafeValue
from modsl.engines.starrocks.quoting import ident as ident
from modsl.engines.starrocks.quoting import string as string
from modsl.engines.starrocks.statements import ENGINE_NAME, REFUSALS, SQL_OPENERS, STATEMENTS
from modsl.environ import ENV_NAME
from modsl.language import ast
from modsl.targets import Engine, TargetVersion, UnknownTarget

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime
    from typing import Any

    from modsl.checker import RestoreFacts
    from modsl.explainer import Words
    from modsl.runtime.drill import Drill
    from modsl.runtime.executor import Prepared
    from modsl.runtime.jobs import Job
    from modsl.runtime.live import Check, LiveObject, ServerInfo
    from modsl.runtime.restore_test import Scratch
    from modsl.sqlimport import Reader
    from modsl.standin.server import Personality

CAPABILITIES: Mapping[str, str] = {
    "database_clause": "`BACKUP DATABASE d SNAPSHOT s` and `RESTORE ... DATABASE d [AS e]` "
                       "parse (3.4+); before, only `SNAPSHOT d.s`, which restores into `d` "
                       "whatever database the backup holds",
    "trimmed_keys": "property keys are trimmed of leading and trailing blanks before they "
                    "are looked up (3.4+); before, `\" timeout\"` is an unknown key",
}
_V34 = frozenset({"database_clause", "trimmed_keys"})

VERSIONS = (
    TargetVersion(ENGINE_NAME, "3.3"),
    TargetVersion(ENGINE_NAME, "3.4", _V34),
    TargetVersion(ENGINE_NAME, "3.5", _V34),
    TargetVersion(ENGINE_NAME, "4.0", _V34),
    TargetVersion(ENGINE_NAME, "4.1", _V34),
)

def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


class StarRocksEngine:
    """The StarRocks engine (`ENGINE`)."""

    name = ENGINE_NAME
    versions: tuple[TargetVersion, ...] = VERSIONS
    default = False
    default_port = 9030
    capabilities = CAPABILITIES
    accounts = False
    rolls_back = False
    rule_modules: tuple[str, ...] = (f"{__name__}.rules",)
    statements = STATEMENTS
    refusals = REFUSALS
    restores_in_place: Mapping[ast.Level, tuple[ast.Level, ...]] = MappingProxyType({})
    """None: a restore from a repository is undone by no snapshot or PITR of the plan's."""
    title = "StarRocks"
    sql_openers = SQL_OPENERS

    def resolve(self, version: str) -> TargetVersion:
        known = ", ".join(v.version for v in VERSIONS)
        numbers = _numbers(version)
        family = next((v for v in VERSIONS if numbers[:2] == _numbers(v.version)), None)
        if family is not None:
            raise UnknownTarget(f"write `{ENGINE_NAME} {family.version}`: that target covers "
                                f"{ENGINE_NAME} {version}")
        if () < numbers < (3, 3):
            raise UnknownTarget(f"write `{ENGINE_NAME} 3.3`: that target covers every release "
                                f"before 3.4 (`SNAPSHOT db.s`, no `DATABASE` clause)")
        raise UnknownTarget(f"unknown {ENGINE_NAME} version `{version}`; known: {known}")

    def kind(self, st: ast.Statement) -> str | None:
        return kind(st)

    def emit(self, st: ast.Statement, version: TargetVersion, account: str,
             facts: RestoreFacts | None) -> str | None:
        return emit(st, version)

    def job(self, sql: str) -> Job | None:
        return job(sql)

    def prepare(self, sql: str, connection: Any) -> Prepared:
        return prepare(sql, connection)

    def login(self, user: str, account: str) -> str:
        return user  # no tenants: a `?account=` in a DSN means nothing here

    def sql_reader(self, version: TargetVersion, account: str) -> Reader:
        from modsl.engines.starrocks.reader import StarRocksReader

        return StarRocksReader(version)

    def live_checks(self, connection: Any, version: TargetVersion, account: str,
                    plan: ast.Plan | None, done: frozenset[int]) -> Iterator[Check]:
        from modsl.engines.starrocks.live import checks

        return checks(connection, version, plan, done)

    def live_server(self, connection: Any) -> ServerInfo:
        from modsl.engines.starrocks.live import server

        return server(connection)

    def live_objects(self, connection: Any) -> list[LiveObject]:
        from modsl.engines.starrocks.live import repositories

        return repositories(connection)

    def drill(self, plan: ast.Plan, target: TargetVersion, own: str, seed: str | None,
              seed_name: str, now: datetime) -> Drill:
        from modsl.engines.starrocks.drill import drill

        return drill(plan, target, own, seed, seed_name, now)

    def live_backups(self, connection: Any, repository: str, label: str | None = None
                     ) -> list[tuple[str, datetime | None]]:
        from modsl.engines.starrocks.live import backups

        return backups(connection, repository, label)

    def restore_tests(self) -> Scratch | None:
        return None  # a backup cannot be cloned into a scratch database (MB408)

    def words(self) -> Words:
        from modsl.engines.starrocks.words import WORDS

        return WORDS

    def standin(self) -> Personality:
        from modsl.engines.starrocks.standin import PERSONALITY

        return PERSONALITY


ENGINE: Engine = StarRocksEngine()  # mypy holds the class to the protocol


def _single(value: str) -> str:
    """A single-quoted string for a verify, `'` doubled: a verify is read-only by the checks
    apply makes again on its text (MB211), which refuse what another sql_mode would read
    differently (double quotes, backslashes)."""
    if _NEVER.intersection(value) or "\\" in value:
        raise UnsafeValue(f"refusing to emit string {value!r} in a verify")
    return "'" + value.replace("'", "''") + "'"


def _props(props: tuple[ast.Property, ...], first: tuple[str, str] | None = None) -> str:
    pairs = [] if first is None else [f"{string(first[0])} = {string(first[1])}"]
    for p in props:
        if p.env is not None:
            if not ENV_NAME.match(p.env):
                raise UnsafeValue(f"refusing to emit env({p.env!r})")
            pairs.append(f'{string(p.key)} = env("{p.env}")')
        else:
            pairs.append(f"{string(p.key)} = {string(p.value or '')}")
    return f" PROPERTIES ({', '.join(pairs)})" if pairs else ""


def _item(t: ast.TableItem, table_word: bool) -> str:
    text = ("TABLE " if table_word else "") + ident(t.name.text)
    if t.partitions:
        text += f" PARTITION ({', '.join(ident(p.text) for p in t.partitions)})"
    return text + ("" if t.alias is None else f" AS {ident(t.alias.text)}")


def _on(items: tuple[ast.TableItem, ...], table_word: bool) -> str:
    return f" ON ({', '.join(_item(t, table_word) for t in items)})" if items else ""


def kind(st: ast.Statement) -> str | None:
    """The statement kind; None for declarations (and for other engines' statements)."""
    match st:
        case ast.CreateRepository():
            return "create_repository"
        case ast.DropRepository():
            return "drop_repository"
        case ast.Backup():
            return None if st.schedule is not None else "backup"  # `modsl run` takes those
        case ast.RestoreBackup():
            return "restore_backup"
        case ast.Verify():
            return "verify"
        case (ast.ExistingRepository() | ast.Schedule() | ast.CreateSnapshot()
              | ast.DropSnapshot() | ast.ExistingSnapshot() | ast.ScheduledSnapshot()
              | ast.CreatePitr() | ast.AlterPitr() | ast.DropPitr() | ast.ExistingPitr()
              | ast.Restore() | ast.Clone() | ast.Drill()):
            return None
        case _:
            assert_never(st)


def emit(st: ast.Statement, target: TargetVersion) -> str | None:
    """The SQL for one statement (no `;`); None for declarations. 3.3 gets the forms every
    version parses (`SNAPSHOT db.s`); 3.4+ the `DATABASE` forms, which let the server check
    that the backup holds the database a restore names. On 3.3 a restore `into database e`
    is `SNAPSHOT e.s`: 3.3 restores the backup into `e` whatever database it holds, so the
    check that it holds `d` is the checker's (MB416) and the live check's (MB607). `restore
    backup` names no database (`RESTORE SNAPSHOT s FROM r`): 3.4+ restores the database
    recorded in the backup (AstBuilder); 3.3 has no such reading (MB408)."""
    match st:
        case ast.CreateRepository():
            broker = " WITH BROKER" + ("" if st.broker_name is None
                                       else f" {ident(st.broker_name.text)}")
            return (f"CREATE {'READ ONLY ' if st.read_only else ''}REPOSITORY "
                    f"{ident(st.name.text)}{broker} ON LOCATION {string(st.location)}"
                    f"{_props(st.properties)}")
        case ast.DropRepository():
            return f"DROP REPOSITORY {ident(st.name.text)}"
        case ast.Backup() if st.schedule is not None:
            return None  # taken at each firing (`modsl run`), as `firing` names it
        case ast.Backup():
            db, snap, repo = st.database.text, st.snapshot.text, st.repository.text
            if target.can("database_clause"):
                head = f"BACKUP DATABASE {ident(db)} SNAPSHOT {ident(snap)} TO {ident(repo)}"
                return head + _on(st.tables, True) + _props(st.properties)
            head = f"BACKUP SNAPSHOT {ident(db)}.{ident(snap)} TO {ident(repo)}"
            return head + _on(st.tables, False) + _props(st.properties)
        case ast.RestoreBackup():
            snap, repo = st.snapshot.text, st.repository.text
            stamp = ("backup_timestamp",
                     BACKUP_TIMESTAMP_PLACEHOLDER if st.at is None else st.at.text)
            if st.names_no_database:  # 3.4+: the database recorded in the backup
                if not target.can("database_clause"):
                    raise UnsafeValue("`restore backup` has no StarRocks 3.3 SQL (MB408)")
                return (f"RESTORE SNAPSHOT {ident(snap)} FROM {ident(repo)}"
                        f"{_props(st.properties, stamp)}")
            assert st.scope.database is not None
            db = st.scope.database.text
            if target.can("database_clause"):
                into = "" if st.into is None else f" AS {ident(st.into.text)}"
                return (f"RESTORE SNAPSHOT {ident(snap)} FROM {ident(repo)} DATABASE "
                        f"{ident(db)}{into}{_on(st.tables, True)}{_props(st.properties, stamp)}")
            target_db = db if st.into is None else st.into.text
            return (f"RESTORE SNAPSHOT {ident(target_db)}.{ident(snap)} FROM {ident(repo)}"
                    f"{_on(st.tables, False)}{_props(st.properties, stamp)}")
        case ast.Verify():
            return verify(st)
        case ast.ExistingRepository() | ast.Schedule():
            return None
        case (ast.CreateSnapshot() | ast.DropSnapshot() | ast.ExistingSnapshot()
              | ast.ScheduledSnapshot() | ast.CreatePitr() | ast.AlterPitr() | ast.DropPitr()
              | ast.ExistingPitr() | ast.Restore() | ast.Clone() | ast.Drill()):
            raise UnsafeValue(f"{type(st).__name__} has no StarRocks SQL (MB408)")
        case _:
            assert_never(st)


def verify(st: ast.Verify) -> str:
    """The SELECT a verify runs on StarRocks (names as written: its tables are case-sensitive)."""
    db = st.database.text if st.database else ""
    table = st.table.text if st.table else ""
    match st.kind:
        case ast.VerifyKind.ROWS:
            return f"SELECT COUNT(*) FROM {ident(db)}.{ident(table)}"
        case ast.VerifyKind.TABLE:
            return (f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                    f"{_single(db)} AND table_name = {_single(table)}")
        case ast.VerifyKind.DATABASE:
            return (f"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = "
                    f"{_single(db)}")
        case ast.VerifyKind.QUERY:
            query = st.query or ""
            if _NEVER.intersection(query):
                raise UnsafeValue(f"a verify query holds a line break: {query!r}")
            return query.strip().rstrip(";").rstrip()
        case _:
            assert_never(st.kind)


# -- apply: the jobs statements start, and the placeholders they are sent with --------------

_ID = r"`((?:[^`]|``)+)`"
_BACKUP = re.compile(rf"BACKUP (?:DATABASE {_ID} SNAPSHOT {_ID}|SNAPSHOT {_ID}\.{_ID}) TO {_ID}")
_RESTORE = re.compile(rf"RESTORE SNAPSHOT (?:{_ID}\.)?{_ID} FROM {_ID}"
                      rf"(?: DATABASE {_ID}(?: AS {_ID})?)?")
_STAMP = re.compile(r'"backup_timestamp" = "((?:[^"\\]|\\.)*)"')
_ENV = re.compile(r'env\("([A-Za-z_][A-Za-z0-9_]*)"\)')


def _unquote(name: str) -> str:
    return name.replace("``", "`")


def job(sql: str) -> Job | None:
    """The job a statement of this module's printing starts: found in `SHOW BACKUP|RESTORE
    FROM db` by its label (and a restore by its timestamp too); a backup no longer listed is
    finished when its repository shows the label (SHOW SNAPSHOT)."""
    from modsl.runtime.jobs import Job

    m = _BACKUP.match(sql)
    if m is not None:
        db = _unquote(m.group(1) or m.group(3))
        label = _unquote(m.group(2) or m.group(4))
        repo = _unquote(m.group(5))
        return Job("backup", f"SHOW BACKUP FROM {ident(db)}",
                   (("snapshotname", label), ("dbname", db)),
                   finished_elsewhere=f"SHOW SNAPSHOT ON {ident(repo)} WHERE SNAPSHOT = "
                                      f"{string(label)}")
    m = _RESTORE.match(sql)
    stamp = _STAMP.search(sql)
    if m is not None and stamp is not None:
        label = _unquote(m.group(2))
        db = _unquote(m.group(5) or m.group(4) or m.group(1) or "")
        match = [("label", label), ("timestamp", stamp.group(1))]
        if db:
            match.append(("dbname", db))
        return Job("restore", f"SHOW RESTORE FROM {ident(db)}" if db else "SHOW RESTORE",
                   tuple(match))
    return None


class MissingSecret(ValueError):
    pass


def prepare(sql: str, connection: Any, environ: Mapping[str, str] | None = None) -> Prepared:
    """`env("NAME")` filled from the environment (the values are never journaled, and are
    blanked from messages), and a restore's `{backup_timestamp}` read from the repository:
    the one timestamp of the backup the plan made (its name is new in the repository, MB604,
    so there is exactly one)."""
    import os

    from modsl.runtime.executor import Prepared

    env = os.environ if environ is None else environ
    secrets: list[str] = []

    def fill(m: re.Match[str]) -> str:
        value = env.get(m.group(1))
        if value is None:
            raise MissingSecret(f"the environment variable {m.group(1)} is not set (the "
                                "statement needs it; nothing was sent)")
        secrets.append(value)
        return string(value)

    sent = _ENV.sub(fill, sql)
    journal: dict[str, str] = {}
    if BACKUP_TIMESTAMP_PLACEHOLDER in sent:
        m = _RESTORE.match(sent)
        assert m is not None, "a backup timestamp placeholder outside a restore"
        label, repo = _unquote(m.group(2)), _unquote(m.group(3))
        stamp = _backup_stamp(connection, repo, label)
        journal["backup_timestamp"] = stamp
        sent = sent.replace(string(BACKUP_TIMESTAMP_PLACEHOLDER), string(stamp))
    return Prepared(sent, journal, tuple(secrets))


def _backup_stamp(connection: Any, repo: str, label: str) -> str:
    cursor = connection.cursor()
    try:
        cursor.execute(f"SHOW SNAPSHOT ON {ident(repo)} WHERE SNAPSHOT = {string(label)}")
        names = [str(d[0]).lower() for d in cursor.description or ()]
        rows = list(cursor.fetchall())
    finally:
        cursor.close()
    column = names.index("timestamp") if "timestamp" in names else 1
    stamps = sorted({str(r[column]) for r in rows})
    if len(stamps) != 1:
        raise ValueError(f"repository `{repo}` lists {len(stamps)} backups named `{label}`, "
                         "so which to restore is not known: write its timestamp with `at`")
    if not re.fullmatch(r"[\d-]+", stamps[0]):
        raise ValueError(f"repository `{repo}` gives backup `{label}` the timestamp "
                         f"{stamps[0]!r}")
    return stamps[0]

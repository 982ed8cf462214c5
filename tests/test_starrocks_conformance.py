"""StarRocks' verdicts, read twice: every StarRocks lint case (tests/cases/lint/, `target
starrocks V`) is sent, statement by statement, to a stand-in of release V, whose reading of
StarRocks is its own (modsl/engines/starrocks/standin.py imports nothing of the checker's).

A line the checker refuses with the server's own words is refused by the stand-in with those
words; a line it passes runs. Lines refused only as prudence (a name twice, a control
character), or for what only the plan knows (MB408, MB412 ...), are not compared. The world is
what the plan says: its databases and tables exist, its `existing` repositories too, and a
repository holds each backup a restore names `at` a timestamp (a `restore backup`'s holds
database `HELD`)."""

from __future__ import annotations

import re
from pathlib import Path

import pymysql
import pytest
from conftest import CASES, NOW

import modsl
from modsl.engines import starrocks
from modsl.engines.starrocks.standin import Image, Repository
from modsl.language import ast
from modsl.standin import StandIn
from modsl.standin.store import Table

LINT = sorted(p for p in (CASES / "lint").glob("*.mobak")
              if re.search(rb"^target starrocks", p.read_bytes(), re.M))
QUOTING = {"MB216", "MB217", "MB220", "MB221", "MB222", "MB224"}
"""Codes whose messages are the server's text (STARROCKS.md §3, §5)."""
PRUDENCE = re.compile(r"^(empty |property `|.* contains a control character)")
HELD = "held"
"""The database in a backup that a `restore backup` line restores (the plan does not say)."""


def _world(server: StandIn, connection: pymysql.Connection, plan: ast.Plan,
           bad: set[int]) -> None:
    """The databases and tables the plan's good lines name, and its `existing` repositories."""
    world = server.world
    for st in plan.statements:
        if st.span.line in bad:
            continue
        if isinstance(st, ast.ExistingRepository):
            world.repositories[st.name.text.lower()] = Repository(st.name.text.lower(), "s3://x",
                                                                  False)
        databases: list[str] = []
        if isinstance(st, ast.Backup):
            databases = [st.database.text]
            tables = [i.name.text for i in st.tables] or ["t"]
        elif isinstance(st, ast.RestoreBackup) and st.scope.database is not None:
            databases = [st.scope.database.text] + ([st.into.text] if st.into else [])
            tables = []
        for db in databases:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE IF NOT EXISTS {starrocks.ident(db)}")
                for t in tables:
                    cursor.execute(f"CREATE TABLE IF NOT EXISTS {starrocks.ident(db)}."
                                   f"{starrocks.ident(t)} (id INT)")


def _held(server: StandIn, plan: ast.Plan, st: ast.RestoreBackup) -> None:
    """A restore `at` a timestamp of a backup made elsewhere: the repository holds it."""
    written = {(b.repository.text, b.snapshot.text) for b in plan.statements
               if isinstance(b, ast.Backup)}
    repo = server.world.repositories.get(st.repository.text.lower())
    if repo is None or st.at is None or (st.repository.text, st.snapshot.text) in written:
        return
    names = [i.name.text.lower() for i in st.tables] or ["t"]
    database = HELD if st.scope.database is None else st.scope.database.text.lower()
    repo.images.append(Image(st.snapshot.text.lower(), st.at.text, database,
                             {n: Table(["id"]) for n in names}))


@pytest.mark.parametrize("path", LINT, ids=[p.name for p in LINT])
def test_the_stand_in_agrees_with_the_checker(path: Path) -> None:
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    checked = modsl.check(plan, now=NOW)
    errors: dict[int, list[str]] = {}
    for d in checked.diagnostics:
        if d.is_error or d.code not in QUOTING:
            errors.setdefault(d.span.line, []).append(d.code if d.code not in QUOTING
                                                      or PRUDENCE.match(d.message)
                                                      else d.message)
    version = checked.target.version
    with StandIn(f"{version}.0", engine="starrocks") as server:
        connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                     password="x", autocommit=True)
        _world(server, connection, plan, set(errors))
        compared = unsent = 0
        for st in plan.statements:
            line = st.span.line
            said = errors.get(line, [])
            if said and any(not s.startswith(("MB", "Unknown", "Incorrect", "You", "Invalid",
                                               "timeout", "Duplicated", "Specifying"))
                            for s in said):
                continue
            if any(s.startswith("MB") for s in said):
                continue  # refused for what the plan knows, or as prudence: not the server's
            try:
                sql = starrocks.emit(st, checked.target)
            except starrocks.UnsafeValue:
                assert said, (path.name, line, "unemittable, yet the checker passes it")
                unsent += 1
                continue
            if sql is None or isinstance(st, ast.Verify):
                continue
            if isinstance(st, ast.RestoreBackup):
                _held(server, plan, st)
            try:  # a restore of the plan's own backup: its timestamp read as apply reads it
                sql = starrocks.prepare(sql, connection, {
                    k: "v" for k in re.findall(r'env\("(\w+)"\)', sql)}).sql
            except ValueError:
                assert said, (path.name, line, "the plan's backup is not there")
                continue
            if not said:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                for _ in range(10):  # the job runs to its end before the next line
                    server.world.advance()
                continue
            with pytest.raises(pymysql.MySQLError) as caught, connection.cursor() as cursor:
                cursor.execute(sql)
            message = str(caught.value.args[1])
            assert any(s in message for s in said), (path.name, line, sql, said, message)
            compared += 1
        connection.close()
    if "-fires" in path.name and any(not s.startswith("MB") for v in errors.values()
                                     for s in v):
        assert compared or unsent, f"{path.name}: no refusal was compared"


def test_the_empty_broker_is_refused_as_the_checker_says() -> None:
    """`broker ``` cannot be printed (an empty identifier), so it is sent here as a user
    would write it: the stand-in says what MB220 says."""
    plan, _ = modsl.parse(b'target starrocks 3.4\nrepository r at "s3://b" broker ``\n')
    (said,) = [d.message for d in modsl.check(plan).diagnostics]
    with StandIn("3.4.0", engine="starrocks") as server:
        connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                     password="x", autocommit=True)
        with pytest.raises(pymysql.MySQLError, match=said), connection.cursor() as cursor:
            cursor.execute('CREATE REPOSITORY r WITH BROKER `` ON LOCATION "s3://b"')
        connection.close()


IMPORTS = sorted((CASES / "import").glob("starrocks-*.starrocks-*.sql"))
REFUSED_BY_THE_SERVER = {"MB101", "MB110", "MB408"}
"""What the importer refuses because StarRocks does: not valid SQL, temporary partitions
(refused at submission), syntax the version lacks."""
NOT_IMPORTED = re.compile(r"^# modsl import: not imported \((MB\d+): ", re.M)


def _imported(path: Path) -> tuple[ast.Plan, list[tuple[str, ast.Statement | str]]]:
    """Each SQL statement of an import case with what its expected output (NAME.mobak) says
    the importer made of it: the plan statement it kept, or the code it was refused with. The
    expected output has one line per statement, in order, among the SQL's own comments."""
    from modsl.sqlimport.split import Chunk, split

    sql = [p.text for p in split(path.read_text(encoding="utf-8")) if isinstance(p, Chunk)]
    expected = path.with_suffix(".mobak").read_text(encoding="utf-8")
    plan, _ = modsl.parse(expected.encode(), path.with_suffix(".mobak").name)
    verdicts: list[tuple[int, ast.Statement | str]] = [(st.span.line, st)
                                                       for st in plan.statements]
    verdicts += [(expected.count("\n", 0, m.start()) + 1, m.group(1))
                 for m in NOT_IMPORTED.finditer(expected)]
    verdicts.sort(key=lambda v: v[0])
    assert len(verdicts) == len(sql), f"{path.name}: statements and verdicts do not pair up"
    return plan, list(zip(sql, [v for _, v in verdicts], strict=True))


def _prepare(server: StandIn, connection: pymysql.Connection, plan: ast.Plan) -> None:
    """What the kept statements name exists: their databases, tables (partitioned as they
    say), and the repositories the plan does not create."""
    world = server.world
    created = {st.name.text.lower() for st in plan.statements
               if isinstance(st, ast.CreateRepository)}
    for st in plan.statements:
        if not isinstance(st, ast.Backup | ast.RestoreBackup):
            continue
        repo = st.repository.text.lower()
        if repo not in created and repo not in world.repositories:
            world.repositories[repo] = Repository(repo, "s3://x", False)
        if isinstance(st, ast.Backup):
            databases, items = [st.database.text], st.tables
        elif st.scope.database is not None:  # before 3.4 a restore needs it there (S5)
            databases, items = [st.into.text if st.into else st.scope.database.text], ()
        else:  # `restore backup` (3.4+): the server creates the backup's database
            continue
        for db in databases:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE IF NOT EXISTS {starrocks.ident(db)}")
                for item in items:
                    cursor.execute(f"CREATE TABLE IF NOT EXISTS {starrocks.ident(db)}."
                                   f"{starrocks.ident(item.name.text)} (id INT)")
                    if item.partitions:
                        world.partitions.setdefault(
                            (db.lower(), item.name.text.lower()), set()).update(
                            p.text.lower() for p in item.partitions)


def _hold(server: StandIn, st: ast.RestoreBackup) -> None:
    """The repository holds the backup a restore names, with what the restores of it take."""
    assert st.at is not None
    repo = server.world.repositories[st.repository.text.lower()]
    label, at = st.snapshot.text.lower(), st.at.text
    image = next((i for i in repo.images if (i.label, i.timestamp) == (label, at)), None)
    if image is None:
        image = Image(label, at, HELD if st.scope.database is None
                      else st.scope.database.text.lower(), {})
        repo.images.append(image)
    for name, parts in ({i.name.text.lower(): {p.text.lower() for p in i.partitions}
                         for i in st.tables} or {"t": set()}).items():
        image.tables.setdefault(name, Table(["id"]))
        if parts:
            image.partitions.setdefault(name, set()).update(parts)


@pytest.mark.parametrize("path", IMPORTS, ids=[p.name for p in IMPORTS])
def test_the_stand_in_takes_what_the_importer_keeps(path: Path) -> None:
    """Each statement of a StarRocks import case, sent as written to a stand-in of the
    case's version: what the importer kept, the server reads and analyzes without a word
    (the checker's own errors are compared above); what it refused as StarRocks does, the
    stand-in refuses too."""
    found = re.search(r"\.starrocks-([\d.]+)\.sql$", path.name)
    assert found is not None
    plan, pairs = _imported(path)
    wrong = {d.span.line for d in modsl.check(plan, now=NOW).diagnostics if d.is_error}
    kept = refused = 0
    with StandIn(f"{found.group(1)}.0", engine="starrocks") as server:
        connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                     password="x", autocommit=True)
        _prepare(server, connection, plan)
        for sql, verdict in pairs:
            if isinstance(verdict, str):
                if verdict in REFUSED_BY_THE_SERVER:
                    with pytest.raises(pymysql.MySQLError), connection.cursor() as cursor:
                        cursor.execute(sql)
                    refused += 1
                continue
            if verdict.span.line in wrong:
                continue
            if isinstance(verdict, ast.RestoreBackup):
                _hold(server, verdict)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            except pymysql.MySQLError as exc:
                message = str(exc.args[1])
                assert not message.startswith(("Getting syntax error", "Getting analyzing "
                                                                       "error")), (sql, message)
            for _ in range(10):  # the job runs to its end before the next statement
                server.world.advance()
            kept += 1
        connection.close()
    assert kept or refused, f"{path.name}: nothing was compared"


def test_temporary_partitions_are_refused_in_backup_handlers_words() -> None:
    """BRA looks a partition up among the ordinary ones (so a temporary partition is first
    `partition[...] does not exist`); past it, BackupHandler refuses a temporary partition
    spec, a table that has temporary partitions, and a temporary partition to restore."""
    with StandIn("4.0.0", engine="starrocks") as server:
        world = server.world
        connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                     password="x", autocommit=True)
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE d")
            cursor.execute("CREATE TABLE d.t1 (id INT)")
            cursor.execute("CREATE TABLE d.t2 (id INT)")
        world.repositories["r"] = Repository("r", "s3://x", False)
        world.partitions[("d", "t1")] = {"p1", "p2"}
        world.temporary[("d", "t2")] = {"tp1"}
        world.repositories["r"].images.append(Image("s", "2024-12-09-10-52-10-940", "d",
                                                    {"t1": Table(["id"])}, {"t1": {"p1"}}))
        for sql, said in [
            ("BACKUP DATABASE d SNAPSHOT s1 TO r ON (t1 TEMPORARY PARTITION (tp1))",
             "Getting analyzing error. Detail message: partition[tp1] does not exist  in "
             "tablet1."),
            ("BACKUP DATABASE d SNAPSHOT s1 TO r ON (t1 TEMPORARY PARTITIONS p1, p2)",
             "Do not support backing up temp partitions"),
            ("BACKUP DATABASE d SNAPSHOT s1 TO r ON (TABLE t2)",
             "Do not support backing up table with temp partitions"),
            ('RESTORE SNAPSHOT s FROM r DATABASE d ON (t1 TEMPORARY PARTITION (tp1)) '
             'PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940")',
             "Do not support restoring temporary partitions"),
            ('RESTORE SNAPSHOT s FROM r DATABASE d ON (t1 PARTITION p1, p2) '
             'PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940")',
             "Partition p2 of table t1 does not exist in snapshot s"),
        ]:
            with pytest.raises(pymysql.MySQLError) as caught, connection.cursor() as cursor:
                cursor.execute(sql)
            assert caught.value.args[1] == said, sql
        connection.close()

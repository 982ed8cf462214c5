"""StarRocks' verdicts, read twice: every StarRocks lint case (tests/cases/lint/, `target
starrocks V`) is sent, statement by statement, to a stand-in of release V, whose reading of
StarRocks is its own (modsl/standin/starrocks.py imports nothing of the checker's).

A line the checker refuses with the server's own words is refused by the stand-in with those
words; a line it passes runs. Lines refused only as prudence (a name twice, a control
character), or for what only the plan knows (MB408, MB412 ...), are not compared. The world is
what the plan says: its databases and tables exist, its `existing` repositories too, and a
repository holds each backup a restore names `at` a timestamp."""

from __future__ import annotations

import re
from pathlib import Path

import pymysql
import pytest
from conftest import CASES, NOW

import modsl
from modsl import ast
from modsl.standin import StandIn
from modsl.standin.starrocks import Image, Repository
from modsl.standin.world import Table
from modsl.targets import starrocks

LINT = sorted(p for p in (CASES / "lint").glob("*.mobak")
              if re.search(rb"^target starrocks", p.read_bytes(), re.M))
QUOTING = {"MB216", "MB217", "MB220", "MB221", "MB222", "MB224"}
"""Codes whose messages are the server's text (STARROCKS.md §3, §5)."""
PRUDENCE = re.compile(r"^(empty |property `|.* contains a control character)")


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
    if repo is None or st.at is None or st.scope.database is None \
            or (st.repository.text, st.snapshot.text) in written:
        return
    names = [i.name.text.lower() for i in st.tables] or ["t"]
    repo.images.append(Image(st.snapshot.text.lower(), st.at.text,
                             st.scope.database.text.lower(),
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

"""A stand-in refuses what it does not know: a statement outside its reading gets a MySQL
error, never an OK that would let a plan "run" on it (issue 24). Data-first: the statements
are in tests/cases/standin/unknown-<engine>.sql."""

from __future__ import annotations

from pathlib import Path

import pymysql
import pytest
from conftest import CASES
from sqlglot import exp

from modsl.engines.matrixone.standin import backup
from modsl.engines.matrixone.standin.world import World
from modsl.standin import Faults, StandIn
from modsl.standin.server import Session
from modsl.standin.store import ServerError

VERSIONS = {"matrixone": "4.2.0", "starrocks": "4.1.0"}


def unknown(engine: str) -> list[str]:
    path = Path(CASES / "standin" / f"unknown-{engine}.sql")
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("--")]


@pytest.mark.parametrize("engine", sorted(VERSIONS))
def test_each_personality_refuses_what_it_does_not_know(engine: str) -> None:
    with StandIn(VERSIONS[engine], engine=engine) as server:
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="",
                               autocommit=True)
        with conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE d")
            cur.execute("CREATE TABLE d.t (c INT)")
            world = "SELECT table_schema, table_name FROM information_schema.tables"
            cur.execute(world)
            before = cur.fetchall()
            answered = []
            for sql in unknown(engine):
                try:
                    cur.execute(sql)
                except pymysql.MySQLError as exc:
                    assert exc.args[0] > 0 and exc.args[1], (sql, exc.args)
                    continue
                answered.append(sql)
            assert answered == [], f"answered as if run: {answered}"
            cur.execute(world)
            assert cur.fetchall() == before == (("d", "t"),)


def test_a_backup_statement_the_reading_lacks_is_refused() -> None:
    """A statement the MatrixOne dialect reads as one of the plan's steps but the stand-in's
    `backup` has no handler for (a new statement, half added) is an error, not a silent OK."""
    with pytest.raises(ServerError) as raised:
        backup.run(World(), "sys", exp.Command(this="ALTER", expression="SNAPSHOT s"))
    assert raised.value.code == 1235


def test_the_shell_refuses_for_a_personality_that_answers_nothing() -> None:
    with pytest.raises(ServerError, match="does not run this statement"):
        Session(None, Faults()).answer("CREATE SNAPSHOT s FOR ACCOUNT")

"""Clones (issue 25): the plan line compiles to MatrixOne's CLONE, and the stand-in clones
with real rows, refusing what clone.go refuses. A clone never overwrites."""

from __future__ import annotations

from collections.abc import Iterator

import pymysql
import pytest
from test_standin import refused, run, session

import modsl
from modsl.language import fmt
from modsl.standin import StandIn


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        yield server


def _shop(conn: pymysql.Connection) -> None:
    for sql in ["create database shop", "create table shop.orders (id int, total int)",
                "insert into shop.orders values (1, 10), (2, 20)",
                "create snapshot before for database shop",
                "delete from shop.orders", "insert into shop.orders values (3, 30)"]:
        run(conn, sql)


def test_a_database_clone_holds_the_snapshot_rows_and_the_original_is_untouched(
        standin: StandIn) -> None:
    conn = session(standin)
    _shop(conn)
    run(conn, "CREATE DATABASE `shop_check` CLONE `shop` {SNAPSHOT = 'before'}")
    assert run(conn, "select id from shop_check.orders order by id") == [(1,), (2,)]
    assert run(conn, "select id from shop.orders") == [(3,)]


def test_a_table_clone_goes_beside_the_table(standin: StandIn) -> None:
    conn = session(standin)
    _shop(conn)
    run(conn, "CREATE TABLE `shop`.`orders_check` CLONE `shop`.`orders` {SNAPSHOT = 'before'}")
    assert run(conn, "select sum(total) from shop.orders_check") == [(30,)]
    assert "already exists" in refused(
        conn, "CREATE TABLE shop.orders_check CLONE shop.orders {SNAPSHOT = 'before'}")


def test_a_clone_never_overwrites_and_reads_only_what_the_snapshot_holds(
        standin: StandIn) -> None:
    conn = session(standin)
    _shop(conn)
    assert "database exists" in refused(conn, "CREATE DATABASE shop CLONE shop "
                                              "{SNAPSHOT = 'before'}")
    assert "Unknown database crm" in refused(conn, "CREATE DATABASE crm2 CLONE crm "
                                                   "{SNAPSHOT = 'before'}")
    assert "does not exist" in refused(conn, "CREATE DATABASE x CLONE shop {SNAPSHOT = 'nope'}")
    assert "system database" in refused(conn, "CREATE DATABASE mo_catalog CLONE shop "
                                              "{SNAPSHOT = 'before'}")
    assert run(conn, "select id from shop.orders") == [(3,)]


def test_only_sys_clones_into_another_account(standin: StandIn) -> None:
    sys_ = session(standin)
    run(sys_, "create account acc1 admin_name 'admin' identified by 'pw'")
    run(sys_, "create account acc2 admin_name 'admin' identified by 'pw'")
    tenant = session(standin, "acc1#admin", "pw")
    _shop(tenant)
    assert "only sys can clone" in refused(
        tenant, "CREATE DATABASE x CLONE shop {SNAPSHOT = 'before'} TO ACCOUNT acc2")
    run(sys_, "create snapshot acc1_all for account acc1")
    run(sys_, "CREATE DATABASE shop_copy CLONE shop {SNAPSHOT = 'acc1_all'} TO ACCOUNT acc2")
    acc2 = session(standin, "acc2#admin", "pw")
    assert run(acc2, "select id from shop_copy.orders") == [(3,)]


def test_a_timestamp_clone_reads_the_past(standin: StandIn) -> None:
    conn = session(standin)
    standin.clock.set(__import__("datetime").datetime(2026, 1, 10, 12, 0, 0))
    _shop(conn)
    standin.clock.advance(__import__("datetime").timedelta(hours=1))
    run(conn, "insert into shop.orders values (4, 40)")
    run(conn, "CREATE DATABASE noon CLONE shop {TIMESTAMP = '2026-01-10 12:30:00'}")
    assert run(conn, "select id from noon.orders") == [(3,)]


PLAN = """target matrixone 4.2
as account sys

snapshot before for database shop
clone database shop from snapshot before into shop_check
clone table shop.orders from snapshot before into shop.orders_check
"""


def test_the_plan_line_round_trips_and_compiles_to_what_the_stand_in_runs(
        standin: StandIn) -> None:
    plan, diagnostics = modsl.parse(PLAN)
    assert not diagnostics
    assert modsl.parse(fmt.format_plan(plan))[0] == plan
    checked = modsl.check(plan)
    assert not [d for d in checked.diagnostics if d.is_error], checked.diagnostics
    sql = [s for s in modsl.compile(plan).to_sql().splitlines()
           if s and not s.startswith("--")]
    conn = session(standin)
    for line in ["create database shop", "create table shop.orders (id int)",
                 "insert into shop.orders values (7)"]:
        run(conn, line)
    for line in sql:
        run(conn, line)
    assert run(conn, "select id from shop_check.orders") == [(7,)]
    assert run(conn, "select id from shop.orders_check") == [(7,)]


def test_explain_says_a_clone_destroys_nothing(tmp_path: pytest.TempPathFactory,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from modsl.cli import main

    plan = Path(str(tmp_path)) / "clone.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["explain", str(plan)]) == 0
    out = capsys.readouterr().out
    assert ("Copies database `shop` of account `sys` as snapshot `before` holds it into a new "
            "database `shop_check` of account `sys`. Destroys nothing") in out


def test_explain_names_the_account_a_clone_goes_into_once(
        capsys: pytest.CaptureFixture[str], tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from modsl.cli import main

    plan = Path(str(tmp_path)) / "clone.mobak"
    plan.write_text("as account sys\nexisting snapshot s for database shop\n"
                    "clone database shop from snapshot s into shop_copy to account acc9\n")
    assert main(["explain", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "into a new database `shop_copy` of account `acc9`. Destroys nothing" in out

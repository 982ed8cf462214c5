"""The stand-in against MatrixOne's source, class by class (issue 20): ordinary SQL on real
rows; restores of what a snapshot never held; the texts, the order of the checks, the names
the catalog cannot hold, sys's mo_catalog PITR, what differs by version, and the objects a
statement names. Each expectation cites the line of the source (v4.2.0 unless said)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pymysql
import pytest

from modsl.standin import StandIn

T0 = datetime(2026, 11, 20, 9, 0, 0)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        server.clock.set(T0)
        yield server


def session(server: StandIn, login: str = "root", password: str = "") -> pymysql.Connection:
    return pymysql.connect(host="127.0.0.1", port=server.port, user=login, password=password,
                           autocommit=True)


def run(conn: pymysql.Connection, *sqls: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    with conn.cursor() as cur:
        for sql in sqls:
            cur.execute(sql)
            rows = list(cur.fetchall())
    return rows


def refused(conn: pymysql.Connection, sql: str) -> tuple[int, str]:
    with pytest.raises(pymysql.MySQLError) as caught:
        run(conn, sql)
    return int(caught.value.args[0]), str(caught.value.args[1])


def tenant(server: StandIn, name: str = "acc1") -> pymysql.Connection:
    run(session(server), f"create account {name} admin_name 'admin' identified by 'pw'")
    return session(server, f"{name}:admin", "pw")


SHOP = ("create database shop",
        "create table shop.orders (id int primary key, customer varchar(20), total int)",
        "create table shop.items (order_id int, sku varchar(10), qty int)",
        "insert into shop.orders values (1, 'ann', 10), (2, 'bob', 20), (3, 'ann', 30)",
        "insert into shop.items values (1, 'a', 2), (1, 'b', 1), (3, 'a', 5)")


# -- ordinary SQL ----------------------------------------------------------------------------

def test_a_seed_writes_what_an_incident_does_and_reads_it_back(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, *SHOP)
    run(conn, "delete from shop.orders where id = 3")
    run(conn, "update shop.orders set total = total + 1 where customer = 'bob'")
    run(conn, "create table shop.archive (id int, total int)")
    run(conn, "insert into shop.archive (id, total) select id, total from shop.orders")
    assert run(conn, "select id, customer, total from shop.orders order by id") == [
        (1, "ann", 10), (2, "bob", 21)]
    assert run(conn, "select count(*), sum(total) from shop.archive") == [(2, 31)]
    assert run(conn, "use shop", "select o.customer, sum(i.qty) from orders o join items i "
               "on i.order_id = o.id group by o.customer order by 1") == [("ann", 3)]
    assert run(conn, "show tables from shop") == [("archive",), ("items",), ("orders",)]


def test_each_account_sees_only_its_own_databases(standin: StandIn) -> None:
    run(session(standin), *SHOP)
    acc1 = tenant(standin)
    assert run(acc1, "show databases") == []
    run(acc1, "create database shop", "create table shop.orders (id int)")
    assert run(acc1, "select count(*) from shop.orders") == [(0,)]
    assert run(session(standin), "select count(*) from shop.orders") == [(3,)]


def test_missing_objects_in_sql_get_matrixones_errors(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, *SHOP)
    assert refused(conn, "select * from nodb.t") == (1049, "Unknown database nodb")
    assert refused(conn, "delete from shop.gone where id = 1") == (
        1146, "no such table shop.gone")
    assert refused(conn, "create database shop") == (1007, "database shop already exists")
    assert refused(conn, "show tables from nodb") == (1049, "Unknown database nodb")


# -- restores of what a snapshot never held (snapshot.go:2215, :1264) ------------------------

def test_a_restore_of_what_the_snapshot_never_held_is_refused_and_drops_nothing(
        standin: StandIn) -> None:
    conn = session(standin)
    run(conn, *SHOP)
    run(conn, "create snapshot sa for account sys")
    run(conn, "create database newdb", "create table newdb.t (id int)",
        "insert into newdb.t values (1)", "create table shop.t9 (id int)",
        "insert into shop.t9 values (9)")
    assert refused(conn, "restore database newdb{snapshot='sa'}") == (
        1049, "Unknown database newdb")
    assert refused(conn, "restore table shop.t9{snapshot='sa'}") == (
        20101, "internal error: table t9 not exists at snapshot sa")
    assert run(conn, "select id from newdb.t") == [(1,)]
    assert run(conn, "select id from shop.t9") == [(9,)]


def test_a_pitr_restore_of_what_did_not_exist_then_is_refused(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, *SHOP)
    run(conn, "create pitr p for account range 1 'd'")
    standin.clock.advance(timedelta(minutes=10))
    run(conn, "create database newdb")
    standin.clock.advance(timedelta(minutes=10))
    at = (T0 + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    assert refused(conn, f"restore database newdb from pitr p '{at}'") == (
        20101, f"internal error: database 'newdb' does not exists at timestamp: {at}")
    assert run(conn, "show databases") == [("newdb",), ("shop",)]


# -- texts -----------------------------------------------------------------------------------

def test_texts_are_the_sources(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, *SHOP)
    run(conn, "create pitr p for account range 1 'd'")
    # pitr.go:1968: Go's own *time.ParseError, not a moerr
    assert refused(conn, "restore account sys from pitr p '2026-13-01 00:00:00'") == (
        1105, 'parsing time "2026-13-01 00:00:00": month out of range')
    assert refused(conn, "restore account sys from pitr p 'yesterday'") == (
        1105, 'parsing time "yesterday" as "2006-01-02 15:04:05": cannot parse "yesterday" '
        'as "2006"')
    assert refused(conn, "restore account sys{snapshot='nope'}") == (  # snapshot.go:1828
        20101, "internal error: find 0 snapshot records by name(nope), expect only 1")
    assert refused(conn, "create snapshot m for table mo_catalog t1") == (  # :469
        20101, "internal error: can not create snapshot for cluster table mo_catalog.t1")
    assert refused(conn, "create snapshot m for table mysql user") == (
        20101, "internal error: can not create pitr for system table mysql.user")
    run(conn, "create pitr pt for table shop orders range 1 'd'")
    assert refused(conn, "create pitr pt2 for table shop orders range 2 'd'") == (  # :606
        20101, "internal error: database `shop` table `orders` already has a pitr")
    assert refused(conn, "create pitr px for table mysql user range 1 'd'") == (
        20101, "internal error: can not create pitr for current table mysql.user")


def test_the_snapshot_quota_text_and_its_place_before_if_not_exists(standin: StandIn) -> None:
    """feature_limit.go:190, checked first (snapshot.go:262), counted from existing rows."""
    acc1 = tenant(standin)
    run(acc1, "create database db1", "create table db1.t1 (id int)")
    for index in range(50):
        run(acc1, f"create snapshot s{index} for table db1 t1")
    quota = (20101, "internal error: feature SNAPSHOT with scope table has reached the limit "
             "of 50")
    assert refused(acc1, "create snapshot s50 for table db1 t1") == quota
    assert refused(acc1, "create snapshot if not exists s0 for table db1 t1") == quota
    run(acc1, "create snapshot d0 for database db1")  # another level, its own 50
    run(acc1, "drop snapshot s0")
    run(acc1, "create snapshot s50 for table db1 t1")


# -- order of checks -------------------------------------------------------------------------

def test_a_restore_from_another_accounts_snapshot_takes_that_account_first(
        standin: StandIn) -> None:
    """snapshot.go:664: an unnamed account is the snapshot's; :874 and :888 refuse it."""
    acc1 = tenant(standin)
    run(acc1, "create database db1", "create table db1.t1 (id int)")
    conn = session(standin)
    run(conn, "create snapshot sa for account acc1")
    assert refused(conn, "restore database db1{snapshot='sa'}") == (
        20101, "internal error: can't restore database from other account's snapshot")
    assert refused(conn, "restore table db1.t1{snapshot='sa'}") == (
        20101, "internal error: can't restore table from other account's snapshot")


def test_alter_pitr_judges_the_range_before_looking_for_the_pitr(standin: StandIn) -> None:
    conn = session(standin)  # pitr.go:865 before :893
    assert refused(conn, "alter pitr nope range 101 'd'") == (
        20101, "internal error: invalid pitr value 101")
    assert refused(conn, "alter pitr if exists nope range 1 'w'") == (
        20101, "internal error: invalid pitr unit w")


# -- names the catalog cannot hold; sys's mo_catalog PITR ------------------------------------

@pytest.mark.parametrize(("version", "expected"), [
    ("4.2.0", (1406, "Can't cast '{n}' to VARCHAR type. Src length 65 is larger than Dest "
               "length 64")),
    ("4.1.0", (20101, "internal error: Can't cast '{n}' to VARCHAR type. Src length 65 is "
               "larger than Dest length 64")),
])
def test_a_snapshot_name_over_64_characters_is_refused(version: str,
                                                       expected: tuple[int, str]) -> None:
    """mo_snapshots.sname is varchar(64) (predefined.go:133)."""
    name = "s" * 65
    with StandIn(version) as server:
        conn = session(server)
        assert refused(conn, f"create snapshot {name} for account") == (
            expected[0], expected[1].format(n=name))
        run(conn, f"create snapshot {name[:64]} for account")


def test_sys_keeps_a_mo_catalog_pitr_while_any_pitr_exists(standin: StandIn) -> None:
    """pitr.go:643-750 (made, lengthened), :821-840 (dropped with the last PITR)."""
    conn = session(standin)
    acc1 = tenant(standin)
    kept = "select pitr_name, database_name, pitr_length, pitr_unit from mo_catalog.mo_pitr " \
           "where pitr_name = 'sys_mo_catalog_pitr'"
    assert run(conn, kept) == []
    run(acc1, "create pitr p1 for account range 2 'd'")
    assert run(conn, kept) == [("sys_mo_catalog_pitr", "mo_catalog", 2, "d")]
    run(conn, "create pitr p2 for account range 1 'mo'")
    run(acc1, "create database db1")
    run(acc1, "create pitr p3 for database db1 range 1 'h'")
    assert run(conn, kept) == [("sys_mo_catalog_pitr", "mo_catalog", 1, "mo")]
    assert all(row[0] != "sys_mo_catalog_pitr" for row in run(conn, "show pitr"))
    run(conn, "alter pitr sys_mo_catalog_pitr range 3 'mo'")
    assert run(conn, kept) == [("sys_mo_catalog_pitr", "mo_catalog", 3, "mo")]
    run(acc1, "drop pitr p1", "drop pitr p3")
    run(conn, "drop pitr p2")
    assert run(conn, kept) == []
    run(conn, "create pitr p4 for account range 1 'd'")
    run(conn, "drop pitr sys_mo_catalog_pitr")
    assert run(conn, kept) == []


# -- versions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("version", "accepted"), [("4.2.0", True), ("4.3.0", False)])
def test_a_table_restore_from_another_databases_snapshot_follows_the_version(
        version: str, accepted: bool) -> None:
    """Accepted up to v4.2.0 (the table is read as of the snapshot's timestamp); refused by
    main after it (snapshot.go:1002 there)."""
    with StandIn(version) as server:
        conn = session(server)
        run(conn, "create database db1", "create database db2", "create table db2.t (id int)",
            "insert into db2.t values (1)", "create snapshot d1 for database db1",
            "delete from db2.t")
        sql = "restore table db2.t{snapshot='d1'}"
        if accepted:
            run(conn, sql)
            assert run(conn, "select id from db2.t") == [(1,)]
        else:
            assert refused(conn, sql) == (20101, "internal error: databaseName(db2) does not "
                                                 "match snapshot.databaseName(db1)")


# -- the objects a statement names -----------------------------------------------------------

def test_snapshots_and_pitrs_of_missing_objects_are_refused(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, "create database db1", "create table db1.tbl1 (id int)", "drop table db1.tbl1")
    for sql, text in [
            ("create snapshot s for table db1 tbl1", "table db1.tbl1 does not exist"),
            ("create snapshot s for database nodb", "database nodb does not exist"),
            ("create snapshot s for account nope", "account nope does not exist"),
            ("create pitr p for table db1 tbl1 range 1 'd'", "table db1.tbl1 does not exist"),
            ("create pitr p for database nodb range 1 'd'", "database nodb does not exist"),
            ("create pitr p for account nope range 1 'd'", "account nope does not exist")]:
        assert refused(conn, sql) == (20101, f"internal error: {text}"), sql

"""The StarRocks stand-in against report 22's reading of StarRocks' FE source (3.3-4.1):
`PARTITION (col = value)` items in BACKUP/RESTORE `ON` lists, a RESTORE that names no database
on 3.3, and a BACKUP whose bare label leaves the job without a database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pymysql
import pytest
from conftest import standin_sql as sql  # one connection: a `USE` holds for what follows

from modsl.engines.starrocks.standin import Image
from modsl.standin import StandIn
from modsl.standin.store import Clock, Table

RELEASES = ["3.3.9", "3.4.2", "3.5.0", "4.0.0", "4.1.0"]
STAMP = "2026-11-20-10-00-00-123"
START = datetime(2026, 11, 21, 12, 0, 0)


@pytest.fixture(params=RELEASES)
def server(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    """A cluster with `sales.orders` (partitions p1, p2; three rows), `sales.items` (one row)
    and repository `r`, on a stopped clock."""
    with StandIn(request.param, engine="starrocks", clock=Clock(START)) as s:
        sql(s, "CREATE DATABASE sales", "CREATE TABLE sales.orders (id INT, dt TEXT)",
            "INSERT INTO sales.orders VALUES (1, '2024-01-01'), (2, '2024-01-02'), "
            "(3, '2024-01-02')", "CREATE TABLE sales.items (id INT)",
            "INSERT INTO sales.items VALUES (7)",
            'CREATE REPOSITORY r WITH BROKER ON LOCATION "s3://r"')
        s.world.partitions[("sales", "orders")] = {"p1", "p2"}
        yield s


def refused(server: StandIn, *statements: str) -> tuple[int, str]:
    """The error code and message of the last statement (the ones before it run)."""
    with pytest.raises(pymysql.MySQLError) as caught:
        sql(server, *statements)
    code, message = caught.value.args
    return code, message


def release(server: StandIn) -> tuple[int, int]:
    found: tuple[int, int] = server.world.release
    return found


def polled(server: StandIn, restore: bool, times: int = 10) -> tuple[str, str]:
    """State and Status of the job on `sales` after `times` polls of SHOW BACKUP|RESTORE."""
    show = "SHOW RESTORE FROM sales" if restore else "SHOW BACKUP FROM sales"
    (row,) = sql(server, *[show] * times)  # one connection: each connect costs ~60 ms
    return str(row[4] if restore else row[3]), str(row[16] if restore else row[12])


def spread(specs: list[str]) -> pytest.MarkDecorator:
    """Each spec on one release, the releases in turn: the key form's grammar is the same on
    every release (report 22, Q1.1), and a stand-in per spec and release took two minutes."""
    pairs = [(spec, RELEASES[i % len(RELEASES)]) for i, spec in enumerate(specs)]
    return pytest.mark.parametrize(("spec", "server"), pairs, indirect=["server"])


KEYED = ["dt = '2024-01-01'", 'dt = "2024-01-01"', "dt = DATE '2024-01-01'",
         "dt = DATETIME '2024-01-01 00:00:00'", "dt = 20240101", "dt = 1.5", "dt = .5",
         "dt = 1e3", "dt = 1.5E-3", "dt = NULL", "dt = TRUE", "`dt` = false",
         "dt = '2024-01-01', id = 3"]


@spread(KEYED)
def test_a_keyed_partition_item_backs_up_the_tables_schema_and_no_data(server: StandIn,
                                                                      spec: str) -> None:
    """BACKUP: no "partition does not exist" (the spec names none); the job finishes; the
    image holds `orders` with all its partitions and not one row (BackupJob snapshots the
    named partitions, none, and copies the metadata of all), and `items` as usual."""
    sql(server, f"BACKUP SNAPSHOT sales.l TO r ON (orders PARTITION ({spec}), items)")
    assert polled(server, restore=False) == ("FINISHED", "[OK]")
    (image,) = server.world.repositories["r"].images
    assert image.partitions_of("orders") == {"p1", "p2"}
    assert image.tables["orders"].columns == ["id", "dt"] and image.tables["orders"].rows == []
    assert image.tables["items"].rows == [(7,)]
    assert image.dataless == {"orders"}


@spread(["TEMPORARY PARTITION (dt = 1)", "PARTITIONS (dt = 1)", "PARTITION (dt = -1)",
         "PARTITION (dt = abc)", "PARTITION ('dt' = 1)", "PARTITION (dt = 1, p2)",
         "PARTITION (p1, dt = 1)", "PARTITION (dt = 1 . 5)", "PARTITION (dt =)"])
def test_what_the_key_form_does_not_take_is_a_syntax_error(server: StandIn, spec: str) -> None:
    """keyPartitions: `PARTITION` alone (no TEMPORARY, no PARTITIONS), identifiers only, and
    literalExpression (no sign: a number is INTEGER/DECIMAL/DOUBLE_VALUE)."""
    for statement in (f"BACKUP SNAPSHOT sales.l TO r ON (orders {spec})",
                      f"RESTORE SNAPSHOT sales.l FROM r ON (orders {spec}) "
                      f'PROPERTIES ("backup_timestamp" = "{STAMP}")'):
        code, message = refused(server, statement)
        assert code == 1064 and message.startswith("Getting syntax error."), (statement, message)
    assert server.world.submitted == 0


def test_a_restore_of_a_table_backed_up_without_data_times_out_in_downloading(
        server: StandIn) -> None:
    """Inferred by the report, not read end to end: the download finds nothing, the job
    waits in DOWNLOADING until its timeout, then RestoreJob.run cancels it (RJ:357-361)."""
    sql(server, "BACKUP SNAPSHOT sales.l TO r ON (orders PARTITION (dt = '2024-01-01'))")
    polled(server, restore=False)
    (image,) = server.world.repositories["r"].images
    sql(server, f'RESTORE SNAPSHOT sales.l FROM r ON (orders AS back) PROPERTIES '
                f'("backup_timestamp" = "{image.timestamp}", "timeout" = "600")')
    assert polled(server, restore=True) == ("DOWNLOADING", "[OK]")
    server.world.clock.advance(timedelta(seconds=600))
    assert polled(server, restore=True) == ("DOWNLOADING", "[OK]")
    server.world.clock.advance(timedelta(milliseconds=1))
    assert polled(server, restore=True, times=1) == (
        "CANCELLED", "[TIMEOUT, msg: restore job with label: l  timeout.]")
    assert "back" not in server.world.databases["sales"]


def test_a_restore_of_the_other_tables_of_that_backup_finishes(server: StandIn) -> None:
    sql(server, "BACKUP SNAPSHOT sales.l TO r ON (orders PARTITION (dt = 1), items)")
    polled(server, restore=False)
    (image,) = server.world.repositories["r"].images
    sql(server, f'RESTORE SNAPSHOT sales.l FROM r ON (items AS items_back) PROPERTIES '
                f'("backup_timestamp" = "{image.timestamp}")')
    assert polled(server, restore=True) == ("FINISHED", "[OK]")
    assert sql(server, "SELECT id FROM sales.items_back") == [(7,)]


@spread(KEYED)
def test_a_keyed_partition_item_restores_every_partition_in_the_snapshot(server: StandIn,
                                                                        spec: str) -> None:
    """RESTORE: the values are ignored, as if the item named no partition (retainPartitions
    of an empty list keeps all), whatever partition the value would have picked."""
    repo = server.world.repositories["r"]
    repo.images.append(Image("l", STAMP, "sales", {"orders": Table(
        ["id", "dt"], [(1, "2023-01-01"), (2, "2023-06-01")])}, {"orders": {"p1", "p2"}}))
    sql(server, f"RESTORE SNAPSHOT sales.l FROM r ON (orders PARTITION ({spec}) AS back) "
                f'PROPERTIES ("backup_timestamp" = "{STAMP}")')
    assert polled(server, restore=True) == ("FINISHED", "[OK]")
    assert sql(server, "SELECT id FROM sales.back ORDER BY id") == [(1,), (2,)]


def _held(server: StandIn, database: str = "crm") -> None:
    server.world.repositories["r"].images.append(
        Image("old", STAMP, database, {"accounts": Table(["id"], [(1,), (2,)])}))


@pytest.mark.parametrize("on", ["", " ON (accounts)"])
def test_on_33_a_restore_naming_no_database_fails_at_submission(server: StandIn,
                                                                on: str) -> None:
    """3.3: the label's database is null, the analyzer resolves none, and BackupHandler.process
    answers `Unknown database 'null'` after the repository check and before it reads the
    snapshot (so a wrong timestamp, a database the backup holds, USE: nothing changes it).
    3.4+ restores the database the backup holds, creating it, and refuses an ON list (P6)."""
    _held(server)
    statement = f'RESTORE SNAPSHOT old FROM r{on} PROPERTIES ("backup_timestamp" = "{STAMP}")'
    if release(server) >= (3, 4):
        if on:
            code, message = refused(server, statement)
            assert code == 1064 and "`ON` clause is forbidden" in message
            return
        sql(server, statement)
        for _ in range(10):
            (row,) = sql(server, "SHOW RESTORE FROM crm")
        assert (row[3], row[4]) == ("crm", "FINISHED")
        assert sql(server, "SELECT COUNT(*) FROM crm.accounts") == [(2,)]
        return
    assert refused(server, statement) == (5064, "Unknown database 'null'")
    assert refused(server, "USE sales", statement) == (5064, "Unknown database 'null'")
    wrong = statement.replace(STAMP, "2020-01-01-00-00-00-000")
    assert refused(server, wrong) == (5064, "Unknown database 'null'")
    assert refused(server, statement.replace("FROM r", "FROM nowhere")) == (
        5064, "Repository nowhere does not exist")
    sql(server, "CREATE DATABASE crm")
    assert refused(server, statement) == (5064, "Unknown database 'null'")
    assert server.world.submitted == 0 and "accounts" not in server.world.databases["crm"]


def test_on_33_a_missing_database_is_found_before_the_snapshot_is_read(
        server: StandIn) -> None:
    """The same check with a named database: 3.3 looks the database up first."""
    statement = ('RESTORE SNAPSHOT nowhere.old FROM r PROPERTIES ("backup_timestamp" = '
                 '"2020-01-01-00-00-00-000")')
    code, message = refused(server, statement)
    if release(server) >= (3, 4):
        assert (code, message) == (5064, "Failed to get info of snapshot 'old' because: "
                                   "snapshot info file not found. Maybe specified wrong backup "
                                   "timestamp")
    else:
        assert (code, message) == (5064, "Unknown database 'nowhere'")


def test_a_bare_backup_label_without_a_session_database_is_refused(server: StandIn) -> None:
    code, message = refused(server, "BACKUP SNAPSHOT l TO r")
    assert (code, message) == (5064, "Getting analyzing error. Detail message: No database "
                                     "selected.")


def test_a_bare_backup_label_is_checked_against_the_session_database_and_then_fails(
        server: StandIn) -> None:
    """The analyzer checks the session's database (tables, partitions) but never gives it to
    the job: 3.3's BackupHandler answers `Unknown database 'null'`; 3.4+ reads a field of a
    null job info, and the client gets the NullPointerException's message, uncoded (1064)."""
    assert refused(server, "USE sales", "BACKUP SNAPSHOT l TO r ON (nosuch)") == (
        5064, "Getting analyzing error. Detail message: Incorrect table name 'nosuch'.")
    assert refused(server, "USE sales", "BACKUP SNAPSHOT l TO r ON (orders PARTITION (p9))") \
        == (5064, "Getting analyzing error. Detail message: partition[p9] does not exist  in "
                  "tableorders.")
    expected = ((5064, "Unknown database 'null'") if release(server) < (3, 4) else
                (1064, 'Cannot read field "dbName" because "jobInfo" is null'))
    assert refused(server, "USE sales", "BACKUP SNAPSHOT l TO r") == expected
    assert refused(server, "USE sales", "BACKUP SNAPSHOT l TO r ON (orders)") == expected
    assert server.world.submitted == 0 and not server.world.repositories["r"].images
    sql(server, "USE sales", "BACKUP SNAPSHOT sales.l TO r")  # a named database still runs
    assert server.world.submitted == 1



def test_a_restore_whose_timeout_outlasts_any_clock_runs(server: StandIn) -> None:
    """A timeout the analyzer takes (its milliseconds fit a Java long) but no `timedelta` can
    hold: the job runs to its end; the age check is the server's, in milliseconds."""
    repo = server.world.repositories["r"]
    repo.images.append(Image("l", STAMP, "sales", {"orders": Table(["id", "dt"], [(1, "x")])},
                             {"orders": {"p1"}}))
    sql(server, f'RESTORE SNAPSHOT sales.l FROM r ON (orders AS back) PROPERTIES '
                f'("backup_timestamp" = "{STAMP}", "timeout" = "100000000000000")')
    assert polled(server, restore=True) == ("FINISHED", "[OK]")

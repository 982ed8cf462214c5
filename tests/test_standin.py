"""The stand-in: MatrixOne's answers, data that snapshots keep and restores bring back, and
plans run end to end with `modsl apply` on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pymysql
import pytest
from conftest import CASES

import modsl
from modsl.standin import StandIn


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        yield server


def session(server: StandIn, login: str = "root", password: str = "") -> pymysql.Connection:
    return pymysql.connect(host="127.0.0.1", port=server.port, user=login, password=password,
                           autocommit=True)


def run(conn: pymysql.Connection, sql: str) -> list[tuple[object, ...]]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def refused(conn: pymysql.Connection, sql: str) -> str:
    with pytest.raises(pymysql.MySQLError) as caught:
        run(conn, sql)
    return str(caught.value.args[1])


def test_it_says_it_is_matrixone_and_who_you_are(standin: StandIn) -> None:
    sys_ = session(standin)
    assert sys_.get_server_info() == "8.0.30-MatrixOne-v4.2.0"
    assert run(sys_, "select current_account_name()") == [("sys",)]
    run(sys_, "create account acc1 admin_name 'admin' identified by 'pw'")
    tenant = session(standin, "acc1#admin", "pw")
    assert run(tenant, "select current_account_name()") == [("acc1",)]
    with pytest.raises(pymysql.err.OperationalError):
        session(standin, "acc1:admin", "wrong")


def test_snapshots_keep_data_and_restores_bring_it_back(standin: StandIn) -> None:
    conn = session(standin)
    for sql in ["create database shop", "create table shop.orders (id int, total int)",
                "insert into shop.orders values (1, 10), (2, 20)",
                "create snapshot before for database shop",
                "delete from shop.orders", "insert into shop.orders values (3, 30)"]:
        run(conn, sql)
    assert run(conn, "select id from shop.orders") == [(3,)]
    run(conn, "restore database shop{snapshot='before'}")
    assert run(conn, "select id, total from shop.orders order by id") == [(1, 10), (2, 20)]


def test_matrixone_refusals_with_its_texts(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, "create account acc1 admin_name 'admin' identified by 'pw'")
    tenant = session(standin, "acc1:admin", "pw")
    assert refused(tenant, "create snapshot c for cluster") == \
        "internal error: only sys tenant can create cluster level snapshot"
    assert refused(tenant, "create pitr p for account acc1 range 1 'd'") == \
        "internal error: only sys tenant can create tenant level pitr for other tenant"
    assert refused(conn, "create pitr sys_mo_catalog_pitr for account range 1 'd'") == \
        "internal error: pitr name is reserved"
    assert refused(conn, "create pitr p for account range 101 'd'") == \
        "internal error: invalid pitr value 101"
    assert refused(conn, "create snapshot m for database mo_catalog") == \
        "internal error: can not create snapshot for system database mo_catalog"
    run(conn, "create snapshot c for cluster")
    assert refused(conn, "restore database db1{snapshot='c'}") == \
        "internal error: can't restore db from cluster level snapshot"
    assert refused(conn, "restore cluster from snapshot c").startswith(
        "You have an error in your SQL syntax")  # 3.0's form, on a 4.x server
    assert refused(conn, "create snapshot c for cluster") == \
        "internal error: snapshot c already exists"
    run(conn, "create snapshot if not exists c for cluster")  # a silent no-op


def test_pitr_restores_return_the_data_as_of_the_moment(standin: StandIn) -> None:
    start = datetime(2026, 11, 20, 9, 0, 0)
    standin.clock.set(start)
    conn = session(standin)
    run(conn, "create pitr w for account range 1 'd'")
    run(conn, "create database db")
    run(conn, "create table db.t (id int)")
    standin.clock.advance(timedelta(minutes=10))
    run(conn, "insert into db.t values (1)")
    standin.clock.advance(timedelta(minutes=10))
    run(conn, "insert into db.t values (2)")
    standin.clock.advance(timedelta(minutes=10))
    run(conn, "restore database db from pitr w '2026-11-20 09:15:00'")
    assert run(conn, "select id from db.t") == [(1,)]
    assert refused(conn, "restore database db from pitr w '2026-11-20 08:00:00'") == (
        "internal error: input timestamp 2026-11-20 08:00:00 is less than the pitr valid time "
        "2026-11-20 09:00:00")
    assert refused(conn, "restore database db from pitr w '2026-11-21 08:00:00'").startswith(
        "internal error: input timestamp 2026-11-21 08:00:00 is bigger than now timestamp")


def test_sys_restored_in_place_whatever_to_account_says(standin: StandIn) -> None:
    """What MB307 exists for: from an account snapshot of sys, TO ACCOUNT is never read."""
    conn = session(standin)
    run(conn, "create account acc2 admin_name 'admin' identified by 'pw'")
    run(conn, "create database mine")
    run(conn, "create snapshot s for account sys")
    run(conn, "drop database mine")
    run(conn, "restore account sys{snapshot='s'} to account acc2")
    assert run(conn, "show databases") == [("mine",)]  # sys came back, in place
    assert run(session(standin, "acc2:admin", "pw"), "show databases") == []  # acc2 untouched


def test_a_compiled_plan_runs_end_to_end(standin: StandIn, tmp_path: Path) -> None:
    conn = session(standin)
    run(conn, "create account acc1 admin_name 'admin' identified by 'pw'")
    tenant = session(standin, "acc1:admin", "pw")
    run(tenant, "create database db1")
    run(tenant, "create table db1.t1 (id int)")
    run(tenant, "insert into db1.t1 values (7)")
    plan, _ = modsl.parse(b"as account acc1\nsnapshot s for account\n"
                          b"snapshot d for database db1\n"
                          b"restore database db1 from snapshot s\n"
                          b"restore table db1.t1 from snapshot d\n"
                          b"restore account from snapshot s\n", "tenant.mobak")
    result = modsl.apply(plan, dsn=standin.dsn("acc1:admin").replace("@", ":pw@", 1),
                         confirm=lambda shown: True, journal=str(tmp_path / "j"))
    assert result.ok, result.outcome.failure
    assert run(tenant, "select id from db1.t1") == [(7,)]


@pytest.mark.parametrize("case", ["snapshots", "pitrs"])
def test_creation_rows_of_the_emission_table_run(standin: StandIn, case: str,
                                                 tmp_path: Path) -> None:
    conn = session(standin)
    for name in ("acc1", "acc2"):
        run(conn, f"create account {name} admin_name 'admin' identified by 'pw'")
    for sql in ("create database db1", "create database db2", "create table db1.t1 (id int)"):
        run(conn, sql)  # what the plan names exists, as MatrixOne requires
    path = CASES / "compile" / f"{case}.mobak"
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    result = modsl.apply(plan, dsn=standin.dsn(), confirm=lambda shown: True,
                         journal=str(tmp_path / "j"))
    assert result.ok, result.outcome.failure


def test_modsl_standin_serves_until_stopped() -> None:
    import signal
    import subprocess

    from conftest import modsl_command

    proc = subprocess.Popen([*modsl_command(), "standin", "--port", "0", "--version", "3.0.18"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = int(line.split("127.0.0.1:")[1].split(";")[0])
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="")
        assert conn.get_server_info() == "8.0.30-MatrixOne-v3.0.18"
        run(conn, "create snapshot c for cluster")
        run(conn, "restore cluster from snapshot c")  # 3.0's syntax, on a 3.0 server
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_a_reply_lost_after_commit_is_an_unknown_outcome(standin: StandIn,
                                                          tmp_path: Path) -> None:
    """The statement committed on the server and the connection died before its reply:
    apply must not call it failed (a resume would take a second snapshot), nor done."""
    import subprocess

    from conftest import modsl_command

    plan = tmp_path / "plan.mobak"
    plan.write_text("as account sys\nsnapshot first for cluster\nsnapshot second for cluster\n")
    standin.faults.drop_after_commit()

    def apply(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*modsl_command(), "apply", str(plan), "--dsn", standin.dsn(),
                               "--yes", *extra], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, check=False)

    out = apply()
    assert out.returncode == 1 and "UNKNOWN OUTCOME" in out.stderr
    conn = session(standin)
    assert [r[0] for r in run(conn, "show snapshots")] == ["first"]  # it did commit
    assert apply("--resume").returncode == 2  # refused until someone says what happened
    out = apply("--resume", "--mark-done", "1")
    assert out.returncode == 0, out.stderr
    assert sorted(r[0] for r in run(conn, "show snapshots")) == ["first", "second"]


def test_3_0_plans_run_on_a_3_0_server(tmp_path: Path) -> None:
    with StandIn("3.0.18") as server:
        conn = session(server)
        run(conn, "create database db1")
        run(conn, "create table db1.t1 (id int)")
        plan, _ = modsl.parse(b"target matrixone 3.0\nas account sys\n"
                              b"snapshot a for account\nsnapshot d for database db1\n"
                              b"restore database db1 from snapshot a\n"
                              b"restore table db1.t1 from snapshot d\n", "p.mobak")
        result = modsl.apply(plan, dsn=server.dsn(), confirm=lambda shown: True,
                             journal=str(tmp_path / "j"))
        assert result.ok, result.outcome.failure


def test_the_catalog_tables_read_back_what_exists(standin: StandIn) -> None:
    conn = session(standin)
    run(conn, "create snapshot nightly for account")
    run(conn, "create pitr w for account range 7 'd'")
    assert run(conn, "select sname, level, account_name from mo_catalog.mo_snapshots") == [
        ("nightly", "account", "sys")]
    assert run(conn, "select pitr_name, pitr_length, pitr_unit from mo_catalog.mo_pitr "
                     "where level = 'account'") == [("w", 7, "d")]


@pytest.mark.parametrize("delay", [0.1, 0.45, 0.8, 1.15])
def test_killed_at_any_point_no_snapshot_is_taken_twice(standin: StandIn, tmp_path: Path,
                                                        delay: float) -> None:
    """`kill -9` at a point of a run whose every statement takes 0.3 s, then recovery as the
    advice says: a snapshot taken twice would be refused (`already exists`), and every one
    must exist once at the end."""
    import signal
    import subprocess
    import time

    from conftest import modsl_command

    names = [f"s{n}" for n in range(1, 5)]
    plan = tmp_path / "plan.mobak"
    plan.write_text("as account sys\n" + "".join(f"snapshot {n} for account\n" for n in names))
    for _ in names:
        standin.faults.delay_next(0.3)
    command = [*modsl_command(), "apply", str(plan), "--dsn", standin.dsn(), "--yes"]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.4)  # as the advice says: until the server no longer runs the statement
    for _ in range(len(names) + 1):
        out = subprocess.run([*command, "--resume"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60, check=False)
        if "nothing to resume: no journal" in out.stderr:
            out = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                 timeout=60, check=False)
        if out.returncode == 0 or "every statement is done" in out.stderr:
            break
        assert out.returncode == 2 and "--mark-done" in out.stderr, out.stderr
        number = int(out.stderr.split("--mark-done ")[1].split()[0])
        taken = {r[0] for r in run(session(standin), "show snapshots")}
        flag = "--mark-done" if names[number - 1] in taken else "--retry"
        subprocess.run([*command, "--resume", flag, str(number)], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60, check=False)
    assert sorted(r[0] for r in run(session(standin), "show snapshots")) == names

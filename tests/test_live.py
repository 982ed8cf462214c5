"""Live checks (MB601-MB607) on the stand-in: each promise a plan makes about the server is
read back, and a broken one stops `apply` before its first statement."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import modsl_command
from conftest import standin_sql as sql

import modsl
from modsl.runtime import live
from modsl.standin import StandIn

START = datetime(2026, 11, 20, 12, 0, 0)
# Lint's clock, pinned where the stand-in's is when the plans run (six hours on).
NOW = ["--now", "2026-11-20 18:00:00"]


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with seeded() as server:
        yield server


@contextmanager
def seeded() -> Iterator[StandIn]:
    """A 4.2 stand-in with acc1 and acc2, a `shop` database in sys and in acc1, acc1's
    snapshot and PITR, its clock six hours after they were made."""
    with StandIn("4.2.0") as server:
        server.clock.set(START)
        sql(server, "create account acc1 admin_name 'admin' identified by 'pw'",
            "create account acc2 admin_name 'admin' identified by 'pw'",
            "create database shop", "create table shop.orders (id int)",
            "insert into shop.orders values (1), (2)")
        sql(server, "create database shop", "create table shop.orders (id int)",
            "insert into shop.orders values (1), (2)",
            "create snapshot shop_daily for database shop",
            "create pitr acc_pitr for account range 2 'd'", login="acc1:admin")
        server.clock.advance(timedelta(hours=6))
        yield server


def dsn(server: StandIn, login: str = "acc1%3Aadmin") -> str:
    return f"mysql://{login}:pw@127.0.0.1:{server.port}"


def write(tmp_path: Path, text: str) -> Path:
    plan = tmp_path / "plan.mobak"
    plan.write_text(text, encoding="utf-8")
    return plan


def check(server: StandIn, plan: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*modsl_command(), "check", str(plan), "--dsn", dsn(server), *NOW,
                           *extra],
                          capture_output=True, text=True, cwd=plan.parent, timeout=60)


def failed(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int | None]]:
    report = json.loads(result.stdout)
    return [(c["code"], c["line"]) for c in report["checks"] if not c["ok"]]


CLEAN = """\
target matrixone 4.2
as account acc1
existing snapshot shop_daily for database shop
existing pitr acc_pitr for account range 2d
snapshot shop_before for database shop
restore database shop from pitr acc_pitr at "2026-11-20 15:00:00"
"""


def test_a_plan_whose_promises_hold_passes(standin: StandIn, tmp_path: Path) -> None:
    result = check(standin, write(tmp_path, CLEAN))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓") == 8 and "✗" not in result.stdout
    assert "database `shop` exists" in result.stdout  # MB608, for the safety snapshot
    assert "has 1 database-level snapshot: one more is within the quota of 50" in result.stdout
    assert "all live checks passed" in result.stdout
    assert check(standin, write(tmp_path, CLEAN), "--format", "json").stdout.startswith("{")


@pytest.mark.parametrize(("edit", "code", "line"), [
    (("target matrixone 4.2", "target matrixone 3.0"), "MB601", None),
    (("as account acc1", "as account acc2"), "MB602", None),
    (("shop_daily for database shop", "shop_daily for database other"), "MB603", 3),
    (("shop_daily", "gone_daily"), "MB603", 3),
    (("range 2d", "range 3d"), "MB603", 4),
    (('"2026-11-20 15:00:00"', '"2026-11-20 11:00:00"'), "MB606", 6),
    (('"2026-11-20 15:00:00"', '"2026-11-20 19:00:00"'), "MB606", 6),
])
def test_each_broken_promise_is_named_with_its_code_and_line(
        standin: StandIn, tmp_path: Path, edit: tuple[str, str], code: str,
        line: int | None) -> None:
    result = check(standin, write(tmp_path, CLEAN.replace(*edit)), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert failed(result) == [(code, line)]


def test_a_name_the_plan_creates_is_taken(standin: StandIn, tmp_path: Path) -> None:
    sql(standin, "create snapshot shop_before for database shop", login="acc1:admin")
    assert failed(check(standin, write(tmp_path, CLEAN), "--format", "json")) == [("MB604", 5)]
    with_if = CLEAN.replace("shop_before for database shop",
                            "shop_before for database shop if not exists")
    assert check(standin, write(tmp_path, with_if)).returncode == 0


def test_a_window_that_moved_on_is_stale(standin: StandIn, tmp_path: Path) -> None:
    plan = write(tmp_path, CLEAN)
    standin.clock.advance(timedelta(days=2))
    assert failed(check(standin, plan, "--format", "json")) == [("MB606", 6)]


def test_a_name_the_plan_drops_first_may_be_created_again(standin: StandIn,
                                                         tmp_path: Path) -> None:
    plan = write(tmp_path, "as account acc1\ndrop snapshot shop_daily\n"
                           "snapshot shop_daily for database shop\n")
    assert check(standin, plan).returncode == 0


def test_a_restored_database_or_table_must_be_in_the_snapshot(standin: StandIn,
                                                               tmp_path: Path) -> None:
    """Read as snapshot.go reads a snapshot (`SHOW DATABASES|TABLES ... {SNAPSHOT = 's'}`):
    a database made after an account snapshot is not in it."""
    sql(standin, "create snapshot acc1_snap for account", "create database crm",
        "create table crm.leads (id int)", login="acc1:admin")
    head = "as account acc1\nexisting snapshot acc1_snap for account\n"
    plan = write(tmp_path, head + "snapshot crm_before for database crm\n"
                 "restore database crm from snapshot acc1_snap\n"
                 "snapshot shop_before for database shop\n"
                 "restore table shop.orders from snapshot acc1_snap\n"
                 "restore table shop.gone from snapshot acc1_snap\n")
    result = check(standin, plan, "--format", "json")
    assert failed(result) == [("MB607", 4), ("MB607", 7)]
    assert "snapshot `acc1_snap` holds table `shop.orders`" in result.stdout
    assert "the server says `Unknown database crm`" in result.stdout  # snapshot.go's words
    assert "the server says `internal error: table gone not exists at snapshot acc1_snap`" in (
        result.stdout)
    made_here = write(tmp_path, head + "drop snapshot acc1_snap\n"
                      "snapshot acc1_snap for account\n"
                      "restore database crm from snapshot acc1_snap\n")
    assert check(standin, made_here).returncode == 0  # its content is not known yet


def test_to_account_must_exist(standin: StandIn, tmp_path: Path) -> None:
    sql(standin, "create snapshot acc1_snap for account acc1")
    plan = write(tmp_path, "as account sys\nexisting snapshot acc1_snap for account acc1\n"
                           "snapshot before_acc2 for account acc2\n"
                           "restore account acc1 from snapshot acc1_snap to account acc9\n")
    result = subprocess.run([*modsl_command(), "check", str(plan), "--dsn", dsn(standin, "root"),
                             "--format", "json", *NOW], capture_output=True, text=True, timeout=60)
    assert failed(result) == [("MB605", 4)]
    assert check_ok(standin, plan.read_text().replace("acc9", "acc2"), tmp_path)


def check_ok(server: StandIn, text: str, tmp_path: Path) -> bool:
    result = subprocess.run([*modsl_command(), "check", str(write(tmp_path, text)), "--dsn",
                             dsn(server, "root"), *NOW], capture_output=True, text=True, timeout=60)
    return result.returncode == 0


def test_not_matrixone_at_all(tmp_path: Path) -> None:
    """A server that is not MatrixOne is named as such (here: the stand-in's catalog is
    reachable, but a proxy could answer anything); MariaDB is tested in test_apply."""
    checks = live.run(_FakeConnection("10.11.6-MariaDB"), modsl.targets.default(), "acc1",
                      None)
    assert [(c.code, c.ok) for c in checks] == [("MB601", False)]
    assert "not MatrixOne" in checks[0].text


class _FakeConnection:
    """A DB-API connection that answers `SELECT version()` only."""

    def __init__(self, version: str) -> None:
        self.version = version

    def cursor(self) -> _FakeConnection:
        return self

    def __enter__(self) -> _FakeConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def execute(self, sql: str) -> None:
        assert sql == "SELECT version()"
        self.description = [("version()",)]

    def fetchall(self) -> list[tuple[str]]:
        return [(self.version,)]


@pytest.mark.parametrize(("edit", "code"), [
    (("as account acc1", "as account acc2"), "MB602"),
    (("shop_daily", "gone_daily"), "MB603"),
    (('"2026-11-20 15:00:00"', '"2026-11-20 11:00:00"'), "MB606"),
])
def test_apply_stops_before_its_first_statement(standin: StandIn, tmp_path: Path,
                                                edit: tuple[str, str], code: str) -> None:
    before = sql(standin, "show snapshots", login="acc1:admin")
    plan = write(tmp_path, CLEAN.replace(*edit))
    result = apply(standin, plan)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"✗ {plan}:" in result.stdout or f"✗ {code}" in result.stdout
    assert code in result.stdout and "nothing was run" in result.stdout
    assert "running 1/" not in result.stdout
    assert sql(standin, "show snapshots", login="acc1:admin") == before
    assert not list((tmp_path / ".modsl" / "journal").glob("*.jsonl"))


def test_apply_runs_after_its_checks_and_journals_them(standin: StandIn,
                                                       tmp_path: Path) -> None:
    plan = write(tmp_path, CLEAN)
    result = apply(standin, plan)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.index("all live checks passed") < result.stdout.index("running 1/")
    journal = next((tmp_path / ".modsl" / "journal").glob("*.jsonl"))
    events = [json.loads(line)["event"] for line in journal.read_text().splitlines()]
    assert events[:2] == ["run", "checks"] and events.count("done") == 2


def test_a_resumed_run_expects_what_it_created(standin: StandIn, tmp_path: Path) -> None:
    """The first run's snapshot exists when it resumes: --resume must not call that a broken
    promise (MB604), while the statements still to run are checked as before."""
    plan = write(tmp_path, CLEAN)
    standin.faults.drop_after_commit()  # statement 1 commits, its reply is lost
    first = apply(standin, plan)
    assert first.returncode == 1 and "UNKNOWN OUTCOME" in first.stderr
    assert check(standin, plan).returncode == 1  # shop_before exists now
    resumed = apply(standin, plan, "--resume", "--mark-done", "1")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "all live checks passed" in resumed.stdout and "running 2/2" in resumed.stdout


def apply(server: StandIn, plan: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*modsl_command(), "apply", str(plan), "--dsn", dsn(server), "--yes",
                           *NOW, *extra], capture_output=True, text=True, cwd=plan.parent,
                          timeout=60)


# -- modsl status, modsl import --from-server -------------------------------------------------

def modsl_run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*modsl_command(), *args], capture_output=True, text=True, cwd=cwd,
                            timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_status_sets_each_line_against_the_server(standin: StandIn, tmp_path: Path) -> None:
    sql(standin, "create snapshot by_hand for database shop", "create snapshot old_one for "
        "database shop", login="acc1:admin")
    plan = write(tmp_path, CLEAN + "drop snapshot old_one\nalter pitr acc_pitr range 5d\n"
                                   "drop snapshot never_made if exists\n")
    result = modsl_run("status", str(plan), "--dsn", dsn(standin), *NOW, "--format", "json",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [(r["mark"], r["name"], r["line"]) for r in json.loads(result.stdout)["rows"]]
    assert rows == [("=", "shop_daily", 3), ("=", "acc_pitr", 4), ("+", "shop_before", 5),
                    ("<", "database shop", 6), ("-", "old_one", 7), ("~", "acc_pitr", 8),
                    ("=", "never_made", 9), ("?", "by_hand", None)]
    text = modsl_run("status", str(plan), "--dsn", dsn(standin), *NOW, cwd=tmp_path).stdout
    assert "range 2d → 5d" in text and "1 to create, 1 to drop, 1 to change, 1 to restore" in text


def test_status_names_conflicts_and_exits_1(standin: StandIn, tmp_path: Path) -> None:
    plan = write(tmp_path, "as account acc1\nexisting snapshot gone for database shop\n"
                           "snapshot shop_daily for database shop\n")
    result = modsl_run("status", str(plan), "--dsn", dsn(standin), *NOW, "--format", "json",
                       cwd=tmp_path)
    assert result.returncode == 1
    marks = [(r["mark"], r["name"]) for r in json.loads(result.stdout)["rows"]]
    assert marks == [("!", "gone"), ("!", "shop_daily"), ("?", "acc_pitr")]


def test_import_from_server_declares_what_is_there(standin: StandIn, tmp_path: Path) -> None:
    result = modsl_run("import", "--from-server", "--dsn", dsn(standin), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("target matrixone 4.2\nas account acc1\n\n"
                             "existing snapshot shop_daily for database shop\n"
                             "existing pitr acc_pitr for account range 2d\n")
    # The plan it writes holds: lint is clean, and so are the live checks.
    plan = write(tmp_path, result.stdout)
    assert modsl.lint(plan.read_text(), "plan.mobak") == []
    assert check(standin, plan).returncode == 0


def test_import_needs_a_file_or_a_server(tmp_path: Path) -> None:
    result = modsl_run("import", cwd=tmp_path)
    assert result.returncode == 2 and "--from-server" in result.stderr


def test_a_dead_server_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    plan = write(tmp_path, CLEAN)
    for command in (["check", str(plan)], ["status", str(plan)], ["import", "--from-server"]):
        result = modsl_run(*command, "--dsn", "mysql://u:secret@127.0.0.1:1",
                           "--connect-timeout", "2", *(NOW if command[0] != "import" else []),
                           cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert "secret" not in result.stderr and result.stderr.startswith(f"modsl {command[0]}")


def test_check_and_status_want_a_plan_not_sql(tmp_path: Path) -> None:
    sql_file = tmp_path / "plan.sql"
    sql_file.write_text("CREATE SNAPSHOT s FOR ACCOUNT;\n", encoding="utf-8")
    for command in ("check", "status"):
        result = modsl_run(command, str(sql_file), "--dsn", "mysql://u@127.0.0.1:1",
                           cwd=tmp_path)
        assert result.returncode == 2 and ".mobak" in result.stderr

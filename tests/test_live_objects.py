"""MB608 (issue 20): a misspelled account, a dropped table, a missing database — each a line
that lints clean and that the server refuses only when it runs — is refused by `modsl check`
with the server's own words, and `modsl apply` runs nothing."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import modsl_command
from test_live import NOW, check, failed, seeded, sql, write

from modsl.standin import StandIn


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with seeded() as server:
        yield server


def as_sys(command: str, server: StandIn, plan: Path,
           *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*modsl_command(), command, str(plan), "--dsn",
                           f"mysql://root@127.0.0.1:{server.port}", *NOW, *extra],
                          capture_output=True, text=True, cwd=plan.parent, timeout=60)


@pytest.mark.parametrize(("line", "says"), [
    ("snapshot s for account acc_1", "account acc_1 does not exist"),
    ("snapshot s for database shopp", "database shopp does not exist"),
    ("snapshot s for table shop.gone", "table shop.gone does not exist"),
    ("pitr p for database shopp range 1d", "database shopp does not exist"),
    ("pitr p for table shop.gone range 1d", "table shop.gone does not exist"),
])
def test_a_missing_object_is_refused_before_anything_runs(standin: StandIn, tmp_path: Path,
                                                          line: str, says: str) -> None:
    sql(standin, "create table shop.gone (id int)", "drop table shop.gone")
    plan = write(tmp_path, f"as account sys\nsnapshot first for account acc1\n{line}\n")
    result = as_sys("check", standin, plan, "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert failed(result) == [("MB608", 3)]
    assert says in result.stdout
    before = sql(standin, "show snapshots")
    ran = as_sys("apply", standin, plan, "--yes")
    assert ran.returncode == 1 and "MB608" in ran.stdout and "running 1/" not in ran.stdout
    assert sql(standin, "show snapshots") == before


def test_what_exists_or_a_restore_brings_back_passes(standin: StandIn, tmp_path: Path) -> None:
    sql(standin, "create database gone", "create table gone.t (id int)",
        "create snapshot gone_snap for database gone", "drop database gone")
    plan = write(tmp_path, "\n".join([
        "as account sys",
        "existing snapshot gone_snap for database gone",
        "snapshot a for account acc1",
        "snapshot b for table shop.orders",
        "restore database gone from snapshot gone_snap",   # brings `gone` back
        "snapshot c for database gone",
        "snapshot d for table gone.t",                     # left unchecked: its content
    ]) + "\n")
    result = as_sys("check", standin, plan)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "left unchecked: a restore above" in result.stdout


def test_a_tenant_is_checked_in_its_own_account(standin: StandIn, tmp_path: Path) -> None:
    plan = write(tmp_path, "as account acc1\nsnapshot s for table shop.orderz\n")
    result = check(standin, plan, "--format", "json")
    assert failed(result) == [("MB608", 2)]
    assert "table shop.orderz does not exist" in result.stdout

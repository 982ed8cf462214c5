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


@pytest.mark.parametrize(("line", "says"), [
    ("verify rows shop.nope >= 1", "the verify would fail with `no such table shop.nope`"),
    ("verify rows nodb.t >= 1", "the verify would fail with `Unknown database nodb`"),
    ("verify table shop.tbl9 exists", "table `shop.tbl9` is not on the server"),
    ("verify database nodb exists", "database `nodb` is not on the server"),
    ("verify database nodb exists in account acc1", "database `nodb` is not on the server"),
])
def test_what_a_verify_reads_is_on_the_server(standin: StandIn, tmp_path: Path, line: str,
                                              says: str) -> None:
    """Issue 20: the run would fail at the verify, after the steps before it ran."""
    plan = write(tmp_path, f"as account acc1\nsnapshot s for database shop\n{line}\n")
    result = check(standin, plan, "--format", "json")
    assert failed(result) == [("MB608", 3)], result.stdout + result.stderr
    assert says in result.stdout
    if "in account" in line:
        return  # apply would want its own login (MODSL_DSN_ACC1) first
    ran = subprocess.run([*modsl_command(), "apply", str(plan), "--dsn",
                          f"mysql://acc1%3Aadmin:pw@127.0.0.1:{standin.port}", *NOW, "--yes"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert ran.returncode == 1 and "MB608" in ran.stdout and "running 1/" not in ran.stdout
    assert "s" not in {r[0] for r in sql(standin, "show snapshots", login="acc1:admin")}


def test_a_verify_of_what_a_restore_may_bring_is_not_refused(standin: StandIn,
                                                             tmp_path: Path) -> None:
    """`verify … exists` tests what a restore brought: only a verify of what nothing above
    could bring is refused; one in another account's catalog is not read."""
    sql(standin, "create database gone", "create table gone.t (id int)",
        "create snapshot gone_snap for database gone", "drop database gone",
        login="acc1:admin")
    plan = write(tmp_path, "\n".join([
        "as account acc1",
        "existing snapshot gone_snap for database gone",
        "snapshot shop_before for database shop",
        "verify rows shop.orders >= 1",
        "restore database gone from snapshot gone_snap",
        "verify database gone exists",
        "verify table gone.t exists",
        "verify rows gone.t >= 0",
        "clone database shop from snapshot shop_before into shop_copy",
        "verify rows shop_copy.orders >= 1",
    ]) + "\n")
    result = check(standin, plan)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "table `shop.orders` exists" in result.stdout
    assert "database `gone` is put there by a line above" in result.stdout
    assert "table `gone.t` is left unchecked: a restore above" in result.stdout
    as_sys_plan = write(tmp_path, "as account sys\nverify rows nodb.t >= 1 in account acc1\n")
    result = as_sys("check", standin, as_sys_plan)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in account `acc1` is left unchecked" in result.stdout
    refused = write(tmp_path, "as account sys\nverify database nodb exists in account sys\n")
    assert "MB608 database `nodb` is not on the server" in as_sys("check", standin,
                                                                    refused).stdout


def test_a_tenant_at_its_snapshot_quota_is_refused(standin: StandIn, tmp_path: Path) -> None:
    """MB609: 50 account-level snapshots in acc1, one more refused before anything runs, as
    feature_limit.go refuses it (before `if not exists`); a drop above, another level, or the
    operator's `ignore[MB503]` (a raised quota) passes."""
    sql(standin, *(f"create snapshot acc1_s{n:02} for account" for n in range(50)),
        login="acc1:admin")
    says = "feature SNAPSHOT with scope account has reached the limit of 50"
    for line in ("snapshot one_more for account", "snapshot acc1_s00 for account if not exists"):
        plan = write(tmp_path, f"as account acc1\nsnapshot shop_before for database shop\n"
                               f"{line}\n")
        result = check(standin, plan, "--format", "json")
        assert failed(result) == [("MB609", 3)], result.stdout + result.stderr
        assert says in result.stdout
    before = sql(standin, "show snapshots", login="acc1:admin")
    ran = subprocess.run([*modsl_command(), "apply", str(plan), "--dsn",
                          f"mysql://acc1%3Aadmin:pw@127.0.0.1:{standin.port}", *NOW, "--yes"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert ran.returncode == 1 and "MB609" in ran.stdout and "running 1/" not in ran.stdout
    assert sql(standin, "show snapshots", login="acc1:admin") == before
    for text in ("drop snapshot acc1_s07\nsnapshot one_more for account\n",
                 "snapshot one_more for database shop\n",
                 "snapshot one_more for account  # modsl: ignore[MB503]\n"):
        result = check(standin, write(tmp_path, f"as account acc1\n{text}"))
        assert result.returncode == 0, result.stdout + result.stderr
    # sys is unlimited: its own 51st account snapshot passes.
    sql(standin, *(f"create snapshot sys_s{n:02} for account" for n in range(50)))
    result = as_sys("check", standin, write(tmp_path, "as account sys\nsnapshot x for account\n"))
    assert result.returncode == 0 and "MB609" not in result.stdout, result.stdout

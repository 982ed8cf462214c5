"""`modsl run --standin --firings N` (issue 20): a schedule rehearsed from the command line on
a stand-in whose clock moves, so "keep 30d" is seen keeping 30 without writing Python."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import modsl_command

PLAN = """\
target matrixone 4.2
as account acc1
schedule nightly every day at 01:00 in "Asia/Shanghai"
snapshot acc1_{date} for account acc1 on nightly keep 30d
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*modsl_command(), "run", *args], capture_output=True, text=True,
                         cwd=cwd, env={**os.environ, "MODSL_DSN": ""}, timeout=300,
                         check=False)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_forty_nights_keep_exactly_thirty(tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN)
    out = run("plan.mobak", "--schedule", "nightly", "--standin", "--firings", "40",
              "--now", "2026-11-01 00:00:00", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("create: CREATE SNAPSHOT") == 40
    assert out.stdout.count("drop (beyond retention)") == 10
    held = out.stdout.split("after the last firing the stand-in holds\n")[1]
    nights = [date(2026, 11, 1) + timedelta(days=n) for n in range(10, 40)]
    assert held.strip() == ("line 4 (acc1_{date}): 30: "
                            + ", ".join(f"acc1_{d:%Y%m%d}" for d in nights))
    assert not (tmp_path / ".modsl").exists()  # the rehearsal's journal went with it


@pytest.mark.parametrize(("flags", "message"), [
    (["--dsn", "mysql://u@127.0.0.1:1"], "leave out --dsn"),
    (["--firings", "0"], "--firings must be at least 1"),
    (["--seed", "/nonexistent.sql"], "/nonexistent.sql: cannot read"),
])
def test_a_rehearsal_refuses_what_it_cannot_do(tmp_path: Path, flags: list[str],
                                               message: str) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN)
    out = run("plan.mobak", "--schedule", "nightly", "--standin", *flags, cwd=tmp_path)
    assert out.returncode == 2 and message in out.stderr, out.stderr


def test_a_starrocks_schedule_is_rehearsed_on_a_starrocks_stand_in(tmp_path: Path) -> None:
    """The nightly StarRocks example: each firing a BACKUP named for its night, waited for;
    at the end, the labels the repository holds (it crashed on MatrixOne's CREATE ACCOUNT)."""
    example = Path(__file__).parent.parent / "examples" / "starrocks-nightly.mobak"
    out = run(str(example), "--schedule", "nightly", "--standin", "--firings", "2",
              "--now", "2026-11-01 00:00:00", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "StarRocks 3.4.0 stand-in" in out.stdout
    for night in ("20261101", "20261102"):
        assert (f"create: BACKUP DATABASE `sales` SNAPSHOT `sales_{night}` TO `backups`"
                in out.stdout)
    assert out.stdout.count("backup job: FINISHED") == 2
    held = out.stdout.split("after the last firing the stand-in holds\n")[1]
    assert held.strip() == ("line 14 (sales_{date} in backups): 2: "
                            "sales_20261101, sales_20261102")

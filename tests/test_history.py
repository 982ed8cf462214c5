"""`modsl log`: what ran, when, on which server, how it ended and what its verifies saw, read
back from the journals alone."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import modsl_command

from modsl.standin import StandIn

PLAN = """\
target matrixone 4.2
as account sys
snapshot before_drill for cluster
verify "SELECT 41 + 1" = 42
"""

FAILING = """\
target matrixone 4.2
as account sys
snapshot other for cluster
verify "SELECT 1" = 2
"""

SCHEDULED = """\
target matrixone 4.2
as account sys
schedule nightly every day at 01:00 in "UTC"
snapshot cluster_{date} for cluster on nightly keep 7d
"""


def modsl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*modsl_command(), *args], capture_output=True, text=True, cwd=cwd,
                         env={**os.environ, "MODSL_DSN": ""}, timeout=120, check=False)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_log_lists_each_run_with_its_server_outcome_and_verify_values(tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN)
    (tmp_path / "failing.mobak").write_text(FAILING)
    (tmp_path / "nightly.mobak").write_text(SCHEDULED)
    with StandIn() as server:
        dsn = server.dsn()
        assert modsl("apply", "plan.mobak", "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 0
        assert modsl("apply", "failing.mobak", "--dsn", dsn, "--yes",
                     cwd=tmp_path).returncode == 1
        fired = modsl("run", "nightly.mobak", "--schedule", "nightly", "--dsn", dsn,
                      "--now", "2026-11-21 02:00:00", cwd=tmp_path)
        assert fired.returncode == 0, fired.stderr
    text = modsl("log", cwd=tmp_path).stdout
    lines = text.splitlines()
    assert any(" done " in f" {line} " and "plan.mobak" in line and f"127.0.0.1:{server.port}"
               in line and "2/2 statement(s)" in line for line in lines), text
    assert "verify 2: saw 42, expected = 42: ok" in text
    assert "verify 2: saw 1, expected = 2: FAILED" in text
    assert any("run nightly @ 2026-11-21T01:00:00+00:00" in line for line in lines), text

    only = json.loads(modsl("log", "failing.mobak", "--format", "json", cwd=tmp_path).stdout)
    assert [(r["outcome"], r["command"], r["done"], r["statements"]) for r in only] == [
        ("failed", "apply", 1, 2)]
    assert only[0]["verifies"] == [{"statement": 2, "observed": 1, "expected": "= 2",
                                    "passed": False}]
    assert "mysql://" in only[0]["server"] and only[0]["started"] <= only[0]["ended"]


def test_a_damaged_journal_is_shown_not_skipped(tmp_path: Path) -> None:
    journal = tmp_path / ".modsl" / "journal"
    journal.mkdir(parents=True)
    (journal / "abc.jsonl").write_text('{"event": "run", "plan": "/p.mobak"}\n{"event": ')
    (journal / "nested.jsonl").write_text("[" * 100_000 + "\n")
    out = modsl("log", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.count("unreadable") == 2 and "cannot read this journal" in out.stdout


def test_no_journal_directory_is_a_usage_error(tmp_path: Path) -> None:
    out = modsl("log", cwd=tmp_path)
    assert out.returncode == 2 and "no journal directory here" in out.stderr


def test_a_plan_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    """Not "no runs journaled here", which reads as if the plan had never run (a typo)."""
    journal = tmp_path / ".modsl" / "journal"
    journal.mkdir(parents=True)
    out = modsl("log", "nightyl.mobak", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert "nightyl.mobak: no such plan" in out.stderr
    # A plan removed since it ran still shows its runs; one that exists and never ran is no
    # error either.
    gone = str((tmp_path / "gone.mobak").resolve())
    (journal / "abc.jsonl").write_text(json.dumps(
        {"event": "run", "plan": gone, "started": "2026-11-20T01:00:00+00:00"}) + "\n")
    out = modsl("log", "gone.mobak", cwd=tmp_path)
    assert out.returncode == 0 and "gone.mobak" in out.stdout, out.stderr
    (tmp_path / "never.mobak").write_text(PLAN)
    out = modsl("log", "never.mobak", cwd=tmp_path)
    assert out.returncode == 0 and "no runs journaled here" in out.stdout


def test_status_shows_a_schedules_snapshots_as_its_own(tmp_path: Path) -> None:
    """Issue 23: a schedule's snapshots were `?` ("not in the plan") in `modsl status`."""
    from datetime import datetime, timedelta

    import pymysql

    (tmp_path / "nightly.mobak").write_text(SCHEDULED)
    with StandIn() as server:
        for night in range(3):
            server.clock.set(datetime(2026, 11, 20 + night, 1, 0, 5))
            fired = modsl("run", "nightly.mobak", "--schedule", "nightly", "--dsn",
                          server.dsn(), "--now", f"2026-11-{20 + night} 01:00:05",
                          cwd=tmp_path)
            assert fired.returncode == 0, fired.stderr
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="")
        with conn.cursor() as cur:
            cur.execute("CREATE SNAPSHOT by_hand FOR CLUSTER")
        conn.close()
        server.clock.set(datetime(2026, 11, 22, 12, 0) + timedelta(days=6))
        out = modsl("status", "nightly.mobak", "--dsn", server.dsn(), "--now",
                    "2026-11-28 12:00:00", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (row,) = [line for line in out.stdout.splitlines() if line.lstrip().startswith("@")]
    assert "schedule nightly: owns 3, newest cluster_20261122" in row
    assert "next firing 2026-11-29 01:00 UTC takes cluster_20261129" in row
    assert "drops cluster_20261120, cluster_20261121" in row
    unplanned = [line for line in out.stdout.splitlines() if line.lstrip().startswith("?")]
    assert len(unplanned) == 1 and "by_hand" in unplanned[0]
    assert "1 scheduled;" in out.stdout

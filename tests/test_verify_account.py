"""`verify … in account A` (issue 20): a verify reads where the data is. After a restore into
a new account it logs into that account — with credentials from the environment, never from
the plan — checked to be in it before anything runs, and the journal says where it read."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest
from conftest import REPO, modsl_command

from modsl import lint
from modsl.standin import StandIn

EXAMPLE = REPO / "examples" / "incident-drill.mobak"
SEED = REPO / "examples" / "incident-seed.sql"
NOW = ["--now", "2026-11-20 15:00:00"]


def modsl(*args: str, cwd: Path, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*modsl_command(), *args], capture_output=True, text=True, cwd=cwd,
                         env={**os.environ, "MODSL_DSN": "", **(env or {})}, timeout=120,
                         check=False)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_the_incident_drill_runs_green(tmp_path: Path) -> None:
    out = modsl("apply", str(EXAMPLE), "--standin", "--seed", str(SEED), *NOW, "--yes",
                cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "verify in account `acc7_restore`: saw 4, must be >= 4: ok" in out.stdout
    assert "verify in account `acc7_restore`: saw 1, must be = 1: ok" in out.stdout


def test_a_failing_verify_in_the_new_account_rolls_it_back(tmp_path: Path) -> None:
    plan = tmp_path / "plan.mobak"
    plan.write_text(EXAMPLE.read_text().replace("WHERE id = 3\" = 1", "WHERE id = 3\" = 0"))
    out = modsl("apply", str(plan), "--standin", "--seed", str(SEED), *NOW, "--yes",
                cwd=tmp_path)
    assert out.returncode == 1
    assert "saw 1, must be = 0: FAILED" in out.stdout
    assert "✓ " in out.stderr and "RESTORE ACCOUNT `acc7_restore`{SNAPSHOT=" in out.stderr


PLAN = """\
target matrixone 4.2
as account sys
existing snapshot acc7_daily for account acc7
restore account acc7 from snapshot acc7_daily to account acc7_restore
verify rows shop.orders >= 2 in account acc7_restore
"""


@pytest.mark.parametrize(("account", "codes"), [
    ("", ["MB418"]),                  # runs as sys, reads sys's `shop`: the wrong data
    (" in account acc7_restore", []),
    (" in account sys", []),          # the user chose sys (it may have its own `shop`)
    (" in account acc7_restor", ["MB417"]),  # a near miss: MB417's, not MB418's
])
def test_mb418_judges_only_a_verify_without_an_account(account: str, codes: list[str]) -> None:
    text = PLAN.replace(" in account acc7_restore\n", f"{account}\n")
    assert [d.code for d in lint(text, "p.mobak") if d.code in ("MB417", "MB418")] == codes


@pytest.fixture
def server() -> Iterator[StandIn]:
    with StandIn("4.2.0") as s:
        conn = pymysql.connect(host="127.0.0.1", port=s.port, user="root", password="",
                               autocommit=True)
        with conn, conn.cursor() as cur:
            for sql in ("CREATE ACCOUNT acc7 ADMIN_NAME 'admin' IDENTIFIED BY 'pw'",
                        "CREATE ACCOUNT acc7_restore ADMIN_NAME 'admin' IDENTIFIED BY 'pw'",
                        "CREATE ACCOUNT other ADMIN_NAME 'admin' IDENTIFIED BY 'pw'"):
                cur.execute(sql)
        conn = pymysql.connect(host="127.0.0.1", port=s.port, user="acc7:admin",
                               password="pw", autocommit=True)
        with conn, conn.cursor() as cur:
            for sql in ("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT)",
                        "INSERT INTO shop.orders VALUES (1), (2)"):
                cur.execute(sql)
        conn = pymysql.connect(host="127.0.0.1", port=s.port, user="root", password="",
                               autocommit=True)
        with conn, conn.cursor() as cur:
            cur.execute("CREATE SNAPSHOT acc7_daily FOR ACCOUNT acc7")
        yield s


def login(server: StandIn, account: str) -> str:
    return f"mysql://{account}%3Aadmin:pw@127.0.0.1:{server.port}"


def snapshots(server: StandIn) -> list[object]:
    conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="")
    with conn, conn.cursor() as cur:
        cur.execute("SHOW SNAPSHOTS")
        return list(cur.fetchall())


def test_the_verify_logs_into_its_account_and_the_journal_says_so(server: StandIn,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN)
    out = modsl("apply", "plan.mobak", "--dsn", server.dsn(), "--yes", *NOW, cwd=tmp_path,
                env={"MODSL_DSN_ACC7_RESTORE": login(server, "acc7_restore")})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "verify in account `acc7_restore`: saw 2, must be >= 2: ok" in out.stdout
    (journal,) = (tmp_path / ".modsl" / "journal").glob("*.jsonl")
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    started = [e for e in entries if e["event"] == "started"]
    assert [e.get("account") for e in started] == [None, "acc7_restore"]
    assert "pw" not in journal.read_text()


@pytest.mark.parametrize(("env", "says"), [
    ({}, "give a login into it in $MODSL_DSN_ACC7_RESTORE"),
    ({"MODSL_DSN_ACC7_RESTORE": "other"}, "is in account `other`"),
    ({"MODSL_DSN_ACC7_RESTORE": "bad"}, "$MODSL_DSN_ACC7_RESTORE: bad DSN"),
])
def test_no_login_into_the_account_runs_nothing(server: StandIn, tmp_path: Path,
                                                env: dict[str, str], says: str) -> None:
    if env.get("MODSL_DSN_ACC7_RESTORE") == "other":
        env = {"MODSL_DSN_ACC7_RESTORE": login(server, "other")}
    (tmp_path / "plan.mobak").write_text(PLAN)
    before = snapshots(server)
    out = modsl("apply", "plan.mobak", "--dsn", server.dsn(), "--yes", *NOW, cwd=tmp_path,
                env=env)
    assert out.returncode == 2 and says in out.stderr, out.stderr
    assert "running 1/" not in out.stdout and snapshots(server) == before
    assert "pw" not in out.stderr


def test_the_reviewed_file_carries_the_account_under_its_hash(tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN)
    out = modsl("compile", "plan.mobak", "-o", "plan.sql", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "plan.sql").read_text()
    assert "-- verify: >= 2\n-- in account: acc7_restore\n" in text
    (tmp_path / "edited.sql").write_text(text.replace("in account: acc7_restore",
                                                      "in account: acc7"))
    out = modsl("apply", "edited.sql", "--dry-run", cwd=tmp_path)
    assert out.returncode == 2 and "edited" in out.stderr


def test_a_verify_whose_outcome_is_unknown_waits_for_the_users_word(server: StandIn,
                                                                    tmp_path: Path) -> None:
    """Issue 21: a verify cut off mid-run was run again on --resume without asking; it is a
    statement like any other: --retry (or --mark-done) says what happened."""
    from modsl.compiler import sqlfile
    from modsl.runtime.executor import Journal

    plan = tmp_path / "plan.mobak"
    plan.write_text("target matrixone 4.2\nas account sys\nsnapshot s1 for account acc7\n"
                    'verify "SELECT 41 + 1" = 42\n')
    assert modsl("compile", "plan.mobak", "-o", "plan.sql", cwd=tmp_path).returncode == 0
    compiled = sqlfile.read((tmp_path / "plan.sql").read_bytes(), "plan.sql")
    journal = Journal.open(tmp_path / ".modsl" / "journal", compiled.statements_sha256)
    journal.write({"event": "run", "plan": str(tmp_path / "plan.sql"), "statements": 2})
    for index, sql in enumerate(s.sql for s in compiled.statements):
        journal.write({"event": "started", "index": index, "sql": sql, "file": "plan.mobak",
                       "line": index + 3, "at": "2026-11-20T15:00:00.000Z"})
        if index == 0:
            journal.write({"event": "done", "index": 0})
    resume = ["apply", "plan.sql", "--dsn", server.dsn(), "--yes", "--resume", "--no-checks"]
    out = modsl(*resume, cwd=tmp_path)
    assert out.returncode == 2 and "--retry 2" in out.stderr, out.stdout + out.stderr
    out = modsl(*resume, "--retry", "2", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "saw 42, must be = 42: ok" in out.stdout

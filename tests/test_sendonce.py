"""Send once (issue 21): one run of a plan at a time per server, whatever its working directory,
`--journal` or host; kill -9 of `modsl rollback` and of a StarRocks apply never sends anything
twice (bench/crash_matrix.py, short form)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, modsl_command
from test_apply import compiled, db, dsn, query  # noqa: F401  (fixtures)

from modsl.runtime import locks

sys.path.insert(0, str(REPO / "bench"))
import crash_matrix


def _started(journal_dir: Path) -> bool:
    for path in journal_dir.glob("*.jsonl") if journal_dir.is_dir() else []:
        lines = path.read_text().splitlines()
        if any(json.loads(line)["event"] == "started" for line in lines if line.endswith("}")):
            return True
    return False


Ran = subprocess.CompletedProcess[str]


def _two_at_once(server: str, database: str, tmp_path: Path, same_host: bool,
                 journals: tuple[str, str] | None = None) -> list[Ran]:
    """The same plan from two working directories (or two --journal dirs), the second
    started while the first holds its first statement: (first, second)."""
    runs: list[tuple[list[str], Path, dict[str, str], Path]] = []
    for name in ("a", "b"):
        work = tmp_path / name
        work.mkdir()
        compiled(work / "plan.sql", ["SELECT SLEEP(2)", f"CREATE DATABASE `{database}`"])
        state = tmp_path / ("state" if same_host else f"state-{name}")
        journal = journals[len(runs)] if journals else ".modsl/journal"
        cmd = [*modsl_command(), "apply", "plan.sql", "--dsn", server, "--yes", "--no-checks",
               "--journal", journal]
        env = {**os.environ, "XDG_STATE_HOME": str(state)}
        runs.append((cmd, work, env, work / journal))
    cmd, work, env, journal_dir = runs[0]
    first = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _started(journal_dir):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.05)
    cmd, work, env, _ = runs[1]
    second = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=120)
    out, err = first.communicate(timeout=120)
    return [subprocess.CompletedProcess(first.args, first.returncode, out, err), second]


def test_two_working_directories_on_one_host_create_once(dsn: str, db: str,  # noqa: F811
                                                          tmp_path: Path) -> None:
    """The journal locks differ (two directories); the host lock, in the user's state
    directory, does not: the second run is refused, nothing runs twice."""
    first, second = _two_at_once(dsn, db, tmp_path, same_host=True)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 2, second.stdout + second.stderr
    assert "this plan is running on this server" in second.stderr
    assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == [(db,)]


def test_two_journal_dirs_on_two_hosts_create_once(dsn: str, db: str,  # noqa: F811
                                                   tmp_path: Path) -> None:
    """Two state directories stand for two hosts: only the server's lock (GET_LOCK, which
    MariaDB has) sees both; the second run is refused by it before it sends anything."""
    first, second = _two_at_once(dsn, db, tmp_path, same_host=False,
                                 journals=("j1", "j2"))
    assert first.returncode == 0, first.stderr
    assert second.returncode == 2, second.stdout + second.stderr
    assert "the server's lock modsl:" in second.stderr
    journal = next((tmp_path / "b" / "j2").glob("*.jsonl"), None)
    assert journal is None or "started" not in journal.read_text()


def test_the_lock_names_hide_the_server_and_fit_the_servers_limit() -> None:
    key = locks.key(locks.identity("db.internal.example", 6001, "acc1"), "ab" * 32)
    name = locks.server_lock_name(key)
    assert len(name) <= 64  # MatrixOne's and MySQL's limit on a user-level lock name
    assert "example" not in name and "acc1" not in name and int(key[:4], 16) != 6001
    assert key != locks.key(locks.identity("db.internal.example", 6002, "acc1"), "ab" * 32)
    assert key == locks.key(locks.identity("DB.internal.example", 6001, "ACC1"), "ab" * 32)


@pytest.mark.parametrize("mode", sorted(crash_matrix.MODES))
def test_crash_matrix_short_form(mode: str) -> None:
    """3 kill -9 trials (the bench runs 20): nothing received twice, nothing left undone, and
    every rerun finished (with the user's true word where one was asked for)."""
    said: list[str] = []
    results = crash_matrix.matrix(mode, 3, seed=21, delay=0.8, say=said.append)
    assert all(not r.doubles and not r.skipped and not r.errors for r in results), said


@pytest.mark.parametrize("second_host", ["127.0.0.1", "127.1", "localhost"])
def test_two_directories_firing_one_schedule_take_it_once(tmp_path: Path,
                                                          second_host: str) -> None:
    """`modsl run` of one firing from two working directories at once (one host): the host
    lock refuses the second, however its DSN spells the server (an attack found `127.1`
    beside `127.0.0.1` ran twice); the snapshot is created once."""
    from modsl.standin import StandIn

    plan = ("as account sys\nschedule nightly every day at 01:00 in \"UTC\"\n"
            "snapshot c_{date} for cluster on nightly keep 7d\n")
    with StandIn() as server:
        server.faults.delay_next(3)  # the first run's CREATE is held on the server
        runs = []
        for name, host in (("a", "127.0.0.1"), ("b", second_host)):
            work = tmp_path / name
            work.mkdir()
            (work / "plan.mobak").write_text(plan)
            cmd = [*modsl_command(), "run", "plan.mobak", "--schedule", "nightly", "--dsn",
                   server.dsn().replace("127.0.0.1", host), "--no-checks", "--now",
                   "2026-11-21 02:00:00", "--settle", "0"]
            env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "MODSL_DSN": ""}
            runs.append((cmd, work, env))
        cmd, work, env = runs[0]
        first = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not _started(work / ".modsl" / "journal"):
            assert time.monotonic() < deadline and first.poll() is None, first.communicate()
            time.sleep(0.05)
        cmd, work, env = runs[1]
        second = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                                timeout=120)
        out, err = first.communicate(timeout=120)
        conn = __import__("pymysql").connect(host="127.0.0.1", port=server.port, user="root",
                                             password="")
        with conn, conn.cursor() as cur:
            cur.execute("SHOW SNAPSHOTS")
            names = [row[0] for row in cur.fetchall()]
    assert first.returncode == 0, out + err
    assert second.returncode == 2 and "running on this server" in second.stderr, second.stderr
    assert names == ["c_20261121"]

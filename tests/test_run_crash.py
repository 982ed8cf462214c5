"""`modsl run` never stuck, never silent, never confused between servers: an outcome a lost
connection or a kill -9 left unknown is decided from the server (no double send, nothing
skipped), a stop signal exits 130 saying what ran, and each server gets its own firing."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO

from modsl.cli import main
from modsl.runtime import live
from modsl.runtime.executor import Journal
from modsl.runtime.live import LiveObject
from modsl.standin import StandIn


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_run", REPO / "bench" / "crash_run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


crash_run = _bench()
AT = crash_run.AT
LATER = f"{AT:%Y-%m-%d} 01:20:00"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """Two tenants, each with a nightly snapshot beyond retention: the firing is CREATE acc1's,
    DROP acc1's August one, CREATE acc2's, DROP acc2's August one."""
    with StandIn("4.2.0") as server:
        crash_run.prepared(server)
        yield server


def snapshots(server: StandIn) -> list[str]:
    return sorted(str(r[0]) for r in crash_run.sql(server, "show snapshots"))


def fire(server: StandIn, tmp_path: Path, *extra: str, now: str = f"{AT:%Y-%m-%d %H:%M:%S}",
         password: str = "") -> int:
    plan = tmp_path / "plan.mobak"
    plan.write_text(crash_run.PLAN, encoding="utf-8")
    dsn = f"mysql://root{':' + password if password else ''}@127.0.0.1:{server.port}"
    return main(["run", str(plan), "--schedule", "nightly", "--dsn", dsn,
                 "--journal", str(tmp_path / "j"), "--now", now, *extra])


def entries(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((tmp_path / "j").glob("run-*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_create_lost_with_the_connection_is_decided_from_the_server_and_sent_once(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The connection dies before the server runs the CREATE: the retry is not stuck on
    `resolve unknown outcomes` — the server has no such snapshot, so it is created, once."""
    standin.faults.fail_next(2013, "Lost connection to MySQL server during query")
    with crash_run.received() as log:
        assert fire(standin, tmp_path) == 1
        assert "outcome unknown" in capsys.readouterr().err
        assert fire(standin, tmp_path, "--settle", "0", now=LATER) == 0
    out = capsys.readouterr().out
    assert "decided from the server: no snapshot `acc1_20261001` on the server" in out
    assert snapshots(standin) == crash_run.WANT
    assert [s for s in log if s.startswith("CREATE SNAPSHOT `acc1")] == [
        "CREATE SNAPSHOT `acc1_20261001` FOR ACCOUNT `acc1`"] * 2  # the lost one, the retry
    resolved = [e for e in entries(tmp_path) if e["event"] == "resolved"]
    assert [(e["as"], e["by"]) for e in resolved] == [("retry", "server")]
    assert "the CREATE did not take" in resolved[0]["why"]


def test_a_create_whose_reply_was_lost_is_done_by_the_server_and_not_sent_again(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    standin.faults.drop_after_commit()  # the CREATE commits; its reply never comes
    with crash_run.received() as log:
        assert fire(standin, tmp_path) == 1
        assert fire(standin, tmp_path, now=LATER) == 0
    assert "decided from the server: snapshot `acc1_20261001` exists" in capsys.readouterr().out
    assert snapshots(standin) == crash_run.WANT
    assert sum(s.startswith("CREATE SNAPSHOT `acc1") for s in log) == 1
    resolved = [e for e in entries(tmp_path) if e["event"] == "resolved"]
    assert [e["as"] for e in resolved] == ["done"]


def test_an_unreadable_server_is_a_clear_error_not_an_internal_one(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    standin.faults.fail_next(2013, "Lost connection to MySQL server during query")
    assert fire(standin, tmp_path) == 1
    capsys.readouterr()

    def unreadable(self: object, connection: object) -> list[LiveObject]:
        raise live.Unreadable("`SHOW SNAPSHOTS` failed: the server is busy")

    monkeypatch.setattr("modsl.engines.matrixone.MatrixOneEngine.live_objects", unreadable)
    assert fire(standin, tmp_path, "--settle", "0", now=LATER) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "cannot read the server's snapshots to decide `CREATE SNAPSHOT" in err
    assert "nothing was sent; run again when the server answers" in err


def _journal(tmp_path: Path, steps: list[dict[str, Any]]) -> Journal:
    journal = Journal.open(tmp_path, "run-x")
    journal.write({"event": "run", "steps": steps})
    for step in steps:
        journal.write({"event": "started", "index": step["index"], "sql": step["sql"],
                       "at": "2026-10-01T01:00:05.000Z"})
    return journal


TAKEN = datetime(2026, 8, 1, 1, 0, 5)


def _snap(name: str, taken: datetime = TAKEN) -> LiveObject:
    return LiveObject("snapshot", name, "account", "acc1", "", "", "", taken)


@pytest.mark.parametrize(("meant", "server", "decided", "why"), [
    ({"create": "a"}, [_snap("a")], "done", "snapshot `a` exists"),
    ({"create": "a"}, [], "retry", "the CREATE did not take"),
    ({"drop": "old", "taken": "2026-08-01 01:00:05"}, [], "done", "`old` is gone"),
    ({"drop": "old", "taken": "2026-08-01 01:00:05"}, [_snap("old")], "retry",
     "the DROP did not take"),
    # Gone, and another snapshot took its name since: the DROP took; the new one is not its.
    ({"drop": "old", "taken": "2026-08-01 01:00:05"}, [_snap("old", datetime(2026, 9, 1))],
     "done", "this one is not dropped for it"),
])
def test_each_unknown_outcome_is_decided_by_what_the_server_holds(
        tmp_path: Path, meant: dict[str, str], server: list[LiveObject], decided: str,
        why: str) -> None:
    from modsl.runtime.run_journal import resolve_unknowns

    journal = _journal(tmp_path, [{"index": 0, "sql": "X", **meant}])
    [entry] = resolve_unknowns(journal, lambda: server, settle=0)
    assert entry["as"] == decided and why in entry["why"]
    assert journal.unknown == []
    assert Journal.open(tmp_path, "run-x").unknown == []  # journaled, not only in memory


def test_a_statement_still_running_on_the_server_is_waited_for_not_resent(
        tmp_path: Path) -> None:
    """A dead run's CREATE lands while the retry reads: "not there" is read again until
    `settle` after it was sent, so the retry sees it land and sends nothing."""
    from modsl.runtime.run_journal import resolve_unknowns

    journal = _journal(tmp_path, [{"index": 0, "sql": "X", "create": "a"}])
    sent = datetime(2026, 10, 1, 1, 0, 5, tzinfo=UTC).timestamp()
    reads: list[int] = []
    clock = [sent + 0.1]

    def objects() -> list[LiveObject]:
        reads.append(1)
        return [_snap("a")] if len(reads) >= 3 else []

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    [entry] = resolve_unknowns(journal, objects, settle=10, sleep=sleep, clock=lambda: clock[0])
    assert entry["as"] == "done" and len(reads) == 3


def _wait_for_started(journal: Path, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = sum(line.count('"event": "started"') for path in journal.glob("run-*.jsonl")
                      for line in path.read_text(encoding="utf-8").splitlines())
        if started >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the run never started statement {count}")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_mid_run_exits_130_and_says_what_ran(
        standin: StandIn, tmp_path: Path, stop: signal.Signals) -> None:
    plan = tmp_path / "plan.mobak"
    plan.write_text(crash_run.PLAN, encoding="utf-8")
    for _ in range(4):
        standin.faults.delay_next(0.6)
    command = crash_run.command(standin, plan, tmp_path / "j", 5.0)
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    _wait_for_started(tmp_path / "j", 2)  # the second statement is in flight
    proc.send_signal(stop)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "ran 2 of 4; not run: CREATE SNAPSHOT `acc2_20261001` FOR ACCOUNT `acc2`; " \
           "DROP SNAPSHOT `acc2_20260801`;" in err
    assert "modsl run: interrupted" in err
    assert "modsl apply" not in out + err
    if stop == signal.SIGINT:
        assert "modsl run: stopping after the statement in flight" in out
    assert snapshots(standin) == ["acc1_20261001", "acc2_20260801"]
    finished = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "done: 2 statement(s)" in finished.stdout
    assert snapshots(standin) == crash_run.WANT


def test_the_same_firing_on_two_servers_from_one_directory_does_the_work_on_both(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with StandIn("4.2.0") as production:
        crash_run.prepared(production)
        assert fire(standin, tmp_path) == 0
        assert fire(production, tmp_path, password="Sekr1t-pw") == 0
        assert "done: 4 statement(s)" in capsys.readouterr().out.split("modsl run:")[-1]
        assert snapshots(standin) == snapshots(production) == crash_run.WANT
        runs = [e for e in entries(tmp_path) if e["event"] == "run"]
        assert sorted(e["server"]["port"] for e in runs) == sorted(
            [standin.port, production.port])
        assert all(e["server"]["host"] == "127.0.0.1" and e["server"]["user"] == "root"
                   for e in runs)
        assert len(list((tmp_path / "j").glob("run-*.jsonl"))) == 2
    # The server is named in the journal, never with its password.
    assert "Sekr1t" not in "".join(p.read_text() for p in (tmp_path / "j").iterdir()
                                   if p.suffix == ".jsonl")


def test_kill_9_at_random_moments_then_an_immediate_retry_sends_nothing_twice() -> None:
    """The crash matrix of bench/crash_run.py, short: a kill before, during and after the
    statements (a seed that puts one inside a statement's 1.5 s on the server)."""
    lines: list[str] = []
    results = crash_run.matrix(3, seed=1, delay=1.5, say=lines.append)
    assert [r.doubles for r in results] == [[], [], []], lines
    assert not any(r.skipped for r in results), lines
    assert not any(r.errors for r in results), lines
    assert all(sum(r.sent.values()) == 4 for r in results), lines


def test_a_stop_before_any_statement_exits_130_and_says_nothing_ran(
        standin: StandIn, tmp_path: Path) -> None:
    """SIGTERM while the run waits for a dead run's statement to settle: nothing was sent,
    and it says so, instead of dying silently."""
    standin.faults.fail_next(2013, "Lost connection to MySQL server during query")
    assert fire(standin, tmp_path) == 1
    command = crash_run.command(standin, tmp_path / "plan.mobak", tmp_path / "j", 60.0)
    command[command.index("--now") + 1] = LATER
    with crash_run.received() as log:
        proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("modsl run: schedule `nightly`")
        time.sleep(0.5)  # deciding the lost CREATE: "not there" is read again for 60 s
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "modsl run: interrupted before any statement was sent; nothing ran" in err
    assert not [s for s in log if crash_run.WRITE.match(s)]

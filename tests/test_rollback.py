"""`rollback on failure` and `modsl rollback`: a failed verify or statement after a restore
puts the data back as it was before the plan, from a safety snapshot or from a PITR at the
moment the run read just before the restore; the rollback is reviewed, journaled, survives
being killed, and ends the run."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pymysql
import pytest
from conftest import modsl_command

import modsl
from modsl.checker import Ctx, Registration, placeholders, rollback_plan
from modsl.compiler import sqlfile
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import RESTORES_IN_PLACE
from modsl.language import ast
from modsl.standin import StandIn

START = datetime(2026, 11, 20, 9, 0, 0)
HEAD = """\
as account acc1
rollback on failure
existing snapshot daily for database shop
existing pitr acc_pitr for account range 2d
"""
SAFETY = "snapshot shop_before for database shop\n"
RESTORE = "restore database shop from snapshot daily\n"
BEFORE_THE_PLAN = [1, 2, 3, 4, 5]


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """acc1's shop.orders: rows 1-3 in snapshot `daily` and PITR `acc_pitr`'s history, then
    rows 4 and 5 written since (what a restore from `daily` loses); the clock running."""
    with StandIn("4.2.0") as server:
        server.clock.set(START)
        sql(server, "root", "create account acc1 admin_name 'admin' identified by 'pw'")
        for statement in ["create pitr acc_pitr for account range 2 'd'",
                          "create database shop", "create table shop.orders (id int)",
                          "insert into shop.orders values (1), (2), (3)",
                          "create snapshot daily for database shop"]:
            sql(server, "acc1:admin", statement)
        server.clock.run_from(START + timedelta(hours=1))
        sql(server, "acc1:admin", "insert into shop.orders values (4), (5)")
        yield server


def sql(server: StandIn, login: str, statement: str) -> list[tuple[object, ...]]:
    conn = pymysql.connect(host="127.0.0.1", port=server.port, user=login,
                           password="pw" if ":" in login else "", autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return list(cur.fetchall())
    finally:
        conn.close()


def rows(server: StandIn) -> list[object]:
    return [r[0] for r in sql(server, "acc1:admin", "select id from shop.orders order by id")]


def modsl_run(tmp_path: Path, *args: str, plan: str | None = None,
              ) -> subprocess.CompletedProcess[str]:
    if plan is not None:
        (tmp_path / "plan.mobak").write_text(plan, encoding="utf-8")
    result = subprocess.run([*modsl_command(), *args], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def apply(server: StandIn, tmp_path: Path, plan: str | None = None, *extra: str
          ) -> subprocess.CompletedProcess[str]:
    return modsl_run(tmp_path, "apply", "plan.mobak", "--dsn", dsn(server), "--yes", *extra,
                     plan=plan)


def dsn(server: StandIn) -> str:
    return f"mysql://admin:pw@127.0.0.1:{server.port}?account=acc1"


def journal(tmp_path: Path) -> list[dict[str, object]]:
    (path,) = (tmp_path / ".modsl" / "journal").glob("*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("safety", [SAFETY, ""], ids=["from-a-safety-snapshot", "from-the-pitr"])
def test_a_failed_verify_puts_the_data_back_as_before_the_plan(
        standin: StandIn, tmp_path: Path, safety: str) -> None:
    result = apply(standin, tmp_path, HEAD + safety + RESTORE + "verify rows shop.orders >= 5\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "verify failed: the first value is 3, expected >= 5" in result.stderr
    assert "rolled back (rollback on failure)" in result.stderr
    assert rows(standin) == BEFORE_THE_PLAN
    entries = journal(tmp_path)
    undo = [e for e in entries if e["event"] == "rollback"]
    assert [e["phase"] for e in undo] == ["started", "done"]
    if not safety:  # from the PITR, at the moment read just before the restore
        before = next(e["before"] for e in entries if e["event"] == "started"
                      and str(e["sql"]).startswith("RESTORE"))
        assert f"FROM PITR `acc_pitr` '{before}'" in str(undo[0]["sql"])


def test_a_failed_statement_after_a_restore_rolls_back_and_reverifies(
        standin: StandIn, tmp_path: Path) -> None:
    plan = HEAD + SAFETY + RESTORE + "verify rows shop.orders >= 3\ndrop snapshot gone\n"
    result = apply(standin, tmp_path, plan, "--reverify")
    assert result.returncode == 1
    assert "snapshot gone does not exist" in result.stderr
    assert rows(standin) == BEFORE_THE_PLAN
    assert "✓ reverified plan.mobak:7: the first value is 5, expected >= 3" in result.stderr
    assert [e["passed"] for e in journal(tmp_path) if e["event"] == "reverify"] == [True]


def test_a_failure_before_any_restore_rolls_nothing_back(standin: StandIn,
                                                         tmp_path: Path) -> None:
    result = apply(standin, tmp_path, HEAD + SAFETY + "drop snapshot gone\n" + RESTORE)
    assert result.returncode == 1
    assert "rolled back" not in result.stderr and "--resume" in result.stderr
    assert rows(standin) == BEFORE_THE_PLAN


def test_a_restore_that_failed_is_put_back_too(standin: StandIn, tmp_path: Path) -> None:
    """Releases before 4.x did not run a restore in one transaction: a failed one may have
    dropped data, so its undo runs too (harmless when it changed nothing)."""
    plan = HEAD + SAFETY + "restore database shop from snapshot gone\n"
    result = apply(standin, tmp_path, plan)
    assert result.returncode == 1  # a restore's lookup says it so (snapshot.go:1828)
    assert "find 0 snapshot records by name(gone), expect only 1" in result.stderr
    assert "✓ plan.mobak:6: RESTORE DATABASE `shop`{SNAPSHOT='shop_before'};" in result.stderr
    assert rows(standin) == BEFORE_THE_PLAN


def test_modsl_rollback_puts_back_a_finished_run_once(standin: StandIn, tmp_path: Path) -> None:
    plan = HEAD + SAFETY + RESTORE + "verify rows shop.orders >= 3\n"
    assert apply(standin, tmp_path, plan).returncode == 0
    assert rows(standin) == [1, 2, 3]
    back = [*modsl_command(), "rollback", "plan.mobak", "--dsn", dsn(standin)]
    refused = subprocess.run(back, capture_output=True, text=True, cwd=tmp_path, timeout=60,
                             stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "no terminal to ask on" in refused.stderr
    result = modsl_run(tmp_path, "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESTORE DATABASE `shop`{SNAPSHOT='shop_before'};" in result.stdout
    assert rows(standin) == BEFORE_THE_PLAN
    again = modsl_run(tmp_path, "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes")
    assert again.returncode == 0 and "nothing to roll back" in again.stdout
    resumed = apply(standin, tmp_path, None, "--resume")
    assert resumed.returncode == 2 and "the earlier run was rolled back" in resumed.stderr


def test_killed_while_rolling_back_then_finished_by_modsl_rollback(
        standin: StandIn, tmp_path: Path) -> None:
    """`kill -9` during the rollback's restore: the run is over but its rollback is not; a
    new apply is refused until `modsl rollback` finishes it, and `modsl rollback` sends the
    restore whose outcome is unknown only once the user says (`--retry`)."""
    (tmp_path / "plan.mobak").write_text(HEAD + SAFETY + RESTORE + "verify rows shop.orders "
                                         ">= 5\n", encoding="utf-8")
    for delay in (0.0, 0.0, 1.0):  # the snapshot, the restore, then the rollback's restore
        standin.faults.delay_next(delay)
    proc = subprocess.Popen([*modsl_command(), "apply", "plan.mobak", "--dsn", dsn(standin),
                             "--yes"], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("rolling back"):
            break
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(1.0)  # until the server no longer runs the killed client's statement
    again = apply(standin, tmp_path)
    assert again.returncode == 2 and "did not finish" in again.stderr
    assert "modsl rollback plan.mobak" in again.stderr
    refused = modsl_run(tmp_path, "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes")
    assert refused.returncode == 2 and "outcome of these rollbacks is unknown" in refused.stderr
    assert "--retry 2" in refused.stderr and "--mark-done 2" in refused.stderr
    result = modsl_run(tmp_path, "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes",
                       "--retry", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(standin) == BEFORE_THE_PLAN


def test_rollback_needs_the_header(standin: StandIn, tmp_path: Path) -> None:
    plan = HEAD.replace("rollback on failure\n", "") + SAFETY + RESTORE
    result = modsl_run(tmp_path, "rollback", "plan.mobak", "--dsn", dsn(standin), plan=plan)
    assert result.returncode == 2 and "no rollback statements" in result.stderr


# -- the reviewed .sql ---------------------------------------------------------------------

PLAN = HEAD + SAFETY + RESTORE + "restore table shop.items from snapshot daily\n"


def test_the_sql_file_carries_the_rollback_and_refuses_an_edited_one() -> None:
    compiled = modsl.compile(modsl.parse(PLAN)[0])
    text = compiled.to_sql()
    assert sqlfile.ROLLBACK_MARKER in text
    back = sqlfile.read(text, "plan.sql")
    assert [s.rollback for s in back.statements] == [s.rollback for s in compiled.statements]
    assert back.statements_sha256 == compiled.statements_sha256
    edited = text.replace("{SNAPSHOT='shop_before'};\n-- rollback of",
                          "{SNAPSHOT='daily'};\n-- rollback of")
    assert edited != text
    with pytest.raises(sqlfile.BadSqlFile, match="edited after"):
        sqlfile.read(edited, "plan.sql")
    with pytest.raises(sqlfile.BadSqlFile, match="for a rollback"):
        sqlfile.read(text.replace("-- rollback of statement 2", "-- rollback of statement 9"),
                     "plan.sql")


def test_the_undo_chosen_is_the_narrowest_that_lasts() -> None:
    compiled = modsl.compile(modsl.parse(PLAN)[0])
    undo = {s.line: s.rollback for s in compiled.statements if s.rollback}
    assert undo == {6: "RESTORE DATABASE `shop`{SNAPSHOT='shop_before'}",
                    7: "RESTORE TABLE `shop`.`items`{SNAPSHOT='shop_before'}"}
    dropped = modsl.compile(modsl.parse(PLAN + "drop snapshot shop_before\n")[0])
    assert {s.rollback for s in dropped.statements if s.rollback} == {
        f"RESTORE DATABASE `shop` FROM PITR `acc_pitr` {placeholders.BEFORE}",
        f"RESTORE DATABASE `shop` TABLE `items` FROM PITR `acc_pitr` {placeholders.BEFORE}"}


def test_an_undo_the_server_would_refuse_is_mb504_with_the_reason() -> None:
    """The undo restore is judged by the restore rules; one refusing it leaves no rollback."""
    plan, _ = modsl.parse(PLAN)
    refuse = Registration("MB401", lambda st, ctx: [Diagnostic("MB401", "refused here", st.span)],
                          None)
    checked = modsl.check(plan)
    assert checked.rollbacks and not checked.has_errors
    state = modsl.checker.state.PlanState("acc1", RESTORES_IN_PLACE)
    undos = {}
    for index, st in enumerate(plan.statements):
        state.apply(st)
        if isinstance(st, ast.Restore):
            undos[index] = state.undos[-1]
    ctx = Ctx("acc1", True, checked.target, state, modsl.checker.ServerClock(), rollback=True)
    chosen, found = rollback_plan.plan_rollbacks(undos, ctx, [refuse])
    assert chosen == {}
    assert [d.code for d in found] == ["MB504", "MB504"]
    assert "`shop_before` (MB401: refused here); `acc_pitr` (MB401: refused here)" in \
        found[0].message


# -- send once: a rollback with an unknown outcome waits for the user's word ------------------

class _Recorder:
    """A connection that records what it is sent and answers nothing."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def cursor(self) -> _Recorder:
        return self

    def execute(self, sql: str) -> None:
        self.sent.append(sql)

    def close(self) -> None:
        pass


@pytest.mark.parametrize("last", [
    {"phase": "started"},
    {"phase": "failed", "outcome": "unknown", "error": {"code": 2013, "message": "lost"}},
], ids=["killed-before-the-reply", "connection-lost"])
def test_a_rollback_with_an_unknown_outcome_is_not_sent_again(tmp_path: Path,
                                                              last: dict[str, object]) -> None:
    from modsl.runtime.executor import Journal, JournalError
    from modsl.runtime.rollback import UNKNOWN, pending, resolve, roll_back, unknown
    from modsl.runtime.session import Reviewed

    compiled = modsl.compile(modsl.parse(HEAD + SAFETY + RESTORE)[0])
    steps = Reviewed(compiled, modsl.targets.lookup("matrixone", "4.2")).steps
    journal = Journal.open(tmp_path, "sha")
    journal.write({"event": "started", "index": 1, "sql": steps[1].sql})
    journal.write({"event": "done", "index": 1})
    journal.write({"event": "rollback", "index": 1, "sql": steps[1].rollback, **last})
    connection = _Recorder()
    undone = roll_back(steps, connection, journal)
    assert connection.sent == [] and [u.error for u in undone] == [UNKNOWN]
    assert [s.index for s in unknown(steps, journal)] == [1]
    with pytest.raises(JournalError, match="statement 1 has no rollback"):
        resolve(steps, journal, 1, done=True)
    resolve(steps, journal, 2, done=False)  # the user: it did not run
    assert [u.error for u in roll_back(steps, connection, journal)] == [None]
    assert connection.sent == [steps[1].rollback] and pending(steps, journal) == []


def test_mark_done_sends_nothing_and_finishes_the_rollback(tmp_path: Path) -> None:
    from modsl.runtime.executor import Journal
    from modsl.runtime.rollback import pending, resolve, roll_back
    from modsl.runtime.session import Reviewed

    compiled = modsl.compile(modsl.parse(HEAD + SAFETY + RESTORE)[0])
    steps = Reviewed(compiled, modsl.targets.lookup("matrixone", "4.2")).steps
    journal = Journal.open(tmp_path, "sha")
    journal.write({"event": "started", "index": 1, "sql": steps[1].sql})
    journal.write({"event": "rollback", "index": 1, "phase": "started"})
    resolve(steps, journal, 2, done=True)
    connection = _Recorder()
    assert roll_back(steps, connection, journal) == [] and connection.sent == []
    assert pending(steps, journal) == [] and journal.rolled_back == {1}


def test_a_second_rollback_from_another_directory_is_refused(standin: StandIn,
                                                              tmp_path: Path) -> None:
    """The journal copied to a second checkout: its journal lock is another file, but the
    host lock (per server and plan) is the same: the second `modsl rollback` is refused while
    the first runs, and the restore is sent once."""
    import shutil

    plan = HEAD + SAFETY + RESTORE + "verify rows shop.orders >= 3\n"
    assert apply(standin, tmp_path, plan).returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "plan.mobak").write_text(plan, encoding="utf-8")
    shutil.copytree(tmp_path / ".modsl", other / ".modsl")
    standin.faults.delay_next(2.0)  # the first rollback's RESTORE
    back = [*modsl_command(), "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes"]
    first = subprocess.Popen(back, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(e["event"] == "rollback" for e in journal(tmp_path)):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.05)
    second = modsl_run(other, "rollback", "plan.mobak", "--dsn", dsn(standin), "--yes")
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert second.returncode == 2, second.stdout + second.stderr
    assert "this plan is running on this server" in second.stderr
    assert rows(standin) == BEFORE_THE_PLAN

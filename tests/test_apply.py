"""`modsl apply` against live MySQL-protocol servers: each test runs on every server the
`apply_server` fixture (tests/conftest.py) finds — the in-process MatrixOne stand-in always, MariaDB
too when it is installed, MODSL_TEST_DSN names one, or CI runs (.ci/run starts it). What a
test checks is modsl's (journal, resume, kill -9, Ctrl-C, locks, TLS, passwords), so it is
written once for both; the few about MariaDB itself (its refusal of a MatrixOne statement,
its read-only transactions) run on MariaDB alone, and are not generated without it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, Server, modsl_command

from modsl import cli
from modsl.compiler.sqlfile import statements_sha256
from modsl.runtime.connect import connect, parse_dsn
from modsl.runtime.executor import Journal, Step, execute


@pytest.fixture
def dsn(apply_server: Server) -> str:
    """The server's DSN (an admin login): the stand-in's tenant, or MariaDB's test user."""
    return apply_server.dsn


@pytest.fixture
def db(dsn: str) -> Iterator[str]:
    """A fresh database name, dropped afterwards."""
    name = f"modsl_{uuid.uuid4().hex[:10]}"
    yield name
    conn = connect(parse_dsn(dsn), 5)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def query(dsn: str, sql: str) -> list[tuple[object, ...]]:
    conn = connect(parse_dsn(dsn), 5)
    with conn.cursor() as cur:
        cur.execute(sql)
        rows = list(cur.fetchall())
    conn.close()
    return rows


def compiled(path: Path, sqls: list[str]) -> Path:
    """A SQL file as `modsl compile` writes it (header with the file's and statements' hash)."""
    from modsl.compiler.sqlfile import Compiled, CompiledStatement, write

    statements = tuple(CompiledStatement(sql, "", "plan.mobak", number)
                       for number, sql in enumerate(sqls, start=1))
    path.write_text(write(Compiled("matrixone-4.2", "sys", "none", statements)))
    return path


# MariaDB is not MatrixOne: the live checks would stop every run here before its first
# statement (tests/test_live.py runs them on the stand-in; one test below shows it on MariaDB).
NO_CHECKS = ["--no-checks"]


def apply(*args: str, cwd: Path, env: dict[str, str] | None = None,
          stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*modsl_command(), "apply", *args, *NO_CHECKS], capture_output=True,
                         text=True,
                         cwd=cwd, env={**os.environ, **(env or {})}, input=stdin, timeout=120,
                         check=False)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def entries(journal_dir: Path) -> list[dict[str, object]]:
    (path,) = [p for p in journal_dir.glob("*.jsonl") if p.stem.count(".") == 0]
    return [json.loads(line) for line in path.read_text().splitlines()]


def outcomes(journal_dir: Path) -> list[tuple[object, object]]:
    """(event, index) of the journal's entries, less the `started` and `checks` ones."""
    return [(e["event"], e.get("index")) for e in entries(journal_dir)
            if e["event"] not in ("started", "checks")]


def test_clean_run_journals_every_statement(dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", [
        f"CREATE DATABASE `{db}`", f"CREATE TABLE `{db}`.`t` (id INT)",
        f"INSERT INTO `{db}`.`t` VALUES (1), (2)"])
    out = apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "done: 3 statement(s) ran" in out.stdout
    log = entries(tmp_path / ".modsl" / "journal")
    assert [(e["event"], e.get("index")) for e in log] == [
        ("run", None), ("checks", None), ("started", 0), ("done", 0), ("started", 1),
        ("done", 1), ("started", 2), ("done", 2)]
    assert log[1]["skipped"] is True
    assert log[7]["response"] == {"rowcount": 2}
    assert log[6]["sql"] == f"INSERT INTO `{db}`.`t` VALUES (1), (2)"
    assert all(e["started"] <= e["ended"] for e in log if e["event"] == "done")  # type: ignore[operator]
    assert query(dsn, f"SELECT COUNT(*) FROM `{db}`.`t`") == [(2,)]


def test_failure_stops_there_and_resume_runs_only_the_rest(dsn: str, db: str,
                                                           tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", [
        f"CREATE DATABASE `{db}`", f"CREATE TABLE `{db}`.`t` (id INT)",
        f"INSERT INTO `{db}`.`missing` VALUES (1)", f"INSERT INTO `{db}`.`t` VALUES (7)"])
    out = apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path)
    assert out.returncode == 1
    assert "statement 3 of 4 failed at plan.mobak:3" in out.stderr
    assert "server error 1146" in out.stderr and f"{db}.missing" in out.stderr.replace("`", "")
    assert "ran now (2): plan.mobak:1, plan.mobak:2" in out.stderr
    assert "not run (2): plan.mobak:3, plan.mobak:4" in out.stderr
    resume = out.stderr.split("to continue after fixing the cause:\n")[1].splitlines()[0].strip()
    assert resume.startswith("modsl apply ") and "--resume" in resume
    assert urlsplit(dsn).password not in out.stderr + out.stdout
    assert outcomes(tmp_path / ".modsl" / "journal") == [
        ("run", None), ("done", 0), ("done", 1), ("failed", 2)]
    # A plain rerun would run statement 1 again: refused.
    assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 2
    query(dsn, f"CREATE TABLE `{db}`.`missing` (id INT)")  # the operator fixes the cause
    out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "skipped (done in an earlier run): 2" in out.stdout
    # CREATE DATABASE was not run again (it would have failed: the database exists).
    assert query(dsn, f"SELECT id FROM `{db}`.`t`") == [(7,)]
    assert query(dsn, f"SELECT id FROM `{db}`.`missing`") == [(1,)]
    assert outcomes(tmp_path / ".modsl" / "journal")[4:] == [
        ("run", None), ("done", 2), ("done", 3)]


def test_changed_plan_refuses_to_resume(dsn: str, db: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.sql"
    compiled(plan, [f"CREATE DATABASE `{db}`", "SELECT * FROM nowhere.nothing"])
    assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 1
    compiled(plan, [f"CREATE DATABASE `{db}`", "SELECT 1", "SELECT 2"])
    out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", cwd=tmp_path)
    assert out.returncode == 2
    assert "changed since the run that stopped" in out.stderr


def test_edited_sql_is_refused(dsn: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    plan.write_text(plan.read_text().replace("SELECT 1;", "DROP DATABASE prod;"))
    out = apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path)
    assert out.returncode == 2 and "edited after `modsl compile`" in out.stderr


def test_completed_plan_runs_again_with_a_fresh_journal(dsn: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 0
    assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 0
    journals = sorted((tmp_path / ".modsl" / "journal").glob("*.jsonl"))
    assert len(journals) == 2  # the first one archived beside the new one


@pytest.mark.servers("mariadb")
def test_matrixone_plan_on_mariadb_is_stopped_by_the_live_checks(dsn: str,
                                                                  tmp_path: Path) -> None:
    drill = str(REPO / "examples" / "restore-drill.mobak")
    out = subprocess.run([*modsl_command(), "apply", drill, "--dsn", dsn, "--yes"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 1 and "MB601 the server is not MatrixOne" in out.stdout
    assert "MariaDB" in out.stdout and "nothing was run" in out.stdout
    assert not list(tmp_path.glob(".modsl/journal/*.jsonl"))
    # Without them (--no-checks), MariaDB refuses the first statement.
    out = apply(drill, "--dsn", dsn, "--yes", cwd=tmp_path)
    assert out.returncode == 1
    assert "statement 1 of 2 failed at" in out.stderr
    assert "server error 1064" in out.stderr and "SNAPSHOT `acc1_before_drill`" in out.stderr
    assert "DESTROYS: first drops every non-system database of account `acc1`" in out.stdout
    assert outcomes(tmp_path / ".modsl" / "journal") == [("run", None), ("failed", 0)]


def test_a_plan_with_errors_is_refused_before_connecting(tmp_path: Path) -> None:
    plan = tmp_path / "bad.mobak"
    plan.write_text("as account acc1\nsnapshot s for cluster\n")
    out = apply(str(plan), "--dsn", "mysql://u@127.0.0.1:1", "--yes", cwd=tmp_path)
    assert out.returncode == 1 and "MB301" in out.stderr


def test_wrong_password_says_so_without_printing_it(dsn: str, tmp_path: Path) -> None:
    parts = urlsplit(dsn)
    secret = "Sup3r-Secret-pw"
    bad = f"mysql://{parts.username}:{secret}@{parts.hostname}:{parts.port}"
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", bad, "--yes", cwd=tmp_path)
    assert out.returncode == 2
    assert "authentication failed for user" in out.stderr
    assert secret not in out.stderr + out.stdout
    assert not list((tmp_path / ".modsl").rglob("*.jsonl"))  # nothing journaled


def test_password_from_environment_and_option_file(dsn: str, tmp_path: Path) -> None:
    parts = urlsplit(dsn)
    bare = f"mysql://{parts.username}@{parts.hostname}:{parts.port}"
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", bare, "--yes", "--journal", "j1", cwd=tmp_path,
                env={"MODSL_PASSWORD": parts.password or ""})
    assert out.returncode == 0, out.stderr
    options = tmp_path / "my.cnf"
    options.write_text(f"[mysql]\npassword=wrong\n[client]\npassword=\"{parts.password}\"\n")
    env = {k: v for k, v in os.environ.items() if k != "MODSL_PASSWORD"}
    out = subprocess.run([*modsl_command(), "apply", str(plan), "--dsn", bare, "--yes", *NO_CHECKS,
                          "--journal", "j2", "--defaults-file", str(options)],
                         capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert out.returncode == 0, out.stderr


def test_refused_port(tmp_path: Path) -> None:
    with socket.socket() as s:  # a free loopback port, closed again
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", f"mysql://u:pw123456@127.0.0.1:{port}", "--yes",
                cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().endswith("(is the server running?)")
    assert "pw123456" not in out.stderr + out.stdout


def test_timeout_on_a_server_that_never_answers(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
        out = apply(str(plan), "--dsn", f"mysql://u@127.0.0.1:{port}", "--yes",
                    "--connect-timeout", "0.5", cwd=tmp_path)
    assert out.returncode == 2
    assert "timed out connecting to 127.0.0.1" in out.stderr


def test_unknown_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    """Name resolution is faked (this machine has no DNS to ask); the mapping is ours."""
    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.chdir(tmp_path)
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    code = cli.main(["apply", str(plan), *NO_CHECKS, "--dsn", "mysql://u:topsecret@db.example.invalid:6001",
                     "--yes"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown host `db.example.invalid`" in err and "topsecret" not in err


def test_dry_run_connects_to_nothing(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.2)
        port = listener.getsockname()[1]
        out = apply(str(REPO / "examples" / "pitr-setup.mobak"), "--dsn",
                    f"mysql://u@127.0.0.1:{port}", "--dry-run", cwd=tmp_path)
        with pytest.raises(socket.timeout):
            listener.accept()
    assert out.returncode == 0
    assert "CREATE PITR IF NOT EXISTS `cluster_window`" in out.stdout
    assert "nothing was run" in out.stdout
    assert not (tmp_path / ".modsl").exists()


def test_no_terminal_and_no_yes_refuses(dsn: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", dsn, cwd=tmp_path, stdin="yes\n")
    assert out.returncode == 2 and "--yes" in out.stderr


def test_ctrl_c_stops_after_the_statement_in_flight(dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(1.5)", f"CREATE DATABASE `{db}`"])
    proc = subprocess.Popen([*modsl_command(), "apply", str(plan), "--dsn", dsn, "--yes",
                             *NO_CHECKS],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("running 1/2"):
            break
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "not run (1): plan.mobak:2" in err
    assert outcomes(tmp_path / ".modsl" / "journal") == [("run", None), ("done", 0)]
    assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == []


def test_executor_with_a_db_api_connection(apply_server: Server, dsn: str, db: str,
                                           tmp_path: Path) -> None:
    """The executor alone: steps and a connection, no compiler involved."""
    journal = Journal.open(tmp_path, "sha")
    steps = [Step(0, f"CREATE DATABASE `{db}`", "x", 1), Step(1, "SELECT nope", "x", 2)]
    conn = connect(parse_dsn(dsn), 5)
    seen: list[int] = []
    outcome = execute(steps, conn, journal, on_step=lambda s: seen.append(s.index))
    conn.close()
    assert seen == [0, 1] and [s.index for s in outcome.ran] == [0]
    unknown_column = {"mariadb": 1054, "standin": 1105}[apply_server.name]  # MO: invalid input
    assert outcome.failure is not None and outcome.failure.code == unknown_column
    assert journal.done == {0}


def test_sql_file_refuses_target_and_account_flags(tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", "mysql://u@127.0.0.1:1", "--target", "matrixone-3.0",
                "--yes", cwd=tmp_path)
    assert out.returncode == 2 and "as it was compiled and reviewed" in out.stderr


def run_on_terminal(args: list[str], answer: str, cwd: Path) -> tuple[int, str]:
    """Run `modsl` on a pseudo-terminal, answer its prompt, and return (exit code, output)."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([*modsl_command(), *args], stdin=follower, stdout=follower,
                            stderr=follower, cwd=cwd, close_fds=True)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Type `yes`" not in seen and time.monotonic() < deadline:
        seen += os.read(leader, 4096)
    os.write(leader, answer.encode() + b"\n")
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return proc.wait(timeout=60), seen.decode(errors="replace")


def test_confirmation_on_a_terminal(dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", [f"CREATE DATABASE `{db}`"])
    code, output = run_on_terminal(["apply", str(plan), "--dsn", dsn, *NO_CHECKS], "no", tmp_path)
    assert code == 1 and "not confirmed: nothing was run" in output
    assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == []
    code, output = run_on_terminal(["apply", str(plan), "--dsn", dsn, *NO_CHECKS], "yes", tmp_path)
    assert code == 0 and "done: 1 statement(s) ran" in output
    assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == [(db,)]


@pytest.mark.parametrize("bad", ["nonsense", "postgres://u@h:1", "mysql://h:1",
                                 "mysql://u:secretpw@h:notaport"])
def test_bad_dsn_is_a_usage_error(bad: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", bad, "--yes", cwd=tmp_path)
    assert out.returncode == 2 and "bad --dsn" in out.stderr
    assert "secretpw" not in out.stderr + out.stdout


# -- crash safety: tested by crashing ---------------------------------------------------------

def start(plan: Path, dsn: str, cwd: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*modsl_command(), "apply", str(plan), "--dsn", dsn, "--yes",
                             *NO_CHECKS, *extra], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen[str], prefix: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(prefix):
            return
    raise AssertionError(f"never printed {prefix!r}: {proc.stderr.read() if proc.stderr else ''}")


def slow_plan(tmp_path: Path, db: str) -> Path:
    """Each statement observable, and refused if run twice (a primary key)."""
    return compiled(tmp_path / "plan.sql", [
        f"CREATE DATABASE `{db}`", f"CREATE TABLE `{db}`.`t` (id INT PRIMARY KEY)",
        *(f"INSERT INTO `{db}`.`t` SELECT {n} FROM (SELECT SLEEP(0.4)) AS s"
          for n in (1, 2, 3))])


def test_kill_9_mid_statement_leaves_an_unknown_outcome_that_resume_refuses(
        dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(3)", f"CREATE DATABASE `{db}`"])
    proc = start(plan, dsn, tmp_path)
    wait_for(proc, "running 1/2")
    time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=10)
    out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", cwd=tmp_path)
    assert out.returncode == 2
    assert "the outcome of these statements is unknown" in out.stderr
    assert "1. (plan.mobak:1) SELECT SLEEP(3);" in out.stderr
    assert "--mark-done 1" in out.stderr and "--retry 1" in out.stderr
    assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 2  # nor afresh
    out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", "--mark-done", "1", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "skipped (done in an earlier run): 1" in out.stdout
    assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == [(db,)]
    assert ("resolved", 0) in outcomes(tmp_path / ".modsl" / "journal")


@pytest.mark.one_server  # modsl's journal, whatever the server: the slowest test here
@pytest.mark.parametrize("delay", [0.05, 0.35, 0.7, 1.05, 1.4])
def test_killed_at_any_point_no_statement_ever_runs_twice(dsn: str, db: str, tmp_path: Path,
                                                          delay: float) -> None:
    """Kill -9 at a point in the run, then recover as an operator would: look at the table,
    say what happened, resume. A statement run twice would fail on the primary key."""
    plan = slow_plan(tmp_path, db)
    proc = start(plan, dsn, tmp_path)
    wait_for(proc, "running 1/5")
    time.sleep(delay)
    proc.kill()
    proc.wait(timeout=10)
    for _ in range(3):
        out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", cwd=tmp_path)
        if "nothing to resume: no journal" in out.stderr:  # killed before the run began
            out = apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path)
        if out.returncode == 0 or "every statement is done" in out.stderr:
            break
        assert out.returncode == 2 and "unknown" in out.stderr, out.stderr
        number = int(out.stderr.split("--mark-done ")[1].split()[0])
        took = _took_effect(dsn, db, number)
        flag = "--mark-done" if took else "--retry"
        out = apply(str(plan), "--dsn", dsn, "--yes", "--resume", flag, str(number),
                    cwd=tmp_path)
        if out.returncode == 0:
            break
    assert out.returncode == 0 or "every statement is done" in out.stderr, out.stderr
    assert query(dsn, f"SELECT id FROM `{db}`.`t` ORDER BY id") == [(1,), (2,), (3,)]


def _took_effect(dsn: str, db: str, number: int) -> bool:
    """What the operator checks: did statement `number` of slow_plan take effect? First, as
    modsl's advice says, wait until the server no longer runs it (a killed client's statement
    goes on)."""
    deadline = time.monotonic() + 20
    while query(dsn, "SELECT info FROM information_schema.processlist "
                     f"WHERE info LIKE 'INSERT INTO `{db}`%' OR info LIKE 'CREATE %{db}%'"):
        assert time.monotonic() < deadline, "the statement never finished on the server"
        time.sleep(0.05)
    if number == 1:
        return bool(query(dsn, f"SHOW DATABASES LIKE '{db}'"))
    tables = query(dsn, f"SHOW TABLES FROM `{db}`") if number >= 2 else []
    if number == 2:
        return bool(tables)
    return (number - 2,) in query(dsn, f"SELECT id FROM `{db}`.`t`")


class Relay:
    """A TCP relay to the server whose connections the test cuts: the network failing under
    a statement, on any server."""

    def __init__(self, dsn: str) -> None:
        parts = urlsplit(dsn)
        self.upstream = (parts.hostname or "", parts.port or 0)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.dsn = dsn.replace(f"@{parts.hostname}:{parts.port}",
                               f"@127.0.0.1:{self.listener.getsockname()[1]}")
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def cut(self) -> None:
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.sockets.clear()


def test_a_lost_connection_is_an_unknown_outcome(dsn: str, db: str, tmp_path: Path) -> None:
    """The connection drops while the statement runs (error 2013): the statement may have
    committed, so it is not journaled as "not run"."""
    relay = Relay(dsn)
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(5)", f"CREATE DATABASE `{db}`"])
    proc = start(plan, relay.dsn, tmp_path)
    wait_for(proc, "running 1/2")
    time.sleep(0.5)
    relay.cut()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "UNKNOWN OUTCOME" in err
    log = entries(tmp_path / ".modsl" / "journal")
    assert log[-1]["event"] == "failed" and log[-1]["outcome"] == "unknown"
    out = apply(str(plan), "--dsn", relay.dsn, "--yes", "--resume", cwd=tmp_path)
    assert out.returncode == 2 and "--retry 1" in out.stderr
    relay.listener.close()


def test_two_runs_at_once_the_second_is_refused(dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(2)", f"CREATE DATABASE `{db}`"])
    first = start(plan, dsn, tmp_path)
    wait_for(first, "running 1/2")
    second = apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path)
    resumed = apply(str(plan), "--dsn", dsn, "--yes", "--resume", cwd=tmp_path)
    first.communicate(timeout=30)
    assert first.returncode == 0
    for out in (second, resumed):
        assert out.returncode == 2 and f"this plan is running (pid {first.pid}" in out.stderr
    assert outcomes(tmp_path / ".modsl" / "journal") == [
        ("run", None), ("done", 0), ("done", 1)]


def test_reruns_archive_under_names_that_never_collide(dsn: str, db: str,
                                                       tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", [f"CREATE DATABASE IF NOT EXISTS `{db}`"])
    procs = [start(plan, dsn, tmp_path) for _ in range(3)]
    codes = [p.wait(timeout=60) for p in procs]
    assert codes.count(0) >= 1 and set(codes) <= {0, 2}  # a run, or "this plan is running"
    for _ in range(3):
        assert apply(str(plan), "--dsn", dsn, "--yes", cwd=tmp_path).returncode == 0
    journals = sorted((tmp_path / ".modsl" / "journal").glob("*.jsonl"))
    assert len(journals) == codes.count(0) + 3  # every completed run kept, none overwritten


def test_sigterm_stops_after_the_statement_in_flight(dsn: str, db: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(1)", f"CREATE DATABASE `{db}`"])
    proc = start(plan, dsn, tmp_path)
    wait_for(proc, "running 1/2")
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "not run (1): plan.mobak:2" in err
    assert outcomes(tmp_path / ".modsl" / "journal") == [("run", None), ("done", 0)]


def test_a_second_ctrl_c_aborts_the_statement_as_unknown(dsn: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT SLEEP(5)", "SELECT 1"])
    proc = start(plan, dsn, tmp_path)
    wait_for(proc, "running 1/2")
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert "UNKNOWN OUTCOME" in err
    assert entries(tmp_path / ".modsl" / "journal")[-1]["outcome"] == "unknown"


def test_a_broken_stdout_never_exits_0(dsn: str, db: str, tmp_path: Path) -> None:
    plan = slow_plan(tmp_path, db)
    proc = start(plan, dsn, tmp_path)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    proc.wait(timeout=60)
    assert proc.returncode != 0
    done = {e["index"] for e in entries(tmp_path / ".modsl" / "journal")
            if e["event"] == "done"} if (tmp_path / ".modsl" / "journal").exists() else set()
    assert len(done) < 5  # it stopped: the pipe's reader was gone


@pytest.mark.parametrize(("damage", "says"), [
    (b'{"event": "done", "index": 0}\nnot json at all\n{"event": "run"}\n',
     ":2: it is not a journal entry"),
    (b'{"event": "run"}\n{"event": "started", "ind', ":2: it was cut short"),
])
def test_a_damaged_journal_is_named_with_its_line(tmp_path: Path, damage: bytes,
                                                  says: str) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    folder = tmp_path / ".modsl" / "journal"
    folder.mkdir(parents=True)
    (folder / f"{statements_sha256(['SELECT 1'])}.jsonl").write_bytes(damage)
    out = apply(str(plan), "--dsn", "mysql://u@127.0.0.1:1", "--yes", "--resume", cwd=tmp_path)
    assert out.returncode == 2 and says in out.stderr and "remove that line" in out.stderr


# -- TLS, passwords and logins ------------------------------------------------------------------

@pytest.fixture
def ca(apply_server: Server) -> Path:
    """The CA of the test server's certificate (scripts/test-server.sh makes MariaDB's and
    prints it as MODSL_TEST_CA; tests/conftest.py makes the stand-in's)."""
    if not apply_server.ca.is_file():
        pytest.fail("MODSL_TEST_CA is not set: scripts/test-server.sh prints it")
    return apply_server.ca


def cipher(dsn: str) -> str:
    """The TLS cipher of a connection modsl opens, as the client sees its socket ("" when
    plain): MatrixOne has no per-session Ssl_cipher to ask for."""
    conn = connect(parse_dsn(dsn), 5)
    sock = conn._sock  # PyMySQL's socket: the only place TLS shows
    used = sock.cipher() if isinstance(sock, ssl.SSLSocket) else None
    conn.close()
    return used[0] if used else ""


def with_params(dsn: str, **params: str) -> str:
    return dsn + "?" + "&".join(f"{k.replace('_', '-')}={v}" for k, v in params.items())


@pytest.mark.parametrize("mode", ["verify-identity", "verify-ca", "required", "preferred"])
def test_tls_modes_encrypt(dsn: str, ca: Path, mode: str) -> None:
    assert cipher(with_params(dsn, ssl_mode=mode, ssl_ca=str(ca)))


def test_tls_disabled_is_plain(dsn: str, ca: Path) -> None:
    assert cipher(with_params(dsn, ssl_mode="disabled")) == ""


def test_tls_with_a_ca_that_did_not_sign_the_server_is_refused(dsn: str, ca: Path,
                                                               tmp_path: Path) -> None:
    other = tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=not the test CA", "-keyout", str(tmp_path / "k.pem"),
                    "-out", str(other)], check=True, capture_output=True)
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", with_params(dsn, ssl_mode="verify-ca", ssl_ca=str(other)),
                "--yes", cwd=tmp_path)
    assert out.returncode == 2 and "CERTIFICATE_VERIFY_FAILED" in out.stderr
    assert urlsplit(dsn).password not in out.stderr + out.stdout


def test_unknown_dsn_parameters_are_errors(tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", "mysql://u@127.0.0.1:1/?sslmode=require", "--yes",
                cwd=tmp_path)
    assert out.returncode == 2 and "unknown parameter `sslmode`" in out.stderr


PASSWORD = "pässwörd/#?[@:1"


@pytest.fixture
def odd_user(apply_server: Server) -> Iterator[str]:
    """A user whose password is not ASCII and holds every character a URL parser stumbles on."""
    for sql in apply_server.create_user("odd", PASSWORD):
        query(apply_server.dsn, sql)
    try:
        yield apply_server.login_dsn("odd", PASSWORD)
    finally:
        query(apply_server.dsn, "DROP USER IF EXISTS odd")


def test_a_utf8_password_with_url_characters_logs_in(odd_user: str, tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", odd_user, "--yes", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert PASSWORD not in out.stdout + out.stderr and "pässw" not in out.stdout + out.stderr


@pytest.mark.parametrize("wrong", ["pässwörd/#?[@:2", "x", "s3cr3t#?/["])
def test_a_wrong_password_is_never_echoed(apply_server: Server, odd_user: str, tmp_path: Path,
                                          wrong: str) -> None:
    plan = compiled(tmp_path / "plan.sql", ["SELECT 1"])
    out = apply(str(plan), "--dsn", apply_server.login_dsn("odd", wrong), "--yes", cwd=tmp_path)
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"authentication failed for user `{apply_server.login('odd')}`" in out.stderr
    if len(wrong) > 1:
        assert wrong not in out.stderr and wrong[:4] not in out.stderr


def test_the_printed_resume_command_works_as_printed(odd_user: str, db: str,
                                                     tmp_path: Path) -> None:
    plan = compiled(tmp_path / "plan.sql", [f"CREATE DATABASE `{db}`", "SELECT nope"])
    password_free = odd_user.replace(f":{PASSWORD}@", "@", 1)
    env = {"MODSL_PASSWORD": PASSWORD}
    out = apply(str(plan), "--dsn", password_free, "--yes", cwd=tmp_path, env=env)
    assert out.returncode == 1
    printed = out.stderr.split("to continue after fixing the cause:\n")[1].splitlines()[0]
    argv = shlex.split(printed.strip())
    assert argv[:2] == ["modsl", "apply"]
    again = apply(*argv[2:], "--yes", cwd=tmp_path, env=env)
    assert again.returncode == 1 and "statement 2 of 2 failed" in again.stderr
    assert "skipped (done in an earlier run): 1" in again.stdout


# -- the Python API ---------------------------------------------------------------------------

def test_modsl_apply_runs_what_confirm_saw(dsn: str, db: str, tmp_path: Path) -> None:
    import modsl
    from modsl.compiler import sqlfile

    text = compiled(tmp_path / "plan.sql", [f"CREATE DATABASE `{db}`",
                                             f"CREATE TABLE `{db}`.`t` (id INT)"]).read_text()
    plan = sqlfile.read(text, "plan.sql")
    seen: list[int] = []

    def confirm(shown: sqlfile.Compiled) -> bool:
        seen.append(len(shown.statements))
        return True

    result = modsl.apply(plan, dsn=dsn, live_checks=False, confirm=confirm,
                         journal=str(tmp_path / "j"),
                         plan_path="plan.sql")
    assert result.ok and seen == [2] and [s.index for s in result.outcome.ran] == [0, 1]
    assert result.journal is not None and result.journal.exists()
    assert query(dsn, f"SHOW TABLES FROM `{db}`") == [("t",)]


def test_modsl_apply_runs_nothing_unconfirmed_and_refuses_errors(apply_server: Server, dsn: str,
                                                                  tmp_path: Path) -> None:
    import modsl
    from modsl.compiler import PlanHasErrors

    plan, _ = modsl.parse("as account acc1\nsnapshot s for account\n", "p.mobak")
    result = modsl.apply(plan, dsn=dsn, live_checks=False, confirm=lambda shown: False,
                         journal=str(tmp_path / "j"))
    assert not result.confirmed and not result.ok and result.outcome.ran == []
    bad, _ = modsl.parse("as account acc1\nsnapshot s for cluster\n", "bad.mobak")
    with pytest.raises(PlanHasErrors):
        modsl.apply(bad, dsn=dsn, live_checks=False, confirm=lambda shown: True,
                    journal=str(tmp_path / "j"))
    # Confirmed, it runs: MariaDB refuses a MatrixOne statement, and its refusal comes
    # back; the stand-in takes the snapshot.
    result = modsl.apply(plan, dsn=dsn, live_checks=False, confirm=lambda shown: True,
                         journal=str(tmp_path / "j"))
    assert result.confirmed and [s.index for s in result.outcome.ran] == (
        [0] if apply_server.name == "standin" else [])
    if apply_server.name == "standin":
        assert result.ok and [r[0] for r in query(dsn, "SHOW SNAPSHOTS")] == ["s"]
    else:
        assert result.outcome.failure is not None and result.outcome.failure.code == 1064


def test_a_hidden_line_break_in_a_reviewed_file_sends_nothing(dsn: str, db: str,
                                                                 tmp_path: Path) -> None:
    """Issue 21: `-- r.mobak:1<U+001C>DROP DATABASE …;` reads as a comment in a viewer and
    ran as a statement once its hash was recomputed. Refused at reading, in the older format
    and in today's: nothing is sent, the database is still there."""
    from test_sqlfile import separator_attack

    query(dsn, f"CREATE DATABASE `{db}`")
    for older in (True, False):
        attack = separator_attack(f"DROP DATABASE `{db}`", ["SELECT 1"], older=older)
        (tmp_path / "plan.sql").write_text(attack, encoding="utf-8")
        out = apply("plan.sql", "--dsn", dsn, "--yes", cwd=tmp_path)
        assert out.returncode == 2 and "U+001C" in out.stderr, out.stdout + out.stderr
        assert query(dsn, f"SHOW DATABASES LIKE '{db}'") == [(db,)]
        assert not (tmp_path / ".modsl").exists()  # not even a journal: nothing started


# -- issue 21: what protects a verify on the server (modsl.runtime.readonly) -----------------

@pytest.mark.servers("mariadb")
def test_a_verify_calling_a_stored_function_that_writes_is_refused(dsn: str, db: str,
                                                                    tmp_path: Path) -> None:
    """MB211 refuses `SELECT db.purge()`; should one reach the executor anyway (an older
    modsl compiled it), MariaDB refuses its write inside the verify's READ ONLY transaction."""
    conn = connect(parse_dsn(dsn), 5)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{db}`")
        cur.execute(f"CREATE TABLE `{db}`.orders (id INT)")
        cur.execute(f"INSERT INTO `{db}`.orders VALUES (1), (2), (3)")
        cur.execute(f"CREATE FUNCTION `{db}`.purge() RETURNS INT MODIFIES SQL DATA "
                    f"BEGIN DELETE FROM `{db}`.orders; RETURN 0; END")
    step = Step(0, f"SELECT `{db}`.purge()", "plan.mobak", 5, expect="= 0")
    outcome = execute([step], conn, Journal.open(tmp_path, "sha"))
    with conn.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM `{db}`.orders")
        assert cur.fetchone() == (3,)
        cur.execute("SELECT @@in_transaction")  # the transaction was ended
        assert cur.fetchone() == (0,)
    conn.close()
    assert outcome.failure is not None and outcome.failure.code == 1792, outcome


def test_a_verify_that_reads_passes_inside_its_transaction(dsn: str, db: str,
                                                           tmp_path: Path) -> None:
    query(dsn, f"CREATE DATABASE `{db}`")
    conn = connect(parse_dsn(dsn), 5)
    steps = [Step(0, "SELECT COUNT(*) FROM information_schema.schemata", "p", 1, expect=">= 1"),
             Step(1, "SELECT 'ok'", "p", 2, expect='= "ok"')]
    outcome = execute(steps, conn, Journal.open(tmp_path, "sha"))
    conn.close()
    assert outcome.failure is None and [s.index for s in outcome.ran] == [0, 1]


@pytest.mark.servers("mariadb")
def test_the_sessions_sql_mode_is_pinned_whatever_the_servers_default(dsn: str,
                                                                       tmp_path: Path) -> None:
    """With ANSI_QUOTES and NO_BACKSLASH_ESCAPES the server's default (set globally for a
    moment: new sessions only), modsl's session still reads quotes as lint did."""
    import pymysql

    from modsl.runtime.readonly import SQL_MODE

    server = parse_dsn(dsn)
    admin = connect(server, 5)

    def raw_session_mode() -> str:  # a session modsl did not open
        other = pymysql.connect(host=server.host, port=server.port, user=server.user,
                                password=server.password or "", connect_timeout=5)
        with other.cursor() as cur:
            cur.execute("SELECT @@SESSION.sql_mode")
            (mode,) = cur.fetchone()
        other.close()
        return str(mode)

    with admin.cursor() as cur:
        cur.execute("SELECT @@GLOBAL.sql_mode")
        (before,) = cur.fetchone()
        cur.execute("SET GLOBAL sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'")
        try:
            assert "ANSI_QUOTES" in raw_session_mode()
            conn = connect(server, 5)
        finally:
            cur.execute("SET GLOBAL sql_mode = %s", (before,))
    admin.close()
    with conn.cursor() as cur:
        cur.execute("SELECT @@SESSION.sql_mode")
        assert set(str(cur.fetchone()[0]).split(",")) == set(SQL_MODE.split(","))
    outcome = execute([Step(0, 'SELECT "ok"', "p", 1, expect='= "ok"')], conn,
                      Journal.open(tmp_path, "sha"))  # under ANSI_QUOTES: unknown column
    conn.close()
    assert outcome.failure is None, outcome.failure


@pytest.mark.servers("mariadb")
def test_every_allowed_function_is_a_built_in_on_mariadb(dsn: str) -> None:
    """A name MB211 allows that the server does not know as a built-in would call a stored
    function of that name: MariaDB must know every one (1305: no such function)."""
    from dataclasses import replace

    from modsl.checker.pure import PURE_FUNCTIONS

    conn = connect(replace(parse_dsn(dsn), database=None), 5)
    unknown = []
    with conn.cursor() as cur:
        for name in sorted(PURE_FUNCTIONS):
            try:
                cur.execute(f"SELECT {name}()")
            except pymysql_error() as exc:
                if exc.args[0] in (1046, 1305):
                    unknown.append(name)
    conn.close()
    assert unknown == []


def pymysql_error() -> type[Exception]:
    import pymysql

    return pymysql.err.MySQLError


# -- which servers the apply tests run on (tests/conftest.py) ----------------------------------

def pytest_in(env: dict[str, str], *args: str) -> str:
    """This file's tests in a pytest of their own, under `env` (what it prints)."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("MODSL_TEST_DSN", "MODSL_TEST_NO_MARIADB", "CI")}
    out = subprocess.run([sys.executable, "-m", "pytest", "tests/test_apply.py", "-o",
                          "addopts=", "-p", "no:cacheprovider", *args], cwd=REPO,
                         env={**clean, **env}, capture_output=True, text=True, timeout=300,
                         check=False)
    return out.stdout + out.stderr


def test_a_machine_without_mariadb_runs_the_apply_tests_on_the_standin_skipping_none() -> None:
    """Issue 20: no MariaDB (simulated), no MODSL_TEST_DSN, not CI: the tests run on the
    stand-in, those for MariaDB alone are not generated (deselected, not skipped), and the
    session's header says so."""
    out = pytest_in({"MODSL_TEST_NO_MARIADB": "1"}, "-v", "-rs", "-k",
                    "clean_run or edited_sql or on_mariadb or stored_function_that_writes")
    assert "apply tests run on: standin (in-process) only" in out, out
    assert "test_clean_run_journals_every_statement[standin] PASSED" in out, out
    assert "test_edited_sql_is_refused[standin] PASSED" in out, out
    assert re.search(r"\b2 passed, \d+ deselected in", out) and "skipped" not in out, out
    collected = pytest_in({"MODSL_TEST_NO_MARIADB": "1"}, "--collect-only", "-q")
    assert "[mariadb" not in collected and "skipped" not in collected, collected
    assert "_on_mariadb" not in collected and "stored_function" not in collected, collected
    assert re.search(r"tests collected \(4 deselected\)", collected), collected  # MariaDB's
    assert "test_killed_at_any_point_no_statement_ever_runs_twice[standin-0.05]" in collected


def test_with_mariadb_each_apply_test_runs_on_both_servers() -> None:
    """MODSL_TEST_DSN set (or MariaDB installed, or CI): both parameters, the slow kill -9
    matrix on MariaDB alone."""
    out = pytest_in({"MODSL_TEST_DSN": "mysql://u:pw@127.0.0.1:1"}, "--collect-only", "-q")
    for test in ("test_clean_run_journals_every_statement[standin]",
                 "test_clean_run_journals_every_statement[mariadb]",
                 "test_every_allowed_function_is_a_built_in_on_mariadb[mariadb]",
                 "test_killed_at_any_point_no_statement_ever_runs_twice[mariadb-0.05]"):
        assert test in out, out
    assert "test_killed_at_any_point_no_statement_ever_runs_twice[standin" not in out
    assert "test_every_allowed_function_is_a_built_in_on_mariadb[standin]" not in out
    ci = pytest_in({"CI": "true", "MODSL_TEST_NO_MARIADB": "1"}, "--collect-only", "-q")
    assert "test_clean_run_journals_every_statement[mariadb]" in ci, ci

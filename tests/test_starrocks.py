"""StarRocks end to end on the stand-in's StarRocks personality: a backup and a restore under
a new name with real rows, jobs polled to FINISHED or CANCELLED, secrets kept out of every
file, live checks, and a crash while a job runs (resume re-attaches; nothing is sent twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest
from conftest import REPO, modsl_command
from hypothesis import given, settings
from hypothesis import strategies as st

import modsl
from modsl import targets
from modsl.engines import starrocks
from modsl.language import ast
from modsl.standin import StandIn

SECRET = "wJalrXUtnFEMI-not-a-real-key"
ENV = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIA-drill", "AWS_SECRET_ACCESS_KEY": SECRET}


@pytest.fixture
def server() -> Iterator[StandIn]:
    with StandIn("3.4.2", engine="starrocks") as s:
        sql(s, "CREATE DATABASE sales", "CREATE TABLE sales.orders (id INT, amount INT)",
            "INSERT INTO sales.orders VALUES (1, 10), (2, 20), (3, 30)",
            "CREATE TABLE sales.items (id INT)")
        yield s


def sql(server: StandIn, *statements: str) -> list[tuple[object, ...]]:
    connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                 password="x", autocommit=True)
    rows: list[tuple[object, ...]] = []
    with connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            rows = list(cursor.fetchall())
    return rows


def dsn(server: StandIn) -> str:
    return f"mysql://root:x@127.0.0.1:{server.port}"


REPOSITORY = ('repository repo at "s3://b/sales" properties ("aws.s3.access_key" = '
              'env("AWS_ACCESS_KEY_ID"), "aws.s3.secret_key" = env("AWS_SECRET_ACCESS_KEY"))')
PLAN = f"""target starrocks 3.4
{REPOSITORY}
backup database sales to repo as nightly tables orders
restore database sales from repo snapshot nightly tables orders as orders_back \
into database sales_copy
verify rows sales_copy.orders_back = 3
"""


def apply(plan: Path, server: StandIn, *extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*modsl_command(), "apply", str(plan), "--dsn", dsn(server),
                             "--yes", "--poll", "0.01", *extra], capture_output=True, text=True,
                            cwd=plan.parent, env=ENV, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def journal(cwd: Path) -> list[dict[str, object]]:
    (path,) = (cwd / ".modsl" / "journal").glob("*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_backup_restore_under_a_new_name_and_verify_rows(server: StandIn,
                                                         tmp_path: Path) -> None:
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    result = apply(plan, server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "backup job: FINISHED" in result.stdout and "restore job: FINISHED" in result.stdout
    assert sql(server, "SELECT id, amount FROM sales_copy.orders_back ORDER BY id") == [
        (1, 10), (2, 20), (3, 30)]
    entries = journal(tmp_path)
    states = [e["state"] for e in entries if e["event"] == "job" and e["index"] == 1]
    assert states == ["SNAPSHOTING", "UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META",
                      "UPLOAD_INFO", "FINISHED"]
    restore = next(e for e in entries if e["event"] == "started" and e["index"] == 2)
    (stamp,) = sql(server, "SHOW SNAPSHOT ON repo")[0][1:2]
    assert restore["backup_timestamp"] == stamp  # read from the repository, journaled
    # The secret is in no file and no output; the reviewed SQL holds its placeholder.
    files = [p.read_text() for p in (tmp_path / ".modsl").rglob("*") if p.is_file()]
    assert all(SECRET not in text for text in [*files, result.stdout, result.stderr])
    assert 'env("AWS_SECRET_ACCESS_KEY")' in result.stdout


def test_a_cancelled_job_fails_the_step_with_its_status(server: StandIn,
                                                        tmp_path: Path) -> None:
    sql(server, "CREATE DATABASE sales_copy", "CREATE TABLE sales_copy.orders_back (other INT)")
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    result = apply(plan, server, "--no-checks")
    assert result.returncode == 1
    assert "the restore job ended CANCELLED" in result.stderr
    assert "Table orders_back already exist but with different schema" in result.stderr
    assert sql(server, "SELECT COUNT(*) FROM sales_copy.orders_back") == [(0,)]


def test_a_missing_secret_stops_before_anything_is_sent(server: StandIn,
                                                        tmp_path: Path) -> None:
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    env = {k: v for k, v in ENV.items() if k != "AWS_SECRET_ACCESS_KEY"}
    result = subprocess.run([*modsl_command(), "apply", str(plan), "--dsn", dsn(server),
                             "--yes"], capture_output=True, text=True, cwd=tmp_path, env=env,
                            timeout=60)
    assert result.returncode == 1
    assert "AWS_SECRET_ACCESS_KEY is not set" in result.stderr
    assert sql(server, "SHOW REPOSITORIES") == []


def test_live_checks_read_repositories_and_backups(server: StandIn, tmp_path: Path) -> None:
    sql(server, 'CREATE REPOSITORY taken WITH BROKER ON LOCATION "s3://t"')
    plan = tmp_path / "plan.mobak"
    plan.write_text('target starrocks 3.4\nrepository taken at "s3://t"\n'
                    "existing repository missing\n"
                    'restore database sales from taken snapshot gone at "2026-01-01-00-00-00"\n',
                    encoding="utf-8")
    result = apply(plan, server)
    assert result.returncode == 1
    assert "MB604 repository `taken` exists already" in result.stdout
    assert "MB603 repository `missing` is not on the server" in result.stdout
    assert "MB607 repository `taken` holds no backup `gone`" in result.stdout
    wrong = tmp_path / "wrong.mobak"
    wrong.write_text("target starrocks 3.3\nexisting repository taken\n", encoding="utf-8")
    assert "MB601 the server is StarRocks `3.4.2-standin`" in apply(wrong, server).stdout


def test_import_from_server_and_status_know_repositories(server: StandIn,
                                                          tmp_path: Path) -> None:
    sql(server, 'CREATE REPOSITORY kept WITH BROKER ON LOCATION "s3://k"',
        'CREATE REPOSITORY stray WITH BROKER ON LOCATION "s3://s"')
    imported = subprocess.run([*modsl_command(), "import", "--from-server", "--engine",
                               "starrocks", "--dsn", dsn(server)], capture_output=True,
                              text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == ("target starrocks 3.4\n\nexisting repository kept\n"
                               "existing repository stray\n")
    assert modsl.lint(imported.stdout) == []
    plan = tmp_path / "plan.mobak"
    plan.write_text("target starrocks 3.4\nexisting repository kept\n"
                    'repository stray at "s3://s"\nbackup database sales to kept as b1\n'
                    "drop repository gone\n", encoding="utf-8")
    status = subprocess.run([*modsl_command(), "status", str(plan), "--dsn", dsn(server)],
                            capture_output=True, text=True, timeout=60)
    lines = [" ".join(line.split()) for line in status.stdout.splitlines()]
    assert "= repository kept exists: at s3://k (" in lines[1]
    assert "! repository stray exists already (at s3://s): the create would fail" in lines[2]
    assert "+ backup b1 will be written: database sales to repository kept" in lines[3]
    assert "! repository gone not on the server: the drop would fail" in lines[4]


def test_killed_while_a_job_runs_resume_reattaches(server: StandIn, tmp_path: Path) -> None:
    """The backup job is held running on the server; the client is killed while it polls.
    Resume finds the job by its label and waits for it: one job, one backup, never two."""
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    server.world.held = True
    proc = subprocess.Popen([*modsl_command(), "apply", str(plan), "--dsn", dsn(server), "--yes",
                             "--poll", "0.01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=ENV)
    deadline = time.monotonic() + 60
    while not any(e["event"] == "job" for e in _entries(tmp_path)):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert server.world.jobs["sales"].state == "PENDING"  # still running on the server
    server.world.held = False
    result = apply(plan, server, "--resume")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.world.submitted == 2  # one backup job, one restore job: nothing twice
    assert [i.label for i in server.world.repositories["repo"].images] == ["nightly"]
    assert any(e.get("attached") for e in journal(tmp_path))
    assert sql(server, "SELECT COUNT(*) FROM sales_copy.orders_back") == [(3,)]


def test_a_backup_the_server_never_took_is_sent_on_resume(server: StandIn,
                                                          tmp_path: Path) -> None:
    """The connection is lost on the BACKUP before the server took it: an unknown outcome.
    Resume finds no job for it and no backup in the repository, so it sends it, once."""
    sql(server, 'CREATE REPOSITORY repo WITH BROKER ON LOCATION "s3://b/sales"')
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN.replace(REPOSITORY, "existing repository repo"), encoding="utf-8")
    server.faults.fail_next(2013, "Lost connection to MySQL server during query")
    first = apply(plan, server)
    assert first.returncode == 1 and "UNKNOWN OUTCOME" in first.stderr
    assert server.world.submitted == 0
    result = apply(plan, server, "--resume")
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.world.submitted == 2  # the backup once, then the restore
    assert any(e.get("why", "").startswith("the server has no backup job")
               for e in journal(tmp_path))


def test_killed_while_the_backup_is_in_flight_resume_attaches_to_the_pending_job(
        server: StandIn, tmp_path: Path) -> None:
    """kill -9 while the killed run's BACKUP is still being submitted: resume finds no job
    yet, and reads again (executor.SETTLE) rather than send it a second time: the killed
    run's BACKUP lands as a PENDING job, and resume attaches to it by its label. The BACKUP
    reaches the server once; one job, one backup."""
    sys.path.insert(0, str(REPO / "bench"))
    from crash_run import received

    sql(server, 'CREATE REPOSITORY repo WITH BROKER ON LOCATION "s3://b/sales"')
    plan = tmp_path / "plan.mobak"
    plan.write_text(PLAN.replace(REPOSITORY, "existing repository repo"), encoding="utf-8")
    server.world.held = True  # every job PENDING until the resume is under way
    server.faults.delay_next(1.5)  # the killed run's BACKUP, in flight
    with received() as log:
        _killed_in_flight_then_resumed(server, plan, tmp_path)
    assert sum(s.lstrip().upper().startswith("BACKUP") for s in log) == 1, log
    assert server.world.submitted == 2  # one backup job, one restore job
    assert [i.label for i in server.world.repositories["repo"].images] == ["nightly"]
    assert any(e.get("attached") for e in journal(tmp_path))
    assert sql(server, "SELECT COUNT(*) FROM sales_copy.orders_back") == [(3,)]


def _killed_in_flight_then_resumed(server: StandIn, plan: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([*modsl_command(), "apply", str(plan), "--dsn", dsn(server), "--yes",
                             "--poll", "0.01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=ENV)
    deadline = time.monotonic() + 60
    while not any(e["event"] == "started" for e in _entries(tmp_path)):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert server.world.submitted == 0  # still in flight: nothing lists it yet
    resume = subprocess.Popen([*modsl_command(), "apply", str(plan), "--dsn", dsn(server),
                               "--yes", "--poll", "0.01", "--resume"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=ENV)
    while server.world.submitted == 0:  # the killed run's BACKUP lands: a PENDING job
        assert time.monotonic() < deadline, "the BACKUP in flight never landed"
        time.sleep(0.05)
    assert server.world.jobs["sales"].state == "PENDING"
    time.sleep(0.5)
    server.world.held = False
    out, err = resume.communicate(timeout=120)
    assert resume.returncode == 0, out + err


def _entries(cwd: Path) -> list[dict[str, object]]:
    found = list((cwd / ".modsl" / "journal").glob("*.jsonl"))
    if not found:
        return []
    lines = found[0].read_text().splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


def test_the_example_drill_runs_green(tmp_path: Path) -> None:
    result = subprocess.run([*modsl_command(), "apply",
                             str(REPO / "examples" / "starrocks-restore.mobak"), "--standin",
                             "--seed", str(REPO / "examples" / "starrocks-seed.sql"), "--yes"],
                            capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done: 6 statement(s) ran" in result.stdout


def test_standin_reads_starrocks_as_the_source_says(server: StandIn) -> None:
    """A few of STARROCKS.md's analyzer and submission messages, from the stand-in."""
    cases = {
        'RESTORE SNAPSHOT s FROM r ON (t) PROPERTIES ("backup_timestamp" = "x")':
            "`ON` clause is forbidden if no Database explicitly specified",
        "RESTORE SNAPSHOT sales.s FROM r": "Missing backup_timestamp property",
        "BACKUP DATABASE sales SNAPSHOT s TO nowhere": "Repository [nowhere] does not exist",
        'BACKUP DATABASE sales SNAPSHOT s TO r PROPERTIES ("timeout" = "60")':
            "timeout must be at least 10 min",
        "BACKUP SNAPSHOT sales.s TO r ON (orders AS o)":
            "Specifying alias for backup object is forbidden in BACKUP stmt",
        "CANCEL BACKUP": "No selected database for cancel BACKUP/RESTORE",
        'RESTORE SNAPSHOT sales.s FROM r PROPERTIES ("backup_timestamp" = "x", '
        '"replication_num" = "2147483648")': "Invalid meta version format: 2147483648",
        'RESTORE SNAPSHOT sales.s FROM r PROPERTIES ("backup_timestamp" = "x", '
        '"meta_version" = "2147483648")': "Invalid meta version format: 2147483648",
    }
    sql(server, 'CREATE REPOSITORY r WITH BROKER ON LOCATION "s3://r"')
    for statement, message in cases.items():
        with pytest.raises(pymysql.MySQLError, match=message.replace("[", r"\[")
                           .replace("]", r"\]")):
            sql(server, statement)
    sql(server, "BACKUP DATABASE sales SNAPSHOT s TO r")
    with pytest.raises(pymysql.MySQLError, match="one backup or restore job of a database"):
        sql(server, "BACKUP DATABASE sales SNAPSHOT s2 TO r")


STARROCKS_CASES = sorted((REPO / "tests" / "cases" / "compile").glob("starrocks-*.mobak"))


@pytest.mark.parametrize("version", [v.version for v in targets.versions("starrocks")])
@pytest.mark.parametrize("path", STARROCKS_CASES, ids=[p.name for p in STARROCKS_CASES])
def test_every_emitted_form_parses_on_a_server_of_its_version(path: Path, version: str) -> None:
    """Each golden StarRocks statement, sent as apply sends it, is read by the stand-in's own
    parser: the server may refuse what it names (no such repository, backup), never the syntax."""
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    checked = modsl.check(plan, target=targets.lookup("starrocks", version))
    if checked.has_errors:  # what this version cannot express (MB408): the golden case says
        return
    with StandIn(f"{version}.0", engine="starrocks") as server:
        connection = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                                     password="x", autocommit=True)
        for statement in modsl.compile(checked).statements:
            sent = starrocks.prepare(statement.sql.replace(
                starrocks.BACKUP_TIMESTAMP_PLACEHOLDER, "2026-11-20-10-00-00-123"),
                connection, {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"}).sql
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sent)
            except pymysql.MySQLError as exc:
                # StarRocks refused what it names (a verify: the table it reads is not there)
                assert exc.args[0] == (5064 if statement.expect is None else 1049), (sent, exc)


TEXT = st.text(st.characters(blacklist_characters="\n\r\0", blacklist_categories=("Cs",)),
               min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, st.sampled_from(targets.versions("starrocks")))
def test_no_name_or_value_becomes_a_second_statement(name: str, value: str,
                                                     version: targets.TargetVersion) -> None:
    """Whatever the names and property values, the printed statement reads back (by the
    stand-in's independent reader) as one statement holding exactly those names and values."""
    from modsl.engines.starrocks.standin import Tokens

    n = ast.Name(name)
    table = ast.TableItem(n, (n,), ast.Name(name + "_x"))
    props = (ast.Property(value, value),)
    statements = [
        ast.CreateRepository(n, value, properties=props),
        ast.Backup(n, n, n, (ast.TableItem(n, (n,)),), (ast.Property("timeout", value),)),
        ast.RestoreBackup(ast.Scope(ast.Level.DATABASE, database=n), n, n,
                          ast.Timestamp(value), (table,), properties=props),
        ast.DropRepository(n),
    ]
    for st_ in statements:
        sql = starrocks.emit(st_, version)
        assert sql is not None
        tokens = Tokens(sql).items
        assert ("p", ";") not in tokens, sql
        names = {text for kind, text in tokens if kind == "name"}
        strings = {text for kind, text in tokens if kind == "str"}
        assert names <= {name, name + "_x"} and name in names, (sql, names)
        if not isinstance(st_, ast.DropRepository):
            assert value in strings, (sql, strings)


def test_on_33_a_restore_needs_its_database_and_the_live_check_says_so(tmp_path: Path) -> None:
    """3.3 restores only into a database that exists (3.3's BackupHandler; 3.4+ creates it):
    the live check refuses the plan first (MB608), the stand-in refuses the statement with
    3.3's words, and once the database is there the restore runs (as `SNAPSHOT e.s`)."""
    with StandIn("3.3.9", engine="starrocks") as s:
        sql(s, "CREATE DATABASE sales", "CREATE TABLE sales.orders (id INT, amount INT)",
            "INSERT INTO sales.orders VALUES (1, 10), (2, 20), (3, 30)")
        plan = tmp_path / "plan.mobak"
        plan.write_text(PLAN.replace("starrocks 3.4", "starrocks 3.3"), encoding="utf-8")
        checked = apply(plan, s)
        assert checked.returncode == 1
        assert "MB608 database `sales_copy` is not on the server" in checked.stdout
        assert s.world.submitted == 0
        unchecked = apply(plan, s, "--no-checks")
        assert unchecked.returncode == 1
        assert "Unknown database 'sales_copy'" in unchecked.stderr
        sql(s, "CREATE DATABASE sales_copy")
        done = apply(plan, s, "--resume")
        assert done.returncode == 0, done.stdout + done.stderr
        assert sql(s, "SELECT SUM(amount) FROM sales_copy.orders_back") == [(60,)]


def test_the_example_nightly_backup_fires_on_two_nights(tmp_path: Path) -> None:
    """examples/starrocks-nightly.mobak through `modsl run`, on two nights: each firing sends
    the backup with that night's label and waits for the job; a retried firing sends nothing."""
    from datetime import datetime

    from modsl.cli import main

    plan = REPO / "examples" / "starrocks-nightly.mobak"
    with StandIn("3.4.2", engine="starrocks") as s:
        sql(s, "CREATE DATABASE sales", "CREATE TABLE sales.orders (id INT)",
            'CREATE REPOSITORY backups WITH BROKER ON LOCATION "s3://backups/sales"')

        def fire(night: datetime) -> int:
            s.clock.set(night)
            return main(["run", str(plan), "--schedule", "nightly", "--dsn", dsn(s),
                         "--journal", str(tmp_path / "j"),
                         "--now", f"{night:%Y-%m-%d %H:%M:%S}"])

        assert fire(datetime(2026, 11, 20, 1, 30)) == 0
        assert s.world.jobs["sales"].state == "FINISHED"  # awaited, as apply awaits it
        assert fire(datetime(2026, 11, 21, 1, 30)) == 0
        assert fire(datetime(2026, 11, 21, 2, 0)) == 0  # the same firing, retried
        images = s.world.repositories["backups"].images
        assert [i.label for i in images] == ["sales_20261120", "sales_20261121"]
        assert s.world.submitted == 2


def test_a_backup_of_a_missing_database_or_table_is_refused_before_anything_runs(
        server: StandIn, tmp_path: Path) -> None:
    """Issue 20: the live checks read the databases and tables a backup names (MB608), with
    the analyzer's words; apply sends nothing."""
    sql(server, 'CREATE REPOSITORY repo WITH BROKER ON LOCATION "s3://b/sales"')
    plan = tmp_path / "plan.mobak"
    for line, says in (("backup database sales to repo as a tables orders, ordres",
                        "Incorrect table name 'ordres'"),
                       ("backup database salez to repo as b", "Unknown database 'salez'")):
        plan.write_text(f"target starrocks 3.4\nexisting repository repo\n{line}\n")
        out = apply(plan, server)
        assert out.returncode == 1, out.stdout + out.stderr
        assert "MB608" in out.stdout and says in out.stdout and "running 1/" not in out.stdout
    assert server.world.submitted == 0
    plan.write_text("target starrocks 3.4\nexisting repository repo\n"
                    "backup database sales to repo as c tables orders, items\n")
    out = apply(plan, server)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "database `sales` is on the server, 2 table(s) named" in out.stdout


def test_a_scheduled_backup_is_not_a_one_off(server: StandIn, tmp_path: Path) -> None:
    """Issue 22's audit: explain said apply waits for a scheduled backup, status said its
    template label `sales_{date}` will be written, the live checks looked the template up in
    the repository, and a plan of an existing repository and scheduled backups ran nothing
    without saying that `modsl run` takes them."""
    sql(server, 'CREATE REPOSITORY backups WITH BROKER ON LOCATION "s3://backups/sales"')
    example = REPO / "examples" / "starrocks-nightly.mobak"
    explained = subprocess.run([*modsl_command(), "explain", str(example)], capture_output=True,
                               text=True, timeout=60)
    assert explained.returncode == 0, explained.stderr
    words = " ".join(explained.stdout.split("line 14:")[1].split())
    assert "labelled sales_YYYYMMDD. `modsl run` takes it at each firing" in words
    assert "apply waits" not in words and "Never run by `apply`" in words
    status = subprocess.run([*modsl_command(), "status", str(example), "--dsn", dsn(server),
                             "--now", "2026-11-20 12:00:00"],
                            capture_output=True, text=True, timeout=60)
    lines = [" ".join(line.split()) for line in status.stdout.splitlines()]
    assert status.returncode == 0, status.stdout + status.stderr
    assert ("@ backup sales_{date} schedule nightly: `modsl run` writes database sales to "
            "repository backups at each firing; next firing 2026-11-21 01:00 CST takes "
            f"sales_20261121 ({example}:14)") in lines
    assert not any("will be written" in line for line in lines)
    assert "1 scheduled;" in lines[-1]
    applied = apply(example, server)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "only schedules backups, so there is nothing to run now" in applied.stderr
    plan = tmp_path / "plan.mobak"
    plan.write_text(example.read_text() + "backup database sales to backups as once\n")
    out = apply(plan, server)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "backup `once` is not in repository `backups` yet" in out.stdout
    assert "sales_{date}" not in out.stdout.split("running")[0]  # no check of the template


@pytest.mark.parametrize("key", ["replication_num", "meta_version", "starrocks_meta_version"])
def test_mb217_says_what_the_restore_analyzer_says(key: str) -> None:
    """3.3+'s BackupRestoreAnalyzer reads all three through one `parseInt`, whose message is
    `Invalid meta version format: ...` (the 2.x RestoreAnalyzer's `Invalid replication num
    format` is gone): the checker and the stand-in say that, for replication_num too."""
    words = "meta version"
    (found,) = modsl.lint('target starrocks 3.4\nexisting repository repo\nrestore database '
                          'sales from repo snapshot s at "2026-11-20-10-00-00-123" properties '
                          f'("{key}" = "2147483648")\n')
    assert found.code == "MB217" and f"Invalid {words} format: 2147483648" in found.message


def test_the_docs_say_what_starrocks_plans_can_say() -> None:
    """Issue 22's audit: language.md called `into database` 3.4+ and rules.md's MB408 listed
    it as inexpressible on 3.3, which compiles it (`SNAPSHOT other.label`); neither
    language.md nor cli.md's `modsl run` named the scheduled backup form."""
    docs = REPO / "docs"
    plan = ('target starrocks 3.3\nexisting repository r\nrestore database sales from r '
            'snapshot s at "2026-11-20-10-00-00-123" into database copy\n')
    assert modsl.lint(plan) == []
    mb408 = (docs / "rules.md").read_text().split("## MB408")[1].split("\n## ")[0]
    assert "into database" not in mb408
    language = (docs / "language.md").read_text()
    assert "restores it under another name (3.4+)" not in language
    form = "backup database DB to REPO as LABEL_{date} on SCHEDULE"
    assert form in language
    run = (docs / "cli.md").read_text().split("## `modsl run")[1].split("\n## ")[0]
    assert "backup database D to R as LABEL_{date} on SCHEDULE" in run
    line = "backup database sales to r as sales_{date} on nightly"
    assert modsl.lint('target starrocks 3.4\nschedule nightly every day at 01:00 in "UTC"\n'
                      f'existing repository r\n{line}\n') == []


def test_design_md_says_what_became_of_the_three_forms() -> None:
    """A restore naming no database imports as `restore backup` (3.4+); `PARTITION (col =
    value)` items stay MB107, with what the server does with them; a backup naming no
    database is one the server refuses (MB110). design.md says why, for each."""
    imported = modsl.import_sql('RESTORE SNAPSHOT s FROM r PROPERTIES ("backup_timestamp"'
                                ' = "2024-12-09-10-52-10-940");\nBACKUP DATABASE d '
                                "SNAPSHOT s TO r ON (t PARTITION (k = 1));\n"
                                "BACKUP SNAPSHOT s2 TO r;",
                                target=targets.parse_flag("starrocks-3.4"))
    assert [d.code for d in imported.diagnostics] == ["MB107", "MB110"]
    assert "takes none of its data" in imported.diagnostics[0].message
    assert "restore backup from r snapshot s" in imported.plan_text
    design = (REPO / "docs" / "design.md").read_text()
    notes = design.split("### Three StarRocks forms: a restore of the backup's own database, "
                         "partitions by value, a backup of no database")[1].split("\n## ")[0]
    assert "**A restore that names no database**" in notes
    assert "`restore backup from REPO snapshot S" in " ".join(notes.split())
    assert "**`PARTITION (col = value)` items are refused" in notes
    assert "**A backup that names no database**" in notes


STAMP = "2026-11-20-10-00-00-123"


def test_restore_backup_puts_back_the_database_the_backup_holds(tmp_path: Path) -> None:
    """`restore backup` names no database: the job restores the one recorded in the backup
    (3.4 creates it when absent), the live check finds the backup in its repository (MB607),
    and apply waits for the job in SHOW RESTORE (every database)."""
    from modsl.engines.starrocks.standin import Image, Repository
    from modsl.standin.store import Table

    with StandIn("3.4.2", engine="starrocks") as s:
        repo = s.world.repositories["repo"] = Repository("repo", "s3://x", False)
        repo.images.append(Image("old", STAMP, "crm", {"accounts": Table(["id"], [(1,), (2,)])}))
        plan = tmp_path / "plan.mobak"
        plan.write_text(f'target starrocks 3.4\nexisting repository repo\nrestore backup from '
                        f'repo snapshot old at "{STAMP}"\nverify rows crm.accounts = 2\n',
                        encoding="utf-8")
        checked = subprocess.run([*modsl_command(), "check", str(plan), "--dsn", dsn(s)],
                                 capture_output=True, text=True, timeout=60)
        assert f"backup `old` at {STAMP} is in repository `repo`" in checked.stdout, \
            checked.stdout + checked.stderr
        done = apply(plan, s)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "restore job: FINISHED" in done.stdout
        assert f'RESTORE SNAPSHOT `old` FROM `repo` PROPERTIES ("backup_timestamp" = "{STAMP}")' \
            in done.stdout
        assert sql(s, "SELECT COUNT(*) FROM crm.accounts") == [(2,)]


def test_restore_backup_of_the_plans_own_backup(server: StandIn, tmp_path: Path) -> None:
    """Without `at`, the plan's own backup: apply reads its timestamp, as for `restore
    database`, and the job puts the backed-up database back as it was."""
    plan = tmp_path / "plan.mobak"
    plan.write_text("target starrocks 3.4\nrepository repo at \"s3://b/sales\"\n"
                    "backup database sales to repo as nightly\n"
                    "restore backup from repo snapshot nightly\n"
                    "verify rows sales.orders = 3\n", encoding="utf-8")
    done = apply(plan, server)
    assert done.returncode == 0, done.stdout + done.stderr
    restore = next(e for e in journal(tmp_path) if e["event"] == "started" and e["index"] == 2)
    (stamp,) = sql(server, "SHOW SNAPSHOT ON repo")[0][1:2]
    assert restore["backup_timestamp"] == stamp
    assert server.world.jobs["sales"].restore and server.world.jobs["sales"].state == "FINISHED"

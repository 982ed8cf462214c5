"""Restore tests (issue 25): eight simulated weeks of nightly snapshots and a weekly `drill`
on the stand-in's clock leave no clone behind — a run killed mid-test and a failing verify
included; a snapshot taken after the rows were deleted fails its test with a clear report;
the JUnit XML has the shape Jenkins and GitLab read; the metrics parse with prometheus_client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from conftest import standin_sql
from prometheus_client.parser import text_string_to_metric_families

from modsl.cli import main
from modsl.runtime import live, restore_test
from modsl.standin import StandIn

START = datetime(2026, 10, 1, 1, 0, 5)  # a Thursday
PLAN = """\
target matrixone 4.2
as account acc1
schedule nightly every day at 01:00 in "UTC"
schedule weekly every week on sunday at 03:00 in "UTC"
snapshot shop_{date} for database shop on nightly keep 30d
drill shop_restore restore shop_{date} on weekly into shop_rt_{date}
  verify rows shop_rt_{date}.orders >= 1
  verify "SELECT SUM(total) FROM shop_rt_{date}.orders" = 60
"""


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        server.clock.set(START - timedelta(days=1))
        sql(server, "root", "create account acc1 admin_name 'admin' identified by 'pw'")
        sql(server, "acc1#admin", "create database shop",
            "create table shop.orders (id int, total int)",
            "insert into shop.orders values (1, 10), (2, 20), (3, 30)")
        yield server


def sql(server: StandIn, login: str, *statements: str) -> list[tuple[object, ...]]:
    return standin_sql(server, *statements, login=login)


def scratch(server: StandIn) -> list[str]:
    return [str(r[0]) for r in sql(server, "acc1#admin", "show databases")
            if str(r[0]).startswith("shop_rt")]


def fire(server: StandIn, tmp: Path, schedule: str, at: datetime) -> int:
    server.clock.set(at)
    return main(["run", str(tmp / "plan.mobak"), "--schedule", schedule, "--dsn",
                 f"mysql://acc1%23admin:pw@127.0.0.1:{server.port}", "--journal",
                 str(tmp / "j"), "--now", f"{at:%Y-%m-%d %H:%M:%S}",
                 "--report", str(tmp / f"{schedule}.xml"),
                 "--metrics", str(tmp / "modsl.prom")])


class Killed(BaseException):
    """A `kill -9` in the middle of a restore test: nothing after it runs, not even cleanup."""


def killed_at_drop(real: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
    def send(connection: Any, sql: str) -> None:
        if sql.startswith("DROP"):
            raise Killed
        real(connection, sql)

    return send


def test_eight_weeks_of_restore_tests_leave_no_clone_behind(
        standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    outcomes: dict[str, int] = {}
    for day in range(56):
        night = START + timedelta(days=day)
        if day == 31:  # rows lost before that night's snapshot: the backup is broken
            sql(standin, "acc1#admin", "delete from shop.orders")
        if day == 38:
            sql(standin, "acc1#admin",
                "insert into shop.orders values (1, 10), (2, 20), (3, 30)")
        assert fire(standin, tmp_path, "nightly", night) == 0
        if night.weekday() != 6:
            continue
        sunday = night.replace(hour=3, minute=0, second=5)
        if day == 17:  # the test is killed after the clone, before its drop
            with monkeypatch.context() as m:
                m.setattr(restore_test, "_send", killed_at_drop(restore_test._send))
                with pytest.raises(Killed):
                    fire(standin, tmp_path, "weekly", sunday)
            assert scratch(standin) == [f"shop_rt_{sunday:%Y%m%d}"]  # left behind
            continue
        capsys.readouterr()
        outcomes[f"{sunday:%Y%m%d}"] = fire(standin, tmp_path, "weekly", sunday)
        out, err = capsys.readouterr()
        assert scratch(standin) == [], f"a clone outlived the firing of {sunday:%Y-%m-%d}"
        if day == 24:  # the week after the kill: what it left is dropped first
            assert "dropped shop_rt_20261018, left by an earlier firing" in out
        if day == 31:
            assert "restore test shop_restore: FAILED" in err
            assert "verify rows shop_rt_20261101.orders >= 1: saw 0" in err
            broken = ET.parse(tmp_path / "weekly.xml").getroot()
            failure = broken.find("./testsuite/testcase[@name='restore test shop_restore']"
                                  "/failure")
            assert failure is not None and "saw 0" in failure.get("message", "")
            assert "snapshot: shop_20261101" in (failure.text or "")
    failed = {d for d, code in outcomes.items() if code != 0}
    assert failed == {"20261101"}, outcomes  # only the week of the broken snapshot
    assert len(outcomes) == 7  # eight Sundays, one of them killed
    assert scratch(standin) == []
    valid_junit(ET.parse(tmp_path / "weekly.xml").getroot())
    samples = parsed_metrics(tmp_path / "modsl.prom")
    labels = (("plan", "plan"), ("schedule", "weekly"), ("test", "shop_restore"))
    assert samples[("modsl_restore_test_success", labels)] == 1.0
    assert ("modsl_restore_test_last_success_timestamp_seconds", labels) in samples
    assert samples[("modsl_snapshot_firing_success",
                    (("plan", "plan"), ("schedule", "nightly")))] == 1.0


def test_a_failed_test_keeps_its_last_success_and_fails_the_run(
        standin: StandIn, tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    sunday = datetime(2026, 10, 4, 3, 0, 5)
    assert fire(standin, tmp_path, "nightly", START) == 0
    assert fire(standin, tmp_path, "weekly", sunday) == 0
    good = parsed_metrics(tmp_path / "modsl.prom")
    labels = (("plan", "plan"), ("schedule", "weekly"), ("test", "shop_restore"))
    sql(standin, "acc1#admin", "delete from shop.orders where id = 3")
    assert fire(standin, tmp_path, "nightly", START + timedelta(days=4)) == 0
    assert fire(standin, tmp_path, "weekly", sunday + timedelta(days=7)) == 1
    bad = parsed_metrics(tmp_path / "modsl.prom")
    assert bad[("modsl_restore_test_success", labels)] == 0.0
    key = ("modsl_restore_test_last_success_timestamp_seconds", labels)
    assert bad[key] == good[key]
    assert scratch(standin) == []


def test_modsl_log_shows_each_firing_s_restore_tests(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    sunday = datetime(2026, 10, 4, 3, 0, 5)
    assert fire(standin, tmp_path, "nightly", START) == 0
    assert fire(standin, tmp_path, "weekly", sunday) == 0
    sql(standin, "acc1#admin", "delete from shop.orders where id = 3")
    assert fire(standin, tmp_path, "nightly", START + timedelta(days=4)) == 0
    assert fire(standin, tmp_path, "weekly", sunday + timedelta(days=7)) == 1
    capsys.readouterr()
    assert main(["log", "--journal", str(tmp_path / "j")]) == 0
    out = capsys.readouterr().out
    assert "restore test shop_restore: ok (snapshot shop_20261001" in out
    assert re.search(r"test failed +run weekly @ 2026-10-11", out), out
    assert "restore test shop_restore: FAILED (snapshot shop_20261005: " in out
    assert "saw 30" in out


JUNIT_XSD = Path(__file__).parent / "data" / "junit-10.xsd"


def valid_junit(root: ET.Element) -> None:
    """Valid against the JUnit schema Jenkins validates reports with (tests/data/junit-10.xsd),
    and in the shape GitLab's reader takes: counts that agree with the testcases, a message
    on each failure."""
    import xmlschema

    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(root)
    assert root.tag == "testsuites"
    suites = list(root)
    assert suites and all(s.tag == "testsuite" for s in suites)
    for suite in suites:
        for attr in ("name", "tests", "failures", "errors", "time"):
            assert suite.get(attr) is not None, attr
        cases = list(suite)
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(c.find("failure") is not None
                                                      for c in cases)
        float(suite.get("time", ""))
        for case in cases:
            assert case.tag == "testcase"
            assert case.get("name") and case.get("classname")
            float(case.get("time", ""))
            for child in case:
                assert child.tag in ("failure", "system-out")
                if child.tag == "failure":
                    assert child.get("message")


def parsed_metrics(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = path.read_text(encoding="utf-8")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_the_junit_check_refuses_what_ci_would_not_read() -> None:
    import xmlschema

    with pytest.raises(AssertionError):  # counts that disagree with the testcases
        valid_junit(ET.fromstring('<testsuites><testsuite name="x" tests="2" failures="0" '
                                  'errors="0" time="1"><testcase name="a" classname="c" '
                                  'time="0"/></testsuite></testsuites>'))
    with pytest.raises(xmlschema.XMLSchemaValidationError):  # no name: the schema says no
        valid_junit(ET.fromstring('<testsuites><testsuite tests="1"><testcase name="a"/>'
                                  '</testsuite></testsuites>'))


def test_exported_units_write_the_report_and_the_metrics(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    assert main(["schedule", "export", str(tmp_path / "plan.mobak"), "--format", "crontab",
                 "--report-dir", "/var/lib/modsl/junit", "--metrics-dir",
                 "/var/lib/node_exporter"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line and not line.startswith(("#", "CRON_TZ="))]
    weekly = next(line for line in lines if "--schedule weekly" in line)
    assert "--report /var/lib/modsl/junit/plan-weekly.xml" in weekly
    assert "--metrics /var/lib/node_exporter/plan-weekly.prom" in weekly


@contextmanager
def two_tenants() -> Iterator[StandIn]:
    """The example's server: acc1 and acc2, each with `shop` (one order) and `crm`."""
    with StandIn("4.2.0") as server:
        server.clock.set(START)
        for acc in ("acc1", "acc2"):
            sql(server, "root", f"create account {acc} admin_name 'admin' identified by 'pw'")
            sql(server, f"{acc}#admin", "create database shop", "create database crm",
                "create table shop.orders (id int, total int)",
                "insert into shop.orders values (1, 10)")
        yield server


def test_the_example_clones_each_tenant_s_databases_and_drops_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An account snapshot is cloned per database (SHOW DATABASES {SNAPSHOT}), into the
    plan's account, and each clone is dropped."""
    example = Path(__file__).parent.parent / "examples" / "restore-tests.mobak"
    with two_tenants() as server:

        def run(schedule: str, at: datetime) -> int:
            server.clock.set(at)
            return main(["run", str(example), "--schedule", schedule, "--dsn",
                         f"mysql://root@127.0.0.1:{server.port}", "--journal",
                         str(tmp_path / "j"), "--now", f"{at:%Y-%m-%d %H:%M:%S}"])

        assert run("nightly", START) == 0
        capsys.readouterr()
        assert run("weekly", datetime(2026, 10, 4, 4, 0, 5)) == 0
        out = capsys.readouterr().out
        assert "cloned acc1_20261001 into acc1_rt_20261004_crm, acc1_rt_20261004_shop" in out
        assert "restore test acc2_restore: passed" in out
        assert [r for r in sql(server, "root", "show databases")
                if str(r[0]).startswith(("acc1_rt", "acc2_rt"))] == []


def test_a_clone_that_fails_half_way_leaves_nothing_behind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An account snapshot is cloned database by database: when the second clone fails, the
    first is dropped by the same firing (it was left to the next one), and the failure says
    which clones there were. The report and the metrics are readable by other users."""
    import stat

    example = Path(__file__).parent.parent / "examples" / "restore-tests.mobak"
    with two_tenants() as server:
        dsn = f"mysql://root@127.0.0.1:{server.port}"
        common = ["--dsn", dsn, "--journal", str(tmp_path / "j")]
        assert main(["run", str(example), "--schedule", "nightly", *common, "--now",
                     f"{START:%Y-%m-%d %H:%M:%S}"]) == 0
        at = datetime(2026, 10, 4, 4, 0, 5)
        server.clock.set(at)
        real = restore_test._send
        calls: list[str] = []

        def send(connection: Any, statement: str) -> None:
            calls.append(statement)
            if statement.startswith("CREATE DATABASE") and "_shop" in statement:
                raise live.Unreadable("the server refused the clone (injected)")
            real(connection, statement)

        restore_test._send = send
        try:
            code = main(["run", str(example), "--schedule", "weekly", *common, "--now",
                         f"{at:%Y-%m-%d %H:%M:%S}", "--report", str(tmp_path / "r.xml"),
                         "--metrics", str(tmp_path / "m.prom")])
        finally:
            restore_test._send = real
        left = [r for r in sql(server, "root", "show databases")
                if str(r[0]).startswith(("acc1_rt", "acc2_rt"))]
    assert code == 1 and left == []
    assert any("acc1_rt_20261004_crm" in c and c.startswith("CREATE") for c in calls)
    for name in ("r.xml", "m.prom"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode & 0o044 == 0o044, oct(mode)

"""Schedules: 40 simulated days of a nightly firing with `keep 30d` on the stand-in's clock,
idempotent retries (after a crash too), and export entries that fire when the schedule does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import standin_sql as sql

from modsl.cli import main
from modsl.standin import StandIn
from modsl.time import cadence

START = datetime(2026, 10, 1, 1, 0, 5)
PLAN = """\
target matrixone 4.2
as account sys
schedule nightly every day at 01:00 in "UTC"
snapshot acc1_{date} for account acc1 on nightly keep 30d
"""


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        server.clock.set(START - timedelta(days=400))
        sql(server, "create account acc1 admin_name 'admin' identified by 'pw'",
            "create account acc2 admin_name 'admin' identified by 'pw'",
            # Made by hand: a similar name, and the template's form for another object.
            "create snapshot acc1_20261001_manual for account acc1",
            "create snapshot acc1_20250101 for account acc2")
        yield server


def snapshots(server: StandIn) -> list[str]:
    return sorted(str(r[0]) for r in sql(server, "show snapshots"))


def nightly(server: StandIn) -> list[str]:
    """The schedule's own: acc1's account snapshots named by the template."""
    return sorted(str(r[0]) for r in sql(server, "show snapshots")
                  if re.fullmatch(r"acc1_\d{8}", str(r[0])) and r[3] == "acc1")


def fire(server: StandIn, tmp_path: Path, at: datetime, *extra: str) -> int:
    server.clock.set(at)
    return main(["run", str(tmp_path / "plan.mobak"), "--schedule", "nightly", "--dsn",
                 f"mysql://root@127.0.0.1:{server.port}", "--journal", str(tmp_path / "j"),
                 "--now", f"{at:%Y-%m-%d %H:%M:%S}", *extra])


def test_forty_nights_keep_thirty_and_touch_nothing_else(standin: StandIn,
                                                         tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    for day in range(40):
        assert fire(standin, tmp_path, START + timedelta(days=day)) == 0
    taken = nightly(standin)
    last = START + timedelta(days=39)
    assert taken == [f"acc1_{(last - timedelta(days=n)):%Y%m%d}" for n in range(29, -1, -1)]
    assert "acc1_20261001_manual" in snapshots(standin)  # a similar name made by hand
    assert "acc1_20250101" in snapshots(standin)  # the template's form, another account's
    # The same firing again (a retry): nothing taken twice, nothing more dropped.
    assert fire(standin, tmp_path, last + timedelta(minutes=30)) == 0
    assert nightly(standin) == taken


def test_a_firing_retried_after_a_crash_takes_no_second_snapshot(
        standin: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    standin.faults.drop_after_commit()  # the create commits; its reply never comes
    assert fire(standin, tmp_path, START) == 1
    assert "outcome unknown" in capsys.readouterr().err
    assert fire(standin, tmp_path, START + timedelta(minutes=5)) == 0
    assert "exists already (a retried firing): acc1_20261001" in capsys.readouterr().out
    assert snapshots(standin).count("acc1_20261001") == 1


def test_dry_run_lists_and_changes_nothing(standin: StandIn, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    before = snapshots(standin)
    assert fire(standin, tmp_path, START, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "create: CREATE SNAPSHOT `acc1_20261001` FOR ACCOUNT `acc1`;" in out
    assert snapshots(standin) == before


# -- export -----------------------------------------------------------------------------------

SCHEDULES = """\
as account acc1
schedule nightly every day at 01:00 in "Asia/Shanghai"
schedule hourly every hour at :15 in "UTC"
schedule weekly every week on sunday at 03:30 in "Europe/Berlin"
schedule monthly every month on 1 at 02:00 in "America/New_York"
schedule custom cron "0 */6 1,15 * 1" in "Europe/Berlin"
"""
FROM = datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("UTC"))


def export(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    (tmp_path / "plan.mobak").write_text(SCHEDULES, encoding="utf-8")
    assert main(["schedule", "export", str(tmp_path / "plan.mobak"), "--format", fmt]) == 0
    return capsys.readouterr().out


def expected() -> dict[str, list[datetime]]:
    import modsl
    from modsl.language import ast

    plan, _ = modsl.parse(SCHEDULES)
    return {st.name.key: cadence.of(st).next(FROM, 3) for st in plan.statements
            if isinstance(st, ast.Schedule)}


def test_crontab_lines_parse_and_fire_with_the_schedule(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = export(tmp_path, "crontab", capsys)
    assert "MODSL_DSN" in text and "mysql://" not in text
    found = {}
    zone = None
    for line in text.splitlines():
        if line.startswith("CRON_TZ="):
            zone = line.removeprefix("CRON_TZ=")
        elif line and not line.startswith("#"):
            fields = line.split()
            assert fields[5].endswith("modsl") and fields[6] == "run" and zone is not None
            name = fields[fields.index("--schedule") + 1]
            found[name] = cadence.parse_cron(" ".join(fields[:5]), zone).next(FROM, 3)
    assert found == expected()


def test_kubernetes_cronjobs_fire_with_the_schedule(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = export(tmp_path, "kubernetes", capsys)
    found = {}
    for doc in text.split("---\n"):
        name = re.search(r'"--schedule", "([^"]+)"', doc)
        cron = re.search(r'schedule: "([^"]+)"', doc)
        zone = re.search(r'timeZone: "([^"]+)"', doc)
        assert name and cron and zone and "concurrencyPolicy: Forbid" in doc
        assert "- name: MODSL_DSN" in doc and "secretKeyRef" in doc
        found[name.group(1)] = cadence.parse_cron(cron.group(1), zone.group(1)).next(FROM, 3)
    assert found == expected()


def on_calendar_next(spec: str, after: datetime, count: int) -> list[datetime]:
    """A small, separate reading of systemd's `OnCalendar=` (the forms export writes):
    `[DOW,...] *-MM-DD HH:MM:SS ZONE`, each field `*` or a comma list; minute by minute."""
    parts = spec.split()
    zone = ZoneInfo(parts[-1])
    dows = None if len(parts) == 3 else {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
                                          "Sun"].index(d) for d in parts[0].split(",")}
    _, month, day = parts[-3].split("-")
    hour, minute, _ = parts[-2].split(":")

    def allowed(field: str) -> set[int] | None:
        return None if field == "*" else {int(v) for v in field.split(",")}

    sets = [allowed(month), allowed(day), allowed(hour), allowed(minute)]
    found = []
    moment = after.astimezone(zone).replace(second=0, microsecond=0)
    while len(found) < count:
        moment = (moment.astimezone(ZoneInfo("UTC")) + timedelta(minutes=1)).astimezone(zone)
        values = [moment.month, moment.day, moment.hour, moment.minute]
        if all(s is None or v in s for s, v in zip(sets, values, strict=True)) and (
                dows is None or moment.weekday() in dows):
            found.append(moment)
    return found


def test_systemd_timers_fire_with_the_schedule(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = export(tmp_path, "systemd", capsys)
    found: dict[str, list[datetime]] = {}
    for unit in text.split("# file: ")[1:]:
        if not unit.startswith("modsl-") or ".timer" not in unit.splitlines()[0]:
            assert "EnvironmentFile=" in unit and "StateDirectory=modsl" in unit
            continue
        name = unit.splitlines()[0].removeprefix("modsl-").removesuffix(".timer")
        firings = sorted({f for spec in re.findall(r"OnCalendar=(.+)", unit)
                          for f in on_calendar_next(spec, FROM, 3)})
        found[name] = firings[:3]
    assert found == expected()


def test_compile_shows_the_sql_of_one_firing(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    plan = str(tmp_path / "plan.mobak")
    assert main(["compile", plan, "--schedule", "nightly", "--at", "2026-11-21 00:59:00"]) == 0
    out = capsys.readouterr().out
    assert "firing 2026-11-20 01:00 UTC" in out
    assert "CREATE SNAPSHOT `acc1_20261120` FOR ACCOUNT `acc1`;" in out
    assert main(["compile", plan]) == 0 and "CREATE SNAPSHOT" not in capsys.readouterr().out
    assert main(["compile", plan, "--schedule", "weekly"]) == 2
    assert "no schedule `weekly`" in capsys.readouterr().err

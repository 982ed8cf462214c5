"""Schedule exports keep the DSN off every command line (`ps` shows those to every user of a
host): the units set it in the environment or name a file, and `modsl run` reads it there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import modsl_command

from modsl.cli import main

PLAN = """\
as account acc1
schedule nightly every day at 01:00 in "UTC"
schedule weekly every week on sunday at 03:30 in "Europe/Berlin"
snapshot acc1_{date} for account acc1 on nightly keep 30d
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.mobak"
    path.write_text(PLAN, encoding="utf-8")
    return path


def commands(text: str, fmt: str) -> list[str]:
    """Every command line a unit would start."""
    if fmt == "crontab":
        return [" ".join(line.split()[5:]) for line in text.splitlines()
                if line and not line.startswith(("#", "CRON_TZ="))]
    if fmt == "systemd":
        return re.findall(r"^ExecStart=(.+)$", text, re.M)
    return [" ".join(re.findall(r"^\s+(?:command|args): (.+)$", doc, re.M))
            for doc in text.split("---\n")]


@pytest.mark.parametrize("fmt", ["crontab", "systemd", "kubernetes"])
def test_no_dsn_on_any_command_line(plan: Path, fmt: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "export", str(plan), "--format", fmt]) == 0
    found = commands(capsys.readouterr().out, fmt)
    assert len(found) == 2
    for command in found:
        assert "run" in command and "--schedule" in command
        assert "--dsn" not in command and "MODSL_DSN" not in command and "mysql://" not in command


@pytest.mark.parametrize("fmt", ["crontab", "systemd", "kubernetes"])
def test_a_dsn_file_is_named_not_read(plan: Path, fmt: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schedule", "export", str(plan), "--format", fmt,
                 "--dsn-file", "/etc/modsl/dsn"])
    out, err = capsys.readouterr()
    if fmt == "kubernetes":  # the pod has no such file: the DSN is the secret's, in env
        assert code == 2 and out == ""
        assert "--dsn-file" in err and "secret `modsl`" in err
        assert "environment variable" in err
        return
    assert code == 0
    assert all("--dsn-file /etc/modsl/dsn" in c.replace('", "', " ")
               for c in commands(out, fmt))
    assert "EnvironmentFile" not in out


def test_systemd_keeps_its_journal_in_its_state_directory(
        plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "export", str(plan), "--format", "systemd",
                 "--modsl", "/opt/modsl/bin/modsl"]) == 0
    text = capsys.readouterr().out
    assert "StateDirectory=modsl" in text and "WorkingDirectory=/var/lib/modsl" in text
    (start,) = {c for c in commands(text, "systemd") if "nightly" in c}
    assert start.startswith("/opt/modsl/bin/modsl run ")
    assert "--journal /var/lib/modsl/journal" in start


def test_output_directory_gets_one_file_per_unit(plan: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("systemd", "kubernetes", "crontab"):
        out = tmp_path / fmt
        assert main(["schedule", "export", str(plan), "--format", fmt, "-o", str(out)]) == 0
    assert sorted(p.name for p in (tmp_path / "systemd").iterdir()) == [
        "modsl-nightly.service", "modsl-nightly.timer", "modsl-weekly.service",
        "modsl-weekly.timer"]
    assert sorted(p.name for p in (tmp_path / "kubernetes").iterdir()) == [
        "modsl-nightly.yaml", "modsl-weekly.yaml"]
    assert [p.name for p in (tmp_path / "crontab").iterdir()] == ["modsl.crontab"]
    timer = (tmp_path / "systemd" / "modsl-nightly.timer").read_text()
    assert timer.startswith("[Unit]") and "OnCalendar=*-*-* 01:00:00 UTC" in timer
    assert "wrote " in capsys.readouterr().out


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([*modsl_command(), *args], capture_output=True, text=True,
                          env={**os.environ, "MODSL_DSN": "", **(env or {})}, timeout=60,
                          check=False)


def test_run_reads_the_dsn_from_the_environment_and_from_a_file(plan: Path,
                                                                tmp_path: Path) -> None:
    from modsl.standin import StandIn

    with StandIn() as server:
        dsn = server.dsn()
        for how, env in ((["--dry-run"], {"MODSL_DSN": dsn}),
                         (["--dry-run", "--dsn-env", "NIGHTLY_DB"], {"NIGHTLY_DB": dsn})):
            out = run("run", str(plan), "--schedule", "nightly", "--no-checks", *how, env=env)
            assert out.returncode == 0, out.stderr
            assert "acc1_" in out.stdout
        secret = tmp_path / "dsn"
        secret.write_text(f"# the nightly server\n{dsn}\n")
        out = run("run", str(plan), "--schedule", "nightly", "--no-checks", "--dry-run",
                  "--dsn-file", str(secret))
        assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(("flags", "message"), [
    ([], "needs a server: --dsn, --dsn-file FILE, or the DSN in $MODSL_DSN"),
    (["--dsn-file", "/nonexistent/dsn"], "--dsn-file /nonexistent/dsn: cannot read it"),
    (["--dsn", "mysql://a@b", "--dsn-file", "/x"], "give one"),
    (["--dsn", "mysql://a@b", "--dsn", "mysql://c@d"], "--dsn is given twice"),
    (["--dsn-env", "X", "--dsn-file", "/x"], "give one"),
    (["--dsn-env", "NO_SUCH_VARIABLE_HERE"], "$NO_SUCH_VARIABLE_HERE is not set"),
])
def test_a_missing_or_doubled_dsn_is_a_usage_error(plan: Path, flags: list[str],
                                                   message: str) -> None:
    out = run("run", str(plan), "--schedule", "nightly", *flags)
    assert out.returncode == 2 and message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("command", [["compile"], ["apply", "--dsn", "mysql://u@127.0.0.1:1"]])
def test_a_plan_that_only_schedules_says_so(plan: Path, command: list[str]) -> None:
    """Issue 23: compile and apply of a schedule-only plan silently did nothing."""
    out = run(command[0], str(plan), *command[1:])
    assert out.returncode == 0, out.stderr
    assert "only schedules snapshots, so there is nothing to run now" in out.stderr
    assert f"modsl run {plan} --schedule nightly" in out.stderr

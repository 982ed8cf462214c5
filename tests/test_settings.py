"""Settings: `modsl.toml` found from the plan upwards, per-code severities, the server's zone from
a flag or the environment, and bad configuration as one clear line (issue 23)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from modsl.cli import main

RESTORE = "as account sys\nsnapshot s for account a\nrestore account a from snapshot s\n"
"""A restore nothing could undo: MB501, a warning."""


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", "--color", "never", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A backup repository with its plan two folders down, run from elsewhere."""
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.delenv("MODSL_SERVER_TIMEZONE", raising=False)
    (tmp_path / "plans" / "prod").mkdir(parents=True)
    (tmp_path / "plans" / "prod" / "restore.mobak").write_text(RESTORE)
    return tmp_path


def plan_in(repo: Path) -> str:
    return str(repo / "plans" / "prod" / "restore.mobak")


def test_a_warning_becomes_an_error_by_the_file_and_fails_the_run(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, plan_in(repo))[0] == 0
    (repo / "modsl.toml").write_text('error = ["MB501"]\n')
    code, out, _ = lint(capsys, plan_in(repo))
    assert code == 1 and "error[MB501]" in out and "1 error(s), 0 warning(s)" in out
    code, out, _ = lint(capsys, "--format", "json", plan_in(repo))
    assert code == 1 and '"severity": "error"' in out


def test_flags_beat_the_file_and_the_more_precise_code_wins(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".modsl.toml").write_text('error = ["MB5"]\n')
    assert lint(capsys, plan_in(repo))[0] == 1
    assert lint(capsys, "--warning", "MB501", plan_in(repo))[0] == 0
    (repo / ".modsl.toml").write_text('error = ["MB5"]\nwarning = ["MB501"]\n')
    assert lint(capsys, plan_in(repo))[0] == 0
    assert lint(capsys, "--error", "mb501", plan_in(repo))[0] == 1


def test_compile_refuses_a_plan_whose_warning_was_made_an_error(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compile", "--error", "MB501", plan_in(repo)]) == 1
    assert "error[MB501]" in capsys.readouterr().err


def test_an_error_never_becomes_a_warning(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = lint(capsys, "--warning", "MB301", plan_in(repo))
    assert code == 2 and "--warning: MB301 is an error and stays one" in err
    (repo / "modsl.toml").write_text('warning = ["MB101"]\n')
    code, _, err = lint(capsys, plan_in(repo))
    assert code == 2 and f"{repo / 'modsl.toml'}: warning: MB101 is an error" in err


def test_the_nearest_file_wins_and_modsl_toml_beats_pyproject_in_one_folder(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "modsl.toml").write_text('error = ["MB501"]\n')
    (repo / "plans" / "pyproject.toml").write_text('[tool.modsl]\nignore = ["MB501"]\n')
    assert lint(capsys, plan_in(repo))[:2] == (0, "")  # the nearer pyproject's ignore
    (repo / "plans" / "modsl.toml").write_text('as = "sys"\n')
    assert lint(capsys, plan_in(repo))[0] == 0  # modsl.toml, nothing more: a plain warning
    (repo / "plans" / "modsl.toml").unlink()
    (repo / "plans" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert lint(capsys, plan_in(repo))[0] == 1  # no [tool.modsl]: searched on upwards


def test_dot_modsl_toml_beats_modsl_toml(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "modsl.toml").write_text('error = ["MB501"]\n')
    (repo / ".modsl.toml").write_text('ignore = ["MB501"]\n')
    assert lint(capsys, plan_in(repo))[:2] == (0, "")


@pytest.mark.parametrize(("text", "says"), [
    ('eror = ["MB501"]\n', "unknown key: eror"),
    ('error = "MB501"\n', 'error must be a list of codes, e.g. ["MB501"]'),
    ('error = ["XY1"]\n', "error: `XY1` is not a modsl code or prefix"),
    ('[modsl]\nerror = ["MB501"]\n', "without a [modsl] table"),
    ('server-timezone = "Mars/Olympus"\n', "server-timezone: unknown time zone `Mars/Olympus`"),
    ("target = 4\n", "target must be a string"),
    ("error = [\n", "cannot read"),
])
def test_bad_configuration_names_the_file_and_key(repo: Path, capsys: pytest.CaptureFixture[str],
                                                  text: str, says: str) -> None:
    (repo / "modsl.toml").write_text(text)
    code, _, err = lint(capsys, plan_in(repo))
    assert code == 2 and err.startswith(f"modsl: {repo / 'modsl.toml'}: ") and says in err
    assert len(err.strip().splitlines()) == 1


def test_server_timezone_flag_beats_the_environment_beats_the_file(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # An hour ago in Shanghai is seven hours ahead for a server that reads UTC (MB210).
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)
    plan = repo / "plans" / "prod" / "restore.mobak"
    plan.write_text("as account sys\nexisting pitr p for account a range 2d\n"
                    f'restore account a from pitr p at "{shanghai:%Y-%m-%d %H:%M:%S}"\n')
    zoned = ["--server-timezone", "Asia/Shanghai"]
    assert "MB210" not in lint(capsys, *zoned, str(plan))[1]
    assert "MB210" in lint(capsys, "--server-timezone", "UTC", str(plan))[1]
    monkeypatch.setenv("MODSL_SERVER_TIMEZONE", "Asia/Shanghai")
    assert "MB210" not in lint(capsys, str(plan))[1]
    (repo / "modsl.toml").write_text('server-timezone = "UTC"\n')
    assert "MB210" not in lint(capsys, str(plan))[1]  # the environment beats the file
    monkeypatch.delenv("MODSL_SERVER_TIMEZONE")
    assert "MB210" in lint(capsys, str(plan))[1]
    assert "MB210" not in lint(capsys, *zoned, str(plan))[1]  # the flag beats the file
    monkeypatch.setenv("MODSL_SERVER_TIMEZONE", "Mars/Olympus")
    code, _, err = lint(capsys, str(plan))
    assert code == 2 and "MODSL_SERVER_TIMEZONE: unknown time zone `Mars/Olympus`" in err
    code, _, err = lint(capsys, "--server-timezone", "Nowhere", str(plan))
    assert code == 2 and "--server-timezone: unknown time zone `Nowhere`" in err


def test_pytest_shows_why_tests_were_skipped() -> None:
    """`-q` alone hides skip reasons; `-rs` (or `-ra`) prints them in the summary."""
    import tomllib

    from conftest import REPO

    addopts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"][
        "ini_options"]["addopts"].split()
    assert "-rs" in addopts or "-ra" in addopts


@pytest.mark.parametrize("command", [["compile"], ["apply", "--dry-run"]])
def test_an_ignored_error_still_stops_compile_and_apply_and_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """Issue 21 (an attack): `ignore = ["MB211"]` made lint pass, then compile and apply
    failed with `internal error: PlanHasErrors`, naming nothing."""
    (tmp_path / "modsl.toml").write_text('ignore = ["MB211"]\n')
    plan = tmp_path / "p.mobak"
    plan.write_text('as account sys\nverify "SELECT SLEEP(30)" = 0\n')
    assert main(["lint", str(plan)]) == 0
    capsys.readouterr()
    assert main([command[0], str(plan), *command[1:]]) == 1
    err = capsys.readouterr().err
    assert "error[MB211]" in err and "internal error" not in err
    assert "shown though the settings ignore MB211" in err

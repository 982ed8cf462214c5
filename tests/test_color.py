"""`--color auto|always|never`, `FORCE_COLOR` and `NO_COLOR`: the flag beats both variables,
`NO_COLOR` beats `FORCE_COLOR`, and `auto` alone colours only a terminal (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest

from modsl.cli import main

ESC = "\x1b["


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    path = tmp_path / "p.mobak"
    path.write_text("as account sys\nsnapshot Big for cluster\n")  # MB208, a warning
    return str(path)


@pytest.mark.parametrize(("flag", "env", "coloured"), [
    ([], {}, False),                                   # captured output is no terminal
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": ""}, False),                  # empty: as if unset
    ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    (["--color", "auto"], {"FORCE_COLOR": "true"}, True),
    (["--color", "always"], {}, True),
    (["--color", "always"], {"NO_COLOR": "1"}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
])
def test_colour_precedence(plan: str, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch, flag: list[str],
                           env: dict[str, str], coloured: bool) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["lint", *flag, plan]) == 0
    out = capsys.readouterr().out
    assert "MB208" in out and (ESC in out) is coloured


@pytest.mark.parametrize("command", ["compile", "explain", "fmt"])
def test_other_commands_take_the_flag(plan: str, capsys: pytest.CaptureFixture[str],
                                      command: str) -> None:
    Path(plan).write_text("as account sys\nsnapshot s for\n")  # a syntax error, on stderr
    assert main([command, "--color", "always", plan]) == 1
    assert ESC + "31m" in capsys.readouterr().err
    assert main([command, "--color", "never", plan]) == 1
    assert ESC not in capsys.readouterr().err

"""`modsl completion bash|zsh|fish`: scripts generated from the argparse parser, loaded by the
real shells and asked what they would complete (issue 23). CI installs zsh and fish (.ci/run)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import modsl_command

from modsl.cli import build_parser
from modsl.cli.completion import commands

MODSL = " ".join(modsl_command())


def shell(*argv: str) -> str:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


BASH_TRY = """
source <({modsl} completion bash) || exit 1
complete -p modsl
try() {{ COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMPREPLY=(); _modsl
        echo "${{COMPREPLY[*]}}"; }}
"""
# What typing this and pressing Tab offers (bash filters by prefix itself).
ASKED = [
    (["modsl", "li"], "lint"),
    (["modsl", "lint", "--for"], "--format"),
    (["modsl", "lint", "--format", "s"], "sarif"),
    (["modsl", "lint", "--as", "sys", "--col"], "--color"),
    (["modsl", "lint", "--color", ""], "auto always never"),
    (["modsl", "schedule", ""], "list export"),
    (["modsl", "schedule", "export", "--format", "k"], "kubernetes"),
    (["modsl", "completion", ""], "bash zsh fish"),
    (["modsl", "rules", "--format", "m"], "markdown"),
    (["modsl", "compile", "--server-t"], "--server-timezone"),
]


def test_bash_loads_and_completes() -> None:
    lines = [BASH_TRY.format(modsl=MODSL)]
    lines += ["try " + " ".join(f"'{w}'" for w in words) for words, _ in ASKED]
    out = shell("bash", "-c", "\n".join(lines)).splitlines()
    assert out[0] == "complete -o filenames -F _modsl modsl"
    assert out[1:] == [want for _, want in ASKED]


@pytest.mark.needs("zsh")
def test_zsh_loads_and_completes() -> None:
    program = f"""
autoload -U compinit && compinit -u
source <({MODSL} completion zsh) || exit 1
print -r -- $_comps[modsl]
compadd() {{ shift; print -r -- "$*"; }}
_files() {{ print -r -- "(files)"; }}
try() {{ words=("$@"); CURRENT=${{#words}}; _modsl; }}
try modsl schedule ''
try modsl lint --format ''
try modsl lint ''
"""
    out = shell("zsh", "-f", "-c", program).splitlines()
    assert out == ["_modsl", "list export", "text json sarif github", "(files)"]


@pytest.mark.needs("fish")
def test_fish_loads_and_completes() -> None:
    program = (f"{MODSL} completion fish | source; complete -C 'modsl li'; "
               "complete -C 'modsl schedule '; complete -C 'modsl lint --format s'")
    out = shell("fish", "-c", program).splitlines()
    assert out[0] == "lint\tcheck plans; exit 1 on errors"
    assert [line.split("\t")[0] for line in out[1:]] == ["export", "list", "sarif"]


def test_every_command_and_flag_is_in_every_script() -> None:
    tree = commands(build_parser())
    scripts = {s: shell(*modsl_command(), "completion", s) for s in ("bash", "zsh", "fish")}
    assert {c.path[0] for c in tree if c.path} >= {"lint", "apply", "schedule", "completion"}
    for c in tree:
        for flag in c.flags:
            for text in scripts.values():
                assert flag.names[-1].lstrip("-") in text


@pytest.mark.parametrize("shell_name", ["csh", ""])
def test_an_unknown_shell_is_a_usage_error(shell_name: str) -> None:
    done = subprocess.run([*modsl_command(), "completion", shell_name], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_other_commands_never_import_the_generator() -> None:
    code = ("import sys; from modsl.cli import main; main(['rules']); "
            "assert 'modsl.cli.completion' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)


def test_a_machine_without_the_shells_deselects_their_tests_and_says_so() -> None:
    """`pip install '.[test]' && pytest` on a fresh machine: nothing skipped, nothing failing
    for a shell that is not there; the header names what did not run (CI installs both)."""
    import os

    from conftest import REPO

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["MODSL_TEST_WITHOUT"] = "zsh,fish"
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                           "tests/test_completion.py", "-k", "not without"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "not installed here: zsh, fish" in done.stdout
    # zsh, fish, and this test itself (-k)
    assert "3 deselected" in done.stdout and "SKIPPED" not in done.stdout

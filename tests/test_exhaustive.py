"""Adding a statement class that a stage does not handle is a type error, not a silent gap:
a copy of modsl with one more class in the `Statement` union fails mypy in every stage that
branches on statements."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

STAGES = ("modsl/language/fmt.py", "modsl/explainer.py", "modsl/checker/state.py",
          "modsl/checker/names.py", "modsl/engines/matrixone/__init__.py",
          "modsl/engines/matrixone/live.py", "modsl/runtime/status.py")


def test_a_new_statement_fails_mypy_until_every_stage_handles_it(tmp_path: Path) -> None:
    shutil.copytree(REPO / "modsl", tmp_path / "modsl")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    ast_py = tmp_path / "modsl" / "language" / "ast.py"
    text = ast_py.read_text(encoding="utf-8")
    assert "Statement = (\n    CreateSnapshot\n" in text
    text = text.replace("Statement = (\n    CreateSnapshot\n",
                        "Statement = (\n    Checkpoint\n    | CreateSnapshot\n")
    text = text.replace("\nStatement = (", '''
class Checkpoint(Node):
    """A statement no stage knows yet."""

    __slots__ = __match_args__ = ("scope", "span")
    scope: Scope
    span: Span

    def __init__(self, scope: Scope, span: Span = NO_SPAN) -> None:
        _set(self, "scope", scope)
        _set(self, "span", span)


Statement = (''', 1)
    ast_py.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stdout
    failing = {line.split(":")[0] for line in out.stdout.splitlines() if ": error:" in line}
    assert set(STAGES) <= failing, out.stdout


def test_the_assembler_refuses_what_is_not_a_statement() -> None:
    """A grammar rule with no AST class (the parser hands back an `Unbuilt`) is an error, not
    a line silently kept or dropped."""
    from modsl.language import parser
    from modsl.language.lalr import Unbuilt

    assembler = parser._Assembler("p.mobak", b"")
    with pytest.raises(TypeError, match=r"not in ast\.Statement"):
        assembler._add(Unbuilt("verify_rows", []), None)

"""Only the command line talks to the terminal (issue 24): nothing outside modsl/cli/ calls
print() or input(), writes to sys.stdout or sys.stderr, or hands print on as a callback; the
runtime reports through callbacks and return values, and the cli prints them."""

from __future__ import annotations

import ast

from conftest import REPO

CLI = REPO / "modsl" / "cli"


def talks(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for each way the code reaches the terminal."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("print", "input"):
            found.append((node.lineno, node.id))  # a call, or print handed on as a callback
        elif isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr") \
                and isinstance(node.value, ast.Name) and node.value.id == "sys":
            found.append((node.lineno, f"sys.{node.attr}"))
    return found


def test_only_the_command_line_talks_to_the_terminal() -> None:
    offenders = []
    for path in sorted((REPO / "modsl").rglob("*.py")):
        if CLI in path.parents:
            continue
        for line, what in talks(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(REPO)}:{line}: {what}")
    assert offenders == []


def test_the_scan_sees_each_way_of_talking() -> None:
    code = ("import sys\nprint('x')\nanswer = input()\nsys.stderr.write('x')\n"
            "def f(say=print): pass\nprint2 = 1\n")
    assert [what for _, what in sorted(talks(ast.parse(code)))] == [
        "print", "input", "sys.stderr", "print"]

"""A module's private names stay its own (issue 24): no module of modsl imports another's
`_name` (StarRocks' drill once borrowed the MatrixOne drill's `_connect`, `_parts` and `_run`,
and the two imported each other). What two modules share is public, in the module it belongs to."""

from __future__ import annotations

import ast

from conftest import REPO


def borrowed(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, `module._name`) for each private name imported from a modsl module."""
    return [(node.lineno, f"{node.module}.{alias.name}")
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.split(".")[0] == "modsl"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")]


def test_no_module_imports_another_modules_private_names() -> None:
    found = [f"{path.relative_to(REPO)}:{line}: {name}"
             for path in sorted((REPO / "modsl").rglob("*.py"))
             for line, name in borrowed(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_scan_sees_a_borrowed_name() -> None:
    code = ("from modsl.runtime.drill import SeedError, _connect\n"
            "from modsl import __version__\nfrom os import _exit\n")
    assert borrowed(ast.parse(code)) == [(1, "modsl.runtime.drill._connect")]

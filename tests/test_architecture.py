"""The layout is the architecture (docs/design.md, "Layout"): the import-linter contracts in
pyproject.toml hold, the import graph has no cycle, and only the command line uses the API.

Imports inside functions count (grimp reads every `import` statement); those under
`if TYPE_CHECKING:` do not: they never run, and an engine protocol must name the types of the
stages that call it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from functools import cache

import grimp
import pytest
from conftest import REPO


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("modsl", exclude_type_checking_imports=True, cache_dir=None)


def cycles(g: grimp.ImportGraph) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(g.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(g.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(g.find_modules_directly_imported_by(nxt)))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        yield sorted(component)


def test_no_import_cycle() -> None:
    assert list(cycles(graph())) == []


def test_the_cycle_finder_finds_one() -> None:
    g = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        g.add_import(importer=a, imported=b)
    assert list(cycles(g)) == [["p.a", "p.b", "p.c"]]


def test_only_the_command_line_and_the_entry_point_use_the_api() -> None:
    """`modsl/__init__.py` is the embedding API: it calls down into the stages, so nothing
    below the command line may call back up into it."""
    users = {m for m in graph().find_modules_that_directly_import("modsl")}
    assert {m for m in users if not m.startswith("modsl.cli")} <= {"modsl.__main__"}


def test_the_contracts_hold() -> None:
    """pyproject.toml's `[tool.importlinter]` contracts, run as CI runs them."""
    run = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = subprocess.run([sys.executable, "-c", run, "--no-cache"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]


@pytest.mark.parametrize("contract", ["layers", "forbidden", "independence"])
def test_each_kind_of_contract_is_in_use(contract: str) -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'type = "{contract}"' in text

"""`modsl lint` stays light: it imports neither sqlglot nor PyMySQL, and once the parse table
is cached, not even Lark (Lark only compiles the grammar into the table)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PROBE = """
import sys
from modsl.cli import main
code = main(["lint", "--format", "json", *{paths!r}])
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"sqlglot", "pymysql", "lark"}})
print(heavy)
"""


# A query verify is judged with sqlglot (MB211): only plans without one stay this light.
PLAIN = [str(p) for p in sorted((REPO / "examples").glob("*.mobak"))
         if 'verify "' not in p.read_text(encoding="utf-8")]


def lint_imports(env: dict[str, str]) -> list[str]:
    assert len(PLAIN) >= 3
    probe = PROBE.format(paths=PLAIN)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env=env)
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_lint_imports_no_heavy_library(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    assert lint_imports(env) == ["lark"]  # a cold cache: Lark builds the table once
    assert lint_imports(env) == []  # from then on, the table is read from the cache


ENGINE_PROBE = """
import sys
from modsl.cli import main
code = main(["lint", {path!r}])
print(sorted({{m.split(".")[2] for m in sys.modules if m.startswith("modsl.engines.")}}))
"""


def test_a_plan_naming_its_target_loads_that_engine_folder_alone(tmp_path: Path) -> None:
    """Not another engine's rules, statements or quoting: `--target`'s help, which lists
    every engine's versions, is spelled out only when it is shown."""
    for engine, text in (("matrixone", "target matrixone 4.2\nas account sys\n"
                                       "snapshot s for account a\n"),
                         ("starrocks", "target starrocks 3.4\n"
                                       "existing repository r\n"
                                       "backup database d to r as s\n")):
        plan = tmp_path / f"{engine}.mobak"
        plan.write_text(text, encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", ENGINE_PROBE.format(path=str(plan))],
                             capture_output=True, text=True, check=True)
        assert ast.literal_eval(out.stdout.strip().splitlines()[-1]) == [engine], out.stdout


COMPILE_PROBE = """
import sys
from modsl.cli import main
code = main(["compile", {path!r}, "-o", {out!r}])
folders = {{m.split(".")[2] for m in sys.modules if m.startswith("modsl.engines.")}}
stdlib = {{"dataclasses", "inspect", "json"}} & set(sys.modules)
print(code, sorted(folders), sorted(stdlib))
"""


def test_a_compile_loads_its_engine_folder_and_no_dataclasses(tmp_path: Path) -> None:
    """`modsl compile` of a plan without verifies imports its target's folder alone (a
    restore's "destroys" words come from the plan's engine, not from every engine's) and
    neither `dataclasses` with its `inspect` nor `json`: ~100M instructions of each cold
    start (docs/performance.md)."""
    for engine, text in (("matrixone", "target matrixone 4.2\nas account sys\n"
                                       "snapshot s for account a\n"
                                       "restore account a from snapshot s\n"),
                         ("starrocks", "target starrocks 3.4\n"
                                       "existing repository r\n"
                                       "backup database d to r as s\n"
                                       "restore database d from r snapshot s\n")):
        plan = tmp_path / f"{engine}.mobak"
        plan.write_text(text, encoding="utf-8")
        probe = COMPILE_PROBE.format(path=str(plan), out=str(tmp_path / f"{engine}.sql"))
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True)
        code, folders, stdlib = out.stdout.strip().splitlines()[-1].split(" ", 2)
        assert (folders, stdlib) == (f"['{engine}']", "[]"), out.stdout + out.stderr
        assert code in ("0", "1"), out.stdout + out.stderr  # warnings are not errors
        sql = (tmp_path / f"{engine}.sql").read_text(encoding="utf-8")
        assert [line for line in sql.splitlines() if line.endswith(";")] != [], sql

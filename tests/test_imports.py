"""`modsl lint` stays light: it must not import sqlglot or PyMySQL."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

PROBE = """
import sys
from modsl.cli import main
code = main(["lint", "--format", "json", {path!r}])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlglot", "pymysql"))
print(heavy)
"""


def test_lint_does_not_import_sqlglot_or_pymysql() -> None:
    probe = PROBE.format(path=str(REPO / "examples"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"

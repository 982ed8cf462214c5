"""modsl: a compiler for MatrixOne backup plans (`.mobak`).

The public API is a set of named stages over one AST:
`parse` → `check` → `format` / `explain` / `compile`, and `import_sql` back from SQL.
Heavy libraries (sqlglot, PyMySQL) load only in the stages that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from modsl.ast import Plan
    from modsl.diagnostics import Diagnostic
    from modsl.rules import Report
    from modsl.targets import TargetVersion


def parse(source: str | bytes, file: str = "<plan>") -> tuple[Plan, list[Diagnostic]]:
    """Text → AST and the syntax and name diagnostics (MB100-MB105, MB201, MB202)."""
    from modsl.parser import parse as _parse

    return _parse(source, file)


def check(plan: Plan, *, account: str | None = None,
          target: TargetVersion | None = None) -> Report:
    """Every rule over a parsed plan; `account`/`target` override its header."""
    from modsl.rules import check as _check

    return _check(plan, account=account, target=target)


def lint(source: str | bytes, file: str = "<plan>", *, account: str | None = None,
         target: TargetVersion | None = None) -> list[Diagnostic]:
    """Parse and check: every diagnostic for one plan, in file order."""
    from modsl.parser import parse as _parse
    from modsl.rules import lint_plan

    plan, parsed = _parse(source, file)
    return lint_plan(plan, parsed, account=account, target=target).diagnostics


def format(plan: Plan) -> str:
    """The canonical text of a plan that parsed without errors."""
    from modsl.fmt import format_plan

    return format_plan(plan)


def compile(plan: Plan, *, account: str | None = None,
            target: TargetVersion | None = None) -> Any:
    """A checked plan → `Compiled` SQL for the target (raises `PlanHasErrors`)."""
    from modsl.compiler import compile_plan

    return compile_plan(plan, account=account, target=target)


def explain(plan: Plan, *, account: str | None = None) -> Any:
    """A plain-language account of each step: what it does, touches and destroys."""
    from modsl.explainer import explain_plan

    return explain_plan(plan, account=account)


def import_sql(sql: str, *, target: TargetVersion | None = None, account: str = "sys",
               file: str = "<sql>") -> Any:
    """MatrixOne SQL → `.mobak` text and diagnostics."""
    from modsl.sql.importer import import_text

    return import_text(sql, target=target, account=account, file=file)


__all__ = ["__version__", "check", "compile", "explain", "format", "import_sql", "lint", "parse"]

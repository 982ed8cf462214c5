"""modsl: a compiler for database backup plans (`.mobak`).

The public API is a set of named stages over one AST:
`parse` → `check` → `format` / `explain` / `compile`, and `import_sql` back from SQL.
Heavy libraries (sqlglot, PyMySQL) load only in the stages that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsl._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from modsl.checker import CheckedPlan
    from modsl.compiler.sqlfile import Compiled
    from modsl.diagnostics import Diagnostic
    from modsl.explainer import Explanation
    from modsl.language.ast import Plan
    from modsl.runtime.session import Applied
    from modsl.targets import TargetVersion


def parse(text: str | bytes, file: str = "<plan>") -> tuple[Plan, list[Diagnostic]]:
    """Text → AST and the syntax diagnostics (MB100-MB102, MB105). Names and the `target`
    line (MB103) are judged by `check`."""
    from modsl.language.parser import parse as _parse

    return _parse(text, file)


def _target(target: str | TargetVersion | None) -> TargetVersion | None:
    from modsl import targets

    return targets.parse_flag(target) if isinstance(target, str) else target


def check(plan: Plan, *, account: str | None = None, target: str | TargetVersion | None = None,
          now: datetime | None = None, zone: str | None = None) -> CheckedPlan:
    """The checked plan: every diagnostic (the parser's included) and the facts compile and
    explain need. `account`/`target` (`"ENGINE-VERSION"` or a TargetVersion) override its
    header; `now` pins the clock used to judge timestamps (wall time in the server's zone
    `zone`)."""
    from modsl.checker import check as _check

    return _check(plan, account=account, target=_target(target), now=now, zone=zone)


def lint(text: str | bytes, file: str = "<plan>", *, account: str | None = None,
         target: str | TargetVersion | None = None, now: datetime | None = None,
         zone: str | None = None) -> list[Diagnostic]:
    """Parse and check: every diagnostic for one plan, in file order."""
    plan, _ = parse(text, file)
    return check(plan, account=account, target=target, now=now, zone=zone).diagnostics


def format(plan: Plan) -> str:
    """The canonical text of a plan (statements built in code follow its header)."""
    from modsl.language.fmt import format_plan

    return format_plan(plan)


def compile(plan: Plan | CheckedPlan, *, account: str | None = None,
            target: str | TargetVersion | None = None, now: datetime | None = None,
            zone: str | None = None) -> Compiled:
    """A plan (checked here with the other arguments) or a checked plan → `Compiled` SQL for
    its target. Raises `PlanHasErrors` when there is any error, a syntax error included."""
    from modsl.checker import CheckedPlan
    from modsl.compiler import compile_plan

    if not isinstance(plan, CheckedPlan):
        plan = check(plan, account=account, target=target, now=now, zone=zone)
    return compile_plan(plan)


def explain(plan: Plan | CheckedPlan, *, account: str | None = None) -> Explanation:
    """A plain-language account of each step: what it does, touches and destroys."""
    from modsl.checker import CheckedPlan
    from modsl.explainer import explain_plan

    if not isinstance(plan, CheckedPlan):
        plan = check(plan, account=account)
    return explain_plan(plan)


def apply(plan: Plan | CheckedPlan | Compiled, *, dsn: str,
          confirm: Callable[[Compiled], bool], journal: str = ".modsl/journal",
          plan_path: str = "<plan>", resume: bool = False, mark_done: tuple[int, ...] = (),
          retry: tuple[int, ...] = (), statement_timeout: float | None = None,
          connect_timeout: float = 10.0, live_checks: bool = True) -> Applied:
    """Run a plan on the server `dsn` names, as `modsl apply` does: checked and compiled
    (refused with PlanHasErrors on any error), shown to `confirm` (nothing runs unless it
    returns True), then run under the plan's lock with a journal in `journal`. The live
    checks run first, on the same connection: `modsl.runtime.live.Failed` (with its `checks`) when
    one fails, before `confirm` is asked and before anything runs.

    Returns what ran, what was skipped, and the failure or interruption; raises
    `modsl.runtime.session.Refused` (and `modsl.runtime.connect.ConnectError`,
    `modsl.runtime.executor.Locked`,
    `modsl.runtime.executor.JournalError`) when the run cannot start."""
    from modsl import targets
    from modsl.checker import CheckedPlan
    from modsl.compiler.sqlfile import Compiled as CompiledSql
    from modsl.runtime.connect import parse_dsn, with_password
    from modsl.runtime.executor import Outcome
    from modsl.runtime.session import Applied, Reviewed, RunOptions, run_reviewed

    compiled = plan if isinstance(plan, CompiledSql) else compile(plan)
    if not isinstance(plan, (CompiledSql, CheckedPlan)):
        plan_path = plan.file if plan_path == "<plan>" else plan_path
    source = plan.plan if isinstance(plan, CheckedPlan) else (
        None if isinstance(plan, CompiledSql) else plan)
    reviewed = Reviewed(compiled, targets.parse_flag(compiled.target), source)
    server = with_password(parse_dsn(dsn), None).on_port(
        targets.engine(reviewed.target.engine).default_port)
    options = RunOptions(plan_path, journal, resume, mark_done, retry, statement_timeout,
                         connect_timeout, live_checks=live_checks)
    ran = run_reviewed(options, reviewed, server, lambda count: confirm(compiled))
    if ran is None:
        return Applied(Outcome([], [], interrupted=True, remaining=reviewed.steps), None,
                       confirmed=False)
    outcome, written = ran
    return Applied(outcome, written.path, confirmed=True)


def import_sql(sql: str, *, target: str | TargetVersion | None = None, account: str = "sys",
               file: str = "<sql>", now: datetime | None = None, zone: str | None = None) -> Any:
    """The target's SQL → `.mobak` text, the import's diagnostics, and the plan's lint."""
    from modsl.sqlimport import import_text

    return import_text(sql, target=_target(target), account=account, file=file, now=now,
                       zone=zone)


__all__ = ["__version__", "apply", "check", "compile", "explain", "format", "import_sql", "lint",
           "parse"]

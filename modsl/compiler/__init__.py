"""A checked plan → the SQL for its target, each statement carrying its plan line and, for a
restore, what it destroys.

The compiler refuses a plan with errors: what it emits has passed every rule. It dispatches
on the target's engine; the facts it needs (which object a restore reads) come from the
check, never from a second walk of the plan.
"""

from __future__ import annotations

import hashlib

from modsl import targets
from modsl.checker import CheckedPlan, RestoreFacts
from modsl.compiler.sqlfile import Compiled, CompiledStatement, expectation
from modsl.diagnostics import Diagnostic
from modsl.explainer import destroys
from modsl.language import ast


class PlanHasErrors(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"the plan has {sum(d.is_error for d in diagnostics)} error(s)")
        self.diagnostics = diagnostics


def compile_plan(checked: CheckedPlan) -> Compiled:
    """Emit a checked plan. Raises PlanHasErrors on any error, a syntax error included: a
    plan missing a bad line never compiles."""
    errors = [d for d in checked.diagnostics if d.is_error]
    if errors:
        raise PlanHasErrors(errors)
    engine = targets.engine(checked.target.engine)
    out = []
    for index, st in enumerate(checked.plan.statements):
        facts = checked.facts.get(index)
        sql = engine.emit(st, checked.target, checked.account, facts)
        kind = engine.kind(st)
        if sql is not None and kind is not None:
            wiped = (destroys(st, checked.account, engine.name)
                     if isinstance(st, (ast.Restore, ast.RestoreBackup)) else None)
            expect = expectation(st) if isinstance(st, ast.Verify) else None
            account = (st.account.key if isinstance(st, ast.Verify) and st.account is not None
                       else None)
            out.append(CompiledStatement(sql, kind, st.span.file, st.span.line, wiped, expect,
                                         _rollback(checked, index), account))
    return Compiled(checked.target.name, checked.account,
                    hashlib.sha256(checked.plan.raw).hexdigest(), tuple(out))


def _rollback(checked: CheckedPlan, index: int) -> str | None:
    """The SQL that puts back what restore `index` overwrote (`rollback on failure`)."""
    chosen = checked.rollbacks.get(index)
    if chosen is None:
        return None
    facts = RestoreFacts(chosen.source, (), ())
    engine = targets.engine(checked.target.engine)
    return engine.emit(chosen.restore, checked.target, checked.account, facts)

"""`rollback on failure` (MB504): every restore needs an undo the rollback can run.

MB501's analysis names what could undo a restore when it runs; a rollback runs later, when
a step after it fails, so its undo must still exist then and the server must accept the
undo restore. The undo chosen is the narrowest candidate that survives to the plan's end
(a drop later in the plan would leave the rollback nothing to read) and that the level,
permission and reference rules accept as a restore of its own. Without one, the plan is
refused: with `rollback on failure`, a restore that cannot be undone is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.rules.state import Known, ObjectKey, Undo, describe, level, overwritten
from modsl.sqlfile import BEFORE
from modsl.targets.matrixone import ENGINE_NAME as MATRIXONE

if TYPE_CHECKING:
    from modsl.rules import Rule

MOMENT_BEFORE = BEFORE.strip("'")
"""A PITR undo's timestamp, filled in by apply (`sqlfile.BEFORE`, the quoted form)."""


class Rollback(NamedTuple):
    """How to put back what one restore overwrote: a restore of that object from its undo."""

    restore: ast.Restore
    source: Known


@rule("MB504", ast.Restore, engine=MATRIXONE)
def no_undo(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    if not ctx.rollback or ctx.state.undoers(st):
        return
    obj = overwritten(st, ctx.own)
    yield Diagnostic("MB504", f"the plan rolls back on failure, but nothing in it could undo "
                     f"this restore of {describe(obj)}", st.span,
                     help="take a safety snapshot of it just before, or keep a PITR that "
                          "covers it (see MB501)")


def undo_restore(obj: ObjectKey, known: Known, span: ast.Span) -> ast.Restore:
    """`restore OBJ from KNOWN`, in place, at the moment before for a PITR."""
    names: list[ast.Name | None] = [ast.Name(part, span) for part in obj]
    account, database, table = ((names if len(obj) == 1 else [None, *names[1:]]) + [None] * 2)[:3]
    scope = ast.Scope(level(obj), account, database, table, span)
    at = ast.Timestamp(MOMENT_BEFORE, span) if known.kind is ast.SourceKind.PITR else None
    return ast.Restore(scope, ast.Source(known.kind, ast.Name(known.name, span), at, span),
                       span=span)


def plan_rollbacks(undos: dict[int, Undo], ctx: Ctx, rules: list[Rule]
                   ) -> tuple[dict[int, Rollback], list[Diagnostic]]:
    """After the walk: each restore's rollback, or MB504 saying why it has none. `rules` are
    the restore rules that judge the undo restore as the server would (levels, permissions,
    references); `ctx.state` is the plan's end, where every chosen undo is still live.
    `undos` holds the restores that had an undo when they ran (the others are the walk's
    MB504)."""
    chosen: dict[int, Rollback] = {}
    found: list[Diagnostic] = []
    for index, undo in undos.items():
        refusals: list[str] = []
        for known in reversed(list(undo.candidates.values())):  # narrowest first
            candidate = undo_restore(undo.overwrites, known, undo.restore.span)
            errors = [d for r in rules for d in r.fn(candidate, ctx) if d.is_error]
            if not errors:
                chosen[index] = Rollback(candidate, known)
                break
            refusals.append(f"`{known.name}` ({errors[0].code}: {errors[0].message})")
        else:
            found.append(_unusable(undo, refusals))
    return chosen, found


def _unusable(undo: Undo, refusals: list[str]) -> Diagnostic:
    what = describe(undo.overwrites)
    if refusals:
        why = "its undo would be refused: " + "; ".join(refusals)
    else:
        why = "the plan drops every undo it had before it ends"
    return Diagnostic("MB504", f"the plan rolls back on failure, but the restore of {what} "
                      f"could not be rolled back: {why}", undo.restore.span,
                      help="keep a safety snapshot or PITR of it to the end of the plan")

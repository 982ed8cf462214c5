"""`rollback on failure`, after the walk: each restore's rollback (a restore of what it
overwrote from its undo), or MB504 saying why it has none.

Engine-neutral: MB501's analysis (`checker.state`) names what could undo a restore, and the
plan's engine's own restore rules judge the undo restore as its server would. A rollback runs
later, when a step after the restore fails, so its undo must still exist at the plan's end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from modsl.checker.placeholders import BEFORE
from modsl.checker.state import Known, ObjectKey, Undo, describe, level
from modsl.diagnostics import Diagnostic
from modsl.language import ast

if TYPE_CHECKING:
    from modsl.checker.registry import Ctx, Registration

MOMENT_BEFORE = BEFORE.strip("'")
"""A PITR undo's timestamp, filled in by apply (`placeholders.BEFORE`, the quoted form)."""


class Rollback(NamedTuple):
    """How to put back what one restore overwrote: a restore of that object from its undo."""

    restore: ast.Restore
    source: Known


def undo_restore(obj: ObjectKey, known: Known, span: ast.Span) -> ast.Restore:
    """`restore OBJ from KNOWN`, in place, at the moment before for a PITR."""
    names: list[ast.Name | None] = [ast.Name(part, span) for part in obj]
    account, database, table = ((names if len(obj) == 1 else [None, *names[1:]]) + [None] * 2)[:3]
    scope = ast.Scope(level(obj), account, database, table, span)
    at = ast.Timestamp(MOMENT_BEFORE, span) if known.kind is ast.SourceKind.PITR else None
    return ast.Restore(scope, ast.Source(known.kind, ast.Name(known.name, span), at, span),
                       span=span)


def plan_rollbacks(undos: dict[int, Undo], ctx: Ctx, rules: list[Registration]
                   ) -> tuple[dict[int, Rollback], list[Diagnostic]]:
    """Each restore's rollback, or MB504 saying why it has none. `rules` are the restore
    rules that judge the undo restore as the server would (levels, permissions, references);
    `ctx.state` is the plan's end, where every chosen undo is still live. `undos` holds the
    restores that had an undo when they ran (the others are the walk's MB504)."""
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
                      help=("keep a safety snapshot or PITR the server accepts as its source "
                            "(see the refusal) to the end of the plan") if refusals else
                      "keep the safety snapshot or PITR that covers it to the end of the plan: "
                      "drop it in a later plan")

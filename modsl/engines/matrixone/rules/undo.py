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

from modsl.checker import Ctx, rule
from modsl.checker.placeholders import BEFORE
from modsl.checker.state import Known, ObjectKey, Undo, describe, level, overwritten
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone import ENGINE_NAME as MATRIXONE
from modsl.language import ast

if TYPE_CHECKING:
    from modsl.checker import Rule

MOMENT_BEFORE = BEFORE.strip("'")
"""A PITR undo's timestamp, filled in by apply (`placeholders.BEFORE`, the quoted form)."""


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
                     help=safety_help(obj, ctx.state.safe_to_snapshot(obj), ctx.own)
                     + own_source_note(st, ctx))


def own_source_note(st: ast.Restore, ctx: Ctx) -> str:
    """Why the PITR a restore reads from is not offered as its undo, when it covers it (the
    help's "keep a PITR that covers it" would otherwise read as satisfied)."""
    if not ctx.state.own_source_would_undo(st):
        return ""
    return (f"; PITR `{st.source.name.key}`, which this restore reads from, does not count: an "
            "undo must not hang on what the restore itself hangs on (if its moment or window "
            "is what went wrong, the undo would go wrong with it), so keep another")


def safety_line(safe: ObjectKey, own: str) -> str:
    """`snapshot NAME_before_restore for ...` of `safe` (the own account unnamed)."""
    name = f"{(safe or ('cluster',))[-1]}_before_restore"
    if safe == (own,):
        return f"`snapshot {name} for account`"
    scope = ("cluster", "account {0}", "database {1}", "table {1}.{2}")[len(safe)]
    return f"`snapshot {name} for {scope.format(*safe)}`"


def safety_help(obj: ObjectKey, safe: ObjectKey, own: str) -> str:
    """What to keep so a restore of `obj` can be undone: a snapshot of `obj` just before when
    the plan knows it is there; otherwise of `safe`, the narrowest object holding it that is
    (a restore is often run because its object is gone, and the server refuses a snapshot of
    a missing table or database)."""
    line = safety_line(safe, own)
    if safe == obj:
        return (f"take a safety snapshot of it just before ({line}), or keep a PITR that "
                "covers it (see MB501)")
    return (f"the plan does not know that {describe(obj)} is there now (a restore often "
            "brings back what is gone, and a snapshot of a missing object is refused): take a "
            f"safety snapshot of what holds it just before ({line}), or keep a PITR that "
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
                      help=("keep a safety snapshot or PITR the server accepts as its source "
                            "(see the refusal) to the end of the plan") if refusals else
                      "keep the safety snapshot or PITR that covers it to the end of the plan: "
                      "drop it in a later plan")

"""`rollback on failure` (MB504): every restore needs an undo the rollback can run.

MB501's analysis names what could undo a restore when it runs; a rollback runs later, when
a step after it fails, so its undo must still exist then and the server must accept the
undo restore. The undo chosen (`modsl.checker.rollback_plan`) is the narrowest candidate that
survives to the plan's end (a drop later in the plan would leave the rollback nothing to read)
and that the level, permission and reference rules accept as a restore of its own. Without
one, the plan is refused: with `rollback on failure`, a restore that cannot be undone is an
error. This module holds the walk's half: a restore with no undo at all, and the help text.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.checker.state import ObjectKey, describe, overwritten
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast


@rule("MB504", ast.Restore, engines=(MATRIXONE,))
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

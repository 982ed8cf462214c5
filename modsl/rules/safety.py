"""Prudence: MB501, a restore nothing could undo.

A restore first destroys what it overwrites. It can be undone only if, apart from its own
source, a snapshot made earlier in this plan (and not dropped) or a PITR covers the target.
Declared `existing` snapshots do not count: the plan cannot know they are recent.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.rules.state import Known, ObjectKey, PlanState, describe, restore_target


def undoer(st: ast.Restore, target: ObjectKey, state: PlanState) -> Known | None:
    """A snapshot made earlier in the plan, or a PITR, that covers `target` (not the source)."""
    source = (st.source.kind, st.source.name.key)
    for known in state.coverers(target):
        if (known.kind, known.name) == source:
            continue
        if known.kind is ast.SourceKind.SNAPSHOT and known.declared:
            continue
        return known
    return None


@rule("MB501", ast.Restore)
def irreversible_restore(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    target = restore_target(st, ctx.own)
    if undoer(st, target, ctx.state) is not None:
        return
    name = f"{(target or ('cluster',))[-1]}_before_restore"
    scope = ("cluster", "account {}", "database {1}", "table {1}.{2}")[len(target)]
    yield Diagnostic("MB501", f"nothing in this plan could undo this restore of "
                     f"{describe(target)}", st.span,
                     help=f"take a safety snapshot first, e.g. `snapshot {name} for "
                          f"{scope.format(*target)}`, or keep a PITR that covers it")

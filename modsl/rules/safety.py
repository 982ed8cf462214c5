"""Prudence: MB501, a restore nothing could undo; MB502, a plan that drops the undo of its own
restore; MB503, more snapshots than a tenant's quota.

A restore first destroys what it overwrites. It can be undone only by something that covers
the obj at a level able to restore it (a cluster snapshot cannot restore a database) and
that holds the moment before: a PITR, or a snapshot this plan takes fresh. Declared
`existing` snapshots and `snapshot ... if not exists` (which takes nothing when the name
exists) do not count: the plan cannot know they are recent.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.rules.state import describe, overwritten
from modsl.targets.matrixone import ENGINE_NAME as MATRIXONE


@rule("MB501", ast.Restore, engine=MATRIXONE)
def irreversible_restore(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    if ctx.state.undoers(st) or ctx.rollback:  # with `rollback on failure`: MB504, an error
        return
    obj = overwritten(st, ctx.own)
    name = f"{(obj or ('cluster',))[-1]}_before_restore"
    scope = ("cluster", "account {}", "database {1}", "table {1}.{2}")[len(obj)]
    yield Diagnostic("MB501", f"nothing in this plan could undo this restore of "
                     f"{describe(obj)}", st.span,
                     help=f"take a safety snapshot first, e.g. `snapshot {name} for "
                          f"{scope.format(*obj)}`, or keep a PITR that covers it "
                          "(`existing` snapshots and `if not exists` ones may be old)")


@rule("MB502", ast.DropSnapshot, ast.DropPitr, engine=MATRIXONE)
def drops_the_undo(st: ast.DropSnapshot | ast.DropPitr, ctx: Ctx) -> Iterator[Diagnostic]:
    kind = ast.SourceKind.SNAPSHOT if isinstance(st, ast.DropSnapshot) else ast.SourceKind.PITR
    ref = (kind, st.name.key)
    for undo in ctx.state.undone_by.get(ref, ()):
        if len(undo.candidates) == 1:
            yield Diagnostic("MB502", f"this drops `{st.name.key}`, the only undo of the "
                             f"restore of {describe(undo.overwrites)} on line "
                             f"{undo.restore.span.line}", st.name.span,
                             help="keep it until the restore is verified; drop it in a later "
                                  "plan")
            return


@rule("MB503", ast.CreateSnapshot, engine=MATRIXONE)
def tenant_quota(st: ast.CreateSnapshot, ctx: Ctx) -> Iterator[Diagnostic]:
    quota = ctx.target.limits.get("tenant_snapshots_per_level")
    if quota is None or not ctx.account_known or ctx.is_sys:
        return
    level = st.scope.level
    live = sum(1 for k in ctx.state.snapshots.values() if k.live and k.level is level)
    if live == quota:
        yield Diagnostic("MB503", f"this is the plan's snapshot number {quota + 1} at "
                         f"{level.value} level; MatrixOne {ctx.target.version} allows a "
                         f"tenant {quota} per level by default", st.span,
                         help="drop old snapshots first (the server refuses the one over "
                              "its quota, `feature_limit.go`)")

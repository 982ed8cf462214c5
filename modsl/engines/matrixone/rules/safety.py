"""Prudence: MB501, a restore nothing could undo; MB502, a plan that drops the undo of its own
restore; MB503, more snapshots than a tenant's quota (an error: the server refuses it).

A restore first destroys what it overwrites. It can be undone only by something that covers
the obj at a level able to restore it (a cluster snapshot cannot restore a database) and
that holds the moment before: a PITR, or a snapshot this plan takes fresh. Declared
`existing` snapshots and `snapshot ... if not exists` (which takes nothing when the name
exists) do not count: the plan cannot know they are recent.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.checker.state import describe, overwritten
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast


@rule("MB501", ast.Restore, engines=(MATRIXONE,))
def irreversible_restore(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    if ctx.state.undoers(st) or ctx.rollback:  # with `rollback on failure`: MB504, an error
        return
    from modsl.engines.matrixone.rules.undo import own_source_note, safety_line

    obj = overwritten(st, ctx.own)
    safe = ctx.state.safe_to_snapshot(obj)
    what = ("" if safe == obj else f" of what holds it (the plan does not know that "
            f"{describe(obj)} is there now)")
    yield Diagnostic("MB501", f"nothing in this plan could undo this restore of "
                     f"{describe(obj)}", st.span,
                     help=f"take a safety snapshot first{what}, e.g. "
                          f"{safety_line(safe, ctx.own)}, or keep a PITR that covers it "
                          "(`existing` snapshots and `if not exists` ones may be old)"
                          + own_source_note(st, ctx))


@rule("MB502", ast.DropSnapshot, ast.DropPitr, engines=(MATRIXONE,))
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


@rule("MB503", ast.CreateSnapshot, engines=(MATRIXONE,))
def tenant_quota(st: ast.CreateSnapshot, ctx: Ctx) -> Iterator[Diagnostic]:
    """`checkSnapshotQuota` (feature_limit.go, 4.x; 3.0 has none): before anything else, even
    before `IF NOT EXISTS` looks at the name, a tenant's create is refused when the account
    already has the quota of snapshots at that level (`pinned + 1 > quota`). The rows counted
    are the server's: those declared `existing` (in force from the start) and those the plan
    created and has not dropped. sys is unlimited; cluster snapshots are not counted."""
    quota = ctx.target.limits.get("tenant_snapshots_per_level")
    level = st.scope.level
    if quota is None or not ctx.account_known or ctx.is_sys or level is ast.Level.CLUSTER:
        return
    live = sum(1 for k in ctx.state.snapshots.values() if k.live and k.level is level)
    if live >= quota:
        yield Diagnostic("MB503", f"account `{ctx.own}` already has {live} {level.value}-level "
                         f"snapshots at this line; MatrixOne {ctx.target.version} allows a "
                         f"tenant {quota} per level, so the server refuses this one"
                         + (" (`if not exists` does not help: the quota is checked first)"
                            if st.if_not_exists else ""), st.span,
                         help="drop old snapshots first, or have the operator raise the quota "
                              "and silence this with `# modsl: ignore[MB503]` (the server says "
                              f"`feature SNAPSHOT with scope {level.value} has reached the limit "
                              f"of {quota}`)")

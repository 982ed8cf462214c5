"""Who may run what: MB301-MB305, MB307. Only sys acts on the cluster or on other accounts,
and nothing crosses into or out of sys."""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, Scoped, rule
from modsl.checker.state import resolve
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast

_CLUSTER_HELP = {
    ast.CreateSnapshot: ("run the plan `as account sys`, or snapshot your own account with "
                         "`for account` (the server says `only sys tenant can create cluster "
                         "level snapshot`)"),
    ast.CreatePitr: ("run the plan `as account sys`, or protect your own account with "
                     "`for account` (the server says `only sys tenant can create cluster level "
                     "pitr`)"),
    ast.Restore: ("only sys can restore the cluster; restore your own account with `restore "
                  "account` (the server says `non-sys account can't restore cluster level "
                  "snapshot`)"),
}


def _tenant(ctx: Ctx) -> bool:
    """The plan runs as a known account that is not sys."""
    return ctx.account_known and not ctx.is_sys


@rule("MB301", *ast.SCOPED, engines=(MATRIXONE,))
def cluster_by_tenant(st: Scoped, ctx: Ctx) -> Iterator[Diagnostic]:
    scope = st.scope
    if _tenant(ctx) and scope.level is ast.Level.CLUSTER:
        what = {ast.CreateSnapshot: "snapshot the cluster", ast.CreatePitr:
                "create a cluster PITR", ast.Restore: "restore the cluster"}.get(
                    type(st), "own a cluster-level object")
        yield Diagnostic("MB301", f"only the sys account can {what}", scope.span,
                         help=_CLUSTER_HELP.get(type(st), "declare it in a plan run as sys"))


@rule("MB302", ast.CreateSnapshot, ast.Restore, ast.ExistingSnapshot, ast.ExistingPitr,
      engines=(MATRIXONE,))
def other_account_by_tenant(st: Scoped, ctx: Ctx) -> Iterator[Diagnostic]:
    scope = st.scope
    other = scope.account
    if _tenant(ctx) and other is not None and other.key != ctx.own:
        verb = "restore" if isinstance(st, ast.Restore) else "snapshot"
        if not isinstance(st, ast.Restore):
            why = ("the server says `only sys tenant can create tenant level snapshot for "
                   "other tenant`")
        elif other.key == "sys":
            why = "the server says `non-sys account can't restore sys account`"
        elif st.source.kind is ast.SourceKind.PITR:
            why = (f"the server says `account {ctx.own} is not allowed to restore other "
                   f"account {other.key}`")
        else:
            why = "a tenant's snapshots are of itself: none can restore another account"
        yield Diagnostic("MB302", f"account `{ctx.own}` cannot {verb} another account "
                         f"(`{other.key}`)", other.span,
                         help=f"only sys may name other accounts; drop the name to act on your "
                              f"own account ({why})")


@rule("MB303", ast.CreatePitr, engines=(MATRIXONE,))
def named_account_pitr_by_tenant(st: ast.CreatePitr, ctx: Ctx) -> Iterator[Diagnostic]:
    scope = st.scope
    if _tenant(ctx) and scope.account is not None:
        yield Diagnostic("MB303", f"only sys can create a PITR naming an account "
                         f"(`{scope.account.key}`), even its own", scope.account.span,
                         help=f"use `pitr {st.name.text} for account range "
                              f"{st.range}` (no name) to protect your own account (the server "
                              f"says `only sys tenant can create tenant level pitr for other "
                              f"tenant`)")


@rule("MB304", ast.Restore, engines=(MATRIXONE,))
def to_account_by_tenant(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    to = st.to_account
    if _tenant(ctx) and to is not None:
        yield Diagnostic("MB304", "only sys can restore into another account", to.span,
                         help="remove `to account ...` to restore in place (the server says "
                              "`non-sys account can't restore snapshot to another account`)")


@rule("MB305", ast.Restore, engines=(MATRIXONE,))
def to_account_below_account(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    to = st.to_account
    level = st.scope.level
    if to is not None and level in (ast.Level.DATABASE, ast.Level.TABLE):
        yield Diagnostic("MB305", f"`to account` works only for whole accounts, not a "
                         f"{level.value} restore", to.span,
                         help="restore the whole account `to account`, or restore the "
                              f"{level.value} in place")


@rule("MB307", ast.Restore, engines=(MATRIXONE,))
def crosses_sys(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    """An account restore from sys into another account, or into sys from another: the
    server restores sys in place (`getFromAccountIdAndToAccountId` never reads `TO ACCOUNT`
    when the source is sys) or refuses. Only sys → b from a cluster snapshot is exact."""
    if st.scope.level is not ast.Level.ACCOUNT or st.to_account is None:
        return
    source = resolve(st.scope, ctx.own)[0]
    dest = st.to_account.key
    known = ctx.state.table(st.source.kind).get(st.source.name.key)
    level = None if known is None or not known.live else known.level
    snapshot = st.source.kind is ast.SourceKind.SNAPSHOT
    if dest == "sys" and snapshot and not (known is not None and known.key == ("sys",)):
        # `checkRestorePriv`: TO ACCOUNT sys needs a snapshot whose account is sys; a cluster
        # snapshot's account name is empty, so even sys into sys is refused with one.
        yield Diagnostic("MB307", "`to account sys` restores only from a snapshot of sys",
                         st.to_account.span,
                         help="drop `to account sys` (sys restores itself in place), or "
                              "restore from an account snapshot of sys (the server says "
                              "`non-sys account's snapshot can't restore to sys account`)")
        return
    if source == dest or "sys" not in (source, dest):
        return
    if source == "sys":
        if snapshot and level is ast.Level.CLUSTER:
            return
        if snapshot:
            why = ("from an account snapshot of sys the server ignores `to account` and "
                   f"restores sys itself in place; account `{dest}` is left untouched")
            fix = ("restore it from a cluster snapshot, declared as such "
                   "(`existing snapshot NAME for cluster`)")
        else:
            why = (f"the server refuses it (`can not restore sys account to new account {dest} "
                   f"by pitr {st.source.name.key}`)")
            fix = "a PITR restores sys only into sys"
        yield Diagnostic("MB307", f"this line would not put sys's data into account `{dest}`: "
                         f"{why}", st.to_account.span, help=fix)
        return
    if snapshot:
        why = "the server says `non-sys account's snapshot can't restore to sys account`"
    elif level is ast.Level.CLUSTER:
        why = (f"the server says `can not restore account {source} to sys account by pitr "
               f"{st.source.name.key}`")
    else:
        why = ("modsl refuses it: it would replace the cluster admin's own databases with "
               "another account's")
    yield Diagnostic("MB307", f"account `{source}`'s data cannot be restored into sys",
                     st.to_account.span,
                     help=f"restore sys only from its own snapshots and PITRs ({why})")

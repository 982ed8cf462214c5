"""Which source can restore which target: MB401 (wrong level) and MB402 (wrong object).

MB408 (a statement the target version cannot express) belongs to this family too; every v1
statement is expressible in every MatrixOne version, so only `modsl import` reports it today.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.rules.state import Known, covers, describe, resolve

L = ast.Level
SNAPSHOT, PITR = ast.SourceKind.SNAPSHOT, ast.SourceKind.PITR

# Restore level -> the source levels that can restore it (MatrixOne's checks in
# pkg/frontend/snapshot.go and pitr.go).
_ALLOWED = {
    L.CLUSTER: (L.CLUSTER,),
    L.ACCOUNT: (L.CLUSTER, L.ACCOUNT),
    L.DATABASE: (L.ACCOUNT, L.DATABASE),
    L.TABLE: (L.ACCOUNT, L.DATABASE, L.TABLE),
}
# A PITR restore of the plan's own account is `RESTORE FROM PITR`: account level only.
_OWN_ACCOUNT_FROM_PITR = (L.ACCOUNT,)
# Into another account (`to account b`): `RESTORE ACCOUNT b FROM PITR p 'ts' a` needs a
# cluster PITR; an account-level PITR restores only the account it covers (docs/design.md).
_INTO_OTHER_ACCOUNT_FROM_PITR = (L.CLUSTER,)

_SERVER_SAYS = {
    (SNAPSHOT, L.CLUSTER): "snapshot {s} is not cluster level snapshot",
    (SNAPSHOT, L.ACCOUNT): "can't restore account from db or table level snapshot",
    (SNAPSHOT, L.DATABASE): "can't restore db from {level} level snapshot",
    (SNAPSHOT, L.TABLE): "can't restore db from cluster level snapshot",
    (PITR, L.CLUSTER): "restore level {level} is not allowed for cluster restore",
    (PITR, L.ACCOUNT): "restore level {level} is not allowed for account restore",
    (PITR, L.DATABASE): "{level} level pitr `{s}` is not allowed for database restore",
    (PITR, L.TABLE): "{level} level pitr `{s}` is not allowed for table restore",
}


def source_of(st: ast.Restore, ctx: Ctx) -> Known | None:
    known = ctx.state.table(st.source.kind).get(st.source.name.key)
    if known is None or known.key is None or not known.live:
        return None
    return known


def allowed_levels(st: ast.Restore, ctx: Ctx) -> tuple[ast.Level, ...]:
    target = st.scope.level
    own_account = (target is L.ACCOUNT and st.to_account is None
                   and resolve(st.scope, ctx.own) == (ctx.own,))
    if st.source.kind is PITR and own_account:
        return _OWN_ACCOUNT_FROM_PITR
    if st.source.kind is PITR and target is L.ACCOUNT and st.to_account is not None:
        return _INTO_OTHER_ACCOUNT_FROM_PITR
    return _ALLOWED[target]


def _kind(known: Known) -> str:
    return "snapshot" if known.kind is SNAPSHOT else "PITR"


@rule("MB401", ast.Restore)
def source_level(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    known = source_of(st, ctx)
    if known is None or known.level is None:
        return
    allowed = allowed_levels(st, ctx)
    if known.level in allowed:
        return
    target = describe(resolve(st.scope, ctx.own))
    words = " or ".join(f"{lv.value}-level" for lv in allowed)
    article = "an" if words[0] in "aeiou" else "a"
    says = _SERVER_SAYS[(known.kind, st.scope.level)].format(s=known.name,
                                                            level=known.level.value)
    hint = f"restore {target} from {article} {words} {_kind(known)}"
    if allowed is _INTO_OTHER_ACCOUNT_FROM_PITR:
        hint = ("an account-level PITR restores only the account it covers; to restore into "
                "another account, restore from a cluster-level PITR")
    elif known.kind is PITR and allowed == _OWN_ACCOUNT_FROM_PITR and known.level is L.CLUSTER:
        hint = ("a cluster PITR restores an account only when sys names it: `restore account "
                f"{ctx.own} ...` is `RESTORE FROM PITR`, which needs an account-level PITR")
    if allowed is not _INTO_OTHER_ACCOUNT_FROM_PITR:
        hint += f" (the server says `{says}`)"
    yield Diagnostic("MB401", f"{target} cannot be restored from {known.level.value}-level "
                     f"{_kind(known)} `{known.name}`", st.source.name.span, help=hint)


@rule("MB402", ast.Restore)
def source_object(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    known = source_of(st, ctx)
    if known is None or known.key is None or known.level is L.CLUSTER:
        return
    if known.level not in allowed_levels(st, ctx):
        return  # MB401's business
    target = resolve(st.scope, ctx.own)
    if covers(known.key, target):
        return
    yield Diagnostic("MB402", f"{_kind(known)} `{known.name}` covers {describe(known.key)}"
                     + (f" of account `{known.key[0]}`" if len(known.key) > 1 else "")
                     + f", not {describe(target)}", st.source.name.span,
                     help=f"restore from a {_kind(known)} that covers {describe(target)} (the "
                          f"server says `{_mismatch(known.key, target)}`)")


def _mismatch(source: tuple[str, ...], target: tuple[str, ...]) -> str:
    if source[0] != target[0]:
        if len(target) == 1:
            return f"accountName({target[0]}) does not match snapshot.accountName({source[0]})"
        return "can't restore database from other account's snapshot"
    if len(source) >= 2 and source[1] != target[1]:
        return f"databaseName({target[1]}) does not match snapshot.databaseName({source[1]})"
    return f"tableName({target[-1]}) does not match snapshot.tableName({source[-1]})"

"""Which source can restore which object: MB401 (wrong level) and MB402 (wrong object).
(MB408, a statement the target cannot express, is every engine's: modsl/checker/capabilities.py.)"""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.checker.state import Known, covers, describe, resolve
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.engines.matrixone.statements import RESTORES_IN_PLACE
from modsl.language import ast

L = ast.Level
SNAPSHOT, PITR = ast.SourceKind.SNAPSHOT, ast.SourceKind.PITR

# A tenant restores its own account from a PITR only with `RESTORE FROM PITR`, which takes an
# account-level PITR; sys may also name its own account with a cluster PITR.
_TENANT_OWN_ACCOUNT_FROM_PITR = (L.ACCOUNT,)

_SERVER_SAYS = {
    (SNAPSHOT, L.CLUSTER): "snapshot {s} is not cluster level snapshot",
    (SNAPSHOT, L.ACCOUNT): "can't restore account from db or table level snapshot",
    (SNAPSHOT, L.DATABASE): "can't restore db from {level} level snapshot",
    (SNAPSHOT, L.TABLE): "can't restore db from cluster level snapshot",
    (PITR, L.CLUSTER): "restore level {level} is not allowed for cluster restore",
    (PITR, L.ACCOUNT): "can not restore account {a} by pitr {s}",
    # checkPitrValidOrNot prints the level, not the name, in the backticks.
    (PITR, L.DATABASE): "cluster level pitr `{level}` is not allowed for database restore",
    (PITR, L.TABLE): "cluster level pitr `{level}` is not allowed for table restore",
}


def source_of(st: ast.Restore, ctx: Ctx) -> Known | None:
    known = ctx.state.table(st.source.kind).get(st.source.name.key)
    if known is None or known.key is None or not known.live:
        return None
    return known


def own_account_in_place(st: ast.Restore, own: str) -> bool:
    """`restore account [own] ...` with no `to account`: the form a tenant may write."""
    return (st.scope.level is L.ACCOUNT and st.to_account is None
            and resolve(st.scope, own) == (own,))


def allowed_levels(st: ast.Restore, own: str) -> tuple[ast.Level, ...]:
    if st.source.kind is PITR and own_account_in_place(st, own) and own != "sys":
        return _TENANT_OWN_ACCOUNT_FROM_PITR
    return RESTORES_IN_PLACE[st.scope.level]


def _kind(known: Known) -> str:
    return "snapshot" if known.kind is SNAPSHOT else "PITR"


@rule("MB401", ast.Restore, engines=(MATRIXONE,))
def source_level(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    known = source_of(st, ctx)
    if known is None or known.level is None:
        return
    allowed = allowed_levels(st, ctx.own)
    if known.level in allowed:
        return
    key = resolve(st.scope, ctx.own)
    obj = describe(key)
    words = " or ".join(f"{lv.value}-level" for lv in allowed)
    article = "an" if words[0] in "aeiou" else "a"
    says = _SERVER_SAYS[(known.kind, st.scope.level)].format(
        s=known.name, level=known.level.value, a=key[0] if key else "")
    if st.scope.level is L.ACCOUNT and known.kind is PITR and own_account_in_place(st, ctx.own):
        says = f"restore level {known.level.value} is not allowed for account restore"
    if st.scope.level is L.DATABASE and known.kind is PITR and known.level is L.TABLE:
        says = "restore level table is not allowed for database restore"
    hint = f"restore {obj} from {article} {words} {_kind(known)}"
    if allowed is _TENANT_OWN_ACCOUNT_FROM_PITR and known.level is L.CLUSTER:
        hint = ("a tenant restores its own account with `RESTORE FROM PITR`, which needs an "
                "account-level PITR: `pitr NAME for account range 7d`")
    yield Diagnostic("MB401", f"{obj} cannot be restored from {known.level.value}-level "
                     f"{_kind(known)} `{known.name}`", st.source.name.span,
                     help=f"{hint} (the server says `{says}`)")


@rule("MB402", ast.Restore, engines=(MATRIXONE,))
def source_object(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    known = source_of(st, ctx)
    if known is None or known.key is None or known.level is L.CLUSTER:
        return
    if known.level not in allowed_levels(st, ctx.own):
        return  # MB401's business
    obj = resolve(st.scope, ctx.own)
    if covers(known.key, obj) or _table_from_sibling_database(known, obj):
        return
    help_ = f"restore from a {_kind(known)} that covers {describe(obj)}"
    if len(obj) == 1 and len(known.key) == 1 and ctx.is_sys:
        at = "" if st.source.at is None else f' at "{st.source.at.text}"'
        help_ = (f"to put account `{known.key[0]}`'s data into account `{obj[0]}`, write "
                 f"`restore account {known.key[0]} from {st.source.kind.value} {known.name}{at} "
                 f"to account {obj[0]}`")
    yield Diagnostic("MB402", f"{_kind(known)} `{known.name}` covers {describe(known.key)}"
                     + (f" of account `{known.key[0]}`" if len(known.key) > 1 else "")
                     + f", not {describe(obj)}", st.source.name.span,
                     help=f"{help_} ({_server(st, known, obj, ctx.own)})")


def _table_from_sibling_database(known: Known, obj: tuple[str, ...]) -> bool:
    """A table restore from a snapshot of another database of the same account: every
    version modsl targets (3.0.18, 4.0, 4.1, 4.2.0) lets it through `checkRestorePriv` (its
    table case compares names only for a table-level snapshot); only a main after 4.2.0 adds
    the `databaseName(%v) does not match` check there (snapshot.go:1002). Not refused here
    until a target for that version exists (docs/design.md)."""
    return (known.kind is SNAPSHOT and known.level is L.DATABASE and len(obj) == 3
            and known.key is not None and known.key[0] == obj[0])


def _server(st: ast.Restore, known: Known, obj: tuple[str, ...], own: str) -> str:
    """What the server does with the line: refuse it (quoted), or run it differently."""
    source = known.key
    assert source is not None
    if len(obj) == 1 and known.kind is PITR and not own_account_in_place(st, own):
        return (f"the server would not refuse it: it would restore account `{source[0]}`'s "
                f"data into account `{obj[0]}`")
    return f"the server says `{_mismatch(known, obj)}`"


def _pitr_mismatch(name: str, source: tuple[str, ...], obj: tuple[str, ...]) -> str:
    """What `checkPitrValidOrNot` says when a PITR at a fitting level covers another object."""
    if len(obj) == 1:
        return f"pitr {name} is not allowed to restore account {obj[0]}"
    where = f"database {obj[1]}" + (f" table {obj[2]}" if len(obj) == 3 else "")
    if len(source) == 1:
        return f"pitr {name} is not allowed to restore account {obj[0]} {where}"
    if len(source) == 2:
        return f"pitr {name} is not allowed to restore {where}"
    return f"pitr {name} is not allowed to restore table {obj[1]}.{obj[2]}"


def _mismatch(known: Known, obj: tuple[str, ...]) -> str:
    source = known.key
    assert source is not None
    if known.kind is PITR:
        return _pitr_mismatch(known.name, source, obj)
    if source[0] != obj[0]:
        if len(obj) == 1:
            return f"accountName({obj[0]}) does not match snapshot.accountName({source[0]})"
        return "can't restore database from other account's snapshot"
    if len(source) >= 2 and source[1] != obj[1]:
        return f"databaseName({obj[1]}) does not match snapshot.databaseName({source[1]})"
    return f"tableName({obj[-1]}) does not match snapshot.tableName({source[-1]})"

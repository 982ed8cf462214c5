"""MatrixOne SQL for each plan statement, per version (the emission table of docs/targets.md).

SQL is built from structure, never by pasting user text: every identifier goes through
`ident` and every literal through `string`. Both refuse what could not be emitted safely;
the checker has already rejected such names (MB201), so a refusal here is a bug.
"""

from __future__ import annotations

from modsl import ast
from modsl.rules.state import Known
from modsl.targets import TargetVersion

# Inside backticks or single quotes, only these could end the token or smuggle a statement.
_UNSAFE_IDENT = frozenset("`'\"\n\r\t \0")
_UNSAFE_STRING = frozenset("'\n\r\0")


class UnsafeName(ValueError):
    """A name reached emission that the checker should have refused."""


def ident(name: str) -> str:
    """A backtick-quoted, lower-cased identifier."""
    if not name or _UNSAFE_IDENT.intersection(name):
        raise UnsafeName(f"refusing to emit identifier {name!r}")
    return f"`{name.lower()}`"


def string(value: str) -> str:
    """A single-quoted literal (never double quotes: they break under ANSI_QUOTES).

    A backslash escapes in MatrixOne strings, as in MySQL's, so it is doubled.
    """
    if _UNSAFE_STRING.intersection(value):
        raise UnsafeName(f"refusing to emit string {value!r}")
    return "'" + value.replace("\\", "\\\\") + "'"


def _key(name: ast.Name) -> str:
    return ident(name.key)


def _object(scope: ast.Scope) -> str:
    """`CLUSTER`, `ACCOUNT [a]`, `DATABASE d`, `TABLE d t` (no dot: MatrixOne's syntax)."""
    if scope.level is ast.Level.CLUSTER:
        return "CLUSTER"
    if scope.level is ast.Level.ACCOUNT:
        return "ACCOUNT" if scope.account is None else f"ACCOUNT {_key(scope.account)}"
    assert scope.database is not None
    if scope.level is ast.Level.DATABASE:
        return f"DATABASE {_key(scope.database)}"
    assert scope.table is not None
    return f"TABLE {_key(scope.database)} {_key(scope.table)}"


def _range(d: ast.Duration) -> str:
    return f"RANGE {d.value} {string(d.unit)}"


def kind(st: ast.Statement) -> str | None:
    """The statement kind, as MatrixOne's test corpus names them; None for declarations."""
    if isinstance(st, ast.Restore):
        return f"restore_{st.source.kind.value}"
    return {
        ast.CreateSnapshot: "create_snapshot", ast.DropSnapshot: "drop_snapshot",
        ast.CreatePitr: "create_pitr", ast.AlterPitr: "alter_pitr", ast.DropPitr: "drop_pitr",
    }.get(type(st))


def emit(st: ast.Statement, target: TargetVersion, own: str, source: Known | None) -> str | None:
    """The SQL for one statement (no `;`), or None for `existing` declarations.

    `own` is the plan's account; `source` the snapshot or PITR a restore reads, as the
    checker knew it (its level picks the form of an account restore from a PITR).
    """
    if isinstance(st, ast.CreateSnapshot):
        ine = "IF NOT EXISTS " if st.if_not_exists else ""
        return f"CREATE SNAPSHOT {ine}{_key(st.name)} FOR {_object(st.scope)}"
    if isinstance(st, ast.DropSnapshot):
        return f"DROP SNAPSHOT {'IF EXISTS ' if st.if_exists else ''}{_key(st.name)}"
    if isinstance(st, ast.CreatePitr):
        ine = "IF NOT EXISTS " if st.if_not_exists else ""
        return f"CREATE PITR {ine}{_key(st.name)} FOR {_object(st.scope)} {_range(st.range)}"
    if isinstance(st, ast.AlterPitr):
        ie = "IF EXISTS " if st.if_exists else ""
        return f"ALTER PITR {ie}{_key(st.name)} {_range(st.range)}"
    if isinstance(st, ast.DropPitr):
        return f"DROP PITR {'IF EXISTS ' if st.if_exists else ''}{_key(st.name)}"
    if isinstance(st, ast.Restore):
        if st.source.kind is ast.SourceKind.SNAPSHOT:
            return _restore_snapshot(st, target, own)
        return _restore_pitr(st, own, source)
    return None


def _account_of(st: ast.Restore, own: str) -> str:
    return own if st.scope.account is None else st.scope.account.key


def _restore_snapshot(st: ast.Restore, target: TargetVersion, own: str) -> str:
    snap = st.source.name.key
    level = st.scope.level
    to = "" if st.to_account is None else f" TO ACCOUNT {_key(st.to_account)}"
    if target.brace_restore:
        brace = f"{{SNAPSHOT={string(snap)}}}"
        if level is ast.Level.CLUSTER:
            return f"RESTORE CLUSTER{brace}"
        if level is ast.Level.ACCOUNT:
            return f"RESTORE ACCOUNT {ident(_account_of(st, own))}{brace}{to}"
        assert st.scope.database is not None
        if level is ast.Level.DATABASE:
            return f"RESTORE DATABASE {_key(st.scope.database)}{brace}"
        assert st.scope.table is not None
        return f"RESTORE TABLE {_key(st.scope.database)}.{_key(st.scope.table)}{brace}"
    source = f"FROM SNAPSHOT {ident(snap)}"
    if level is ast.Level.CLUSTER:
        return f"RESTORE CLUSTER {source}"
    if level is ast.Level.ACCOUNT:
        return f"RESTORE ACCOUNT {ident(_account_of(st, own))} {source}{to}"
    assert st.scope.database is not None
    db = f"RESTORE ACCOUNT {ident(own)} DATABASE {_key(st.scope.database)}"
    if level is ast.Level.DATABASE:
        return f"{db} {source}"
    assert st.scope.table is not None
    return f"{db} TABLE {_key(st.scope.table)} {source}"


def _restore_pitr(st: ast.Restore, own: str, source: Known | None) -> str:
    assert st.source.at is not None
    pitr = f"FROM PITR {_key(st.source.name)} {string(st.source.at.text)}"
    level = st.scope.level
    if level is ast.Level.CLUSTER:
        return f"RESTORE CLUSTER {pitr}"
    if level is ast.Level.ACCOUNT:
        # `RESTORE ACCOUNT dest FROM PITR p 'ts' source` reads a cluster PITR; without the
        # trailing source, an account PITR restores the account it covers into `dest`.
        account = _account_of(st, own)
        dest = account if st.to_account is None else st.to_account.key
        in_place = account == own and dest == own
        if source is None or source.level is None:
            if in_place and own != "sys":
                return f"RESTORE {pitr}"
            raise ValueError(f"the level of PITR `{st.source.name.key}` is unknown (MB404)")
        if source.level is ast.Level.CLUSTER:
            return f"RESTORE ACCOUNT {ident(dest)} {pitr} {ident(account)}"
        if in_place:
            return f"RESTORE {pitr}"
        return f"RESTORE ACCOUNT {ident(dest)} {pitr}"
    assert st.scope.database is not None
    if level is ast.Level.DATABASE:
        return f"RESTORE DATABASE {_key(st.scope.database)} {pitr}"
    assert st.scope.table is not None
    return f"RESTORE DATABASE {_key(st.scope.database)} TABLE {_key(st.scope.table)} {pitr}"

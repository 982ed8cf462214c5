"""The plan's state as it runs top to bottom: which snapshots and PITRs exist, what each
covers, which were dropped. The checker's rules read it; the compiler reuses what it learns
(a PITR's level decides the SQL of an account restore).

An object is identified by a key path: `()` is the cluster, `(a,)` account a, `(a, d)`
database d of account a, `(a, d, t)` a table. A key covers every key it is a prefix of.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from modsl import ast

ObjectKey = tuple[str, ...]

LEVEL_OF_DEPTH = (ast.Level.CLUSTER, ast.Level.ACCOUNT, ast.Level.DATABASE, ast.Level.TABLE)


def covers(outer: ObjectKey, inner: ObjectKey) -> bool:
    return inner[: len(outer)] == outer


def level(key: ObjectKey) -> ast.Level:
    return LEVEL_OF_DEPTH[len(key)]


def describe(key: ObjectKey) -> str:
    """`the cluster`, `account acc1`, `database acc1/db`, `table acc1/db.t`, for messages."""
    if not key:
        return "the cluster"
    if len(key) == 1:
        return f"account `{key[0]}`"
    if len(key) == 2:
        return f"database `{key[1]}`"
    return f"table `{key[1]}.{key[2]}`"


def resolve(scope: ast.Scope, own: str) -> ObjectKey:
    """The object a scope names, for a plan run by account `own`."""
    if scope.level is ast.Level.CLUSTER:
        return ()
    if scope.level is ast.Level.ACCOUNT:
        return (own if scope.account is None else scope.account.key,)
    assert scope.database is not None
    if scope.level is ast.Level.DATABASE:
        return (own, scope.database.key)
    assert scope.table is not None
    return (own, scope.database.key, scope.table.key)


def restore_target(st: ast.Restore, own: str) -> ObjectKey:
    """What a restore overwrites (and first destroys): with `to account b`, account b."""
    if st.to_account is not None and st.scope.level is ast.Level.ACCOUNT:
        return (st.to_account.key,)
    return resolve(st.scope, own)


@dataclass
class Known:
    """A snapshot or PITR the plan knows of: created in it, or declared `existing`."""

    kind: ast.SourceKind
    name: str
    key: ObjectKey | None  # None: an `alter`/`drop ... if exists` of an unknown object
    declared: bool
    span: ast.Span
    range: ast.Duration | None = None
    dropped_at: ast.Span | None = None

    @property
    def level(self) -> ast.Level | None:
        return None if self.key is None else level(self.key)

    @property
    def live(self) -> bool:
        return self.dropped_at is None


@dataclass
class PlanState:
    own: str
    snapshots: dict[str, Known] = field(default_factory=dict)
    pitrs: dict[str, Known] = field(default_factory=dict)
    pitr_for: dict[ObjectKey, Known] = field(default_factory=dict)
    # Live objects by the key they cover, so "what covers X" is one look-up per prefix of X.
    by_key: dict[ObjectKey, dict[tuple[ast.SourceKind, str], Known]] = field(
        default_factory=dict)

    def table(self, kind: ast.SourceKind) -> dict[str, Known]:
        return self.snapshots if kind is ast.SourceKind.SNAPSHOT else self.pitrs

    def coverers(self, key: ObjectKey) -> Iterator[Known]:
        """Every live snapshot or PITR that covers `key`, widest first."""
        for depth in range(len(key) + 1):
            yield from self.by_key.get(key[:depth], {}).values()

    def _add(self, known: Known) -> None:
        table = self.table(known.kind)
        old = table.get(known.name)
        if old is not None and old.key is not None:
            self.by_key.get(old.key, {}).pop((old.kind, old.name), None)
        table[known.name] = known
        if known.key is not None:
            self.by_key.setdefault(known.key, {})[(known.kind, known.name)] = known

    def apply(self, st: ast.Statement) -> None:
        """Advance past one statement."""
        if isinstance(st, (ast.CreateSnapshot, ast.ExistingSnapshot)):
            known = self.snapshots.get(st.name.key)
            if known is None or not known.live or not getattr(st, "if_not_exists", False):
                self._add(Known(ast.SourceKind.SNAPSHOT, st.name.key, resolve(st.scope, self.own),
                                isinstance(st, ast.ExistingSnapshot), st.span))
        elif isinstance(st, (ast.CreatePitr, ast.ExistingPitr)):
            known = self.pitrs.get(st.name.key)
            if known is None or not known.live or not getattr(st, "if_not_exists", False):
                key = resolve(st.scope, self.own)
                fresh = Known(ast.SourceKind.PITR, st.name.key, key,
                              isinstance(st, ast.ExistingPitr), st.span, st.range)
                self._add(fresh)
                self.pitr_for[key] = fresh
        elif isinstance(st, ast.AlterPitr):
            known = self.pitrs.get(st.name.key)
            if known is not None and known.live:
                known.range = st.range
        elif isinstance(st, (ast.DropSnapshot, ast.DropPitr)):
            kind = (ast.SourceKind.SNAPSHOT if isinstance(st, ast.DropSnapshot)
                    else ast.SourceKind.PITR)
            known = self.table(kind).get(st.name.key)
            if known is not None and known.live:
                known.dropped_at = st.span
                if known.key is not None:
                    self.by_key.get(known.key, {}).pop((known.kind, known.name), None)
                    if kind is ast.SourceKind.PITR:
                        self.pitr_for.pop(known.key, None)

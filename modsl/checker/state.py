"""The plan's state as it runs top to bottom: which snapshots and PITRs exist, what each
covers, which were dropped, and which could undo each restore. The checker's rules read it;
the compiler and `explain` reuse what it learns (a PITR's level decides the SQL of an
account restore).

An object is identified by a key path: `()` is the cluster, `(a,)` account a, `(a, d)`
database d of account a, `(a, d, t)` a table. A key covers every key it is a prefix of.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple, assert_never

from modsl.language import ast

ObjectKey = tuple[str, ...]
Ref = tuple[ast.SourceKind, str]

L = ast.Level
LEVEL_OF_DEPTH = (L.CLUSTER, L.ACCOUNT, L.DATABASE, L.TABLE)
InPlace = Mapping[ast.Level, tuple[ast.Level, ...]]
"""A restored object's level -> the levels of the sources that can restore it in place: the
engine's (`targets.Engine.restores_in_place`)."""


class Keys(set[ObjectKey]):
    """A set of object keys closed under prefixes (adding `(a, d, t)` adds `(a, d)`, `(a,)`,
    `()` too, as every caller does), indexed so that the checker's two questions about it
    take a look-up, not a scan of the set: what is below a key (a restore takes it away), and
    which names are one edit from a name (MB417). Both scans grew with the plan: a
    5,000-statement plan spent most of its check in them. Add through `add`/`update` only."""

    def __init__(self, keys: Iterable[ObjectKey] = (), *, near_misses: bool = True) -> None:
        """`near_misses`: index the names for `one_edit_candidates` (without it, a set that
        is only taken away from below costs a third as much to add to)."""
        super().__init__()
        self.near_misses = near_misses
        self._below: dict[ObjectKey, set[ObjectKey]] = {}
        self._variants: dict[tuple[ObjectKey, str], dict[ObjectKey, bool]] = {}
        """Keys by (parent, a deletion variant of the last name): whether a deletion of
        something other than a digit made the variant."""
        self.update(keys)

    def add(self, key: ObjectKey) -> None:
        if key in self:
            return
        super().add(key)
        if key:
            parent = key[:-1]
            self._below.setdefault(parent, set()).add(key)
            if self.near_misses:
                for variant, letter in _deletions(key[-1]).items():
                    self._variants.setdefault((parent, variant), {})[key] = letter

    def update(self, *groups: Iterable[ObjectKey]) -> None:
        for keys in groups:
            for key in keys:
                self.add(key)

    def add_with_prefixes(self, key: ObjectKey) -> None:
        """Add `key` and every key above it: nothing to do when `key` is in already (the set
        is closed under prefixes), as it mostly is."""
        if key not in self:
            for depth in range(len(key) + 1):
                self.add(key[:depth])

    def take_away_below(self, key: ObjectKey) -> None:
        """Remove everything strictly below `key` (not `key` itself)."""
        for child in self._below.pop(key, set()):
            self.take_away_below(child)
            super().discard(child)
            parent = child[:-1]
            for variant in _deletions(child[-1]) if self.near_misses else ():
                self._variants[(parent, variant)].pop(child, None)

    def one_edit_candidates(self, key: ObjectKey, *, digits: bool = True) -> set[ObjectKey]:
        """The keys beside `key` (same parent) whose last name may be one insertion, deletion,
        substitution or swap of neighbours from `key`'s: two such names share a string made
        by deleting at most one character from each. A superset: callers check the edit.

        Without `digits`, not those only an edit of digits can reach (`db1`/`db12`, MB417's
        usual names of distinct objects): an edit that involves another character leaves a
        shared string with that character deleted from one name at least. In a plan of
        numbered names those were nearly all the candidates, each checked by hand."""
        assert self.near_misses, "a Keys made without near_misses has no index of them"
        parent, found = key[:-1], set[ObjectKey]()
        for variant, letter in _deletions(key[-1]).items():
            near = self._variants.get((parent, variant))
            if near:
                found.update(near if digits or letter
                             else (k for k, other in near.items() if other))
        return found


def _deletions(name: str) -> dict[str, bool]:
    """`name` and each string made by deleting one character of it, with whether deleting
    something other than a digit makes it."""
    made = {name: False}
    for i, char in enumerate(name):
        variant = name[:i] + name[i + 1:]
        made[variant] = made.get(variant, False) or not char.isdigit()
    return made


def covers(outer: ObjectKey, inner: ObjectKey) -> bool:
    return inner[: len(outer)] == outer


def level(key: ObjectKey) -> ast.Level:
    return LEVEL_OF_DEPTH[len(key)]


def describe(key: ObjectKey) -> str:
    """`the cluster`, `account acc1`, `database db`, `table db.t`, for messages."""
    if not key:
        return "the cluster"
    if len(key) == 1:
        return f"account `{key[0]}`"
    if len(key) == 2:
        return f"database `{key[1]}`"
    return f"table `{key[1]}.{key[2]}`"


def resolve(scope: ast.Scope, own: str) -> ObjectKey:
    """The object a scope names, for a plan run by account `own`."""
    if scope.level is L.CLUSTER:
        return ()
    if scope.level is L.ACCOUNT:
        return (own if scope.account is None else scope.account.key,)
    assert scope.database is not None
    if scope.level is L.DATABASE:
        return (own, scope.database.key)
    assert scope.table is not None
    return (own, scope.database.key, scope.table.key)


def overwritten(st: ast.Restore, own: str) -> ObjectKey:
    """What a restore overwrites (and first destroys): with `to account b`, account b."""
    if st.to_account is not None and st.scope.level is L.ACCOUNT:
        return (st.to_account.key,)
    return resolve(st.scope, own)


def clone_target(st: ast.Clone, own: str) -> ObjectKey:
    """What a clone creates: its `into` database or table, in `to account` or the plan's."""
    account = own if st.to_account is None else st.to_account.key
    assert st.into.database is not None
    return (account, st.into.database.key) + (
        () if st.into.table is None else (st.into.table.key,))


class Known:
    """A snapshot or PITR the plan knows of: created in it, or declared `existing`.

    `key` is None for a drop of an object the plan does not know: it records that the name
    is free from then on. `fresh`: taken
    by this plan for certain, created without `if not exists` (which takes nothing when the
    name exists); only a fresh snapshot is a safety copy of the moment before. (A plain class,
    as the checker's other records: a dataclass costs ~1 ms of `exec` at import.)
    """

    __slots__ = ("declared", "dropped_at", "fresh", "key", "kind", "name", "range", "span")

    def __init__(self, kind: ast.SourceKind, name: str, key: ObjectKey | None, declared: bool,
                 span: ast.Span, range: ast.Duration | None = None,
                 dropped_at: ast.Span | None = None, fresh: bool = False) -> None:
        self.kind, self.name, self.key, self.declared = kind, name, key, declared
        self.span, self.range, self.dropped_at, self.fresh = span, range, dropped_at, fresh

    @property
    def level(self) -> ast.Level | None:
        return None if self.key is None else level(self.key)

    @property
    def live(self) -> bool:
        return self.dropped_at is None

    @property
    def ref(self) -> Ref:
        return (self.kind, self.name)


def can_undo(known: Known, obj: ObjectKey, in_place: InPlace) -> bool:
    """Whether `known` could restore `obj` in place after it was overwritten: it covers the
    object at a level that can restore it there, and a snapshot must have been taken fresh."""
    if known.key is None or not covers(known.key, obj):
        return False
    if known.kind is ast.SourceKind.SNAPSHOT and not known.fresh:
        return False
    return level(known.key) in in_place.get(level(obj), ())


def _takes_for_certain(if_not_exists: bool, known: Known | None) -> bool:
    """Whether a create takes a new snapshot or PITR for certain: without `if not exists`, or
    with it on a name the plan dropped (the drop deletes the server's row, so nothing is there
    to keep: a PITR made then starts now, `pitr.go`'s valid-time check)."""
    return not if_not_exists or (known is not None and not known.live)


class Undo(NamedTuple):
    """A restore and what, live before it ran, could undo it."""

    restore: ast.Restore
    overwrites: ObjectKey
    candidates: dict[Ref, Known]


class Repository:
    """A StarRocks repository the plan knows of: created in it, or declared `existing`."""

    __slots__ = ("declared", "dropped_at", "name", "read_only", "span")

    def __init__(self, name: str, span: ast.Span, read_only: bool, declared: bool) -> None:
        self.name, self.span, self.read_only, self.declared = name, span, read_only, declared
        self.dropped_at: ast.Span | None = None


class PlanState:
    """The plan as far as it has run. `by_key` indexes live objects by the key they cover, so
    "what covers X" is one look-up per prefix of X; `undone_by` indexes the restores so far by
    each object that could still undo them, so a drop finds its restores in one look-up."""

    def __init__(self, own: str, in_place: InPlace) -> None:
        """`in_place`: the engine's restores in place (what may undo a restore, MB501)."""
        self.own = own
        self.in_place = in_place
        self.snapshots: dict[str, Known] = {}
        self.pitrs: dict[str, Known] = {}
        self.pitr_for: dict[ObjectKey, Known] = {}
        self.by_key: dict[ObjectKey, dict[Ref, Known]] = {}
        self._undoers: tuple[ast.Restore, list[Known]] | None = None
        """The last restore asked about and its undoers, until a snapshot or PITR comes or
        goes: its rules, its facts and `apply` each ask about the same restore."""
        self.undone_by: dict[Ref, list[Undo]] = {}
        self.undos: list[Undo] = []
        """Every restore so far, with what could still undo it (drops remove candidates)."""
        self.repositories: dict[str, Repository] = {}
        self.backups: dict[tuple[str, str], ast.Backup] = {}
        """StarRocks backups the plan makes, by (repository, snapshot label)."""
        self.seeded: set[int] = set()
        """The `existing` lines (by `id`) already in force from the start (`seed`)."""
        self.names = Keys([(), (own,)] if own else [()])
        """The accounts, databases and tables the plan knows by name: its own account, those
        its `existing` lines name (anywhere: they describe the server before the plan), and
        those restored from a source that covers them. What MB417 compares names with."""
        self.landed: dict[str, set[str] | None] = {}
        """Accounts restores in the plan put data into, with the databases they put there
        (None: an account restore, whose databases are the source's, not known by name)."""
        self.present = Keys(self.names, near_misses=False)
        """What is there for certain at this point: a snapshot or PITR the plan made of it, or
        a restore that put it back, with nothing restored over it since. (An `existing`
        snapshot of a table says nothing about the table now: it may be why the plan runs.)"""

    def seed(self, statements: tuple[ast.Statement, ...]) -> None:
        """Put every `existing` snapshot and PITR in place before the first line runs: an
        `existing` line describes the server *before* the plan, wherever it stands
        (LANGUAGE.md §9.4), so a `pitr` line above it for the same object is the second PITR
        and a `drop` above it drops it. A declaration that clashes with an earlier one (same
        name, or a second PITR for one object) is left to the walk, which reports it."""
        for st in statements:
            if not isinstance(st, (ast.ExistingSnapshot, ast.ExistingPitr)):
                continue
            kind = (ast.SourceKind.SNAPSHOT if isinstance(st, ast.ExistingSnapshot)
                    else ast.SourceKind.PITR)
            key = resolve(st.scope, self.own)
            self.names.add_with_prefixes(key)
            if st.name.key in self.table(kind) or (kind is ast.SourceKind.PITR
                                                   and key in self.pitr_for):
                continue
            known = Known(kind, st.name.key, key, True, st.span,
                          st.range if isinstance(st, ast.ExistingPitr) else None)
            self._add(known)
            if kind is ast.SourceKind.PITR:
                self.pitr_for[key] = known
            self.seeded.add(id(st))

    def table(self, kind: ast.SourceKind) -> dict[str, Known]:
        return self.snapshots if kind is ast.SourceKind.SNAPSHOT else self.pitrs

    def coverers(self, key: ObjectKey) -> Iterator[Known]:
        """Every live snapshot or PITR that covers `key`, widest first."""
        for depth in range(len(key) + 1):
            yield from self.by_key.get(key[:depth], {}).values()

    def undoers(self, st: ast.Restore) -> list[Known]:
        """What could undo restore `st` now, apart from its own source, widest first."""
        if self._undoers is None or self._undoers[0] is not st:
            source = (st.source.kind, st.source.name.key)
            obj = overwritten(st, self.own)
            self._undoers = (st, [k for k in self.coverers(obj)
                                  if k.ref != source and can_undo(k, obj, self.in_place)])
        return list(self._undoers[1])

    def own_source_would_undo(self, st: ast.Restore) -> bool:
        """Whether restore `st` reads from a PITR that would otherwise count as its undo (it
        does not: an undo must not hang on what the restore itself hangs on)."""
        source = (st.source.kind, st.source.name.key)
        obj = overwritten(st, self.own)
        return st.source.kind is ast.SourceKind.PITR and any(
            k.ref == source and can_undo(k, obj, self.in_place)
            for k in self.coverers(obj))

    def _add(self, known: Known) -> None:
        self._undoers = None
        table = self.table(known.kind)
        old = table.get(known.name)
        if old is not None and old.key is not None:
            self.by_key.get(old.key, {}).pop(old.ref, None)
        table[known.name] = known
        if known.key is not None:
            self.by_key.setdefault(known.key, {})[known.ref] = known

    def apply(self, st: ast.Statement) -> None:
        """Advance past one statement."""
        match st:
            case ast.ExistingSnapshot() | ast.ExistingPitr() if id(st) in self.seeded:
                pass  # in force since the start (`seed`)
            case ast.CreateSnapshot() | ast.ExistingSnapshot():
                if isinstance(st, ast.CreateSnapshot):
                    self._made(st)
                ine = isinstance(st, ast.CreateSnapshot) and st.if_not_exists
                known = self.snapshots.get(st.name.key)
                if known is None or not known.live or not ine:
                    self._add(Known(ast.SourceKind.SNAPSHOT, st.name.key,
                                    resolve(st.scope, self.own),
                                    isinstance(st, ast.ExistingSnapshot), st.span,
                                    fresh=isinstance(st, ast.CreateSnapshot)
                                    and _takes_for_certain(ine, known)))
            case ast.CreatePitr() | ast.ExistingPitr():
                if isinstance(st, ast.CreatePitr):
                    self._made(st)
                ine = isinstance(st, ast.CreatePitr) and st.if_not_exists
                known = self.pitrs.get(st.name.key)
                if known is None or not known.live or not ine:
                    key = resolve(st.scope, self.own)
                    fresh = Known(ast.SourceKind.PITR, st.name.key, key,
                                  isinstance(st, ast.ExistingPitr), st.span, st.range,
                                  fresh=isinstance(st, ast.CreatePitr)
                                  and _takes_for_certain(ine, known))
                    self._add(fresh)
                    self.pitr_for[key] = fresh
            case ast.AlterPitr():
                known = self.pitrs.get(st.name.key)
                if known is not None and known.live:
                    known.range = st.range
            case ast.DropSnapshot():
                self._drop(ast.SourceKind.SNAPSHOT, st.name.key, st.span)
            case ast.DropPitr():
                self._drop(ast.SourceKind.PITR, st.name.key, st.span)
            case ast.Restore():
                self._restored(st)
                undo = Undo(st, overwritten(st, self.own), {k.ref: k for k in self.undoers(st)})
                self.undos.append(undo)
                for ref in undo.candidates:
                    self.undone_by.setdefault(ref, []).append(undo)
            case ast.Verify() | ast.Schedule() | ast.ScheduledSnapshot() | ast.Drill():
                pass  # read-only, or run only by `modsl run`
            case ast.Clone():
                key = clone_target(st, self.own)
                self.names.add_with_prefixes(key)
                self.present.add_with_prefixes(key)
            case ast.CreateRepository() | ast.ExistingRepository():
                read_only = isinstance(st, ast.CreateRepository) and st.read_only
                self.repositories[st.name.text] = Repository(
                    st.name.text, st.span, read_only, isinstance(st, ast.ExistingRepository))
            case ast.DropRepository():
                repo = self.repositories.get(st.name.text)
                if repo is not None and repo.dropped_at is None:
                    repo.dropped_at = st.span
            case ast.Backup():
                self.backups.setdefault((st.repository.text, st.snapshot.text), st)
            case ast.RestoreBackup():
                pass
            case _:
                assert_never(st)

    def _restored(self, st: ast.Restore) -> None:
        """A restore puts back what it overwrites and may take away anything below it."""
        obj = overwritten(st, self.own)
        self.present.take_away_below(obj)
        self.present.add_with_prefixes(obj)
        source = self.table(st.source.kind).get(st.source.name.key)
        if source is not None and source.live and source.key is not None:
            scope = resolve(st.scope, self.own)
            if covers(source.key, scope):
                self.names.add_with_prefixes(scope)
        if st.to_account is not None:
            self.names.add((st.to_account.key,))
        if st.scope.level is not ast.Level.CLUSTER:
            into = st.to_account.key if st.to_account is not None else obj[0]
            databases = self.landed.get(into, set())
            if len(obj) == 1:
                self.landed[into] = None
            elif databases is not None:
                self.landed[into] = databases | {obj[1]}

    def _made(self, st: ast.CreateSnapshot | ast.CreatePitr) -> None:
        """The server takes a snapshot or PITR only of something that is there."""
        key = resolve(st.scope, self.own)
        self.present.add_with_prefixes(key)

    def safe_to_snapshot(self, obj: ObjectKey) -> ObjectKey:
        """The narrowest object holding `obj` (itself included) that is there for certain, or
        else its account: what a safety snapshot may name without the server refusing a
        missing database or table. (An account is taken to be there: a restore into one
        needs it, and a cluster snapshot is no help worth suggesting for one account.)"""
        for depth in range(len(obj), 0, -1):
            if obj[:depth] in self.present:
                return obj[:depth]
        return obj[:1]

    def _drop(self, kind: ast.SourceKind, name: str, span: ast.Span) -> None:
        self._undoers = None
        known = self.table(kind).get(name)
        if known is None:
            # A drop of a name the plan does not know (`if exists`, or MB403): after it the
            # name is free on the server for certain, so a later create takes a new one.
            self.table(kind)[name] = Known(kind, name, None, False, span, dropped_at=span)
            return
        if not known.live:
            return
        known.dropped_at = span
        if known.key is not None:
            self.by_key.get(known.key, {}).pop(known.ref, None)
            if kind is ast.SourceKind.PITR:
                self.pitr_for.pop(known.key, None)
        for undo in self.undone_by.pop(known.ref, ()):
            undo.candidates.pop(known.ref, None)

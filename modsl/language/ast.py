"""The typed AST of a `.mobak` plan: immutable value classes, no behaviour.

Every node carries a `Span`, but spans (and other layout-only fields) are excluded from
equality, so `parse(fmt(x)) == parse(x)` compares meaning, not positions.

Plain classes with `__slots__` and hand-written `__init__`s, not frozen dataclasses: a
dataclass is built by `exec`-ing its generated methods at import, ~1 ms a class on every
`modsl lint`; these cost nothing to define. `Node` supplies what the dataclasses gave: value
equality and hashing over the compared fields, immutability, a readable repr,
`__match_args__`; `replace` and `fields` stand in for `dataclasses.replace`/`fields`. Each
class lists its fields once as annotations (the types: `typing.get_type_hints(cls)`), in
`__slots__` and `__match_args__` in the same order, and as `__init__`'s parameters;
tests/test_ast.py checks that the four agree.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform, get_args

from modsl.diagnostics import Span as Span  # defined at the bottom layer; `ast.Span` as ever

if TYPE_CHECKING:
    from modsl.diagnostics import Diagnostic

NO_SPAN = Span("<none>", 0, 0, 0, 0)

_set = object.__setattr__


class FrozenNodeError(AttributeError):
    """Raised on assigning to a node's field: nodes are values (shared, hashed, in sets)."""


def _rebuild(cls: type[N], values: tuple[Any, ...]) -> N:
    return cls(*values)


@dataclass_transform(frozen_default=True)  # mypy: fields are read-only, as they were
class Node:
    """What every AST class shares. Subclasses set `__slots__` and `__match_args__` (every
    field, in `__init__`'s order) and, when some fields are layout only, `_compared` (the
    fields equality and hashing look at) and `_shown` (the fields the repr shows)."""

    __slots__ = ()
    if TYPE_CHECKING:  # declared for mypy only: `typing.get_type_hints(cls)` is the fields
        __match_args__: ClassVar[tuple[str, ...]]
        _compared: ClassVar[tuple[str, ...]]
        _shown: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls) -> None:
        own = cls.__dict__  # a subclass that adds no field inherits its base's choices
        if "__match_args__" in own and "_compared" not in own:  # every field but the span
            cls._compared = tuple(f for f in cls.__match_args__ if f != "span")
        if "__match_args__" in own and "_shown" not in own:
            cls._shown = cls._compared

    def _key(self) -> tuple[Any, ...]:
        return tuple([getattr(self, f) for f in self._compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() != other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._shown)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenNodeError(f"cannot assign to field {name!r}: AST nodes are immutable "
                              "(use ast.replace)")

    def __delattr__(self, name: str) -> None:
        raise FrozenNodeError(f"cannot delete field {name!r}: AST nodes are immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), tuple([getattr(self, f) for f in self.__match_args__]))


N = TypeVar("N", bound=Node)


def replace(node: N, /, **changes: Any) -> N:
    """A copy of `node` with `changes` applied (what `dataclasses.replace` did)."""
    cls = type(node)
    unknown = changes.keys() - set(cls.__match_args__)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    values = {f: getattr(node, f) for f in cls.__match_args__}
    values.update(changes)
    return cls(**values)


def fields(node: Node | type[Node]) -> tuple[str, ...]:
    """The field names of a node or node class, in `__init__`'s order (the span included);
    their types are `typing.get_type_hints(cls)`."""
    return node.__match_args__


class Name(Node):
    """A name as the user wrote it (quotes removed); `key` is what the server stores.

    `key` is kept, not a property: the checker and the compiler read it ~13 times a name, and
    a property's call was 2% of compiling 5,000 statements."""

    __match_args__ = ("text", "span")
    __slots__ = (*__match_args__, "key")
    text: str
    span: Span
    if TYPE_CHECKING:  # derived from `text`: not a field (not compared, not in `replace`)
        key: str

    def __init__(self, text: str, span: Span = NO_SPAN) -> None:
        _set(self, "text", text)
        _set(self, "span", span)
        _set(self, "key", text.lower())


class Level(enum.Enum):
    """What a snapshot, PITR or restore covers, widest first."""

    CLUSTER = "cluster"
    ACCOUNT = "account"
    DATABASE = "database"
    TABLE = "table"


class Scope(Node):
    """An object at one level: the cluster, an account, a database or a table.

    `account` is None for `for account` with no name (the plan's own account).
    """

    __slots__ = __match_args__ = ("level", "account", "database", "table", "span")
    level: Level
    account: Name | None
    database: Name | None
    table: Name | None
    span: Span

    def __init__(self, level: Level, account: Name | None = None, database: Name | None = None,
                 table: Name | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "level", level)
        _set(self, "account", account)
        _set(self, "database", database)
        _set(self, "table", table)
        _set(self, "span", span)


class Duration(Node):
    """A PITR range as written: `7d` is Duration(7, "d"). Validity is the checker's job."""

    __slots__ = __match_args__ = ("value", "unit", "span")
    value: int
    unit: str
    span: Span

    def __init__(self, value: int, unit: str, span: Span = NO_SPAN) -> None:
        _set(self, "value", value)
        _set(self, "unit", unit)
        _set(self, "span", span)

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"


class Timestamp(Node):
    """A timestamp string (escapes resolved), in the server's local time."""

    __slots__ = __match_args__ = ("text", "span")
    text: str
    span: Span

    def __init__(self, text: str, span: Span = NO_SPAN) -> None:
        _set(self, "text", text)
        _set(self, "span", span)


class Comment(Node):
    """A `#` comment, text including the `#`."""

    __slots__ = __match_args__ = ("text", "span")
    text: str
    span: Span

    def __init__(self, text: str, span: Span = NO_SPAN) -> None:
        _set(self, "text", text)
        _set(self, "span", span)


class SourceKind(enum.Enum):
    """What a restore reads from."""

    SNAPSHOT = "snapshot"
    PITR = "pitr"


class Source(Node):
    """Where a restore reads from: a snapshot, or a PITR at a timestamp."""

    __slots__ = __match_args__ = ("kind", "name", "at", "span")
    kind: SourceKind
    name: Name
    at: Timestamp | None
    span: Span

    def __init__(self, kind: SourceKind, name: Name, at: Timestamp | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "kind", kind)
        _set(self, "name", name)
        _set(self, "at", at)
        _set(self, "span", span)


class CreateSnapshot(Node):
    """`snapshot NAME for LEVEL [if not exists]`."""

    __slots__ = __match_args__ = ("name", "scope", "if_not_exists", "comment", "span")
    name: Name
    scope: Scope
    if_not_exists: bool
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, scope: Scope, if_not_exists: bool = False,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "scope", scope)
        _set(self, "if_not_exists", if_not_exists)
        _set(self, "comment", comment)
        _set(self, "span", span)


class DropSnapshot(Node):
    """`drop snapshot NAME [if exists]`."""

    __slots__ = __match_args__ = ("name", "if_exists", "comment", "span")
    name: Name
    if_exists: bool
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, if_exists: bool = False, comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "if_exists", if_exists)
        _set(self, "comment", comment)
        _set(self, "span", span)


class CreatePitr(Node):
    """`pitr NAME for LEVEL range DURATION [if not exists]`."""

    __slots__ = __match_args__ = ("name", "scope", "range", "if_not_exists", "comment", "span")
    name: Name
    scope: Scope
    range: Duration
    if_not_exists: bool
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, scope: Scope, range: Duration, if_not_exists: bool = False,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "scope", scope)
        _set(self, "range", range)
        _set(self, "if_not_exists", if_not_exists)
        _set(self, "comment", comment)
        _set(self, "span", span)


class AlterPitr(Node):
    """`alter pitr NAME range DURATION [if exists]`."""

    __slots__ = __match_args__ = ("name", "range", "if_exists", "comment", "span")
    name: Name
    range: Duration
    if_exists: bool
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, range: Duration, if_exists: bool = False,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "range", range)
        _set(self, "if_exists", if_exists)
        _set(self, "comment", comment)
        _set(self, "span", span)


class DropPitr(Node):
    """`drop pitr NAME [if exists]`."""

    __slots__ = __match_args__ = ("name", "if_exists", "comment", "span")
    name: Name
    if_exists: bool
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, if_exists: bool = False, comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "if_exists", if_exists)
        _set(self, "comment", comment)
        _set(self, "span", span)


class Restore(Node):
    """`restore LEVEL from SOURCE [to account NAME]`."""

    __slots__ = __match_args__ = ("scope", "source", "to_account", "comment", "span")
    scope: Scope
    source: Source
    to_account: Name | None
    comment: Comment | None
    span: Span

    def __init__(self, scope: Scope, source: Source, to_account: Name | None = None,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "scope", scope)
        _set(self, "source", source)
        _set(self, "to_account", to_account)
        _set(self, "comment", comment)
        _set(self, "span", span)


class ExistingSnapshot(Node):
    """`existing snapshot ...`: declares an object made elsewhere; compiles to nothing."""

    __slots__ = __match_args__ = ("name", "scope", "comment", "span")
    name: Name
    scope: Scope
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, scope: Scope, comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "scope", scope)
        _set(self, "comment", comment)
        _set(self, "span", span)


class ExistingPitr(Node):
    """`existing pitr ...`: declares a PITR made elsewhere; compiles to nothing."""

    __slots__ = __match_args__ = ("name", "scope", "range", "comment", "span")
    name: Name
    scope: Scope
    range: Duration | None
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, scope: Scope, range: Duration | None = None,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "scope", scope)
        _set(self, "range", range)
        _set(self, "comment", comment)
        _set(self, "span", span)


class VerifyKind(enum.Enum):
    """What a `verify` line checks."""

    ROWS = "rows"
    TABLE = "table"
    DATABASE = "database"
    QUERY = "query"


class Verify(Node):
    """`verify rows D.T OP N`, `verify table D.T exists`, `verify database D exists`, or
    `verify "QUERY" OP VALUE`: a read-only check, run after the steps before it."""

    __slots__ = __match_args__ = ("kind", "database", "table", "query", "op", "expected",
                                  "account", "comment", "span")
    kind: VerifyKind
    database: Name | None
    table: Name | None
    query: str | None
    op: str
    expected: int | str
    """A count (rows, exists: 1) or, for a query, a number or a string."""
    account: Name | None
    """`in account A`: where it reads (apply logs into A); None: the plan's account."""
    comment: Comment | None
    span: Span

    def __init__(self, kind: VerifyKind, database: Name | None = None,
                 table: Name | None = None, query: str | None = None, op: str = "=",
                 expected: int | str = 1, account: Name | None = None,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "kind", kind)
        _set(self, "database", database)
        _set(self, "table", table)
        _set(self, "query", query)
        _set(self, "op", op)
        _set(self, "expected", expected)
        _set(self, "account", account)
        _set(self, "comment", comment)
        _set(self, "span", span)


class Schedule(Node):
    """`schedule NAME every UNIT [on DAY] at TIME [in "ZONE"]`, or `schedule NAME cron "EXPR"
    [in "ZONE"]`: when the scheduled snapshots `on NAME` are taken (`modsl run`). As written;
    `modsl.time.cadence` reads the time and the checker judges it."""

    __slots__ = __match_args__ = ("name", "every", "on", "at", "cron", "zone", "comment",
                                  "span")
    name: Name
    every: str | None
    """`hour`, `day`, `week` or `month` (None for cron)."""
    on: str | None
    """A weekday (`sunday`) or a day of the month (`1`), as written."""
    at: str | None
    """`01:00`, or `:15` for every hour."""
    cron: str | None
    zone: str | None
    """An IANA zone; None is UTC (and a warning)."""
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, every: str | None = None, on: str | None = None,
                 at: str | None = None, cron: str | None = None, zone: str | None = None,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "every", every)
        _set(self, "on", on)
        _set(self, "at", at)
        _set(self, "cron", cron)
        _set(self, "zone", zone)
        _set(self, "comment", comment)
        _set(self, "span", span)


class ScheduledSnapshot(Node):
    """`snapshot TEMPLATE for LEVEL on SCHEDULE keep RETENTION`: a snapshot taken at each
    firing of SCHEDULE, named by TEMPLATE (`{date}`, `{time}`, `{ts}` in the schedule's
    zone), pruned beyond its retention. Never run by a plain `apply`."""

    __slots__ = __match_args__ = ("name", "scope", "schedule", "keep_for", "keep_last",
                                  "comment", "span")
    name: Name
    """The template, as a name (placeholders included)."""
    scope: Scope
    schedule: Name
    keep_for: Duration | None
    keep_last: int | None
    """Both set: a snapshot is dropped only when both say so."""
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, scope: Scope, schedule: Name,
                 keep_for: Duration | None = None, keep_last: int | None = None,
                 comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "scope", scope)
        _set(self, "schedule", schedule)
        _set(self, "keep_for", keep_for)
        _set(self, "keep_last", keep_last)
        _set(self, "comment", comment)
        _set(self, "span", span)


class Property(Node):
    """`"key" = "value"` or `"key" = env("NAME")` in a StarRocks `properties (...)` list. A
    secret is never in the plan: `env` names the environment variable apply reads it from."""

    __slots__ = __match_args__ = ("key", "value", "env", "env_word", "span")
    _compared = ("key", "value", "env")
    _shown = ("key", "value", "env", "env_word")
    key: str
    value: str | None
    env: str | None
    env_word: str
    """The word written before `(` (anything but `env` is the checker's MB217); layout
    only, not compared."""
    span: Span

    def __init__(self, key: str, value: str | None = None, env: str | None = None,
                 env_word: str = "env", span: Span = NO_SPAN) -> None:
        _set(self, "key", key)
        _set(self, "value", value)
        _set(self, "env", env)
        _set(self, "env_word", env_word)
        _set(self, "span", span)


class TableItem(Node):
    """One table of a StarRocks backup or restore: `NAME [partitions (P, ...)] [as ALIAS]`."""

    __slots__ = __match_args__ = ("name", "partitions", "alias", "span")
    name: Name
    partitions: tuple[Name, ...]
    alias: Name | None
    span: Span

    def __init__(self, name: Name, partitions: tuple[Name, ...] = (),
                 alias: Name | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "partitions", partitions)
        _set(self, "alias", alias)
        _set(self, "span", span)


class CreateRepository(Node):
    """`repository NAME at "LOCATION" [read only] [broker [NAME]] [properties (...)]`
    (StarRocks): where backups are written and restores read from."""

    __slots__ = __match_args__ = ("name", "location", "read_only", "broker", "broker_name",
                                  "properties", "comment", "span")
    name: Name
    location: str
    read_only: bool
    broker: bool
    broker_name: Name | None
    properties: tuple[Property, ...]
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, location: str, read_only: bool = False,
                 broker: bool = False, broker_name: Name | None = None,
                 properties: tuple[Property, ...] = (), comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "location", location)
        _set(self, "read_only", read_only)
        _set(self, "broker", broker)
        _set(self, "broker_name", broker_name)
        _set(self, "properties", properties)
        _set(self, "comment", comment)
        _set(self, "span", span)


class ExistingRepository(Node):
    """`existing repository NAME`: a repository made elsewhere; compiles to nothing."""

    __slots__ = __match_args__ = ("name", "comment", "span")
    name: Name
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "comment", comment)
        _set(self, "span", span)


class DropRepository(Node):
    """`drop repository NAME` (StarRocks; the backups in it stay in storage)."""

    __slots__ = __match_args__ = ("name", "comment", "span")
    name: Name
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "comment", comment)
        _set(self, "span", span)


class Backup(Node):
    """`backup database DB to REPO as SNAPSHOT [tables ...] [properties (...)]` (StarRocks):
    an asynchronous job that writes the database (or the listed tables) to the repository."""

    __slots__ = __match_args__ = ("database", "repository", "snapshot", "tables", "properties",
                                  "comment", "span", "schedule", "keep_for", "keep_last")
    database: Name
    repository: Name
    snapshot: Name
    tables: tuple[TableItem, ...]
    """Empty: every table of the database."""
    properties: tuple[Property, ...]
    comment: Comment | None
    span: Span
    schedule: Name | None
    """Set: taken at each firing of this schedule by `modsl run`, `snapshot` its label
    template (`nightly_{date}`); never run by a plain `apply`."""
    keep_for: Duration | None
    keep_last: int | None
    """As written, to be refused (MB225): StarRocks cannot delete a backup by SQL."""

    def __init__(self, database: Name, repository: Name, snapshot: Name,
                 tables: tuple[TableItem, ...] = (), properties: tuple[Property, ...] = (),
                 comment: Comment | None = None, span: Span = NO_SPAN,
                 schedule: Name | None = None, keep_for: Duration | None = None,
                 keep_last: int | None = None) -> None:
        _set(self, "database", database)
        _set(self, "repository", repository)
        _set(self, "snapshot", snapshot)
        _set(self, "tables", tables)
        _set(self, "properties", properties)
        _set(self, "comment", comment)
        _set(self, "span", span)
        _set(self, "schedule", schedule)
        _set(self, "keep_for", keep_for)
        _set(self, "keep_last", keep_last)


class RestoreBackup(Node):
    """`restore database DB from REPO snapshot S [at "TS"] [tables ...] [into database D]
    [properties (...)]` (StarRocks): an asynchronous job that puts a backup's tables back.
    `scope` is as written: anything but a database is the checker's MB411. `restore backup
    from R snapshot S ...` is a database scope with no database (`names_no_database`)."""

    __slots__ = __match_args__ = ("scope", "repository", "snapshot", "at", "tables", "into",
                                  "properties", "comment", "span")
    scope: Scope
    repository: Name
    snapshot: Name
    at: Timestamp | None
    """The backup's timestamp; None only for a backup the plan itself made (MB223)."""
    tables: tuple[TableItem, ...]
    into: Name | None
    properties: tuple[Property, ...]
    comment: Comment | None
    span: Span

    def __init__(self, scope: Scope, repository: Name, snapshot: Name, at: Timestamp | None,
                 tables: tuple[TableItem, ...] = (), into: Name | None = None,
                 properties: tuple[Property, ...] = (), comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "scope", scope)
        _set(self, "repository", repository)
        _set(self, "snapshot", snapshot)
        _set(self, "at", at)
        _set(self, "tables", tables)
        _set(self, "into", into)
        _set(self, "properties", properties)
        _set(self, "comment", comment)
        _set(self, "span", span)

    @property
    def names_no_database(self) -> bool:
        """`restore backup ...`: the job restores the database the backup holds, which
        the plan does not say (only the repository does, `SHOW SNAPSHOT`)."""
        return self.scope.level is Level.DATABASE and self.scope.database is None


class Clone(Node):
    """`clone database D from SOURCE into D2 [to account A]`, or `clone table D.T from SOURCE
    into D2.T2 [to account A]`: a copy of an object as the snapshot (or PITR moment) holds
    it, under a new name. Destroys nothing: the target must not exist. `into` is a database
    or table scope (the level of `scope`); `scope` is as written (the checker judges it)."""

    __slots__ = __match_args__ = ("scope", "source", "into", "to_account", "comment", "span")
    scope: Scope
    source: Source
    into: Scope
    to_account: Name | None
    comment: Comment | None
    span: Span

    def __init__(self, scope: Scope, source: Source, into: Scope,
                 to_account: Name | None = None, comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "scope", scope)
        _set(self, "source", source)
        _set(self, "into", into)
        _set(self, "to_account", to_account)
        _set(self, "comment", comment)
        _set(self, "span", span)


class Drill(Node):
    """`drill NAME restore TEMPLATE on SCHEDULE into SCRATCH`, then indented `verify` lines: a
    restore test `modsl run` performs at each firing of SCHEDULE. The newest snapshot the
    scheduled line TEMPLATE made is cloned into SCRATCH (a name or template, rendered at the
    firing), the verifies read the clone, and the clone is dropped."""

    __slots__ = __match_args__ = ("name", "snapshot", "schedule", "scratch", "verifies",
                                  "comment", "span")
    name: Name
    snapshot: Name
    """The template of a scheduled snapshot line, as written."""
    schedule: Name
    scratch: Name
    verifies: tuple[Verify, ...]
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, snapshot: Name, schedule: Name, scratch: Name,
                 verifies: tuple[Verify, ...] = (), comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "snapshot", snapshot)
        _set(self, "schedule", schedule)
        _set(self, "scratch", scratch)
        _set(self, "verifies", verifies)
        _set(self, "comment", comment)
        _set(self, "span", span)


Statement = (
    CreateSnapshot
    | DropSnapshot
    | CreatePitr
    | AlterPitr
    | DropPitr
    | Restore
    | ExistingSnapshot
    | ExistingPitr
    | Verify
    | Schedule
    | ScheduledSnapshot
    | CreateRepository
    | ExistingRepository
    | DropRepository
    | Backup
    | RestoreBackup
    | Clone
    | Drill
)
"""Every plan step. Each stage matches on it exhaustively (`typing.assert_never`), so a new
statement class is a mypy error in every stage until that stage handles it."""

STATEMENTS: tuple[type[Statement], ...] = get_args(Statement)
"""Every statement class, in the order of `Statement`: what code (and the test strategies)
enumerate instead of listing them by hand."""
SCOPED: tuple[type[Statement], ...] = tuple(t for t in STATEMENTS if "scope" in fields(t))
"""The statements that name an object (a `scope`)."""


class TargetDecl(Node):
    """`target ENGINE [VERSION]`; engine lower-cased, version as written (None = newest)."""

    __slots__ = __match_args__ = ("engine", "version", "comment", "span")
    engine: str
    version: str | None
    comment: Comment | None
    span: Span

    def __init__(self, engine: str, version: str | None = None, comment: Comment | None = None,
                 span: Span = NO_SPAN) -> None:
        _set(self, "engine", engine)
        _set(self, "version", version)
        _set(self, "comment", comment)
        _set(self, "span", span)


class AccountDecl(Node):
    """`as account NAME`: the account whose admin runs the plan."""

    __slots__ = __match_args__ = ("name", "comment", "span")
    name: Name
    comment: Comment | None
    span: Span

    def __init__(self, name: Name, comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "name", name)
        _set(self, "comment", comment)
        _set(self, "span", span)


class RollbackDecl(Node):
    """`rollback on failure`: when a step after the first restore or a verify fails, apply
    puts back what the run restored, from the undo the checker found for each restore."""

    __slots__ = __match_args__ = ("comment", "span")
    comment: Comment | None
    span: Span

    def __init__(self, comment: Comment | None = None, span: Span = NO_SPAN) -> None:
        _set(self, "comment", comment)
        _set(self, "span", span)


Header = TargetDecl | AccountDecl | RollbackDecl


class Plan(Node):
    """A parsed plan. `comments` are own-line comments; `blank_lines` is layout only."""

    __slots__ = __match_args__ = ("target", "account", "statements", "comments", "blank_lines",
                                  "file", "raw", "parse_diagnostics", "rollback")
    _compared = ("target", "account", "statements", "comments", "rollback")
    target: TargetDecl | None
    account: AccountDecl | None
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...]
    blank_lines: tuple[int, ...]
    file: str
    raw: bytes
    """The plan file as read, so the compiler can name its sha256 (hashed only then)."""
    parse_diagnostics: tuple[Diagnostic, ...]
    """What the parser found: a plan with a syntax error is missing its bad lines, so
    `check` reports these and nothing compiles it."""
    rollback: RollbackDecl | None

    def __init__(self, target: TargetDecl | None, account: AccountDecl | None,
                 statements: tuple[Statement, ...], comments: tuple[Comment, ...] = (),
                 blank_lines: tuple[int, ...] = (), file: str = "<plan>", raw: bytes = b"",
                 parse_diagnostics: tuple[Diagnostic, ...] = (),
                 rollback: RollbackDecl | None = None) -> None:
        _set(self, "target", target)
        _set(self, "account", account)
        _set(self, "statements", statements)
        _set(self, "comments", comments)
        _set(self, "blank_lines", blank_lines)
        _set(self, "file", file)
        _set(self, "raw", raw)
        _set(self, "parse_diagnostics", parse_diagnostics)
        _set(self, "rollback", rollback)

    @property
    def headers(self) -> list[Header]:
        """The header lines present, in canonical order."""
        return [d for d in (self.target, self.account, self.rollback) if d is not None]

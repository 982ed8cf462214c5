"""The typed AST of a `.mobak` plan: frozen dataclasses, no behaviour.

Every node carries a `Span`, but spans (and other layout-only fields) are excluded from
equality, so `parse(fmt(x)) == parse(x)` compares meaning, not positions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, NamedTuple, get_args

if TYPE_CHECKING:
    from modsl.diagnostics import Diagnostic


class Span(NamedTuple):
    """Where a node stands in its file; 1-based, end column exclusive. A tuple: made for
    every node, so it must be cheap to create."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span("<none>", 0, 0, 0, 0)


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """A name as the user wrote it (quotes removed); `key` is what the server stores."""

    text: str
    span: Span = _span()

    @property
    def key(self) -> str:
        return self.text.lower()


class Level(enum.Enum):
    """What a snapshot, PITR or restore covers, widest first."""

    CLUSTER = "cluster"
    ACCOUNT = "account"
    DATABASE = "database"
    TABLE = "table"


@dataclass(frozen=True)
class Scope:
    """An object at one level: the cluster, an account, a database or a table.

    `account` is None for `for account` with no name (the plan's own account).
    """

    level: Level
    account: Name | None = None
    database: Name | None = None
    table: Name | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Duration:
    """A PITR range as written: `7d` is Duration(7, "d"). Validity is the checker's job."""

    value: int
    unit: str
    span: Span = _span()

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(frozen=True)
class Timestamp:
    """A timestamp string (escapes resolved), in the server's local time."""

    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Comment:
    """A `#` comment, text including the `#`."""

    text: str
    span: Span = _span()


class SourceKind(enum.Enum):
    """What a restore reads from."""

    SNAPSHOT = "snapshot"
    PITR = "pitr"


@dataclass(frozen=True)
class Source:
    """Where a restore reads from: a snapshot, or a PITR at a timestamp."""

    kind: SourceKind
    name: Name
    at: Timestamp | None = None
    span: Span = _span()


@dataclass(frozen=True)
class CreateSnapshot:
    """`snapshot NAME for LEVEL [if not exists]`."""

    name: Name
    scope: Scope
    if_not_exists: bool = False
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class DropSnapshot:
    """`drop snapshot NAME [if exists]`."""

    name: Name
    if_exists: bool = False
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class CreatePitr:
    """`pitr NAME for LEVEL range DURATION [if not exists]`."""

    name: Name
    scope: Scope
    range: Duration
    if_not_exists: bool = False
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class AlterPitr:
    """`alter pitr NAME range DURATION [if exists]`."""

    name: Name
    range: Duration
    if_exists: bool = False
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class DropPitr:
    """`drop pitr NAME [if exists]`."""

    name: Name
    if_exists: bool = False
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Restore:
    """`restore LEVEL from SOURCE [to account NAME]`."""

    scope: Scope
    source: Source
    to_account: Name | None = None
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ExistingSnapshot:
    """`existing snapshot ...`: declares an object made elsewhere; compiles to nothing."""

    name: Name
    scope: Scope
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ExistingPitr:
    """`existing pitr ...`: declares a PITR made elsewhere; compiles to nothing."""

    name: Name
    scope: Scope
    range: Duration | None = None
    comment: Comment | None = None
    span: Span = _span()


class VerifyKind(enum.Enum):
    """What a `verify` line checks."""

    ROWS = "rows"
    TABLE = "table"
    DATABASE = "database"
    QUERY = "query"


@dataclass(frozen=True)
class Verify:
    """`verify rows D.T OP N`, `verify table D.T exists`, `verify database D exists`, or
    `verify "QUERY" OP VALUE`: a read-only check, run after the steps before it."""

    kind: VerifyKind
    database: Name | None = None
    table: Name | None = None
    query: str | None = None
    op: str = "="
    expected: int | str = 1
    """A count (rows, exists: 1) or, for a query, a number or a string."""
    account: Name | None = None
    """`in account A`: where it reads (apply logs into A); None: the plan's account."""
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Schedule:
    """`schedule NAME every UNIT [on DAY] at TIME [in "ZONE"]`, or `schedule NAME cron "EXPR"
    [in "ZONE"]`: when the scheduled snapshots `on NAME` are taken (`modsl run`). As written;
    `modsl.time.cadence` reads the time and the checker judges it."""

    name: Name
    every: str | None = None
    """`hour`, `day`, `week` or `month` (None for cron)."""
    on: str | None = None
    """A weekday (`sunday`) or a day of the month (`1`), as written."""
    at: str | None = None
    """`01:00`, or `:15` for every hour."""
    cron: str | None = None
    zone: str | None = None
    """An IANA zone; None is UTC (and a warning)."""
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ScheduledSnapshot:
    """`snapshot TEMPLATE for LEVEL on SCHEDULE keep RETENTION`: a snapshot taken at each
    firing of SCHEDULE, named by TEMPLATE (`{date}`, `{time}`, `{ts}` in the schedule's
    zone), pruned beyond its retention. Never run by a plain `apply`."""

    name: Name
    """The template, as a name (placeholders included)."""
    scope: Scope
    schedule: Name
    keep_for: Duration | None = None
    keep_last: int | None = None
    """Both set: a snapshot is dropped only when both say so."""
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Property:
    """`"key" = "value"` or `"key" = env("NAME")` in a StarRocks `properties (...)` list. A
    secret is never in the plan: `env` names the environment variable apply reads it from."""

    key: str
    value: str | None = None
    env: str | None = None
    env_word: str = field(default="env", compare=False)
    """The word written before `(` (anything but `env` is the checker's MB217)."""
    span: Span = _span()


@dataclass(frozen=True)
class TableItem:
    """One table of a StarRocks backup or restore: `NAME [partitions (P, ...)] [as ALIAS]`."""

    name: Name
    partitions: tuple[Name, ...] = ()
    alias: Name | None = None
    span: Span = _span()


@dataclass(frozen=True)
class CreateRepository:
    """`repository NAME at "LOCATION" [read only] [broker [NAME]] [properties (...)]`
    (StarRocks): where backups are written and restores read from."""

    name: Name
    location: str
    read_only: bool = False
    broker: bool = False
    broker_name: Name | None = None
    properties: tuple[Property, ...] = ()
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ExistingRepository:
    """`existing repository NAME`: a repository made elsewhere; compiles to nothing."""

    name: Name
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class DropRepository:
    """`drop repository NAME` (StarRocks; the backups in it stay in storage)."""

    name: Name
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Backup:
    """`backup database DB to REPO as SNAPSHOT [tables ...] [properties (...)]` (StarRocks):
    an asynchronous job that writes the database (or the listed tables) to the repository."""

    database: Name
    repository: Name
    snapshot: Name
    tables: tuple[TableItem, ...] = ()
    """Empty: every table of the database."""
    properties: tuple[Property, ...] = ()
    comment: Comment | None = None
    span: Span = _span()
    schedule: Name | None = None
    """Set: taken at each firing of this schedule by `modsl run`, `snapshot` its label
    template (`nightly_{date}`); never run by a plain `apply`."""
    keep_for: Duration | None = None
    keep_last: int | None = None
    """As written, to be refused (MB225): StarRocks cannot delete a backup by SQL."""


@dataclass(frozen=True)
class RestoreBackup:
    """`restore database DB from REPO snapshot S [at "TS"] [tables ...] [into database D]
    [properties (...)]` (StarRocks): an asynchronous job that puts a backup's tables back.
    `scope` is as written: anything but a database is the checker's MB411."""

    scope: Scope
    repository: Name
    snapshot: Name
    at: Timestamp | None
    """The backup's timestamp; None only for a backup the plan itself made (MB223)."""
    tables: tuple[TableItem, ...] = ()
    into: Name | None = None
    properties: tuple[Property, ...] = ()
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Clone:
    """`clone database D from SOURCE into D2 [to account A]`, or `clone table D.T from SOURCE
    into D2.T2 [to account A]`: a copy of an object as the snapshot (or PITR moment) holds
    it, under a new name. Destroys nothing: the target must not exist. `into` is a database
    or table scope (the level of `scope`); `scope` is as written (the checker judges it)."""

    scope: Scope
    source: Source
    into: Scope
    to_account: Name | None = None
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Drill:
    """`drill NAME restore TEMPLATE on SCHEDULE into SCRATCH`, then indented `verify` lines: a
    restore test `modsl run` performs at each firing of SCHEDULE. The newest snapshot the
    scheduled line TEMPLATE made is cloned into SCRATCH (a name or template, rendered at the
    firing), the verifies read the clone, and the clone is dropped."""

    name: Name
    snapshot: Name
    """The template of a scheduled snapshot line, as written."""
    schedule: Name
    scratch: Name
    verifies: tuple[Verify, ...] = ()
    comment: Comment | None = None
    span: Span = _span()


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

STATEMENTS: tuple[type, ...] = get_args(Statement)
SCOPED: tuple[type, ...] = tuple(t for t in STATEMENTS
                                  if any(f.name == "scope" for f in fields(t)))
"""The statements that name an object (a `scope`)."""


@dataclass(frozen=True)
class TargetDecl:
    """`target ENGINE [VERSION]`; engine lower-cased, version as written (None = newest)."""

    engine: str
    version: str | None = None
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class AccountDecl:
    """`as account NAME`: the account whose admin runs the plan."""

    name: Name
    comment: Comment | None = None
    span: Span = _span()


@dataclass(frozen=True)
class RollbackDecl:
    """`rollback on failure`: when a step after the first restore or a verify fails, apply
    puts back what the run restored, from the undo the checker found for each restore."""

    comment: Comment | None = None
    span: Span = _span()


Header = TargetDecl | AccountDecl | RollbackDecl


@dataclass(frozen=True)
class Plan:
    """A parsed plan. `comments` are own-line comments; `blank_lines` is layout only."""

    target: TargetDecl | None
    account: AccountDecl | None
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
    blank_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)
    file: str = field(default="<plan>", compare=False, repr=False)
    raw: bytes = field(default=b"", compare=False, repr=False)
    """The plan file as read, so the compiler can name its sha256 (hashed only then)."""
    parse_diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)
    """What the parser found: a plan with a syntax error is missing its bad lines, so
    `check` reports these and nothing compiles it."""
    rollback: RollbackDecl | None = None

    @property
    def headers(self) -> list[Header]:
        """The header lines present, in canonical order."""
        return [d for d in (self.target, self.account, self.rollback) if d is not None]

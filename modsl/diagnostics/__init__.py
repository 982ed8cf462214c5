"""Diagnostics as values, and the one registry of codes, severities and summaries.

A code keeps its meaning once published; add new ones in the same families.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple


class Span(NamedTuple):
    """Where an AST node or a finding stands in its file; 1-based, end column exclusive. A
    tuple: made for every node, so it must be cheap to create. Defined here, the bottom
    layer, so that diagnostics need not import the AST (`modsl.language.ast` re-exports it)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(NamedTuple):
    code: str
    severity: Severity
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("MB001", _W, "a `# modsl: ignore[...]` comment that silences nothing"),
        Code("MB100", _E, "the file is not UTF-8 text, or contains a NUL byte"),
        Code("MB101", _E, "syntax error: unexpected token or character"),
        Code("MB102", _E, "unterminated string or quoted name"),
        Code("MB103", _E, "unknown target engine or version"),
        Code("MB104", _E, "no `as account` line and no `--as`"),
        Code("MB105", _E, "a header line after a statement, or a header line twice"),
        Code("MB106", _W, "an imported SQL statement that is not a plan step (SHOW ...)"),
        Code("MB107", _E, "an imported SQL statement that a plan cannot say as written"),
        Code("MB108", _W, "an imported secret, read from the environment instead"),
        Code("MB109", _E, "a clause the server's grammar has no place for (`to account` on a "
                          "cluster restore)"),
        Code("MB110", _E, "an imported StarRocks statement the server itself refuses "
                          "(temporary partitions, no database)"),
        Code("MB111", _E, "an imported StarRocks restore whose meaning a plan would change "
                          "(`SNAPSHOT db.label` on 3.4+)"),
        Code("MB201", _E, "invalid name"),
        Code("MB202", _E, "snapshot name longer than 64 characters"),
        Code("MB203", _E, "PITR range value outside 1-100"),
        Code("MB204", _E, "unknown range unit (only h, d, mo, y)"),
        Code("MB205", _E, "malformed timestamp"),
        Code("MB206", _E, "reserved name (sys_mo_catalog_pitr)"),
        Code("MB207", _E, "a system database as the object of a snapshot, PITR or restore"),
        Code("MB208", _W, "a name that is not lower-case (the server stores it lower-cased)"),
        Code("MB209", _E, "a PITR timestamp outside what the PITR can ever reach"),
        Code("MB210", _W, "a PITR timestamp in the future"),
        Code("MB211", _E, "a verify query that is not exactly one read-only SELECT"),
        Code("MB212", _E, "a schedule that names no time (unit, day, time, cron or zone)"),
        Code("MB213", _W, "a schedule without a zone (it runs in UTC)"),
        Code("MB214", _E, "a snapshot name template that is not one name per firing"),
        Code("MB215", _E, "a retention shorter than the time between firings"),
        Code("MB216", _E, "StarRocks: an unknown or repeated backup/restore property key"),
        Code("MB217", _E, "StarRocks: an invalid backup/restore property value"),
        Code("MB218", _E, "StarRocks: a secret repository property written into the plan"),
        Code("MB219", _E, 'StarRocks: a property value that is not a string or env("NAME")'),
        Code("MB220", _E, "StarRocks: an invalid repository, database, table or snapshot name"),
        Code("MB221", _E, "StarRocks: a table or alias listed twice in a backup or restore"),
        Code("MB222", _E, "StarRocks: an `as` alias in a backup"),
        Code("MB223", _E, "StarRocks: a restore without `at` of a backup the plan did not make"),
        Code("MB224", _E, "StarRocks: a repository with an empty location"),
        Code("MB225", _E, "StarRocks: `keep` on a scheduled backup (retention is the bucket's)"),
        Code("MB301", _E, "a cluster-level snapshot, PITR or restore by an account other than sys"),
        Code("MB302", _E, "an account other than sys naming another account"),
        Code("MB303", _E, "`pitr ... for account NAME` by an account other than sys"),
        Code("MB304", _E, "`to account` by an account other than sys"),
        Code("MB305", _E, "`to account` at database or table level"),
        Code("MB306", _E, "an imported database or table restore qualified with another account"),
        Code("MB307", _E, "an account restore that crosses into or out of sys"),
        Code("MB401", _E, "the source's level cannot restore the target"),
        Code("MB402", _E, "the source covers a different object"),
        Code("MB403", _W, "a snapshot or PITR neither created earlier nor declared `existing`"),
        Code("MB404", _E, "an undeclared snapshot or PITR whose level decides the SQL"),
        Code("MB405", _E, "use of a snapshot or PITR after the plan dropped it"),
        Code("MB406", _E, "a name created twice without `if not exists` (or a PITR name reused)"),
        Code("MB407", _E, "a second PITR for the same object"),
        Code("MB408", _E, "the target version cannot express the statement"),
        Code("MB409", _W, "`if not exists` on a name that holds a different object or range"),
        Code("MB410", _E, "a schedule that is not defined, or defined twice"),
        Code("MB411", _E, "StarRocks: a restore from a repository of anything but a database"),
        Code("MB412", _W, "StarRocks: a repository neither created nor declared `existing`"),
        Code("MB413", _E, "StarRocks: a repository used after its drop, or created twice"),
        Code("MB414", _E, "StarRocks: a backup to a read-only repository"),
        Code("MB415", _E, "StarRocks: a backup name written twice to one repository"),
        Code("MB416", _E, "StarRocks: a restore naming what the plan's backup does not hold"),
        Code("MB417", _W, "an account, database or table one edit away from one the plan "
                          "knows, and itself unknown"),
        Code("MB418", _E, "a verify that reads in one account what the plan restored into "
                          "another"),
        Code("MB430", _E, "a clone of what its snapshot or PITR does not hold, or at a level "
                          "a clone has not"),
        Code("MB431", _E, "a clone into a name that exists (a clone creates its target)"),
        Code("MB432", _E, "a drill whose snapshot line, scratch name or verifies do not fit"),
        Code("MB501", _W, "a restore that cannot be undone"),
        Code("MB502", _W, "a drop of the only undo of an earlier restore"),
        Code("MB503", _E, "more snapshots at one level than a tenant's quota (4.x)"),
        Code("MB504", _E, "`rollback on failure` with a restore it could not roll back"),
        Code("MB601", _E, "live: the server is not the target's engine and version"),
        Code("MB602", _E, "live: the login is not in the plan's `as account`"),
        Code("MB603", _E, "live: a declared `existing` snapshot or PITR is missing or differs"),
        Code("MB604", _E, "live: a name the plan creates without `if not exists` is taken"),
        Code("MB605", _E, "live: a `to account` that does not exist"),
        Code("MB606", _E, "live: a PITR timestamp outside the PITR's window now"),
        Code("MB607", _E, "live: a database or table a restore names is not in its snapshot"),
        Code("MB608", _E, "live: an account, database or table a line names is not on the server"),
        Code("MB609", _E, "live: a tenant's snapshot past its quota, counting the server's (4.x)"),
    )
}


_set = object.__setattr__


class Diagnostic:
    """One finding: a value, equal and hashed by its fields, immutable. A plain class with
    `__slots__`, not a frozen dataclass: `dataclasses` (with the `inspect` it imports) cost
    ~10 ms of every `modsl lint`."""

    __slots__ = __match_args__ = ("code", "message", "span", "help")
    code: str
    message: str
    span: Span
    help: str | None

    def __init__(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        _set(self, "code", code)
        _set(self, "message", message)
        _set(self, "span", span)
        _set(self, "help", help)

    def _key(self) -> tuple[str, str, Span, str | None]:
        return (self.code, self.message, self.span, self.help)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(code={self.code!r}, message={self.message!r}, "
                f"span={self.span!r}, help={self.help!r})")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Diagnostic is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Diagnostic is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self._key()

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        s = self.span
        return (s.file, s.line, s.column, self.code)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)

"""Compiled SQL as a value, and the one `.sql` format that `modsl compile` writes and
`modsl apply` reads back.

The format: a header of `-- key: value` comments (modsl's version, the target, the account,
the sha256 of the plan file and of the statements), then per statement a `-- FILE:LINE`
comment naming its plan line, for a restore a `-- destroys: ...` comment saying what it drops
first, for a verify a `-- verify: OP VALUE` comment saying what its first value must be, and
the statement on one line ending in `;`. A plan with `rollback on failure` ends with a
section of rollback statements (after a `-- rollback on failure` marker, each under a
`-- rollback of statement N (FILE:LINE)` comment): what apply runs to put back what
statement N, a restore, overwrote. The statements' hash covers the SQL, the expectations
and the rollback statements, so an edited one is refused, and nothing is ever re-parsed to
learn what a statement does: the file says it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from modsl import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator

    from modsl.ast import Verify

_HEADER_KEYS = ("target", "account", "plan-sha256", "statements-sha256")
_DESTROYS = "-- destroys: "
_VERIFY = "-- verify: "
ROLLBACK_MARKER = ("-- rollback on failure: run by apply, newest restore first, for the "
                   "restores that ran, when a later statement or a verify fails")
_ROLLBACK_OF = "-- rollback of statement "
BEFORE = "'{before}'"
"""In a rollback from a PITR, the moment to restore to: the server's time just before the
restore ran, which apply reads (`SELECT now(6)`) and journals."""
OPERATORS = (">=", "<=", ">", "<", "=")


class BadSqlFile(ValueError):
    """Not a file `modsl compile` wrote, or one edited since."""


@dataclass(frozen=True)
class CompiledStatement:
    sql: str
    kind: str
    file: str
    line: int
    destroys: str | None = None
    """For a restore: what it drops before it restores, in one sentence."""
    expect: str | None = None
    """For a verify: `OP VALUE` (`>= 1000`, `= "ok"`) its first value must satisfy."""
    rollback: str | None = None
    """With `rollback on failure`, for a restore: the SQL that puts back what it overwrote
    (holding `BEFORE` when it restores from a PITR)."""
    # `kind` is empty for a statement read back from a `.sql` file: nothing re-parses SQL.


def statements_sha256(sqls: list[str]) -> str:
    return hashlib.sha256("\n".join(sqls).encode("utf-8")).hexdigest()


def expectation(st: Verify) -> str:
    value = st.expected if isinstance(st.expected, int) else json.dumps(st.expected,
                                                                         ensure_ascii=False)
    return f"{st.op} {value}"


def parse_expectation(text: str) -> tuple[str, int | str]:
    """`>= 1000` → (">=", 1000); `= "ok"` → ("=", "ok"); ValueError if neither."""
    op = next((o for o in OPERATORS if text.startswith(o + " ")), None)
    if op is None:
        raise ValueError(text)
    raw = text[len(op) + 1:]
    if raw.isdigit():
        return op, int(raw)
    value = json.loads(raw)
    if not isinstance(value, str):
        raise ValueError(text)
    return op, value


def _hashed(s: CompiledStatement) -> str:
    # A verify's expectation and a restore's rollback are part of what was reviewed: editing
    # either must break the hash.
    text = s.sql if s.expect is None else f"{s.sql}\n{_VERIFY}{s.expect}"
    return text if s.rollback is None else f"{text}\n-- rollback: {s.rollback}"


@dataclass(frozen=True)
class Compiled:
    target: str
    account: str
    plan_sha256: str
    statements: tuple[CompiledStatement, ...]

    @property
    def statements_sha256(self) -> str:
        return statements_sha256([_hashed(s) for s in self.statements])

    def to_sql(self) -> str:
        return write(self)

    def to_json(self) -> str:
        return json.dumps({
            "modsl": __version__, "target": self.target, "account": self.account,
            "plan_sha256": self.plan_sha256, "statements_sha256": self.statements_sha256,
            "statements": [asdict(s) for s in self.statements],
        }, indent=2, ensure_ascii=False) + "\n"


def write(compiled: Compiled) -> str:
    lines = [
        f"-- modsl {__version__}",
        f"-- target: {compiled.target}",
        f"-- account: {compiled.account}",
        f"-- plan-sha256: {compiled.plan_sha256}",
        f"-- statements-sha256: {compiled.statements_sha256}",
    ]
    for s in compiled.statements:
        lines.append(f"-- {s.file}:{s.line}")
        if s.destroys:
            lines.append(_DESTROYS + s.destroys)
        if s.expect:
            lines.append(_VERIFY + s.expect)
        lines.append(f"{s.sql};")
    rollbacks = [(n, s) for n, s in enumerate(compiled.statements, start=1) if s.rollback]
    if rollbacks:
        lines.append(ROLLBACK_MARKER)
    for number, s in rollbacks:
        lines += [f"{_ROLLBACK_OF}{number} ({s.file}:{s.line})", f"{s.rollback};"]
    return "\n".join(lines) + "\n"


def read(text: str, path: str) -> Compiled:
    """A file written by `write`; BadSqlFile if it is not one, or a statement was edited."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("-- modsl "):
        raise BadSqlFile(f"{path}: not a file written by `modsl compile` (no modsl header)")
    header: dict[str, str] = {}
    at = 1
    while at < len(lines):
        key, sep, value = lines[at].removeprefix("-- ").partition(": ")
        if not (lines[at].startswith("-- ") and sep and key in _HEADER_KEYS):
            break
        header[key] = value
        at += 1
    if "statements-sha256" not in header:
        raise BadSqlFile(f"{path}: the modsl header has no statements-sha256; compile again")
    statements: list[CompiledStatement] = []
    while at < len(lines) and lines[at] != ROLLBACK_MARKER:
        where = lines[at]
        destroys = expect = None
        if at + 1 < len(lines) and lines[at + 1].startswith(_DESTROYS):
            destroys = lines[at + 1].removeprefix(_DESTROYS)
            at += 1
        if at + 1 < len(lines) and lines[at + 1].startswith(_VERIFY):
            expect = lines[at + 1].removeprefix(_VERIFY)
            try:
                parse_expectation(expect)
            except ValueError:
                raise BadSqlFile(f"{path}: line {at + 2}: `{expect}` is not an expectation "
                                 "modsl writes; compile the plan again") from None
            at += 1
        sql = lines[at + 1] if at + 1 < len(lines) else ""
        if not where.startswith("-- ") or not sql.endswith(";") or sql.startswith("--"):
            raise BadSqlFile(f"{path}: line {at + 1} is not in the form `modsl compile` "
                             "writes; compile the plan again")
        file, _, line = where[3:].rpartition(":")
        if not line.isdigit():
            raise BadSqlFile(f"{path}: `{where}` does not name a plan line")
        statements.append(CompiledStatement(sql[:-1], "", file, int(line), destroys, expect))
        at += 2
    for number, sql in _rollbacks(lines, at + 1, path, len(statements)):
        statements[number - 1] = replace(statements[number - 1], rollback=sql)
    compiled = Compiled(header.get("target", ""), header.get("account", ""),
                        header.get("plan-sha256", ""), tuple(statements))
    if compiled.statements_sha256 != header["statements-sha256"]:
        raise BadSqlFile(f"{path}: the statements were edited after `modsl compile` (their "
                         "sha256 does not match the header); compile the plan again and "
                         "review it")
    return compiled


def _rollbacks(lines: list[str], at: int, path: str, count: int) -> Iterator[tuple[int, str]]:
    """The rollback section's (statement number, SQL) pairs, from line index `at`."""
    while at < len(lines):
        number = lines[at].removeprefix(_ROLLBACK_OF).partition(" ")[0]
        sql = lines[at + 1] if at + 1 < len(lines) else ""
        if not (lines[at].startswith(_ROLLBACK_OF) and number.isdigit()
                and 1 <= int(number) <= count and sql.endswith(";")
                and not sql.startswith("--")):
            raise BadSqlFile(f"{path}: line {at + 1} is not in the form `modsl compile` "
                             "writes for a rollback; compile the plan again")
        yield int(number), sql[:-1]
        at += 2

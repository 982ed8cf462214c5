"""Compiled SQL as a value, and the one `.sql` format that `modsl compile` writes and
`modsl apply` reads back.

The format: a header of `-- key: value` comments (modsl's version, the target, the account,
the sha256 of the plan file, of this file and of the statements), then per statement a
`-- FILE:LINE` comment naming its plan line, for a restore a `-- destroys: ...` comment
saying what it drops first, for a verify a `-- verify: OP VALUE` comment saying what its
first value must be, and the statement on one line ending in `;`. A plan with `rollback on
failure` ends with a section of rollback statements (after a `-- rollback on failure`
marker, each under a `-- rollback of statement N (FILE:LINE)` comment): what apply runs to
put back what statement N, a restore, overwrote.

What apply shows in its review is what runs, so the reader trusts nothing it cannot check:
* `file-sha256` covers every other line of the file, comments included: a `destroys:`,
  `target:` or `account:` line edited to read better than it runs is refused. It detects
  edits, not forgery (anyone can recompute it): docs/apply.md says how to protect a file.
* Lines end at `\n` only (one `\r` before it, from a CRLF checkout, is dropped). Every other
  character a viewer does not show as what it is (controls, line and paragraph separators,
  bidi and other invisible formatting characters) is refused with its line and column: with
  one, a line a viewer shows as a comment could run as a statement.
* The file must be exactly what `write` makes of what was read, so no line is ever skipped.
`statements-sha256` (the SQL, expectations and rollbacks) is apply's journal key: it stays
the same when only comments of the plan move. Nothing is ever re-parsed to learn what a
statement does: the file says it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from modsl._version import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator

    from modsl.language.ast import Verify

_HEADER_KEYS = ("target", "account", "plan-sha256", "file-sha256", "statements-sha256")
_FILE_SHA = "-- file-sha256: "
_DESTROYS = "-- destroys: "
_VERIFY = "-- verify: "
_IN_ACCOUNT = "-- in account: "
ROLLBACK_MARKER = ("-- rollback on failure: run by apply, newest restore first, for the "
                   "restores that ran, when a later statement or a verify fails")
_ROLLBACK_OF = "-- rollback of statement "
OPERATORS = (">=", "<=", ">", "<", "=")


class BadSqlFile(ValueError):
    """Not a file `modsl compile` wrote, or one edited since."""


class CompiledStatement(NamedTuple):
    """One statement as compiled or read back. (A NamedTuple, as the checker's records are:
    `dataclasses` imports `inspect`, ~70M instructions of every compile's cold start.)"""

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
    account: str | None = None
    """For a verify `in account A`: the account apply logs into to run it."""
    # `kind` is empty for a statement read back from a `.sql` file: nothing re-parses SQL.


def statements_sha256(sqls: list[str]) -> str:
    return hashlib.sha256("\n".join(sqls).encode("utf-8")).hexdigest()


def expectation(st: Verify) -> str:
    import json  # imported by plans with verifies only: ~30M instructions of a cold start

    value = st.expected if isinstance(st.expected, int) else json.dumps(st.expected,
                                                                         ensure_ascii=False)
    return f"{st.op} {value}"


def parse_expectation(text: str) -> tuple[str, int | str]:
    """`>= 1000` → (">=", 1000); `= "ok"` → ("=", "ok"); ValueError if neither."""
    op = next((o for o in OPERATORS if text.startswith(o + " ")), None)
    if op is None:
        raise ValueError(text)
    raw = text[len(op) + 1:]
    if raw.isascii() and raw.isdigit():
        return op, int(raw)
    if not raw.startswith('"'):  # only a JSON string: nothing nested for json to recurse on
        raise ValueError(text)
    import json

    value = json.loads(raw)
    if not isinstance(value, str):
        raise ValueError(text)
    return op, value


def _hashed(s: CompiledStatement) -> str:
    # A verify's expectation and a restore's rollback are part of what was reviewed: editing
    # either must break the hash.
    text = s.sql if s.expect is None else f"{s.sql}\n{_VERIFY}{s.expect}"
    if s.account is not None:  # where a verify reads is part of what it checks
        text = f"{text}\n{_IN_ACCOUNT}{s.account}"
    return text if s.rollback is None else f"{text}\n-- rollback: {s.rollback}"


class Compiled(NamedTuple):
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
        import json

        return json.dumps({
            "modsl": __version__, "target": self.target, "account": self.account,
            "plan_sha256": self.plan_sha256, "statements_sha256": self.statements_sha256,
            "statements": [s._asdict() for s in self.statements],
        }, indent=2, ensure_ascii=False) + "\n"


def write(compiled: Compiled, version: str = __version__) -> str:
    """The `.sql` text; `version` is the modsl that wrote it (read keeps an older one's)."""
    lines = [
        f"-- modsl {version}",
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
        if s.account is not None:
            lines.append(_IN_ACCOUNT + s.account)
        lines.append(f"{s.sql};")
    rollbacks = [(n, s) for n, s in enumerate(compiled.statements, start=1) if s.rollback]
    if rollbacks:
        lines.append(ROLLBACK_MARKER)
    for number, s in rollbacks:
        lines += [f"{_ROLLBACK_OF}{number} ({s.file}:{s.line})", f"{s.rollback};"]
    # Before statements-sha256, so the lines after it (the golden files) hold no version.
    lines.insert(4, _FILE_SHA + _sha256("\n".join(lines) + "\n"))
    return "\n".join(lines) + "\n"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(data: str | bytes, path: str) -> Compiled:
    """A file written by `write`; BadSqlFile if it is not one, or it was edited since."""
    lines = _lines(data, path)
    if not lines[0].startswith("-- modsl "):
        raise BadSqlFile(f"{path}: not a file written by `modsl compile` (no modsl header)")
    if lines[-1] != "":
        raise BadSqlFile(f"{path}: line {len(lines)} does not end with a newline: not a "
                         "whole file `modsl compile` wrote; compile the plan again")
    header: dict[str, str] = {}
    at = 1
    while at < len(lines):
        key, sep, value = lines[at].removeprefix("-- ").partition(": ")
        if not (lines[at].startswith("-- ") and sep and key in _HEADER_KEYS):
            break
        header[key] = value
        at += 1
    hashed = [line for n, line in enumerate(lines) if not (n < at and line.startswith(_FILE_SHA))]
    if "statements-sha256" not in header:
        raise BadSqlFile(f"{path}: the modsl header has no statements-sha256; compile again")
    if "file-sha256" not in header:
        raise BadSqlFile(f"{path}: written by an older modsl, whose header has no file-sha256 "
                         "(its comments, `destroys:` included, were not covered by a hash); "
                         "compile the plan again with this modsl and review it")
    statements: list[CompiledStatement] = []
    while at < len(lines) - 1 and lines[at] != ROLLBACK_MARKER:
        where = lines[at]
        destroys = expect = None
        if lines[at + 1].startswith(_DESTROYS):
            destroys = lines[at + 1].removeprefix(_DESTROYS)
            at += 1
        if lines[at + 1].startswith(_VERIFY):
            expect = lines[at + 1].removeprefix(_VERIFY)
            try:
                parse_expectation(expect)
            except ValueError:
                raise BadSqlFile(f"{path}: line {at + 2}: `{expect}` is not an expectation "
                                 "modsl writes; compile the plan again") from None
            at += 1
        account = None
        if expect is not None and lines[at + 1].startswith(_IN_ACCOUNT):
            account = lines[at + 1].removeprefix(_IN_ACCOUNT)
            at += 1
        sql = lines[at + 1]
        if not where.startswith("-- ") or not sql.endswith(";") or sql.startswith("--"):
            raise BadSqlFile(f"{path}: line {at + 1} is not in the form `modsl compile` "
                             "writes; compile the plan again")
        file, _, line = where[3:].rpartition(":")
        if not (line.isascii() and line.isdigit()):
            raise BadSqlFile(f"{path}: `{where}` does not name a plan line")
        statements.append(CompiledStatement(sql[:-1], "", file, int(line), destroys, expect,
                                            account=account))
        at += 2
    for number, sql in _rollbacks(lines, at + 1, path, len(statements)):
        statements[number - 1] = statements[number - 1]._replace(rollback=sql)
    compiled = Compiled(header.get("target", ""), header.get("account", ""),
                        header.get("plan-sha256", ""), tuple(statements))
    _check_hashes(lines, hashed, header, compiled, path)
    return compiled


def _check_hashes(lines: list[str], hashed: list[str], header: dict[str, str],
                  compiled: Compiled, path: str) -> None:
    """The file hash first (it covers everything); then the file must be exactly what
    `write` makes of what was read, so that no line the review leaves out can be there."""
    if _sha256("\n".join(hashed)) != header["file-sha256"] or \
            compiled.statements_sha256 != header["statements-sha256"]:
        raise BadSqlFile(f"{path}: the file was edited after `modsl compile` (its sha256 "
                         "does not match the header); compile the plan again and review it")
    again = write(compiled, lines[0].removeprefix("-- modsl ")).split("\n")
    for number, (line, canonical) in enumerate(zip(lines, again, strict=False), start=1):
        if line != canonical:
            raise BadSqlFile(f"{path}: line {number} is not what `modsl compile` writes "
                             "there; compile the plan again")
    if len(lines) != len(again):
        raise BadSqlFile(f"{path}: line {min(len(lines), len(again))} is not what `modsl "
                         "compile` writes there; compile the plan again")


def _lines(data: str | bytes, path: str) -> list[str]:
    """The file's lines, split at `\n` only, the last one empty (the file ends with `\n`).
    Refused: bytes that are not UTF-8, and any character that would make a viewer show the
    file other than it runs."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            number = data.count(b"\n", 0, exc.start) + 1
            begin = data.rfind(b"\n", 0, exc.start) + 1
            column = len(data[begin:exc.start].decode("utf-8", "replace")) + 1
            raise BadSqlFile(f"{path}: line {number}, column {column}: the byte "
                             f"0x{data[exc.start]:02X} is not UTF-8: not a file `modsl "
                             "compile` wrote") from None
    else:
        text = data
    # A CRLF checkout (git's autocrlf) is the same file: exactly one \r before each \n goes.
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.isprintable():
            _refuse_hidden(line, number, path)
    return lines


HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Zs", "Cs"))
"""Unicode categories refused anywhere in the file (tab and the ASCII space aside): controls
(C0, DEL, C1 such as NEL), format characters (bidi overrides and isolates, zero-width marks,
BOM), line and paragraph separators, other spaces (a no-break space after `MD5` makes the
server read a name `MD5 ` where a viewer shows the built-in), and lone surrogates. Each makes
a viewer show something other than what runs."""


def _refuse_hidden(line: str, number: int, path: str) -> None:
    for column, char in enumerate(line, start=1):
        if char not in "\t " and unicodedata.category(char) in HIDDEN:
            name = unicodedata.name(char, "a control character")
            raise BadSqlFile(f"{path}: line {number}, column {column}: U+{ord(char):04X} "
                             f"({name}) is refused in a reviewed file: a viewer shows it "
                             "other than it runs (a line break, hidden or reordered text); "
                             "compile the plan again (if a name in the plan holds it, "
                             "rename it there first)")


def _rollbacks(lines: list[str], at: int, path: str, count: int) -> Iterator[tuple[int, str]]:
    """The rollback section's (statement number, SQL) pairs, from line index `at`."""
    while at < len(lines) - 1:  # the last line is the empty one after the final newline
        number = lines[at].removeprefix(_ROLLBACK_OF).partition(" ")[0]
        sql = lines[at + 1]
        if not (lines[at].startswith(_ROLLBACK_OF) and number.isascii() and number.isdigit()
                and 1 <= int(number) <= count and sql.endswith(";")
                and not sql.startswith("--")):
            raise BadSqlFile(f"{path}: line {at + 1} is not in the form `modsl compile` "
                             "writes for a rollback; compile the plan again")
        yield int(number), sql[:-1]
        at += 2

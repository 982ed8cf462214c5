"""`.mobak` text → `Plan` plus diagnostics. Syntax errors are values, never exceptions.

The LALR table comes from grammar/mobak.lark through Lark, once: it is cached on disk
(`$XDG_CACHE_HOME/modsl` or `~/.cache/modsl`) as plain data keyed by the grammar's hash, and
parsed by `modsl.language.lalr`'s driver, so a start with a warm cache never imports Lark. Lines are
parsed one at a time: a statement never spans lines, and a bad line costs only itself.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from functools import lru_cache
from typing import Any

from modsl.diagnostics import Diagnostic
from modsl.language import ast
from modsl.language.ast import replace
from modsl.language.gcpause import paused
from modsl.language.lalr import Table, Token, UnexpectedCharacters, UnexpectedToken, build
from modsl.language.lexer import LineLexer, LineParser
from modsl.language.lines import LineBuilder

# os.path, not pathlib: `modsl lint` starts faster without it.
_HERE = os.path.dirname(os.path.abspath(__file__))
# Inside the wheel the grammar sits beside this module; in a source checkout, in grammar/.
_GRAMMAR_CANDIDATES = (
    os.path.join(_HERE, "mobak.lark"),
    os.path.join(os.path.dirname(os.path.dirname(_HERE)), "grammar", "mobak.lark"),
)
# Bump when the shape of `lalr.Table` changes: old cache files are then ignored.
_TABLE_FORMAT = 1


def grammar_path() -> str:
    for path in _GRAMMAR_CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("mobak.lark not found beside modsl")


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "modsl")


@lru_cache(maxsize=1)
def table() -> Table:
    """The grammar's LALR table: from the disk cache, or built by Lark and cached (a cache
    that cannot be read is rebuilt; one that cannot be written is done without)."""
    with open(grammar_path(), encoding="utf-8") as f:
        text = f.read()
    name = (f"mobak-{zlib.crc32(text.encode()):08x}-t{_TABLE_FORMAT}"
            f"-py{sys.version_info[0]}{sys.version_info[1]}.marshal")
    path = os.path.join(cache_dir(), name)
    try:
        with open(path, "rb") as f:
            return Table.load(marshal.loads(f.read()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    made = build(text, "line")
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        partial = f"{path}.{os.getpid()}.{id(made)}"
        with open(partial, "wb") as f:
            # Version 2 writes no object references: the same table, the same bytes.
            f.write(marshal.dumps(made.dump(), 2))
        os.replace(partial, path)
    except OSError:  # an unwritable cache directory is no reason to fail
        pass
    return made


@lru_cache(maxsize=1)
def lexer() -> LineLexer:
    return LineLexer(table())


@lru_cache(maxsize=1)
def line_parser() -> LineParser:
    return LineParser(table(), lexer())


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """The language's keywords, lower-case: the grammar's word terminals, as its table holds
    them (never a copy to keep in step)."""
    return frozenset(lexer().keywords)


def parse_line(line: str, callbacks: list[Any]) -> Any:
    """One line's value (raises lalr.UnexpectedToken or UnexpectedCharacters)."""
    return line_parser().parse(line, callbacks)


def parse(given: str | bytes, file: str = "<plan>") -> tuple[ast.Plan, list[Diagnostic]]:
    """Parse a whole plan. Every bad line gets a diagnostic (kept on the plan too); good lines
    still build the AST."""
    data = given if isinstance(given, bytes) else given.encode("utf-8", "surrogatepass")
    if isinstance(given, bytes):
        text, bad = decode(given, file)
        if bad is not None:
            return ast.Plan(None, None, (), file=file, raw=data, parse_diagnostics=(bad,)), [bad]
    else:
        text = given
        if "\0" in text:
            nul = _nul_at(text, file)
            return ast.Plan(None, None, (), file=file, raw=data, parse_diagnostics=(nul,)), [nul]
    with paused():
        return _Assembler(file, data).run(text.removeprefix("\ufeff"))


def decode(data: bytes, file: str) -> tuple[str, Diagnostic | None]:
    """UTF-8 (BOM allowed) or MB100 naming the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        span = ast.Span(file, line, column, line, column + 1)
        return "", Diagnostic("MB100", f"not UTF-8 text: byte 0x{data[exc.start]:02x} at "
                              f"offset {exc.start}", span, help="save the plan as UTF-8")
    if "\0" in text:
        return "", _nul_at(text, file)
    return text, None


def _nul_at(text: str, file: str) -> Diagnostic:
    at = text.index("\0")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Diagnostic("MB100", f"the file contains a NUL byte at offset {at}",
                      ast.Span(file, line, column, line, column + 1),
                      help="a plan is a text file; this looks like binary data")


class _Assembler:
    """Walks the lines of one plan, enforcing the header rule (MB105: each header once, before
    the statements). Whether the `target` line names a known engine is the checker's (MB103):
    parsing needs no engine."""

    def __init__(self, file: str, raw: bytes) -> None:
        self.file = file
        self.raw = raw
        self.diagnostics: list[Diagnostic] = []
        self.target: ast.TargetDecl | None = None
        self.account: ast.AccountDecl | None = None
        self.rollback: ast.RollbackDecl | None = None
        self.statements: list[ast.Statement] = []
        self.comments: list[ast.Comment] = []
        self.blank_lines: list[int] = []

    def run(self, text: str) -> tuple[ast.Plan, list[Diagnostic]]:
        # A builder per plan: it holds the line being parsed, so parses in several threads
        # never share one (the table and the lexer they do share).
        builder = LineBuilder()
        callbacks = table().callbacks(builder)
        parse = line_parser().parse
        builder.file = self.file
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.rstrip("\r")
            stripped = line.strip()
            if not stripped:
                self.blank_lines.append(number)
                continue
            if stripped[0] == "#":
                column = len(line) - len(line.lstrip()) + 1
                span = ast.Span(self.file, number, column, number, len(line.rstrip()) + 1)
                self.comments.append(ast.Comment(stripped, span))
                continue
            builder.line_no = number
            try:
                item, comment = parse(line, callbacks)
            except (UnexpectedToken, UnexpectedCharacters) as exc:
                self.diagnostics.append(_syntax_error(exc, line, self.file, number))
                continue
            self._add(item, comment, line[:1] in " \t")
        plan = ast.Plan(self.target, self.account, tuple(self.statements), tuple(self.comments),
                        tuple(self.blank_lines), self.file, self.raw,
                        tuple(self.diagnostics), self.rollback)
        return plan, self.diagnostics

    def _add(self, item: object, comment: ast.Comment | None, indented: bool = False) -> None:
        if comment is not None:
            item = replace(item, comment=comment)  # type: ignore[type-var]
        last = self.statements[-1] if self.statements else None
        if isinstance(item, ast.Verify) and indented and isinstance(last, ast.Drill):
            # An indented verify under a `drill` line reads that drill's clone, not the plan.
            self.statements[-1] = replace(last, verifies=(*last.verifies, item))
        elif isinstance(item, ast.TargetDecl):
            if self._header_ok(item, self.target, "target"):
                self.target = item
        elif isinstance(item, ast.AccountDecl):
            if self._header_ok(item, self.account, "as account"):
                self.account = item
        elif isinstance(item, ast.RollbackDecl):
            if self._header_ok(item, self.rollback, "rollback on failure"):
                self.rollback = item
        elif isinstance(item, ast.STATEMENTS):
            self.statements.append(item)
        else:  # a grammar rule without its AST class: a bug to show, never a lost line
            raise TypeError(f"{self.file}: a line parsed to {type(item).__name__}, which is not "
                            "in ast.Statement (add its AST class and a LineBuilder callback)")

    def _header_ok(self, item: ast.Header, previous: ast.Header | None, what: str) -> bool:
        if self.statements:
            self.diagnostics.append(Diagnostic(
                "MB105", f"the `{what}` header line comes after a statement", item.span,
                help=f"move it to the top of the plan, before line {self.statements[0].span.line}"))
            return False
        if previous is not None:
            self.diagnostics.append(Diagnostic(
                "MB105", f"a second `{what}` header line", item.span,
                help=f"the first one is on line {previous.span.line}; keep only one"))
            return False
        return True


# -- syntax errors in words -----------------------------------------------------------------

_WORDS = {
    "NAME": "a name",
    "QUOTED_NAME": "a name",
    "DURATION": "a duration such as `7d`",
    "VERSION": "a version such as `4.2`",
    "STRING": 'a timestamp such as "2026-01-31 23:00:00"',
    "DOT": "`.`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "EQ": "`=`",
    "OP": "a comparison (`>=`, `>`, `=`, `<=`, `<`)",
    "INT": "a number",
    "TIME": "a time such as `01:00` (or `:15` every hour)",
    "TEMPLATE": "a name template such as `acc1_{date}`",
    "COMMENT": "a comment",
    "$END": "the end of the line",
}
_STATEMENT_STARTS = ("SNAPSHOT", "PITR", "ALTER", "DROP", "RESTORE", "EXISTING", "VERIFY",
                     "SCHEDULE", "REPOSITORY", "BACKUP", "CLONE", "DRILL", "TARGET", "AS",
                     "ROLLBACK")


def _words(expected: set[str] | frozenset[str]) -> str:
    if {"SNAPSHOT", "RESTORE", "TARGET"} <= set(expected):
        return ("a statement (`snapshot`, `pitr`, `alter pitr`, `drop`, `restore`, `existing`, "
                "`verify`, `schedule`, `repository`, `backup`, `clone`, `drill`)")
    names = sorted({_WORDS.get(t, f"`{t.lower()}`") for t in expected if t != "COMMENT"})
    if not names:
        return "the end of the line"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _found(token: Token) -> str:
    if token.type == "$END":
        return "the end of the line"
    return f"`{token}`"


def _syntax_error(exc: UnexpectedToken | UnexpectedCharacters, line: str, file: str,
                  number: int) -> Diagnostic:
    column = exc.column if exc.column > 0 else len(line) + 1
    if isinstance(exc, UnexpectedCharacters):
        char = line[column - 1] if column <= len(line) else ""
        span = ast.Span(file, number, column, number, column + 1)
        if char == '"':
            return Diagnostic("MB102", "unterminated string", ast.Span(
                file, number, column, number, len(line) + 1),
                help='close the string with `"` on the same line')
        if char == "`":
            return Diagnostic("MB102", "unterminated quoted name", ast.Span(
                file, number, column, number, len(line) + 1),
                help="close the name with a backtick on the same line")
        if char == ";":
            return Diagnostic("MB101", "unexpected `;`", span,
                              help="statements end at the newline; remove the `;`")
        if char == "'":
            return Diagnostic("MB101", "unexpected `'`", span,
                              help='timestamps are double-quoted: at "2026-01-31 23:00:00"; '
                                   "a name with odd characters goes in backticks")
        return Diagnostic("MB101", f"unexpected character `{char}`", span,
                          help="a name with other characters than letters, digits, `_` and `$` "
                               "needs backticks")
    token = exc.token
    expected = exc.expected
    if token.type == "$END":
        column = len(line.rstrip()) + 1
    end = token.end_column if token.type != "$END" else column + 1
    span = ast.Span(file, number, column, number, end)
    before = _previous_token(line[: column - 1])
    prev = _in_words(before) if before is not None else None
    after = f" after {prev}" if prev else ""
    message = f"expected {_words(expected)}{after}, found {_found(token)}"
    help_ = None
    if token.type == "IF" and {"NAME", "QUOTED_NAME"} & expected:
        help_ = _word_order(line, column)
    elif "DURATION" in expected and token.type == "VERSION":
        help_ = "write the unit right after the number, no space: `7d`, `12h`, `3mo`, `1y`"
    elif token.type in lexer().keywords.values() and (
            {"NAME", "QUOTED_NAME"} & expected):
        help_ = f"`{token}` is a keyword; quote it to use it as a name: `` `{token}` ``"
    elif expected >= set(_STATEMENT_STARTS) and token.type == "NAME":
        help_ = "a line starts with a keyword such as `snapshot` or `restore`"
    # The word found, or else the name before it: in `from snapshto s` the misspelt keyword
    # was read as a name (a StarRocks repository), so the error is at `s`; the keyword it
    # misses is one the parser wanted where it stands, or wants after it.
    near = _did_you_mean(str(token), expected) if token.type == "NAME" else None
    if near is None and before is not None and before.type == "NAME":
        near = _did_you_mean(str(before),
                             expected | _expected_at(line[: before.column - 1]))
    help_ = near or help_
    return Diagnostic("MB101", message, span, help=help_)


def _did_you_mean(word: str, expected: set[str] | frozenset[str]) -> str | None:
    """`did you mean `account`?` when `word` is a near miss of a keyword the parser expected
    here (its expected terminals: the grammar says which words may come next)."""
    from modsl.diagnostics.spelling import nearest

    near = nearest(word, (t.lower() for t in expected if t.lower() in keywords()))
    if not near:
        return None
    return "did you mean " + " or ".join(f"`{k}`" for k in near[:3]) + "?"


def _word_order(line: str, column: int) -> str:
    """SQL's `CREATE SNAPSHOT IF NOT EXISTS s ...` order, put the plan's way round."""
    head, rest = line[: column - 1].strip(), line[column - 1 :].split()
    clause = "if not exists" if len(rest) > 1 and rest[1].lower() == "not" else "if exists"
    width = len(clause.split())
    fixed = " ".join([head, *rest[width:], clause])
    return f"`{clause}` goes at the end of the line: `{fixed}`"


def _expected_at(before: str) -> set[str]:
    """The terminals the parser wants after the text `before` (which it read without error
    once already); none when that text is a whole line."""
    try:
        parse_line(before, table().callbacks(object()))
    except UnexpectedToken as exc:
        return set(exc.expected)
    except UnexpectedCharacters:
        pass
    return set()


def _previous_token(before: str) -> Token | None:
    """The token before the error (re-lexed: only errors pay for it)."""
    try:
        tokens = list(lexer().tokens(before))
    except UnexpectedCharacters:
        return None
    return tokens[-1] if tokens else None


def _in_words(tok: Token) -> str:
    if tok.type in ("NAME", "QUOTED_NAME"):
        return f"the name `{str(tok).strip('`')}`"
    return f"`{tok}`"

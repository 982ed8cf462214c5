"""The verify rule (MB211): a verify query is exactly one read-only SELECT.

A security boundary, not a style rule: a plan file must not smuggle a write through a verify,
which runs unreviewed-looking SQL as the plan's account. Syntax alone cannot promise that (any
function may be a stored one that writes), so the query passes three checks, each of which
refuses what it cannot vouch for:

1. its text, read the same way under every sql_mode: no backslash and no double quote
   (NO_BACKSLASH_ESCAPES and ANSI_QUOTES move where a string ends), no comment, no control
   character, no unclosed quote, parentheses at most `MAX_DEPTH` deep;
2. its calls: every `name(` is a built-in from `modsl.checker.pure` (an allow-list), never a
   qualified (`shop.f(`) or quoted (`` `f`( ``) name;
3. its tree, parsed with sqlglot's MySQL dialect: one SELECT (or UNION of them), no `INTO`,
   no locking clause, no variable, no write.

sqlglot is imported only when a plan has a query verify, so plain lint stays light. At apply
time the session's sql_mode is pinned and a verify runs in a read-only transaction where the
server has one (`modsl.runtime.readonly`): defence in depth, not a reason to relax this rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from modsl.checker.registry import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.language import ast

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.tokenizer_core import Token

MAX_DEPTH = 16
"""Deepest parenthesis nesting a verify may have: far beyond any real check (four or five
levels), and well inside what sqlglot parses without running out of stack (it spends about 28
Python frames a level, and fails near 36 levels from an empty stack; lint runs deeper)."""

_HELP = ("write one SELECT whose first value is compared, e.g. "
         '`verify "SELECT COUNT(*) FROM orders.items" >= 1000`; a verify never changes anything')
_QUOTES_HELP = ("quote strings with single quotes and no backslash (double a quote inside: "
                "`'it''s'`), names with backticks: "
                """`verify "SELECT COUNT(*) FROM shop.orders WHERE state = 'paid'" >= 1`""")
_CALLS_HELP = ("call only built-in functions that compute a value (COUNT, SUM, MD5, CRC32, "
               "COALESCE, ... listed under MB211 in docs/rules.md); a stored function may write")


class Problem(NamedTuple):
    """Why a query is refused, and what to write instead."""

    why: str
    help: str = _HELP


@rule("MB211", ast.Verify)  # every engine: a verify runs as the plan's login, unreviewed
def read_only_query(st: ast.Verify, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.kind is not ast.VerifyKind.QUERY:
        return
    problem = query_problem(st.query or "")
    if problem is not None:
        yield Diagnostic("MB211", f"a verify query must be exactly one read-only SELECT: "
                         f"{problem.why}", st.span, help=problem.help)


def query_problem(query: str) -> Problem | None:
    """Why `query` is not one read-only SELECT, or None when it is."""
    problem = text_problem(query)
    if problem is not None:
        return problem
    import sqlglot
    from sqlglot.errors import SqlglotError

    try:
        tokens = sqlglot.tokenize(query, read="mysql")
        if any(token.comments for token in tokens):
            return Problem("it holds a comment (MySQL runs the text of `/*! ... */`)")
        statements = [s for s in sqlglot.parse(query, read="mysql") if s is not None]
    except SqlglotError as exc:
        return Problem(f"it does not parse ({str(exc).splitlines()[0]})")
    except RecursionError:  # nesting that is not parentheses (NOT NOT NOT ...)
        return Problem("it nests too deeply to be checked")
    if len(statements) != 1:
        return Problem(f"it holds {len(statements)} statements")
    return calls_problem(tokens, statements[0]) or tree_problem(statements[0])


_CONTROL_NAMES = {"\r": "a carriage return", "\n": "a line break", "\0": "a NUL character",
                  "\u2028": "a line separator (U+2028)",
                  "\u2029": "a paragraph separator (U+2029)"}


def text_problem(query: str) -> Problem | None:
    """What, in the text alone, a server could read differently from modsl: checked before
    any parser runs, on the characters, outside and inside quotes as the server sees them."""
    for char in query:
        if _control(char):
            name = _CONTROL_NAMES.get(char, f"the control character U+{ord(char):04X}")
            return Problem(f"it holds {name} (the reviewed .sql holds a verify on one line)",
                           "write the query on one line, with spaces between words")
    if "\\" in query:
        return Problem("it holds a backslash: whether it escapes the quote after it depends on "
                       "the server's sql_mode (NO_BACKSLASH_ESCAPES), so the server could read "
                       "the query differently from modsl", _QUOTES_HELP)
    depth = 0
    quote = ""
    i = 0
    while i < len(query):
        char = query[i]
        if quote:
            if char == quote:
                if query[i + 1:i + 2] == quote:  # a doubled quote stays inside
                    i += 1
                else:
                    quote = ""
        elif char in "'`":
            quote = char
        elif not char.isascii():
            return Problem(f"it holds `{char}` (U+{ord(char):04X}) outside quotes: there only "
                           "ASCII is read the same by modsl and the server (U+017F matches `S` "
                           "in a check, a no-break space is part of a name to the server)",
                           "write words, names and operators in ASCII; put other text in "
                           "single quotes, other names in backticks")
        elif char == '"':
            return Problem("it holds a double-quoted string, which the server reads as a "
                           "name under the sql_mode ANSI_QUOTES, so it could read the query "
                           "differently from modsl", _QUOTES_HELP)
        elif char == "#" or query.startswith(("--", "/*"), i):
            return Problem(f"it holds a comment (`{query[i:i + 2].rstrip()}`; MySQL runs the "
                           "text of `/*! ... */`, and servers disagree on where `--` starts one)")
        elif char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(f"its parentheses nest deeper than {MAX_DEPTH}")
        elif char == ")":
            depth -= 1
        i += 1
    if quote:
        return Problem(f"a quote ({quote}) is never closed", _QUOTES_HELP)
    return None


def _control(char: str) -> bool:
    """A character that is not text in a one-line query: C0 controls but tab, DEL, C1
    controls, and the Unicode line and paragraph separators (Python splits lines on them)."""
    code = ord(char)
    return ((code < 0x20 and char != "\t") or 0x7F <= code <= 0x9F
            or char in "\u2028\u2029")


def calls_problem(tokens: list[Token], tree: exp.Expr) -> Problem | None:
    """The first call of a function that is not an allow-listed built-in, read on the tokens
    (the names as written, before sqlglot maps `IFNULL` to COALESCE) and on the tree."""
    from sqlglot import exp
    from sqlglot.tokenizer_core import TokenType

    from modsl.checker.pure import PURE_FUNCTIONS, SYNTAX_BEFORE_PAREN

    ctes = {cte.alias.upper() for cte in tree.find_all(exp.CTE)}
    for i, token in enumerate(tokens[:-1]):
        if tokens[i + 1].token_type is not TokenType.L_PAREN:
            continue
        name = token.text
        if token.token_type is TokenType.IDENTIFIER:  # `name`(...)
            return Problem(f"`{name}`(...) calls a function by a quoted name, which the server "
                           "looks up among stored functions", _CALLS_HELP)
        if not name.replace("_", "").replace("$", "").isalnum():
            continue  # punctuation, operators, literals
        before = tokens[i - 1] if i else None
        if before is not None and before.token_type is TokenType.DOT:
            qualifier = tokens[i - 2].text if i >= 2 else ""
            return Problem(f"`{qualifier}.{name}()` calls a stored function (a qualified name "
                           "is never a built-in)", _CALLS_HELP)
        if name.upper() in SYNTAX_BEFORE_PAREN or name.upper() in PURE_FUNCTIONS:
            continue
        if before is not None and before.text.upper() in ("AS", "WITH", "RECURSIVE"):
            continue  # a type (`AS DECIMAL(10, 2)`), or the columns of a name (`cte (a, b)`)
        if (before is not None and before.token_type is TokenType.COMMA
                and name.upper() in ctes and _after_parens(tokens, i + 1).upper() == "AS"):
            continue  # `WITH a AS (...), b (x) AS (...)`: the columns of a second CTE
        return Problem(f"`{name}()` is not a built-in function modsl knows to be read-only",
                       _CALLS_HELP)
    for node in tree.walk():  # what the tokens may have let through (`WITH a, f(x) AS ...`)
        if isinstance(node, exp.Anonymous) and (isinstance(node.parent, exp.Dot)
                                                or node.name.upper() not in PURE_FUNCTIONS):
            return Problem(f"`{node.name}()` is not a built-in function modsl knows to be "
                           "read-only", _CALLS_HELP)
    return None


def _after_parens(tokens: list[Token], start: int) -> str:
    """The text of the token after the parenthesis that closes the one at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[i].text, 0)
        if depth == 0:
            return tokens[i + 1].text if i + 1 < len(tokens) else ""
    return ""


def tree_problem(tree: exp.Expr) -> Problem | None:
    """What the parsed statement does besides reading."""
    from sqlglot import exp

    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        return Problem(f"it is {tree.key.upper()}, not a SELECT")
    writes = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Merge,
              exp.Command, exp.TruncateTable, exp.Set)
    for node in tree.walk():
        if isinstance(node, exp.Into):
            return Problem("`SELECT ... INTO` writes")
        if isinstance(node, exp.Lock):
            return Problem("a locking clause (`FOR UPDATE`, `LOCK IN SHARE MODE`) takes locks")
        if isinstance(node, (exp.Parameter, exp.SessionParameter, exp.Placeholder,
                             exp.PropertyEQ)):
            return Problem(f"it uses a variable (`{node.sql(dialect='mysql')}`); a verify "
                           "reads only tables and literals")
        if isinstance(node, writes):
            return Problem(f"it holds {node.key.upper()}")
    return None

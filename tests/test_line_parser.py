"""The parser the plan goes through (`LineParser`: lexing and parsing in one loop, each move
learnt once and then replayed) gives what the table's general driver over the contextual
lexer gives — the same values, spans included, and the same syntax errors — for every line
of the test plans, for formatted statements of every kind, and for those lines broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import statements

from modsl.language import ast, fmt, parser
from modsl.language.lalr import Token, UnexpectedCharacters, UnexpectedToken
from modsl.language.lexer import LineParser
from modsl.language.lines import LineBuilder

ROOT = Path(__file__).resolve().parent.parent
PLANS = [*ROOT.glob("tests/**/*.mobak"), *ROOT.glob("examples/**/*.mobak")]
PLAN_LINES = sorted({line for path in PLANS
                     for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if line.strip() and not line.lstrip().startswith("#")})


def whole(value: Any) -> Any:
    """`value` with every field, spans too (AST equality leaves spans out)."""
    if isinstance(value, ast.Node):
        return (type(value).__name__, *(whole(getattr(value, f)) for f in ast.fields(value)))
    if isinstance(value, Token):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        return tuple(whole(v) for v in value)
    return value


def outcome(parse: Any, line: str) -> Any:
    builder = LineBuilder()
    builder.line_no = 7
    try:
        return whole(parse(line, parser.table().callbacks(builder)))
    except UnexpectedToken as exc:
        return "UnexpectedToken", tuple(exc.token), exc.column, sorted(exc.expected)
    except UnexpectedCharacters as exc:
        return "UnexpectedCharacters", exc.column


def by_table(line: str, callbacks: Any) -> Any:
    lexer = parser.lexer()
    return parser.table().parse(lambda state: lexer.tokens(line, state), callbacks)


def same(lines: list[str]) -> None:
    """Parsed by a fresh LineParser twice (learning, then replaying): as the table parses."""
    fresh = LineParser(parser.table(), parser.lexer())
    for _ in range(2):
        for line in lines:
            assert outcome(fresh.parse, line) == outcome(by_table, line), line


def broken(line: str) -> list[str]:
    """`line` cut short at every character, and with a stray character at a few places."""
    cuts = [line[:i] for i in range(1, len(line))]
    strays = [line[:i] + c + line[i:] for i in range(0, len(line), 5) for c in ";'\"` .("]
    return cuts + strays


def test_the_test_plans_parse_as_the_table_says() -> None:
    assert len(PLAN_LINES) > 300
    same(PLAN_LINES)


def test_broken_lines_fail_as_the_table_says() -> None:
    same([b for line in PLAN_LINES[::7] for b in broken(line)])


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(statements(), min_size=1, max_size=8), st.data())
def test_every_statement_parses_as_the_table_says(stmts: list[ast.Statement],
                                                    data: st.DataObject) -> None:
    lines = [fmt.statement(s) for s in stmts]
    line = data.draw(st.sampled_from(lines))
    cut = data.draw(st.integers(0, len(line)))
    same([*lines, line[:cut], f"{line}   ", f"{line} # a note", f"  {line}"])

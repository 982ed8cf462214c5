"""The grammar is the one source of the language's words: every copy of its keywords, its
name pattern and its statement openers equals what grammar/mobak.lark says, and the line
lexer takes new kinds of terminal without reusing unrelated ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from modsl.language import fmt, names, parser
from modsl.language.ast import Name
from modsl.language.lalr import Table, Token, Unbuilt, build
from modsl.language.lexer import LineLexer

GRAMMAR = parser.grammar_path()
TEXT = Path(GRAMMAR).read_text(encoding="utf-8")


def grammar_keywords() -> set[str]:
    return {m.group(2) for m in re.finditer(r'(?m)^([A-Z_]+): "([a-z]+)"i$', TEXT)}


def rule_openers(rule: str) -> set[str]:
    body = re.search(rf"(?ms)^{rule}: (.*?)\n\n", TEXT)
    assert body is not None
    return {m.group(1) for m in re.finditer(r"(?m)(?:^|\|)\s*([A-Z_]+)\b", body.group(1))}


def test_keywords_are_the_grammars() -> None:
    assert grammar_keywords() == parser.keywords() == names.KEYWORDS


def test_no_keyword_is_printed_bare() -> None:
    for word in grammar_keywords():
        for spelled in (word, word.upper()):
            assert fmt.name(Name(spelled)) == f"`{spelled}`"


def test_the_bare_name_pattern_is_the_grammars() -> None:
    m = re.search(r"(?m)^NAME: /(.*)/i$", TEXT)
    assert m is not None
    assert names._BARE.pattern == m.group(1) + r"\Z"


def test_statement_openers_are_the_grammars() -> None:
    assert set(parser._STATEMENT_STARTS) == rule_openers("statement") | rule_openers("header")


EXTENDED = TEXT.replace(
    "         | VERIFY STRING OP expected [in_account]           -> verify_query",
    "         | VERIFY STRING OP expected [in_account]           -> verify_query\n"
    "         | CHECKPOINT NAME AT HOUR                          -> checkpoint",
) + '\nCHECKPOINT: "checkpoint"i\nHOUR: /\\d\\d:\\d\\d/\n'


def tokens(value: object) -> list[tuple[str, str]]:
    """The tokens of a parse built with no callbacks (every rule an `Unbuilt`)."""
    if isinstance(value, Token):
        return [(value.type, str(value))]
    if isinstance(value, Unbuilt):
        return [t for child in value.children for t in tokens(child)]
    return []


def token_parser(table: Table, lexer: LineLexer) -> Callable[[str], list[tuple[str, str]]]:
    """The tokens a line parses into, lexed by the parser's state."""
    callbacks = table.callbacks(object())

    def parse(line: str) -> list[tuple[str, str]]:
        return tokens(table.parse(lambda state: lexer.tokens(line, state), callbacks))

    return parse


def test_terminals_lex_by_context() -> None:
    """`1000` is an INT after `>=` and a VERSION after `target ENGINE`; `>=` is an OP only
    where a verify compares."""
    parse = token_parser(parser.table(), parser.lexer())
    assert ("INT", "1000") in parse("verify rows d.t >= 1000")
    assert ("OP", ">=") in parse("verify rows d.t >= 1000")
    assert ("VERSION", "1000") in parse("target x 1000")
    assert ("DURATION", "7d") in parse("pitr p for cluster range 7d")
    assert ("VERIFY", "VERIFY") in parse("VERIFY rows d.t < 3")


def test_a_new_keyword_is_quoted_with_no_list_to_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keywords are read from the grammar's table: a word added to the grammar alone is
    a keyword to the parser's messages, the formatter and the cascade."""
    table = build(EXTENDED, "line")
    monkeypatch.setattr(parser, "lexer", lambda: LineLexer(table))
    parser.keywords.cache_clear()
    try:
        assert "checkpoint" in parser.keywords()
        assert fmt.name(Name("checkpoint")) == "`checkpoint`"
    finally:
        parser.keywords.cache_clear()


def test_new_terminal_kinds_lex_by_context() -> None:
    """A new terminal added to the grammar alone lexes as itself where the parser expects
    it (`12:30` an HOUR after `at`), and nowhere else shadows an old one."""
    assert EXTENDED != TEXT
    table = build(EXTENDED, "line")
    parse = token_parser(table, LineLexer(table))

    assert ("HOUR", "12:30") in parse("checkpoint c at 12:30")
    assert ("CHECKPOINT", "checkpoint") in parse("checkpoint c at 12:30")
    assert ("INT", "1000") in parse("verify rows d.t >= 1000")
    assert ("VERSION", "1000") in parse("target x 1000")

"""The lexer Lark uses for a plan line: contextual, one cached regex per parser state, built
from the grammar's own terminals.

Lark's general lexer matches ignored whitespace as tokens of their own, counts lines for every
token and re-types keywords with a second regex match. A plan line has no newlines, and keywords
are plain words, so one `match` per token (whitespace absorbed in front of it) and a dictionary
look-up for keywords do the same job in two thirds of the parse time (see docs/performance.md).

It is contextual, like Lark's own contextual lexer: in each parser state it tries only the
terminals that state accepts, so two terminals may match the same text (`1000` as a version
after `target ENGINE`, as a count after `>=`) without one shadowing the other. Where nothing
the state accepts matches, every terminal is tried, so the parser can say what it found.
Keywords stay reserved: a word that is a keyword is always the keyword. The terminals, their
order and their priorities come from grammar/mobak.lark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState, TerminalDef

_WORD = re.compile(r"[a-z]+")


class LineLexer(Lexer):
    """Tokens of one line. A word that NAME matches and that is a keyword becomes the keyword."""

    __future_interface__ = 2  # lex(lexer_state, parser_state): Lark hands us the parser state

    def __init__(self, conf: LexerConf) -> None:
        ignore = [t for t in conf.terminals if t.name in conf.ignore]
        # Lark's own order: priority, then the widest and longest patterns first.
        ordered = sorted((t for t in conf.terminals if t.name not in conf.ignore),
                         key=lambda t: (-t.priority, -t.pattern.max_width,
                                        -len(t.pattern.value), t.name))
        self.keywords = {t.pattern.value: t.name for t in ordered
                         if t.pattern.type == "str" and _WORD.fullmatch(t.pattern.value)}
        self.terminals = [t for t in ordered if t.name not in self.keywords.values()]
        self.space_alternatives = "|".join(t.pattern.to_regexp() for t in ignore) or "(?!)"
        self.space = re.compile(f"(?:{self.space_alternatives})*")
        self.everything = self._regex(self.terminals)
        self.by_state: dict[Any, re.Pattern[str]] = {}

    def _regex(self, terminals: list[TerminalDef]) -> re.Pattern[str]:
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals)
        return re.compile(f"(?:{self.space_alternatives})?(?:{alternatives or '(?!)'})")

    def _for_state(self, parser_state: Any) -> re.Pattern[str]:
        position = parser_state.position
        regex = self.by_state.get(position)
        if regex is None:
            accepts = parser_state.parse_conf.states[position]
            words = any(k in accepts for k in self.keywords.values())
            regex = self.by_state[position] = self._regex(
                [t for t in self.terminals if t.name in accepts or (t.name == "NAME" and words)])
        return regex

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text_slice = lexer_state.text
        text = text_slice.text
        yield from self._tokens(text, text_slice.start, text_slice.end, parser_state)

    def tokens(self, text: str) -> Iterator[Token]:
        """Every token of `text`, with no parser to ask (for error messages)."""
        yield from self._tokens(text, 0, len(text), None)

    def _tokens(self, text: str, pos: int, end: int, parser_state: Any) -> Iterator[Token]:
        keywords, everything = self.keywords, self.everything
        while pos < end:
            m = None
            if parser_state is not None:
                m = self._for_state(parser_state).match(text, pos, end)
            if m is None:
                m = everything.match(text, pos, end)
            if m is None:
                pos = self.space.match(text, pos, end).end()  # type: ignore[union-attr]
                if pos == end:
                    return
                raise UnexpectedCharacters(text, pos, 1, pos + 1)  # type: ignore[no-untyped-call]
            kind = m.lastgroup
            assert kind is not None
            start = m.start(kind)
            value = m.group(kind)
            if kind == "NAME":
                kind = keywords.get(value.lower(), "NAME")
            pos = m.end()
            yield Token(kind, value, start, 1, start + 1, 1, pos + 1, pos)

"""The lexer for a plan line: contextual, one cached regex per parser state, built from the
grammar's own terminals (as `modsl.language.lalr.build` exported them).

A plan line has no newlines, and keywords are plain words, so one `match` per token (whitespace
absorbed in front of it) and a dictionary look-up for keywords are all it takes; Lark's general
lexer matched whitespace as tokens of its own and keywords twice (see docs/performance.md).

It is contextual: in each parser state it tries only the terminals that state accepts, so two
terminals may match the same text (`1000` as a version after `target ENGINE`, as a count after
`>=`) without one shadowing the other. Where nothing the state accepts matches, every terminal
is tried, so the parser can say what it found. Keywords stay reserved: a word that is a keyword
is always the keyword.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from modsl.language.lalr import Table, Terminal, Token, UnexpectedCharacters


class LineLexer:
    """Tokens of one line. A word that NAME matches and that is a keyword becomes the keyword."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.keywords = {t.keyword: t.name for t in table.terminals if t.keyword}
        self.terminals = [t for t in table.terminals if not t.keyword]
        self.space_alternatives = "|".join(table.ignore) or "(?!)"
        self.space = re.compile(f"(?:{self.space_alternatives})*")
        self.everything = self._regex(self.terminals)
        self.by_state: dict[int, re.Pattern[str]] = {}

    def _regex(self, terminals: list[Terminal]) -> re.Pattern[str]:
        alternatives = "|".join(f"(?P<{t.name}>{t.regex})" for t in terminals)
        return re.compile(f"(?:{self.space_alternatives})?(?:{alternatives or '(?!)'})")

    def _for_state(self, state: int) -> re.Pattern[str]:
        regex = self.by_state.get(state)
        if regex is None:
            accepts = self.table.states[state]
            words = any(k in accepts for k in self.keywords.values())
            regex = self.by_state[state] = self._regex(
                [t for t in self.terminals if t.name in accepts or (t.name == "NAME" and words)])
        return regex

    def tokens(self, text: str, state: Callable[[], int] | None = None) -> Iterator[Token]:
        """The tokens of `text`; with `state` (the parser's current state), by context."""
        keywords, everything, by_state = self.keywords, self.everything, self.by_state
        pos, end = 0, len(text)
        while pos < end:
            m = None
            if state is not None:  # the hot path: one dict hit for the state's regex
                current = state()
                regex = by_state.get(current) or self._for_state(current)
                m = regex.match(text, pos)
            if m is None:
                m = everything.match(text, pos)
            if m is None:
                pos = self.space.match(text, pos).end()  # type: ignore[union-attr]
                if pos == end:
                    return
                raise UnexpectedCharacters(pos + 1)
            kind = m.lastgroup
            assert kind is not None
            start = m.start(kind)
            value = m.group(kind)
            if kind == "NAME":
                kind = keywords.get(value.lower(), "NAME")
            pos = m.end()
            yield Token(kind, value, start + 1, pos + 1)

"""The lexer Lark uses for a plan line: one regex, built from the grammar's own terminals.

Lark's general lexer matches ignored whitespace as tokens of their own, counts lines for every
token and re-types keywords with a second regex match. A plan line has no newlines, and keywords
are plain words, so one `match` per token (whitespace absorbed in front of it) and a dictionary
look-up for keywords do the same job in two thirds of the parse time (see docs/performance.md).
The terminals, their order and their priorities still come from grammar/mobak.lark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lark import Token
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer

_WORD = re.compile(r"[a-z]+")


class LineLexer(Lexer):
    """Tokens of one line. A word that NAME matches and that is a keyword becomes the keyword."""

    def __init__(self, conf: LexerConf) -> None:
        ignore = [t for t in conf.terminals if t.name in conf.ignore]
        # Lark's own order: priority, then the widest and longest patterns first.
        ordered = sorted((t for t in conf.terminals if t.name not in conf.ignore),
                         key=lambda t: (-t.priority, -t.pattern.max_width,
                                        -len(t.pattern.value), t.name))
        self.keywords = {t.pattern.value: t.name for t in ordered
                         if t.pattern.type == "str" and _WORD.fullmatch(t.pattern.value)}
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in ordered
                                if t.name not in self.keywords.values())
        space = "|".join(t.pattern.to_regexp() for t in ignore) or "(?!)"
        self.token = re.compile(f"(?:{space})?(?:{alternatives})")
        self.space = re.compile(f"(?:{space})*")

    def lex(self, text: str) -> Iterator[Token]:  # type: ignore[override]
        match, keywords = self.token.match, self.keywords
        pos, end = 0, len(text)
        while pos < end:
            m = match(text, pos)
            if m is None:
                pos = self.space.match(text, pos).end()  # type: ignore[union-attr]
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

"""Split SQL text into statements at top-level `;`, knowing quotes and comments, so each
statement can be parsed (and fail) on its own and be reported on its own line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"""
      (?P<quoted> '(?:[^'\\]|\\.|'')*' | "(?:[^"\\]|\\.|"")*" | `(?:[^`]|``)*` )
    | (?P<comment> --(?=[\s]|$)[^\n]* | \#[^\n]* | /\*.*?\*/ )
    | (?P<semi> ; )
    | (?P<open> ['"`] | /\* )
    | (?P<other> [^'"`;\#/-]+ | . )
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Chunk:
    """One statement's text (comments kept, no `;`), and where its first token stands."""

    text: str
    line: int
    column: int
    first: int  # index in `text` of the first significant character

    @property
    def first_line(self) -> str:
        return self.text[self.first :].split("\n", 1)[0].rstrip()


@dataclass(frozen=True)
class Unterminated:
    """A quote or comment that never closes: everything after it is lost."""

    what: str
    line: int
    column: int


def split(text: str) -> Iterator[Chunk | Unterminated]:
    where = _Positions(text)
    start = 0
    first: int | None = None  # offset of the statement's first significant character
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            line, column = where.at(m.start())
            what = {"'": "string", '"': "string", "`": "quoted name"}.get(m.group(), "comment")
            yield Unterminated(what, line, column)
            return
        if kind == "semi":
            if first is not None:
                yield Chunk(text[start : m.start()], *where.at(first), first - start)
            start, first = m.end(), None
        elif kind != "comment" and first is None:
            stripped = len(m.group()) - len(m.group().lstrip())
            if stripped < len(m.group()):
                first = m.start() + stripped
    if first is not None:
        yield Chunk(text[start:], *where.at(first), first - start)


class _Positions:
    """Offsets → (line, column), for increasing offsets in linear time overall."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def at(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.line_start + 1

"""Split SQL text into statements at top-level `;`, knowing quotes and comments, so each
statement can be parsed (and fail) on its own and be reported on its own line. Comments come
out too, in order, so an imported plan keeps them."""

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
class SqlComment:
    """A `--`, `#` or `/* */` comment: its text without the markers, one entry per line."""

    lines: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Unterminated:
    """A quote or comment that never closes: everything after it is lost."""

    what: str
    line: int
    column: int


def _comment(raw: str) -> tuple[str, ...]:
    if raw.startswith("/*"):
        body = raw[2:-2].strip("*").strip()
        return tuple(line.strip().lstrip("*").strip() for line in body.split("\n"))
    return (raw[2:] if raw.startswith("--") else raw[1:]).strip(),


def split(text: str) -> Iterator[Chunk | SqlComment | Unterminated]:
    where = _Positions(text)
    start = 0
    first: int | None = None  # offset of the statement's first significant character
    first_at = (1, 1)  # its line and column, found when it is met: offsets only increase
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            line, column = where.at(m.start())
            what = {"'": "string", '"': "string", "`": "quoted name"}.get(m.group(), "comment")
            yield Unterminated(what, line, column)
            return
        if kind == "semi":
            if first is not None:
                yield Chunk(text[start : m.start()], *first_at, first - start)
            start, first = m.end(), None
        elif kind == "comment":
            yield SqlComment(_comment(m.group()), *where.at(m.start()))
        elif first is None:
            stripped = len(m.group()) - len(m.group().lstrip())
            if stripped < len(m.group()):
                first = m.start() + stripped
                first_at = where.at(first)
    if first is not None:
        yield Chunk(text[start:], *first_at, first - start)


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

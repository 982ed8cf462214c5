"""StarRocks' lexical layer (STARROCKS.md §1), for the importer: words, backquoted names,
strings in either quote, and single punctuation characters. Nothing here fails: a character
no token starts with becomes an `other` token, for the reader to complain about only if it
stands where one of its statements needs something else. Quoted runs are matched with
possessive quantifiers: a quote that never closes fails in linear time, not exponential.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

Kind = Literal["word", "name", "string", "punct", "other"]

_TOKEN = re.compile(r"""
      (?P<space> \s+ | --(?=\s|$)[^\n]* | \#[^\n]* | /\*.*?\*/ )
    | (?P<name> `(?:[^`]++|``)*+` )
    | (?P<string> '(?:[^'\\]++|\\.|'')*+' | "(?:[^"\\]++|\\.|"")*+" )
    | (?P<word> [\w$\u0080-\uffff]+ )
    | (?P<punct> [(),=.;] )
    | (?P<other> [`'"].* | /\*.* | . )
""", re.VERBOSE | re.DOTALL)

# StarRocksLex's backslash escapes (MySQL's); any other `\c` is `c`.
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "Z": "\x1a"}
_ESCAPE = {q: re.compile(rf"\\(.)|{q}{q}", re.DOTALL) for q in "'\""}


class Token(NamedTuple):
    kind: Kind
    text: str
    """A word as written; a name or string without its quotes, escapes resolved; `other`:
    one character, or a quote or comment that never closes and the rest of the text."""
    start: int
    end: int

    def is_word(self, word: str) -> bool:
        return self.kind == "word" and self.text.upper() == word


def _unquote(raw: str) -> str:
    quote, body = raw[0], raw[1:-1]
    if quote == "`":
        return body.replace("``", "`")
    if "\\" not in body and quote * 2 not in body:
        return body
    return _ESCAPE[quote].sub(
        lambda m: quote if m.group(1) is None else _ESCAPES.get(m.group(1), m.group(1)), body)


def tokens(text: str) -> list[Token]:
    """Every token of `text`, whitespace and comments left out."""
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        match m.lastgroup:
            case "name" | "string" as kind:
                out.append(Token(kind, _unquote(raw), m.start(), m.end()))
            case "word" | "punct" | "other" as kind:
                out.append(Token(kind, raw, m.start(), m.end()))
    return out

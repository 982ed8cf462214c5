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

`LineParser` lexes and parses in one loop, and replays what it learnt: a line's token types
decide every move of an LALR parser (and so which terminals the lexer tries), so the moves
taken after each run of token types are kept (`Point`), learnt from the table the first time
(`Table.advance`). A plan repeats a few dozen shapes of line, so the loop is a regex match, a
token and a dictionary hit per token, then the reductions; the table's general driver
(`Table.parse`) parses what the steps have not seen fail, and raises its error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from modsl.language.lalr import END, Table, Terminal, Token, UnexpectedCharacters

# The NamedTuple's own `__new__` is Python code around this call; a token is made for every
# word of a plan, and calling it directly makes each ~0.4 µs cheaper (docs/performance.md).
_token = tuple.__new__


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
            yield _token(Token, (kind, value, start + 1, pos + 1))


class Move(NamedTuple):
    """What a token of one type does at a step: the rules it makes the parser reduce (each
    with the number of values it pops; not those that pass their one child through, a third
    of a plan's reductions), then the step after it is shifted."""

    reductions: tuple[tuple[int, int], ...]
    then: Point | None
    """None for END: the line is done."""


class Point:
    """The parser at one point of a line, known by its state stack: the regex that lexes the
    next token there, and the move each type of next token makes, learnt when first seen."""

    __slots__ = ("moves", "regex", "stack")

    def __init__(self, stack: tuple[int, ...], regex: re.Pattern[str]) -> None:
        self.stack = stack
        self.regex = regex
        self.moves: dict[str, Move] = {}


class LineParser:
    """Parse a line as `Table.parse` does over `LineLexer.tokens`, the same values and the
    same errors, with each move learnt once (see the module's docstring)."""

    def __init__(self, table: Table, lexer: LineLexer) -> None:
        self.table = table
        self.lexer = lexer
        self.steps: dict[tuple[int, ...], Point] = {}
        self.first = self._step((table.start,))

    def _step(self, stack: tuple[int, ...]) -> Point:
        step = self.steps.get(stack)
        if step is None:
            step = self.steps.setdefault(stack, Point(stack, self.lexer._for_state(stack[-1])))
        return step

    def _learn(self, step: Point, terminal: str) -> Move | None:
        """The move `terminal` makes at `step`; None when the table refuses it there."""
        advanced = self.table.advance(step.stack, terminal)
        if advanced is None:
            return None
        reduced, stack = advanced
        rules = self.table.rules
        move = Move(tuple((r, rules[r].size) for r in reduced if not rules[r].passes_through),
                    None if terminal == END else self._step(stack))
        step.moves[terminal] = move
        return move

    def parse(self, text: str, callbacks: list[Callable[[list[Any]], Any]]) -> Any:
        """The value of `text` (raises lalr.UnexpectedToken or UnexpectedCharacters)."""
        keywords = self.lexer.keywords
        step: Point | None = self.first
        values: list[Any] = []
        pos, end = 0, len(text)
        while True:
            assert step is not None
            m = step.regex.match(text, pos) if pos < end else None
            if m is None:  # the end of the line, or a token the state does not take
                if self.lexer.space.match(text, pos).end() != end:  # type: ignore[union-attr]
                    break
                move = step.moves.get(END) or self._learn(step, END)
                if move is None:
                    break
            else:
                kind = m.lastgroup
                assert kind is not None
                start, pos = m.span(kind)
                value = text[start:pos]
                if kind == "NAME":
                    kind = keywords.get(value.lower(), "NAME")
                move = step.moves.get(kind) or self._learn(step, kind)
                if move is None:
                    break
            for rule, size in move.reductions:
                if size:
                    children = values[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(callbacks[rule](children))
            if move.then is None:
                return values[-1]
            values.append(_token(Token, (kind, value, start + 1, pos + 1)))
            step = move.then
        # What the steps cannot take is an error: the table's own driver says which.
        return self.table.parse(lambda state: self.lexer.tokens(text, state), callbacks)

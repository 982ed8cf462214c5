"""One syntax error, one diagnostic: the findings a broken line would cause further down are
held back.

A line that does not parse declares nothing, so a later line that uses what it would have
declared draws "not declared" (MB403), "no schedule" (MB410), "nothing could undo this"
(MB501) ... about a name the user did write, one typo up. Those judgements are withheld for
the names the broken line mentions; everything else on later lines is still reported
(docs/design.md, "Syntax errors do not cascade").
"""

from __future__ import annotations

import re

from modsl.diagnostics import Diagnostic
from modsl.language import ast
from modsl.language.parser import keywords

QUIETED = frozenset(("MB223", "MB403", "MB404", "MB410", "MB412", "MB416", "MB417", "MB501"))
"""Judgements that a missing line can cause: a reference to what no line declares (a snapshot,
a PITR, a schedule, a repository, an account), a restore of a backup no line made, a restore
that no line's snapshot could undo."""
SYNTAX = frozenset(("MB101", "MB102"))

_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"?')
_WORD = re.compile(r"`([^`\n]*)`|([^\W\d][\w$]*)")


def names_in(text: str) -> set[str]:
    """The names a line (or part of one) mentions, as keys: lower-cased, without backticks,
    keywords and strings left out."""
    found = set()
    for quoted, bare in _WORD.findall(_STRING.sub(" ", text)):
        if quoted:
            found.add(quoted.lower())
        elif bare.lower() not in keywords():
            found.add(bare.lower())
    return found


def quiet(plan: ast.Plan, found: list[Diagnostic]) -> list[Diagnostic]:
    """`found` less the judgements in QUIETED, on lines after a syntax error, about a name
    that broken line mentions."""
    broken = sorted({d.span.line for d in plan.parse_diagnostics if d.code in SYNTAX})
    if not broken or not any(d.code in QUIETED for d in found):
        return found
    lines = plan.raw.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")

    def text(span: ast.Span) -> str:
        if not 1 <= span.line <= len(lines):
            return ""
        line = lines[span.line - 1]
        end = span.end_column - 1 if span.end_line == span.line else len(line)
        return line[span.column - 1 : end]

    mentioned: list[tuple[int, set[str]]] = [(n, names_in(lines[n - 1])) for n in broken
                                             if n <= len(lines)]
    kept = []
    for d in found:
        if d.code in QUIETED:
            before = set().union(*(names for n, names in mentioned if n < d.span.line))
            if before & names_in(text(d.span)):
                continue
        kept.append(d)
    return kept

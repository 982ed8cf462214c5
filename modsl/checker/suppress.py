"""Inline suppression: a trailing `# modsl: ignore[MB501, MB403]` silences those codes on its
line. An ignore that silences nothing is itself reported (MB001), so stale ones get cleaned.
A silenced error no longer stops compile, so the codes that guard a security boundary cannot
be silenced at all: their ignore is reported instead (MB001)."""

from __future__ import annotations

import re

from modsl.diagnostics import Diagnostic
from modsl.language import ast

_IGNORE = re.compile(r"#\s*modsl:\s*ignore\[([^\]]*)\]")
UNSILENCEABLE = {"MB211": "a verify that could write must never run"}


def ignores(comment: ast.Comment | None) -> list[str]:
    if comment is None:
        return []
    m = _IGNORE.search(comment.text)
    if m is None:
        return []
    return [c.strip().upper() for c in m.group(1).split(",") if c.strip()]


def apply(plan: ast.Plan, found: list[Diagnostic]) -> list[Diagnostic]:
    """`found` less what the plan's ignore comments silence, plus MB001 for idle ignores."""
    wanted: dict[int, tuple[ast.Comment, list[str]]] = {}
    carriers = [*plan.statements, *plan.headers]
    for item in carriers:
        comment = getattr(item, "comment", None)
        codes = ignores(comment)
        if codes and comment is not None:
            wanted[comment.span.line] = (comment, codes)
    if not wanted:
        return found
    used: set[tuple[int, str]] = set()
    kept: list[Diagnostic] = []
    for d in found:
        entry = wanted.get(d.span.line)
        if entry is not None and d.code in entry[1] and d.code not in UNSILENCEABLE:
            used.add((d.span.line, d.code))
        else:
            kept.append(d)
    for line, (comment, codes) in sorted(wanted.items()):
        for code in codes:
            if code in UNSILENCEABLE:
                kept.append(Diagnostic("MB001", f"`ignore[{code}]` cannot silence {code}: "
                                       f"{UNSILENCEABLE[code]}", comment.span,
                                       help="fix the line instead; remove the ignore"))
            elif (line, code) not in used:
                kept.append(Diagnostic("MB001", f"`ignore[{code}]` silences nothing on this "
                                       "line", comment.span,
                                       help="remove it, or the code from the list"))
    return kept

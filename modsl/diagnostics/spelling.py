"""Near misses: the words within a small edit distance of a misspelt one, for `did you mean`.

Kept apart from the parser and the rules so both can ask without importing the other."""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def nearest(word: str, known: Iterable[str], limit: int = 2) -> list[str]:
    """The known words at distance 1 to `limit` from `word`, nearest first (then A-Z). A short
    word allows one edit: at two, `to` would be near every four-letter word."""
    word = word.lower()
    found = []
    for k in known:
        allowed = min(limit, 1 if len(k) <= 4 else 2)
        d = distance(word, k, allowed)
        if 0 < d <= allowed:
            found.append((d, k))
    return [k for _, k in sorted(found)]

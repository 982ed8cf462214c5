"""How StarRocks' Java reads a property: `Long.parseLong` / `Integer.parseInt` for numbers and
`String.trim` for keys (BackupRestoreAnalyzer, AstBuilder), so the checker's verdict on
`"+600"`, `"٦٠٠"` or a value that overflows is the server's, not Python's `int()`'s."""

from __future__ import annotations

import unicodedata

LONG_BITS, INT_BITS = 64, 32


def parse_integer(text: str, bits: int) -> int | None:
    """Java's `parseLong` (bits=64) or `parseInt` (bits=32): an optional `+` or `-`, then one
    or more decimal digits of any script (`Character.digit`), nothing else (no blanks, no
    `_`); None where Java throws NumberFormatException, overflow included."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not all(c.isdecimal() for c in body):
        return None
    value = 0
    for c in body:
        value = value * 10 + unicodedata.decimal(c)
    if text.startswith("-"):
        value = -value
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return value if low <= value <= high else None


def wrapped(value: int, bits: int = LONG_BITS) -> int:
    """`value` as Java's signed arithmetic leaves it: `Long.MAX_VALUE * 1000` is negative."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def trim(text: str) -> str:
    """Java's `String.trim`: every character up to U+0020 off both ends (not Unicode spaces)."""
    return text.strip("".join(map(chr, range(33))))

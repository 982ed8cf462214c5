"""How MatrixOne SQL quotes a name and a string: a leaf module, so everything in the engine's
folder (emission, live reads, drills) quotes alike without importing the engine's package."""

from __future__ import annotations

# Inside backticks or single quotes, only these could end the token or smuggle a statement.
_UNSAFE_IDENT = frozenset("`'\"\n\r\t \0")
_UNSAFE_STRING = frozenset("'\n\r\0")


class UnsafeName(ValueError):
    """A name reached emission that the checker should have refused."""


def ident(name: str) -> str:
    """A backtick-quoted, lower-cased identifier."""
    if not name or _UNSAFE_IDENT.intersection(name):
        raise UnsafeName(f"refusing to emit identifier {name!r}")
    return f"`{name.lower()}`"


def string(value: str) -> str:
    """A single-quoted literal (never double quotes: they break under ANSI_QUOTES).

    A backslash escapes in MatrixOne strings, as in MySQL's, so it is doubled.
    """
    if _UNSAFE_STRING.intersection(value):
        raise UnsafeName(f"refusing to emit string {value!r}")
    return "'" + value.replace("\\", "\\\\") + "'"

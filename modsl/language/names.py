"""What the grammar makes of a name: whether it can be written bare, or needs backticks (a
keyword does: the keywords are the grammar's, read from its table). What a *server* accepts
as a name is each engine's own rule, in its folder (`names.py`)."""

from __future__ import annotations

import re

from modsl.language.parser import keywords

_BARE = re.compile(r"[^\W\d][\w$]*\Z")


def is_bare(text: str) -> bool:
    """True when `text` can be written without backticks (and is not a keyword)."""
    return bool(_BARE.match(text)) and text.lower() not in keywords()


def __getattr__(name: str) -> frozenset[str]:
    """`KEYWORDS`, read from the grammar's table when first asked for (not at import: a cold
    cache builds the table with Lark)."""
    if name == "KEYWORDS":
        return keywords()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

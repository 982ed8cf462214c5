"""What the grammar makes of a name: its keywords (they need backticks to be names) and
whether a name can be written bare. What a *server* accepts as a name is each engine's own
rule, in its folder (`names.py`)."""

from __future__ import annotations

import re

KEYWORDS = frozenset((
    "account", "alter", "as", "at", "backup", "broker", "clone", "cluster", "cron", "database",
    "drill", "drop",
    "every", "exists", "existing", "failure", "for", "from", "if", "in", "into", "keep", "last",
    "not", "on", "only", "partitions", "pitr", "properties", "range", "read", "repository",
    "restore", "rollback", "rows", "schedule", "snapshot", "table", "tables", "target", "to",
    "verify",
))

_BARE = re.compile(r"[^\W\d][\w$]*\Z")


def is_bare(text: str) -> bool:
    """True when `text` can be written without backticks (and is not a keyword)."""
    return bool(_BARE.match(text)) and text.lower() not in KEYWORDS

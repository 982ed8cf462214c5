"""How StarRocks SQL quotes a name and a string, and the placeholder a reviewed restore holds:
a leaf module, so everything in the engine's folder (emission, import, live reads, drills)
agrees without importing the engine's package."""

from __future__ import annotations


class UnsafeValue(ValueError):
    """A value reached emission that the checker should have refused."""


NEVER = frozenset("\n\r\0")
"""What no emitted name, string or query may hold: it would end the line or the statement."""


def ident(name: str) -> str:
    """A backquoted identifier, case kept (StarRocks table names are case-sensitive)."""
    if not name or NEVER.intersection(name):
        raise UnsafeValue(f"refusing to emit identifier {name!r}")
    return "`" + name.replace("`", "``") + "`"


def string(value: str) -> str:
    """A double-quoted string: `\\` and `"` escaped (StarRocksLex's escapes)."""
    if NEVER.intersection(value):
        raise UnsafeValue(f"refusing to emit string {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


BACKUP_TIMESTAMP_PLACEHOLDER = "{backup_timestamp}"
"""In a reviewed restore without `at`: the timestamp of the backup the plan made, read by
apply from `SHOW SNAPSHOT` just before it sends the restore."""

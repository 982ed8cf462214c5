"""`CREATE DATABASE|TABLE ... CLONE ... {SNAPSHOT|TIMESTAMP = ...} [TO ACCOUNT a]` on the
stand-in, with real rows: an independent reading of MatrixOne's clone.go (the target is
created, so a name that exists fails; only sys clones into another account; a snapshot is
read in the account it was taken of; nothing goes into a system database). Read by regular
expression: sqlglot has no CLONE with a snapshot hint.
"""

from __future__ import annotations

import re

from modsl.engines.matrixone.standin import gotime
from modsl.engines.matrixone.standin.world import World
from modsl.standin.store import INTERNAL, ServerError, Store

_IDENT = r"(`[^`]+`|[^`\s.{}]+)"
STATEMENT = re.compile(
    r"\s*create\s+(database|table)\s+(if\s+not\s+exists\s+)?"
    rf"(?:{_IDENT}\s*\.\s*)?{_IDENT}\s+clone\s+(?:{_IDENT}\s*\.\s*)?{_IDENT}\s*"
    r"(?:\{\s*(snapshot|timestamp)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\})?"
    rf"(?:\s+to\s+account\s+{_IDENT})?\s*;?\s*\Z", re.I)
UNKNOWN_DB, DB_EXISTS, TABLE_EXISTS, NO_TABLE = 1049, 1007, 1050, 1146
SYSTEM = frozenset({"mo_catalog", "information_schema", "mysql", "system", "system_metrics",
                    "mo_task", "mo_debug"})


def run(world: World, own: str, current: str | None, found: re.Match[str]) -> None:
    """Clone as `found` says, for a session of account `own` whose database is `current`."""
    level, ine, dst_db, dst, src_db, src, hint, value, to = (
        g.strip("`") if g else g for g in found.groups())
    level, dst, src = level.lower(), dst.lower(), src.lower()
    if level == "database":
        dst_db, src_db = dst, src
    dst_db = (dst_db or current or "").lower()
    src_db = (src_db or current or "").lower()
    if not dst_db or not src_db:
        raise ServerError(f"no db selected for the {'dst' if not dst_db else 'src'} table")
    value = re.sub(r"\\(.)", r"\1", value or "")  # the string's escapes
    target = own if to is None else to.lower()
    with world.lock:
        if target not in world.accounts:
            raise ServerError(f"there is no account {target}")
        if own != "sys" and target != own:
            raise ServerError("only sys can clone table to another account")
        if hint is None and target != own:
            raise ServerError(f"clone {level} between different accounts need a snapshot")
        if dst_db in SYSTEM:
            raise ServerError("cannot clone data into system database")
        source = _source(world, own, (hint or "").lower(), value)
        if not source.has(src_db):
            raise ServerError(f"Unknown database {src_db}", UNKNOWN_DB)
        into = world.accounts[target].store
        if level == "database":
            if into.has(dst_db):
                if ine:
                    return
                raise ServerError(f"can't create database {dst_db}; database exists", DB_EXISTS)
            into.create_database(dst_db)
            for table in source.tables(src_db):
                into.write(dst_db, table, source.read(src_db, table))
        else:
            if not source.has_table(src_db, src):
                raise ServerError(f"no such table {src_db}.{src}", NO_TABLE)
            if not into.has(dst_db):
                raise ServerError(f"Unknown database {dst_db}", UNKNOWN_DB)
            if into.has_table(dst_db, dst):
                if ine:
                    return
                raise ServerError(f"table {dst} already exists", TABLE_EXISTS)
            into.write(dst_db, dst, source.read(src_db, src))
        world.record(target)


def _source(world: World, own: str, hint: str, value: str) -> Store:
    """What the clone reads: the snapshot's image of the account it was taken of, the
    login's account at a moment, or the login's account now."""
    if hint == "snapshot":
        taken = world.snapshots.get((own, value.lower()))
        if taken is None:
            raise ServerError(f"snapshot {value.lower()} does not exist")
        account = taken.account or own
        image = taken.data.get(account)
        return Store(image) if image is not None else Store()
    if hint == "timestamp":
        try:
            moment = gotime.parse(value)
        except ValueError as exc:
            raise ServerError(str(exc), INTERNAL) from None
        image = world.as_of(moment).get(own)
        return Store(image) if image is not None else Store()
    return world.accounts[own].store

"""A firing's journal: which server it ran on, what each statement was meant to do, and how an
outcome nobody saw is decided from the server.

A scheduled firing is decided from what the server holds (a snapshot is created when its name
is missing, dropped when retention says so), so an unknown outcome never needs the user's word:
a CREATE SNAPSHOT took if the snapshot exists, a DROP took if the snapshot it meant (its name
*and* its timestamp) is gone. The one thing the server cannot say at once is whether a statement
of a run that died is still running there, so a "did not take" is read again until `settle`
seconds after it was sent before it is believed.

The journal is one file per plan, schedule, firing and server: the same firing on staging and
on production are two firings, each done in full.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from modsl.runtime import live
from modsl.runtime.executor import Journal, JournalError, now

if TYPE_CHECKING:
    from modsl.runtime.connect import Server
    from modsl.runtime.live import LiveObject

Objects = Callable[[], "list[LiveObject]"]

# PyMySQL's client-side codes for a connection that is gone: the read did not happen, which
# says nothing about the server (unlike a server error, which is its answer).
_GONE = {2003, 2006, 2013, 2055}


def dsn_key(server: Server) -> str:
    """The server as the DSN names it (its address however spelt, port, account, user;
    never the password)."""
    from modsl.runtime.locks import canonical_host

    return _digest(canonical_host(server.host), str(server.port), server.account or "",
                   server.user)


def identity(connection: Any) -> str:
    """The server's own name for itself where it has one cheaply (`@@hostname`: MariaDB and
    MySQL answer the machine's name; MatrixOne's is empty unless configured, variables.go), ""
    where the server answers it has none. A lost connection is an error, not "none": the key
    must not change between a run and its retry because a read failed."""
    import pymysql

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@hostname")
            row = cursor.fetchone()
    except pymysql.MySQLError as exc:
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        if code in _GONE or isinstance(exc, pymysql.err.InterfaceError):
            raise live.Unreadable(f"the connection was lost while reading the server's name: "
                                  f"{exc.args[-1] if exc.args else exc}; run again") from None
        return ""
    value = row[0] if row else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value) if value else ""


def server_record(server: Server, name: str) -> dict[str, Any]:
    """What the `run` entry says of the server (never the password)."""
    return {"host": server.host, "port": server.port, "user": server.user,
            "account": server.account, "hostname": name or None,
            "key": server_key(server, name)}


def server_key(server: Server, name: str) -> str:
    """The server a firing journal belongs to: the DSN's host, port, account and user, and
    the server's own name when it has one."""
    return _digest(dsn_key(server), name)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def describe(index: int, sql: str, create: str | None, drop: LiveObject | None) -> dict[str, Any]:
    """A statement of the firing as the `run` entry records it, for deciding it later."""
    if create is not None:
        return {"index": index, "create": create, "sql": sql}
    assert drop is not None
    return {"index": index, "drop": drop.name, "taken": _stamp(drop), "sql": sql}


def resolve_unknowns(journal: Journal, objects: Objects, settle: float,
                     sleep: Callable[[float], None] = time.sleep,
                     clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """Decide every unknown outcome in `journal` from the server, journal each as `resolved`
    (with `why`), and return those entries. Raises live.Unreadable when the server cannot
    be read (nothing is decided, nothing sent)."""
    meant = {d["index"]: d for e in journal.entries if e["event"] == "run"
             for d in e.get("steps", []) if isinstance(d, dict) and "index" in d}
    written = []
    for index in journal.unknown:
        step = meant.get(index)
        if step is None:
            raise JournalError(
                f"{journal.path}: statement {index + 1} has an unknown outcome and the journal "
                "does not say what it meant (written by an older modsl): check the server, "
                "then move the journal aside and run again")
        deadline = _sent_at(journal, index, clock) + settle
        while True:
            try:
                took, why = _took(step, objects())
            except live.Unreadable as exc:
                raise live.Unreadable(
                    f"cannot read the server's snapshots to decide `{step['sql']}`, whose "
                    f"outcome is unknown ({exc}): nothing was sent; run again when the server "
                    "answers") from None
            if took or clock() >= deadline:
                break
            sleep(min(0.2, max(deadline - clock(), 0.0)))
        if not took:
            why += f" (read again until {settle:g}s after it was sent)"
        entry = {"event": "resolved", "index": index, "as": "done" if took else "retry",
                 "at": now(), "why": why, "by": "server"}
        journal.write(entry)
        written.append(entry)
    return written


def _took(step: dict[str, Any], objects: list[LiveObject]) -> tuple[bool, str]:
    """Whether the statement took effect, by what the server holds, and why."""
    snapshots = {o.name: o for o in objects if o.kind == "snapshot"}
    if "create" in step:
        name = step["create"]
        found = snapshots.get(name)
        if found is not None:
            return True, f"snapshot `{name}` exists on the server (taken {_stamp(found)})"
        return False, (f"no snapshot `{name}` on the server: the CREATE did not take; this "
                       "firing creates it")
    name, meant = step["drop"], step.get("taken", "")
    found = snapshots.get(name)
    if found is None:
        return True, f"snapshot `{name}` is gone from the server"
    if _stamp(found) != meant:
        return True, (f"the snapshot `{name}` on the server was taken {_stamp(found)}, not "
                      f"{meant} as the one the DROP meant: that one is gone, and this one is "
                      "not dropped for it")
    return False, (f"snapshot `{name}` (taken {meant}) is still on the server: the DROP did "
                   "not take; retention decides it again")


def _stamp(o: LiveObject) -> str:
    return o.created.isoformat(sep=" ") if o.created is not None else ""


def _sent_at(journal: Journal, index: int, clock: Callable[[], float]) -> float:
    """When statement `index` was last sent (this host's clock), or now when the journal
    does not say: a "did not take" is then believed only after a full `settle`."""
    at = next((e.get("at") for e in reversed(journal.entries)
               if e["event"] == "started" and e["index"] == index), None)
    try:
        return datetime.strptime(str(at), "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=UTC).timestamp()
    except ValueError:
        return clock()

"""The locks a run holds so a plan is never run twice at once on one server: a file lock per
journal, a file lock per (server, plan) in the user's state directory, and, where the engine
has one, a lock the server itself holds for the run's connection (`GET_LOCK`).

Why three: the journal's lock only sees runs that share its directory; the host lock sees
every run of this user on this machine, whatever its working directory or `--journal`; only
the server's lock sees a run from another machine. MatrixOne has user-level locks since 4.1
(`pkg/sql/plan/function/func_unary.go`, getUserLevelLock; a lock row is `<account>\\0<name>`,
so it is scoped to the account a plan runs as); MariaDB and MySQL have them; StarRocks has
none, and a server that refuses the call leaves the run to the host lock.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Locked(Exception):
    """Another run of the same statements holds one of the locks."""


class LockError(Exception):
    """A lock file cannot be created or locked (not because another run holds it)."""


def state_dir() -> Path:
    """`$XDG_STATE_HOME/modsl`, or `~/.local/state/modsl`: per user, not per working directory."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                            "state")
    return Path(base) / "modsl"


def canonical_host(host: str) -> str:
    """One spelling for a host: its address (`127.1`, `localhost` and a DNS name of the same
    machine are one server; an IPv4 address is preferred), or the name as written, lowered,
    when it does not resolve (the connection will say so)."""
    import ipaddress
    import socket

    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None,
                                                                type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError, ValueError):
        return host.lower()
    addresses = sorted((ipaddress.ip_address(a.split("%")[0]) for a in found),
                       key=lambda a: (a.version, a))
    return str(addresses[0]) if addresses else host.lower()


def identity(host: str, port: int | None, account: str | None) -> str:
    """A server as the locks name it: where it listens (its address, however the DSN spells
    it) and the tenant a plan logs in to."""
    return f"{canonical_host(host)}:{port or ''}/{(account or '').lower()}"


def key(server: str, plan: str) -> str:
    """One name for (server, plan): a hash, so neither a host name nor a user shows in it."""
    return hashlib.sha256(f"{server}\0{plan}".encode()).hexdigest()[:40]


def server_key(server: str, plan: str) -> str:
    """The name of the lock the server itself holds: the tenant and the plan only, never how
    a client spells the host (every spelling reaches the one lock table)."""
    return key(server.rpartition("/")[2], plan)


@contextmanager
def file_lock(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (released when the process dies, even by kill -9);
    Locked, naming the pid that holds it, when another process does."""
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"{path}: cannot create the lock: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise LockError(f"{path}: cannot lock: {exc.strerror or exc}") from None
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "?"
            raise Locked(f"{what} (pid {holder}; lock {path}): wait for it to finish, then "
                         "look at its report") from None
        # The holder's pid, for the refusal a second run gets; a full disk only loses that.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # releases the lock


def server_lock_name(lock_key: str) -> str:
    """`modsl:<hash>`: 46 characters, under the 64 MatrixOne and MySQL allow."""
    return f"modsl:{lock_key}"


def hold_on_server(connection: Any, lock_key: str, wait: float = 0.0) -> str:
    """Take `GET_LOCK('modsl:<hash>', wait)` on `connection`, held as long as it is open (the
    server drops it with the connection, so a killed run never leaves it behind). Returns
    what was held ("server lock modsl:…") or why there is none (the server has no such
    function); Locked when another connection holds it after `wait` seconds.

    A fresh run does not wait: a concurrent run is refused, never queued (queued, it would
    run the plan again once the first is done). A run after a killed one (resume, rollback)
    waits a little: the killed run's connection lives on the server until its statement
    ends, and holds the lock till then."""
    name = server_lock_name(lock_key)
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(f"SELECT GET_LOCK('{name}', {max(0.0, wait):g})")
            row = cursor.fetchone()
        finally:
            with contextlib.suppress(Exception):
                cursor.close()
    except Exception as exc:  # no user-level locks here (StarRocks, MatrixOne before 4.1)
        return f"no server lock (the server refused GET_LOCK: {_message(exc)})"
    value = row[0] if row else None
    if value in (1, "1", b"1"):
        return f"server lock {name}"
    if value in (0, "0", b"0"):
        raise Locked(f"this plan is running on this server, from another host or directory "
                     f"(the server's lock {name} is held by another connection), or a "
                     "killed run's statement is still running on the server: wait until "
                     "SHOW PROCESSLIST no longer lists it, then look at the run's report")
    return f"no server lock (GET_LOCK answered {value!r})"


def _message(exc: BaseException) -> str:
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    return str(args[1]) if len(args) >= 2 else str(exc) or type(exc).__name__

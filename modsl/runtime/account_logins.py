"""The logins a run's verifies need in other accounts (`verify … in account A`): a verify
reads where the data is, which after a restore `to account A` is A, not the plan's account.

Credentials never come from the plan: from `MODSL_DSN_<A>` (the account name upper-cased,
anything but letters and digits as `_`), a DSN that logs into A; a drill gets them from its
stand-in. Each login is checked to be in its account before anything runs, so a verify never
reads another account's data of the same name."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from modsl.environ import account_dsn as env_name

if TYPE_CHECKING:
    from modsl.runtime.connect import Server
    from modsl.runtime.executor import Step
    from modsl.targets import Engine

DsnFor = Callable[[str], "str | None"]
"""An account's DSN, or None: where a run finds the login for an account."""


class NoLogin(ValueError):
    """An account a verify reads in has no usable login; nothing has run."""


def from_environment(account: str) -> str | None:
    return os.environ.get(env_name(account)) or None


def needed(steps: list[Step]) -> dict[str, Step]:
    """Each account a verify reads in, with its first such verify (to name in messages)."""
    found: dict[str, Step] = {}
    for step in steps:
        if step.account is not None:
            found.setdefault(step.account, step)
    return found


@contextmanager
def opened(steps: list[Step], engine: Engine, dsn_for: DsnFor, timeout: float,
           main: Server) -> Iterator[dict[str, Any]]:
    """A connection per account the steps' verifies read in, each checked to be logged into
    its account; all closed afterwards. NoLogin when one has no DSN, cannot connect, or
    logs into another account."""
    from modsl.runtime.connect import ConnectError, connect, parse_dsn
    from modsl.runtime.live import Unreadable

    connections: dict[str, Any] = {}
    try:
        for account, step in needed(steps).items():
            where = f"the verify at {step.file}:{step.line} reads in account `{account}`"
            dsn = dsn_for(account)
            if dsn is None:
                raise NoLogin(f"{where}: give a login into it in ${env_name(account)} (a DSN "
                              f"like mysql://USER:PASSWORD@{main.host}:{main.port}"
                              f"?account={account}); the plan never holds credentials")
            try:  # the password is the DSN's own: MODSL_PASSWORD is the plan's login's
                server = parse_dsn(dsn)
                login = engine.login(server.user, server.account) if server.account else None
                connection = connect(server, timeout, login)
            except ConnectError as exc:
                raise NoLogin(f"{where}: ${env_name(account)}: "
                              f"{str(exc).replace('--dsn', 'DSN')}") from None
            connections[account] = connection
            try:
                seen = engine.live_server(connection).account
            except Unreadable as exc:
                raise NoLogin(f"{where}: cannot read which account the login in "
                              f"${env_name(account)} is in: {exc}") from None
            if seen != account:
                raise NoLogin(f"{where}, but the login in ${env_name(account)} is in account "
                              f"`{seen}`: it would read that account's data")
        yield connections
    finally:
        for connection in connections.values():
            with contextlib.suppress(Exception):
                connection.close()

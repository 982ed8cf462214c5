"""Drill mode (`modsl apply PLAN --standin`, `modsl run --standin`), engine-neutral: the seed
file, the seed's two parts, a connection to the stand-in, and the one way to start a seeded
stand-in for a plan, which asks the plan's engine (`Engine.drill()`): what a stand-in must
hold for a plan's promises to hold is the engine's to say (accounts and PITRs for one,
repositories for another).

The seed's part after an `-- after existing` line runs once the plan's `existing` objects
are made: the writes since the backups, which a restore loses and a rollback brings back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets

if TYPE_CHECKING:
    from datetime import datetime

    from modsl.language import ast
    from modsl.standin import StandIn

AFTER_EXISTING = "after existing"


class Drill(NamedTuple):
    """A started, seeded stand-in for one plan."""

    server: StandIn
    dsn: str
    """The DSN of the plan's login on it."""
    account_dsn: Callable[[str], str] | None
    """A login into another account (None: the engine has no accounts)."""


class SeedUnreadable(ValueError):
    """The seed file cannot be read; the message names it and says why."""


class SeedError(Exception):
    """The seed SQL failed on the stand-in: its statement, line and the stand-in's words."""


def read_seed(path: str | None) -> str | None:
    """The SQL of the seed file `--seed` names (None without one)."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedUnreadable(f"{path}: cannot read: {exc}") from None


def start_for(plan: ast.Plan, target: targets.TargetVersion, own: str, seed: str | None,
              seed_name: str, now: datetime) -> Drill:
    """A started stand-in of the plan's engine, seeded for it (run as `own`, its clock from
    `now`): the one way `apply --standin` and `run --standin` start theirs."""
    return targets.engine(target.engine).drill(plan, target, own, seed, seed_name, now)


def seed_parts(text: str, name: str) -> tuple[list[Any], list[Any]]:
    """The seed split at its `-- after existing` line: what runs before the `existing`
    objects are made, and what runs after (`modsl.sqlimport.split` parts)."""
    from modsl.sqlimport.split import SqlComment, Unterminated, split

    parts = list(split(text))
    for part in parts:
        if isinstance(part, Unterminated):
            raise SeedError(f"{name}:{part.line}:{part.column}: unterminated {part.what}")
    cut = next((i for i, p in enumerate(parts) if isinstance(p, SqlComment)
                and any(line.strip().lower() == AFTER_EXISTING for line in p.lines)),
               len(parts))
    return parts[:cut], parts[cut:]


def run_seed(connection: Any, part: Any, name: str) -> None:
    """One statement of the seed (a `Chunk`); its failure is a `SeedError` naming its line."""
    try:
        run_sql(connection, part.text)
    except Exception as exc:
        message = exc.args[1] if len(exc.args) > 1 else exc
        raise SeedError(f"{name}:{part.line}: {message}") from None


def connect(server: StandIn, login: str, password: str) -> Any:
    import pymysql

    return pymysql.connect(host="127.0.0.1", port=server.port, user=login, password=password,
                           autocommit=True)


def run_sql(connection: Any, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)

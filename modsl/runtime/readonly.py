"""What keeps a verify read-only on the server, under lint's MB211 (defence in depth).

MB211 refuses, in the plan, every verify query it cannot vouch for. Two things at apply time
do not depend on it being right:

* the session's sql_mode is pinned right after connecting (`pin_sql_mode`), so the server
  reads quotes and backslashes the way lint did (ANSI_QUOTES makes `"a"` a name,
  NO_BACKSLASH_ESCAPES makes `\\'` end a string), whatever the server's or the account's
  default;
* a verify runs inside `START TRANSACTION READ ONLY` ... `ROLLBACK` (`execute_verify`), in
  which MySQL and MariaDB refuse any write, even one made by a stored function (ERROR 1792).
  MatrixOne parses the statement but does not enforce it (its frontend never reads the
  mode); StarRocks has no such statement (a syntax error, 1064): there, the verify runs as
  it is, once the server said so, and MB211 is what protects it. docs/runbook.md ("What
  protects a verify") says which layer holds on which engine.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

SQL_MODE = ("ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
            "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES")
"""MatrixOne's default sql_mode (pkg/frontend/variables.go), also MySQL 8's: every name in it
is accepted by MatrixOne, MySQL, MariaDB and StarRocks, and none of them changes how a
string or a name is quoted."""

PIN = f"SET SESSION sql_mode = '{SQL_MODE}'"
BEGIN = "START TRANSACTION READ ONLY"
END = "ROLLBACK"

_PARSE_ERROR = 1064
"""What a server without read-only transactions answers to BEGIN (StarRocks)."""

_without: weakref.WeakSet[Any] = weakref.WeakSet()
"""Connections whose server answered BEGIN with a parse error: not asked again."""


def pin_sql_mode(connection: Any) -> None:
    """Set the session's sql_mode to `SQL_MODE` (raises the driver's error if refused)."""
    cursor = connection.cursor()
    try:
        cursor.execute(PIN)
    finally:
        with contextlib.suppress(Exception):
            cursor.close()


def execute_verify(connection: Any, cursor: Any, sql: str) -> None:
    """`cursor.execute(sql)` for a verify, inside a read-only transaction that is rolled
    back afterwards (its result stays in `cursor`: PyMySQL's cursor reads it all at once).
    The executor calls this for every step with an expectation."""
    if _known_without(connection):
        cursor.execute(sql)
        return
    control = connection.cursor()
    try:
        try:
            control.execute(BEGIN)
        except Exception as exc:
            if _code(exc) != _PARSE_ERROR:
                raise
            _remember_without(connection)
            cursor.execute(sql)
            return
        try:
            cursor.execute(sql)
        except Exception as exc:
            if _code(exc) is not None:  # the server answered: end the transaction
                with contextlib.suppress(Exception):
                    control.execute(END)
            raise  # otherwise the connection is gone, and the transaction with it
        control.execute(END)
    finally:
        with contextlib.suppress(Exception):
            control.close()


def _code(exc: BaseException) -> int | None:
    """The server's error number (PyMySQL puts it first in `args`), None for anything else
    (the client's own codes, 2000-2999 such as a lost connection's 2013, are no answer)."""
    args = getattr(exc, "args", ())
    if args and isinstance(args[0], int) and not 2000 <= args[0] < 3000:
        return args[0]
    return None


def _known_without(connection: Any) -> bool:
    try:
        return connection in _without
    except TypeError:  # not weak-referenceable: ask every time
        return False


def _remember_without(connection: Any) -> None:
    with contextlib.suppress(TypeError):
        _without.add(connection)

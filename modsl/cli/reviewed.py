"""What `apply` and `rollback` run: a `.mobak` plan checked and compiled here, or a `.sql`
file `modsl compile` wrote (refused if a statement was edited since), and the user's
confirmation of it."""

from __future__ import annotations

import argparse
import sys

from modsl import targets
from modsl.cli.loading import checked_or_refuse
from modsl.compiler.sqlfile import BadSqlFile
from modsl.runtime.session import Refused, Reviewed


def from_plan(args: argparse.Namespace) -> Reviewed | None:
    from modsl.compiler import compile_plan

    loaded = checked_or_refuse(args)
    if loaded is None:
        return None
    return Reviewed(compile_plan(loaded.checked), loaded.checked.target, loaded.checked.plan)


def from_sql(path: str) -> Reviewed:
    """A file written by `modsl compile`, refused if a statement was edited since."""
    from modsl.compiler import sqlfile

    try:
        with open(path, "rb") as f:  # bytes: the reader decides what ends a line, not Python
            compiled = sqlfile.read(f.read(), path)
        return Reviewed(compiled, targets.parse_flag(compiled.target))
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"{path}: cannot read: {exc}") from None
    except (BadSqlFile, targets.UnknownTarget) as exc:
        raise Refused(f"{path}: {exc}" if isinstance(exc, targets.UnknownTarget)
                      else str(exc)) from None


def confirm(yes: bool, count: int) -> bool:
    """`--yes`, or `yes` typed at a terminal; no terminal to ask on is a refusal."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise Refused("refusing to run without confirmation: no terminal to ask on; "
                      "pass --yes after reviewing the statements")
    try:
        answer = input(f"Type `yes` to run {count} statement(s): ")
    except EOFError:
        return False
    return answer.strip() == "yes"

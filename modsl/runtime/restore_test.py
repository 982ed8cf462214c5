"""Restore tests (`drill` lines) at a firing of their schedule, through `modsl run`: the newest
snapshot a scheduled line made is cloned into a scratch database, the drill's verifies read the
clone, and the clone is dropped, whatever happened (docs/restore-tests.md).

Nothing is overwritten: a clone creates its target, and only scratch databases are dropped —
names the drill's scratch template gives (exactly, as retention matches snapshots), or for an
account snapshot that name, `_`, and a database of the account. A firing first drops what an
earlier one left (a run killed mid-way), so no clone outlives the next firing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from modsl import targets
from modsl.compiler.sqlfile import expectation
from modsl.language import ast, fmt
from modsl.language.ast import replace
from modsl.runtime import firing, live, readonly
from modsl.runtime.executor import error_parts, satisfied
from modsl.time import cadence

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan


class Scratch(Protocol):
    """What an engine does for a restore test (`Engine.restore_tests()`): clone a snapshot
    into scratch databases and drop them again. The loop, the verifies and the cleanup
    promise are engine-neutral; the SQL is the engine's."""

    @property
    def system_databases(self) -> frozenset[str]:
        """Databases a clone never touches and a cleanup never drops."""
        ...

    def source(self, drill: ast.Drill, statements: Iterable[ast.Statement]
               ) -> ast.ScheduledSnapshot | None:
        """The scheduled snapshot line the drill names (None: MB432 stops such a plan)."""
        ...

    def render(self, text: str, template: str, name: str) -> str:
        """`text` with the scratch template replaced by this firing's name."""
        ...

    def drop(self, database: str) -> str:
        """The SQL that drops a scratch database if it exists."""
        ...

    def clone(self, connection: Any, source: ast.ScheduledSnapshot, snapshot: str, base: str,
              made: list[str], send: Callable[[Any, str], None],
              emit: Callable[[ast.Clone], str]) -> None:
        """Clone `snapshot` (what `source` takes) into `base` (an account's: one database
        each), adding each scratch database to `made` the moment it may exist (before its
        statement: a clone that fails half-way may still have created it), each statement
        sent with `send`, each clone's SQL as `emit` writes it for the plan."""
        ...


class Check(NamedTuple):
    """One verify of a drill, as run on the clone."""

    text: str
    ok: bool
    seen: str


class Result(NamedTuple):
    """One drill at one firing."""

    name: str
    schedule: str
    ok: bool
    message: str
    seconds: float
    snapshot: str | None = None
    scratch: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    cleaned: tuple[str, ...] = ()
    """Scratch databases an earlier firing left, dropped before this one."""

    def record(self) -> dict[str, Any]:
        return {"event": "drill", "drill": self.name, "schedule": self.schedule, "ok": self.ok,
                "message": self.message, "seconds": round(self.seconds, 3),
                "snapshot": self.snapshot, "scratch": list(self.scratch),
                "cleaned": list(self.cleaned),
                "checks": [{"verify": c.text, "ok": c.ok, "seen": c.seen} for c in self.checks]}


def drills_of(checked: CheckedPlan, schedule: str) -> list[ast.Drill]:
    return [st for st in checked.plan.statements
            if isinstance(st, ast.Drill) and st.schedule.key == schedule.lower()]


def scratch_pattern(drill: ast.Drill, account: bool) -> re.Pattern[str]:
    """Every scratch database this drill may have made, at any firing."""
    exact = cadence.pattern(drill.scratch.text).pattern.removesuffix(r"\Z")
    return re.compile(exact + (r"(?:_.+)?\Z" if account else r"\Z"), re.I)


def leftovers(connection: Any, drill: ast.Drill, account: bool,
              system: frozenset[str] = frozenset()) -> list[str]:
    _, rows = live.query(connection, "SHOW DATABASES")
    match = scratch_pattern(drill, account)
    return sorted(str(r[0]) for r in rows
                  if match.match(str(r[0])) and str(r[0]).lower() not in system)


def _quiet(line: str) -> None:
    """Where a caller that shows nothing sends the progress lines."""


def run(checked: CheckedPlan, due: firing.Firing, connection: Any,
        say: Callable[[str], None] = _quiet) -> list[Result]:
    """Every drill of the firing's schedule, in plan order; each cleans up after itself."""
    return [one(checked, drill, due, connection, say)
            for drill in drills_of(checked, due.schedule.name.key)]


def one(checked: CheckedPlan, drill: ast.Drill, due: firing.Firing, connection: Any,
        say: Callable[[str], None] = _quiet) -> Result:
    started = time.monotonic()
    name, schedule = drill.name.key, due.schedule.name.key
    engine = targets.engine(checked.target.engine)
    scratch = engine.restore_tests()
    if scratch is None:  # the checker's MB408 stops such a plan; a plan built in code
        return Result(name, schedule, False, f"{engine.name} cannot run a restore test", 0.0)
    source = scratch.source(drill, checked.plan.statements)
    if source is None:  # the checker's MB432 stops such a plan; a plan built in code
        return Result(name, schedule, False, f"no scheduled line `{drill.snapshot.text}`", 0.0)
    account = source.scope.level is ast.Level.ACCOUNT
    cleaned: list[str] = []
    try:
        for old in leftovers(connection, drill, account, scratch.system_databases):
            _send(connection, scratch.drop(old))
            cleaned.append(old)
            say(f"  drill {name}: dropped {old}, left by an earlier firing")
        mine = firing.owned(source, checked.account, engine.live_objects(connection))
        if not mine:
            return Result(name, schedule, False, f"no snapshot made by `{source.name.text}` "
                          "to restore yet", time.monotonic() - started, cleaned=tuple(cleaned))
        snapshot = mine[0].name
        base = cadence.expand(drill.scratch.text, due.at).lower()
        made: list[str] = []  # filled as each clone lands: a failure drops what exists
        try:
            scratch.clone(connection, source, snapshot, base, made,
                          lambda c, sql: _send(c, sql),  # looked up when sent: tests wrap it
                          lambda st: _emit(engine, st, checked))
            say(f"  drill {name}: cloned {snapshot} into {', '.join(made)}")
            checks = tuple(_verify(connection, v, drill.scratch.text, base, checked, scratch)
                           for v in drill.verifies)
        except live.Unreadable as exc:
            return Result(name, schedule, False, str(exc), time.monotonic() - started,
                          snapshot, tuple(made), cleaned=tuple(cleaned))
        finally:
            for db in made or [base]:
                _send(connection, scratch.drop(db))
        failed = [c for c in checks if not c.ok]
        message = ("every verify held on the clone" if not failed else
                   "; ".join(f"{c.text}: saw {c.seen}" for c in failed))
        return Result(name, schedule, not failed, message, time.monotonic() - started,
                      snapshot, tuple(made), checks, tuple(cleaned))
    except live.Unreadable as exc:
        return Result(name, schedule, False, str(exc), time.monotonic() - started,
                      cleaned=tuple(cleaned))


def _verify(connection: Any, v: ast.Verify, template: str, base: str,
            checked: CheckedPlan, scratch: Scratch) -> Check:
    """One verify with the scratch template replaced by this firing's name."""
    render = scratch.render
    shown = render(fmt.verify(v), template, base)
    if v.database is not None:
        v = replace(v, database=ast.Name(render(v.database.text, template, base)))
    if v.query is not None:
        v = replace(v, query=render(v.query, template, base))
    engine = targets.engine(checked.target.engine)
    sql = engine.emit(v, checked.target, checked.account, None)
    assert sql is not None
    try:  # read-only as apply runs a verify: a read-only transaction where there is one
        cursor = connection.cursor()
        try:
            readonly.execute_verify(connection, cursor, sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except Exception as exc:
        return Check(shown, False, f"an error: {error_parts(exc)[1]}")
    value = row[0] if row else None
    seen = "no value" if value is None else str(
        value.decode("utf-8", "replace") if isinstance(value, bytes) else value)
    return Check(shown, satisfied(value, expectation(v)), seen)


def _emit(engine: targets.Engine, st: ast.Statement, checked: CheckedPlan) -> str:
    sql = engine.emit(st, checked.target, checked.account, None)
    assert sql is not None, f"{type(st).__name__} emits nothing"
    return sql


def _send(connection: Any, sql: str) -> None:
    live.query(connection, sql)

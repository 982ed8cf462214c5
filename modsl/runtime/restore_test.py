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
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets
from modsl.checker.names import SYSTEM_DATABASES
from modsl.compiler.sqlfile import expectation
from modsl.engines.matrixone import clone, ident, string
from modsl.engines.matrixone.rules.clones import drill_source, render
from modsl.language import ast, fmt
from modsl.language.ast import replace
from modsl.runtime import firing, live, readonly
from modsl.runtime.executor import error_parts, satisfied
from modsl.time import cadence

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan


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


def leftovers(connection: Any, drill: ast.Drill, account: bool) -> list[str]:
    _, rows = live.query(connection, "SHOW DATABASES")
    match = scratch_pattern(drill, account)
    return sorted(str(r[0]) for r in rows
                  if match.match(str(r[0])) and str(r[0]).lower() not in SYSTEM_DATABASES)


def run(checked: CheckedPlan, due: firing.Firing, connection: Any,
        say: Any = print) -> list[Result]:
    """Every drill of the firing's schedule, in plan order; each cleans up after itself."""
    return [one(checked, drill, due, connection, say)
            for drill in drills_of(checked, due.schedule.name.key)]


def one(checked: CheckedPlan, drill: ast.Drill, due: firing.Firing, connection: Any,
        say: Any = print) -> Result:
    started = time.monotonic()
    name, schedule = drill.name.key, due.schedule.name.key
    source = drill_source(drill, checked.plan.statements)
    if source is None:  # the checker's MB432 stops such a plan; a plan built in code
        return Result(name, schedule, False, f"no scheduled line `{drill.snapshot.text}`", 0.0)
    account = source.scope.level is ast.Level.ACCOUNT
    cleaned: list[str] = []
    try:
        for old in leftovers(connection, drill, account):
            _send(connection, f"DROP DATABASE IF EXISTS {ident(old)}")
            cleaned.append(old)
            say(f"  drill {name}: dropped {old}, left by an earlier firing")
        engine = targets.engine(checked.target.engine)
        mine = firing.owned(source, checked.account, engine.live_objects(connection))
        if not mine:
            return Result(name, schedule, False, f"no snapshot made by `{source.name.text}` "
                          "to restore yet", time.monotonic() - started, cleaned=tuple(cleaned))
        snapshot = mine[0].name
        base = cadence.expand(drill.scratch.text, due.at).lower()
        made: list[str] = []  # filled as each clone lands: a failure drops what exists
        try:
            _clone(connection, source, snapshot, base, made)
            say(f"  drill {name}: cloned {snapshot} into {', '.join(made)}")
            checks = tuple(_verify(connection, v, drill.scratch.text, base, checked)
                           for v in drill.verifies)
        except live.Unreadable as exc:
            return Result(name, schedule, False, str(exc), time.monotonic() - started,
                          snapshot, tuple(made), cleaned=tuple(cleaned))
        finally:
            for db in made or [base]:
                _send(connection, f"DROP DATABASE IF EXISTS {ident(db)}")
        failed = [c for c in checks if not c.ok]
        message = ("every verify held on the clone" if not failed else
                   "; ".join(f"{c.text}: saw {c.seen}" for c in failed))
        return Result(name, schedule, not failed, message, time.monotonic() - started,
                      snapshot, tuple(made), checks, tuple(cleaned))
    except live.Unreadable as exc:
        return Result(name, schedule, False, str(exc), time.monotonic() - started,
                      cleaned=tuple(cleaned))


def _clone(connection: Any, source: ast.ScheduledSnapshot, snapshot: str, base: str,
           made: list[str]) -> None:
    """Clone `snapshot` (what `source` takes) into `base` (an account's: one database each),
    adding each scratch database to `made` the moment it may exist (before its statement:
    a clone that fails half-way may still have created it; dropping one that is not there
    is `IF EXISTS`)."""
    snap = ast.Source(ast.SourceKind.SNAPSHOT, ast.Name(snapshot))
    scope = source.scope
    if scope.level is ast.Level.DATABASE:
        assert scope.database is not None
        into = ast.Scope(ast.Level.DATABASE, database=ast.Name(base))
        made.append(base)
        _send(connection, clone(ast.Clone(scope, snap, into)))
        return
    if scope.level is ast.Level.TABLE:
        assert scope.database is not None and scope.table is not None
        made.append(base)
        _send(connection, f"CREATE DATABASE {ident(base)}")
        into = ast.Scope(ast.Level.TABLE, database=ast.Name(base), table=scope.table)
        _send(connection, clone(ast.Clone(scope, snap, into)))
        return
    _, rows = live.query(connection, f"SHOW DATABASES {{SNAPSHOT = {string(snapshot)}}}")
    for (db,) in rows:
        if str(db).lower() in SYSTEM_DATABASES:
            continue
        target = f"{base}_{str(db).lower()}"
        made.append(target)
        _send(connection, clone(ast.Clone(
            ast.Scope(ast.Level.DATABASE, database=ast.Name(str(db))), snap,
            ast.Scope(ast.Level.DATABASE, database=ast.Name(target)))))


def _verify(connection: Any, v: ast.Verify, template: str, base: str,
            checked: CheckedPlan) -> Check:
    """One verify with the scratch template replaced by this firing's name."""
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


def _send(connection: Any, sql: str) -> None:
    live.query(connection, sql)

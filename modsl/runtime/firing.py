"""One firing of a schedule: the snapshots it takes (their names for that moment) and, given
what the server holds, the ones its retention drops.

Idempotent by construction: a firing is named by the schedule's latest time at or before now,
so a retried firing computes the same names, finds them taken and takes nothing twice.
Retention drops only snapshots whose name the template gives (exactly) and whose level and
object are the statement's, beyond `keep` (by the server's clock and the snapshot's own
timestamp) and outside `keep last N`, oldest first, never the newest.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets
from modsl.checker.state import resolve
from modsl.language import ast
from modsl.language.ast import replace
from modsl.time import cadence
from modsl.time.clock import window_start

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan
    from modsl.runtime.live import LiveObject


class Take(NamedTuple):
    statement: ast.ScheduledSnapshot | ast.Backup
    """A scheduled snapshot, or a StarRocks scheduled backup (no retention: MB225)."""
    name: str
    sql: str


class Firing(NamedTuple):
    schedule: ast.Schedule
    at: datetime
    """The firing's wall time, aware, in the schedule's zone."""
    takes: list[Take]


class NoFiring(ValueError):
    """No such schedule, or it has not fired yet."""


class FiringOptions(NamedTuple):
    """How `modsl run` fires a schedule: its flags, typed at the command line's edge."""

    plan: str
    """The plan's path, as the user gave it (journaled, and named in the reports)."""
    journal: str = ".modsl/journal"
    dry_run: bool = False
    live_checks: bool = True
    settle: float = 10.0
    """Seconds after an earlier run's statement was sent before `did not take` is believed."""
    connect_timeout: float = 10.0
    firings: int = 1
    """A rehearsal's firings (`--standin --firings N`)."""
    seed: str | None = None
    """A rehearsal's seed SQL file."""
    report: str | None = None
    """Where the JUnit XML of the firing and its restore tests goes."""
    metrics: str | None = None
    """Where the Prometheus text goes."""


def moment(zone: str, wall: datetime | None) -> datetime:
    """Now, aware; or `wall` (a pinned `--now`, naive) read in `zone`."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    return datetime.now(UTC) if wall is None else wall.replace(tzinfo=ZoneInfo(zone))


def schedule_named(checked: CheckedPlan, name: str) -> tuple[ast.Schedule, cadence.Cadence]:
    for st in checked.plan.statements:
        if isinstance(st, ast.Schedule) and st.name.key == name.lower():
            return st, cadence.of(st)
    known = ", ".join(s.name.key for s in checked.plan.statements
                      if isinstance(s, ast.Schedule)) or "none"
    raise NoFiring(f"the plan has no schedule `{name}` (it has: {known})")


def fire(checked: CheckedPlan, name: str, now: datetime) -> Firing:
    """The firing of schedule `name` due at `now` (aware): its latest time at or before."""
    schedule, cad = schedule_named(checked, name)
    at = cad.latest(now)
    if at is None:
        raise NoFiring(f"schedule `{schedule.name.key}` has not fired before {now}")
    return firing_at(checked, schedule, at)


def firing_at(checked: CheckedPlan, schedule: ast.Schedule, at: datetime) -> Firing:
    engine = targets.engine(checked.target.engine)
    takes = []
    for st in checked.plan.statements:
        if isinstance(st, ast.ScheduledSnapshot) and st.schedule.key == schedule.name.key:
            name = cadence.expand(st.name.text, at).lower()
            sql = engine.emit(ast.CreateSnapshot(ast.Name(name), st.scope), checked.target,
                              checked.account, None)
            assert sql is not None
            takes.append(Take(st, name, sql))
        elif isinstance(st, ast.Backup) and st.schedule is not None \
                and st.schedule.key == schedule.name.key:
            label = cadence.expand(st.snapshot.text, at)  # StarRocks labels keep their case
            sql = engine.emit(replace(st, snapshot=ast.Name(label), schedule=None),
                              checked.target, checked.account, None)
            assert sql is not None
            takes.append(Take(st, label, sql))
    return Firing(schedule, at, takes)


def backups_written(connection: Any, due: Firing, engine: targets.Engine) -> list[LiveObject]:
    """The labels this firing's scheduled backups already hold in their repositories (SHOW
    SNAPSHOT), as snapshots by name: a retried firing takes none twice."""
    from modsl.runtime.live import LiveObject

    found: list[LiveObject] = []
    for take in due.takes:
        if isinstance(take.statement, ast.Backup):
            found += [LiveObject("snapshot", take.name, "database", "",
                                 take.statement.database.text, "", created=stamp)
                      for _, stamp in engine.live_backups(
                          connection, take.statement.repository.text, take.name)]
    return found


def owned(st: ast.ScheduledSnapshot, own: str, objects: list[LiveObject]) -> list[LiveObject]:
    """The server's snapshots this statement made: named by its template, of its object;
    newest first."""
    match = cadence.pattern(st.name.text)
    key = resolve(st.scope, own)
    level = st.scope.level.value
    database, table = (key[1] if len(key) > 1 else ""), (key[2] if len(key) > 2 else "")
    account = key[0] if len(key) == 1 else ""
    mine = [o for o in objects if o.kind == "snapshot" and match.match(o.name)
            and o.level == level and o.database == database and o.table == table
            and (not account or o.account == account)]
    return sorted(mine, key=lambda o: o.created or datetime.min, reverse=True)


def to_drop(st: ast.ScheduledSnapshot, own: str, objects: list[LiveObject], server_now: datetime,
            taking: bool) -> list[LiveObject]:
    """What retention drops, oldest first. `taking`: this firing adds a newer one."""
    mine = owned(st, own, objects)
    start = (None if st.keep_for is None
             else window_start(server_now, st.keep_for.value, st.keep_for.unit))
    drop = []
    for rank, o in enumerate(mine, start=1 if taking else 0):
        if rank == 0:
            continue  # never the newest
        if st.keep_last is not None and rank < st.keep_last:
            continue
        if start is not None and (o.created is None or o.created > start):
            continue
        drop.append(o)
    return list(reversed(drop))

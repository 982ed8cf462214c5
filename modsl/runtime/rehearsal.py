"""`modsl run PLAN --schedule S --standin --firings N`: a schedule rehearsed on a stand-in
whose clock jumps from firing to firing, so that "keep 30d" can be seen keeping 30.

Each firing is a real `modsl run` (the same code, journal and retention) against an in-process
stand-in seeded from the plan, its clock set to the firing's moment; at the end, what each
scheduled line holds. Nothing of it outlives the command: the stand-in and its journal go."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from modsl.language import ast
from modsl.runtime import firing
from modsl.time import cadence

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan
    from modsl.runtime.connect import Server
    from modsl.runtime.live import LiveObject

Fire = Callable[[firing.FiringOptions, "CheckedPlan", firing.Firing, "Server"], int]
SETTLE = timedelta(seconds=1)
"""How long after its firing time each rehearsed firing runs, on the server's clock."""


class SeedFailed(ValueError):
    """The seed's SQL failed on the stand-in."""


def rehearse(options: firing.FiringOptions, checked: CheckedPlan, schedule: ast.Schedule,
             start: datetime, server_zone: str, fire: Fire,
             say: Callable[[str], None]) -> int:
    """`options.firings` firings of `schedule` from `start` (aware), each run by `fire` on a
    stand-in whose clock (in `server_zone`) reads that firing's moment; what it rehearses
    on, and what each scheduled line holds at the end, said to `say`."""
    from modsl.runtime import drill
    from modsl.runtime.connect import parse_dsn

    firings = cadence.of(schedule).next(start, options.firings)
    try:
        seed = drill.read_seed(options.seed)
    except drill.SeedUnreadable as exc:
        raise SeedFailed(str(exc)) from None
    local = ZoneInfo(server_zone)
    first = firings[0].astimezone(local).replace(tzinfo=None)
    try:
        standin, dsn, _ = drill.start_for(checked.plan, checked.target, checked.account, seed,
                                          options.seed or "", first)
        standin.clock.set(first)  # each firing sets it again, to its own moment
    except drill.SeedError as exc:
        raise SeedFailed(f"the seed failed on the stand-in: {exc}") from None
    try:
        server: Server = parse_dsn(dsn)
        with tempfile.TemporaryDirectory(prefix="modsl-rehearsal-") as journal:
            options = options._replace(journal=journal)
            say(f"rehearsal: {len(firings)} firing(s) of `{schedule.name.key}` on "
                f"{standin.banner().split(';')[0]}")
            for at in firings:
                standin.clock.set(at.astimezone(local).replace(tzinfo=None) + SETTLE)
                code = fire(options, checked, firing.firing_at(checked, schedule, at), server)
                if code != 0:
                    return code
            objects = _objects(server, checked)
            labels = _labels(server, checked, schedule)
        say("rehearsal: after the last firing the stand-in holds")
        for st in checked.plan.statements:
            if isinstance(st, ast.ScheduledSnapshot) and st.schedule.key == schedule.name.key:
                mine = firing.owned(st, checked.account, objects)
                names = ", ".join(o.name for o in reversed(mine)) or "none"
                say(f"  line {st.span.line} ({st.name.text}): {len(mine)}: {names}")
            elif isinstance(st, ast.Backup) and st.schedule is not None \
                    and st.schedule.key == schedule.name.key:
                match = cadence.pattern(st.snapshot.text)
                held = [label for label in labels.get(st.repository.text, [])
                        if match.match(label)]
                say(f"  line {st.span.line} ({st.snapshot.text} in {st.repository.text}): "
                    f"{len(held)}: {', '.join(held) or 'none'}")
        return 0
    finally:
        standin.stop()


def _labels(server: Server, checked: CheckedPlan,
            schedule: ast.Schedule) -> dict[str, list[str]]:
    """The backup labels in each repository a scheduled backup of `schedule` writes to, oldest
    first (the engine's `live_backups`, StarRocks' SHOW SNAPSHOT; a backup is not a live
    object)."""
    from modsl import targets
    from modsl.runtime.connect import connect

    repos = sorted({st.repository.text for st in checked.plan.statements
                    if isinstance(st, ast.Backup) and st.schedule is not None
                    and st.schedule.key == schedule.name.key})
    if not repos:
        return {}
    connection = connect(server, 10)
    try:
        engine = targets.engine(checked.target.engine)
        return {repo: [label for label, _ in engine.live_backups(connection, repo)]
                for repo in repos}
    finally:
        connection.close()


def _objects(server: Server, checked: CheckedPlan) -> list[LiveObject]:
    from modsl import targets
    from modsl.runtime.connect import connect

    connection = connect(server, 10)
    try:
        return targets.engine(checked.target.engine).live_objects(connection)
    finally:
        connection.close()

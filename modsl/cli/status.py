"""`modsl status PLAN --dsn …`: each plan line against what a live server holds (its
snapshots, PITRs, repositories, and for scheduled lines what each firing owns), read-only;
exit 1 on a conflict."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from modsl.cli import server
from modsl.cli.loading import checked_or_refuse, wall_time

if TYPE_CHECKING:
    from modsl.runtime.live import LiveObject

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(p: argparse.ArgumentParser) -> None:
    server.plan_and_server(p)


def run(args: argparse.Namespace) -> int:
    from modsl import targets
    from modsl.language import ast
    from modsl.runtime import firing, live
    from modsl.runtime import status as compare

    if args.plan.endswith(".sql"):
        print("modsl status: status reads a .mobak plan", file=sys.stderr)
        return EXIT_USAGE
    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FAILED
    checked = loaded.checked
    engine = targets.engine(checked.target.engine)
    scheduling = any(isinstance(st, ast.ScheduledSnapshot)
                     or (isinstance(st, ast.Backup) and st.schedule is not None)
                     for st in checked.plan.statements)

    def read(c: Any) -> tuple[Any, list[LiveObject], datetime | None]:
        return (engine.live_server(c), engine.live_objects(c),
                live.server_time(c) if scheduling else None)

    ran = server.on_server(server.Login.of(args), "status", engine.name, read)
    if ran is None:
        return EXIT_USAGE
    (info, objects, server_now), where = ran
    if info.account != checked.account:
        print(f"modsl status: the login is in account `{info.account}`, the plan runs as "
              f"`{checked.account}` (MB602): log in as that account", file=sys.stderr)
        return EXIT_FAILED
    firings = None
    if server_now is not None:
        firings = compare.Firings(checked, server_now,
                                  firing.moment("UTC", wall_time(args.now)))
    rows = compare.compare(checked.plan, objects, firings)
    if args.format == "json":
        sys.stdout.write(compare.to_json(rows, args.plan))
    else:
        sys.stdout.write(compare.render(rows, args.plan, f"{where.safe} ({info.version})"))
    return EXIT_FAILED if any(r.mark == "!" for r in rows) else EXIT_OK

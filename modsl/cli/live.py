"""The read-only commands that talk to a server: `modsl check` (the live checks),
`modsl status` (the plan against the server) and `modsl import --from-server`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from modsl import targets
from modsl.cli.loading import checked_or_refuse
from modsl.language import ast
from modsl.runtime import live
from modsl.runtime.live import LiveObject
from modsl.runtime.session import Refused

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def check(args: argparse.Namespace) -> int:
    """`modsl check`: the live checks alone; exit 1 when one fails."""
    if args.plan.endswith(".sql"):
        print("modsl check: checks read a .mobak plan's promises; a compiled .sql file has "
              "none but its server and account, which `modsl apply` checks", file=sys.stderr)
        return EXIT_USAGE
    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FAILED
    checked = loaded.checked
    ran = _on_server(args, "check", checked.target.engine,
                     lambda c: live.run(c, checked.target, checked.account, checked.plan))
    if ran is None:
        return EXIT_USAGE
    checks, _ = ran
    render = live.to_json if args.format == "json" else live.render
    sys.stdout.write(render(checks, args.plan).replace(": nothing was run", ""))
    return EXIT_OK if live.passed(checks) else EXIT_FAILED


def status(args: argparse.Namespace) -> int:
    """`modsl status`: each plan line against the server; exit 1 on a conflict."""
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
        from modsl.cli.run import _server_now

        return (engine.live_server(c), engine.live_objects(c),
                _server_now(c) if scheduling else None)

    ran = _on_server(args, "status", engine.name, read)
    if ran is None:
        return EXIT_USAGE
    (info, objects, server_now), server = ran
    if info.account != checked.account:
        print(f"modsl status: the login is in account `{info.account}`, the plan runs as "
              f"`{checked.account}` (MB602): log in as that account", file=sys.stderr)
        return EXIT_FAILED
    firings = None
    if server_now is not None:
        from modsl.cli.run import now_in

        firings = compare.Firings(checked, server_now, now_in("UTC", args.now))
    rows = compare.compare(checked.plan, objects, firings)
    if args.format == "json":
        sys.stdout.write(compare.to_json(rows, args.plan))
    else:
        sys.stdout.write(compare.render(rows, args.plan, f"{server.safe} ({info.version})"))
    return EXIT_FAILED if any(r.mark == "!" for r in rows) else EXIT_OK


def import_from_server(args: argparse.Namespace) -> int:
    """`modsl import --from-server`: the `existing` lines of a new plan, from the catalog."""
    from modsl.runtime import status as compare

    try:
        engine = targets.engine(args.engine or targets.default().engine)
    except targets.UnknownTarget as exc:
        print(f"modsl import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    ran = _on_server(args, "import", engine.name,
                     lambda c: (engine.live_server(c), engine.live_objects(c)))
    if ran is None:
        return EXIT_USAGE
    (info, objects), _ = ran
    if info.target is None:
        print(f"modsl import: the server says `{info.version}`: modsl has no {engine.name} "
              "target for it", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(compare.plan_of(objects, info.target, info.account))
    return EXIT_OK


def _on_server(args: argparse.Namespace, command: str, engine: str,
               read: Any) -> tuple[Any, Any] | None:
    """`read(connection)` on the server `--dsn` names, and the server; None (said on
    stderr) when it cannot be reached."""
    from modsl.runtime.connect import ConnectError

    server = None
    try:
        connection, server = live.connect_to(args, engine)
        try:
            return read(connection), server
        finally:
            connection.close()
    except live.Unreadable as exc:
        print(f"modsl {command}: {exc}", file=sys.stderr)
    except (Refused, ConnectError) as exc:
        message = str(exc) if server is None else server.scrub(str(exc))
        print(f"modsl {command}: {message}", file=sys.stderr)
    return None

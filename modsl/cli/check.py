"""`modsl check PLAN --dsn …`: a plan's promises read back from a live server, read-only
(the live checks `apply` runs first, alone); exit 1 when one fails."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import server
from modsl.cli.loading import checked_or_refuse

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(p: argparse.ArgumentParser) -> None:
    server.plan_and_server(p)


def run(args: argparse.Namespace) -> int:
    from modsl.runtime import live

    if args.plan.endswith(".sql"):
        print("modsl check: checks read a .mobak plan's promises; a compiled .sql file has "
              "none but its server and account, which `modsl apply` checks", file=sys.stderr)
        return EXIT_USAGE
    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FAILED
    checked = loaded.checked
    ran = server.on_server(server.Login.of(args), "check", checked.target.engine,
                           lambda c: live.run(c, checked.target, checked.account, checked.plan))
    if ran is None:
        return EXIT_USAGE
    checks, _ = ran
    render = live.to_json if args.format == "json" else live.render
    sys.stdout.write(render(checks, args.plan).replace(": nothing was run", ""))
    return EXIT_OK if live.passed(checks) else EXIT_FAILED

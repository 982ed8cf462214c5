"""`modsl import FILE`: a target's SQL turned into a plan (what it cannot say kept as
comments, and exit 1); `modsl import --from-server`: the `existing` lines of a new plan, from
what a live server holds."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import flags, server
from modsl.cli.loading import UsageError, config_of, decoded, emit_text, read_input

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def configure(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", metavar="FILE", nargs="?", help="a .sql file, or -")
    imp.add_argument("--from-server", action="store_true",
                     help="write the `existing` lines of what the server (--dsn) has instead")
    imp.add_argument("--engine", help="with --from-server: the engine (default: the default "
                     "target's)")
    server.add_flags(imp, required=False)
    imp.add_argument("--format", choices=("mobak", "json"), default="mobak")
    flags.settings(imp)


def run(args: argparse.Namespace) -> int:
    import json

    import modsl
    from modsl.cli import settings
    from modsl.diagnostics import Diagnostic, render

    if args.from_server or args.file is None:
        if not (args.from_server and args.dsn) or args.file is not None:
            raise UsageError("import reads a FILE, or with --from-server the server --dsn names")
        return from_server(args.engine, server.Login.of(args))
    given = read_input(args.file)
    try:
        target = settings.parse_target(args.target) if args.target else None
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    text = decoded(given.data)
    config = config_of(args)
    try:
        now = settings.parse_now(args.now) if args.now else None
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    result = modsl.import_sql(text, target=target, account=args.as_ or "sys", file=given.name,
                              now=now, zone=config.server_timezone)
    found = sorted([*result.diagnostics, *result.lint], key=Diagnostic.sort_key)
    if args.format == "json":
        sys.stdout.write(json.dumps({"plan": result.plan_text, "lost": result.lost,
                                     "diagnostics": [render.as_dict(d) for d in found]},
                                    indent=2, ensure_ascii=False) + "\n")
    else:
        emit_text(found, {given.name: result.source}, sys.stderr)
        sys.stdout.write(result.plan_text)
        if result.lost:
            print(f"{given.name}: {result.lost} statement(s) not imported (kept in the plan "
                  "as comments)", file=sys.stderr)
    refused = result.lost or any(d.is_error for d in found)
    return EXIT_FINDINGS if refused else EXIT_OK


def from_server(engine_name: str | None, login: server.Login) -> int:
    """`modsl import --from-server`: the `existing` lines of a new plan, from the catalog."""
    from modsl import targets
    from modsl.runtime import status as compare

    try:
        engine = targets.engine(engine_name or targets.default().engine)
    except targets.UnknownTarget as exc:
        print(f"modsl import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    ran = server.on_server(login, "import", engine.name,
                           lambda c: (engine.live_server(c), engine.live_objects(c)))
    if ran is None:
        return EXIT_USAGE
    (info, objects), _ = ran
    if info.target is None:
        print(f"modsl import: the server says `{info.version}`: modsl has no {engine.name} "
              "target for it", file=sys.stderr)
        return EXIT_FINDINGS
    sys.stdout.write(compare.plan_of(objects, info.target, info.account))
    return EXIT_OK

"""`modsl standin`: a stand-in server on the loopback, for drills and tests, until stopped."""

from __future__ import annotations

import argparse

from modsl.cli.loading import UsageError

EXIT_OK = 0


def configure(stand: argparse.ArgumentParser) -> None:
    from modsl import targets

    stand.add_argument("--port", type=int, default=6001, help="the loopback port (0: any free)")
    stand.add_argument("--engine", choices=tuple(targets.engines()), default=None,
                       help="which server it stands in for (default: the default target's)")
    stand.add_argument("--version", dest="server_version", default=None,
                       help="the server version it answers as (default: the engine's "
                            "newest target, .0)")
    stand.add_argument("--clock", metavar="'YYYY-MM-DD HH:MM:SS'",
                       help="start the server's clock at this moment; it runs on from there "
                            "(default: this machine's clock)")


def run(args: argparse.Namespace) -> int:
    from modsl.cli import settings

    try:
        from modsl.standin import StandIn
        from modsl.standin.store import Clock
    except ImportError:
        raise UsageError("the stand-in needs mysql-mimic, a dependency of modsl that is missing "
                         "here: reinstall modsl (pip install --force-reinstall modsl)") from None
    clock = Clock()
    if args.clock:
        try:
            clock.run_from(settings.parse_now(args.clock))
        except settings.SettingsError as exc:
            raise UsageError(str(exc).replace("--now", "--clock", 1)) from None
    from modsl import targets

    engine = args.engine or targets.default().engine
    version = args.server_version or f"{targets.lookup(engine).version}.0"
    server = StandIn(version, args.port, clock, engine=engine)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") \
            from None
    print(server.banner(), flush=True)
    if args.clock:
        print(f"its clock starts at {args.clock} and runs on from there", flush=True)
    server.serve_forever()
    return EXIT_OK

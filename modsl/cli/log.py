"""`modsl log [PLAN]`: what ran, when, where and how it ended, read from the journals."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import flags
from modsl.cli.loading import UsageError

EXIT_OK = 0


def configure(log: argparse.ArgumentParser) -> None:
    log.add_argument("plan", metavar="PLAN", nargs="?",
                     help="only this plan's runs (default: every run journaled)")
    flags.journal(log, "the journal directory (default .modsl/journal)")
    flags.text_or_json(log)


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from modsl.runtime import history

    directory = Path(args.journal)
    if not directory.is_dir():
        raise UsageError(f"{directory}: no journal directory here (--journal DIR names one)")
    found = history.runs(directory, args.plan)
    if args.plan and not Path(args.plan).exists():
        wanted = str(Path(args.plan).resolve())
        if not any(r.plan == wanted for r in found):  # a removed plan's runs still show
            raise UsageError(f"{args.plan}: no such plan, and no run of it is journaled in "
                             f"{directory}")
    if args.format == "json":
        print(json.dumps([r.to_json() for r in found], indent=2, ensure_ascii=False,
                         default=str))
    else:
        sys.stdout.write(history.render(found))
    return EXIT_OK

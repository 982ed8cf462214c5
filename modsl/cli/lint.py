"""`modsl lint PATH...`: plans parsed and checked, their findings as text, JSON, SARIF or
GitHub annotations; exit 1 on an error (or, with `--strict`, a warning). The cold start that
matters most: it imports no SQL, server or stand-in code."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import flags
from modsl.cli.loading import UsageError, emit_text, load_plan, plan_paths, read_input
from modsl.diagnostics import Diagnostic

EXIT_OK, EXIT_FINDINGS = 0, 1


def configure(lint: argparse.ArgumentParser) -> None:
    lint.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or -")
    lint.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    lint.add_argument("--strict", action="store_true", help="warnings fail too")
    lint.add_argument("--select", action="append", metavar="CODES",
                      help="only these codes or prefixes (comma-separated)")
    lint.add_argument("--ignore", action="append", metavar="CODES",
                      help="never these codes or prefixes (comma-separated)")
    flags.settings(lint)


def run(args: argparse.Namespace) -> int:
    from modsl.cli import settings
    from modsl.diagnostics import render

    try:
        select = settings.codes(args.select or [], "--select")
        ignore = settings.codes(args.ignore or [], "--ignore")
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    everything: list[Diagnostic] = []
    sources: dict[str, str] = {}
    paths = list(plan_paths(args.paths))
    if not paths:
        print(f"no plans (*.mobak) in {', '.join(args.paths)}", file=sys.stderr)
    for path in paths:
        if path.lower().endswith(".sql"):
            raise UsageError(f"{path} is SQL, not a plan: turn it into one with "
                             f"`modsl import {path}`, then lint that")
        loaded = load_plan(read_input(path), args)
        sources[loaded.name] = loaded.text
        for d in loaded.diagnostics:
            if select and not any(d.code.startswith(c) for c in select):
                continue
            if any(d.code.startswith(c) for c in ignore):
                continue
            everything.append(d)
    out = sys.stdout
    if args.format == "json":
        out.write(render.json_report(everything))
    elif args.format == "sarif":
        out.write(render.sarif(everything))
    elif args.format == "github":
        out.write(render.github(everything))
    else:
        emit_text(everything, sources, out)
        if everything:
            errors = sum(d.is_error for d in everything)
            out.write(f"{errors} error(s), {len(everything) - errors} warning(s)\n")
    failing = any(d.is_error or args.strict for d in everything)
    return EXIT_FINDINGS if failing else EXIT_OK

"""`modsl fmt PATH...`: plans rewritten in canonical form (`--check`: only say which would
change; `--diff`: show how). A plan with a syntax error is left as it is."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import flags
from modsl.cli.loading import UsageError, decoded, emit_text, plan_paths, read_input

EXIT_OK, EXIT_FINDINGS = 0, 1


def configure(fmt: argparse.ArgumentParser) -> None:
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or -")
    fmt.add_argument("--check", action="store_true", help="write nothing; exit 1 if any "
                     "file would change")
    fmt.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    flags.color(fmt)


def run(args: argparse.Namespace) -> int:
    import difflib

    import modsl

    status = EXIT_OK
    for path in plan_paths(args.paths):
        given = read_input(path)
        plan, diagnostics = modsl.parse(given.data, given.name)
        errors = [d for d in diagnostics if d.is_error]
        if errors:  # syntax errors only: a plan that parses formats, whatever its names
            emit_text(errors, {given.name: decoded(given.data)}, sys.stderr)
            sys.stderr.write(f"{given.name}: not formatted: fix the syntax errors above "
                             "first\n")
            status = EXIT_FINDINGS
            continue
        old = decoded(given.data)
        new = modsl.format(plan)
        if args.diff and new != old:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True),
                f"{given.name} (original)", f"{given.name} (formatted)"))
        if args.check:
            if new != old:
                print(f"would reformat {given.name}")
                status = EXIT_FINDINGS
        elif path == "-":
            if not args.diff:
                sys.stdout.write(new)
        elif new != old and not args.diff:
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
            except OSError as exc:
                raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
            print(f"reformatted {given.name}", file=sys.stderr)
    return status

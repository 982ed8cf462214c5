"""`modsl rules [CODE]`: the diagnostic codes, or one code's documentation (docs/rules.md's
section, wrapped to the terminal or as Markdown)."""

from __future__ import annotations

import argparse
import sys

from modsl.cli.loading import UsageError

EXIT_OK = 0


def configure(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("code", nargs="?", metavar="CODE")
    rules.add_argument("--format", choices=("text", "markdown"), default="text",
                       help="text wrapped to the terminal (default), or the raw Markdown")


def run(args: argparse.Namespace) -> int:
    from modsl.diagnostics import CODES, ruledocs

    if args.code is None:
        for code in sorted(CODES):
            c = CODES[code]
            print(f"{code}  {c.severity.value:<7}  {c.summary}")
        return EXIT_OK
    code = args.code.upper()
    if code not in CODES:
        raise UsageError(f"unknown code `{args.code}`; `modsl rules` lists them")
    section = ruledocs.section(code)
    if args.format == "markdown":
        sys.stdout.write(section)
    else:
        import shutil

        sys.stdout.write(ruledocs.plain(section, shutil.get_terminal_size((80, 24)).columns - 1))
    return EXIT_OK

"""`modsl explain PLAN`: what each step does and destroys, in words (or JSON); a plan with a
missing line or an unprintable name is not explained."""

from __future__ import annotations

import argparse
import sys

from modsl.cli import flags
from modsl.cli.loading import emit_text, load_plan, read_input

EXIT_OK, EXIT_FINDINGS = 0, 1


def configure(exp: argparse.ArgumentParser) -> None:
    exp.add_argument("plan", metavar="PLAN")
    exp.add_argument("--format", choices=("text", "json"), default="text")
    flags.settings(exp, target=False)


def run(args: argparse.Namespace) -> int:
    import modsl

    loaded = load_plan(read_input(args.plan), args)
    blocking = [d for d in loaded.diagnostics
                if d.is_error and (d.code.startswith("MB1") or d.code == "MB201")]
    emit_text(loaded.diagnostics, {loaded.name: loaded.text}, sys.stderr)
    if blocking:
        return EXIT_FINDINGS
    explanation = modsl.explain(loaded.checked)
    sys.stdout.write(explanation.to_json() if args.format == "json" else explanation.to_text())
    return EXIT_FINDINGS if loaded.has_errors else EXIT_OK

"""`modsl compile PLAN`: a checked plan as its target's SQL (or JSON), the file `modsl apply`
runs as reviewed; with `--schedule NAME [--at T]`, the SQL of one firing of a schedule."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from modsl.cli import flags
from modsl.cli.loading import UsageError, checked_or_refuse, only_schedules, wall_time

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan

EXIT_OK, EXIT_FINDINGS = 0, 1


def configure(comp: argparse.ArgumentParser) -> None:
    comp.add_argument("plan", metavar="PLAN")
    comp.add_argument("--format", choices=("sql", "json"), default="sql")
    comp.add_argument("-o", "--output", metavar="FILE", help="write the SQL here (`-`: stdout)")
    comp.add_argument("--schedule", metavar="NAME",
                      help="the SQL one firing of this schedule creates (see --at)")
    comp.add_argument("--at", metavar='"YYYY-MM-DD HH:MM:SS"',
                      help="with --schedule: the firing due at this wall time in the "
                           "schedule's zone (default: now)")
    flags.settings(comp)


def run(args: argparse.Namespace) -> int:
    from modsl.compiler import compile_plan

    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FINDINGS
    if args.schedule:
        return _firing(loaded.checked, args.schedule, args.at)
    if args.at:
        raise UsageError("--at goes with --schedule")
    compiled = compile_plan(loaded.checked)
    if not compiled.statements:
        note = only_schedules(loaded.checked.plan, args.plan)
        if note:
            print(f"modsl compile: {note}", file=sys.stderr)
    text = compiled.to_json() if args.format == "json" else compiled.to_sql()
    if args.output and args.output != "-":  # `-o -`: standard output, as everywhere
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _firing(checked: CheckedPlan, name: str, at: str | None) -> int:
    """`compile --schedule NAME [--at T]`: the CREATE SNAPSHOTs of one firing (its drops
    depend on what the server holds: `modsl run --dry-run` shows them)."""
    from modsl.runtime import firing

    try:
        schedule, _ = firing.schedule_named(checked, name)
        due = firing.fire(checked, name,
                          firing.moment(schedule.zone or "UTC", wall_time(at, "--at")))
    except firing.NoFiring as exc:
        raise UsageError(str(exc).replace("--now", "--at")) from None
    lines = [f"-- schedule {schedule.name.key}: firing {due.at:%Y-%m-%d %H:%M} "
             f"{schedule.zone or 'UTC'}; retention drops are decided at run time "
             "(`modsl run --dry-run`)"]
    for take in due.takes:
        lines += [f"-- {take.statement.span.file}:{take.statement.span.line}", f"{take.sql};"]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK

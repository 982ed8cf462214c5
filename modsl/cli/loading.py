"""Reading plans for the commands: paths, standard input, settings, parse and check, and
printing diagnostics. Shared by the command modules, which do not import each other."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, TextIO

from modsl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from datetime import datetime

    from modsl.checker import CheckedPlan
    from modsl.cli.settings import Config
    from modsl.language import ast


class UsageError(Exception):
    """Bad flags, unreadable paths, bad configuration: exit 2 with one line."""


class Input(NamedTuple):
    name: str
    data: bytes


def read_input(path: str) -> Input:
    if path == "-":
        return Input("<stdin>", sys.stdin.buffer.read())
    try:
        with open(path, "rb") as f:
            return Input(path, f.read())
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def plan_paths(paths: list[str]) -> Iterator[str]:
    """Files as given; directories searched recursively for `*.mobak`; `-` for stdin."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = [os.path.join(folder, name) for folder, _, names in os.walk(path)
                     for name in names if name.endswith(".mobak")]
            yield from sorted(f for f in found if os.path.isfile(f))
        elif path == "-" or os.path.exists(path):
            yield path
        else:
            raise UsageError(f"{path}: no such file or directory")


COLOR_CHOICES = ("auto", "always", "never")
_color = "auto"


def use_color(choice: str | None) -> None:
    """The run's `--color` (None: the command has no such flag, so `auto`)."""
    global _color
    _color = choice or "auto"


def wants_color(stream: TextIO, choice: str | None = None) -> bool:
    """`--color always|never` decides; under `auto`, `NO_COLOR` (set and not empty) means
    none, then `FORCE_COLOR` (set and not empty) means colour, then only on a terminal: the
    order of ruff and rich (no-color.org, force-color.org)."""
    choice = choice or _color
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def emit_text(diagnostics: list[Diagnostic], sources: dict[str, str], stream: TextIO) -> None:
    from modsl.diagnostics import render

    if diagnostics:
        stream.write(render.text(diagnostics, sources, wants_color(stream)))


def decoded(data: bytes) -> str:
    return data.decode("utf-8", "replace")


# -- a plan through parse and check, with the run's settings ---------------------------------

class Loaded(NamedTuple):
    """A plan file after parse and check with the run's settings; `diagnostics` less what
    the settings' `ignore` silences, with the severities their `error`/`warning` give."""

    name: str
    text: str
    checked: CheckedPlan
    diagnostics: list[Diagnostic]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def load_plan(given: Input, args: argparse.Namespace) -> Loaded:
    import modsl
    from modsl.checker import check
    from modsl.cli import settings

    plan, _ = modsl.parse(given.data, given.name)
    text = decoded(given.data)
    config = config_for(args, given.name)
    try:
        account, target = settings.effective(plan, flag_account=getattr(args, "as_", None),
                                             flag_target=getattr(args, "target", None),
                                             config=config)
        now = settings.parse_now(args.now) if getattr(args, "now", None) else None
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    checked = check(plan, account=account, target=target, now=now, zone=config.server_timezone)
    found = checked.diagnostics
    if config.ignore:
        found = [d for d in found if not any(d.code.startswith(c) for c in config.ignore)]
    return Loaded(given.name, text, checked, settings.reclassed(found, config))


def config_of(args: argparse.Namespace) -> Config:
    """The settings for the command's one plan (`args.plan` or `args.file`)."""
    return config_for(args, getattr(args, "plan", None) or getattr(args, "file", None))


def config_for(args: argparse.Namespace, plan: str | None) -> Config:
    """The settings for `plan` (None or `-`/`<stdin>`: the current directory's): its nearest
    configuration file under the run's flags, read once per folder."""
    from modsl.cli import settings

    start = None if plan in (None, "-", "<stdin>") else os.path.dirname(os.path.abspath(plan))
    cache: dict[str | None, Config] = args.__dict__.setdefault("_configs", {})
    if start not in cache:
        try:
            cache[start] = settings.with_flags(
                settings.load_config(start), zone=getattr(args, "server_timezone", None),
                error=getattr(args, "error", None) or (),
                warning=getattr(args, "warning", None) or ())
        except settings.SettingsError as exc:
            raise UsageError(str(exc)) from None
    return cache[start]


def checked_or_refuse(args: argparse.Namespace) -> Loaded | None:
    """Parse and check `args.plan`; print its diagnostics to stderr; None when it has errors
    — those the settings' `ignore` hides too: an ignore hides a finding from lint, it never
    lets a plan with an error compile or run, and a command that will not says why."""
    loaded = load_plan(read_input(args.plan), args)
    hidden = [d for d in loaded.checked.diagnostics if d.is_error
              and d not in loaded.diagnostics]
    emit_text(loaded.diagnostics + hidden, {loaded.name: loaded.text}, sys.stderr)
    if hidden:
        print(f"{loaded.name}: {len(hidden)} error(s) shown though the settings ignore "
              f"{', '.join(sorted({d.code for d in hidden}))}: `ignore` hides a finding from "
              "lint; a plan with an error is never compiled or run", file=sys.stderr)
        return None
    return None if loaded.has_errors else loaded




def wall_time(text: str | None, flag: str = "--now") -> datetime | None:
    """A pinned `--now` (or `--at`) as the naive wall time it names; None: now."""
    from modsl.cli import settings

    if text is None:
        return None
    try:
        return settings.parse_now(text)
    except settings.SettingsError as exc:
        raise UsageError(str(exc).replace("--now", flag)) from None


def only_schedules(plan: ast.Plan, path: str) -> str | None:
    """What to say when a plan's only statements are scheduled (compile and apply have
    nothing to run then: `modsl run` takes them); None when it has others, or none."""
    from modsl.language import ast

    if any(not (isinstance(st, (ast.Schedule, ast.ScheduledSnapshot,
                                ast.ExistingRepository))
                or (isinstance(st, ast.Backup) and st.schedule is not None))
           for st in plan.statements):
        return None
    names = [st.name.key for st in plan.statements if isinstance(st, ast.Schedule)]
    if not names:
        return None
    what = ("backups" if any(isinstance(st, ast.Backup) for st in plan.statements)
            else "snapshots")
    return (f"{path} only schedules {what}, so there is nothing to run now: `modsl run "
            f"{path} --schedule {names[0]}` takes one firing's, `modsl compile {path} "
            f"--schedule {names[0]}` shows its SQL, `modsl schedule list {path}` its times")

"""The `modsl` command: the parser's assembly, exit codes and `main`; each command is a
module of this package (`modsl.cli.lint`, `modsl.cli.apply`, ...) with `configure(parser)`
for its flags and `run(args)` for its body. Only the module of the command that runs is
imported (`modsl --help` imports none), so a command pays for nothing but itself.

Exit codes: 0 clean, 1 findings (or a failed step), 2 usage or internal error."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Protocol, TextIO, cast

from modsl._version import __version__
from modsl.cli.loading import UsageError, use_color

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class CommandModule(Protocol):
    """What each command's module provides."""

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("lint", "check plans; exit 1 on errors"),
    "fmt": ("fmt", "rewrite plans in canonical form"),
    "compile": ("compile", "compile a plan to its target's SQL"),
    "explain": ("explain", "say in words what each step does and destroys"),
    "rules": ("rules", "list the diagnostic codes, or document one"),
    "completion": ("completion", "print a shell completion script (bash, zsh, fish)"),
    "import": ("imports", "turn a target's SQL into a plan"),
    "standin": ("standin", "run a stand-in server, for drills and tests"),
    "apply": ("apply", "run a reviewed plan on a live server"),
    "run": ("run", "one firing of a schedule: its snapshots, then its retention"),
    "schedule": ("schedule", "a plan's schedules: next firings, owned snapshots, "
                             "cron/systemd/Kubernetes entries"),
    "log": ("log", "what ran, when, where and how it ended, from the journals"),
    "rollback": ("rollback", "put back what a run of a plan restored, from its journal"),
    "check": ("check", "read a plan's promises back from a live server, read-only"),
    "status": ("status", "the plan against a live server's snapshots and PITRs"),
}
"""Each command: the module under `modsl.cli` that holds it, and its one-line help."""


def command_module(name: str) -> CommandModule:
    # `__import__`, not importlib's `import_module`: `python -X importtime` sees it.
    module = __import__(f"modsl.cli.{COMMANDS[name][0]}", fromlist=["run"])
    return cast("CommandModule", module)


class _Formatter(argparse.HelpFormatter):
    """argparse's help, told the terminal's width: left to itself, argparse imports `shutil`
    (and with it bz2, lzma, zlib) on every start just to ask."""

    def __init__(self, prog: str) -> None:
        try:
            width = os.get_terminal_size().columns - 2
        except OSError:
            width = 78
        super().__init__(prog, width=max(width, 40))


def build_parser(only: Sequence[str] | None = None, *,
                 alone: bool = False) -> argparse.ArgumentParser:
    """The parser; every command's flags, or (`only`) just those commands' (the others are
    listed in `--help` but their modules are not imported). With `alone`, the others get no
    subparser at all (each is an ArgumentParser whose help strings go through gettext: a
    tenth of a small command's start): for a command line that starts with its command, so
    that nothing but that command's parser can read it."""
    parser = argparse.ArgumentParser(
        prog="modsl", formatter_class=_Formatter,
        description="Lint, compile, format, explain, import and apply database backup plans "
                    "(.mobak).")
    parser.add_argument("--version", action="version", version=f"modsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, help) in COMMANDS.items():
        if alone and only is not None and name not in only:
            continue
        command = sub.add_parser(name, help=help, formatter_class=_Formatter)
        if only is None or name in only:
            command_module(name).configure(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    from modsl.cli.urlsecrets import Masking

    given = sys.argv[1:] if argv is None else argv
    stderr = sys.stderr
    sys.stderr = cast("TextIO", Masking(stderr, given))  # no password echoed, ever
    try:
        return _main(given)
    finally:
        sys.stderr = stderr


_CUT = "the output was closed before all of it was written (broken pipe)"
_STOPPED = {
    "apply": "; it stopped there: the statements its journal records as done ran, no others "
             "(`--resume` continues)",
    "run": "; it stopped there: the statements its journal records as done ran, no others "
           "(the next firing reads what the server has)",
}


def _named(argv: list[str]) -> list[str]:
    """The command the words name: the first that is not a flag (`modsl` itself takes none
    with a value), or none (`modsl --help`)."""
    return [w for w in argv if not w.startswith("-")][:1]


# Commands that read, judge and print, then exit: the cyclic garbage collector has nothing to
# find in a plan (reference counting frees its nodes), yet scans every node it built once a
# stage ends (4% of compiling 5,000 statements). Servers and runs keep it (`standin`, `apply`).
_ONE_SHOT = frozenset(("lint", "fmt", "compile", "explain", "import"))


def _main(argv: list[str]) -> int:
    from modsl.cli import brokenpipe

    brokenpipe.reset()
    named = _named(argv)
    # `modsl --help lint` and `modsl -- lint` are the top-level parser's: they list every command.
    parser = build_parser(only=named, alone=bool(named) and argv[:1] == named
                          and named[0] in COMMANDS)
    args = parser.parse_args(argv)
    use_color(getattr(args, "color", None))
    try:
        if hasattr(args, "dsn_required"):  # a command that talks to a server
            from modsl.cli.server import resolve_dsn

            resolve_dsn(args)
        if args.command in _ONE_SHOT:
            from modsl.language.gcpause import paused

            with paused():  # off for the command, back on after it (main() called in-process)
                code = command_module(args.command).run(args)
        else:
            code = command_module(args.command).run(args)
    except UsageError as exc:
        print(f"modsl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("modsl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Nobody reads the output any more (`| head`): say so where someone still reads.
        # apply says what ran itself; here the command stopped where it was writing.
        brokenpipe.silence()
        print(f"modsl {args.command}: {_CUT}{_STOPPED.get(args.command, '')}", file=sys.stderr)
        return brokenpipe.EXIT_PIPE
    except Exception as exc:  # a bug: one line, and the traceback only on request
        if os.environ.get("MODSL_DEBUG") == "1":
            raise
        print(f"modsl: internal error: {type(exc).__name__}: {exc} "
              "(set MODSL_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_USAGE
    if brokenpipe.closed() or brokenpipe.flushed():
        return code  # all written, or cut and already told (apply)
    # The command finished; only the last of its output was lost.
    over = ("; the run had finished: " + ("every statement ran" if code == EXIT_OK
                                          else "it failed, as said above")
            if args.command in _STOPPED else "")
    print(f"modsl {args.command}: {_CUT}{over}", file=sys.stderr)
    return brokenpipe.EXIT_PIPE if code == EXIT_OK else code

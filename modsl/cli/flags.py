"""Flags more than one command takes, each written once: the run's settings (`--as`,
`--now`, `--target`, ...), `--color`, `--journal`, `--no-checks`, `--yes`, and the word on a
statement whose outcome was unknown (`--mark-done`, `--retry`). A command's own flags are
in its module; the flags that name a server are in `server`."""

from __future__ import annotations

import argparse


def positive(text: str) -> float:
    """Seconds: more than 0, at most a year."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 31_536_000:
        raise argparse.ArgumentTypeError("must be more than 0 seconds (and at most a year)")
    return value


def statement_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a statement number (1, 2, ...): {text!r}")
    return int(text)


def color(p: argparse.ArgumentParser) -> None:
    from modsl.cli.loading import COLOR_CHOICES

    p.add_argument("--color", choices=COLOR_CHOICES, default=None,
                   help="colour the text output: auto (default: on a terminal, unless NO_COLOR; "
                        "FORCE_COLOR forces it), always or never")


def settings(p: argparse.ArgumentParser, target: bool = True) -> None:
    """What a plan is judged under: its account, the server's clock and zone, severities."""
    p.add_argument("--as", dest="as_", metavar="ACCOUNT",
                   help="the account that runs the plan (overrides `as account`)")
    p.add_argument("--now", metavar='"YYYY-MM-DD HH:MM:SS"',
                   help="judge PITR timestamps as if the server's clock read this "
                        "(default: now, in the server's zone)")
    p.add_argument("--server-timezone", metavar="ZONE",
                   help="the IANA zone the server reads timestamps in (default: "
                        "$MODSL_SERVER_TIMEZONE, then the settings' server-timezone, then "
                        "this machine's)")
    p.add_argument("--error", action="append", metavar="CODES",
                   help="report these codes or prefixes as errors (comma-separated)")
    p.add_argument("--warning", action="append", metavar="CODES",
                   help="keep these warnings as warnings though `error` raises them")
    color(p)
    if target:
        p.add_argument("--target", metavar="TARGET", action=_TargetFlag)


class _TargetFlag(argparse.Action):
    """`--target`, whose help lists every engine's versions: spelled out only when a help or
    a completion script is written, so that parsing a command line imports no engine folder
    (a lint loads its plan's engine and no other)."""

    @property
    def help(self) -> str:
        from modsl.targets import spelled

        return "ENGINE-VERSION, or ENGINE for its newest: " + spelled()

    @help.setter
    def help(self, value: str | None) -> None:
        """argparse sets it from `add_argument`'s help=; the property above answers instead."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)


JOURNAL = ".modsl/journal"


def journal(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--journal", metavar="DIR", default=JOURNAL, help=help)


def no_checks(p: argparse.ArgumentParser,
              help: str = "skip the live checks of the server and the login") -> None:
    p.add_argument("--no-checks", action="store_true", help=help)


def outcome_words(p: argparse.ArgumentParser, done: str, again: str) -> None:
    """`--mark-done N` / `--retry N`: the user's word on statement N, whose outcome was
    unknown (apply's statements, rollback's restores)."""
    p.add_argument("--mark-done", metavar="N", type=statement_number, action="append",
                   default=[], help=done)
    p.add_argument("--retry", metavar="N", type=statement_number, action="append", default=[],
                   help=again)


def yes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def text_or_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")

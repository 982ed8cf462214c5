"""The flags that name a server (`--dsn`, `--dsn-file`, `--dsn-env`, `--defaults-file`,
`--connect-timeout`), the DSN they resolve to, and a read on that server for the read-only
commands (`check`, `status`, `import --from-server`, `schedule list --dsn`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from modsl.cli import flags
from modsl.cli.loading import UsageError
from modsl.environ import DSN as DSN_ENV

if TYPE_CHECKING:
    from modsl.runtime.connect import Server

T = TypeVar("T")
EXIT_USAGE = 2


class Once(argparse.Action):
    """A flag that names the server may be given once: with two, which one wins is a guess
    (argparse keeps the last), and a guess about which server a plan runs on is no answer."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option: str | None = None) -> None:
        if getattr(namespace, f"_given_{self.dest}", False):
            parser.error(f"{option} is given twice: give it once")
        setattr(namespace, f"_given_{self.dest}", True)
        setattr(namespace, self.dest, values)


def add_flags(p: argparse.ArgumentParser, required: bool, from_env: bool = True) -> None:
    p.add_argument("--dsn", action=Once,
                   help="mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?account=...] "
                   "(default: the environment variable --dsn-env names; a command line is "
                   "visible to every user of the host, the environment is not)")
    p.add_argument("--dsn-file", metavar="FILE", action=Once,
                   help="read the DSN from FILE (one line; `#` lines are comments)")
    dsn_env(p, action=Once)
    p.add_argument("--defaults-file", metavar="FILE",
                   help="a MySQL option file whose [client] section has the password")
    p.add_argument("--connect-timeout", metavar="SECONDS", type=flags.positive, default=10.0,
                   help="give up connecting after this long (default 10)")
    p.set_defaults(dsn_required=required, dsn_from_env=from_env)


def dsn_env(p: argparse.ArgumentParser, action: type[argparse.Action] | str = "store") -> None:
    p.add_argument("--dsn-env", metavar="NAME", default=DSN_ENV, action=action,
                   help=f"the environment variable holding the DSN (default {DSN_ENV})")


def resolve_dsn(args: argparse.Namespace) -> None:
    """`args.dsn` from `--dsn`, else `--dsn-file`, else the environment: the ways that keep a
    password off the command line (schedule exports use them). A drill, apply's dry run, a
    plain import and `schedule list` take no DSN from the environment: they need no server."""
    if not hasattr(args, "dsn_required"):  # a command that talks to no server
        return
    named_env = getattr(args, "_given_dsn_env", False)
    if sum(map(bool, (args.dsn, args.dsn_file, named_env))) > 1:
        raise UsageError("--dsn, --dsn-file and --dsn-env each name the server: give one")
    if args.dsn_file:
        try:
            with open(args.dsn_file, encoding="utf-8") as f:
                lines = [line.strip() for line in f if line.strip()
                         and not line.lstrip().startswith("#")]
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--dsn-file {args.dsn_file}: cannot read it: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        if len(lines) != 1:
            raise UsageError(f"--dsn-file {args.dsn_file}: expected one line holding the DSN, "
                             f"found {len(lines)}")
        args.dsn = lines[0]
    elif (not args.dsn and args.dsn_from_env and getattr(args, "from_server", True)
          and not getattr(args, "standin", False)
          and not (args.command == "apply" and args.dry_run)):
        args.dsn = os.environ.get(args.dsn_env) or None
        if named_env and args.dsn is None:
            raise UsageError(f"--dsn-env {args.dsn_env}: ${args.dsn_env} is not set")
    if args.dsn_required and not args.dsn and not getattr(args, "standin", False):
        raise UsageError(f"`modsl {args.command}` needs a server: --dsn, --dsn-file FILE, or "
                         f"the DSN in ${args.dsn_env}")


class Login(NamedTuple):
    """Where the server flags say to connect, and how: what the runtime is given."""

    dsn: str
    defaults_file: str | None
    connect_timeout: float

    @classmethod
    def of(cls, args: argparse.Namespace) -> Login:
        return cls(args.dsn, args.defaults_file, args.connect_timeout)


def on_server(login: Login, command: str, engine: str,
              read: Callable[[Any], T]) -> tuple[T, Server] | None:
    """`read(connection)` on the server `login` names, and the server; None (said on
    stderr) when it cannot be reached."""
    from modsl.runtime import live
    from modsl.runtime.connect import ConnectError
    from modsl.runtime.session import Refused

    server = None
    try:
        connection, server = live.connect_to(login.dsn, login.defaults_file,
                                             login.connect_timeout, engine)
        try:
            return read(connection), server
        finally:
            connection.close()
    except live.Unreadable as exc:
        print(f"modsl {command}: {exc}", file=sys.stderr)
    except (Refused, ConnectError) as exc:
        message = str(exc) if server is None else server.scrub(str(exc))
        print(f"modsl {command}: {message}", file=sys.stderr)
    return None


def plan_and_server(p: argparse.ArgumentParser) -> None:
    """The flags of a command that reads a plan against a server (`check`, `status`)."""
    p.add_argument("plan", metavar="PLAN", help="a .mobak plan")
    add_flags(p, required=True)
    flags.text_or_json(p)
    flags.settings(p)


def refused(command: str, server: Server | None, exc: Exception) -> int:
    """A run that cannot start or go on, in one line on stderr (the password scrubbed from
    what the server or the driver said); exit 2."""
    message = str(exc) if server is None else server.scrub(str(exc))
    print(f"modsl {command}: {message}", file=sys.stderr)
    return EXIT_USAGE

"""Target engines and their versions, engine-neutral: nothing here names an engine.

An engine is a module in this package that defines `ENGINE` (an `Engine`): its versions, what
each can express (capability flags, documented by the engine), the SQL for each statement, and
how to reach its server. `engines()` finds them. A plan with no `target` line gets the
`default` engine's newest version.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from functools import cache, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime
    from typing import Any

    from modsl.checker import RestoreFacts
    from modsl.explainer import Words
    from modsl.language import ast
    from modsl.runtime.drill import Drill
    from modsl.runtime.executor import Prepared
    from modsl.runtime.jobs import Job
    from modsl.runtime.live import Check, LiveObject, ServerInfo
    from modsl.runtime.restore_test import Scratch
    from modsl.sqlimport import Reader
    from modsl.standin.server import Personality


class TargetVersion(NamedTuple):
    """One version of an engine: a name and what it can express. (A NamedTuple: a frozen
    dataclass costs a millisecond of every start.)"""

    engine: str
    version: str
    capabilities: frozenset[str] = frozenset()
    """Flags from the engine's `capabilities` table (`brace_restore`, ...)."""
    limits: Mapping[str, int] = MappingProxyType({})
    """Numbers the server enforces by default (`tenant_snapshots_per_level`: 50)."""

    @property
    def name(self) -> str:
        return f"{self.engine}-{self.version}"

    def can(self, capability: str) -> bool:
        return capability in self.capabilities


class Expressible(NamedTuple):
    """An engine's word on one statement it owns (`Engine.statements`)."""

    capability: str | None = None
    """The flag a version needs to express it (None: every version does)."""
    lacking: str = ""
    """Why a version without the flag cannot, in the engine's words (MB408)."""


class Engine(Protocol):
    """What an engine module provides as `ENGINE`."""

    name: str
    versions: tuple[TargetVersion, ...]
    """Oldest first; the last is the engine's default version."""
    default: bool
    """The engine of a plan without a `target` line (exactly one engine says so)."""
    default_port: int
    capabilities: Mapping[str, str]
    """Every capability flag its versions may carry, and what it means."""
    accounts: bool
    """Whether a plan runs as an account (`as account`, MB104): the engine has tenants."""
    rolls_back: bool
    """Whether `rollback on failure` can put a restore back on this engine."""
    rule_modules: tuple[str, ...]
    """The modules that register this engine's rules (`modsl.checker.rule`): the checker
    imports them only when it checks a plan for this engine (`modsl.checker.load_rules`)."""
    statements: Mapping[type, Expressible]
    """The statement types it can express, and what each needs of a version: MB408 answers
    from this (`modsl.checker.capabilities`), for every engine alike."""
    refusals: Mapping[type, str]
    """Why it cannot express a statement it does not own, in words its users know (what to
    write instead); one missing here gets a plain refusal."""
    restores_in_place: Mapping[ast.Level, tuple[ast.Level, ...]]
    """A restored object's level -> the levels of the snapshots and PITRs that can restore it
    in place: what may undo a restore (MB501's analysis, `checker.state.can_undo`)."""
    title: str
    """Its name as its users write it, capitals and all, for messages."""
    sql_openers: tuple[tuple[str, ...], ...]
    """The first words (upper case) of the statements only its SQL has: an import for another
    engine says whose such a statement is (MB106) without either reader knowing the other."""

    def resolve(self, version: str) -> TargetVersion:
        """The version a plan names (raises UnknownTarget with the engine's own advice)."""
        ...

    def kind(self, st: ast.Statement) -> str | None:
        """The statement's kind (`create_snapshot`, ...); None for declarations."""
        ...

    def emit(self, st: ast.Statement, version: TargetVersion, account: str,
             facts: RestoreFacts | None) -> str | None:
        """The SQL for one statement (no `;`), or None for declarations."""
        ...

    def sql_reader(self, version: TargetVersion, account: str) -> Reader:
        """What reads this engine's SQL into plan steps (`modsl import`), for a plan of
        `version` run as `account`."""
        ...

    def job(self, sql: str) -> Job | None:
        """The server job a reviewed statement starts (None: it is done when it returns)."""
        ...

    def prepare(self, sql: str, connection: Any) -> Prepared:
        """A reviewed statement as it is sent: its placeholders (secrets from the
        environment, values read from the server) filled in."""
        ...

    def login(self, user: str, account: str) -> str:
        """The user name that logs `user` in to `account` (a DSN's `?account=`)."""
        ...

    def live_checks(self, connection: Any, version: TargetVersion, account: str,
                    plan: ast.Plan | None, done: frozenset[int]) -> Iterator[Check]:
        """The plan's promises read back from the server, read-only (`modsl.runtime.live`);
        statements on the `done` lines ran in an earlier run of the plan."""
        ...

    def live_server(self, connection: Any) -> ServerInfo:
        """Who the server says it is and who the login is, read-only."""
        ...

    def live_objects(self, connection: Any) -> list[LiveObject]:
        """What the login can see that a plan names or declares (snapshots, PITRs,
        repositories), read-only."""
        ...

    def live_backups(self, connection: Any, repository: str, label: str | None = None
                     ) -> list[tuple[str, datetime | None]]:
        """The backups `repository` holds (those labelled `label`, with one) and when each
        was taken, oldest first, read-only; an engine with no repositories holds none."""
        ...

    def restore_tests(self) -> Scratch | None:
        """How a restore test (`drill` line) clones into scratch databases here (None: the
        engine cannot clone a snapshot, and the checker refuses such a line)."""
        ...

    def words(self) -> Words:
        """Its own words for `modsl explain`: who may run its statements, what the ones only
        it has do."""
        ...

    def standin(self) -> Personality:
        """The stand-in's personality for this engine (`modsl.standin`): its world, sessions
        and logins. Needs the `standin` extra."""
        ...

    def drill(self, plan: ast.Plan, target: TargetVersion, own: str, seed: str | None,
              seed_name: str, now: datetime) -> Drill:
        """A started stand-in seeded so `plan` (run as `own`) can run on it: the `--seed`
        SQL and what the plan's lines take as there (`modsl.runtime.drill`)."""
        ...

class UnknownTarget(ValueError):
    pass


_ENGINES = "modsl.engines"
_ENGINES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engines")


@lru_cache(maxsize=1)
def engines() -> dict[str, Engine]:
    """Every engine folder in `modsl/engines/` (a package whose `__init__` defines `ENGINE`),
    by engine name. Found, never listed: a new engine is a new folder."""
    found: dict[str, Engine] = {}
    for entry in sorted(os.listdir(_ENGINES_DIR)):
        if os.path.isfile(os.path.join(_ENGINES_DIR, entry, "__init__.py")):
            module = importlib.import_module(f"{_ENGINES}.{entry}")
            engine = getattr(module, "ENGINE", None)
            if engine is not None:
                found[engine.name] = _complete(engine, entry)
    return found


def _complete(engine: Engine, folder: str) -> Engine:
    """`engine` if it answers everything the protocol asks: an engine folder that forgot a
    hook is told at discovery, by name, not by an AttributeError in whichever stage first
    asks for it."""
    asked = set(Engine.__annotations__) | {name for name, value in vars(Engine).items()
                                           if callable(value) and not name.startswith("_")}
    missing = sorted(name for name in asked if not hasattr(engine, name))
    if missing:
        raise TypeError(f"modsl/engines/{folder}: ENGINE lacks " + ", ".join(missing)
                        + " (what modsl.targets.Engine asks of an engine)")
    return engine


@cache
def _folder(name: str) -> Engine | None:
    """The engine in `modsl/engines/NAME/`, imported alone: a plan that names its target loads
    that engine's folder and no other (the full scan is for the default and the lists)."""
    if not name.isidentifier() or not os.path.isfile(os.path.join(_ENGINES_DIR, name,
                                                                  "__init__.py")):
        return None
    found: Engine | None = getattr(importlib.import_module(f"{_ENGINES}.{name}"), "ENGINE", None)
    return _complete(found, name) if found is not None and found.name == name else None


def engine(name: str) -> Engine:
    found = _folder(name.lower()) or engines().get(name.lower())
    if found is None:
        raise UnknownTarget(f"unknown target engine `{name}`; known: "
                            + ", ".join(sorted(engines())))
    return found


def owner(kind: type, preferred: str | None = None) -> Engine:
    """The engine whose statement `kind` is: `preferred` (a plan's engine) when it owns it,
    and then no other folder is imported; else the first that does (a plan with MB408 is
    still checked and explained in the words of the engine the statement is from); else
    `preferred`, or the default engine."""
    if preferred is not None:
        mine = engine(preferred)
        if kind in mine.statements:
            return mine
    found = engines()
    owners = [e for e in found.values() if kind in e.statements]
    if owners:
        return owners[0]
    return engine(preferred if preferred is not None else default().engine)


def default() -> TargetVersion:
    """The newest version of the default engine."""
    return next(e for e in engines().values() if e.default).versions[-1]


def lookup(engine_name: str, version: str | None = None) -> TargetVersion:
    """The target for an engine and version; no version means the newest."""
    found = engine(engine_name)
    if version is None:
        return found.versions[-1]
    for v in found.versions:
        if v.version == version:
            return v
    return found.resolve(version)


def versions(engine_name: str) -> tuple[TargetVersion, ...]:
    return engine(engine_name).versions


def every() -> tuple[TargetVersion, ...]:
    """Every version of every engine."""
    return tuple(v for e in engines().values() for v in e.versions)


def parse_flag(value: str) -> TargetVersion:
    """A command-line target: `ENGINE-VERSION`, or `ENGINE` for its newest version."""
    name, sep, version = value.partition("-")
    return lookup(name, version if sep else None)


def spelled() -> str:
    """The targets as the command line spells them, for help texts."""
    return ", ".join(f"{e.name}-{v.version}" for e in engines().values() for v in e.versions)

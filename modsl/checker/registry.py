"""The rule registry and what a rule may look at: `rule()` registers a rule for the statement
types it judges and the engines it judges plans for; `load_rules` imports an engine's rule
modules the first time a plan for it is checked. Apart from the package's `__init__` (the
runner), so that a rule family imports the registry without importing the runner that imports
the families (no import cycle)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets
from modsl.checker.state import PlanState
from modsl.diagnostics import Diagnostic
from modsl.language import ast

if TYPE_CHECKING:
    from datetime import datetime

    from modsl.time.cadence import Cadence

# A rule takes the statement types it is registered for (annotated precisely in the rule).
RuleFn = Callable[[Any, "Ctx"], Iterable[Diagnostic]]
Scoped = ast.CreateSnapshot | ast.CreatePitr | ast.Restore | ast.ExistingSnapshot | ast.ExistingPitr
"""The statements of `ast.SCOPED`, as a type for rules' annotations."""


class Ctx:
    """What a rule may look at. (Plain classes and NamedTuples here, not dataclasses: Python
    3.11 builds each dataclass with `exec` at import, ~1 ms of every `modsl lint`.)"""

    __slots__ = ("account_known", "clock", "own", "rollback", "scheduled", "schedules", "state",
                 "target")

    def __init__(self, own: str, account_known: bool, target: targets.TargetVersion,
                 state: PlanState, clock: ServerClock, rollback: bool = False) -> None:
        self.own = own  # the plan's account, lower-cased ("" when unknown: MB104)
        self.account_known = account_known
        self.target = target
        self.state = state
        self.clock = clock
        self.rollback = rollback  # the plan says `rollback on failure`
        self.schedules: dict[str, tuple[ast.Schedule, Cadence | None]] = {}
        """The plan's schedules by name (all of them: a snapshot may name a later one)."""
        self.scheduled: tuple[ast.ScheduledSnapshot, ...] = ()
        """The plan's scheduled snapshot lines (a drill may name a later one)."""

    @property
    def is_sys(self) -> bool:
        return self.own == "sys"

    def now(self) -> datetime:
        return self.clock.now()


class ServerClock:
    """"Now" in the server's zone, read once per check and only by rules that need it."""

    __slots__ = ("pinned", "zone")

    def __init__(self, zone: str | None = None, pinned: datetime | None = None) -> None:
        self.zone = zone
        self.pinned = pinned

    def now(self) -> datetime:
        if self.pinned is None:
            from modsl.time.clock import server_now

            self.pinned = server_now(self.zone)
        return self.pinned


class Registration(NamedTuple):
    """One rule as registered: its code, its function, the engines it judges plans for. (Not
    `Rule`: the grammar's productions are `lalr.Rule`.)"""

    code: str
    fn: RuleFn
    engines: frozenset[str] | None
    """The engines whose servers enforce it (None: every engine's plans)."""

    def judges(self, engine: str) -> bool:
        """Whether the rule runs on plans for `engine`."""
        return self.engines is None or engine in self.engines


_RULES: dict[type, list[Registration]] = {}
_CODES_WITH_RULES: set[str] = set()


def rule(code: str, *types: type,
         engines: Iterable[str] | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register `fn` as the rule for `code` on statements of `types`, for plans of the
    `engines` named (None: every engine, a new one included)."""
    group = None if engines is None else frozenset(engines)
    if isinstance(engines, str) or group == frozenset():
        raise ValueError(f"rule {code}: `engines` is a non-empty group of engine names, "
                         f"not {engines!r}")

    def register(fn: RuleFn) -> RuleFn:
        for t in types:
            _RULES.setdefault(t, []).append(Registration(code, fn, group))
        _CODES_WITH_RULES.add(code)
        return fn

    return register


_LOADED: set[str] = set()


def load_rules(engine: str | None = None) -> None:
    """Register the rules of `engine` (None: of every engine), once: an engine's rule modules
    are imported only when a plan for it is checked, so a lint never loads another engine's
    rules, and no shared module names an engine folder."""
    for name in targets.engines() if engine is None else (engine,):
        if name not in _LOADED:
            for module in targets.engine(name).rule_modules:
                importlib.import_module(module)
            _LOADED.add(name)


def rules_for(statement: type, engine: str) -> list[Registration]:
    """The rules that judge statements (or headers) of type `statement` on `engine`'s plans,
    in registration order."""
    return [r for r in _RULES.get(statement, ()) if r.judges(engine)]


def registered_codes() -> set[str]:
    """The codes some rule of some engine registers."""
    load_rules()
    return set(_CODES_WITH_RULES)

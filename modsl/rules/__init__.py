"""The checker: every rule MatrixOne would enforce, and some prudence, before anything runs.

Rules are small functions registered under their code for the statement types they judge
(`grep MB303` finds one). The runner walks the plan top to bottom; each rule sees the
statement and the plan state *before* it. The families live in their own modules: names,
values, permissions, levels, references, safety.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from modsl import ast, targets
from modsl.diagnostics import Diagnostic
from modsl.gcpause import paused
from modsl.rules.state import Known, PlanState

if TYPE_CHECKING:
    from datetime import datetime

# A rule takes the statement types it is registered for (annotated precisely in the rule).
RuleFn = Callable[[Any, "Ctx"], Iterable[Diagnostic]]
Scoped = ast.CreateSnapshot | ast.CreatePitr | ast.Restore | ast.ExistingSnapshot | ast.ExistingPitr


@dataclass
class Ctx:
    """What a rule may look at."""

    own: str  # the plan's account, lower-cased ("" when unknown: MB104)
    account_known: bool
    target: targets.TargetVersion
    state: PlanState
    clock: Clock

    @property
    def is_sys(self) -> bool:
        return self.own == "sys"

    def now(self) -> datetime:
        return self.clock.now()


@dataclass
class Clock:
    """"Now" in the server's zone, read once per check and only by rules that need it."""

    zone: str | None = None
    pinned: datetime | None = None

    def now(self) -> datetime:
        if self.pinned is None:
            from modsl.clock import server_now

            self.pinned = server_now(self.zone)
        return self.pinned


@dataclass(frozen=True)
class Rule:
    code: str
    fn: RuleFn


_RULES: dict[type, list[Rule]] = {}
_CODES_WITH_RULES: set[str] = set()


def rule(code: str, *types: type) -> Callable[[RuleFn], RuleFn]:
    """Register `fn` as the rule for `code` on statements of `types`."""

    def register(fn: RuleFn) -> RuleFn:
        for t in types:
            _RULES.setdefault(t, []).append(Rule(code, fn))
        _CODES_WITH_RULES.add(code)
        return fn

    return register


@dataclass
class Report:
    """The checker's verdict on one plan, and the facts compile and explain need."""

    diagnostics: list[Diagnostic]
    account: str = ""
    target: targets.TargetVersion = targets.DEFAULT
    sources: dict[int, Known] = field(default_factory=dict)
    """For each restore (by statement index), the snapshot or PITR it reads, when known."""

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def check(plan: ast.Plan, *, account: str | None = None,
          target: targets.TargetVersion | None = None, now: datetime | None = None,
          zone: str | None = None) -> Report:
    """Every diagnostic for `plan`: the parser's and every rule's, in file order.

    `account`/`target` override the plan's header; `now` pins the clock (wall time in the
    server's zone `zone`, default this machine's). A file that is not text (MB100) is not
    checked; when a line failed to parse, MB104 is held back (the broken line may be the
    `as account` header).
    """
    from modsl.rules import suppress

    parsed = list(plan.parse_diagnostics)
    own = account.lower() if account else (plan.account.name.key if plan.account else "")
    version = target or header_target(plan)
    if any(d.code == "MB100" for d in parsed):
        return Report(parsed, own, version)
    ctx = Ctx(own, bool(own), version, PlanState(own), Clock(zone, now))
    found: list[Diagnostic] = list(_header_rules(plan, ctx))
    sources: dict[int, Known] = {}
    with paused():
        for index, st in enumerate(plan.statements):
            for r in _RULES.get(type(st), ()):
                found.extend(r.fn(st, ctx))
            if isinstance(st, ast.Restore):
                known = ctx.state.table(st.source.kind).get(st.source.name.key)
                if known is not None:
                    sources[index] = known
            ctx.state.apply(st)
    found = suppress.apply(plan, found)
    if parsed:
        found = [d for d in found if d.code != "MB104"]
    return Report(sorted([*parsed, *found], key=Diagnostic.sort_key), own, version, sources)


def header_target(plan: ast.Plan) -> targets.TargetVersion:
    if plan.target is None:
        return targets.DEFAULT
    try:
        return targets.lookup(plan.target.engine, plan.target.version)
    except targets.UnknownTarget:  # already MB103 from the parser
        return targets.DEFAULT


def _header_rules(plan: ast.Plan, ctx: Ctx) -> Iterator[Diagnostic]:
    from modsl.names import name_problems
    from modsl.rules.names import lowercase_warning

    if not ctx.account_known:
        yield Diagnostic("MB104", "the plan does not say which account runs it",
                         ast.Span(plan.file, 1, 1, 1, 2),
                         help="add a header line `as account NAME` (sys for the cluster admin), "
                              "or pass `--as NAME`")
    if plan.account is not None:
        yield from name_problems(plan.account.name, what="account")
        yield from lowercase_warning(plan.account.name, "account")


def registered_codes() -> set[str]:
    return set(_CODES_WITH_RULES)


# The families register their rules on import.
from modsl.rules import levels, names, permissions, references, safety, values  # noqa: E402

__all__ = ["Clock", "Ctx", "Report", "check", "levels", "names", "permissions", "references",
           "rule", "safety", "values"]

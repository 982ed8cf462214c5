"""The checker: every rule MatrixOne would enforce, and some prudence, before anything runs.

Rules are small functions registered under their code for the statement types they judge
(`grep MB303` finds one). The runner walks the plan top to bottom; each rule sees the
statement and the plan state *before* it. The families live in their own modules: names,
values, permissions, levels, references, safety.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from modsl import ast, targets
from modsl.diagnostics import Diagnostic
from modsl.gcpause import paused
from modsl.rules.state import Known, PlanState

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

    @property
    def is_sys(self) -> bool:
        return self.own == "sys"


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
    """The checker's verdict, and the facts the compiler needs."""

    diagnostics: list[Diagnostic]
    sources: dict[int, Known] = field(default_factory=dict)
    """For each restore (by statement index), the snapshot or PITR it reads, when known."""


def check(plan: ast.Plan, *, account: str | None = None,
          target: targets.TargetVersion | None = None) -> Report:
    """Run every rule over `plan`. `account`/`target` override the plan's header."""
    from modsl.rules import suppress

    own = account.lower() if account else (plan.account.name.key if plan.account else "")
    version = target or _header_target(plan)
    ctx = Ctx(own, bool(own), version, PlanState(own))
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
    return Report(suppress.apply(plan, found), sources)


def lint_plan(plan: ast.Plan, parsed: list[Diagnostic], *, account: str | None = None,
              target: targets.TargetVersion | None = None) -> Report:
    """The parser's diagnostics and the checker's, in file order.

    A file that is not text (MB100) is not checked. When a line failed to parse, MB104 is
    held back: the broken line may be the `as account` header.
    """
    if any(d.code == "MB100" for d in parsed):
        return Report(list(parsed))
    report = check(plan, account=account, target=target)
    found = report.diagnostics
    if parsed:
        found = [d for d in found if d.code != "MB104"]
    report.diagnostics = sorted([*parsed, *found], key=Diagnostic.sort_key)
    return report


def _header_target(plan: ast.Plan) -> targets.TargetVersion:
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

__all__ = ["Ctx", "Report", "check", "levels", "names", "permissions", "references", "rule",
           "safety", "values"]

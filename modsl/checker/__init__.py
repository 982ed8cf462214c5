"""The checker: every rule the target's server would enforce, and some prudence, before
anything runs.

Rules are small functions registered under their code for the statement types they judge
(`grep MB303` finds one). The runner walks the plan top to bottom; each rule sees the
statement and the plan state *before* it. The engine-neutral families live here
(capabilities: MB408; schedules; verify: MB211) with the readings every engine's rules share
(names); an engine's own rules live in its folder, in the modules its `ENGINE.rule_modules`
names, imported only when a plan for that engine is checked (`registry.load_rules`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from modsl import targets
from modsl.checker import capabilities, schedules, verify  # the shared families register on import
from modsl.checker.registry import (
    Ctx,
    Registration,
    RuleFn,
    Scoped,
    ServerClock,
    load_rules,
    registered_codes,
    rule,
    rules_for,
)
from modsl.checker.state import InPlace, Known, PlanState, Undo, overwritten
from modsl.diagnostics import Diagnostic
from modsl.language import ast
from modsl.language.gcpause import paused

if TYPE_CHECKING:
    from datetime import datetime

    from modsl.checker.rollback_plan import Rollback

class RestoreFacts(NamedTuple):
    """What the checker learnt about one restore, for compile and explain."""

    source: Known | None
    """The snapshot or PITR it reads, when the plan knows it."""
    undoers: tuple[Known, ...]
    """What could undo it (MB501's analysis), widest first."""
    covering: tuple[Known, ...]
    """Everything live that covers what it overwrites, its own source excepted: explain says why
    those that are no undo do not count."""


class CheckedPlan(NamedTuple):
    """A plan and the checker's verdict on it: the one value compile, explain and apply take."""

    plan: ast.Plan
    diagnostics: list[Diagnostic]
    account: str
    target: targets.TargetVersion
    facts: dict[int, RestoreFacts]
    """For each restore, by statement index."""
    rollbacks: dict[int, Rollback]
    """With `rollback on failure`: how to put back what each restore overwrote, by index."""

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def check(plan: ast.Plan, *, account: str | None = None,
          target: targets.TargetVersion | None = None, now: datetime | None = None,
          zone: str | None = None) -> CheckedPlan:
    """Every diagnostic for `plan`: the parser's and every rule's, in file order.

    `account`/`target` override the plan's header; `now` pins the clock (wall time in the
    server's zone `zone`, default this machine's). A file that is not text (MB100) is not
    checked; when a line failed to parse, MB104 is held back (the broken line may be the
    `as account` header).
    """
    from modsl.checker import suppress

    parsed = [*plan.parse_diagnostics, *target_problems(plan)]  # MB103 counts as the parser's
    own = account.lower() if account else (plan.account.name.key if plan.account else "")
    version = target or header_target(plan)
    if any(d.code == "MB100" for d in parsed):
        return CheckedPlan(plan, parsed, own, version, {}, {})
    load_rules(version.engine)
    state = PlanState(own, restores_in_place(plan, version.engine))
    ctx = Ctx(own, bool(own), version, state, ServerClock(zone, now), plan.rollback is not None)
    ctx.schedules = schedules.schedules_of(plan)
    ctx.scheduled = tuple(s for s in plan.statements if isinstance(s, ast.ScheduledSnapshot))
    ctx.state.seed(plan.statements)
    found: list[Diagnostic] = list(_header_rules(plan, ctx))
    as_snapshot = rules_for(ast.CreateSnapshot, version.engine)
    facts: dict[int, RestoreFacts] = {}
    undos: dict[int, Undo] = {}
    engine = version.engine
    judging: dict[type, list[RuleFn]] = {}  # each statement type's rules, looked up once
    with paused():
        for index, st in enumerate(plan.statements):
            fns = judging.get(type(st))
            if fns is None:
                fns = judging[type(st)] = [r.fn for r in rules_for(type(st), engine)]
            for fn in fns:
                found.extend(fn(st, ctx))
            if isinstance(st, ast.Restore):
                facts[index] = _facts(st, ctx.state)
            elif isinstance(st, ast.ScheduledSnapshot):
                found.extend(schedules.as_snapshot(st, ctx, as_snapshot))
            ctx.state.apply(st)
            if isinstance(st, ast.Restore) and facts[index].undoers:
                undos[index] = ctx.state.undos[-1]
    rollbacks: dict[int, Rollback] = {}
    if ctx.rollback:
        from modsl.checker import rollback_plan

        judges = [r for r in rules_for(ast.Restore, engine) if r.code[2] in "34"]
        rollbacks, refused = rollback_plan.plan_rollbacks(undos, ctx, judges)
        found += refused
    found = suppress.apply(plan, found)
    if parsed:
        from modsl.checker.cascade import quiet

        found = quiet(plan, [d for d in found if d.code != "MB104"])
    return CheckedPlan(plan, sorted([*parsed, *found], key=Diagnostic.sort_key), own, version,
                       facts, rollbacks)


def restores_in_place(plan: ast.Plan, engine: str) -> InPlace:
    """What restores in place for the plan's restores: the table of the engine they are from
    (a plan with MB408 keeps its undo analysis), and only the plan's engine folder imported
    when it owns them or the plan has none. The checker's undo analysis and the explainer's
    undo words both judge by it."""
    if not any(isinstance(st, ast.Restore) for st in plan.statements):
        return targets.engine(engine).restores_in_place
    return targets.owner(ast.Restore, engine).restores_in_place


def _facts(st: ast.Restore, state: PlanState) -> RestoreFacts:
    source = (st.source.kind, st.source.name.key)
    covering = tuple(k for k in state.coverers(overwritten(st, state.own)) if k.ref != source)
    return RestoreFacts(state.table(st.source.kind).get(st.source.name.key),
                        tuple(state.undoers(st)), covering)


def header_target(plan: ast.Plan) -> targets.TargetVersion:
    if plan.target is None:
        return targets.default()
    try:
        return targets.lookup(plan.target.engine, plan.target.version)
    except targets.UnknownTarget:  # MB103 (`target_problems`)
        return targets.default()


def target_problems(plan: ast.Plan) -> list[Diagnostic]:
    """MB103: the `target` line names no known engine or version, said with the engine's own
    advice. Judged here, not by the parser, so that parsing needs no engine registry; it
    holds MB104 back as a syntax error does (the plan's header is in doubt)."""
    decl = plan.target
    if decl is None:
        return []
    try:
        targets.lookup(decl.engine, decl.version)
    except targets.UnknownTarget as exc:
        default = targets.default()
        return [Diagnostic("MB103", str(exc), decl.span,
                           help=f"e.g. `target {default.engine} {default.version}`")]
    return []


def _header_rules(plan: ast.Plan, ctx: Ctx) -> Iterator[Diagnostic]:
    engine = targets.engine(ctx.target.engine)
    for decl, lacks in ((plan.account if not engine.accounts else None, "has no accounts"),
                        (plan.rollback if not engine.rolls_back else None, "cannot roll back")):
        if decl is not None:
            yield Diagnostic("MB408", f"{ctx.target.name} cannot express this header: "
                             f"{engine.name} {lacks}", decl.span, help="remove the line")
    if not engine.accounts:
        return
    if not ctx.account_known:
        yield Diagnostic("MB104", "the plan does not say which account runs it",
                         ast.Span(plan.file, 1, 1, 1, 2),
                         help="add a header line `as account NAME` (sys for the cluster admin), "
                              "or pass `--as NAME`")
    if plan.account is not None:  # the engine's rules for an account header (its name)
        for r in rules_for(ast.AccountDecl, engine.name):
            yield from r.fn(plan.account, ctx)


__all__ = [
    "CheckedPlan",
    "Ctx",
    "Registration",
    "RestoreFacts",
    "RuleFn",
    "Scoped",
    "ServerClock",
    "capabilities",
    "check",
    "load_rules",
    "registered_codes",
    "restores_in_place",
    "rule",
    "schedules",
    "verify",
]

"""What a MatrixOne plan refers to: undeclared objects (MB403, MB404), use after drop (MB405), names
created twice (MB406), a second PITR for one object (MB407), and an `if not exists` that
would keep a different object (MB409)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.checker.names import did_you_mean
from modsl.checker.state import describe, resolve
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast

PITR = ast.SourceKind.PITR


def _kind(kind: ast.SourceKind) -> str:
    return "snapshot" if kind is ast.SourceKind.SNAPSHOT else "PITR"


def _level_decides_sql(st: ast.Restore, ctx: Ctx) -> bool:
    """An account restore from a PITR picks its SQL by the PITR's level, except a tenant's
    own (`RESTORE FROM PITR` whatever the level)."""
    if st.source.kind is not PITR or st.scope.level is not ast.Level.ACCOUNT:
        return False
    return (st.to_account is not None or resolve(st.scope, ctx.own) != (ctx.own,)
            or ctx.is_sys)


def _reference(kind: ast.SourceKind, name: ast.Name, ctx: Ctx, *, optional: bool,
               level_matters: bool = False) -> Iterator[Diagnostic]:
    known = ctx.state.table(kind).get(name.key)
    what = _kind(kind)
    if known is None:
        if optional:
            return
        declare = f"existing {what.lower()} {name.key} for ..."
        table = ctx.state.table(kind)
        maybe = did_you_mean(name.key, (k for k, v in table.items() if v.live))
        if level_matters:
            yield Diagnostic("MB404", f"{what} `{name.key}` is not created or declared in this "
                             f"plan, and its level decides the SQL{maybe}", name.span,
                             help=f"declare it with `{declare}` (cluster or account) so modsl "
                                  "can pick the right RESTORE form")
        else:
            yield Diagnostic("MB403", f"{what} `{name.key}` is not created or declared in this "
                             f"plan{maybe}", name.span,
                             help=f"declare it with `{declare}` so modsl can check its level")
    elif not known.live and not optional:
        assert known.dropped_at is not None
        yield Diagnostic("MB405", f"{what} `{name.key}` was dropped on line "
                         f"{known.dropped_at.line}", name.span,
                         help="move this statement before the drop, or drop it later "
                              f"(the server says `{what.lower()} {name.key} does not exist`)")


@rule("MB403", ast.Restore, ast.AlterPitr, ast.DropSnapshot, ast.DropPitr, ast.Clone,
      engines=(MATRIXONE,))
def undeclared(st: ast.Restore | ast.AlterPitr | ast.DropSnapshot | ast.DropPitr | ast.Clone,
               ctx: Ctx) -> Iterator[Diagnostic]:
    """Also MB404 and MB405: one look-up answers all three."""
    if isinstance(st, ast.Clone):
        yield from _reference(st.source.kind, st.source.name, ctx, optional=False)
    elif isinstance(st, ast.Restore):
        yield from _reference(st.source.kind, st.source.name, ctx, optional=False,
                              level_matters=_level_decides_sql(st, ctx))
    else:
        kind = ast.SourceKind.SNAPSHOT if isinstance(st, ast.DropSnapshot) else PITR
        yield from _reference(kind, st.name, ctx, optional=st.if_exists)


rule("MB404", engines=(MATRIXONE,))(undeclared)
rule("MB405", engines=(MATRIXONE,))(undeclared)


@rule("MB406", ast.CreateSnapshot, ast.CreatePitr, ast.ExistingSnapshot, ast.ExistingPitr,
      engines=(MATRIXONE,))
def created_twice(st: ast.CreateSnapshot | ast.CreatePitr | ast.ExistingSnapshot
                  | ast.ExistingPitr, ctx: Ctx) -> Iterator[Diagnostic]:
    if id(st) in ctx.state.seeded:
        return  # the declaration itself, in force since the start
    kind = PITR if isinstance(st, (ast.CreatePitr, ast.ExistingPitr)) else ast.SourceKind.SNAPSHOT
    known = ctx.state.table(kind).get(st.name.key)
    if known is None or not known.live:
        return
    what = _kind(kind)
    where = f"line {known.span.line}"
    if known.declared and known.span.line > st.span.line:
        where += ", which says it exists before the plan runs"
    quiet = getattr(st, "if_not_exists", False)
    if not quiet:
        yield Diagnostic("MB406", f"{what} `{st.name.key}` already exists (from {where})",
                         st.name.span,
                         help="add `if not exists` to keep the first one, choose another name, "
                              f"or drop it first (the server says `{what.lower()} "
                              f"{st.name.key} already exists`)")


@rule("MB409", ast.CreateSnapshot, ast.CreatePitr, engines=(MATRIXONE,))
def keeps_another(st: ast.CreateSnapshot | ast.CreatePitr, ctx: Ctx) -> Iterator[Diagnostic]:
    """`if not exists` on a name the plan already knows keeps that object as it is: warn when
    it differs from what this line asks for (another object, another range)."""
    if not st.if_not_exists:
        return
    kind = PITR if isinstance(st, ast.CreatePitr) else ast.SourceKind.SNAPSHOT
    known = ctx.state.table(kind).get(st.name.key)
    if known is None or not known.live or known.key is None:
        return
    asked = resolve(st.scope, ctx.own)
    differs = []
    if known.key != asked:
        differs.append(f"it covers {describe(known.key)}, not {describe(asked)}")
    rng = getattr(st, "range", None)
    if rng is not None and known.range is not None and known.range != rng:
        differs.append(f"its range is {known.range}, not {rng}")
    if differs:
        what = _kind(kind)
        yield Diagnostic("MB409", f"{what} `{st.name.key}` exists already (line "
                         f"{known.span.line}); `if not exists` keeps it as it is: "
                         + "; ".join(differs), st.name.span,
                         help=f"give this {what} its own name"
                              + (", or `alter pitr` its range" if kind is PITR else ""))


@rule("MB407", ast.CreatePitr, ast.ExistingPitr, engines=(MATRIXONE,))
def second_pitr(st: ast.CreatePitr | ast.ExistingPitr, ctx: Ctx) -> Iterator[Diagnostic]:
    if id(st) in ctx.state.seeded:
        return  # in force since the start: a clash is reported on the plan's own `pitr` line
    key = resolve(st.scope, ctx.own)
    other = ctx.state.pitr_for.get(key)
    if other is None or not other.live or other.name == st.name.key:
        return
    since = (", which exists before the plan runs" if other.declared
             and other.span.line > st.span.line else "")
    yield Diagnostic("MB407", f"{describe(key)} already has PITR `{other.name}` (line "
                     f"{other.span.line}{since}); MatrixOne keeps one per object", st.scope.span,
                     help=f"change its window with `alter pitr {other.name} range ...` instead "
                          f"(the server says `{_already(key)}`)")


def _already(key: tuple[str, ...]) -> str:
    if not key:
        return "cluster level pitr already exists"
    what = ("account", "database", "table")[len(key) - 1]
    return f"{what} `{key[-1]}` already has a pitr"

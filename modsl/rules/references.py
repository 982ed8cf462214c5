"""What the plan refers to: undeclared objects (MB403, MB404), use after drop (MB405), names
created twice (MB406), and a second PITR for one object (MB407)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.rules.state import Known, describe, resolve

PITR = ast.SourceKind.PITR


def _kind(kind: ast.SourceKind) -> str:
    return "snapshot" if kind is ast.SourceKind.SNAPSHOT else "PITR"


def _level_decides_sql(st: ast.Restore, ctx: Ctx) -> bool:
    """An account restore from a PITR of another account picks its SQL by the PITR's level."""
    if st.source.kind is not PITR or st.scope.level is not ast.Level.ACCOUNT:
        return False
    return st.to_account is not None or resolve(st.scope, ctx.own) != (ctx.own,)


def _reference(kind: ast.SourceKind, name: ast.Name, ctx: Ctx, *, optional: bool,
               level_matters: bool = False) -> Iterator[Diagnostic]:
    known = ctx.state.table(kind).get(name.key)
    what = _kind(kind)
    if known is None:
        if optional:
            return
        declare = f"existing {what.lower()} {name.key} for ..."
        if level_matters:
            yield Diagnostic("MB404", f"{what} `{name.key}` is not created or declared in this "
                             "plan, and its level decides the SQL", name.span,
                             help=f"declare it with `{declare}` (cluster or account) so modsl "
                                  "can pick the right RESTORE form")
        else:
            yield Diagnostic("MB403", f"{what} `{name.key}` is not created or declared in this "
                             "plan", name.span,
                             help=f"declare it with `{declare}` so modsl can check its level")
    elif not known.live and not optional:
        assert known.dropped_at is not None
        yield Diagnostic("MB405", f"{what} `{name.key}` was dropped on line "
                         f"{known.dropped_at.line}", name.span,
                         help="move this statement before the drop, or drop it later "
                              f"(the server says `{what.lower()} {name.key} does not exist`)")


@rule("MB403", ast.Restore, ast.AlterPitr, ast.DropSnapshot, ast.DropPitr)
def undeclared(st: ast.Restore | ast.AlterPitr | ast.DropSnapshot | ast.DropPitr,
               ctx: Ctx) -> Iterator[Diagnostic]:
    """Also MB404 and MB405: one look-up answers all three."""
    if isinstance(st, ast.Restore):
        yield from _reference(st.source.kind, st.source.name, ctx, optional=False,
                              level_matters=_level_decides_sql(st, ctx))
    else:
        kind = ast.SourceKind.SNAPSHOT if isinstance(st, ast.DropSnapshot) else PITR
        yield from _reference(kind, st.name, ctx, optional=st.if_exists)


rule("MB404")(undeclared)
rule("MB405")(undeclared)


@rule("MB406", ast.CreateSnapshot, ast.CreatePitr, ast.ExistingSnapshot, ast.ExistingPitr)
def created_twice(st: ast.CreateSnapshot | ast.CreatePitr | ast.ExistingSnapshot
                  | ast.ExistingPitr, ctx: Ctx) -> Iterator[Diagnostic]:
    kind = PITR if isinstance(st, (ast.CreatePitr, ast.ExistingPitr)) else ast.SourceKind.SNAPSHOT
    known = ctx.state.table(kind).get(st.name.key)
    if known is None or not known.live:
        return
    what = _kind(kind)
    where = f"line {known.span.line}"
    quiet = getattr(st, "if_not_exists", False)
    if not quiet:
        yield Diagnostic("MB406", f"{what} `{st.name.key}` already exists (from {where})",
                         st.name.span,
                         help="add `if not exists` to keep the first one, choose another name, "
                              f"or drop it first (the server says `{what.lower()} "
                              f"{st.name.key} already exists`)")
    elif kind is PITR and known.key != resolve(st.scope, ctx.own):
        yield Diagnostic("MB406", f"PITR name `{st.name.key}` is reused for "
                         f"{describe(resolve(st.scope, ctx.own))}; `if not exists` will keep "
                         f"the one from {where}, which covers {_covered(known)}", st.name.span,
                         help="give this PITR its own name")


def _covered(known: Known) -> str:
    return "nothing known" if known.key is None else describe(known.key)


@rule("MB407", ast.CreatePitr, ast.ExistingPitr)
def second_pitr(st: ast.CreatePitr | ast.ExistingPitr, ctx: Ctx) -> Iterator[Diagnostic]:
    key = resolve(st.scope, ctx.own)
    other = ctx.state.pitr_for.get(key)
    if other is None or not other.live or other.name == st.name.key:
        return
    yield Diagnostic("MB407", f"{describe(key)} already has PITR `{other.name}` (line "
                     f"{other.span.line}); MatrixOne keeps one per object", st.scope.span,
                     help=f"change its window with `alter pitr {other.name} range ...` instead "
                          f"(the server says `{_already(key)}`)")


def _already(key: tuple[str, ...]) -> str:
    if not key:
        return "cluster level pitr already exists"
    what = ("account", "database", "table")[len(key) - 1]
    return f"{what} `{key[-1]}` already has a pitr"

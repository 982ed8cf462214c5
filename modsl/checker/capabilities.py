"""MB408: a statement the target cannot express, answered here once for every engine from
what each declares (`Engine.statements`: the statements it owns and the capability a version
needs for each; `Engine.refusals`: its words for the statements it does not own)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl import targets
from modsl.checker.registry import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.language import ast


def why_not(st: type, version: targets.TargetVersion) -> str | None:
    """Why `version` cannot express statements of type `st`, or None when it can."""
    engine = targets.engine(version.engine)
    owned = engine.statements.get(st)
    if owned is None:
        return engine.refusals.get(st) or f"{engine.name} has no {_words(st)} statement"
    if owned.capability is None or version.can(owned.capability):
        return None
    if owned.lacking:
        return owned.lacking
    meaning = engine.capabilities.get(owned.capability)
    return f"{version.name} lacks `{owned.capability}`" + (f": {meaning}" if meaning else "")


def _words(st: type) -> str:
    """`CreatePitr` → `create pitr`: a statement type as a reader says it."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in st.__name__).strip()


@rule("MB408", *ast.STATEMENTS)
def inexpressible(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    why = why_not(type(st), ctx.target)
    if why is not None:
        able = [v.name for v in targets.every() if why_not(type(st), v) is None]
        yield Diagnostic("MB408", f"{ctx.target.name} cannot express this statement: {why}",
                         st.span, help=("targets that can: " + ", ".join(able)) if able
                         else "no known target can; remove the line")

"""MB408: a statement the target cannot express. Engine-neutral: the target's engine says
what each of its versions can express (`Engine.unsupported`)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl import targets
from modsl.checker import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.language import ast


@rule("MB408", *ast.STATEMENTS)
def inexpressible(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    why = targets.engine(ctx.target.engine).unsupported(st, ctx.target)
    if why is not None:
        able = [v.name for v in targets.every()
                if targets.engine(v.engine).unsupported(st, v) is None]
        yield Diagnostic("MB408", f"{ctx.target.name} cannot express this statement: {why}",
                         st.span, help=("targets that can: " + ", ".join(able)) if able
                         else "no known target can; remove the line")

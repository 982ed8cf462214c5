"""MB417: an account, database or table name one typo away from one the plan knows.

A plan need not declare every object it touches (there is no `existing database` line), so an
unknown name is no mistake by itself: the live checks (MB6xx) ask the server. What lint can
tell is a near miss: a name the plan does not know that is one edit (Damerau-Levenshtein,
case-insensitive) from one it does — its own account, the objects its `existing` lines name,
and what it restored from a source that covers it (`PlanState.names`). Anything else is left
alone: a false alarm costs a user more than the live check's later answer (docs/design.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.checker.state import ObjectKey, describe, resolve
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast

Needing = (ast.CreateSnapshot | ast.CreatePitr | ast.Restore | ast.ScheduledSnapshot
           | ast.Verify)


def one_edit(a: str, b: str) -> str | None:
    """The characters edited when `a` and `b` differ by exactly one insertion, deletion,
    substitution or swap of two neighbours; None when they do not."""
    if a == b or abs(len(a) - len(b)) > 1:
        return None
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return b[i] if a[i:] == b[i + 1:] else None
    if a[i + 1:] == b[i + 1:]:
        return a[i] + b[i]
    if i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]:
        return a[i:i + 2]
    return None


def near_miss_of(name: str, other: str) -> bool:
    """One edit apart, the edit not only digits: `db1`/`db2` and `t`/`t2` are the usual names
    of distinct objects, `acc_1`/`acc1` and `ordres`/`orders` the usual typos."""
    edited = one_edit(name, other)
    return edited is not None and not edited.isdigit()


def _needs(st: Needing, own: str) -> Iterator[list[tuple[ObjectKey, ast.Name]]]:
    """The objects a line names, as chains (widest first), each with the name written for it."""
    if isinstance(st, ast.Verify):
        where = st.account.key if st.account is not None else own  # where it reads
        if st.database is not None:
            chain: list[tuple[ObjectKey, ast.Name]] = [((where, st.database.key), st.database)]
            if st.table is not None:
                chain.append(((where, st.database.key, st.table.key), st.table))
            yield chain
        if st.account is not None:
            yield [((st.account.key,), st.account)]
        return
    scope = st.scope
    key = resolve(scope, own)
    names = [n for n in (scope.account, scope.database, scope.table) if n is not None]
    yield list(zip((key[:depth] for depth in range(len(key) - len(names) + 1, len(key) + 1)),
                   names, strict=True))
    if isinstance(st, ast.Restore) and st.to_account is not None:
        yield [((st.to_account.key,), st.to_account)]


@rule("MB417", ast.CreateSnapshot, ast.CreatePitr, ast.Restore, ast.ScheduledSnapshot,
      ast.Verify, engines=(MATRIXONE,))
def near_miss(st: Needing, ctx: Ctx) -> Iterator[Diagnostic]:
    known = ctx.state.names
    for chain in _needs(st, ctx.own):
        for key, name in chain:
            if key in known:
                continue
            near = sorted(k for k in known.one_edit_candidates(key, digits=False)
                          if near_miss_of(key[-1], k[-1]))
            if near:
                what = ("account", "database", "table")[len(key) - 1]
                yield Diagnostic("MB417", f"the plan does not know {describe(key)}; did you "
                                 "mean " + " or ".join(f"`{'.'.join(k[1:]) or k[0]}`" for k in near)
                                 + "?",
                                 name.span,
                                 help=f"the plan knows {describe(near[0])} (its own account, "
                                      "an `existing` line, or a restore); if this "
                                      f"{what} is meant, silence this with "
                                      "`# modsl: ignore[MB417]`")
            break  # below an unknown name, nothing is known to compare with

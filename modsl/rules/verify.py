"""The verify rule (MB211): a verify query is exactly one read-only SELECT.

A security boundary, not a style rule: a plan file must not smuggle a write through a verify,
which runs unreviewed-looking SQL as the plan's account. The query is parsed with sqlglot's
MySQL dialect (imported only when a plan has a query verify, so plain lint stays light) and
refused when it is anything but one SELECT (or UNION of SELECTs) with no `INTO`, no locking
clause, no comment (MySQL runs `/*! ... */`), and no call that sleeps, locks or reads files.
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule
from modsl.targets.matrixone import ENGINE_NAME as MATRIXONE

_FORBIDDEN_CALLS = frozenset({
    "SLEEP", "BENCHMARK", "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "IS_FREE_LOCK",
    "IS_USED_LOCK", "LOAD_FILE", "SYS_EXEC", "SYS_EVAL", "MO_CTL", "NEXTVAL", "SETVAL",
})


@rule("MB211", ast.Verify, engine=MATRIXONE)
def read_only_query(st: ast.Verify, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.kind is not ast.VerifyKind.QUERY:
        return
    problem = query_problem(st.query or "")
    if problem is not None:
        yield Diagnostic("MB211", f"a verify query must be exactly one read-only SELECT: "
                         f"{problem}", st.span,
                         help="write one SELECT whose first value is compared, e.g. "
                              '`verify "SELECT COUNT(*) FROM orders.items" >= 1000`; a '
                              "verify never changes anything")


def query_problem(query: str) -> str | None:
    """Why `query` is not one read-only SELECT, or None when it is."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        if any(token.comments for token in sqlglot.tokenize(query, read="mysql")):
            return "it holds a comment (MySQL runs the text of `/*! ... */`)"
        statements = [s for s in sqlglot.parse(query, read="mysql") if s is not None]
    except SqlglotError as exc:
        return f"it does not parse ({str(exc).splitlines()[0]})"
    if len(statements) != 1:
        return f"it holds {len(statements)} statements"
    tree = statements[0]
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        return f"it is {tree.key.upper()}, not a SELECT"
    writes = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Merge,
              exp.Command, exp.TruncateTable, exp.Set)
    for node in tree.walk():
        if isinstance(node, exp.Into):
            return "`SELECT ... INTO` writes"
        if isinstance(node, exp.Lock):
            return "a locking clause (`FOR UPDATE`, `LOCK IN SHARE MODE`) takes locks"
        if isinstance(node, writes):
            return f"it holds {node.key.upper()}"
        if isinstance(node, exp.Func):
            called = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
            if called in _FORBIDDEN_CALLS:
                return f"`{called}()` is not read-only"
    return None

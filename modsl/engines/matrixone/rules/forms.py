"""MB109: a clause modsl's grammar reads but MatrixOne's has no place for. The plan parser is
loose on purpose (one `restore SCOPE from SOURCE [to account NAME]` line for every level, so a
mistake gets a sentence, not a syntax error); the server's grammar is not, and a clause
dropped on the way to SQL changes what the line does."""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast


@rule("MB109", ast.Restore, engines=(MATRIXONE,))
def cluster_to_account(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    """`restore cluster ... to account b`: no version's grammar has `TO ACCOUNT` after
    `RESTORE CLUSTER` (mysql_sql.y, both restore rules), so the SQL could only drop it and
    restore every account, not put anything into `b`."""
    to = st.to_account
    if to is None or st.scope.level is not ast.Level.CLUSTER:
        return
    source = f"{st.source.kind.value} {st.source.name.key}"
    at = "" if st.source.at is None else f' at "{st.source.at.text}"'
    yield Diagnostic("MB109", "MatrixOne has no `to account` on a cluster restore: the "
                     f"server would restore every account, not put anything into `{to.key}`",
                     to.span,
                     help=f"to put one account's data into `{to.key}`, restore that account: "
                          f"`restore account NAME from {source}{at} to account {to.key}`; to "
                          "roll back the whole cluster, remove `to account ...` (mysql_sql.y has "
                          "no `RESTORE CLUSTER ... TO ACCOUNT`)")

"""MB418: a verify that reads in one account what the plan restored into another.

After `restore account acc7 … to account acc7_restore`, `verify rows shop.orders >= 5` runs
as the plan's login (sys) and reads sys's `shop` — or fails on `Unknown database` — while the
data it means to check is in acc7_restore. A verify reads where it runs: the plan's account,
or the one `in account A` names (apply logs into A). A verify without `in account` naming a
database that a restore above put into another account, and that the plan does not know in
its own, is refused with the account to name. A verify `in account A` reads where the user
chose (sys may have its own `shop`): not judged here; an A one edit from a known account is
MB417's. (A query verify's tables are not read: it is not judged.)
"""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.environ import account_dsn as env_name
from modsl.language import ast


@rule("MB418", ast.Verify, engines=(MATRIXONE,))
def reads_where_restored(st: ast.Verify, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.database is None or st.account is not None:
        return
    where = ctx.own
    database = st.database.key
    landed = ctx.state.landed
    if where in landed and (landed[where] is None or database in (landed[where] or set())):
        return
    if (where, database) in ctx.state.names:
        return
    into = sorted(a for a, dbs in landed.items() if a != where and (dbs is None or database in dbs))
    if not into:
        return
    shown = f"{database}.{st.table.key}" if st.table is not None else database
    yield Diagnostic(
        "MB418", f"this verify reads `{shown}` in account `{where}`, but the plan restored "
        f"it into account {', '.join(f'`{a}`' for a in into)}: it would check the wrong data "
        f"(it runs as the plan's login, in `{where}`)", st.span,
        help=f"add `in account {into[0]}` to the verify (apply logs into it with the DSN in "
             f"${env_name(into[0])}; the plan never holds credentials)")

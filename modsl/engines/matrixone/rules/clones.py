"""Clones and restore drills: MB430 (what a clone reads), MB431 (where it writes), MB304 for
a clone into another account, MB432 (a drill's snapshot line, scratch name and verifies).

What the server checks is in pkg/frontend/clone.go and clone_database_source.go: only sys
clones into another account (`validateCloneDatabaseAccounts`), nothing goes into a system
database, and the target is created, so a name that exists makes the statement fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from modsl.checker import Ctx, rule
from modsl.checker.state import clone_target, describe, resolve
from modsl.checker.verify import query_problem
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.names import SYSTEM_DATABASES
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast
from modsl.time import cadence

L = ast.Level
CLONABLE = (L.DATABASE, L.TABLE)
# The levels of a scheduled snapshot a drill can clone: an account's is cloned per database.
DRILLABLE = (L.ACCOUNT, L.DATABASE, L.TABLE)


@rule("MB430", ast.Clone, engines=(MATRIXONE,))
def clone_source(st: ast.Clone, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.scope.level not in CLONABLE:
        yield Diagnostic("MB430", f"a clone copies a database or a table, not "
                         f"{'the cluster' if st.scope.level is L.CLUSTER else 'an account'}",
                         st.scope.span, help="clone each database: `clone database D from "
                         "snapshot S into D2` (MatrixOne has no account or cluster clone)")
        return
    if st.into.level is not st.scope.level:
        want = "a database name" if st.scope.level is L.DATABASE else "`db.table`"
        yield Diagnostic("MB430", f"a {st.scope.level.value} clone goes into {want}",
                         st.into.span, help="`clone database D ... into D2` or `clone table "
                                            "D.T ... into D2.T2`")
        return
    known = ctx.state.table(st.source.kind).get(st.source.name.key)
    if known is None or known.key is None or not known.live:
        return  # MB403/MB405 say so
    obj = resolve(st.scope, ctx.own)
    # A snapshot of another account is read in that account (`snapshot.Tenant`, clone.go):
    # the names below the account are what must match.
    if known.key and obj[1:][: len(known.key) - 1] != known.key[1:]:
        kind = "snapshot" if st.source.kind is ast.SourceKind.SNAPSHOT else "PITR"
        yield Diagnostic("MB430", f"{kind} `{known.name}` covers {describe(known.key)}, not "
                         f"{describe(obj)}", st.source.name.span,
                         help=f"clone from a {kind} that holds {describe(obj)} (the server "
                              f"says `Unknown database {obj[1]}` or `no such table`)")


@rule("MB431", ast.Clone, engines=(MATRIXONE,))
def clone_target_free(st: ast.Clone, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.into.database is None or st.into.level is not st.scope.level:
        return
    key = clone_target(st, ctx.own)
    if st.into.database.key in SYSTEM_DATABASES:
        yield Diagnostic("MB431", f"a clone into system database `{st.into.database.key}`",
                         st.into.span, help="the server says `cannot clone data into system "
                                            "database`; clone into a database of your own")
        return
    source = resolve(st.scope, ctx.own) if st.to_account is None else None
    if key == source or key in ctx.state.names or key in ctx.state.present:
        yield Diagnostic("MB431", f"{describe(key)} exists already, as far as this plan knows: "
                         "a clone creates its target", st.into.span,
                         help="clone into a new name (the server says `database ... already "
                              "exists` or `table ... already exists`); a clone never "
                              "overwrites")


@rule("MB304", ast.Clone, engines=(MATRIXONE,))
def clone_to_account(st: ast.Clone, ctx: Ctx) -> Iterator[Diagnostic]:
    to = st.to_account
    if to is not None and ctx.account_known and not ctx.is_sys and to.key != ctx.own:
        yield Diagnostic("MB304", "only sys can clone into another account", to.span,
                         help="run the plan as sys, or clone within the account (the server "
                              "says `only sys can clone table to another account`)")


def drill_source(st: ast.Drill, scheduled: Iterable[ast.Statement]
                 ) -> ast.ScheduledSnapshot | None:
    """The scheduled snapshot line whose template the drill names (exact, case-blind)."""
    return next((s for s in scheduled if isinstance(s, ast.ScheduledSnapshot)
                 and s.name.text.lower() == st.snapshot.text.lower()), None)


def scratch_sample(st: ast.Drill) -> str:
    """A name the scratch template gives, for checking what mentions it."""
    return cadence.longest(st.scratch.text)


@rule("MB432", ast.Drill, engines=(MATRIXONE,))
def drill_lines(st: ast.Drill, ctx: Ctx) -> Iterator[Diagnostic]:
    source = drill_source(st, ctx.scheduled)
    if source is None:
        yield Diagnostic("MB432", f"no scheduled snapshot line has the template "
                         f"`{st.snapshot.text}`", st.snapshot.span,
                         help="a drill restores what a `snapshot TEMPLATE for ... on SCHEDULE "
                              "keep ...` line of this plan takes; name its template exactly")
    elif source.scope.level not in DRILLABLE:
        yield Diagnostic("MB432", "a drill cannot clone a cluster snapshot",
                         st.snapshot.span, help="drill a database or account snapshot line")
    unknown = [p for p in cadence.placeholders(st.scratch.text) if p not in cadence.PLACEHOLDERS]
    if unknown:
        yield Diagnostic("MB432", f"`{{{unknown[0]}}}` is not a placeholder: a scratch name has "
                         "`{date}`, `{time}` or `{ts}`", st.scratch.span)
        return
    scratch = st.scratch.text.lower()
    taken = {s.scope.database.key for s in ctx.scheduled if s.scope.database is not None}
    if (ctx.own, scratch) in ctx.state.names or scratch in SYSTEM_DATABASES or scratch in taken:
        yield Diagnostic("MB432", f"scratch database `{scratch}` is a name this plan uses",
                         st.scratch.span, help="a drill drops its scratch database: give it "
                                               "a name of its own, e.g. `shop_rt_{date}`")
    account = source is not None and source.scope.level is L.ACCOUNT
    for v in st.verifies:
        yield from _drill_verify(v, st, account)


def _drill_verify(v: ast.Verify, st: ast.Drill, account: bool) -> Iterator[Diagnostic]:
    scratch = st.scratch.text.lower()
    names = ("the scratch database" + (" (or `<scratch>_<database>`, one per database of "
                                       "the account)" if account else ""))
    if v.kind is ast.VerifyKind.QUERY:
        query = v.query or ""
        if scratch not in query.lower():
            yield Diagnostic("MB432", f"a drill's verify query that does not name "
                             f"`{st.scratch.text}`: it would read live data, not the clone",
                             v.span, help=f"qualify its tables with {names}: "
                                          f"`{st.scratch.text}.TABLE`")
            return
        sample = render(query, st.scratch.text, scratch_sample(st))
        problem = query_problem(sample)
        if problem is not None:
            yield Diagnostic("MB211", f"a verify query must be exactly one read-only SELECT: "
                             f"{problem.why}", v.span, help=problem.help)
        return
    assert v.database is not None
    db = v.database.text.lower()
    if db != scratch and not (account and db.startswith(scratch + "_")):
        yield Diagnostic("MB432", f"a drill's verify of `{v.database.text}`, not of "
                         f"`{st.scratch.text}`: it would read live data, not the clone",
                         v.database.span, help=f"name {names}: `{st.scratch.text}`")


def render(text: str, template: str, name: str) -> str:
    """`text` with every case-blind occurrence of `template` replaced by `name`."""
    lower, key = text.lower(), template.lower()
    out, at = [], 0
    while (found := lower.find(key, at)) >= 0:
        out += [text[at:found], name]
        at = found + len(key)
    return "".join(out) + text[at:]


@rule("MB432", ast.Verify, engines=(MATRIXONE,))
def template_verify(st: ast.Verify, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.database is not None and "{" in st.database.text:
        yield Diagnostic("MB432", f"a name template (`{st.database.text}`) in a verify outside "
                         "a drill", st.database.span,
                         help="indent the line under its `drill` line; a plan's own verify "
                              "names a database that is there")

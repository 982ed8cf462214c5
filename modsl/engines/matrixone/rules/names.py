"""MatrixOne's name rules, which the plan parser cannot judge alone: what a name may hold and
how long it may be (MB201, MB202: `invalid input` on the server), reserved names (MB206),
system databases (MB207), and names MatrixOne will silently lower-case (MB208). The plan's
`as account` name is judged too (a header, not a statement: `ast.AccountDecl`)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, Scoped, rule
from modsl.checker.names import names_in
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.names import SYSTEM_DATABASES, name_problems
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast

RESERVED_PITR = "sys_mo_catalog_pitr"


def lowercase_warning(name: ast.Name, what: str) -> Iterator[Diagnostic]:
    if name.text != name.key:
        yield Diagnostic("MB208", f"{what} name `{name.text}` is not lower-case; MatrixOne "
                         f"stores it as `{name.key}`", name.span,
                         help=f"write `{name.key}` so the plan says what the server keeps")


@rule("MB201", *ast.STATEMENTS, engines=(MATRIXONE,))
def name_rules(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    """MB201/MB202 and MB208 in one pass over the statement's names. The parser already
    refuses bad names; MB201/MB202 here catch ASTs built in code or imported."""
    for name, what in names_in(st):
        yield from name_problems(name, what=what)
        if name.text != name.key:  # the test first: most names are lower-case already
            yield from lowercase_warning(name, what)


rule("MB202", engines=(MATRIXONE,))(name_rules)
rule("MB208", engines=(MATRIXONE,))(name_rules)


@rule("MB201", ast.AccountDecl, engines=(MATRIXONE,))
def account_name(decl: ast.AccountDecl, ctx: Ctx) -> Iterator[Diagnostic]:
    """The `as account NAME` header's name, as the server reads an account name."""
    yield from name_problems(decl.name, what="account")
    yield from lowercase_warning(decl.name, "account")


@rule("MB206", ast.CreatePitr, ast.AlterPitr, ast.DropPitr, engines=(MATRIXONE,))
def reserved_pitr_name(st: ast.CreatePitr | ast.AlterPitr | ast.DropPitr,
                       ctx: Ctx) -> Iterator[Diagnostic]:
    name = st.name
    if name.key == RESERVED_PITR:
        why = ("the server says `pitr name is reserved`" if isinstance(st, ast.CreatePitr)
               else "the server does not stop this, but the PITR is MatrixOne's own: modsl "
                    "refuses to change or drop it")
        yield Diagnostic("MB206", f"`{RESERVED_PITR}` is reserved for MatrixOne's own PITR",
                         name.span, help=f"choose another name ({why})")


@rule("MB207", *ast.SCOPED, engines=(MATRIXONE,))
def system_database(st: Scoped, ctx: Ctx) -> Iterator[Diagnostic]:
    db = st.scope.database
    if db is not None and db.key in SYSTEM_DATABASES:
        verb = "restore" if isinstance(st, ast.Restore) else "protect"
        says = {ast.CreatePitr: f"can not create pitr for current database {db.key}",
                ast.ExistingPitr: f"can not create pitr for current database {db.key}",
                ast.Restore: f"can't restore db: {db.key}"}.get(
                    type(st), f"can not create snapshot for system database {db.key}")
        if isinstance(st, ast.Restore) and st.source.kind is ast.SourceKind.PITR:
            says = f"database {db.key} can not be restore"
        elif isinstance(st, (ast.CreateSnapshot, ast.ScheduledSnapshot)) and st.scope.table:
            # snapshot.go's table branch: a cluster table (isClusterTable, authenticate.go:
            # mo_catalog's tables that are not its own `mo_…` ones), else its PITR wording
            table = f"{db.key}.{st.scope.table.key}"
            says = (f"can not create snapshot for cluster table {table}"
                    if db.key == "mo_catalog" and not st.scope.table.key.startswith("mo_")
                    else f"can not create pitr for system table {table}")
        yield Diagnostic("MB207", f"`{db.key}` is a system database; you cannot {verb} it "
                         "on its own", db.span,
                         help="system databases are covered by account and cluster snapshots "
                              f"(the server says `{says}`)")


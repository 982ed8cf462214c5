"""MatrixOne's refusals, read twice: for every fires case of the server's rules
(tests/cases/conformance/), each line whose diagnostic quotes what the server says is run on
the stand-in, which must refuse it with that text. Lines the checker refuses only as prudence
(no quote) are not sent; lines it accepts must run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pymysql
import pytest
from conftest import CASES, NOW

import modsl
from modsl import targets
from modsl.language import ast
from modsl.standin import StandIn

FIRES = sorted((CASES / "conformance").glob("*-fires.mobak"))
QUOTE = re.compile(r"the server says `([^`]*)`")
SETTLED = {
    ("snapshot-create-system-database-fires.mobak", 4): (
        "internal error: can not create pitr for system table mysql.user",
        "snapshot.go:467-470 (v4.2.0): a table of a system database that is not a cluster "
        "table is refused with the PITR text; the checker quotes the database-level text"),
}
"""Lines where the checker quotes a text MatrixOne's source does not give: the stand-in must
say the source's (the text, and where the source says it). The checker's text is another
helper's to fix (modsl/rules is outside the stand-in)."""


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn("4.2.0") as server:
        yield server


def run(conn: pymysql.Connection, sql: str) -> None:
    with conn.cursor() as cur:
        cur.execute(sql)


def prepare(server: StandIn, plan: ast.Plan, own: str, wrong: set[int]) -> pymysql.Connection:
    """A fresh cluster with the accounts, databases and tables the plan names, and what its
    `existing` lines declare (those without errors: lines `wrong`), made by the plan's account."""
    server.reset()
    server.world.clock.set(NOW - timedelta(days=30))  # declared objects are old
    root = pymysql.connect(host="127.0.0.1", port=server.port, user="root", autocommit=True)
    clones = [st for st in plan.statements if isinstance(st, ast.Clone)]
    into = {st.to_account.key for st in clones if st.to_account is not None}
    for name in ("acc1", "acc2", own, *sorted(into)):
        if name != "sys" and name not in server.world.accounts:
            run(root, f"create account {name} admin_name 'admin' identified by 'pw'")
    # A clone reads its source in the account its snapshot was taken of: there too.
    for name in ("acc1", "acc2") if clones else ():
        if name != own:
            tenant = pymysql.connect(host="127.0.0.1", port=server.port, user=f"{name}:admin",
                                     password="pw", autocommit=True)
            for st in clones:
                db = st.scope.database.key if st.scope.database else None
                if db is not None and db not in server.world.accounts[name].databases:
                    run(tenant, f"create database `{db}`")
                if db is not None and st.scope.table is not None:
                    run(tenant, f"create table if not exists `{db}`.`{st.scope.table.key}` "
                        "(id int)")
            tenant.close()
    # A table clone creates its table, not its database: the one it goes into must be there.
    for st in clones:
        if st.into.table is not None and st.into.database is not None and st.to_account:
            target = st.to_account.key
            tenant = pymysql.connect(host="127.0.0.1", port=server.port,
                                     user=f"{target}:admin", password="pw", autocommit=True)
            if st.into.database.key not in server.world.accounts[target].databases:
                run(tenant, f"create database `{st.into.database.key}`")
            tenant.close()
    login = "root" if own == "sys" else f"{own}:admin"
    conn = pymysql.connect(host="127.0.0.1", port=server.port, user=login, password="pw",
                           autocommit=True)
    for st in plan.statements:
        scope = getattr(st, "scope", None)
        if isinstance(st, ast.Verify) and st.database is not None:  # what a verify reads
            scope = ast.Scope(ast.Level.TABLE if st.table else ast.Level.DATABASE, None,
                              st.database, st.table)
        if scope is not None and scope.database is not None:
            db = scope.database.key
            if db not in server.world.accounts[own].databases:
                run(conn, f"create database `{db}`")
            if scope.table is not None:
                run(conn, f"create table if not exists `{db}`.`{scope.table.key}` (id int)")
    engine = targets.engine("matrixone")
    for st in plan.statements:
        if isinstance(st, (ast.ExistingSnapshot, ast.ExistingPitr)) and st.span.line not in wrong:
            made = (ast.CreateSnapshot(st.name, st.scope) if isinstance(st, ast.ExistingSnapshot)
                    else ast.CreatePitr(st.name, _own_form(st.scope, own),
                                        st.range or ast.Duration(1, "d")))
            sql = engine.emit(made, targets.default(), own, None)
            assert sql is not None
            run(conn, sql)
    server.world.clock.set(NOW)
    return conn


def _own_form(scope: ast.Scope, own: str) -> ast.Scope:
    """A tenant makes its own account's PITR with a bare `for account` (naming it is sys's)."""
    if own != "sys" and scope.level is ast.Level.ACCOUNT and scope.account is not None \
            and scope.account.key == own:
        return ast.Scope(ast.Level.ACCOUNT)
    return scope


@pytest.mark.parametrize("path", FIRES, ids=[p.name for p in FIRES])
def test_the_server_refuses_with_the_text_the_checker_quotes(standin: StandIn,
                                                             path: Path) -> None:
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    checked = modsl.check(plan, now=NOW)
    own = checked.account
    conn = prepare(standin, plan, own, {d.span.line for d in checked.diagnostics if d.is_error})
    # Warnings that say the server will refuse the line (not yet, over the quota).
    refusals = {d.span.line for d in checked.diagnostics if d.code in ("MB210", "MB503")}
    engine = targets.engine("matrixone")
    quoted = {d.span.line: QUOTE.findall(d.help or "") for d in checked.diagnostics
              if d.is_error}
    sent = 0
    for index, st in enumerate(plan.statements):
        if isinstance(st, (ast.ExistingSnapshot, ast.ExistingPitr)):
            continue
        line = st.span.line
        if line in quoted and not quoted[line]:
            continue  # refused by the checker as prudence only: nothing to compare
        try:
            sql = engine.emit(st, checked.target, own, checked.facts.get(index))
        except ValueError:
            continue  # not emittable without the level the plan left out (MB404)
        assert sql is not None
        if line not in quoted and line in refusals:
            with pytest.raises(pymysql.MySQLError):
                run(conn, sql)
            continue
        if line not in quoted:
            run(conn, sql)  # accepted by the checker: the server runs it
            continue
        with pytest.raises(pymysql.MySQLError) as caught:
            run(conn, sql)
        said = str(caught.value.args[1])
        settled = SETTLED.get((path.name, line))
        if settled is not None:  # the checker quotes a text the source does not give
            assert said == settled[0], (path.name, line, sql, said)
            sent += 1
            continue
        for text in quoted[line]:
            parts = [p.strip() for p in text.split("...") if p.strip()]
            assert all(p in said for p in parts), (path.name, line, sql, text, said)
        sent += 1
    runnable = {st.span.line for st in plan.statements
                if not isinstance(st, (ast.ExistingSnapshot, ast.ExistingPitr))}
    assert sent or not any(quoted.get(line) for line in runnable)


COMPILE = sorted(p for p in (CASES / "compile").glob("*.mobak")
                 if not p.name.startswith("starrocks-"))  # tests/test_starrocks.py runs those


@pytest.mark.parametrize("version", ["3.0.18", "4.0.0", "4.1.0", "4.2.0"])
@pytest.mark.parametrize("path", COMPILE, ids=[p.name for p in COMPILE])
def test_every_emission_row_runs_on_a_server_of_its_version(path: Path, version: str) -> None:
    """The golden compile cases hold every row of the emission table: compiled for each
    target, every statement runs on a stand-in of that version, its declarations made first."""
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    target = f"matrixone-{version.rsplit('.', 1)[0]}"
    checked = modsl.check(plan, target=target, now=NOW)
    errors = {d.code for d in checked.diagnostics if d.is_error}
    if errors:  # a form this target cannot express (its golden .sql file says MB408)
        assert errors == {"MB408"}, errors
        return
    with StandIn(version) as server:
        conn = prepare(server, plan, checked.account, set())
        for statement in modsl.compile(checked).statements:
            run(conn, statement.sql)

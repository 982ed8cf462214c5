"""A plan that lints clean restores exactly what its lines name.

The compiled SQL is read back with our dialect and interpreted the way the server does
(`getFromAccountIdAndToAccountId`, `restoreToAccountUsingCluster` and `doRestorePitr` in
MatrixOne's source), independently of the checker: which account's data lands where. The plan
line says the same, or it must not lint clean. Exhaustive over one declaration and one
restore, and generated over longer plans.
"""

from __future__ import annotations

import itertools

import sqlglot
from conftest import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modsl
import modsl.engines.matrixone.dialect
from modsl.engines.matrixone import expressions as mo
from modsl.language import ast

L = ast.Level
ACCOUNTS = ("sys", "acc1", "acc2")
TS = "2026-11-21 11:00:00"
Key = tuple[str, ...]


def scope_text(level: L, account: str | None = None, db: str = "db1", table: str = "t1") -> str:
    if level is L.CLUSTER:
        return "cluster"
    if level is L.ACCOUNT:
        return "account" if account is None else f"account {account}"
    return f"database {db}" if level is L.DATABASE else f"table {db}.{table}"


SCOPES = [(L.CLUSTER, None), *((L.ACCOUNT, a) for a in (None, *ACCOUNTS)),
          (L.DATABASE, None), (L.TABLE, None)]


def key_of(level: L, account: str | None, own: str) -> Key:
    if level is L.CLUSTER:
        return ()
    if level is L.ACCOUNT:
        return (account or own,)
    return (own, "db1") if level is L.DATABASE else (own, "db1", "t1")


def server_effect(sql: str, own: str, sources: dict[str, Key]) -> tuple[Key, Key | None]:
    """(what is overwritten, whose data is written there) as MatrixOne runs `sql`; the data is
    None where the source is the whole cluster or the object itself."""
    node = sqlglot.parse_one(sql, read="matrixone")
    kind = node.args["kind"]
    account = node.args.get("account")
    account = account.name.lower() if account is not None else None
    if kind == "CLUSTER":
        return (), None
    if kind in ("DATABASE", "TABLE"):
        db = node.args["database"].name
        key = (own, db) if kind == "DATABASE" else (own, db, node.args["table"].name)
        return key, None
    to = node.args.get("to_account")
    if isinstance(node, mo.RestoreSnapshot):
        snap = sources[node.args["snapshot"].name]
        if len(snap) == 0:  # restoreToAccountUsingCluster: reads TO ACCOUNT itself
            return ((to.name if to is not None else account),), (account,)
        if own == "sys" and account == "sys":  # both ends are account 0: TO is never read
            return ("sys",), ("sys",)
        return ((to.name if to is not None else account),), snap[:1]
    pitr = sources[node.args["pitr"].name]
    trailing = node.args.get("source")
    if account is None:  # RESTORE FROM PITR: the own account, from its own PITR
        return (own,), pitr[:1]
    if trailing is not None:
        return (account,), (trailing.name,)
    return (account,), pitr[:1]  # the PITR's account, into `account`


def line_effect(st: ast.Restore, own: str) -> tuple[Key, Key | None]:
    if st.scope.level is not L.ACCOUNT:
        key = {L.CLUSTER: (), L.DATABASE: (own, "db1"), L.TABLE: (own, "db1", "t1")}
        named = st.scope.database.key if st.scope.database else None
        base = key[st.scope.level]
        if named is not None:
            base = (own, named) + ((st.scope.table.key,) if st.scope.table else ())
        return base, None
    source = st.scope.account.key if st.scope.account else own
    target = st.to_account.key if st.to_account else source
    return (target,), (source,)


def check_plan(text: str, own: str) -> bool:
    """Compare every restore of a clean plan with what the server would do; False if the plan
    does not lint clean."""
    plan, _ = modsl.parse(text)
    report = modsl.check(plan, now=NOW)
    if report.has_errors:
        return False
    sources: dict[str, Key] = {}
    for s in plan.statements:
        if isinstance(s, (ast.ExistingSnapshot, ast.ExistingPitr, ast.CreateSnapshot,
                          ast.CreatePitr)):
            sources[s.name.key] = key_of(s.scope.level, s.scope.account and s.scope.account.key,
                                         own)
    compiled = modsl.compile(plan, now=NOW)
    restores = [s for s in plan.statements if isinstance(s, ast.Restore)]
    emitted = [c for c in compiled.statements if c.kind.startswith("restore")]
    assert len(restores) == len(emitted)
    for line, out in zip(restores, emitted, strict=True):
        target, data = server_effect(out.sql, own, sources)
        want_target, want_data = line_effect(line, own)
        assert target == want_target, (text, out.sql)
        if data is not None and want_data is not None:
            assert data == want_data, (text, out.sql)
    return True


def restore_line(kind: str, name: str, scope: tuple[L, str | None], to: str | None) -> str:
    at = f' at "{TS}"' if kind == "pitr" else ""
    to_text = f" to account {to}" if to else ""
    return f"restore {scope_text(*scope)} from {kind} {name}{at}{to_text}"


def test_every_single_restore_means_what_it_says() -> None:
    clean = 0
    for own, kind, decl, scope, to in itertools.product(
            ("sys", "acc1"), ("snapshot", "pitr"), SCOPES, SCOPES, (None, *ACCOUNTS)):
        text = (f"as account {own}\nexisting {kind} src for {scope_text(*decl)}\n"
                + restore_line(kind, "src", scope, to) + "\n")
        clean += check_plan(text, own)
    assert clean >= 60  # not vacuous: a good share of the combinations is valid


declaration = st.tuples(st.sampled_from(["snapshot", "pitr"]), st.sampled_from(SCOPES))
restore = st.tuples(st.sampled_from(["snapshot", "pitr"]), st.integers(0, 3),
                    st.sampled_from(SCOPES), st.none() | st.sampled_from(ACCOUNTS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["sys", "acc1"]), st.lists(declaration, min_size=1, max_size=4),
       st.lists(restore, min_size=1, max_size=4))
def test_generated_plans_mean_what_they_say(own: str, decls: list, restores: list) -> None:  # type: ignore[type-arg]
    """Every restore reads a declared object (an undeclared one is MB403, and its level is a
    promise the live checks keep, not the linter)."""
    lines = [f"as account {own}"]
    declared: dict[str, list[str]] = {"snapshot": [], "pitr": []}
    for i, (kind, scope) in enumerate(decls):
        lines.append(f"existing {kind} {kind[0]}{i} for {scope_text(*scope)}")
        declared[kind].append(f"{kind[0]}{i}")
    for kind, i, scope, to in restores:
        if declared[kind]:
            lines.append(restore_line(kind, declared[kind][i % len(declared[kind])], scope, to))
    check_plan("\n".join(lines) + "\n", own)

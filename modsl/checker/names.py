"""Names in a plan, engine-neutral: every name a statement holds (`names_in`), and the
"did you mean" an unknown one gets. Each engine judges the names by its own server's rules,
in its folder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import assert_never

from modsl.diagnostics.spelling import distance
from modsl.language import ast


def names_in(st: ast.Statement) -> Iterator[tuple[ast.Name, str]]:
    """Every name a statement holds, with what it names."""
    match st:
        case ast.CreateSnapshot() | ast.DropSnapshot() | ast.ExistingSnapshot():
            yield st.name, "snapshot"
        case ast.CreatePitr() | ast.AlterPitr() | ast.DropPitr() | ast.ExistingPitr():
            yield st.name, "pitr"
        case ast.Restore():
            yield st.source.name, st.source.kind.value
            if st.to_account is not None:
                yield st.to_account, "account"
        case ast.Verify():
            if st.database is not None:
                yield st.database, "database"
            if st.table is not None:
                yield st.table, "table"
        case ast.Schedule():
            yield st.name, "schedule"
        case ast.ScheduledSnapshot():
            yield st.schedule, "schedule"  # the template is judged by its expansion (MB214)
        case ast.CreateRepository() | ast.ExistingRepository() | ast.DropRepository():
            yield st.name, "repository"
        case ast.Backup() | ast.RestoreBackup():
            yield st.repository, "repository"
            yield st.snapshot, "snapshot"
            if isinstance(st, ast.Backup):
                yield st.database, "database"
            elif st.into is not None:
                yield st.into, "database"
            for item in st.tables:
                yield item.name, "table"
                yield from ((p, "partition") for p in item.partitions)
                if item.alias is not None:
                    yield item.alias, "table"
        case ast.Clone():
            yield st.source.name, st.source.kind.value
            for n, what in ((st.into.database, "database"), (st.into.table, "table"),
                            (st.to_account, "account")):
                if n is not None:
                    yield n, what
        case ast.Drill():
            yield st.name, "drill"
            yield st.schedule, "schedule"
            yield st.scratch, "database"  # templates are judged by their expansion (MB432)
            for v in st.verifies:
                yield from names_in(v)
        case _:
            assert_never(st)
    scope: ast.Scope | None = getattr(st, "scope", None)
    if scope is not None:
        for n, what in ((scope.account, "account"), (scope.database, "database"),
                        (scope.table, "table")):
            if n is not None:
                yield n, what


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the known names at edit distance 2 or less, nearest first."""
    near = sorted((d, k) for k in known if (d := distance(name, k, 2)) <= 2)
    if not near:
        return ""
    return " (did you mean " + " or ".join(f"`{k}`" for _, k in near[:3]) + "?)"

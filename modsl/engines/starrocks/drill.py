"""Drill mode for a StarRocks plan (`modsl apply PLAN --standin`): a StarRocks stand-in
seeded so the plan can run: the `--seed` SQL first (its databases, tables and rows), then the
repositories the plan declares `existing` and the databases and tables its backups name
that the seed did not make (empty). The plan then runs through the normal `apply`, live
checks and job polling included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.language import ast
from modsl.runtime.drill import Drill, connect, run_seed, run_sql, seed_parts

if TYPE_CHECKING:
    from datetime import datetime

    from modsl.standin import StandIn

LOCATION = "standin://drill"


def drill(plan: ast.Plan, target: targets.TargetVersion, own: str, seed: str | None,
          seed_name: str, now: datetime) -> Drill:
    """`ENGINE.drill()`: StarRocks has no accounts (`own` is unused) and the stand-in's clock
    is real time."""
    server = start(plan, target, seed, seed_name)
    return Drill(server, dsn(server), None)


def start(plan: ast.Plan, target: targets.TargetVersion, seed: str | None,
          seed_name: str) -> StandIn:
    from modsl.sqlimport.split import Chunk
    from modsl.standin import StandIn

    server = StandIn(f"{target.version}.0", engine="starrocks").start()
    try:
        root = connection(server)
        before, after = seed_parts(seed or "", seed_name)
        for part in [*before, *after]:
            if isinstance(part, Chunk):
                run_seed(root, part, seed_name)
        for sql in _made_for(plan):
            run_sql(root, sql)
    except BaseException:
        server.stop()
        raise
    return server


def _made_for(plan: ast.Plan) -> list[str]:
    """What the plan's lines take as there: its `existing` repositories, and what it backs up."""
    from modsl.engines.starrocks.quoting import ident, string

    made = []
    for st in plan.statements:
        if isinstance(st, ast.ExistingRepository):
            made.append(f"CREATE REPOSITORY {ident(st.name.text)} WITH BROKER ON LOCATION "
                        f"{string(LOCATION)}")
        elif isinstance(st, ast.Backup):
            db = ident(st.database.text)
            made.append(f"CREATE DATABASE IF NOT EXISTS {db}")
            made += [f"CREATE TABLE IF NOT EXISTS {db}.{ident(t.name.text)} (id INT)"
                     for t in st.tables]
    return made


def dsn(server: StandIn) -> str:
    return f"mysql://root:drill@127.0.0.1:{server.port}"


def connection(server: StandIn) -> Any:
    return connect(server, "root", "")

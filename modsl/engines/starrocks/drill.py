"""Drill mode for a StarRocks plan (`modsl apply PLAN --standin`): a StarRocks stand-in
seeded so the plan can run: the `--seed` SQL first (its databases, tables and rows), then the
repositories the plan declares `existing` and the databases and tables its backups name
that the seed did not make (empty). The plan then runs through the normal `apply`, live
checks and job polling included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modsl import targets
from modsl.language import ast
from modsl.runtime.drill import SeedError, _connect, _parts, _run

if TYPE_CHECKING:
    from modsl.standin import StandIn

LOCATION = "standin://drill"


def start(plan: ast.Plan, target: targets.TargetVersion, seed: str | None,
          seed_name: str) -> StandIn:
    from modsl.sqlimport.split import Chunk
    from modsl.standin import StandIn

    server = StandIn(f"{target.version}.0", engine="starrocks").start()
    try:
        root = _connect(server, "root")
        before, after = _parts(seed or "", seed_name)
        for part in [*before, *after]:
            if isinstance(part, Chunk):
                try:
                    _run(root, part.text)
                except Exception as exc:
                    message = exc.args[1] if len(exc.args) > 1 else exc
                    raise SeedError(f"{seed_name}:{part.line}: {message}") from None
        for sql in _made_for(plan):
            _run(root, sql)
    except BaseException:
        server.stop()
        raise
    return server


def _made_for(plan: ast.Plan) -> list[str]:
    """What the plan's lines take as there: its `existing` repositories, and what it backs up."""
    from modsl.engines.starrocks import ident, string

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
    return _connect(server, "root")

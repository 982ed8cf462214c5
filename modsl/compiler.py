"""A checked plan → the SQL for its target, each statement pointing back to its plan line.

The compiler refuses a plan with errors: what it emits has passed every rule. The header of
the SQL text carries two hashes: of the plan source (what was reviewed) and of the
statements (so `modsl apply` can tell an edited SQL file from the one compiled).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from modsl import __version__, ast, targets
from modsl.diagnostics import Diagnostic
from modsl.rules import Report, check
from modsl.targets import matrixone


class PlanHasErrors(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"the plan has {sum(d.is_error for d in diagnostics)} error(s)")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class CompiledStatement:
    sql: str
    kind: str
    file: str
    line: int


def statements_sha256(sqls: list[str]) -> str:
    return hashlib.sha256("\n".join(sqls).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Compiled:
    target: str
    account: str
    source_sha256: str
    statements: tuple[CompiledStatement, ...]

    @property
    def statements_sha256(self) -> str:
        return statements_sha256([s.sql for s in self.statements])

    def to_sql(self) -> str:
        lines = [
            f"-- modsl {__version__}",
            f"-- target: {self.target}",
            f"-- account: {self.account}",
            f"-- source-sha256: {self.source_sha256}",
            f"-- statements-sha256: {self.statements_sha256}",
        ]
        for s in self.statements:
            lines += [f"-- {s.file}:{s.line}", f"{s.sql};"]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({
            "modsl": __version__, "target": self.target, "account": self.account,
            "source_sha256": self.source_sha256, "statements_sha256": self.statements_sha256,
            "statements": [asdict(s) for s in self.statements],
        }, indent=2, ensure_ascii=False) + "\n"


def compile_plan(plan: ast.Plan, *, account: str | None = None,
                 target: targets.TargetVersion | None = None,
                 report: Report | None = None) -> Compiled:
    """Check (unless `report` is the plan's check) and emit. Raises PlanHasErrors on any
    error, syntax errors included: a plan missing a bad line never compiles."""
    report = report or check(plan, account=account, target=target)
    errors = [d for d in report.diagnostics if d.is_error]
    if errors:
        raise PlanHasErrors(errors)
    out = []
    for index, st in enumerate(plan.statements):
        sql = matrixone.emit(st, report.target, report.account, report.sources.get(index))
        kind = matrixone.kind(st)
        if sql is not None and kind is not None:
            out.append(CompiledStatement(sql, kind, st.span.file, st.span.line))
    return Compiled(report.target.name, report.account, hashlib.sha256(plan.source).hexdigest(),
                    tuple(out))

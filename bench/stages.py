"""A 5,000-statement compile run up to one stage, to count what each stage costs.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/stages.py STAGE

STAGE is `imports` (the compile command's modules and MatrixOne's rules), `parse`, `check` or
`compile` (emission and `to_sql`); a stage's cost is its count less the previous one's. On a
shared machine wall-clock time swings by ±15%; callgrind's instruction count is exact, and
on this workload it tracks the time ratio of bench/budgets.py (docs/performance.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
STAGES = ("imports", "parse", "check", "compile")


def main(stage: str, statements: int = 5_000) -> None:
    from plans import plan

    import modsl
    import modsl.cli.compile  # the command's own imports
    from modsl.checker import check, load_rules
    from modsl.compiler import compile_plan

    load_rules("matrixone")
    text = plan(statements)
    if stage == "imports":
        return
    parsed, _ = modsl.parse(text.encode(), "bench.mobak")
    if stage == "parse":
        return
    checked = check(parsed)
    if stage == "check":
        return
    compile_plan(checked).to_sql()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in STAGES:
        raise SystemExit(f"usage: stages.py {{{','.join(STAGES)}}}")
    main(sys.argv[1])

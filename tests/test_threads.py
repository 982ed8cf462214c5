"""`modsl.parse` and `modsl.lint` are safe to call from several threads at once: every span
names the file its thread parsed, and every verdict is the one a lone call gives."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

from conftest import NOW, REPO

import modsl

PLAN = ("as account sys\n" + "".join(f"snapshot s{i} for database db{i}\n" for i in range(40))
        + "snapshot Bad for cluster\nrestore database db1 from snapshot s1\n")


def work(thread: int) -> list[str]:
    problems = []
    for round_ in range(25):
        name = f"t{thread}-{round_}.mobak"
        plan, _ = modsl.parse(PLAN, name)
        files = {st.span.file for st in plan.statements}
        if files != {name}:
            problems.append(f"{name}: spans from {sorted(files)}")
        found = modsl.lint(PLAN, name, now=NOW)
        if {d.span.file for d in found} != {name} or [d.code for d in found] != EXPECTED:
            problems.append(f"{name}: {[(d.span.file, d.code) for d in found]}")
    return problems


EXPECTED = [d.code for d in modsl.lint(PLAN, "alone.mobak", now=NOW)]


def test_parse_and_lint_from_eight_threads() -> None:
    assert EXPECTED  # the plan has findings, so a mixed-up verdict would show
    with ThreadPoolExecutor(max_workers=8) as pool:
        problems = [p for result in pool.map(work, range(8)) for p in result]
    assert problems == []
    assert gc.isenabled()  # overlapping GC pauses end with the collector back on


def test_a_one_shot_command_gives_the_collector_back() -> None:
    """`lint` runs with the cyclic collector off (a plan makes no cycles), and leaves it as it
    found it for whoever called `main()` in-process."""
    from modsl.cli import main

    assert gc.isenabled()
    assert main(["lint", str(REPO / "examples/pitr-setup.mobak")]) == 0
    assert gc.isenabled()

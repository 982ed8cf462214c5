"""The MatrixOne server's rules (the specification's §4), row by row: each row of
tests/cases/conformance/rows.tsv has a case that breaks it (its codes fire) and one that keeps
it (none of them fire), both golden.

What only the live server can tell (an account exists, a name is taken outside the plan) is
the last column: the stand-in's business, not the linter's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import CASES, NOW, golden

import modsl

HERE = CASES / "conformance"
with (HERE / "rows.tsv").open(encoding="utf-8", newline="") as f:
    ROWS = list(csv.DictReader(f, delimiter="\t"))


def rendered(path: Path) -> str:
    found = modsl.lint(path.read_bytes(), path.name, now=NOW)
    return "".join(f"{d.span.line}:{d.span.column} {d.code}\n" for d in found)


@pytest.mark.parametrize("row", ROWS, ids=[r["row"] for r in ROWS])
def test_each_row_fires_and_stays_quiet(row: dict[str, str]) -> None:
    codes = set(row["codes"].split(","))
    fires, clean = HERE / f"{row['row']}-fires.mobak", HERE / f"{row['row']}-clean.mobak"
    fired = {line.split()[1] for line in rendered(fires).splitlines()}
    assert codes <= fired, (fires.name, fired)
    assert not codes & {line.split()[1] for line in rendered(clean).splitlines()}, clean.name
    for path in (fires, clean):
        golden(path.with_suffix(".expected"), rendered(path))


def test_every_case_file_is_a_row() -> None:
    named = {f"{r['row']}-{side}.mobak" for r in ROWS for side in ("fires", "clean")}
    assert {p.name for p in HERE.glob("*.mobak")} == named

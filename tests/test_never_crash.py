"""Random and mutated input through every stage yields diagnostics, never an exception."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modsl
from modsl import cli
from modsl.compiler import PlanHasErrors
from modsl.diagnostics import CODES

EXAMPLES = [p.read_text(encoding="utf-8") for p in sorted(
    (Path(__file__).resolve().parents[1] / "examples").glob("*.mobak"))]
FUZZ = settings(max_examples=examples(300), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
ALPHABET = st.sampled_from(list("snapshotrefcluaiy `\"';#.\n\t0123456789dhmoy_$-{}=()ÿ名\\\r"))


def every_stage(source: str | bytes) -> None:
    plan, parsed = modsl.parse(source)
    for d in parsed:
        assert d.code in CODES
    checked = modsl.check(plan, account="sys")
    if not any(d.is_error for d in parsed):
        text = modsl.format(plan)
        assert modsl.parse(text)[0] == plan
    with contextlib.suppress(PlanHasErrors):
        modsl.compile(checked)
    modsl.explain(checked).to_text()


@FUZZ
@given(st.text())
def test_random_text(text: str) -> None:
    every_stage(text)


@FUZZ
@given(st.binary())
def test_random_bytes(data: bytes) -> None:
    every_stage(data)


@FUZZ
@given(st.sampled_from(EXAMPLES), st.lists(st.tuples(st.integers(0, 10_000), ALPHABET,
                                                     st.sampled_from(["ins", "del", "rep"])),
                                           max_size=6))
def test_mutated_examples(example: str, edits: list[tuple[int, str, str]]) -> None:
    text = example
    for at, char, how in edits:
        i = at % (len(text) + 1)
        if how == "ins":
            text = text[:i] + char + text[i:]
        elif how == "del":
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + char + text[i + 1:]
    every_stage(text)


SQL_WORDS = st.sampled_from((
    "create", "drop", "alter", "restore", "show", "snapshot", "snapshots", "pitr", "for", "from",
    "to", "account", "cluster", "database", "table", "range", "if", "not", "exists", "where",
    "recovery_window", "{", "}", "=", ";", ".", "'", '"', "`", "--", "#", "/*", "*/", "1", "-1",
    "'d'", "'h'", "'x'", "s1", "acc1", "db", "t1", "\n", "`a``b`", "'2026-01-01 00:00:00'",
))


@FUZZ
@given(st.lists(SQL_WORDS, max_size=20).map(" ".join) | st.text())
def test_import_random_sql(sql: str) -> None:
    result = modsl.import_sql(sql)
    _, parsed = modsl.parse(result.plan_text)
    assert parsed == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary() | st.sampled_from(EXAMPLES).map(str.encode) | st.text().map(str.encode))
def test_cli_on_random_input(data: bytes) -> None:
    """Every command on random input: diagnostics and exit 0/1, never an internal error."""
    with tempfile.TemporaryDirectory() as folder:
        plan = os.path.join(folder, "p.mobak")
        with open(plan, "wb") as f:
            f.write(data)
        for command in (["lint", plan], ["lint", "--format", "sarif", plan],
                        ["fmt", "--check", plan], ["compile", plan], ["explain", plan],
                        ["import", plan]):
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()) as err:
                code = cli.main(command)
            assert code in (0, 1), (command, err.getvalue())

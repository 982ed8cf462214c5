"""Random and mutated input through every stage yields diagnostics, never an exception."""

from __future__ import annotations

import contextlib
import io
import json
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


# -- huge numbers and deep journals (issue 21, part 5) -------------------------------------------

HUGE = "99999999999999999999999999"
HUGE_PLANS = [
    f'schedule n every day at 01:00 in "UTC"\nsnapshot c_{{date}} for cluster on n keep {k}\n'
    for k in ("99999999999y", f"{HUGE}mo", f"{HUGE}d", f"{HUGE}h", f"last {HUGE}",
              f"{HUGE}y last {HUGE}", "101y", "3000y last 2")
] + [
    f'schedule m every month on {HUGE} at 01:00 in "UTC"\nsnapshot c_{{date}} for cluster on m '
    "keep 1y\n",
    f'schedule m every day at {HUGE}:00 in "UTC"\nsnapshot c_{{date}} for cluster on m keep 1y\n',
    f'schedule m every hour at :{HUGE} in "UTC"\nsnapshot c_{{ts}} for cluster on m keep 1y\n',
    f'schedule m cron "*/{HUGE} * * * *" in "UTC"\nsnapshot c_{{ts}} for cluster on m keep 1y\n',
    f'schedule m cron "{HUGE} {HUGE} {HUGE} {HUGE} {HUGE}"\nsnapshot c_{{ts}} for cluster on m '
    "keep 1y\n",
    f"pitr p for cluster range {HUGE}d\n",
    f"pitr p for cluster range {HUGE}y\nrestore cluster from pitr p at \"2026-11-20 00:00:00\"\n",
    f"alter pitr p range {HUGE}h\n",
    f"existing pitr p for cluster range {HUGE}mo\n",
    'pitr p for cluster range 7d\nrestore cluster from pitr p at "99999-01-01 00:00:00"\n',
]


def test_huge_numbers_are_diagnostics_in_every_stage_and_command() -> None:
    for body in HUGE_PLANS:
        source = "as account sys\n" + body
        every_stage(source)
        with tempfile.TemporaryDirectory() as folder:
            plan = os.path.join(folder, "p.mobak")
            with open(plan, "w", encoding="utf-8") as f:
                f.write(source)
            for command in (["lint", plan], ["compile", plan], ["explain", plan],
                            ["schedule", "list", plan], ["fmt", "--check", plan],
                            ["compile", plan, "--schedule", "n"]):
                with contextlib.redirect_stdout(io.StringIO()), \
                        contextlib.redirect_stderr(io.StringIO()) as err:
                    code = cli.main(command)
                assert "internal error" not in err.getvalue(), (body, command, err.getvalue())
                assert code in (0, 1, 2), (body, command)


def test_keep_past_a_hundred_years_is_mb215() -> None:
    source = ('as account sys\nschedule n every day at 01:00 in "UTC"\n'
              "snapshot c_{date} for cluster on n keep 99999999999y\n")
    assert [d.code for d in modsl.lint(source) if d.is_error] == ["MB215"]


def test_a_deeply_nested_journal_line_is_a_journal_error() -> None:
    from modsl.runtime.executor import Journal, JournalError

    for deep in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "x.jsonl").write_text(f'{{"event": "run"}}\n{deep}\n')
            try:
                Journal.open(Path(folder), "x")
            except JournalError as exc:
                assert ":2: it is not a journal entry (nested too deeply to be one)" in str(exc)
            else:
                raise AssertionError("a nested line passed for a journal entry")


@FUZZ
@given(st.binary(max_size=300) | st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3)).map(
    lambda v: json.dumps(v).encode()))
def test_any_journal_line_reads_or_is_a_journal_error(line: bytes) -> None:
    from modsl.runtime.executor import Journal, JournalError

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "x.jsonl").write_bytes(b'{"event": "run"}\n' + line + b"\n")
        try:
            journal = Journal.open(Path(folder), "x")
        except JournalError:
            return
        _ = journal.done, journal.unknown, journal.sent, journal.plan, journal.rolling_back


# Issue 21: verify queries that crashed lint (RecursionError) or compile (a carriage return).
VERIFY_HEAD = ("as account acc1\nexisting snapshot shop_daily for database shop\n"
               "snapshot shop_before for database shop\n"
               "restore database shop from snapshot shop_daily\n")
VERIFY_CRASHES = [
    *("SELECT " + "(" * n + "1" + ")" * n for n in (45, 200, 5000)),
    "SELECT " + "NOT " * 2000 + "1", "SELECT " + "-" * 3000 + "1", "SELECT " + "- " * 3000 + "1",
    "SELECT COUNT(*)\rFROM shop.orders", "SELECT 1\x0b", "SELECT '\u2028'", "SELECT 1\x85",
    "SELECT " + "ABS(" * 40 + "1" + ")" * 40]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VERIFY_CRASHES) | st.lists(st.sampled_from(
    [*"SELCTOUNFRM ()'`\"\\#-*/;@:=.,\r\t\x00\x01\u2028", "abs", "not ", "sleep"]),
    max_size=80).map(lambda parts: "SELECT " + "".join(parts)))
def test_any_verify_query_lints_and_compiles_without_a_crash(query: str) -> None:
    line = query.replace("\\", "\\\\").replace('"', '\\"')
    plan = f'{VERIFY_HEAD}verify "{line}" >= 0\n'
    every_stage(plan)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "p.mobak")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(plan)
        for command in (["lint", path], ["compile", path, "-o", os.path.join(folder, "p.sql")]):
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()) as err:
                code = cli.main(command)
            assert code in (0, 1), (command, err.getvalue())

"""The Python API is as safe as the CLI: what it compiles has passed every rule, syntax
included, and what it formats keeps every statement."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import NOW

import modsl
from modsl.compiler import PlanHasErrors
from modsl.language import ast
from modsl.time.clock import parse_timestamp, window_start


def test_compile_refuses_a_plan_with_a_syntax_error() -> None:
    plan, parsed = modsl.parse("as account sys\nsnapshot a for cluster\nsnapshot b cluster\n")
    assert [d.code for d in parsed] == ["MB101"] and len(plan.statements) == 1
    with pytest.raises(PlanHasErrors) as caught:
        modsl.compile(plan)
    assert [d.code for d in caught.value.diagnostics] == ["MB101"]


def test_compile_takes_target_strings() -> None:
    plan, _ = modsl.parse("as account sys\nsnapshot s for database d\n"
                          "restore database d from snapshot s\n")
    sql = [s.sql for s in modsl.compile(plan, target="matrixone-3.0").statements]
    assert sql[-1] == "RESTORE ACCOUNT `sys` DATABASE `d` FROM SNAPSHOT `s`"
    assert modsl.compile(plan, target="matrixone").target == "matrixone-4.2"


def test_format_keeps_statements_built_in_code() -> None:
    plan = ast.Plan(ast.TargetDecl("matrixone", "4.2"), ast.AccountDecl(ast.Name("sys")), (
        ast.CreateSnapshot(ast.Name("a"), ast.Scope(ast.Level.CLUSTER)),
        ast.DropSnapshot(ast.Name("a"), if_exists=True)))
    text = modsl.format(plan)
    assert text == ("target matrixone 4.2\nas account sys\n\nsnapshot a for cluster\n"
                    "drop snapshot a if exists\n")
    assert modsl.parse(text)[0] == plan


@pytest.mark.parametrize(("text", "ok"), [
    ("2026-11-20 1:02:03", True), ("2026-11-20 01:02:03.123456789", True),
    ("2026-11-20 01:02:03,5", True), ("2026-11-20T01:02:03", False),
    ("2026-1-20 01:02:03", False), ("2026-11-20 01:02", False), ("2026-02-30 00:00:00", False),
    ("2026-11-20 24:00:00", False), ("2026-11-20 01:02:03.", False),
])
def test_timestamps_are_what_gos_parser_accepts(text: str, ok: bool) -> None:
    diagnostics = modsl.lint(f'as account acc1\nrestore account from pitr p at "{text}"\n',
                             now=NOW)
    assert ("MB205" not in {d.code for d in diagnostics}) is ok


def test_the_window_start_follows_gos_adddate() -> None:
    now = datetime(2026, 3, 31, 10, 0)
    assert window_start(now, 1, "mo") == datetime(2026, 3, 3, 10, 0)  # Feb 31 → Mar 3
    assert window_start(now, 1, "y") == datetime(2025, 3, 31, 10, 0)
    assert window_start(now, 36, "h") == now - timedelta(hours=36)
    assert parse_timestamp("2026-03-31 1:00:00.5") == datetime(2026, 3, 31, 1, 0, 0, 500000)


def test_now_is_read_in_the_servers_zone() -> None:
    """Kiritimati (UTC+14) and Baker Island (UTC-12) never share a date: a timestamp between
    their clocks is in the past for one and in the future for the other."""
    from modsl.time.clock import server_now

    east, west = server_now("Pacific/Kiritimati"), server_now("Etc/GMT+12")
    moment = west + (east - west) / 2
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    plan = ("as account acc1\nexisting pitr p for account\n"
            f'restore account from pitr p at "{text}"\n')
    codes = {z: {d.code for d in modsl.lint(plan, zone=z)} for z in
             ("Pacific/Kiritimati", "Etc/GMT+12")}
    assert "MB210" not in codes["Pacific/Kiritimati"] and "MB210" in codes["Etc/GMT+12"]


def test_did_you_mean_names_the_declared_neighbours() -> None:
    (d, *_) = [d for d in modsl.lint(
        "as account sys\nexisting snapshot acc1_daily for account acc1\n"
        "snapshot safety for account acc1\nrestore account acc1 from snapshot acc1_dialy\n")
        if d.code == "MB403"]
    assert d.message.endswith("(did you mean `acc1_daily`?)")


def test_explain_says_what_is_no_undo_and_what_a_cluster_restore_destroys() -> None:
    plan, _ = modsl.parse("as account sys\nsnapshot c for cluster\n"
                          "snapshot a for account if not exists\n"
                          "existing snapshot d for database db1\n"
                          "restore database db1 from snapshot d\n"
                          "restore cluster from snapshot c\n")
    steps = modsl.explain(plan).steps
    undo = steps[3].undo
    assert undo.startswith("nothing in this plan could undo it")
    assert "only a restore of the whole cluster could use it" in undo
    assert "taken `if not exists`" in undo
    assert "accounts created since are dropped" in steps[4].destroys
    assert "no new snapshot is taken" in steps[1].does

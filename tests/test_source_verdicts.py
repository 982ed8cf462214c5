"""Verdicts read from MatrixOne's source (issue 20) that a lint case's `LINE:COL CODE` cannot
hold: what `explain` says, the words of a help line, how Go reads a timestamp."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import NOW

import modsl
from modsl.checker import check
from modsl.engines.matrixone.rules.existence import near_miss_of
from modsl.explainer import explain_plan
from modsl.time.clock import BadTimestamp, parse_timestamp


@pytest.mark.parametrize("source", ["snapshot c", 'pitr c at "2026-11-21 09:00:00"'])
@pytest.mark.parametrize("version", ["3.0", "4.2"])
def test_a_cluster_restore_is_never_explained_as_going_into_an_account(source: str,
                                                                       version: str) -> None:
    kind = source.split()[0]
    text = (f"target matrixone {version}\nas account sys\nexisting {kind} c for cluster\n"
            f"restore cluster from {source} to account acc2\n")
    plan, _ = modsl.parse(text, "p.mobak")
    checked = check(plan, now=NOW)
    assert "MB109" in {d.code for d in checked.diagnostics if d.is_error}
    does = explain_plan(checked).steps[-1].does
    assert "into account" not in does and "nothing goes into it" in does


def test_mb504_does_not_suggest_a_snapshot_of_a_table_the_plan_does_not_know_is_there() -> None:
    text = ("as account acc1\nrollback on failure\nexisting snapshot s for table db1.t1\n"
            "restore table db1.t1 from snapshot s\n")
    found = [d for d in modsl.lint(text, "p.mobak", now=NOW) if d.code == "MB504"]
    assert found and found[0].help is not None
    assert "for table db1.t1" not in found[0].help
    assert "`snapshot acc1_before_restore for account`" in found[0].help


def test_mb504_suggests_the_table_when_the_plan_snapshotted_it() -> None:
    text = ("as account acc1\nrollback on failure\nexisting snapshot s for table db1.t1\n"
            "pitr p for table db1.t1 range 1d\ndrop pitr p\n"
            "restore table db1.t1 from snapshot s\n")
    found = [d for d in modsl.lint(text, "p.mobak", now=NOW) if d.code == "MB504"]
    assert found and found[0].help is not None and "for table db1.t1`" in found[0].help


def test_the_tenant_quota_is_an_error() -> None:
    lines = [f"snapshot s{i} for database db1" for i in range(51)]
    text = "target matrixone 4.2\nas account acc1\n" + "\n".join(lines) + "\n"
    found = [d for d in modsl.lint(text, "p.mobak", now=NOW) if d.code == "MB503"]
    assert len(found) == 1 and found[0].is_error


# What Go's time.ParseInLocation("2006-01-02 15:04:05", ...) does with each (read from
# src/time/format.go: `skip` takes a run of spaces for the layout's one, `isDigit` is ASCII).
GO_READS = [
    ("2026-12-06 09:34:04", datetime(2026, 12, 6, 9, 34, 4)),
    ("2026-12-06  09:34:04", datetime(2026, 12, 6, 9, 34, 4)),
    ("2026-12-06     9:34:04", datetime(2026, 12, 6, 9, 34, 4)),
    ("2026-12-06 09:34:04,5", datetime(2026, 12, 6, 9, 34, 4, 500000)),
    ("2026-12-06 09:34:04.1234567891", datetime(2026, 12, 6, 9, 34, 4, 123456)),
]
GO_REFUSES = ["\uff12\uff10\uff12\uff16-12-06 09:34:04",  # full-width digits
              "2026-\uff112-06 09:34:04", "2026-12-06 \uff19:34:04",
              "2026-12-06\t09:34:04", "2026-12-0609:34:04", " 2026-12-06 09:34:04",
              "2026-12-06 09:34:04 ", "2026-12-06 009:34:04", "2026-12-06 24:00:00",
              "2026-02-29 00:00:00", "2026-12-06 09:34:04."]


@pytest.mark.parametrize(("text", "moment"), GO_READS)
def test_timestamps_go_reads(text: str, moment: datetime) -> None:
    assert parse_timestamp(text) == moment


@pytest.mark.parametrize("text", GO_REFUSES)
def test_timestamps_go_refuses(text: str) -> None:
    with pytest.raises(BadTimestamp):
        parse_timestamp(text)


def test_year_zero_is_read_and_older_than_any_window() -> None:
    assert parse_timestamp("0000-02-29 00:00:00") == datetime.min


@pytest.mark.parametrize(("name", "other", "near"), [
    ("acc_1", "acc1", True), ("ordres", "orders", True), ("itmes", "items", True),
    ("Acc1xy", "acc1", False), ("acc2", "acc1", False), ("db", "db2", False),
    ("orders", "orders", False), ("abc", "xyz", False),
])
def test_near_miss(name: str, other: str, near: bool) -> None:
    assert near_miss_of(name.lower(), other) is near


@pytest.mark.parametrize(("header", "code"), [("rollback on failure\n", "MB504"), ("", "MB501")])
def test_the_help_says_the_restores_own_pitr_does_not_count(header: str, code: str) -> None:
    """Issue 23: "or keep a PITR that covers it" read as satisfied when the restore's own
    source PITR covers it; it does not count, and the help says so."""
    text = (f"as account acc1\n{header}existing pitr p for account range 2d\n"
            'restore account from pitr p at "2026-11-21 10:00:00"\n')
    (found,) = [d for d in modsl.lint(text, "p.mobak", now=NOW) if d.code == code]
    assert found.help is not None
    assert "PITR `p`, which this restore reads from, does not count" in found.help
    snapshot = (f"as account acc1\n{header}existing snapshot s for account\n"
                "restore account from snapshot s\n")
    (found,) = [d for d in modsl.lint(snapshot, "p.mobak", now=NOW) if d.code == code]
    assert found.help is not None and "does not count" not in found.help

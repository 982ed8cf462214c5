"""`keep 12w`: weeks in a scheduled snapshot's retention, as explain says them and as `modsl run`
prunes by them (the lint and fmt cases are tests/cases/lint/MB215-weeks-*, fmt/weeks)."""

from __future__ import annotations

from datetime import datetime, timedelta

import modsl
from modsl.language import ast
from modsl.runtime import firing
from modsl.runtime.live import LiveObject
from modsl.time.clock import window_start

PLAN = """as account sys
schedule weekly every week on sunday at 01:00 in "UTC"
snapshot acc1_{date} for account acc1 on weekly keep 2w
"""
NOW = datetime(2026, 11, 21, 12, 0, 0)


def test_window_start_counts_weeks() -> None:
    assert window_start(NOW, 2, "w") == NOW - timedelta(days=14)


def test_explain_says_weeks() -> None:
    plan, _ = modsl.parse(PLAN)
    text = modsl.explain(modsl.check(plan)).to_text()
    assert "keeps 2 weeks" in text


def test_retention_drops_what_is_older_than_the_weeks() -> None:
    plan, _ = modsl.parse(PLAN)
    [st] = [s for s in plan.statements if isinstance(s, ast.ScheduledSnapshot)]

    def snap(days: int) -> LiveObject:
        made = NOW - timedelta(days=days)
        return LiveObject("snapshot", f"acc1_{made:%Y%m%d}", "account", "acc1", "", "",
                          created=made)

    objects = [snap(1), snap(13), snap(15), snap(30)]
    dropped = firing.to_drop(st, "sys", objects, NOW, taking=True)
    assert [o.name for o in dropped] == [snap(30).name, snap(15).name]

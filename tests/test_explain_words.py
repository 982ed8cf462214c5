"""`modsl explain` asks the engine for its own words (issue 24): who may run a statement (the
engine's roles or privileges), what a statement only it has does, who a plan runs as. The
engine asked is the one that owns the statement (`Engine.statements`)."""

from __future__ import annotations

import pytest

import modsl
from modsl import targets
from modsl.language import ast


class LoudWords:
    """An engine's words that no shared module could have written."""

    def header(self, account: str) -> str:
        return f"LOUD header for {account}"

    def who(self, st: ast.Statement, own: str) -> str:
        return f"LOUD who for {type(st).__name__}"

    def does(self, st: ast.Statement, own: str) -> tuple[str, list[str]] | None:
        return None

    def destroys(self, st: ast.Restore | ast.RestoreBackup, own: str) -> str | None:
        return "LOUD destroys" if isinstance(st, ast.Restore) else None


def test_explain_takes_who_and_the_header_from_the_engine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets.engine("matrixone"), "words", lambda: LoudWords())
    plan = modsl.parse("as account acc1\nsnapshot s1 for database shop\n"
                       "restore database shop from snapshot s1\n", "p.mobak")[0]
    explained = modsl.explain(plan)
    assert [s.who for s in explained.steps] == ["LOUD who for CreateSnapshot",
                                                "LOUD who for Restore"]
    assert explained.steps[1].destroys == "LOUD destroys"
    assert explained.to_text().startswith("p.mobak: LOUD header for acc1.")


def test_a_statement_is_worded_by_the_engine_that_owns_it() -> None:
    """A MatrixOne plan holding a StarRocks statement (MB408) still gets StarRocks' words for
    it, and MatrixOne's for its own."""
    plan = modsl.parse("as account acc1\nsnapshot s1 for database shop\n"
                       "backup database shop to repo1 as nightly\n", "p.mobak")[0]
    snapshot, backup = modsl.explain(plan).steps
    assert "accountadmin" in snapshot.who
    assert backup.who.startswith("a user with REPOSITORY on SYSTEM and EXPORT")
    assert "asynchronous backup job" in backup.does


def test_restores_another_engine_owns_keep_their_engines_undo_analysis() -> None:
    """A StarRocks plan holding MatrixOne restores is refused (MB408) but still explained and
    checked: their undoers are judged by the levels MatrixOne restores in place (the engine
    the statement is from), not by StarRocks', which restores nothing in place."""
    text = ("target starrocks 3.4\nas account sys\nsnapshot a for account acc1\n"
            "snapshot d for database db1\nrestore table db1.t1 from snapshot a\n"
            "restore database db1 from snapshot d\nrestore table db1.t1 from snapshot d\n")
    plan, _ = modsl.parse(text.encode(), "sr.mobak")
    first = modsl.explain(plan).steps[2]
    assert first.undo == "snapshot `d` (line 4) covers table `db1.t1` of account `sys`."
    codes = {d.code for d in modsl.lint("rollback on failure\n" + text)}
    assert {"MB408", "MB504"} <= codes, codes

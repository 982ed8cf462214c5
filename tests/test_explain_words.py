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

"""A misspelt keyword gets `did you mean`, from the keywords the parser expected there; and a
broken line costs only itself: no `not declared` findings downstream about what it would have
declared (issue 23)."""

from __future__ import annotations

import pytest

import modsl
from modsl.diagnostics.spelling import nearest

# A line, the word the parser stops at, and the keyword it should suggest.
MISSPELT = [
    ("existing snapshto s for account a", "snapshto", "snapshot"),
    ("snapshto s for account a", "snapshto", "snapshot"),
    ("snapshot s for acount a", "acount", "account"),
    ("targt matrixone 4.2", "targt", "target"),
    ("verify databse shop exists", "databse", "database"),
    ("snapshot s for databse shop", "databse", "database"),
    ("restor account a from snapshot s", "restor", "restore"),
    ("snapshot s for account a if not exsts", "exsts", "exists"),
    ("schedul nightly every day at 01:00", "schedul", "schedule"),
    # Read as a name (a StarRocks repository may follow `from`): the error is at `s`, after it.
    ("restore account a from snapshto s", "snapshto", "snapshot"),
    ("restore database d from pitrr p", "pitrr", "pitr"),
]


def lint(text: str) -> list[modsl.Diagnostic]:
    plan, _ = modsl.parse("as account sys\n" + text + "\n", "p.mobak")
    return modsl.check(plan).diagnostics


@pytest.mark.parametrize(("line", "word", "keyword"), MISSPELT, ids=[m[1] for m in MISSPELT])
def test_a_misspelt_keyword_gets_did_you_mean(line: str, word: str, keyword: str) -> None:
    errors = [d for d in lint(line) if d.code == "MB101"]
    assert len(errors) == 1
    assert f"found `{word}`" in errors[0].message or (
        f"after the name `{word}`" in errors[0].message)
    assert errors[0].help == f"did you mean `{keyword}`?"


@pytest.mark.parametrize("line", [
    "snapshot s for account a if not quite",     # nothing near `exists`
    "snapshot s for account a to",               # `to` is a keyword: not a misspelling
    "snapshot s for restor",                     # `restore` may not follow `for`
])
def test_no_suggestion_without_a_near_expected_keyword(line: str) -> None:
    errors = [d for d in lint(line) if d.code == "MB101"]
    assert len(errors) == 1 and "did you mean" not in (errors[0].help or "")


def test_short_keywords_allow_one_edit() -> None:
    assert nearest("ta", ["to"]) == ["to"]
    assert nearest("tabs", ["to", "tables"]) == ["tables"]  # two edits from `tables`, not `to`
    assert nearest("account", ["account"]) == []  # the word itself is no near miss


def codes(text: str) -> list[str]:
    return [d.code for d in lint(text)]


def test_a_broken_declaration_does_not_cascade() -> None:
    plan = "existing snapshto s for account a\nrestore account a from snapshot s"
    assert codes(plan) == ["MB101"]
    # The same plan spelt right: a declared snapshot, and the restore's MB501 (an existing
    # snapshot is no undo) is the plan's own.
    assert codes(plan.replace("snapshto", "snapshot")) == ["MB501"]


def test_a_broken_schedule_does_not_cascade() -> None:
    plan = ('schedul nightly every day at 01:00 in "UTC"\n'
            "snapshot a_{date} for account a on nightly keep 7d")
    assert codes(plan) == ["MB101"]


def test_a_broken_safety_snapshot_does_not_cascade() -> None:
    plan = ("existing snapshot s for account a\nsnapshot a_before for acount a\n"
            "restore account a from snapshot s")
    assert codes(plan) == ["MB101"]


def test_findings_about_other_names_still_show() -> None:
    plan = ("existing snapshto s for account a\nrestore account b from snapshot q\n"
            "restore account a from snapshot s")
    assert codes(plan) == ["MB101", "MB501", "MB403"]
    # and a finding before the broken line is its own
    assert codes("restore account a from snapshot s\nexisting snapshto s for account a") == \
        ["MB501", "MB403", "MB101"]

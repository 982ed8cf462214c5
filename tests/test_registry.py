"""The code registry, the rule docs and the test cases name the same codes."""

from __future__ import annotations

import re

from conftest import CASES, REPO

from modsl.checker import registered_codes
from modsl.diagnostics import CODES, ruledocs


def test_docs_have_one_section_per_code() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^## (MB\d{3})$", text) == sorted(CODES)
    for code, section in ruledocs.sections().items():
        assert "Fails" in section and "Passes" in section, code


def test_every_code_is_tested_where_it_fires() -> None:
    fired = set()
    for expected in [*CASES.glob("lint/*.expected"), *CASES.glob("import/*.expected")]:
        fired |= set(re.findall(r"MB\d{3}", expected.read_text()))
    # Live checks fire against a server: tests/test_live.py runs each on the stand-in.
    for path in (REPO / "tests").glob("test_live*.py"):
        fired |= set(re.findall(r'"(MB6\d\d)"', path.read_text(encoding="utf-8")))
    assert fired == set(CODES)


def test_rules_register_only_known_codes() -> None:
    assert registered_codes() <= set(CODES)
    checker_codes = {c for c in CODES if c[2] in "2345"} - {"MB306", "MB408"}
    parser_codes = {"MB201", "MB202"}
    assert checker_codes - parser_codes <= registered_codes()


def test_rule_examples_are_the_test_cases() -> None:
    """The failing and passing examples in docs/rules.md are the lint cases, verbatim."""
    for code, section in ruledocs.sections().items():
        blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)
        fires = CASES / "lint" / f"{code}-fires.mobak"
        if not fires.exists():  # import-only codes show SQL
            continue
        clean = CASES / "lint" / f"{code}-clean.mobak"
        shown = [fires.read_bytes().decode("utf-8", "backslashreplace"),
                 clean.read_bytes().decode("utf-8", "backslashreplace")]
        assert blocks == shown, f"docs/rules.md's {code} examples differ from tests/cases/lint"

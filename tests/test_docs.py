"""The plans the documentation and the examples show do what they say: they lint clean."""

from __future__ import annotations

import re

import pytest
from conftest import NOW, REPO

import modsl

DOCS = [*sorted((REPO / "docs").glob("*.md")), REPO / "README.md"]
SHOWN = [(doc.name, block) for doc in DOCS
         for block in re.findall(r"```\n(# plans/.*?|# examples/.*?)```",
                                 doc.read_text(encoding="utf-8"), flags=re.S)]
EXAMPLES = sorted((REPO / "examples").glob("*.mobak"))


@pytest.mark.parametrize(("doc", "plan"), SHOWN,
                         ids=[f"{d}:{p.splitlines()[0]}" for d, p in SHOWN])
def test_plans_in_the_docs_lint_clean(doc: str, plan: str) -> None:
    assert modsl.lint(plan, doc, now=NOW) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_lint_clean(path) -> None:  # type: ignore[no-untyped-def]
    assert modsl.lint(path.read_bytes(), path.name, now=NOW) == []


def test_the_docs_show_plans() -> None:
    assert any(doc == "language.md" for doc, _ in SHOWN) and len(EXAMPLES) >= 3


def test_the_readme_lists_every_doc() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((REPO / "docs").glob("*.md"))
               if f"(docs/{p.name})" not in readme]
    assert missing == [], f"README.md's documentation list lacks {missing}"


def test_the_docs_name_no_file_users_do_not_have() -> None:
    """The spec documents modsl was built from are not shipped: users cannot open them."""
    unshipped = re.compile(r"\b(LANGUAGE|MATRIXONE|STARROCKS|ARCHITECTURE|LAYOUT)\.md\b")
    found = [f"{p.name}:{n}" for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
             if p.name != "design.md"  # the design notes cite where facts came from
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if unshipped.search(line)]
    assert found == []

"""MatrixOne's own test statements through `import`: every statement its parser accepted is
accepted, and every one it rejected is rejected with MB101 (v3.0.18 as 3.0, main as 4.2)."""

from __future__ import annotations

import json

import pytest
from conftest import corpus_file

import modsl
from modsl import targets


@pytest.mark.parametrize(("name", "version"), [("matrixone-main.jsonl", "4.2"),
                                               ("matrixone-v3.0.18.jsonl", "3.0")])
def test_corpus_is_classified_as_matrixone_did(name: str, version: str) -> None:
    rows = [json.loads(line) for line in corpus_file(name).read_text().splitlines()]
    target = targets.lookup("matrixone", version)
    wrong = []
    for row in rows:
        result = modsl.import_sql(row["sql"], target=target)
        errors = {d.code for d in result.diagnostics if d.is_error}
        if row["outcome"] == "syntax_error":
            ok = errors == {"MB101"}
        else:
            # Parsed. It may still be refused for what it means (MB306, MB305...), as the
            # server refused many of these rows in the account their test ran as.
            parsed = not errors & {"MB101", "MB102"}
            ok = parsed and bool(result.plan.statements or row["kind"].startswith("show")
                                 or errors)
        if not ok:
            wrong.append((row["sql"], row["outcome"], sorted(errors)))
    assert wrong == [], f"{len(wrong)} of {len(rows)} misclassified, e.g. {wrong[:5]}"
    assert len(rows) > 1000


def test_show_statements_are_reported_not_rejected() -> None:
    result = modsl.import_sql("show snapshots where snapshot_name = 'sp04';\nshow pitr;\n")
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("MB106", 1), ("MB106", 2)]

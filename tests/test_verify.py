"""`verify` lines: compiled to the SELECT they run with their expectation, run by apply after
the steps before them, journaled with what they saw, and a failed one stops the run."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import modsl_command

from modsl.executor import satisfied

NOW = ["--now", "2026-11-20 18:00:00"]
SEED = "CREATE TABLE shop.orders (id INT);\nINSERT INTO shop.orders VALUES (1), (2);\n"
PLAN = """\
as account acc1
existing pitr acc_pitr for account range 2d
snapshot shop_before for database shop
restore database shop from pitr acc_pitr at "2026-11-20 15:00:00"
verify rows shop.orders >= 2
verify table shop.orders exists
verify database shop exists
verify "SELECT COUNT(*) FROM shop.orders WHERE id = 1" = 1
"""


def drill(tmp_path: Path, plan: str, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "plan.mobak").write_text(plan, encoding="utf-8")
    (tmp_path / "seed.sql").write_text(SEED, encoding="utf-8")
    result = subprocess.run([*modsl_command(), "apply", "plan.mobak", "--standin", "--seed",
                             "seed.sql", "--yes", "--journal", "j", *NOW, *extra],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def journal(tmp_path: Path) -> list[dict[str, object]]:
    (path,) = (tmp_path / "j").glob("*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_verifies_pass_and_are_journaled_with_what_they_saw(tmp_path: Path) -> None:
    result = drill(tmp_path, PLAN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFY: its first value must be >= 2" in result.stdout
    seen = [e["response"] for e in journal(tmp_path) if e["event"] == "done" and
            "observed" in e["response"]]  # type: ignore[operator]
    assert [(r["observed"], r["expected"], r["passed"]) for r in seen] == [  # type: ignore[index]
        (2, ">= 2", True), (1, "= 1", True), (1, "= 1", True), (1, "= 1", True)]


def test_a_failed_verify_stops_the_run(tmp_path: Path) -> None:
    plan = PLAN.replace(">= 2", ">= 3") + "snapshot shop_after for database shop\n"
    result = drill(tmp_path, plan)
    assert result.returncode == 1
    assert "statement 3 of 7 failed at plan.mobak:5" in result.stderr
    assert "verify failed: the first value is 2, expected >= 3" in result.stderr
    failed = [e for e in journal(tmp_path) if e["event"] == "failed"]
    assert len(failed) == 1 and failed[0]["response"]["observed"] == 2  # type: ignore[index]
    assert "running 4/" not in result.stdout
    assert "this was a drill" in result.stderr and "--resume" not in result.stderr


def test_a_verify_on_a_missing_table_fails(tmp_path: Path) -> None:
    result = drill(tmp_path, PLAN.replace("verify table shop.orders", "verify table shop.gone"))
    assert result.returncode == 1 and "expected = 1" in result.stderr


def test_an_edited_expectation_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_text(PLAN, encoding="utf-8")
    subprocess.run([*modsl_command(), "compile", "plan.mobak", "-o", "plan.sql", *NOW],
                   cwd=tmp_path, check=True, capture_output=True, timeout=60)
    sql = (tmp_path / "plan.sql").read_text()
    assert "-- verify: >= 2\nSELECT COUNT(*) FROM `shop`.`orders`;" in sql
    (tmp_path / "plan.sql").write_text(sql.replace("-- verify: >= 2", "-- verify: >= 0"))
    result = subprocess.run([*modsl_command(), "apply", "plan.sql", "--dry-run"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "were edited after `modsl compile`" in result.stderr


@pytest.mark.parametrize(("observed", "expect", "ok"), [
    (2, ">= 2", True), (2, "> 2", False), (Decimal("2.0"), "= 2", True), ("3", "< 4", True),
    (None, "= 0", False), ("ok", '= "ok"', True), (b"ok", '= "ok"', True), ("x", "= 1", False),
    (0, "<= 0", True),
])
def test_comparisons(observed: object, expect: str, ok: bool) -> None:
    assert satisfied(observed, expect) is ok

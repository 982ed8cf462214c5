"""`verify` lines: compiled to the SELECT they run with their expectation, run by apply after
the steps before them, journaled with what they saw, and a failed one stops the run."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import modsl_command

import modsl
from modsl.runtime import readonly
from modsl.runtime.executor import satisfied

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
    assert result.returncode == 2 and "edited after `modsl compile`" in result.stderr


@pytest.mark.parametrize(("observed", "expect", "ok"), [
    (2, ">= 2", True), (2, "> 2", False), (Decimal("2.0"), "= 2", True), ("3", "< 4", True),
    (None, "= 0", False), ("ok", '= "ok"', True), (b"ok", '= "ok"', True), ("x", "= 1", False),
    (0, "<= 0", True),
])
def test_comparisons(observed: object, expect: str, ok: bool) -> None:
    assert satisfied(observed, expect) is ok


# -- MB211 (issue 21): what a verify query may hold ------------------------------------------

HEAD = ("as account acc1\nexisting snapshot shop_daily for database shop\n"
        "snapshot shop_before for database shop\nrestore database shop from snapshot shop_daily\n")


def mb211(query: str) -> list[str]:
    """The MB211 messages for a plan whose one verify runs `query` (as the server gets it)."""
    line = query.replace("\\", "\\\\").replace('"', '\\"')
    found = modsl.lint(f'{HEAD}verify "{line}" >= 0\n', "plan.mobak")
    return [d.message for d in found if d.code == "MB211"]


@pytest.mark.parametrize(("query", "named"), [
    ("SELECT shop.purge_orders()", "`shop.purge_orders()` calls a stored function"),
    ("SELECT purge_orders()", "`purge_orders()` is not a built-in"),
    ("SELECT `purge_orders`()", "`purge_orders`(...) calls a function by a quoted name"),
    ("SELECT COUNT(*) FROM shop.orders WHERE id < shop.md5(1)", "`shop.md5()`"),
    ("SELECT MASTER_POS_WAIT('binlog.000001', 4)", "`MASTER_POS_WAIT()`"),
    ("SELECT SOURCE_POS_WAIT('binlog.000001', 4)", "`SOURCE_POS_WAIT()`"),
    ("SELECT WAIT_FOR_EXECUTED_GTID_SET('x:1-5')", "`WAIT_FOR_EXECUTED_GTID_SET()`"),
    ("SELECT MASTER_GTID_WAIT('0-1-100')", "`MASTER_GTID_WAIT()`"),
    ("SELECT 'a\\' INTO OUTFILE '/tmp/x' #'", "it holds a backslash"),
    ('SELECT 1 AS "a\\", SLEEP(3) -- "', "it holds a backslash"),
    ("SELECT COUNT(*) FROM shop.orders WHERE state = \"paid\"", "double-quoted string"),
    ("SELECT @x := COUNT(*) FROM shop.orders", "it uses a variable"),
    ("SELECT " + "(" * 45 + "1" + ")" * 45, "nest deeper than 16"),
    ("SELECT " + "NOT " * 400 + "1", "nests too deeply"),
    ("SELECT COUNT(*)\rFROM shop.orders", "a carriage return"),
])
def test_mb211_refuses_and_names_what(query: str, named: str) -> None:
    (message,) = mb211(query)
    assert named in message, message


def test_mb211_quote_help_says_how_to_quote() -> None:
    found = modsl.lint(f'{HEAD}verify "SELECT COUNT(*) FROM t WHERE a = \\"x\\"" >= 0\n', "p")
    (d,) = [d for d in found if d.code == "MB211"]
    assert "ANSI_QUOTES" in d.message and "single quotes" in (d.help or "")
    assert "''" in (d.help or "")


@pytest.mark.parametrize("query", [
    "SELECT COUNT(*) FROM shop.orders",
    "SELECT BIT_XOR(CRC32(CONCAT_WS('#', id, total))) FROM shop.orders",
    "SELECT MD5(GROUP_CONCAT(id ORDER BY id SEPARATOR ',')) FROM shop.orders",
    "SELECT IFNULL(SUM(total), 0) FROM shop.orders WHERE note <> 'it''s'",
    "SELECT CAST(AVG(total) AS DECIMAL(10, 2)) FROM shop.orders",
    "WITH a AS (SELECT id FROM shop.orders), b (id) AS (SELECT 1) SELECT COUNT(*) FROM a, b",
])
def test_mb211_keeps_ordinary_checks_clean(query: str) -> None:
    assert mb211(query) == []


def test_every_allowed_name_is_one_word_in_upper_case() -> None:
    from modsl.checker.pure import PURE_FUNCTIONS, SYNTAX_BEFORE_PAREN

    assert all(n.isupper() and n.replace("_", "").isalnum() for n in PURE_FUNCTIONS)
    assert not PURE_FUNCTIONS & {"SLEEP", "BENCHMARK", "GET_LOCK", "LOAD_FILE", "MASTER_POS_WAIT",
                                 "SOURCE_POS_WAIT", "MASTER_GTID_WAIT", "SYS_EXEC", "MO_CTL"}
    assert not SYNTAX_BEFORE_PAREN & PURE_FUNCTIONS


def test_compile_refuses_a_verify_with_a_carriage_return_without_a_traceback(
        tmp_path: Path) -> None:
    (tmp_path / "plan.mobak").write_bytes(
        f'{HEAD}verify "SELECT COUNT(*)\rFROM shop.orders" >= 1\n'.encode())
    result = subprocess.run([*modsl_command(), "compile", "plan.mobak", "-o", "plan.sql", *NOW],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "MB211" in result.stdout + result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# -- apply: a verify runs in a read-only transaction (modsl.runtime.readonly) ---------------

class ServerError(Exception):
    """What PyMySQL raises for a server's answer: (code, message)."""


class FakeServer:
    """A connection that records what it is sent and fails the statements it is told to."""

    def __init__(self, fail: dict[str, int] | None = None) -> None:
        self.sent: list[str] = []
        self.fail = fail or {}

    def cursor(self) -> FakeServer:
        return self

    def execute(self, sql: str) -> None:
        self.sent.append(sql)
        if sql in self.fail:
            raise ServerError(self.fail[sql], f"refused {sql}")

    def close(self) -> None:
        pass


def test_a_verify_is_sent_inside_a_read_only_transaction() -> None:
    server = FakeServer()
    readonly.execute_verify(server, server, "SELECT 1")
    assert server.sent == ["START TRANSACTION READ ONLY", "SELECT 1", "ROLLBACK"]


def test_a_failed_verify_ends_its_transaction_unless_the_connection_is_gone() -> None:
    server = FakeServer({"SELECT 1": 1792})
    with pytest.raises(ServerError):
        readonly.execute_verify(server, server, "SELECT 1")
    assert server.sent[-1] == "ROLLBACK"
    lost = FakeServer({"SELECT 1": 2013})
    with pytest.raises(ServerError):
        readonly.execute_verify(lost, lost, "SELECT 1")
    assert lost.sent == ["START TRANSACTION READ ONLY", "SELECT 1"]


def test_a_server_without_read_only_transactions_is_asked_once() -> None:
    """StarRocks answers a parse error: the verify runs as it is (MB211 protects it there)."""
    server = FakeServer({"START TRANSACTION READ ONLY": 1064})
    readonly.execute_verify(server, server, "SELECT 1")
    readonly.execute_verify(server, server, "SELECT 2")
    assert server.sent == ["START TRANSACTION READ ONLY", "SELECT 1", "SELECT 2"]
    other = FakeServer({"START TRANSACTION READ ONLY": 1045})
    with pytest.raises(ServerError):  # any other refusal stops the verify
        readonly.execute_verify(other, other, "SELECT 1")
    assert other.sent == ["START TRANSACTION READ ONLY"]


def test_the_pinned_sql_mode_reads_quotes_as_lint_does() -> None:
    modes = set(readonly.SQL_MODE.split(","))
    assert not modes & {"ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ANSI"}
    server = FakeServer()
    readonly.pin_sql_mode(server)
    assert server.sent == [f"SET SESSION sql_mode = '{readonly.SQL_MODE}'"]


def test_an_inline_ignore_cannot_let_a_writing_verify_through() -> None:
    """Issue 21: `# modsl: ignore[MB211]` silenced MB211 and the plan compiled."""
    import modsl
    from modsl.checker import check
    from modsl.compiler import PlanHasErrors, compile_plan

    text = 'as account sys\nverify "SELECT shop.purge_orders()" = 0 # modsl: ignore[MB211]\n'
    plan, _ = modsl.parse(text, "p.mobak")
    checked = check(plan)
    assert {d.code for d in checked.diagnostics} == {"MB211", "MB001"}
    with pytest.raises(PlanHasErrors):
        compile_plan(checked)


@pytest.mark.parametrize("query", ["SELECT \u017fha1('a')", "SELECT \u0131f(1, 1, 1)",
                                   "SELECT \ufb01eld('a', 'a')", "SELECT MD5\u00a0('a')",
                                   "SELECT COUNT(*)\u2003FROM shop.orders"])
def test_only_ascii_outside_quotes(query: str) -> None:
    """Issue 21 (an attack): `\u017fha1(` passed the allow-list (its upper case is `SHA1`) and a
    no-break space made `MD5 ` a stored function's name to MariaDB; both lint clean."""
    import modsl

    found = modsl.lint(f'as account sys\nverify "{query}" = 1\n', "p.mobak")
    assert [d.code for d in found] == ["MB211"]
    assert "outside quotes" in found[0].message


def test_ascii_outside_quotes_leaves_text_and_names_alone() -> None:
    import modsl

    query = "SELECT COUNT(*) FROM `数据库`.`订单` WHERE city = 'Zürich'"
    assert modsl.lint(f'as account sys\nverify "{query}" >= 0\n', "p.mobak") == []


def test_a_forged_sql_file_cannot_run_a_write_as_a_verify(tmp_path: Path) -> None:
    """Issue 21 (an attack): the .sql hashes detect edits, not forgery; a file forged with
    `DELETE` under `-- verify:` was reviewed as "reads only" and ran. Apply judges every
    verify again before anything connects."""
    import subprocess

    from conftest import modsl_command

    from modsl.compiler import sqlfile

    plan = tmp_path / "plan.mobak"
    plan.write_text('as account sys\nverify "SELECT 1" = 1\n')
    text = subprocess.run([*modsl_command(), "compile", str(plan)], capture_output=True,
                          text=True, check=True).stdout
    compiled = sqlfile.read(text, "plan.sql")
    (verify,) = compiled.statements
    forged = sqlfile.Compiled(compiled.target, compiled.account, compiled.plan_sha256,
                              (sqlfile.CompiledStatement("DELETE FROM shop.orders", "",
                                                         verify.file, verify.line,
                                                         expect=verify.expect),))
    (tmp_path / "forged.sql").write_text(forged.to_sql())
    out = subprocess.run([*modsl_command(), "apply", "forged.sql", "--dry-run"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2 and "must be exactly one read-only SELECT (MB211)" in out.stderr
    assert "reads only" not in out.stdout

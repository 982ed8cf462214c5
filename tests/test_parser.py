"""Unit tests per statement form, header rule and lexical rule of the language."""

from __future__ import annotations

import subprocess
import sys

import pytest

import modsl
from modsl.language import ast

L, K = ast.Level, ast.SourceKind


def one(text: str, account: str = "as account sys\n") -> ast.Statement:
    plan, diagnostics = modsl.parse(account + text)
    assert diagnostics == [], diagnostics
    (stmt,) = plan.statements
    return stmt


def codes(text: str) -> list[str]:
    return [d.code for d in modsl.parse(text)[1]]


N = ast.Name


@pytest.mark.parametrize(("text", "expected"), [
    ("snapshot s for cluster", ast.CreateSnapshot(N("s"), ast.Scope(L.CLUSTER))),
    ("snapshot s for account", ast.CreateSnapshot(N("s"), ast.Scope(L.ACCOUNT))),
    ("snapshot s for account a if not exists",
     ast.CreateSnapshot(N("s"), ast.Scope(L.ACCOUNT, N("a")), True)),
    ("snapshot s for database d", ast.CreateSnapshot(N("s"), ast.Scope(L.DATABASE, None, N("d")))),
    ("snapshot s for table d.t",
     ast.CreateSnapshot(N("s"), ast.Scope(L.TABLE, None, N("d"), N("t")))),
    ("drop snapshot s", ast.DropSnapshot(N("s"))),
    ("drop snapshot s if exists", ast.DropSnapshot(N("s"), True)),
    ("pitr p for cluster range 7d",
     ast.CreatePitr(N("p"), ast.Scope(L.CLUSTER), ast.Duration(7, "d"))),
    ("pitr p for account a range 1mo if not exists",
     ast.CreatePitr(N("p"), ast.Scope(L.ACCOUNT, N("a")), ast.Duration(1, "mo"), True)),
    ("alter pitr p range 14d if exists", ast.AlterPitr(N("p"), ast.Duration(14, "d"), True)),
    ("drop pitr p", ast.DropPitr(N("p"))),
    ("restore cluster from snapshot s",
     ast.Restore(ast.Scope(L.CLUSTER), ast.Source(K.SNAPSHOT, N("s")))),
    ("restore account from snapshot s to account b",
     ast.Restore(ast.Scope(L.ACCOUNT), ast.Source(K.SNAPSHOT, N("s")), N("b"))),
    ('restore table d.t from pitr p at "2026-01-31 23:00:00"',
     ast.Restore(ast.Scope(L.TABLE, None, N("d"), N("t")),
                 ast.Source(K.PITR, N("p"), ast.Timestamp("2026-01-31 23:00:00")))),
    ('restore database d from pitr p at "a\\"b\\\\c"',
     ast.Restore(ast.Scope(L.DATABASE, None, N("d")),
                 ast.Source(K.PITR, N("p"), ast.Timestamp('a"b\\c')))),
    ("restore database d from snapshot s to account b",
     ast.Restore(ast.Scope(L.DATABASE, None, N("d")), ast.Source(K.SNAPSHOT, N("s")), N("b"))),
    ("existing snapshot s for database d",
     ast.ExistingSnapshot(N("s"), ast.Scope(L.DATABASE, None, N("d")))),
    ("existing pitr p for cluster range 30d",
     ast.ExistingPitr(N("p"), ast.Scope(L.CLUSTER), ast.Duration(30, "d"))),
    ("existing pitr p for account", ast.ExistingPitr(N("p"), ast.Scope(L.ACCOUNT))),
])
def test_statement_forms(text: str, expected: ast.Statement) -> None:
    assert one(text) == expected


def test_keywords_are_case_insensitive_and_units_too() -> None:
    assert one("PITR p FOR Cluster RANGE 12H") == ast.CreatePitr(
        N("p"), ast.Scope(L.CLUSTER), ast.Duration(12, "h"))


def test_quoted_keyword_unicode_and_dollar_names() -> None:
    stmt = one("snapshot `table` for table ünï.名前$1")
    assert stmt == ast.CreateSnapshot(N("table"), ast.Scope(L.TABLE, None, N("ünï"), N("名前$1")))


def test_names_keep_case_and_compare_lowercased() -> None:
    stmt = one("snapshot Nightly for cluster")
    assert isinstance(stmt, ast.CreateSnapshot)
    assert stmt.name.text == "Nightly" and stmt.name.key == "nightly"


def test_trailing_comment_is_kept() -> None:
    stmt = one("drop pitr p # gone")
    assert stmt.comment == ast.Comment("# gone")


def test_spans_are_one_based_and_exact() -> None:
    plan, _ = modsl.parse("as account sys\nsnapshot nightly for cluster\n", "f.mobak")
    stmt = plan.statements[0]
    assert isinstance(stmt, ast.CreateSnapshot)
    assert stmt.span == ast.Span("f.mobak", 2, 1, 2, 29)
    assert stmt.scope.span == ast.Span("f.mobak", 2, 22, 2, 29)


def test_bom_is_ignored() -> None:
    plan, diagnostics = modsl.parse("\ufeffas account sys\n".encode())
    assert diagnostics == [] and plan.account == ast.AccountDecl(N("sys"))


def test_header_in_any_order_and_defaults() -> None:
    plan, diagnostics = modsl.parse("as account a\ntarget MatrixOne 4.1\n")
    assert diagnostics == []
    assert plan.target == ast.TargetDecl("matrixone", "4.1")


@pytest.mark.parametrize(("text", "code"), [
    ("as account a\nas account b\n", "MB105"),
    ("as account a\nsnapshot s for cluster\ntarget matrixone\n", "MB105"),
    ("snapshot s for cluster;\n", "MB101"),
    ("snapshot table for cluster\n", "MB101"),
    ("pitr p for cluster range 7 d\n", "MB101"),
    ("snapshot s for table d . \n", "MB101"),
    ('restore cluster from pitr p at "2026\n', "MB102"),
    ("snapshot `s for cluster\n", "MB102"),
])
def test_syntax_errors(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize(("text", "code"), [
    ("snapshot `a'b` for cluster\n", "MB201"),
    ("snapshot s for database `a.b`\n", "MB201"),
    ("snapshot s for account `acc$1`\n", "MB201"),
    ("snapshot " + "x" * 65 + " for cluster\n", "MB202"),
])
def test_bad_names_parse_and_the_checker_refuses_them(text: str, code: str) -> None:
    """A name that breaks MB2xx is no syntax error: the plan parses (so `fmt` can format it)
    and `lint` refuses it."""
    plan, parsed = modsl.parse("as account sys\n" + text)
    assert parsed == [] and len(plan.statements) == 1
    assert code in {d.code for d in modsl.lint("as account sys\n" + text)}


def test_sql_word_order_gets_the_plan_order_as_a_hint() -> None:
    (d,) = modsl.parse("snapshot if not exists s for cluster\n")[1]
    assert d.help == "`if not exists` goes at the end of the line: " \
                     "`snapshot s for cluster if not exists`"
    (d,) = modsl.parse("drop pitr if exists p\n")[1]
    assert d.help == "`if exists` goes at the end of the line: `drop pitr p if exists`"


def test_a_single_quoted_timestamp_gets_the_double_quote_hint() -> None:
    (d,) = modsl.parse("restore cluster from pitr p at '2026-01-31 23:00:00'\n")[1]
    assert d.code == "MB101" and d.help and 'double-quoted: at "2026' in d.help


def test_target_2_0_says_why_and_3_0_18_says_which_target() -> None:
    (d,) = modsl.lint("as account sys\ntarget matrixone 2.0\n")
    assert d.code == "MB103" and "before 2.1" in d.message
    (d,) = modsl.lint("as account sys\ntarget matrixone 3.0.18\n")
    assert "write `matrixone 3.0`" in d.message


@pytest.mark.parametrize("line", ["target matrixone 9.9", "target postgres",
                                  "target matrixone 2.0"])
def test_the_target_line_parses_and_the_checker_judges_it(line: str) -> None:
    """Parsing needs no engine registry: an unknown target is the checker's MB103 (and, like a
    syntax error, holds back MB104: the header is in doubt)."""
    plan, parsed = modsl.parse(line + "\n")
    assert parsed == [] and plan.target is not None
    assert [d.code for d in modsl.lint(line + "\nsnapshot s for cluster\n")] == ["MB103"]


def test_parsing_imports_no_engine() -> None:
    probe = ("import sys, modsl.language.parser as p; p.parse('target matrixone 4.2\\n'); "
             "print(sorted(m for m in sys.modules if m.startswith(('modsl.targets', "
             "'modsl.engines', 'modsl.checker'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_every_bad_line_is_reported_and_good_lines_still_parse() -> None:
    plan, diagnostics = modsl.parse("as account sys\nsnapshot a cluster\nsnapshot b for cluster\n"
                                    "drop snapshot\nsnapshot c for cluster\n")
    assert [d.span.line for d in diagnostics] == [2, 4]
    assert [s.name.key for s in plan.statements] == ["b", "c"]  # type: ignore[union-attr]


def test_syntax_error_message_says_what_was_expected() -> None:
    (d,) = modsl.parse("snapshot nightly cluster\n")[1]
    assert d.message == "expected `for` after the name `nightly`, found `cluster`"
    (d,) = modsl.parse("snapshot s for cluster;\n")[1]
    assert d.help and "newline" in d.help


def test_durations_with_unknown_units_and_big_values_parse() -> None:
    stmt = one("pitr p for cluster range 7w")
    assert isinstance(stmt, ast.CreatePitr) and stmt.range == ast.Duration(7, "w")
    assert [d.code for d in modsl.lint("as account sys\npitr p for cluster range 101d\n")] == [
        "MB203"]


def test_not_utf8_and_nul_point_at_the_first_bad_byte() -> None:
    (d,) = modsl.parse(b"as account sys\nsnapshot caf\xe9 for cluster\n")[1]
    assert (d.code, d.span.line, d.span.column) == ("MB100", 2, 13)
    (d,) = modsl.parse(b"as\x00")[1]
    assert (d.code, d.span.line, d.span.column) == ("MB100", 1, 3)

"""The AST's classes keep the contract the frozen dataclasses gave (value equality and hashing
that ignore layout, immutability, a readable repr, keyword and positional construction,
`__match_args__`, `replace`), their four descriptions of the fields agree, and importing the
module builds nothing at run time (no `dataclasses`)."""

from __future__ import annotations

import inspect
import pickle
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from modsl.language import ast

NODES = [c for c in vars(ast).values()
         if isinstance(c, type) and issubclass(c, ast.Node) and c is not ast.Node]
SPAN = ast.Span("p.mobak", 3, 1, 3, 9)


@pytest.mark.parametrize("cls", NODES, ids=lambda c: c.__name__)
def test_the_fields_are_described_once_in_four_agreeing_places(cls: type[ast.Node]) -> None:
    """Slots, `__match_args__`, annotations and `__init__`'s parameters: same names, same
    order, same types; a field added to one and not the others fails here."""
    hints = typing.get_type_hints(cls, vars(ast) | {"Diagnostic": object})
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    derived = ("key",) if cls is ast.Name else ()  # what a Name keeps of its text
    assert cls.__slots__ == (*cls.__match_args__, *derived)
    assert cls.__match_args__ == tuple(hints) == ast.fields(cls)
    assert [p.name for p in params] == list(cls.__match_args__)
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
    annotations: dict[str, object] = {p.name: p.annotation for p in params}
    written: dict[str, object] = cls.__annotations__
    assert annotations == {f: written[f] for f in ast.fields(cls)}
    assert set(cls._compared) <= set(cls._shown) <= set(cls.__match_args__)
    assert "span" not in cls._compared and not hasattr(cls(*_required(cls)), "__dict__")


def _required(cls: type[ast.Node]) -> list[object]:
    """Placeholder values for the parameters without a default."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return [f"v{i}" for i, p in enumerate(params) if p.default is p.empty]


def test_statements_is_the_union_and_scoped_those_with_a_scope() -> None:
    assert typing.get_args(ast.Statement) == ast.STATEMENTS
    assert len(ast.STATEMENTS) == len(set(ast.STATEMENTS)) == 18
    assert all(issubclass(t, ast.Node) for t in ast.STATEMENTS)
    assert set(ast.SCOPED) == {t for t in ast.STATEMENTS if "scope" in ast.fields(t)}
    assert ast.Verify not in ast.SCOPED and ast.Clone in ast.SCOPED


def test_equality_and_hashing_compare_meaning_not_layout() -> None:
    a, b = ast.Name("orders"), ast.Name("orders", SPAN)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != ast.Name("Orders") and a != ast.Timestamp("orders")  # another class
    assert (a == "orders") is False
    snap = ast.CreateSnapshot(a, ast.Scope(ast.Level.DATABASE, database=a), span=SPAN)
    assert snap == ast.CreateSnapshot(b, ast.Scope(ast.Level.DATABASE, None, b))
    assert snap != ast.CreateSnapshot(a, ast.Scope(ast.Level.DATABASE, database=a), True)
    assert {snap: 1}[ast.CreateSnapshot(b, ast.Scope(ast.Level.DATABASE, database=b))] == 1
    # Layout-only fields beyond the span: the word before `(`, a plan's file and blank lines.
    assert ast.Property("k", env="E", env_word="enviro") == ast.Property("k", env="E")
    plain = ast.Plan(None, None, (snap,))
    laid_out = ast.Plan(None, None, (snap,), blank_lines=(2,), file="x.mobak", raw=b"x")
    assert plain == laid_out and hash(plain) == hash(laid_out)
    assert plain != ast.Plan(None, None, (snap,), rollback=ast.RollbackDecl())


def test_nodes_are_immutable() -> None:
    name = ast.Name("orders")
    with pytest.raises(AttributeError, match="immutable"):
        name.text = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del name.text
    with pytest.raises(AttributeError):
        name.extra = 1
    assert name.text == "orders"


def test_repr_shows_the_compared_fields_and_what_is_written() -> None:
    assert repr(ast.Name("orders", SPAN)) == "Name(text='orders')"
    assert repr(ast.Duration(7, "d")) == "Duration(value=7, unit='d')"
    assert repr(ast.Property("k", env="E")) == (
        "Property(key='k', value=None, env='E', env_word='env')")
    assert repr(ast.Plan(None, None, (), file="x")) == (
        "Plan(target=None, account=None, statements=(), comments=(), rollback=None)")


def test_keyword_and_positional_construction_with_the_defaults() -> None:
    v = ast.Verify(ast.VerifyKind.ROWS, ast.Name("d"), table=ast.Name("t"), expected=3)
    assert (v.op, v.query, v.account, v.comment, v.span) == ("=", None, None, None,
                                                              ast.NO_SPAN)
    b = ast.Backup(ast.Name("d"), ast.Name("r"), ast.Name("s"), schedule=ast.Name("n"))
    assert (b.tables, b.properties, b.keep_for, b.keep_last) == ((), (), None, None)
    with pytest.raises(TypeError):
        ast.RestoreBackup(ast.Scope(ast.Level.DATABASE), ast.Name("r"), ast.Name("s"))  # type: ignore[call-arg]


def test_match_patterns_positional_and_by_keyword() -> None:
    st: object = ast.Restore(ast.Scope(ast.Level.TABLE, None, ast.Name("d"), ast.Name("t")),
                             ast.Source(ast.SourceKind.SNAPSHOT, ast.Name("s")))
    match st:
        case ast.Restore(ast.Scope(level, _, db, table), source=ast.Source(kind=kind)):
            assert (level, db, table, kind) == (ast.Level.TABLE, ast.Name("d"), ast.Name("t"),
                                                ast.SourceKind.SNAPSHOT)
        case _:
            pytest.fail("the pattern did not match")


def test_replace_copies_with_changes_and_refuses_an_unknown_field() -> None:
    v = ast.Verify(ast.VerifyKind.QUERY, query="select 1", span=SPAN)
    w = ast.replace(v, query="select 2")
    assert (w.query, w.span, w.kind, v.query) == ("select 2", SPAN, ast.VerifyKind.QUERY,
                                                  "select 1")
    assert type(w) is ast.Verify and ast.replace(v) == v
    with pytest.raises(TypeError, match="no field quer"):
        ast.replace(v, quer="select 2")


def test_nodes_pickle_and_copy() -> None:
    plan = ast.Plan(None, ast.AccountDecl(ast.Name("sys")), (
        ast.DropPitr(ast.Name("p"), True, ast.Comment("# c"), SPAN),), file="x.mobak")
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and again.file == "x.mobak"
    assert again.statements[0].span == SPAN


def test_importing_the_ast_builds_no_dataclasses() -> None:
    """Frozen dataclasses are built by `exec` at import (~1 ms a class, on every lint); the
    AST's plain classes are not, so importing it does not even load `dataclasses`."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys, modsl.language.ast; "
         "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))"],
        capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_lint_builds_no_dataclasses(tmp_path: Path) -> None:
    """Neither do the diagnostics a lint reports, nor the settings that reclass them."""
    plan = tmp_path / "p.mobak"
    plan.write_text("target matrixone\nas account sys\nsnapshot s for database d\n"
                    "drop snapshot s\n", encoding="utf-8")
    probe = ("import sys\nfrom modsl.cli import main\ntry:\n    main(['lint', '--error', "
             f"'MB5', {str(plan)!r}])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_diagnostics_are_values_too() -> None:
    """What the frozen dataclass gave: equality and hashing by every field (the span too),
    a class of its own for a reclassed warning, immutability, a repr, pickling."""
    from modsl.cli.settings import Reclassed
    from modsl.diagnostics import Diagnostic, Severity

    d = Diagnostic("MB501", "m", SPAN)
    assert d == Diagnostic("MB501", "m", SPAN) and len({d, Diagnostic("MB501", "m", SPAN)}) == 1
    assert d != Diagnostic("MB501", "m", ast.NO_SPAN) and d != Diagnostic("MB501", "m", SPAN, "h")
    forced = Reclassed("MB501", "m", SPAN)
    assert forced != d and (d.severity, forced.severity) == (Severity.WARNING, Severity.ERROR)
    assert repr(d) == f"Diagnostic(code='MB501', message='m', span={SPAN!r}, help=None)"
    with pytest.raises(AttributeError, match="immutable"):
        d.code = "MB502"
    assert pickle.loads(pickle.dumps(forced)) == forced and ast.Span is type(SPAN)

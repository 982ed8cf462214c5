"""Targets are engine-neutral: engines are found, not listed; rules say which engine they
belong to; MB408 reads the target's capabilities; only the MatrixOne modules say its name."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO

import modsl
from modsl import checker, targets
from modsl.checker import load_rules, registry
from modsl.checker.registry import _RULES
from modsl.diagnostics import Diagnostic
from modsl.language import ast
from modsl.runtime.live import Check, LiveObject, ServerInfo

# Everything MatrixOne-only lives in its engine folder; NOT_YET_MOVED is what issue 24's
# move has still to take there (it only shrinks).
MATRIXONE_MODULES = {str(p.relative_to(REPO))
                     for p in (REPO / "modsl/engines/matrixone").rglob("*.py")}
# Engine-neutral modules that only *cite* MatrixOne as one server their mechanism works on
# (user-level locks, sql_mode, @@hostname, built-in functions), or as where a plan's own
# timestamp form comes from (`at "..."`, `--now`: Go's layout, as MatrixOne parses it):
# no MatrixOne-only code.
CITING = {"modsl/runtime/locks.py", "modsl/runtime/readonly.py", "modsl/runtime/run_journal.py",
          "modsl/checker/pure.py", "modsl/time/clock.py"}


def test_only_the_matrixone_modules_name_matrixone() -> None:
    """(The StarRocks modules may say it: MB408 tells a StarRocks plan what is MatrixOne's.)"""
    speaking = {str(p.relative_to(REPO)) for p in (REPO / "modsl").rglob("*.py")
                if re.search("matrixone", p.read_text(encoding="utf-8"), re.I)
                and "starrocks" not in str(p.relative_to(REPO))}
    assert speaking <= MATRIXONE_MODULES | CITING, speaking - MATRIXONE_MODULES - CITING


def test_engines_are_found_and_one_is_the_default() -> None:
    assert list(targets.engines()) == ["matrixone", "starrocks"]
    assert targets.default().name == "matrixone-4.2"
    assert targets.spelled().startswith("matrixone-3.0, matrixone-4.0")


def test_every_rule_says_its_engine() -> None:
    load_rules()
    engines = {r.engines for rules in _RULES.values() for r in rules}
    assert engines == {None, frozenset({"matrixone"}), frozenset({"starrocks"})}
    # MB408 judges every engine's capabilities; schedules (when, how named, how long kept)
    # mean the same whatever the engine.
    # MB211 too: a verify query is read-only whatever the server.
    assert {r.code for rules in _RULES.values() for r in rules if r.engines is None} == {
        "MB211", "MB408", "MB212", "MB213", "MB214", "MB215", "MB410"}


def test_a_rule_lives_where_its_engines_do() -> None:
    """A rule for every engine is shared code (modsl.checker); an engine's rule is in its
    folder, and registers for that engine."""
    load_rules()
    for rules in _RULES.values():
        for r in rules:
            where = r.fn.__module__
            if r.engines is None:
                assert where.startswith("modsl.checker."), (r.code, where)
            else:
                assert {f"modsl.engines.{e}" for e in r.engines} == {
                    ".".join(where.split(".")[:3])}, (r.code, where, r.engines)


# A lint in a fresh interpreter: which engines' rule modules it imported.
RULES_LOADED = """
import sys, modsl
modsl.lint({plan!r})
print(sorted({{m.split(".")[2] for m in sys.modules if m.startswith("modsl.engines.")
               and ".rules" in m}}))
"""


@pytest.mark.parametrize(("plan", "loaded"), [
    ("as account sys\nsnapshot s for cluster\n", "['matrixone']"),
    ("target starrocks 3.5\nrepository r at \"s3://b/p\"\n", "['starrocks']"),
])
def test_a_lint_loads_only_its_engines_rules(plan: str, loaded: str) -> None:
    out = subprocess.run([sys.executable, "-c", RULES_LOADED.format(plan=plan)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == loaded


@dataclass
class ToyEngine:
    """A second engine that keeps snapshots but has no PITRs at all."""

    name: str = "toy"
    default: bool = False
    default_port: int = 1
    accounts: bool = True
    rolls_back: bool = False
    rule_modules: tuple[str, ...] = ()
    # Snapshots and restores from 1.0, PITRs from 2.0 (said once); backups never.
    statements: dict[type, targets.Expressible] = field(default_factory=lambda: {
        ast.CreateSnapshot: targets.Expressible(), ast.Restore: targets.Expressible(),
        **{t: targets.Expressible("pitr", "toy keeps PITRs from 2.0")
           for t in (ast.CreatePitr, ast.AlterPitr, ast.DropPitr)},
        ast.ExistingPitr: targets.Expressible("pitr")})
    refusals: dict[type, str] = field(default_factory=lambda: {
        ast.CreateRepository: "toy keeps its backups beside the data"})
    restores_in_place: dict[ast.Level, tuple[ast.Level, ...]] = field(default_factory=dict)
    capabilities: dict[str, str] = field(default_factory=lambda: {"pitr": "PITRs"})
    versions: tuple[targets.TargetVersion, ...] = (
        targets.TargetVersion("toy", "1.0"),
        targets.TargetVersion("toy", "2.0", frozenset({"pitr"})))

    def resolve(self, version: str) -> targets.TargetVersion:
        raise targets.UnknownTarget(f"unknown toy version {version}")

    def kind(self, st: ast.Statement) -> str | None:
        return type(st).__name__.lower()


    def emit(self, st: ast.Statement, version: targets.TargetVersion, account: str,
             facts: object) -> str | None:
        return f"TOY {type(st).__name__.upper()}"

    def sql_reader(self, version: targets.TargetVersion, account: str) -> object:
        raise NotImplementedError("toy SQL is not imported")

    def job(self, sql: str) -> None:
        return None

    def prepare(self, sql: str, connection: object) -> object:
        from modsl.runtime.executor import Prepared

        return Prepared(sql)

    def login(self, user: str, account: str) -> str:
        return f"{user}@{account}"

    def live_checks(self, connection: object, version: targets.TargetVersion, account: str,
                    plan: ast.Plan | None, done: frozenset[int]) -> Iterator[Check]:
        yield Check("MB601", True, f"a toy server, as {version.name} says")

    def live_server(self, connection: object) -> ServerInfo:
        return ServerInfo("toy 2.0", self.versions[-1], "sys")

    def live_objects(self, connection: object) -> list[LiveObject]:
        return []


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    found = {**targets.engines(), "toy": ToyEngine()}
    monkeypatch.setattr(targets, "engines", lambda: found)


@pytest.mark.usefixtures("toy")
def test_mb408_reads_the_targets_capabilities() -> None:
    plan = "target toy 1.0\nas account sys\nsnapshot s for cluster\npitr p for cluster range 1d\n"
    (d,) = modsl.lint(plan)
    assert (d.code, d.span.line) == ("MB408", 4)
    assert d.message == "toy-1.0 cannot express this statement: toy keeps PITRs from 2.0"
    assert d.help is not None and "toy-2.0" in d.help and "matrixone-4.2" in d.help
    assert modsl.lint(plan.replace("toy 1.0", "toy 2.0")) == []


@pytest.mark.usefixtures("toy")
def test_mb408_is_answered_from_the_engines_declaration() -> None:
    """What the engine owns, what a version needs, its words for the rest, and a plain refusal
    for a statement it never mentions: no engine code runs."""
    plan = ("target toy 1.0\nas account sys\nexisting pitr p for cluster range 1d\n"
            'repository r at "s3://b/p"\nschedule n every day at 01:00 in "UTC"\n')
    assert [d.message for d in modsl.lint(plan) if d.code == "MB408"] == [
        "toy-1.0 cannot express this statement: toy-1.0 lacks `pitr`: PITRs",
        "toy-1.0 cannot express this statement: toy keeps its backups beside the data",
        "toy-1.0 cannot express this statement: toy has no schedule statement"]


@pytest.mark.usefixtures("toy")
def test_a_rule_registers_for_a_group_of_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_RULES", {t: list(rs) for t, rs in _RULES.items()})

    @checker.rule("MB503", ast.CreateSnapshot, engines=("toy", "starrocks"))
    def toy_rule(st: ast.CreateSnapshot, ctx: checker.Ctx) -> Iterator[Diagnostic]:
        yield Diagnostic("MB503", f"judged on {ctx.target.engine}", st.span)

    plan = "as account sys\nsnapshot s for cluster\n"
    assert [d.message for d in modsl.lint("target toy 1.0\n" + plan)] == ["judged on toy"]
    assert modsl.lint("target matrixone 4.2\n" + plan) == []
    with pytest.raises(ValueError, match="non-empty group"):
        checker.rule("MB503", ast.CreateSnapshot, engines="toy")


@pytest.mark.usefixtures("toy")
def test_the_compiler_dispatches_on_the_engine() -> None:
    plan, _ = modsl.parse("target toy 2.0\nas account sys\nsnapshot s for cluster\n")
    compiled = modsl.compile(plan)
    assert [s.sql for s in compiled.statements] == ["TOY CREATESNAPSHOT"]
    assert compiled.target == "toy-2.0"


# A whole engine as a folder: what `modsl lint` needs of it, and nothing else.
TOY_FOLDER = '''
"""A toy engine: snapshots only, and no server (it compiles and explains, never runs)."""

from modsl.language import ast
from modsl.targets import Expressible, TargetVersion, UnknownTarget


class ToyWords:
    def header(self, account):
        return f"as toy user {account}"

    def who(self, st, own):
        return "any toy user"

    def does(self, st, own):
        return None

    def destroys(self, st, own):
        return None


class Toy:
    name = "toy"
    title = "Toy"
    versions = (TargetVersion("toy", "1.0"),)
    default = False
    default_port = 1
    capabilities = {}
    accounts = True
    rolls_back = False
    restores_in_place = {}
    rule_modules = ()
    statements = {ast.CreateSnapshot: Expressible()}
    refusals = {}
    sql_openers = (("TOY", "SNAPSHOT"),)

    def resolve(self, version):
        raise UnknownTarget(f"unknown toy version {version}")

    def kind(self, st):
        return "create_snapshot" if isinstance(st, ast.CreateSnapshot) else None

    def emit(self, st, version, account, facts):
        return f"TOY SNAPSHOT {st.name.text}" if isinstance(st, ast.CreateSnapshot) else None

    def words(self):
        return ToyWords()

    def _no_server(self, *args, **kwargs):
        raise NotImplementedError("the toy engine has no server")

    sql_reader = job = prepare = login = live_checks = live_server = live_objects = _no_server
    live_backups = restore_tests = standin = drill = _no_server


ENGINE = Toy()
'''


def with_toy_folder(tmp_path: Path, folder: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    """A copy of modsl (and its grammar) in `tmp_path` with `folder` as
    `engines/toy/__init__.py` and no other file touched; returns what runs Python on it."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "modsl", tmp_path / "modsl", ignore=ignore)
    shutil.copytree(REPO / "grammar", tmp_path / "grammar", ignore=ignore)
    (tmp_path / "modsl/engines/toy").mkdir()
    (tmp_path / "modsl/engines/toy/__init__.py").write_text(folder, encoding="utf-8")

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    return python


def test_a_new_engine_is_a_new_folder(tmp_path: Path) -> None:
    """A copy of modsl with one folder added, `engines/toy/`, and no other file touched: the
    registry finds it, the command line takes it as a target, and MB408 answers from its
    declaration (a statement it does not own gets the plain refusal)."""
    python = with_toy_folder(tmp_path, TOY_FOLDER)
    plan = tmp_path / "toy.mobak"
    plan.write_text("as account sys\nsnapshot s for cluster\npitr p for cluster range 1d\n",
                    encoding="utf-8")
    run = python("-m", "modsl", "lint", "--format", "json", "--target", "toy-1.0", str(plan))
    found = [(d["code"], d["line"], d["message"]) for d in json.loads(run.stdout)["diagnostics"]]
    assert found == [("MB408", 3, "toy-1.0 cannot express this statement: toy has no create "
                                  "pitr statement")], run.stderr
    plan.write_text("target toy 1.0\nas account sys\nsnapshot s for cluster\n", encoding="utf-8")
    for command, says in (("compile", "TOY SNAPSHOT s;"), ("explain", "any toy user")):
        run = python("-m", "modsl", command, str(plan))
        assert run.returncode == 0 and says in run.stdout, (command, run.stdout, run.stderr)


def test_an_engine_folder_missing_a_hook_is_told_at_discovery(tmp_path: Path) -> None:
    """Named with what it lacks, not an AttributeError in whichever stage asks first."""
    python = with_toy_folder(
        tmp_path, TOY_FOLDER.replace("    def words(self):", "    def unused(self):"))
    run = python("-c", "from modsl import targets; targets.engines()")
    assert "modsl/engines/toy: ENGINE lacks words" in run.stderr, run.stderr

"""StarRocks SQL → plan: what `modsl compile` prints imports back to the same SQL, the docs'
example statements reach a fixpoint after one import, any name or value survives emission
and import unchanged, and a secret in the SQL reaches neither the plan nor the output."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import CASES, NOW, REPO, modsl_command
from hypothesis import given, settings
from hypothesis import strategies as st

import modsl
from modsl import targets
from modsl.engines import starrocks
from modsl.engines.starrocks.reader import StarRocksReader
from modsl.language import ast
from modsl.language.secrets import is_secret

VERSIONS = targets.versions("starrocks")
COMPILE_CASES = sorted((CASES / "compile").glob("starrocks-*.mobak"))
IMPORT_CASES = sorted((CASES / "import").glob("starrocks-*.starrocks-*.sql"))


def sql_of(plan: ast.Plan, version: targets.TargetVersion) -> list[str]:
    """The SQL of every step but verifies (a SELECT is not a plan step to import)."""
    compiled = modsl.compile(plan, target=version, now=NOW)
    return [s.sql for s in compiled.statements if not s.sql.startswith("SELECT")]


@pytest.mark.parametrize("version", VERSIONS, ids=[v.name for v in VERSIONS])
@pytest.mark.parametrize("path", COMPILE_CASES, ids=[p.name for p in COMPILE_CASES])
def test_compiled_sql_imports_back_to_the_same_sql(path: Path,
                                                   version: targets.TargetVersion) -> None:
    plan, _ = modsl.parse(path.read_bytes(), path.name)
    if modsl.check(plan, target=version, now=NOW).has_errors:  # MB408: the golden case says
        return
    emitted = sql_of(plan, version)
    imported = modsl.import_sql(";\n".join(emitted), target=version, now=NOW)
    assert imported.lost == 0, imported.diagnostics
    assert sql_of(imported.plan, version) == emitted


def statements(path: Path) -> list[str]:
    from modsl.sqlimport.split import Chunk, split

    return [p.text for p in split(path.read_text(encoding="utf-8")) if isinstance(p, Chunk)]


EXAMPLES = [(path, n, text) for path in IMPORT_CASES
            for n, text in enumerate(statements(path))]


@pytest.mark.parametrize(("path", "n", "text"), EXAMPLES,
                         ids=[f"{p.name}:{n}" for p, n, _ in EXAMPLES])
def test_each_example_statement_round_trips(path: Path, n: int, text: str) -> None:
    """SQL → plan → SQL → plan: the second import gives the first plan, and its SQL is the
    SQL the first plan compiles to (refused statements stay refused)."""
    spelled = re.search(r"\.(starrocks-[\d.]+)\.sql$", path.name)
    assert spelled is not None
    version = targets.parse_flag(spelled.group(1))
    first = modsl.import_sql(text, target=version, now=NOW)
    if first.lost:
        assert not first.plan.statements
        return
    (step,) = first.plan.statements
    if any(d.is_error for d in first.lint):  # the checker speaks (MB222...): still printable
        sql = starrocks.emit(step, version)
        assert sql is not None
        emitted = [sql]
    else:
        emitted = sql_of(first.plan, version)
    second = modsl.import_sql(";\n".join(emitted), target=version, now=NOW)
    assert second.plan.statements == first.plan.statements
    assert second.plan_text.split("\n", 1)[1].strip() == fmt_steps(first.plan)


def fmt_steps(plan: ast.Plan) -> str:
    return "\n".join(modsl.format(ast.Plan(plan.target, None, plan.statements)).splitlines()[2:])


def test_the_restore_page_forms_import() -> None:
    """The two forms the RESTORE page shows, each on the version that parses it."""
    legacy = ('RESTORE SNAPSHOT example_db1.snapshot_2 FROM example_repo ON (backup_tbl '
              'PARTITION (p1, p2), backup_tbl2 AS new_tbl) PROPERTIES ("backup_timestamp"='
              '"2018-05-04-17-11-01")')
    current = ('RESTORE SNAPSHOT sr_member_backup FROM test_repo DATABASE sr_hub AS sr_hub_new '
               'ON (TABLE sr_member) PROPERTIES ("backup_timestamp" = "2024-12-09-10-25-58-842")')
    v33, v34 = targets.lookup("starrocks", "3.3"), targets.lookup("starrocks", "3.4")
    assert fmt_steps(modsl.import_sql(legacy, target=v33).plan) == (
        'restore database example_db1 from example_repo snapshot snapshot_2 at '
        '"2018-05-04-17-11-01" tables backup_tbl partitions (p1, p2), backup_tbl2 as new_tbl')
    assert sql_of(modsl.import_sql(legacy, target=v33).plan, v33) == [
        'RESTORE SNAPSHOT `example_db1`.`snapshot_2` FROM `example_repo` ON (`backup_tbl` '
        'PARTITION (`p1`, `p2`), `backup_tbl2` AS `new_tbl`) PROPERTIES ("backup_timestamp" = '
        '"2018-05-04-17-11-01")']
    assert fmt_steps(modsl.import_sql(current, target=v34).plan) == (
        'restore database sr_hub from test_repo snapshot sr_member_backup at '
        '"2024-12-09-10-25-58-842" tables sr_member into database sr_hub_new')
    refused = modsl.import_sql(current, target=v33)
    assert refused.lost == 1 and [d.code for d in refused.diagnostics] == ["MB408"]


TEXT = st.text(st.characters(blacklist_characters="`", blacklist_categories=("Cs", "Cc")),
               min_size=1, max_size=20)


@st.composite
def steps(draw: st.DrawFn) -> ast.Statement:
    name = st.builds(ast.Name, TEXT)
    props = st.lists(st.builds(ast.Property, TEXT, TEXT), max_size=2).map(tuple)
    items = st.lists(st.builds(ast.TableItem, name, st.lists(name, max_size=2).map(tuple),
                               st.none() | name), max_size=2).map(tuple)
    broker = draw(st.none() | name)
    return draw(st.one_of(
        st.builds(ast.CreateRepository, name, TEXT, st.booleans(), st.just(broker is not None),
                  st.just(broker), props),
        st.builds(ast.DropRepository, name),
        st.builds(ast.Backup, name, name, name, items, props),
        st.builds(ast.RestoreBackup, name.map(lambda n: ast.Scope(ast.Level.DATABASE,
                                                                  database=n)),
                  name, name, st.builds(ast.Timestamp, TEXT), items, st.none(),
                  props.map(lambda ps: tuple(p for p in ps if p.key != "backup_timestamp"))),
        st.builds(ast.RestoreBackup, st.just(ast.Scope(ast.Level.DATABASE)), name, name,
                  st.builds(ast.Timestamp, TEXT), st.just(()), st.none(),
                  props.map(lambda ps: tuple(p for p in ps if p.key != "backup_timestamp"))),
    ))


@settings(max_examples=300, deadline=None)
@given(steps(), st.sampled_from(VERSIONS))
def test_any_statement_survives_emission_and_import(step: ast.Statement,
                                                    version: targets.TargetVersion) -> None:
    """Whatever its names and values hold (quotes, backslashes, `;`, keywords, non-ASCII),
    a statement printed for StarRocks reads back as itself."""
    if isinstance(step, ast.CreateRepository):
        step = ast.CreateRepository(step.name, step.location, step.read_only, step.broker,
                                    step.broker_name,
                                    tuple(p for p in step.properties
                                          if not is_secret(p.key)))
    if isinstance(step, ast.RestoreBackup) and step.names_no_database \
            and not version.can("database_clause"):
        with pytest.raises(starrocks.UnsafeValue):  # 3.3 has no SQL for it (MB408)
            starrocks.emit(step, version)
        return
    sql = starrocks.emit(step, version)
    assert sql is not None
    found: list[object] = []
    assert StarRocksReader(version).read(sql, ast.NO_SPAN, found.append) == [step]
    assert found == []


SECRET = "wJalrXUtnFEMI-do-not-print"


def test_a_secret_reaches_neither_the_plan_nor_the_output(tmp_path: Path) -> None:
    sql = tmp_path / "repo.sql"
    sql.write_text(
        'CREATE REPOSITORY repo WITH BROKER ON LOCATION "s3://b/p"\n'
        f'PROPERTIES ("aws.s3.access_key" = "AKIA", "aws.s3.secret_key" = "{SECRET}");\n'
        f'CREATE REPOSITORY broken WITH BROKER ON LOCATION "s3://b/q" PROPERTIES '
        f'("aws.s3.secret_key" = "{SECRET}" "x" = "y");\n', encoding="utf-8")
    for fmt in ("mobak", "json"):
        result = subprocess.run([*modsl_command(), "import", "--target", "starrocks-3.4",
                                 "--format", fmt, str(sql)], capture_output=True, text=True)
        assert result.returncode == 1  # the broken statement is not imported
        assert SECRET not in result.stdout + result.stderr
        assert "AKIA" not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    plan = subprocess.run([*modsl_command(), "import", "--target", "starrocks-3.4", str(sql)],
                          capture_output=True, text=True).stdout
    assert ('"aws.s3.secret_key" = env("REPO_AWS_S3_SECRET_KEY")' in plan)
    assert "warning[MB108]" in subprocess.run(
        [*modsl_command(), "import", "--target", "starrocks-3.4", str(sql)],
        capture_output=True, text=True).stderr


def test_starrocks_sql_under_a_matrixone_target_says_which_target_reads_it() -> None:
    result = modsl.import_sql("BACKUP SNAPSHOT db.s TO repo;\nDROP REPOSITORY repo;\n"
                              "RESTORE SNAPSHOT db.s FROM repo;\n"
                              "BACKUP '2026-01-01 00:00:00' FILESYSTEM '/backups';")
    assert [d.code for d in result.diagnostics][:3] == ["MB106", "MB106", "MB106"]
    assert all("--target starrocks" in (d.help or "") for d in result.diagnostics[:3])
    assert {d.message for d in result.diagnostics[:3]} == {
        "StarRocks SQL, not MatrixOne SQL; skipped"}
    assert "--target starrocks" not in (result.diagnostics[3].help or "")  # MatrixOne's own


WORDS = st.sampled_from(["CREATE", "READ", "ONLY", "REPOSITORY", "WITH", "BROKER", "ON",
                         "LOCATION", "PROPERTIES", "BACKUP", "RESTORE", "SNAPSHOT", "DATABASE",
                         "TO", "FROM", "AS", "TABLE", "PARTITION", "TEMPORARY", "ALL", "env",
                         "DROP", "(", ")", ",", "=", ".", "`a`", "'s'", '"k"', "x", "`", "'",
                         "--", "/*", "\n", ";", "\\"])


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=30).map(" ".join) | st.text(max_size=80))
def test_any_text_imports_without_a_traceback(text: str) -> None:
    """Whatever the text, the import answers with a plan and diagnostics, and the plan's
    lint agrees with re-reading the printed plan."""
    result = modsl.import_sql(text, target=targets.lookup("starrocks", "3.4"), now=NOW)
    relinted = modsl.lint(result.plan_text, "<sql>", now=NOW)
    assert sorted(d.code for d in relinted) == sorted(d.code for d in result.lint)


def test_matrixone_sql_under_a_starrocks_target_says_which_target_reads_it() -> None:
    result = modsl.import_sql("create snapshot sp1 for account;\n"
                              "restore account acc1 from snapshot sp1;",
                              target=targets.lookup("starrocks", "3.4"))
    assert [d.code for d in result.diagnostics] == ["MB106", "MB106"]
    assert all("--target matrixone" in (d.help or "") for d in result.diagnostics)
    assert {d.message for d in result.diagnostics} == {"MatrixOne SQL, not StarRocks SQL; skipped"}


def test_no_reader_lists_another_engines_statements() -> None:
    """Whose a statement is comes from each engine's own `sql_openers` (the import driver
    asks every engine), so a new engine's statements are named without editing a reader."""
    for engine in targets.engines().values():
        assert engine.sql_openers
        reader = (REPO / "modsl/engines" / engine.name / "reader.py").read_text(encoding="utf-8")
        for other in targets.engines().values():
            if other is not engine:
                spelled = ['("' + '", "'.join(words) + '")' for words in other.sql_openers]
                assert not [s for s in spelled if s in reader], engine.name


def test_a_quote_that_never_closes_is_read_in_linear_time() -> None:
    """(A nested quantifier once made this exponential: the test would never finish.)"""
    from modsl.engines.starrocks.tokens import tokens

    for quote in "'\"`":
        text = f"BACKUP SNAPSHOT d.s TO r PROPERTIES ({quote}" + "a" * 5000
        *_, last = tokens(text)
        assert last.kind == "other" and last.text.startswith(quote)


V34 = [v for v in VERSIONS if v.can("database_clause")]


@pytest.mark.parametrize("version", V34, ids=[v.name for v in V34])
def test_a_restore_naming_no_database_imports_as_restore_backup(
        version: targets.TargetVersion) -> None:
    """`RESTORE SNAPSHOT label FROM repo` (no database: 3.4+ restores the one the backup
    holds) was MB107; it is `restore backup from repo snapshot label`, which 3.4+ is sent as
    written, so the import keeps what it means."""
    sql = ('RESTORE SNAPSHOT `nightly` FROM `repo` PROPERTIES ("backup_timestamp" = '
           '"2024-12-09-10-52-10-940", "timeout" = "3600")')
    imported = modsl.import_sql(f"{sql};", target=version, now=NOW)
    assert imported.lost == 0 and imported.diagnostics == [], imported.diagnostics
    (restore,) = imported.plan.statements
    assert isinstance(restore, ast.RestoreBackup) and restore.names_no_database
    assert fmt_steps(imported.plan) == ('restore backup from repo snapshot nightly at '
                                        '"2024-12-09-10-52-10-940" properties ("timeout" = '
                                        '"3600")')
    assert [s.sql for s in modsl.compile(imported.plan, target=version).statements] == [sql]


def test_before_34_a_restore_naming_no_database_is_told_the_form_33_imports() -> None:
    """3.3 gives a restore that names no database none at all (`Unknown database 'null'` at
    submission: it never ran), so the bare form is not `restore backup` there: MB110, whose
    help names a form 3.3 imports."""
    v33 = targets.lookup("starrocks", "3.3")
    stamp = 'PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940")'
    refused = modsl.import_sql(f"RESTORE SNAPSHOT nightly FROM repo {stamp}", target=v33,
                               now=NOW)
    (found,) = refused.diagnostics
    assert found.code == "MB110" and found.help is not None
    suggested = re.search(r"`(RESTORE SNAPSHOT [^`]*) \.\.\.`", found.help)
    assert suggested is not None, found.help
    imported = modsl.import_sql(f"{suggested.group(1).replace('db.', 'sales.')} {stamp}",
                                target=v33, now=NOW)
    assert imported.lost == 0 and imported.diagnostics == [], imported.diagnostics
    (restore,) = imported.plan.statements
    assert isinstance(restore, ast.RestoreBackup) and restore.scope.database is not None
    assert restore.scope.database.text == "sales"

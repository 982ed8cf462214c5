"""The installed `modsl` command, run as users run it: output and exit codes."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import CASES, NOW_FLAG, REPO, modsl_command

EXAMPLES = REPO / "examples"


def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run([*modsl_command(), *args], input=data, capture_output=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1", **(env or {})},
                          timeout=60, check=False)
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(),
                                      proc.stderr.decode())
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("modsl ")


@pytest.mark.parametrize("argv", [["--help", "lint"], ["-h", "compile"], ["--", "compile"],
                                  ["-", "lint"], ["lnt"], []])
def test_a_command_line_the_top_level_parser_reads_lists_every_command(argv: list[str]) -> None:
    """Only a command line that starts with its command is read by that command's parser
    alone; `modsl --help lint`, `modsl -- compile` and a typo still list every command."""
    from modsl.cli import COMMANDS

    out = run(*argv)
    said = out.stdout + out.stderr
    assert out.returncode == (0 if argv[:1] in (["--help"], ["-h"]) else 2), said
    listed = said if argv[:1] in (["--help"], ["-h"]) else said.split("choose from", 1)[-1]
    if argv:
        assert all(name in listed for name in COMMANDS), said


def test_lint_examples_clean() -> None:
    # The clock pinned as the examples' own comments run them: a drill's PITR moment is a
    # date, judged against now (docs/ci.md, "Time, and verdicts that change overnight").
    out = run("lint", "--strict", str(EXAMPLES), *NOW_FLAG)
    assert (out.returncode, out.stdout) == (0, "")


def test_lint_text_shape_and_exit_1(tmp_path: Path) -> None:
    plan = tmp_path / "drill.mobak"
    plan.write_text("as account acc1\nsnapshot nightly for cluster\n")
    out = run("lint", str(plan))
    assert out.returncode == 1
    assert out.stdout.startswith(
        f"{plan}:2:22: error[MB301]: only the sys account can snapshot the cluster\n"
        "  |\n2 | snapshot nightly for cluster\n  |                      ^^^^^^^\n"
        "  = help: run the plan `as account sys`")


def test_lint_stdin_and_json() -> None:
    out = run("lint", "--format", "json", "-", stdin="as account sys\nsnapshot Bad for cluster\n")
    assert out.returncode == 0  # a warning only
    doc = json.loads(out.stdout)
    assert doc["version"] == 1
    assert doc["diagnostics"] == [{"file": "<stdin>", "line": 2, "column": 10, "end_line": 2,
                                   "end_column": 13, "severity": "warning", "code": "MB208",
                                   "message": doc["diagnostics"][0]["message"],
                                   "help": doc["diagnostics"][0]["help"]}]


def test_strict_select_ignore() -> None:
    plan = "as account sys\nsnapshot Bad for cluster\n"
    assert run("lint", "--strict", "-", stdin=plan).returncode == 1
    assert run("lint", "--strict", "--ignore", "MB2", "-", stdin=plan).returncode == 0
    assert run("lint", "--strict", "--select", "MB3", "-", stdin=plan).returncode == 0
    assert run("lint", "--select", "XX1", "-", stdin=plan).returncode == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("lint", str(tmp_path / "missing.mobak")).returncode == 2
    assert run("lint", "--target", "matrixone-9", "-", stdin="").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("rules", "MB999").returncode == 2


def test_sarif_field_by_field() -> None:
    out = run("lint", "--format", "sarif", "-", stdin="as account acc1\npitr p for account acc1 "
              "range 7d\n")
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "modsl" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert "MB303" in ids and all(r["helpUri"].endswith("#" + r["id"].lower())
                                  for r in driver["rules"])
    (result,) = run_["results"]
    assert result["ruleId"] == "MB303" and ids[result["ruleIndex"]] == "MB303"
    assert result["level"] == "error"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "<stdin>"
    assert loc["region"] == {"startLine": 2, "startColumn": 20, "endLine": 2, "endColumn": 24}


def test_github_annotations() -> None:
    out = run("lint", "--format", "github", "-", stdin="as account acc1\nsnapshot s for cluster\n"
              "snapshot T for account\n")
    lines = out.stdout.splitlines()
    assert lines[0] == ("::error file=<stdin>,line=2,col=16,endLine=2,endColumn=23,title=MB301::"
                        "only the sys account can snapshot the cluster (help: run the plan `as "
                        "account sys`%2C or snapshot your own account with `for account` (the "
                        "server says `only sys tenant can create cluster level snapshot`))"
                        .replace("%2C", ","))
    assert lines[1].startswith("::warning file=<stdin>,line=3,col=10,")


def test_fmt_check_diff_and_rewrite(tmp_path: Path) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("AS ACCOUNT sys\nSNAPSHOT  s  FOR cluster\n")
    out = run("fmt", "--check", str(plan))
    assert out.returncode == 1 and f"would reformat {plan}" in out.stdout
    out = run("fmt", "--diff", str(plan))
    assert out.returncode == 0 and "+snapshot s for cluster" in out.stdout
    assert run("fmt", str(plan)).returncode == 0
    assert plan.read_text() == "as account sys\n\nsnapshot s for cluster\n"
    assert run("fmt", "--check", str(plan)).returncode == 0


def test_fmt_refuses_broken_files(tmp_path: Path) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("as account sys\nsnapshot s cluster\n")
    out = run("fmt", str(plan))
    assert out.returncode == 1 and "MB101" in out.stderr
    assert plan.read_text() == "as account sys\nsnapshot s cluster\n"


def test_fmt_stdin_to_stdout() -> None:
    out = run("fmt", "-", stdin="as account sys\nsnapshot   s for cluster\n")
    assert (out.returncode, out.stdout) == (0, "as account sys\n\nsnapshot s for cluster\n")


def test_compile_sql_json_and_overrides(tmp_path: Path) -> None:
    plan = CASES / "compile" / "tenant.mobak"
    out = run("compile", str(plan), "--target", "matrixone-3.0", *NOW_FLAG)
    assert out.returncode == 0
    assert "-- target: matrixone-3.0\n-- account: acc1\n" in out.stdout
    assert "RESTORE ACCOUNT `acc1` DATABASE `db1` FROM SNAPSHOT `s`;" in out.stdout
    out = run("compile", str(plan), "--format", "json", "--as", "acc2", *NOW_FLAG)
    doc = json.loads(out.stdout)
    assert doc["account"] == "acc2" and doc["target"] == "matrixone-4.2"
    assert doc["statements"][0] == {"sql": "CREATE SNAPSHOT `s` FOR ACCOUNT",
                                    "kind": "create_snapshot", "file": str(plan), "line": 4,
                                    "destroys": None, "expect": None, "rollback": None,
                                    "account": None}
    target = tmp_path / "out.sql"
    assert run("compile", str(plan), "-o", str(target), *NOW_FLAG).returncode == 0
    assert target.read_text().startswith("-- modsl ")


def test_compile_refuses_errors_and_warns_on_stderr() -> None:
    out = run("compile", "-", stdin="as account acc1\nsnapshot s for cluster\n")
    assert (out.returncode, out.stdout) == (1, "")
    assert "MB301" in out.stderr
    out = run("compile", "-", stdin="as account sys\nsnapshot S for cluster\n")
    assert out.returncode == 0 and "MB208" in out.stderr and "CREATE SNAPSHOT `s`" in out.stdout


def test_explain_says_what_is_destroyed() -> None:
    out = run("explain", str(EXAMPLES / "restore-drill.mobak"))
    assert out.returncode == 0
    assert "not atomic" in out.stdout
    assert "DESTROYS: first drops every non-system database of account `acc1`" in out.stdout
    assert "Undo: snapshot `acc1_before_drill`" in out.stdout


def test_rules_list_and_doc() -> None:
    out = run("rules")
    assert "MB303  error" in out.stdout
    out = run("rules", "mb303", "--format", "markdown")
    assert out.stdout.startswith("## MB303")


def test_import_cli(tmp_path: Path) -> None:
    sql = tmp_path / "x.sql"
    sql.write_text("create snapshot s for cluster;\nrestore cluster from snapshot s;\n")
    out = run("import", str(sql))
    assert out.returncode == 1 and "MB408" in out.stderr
    assert "snapshot s for cluster" in out.stdout
    out = run("import", str(sql), "--target", "matrixone-3.0", "--format", "json")
    doc = json.loads(out.stdout)
    # Imported, then linted: the restore's only cover is its own source.
    assert [d["code"] for d in doc["diagnostics"]] == ["MB501"] and doc["lost"] == 0
    assert "restore cluster from snapshot s" in doc["plan"]


def test_pyproject_settings_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.modsl]\nas = "acc1"\ntarget = "matrixone-3.0"\nignore = ["MB208"]\n')
    plan = tmp_path / "p.mobak"
    plan.write_text("snapshot S for cluster\n")
    assert "MB301" in run("lint", str(plan), cwd=tmp_path).stdout  # as acc1, from settings
    assert run("lint", "--as", "sys", str(plan), cwd=tmp_path).returncode == 0  # flag wins
    plan.write_text("as account sys\nsnapshot S for cluster\n")  # header beats settings
    assert run("lint", "--strict", str(plan), cwd=tmp_path).returncode == 0  # MB208 ignored
    out = run("compile", str(plan), cwd=tmp_path)
    assert "matrixone-3.0" in out.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.modsl]\ntarget = "oracle"\n')
    assert run("lint", str(plan), cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"", b"snapshot", "名前 \x07".encode()])
def test_garbage_never_tracebacks(data: bytes) -> None:
    for command in ("lint", "fmt", "compile", "explain"):
        assert run(command, "-", stdin=data).returncode in (0, 1)
    assert run("import", "-", stdin=data).returncode in (0, 1)


def test_internal_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.modsl\n")
    out = run("lint", "-", stdin="", cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def test_pre_commit_hook_entries() -> None:
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "id: modsl-lint" in hooks and "id: modsl-fmt" in hooks
    assert "files: '\\.mobak$'" in hooks
    entries = [line.split("entry:", 1)[1].strip() for line in hooks.splitlines()
               if "entry:" in line]
    for entry in entries:
        program, *args = entry.split()
        assert program == "modsl"
        # lint's clock pinned as the examples' own comments run them (a drill's PITR moment)
        extra = ["--check"] if args == ["fmt"] else NOW_FLAG
        out = run(*args, *extra, *[str(p) for p in sorted(EXAMPLES.glob("*.mobak"))])
        assert out.returncode == 0, (entry, out.stdout, out.stderr)


def test_parser_cache_is_written_and_survives_corruption(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache_home)}
    assert run("lint", str(EXAMPLES), *NOW_FLAG, env=env).returncode == 0
    (cache,) = (cache_home / "modsl").glob("mobak-*.marshal")
    size = cache.stat().st_size
    for damage in (b"\x00garbage, not marshal", marshal.dumps((1, 2, 3, 4, 5, 6)),
                   cache.read_bytes()[: size // 2]):
        cache.write_bytes(damage)
        assert run("lint", str(EXAMPLES), *NOW_FLAG, env=env).returncode == 0
        assert cache.stat().st_size == size  # rebuilt and written again


def test_unusable_cache_location_is_ignored(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    out = run("lint", str(EXAMPLES), *NOW_FLAG, env={"XDG_CACHE_HOME": str(not_a_dir)})
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_explain_json() -> None:
    out = run("explain", "--format", "json", str(EXAMPLES / "pitr-setup.mobak"))
    doc = json.loads(out.stdout)
    assert doc["atomic"] is False and doc["account"] == "sys"
    first = doc["steps"][0]
    assert first["statement"] == "pitr cluster_window for cluster range 7d if not exists"
    assert "keeping 7 days of history" in first["does"]
    assert first["who"].startswith("only the sys account")
    assert first["destroys"] is None and first["line"] == 5


def test_lint_of_sql_suggests_import_and_an_empty_folder_says_so(tmp_path: Path) -> None:
    sql = tmp_path / "legacy.sql"
    sql.write_text("create snapshot s for cluster;\n")
    out = run("lint", str(sql))
    assert out.returncode == 2 and f"modsl import {sql}" in out.stderr
    empty = tmp_path / "plans"
    empty.mkdir()
    out = run("lint", str(empty))
    assert out.returncode == 0 and "no plans (*.mobak) in" in out.stderr


def test_now_pins_the_clock_and_server_timezone_is_checked(tmp_path: Path) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("as account acc1\nexisting pitr w for account range 1d\n"
                    "snapshot b for account\n"
                    'restore account from pitr w at "2026-11-21 09:00:00"\n')
    assert run("lint", str(plan), "--now", "2026-11-21 12:00:00").returncode == 0
    late = run("lint", str(plan), "--now", "2026-11-23 12:00:00")
    assert late.returncode == 1 and "MB209" in late.stdout
    early = run("lint", str(plan), "--now", "2026-11-21 08:00:00")
    assert early.returncode == 0 and "MB210" in early.stdout
    bad = run("lint", str(plan), "--now", "tomorrow")
    assert bad.returncode == 2 and "--now" in bad.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.modsl]\nserver-timezone = "Mars/Olympus"\n')
    out = run("lint", str(plan), cwd=tmp_path)
    assert out.returncode == 2 and "unknown time zone `Mars/Olympus`" in out.stderr


def test_fmt_formats_a_plan_whose_names_break_rules(tmp_path: Path) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("as account sys\nSNAPSHOT `a b`   for cluster\n")
    assert run("lint", str(plan)).returncode == 1
    out = run("fmt", str(plan))
    assert out.returncode == 0
    assert plan.read_text() == "as account sys\n\nsnapshot `a b` for cluster\n"
    assert run("explain", str(plan)).returncode == 1  # an unprintable name is not explained


def test_import_keeps_comments_and_refused_statements_and_exits_1(tmp_path: Path) -> None:
    sql = tmp_path / "x.sql"
    sql.write_text("-- nightly\ncreate snapshot s for account;\n"
                   "restore database acc9.db{snapshot='s'};\n")
    out = run("import", str(sql))
    assert out.returncode == 1 and "MB306" in out.stderr and "1 statement(s) not imported" \
        in out.stderr
    assert out.stdout.splitlines()[3:] == [
        "# nightly", "snapshot s for account",
        "# modsl import: not imported (MB306: `acc9` qualifies a database restore, but the "
        "server restores databases and tables only of the running account (`sys`): `can't "
        "restore database from other account's snapshot`): restore database acc9.db"
        "{snapshot='s'}"]


def test_import_shows_no_password_or_credential(tmp_path: Path) -> None:
    """Statements that are not plan steps are kept as comments and quoted under their
    diagnostics: passwords and secret credentials in them are masked there, and sqlglot's
    own warning (which quotes the statement) is not printed."""
    sql = tmp_path / "x.sql"
    sql.write_text("create account acc1 admin_name 'root' identified by 'hunter2';\n"
                   "alter user u1 identified by \"pw''3\";\n"
                   "create stage s1 url='s3://b' credentials={'AWS_KEY_ID'='kid9',"
                   "'AWS_SECRET_KEY'='sk9'};\n")
    out = run("import", str(sql))
    assert out.returncode == 1
    for secret in ("hunter2", "pw", "kid9", "sk9"):
        assert secret not in out.stdout + out.stderr
    assert "identified by '*******'" in out.stdout


# -- a DSN on the command line is never echoed (issue 21) ---------------------------------------

SECRET = "S3cr3t-Pw"


@pytest.mark.parametrize("args", [
    ["apply", "p.mobak", "--dns", f"mysql://u:{SECRET}@db:6001"],  # a typo'd flag
    ["check", "p.mobak", f"mysql://u:{SECRET}@db:6001"],  # the DSN without --dsn
    ["apply", "p.mobak", "extra", f"mysql://u:{SECRET}@db:6001?ssl-mode=required"],
    [f"--dsn=mysql://u:{SECRET}@db:6001", "apply", "p.mobak"],  # before the command
    ["aply", f"--dsn=mysql://u:{SECRET}@db:6001", "p.mobak"],  # a typo'd command
    [f"mysql://u:{SECRET}@db:6001"],  # the DSN for the command
    ["status", "p.mobak", "--dsn", f"mysql://u:{SECRET}@db", "--connect-timeout",
     f"mysql://u:{SECRET}@db"],  # a type error quotes the value
    ["schedule", "list", "p.mobak", f"mysql://u:{SECRET}@db"],  # a subcommand's subparser
    ["lint", f"mysql://u:{SECRET}@db:6001"],  # read as a path: `cannot read`
    ["lint", f"mysql://u:p@ss {SECRET}@db:6001"],  # a password with a blank and an `@`
    ["apply", "p.mobak", f"--dns=u:{SECRET}@db"],  # no scheme, a flag's value (an attack)
    ["check", "p.mobak", f"u:{SECRET}@db:6001"],  # no scheme, positional
])
def test_no_argument_error_echoes_a_dsn_password(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "p.mobak").write_text("as account sys\nsnapshot s1 for cluster\n")
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert SECRET not in out.stdout + out.stderr
    assert "ss " not in out.stderr.split("error:")[-1]  # nothing of the password at all


def test_a_masked_dsn_keeps_what_helps_find_the_mistake(tmp_path: Path) -> None:
    out = run("apply", "p.mobak", "--dns", f"mysql://u:{SECRET}@db:6001", cwd=tmp_path)
    assert "unrecognized arguments: --dns mysql://u:***@db:6001" in out.stderr


# -- `| head`: stdout closed early (issue 21) ----------------------------------------------------

def closed_stdout(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`modsl ARGS` whose stdout's reader is gone before it writes anything."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([*modsl_command(), *args], stdout=write, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, cwd=cwd, timeout=120, check=False)
    finally:
        os.close(write)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", err)


def many_snapshots(tmp_path: Path, count: int) -> Path:
    plan = tmp_path / "many.mobak"
    plan.write_text("as account sys\n" + "".join(f"snapshot s{i} for cluster\n"
                                                 for i in range(count)))
    return plan


@pytest.mark.parametrize("args", [
    ["lint", str(CASES / "lint" / "MB301-fires.mobak")],
    ["compile", str(EXAMPLES / "orders-drill.mobak")],
    ["explain", str(EXAMPLES / "orders-drill.mobak")],
    ["rules"],
])
def test_a_closed_stdout_is_said_on_stderr(args: list[str], tmp_path: Path) -> None:
    out = closed_stdout(*args, cwd=tmp_path)
    assert out.returncode == 141
    assert f"modsl {args[0]}: the output was closed before all of it was written (broken " \
           "pipe)" in out.stderr


def test_apply_into_a_closed_stdout_runs_nothing_and_says_so(tmp_path: Path) -> None:
    out = closed_stdout("apply", "--standin", "--yes", str(many_snapshots(tmp_path, 3)),
                        cwd=tmp_path)
    assert out.returncode == 141
    assert "modsl apply: the output was closed (broken pipe) before the run: nothing was run" \
        in out.stderr


def test_apply_piped_to_head_says_what_ran_and_what_did_not(tmp_path: Path) -> None:
    plan = many_snapshots(tmp_path, 100)
    proc = subprocess.Popen([*modsl_command(), "apply", "--standin", "--yes", str(plan)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    while not proc.stdout.readline().startswith(b"running 2/100"):
        pass
    proc.stdout.close()  # `| head`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err
    said = re.search(r"modsl apply: the output was closed \(broken pipe\), so the run stopped: "
                     r"statement (\d+) of 100 ran, the rest did not", err)
    assert said is not None, err
    ran = int(said.group(1))
    assert 2 <= ran < 100
    assert f"ran now ({ran}):" in err and f"not run ({100 - ran}):" in err


# -- a journal that cannot be written after a statement ran (issue 21) ---------------------------

def _full_disk_at(monkeypatch: pytest.MonkeyPatch, event: str, index: int) -> None:
    """Journal.write fails with ENOSPC, as on a full disk, for one entry only."""
    import errno

    from modsl.runtime import executor

    real_write = executor.Journal.write

    def write(self: executor.Journal, entry: dict[str, object]) -> None:
        if entry["event"] == event and entry.get("index") == index:
            def full(*args: object, **kwargs: object) -> None:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            with monkeypatch.context() as patched:  # the entry never reaches the file
                patched.setattr(Path, "open", full)
                real_write(self, entry)
        else:
            real_write(self, entry)

    monkeypatch.setattr(executor.Journal, "write", write)


def _apply(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from modsl import cli

    with contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()) as err:
        code = cli.main(list(args))
    return code, err.getvalue()


def test_a_full_disk_after_a_statement_ran_says_it_ran(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    plan = many_snapshots(tmp_path, 3)
    journal = tmp_path / "journal"
    _full_disk_at(monkeypatch, "done", 1)
    code, err = _apply("apply", "--standin", "--yes", str(plan), "--journal", str(journal))
    assert code == 2
    assert f"statement 2 ({plan}:3) RAN on the server and succeeded, but the journal cannot " \
           "record it" in err
    assert "No space left on device" in err and "no later statement ran" in err
    assert "--resume --mark-done 2" in err
    monkeypatch.undo()
    (written,) = journal.glob("*.jsonl")
    events = [(e["event"], e.get("index")) for e in map(json.loads, written.read_text()
                                                         .splitlines())]
    assert events[-3:] == [("started", 0), ("done", 0), ("started", 1)]
    # What the message said to do works: the journal takes the user's word, the rest runs.
    code, err = _apply("apply", "--standin", "--yes", str(plan), "--journal", str(journal),
                       "--resume", "--mark-done", "2")
    assert code == 0, err


def test_a_full_disk_after_a_statement_failed_says_it_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("as account sys\nsnapshot s1 for cluster\ndrop snapshot gone\n")
    _full_disk_at(monkeypatch, "failed", 1)
    code, err = _apply("apply", "--standin", "--yes", "--no-checks", str(plan), "--journal",
                       str(tmp_path / "journal"))
    assert code == 2, err
    assert f"statement 2 ({plan}:3) ran on the server and failed (" in err
    assert "--resume --retry 2" in err and "No space left on device" in err


def test_a_full_disk_before_a_statement_is_sent_says_nothing_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = many_snapshots(tmp_path, 2)
    _full_disk_at(monkeypatch, "started", 1)
    code, err = _apply("apply", "--standin", "--yes", str(plan), "--journal",
                       str(tmp_path / "journal"))
    assert code == 1 and "cannot write the journal: No space left on device" in err
    assert "not sent" in err


def test_compile_to_dash_is_standard_output(tmp_path: Path) -> None:
    """`-o -` wrote a file named `-`; it means standard output, as in every Unix tool."""
    plan = tmp_path / "plan.mobak"
    plan.write_text("as account acc1\nsnapshot s for account\n")
    out = subprocess.run([*modsl_command(), "compile", str(plan), "-o", "-"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0 and "CREATE SNAPSHOT `s` FOR ACCOUNT;" in out.stdout
    assert not (tmp_path / "-").exists()


def test_a_journal_that_fills_before_a_statement_says_what_ran_and_leaves_no_torn_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21 (an attack, 64k tmpfs): the journal filled mid-run; apply said one line, left
    half an entry, and the next run blamed a kill. Now the statement is not sent, the report
    says what ran, and the journal holds whole lines only."""
    import errno

    import modsl.runtime.executor as executor
    from modsl.runtime.executor import Journal, Step, execute
    from modsl.standin import StandIn

    real, real_write = os.fsync, Journal.write
    writing: list[dict[str, object]] = []

    def fsync(fd: int) -> None:  # the disk fills as statement 2's `started` is written
        if writing and writing[-1].get("event") == "started" and writing[-1]["index"] == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    def write(self: Journal, entry: dict[str, object]) -> None:
        writing.append(entry)
        real_write(self, entry)

    monkeypatch.setattr(Journal, "write", write)

    journal = Journal.open(tmp_path, "sha")
    with StandIn() as server:
        import pymysql

        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="",
                               autocommit=True)
        journal.write({"event": "run", "plan": "p", "statements": 2})
        monkeypatch.setattr(executor.os, "fsync", fsync)
        steps = [Step(0, "CREATE SNAPSHOT a FOR CLUSTER", "p", 1),
                 Step(1, "CREATE SNAPSHOT b FOR CLUSTER", "p", 2)]
        outcome = execute(steps, conn, journal)
        monkeypatch.setattr(executor.os, "fsync", real)
        with conn.cursor() as cur:
            cur.execute("SHOW SNAPSHOTS")
            names = [row[0] for row in cur.fetchall()]
        conn.close()
    assert [s.index for s in outcome.ran] == [0] and outcome.failure is not None
    assert outcome.failure.message.startswith("not sent:")
    assert "No space left" in outcome.failure.message and names == ["a"]
    again = Journal.open(tmp_path, "sha")  # whole lines: no "cut short" error
    assert [e["event"] for e in again.entries] == ["run", "started", "done"]


# -- one module per command ------------------------------------------------------------------

_LOADED = """
import sys
from modsl.cli import COMMANDS, main
mine = {{f"modsl.cli.{{module}}" for module, _ in COMMANDS.values()}}
try:
    main({argv!r})
except SystemExit:
    pass
print("loaded:", *sorted(mine & set(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(("argv", "loaded"), [
    (["--help"], ""),
    (["lint", str(CASES.parent.parent / "examples" / "pitr-setup.mobak")], "modsl.cli.lint"),
    (["rules", "MB101"], "modsl.cli.rules"),
    (["apply", "--help"], "modsl.cli.apply"),
    (["import", "--help"], "modsl.cli.imports"),
])
def test_a_command_imports_its_own_module_and_no_other(argv: list[str], loaded: str) -> None:
    """`modsl --help` and `modsl lint` pay for no other command's module (cold start)."""
    import sys

    done = subprocess.run([sys.executable, "-c", _LOADED.format(argv=argv)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stderr.splitlines()[-1] == f"loaded: {loaded}".strip()


def test_every_command_module_configures_and_runs() -> None:
    from modsl.cli import COMMANDS, build_parser, command_module

    full = build_parser()
    listed = next(a for a in full._actions if a.dest == "command").choices
    assert set(listed) == set(COMMANDS)  # type: ignore[arg-type]
    for name in COMMANDS:
        module = command_module(name)
        assert callable(module.configure) and callable(module.run)
        assert module.__name__.startswith("modsl.cli.")


def test_the_namespace_never_leaves_the_command_line() -> None:
    """Below modsl/cli/ nothing takes the argparse Namespace: no `import argparse`, no
    `args` of type Namespace or Any (each command turns its flags into a typed value)."""
    import ast

    offenders = []
    for path in sorted((REPO / "modsl").rglob("*.py")):
        if "cli" in path.relative_to(REPO / "modsl").parts[:1]:
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except FileNotFoundError:  # moved away while the tree was walked
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                    else [node.module or ""]
                offenders += [f"{path}:{node.lineno} imports argparse" for n in names
                              if n == "argparse"]
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                # sqlglot's `args: dict[...]` is typed; a Namespace passed on is not
                untyped = [a for a in node.args.args + node.args.kwonlyargs if a.arg == "args"
                           and (a.annotation is None or ast.unparse(a.annotation) == "Any"
                                or "Namespace" in ast.unparse(a.annotation))]
                offenders += [f"{path}:{node.lineno} {node.name}(args)" for _ in untyped]
    assert offenders == []


@pytest.mark.parametrize("argv", [
    ["schedule", "list", "examples/nightly-snapshots.mobak", "--now", "tomorrow"],
    ["compile", "examples/nightly-snapshots.mobak", "--schedule", "nightly", "--at", "later"],
    ["run", "examples/nightly-snapshots.mobak", "--schedule", "nightly", "--standin",
     "--now", "soon"],
])
def test_a_bad_pinned_moment_is_a_usage_error(argv: list[str]) -> None:
    """`--now`/`--at` is read at the command line's edge (runtime.firing.moment takes a
    datetime): a bad one is a usage error naming the flag, in each command that fires."""
    done = run(*argv, cwd=REPO)
    flag = "--at" if "--at" in argv else "--now"
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert f"{flag}: expected the form YYYY-MM-DD HH:MM:SS" in done.stderr


def test_the_independence_contract_names_every_command_module() -> None:
    """pyproject.toml's import-linter contract keeps command modules from borrowing from
    each other; a command added to COMMANDS and not to the contract would be unfenced."""
    import tomllib

    from modsl.cli import COMMANDS

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"]
    (fence,) = [c for c in contracts if c["name"].startswith("One module per command")]
    assert set(fence["modules"]) == {f"modsl.cli.{module}" for module, _ in COMMANDS.values()}

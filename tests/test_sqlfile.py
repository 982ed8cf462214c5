"""The reviewed `.sql` file (modsl/compiler/sqlfile.py): what a viewer shows of it is what runs.

The attacks are built as anyone can build them: hashes recomputed (`forged`). The hash
detects edits, not forgery, so a forged file must be refused for what it holds (a hidden
line break, a line modsl never writes), and an edited one for its hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import modsl_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import modsl
from modsl.cli.reviewed import from_sql
from modsl.compiler import sqlfile
from modsl.runtime.session import Refused

PLAN = """\
as account acc1
rollback on failure
existing snapshot daily for database shop
existing pitr acc_pitr for account range 2d
snapshot shop_before for database shop
restore database shop from snapshot daily
verify rows shop.items >= 3
"""
COMPILED = modsl.compile(modsl.parse(PLAN, "r.mobak")[0])
TEXT = COMPILED.to_sql()
READ_BACK = COMPILED._replace(statements=tuple(s._replace(kind="")  # nothing re-parses SQL
                                               for s in COMPILED.statements))
LINES = TEXT.split("\n")
STATEMENT_COMMENT = LINES.index("-- r.mobak:5")  # the first statement's `-- FILE:LINE`
FILE_SHA, STATEMENTS_SHA = "-- file-sha256: ", "-- statements-sha256: "
OLDER = "".join(line + "\n" for line in LINES[:-1] if not line.startswith(FILE_SHA))
"""The file as a modsl before file-sha256 wrote it."""


def forged(text: str, runs: list[str] | None = None) -> str:
    """`text` with its hashes recomputed, as anyone can: statements-sha256 over `runs` (the
    statements the forger means to run) when given, file-sha256 over every other line."""
    lines = text.split("\n")
    if runs is not None:
        lines = [STATEMENTS_SHA + sqlfile.statements_sha256(runs)
                 if line.startswith(STATEMENTS_SHA) else line for line in lines]
    at = next((n for n, line in enumerate(lines) if line.startswith(FILE_SHA)), None)
    if at is not None:
        rest = "\n".join(lines[:at] + lines[at + 1:])
        lines[at] = FILE_SHA + hashlib.sha256(rest.encode("utf-8")).hexdigest()
    return "\n".join(lines)


def with_line(number: int, line: str, text: str = TEXT) -> str:
    """`text` with its line `number` (1-based) replaced."""
    lines = text.split("\n")
    lines[number - 1] = line
    return "\n".join(lines)


# -- what a viewer shows other than it runs ------------------------------------------------

HIDDEN = [
    *[chr(c) for c in range(0x20) if chr(c) not in "\t\n"],  # C0, `\r` alone included
    "\x7f", *[chr(c) for c in range(0x80, 0xA0)],  # DEL, C1 (`\x85` NEL)
    "\u2028", "\u2029",  # line and paragraph separators
    *[chr(c) for c in range(0x202A, 0x202F)], *[chr(c) for c in range(0x2066, 0x206A)],  # bidi
    "\u200e", "\u200f", "\u061c",  # bidi marks
    "\u200b", "\u200d", "\u2060", "\ufeff",  # zero-width and BOM
    "\u00a0", "\u2003", "\u3000",  # spaces a server reads as part of a name (an attack)
]


@pytest.mark.parametrize("char", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_a_hidden_character_in_a_comment_is_refused_with_line_and_column(char: str) -> None:
    line = STATEMENT_COMMENT + 1
    attack = forged(with_line(line, f"-- r.mobak:5{char}DROP DATABASE shop;"))
    with pytest.raises(sqlfile.BadSqlFile,
                       match=rf"^plan\.sql: line {line}, column 13: U\+{ord(char):04X} "):
        sqlfile.read(attack.encode("utf-8"), "plan.sql")


def separator_attack(drop: str, sqls: list[str], *, older: bool = False) -> str:
    """A file a viewer shows as `sqls`, the first under two comments, and that runs `drop`
    first on a reader that breaks lines at U+001C: the hashes recomputed, as anyone can;
    `older`: in the format of a modsl before file-sha256."""
    statements = tuple(sqlfile.CompiledStatement(sql, "", "r.mobak", number)
                       for number, sql in enumerate(sqls, start=1))
    text = sqlfile.write(sqlfile.Compiled("matrixone-4.2", "sys", "none", statements))
    if older:
        text = "".join(line + "\n" for line in text.split("\n")[:-1]
                       if not line.startswith(FILE_SHA))
    text = text.replace("-- r.mobak:1\n", f"-- r.mobak:1\x1c{drop};\n-- r.mobak:1\n", 1)
    return forged(text, [drop, *sqls])


@pytest.mark.parametrize("older", [True, False], ids=["older format", "today's format"])
def test_the_file_separator_attack_is_refused(older: bool, tmp_path: Path) -> None:
    """The attack as it worked (in the older format it did): refused at reading, so the
    review shows nothing of it (tests/test_apply.py runs it on a server: nothing is sent)."""
    attack = separator_attack("DROP DATABASE shop", ["CREATE SNAPSHOT s FOR ACCOUNT"],
                              older=older)
    (tmp_path / "plan.sql").write_text(attack, encoding="utf-8")
    out = modsl_run("apply", "plan.sql", "--dry-run", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    line = 6 if older else 7  # the older header has no file-sha256
    assert f"line {line}, column 13: U+001C" in out.stderr and "DROP" not in out.stdout


def test_invisible_text_in_a_statement_is_refused() -> None:
    """A bidi override inside a statement makes a viewer show it reordered."""
    sql = "RESTORE DATABASE `shop`{SNAPSHOT='daily'};"
    line, column = LINES.index(sql) + 1, sql.index("daily") + 1
    attack = forged(with_line(line, sql.replace("daily", "\u202eylliad\u202c")))
    with pytest.raises(sqlfile.BadSqlFile, match=rf"line {line}, column {column}: U\+202E"):
        sqlfile.read(attack, "plan.sql")


# -- every line the review prints is covered by the hash ------------------------------------

FORGED = {
    "destroys": ("-- destroys: drops and", "-- destroys: nothing; it"),
    "target": ("-- target: matrixone-4.2", "-- target: matrixone-3.0"),
    "account": ("-- account: acc1", "-- account: acc2"),
    "plan line": ("-- r.mobak:6", "-- r.mobak:60"),
    "rollback comment": ("(r.mobak:6)", "(r.mobak:5)"),
    "plan sha": ("-- plan-sha256: ", "-- plan-sha256: 00"),
    "modsl version": (f"-- modsl {modsl.__version__}", "-- modsl 9.9.9"),
}


@pytest.mark.parametrize("old, new", FORGED.values(), ids=list(FORGED))
def test_an_edited_comment_is_refused_by_the_hash(old: str, new: str) -> None:
    assert old in TEXT
    with pytest.raises(sqlfile.BadSqlFile, match="edited after `modsl compile`"):
        sqlfile.read(TEXT.replace(old, new), "plan.sql")


def test_a_forged_destroys_is_never_shown(tmp_path: Path) -> None:
    (tmp_path / "plan.sql").write_text(TEXT.replace(*FORGED["destroys"]), encoding="utf-8")
    out = modsl_run("apply", "plan.sql", "--dry-run", cwd=tmp_path)
    assert out.returncode == 2 and "edited after" in out.stderr
    assert "DESTROYS" not in out.stdout and "nothing" not in out.stdout


EXTRA = {  # lines modsl never writes, in a file whose hashes were recomputed
    "a second target, read first by a viewer": (2, "-- target: matrixone-3.0\n"
                                                   "-- target: matrixone-4.2"),
    "an empty destroys": (STATEMENT_COMMENT + 2, "-- destroys: \nCREATE SNAPSHOT `shop_before` "
                                                 "FOR DATABASE `shop`;"),
    "a plan line spelled another way": (STATEMENT_COMMENT + 1, "-- r.mobak:05"),
    "header keys in another order": (3, "-- plan-sha256: none\n-- account: acc1"),
}


@pytest.mark.parametrize("number, lines", EXTRA.values(), ids=list(EXTRA))
def test_a_line_modsl_never_writes_is_refused_even_with_the_hash_recomputed(
        number: int, lines: str) -> None:
    text = with_line(number, lines)
    if "plan-sha256: none" in lines:  # moved, not added: drop the original
        text = text.replace(next(x for x in LINES if x.startswith("-- plan-sha256: ")) + "\n",
                            "")
    with pytest.raises(sqlfile.BadSqlFile, match="not what `modsl compile` writes there"):
        sqlfile.read(forged(text), "plan.sql")


def test_a_file_from_an_older_modsl_is_refused_with_a_way_forward() -> None:
    with pytest.raises(sqlfile.BadSqlFile, match=r"older modsl.*compile the plan again"):
        sqlfile.read(OLDER, "plan.sql")


# -- line ends ------------------------------------------------------------------------------

def test_crlf_reads_as_the_same_file_and_any_other_cr_is_refused() -> None:
    """A CRLF checkout (git's autocrlf) is the same file: one `\\r` before each `\\n` is
    dropped, and the hash is of the file with `\\n` line ends. Any other `\\r` is refused."""
    crlf = TEXT.replace("\n", "\r\n").encode("utf-8")
    assert sqlfile.read(crlf, "plan.sql") == READ_BACK
    mixed = TEXT.replace("\n", "\r\n", 3)
    assert sqlfile.read(mixed, "plan.sql") == READ_BACK
    end_of_first = len(LINES[0]) + 1  # `-- modsl VERSION`, then the `\r`
    for text, line, column in ((TEXT.replace("\n", "\r\r\n"), 1, end_of_first),
                               (TEXT.replace("\n", "\r"), 1, end_of_first),
                               (TEXT[:-1] + "\r", len(LINES) - 1, len(LINES[-2]) + 1)):
        with pytest.raises(sqlfile.BadSqlFile, match=rf"line {line}, column {column}: U\+000D"):
            sqlfile.read(text, "plan.sql")


def test_a_file_cut_short_is_refused() -> None:
    with pytest.raises(sqlfile.BadSqlFile, match="does not end with a newline"):
        sqlfile.read(TEXT[:-1], "plan.sql")
    with pytest.raises(sqlfile.BadSqlFile, match="edited after"):
        sqlfile.read(TEXT[:TEXT.index("-- rollback on failure")], "plan.sql")


# -- any bytes ------------------------------------------------------------------------------

def test_bytes_that_are_not_utf8_are_refused_with_line_and_column() -> None:
    data = TEXT.encode("utf-8").replace(b"-- r.mobak:6", b"-- r.m\xc3bak:6")
    with pytest.raises(sqlfile.BadSqlFile, match=r"line 9, column 7: the byte 0xC3 is not UTF-8"):
        sqlfile.read(data, "plan.sql")


@pytest.mark.parametrize("data, says", [
    (b"-- modsl 0.1.0\n" + b"x" * 10_000_000 + b"\n", "no statements-sha256"),
    (b"-- modsl 0.1.0\n-- " + "\u2028".encode() * 3_000_000 + b"\n", "line 2, column 4: U+2028"),
    (b"\x00" * 1000, "line 1, column 1: U+0000"),
    (b"", "no modsl header"),
    (b"\xef\xbb\xbf" + TEXT.encode(), "line 1, column 1: U+FEFF"),
], ids=["10 MB line", "3M separators", "NULs", "empty", "BOM"])
def test_odd_files_get_one_clear_message(data: bytes, says: str, tmp_path: Path) -> None:
    (tmp_path / "plan.sql").write_bytes(data)
    with pytest.raises(Refused, match=says.replace("+", r"\+")):
        from_sql(str(tmp_path / "plan.sql"))


FRAGMENTS = [b"\x1c", b"\r", b"\n", b"\r\n", "\u2028".encode(), "\u202e".encode(), b"\xff",
             b"\x00", b"\xc3", "\u00b2".encode(), b";", b"-- ", b"-- r.mobak:", b":",
             b"-- verify: = [", b"-- verify: = \"", b"-- destroys: ", b"[" * 5000, b"0",
             b"-- rollback of statement ", b"-- target: ", b"-- file-sha256: "]


def reads_or_refuses(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.sql"
        path.write_bytes(data)
        try:
            from_sql(str(path))
        except Refused as exc:
            assert str(exc).startswith(str(path)), exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
@example("-- modsl 0.1.0\n-- statements-sha256: x\n-- r.mobak:\u00b2\nSELECT 1;\n".encode())
@example(("-- modsl 0.1.0\n-- statements-sha256: x\n-- r.mobak:1\n-- verify: = "
          + "[" * 100_000 + "\nSELECT 1;\n").encode())
def test_random_bytes_never_traceback(data: bytes) -> None:
    reads_or_refuses(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(TEXT)), st.sampled_from(FRAGMENTS),
                          st.integers(0, 3)), max_size=4), st.booleans())
@example([(TEXT.index("-- r.mobak:5") + 11, "\u00b2".encode(), 1)], False)  # `-- r.mobak:²`
def test_a_damaged_reviewed_file_never_tracebacks(edits: list[tuple[int, bytes, int]],
                                                  rehash: bool) -> None:
    """Fragments modsl's own lines are made of, inserted or written over a compiled file,
    with its hashes recomputed or not: read as that file, or refused, never a traceback."""
    data = TEXT.encode("utf-8")
    for at, fragment, cut in edits:
        data = data[:at] + fragment + data[at + cut:]
    if rehash:
        with contextlib.suppress(UnicodeDecodeError):
            data = forged(data.decode("utf-8")).encode("utf-8")
    reads_or_refuses(data)


def test_what_compile_writes_reads_back_as_it_was() -> None:
    assert sqlfile.read(TEXT, "plan.sql") == READ_BACK
    assert sqlfile.read(TEXT.encode(), "plan.sql").statements_sha256 == COMPILED.statements_sha256


def modsl_run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*modsl_command(), *args], capture_output=True, text=True, cwd=cwd,
                         timeout=60, check=False)
    assert "Traceback" not in out.stderr, out.stderr
    return out

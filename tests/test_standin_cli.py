"""`modsl standin` as a user starts it: its clock, its engine, its refusals."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pymysql
from conftest import modsl_command

from modsl import targets


@contextmanager
def standin(*flags: str) -> Iterator[int]:
    """`modsl standin --port 0 FLAGS`, its port, stopped with Ctrl-C afterwards."""
    proc = subprocess.Popen([*modsl_command(), "standin", "--port", "0", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        assert "127.0.0.1:" in banner, proc.stderr.read() if proc.stderr else banner
        yield int(banner.split("127.0.0.1:")[1].split(";")[0])
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def first(port: int, sql: str) -> object:
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="")
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_the_clock_starts_where_it_is_told_and_runs_on() -> None:
    with standin("--clock", "2026-01-02 03:04:05") as port:
        seen = str(first(port, "SELECT now(6)"))
    assert seen.startswith("2026-01-02 03:04:0"), seen


def test_a_starrocks_standin_from_the_command_line() -> None:
    with standin("--engine", "starrocks") as port:
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="")
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW REPOSITORIES")
                assert cur.fetchall() == ()
                cur.execute("SELECT current_version()")
                newest = targets.lookup("starrocks").version
                assert cur.fetchone() == (f"{newest}.0-standin",)
        finally:
            conn.close()


def test_a_bad_clock_is_a_usage_error_not_a_traceback() -> None:
    out = subprocess.run([*modsl_command(), "standin", "--port", "0", "--clock", "soon"],
                         capture_output=True, text=True, timeout=30, check=False)
    assert out.returncode == 2
    assert "--clock: expected the form YYYY-MM-DD HH:MM:SS" in out.stderr
    assert "Traceback" not in out.stderr

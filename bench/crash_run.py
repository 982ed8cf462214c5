"""kill -9 of `modsl run` at random moments, then an immediate retry, against the stand-in: did
the server receive any CREATE/DROP SNAPSHOT twice, and did the firing leave any undone?

    python bench/crash_run.py [--trials N] [--seed S] [--delay SECONDS]

Each trial starts a fresh stand-in with two tenants, each holding one nightly snapshot beyond
retention, so the firing is four statements (CREATE, DROP, CREATE, DROP), each held by the
server for DELAY seconds (1.5: longer than a retry takes to start and read the server) so
that a kill lands before, while or after any of them, and a retry reads while one is in
flight. The run is killed (SIGKILL) at a random moment after it prints its header; retries
follow at once, until one exits 0. The stand-in logs every statement as it arrives (before
its delay): a statement received twice is a double send; a snapshot of the firing missing,
or an old one left, at the end is a skipped statement. Prints one line per trial and a
summary; exits 1 on any of either, or on a retry that failed.
tests/test_run_crash.py runs 3 trials, so CI does.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pymysql

from modsl.standin import StandIn
from modsl.standin import server as standin_server

OLD = datetime(2026, 8, 1, 1, 0, 5)
AT = datetime(2026, 10, 1, 1, 0, 5)
PLAN = """\
target matrixone 4.2
as account sys
schedule nightly every day at 01:00 in "UTC"
snapshot acc1_{date} for account acc1 on nightly keep 30d
snapshot acc2_{date} for account acc2 on nightly keep 30d
"""
WANT = ["acc1_20261001", "acc2_20261001"]
"""What the firing leaves: its two snapshots; the two of August are dropped."""
WRITE = re.compile(r"\s*(create|drop)\s+snapshot\b", re.I)


@dataclass
class Trial:
    kill_after: float
    killed_rc: int | None = None
    retries: int = 0
    sent: Counter[str] = field(default_factory=Counter)
    left: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def doubles(self) -> list[str]:
        return sorted(sql for sql, n in self.sent.items() if n > 1)

    @property
    def skipped(self) -> bool:
        return self.left != WANT

    def line(self, number: int) -> str:
        verdict = ("ok" if not (self.doubles or self.skipped or self.errors) else
                   f"DOUBLE {self.doubles}" if self.doubles else
                   f"SKIPPED: left {self.left}" if self.skipped else f"ERROR {self.errors}")
        return (f"trial {number:3d}: kill at +{self.kill_after:.2f}s, retries {self.retries}, "
                f"{sum(self.sent.values())} CREATE/DROP received: {verdict}")


@contextmanager
def received() -> Iterator[list[str]]:
    """Every statement the stand-ins of this process receive, logged as it arrives."""
    log: list[str] = []
    session: Any = standin_server.Session
    original = session.handle_query

    async def logged(self: Any, sql: str, attrs: dict[str, str]) -> Any:
        log.append(sql)
        return await original(self, sql, attrs)

    session.handle_query = logged
    try:
        yield log
    finally:
        session.handle_query = original


def sql(server: StandIn, *statements: str) -> list[tuple[Any, ...]]:
    return sql_as(server.port, "root", "", *statements)


def sql_as(port: int, login: str, password: str, *statements: str) -> list[tuple[Any, ...]]:
    """The rows of the last of `statements`, run in order as `login` on 127.0.0.1:`port`."""
    conn = pymysql.connect(host="127.0.0.1", port=port, user=login, password=password,
                           autocommit=True)
    rows: list[tuple[Any, ...]] = []
    with conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
            rows = list(cur.fetchall())
    return rows


def prepared(server: StandIn) -> None:
    """Two tenants, each with a nightly snapshot of August (beyond `keep 30d`)."""
    server.clock.set(OLD)
    sql(server, "create account acc1 admin_name 'admin' identified by 'pw'",
        "create account acc2 admin_name 'admin' identified by 'pw'",
        "create snapshot acc1_20260801 for account acc1",
        "create snapshot acc2_20260801 for account acc2")
    server.clock.set(AT)


def modsl() -> list[str]:
    """The `modsl` installed beside this Python (what users run), else `python -m modsl`."""
    found = shutil.which("modsl", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "modsl"]


def command(server: StandIn, plan: Path, journal: Path, settle: float) -> list[str]:
    return [*modsl(), "run", str(plan), "--schedule", "nightly", "--dsn", server.dsn(),
            "--journal", str(journal), "--now", f"{AT:%Y-%m-%d %H:%M:%S}",
            "--settle", str(settle)]


def trial(kill_after: float, delay: float, work: Path, settle: float = 5.0) -> Trial:
    """One kill -9 of a firing `kill_after` seconds after its header, and its retries."""
    result = Trial(kill_after)
    plan = work / "plan.mobak"
    plan.write_text(PLAN, encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with received() as log, StandIn("4.2.0") as server:
        prepared(server)
        log.clear()
        for _ in range(4):
            server.faults.delay_next(delay)
        cmd = command(server, plan, work / "journal", settle)
        proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, env=env)
        assert proc.stdout is not None
        proc.stdout.readline()  # the header: the checks and the reads are over
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        result.killed_rc = proc.wait(timeout=30)
        proc.stdout.close()
        for _ in range(3):  # at once: no wait for the server to finish what it was sent
            result.retries += 1
            out = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=120,
                                 check=False, env=env)
            if out.returncode == 0:
                break
            result.errors.append(f"exit {out.returncode}: {out.stderr.strip()[-300:]}")
        result.sent = Counter(" ".join(s.split()) for s in log if WRITE.match(s))
        result.left = sorted(str(r[0]) for r in sql(server, "show snapshots"))
    return result


def matrix(trials: int, seed: int, delay: float,
           say: Callable[[str], None] = print) -> list[Trial]:
    """`trials` kills at moments spread over the firing's four statements and a little past."""
    rng = random.Random(seed)
    results = []
    for number in range(1, trials + 1):
        with tempfile.TemporaryDirectory(prefix="modsl-crash-run-") as tmp:
            result = trial(rng.uniform(0.0, 4 * delay + 0.3), delay, Path(tmp))
        say(result.line(number))
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--delay", type=float, default=1.5,
                        help="seconds the stand-in holds each CREATE/DROP (default 1.5: longer "
                             "than a retry takes to start, so it reads while one is in flight)")
    args = parser.parse_args(argv)
    print(f"kill -9 crash matrix for `modsl run`: {args.trials} trials, seed {args.seed}")
    results = matrix(args.trials, args.seed, args.delay)
    doubles = sum(1 for r in results if r.doubles)
    skipped = sum(1 for r in results if r.skipped)
    errors = sum(1 for r in results if r.errors)
    print(f"double sends: {doubles}/{len(results)} trials; skipped statements: "
          f"{skipped}/{len(results)}; retries that failed: {errors}/{len(results)}")
    return 1 if doubles or skipped or errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""kill -9 at random moments of `modsl rollback`, and of a StarRocks `modsl apply` whose BACKUP
job is held PENDING, against the stand-in: did the server get anything twice, did anything
stay undone?

    python bench/crash_matrix.py [--mode rollback|starrocks|all] [--trials N] [--seed S]

rollback: a plan with `rollback on failure` is applied (a safety snapshot, a restore from
`daily`, a verify), then `modsl rollback --yes` is killed at a random moment (the stand-in holds
its RESTORE for DELAY seconds, so a kill lands before, while or after it). The user then waits
until the server is done with the killed client's statement (what the runbook says: SHOW
PROCESSLIST), and reruns `modsl rollback`; when it asks for the user's word on an unknown
outcome, the harness gives the true one, read from the data (the rows are back as before the
plan: `--mark-done`; not: `--retry`). A rollback RESTORE received twice is a double send; the
data not back as before the plan at the end is a skipped rollback.

starrocks: `backup ... as nightly` then a restore of it, the BACKUP held DELAY seconds by the
stand-in before it is submitted (a statement in flight) and its job held PENDING until the kill;
resumes follow at once, as the adversarial run did. A backup or restore *job* created twice is a
double send (the statement itself may reach the server twice: the second is refused, the label
or its database's one job slot taken, and modsl attaches; counted as `refused resends`); the
backup missing from the repository, or the restored table missing, is skipped.

The harness logs every statement as the stand-in receives it (bench/crash_run.py's
`received`). Prints one line per trial and a summary; exits 1 on a double send or a skip.
tests/test_sendonce.py runs 3 trials of each mode, so CI does.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crash_run import modsl, received
from crash_run import sql_as as sql

from modsl.engines.starrocks import standin as standin_starrocks
from modsl.standin import StandIn

START = datetime(2026, 11, 20, 9, 0, 0)
ROLLBACK_PLAN = """\
as account acc1
rollback on failure
existing snapshot daily for database shop
existing pitr acc_pitr for account range 2d
snapshot shop_before for database shop
restore database shop from snapshot daily
verify rows shop.orders >= 3
"""
BEFORE_THE_PLAN = [1, 2, 3, 4, 5]
_ROLLBACK_RESTORE = re.compile(r"\s*RESTORE\b.*shop_before", re.I | re.S)

STARROCKS_PLAN = """\
target starrocks 3.4
existing repository repo
backup database sales to repo as nightly tables orders
restore database sales from repo snapshot nightly tables orders as orders_back \
into database sales_copy
"""
_BACKUP = re.compile(r"\s*BACKUP\b", re.I)
_RETRY = re.compile(r"--retry (\d+)")


@dataclass
class Trial:
    mode: str
    kill_after: float
    reruns: int = 0
    jobs: dict[str, int] = field(default_factory=dict)
    """What the server did, by kind: rollback RESTOREs received; backup and restore jobs."""
    resent: int = 0
    """Statements received again and refused by the server (StarRocks: label or slot taken)."""
    words: list[str] = field(default_factory=list)
    """The user's words the reruns needed (--mark-done N / --retry N)."""
    skipped: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def doubles(self) -> list[str]:
        return sorted(kind for kind, n in self.jobs.items() if n > 1)

    def line(self, number: int) -> str:
        verdict = ("ok" if not (self.doubles or self.skipped or self.errors) else
                   f"DOUBLE {self.doubles}" if self.doubles else
                   "SKIPPED" if self.skipped else f"ERROR {self.errors[-1:]}")
        said = f", said {' '.join(self.words)}" if self.words else ""
        again = f", refused resends {self.resent}" if self.resent else ""
        return (f"{self.mode} trial {number:3d}: kill at +{self.kill_after:.2f}s, reruns "
                f"{self.reruns}{said}{again}, {self.jobs}: {verdict}")




def _env(work: Path) -> dict[str, str]:
    # Each trial its own state directory: its host lock is the trial's alone.
    return {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(work / "state")}


def _killed(cmd: list[str], work: Path, kill_after: float) -> None:
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=_env(work))
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _until_done(cmd: list[str], work: Path, result: Trial,
                took_effect: Callable[[int], bool], alternative: list[str] | None = None) -> None:
    """Rerun `cmd` until it exits 0, giving the true word where it asks for one."""
    extra: list[str] = []
    for _ in range(6):
        result.reruns += 1
        out = subprocess.run([*cmd, *extra], cwd=work, capture_output=True, text=True,
                             timeout=120, check=False, env=_env(work))
        if out.returncode == 0:
            return
        if "Traceback" in out.stderr:
            result.errors.append(out.stderr[-300:])
            return
        asked = _RETRY.search(out.stderr)
        if asked is not None:
            number = int(asked.group(1))
            word = "--mark-done" if took_effect(number) else "--retry"
            extra = [word, str(number)]
            result.words.append(f"{word} {number}")
            continue
        if alternative is not None and "nothing to resume" in out.stderr:
            cmd, extra = alternative, []
            continue
        result.errors.append(f"exit {out.returncode}: {out.stderr.strip()[-300:]}")
        extra = []
    result.errors.append("never finished")


# -- rollback ------------------------------------------------------------------------------------

def _shop(server: StandIn) -> None:
    """acc1's shop.orders: rows 1-3 in snapshot `daily`, rows 4 and 5 written since."""
    server.clock.set(START)
    sql(server.port, "root", "", "create account acc1 admin_name 'admin' identified by 'pw'")
    sql(server.port, "acc1:admin", "pw", "create pitr acc_pitr for account range 2 'd'",
        "create database shop", "create table shop.orders (id int)",
        "insert into shop.orders values (1), (2), (3)",
        "create snapshot daily for database shop")
    server.clock.run_from(START + timedelta(hours=1))
    sql(server.port, "acc1:admin", "pw", "insert into shop.orders values (4), (5)")


def rollback_trial(kill_after: float, delay: float, work: Path) -> Trial:
    result = Trial("rollback", kill_after)
    (work / "plan.mobak").write_text(ROLLBACK_PLAN, encoding="utf-8")
    with received() as log, StandIn("4.2.0") as server:
        _shop(server)
        dsn = f"mysql://admin:pw@127.0.0.1:{server.port}?account=acc1"

        def rows() -> list[Any]:
            return [r[0] for r in sql(server.port, "acc1:admin", "pw",
                                      "select id from shop.orders order by id")]

        applied = subprocess.run([*modsl(), "apply", "plan.mobak", "--dsn", dsn, "--yes"],
                                 cwd=work, capture_output=True, text=True, timeout=120,
                                 check=False, env=_env(work))
        if applied.returncode != 0:
            result.errors.append(f"apply: {applied.stderr[-300:]}")
            return result
        log.clear()
        server.faults.delay_next(delay)
        back = [*modsl(), "rollback", "plan.mobak", "--dsn", dsn, "--yes"]
        _killed(back, work, kill_after)
        time.sleep(delay + 0.5)  # the user waits until the server is done with it
        _until_done(back, work, result, lambda _: rows() == BEFORE_THE_PLAN)
        result.jobs = {"rollback RESTORE": sum(1 for s in log if _ROLLBACK_RESTORE.match(s))}
        result.skipped = rows() != BEFORE_THE_PLAN
    return result


# -- starrocks -----------------------------------------------------------------------------------

@contextmanager
def _counted() -> Iterator[dict[str, int]]:
    """Backup and restore jobs the StarRocks stand-in creates (submissions it accepts)."""
    made = {"backup job": 0, "restore job": 0}
    backup, restore = standin_starrocks._backup, standin_starrocks._restore

    def counted(kind: str, submit: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            out = submit(*args)
            made[kind] += 1
            return out
        return wrapper

    standin_starrocks._backup = counted("backup job", backup)
    standin_starrocks._restore = counted("restore job", restore)
    try:
        yield made
    finally:
        standin_starrocks._backup, standin_starrocks._restore = backup, restore


def starrocks_trial(kill_after: float, delay: float, work: Path) -> Trial:
    result = Trial("starrocks", kill_after)
    plan = work / "plan.mobak"
    plan.write_text(STARROCKS_PLAN, encoding="utf-8")
    with received() as log, _counted() as made, StandIn("3.4.2", engine="starrocks") as server:
        world = server.world
        sql(server.port, "root", "x", "CREATE DATABASE sales",
            "CREATE TABLE sales.orders (id INT, amount INT)",
            "INSERT INTO sales.orders VALUES (1, 10), (2, 20), (3, 30)",
            'CREATE REPOSITORY repo WITH BROKER ON LOCATION "s3://b/sales"')
        log.clear()
        server.faults.delay_next(delay)  # the BACKUP in flight
        world.held = True  # its job PENDING until the kill
        dsn = f"mysql://root:x@127.0.0.1:{server.port}"
        first = [*modsl(), "apply", str(plan), "--dsn", dsn, "--yes", "--poll", "0.01"]
        _killed(first, work, kill_after)
        world.held = False

        def took_effect(number: int) -> bool:
            if number == 1:
                return made["backup job"] > 0
            return made["restore job"] > 0

        _until_done([*first, "--resume"], work, result, took_effect, alternative=first)
        result.jobs = dict(made)
        backups = sum(1 for s in log if _BACKUP.match(s))
        result.resent = max(0, backups - made["backup job"])
        images = [i.label for i in world.repositories["repo"].images]
        restored = "orders_back" in world.databases.get("sales_copy", {})
        result.skipped = images != ["nightly"] or not restored
    return result


MODES: dict[str, tuple[Callable[[float, float, Path], Trial], float]] = {
    "rollback": (rollback_trial, 2.5),
    "starrocks": (starrocks_trial, 3.0),
}
"""Each mode's trial, and the window its kill moments are spread over (seconds from start:
the process's own start-up, the connection and checks, and the statement in flight)."""


def matrix(mode: str, trials: int, seed: int, delay: float,
           say: Callable[[str], None] = print) -> list[Trial]:
    run, window = MODES[mode]
    rng = random.Random(seed)
    results = []
    for number in range(1, trials + 1):
        with tempfile.TemporaryDirectory(prefix=f"modsl-crash-{mode}-") as tmp:
            result = run(rng.uniform(0.1, window), delay, Path(tmp))
        say(result.line(number))
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--mode", choices=[*MODES, "all"], default="all")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--delay", type=float, default=0.8,
                        help="seconds the stand-in holds the statement in flight (default 0.8)")
    args = parser.parse_args(argv)
    failed = False
    for mode in MODES if args.mode == "all" else [args.mode]:
        print(f"kill -9 crash matrix, {mode}: {args.trials} trials, seed {args.seed}")
        results = matrix(mode, args.trials, args.seed, args.delay)
        doubles = sum(1 for r in results if r.doubles)
        skipped = sum(1 for r in results if r.skipped)
        errors = sum(1 for r in results if r.errors)
        print(f"{mode}: double sends {doubles}/{len(results)} trials; skipped "
              f"{skipped}/{len(results)}; reruns that failed {errors}/{len(results)}")
        failed = failed or bool(doubles or skipped)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

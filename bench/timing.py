"""Timing whole processes for the bench scripts: interleaved samples, medians against the
interpreter floor, printed as a Markdown table."""

from __future__ import annotations

import statistics
import subprocess
import time


def timed(cmd: list[str]) -> float:
    """Seconds for one run of `cmd`, start to exit."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(probes: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """`runs` samples of each probe, taken in turn so every probe sees the same machine."""
    samples: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(runs):
        for name, cmd in probes.items():
            samples[name].append(timed(cmd))
    return samples


def report(samples: dict[str, list[float]], floor: str) -> str:
    """A table of medians, each also as a multiple of the `floor` probe's median."""
    base = statistics.median(samples[floor])
    rows = ["| probe | seconds | x interpreter floor |", "|---|---|---|"]
    for name, values in samples.items():
        median = statistics.median(values)
        rows.append(f"| {name} | {median:.3f} | {median / base:.1f} |")
    return "\n".join(rows) + "\n"


# sqlglot parsing and printing each statement of a SQL file, in-process and with its import
# excluded: what a compile's time is measured against (bench/run.py, bench/budgets.py).
SQLGLOT_ROUND_TRIP = """
import logging, sys, time
logging.disable(logging.WARNING)
import sqlglot
from sqlglot.errors import ErrorLevel
statements = [l for l in open(sys.argv[1]).read().splitlines() if l and not l.startswith("--")]
start = time.perf_counter()
for s in statements:
    sqlglot.parse_one(s, read="mysql", error_level=ErrorLevel.IGNORE).sql(dialect="mysql")
print(time.perf_counter() - start)
"""

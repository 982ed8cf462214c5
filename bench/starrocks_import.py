"""`modsl import` of StarRocks SQL (modsl's own reader) next to MatrixOne SQL (sqlglot with
modsl's dialect), both the SQL `modsl compile` emits for generated plans of the same size.

    pip install . && python bench/starrocks_import.py [--sizes 1000,10000] [--runs 3]

Whole processes, medians; prints Markdown for docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plans import plan
from timing import timed

MODSL = shutil.which("modsl") or "modsl"


def starrocks_plan(statements: int) -> str:
    """A StarRocks plan of `statements` steps: repositories, backups and restores of every
    shape (tables, partitions, aliases, properties, a secret from the environment)."""
    lines = ["target starrocks 3.4", ""]
    i = 0
    while len(lines) - 2 < statements:
        lines += [
            f'repository r{i} at "s3://bucket/r{i}" properties ("aws.s3.region" = "us-east-1", '
            f'"aws.s3.secret_key" = env("SECRET_{i}"))',
            f"backup database db{i} to r{i} as s{i} tables t{i} partitions (p1, p2), u{i} "
            f'properties ("timeout" = "7200")',
            f'restore database db{i} from r{i} snapshot s{i} at "2026-11-20-10-00-00-123" '
            f'tables t{i} partitions (p1) as t{i}_back into database copy{i} '
            f'properties ("replication_num" = "1")',
            f"drop repository r{i}",
        ]
        i += 1
    return "\n".join(lines[: statements + 2]) + "\n"


def emitted(plan_text: str, where: Path, name: str) -> Path:
    source = where / f"{name}.mobak"
    source.write_text(plan_text, encoding="utf-8")
    sql = where / f"{name}.sql"
    subprocess.run([MODSL, "compile", str(source), "-o", str(sql)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sql


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| statements | MatrixOne import s | µs/stmt | StarRocks import s | µs/stmt |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            mo = emitted(plan(size), where, f"mo{size}")
            sr = emitted(starrocks_plan(size), where, f"sr{size}")
            probes = {"mo": [MODSL, "import", str(mo)],
                      "sr": [MODSL, "import", "--target", "starrocks-3.4", str(sr)]}
            samples: dict[str, list[float]] = {k: [] for k in probes}
            for _ in range(args.runs):
                for key, cmd in probes.items():
                    samples[key].append(timed(cmd))
            m, s = (statistics.median(samples[k]) for k in ("mo", "sr"))
            print(f"| {size:,} | {m:.2f} | {m / size * 1e6:.0f} | {s:.2f} | "
                  f"{s / size * 1e6:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

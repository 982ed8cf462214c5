"""issue 24's two budgets, measured side by side in one run on an installed (not editable) copy.

    python bench/budgets.py [--venv DIR] [--runs N] [--source PATH] [--instructions]

Installs the tree (`--source`, default this repository) into a fresh venv with a plain
`pip install` (an editable install's import hook costs ~60 ms, and this machine sets
PYTHONDONTWRITEBYTECODE, so only an installed copy has its .pyc files), then prints:

* cold start: `python -c pass` and `modsl lint` of a 10-line plan, interleaved, medians, and
  their ratio (budget: 6x);
* bulk: `modsl compile` of a 5,000-statement plan (bench/plans.py), the whole process, and
  sqlglot's `parse_one(...).sql()` of every statement of the SQL it emitted, in-process
  (import excluded), interleaved, medians, and their ratio (budget: 0.75x).

With `--instructions`, each probe is also run once under valgrind's callgrind, and the
ratios of their instruction counts are printed (and judged) too: exact and repeatable where
wall clock on a shared machine swings by ±15% (sqlglot's count is its script's on the SQL less
the same script's on an empty file, so its import is excluded as in the timing).

Exits 1 if a budget fails. This machine is noisy: compare the ratios, taken in one run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plans import plan
from timing import SQLGLOT_ROUND_TRIP, timed

REPO = Path(__file__).resolve().parent.parent


def install(source: Path, where: Path) -> Path:
    """A fresh venv at `where` with `source` pip-installed (not editable); its bin dir."""
    venv.create(where, with_pip=True, clear=True)
    bin_dir = where / "bin"
    subprocess.run([bin_dir / "pip", "install", "--quiet", str(source)], check=True)
    return bin_dir


def sqlglot_seconds(python: Path, sql: Path) -> float:
    out = subprocess.run([python, "-c", SQLGLOT_ROUND_TRIP, str(sql)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


def instructions(cmd: list[str]) -> int:
    """What `cmd` executes, counted by callgrind (the whole process)."""
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        f"--log-file={log.name}", *cmd], check=True, capture_output=True)
        found = re.search(r"Collected : (\d+)", Path(log.name).read_text())
    if found is None:
        raise SystemExit(f"callgrind counted nothing for {' '.join(cmd)}")
    return int(found.group(1))


def counted(python: Path, floor: list[str], lint: list[str], compile_: list[str],
            sql: Path, work: Path) -> tuple[float, float]:
    """The two ratios by instruction count, printed as table rows."""
    empty = work / "empty.sql"
    empty.write_text("")
    glot_cmd = [str(python), "-c", SQLGLOT_ROUND_TRIP]
    n_floor, n_lint, n_compile = (instructions(c) for c in (floor, lint, compile_))
    n_glot = instructions([*glot_cmd, str(sql)]) - instructions([*glot_cmd, str(empty)])
    lint_ratio, compile_ratio = n_lint / n_floor, n_compile / n_glot
    print(f"| `python -c pass`, instructions | {n_floor / 1e6:,.0f}M | | | |")
    print(f"| `modsl lint` (10 lines), instructions | {n_lint / 1e6:,.0f}M | "
          f"{lint_ratio:.2f}x the floor | ≤ 6x | {'yes' if lint_ratio <= 6 else '**no**'} |")
    print(f"| sqlglot parse+print, instructions | {n_glot / 1e6:,.0f}M | | | |")
    print(f"| `modsl compile` of 5,000 statements, instructions | {n_compile / 1e6:,.0f}M | "
          f"{compile_ratio:.3f}x sqlglot | ≤ 0.75x | "
          f"{'yes' if compile_ratio <= 0.75 else '**no**'} |")
    return lint_ratio, compile_ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="where to make the venv (default: a temp dir)")
    parser.add_argument("--source", type=Path, default=REPO, help="the tree to install")
    parser.add_argument("--runs", type=int, default=21, help="samples per cold-start median")
    parser.add_argument("--bulk-runs", type=int, default=7, help="samples per bulk median")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions under valgrind (callgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    work = Path(tempfile.mkdtemp(prefix="modsl-budgets-"))
    bin_dir = install(args.source, args.venv or work / "venv")
    python, modsl = bin_dir / "python", str(bin_dir / "modsl")
    p10, p5k, sql = work / "p10.mobak", work / "p5000.mobak", work / "p5000.sql"
    p10.write_text(plan(10))
    p5k.write_text(plan(5_000))

    floor_cmd, lint_cmd = [str(python), "-c", "pass"], [modsl, "lint", str(p10)]
    compile_cmd = [modsl, "compile", str(p5k), "-o", str(sql)]
    for cmd in (floor_cmd, lint_cmd, compile_cmd):
        timed(cmd)  # warm the OS cache and the parse-table cache
    if not sql.exists():
        raise SystemExit(f"{' '.join(compile_cmd)} wrote no SQL")
    floors, lints = [], []
    for _ in range(args.runs):  # interleaved: drift hits both sides alike
        floors.append(timed(floor_cmd))
        lints.append(timed(lint_cmd))
    compiles, glots = [], []
    for _ in range(args.bulk_runs):
        compiles.append(timed(compile_cmd))
        glots.append(sqlglot_seconds(python, sql))

    floor, lint = statistics.median(floors), statistics.median(lints)
    comp, glot = statistics.median(compiles), statistics.median(glots)
    lint_ratio, compile_ratio = lint / floor, comp / glot
    version = subprocess.run([python, "-c", "import sys, sqlglot; print(sys.version.split()[0],"
                              " sqlglot.__version__)"], capture_output=True, text=True,
                             check=True).stdout.split()
    print(f"Installed copy of {args.source}; Python {version[0]}, sqlglot {version[1]}; "
          f"medians of {args.runs} (cold start) and {args.bulk_runs} (bulk) interleaved runs.\n")
    print("| probe | seconds | ratio | budget | holds |\n|---|---|---|---|---|")
    print(f"| `python -c pass` | {floor:.4f} | | | |")
    print(f"| `modsl lint` (10 lines) | {lint:.4f} | {lint_ratio:.2f}x the floor | ≤ 6x | "
          f"{'yes' if lint_ratio <= 6 else '**no**'} |")
    print(f"| sqlglot parse+print of the 5,000 statements' SQL (in-process) | {glot:.3f} | | | |")
    print(f"| `modsl compile` of 5,000 statements (whole process) | {comp:.3f} | "
          f"{compile_ratio:.2f}x sqlglot | ≤ 0.75x | "
          f"{'yes' if compile_ratio <= 0.75 else '**no**'} |")
    holds = lint_ratio <= 6 and compile_ratio <= 0.75
    if args.instructions:
        lint_n, compile_n = counted(python, floor_cmd, lint_cmd, compile_cmd, sql, work)
        holds = holds and lint_n <= 6 and compile_n <= 0.75
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())

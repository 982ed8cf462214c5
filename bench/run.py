"""modsl's benchmarks, side by side with what users would otherwise run, in one run.

    pip install . && python bench/run.py [--runs N] [--max-size N]

Prints a Markdown table (paste it into docs/performance.md) and checks the budgets; exits 1
if one fails. This machine is noisy: compare ratios, taken in the same run, not seconds.
Processes are timed whole (start to exit). Peak RSS comes from one more run under GNU
`/usr/bin/time` (`ru_maxrss` of a child forked from this bench would include the bench's own
pages); without it the column says n/a.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plans import plan
from timing import SQLGLOT_ROUND_TRIP

PY = sys.executable
MODSL = shutil.which("modsl") or ""
GNU_TIME = "/usr/bin/time"


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall seconds and stdout of one whole process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return elapsed, proc.stdout.decode()


def peak_rss(cmd: list[str]) -> float | None:
    """Peak RSS in MB of one run, measured by GNU time."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    proc = subprocess.run([GNU_TIME, "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    return int(proc.stderr.decode().strip().splitlines()[-1]) / 1024


def mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def median(cmd: list[str], runs: int) -> float:
    return statistics.median(timed(cmd)[0] for _ in range(runs))


LARK_ONLY = """
import sys, time
from lark import Lark
import modsl.language.parser
with open(modsl.language.parser.grammar_path()) as f:
    grammar = f.read()
lark = Lark(grammar, start="line", parser="lalr", lexer="basic")
lines = [l for l in open(sys.argv[1]).read().split("\\n") if l.strip()]
start = time.perf_counter()
for line in lines:
    lark.parse(line)
print(time.perf_counter() - start)
"""


def regex_floor(path: Path, runs: int) -> float:
    """One regex scan over the plan text: the floor for reading it at all."""
    text = path.read_text()
    word = re.compile(r"\S+")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sum(1 for _ in word.finditer(text))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per cold-start median")
    parser.add_argument("--max-size", type=int, default=100_000)
    args = parser.parse_args()
    if not MODSL:
        raise SystemExit("`modsl` is not on PATH: pip install . first")
    work = Path(tempfile.mkdtemp(prefix="modsl-bench-"))
    sizes = [n for n in (1_000, 5_000, 10_000, 100_000) if n <= args.max_size]
    for n in (10, *sizes):
        (work / f"p{n}.mobak").write_text(plan(n))
    budgets: list[tuple[str, bool, str]] = []
    out = [f"modsl bench — {time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, "
           f"{os.cpu_count()} cores", ""]

    # -- cold start ---------------------------------------------------------------------------
    p10 = str(work / "p10.mobak")
    cold = {
        "python -c pass": [PY, "-c", "pass"],
        "python -c 'import sqlglot'": [PY, "-c", "import sqlglot"],
        "modsl lint (10 lines)": [MODSL, "lint", p10],
        "modsl fmt --check (10 lines)": [MODSL, "fmt", "--check", p10],
        "modsl compile (10 lines)": [MODSL, "compile", p10],
    }
    cold["python -c 'import lark' (for reference)"] = [PY, "-c", "import lark"]
    samples: dict[str, list[float]] = {name: [] for name in cold}
    for _ in range(args.runs):  # interleaved: drift hits every command alike
        for name, cmd in cold.items():
            samples[name].append(timed(cmd)[0])
    results = {name: (statistics.median(samples[name]), peak_rss(cmd))
               for name, cmd in cold.items()}
    floor = results["python -c pass"][0]
    out += [f"### Cold start (median of {args.runs} runs)", "",
            "| command | seconds | x interpreter floor | peak RSS MB |", "|---|---|---|---|"]
    for name, (secs, rss) in results.items():
        out.append(f"| `{name}` | {secs:.3f} | {secs / floor:.1f} | {mb(rss)} |")
    lint_ratio = results["modsl lint (10 lines)"][0] / floor
    budgets.append(("`modsl lint` cold ≤ 6x `python -c pass`", lint_ratio <= 6,
                    f"{lint_ratio:.1f}x"))

    # -- bulk -----------------------------------------------------------------------------------
    out += ["", "### Bulk (whole processes; sqlglot and the regex in-process)", "",
            "| statements | `modsl compile` s | peak RSS MB | µs/stmt | sqlglot parse+print s "
            "| Lark alone s | regex scan s | `modsl import` s | import RSS MB |",
            "|---|---|---|---|---|---|---|---|---|"]
    compile_times: dict[int, float] = {}
    compile_rss: dict[int, float | None] = {}
    sqlglot_times: dict[int, float] = {}
    for n in sizes:
        src = work / f"p{n}.mobak"
        sql = work / f"p{n}.sql"
        runs = 5 if n <= 10_000 else 1
        # Interleaved, so both sides of a ratio see the same machine.
        compile_cmd = [MODSL, "compile", str(src), "-o", str(sql)]
        ours, glots = [], []
        for _ in range(runs):
            ours.append(timed(compile_cmd)[0])
            glots.append(float(timed([PY, "-c", SQLGLOT_ROUND_TRIP, str(sql)])[1]))
        secs, glot = statistics.median(ours), statistics.median(glots)
        rss = peak_rss(compile_cmd)
        compile_times[n], compile_rss[n], sqlglot_times[n] = secs, rss, glot
        import_cmd = [MODSL, "import", str(sql)]
        imp_secs, imp_rss = median(import_cmd, 1), peak_rss(import_cmd)
        lark_only = float(timed([PY, "-c", LARK_ONLY, str(src)])[1])
        out.append(f"| {n:,} | {secs:.2f} | {mb(rss)} | {secs / n * 1e6:.0f} | {glot:.2f} | "
                   f"{lark_only:.2f} | {regex_floor(src, runs):.4f} | {imp_secs:.2f} | "
                   f"{mb(imp_rss)} |")
    if 5_000 in compile_times:
        ratio = compile_times[5_000] / sqlglot_times[5_000]
        budgets.append(("compile 5,000 statements (whole process) ≤ 0.75x sqlglot in-process "
                        "parse+print of the same SQL", ratio <= 0.75, f"{ratio:.2f}x"))
    if 100_000 in compile_times and 10_000 in compile_times:
        growth = compile_times[100_000] / compile_times[10_000]
        budgets.append(("100,000 statements ≤ 12x the time of 10,000", growth <= 12,
                        f"{growth:.1f}x"))
        peak = compile_rss[100_000]
        budgets.append(("peak memory at 100,000 statements ≤ 300 MB",
                        peak is not None and peak <= 300, f"{mb(peak)} MB"))

    out += ["", "### Budgets", "", "| budget | measured | holds |", "|---|---|---|"]
    out += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, ok, value in budgets]
    print("\n".join(out))
    shutil.rmtree(work)
    return 0 if all(ok for _, ok, _ in budgets) else 1


if __name__ == "__main__":
    sys.exit(main())

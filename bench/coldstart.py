"""Where `modsl lint`'s cold start goes: import time by package (from `python -X importtime`)
and the work after the imports, medians over several runs.

    pip install . && python bench/coldstart.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plans import plan

PROBE = """
import time
start = time.perf_counter()
import modsl.cli, modsl.cli.lint, modsl.language.parser, modsl.checker, modsl.diagnostics.render, modsl.cli.settings
imported = time.perf_counter()
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    modsl.cli.main(["lint", {path!r}])
print(f"IMPORTS {{imported - start:.6f}} WORK {{time.perf_counter() - imported:.6f}}")
"""


def group(module: str) -> str:
    top = module.split(".")[0]
    if top in ("modsl", "lark"):
        return top
    if top in ("argparse", "gettext"):
        return "argparse"
    return "stdlib (typing, dataclasses, re, ...)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "p10.mobak"
    path.write_text(plan(10))
    by_group: dict[str, list[float]] = defaultdict(list)
    imports, work = [], []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                              PROBE.format(path=str(path))], capture_output=True, text=True,
                             check=True)
        totals: dict[str, float] = defaultdict(float)
        for line in out.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = (part.strip() for part in line[12:].split("|"))
            totals[group(name)] += int(self_us) / 1000
        for name, ms in totals.items():
            by_group[name].append(ms)
        words = out.stdout.split()
        imports.append(float(words[1]) * 1000)
        work.append(float(words[3]) * 1000)
    print(f"`modsl lint` on a 10-line plan, medians of {args.runs} runs (ms):\n")
    print("| part | ms |\n|---|---|")
    for name, values in sorted(by_group.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"| import: {name} | {statistics.median(values):.1f} |")
    print(f"| all imports (timed in-process) | {statistics.median(imports):.1f} |")
    print(f"| work: load cached parser, parse, check, render | {statistics.median(work):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Would a standalone LALR parser (Lark's `lark.tools.standalone`, generated from
grammar/mobak.lark) start faster than Lark with modsl's on-disk cache? Times "parser ready" in
fresh processes, interleaved, against the interpreter floor.

    pip install . && python bench/standalone.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRAMMAR = Path(__file__).resolve().parent.parent / "grammar" / "mobak.lark"


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    module = folder / "mobak_standalone.py"
    with module.open("w") as out:
        subprocess.run([sys.executable, "-m", "lark.tools.standalone", "-s", "line", str(GRAMMAR)],
                       stdout=out, check=True)
    probes = {
        "python -c pass": "pass",
        "import lark": "import lark",
        "modsl's parser (import lark, load the cached parser)":
            "import modsl.parser as p; p._parser()",
        "standalone module (import it, build its parser)":
            f"import sys; sys.path.insert(0, {str(folder)!r}); import mobak_standalone as m; "
            "m.Lark_StandAlone()",
    }
    timed(probes["modsl's parser (import lark, load the cached parser)"])  # write the cache
    samples: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(args.runs):
        for name, code in probes.items():
            samples[name].append(timed(code))
    floor = statistics.median(samples["python -c pass"])
    print(f"Parser ready, whole process, medians of {args.runs} interleaved runs "
          f"(standalone module: {module.stat().st_size // 1024} KB):\n")
    print("| probe | seconds | x floor |\n|---|---|---|")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {median / floor:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

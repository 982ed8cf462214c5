"""`modsl lint` cold start of two installs side by side (say, before and after a change),
interleaved with the interpreter floor, on a 10-line plan.

    python -m venv /tmp/before && /tmp/before/bin/pip install git+file://$PWD@<rev>
    python -m venv /tmp/after && /tmp/after/bin/pip install .
    python bench/coldcompare.py /tmp/before/bin/modsl /tmp/after/bin/modsl [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plans import plan
from timing import interleaved, report, timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="+", metavar="MODSL", help="modsl executables")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "p10.mobak"
    path.write_text(plan(10))
    probes = {"`python -c pass`": [sys.executable, "-c", "pass"]}
    probes |= {f"`{m} lint`": [m, "lint", str(path)] for m in args.commands}
    for cmd in probes.values():
        timed(cmd)  # warm the OS cache and each install's parse-table cache
    print(f"Cold start, whole process, medians of {args.runs} interleaved runs:\n")
    print(report(interleaved(probes, args.runs), "`python -c pass`"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

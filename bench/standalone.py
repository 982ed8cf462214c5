"""How fast is the plan parser ready in a fresh process? Three ways to run grammar/mobak.lark:
Lark with its own on-disk cache (modsl's first design), the standalone module Lark can
generate (`lark.tools.standalone`), and modsl's own driver over the table Lark built
(`modsl.language.lalr`, the design kept). Interleaved, against the interpreter floor.

    pip install . && python bench/standalone.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import interleaved, report, timed

GRAMMAR = Path(__file__).resolve().parent.parent / "grammar" / "mobak.lark"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    module = folder / "mobak_standalone.py"
    with module.open("w") as out:
        subprocess.run([sys.executable, "-m", "lark.tools.standalone", "-s", "line", str(GRAMMAR)],
                       stdout=out, check=True)
    lark_cache = folder / "mobak.lark-cache"
    probes = {
        "python -c pass": "pass",
        "import lark": "import lark",
        "Lark with its disk cache (import lark, load the cached parser)":
            f"from lark import Lark; Lark(open({str(GRAMMAR)!r}).read(), parser='lalr', "
            f"start='line', cache={str(lark_cache)!r})",
        "modsl's table and driver (no Lark at run time)":
            "import modsl.language.parser as p; p.table(); p.lexer()",
        "standalone module (import it, build its parser)":
            f"import sys; sys.path.insert(0, {str(folder)!r}); import mobak_standalone as m; "
            "m.Lark_StandAlone()",
    }
    commands = {name: [sys.executable, "-c", code] for name, code in probes.items()}
    for cmd in commands.values():
        timed(cmd)  # write the caches
    print(f"Parser ready, whole process, medians of {args.runs} interleaved runs "
          f"(standalone module: {module.stat().st_size // 1024} KB):\n")
    print(report(interleaved(commands, args.runs), "python -c pass"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

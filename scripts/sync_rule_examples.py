"""Rewrite the Fails/Passes examples of docs/rules.md from the lint cases
(tests/cases/lint/CODE-{fires,clean}.mobak), so the docs show exactly what the tests check
(tests/test_registry.py enforces it).

Usage: python scripts/sync_rule_examples.py
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "rules.md"
CASES = REPO / "tests" / "cases" / "lint"


def example(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "backslashreplace")


def sync(section: str) -> str:
    m = re.match(r"## (MB\d{3})\n", section)
    fires = CASES / f"{m.group(1)}-fires.mobak" if m else None
    if fires is None or not fires.exists():
        return section
    clean = fires.with_name(fires.name.replace("-fires", "-clean"))
    shown = iter([example(fires), example(clean)])
    return re.sub(r"```\n.*?```", lambda _: f"```\n{next(shown)}```", section, count=2,
                  flags=re.S)


def main() -> None:
    parts = re.split(r"(?m)^(?=## )", DOC.read_text(encoding="utf-8"))
    DOC.write_text("".join(sync(p) for p in parts), encoding="utf-8")


if __name__ == "__main__":
    main()

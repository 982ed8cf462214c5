"""The documentation of each diagnostic code, read from `docs/rules.md` (shipped in the wheel
as `modsl/rules.md`), so `modsl rules MB301` and the docs never disagree."""

from __future__ import annotations

import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (_HERE / "rules.md", _HERE.parent / "docs" / "rules.md")


def text() -> str:
    for path in _CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("rules.md not found beside modsl")


def sections() -> dict[str, str]:
    """Code → its section, from its `## MBxxx` heading to the next heading of that level."""
    out: dict[str, str] = {}
    parts = re.split(r"(?m)^(?=## )", text())
    for part in parts:
        m = re.match(r"## (MB\d{3})\b", part)
        if m:
            out[m.group(1)] = part.rstrip() + "\n"
    return out


def section(code: str) -> str:
    return sections().get(code, f"{code}: no documentation yet\n")

"""Shared test helpers: where the data lives, golden-file comparison, the corpus."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
REPO = TESTS.parent
CORPUS = TESTS / "corpus"
UPDATE = os.environ.get("MODSL_UPDATE_GOLDEN") == "1"
# The golden cases are judged as if the server's clock read this (their timestamps are from
# the end of January 2026); the CLI's `--now` pins it the same way.
IN_CI = os.environ.get("CI") == "true"
NOW = datetime(2026, 11, 21, 12, 0, 0)
NOW_FLAG = ["--now", "2026-11-21 12:00:00"]


def golden(path: Path, actual: str) -> None:
    """Compare with the expected file; with MODSL_UPDATE_GOLDEN=1, (re)write it instead."""
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path.relative_to(REPO)} (run with " \
                          "MODSL_UPDATE_GOLDEN=1 once, then review it)"
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path.relative_to(REPO)}"


def corpus_file(name: str) -> Path:
    """A corpus file (copied into tests/corpus/ with its provenance: always present)."""
    return CORPUS / name


def modsl_command() -> list[str]:
    """The installed `modsl` console script (what users run), else `python -m modsl`."""
    found = shutil.which("modsl", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "modsl"]

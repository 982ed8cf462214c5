"""Shared test helpers: where the data lives, golden-file comparison, the corpus."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"
REPO = TESTS.parent
CORPUS = REPO.parent / "shared" / "corpus"
UPDATE = os.environ.get("MODSL_UPDATE_GOLDEN") == "1"
IN_CI = os.environ.get("CI") == "true"


def golden(path: Path, actual: str) -> None:
    """Compare with the expected file; with MODSL_UPDATE_GOLDEN=1, (re)write it instead."""
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path.relative_to(REPO)} (run with " \
                          "MODSL_UPDATE_GOLDEN=1 once, then review it)"
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path.relative_to(REPO)}"


def corpus_file(name: str) -> Path:
    """A corpus file, or a skip with the reason, except in CI where its absence fails."""
    path = CORPUS / name
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing, and CI must run the corpus tests")
        pytest.skip(f"{path} not present (it lives beside the repository, in shared/)")
    return path


def modsl_command() -> list[str]:
    """The installed `modsl` console script (what users run), else `python -m modsl`."""
    found = shutil.which("modsl", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "modsl"]

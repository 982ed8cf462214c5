"""Shared test helpers: where the data lives, golden-file comparison, the corpus."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

from hypothesis import settings

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

# Hypothesis profiles. `ci` (loaded when CI=true) is derandomized: the same examples on every
# run, so CI turns red for a change, never by chance. `dev` (the default) draws new examples
# each run and remembers failing ones. `long` hunts: many random examples, started by hand with
# HYPOTHESIS_PROFILE=long or `pytest --hypothesis-profile=long` (docs/design.md, Testing).
# Loaded here, before any test module builds its own `settings(...)` from the default.
settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None,
                          print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("long", max_examples=5_000, deadline=None, derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """A test's own example count, raised to the profile's under `long` (read when the test
    module is imported, after `--hypothesis-profile` took effect)."""
    if settings.get_current_profile_name() == "long":
        return max(count, settings.default.max_examples)
    return count


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

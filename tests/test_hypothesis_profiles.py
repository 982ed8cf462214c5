"""Hypothesis profiles (tests/conftest.py): CI draws the same examples on every run, so it
turns red for a change and never by chance; `long` hunts with many random ones by hand."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, TESTS


def profile(env: dict[str, str], *extra: str) -> list[str]:
    """What the settings are once conftest is loaded, in a process of its own."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import conftest; "
            "from hypothesis import settings as s; d = s.default; "
            "print(s.get_current_profile_name(), d.derandomize, d.max_examples, d.deadline, "
            "d.print_blob, d.database is None, conftest.examples(150))")
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run([sys.executable, "-c", code, str(TESTS), *extra], cwd=REPO,
                         env={**clean, **env}, capture_output=True, text=True, timeout=60,
                         check=True)
    return out.stdout.split()


def test_ci_is_derandomized_with_a_fixed_count() -> None:
    assert profile({"CI": "true"}) == ["ci", "True", "100", "None", "True", "True", "150"]


def test_a_developer_gets_random_examples_by_default() -> None:
    name, derandomize, *_ = profile({})
    assert (name, derandomize) == ("dev", "False")


def test_the_long_profile_raises_every_count() -> None:
    assert profile({"HYPOTHESIS_PROFILE": "long", "CI": "true"})[:3] == ["long", "False",
                                                                         "5000"]
    assert profile({"HYPOTHESIS_PROFILE": "long"})[-1] == "5000"  # examples(150) too


def test_pytest_takes_the_profile_from_its_flag() -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-v",
                          "--hypothesis-profile=long", "tests/test_dsn.py", "--collect-only",
                          "-p", "no:cacheprovider"],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    (line,) = [x for x in out.stdout.splitlines() if x.startswith("hypothesis profile ")]
    # (under CI, hypothesis adds its own CI settings to the line: database, print_blob)
    assert line.startswith("hypothesis profile 'long' -> ") and "max_examples=5000" in line


def test_no_test_turns_derandomizing_off() -> None:
    needle = "derandomize=" + "False"  # not spelled out: this file would hold it
    for path in TESTS.glob("*.py"):
        text = path.read_text(encoding="utf-8").replace(" ", "")
        if path.name != "conftest.py":  # `long` is random on purpose
            assert needle not in text, path.name

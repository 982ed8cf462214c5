"""Golden cases: data files in tests/cases/, compared exactly. Adding a case is adding files.

* compile/NAME.mobak → NAME.3.0.sql and NAME.4.x.sql (a NAME.4.1.sql would override 4.x);
  compile/starrocks-NAME.mobak → NAME.3.3.sql and NAME.3.4.sql (3.4 stands for 3.4 through 4.1,
  each compiled and compared; a NAME.VERSION.sql overrides)
* lint/NAME.mobak → NAME.expected: one `LINE:COLUMN CODE` per diagnostic
* fmt/NAME.mobak → NAME.formatted
* import/NAME.sql → NAME.mobak and NAME.expected (NAME.TARGET.sql: imported for that target,
  e.g. `legacy.matrixone-3.0.sql`, `docs.starrocks-3.3.sql`; otherwise the default)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import CASES, NOW, golden

import modsl
from modsl import targets
from modsl.compiler import PlanHasErrors
from modsl.diagnostics import Diagnostic


def cases(kind: str, suffix: str) -> list[Path]:
    return sorted((CASES / kind).glob(f"*{suffix}"))


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def expected_sql(plan: Path, version: str) -> Path:
    exact = plan.with_suffix(f".{version}.sql")
    return exact if exact.exists() else plan.with_suffix(f".{version.split('.')[0]}.x.sql")


def body(sql: str) -> str:
    """The compiled SQL without its header (which names modsl's version and hashes)."""
    lines = sql.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("-- statements-sha256"))
    return "".join(lines[start + 1:])


COMPILE = [p for p in cases("compile", ".mobak") if not p.name.startswith("starrocks-")]
STARROCKS = [p for p in cases("compile", ".mobak") if p.name.startswith("starrocks-")]


@pytest.mark.parametrize("path", STARROCKS, ids=ids(STARROCKS))
@pytest.mark.parametrize("version", [v.version for v in targets.versions("starrocks")])
def test_compile_starrocks(path: Path, version: str) -> None:
    plan, diagnostics = modsl.parse(path.read_bytes(), path.name)
    assert not [d for d in diagnostics if d.is_error]
    exact = path.with_suffix(f".{version}.sql")
    expected = exact if exact.exists() or version == "3.3" else path.with_suffix(".3.4.sql")
    try:
        compiled = modsl.compile(plan, target=targets.lookup("starrocks", version))
    except PlanHasErrors as exc:  # what a version cannot express is part of the case
        golden(expected, "".join(f"-- error: line {d.span.line} {d.code}\n"
                                 for d in exc.diagnostics))
        return
    golden(expected, body(compiled.to_sql()))


@pytest.mark.parametrize("path", COMPILE, ids=ids(COMPILE))
@pytest.mark.parametrize("version", [v.version for v in targets.versions("matrixone")])
def test_compile(path: Path, version: str) -> None:
    plan, diagnostics = modsl.parse(path.read_bytes(), path.name)
    assert not [d for d in diagnostics if d.is_error]
    expected = expected_sql(path, version)
    if os.environ.get("MODSL_UPDATE_GOLDEN") == "1" and not expected.exists():
        expected = path.with_suffix(f".{version}.sql" if version == "3.0" else ".4.x.sql")
    try:
        compiled = modsl.compile(plan, target=targets.lookup("matrixone", version), now=NOW)
    except PlanHasErrors as exc:  # what a version cannot express (MB408) is part of the case
        golden(expected, "".join(f"-- error: line {d.span.line} {d.code}\n"
                                 for d in exc.diagnostics))
        return
    golden(expected, body(compiled.to_sql()))


LINT = cases("lint", ".mobak")


def rendered(diagnostics: list[Diagnostic]) -> str:
    return "".join(f"{d.span.line}:{d.span.column} {d.code}\n" for d in diagnostics)


@pytest.mark.parametrize("path", LINT, ids=ids(LINT))
def test_lint(path: Path) -> None:
    diagnostics = modsl.lint(path.read_bytes(), path.name, now=NOW)
    golden(path.with_suffix(".expected"), rendered(diagnostics))


@pytest.mark.parametrize("path", [p for p in LINT if "-fires" in p.name],
                         ids=[p.name for p in LINT if "-fires" in p.name])
def test_fires_and_clean_pair(path: Path) -> None:
    """Every `CODE-fires` case has the code, and its `CODE-clean` twin is free of it."""
    code = path.name.split("-")[0]
    assert code in {d.code for d in modsl.lint(path.read_bytes(), path.name, now=NOW)}
    clean = CASES / "lint" / f"{code}-clean.mobak"
    assert clean.exists(), f"{clean.name} is missing"
    assert code not in {d.code for d in modsl.lint(clean.read_bytes(), clean.name, now=NOW)}


FMT = cases("fmt", ".mobak")


@pytest.mark.parametrize("path", FMT, ids=ids(FMT))
def test_fmt(path: Path) -> None:
    plan, diagnostics = modsl.parse(path.read_bytes(), path.name)
    assert not diagnostics
    formatted = modsl.format(plan)
    golden(path.with_suffix(".formatted"), formatted)
    again, _ = modsl.parse(formatted, path.name)
    assert again == plan
    assert modsl.format(again) == formatted


IMPORT = cases("import", ".sql")


@pytest.mark.parametrize("path", IMPORT, ids=ids(IMPORT))
def test_import(path: Path) -> None:
    spelled = re.search(r"\.([a-z]+-[\d.]+)\.sql$", path.name)
    target = targets.parse_flag(spelled.group(1)) if spelled else targets.default()
    result = modsl.import_sql(path.read_text(encoding="utf-8"), target=target,
                              file=path.name, now=NOW)
    stem = path.name.removesuffix(".sql")
    golden(path.with_name(f"{stem}.mobak"), result.plan_text)
    found = sorted([*result.diagnostics, *result.lint], key=Diagnostic.sort_key)
    golden(path.with_name(f"{stem}.expected"), rendered(found))
    # The plan text says the same as the plan: it lints to the same findings.
    relinted = modsl.lint(result.plan_text, path.name, now=NOW)
    assert sorted(d.code for d in relinted) == sorted(d.code for d in result.lint)


FAMILIES = {"names": "MB20", "values": "MB20", "permissions": "MB3", "levels": "MB40",
            "references": "MB40", "safety": "MB5"}

@pytest.mark.parametrize("role", ["sys", "tenant"])
def test_interplay_plan_is_clean_and_each_mistake_is_caught(role: str) -> None:
    """A realistic 30+ line plan per role lints clean; one mistake per rule family is caught,
    by that family alone."""
    base = CASES / "lint" / f"interplay-{role}.mobak"
    assert len(base.read_text().splitlines()) >= 30
    assert modsl.lint(base.read_bytes(), base.name, now=NOW) == []
    for family, prefix in FAMILIES.items():
        variant = CASES / "lint" / f"interplay-{role}-{family}.mobak"
        codes = {d.code for d in modsl.lint(variant.read_bytes(), variant.name, now=NOW)}
        assert codes and all(c.startswith(prefix) for c in codes), (variant.name, codes)

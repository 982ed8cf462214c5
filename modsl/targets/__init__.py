"""The registry of target engines and versions. Light: no SQL library is imported here.

A target version is data: its name and what it can express. The SQL for each statement
lives in the engine's own module (`modsl.targets.matrixone`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TargetVersion:
    """One version of an engine and its capabilities."""

    engine: str
    version: str
    brace_restore: bool
    """Snapshot restores use `RESTORE ... {SNAPSHOT='s'}` (4.0+), not `FROM SNAPSHOT` (<= 3.0)."""
    account_database_pitr_restore: bool = False
    """`RESTORE ACCOUNT a DATABASE d [TABLE t] FROM PITR ...` parses (4.1+)."""
    tenant_snapshot_quota: int | None = None
    """Snapshots a tenant may keep per level by default (4.x `feature_limit.go`); None: no
    quota (3.0)."""

    @property
    def name(self) -> str:
        return f"{self.engine}-{self.version}"


VERSIONS: dict[str, tuple[TargetVersion, ...]] = {
    "matrixone": (
        TargetVersion("matrixone", "3.0", brace_restore=False),
        TargetVersion("matrixone", "4.0", brace_restore=True, tenant_snapshot_quota=50),
        TargetVersion("matrixone", "4.1", brace_restore=True, account_database_pitr_restore=True,
                      tenant_snapshot_quota=50),
        TargetVersion("matrixone", "4.2", brace_restore=True, account_database_pitr_restore=True,
                      tenant_snapshot_quota=50),
    ),
}
DEFAULT = VERSIONS["matrixone"][-1]
ALL: tuple[TargetVersion, ...] = tuple(v for vs in VERSIONS.values() for v in vs)


class UnknownTarget(ValueError):
    pass


def lookup(engine: str, version: str | None = None) -> TargetVersion:
    """The target for an engine and version; no version means the newest."""
    versions = VERSIONS.get(engine.lower())
    if versions is None:
        raise UnknownTarget(f"unknown target engine `{engine}`; known: "
                            + ", ".join(sorted(VERSIONS)))
    if version is None:
        return versions[-1]
    for v in versions:
        if v.version == version:
            return v
    known = ", ".join(v.version for v in versions)
    family = _family(versions, version)
    if family is not None:
        covers = _COVERS.get(family.version)
        raise UnknownTarget(f"write `{engine.lower()} {family.version}`: that target covers "
                            f"{engine} {version}" + (f" ({covers})" if covers else ""))
    if () < _numbers(version) < (2, 1):
        raise UnknownTarget(f"{engine} {version} is not supported: releases before 2.1 lack "
                            "database and table snapshots, `FOR ACCOUNT` without a name and "
                            f"table PITRs (known: {known})")
    raise UnknownTarget(f"unknown {engine} version `{version}`; known: {known}")


# What each version target stands for, when it stands for more than one release.
_COVERS = {"3.0": "every release from 2.1 through 3.0.x: the `FROM SNAPSHOT` restore syntax"}


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _family(versions: tuple[TargetVersion, ...], version: str) -> TargetVersion | None:
    """The target that covers a release written more precisely (`3.0.18`, `2.1`, `4.2.0`)."""
    numbers = _numbers(version)
    for v in versions:
        if numbers[:2] == _numbers(v.version):
            return v
    if (2, 1) <= numbers[:2] < (3, 0):
        return next((v for v in versions if v.version == "3.0"), None)
    return None


def parse_flag(value: str) -> TargetVersion:
    """A command-line target: `matrixone-4.1`, or `matrixone` for the newest."""
    engine, sep, version = value.partition("-")
    return lookup(engine, version if sep else None)

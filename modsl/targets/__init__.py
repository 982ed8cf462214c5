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

    @property
    def name(self) -> str:
        return f"{self.engine}-{self.version}"


VERSIONS: dict[str, tuple[TargetVersion, ...]] = {
    "matrixone": (
        TargetVersion("matrixone", "3.0", brace_restore=False),
        TargetVersion("matrixone", "4.0", brace_restore=True),
        TargetVersion("matrixone", "4.1", brace_restore=True),
        TargetVersion("matrixone", "4.2", brace_restore=True),
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
    raise UnknownTarget(f"unknown {engine} version `{version}`; known: "
                        + ", ".join(v.version for v in versions))


def parse_flag(value: str) -> TargetVersion:
    """A command-line target: `matrixone-4.1`, or `matrixone` for the newest."""
    engine, sep, version = value.partition("-")
    return lookup(engine, version if sep else None)

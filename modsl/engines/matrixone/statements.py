"""MatrixOne's name and the statements it expresses, with what each needs of a version: what
the checker reads of the engine (MB408, `modsl.checker.capabilities`) and what its rules say,
without importing the engine's package (whose ENGINE reaches, lazily, its drills and live
reads, which use the rules: an import cycle)."""

from __future__ import annotations

from collections.abc import Mapping

from modsl.language import ast
from modsl.targets import Expressible

ENGINE_NAME = "matrixone"

L = ast.Level
RESTORES_IN_PLACE: Mapping[ast.Level, tuple[ast.Level, ...]] = {
    L.CLUSTER: (L.CLUSTER,),
    L.ACCOUNT: (L.CLUSTER, L.ACCOUNT),
    L.DATABASE: (L.ACCOUNT, L.DATABASE),
    L.TABLE: (L.ACCOUNT, L.DATABASE, L.TABLE),
}
"""A restored object's level -> the levels of the snapshots and PITRs that can restore it in
place (the server's checks in pkg/frontend/snapshot.go and pitr.go). A cluster source restores
an account only when sys runs the plan; a tenant cannot own one (MB301)."""

_CLONE = Expressible("clone", "`CREATE ... CLONE` came in MatrixOne 3.0.0, and this target also "
                              "stands for 2.1 and 2.2, whose grammar has no CLONE")

STATEMENTS: Mapping[type, Expressible] = {
    **{t: Expressible() for t in (
        ast.CreateSnapshot, ast.DropSnapshot, ast.ExistingSnapshot, ast.ScheduledSnapshot,
        ast.CreatePitr, ast.AlterPitr, ast.DropPitr, ast.ExistingPitr, ast.Restore,
        ast.Schedule, ast.Verify)},
    ast.Clone: _CLONE,
    ast.Drill: _CLONE,  # a drill clones the backup it rehearses
}

_NO_REPOSITORIES = "MatrixOne has no backup repositories (StarRocks' `REPOSITORY`)"
_NO_BACKUPS = ("MatrixOne has no backup jobs to a repository; take a snapshot "
               "(`snapshot NAME for database DB`) and restore from it")

REFUSALS: Mapping[type, str] = {
    ast.CreateRepository: _NO_REPOSITORIES, ast.ExistingRepository: _NO_REPOSITORIES,
    ast.DropRepository: _NO_REPOSITORIES, ast.Backup: _NO_BACKUPS, ast.RestoreBackup: _NO_BACKUPS,
}

# The first words of MatrixOne's snapshot, PITR and restore statements (`modsl import` for
# another engine names them as MatrixOne's).
SQL_OPENERS: tuple[tuple[str, ...], ...] = (
    ("CREATE", "SNAPSHOT"), ("CREATE", "PITR"), ("DROP", "SNAPSHOT"), ("DROP", "PITR"),
    ("ALTER", "PITR"), ("RESTORE", "ACCOUNT"), ("RESTORE", "CLUSTER"), ("RESTORE", "DATABASE"),
    ("RESTORE", "TABLE"), ("RESTORE", "FROM"))

"""StarRocks' name and the statements it expresses (every version alike), and why it cannot
express MatrixOne's: what the checker reads of the engine (MB408,
`modsl.checker.capabilities`) and what its rules say, without importing the engine's
package."""

from __future__ import annotations

from collections.abc import Mapping

from modsl.language import ast
from modsl.targets import Expressible

ENGINE_NAME = "starrocks"

STATEMENTS: Mapping[type, Expressible] = {t: Expressible() for t in (
    ast.CreateRepository, ast.ExistingRepository, ast.DropRepository, ast.Backup,
    ast.RestoreBackup, ast.Verify, ast.Schedule)}

_NO_SNAPSHOTS = ("StarRocks has no snapshots of that kind; back up to a repository with "
                 "`backup database DB to REPO as NAME`")
_NO_PITRS = "StarRocks has no point-in-time recovery windows"
_NO_CLONES = ("clones are MatrixOne's (`CREATE DATABASE ... CLONE`); StarRocks restores a "
              "backup into another database: `... into database D`")

REFUSALS: Mapping[type, str] = {
    ast.CreateSnapshot: _NO_SNAPSHOTS, ast.DropSnapshot: _NO_SNAPSHOTS,
    ast.ExistingSnapshot: _NO_SNAPSHOTS,
    ast.ScheduledSnapshot: "scheduled snapshots are MatrixOne's; StarRocks backs up to a "
                           "repository",
    ast.CreatePitr: _NO_PITRS, ast.AlterPitr: _NO_PITRS, ast.DropPitr: _NO_PITRS,
    ast.ExistingPitr: _NO_PITRS,
    ast.Restore: ('StarRocks restores from a repository: `restore database DB from REPO '
                  'snapshot NAME at "TIMESTAMP"`'),
    ast.Clone: _NO_CLONES, ast.Drill: _NO_CLONES,
}

# The first words of StarRocks' repository, backup and restore statements (MatrixOne's own
# `BACKUP 'ts' FILESYSTEM ...` is not one of them).
SQL_OPENERS: tuple[tuple[str, ...], ...] = (
    ("BACKUP", "SNAPSHOT"), ("BACKUP", "DATABASE"), ("RESTORE", "SNAPSHOT"),
    ("CREATE", "REPOSITORY"), ("CREATE", "READ", "ONLY", "REPOSITORY"), ("DROP", "REPOSITORY"))

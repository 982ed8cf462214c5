"""Generated plans for benchmarks: realistic, lint-clean apart from warnings, any size."""

from __future__ import annotations

from datetime import datetime, timedelta

# A moment every declared PITR window (7 days) still reaches when the bench runs.
TS = f'"{(datetime.now() - timedelta(days=1)):%Y-%m-%d %H:%M:%S}"'


def plan(statements: int) -> str:
    """A sys plan of `statements` steps cycling through every kind of statement."""
    lines = ["target matrixone 4.2", "as account sys", ""]
    i = 0
    while len(lines) - 3 < statements:
        db, t = f"db{i}", f"t{i}"
        block = [
            f"existing pitr w{i} for database {db} range 7d",
            f"snapshot s{i} for database {db}",
            f"pitr p{i} for table {db}.{t} range 7d",
            f"snapshot a{i} for account acc{i} if not exists",
            f"restore table {db}.{t} from snapshot s{i}",
            f"alter pitr p{i} range 14d",
            f"restore database {db} from pitr w{i} at {TS}",
            f"restore account acc{i} from snapshot a{i} # modsl: ignore[MB501]",
            f"drop snapshot s{i} if exists",
            f"drop pitr p{i}",
            f"existing snapshot e{i} for table {db}.{t}",
        ]
        lines += block
        i += 1
    return "\n".join(lines[: statements + 3]) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(plan(int(sys.argv[1])))

"""Drill mode: `modsl apply PLAN --standin` rehearses a plan on a stand-in seeded from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import REPO, modsl_command

NOW = ["--now", "2026-11-20 18:00:00"]


def drill(plan: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*modsl_command(), "apply", str(plan), "--standin", "--yes", *NOW,
                             *extra], capture_output=True, text=True, cwd=plan.parent,
                            timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_example_drill_runs_green(tmp_path: Path) -> None:
    plan = tmp_path / "restore-drill.mobak"
    plan.write_bytes((REPO / "examples" / "restore-drill.mobak").read_bytes())
    result = drill(plan)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all live checks passed" in result.stdout and "done: 2 statement(s) ran" in result.stdout
    assert not (tmp_path / ".modsl").exists()  # a drill never leaves a real run's journal


def test_seed_data_and_pitr_timestamps(tmp_path: Path) -> None:
    seed = tmp_path / "seed.sql"
    seed.write_text("CREATE TABLE shop.orders (id INT, total INT);\n"
                    "INSERT INTO shop.orders VALUES (1, 10), (2, 20);\n"
                    "-- as account acc2\nCREATE DATABASE crm;\n", encoding="utf-8")
    plan = tmp_path / "plan.mobak"
    plan.write_text("as account acc1\nexisting pitr acc_pitr for account range 2d\n"
                    "snapshot shop_before for database shop\n"
                    'restore database shop from pitr acc_pitr at "2026-11-20 15:00:00"\n',
                    encoding="utf-8")
    result = drill(plan, "--seed", str(seed))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "inside PITR `acc_pitr`'s window" in result.stdout


def test_a_seed_that_fails_names_its_line(tmp_path: Path) -> None:
    seed = tmp_path / "seed.sql"
    seed.write_text("CREATE DATABASE shop2;\n\nINSERT INTO nowhere.t VALUES (1);\n",
                    encoding="utf-8")
    plan = tmp_path / "plan.mobak"
    plan.write_text("as account acc1\nsnapshot s for database shop\n", encoding="utf-8")
    result = drill(plan, "--seed", str(seed))
    assert result.returncode == 2
    assert f"the seed failed on the stand-in: {seed}:3:" in result.stderr


def test_standin_and_dsn_exclude_each_other(tmp_path: Path) -> None:
    plan = tmp_path / "plan.mobak"
    plan.write_text("as account acc1\nsnapshot s for database shop\n", encoding="utf-8")
    assert drill(plan, "--dsn", "mysql://u@h").returncode == 2
    seedless = subprocess.run([*modsl_command(), "apply", str(plan), "--seed", "x.sql", "--dsn",
                               "mysql://u@h"], capture_output=True, text=True, timeout=60)
    assert seedless.returncode == 2 and "--seed goes with --standin" in seedless.stderr


def test_the_drill_restores_the_seeded_rows_as_of_the_moment(tmp_path: Path) -> None:
    """In process: the seed lands before the restore's moment, later writes are undone."""
    from datetime import datetime, timedelta

    import pymysql

    import modsl
    from modsl.engines.matrixone import drill as drills

    text = ("as account acc1\nexisting pitr acc_pitr for account range 2d\n"
            "snapshot shop_before for database shop\n"
            'restore database shop from pitr acc_pitr at "2026-11-20 15:00:00"\n')
    plan = modsl.parse(text, "plan.mobak")[0]
    now = datetime(2026, 11, 20, 18, 0, 0)
    server = drills.start(plan, modsl.targets.default(), "acc1",
                          "CREATE TABLE shop.orders (id INT);\n"
                          "INSERT INTO shop.orders VALUES (1), (2);", "seed.sql", now)
    try:
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="acc1:admin",
                               password=drills.PASSWORD, autocommit=True)
        server.clock.set(now - timedelta(hours=1))  # after the moment: a late write
        with conn.cursor() as cur:
            cur.execute("INSERT INTO shop.orders VALUES (3)")
        server.clock.set(now)
        applied = modsl.apply(modsl.check(plan, now=now), dsn=drills.dsn(server, "acc1"),
                              confirm=lambda shown: True, journal=str(tmp_path / "j"))
        assert applied.ok, applied.outcome
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM shop.orders ORDER BY id")
            assert cur.fetchall() == ((1,), (2,))
    finally:
        server.stop()


def example(tmp_path: Path, edit: tuple[str, str] = ("", "")) -> Path:
    for name in ("orders-drill.mobak", "orders-seed.sql"):
        text = (REPO / "examples" / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(*edit) if edit[0] else text, encoding="utf-8")
    return tmp_path / "orders-drill.mobak"


def test_the_example_drill_with_verify_and_rollback_runs_green(tmp_path: Path) -> None:
    result = drill(example(tmp_path), "--seed", "orders-seed.sql")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done: 5 statement(s) ran" in result.stdout
    assert "ROLLBACK: RESTORE DATABASE `orders`{SNAPSHOT='orders_before'};" in result.stdout


def test_a_drill_whose_verify_fails_rolls_back_to_the_rows_written_since(tmp_path: Path) -> None:
    """The restore loses the two rows the seed wrote after the snapshot; the failed verify
    rolls back, and the verifies before it, run again, see all five."""
    plan = example(tmp_path, ('= 0\n', '= 0\nverify rows orders.items >= 4\n'))
    result = drill(plan, "--seed", "orders-seed.sql", "--reverify")
    assert result.returncode == 1
    assert "verify failed: the first value is 3, expected >= 4" in result.stderr
    assert "orders-drill.mobak:15: RESTORE DATABASE `orders`{SNAPSHOT='orders_before'};" in \
        result.stderr
    assert "orders-drill.mobak:17: the first value is 5, expected >= 3" in result.stderr
    # ... and the row with qty 0 the seed wrote after the snapshot is back too.
    assert "✗ reverified" in result.stderr
    assert "orders-drill.mobak:18: the first value is 1, expected = 0" in result.stderr
    assert "the rollback put the data back" in result.stderr

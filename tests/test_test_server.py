"""scripts/test-server.sh, as CI and developers run it: a second run (a second `eval`, a
second CI step) reuses the running server; it once failed on `tls: unbound variable`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import REPO

SCRIPT = REPO / "scripts" / "test-server.sh"


def script(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A server of its own (not the one other tests use), stopped afterwards.
    env = {**os.environ, "MODSL_TEST_SERVER_DIR": str(tmp_path / "mariadb"),
           "MODSL_TEST_SERVER_PORT": "33079"}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_a_second_run_reuses_the_server(tmp_path: Path) -> None:
    try:
        first = script(tmp_path)
        assert first.returncode == 0, first.stderr
        second = script(tmp_path)
        assert second.returncode == 0, second.stderr
        assert "unbound variable" not in second.stderr
        assert second.stdout == first.stdout
        assert "export MODSL_TEST_DSN=mysql://modsl:" in second.stdout
        assert f"export MODSL_TEST_CA={tmp_path / 'mariadb'}/tls/ca.pem" in second.stdout
    finally:
        script(tmp_path, "stop")

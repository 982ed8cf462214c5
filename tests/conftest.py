"""Shared test helpers: where the data lives, golden-file comparison, the corpus, and the
servers the apply tests run on."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from modsl.standin import StandIn

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


def standin_sql(server: StandIn, *statements: str,
                login: str = "root") -> list[tuple[object, ...]]:
    """The rows of the last of `statements`, run in order on a stand-in as `login` (root, or
    a tenant's `acc:user` whose password the tests make `pw`)."""
    import pymysql

    conn = pymysql.connect(host="127.0.0.1", port=server.port, user=login,
                           password="" if login == "root" else "pw", autocommit=True)
    rows: list[tuple[object, ...]] = []
    with conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
            rows = list(cur.fetchall())
    return rows


def modsl_command() -> list[str]:
    """The installed `modsl` console script (what users run), else `python -m modsl`."""
    found = shutil.which("modsl", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "modsl"]


# -- the servers the apply tests run on (issue 20) ----------------------------------------------
# `standin` (modsl's in-process MatrixOne stand-in) always; `mariadb` when MODSL_TEST_DSN is set
# or MariaDB is installed, and always in CI, where a MariaDB that cannot start fails the tests.
# A test that uses the `apply_server` fixture runs once per server (ids [standin], [mariadb]);
# `@pytest.mark.servers("mariadb")` narrows it; `@pytest.mark.one_server` runs it on one server
# only, MariaDB when there is one (what it tests does not depend on the server, and it is slow).
# A test left with no server is not generated (deselected, never skipped).

SERVER_SCRIPT = REPO / "scripts" / "test-server.sh"


def mariadb_here() -> bool:
    """MODSL_TEST_DSN, or mariadbd installed. MODSL_TEST_NO_MARIADB=1 says neither, to show
    what a fresh machine runs (tests/test_apply.py's test of this fixture)."""
    if os.environ.get("MODSL_TEST_NO_MARIADB") == "1":
        return False
    return bool(os.environ.get("MODSL_TEST_DSN")) or shutil.which("mariadbd") is not None \
        or Path("/usr/sbin/mariadbd").exists()


SERVERS = ["standin", "mariadb"] if IN_CI or mariadb_here() else ["standin"]


@dataclass(frozen=True)
class Server:
    """A server the apply tests run on: its DSN (an admin login), the CA of its TLS
    certificate, and how a second login is made on it."""

    name: str
    dsn: str
    ca: Path

    def login(self, user: str) -> str:
        """The login name of `user`: MatrixOne's users live in an account (`acc:user`)."""
        account = unquote(urlsplit(self.dsn).username or "").partition(":")
        return f"{account[0]}:{user}" if self.name == "standin" else user

    def login_dsn(self, user: str, password: str) -> str:
        """The DSN of `user` (its password as it is: the DSN parser takes any character)."""
        parts = urlsplit(self.dsn)
        return f"mysql://{quote(self.login(user), safe='')}:{password}@{parts.hostname}:" \
               f"{parts.port}"

    def create_user(self, user: str, password: str) -> list[str]:
        """What makes `user` a login that may create databases. The same CREATE USER on both;
        MariaDB wants a grant too (the stand-in keeps no privileges)."""
        made = [f"CREATE USER IF NOT EXISTS {user} IDENTIFIED BY '{password}'"]
        return made + ([f"GRANT ALL PRIVILEGES ON *.* TO {user}"] if self.name == "mariadb"
                       else [])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "servers(*names): run only on these of the apply "
                                       "tests' servers (standin, mariadb)")
    config.addinivalue_line("markers", "one_server: run on one server only (MariaDB when "
                                       "there is one)")
    config.addinivalue_line("markers", "needs(*programs): run only where these programs are "
                                       "installed (always in CI, which installs them)")


def missing_programs() -> list[str]:
    """Programs `needs` markers name that this machine lacks (none count in CI: .ci/run
    installs them, and a test that then lacks one fails)."""
    wanted = ("zsh", "fish")
    without = os.environ.get("MODSL_TEST_WITHOUT", "").split(",")  # as on a fresh machine
    return [] if IN_CI else [p for p in wanted if shutil.which(p) is None or p in without]


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = []
    if "mariadb" in SERVERS:
        why = ("CI" if IN_CI and not mariadb_here() else
               "MODSL_TEST_DSN" if os.environ.get("MODSL_TEST_DSN") else "started here")
        lines.append(f"apply tests run on: standin (in-process), mariadb ({why})")
    else:
        lines.append("apply tests run on: standin (in-process) only - no MariaDB here (install "
                     "mariadb-server or set MODSL_TEST_DSN); tests for MariaDB alone are "
                     "deselected")
    if missing_programs():
        lines.append(f"not installed here: {', '.join(missing_programs())}; the tests that "
                     "load completion scripts in them are deselected (CI runs them)")
    return lines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "apply_server" not in metafunc.fixturenames:
        return
    names = list(SERVERS)
    only = metafunc.definition.get_closest_marker("servers")
    if only is not None:
        names = [n for n in names if n in only.args]
    if metafunc.definition.get_closest_marker("one_server"):
        names = names[-1:]
    if names:  # none: not generated at all (pytest_collection_modifyitems drops the item)
        metafunc.parametrize("apply_server", names, indirect=True, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    lacking = set(missing_programs())
    unserved = [item for item in items
                if ("apply_server" in getattr(item, "fixturenames", ())
                    and "apply_server" not in getattr(getattr(item, "callspec", None),
                                                      "params", {}))
                or any(set(m.args) & lacking for m in item.iter_markers("needs"))]
    if unserved:
        config.hook.pytest_deselected(items=unserved)
        items[:] = [item for item in items if item not in unserved]


@pytest.fixture(scope="session")
def apply_server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if request.param == "standin":
        yield from _standin(tmp_path_factory.mktemp("standin-tls"))
    else:
        yield from _mariadb()


def _standin(tls: Path) -> Iterator[Server]:
    """A MatrixOne stand-in with TLS, and a tenant to log in to: sys takes any password, an
    account's users only their own."""
    import ssl

    import pymysql

    from modsl.standin.server import StandIn

    subprocess.run(["bash", "-c", _CERTIFICATES], cwd=tls, check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls / "server.pem", tls / "server-key.pem")
    with StandIn(ssl=context) as standin:
        password = secrets.token_hex(8)
        root = pymysql.connect(host="127.0.0.1", port=standin.port, user="root", password="")
        with root.cursor() as cur:
            cur.execute(f"CREATE ACCOUNT modsl ADMIN_NAME 'admin' IDENTIFIED BY '{password}'")
        root.close()
        yield Server("standin", f"mysql://modsl%3Aadmin:{password}@127.0.0.1:{standin.port}",
                     tls / "ca.pem")


_CERTIFICATES = """
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=modsl stand-in CA" \
    -keyout ca-key.pem -out ca.pem
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr
printf "subjectAltName=IP:127.0.0.1\\n" > san.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
    -extfile san.cnf -out server.pem
"""
"""A CA and a certificate it signed for 127.0.0.1 (as scripts/test-server.sh makes MariaDB's)."""


def _mariadb() -> Iterator[Server]:
    """MODSL_TEST_DSN, or a throwaway MariaDB started here (scripts/test-server.sh)."""
    value = os.environ.get("MODSL_TEST_DSN")
    if value:
        yield Server("mariadb", value, Path(os.environ.get("MODSL_TEST_CA", "")))
        return
    if os.environ.get("MODSL_TEST_NO_MARIADB") == "1" or not mariadb_here():
        pytest.fail("no MariaDB and no MODSL_TEST_DSN: CI must start it (.ci/run does)")
    env = {**os.environ, "MODSL_TEST_SERVER_DIR": "/tmp/modsl-pytest-mariadb",
           "MODSL_TEST_SERVER_PORT": "33062"}
    out = subprocess.run(["bash", str(SERVER_SCRIPT)], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    exports = dict(line.removeprefix("export ").split("=", 1)
                   for line in out.stdout.splitlines() if line.startswith("export "))
    if out.returncode != 0 or "MODSL_TEST_DSN" not in exports:
        pytest.fail(f"could not start MariaDB: {out.stderr[-500:]}")
    try:
        yield Server("mariadb", exports["MODSL_TEST_DSN"], Path(exports.get("MODSL_TEST_CA", "")))
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop"], env=env, timeout=60, check=False)

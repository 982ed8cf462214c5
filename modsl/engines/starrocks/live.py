"""StarRocks' live checks: the plan's promises read back before anything runs, read-only
(STARROCKS.md §7.4, §8: `SELECT current_version()`, `SHOW REPOSITORIES`, which needs no
privilege, and `SHOW SNAPSHOT ON r WHERE ...`, which needs REPOSITORY on SYSTEM).

MB601 the server and release, MB603 an `existing repository` the server lacks, MB604 a
repository or backup name the plan would create that is taken, MB607 a restore whose backup
(name and timestamp) is not in its repository, or holds another database, MB608 on 3.3 a
restore into a database the server lacks (3.3's BackupHandler creates none; 3.4+ does)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from modsl import targets
from modsl.engines.starrocks.quoting import ident, string
from modsl.engines.starrocks.statements import ENGINE_NAME
from modsl.language import ast
from modsl.runtime.live import Check, LiveObject, ServerInfo, Unreadable, query
from modsl.targets import TargetVersion

_RELEASE = re.compile(r"(\d+)\.(\d+)")


def target_of(release: tuple[int, int]) -> TargetVersion | None:
    """The target that speaks a release's backup SQL: 3.3 for everything before 3.4."""
    versions = targets.versions(ENGINE_NAME)
    if release < (3, 4):
        return versions[0]
    exact = next((v for v in versions if v.version == f"{release[0]}.{release[1]}"), None)
    return exact or (versions[-1] if release > (4, 1) else None)


def server(connection: Any) -> ServerInfo:
    version = _version(connection)
    m = _RELEASE.match(version or "")
    if version is None or m is None:
        return ServerInfo(version or "?", None, "")
    return ServerInfo(version, target_of((int(m.group(1)), int(m.group(2)))), "")


def _version(connection: Any) -> str | None:
    try:
        _, rows = query(connection, "SELECT current_version()")
    except Unreadable:
        return None
    return str(rows[0][0]) if rows else None


def checks(connection: Any, target: TargetVersion, plan: ast.Plan | None,
           done: frozenset[int]) -> Iterator[Check]:
    try:
        yield from _checks(connection, target, plan, done)
    except Unreadable as exc:
        yield Check("MB601", False, f"the server did not answer a read every StarRocks "
                    f"answers: {exc}")


def _checks(connection: Any, target: TargetVersion, plan: ast.Plan | None,
            done: frozenset[int]) -> Iterator[Check]:
    info = server(connection)
    if info.target is None:
        yield Check("MB601", False, f"the server is not a StarRocks release modsl knows: "
                    f"`SELECT current_version()` says `{info.version}`; the plan is for "
                    f"{target.name}")
        return
    shown = f"StarRocks `{info.version}`"
    if info.target.capabilities != target.capabilities:
        yield Check("MB601", False, f"the server is {shown}, the plan's target is "
                    f"{target.name}: its statements would not be the server's; compile for "
                    f"{info.target.name}")
        return
    yield Check("MB601", True, f"the server is {shown}, which {target.name} speaks")
    if plan is None:
        return
    names, rows = query(connection, "SHOW REPOSITORIES")
    column = names.index("reponame") if "reponame" in names else 1
    on_server = {str(r[column]) for r in rows}
    present = set(on_server)
    databases = None if target.can("database_clause") else _databases(connection)
    for st in plan.statements:
        line = st.span.line
        match st:
            case ast.ExistingRepository():
                yield Check("MB603", st.name.text in present,
                            f"repository `{st.name.text}` "
                            + ("is on the server" if st.name.text in present else
                               "is not on the server (SHOW REPOSITORIES does not list it)"),
                            line)
            case ast.CreateRepository():
                if line not in done:
                    taken = st.name.text in present
                    yield Check("MB604", not taken, f"repository `{st.name.text}` " + (
                        "exists already on the server: the create would fail" if taken
                        else "does not exist yet"), line)
                present.add(st.name.text)
            case ast.DropRepository():
                present.discard(st.name.text)
                on_server.discard(st.name.text)
            case ast.Backup():
                repo = st.repository.text
                if line not in done and st.schedule is None:
                    yield _backup_objects(connection, st, line)
                if line not in done and repo in on_server and st.schedule is None:
                    # a scheduled backup's label is a template: each firing checks its own
                    found = _snapshots(connection, repo, st.snapshot.text, None)
                    yield Check("MB604", not found, f"backup `{st.snapshot.text}` " + (
                        f"is in repository `{repo}` already: the backup would fail"
                        if found else f"is not in repository `{repo}` yet"), line)
            case ast.RestoreBackup():
                repo = st.repository.text
                into = st.into or st.scope.database
                if databases is not None and into is not None:
                    there = into.text in databases or into.text.lower() in databases
                    yield Check("MB608", there, f"database `{into.text}` " + (
                        "is on the server" if there else
                        f"is not on the server, and StarRocks {target.version} restores only "
                        f"into a database that exists (`Unknown database '{into.text}'`): "
                        "create it first"), line)
                if st.at is not None and repo in on_server:
                    yield _backup_there(connection, st, st.at.text, line)
            case _:
                pass  # verifies read, and nothing else is StarRocks'


def _backup_objects(connection: Any, st: ast.Backup, line: int) -> Check:
    """MB608: the database a backup takes, and each table it names, exist (the analyzer's
    `Unknown database`, `Incorrect table name`: BackupRestoreAnalyzer), read as the server
    lists them. A database the plan restores first is not judged: a backup after its own
    restore is unusual, and the restore's result is not read."""
    database = st.database.text
    try:
        if database not in _databases(connection):
            return Check("MB608", False, f"database `{database}` is not on the server: the "
                         f"backup would fail (`Unknown database '{database}'`)", line)
        quoted = database.replace("'", "''")
        _, rows = query(connection, "SELECT table_name FROM information_schema.tables WHERE "
                                    f"table_schema = '{quoted}'")
    except Unreadable as exc:
        return Check("MB608", True, f"database `{database}` is left unchecked: the server "
                     f"did not answer ({exc})", line)
    tables = {str(r[0]) for r in rows}
    missing = [t.name.text for t in st.tables if t.name.text not in tables]
    if missing:
        return Check("MB608", False, f"table `{database}.{missing[0]}` is not on the server: "
                     f"the backup would fail (`Incorrect table name '{missing[0]}'`)", line)
    what = f"{len(st.tables)} table(s) named" if st.tables else "every table"
    return Check("MB608", True, f"database `{database}` is on the server, {what}", line)


def _databases(connection: Any) -> set[str]:
    _, rows = query(connection, "SELECT schema_name FROM information_schema.schemata")
    return {str(r[0]) for r in rows}


def repositories(connection: Any) -> list[LiveObject]:
    """The repositories SHOW REPOSITORIES lists (it needs no privilege, STARROCKS.md §8)."""
    names, rows = query(connection, "SHOW REPOSITORIES")
    name = names.index("reponame") if "reponame" in names else 1
    location = names.index("location") if "location" in names else None
    return [LiveObject("repository", str(r[name]), "", "", "", "",
                       location=str(r[location]) if location is not None else "")
            for r in rows]


def backups_in(connection: Any, repo: str, label: str) -> list[datetime | None]:
    """When each backup `label` in `repo` was taken (SHOW SNAPSHOT's Timestamp; None where
    it does not read as one)."""
    return [_taken(str(row.get("timestamp", "")))
            for row in _snapshots(connection, repo, label, None)]


def backups(connection: Any, repo: str, label: str | None = None
            ) -> list[tuple[str, datetime | None]]:
    """`ENGINE.live_backups()`: each backup in `repo` (only those labelled `label`, with
    one) and when it was taken, oldest first."""
    if label is not None:
        return [(label, stamp) for stamp in backups_in(connection, repo, label)]
    names, rows = query(connection, f"SHOW SNAPSHOT ON {ident(repo)}")
    at = names.index("snapshot") if "snapshot" in names else 0
    stamp = names.index("timestamp") if "timestamp" in names else None
    ordered = sorted(rows, key=lambda r: "" if stamp is None else str(r[stamp]))
    return [(str(r[at]), None if stamp is None else _taken(str(r[stamp]))) for r in ordered]


def _taken(text: str) -> datetime | None:
    try:
        return datetime.strptime(text[:19], "%Y-%m-%d-%H-%M-%S")
    except ValueError:
        return None


def _snapshots(connection: Any, repo: str, label: str,
               stamp: str | None) -> list[dict[str, Any]]:
    where = f"SNAPSHOT = {string(label)}" + (
        "" if stamp is None else f" AND TIMESTAMP = {string(stamp)}")
    names, rows = query(connection, f"SHOW SNAPSHOT ON {ident(repo)} WHERE {where}")
    return [dict(zip(names, r, strict=False)) for r in rows]


def _backup_there(connection: Any, st: ast.RestoreBackup, stamp: str, line: int) -> Check:
    repo, label = st.repository.text, st.snapshot.text
    found = [r for r in _snapshots(connection, repo, label, stamp)
             if str(r.get("status", "OK")).upper() == "OK"]
    if not found:
        return Check("MB607", False, f"repository `{repo}` holds no backup `{label}` taken at "
                     f"{stamp} (SHOW SNAPSHOT ON `{repo}`)", line)
    held = str(found[0].get("database") or "")
    db = st.scope.database.text if st.scope.database else ""
    if held and db and held != db:
        return Check("MB607", False, f"backup `{label}` at {stamp} holds database `{held}`, "
                     f"not `{db}`", line)
    return Check("MB607", True, f"backup `{label}` at {stamp} is in repository `{repo}`", line)

"""MatrixOne's live checks (MB601-MB609): what the server says, read as MATRIXONE.md §6
lists (the version string, `current_account_name()`, `SHOW SNAPSHOTS`, `SHOW PITR`,
`SHOW ACCOUNTS`, `now()`) and as snapshot.go reads a snapshot (`SHOW DATABASES|TABLES
{SNAPSHOT = 's'}`), against what the plan promises. Read-only; judged as the server would
judge the statements that follow (pitr.go's window for PITR timestamps)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, assert_never

from modsl import targets
from modsl.engines.matrixone.live_objects import Catalog, missing, over_quota, read
from modsl.engines.matrixone.quoting import ident, string
from modsl.engines.matrixone.statements import ENGINE_NAME
from modsl.language import ast
from modsl.runtime.live import Check, LiveObject, ServerInfo, Unreadable, query
from modsl.targets import TargetVersion
from modsl.time.clock import BadTimestamp, parse_timestamp, window_start

# `defaultServerVersionPrefix` (pkg/config/configuration.go): 8.0.30-MatrixOne-v4.2.0
_VERSION = re.compile(r"MatrixOne-v?(\d+)\.(\d+)", re.I)
_RANGE = re.compile(r"(\d+)([a-z]+)")


def checks(connection: Any, target: TargetVersion, own: str, plan: ast.Plan | None,
           done: frozenset[int]) -> Iterator[Check]:
    try:
        yield from _checks(connection, target, own, plan, done)
    except Unreadable as exc:
        yield Check("MB601", False, f"the server did not answer a read every MatrixOne "
                    f"answers: {exc}")


def server(connection: Any) -> ServerInfo:
    version = str(_one(connection, "SELECT version()"))
    m = _VERSION.search(version)
    if m is None:
        return ServerInfo(version, None, "")
    account = str(_one(connection, "SELECT current_account_name()")).lower()
    return ServerInfo(version, _target_of((int(m.group(1)), int(m.group(2)))), account)


def _checks(connection: Any, target: TargetVersion, own: str, plan: ast.Plan | None,
            done: frozenset[int]) -> Iterator[Check]:
    version = str(_one(connection, "SELECT version()"))
    m = _VERSION.search(version)
    if m is None:
        yield Check("MB601", False, f"the server is not MatrixOne: it says `{version}`; the "
                    f"plan is for {target.name}")
        return
    found = (int(m.group(1)), int(m.group(2)))
    server = _target_of(found)
    shown = f"MatrixOne {found[0]}.{found[1]} (`{version}`)"
    if server is None or server.capabilities != target.capabilities:
        fix = f"compile for {server.name}" if server else "modsl has no target for it"
        yield Check("MB601", False, f"the server is {shown}, the plan's target is "
                    f"{target.name}: its statements would not be the server's; {fix}")
        return
    yield Check("MB601", True, f"the server is {shown}, which {target.name} speaks")
    login = str(_one(connection, "SELECT current_account_name()")).lower()
    if login != own:
        yield Check("MB602", False, f"the login is in account `{login}`, the plan runs as "
                    f"account `{own}`: log in as `{own}:USER` (or add `?account={own}` to the "
                    "DSN)")
        return
    yield Check("MB602", True, f"the login is in account `{own}`")
    if plan is None:
        return
    quota = None if own == "sys" else target.limits.get("tenant_snapshots_per_level")
    yield from _promises(connection, own, plan, done, quota)


def _promises(connection: Any, own: str, plan: ast.Plan, done: frozenset[int],
              quota: int | None = None) -> Iterator[Check]:
    """Each line's promises, in order. `quota`: a tenant's snapshots per level (4.x), None
    where there is none (sys, 3.0)."""
    snapshots = _snapshots(connection)
    served = set(snapshots)  # on the server before the plan runs: their content can be read
    pitrs = _pitrs(connection)
    accounts = _accounts(connection) if any(
        isinstance(s, ast.Restore) and s.to_account for s in plan.statements) else None
    now: datetime | None = None
    catalog = Catalog(connection, own)
    for st in plan.statements:
        line = st.span.line
        if isinstance(st, ast.ScheduledSnapshot) or (
                isinstance(st, (ast.CreateSnapshot, ast.CreatePitr)) and line not in done
                and not (st.if_not_exists and st.name.key in (
                    snapshots if isinstance(st, ast.CreateSnapshot) else pitrs))):
            yield from missing(catalog, st)
        match st:
            case ast.ExistingSnapshot() | ast.ExistingPitr():
                yield _existing(st, snapshots if isinstance(st, ast.ExistingSnapshot)
                                else pitrs, own)
            case ast.CreateSnapshot() | ast.CreatePitr():
                table = snapshots if isinstance(st, ast.CreateSnapshot) else pitrs
                if (isinstance(st, ast.CreateSnapshot) and quota is not None
                        and st.scope.level is not ast.Level.CLUSTER and line not in done):
                    yield over_quota(st, snapshots, quota, own)
                what = "snapshot" if isinstance(st, ast.CreateSnapshot) else "PITR"
                name = st.name.key
                if not st.if_not_exists and line not in done:
                    yield Check("MB604", name not in table,
                                f"{what} `{name}` " + ("does not exist yet" if name not in
                                                       table else "exists already on the "
                                                       "server: the create would fail"), line)
                table.setdefault(name, _expected(st, own))
                if isinstance(st, ast.CreateSnapshot) and not st.if_not_exists:
                    served.discard(name)
            case ast.DropSnapshot():
                snapshots.pop(st.name.key, None)
                served.discard(st.name.key)
            case ast.DropPitr():
                pitrs.pop(st.name.key, None)
            case ast.Verify():
                if line not in done:
                    yield from read(catalog, st)
            case ast.Clone():
                catalog.clone(st)
            case ast.AlterPitr() | ast.Schedule() | ast.ScheduledSnapshot() | ast.Drill():
                pass  # `modsl run` checks what a firing will create when it fires
            case (ast.CreateRepository() | ast.ExistingRepository() | ast.DropRepository()
                  | ast.Backup() | ast.RestoreBackup()):
                pass  # StarRocks' (modsl.engines.starrocks.live)
            case ast.Restore():
                catalog.restore(st)
                if st.to_account is not None and accounts is not None:
                    yield _account_exists(st, accounts, line)
                if (st.source.kind is ast.SourceKind.SNAPSHOT and st.scope.database is not None
                        and st.source.name.key in served):
                    yield _in_snapshot(connection, st, line)
                if st.source.kind is ast.SourceKind.PITR and st.source.at is not None:
                    pitr = pitrs.get(st.source.name.key)
                    if pitr is not None and pitr.created is not None:
                        now = now or _now(connection)
                        yield _in_window(st.source.name.key, st.source.at.text, pitr, now, line)
            case _:
                assert_never(st)


def _existing(st: ast.ExistingSnapshot | ast.ExistingPitr, table: dict[str, LiveObject],
              own: str) -> Check:
    what = "snapshot" if isinstance(st, ast.ExistingSnapshot) else "PITR"
    name, line = st.name.key, st.span.line
    live = table.get(name)
    expected = _expected(st, own)
    declared = expected.describe()
    if live is None:
        listing = "SHOW SNAPSHOTS" if what == "snapshot" else "SHOW PITR"
        return Check("MB603", False, f"{what} `{name}` ({declared}) is not on the server: "
                     f"{listing} does not list it for account `{own}`", line)
    differs = [field for field in ("level", "account", "database", "table")
               if getattr(expected, field) not in ("", getattr(live, field))]
    if (isinstance(st, ast.ExistingPitr) and st.range is not None
            and _range_text(st.range) != live.range):
        differs.append("range")
    if differs:
        return Check("MB603", False, f"{what} `{name}` is {live.describe()} on the server, "
                     f"the plan declares {declared} ({', '.join(differs)} differ)", line)
    return Check("MB603", True, f"{what} `{name}` exists: {declared}", line)


def _account_exists(st: ast.Restore, accounts: set[str], line: int) -> Check:
    assert st.to_account is not None
    name = st.to_account.key
    source = st.scope.account.key if st.scope.account else ""
    if name in accounts or name == source:  # restoring a dropped account under its own name
        return Check("MB605", True, f"account `{name}` exists", line)
    return Check("MB605", False, f"account `{name}` does not exist (SHOW ACCOUNTS does not "
                 f"list it): the server says `no such account, account name: {name}`", line)


def _in_snapshot(connection: Any, st: ast.Restore, line: int) -> Check:
    """The database (and table) a restore names is in its snapshot, read as snapshot.go
    reads one; a server that cannot answer leaves it unchecked (a pass that says so)."""
    assert st.scope.database is not None
    name, db = st.source.name.key, st.scope.database.key
    table = st.scope.table.key if st.scope.table else None
    as_of = f"{{SNAPSHOT = {string(name)}}}"
    what = f"table `{db}.{table}`" if table else f"database `{db}`"
    try:
        found = {str(r[0]).lower() for r in query(connection, f"SHOW DATABASES {as_of}")[1]}
        if db in found and table is not None:
            found = {f"{db}.{str(r[0]).lower()}" for r in query(
                connection, f"SHOW TABLES FROM {ident(db)} {as_of}")[1]}
            db = f"{db}.{table}"
    except Unreadable as exc:
        return Check("MB607", True, f"{what} in snapshot `{name}` is left unchecked: the server "
                     f"did not answer a snapshot read ({exc})", line)
    if db in found:
        return Check("MB607", True, f"snapshot `{name}` holds {what}", line)
    # snapshot.go: `getCreateDatabaseSql` finds no database (ER_BAD_DB_ERROR, 1049) before
    # `restoreToDatabaseOrTable` finds no table.
    says = (f"internal error: table {table} not exists at snapshot {name}" if "." in db
            else f"Unknown database {st.scope.database.key}")
    return Check("MB607", False, f"snapshot `{name}` does not hold {what} (a read as of the "
                 "snapshot does not list it): the restore has nothing to bring back; the "
                 f"server says `{says}`", line)


def _in_window(name: str, text: str, pitr: LiveObject, now: datetime, line: int) -> Check:
    """pitr.go's checks, in its order: after the PITR was made, inside its range, not ahead
    of the server's clock."""
    try:
        moment = parse_timestamp(text)
    except BadTimestamp:
        return Check("MB606", True, f'"{text}" is left to lint (MB205)', line)
    assert pitr.created is not None
    m = _RANGE.fullmatch(pitr.range)
    start = window_start(now, int(m.group(1)), m.group(2)) if m else None
    shown = f"{now:%Y-%m-%d %H:%M:%S}"
    if moment <= pitr.created:
        why = f"is before PITR `{name}` was made ({pitr.created:%Y-%m-%d %H:%M:%S})"
    elif start is not None and moment < start:
        why = (f"is older than PITR `{name}`'s window of {pitr.range}: it reaches back to "
               f"{start:%Y-%m-%d %H:%M:%S} at the server's {shown}")
    elif moment > now:
        why = f"is later than the server's clock ({shown})"
    else:
        return Check("MB606", True, f'"{text}" is inside PITR `{name}`\'s window now '
                     f"(server time {shown})", line)
    return Check("MB606", False, f'"{text}" {why}: the restore would fail', line)


def _target_of(version: tuple[int, int]) -> TargetVersion | None:
    """The target whose SQL a server of `version` speaks: 2.1 to 3.0.x speak 3.0's, a release
    newer than the newest target speaks the newest's."""
    versions = targets.versions(ENGINE_NAME)
    if (2, 1) <= version < (3, 1):
        return versions[0]
    exact = {tuple(int(p) for p in v.version.split(".")): v for v in versions}
    if version in exact:
        return exact[version]
    newest = versions[-1]
    return newest if version > max(exact) and version[0] == max(exact)[0] else None


def _expected(st: ast.CreateSnapshot | ast.CreatePitr | ast.ExistingSnapshot | ast.ExistingPitr,
              own: str) -> LiveObject:
    """What the server would list for the object `st` creates or declares."""
    scope = st.scope
    level = scope.level.value
    account = scope.account.key if scope.account else (own if level == "account" else "")
    kind = "snapshot" if isinstance(st, (ast.CreateSnapshot, ast.ExistingSnapshot)) else "pitr"
    rng = getattr(st, "range", None)
    return LiveObject(kind, st.name.key, level, account,
                      scope.database.key if scope.database else "",
                      scope.table.key if scope.table else "",
                      _range_text(rng) if rng is not None else "")


def _range_text(d: ast.Duration) -> str:
    return f"{d.value}{d.unit}"


def _one(connection: Any, sql: str) -> object:
    _, rows = query(connection, sql)
    if not rows:
        raise Unreadable(f"`{sql}` returned no row")
    return rows[0][0]


def _rows(connection: Any, sql: str) -> list[dict[str, str]]:
    names, rows = query(connection, sql)
    return [{n: ("" if v is None else str(v)) for n, v in zip(names, row, strict=False)}
            for row in rows]


def _cell(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").lower()
    return "" if value == "*" else value


def objects(connection: Any) -> list[LiveObject]:
    """The snapshots (newest first) and PITRs the login can see."""
    return [*_snapshots(connection).values(), *_pitrs(connection).values()]


def _snapshots(connection: Any) -> dict[str, LiveObject]:
    found = {}
    for r in _rows(connection, "SHOW SNAPSHOTS"):
        name = _cell(r, "snapshot_name")
        found[name] = LiveObject("snapshot", name, _cell(r, "snapshot_level"),
                                 _cell(r, "account_name"), _cell(r, "database_name"),
                                 _cell(r, "table_name"), "", _time(r.get("timestamp", "")))
    return found


def _pitrs(connection: Any) -> dict[str, LiveObject]:
    found = {}
    for r in _rows(connection, "SHOW PITR"):
        name = _cell(r, "pitr_name")
        found[name] = LiveObject(
            "pitr", name, _cell(r, "pitr_level"), _cell(r, "account_name"),
            _cell(r, "database_name"), _cell(r, "table_name"),
            f"{_cell(r, 'pitr_length')}{_cell(r, 'pitr_unit')}",
            _time(r.get("created_time", "")))
    return found


def _accounts(connection: Any) -> set[str]:
    return {_cell(r, "account_name") for r in _rows(connection, "SHOW ACCOUNTS")}


def _now(connection: Any) -> datetime:
    return _time(str(_one(connection, "SELECT now()"))) or datetime.now()


def _time(text: str) -> datetime | None:
    try:
        return parse_timestamp(text)
    except BadTimestamp:
        return None

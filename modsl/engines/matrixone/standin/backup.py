"""Snapshots, PITRs and restores as a MatrixOne server runs them: its checks, its error texts,
its effects on the data. A second reading of MatrixOne (`pkg/frontend/snapshot.go`, `pitr.go`),
independent of modsl's checker: when the two disagree, one of them is wrong, and the
differential test says which line.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlglot import exp

from modsl.engines.matrixone import expressions as mo
from modsl.engines.matrixone.standin import gotime
from modsl.engines.matrixone.standin.world import SYSTEM_DATABASES, Pitr, Snapshot, World
from modsl.standin.store import Account, Image, ServerError, Store

SYNTAX = 1064


def _name(node: exp.Expr | None) -> str:
    return "" if node is None else node.name.lower()


def run(world: World, own: str, e: exp.Expr) -> None:
    """Run one snapshot, PITR or restore statement for account `own`."""
    with world.lock:
        if isinstance(e, mo.CreateSnapshot):
            _create_snapshot(world, own, e)
        elif isinstance(e, mo.DropSnapshot):
            _drop(world.snapshots, own, _name(e.this), bool(e.args.get("exists")), "snapshot")
        elif isinstance(e, mo.CreatePitr):
            _create_pitr(world, own, e)
        elif isinstance(e, mo.AlterPitr):
            _alter_pitr(world, own, e)
        elif isinstance(e, mo.DropPitr):
            _drop_pitr(world, own, e)
        elif isinstance(e, mo.RestoreSnapshot):
            _restore_snapshot(world, own, e)
        elif isinstance(e, mo.RestorePitr):
            _restore_pitr(world, own, e)
        else:  # a statement the dialect reads but this reading does not: never "run" it
            raise ServerError(f"the stand-in does not run {type(e).__name__} statements", 1235)


def _drop(table: dict, own: str, name: str, if_exists: bool, what: str) -> None:  # type: ignore[type-arg]
    if (own, name) not in table:
        if if_exists:
            return
        raise ServerError(f"{what} {name} does not exist")
    del table[(own, name)]


# -- snapshots -------------------------------------------------------------------------------

_PREDEFINED = frozenset({
    "mo_database", "mo_tables", "mo_columns", "mo_account", "mo_user", "mo_role",
    "mo_user_grant", "mo_role_grant", "mo_role_privs", "mo_user_defined_function",
    "mo_stored_procedure", "mo_mysql_compatibility_mode", "mo_indexes", "mo_table_partitions",
    "mo_pubs", "mo_stages", "mo_sessions", "mo_configurations", "mo_locks", "mo_variables",
    "mo_transactions", "mo_cache", "mo_foreign_keys", "mo_snapshots", "mo_subs", "mo_shards",
    "mo_shards_metadata", "mo_cdc_task", "mo_cdc_watermark", "mo_pitr",
})
"""mo_catalog's own tables (authenticate.go's predefinedTables): any other table there is a
cluster table (`isClusterTable`)."""
SNAPSHOT_QUOTA = 50  # feature_limit.go: defaultSnapshotLimit, a tenant's per level (4.x)


def _valid(name: str) -> None:
    """`inputNameIsInvalid`: what MatrixOne splices into its catalog SQL."""
    if any(c in name for c in " \t`\"'"):
        raise ServerError("invalid input")


def _fits(world: World, name: str) -> None:
    """mo_snapshots.sname is varchar(64) (predefined.go): a longer name fails its insert.
    Before 4.2 the plan-time check of an inserted value (`SetInsertValueString`) refuses it
    as an internal error; 4.2 leaves it to the assignment cast, which says 1406."""
    runes = len(name)
    if runes <= 64:
        return
    shown = name if runes <= 100 else name[:100] + "..."
    if world.family >= (4, 2):
        raise ServerError(f"Can't cast '{shown}' to VARCHAR type. Src length {runes} is "
                          "larger than Dest length 64", 1406)
    raise ServerError(f"Can't cast '{shown}' to VARCHAR type. Src length "
                      f"{len(name.encode())} is larger than Dest length 64")


def _create_snapshot(world: World, own: str, e: exp.Expr) -> None:
    """`doCreateSnapshot`, in its order: the quota, who may, the name, then the object."""
    level = e.args["kind"].lower()
    name = _name(e.this)
    account, database, table = own, _name(e.args.get("database")), _name(e.args.get("table"))
    if level != "cluster" and world.family >= (4, 0) and own != "sys" and sum(
            1 for (creator, _), s in world.snapshots.items()
            if creator == own and s.account == own and s.level == level) >= SNAPSHOT_QUOTA:
        raise ServerError(f"feature SNAPSHOT with scope {level} has reached the limit of "
                          f"{SNAPSHOT_QUOTA}")
    if level == "cluster" and own != "sys":
        raise ServerError("only sys tenant can create cluster level snapshot")
    if level == "account":
        account = _name(e.args.get("account")) or own
        if own != "sys" and account != own:
            raise ServerError("only sys tenant can create tenant level snapshot for other tenant")
    _valid(name)
    if (own, name) in world.snapshots:
        if e.args.get("exists"):
            return  # a silent no-op: no new snapshot is taken
        raise ServerError(f"snapshot {name} already exists")
    store = world.accounts[own].store
    if level == "cluster":
        account = ""
    elif level == "account":
        if account != own and account not in world.accounts:
            raise ServerError(f"account {account} does not exist")
    elif level == "database":
        if database in SYSTEM_DATABASES:
            raise ServerError(f"can not create snapshot for system database {database}")
        if not store.has(database):
            raise ServerError(f"database {database} does not exist")
    else:
        if database in SYSTEM_DATABASES:
            if database == "mo_catalog" and table not in _PREDEFINED \
                    and not table.startswith("__mo_index_"):
                raise ServerError(f"can not create snapshot for cluster table "
                                  f"{database}.{table}")
            raise ServerError(f"can not create pitr for system table {database}.{table}")
        if not store.has_table(database, table):
            raise ServerError(f"table {database}.{table} does not exist")
    _fits(world, name)
    data = world.data() if level == "cluster" else {
        account: world.accounts[account].store.image()}
    world.snapshots[(own, name)] = Snapshot(name, level, account, database, table,
                                            world.clock.now(), own, data)


def _restore_snapshot(world: World, own: str, e: exp.Expr) -> None:
    """`doRestoreSnapshot`: the snapshot, `checkRestorePriv` check by check (an unnamed
    account is the snapshot's), the accounts, then the data."""
    if bool(e.args.get("brace")) != (world.family >= (4, 0)):
        raise ServerError("You have an error in your SQL syntax", SYNTAX)
    name = _name(e.args["snapshot"])
    _valid(name)
    snap = world.snapshots.get((own, name))  # an account sees the snapshots it made
    if snap is None:
        raise ServerError(f"find 0 snapshot records by name({name}), expect only 1")
    level = e.args["kind"].lower()
    named = _name(e.args.get("account"))
    database, table = _name(e.args.get("database")), _name(e.args.get("table"))
    source = named or (snap.account if level != "cluster" else "")
    to = _name(e.args.get("to_account"))
    if level == "cluster":
        if own != "sys":
            raise ServerError("non-sys account can't restore cluster level snapshot")
        if snap.level != "cluster":
            raise ServerError(f"snapshot {name} is not cluster level snapshot")
    elif level == "account":
        if source == "sys" and own != "sys":
            raise ServerError("non-sys account can't restore sys account")
        if to:
            if own != "sys":
                raise ServerError("non-sys account can't restore snapshot to another account")
            if to == "sys" and snap.account != "sys":
                raise ServerError("non-sys account's snapshot can't restore to sys account")
        if snap.level in ("database", "table"):
            raise ServerError("can't restore account from db or table level snapshot")
    elif level == "database":
        if database in SYSTEM_DATABASES:
            raise ServerError(f"can't restore db: {database}")
        if snap.level in ("cluster", "table"):
            raise ServerError(f"can't restore db from {snap.level} level snapshot")
        if source != own:
            raise ServerError("can't restore database from other account's snapshot")
        if snap.level == "database" and snap.database != database:
            raise ServerError(f"databaseName({database}) does not match "
                              f"snapshot.databaseName({snap.database})")
    else:
        if database in SYSTEM_DATABASES:
            raise ServerError(f"can't restore db: {database}")
        if snap.level == "cluster":
            raise ServerError("can't restore db from cluster level snapshot")
        if source != own:
            raise ServerError("can't restore table from other account's snapshot")
        # Only MatrixOne after 4.2 (main, snapshot.go:1002) refuses a table restore from a
        # snapshot of another database; up to 4.2 it reads the table as of its timestamp.
        if world.family > (4, 2) and snap.level == "database" and snap.database != database:
            raise ServerError(f"databaseName({database}) does not match "
                              f"snapshot.databaseName({snap.database})")
        if snap.level == "table" and (snap.database, snap.table) != (database, table):
            raise ServerError(f"tableName({table}) does not match "
                              f"snapshot.tableName({snap.table})")
    if level != "cluster" and snap.level != "cluster" and snap.account != source:
        raise ServerError(f"accountName({source}) does not match "
                          f"snapshot.accountName({snap.account})")
    if level == "cluster":
        _replace_cluster(world, snap.data)
        return
    if level == "account":
        if snap.level == "cluster":  # restoreToAccountUsingCluster: reads TO ACCOUNT
            dest = to or source
        else:  # getFromAccountIdAndToAccountId: from sys, both ends are sys
            dest = "sys" if own == "sys" and source == "sys" else (to or source)
        if dest not in world.accounts:
            raise ServerError(f"no such account, account name: {dest}")
        _replace_account(world, dest, snap.data.get(source))
        return
    then = Store(snap.data[source]) if source in snap.data else Store()
    if not then.has(database):  # getCreateDatabaseSql: no such database at the snapshot
        raise ServerError(f"Unknown database {database}", 1049)
    if level == "table" and not then.has_table(database, table):
        raise ServerError(f"table {table} not exists at snapshot {name}")
    _replace_part(world, own, database, table if level == "table" else "", then)


# -- PITR ------------------------------------------------------------------------------------

_UNITS = ("h", "d", "mo", "y")


def _range(e: exp.Expr, *, low: int) -> tuple[int, str]:
    value, unit = int(e.args["value"].name), e.args["unit"].name.lower()
    if not low <= value <= 100:
        raise ServerError(f"invalid pitr value {value}")
    if unit not in _UNITS:
        raise ServerError(f"invalid pitr unit {unit}")
    return value, unit


SYS_PITR = "sys_mo_catalog_pitr"
"""sys's PITR of mo_catalog, which MatrixOne keeps while any PITR exists (pitr.go:643-750,
821-840), as long as the longest of them."""


def _create_pitr(world: World, own: str, e: exp.Expr) -> None:
    """`doCreatePitr`, in its order: who may, the range, the name, then the object."""
    name = _name(e.this)
    level = e.args["kind"].lower()
    named = _name(e.args.get("account"))
    account, database, table = own, _name(e.args.get("database")), _name(e.args.get("table"))
    if level == "cluster" and own != "sys":
        raise ServerError("only sys tenant can create cluster level pitr")
    if level == "account" and named and own != "sys":
        raise ServerError("only sys tenant can create tenant level pitr for other tenant")
    value, unit = _range(e, low=1)
    if name == SYS_PITR:
        raise ServerError("pitr name is reserved")
    if (own, name) in world.pitrs:
        if e.args.get("exists"):
            return
        raise ServerError(f"pitr {name} already exists")
    store = world.accounts[own].store
    if level == "cluster":
        account = ""
    elif level == "account":
        account = named or own
        if named and account not in world.accounts:
            raise ServerError(f"account {account} does not exist")
    elif level == "database":
        if database in SYSTEM_DATABASES:
            raise ServerError(f"can not create pitr for current database {database}")
        if not store.has(database):
            raise ServerError(f"database {database} does not exist")
    else:
        if database in SYSTEM_DATABASES:
            raise ServerError(f"can not create pitr for current table {database}.{table}")
        if not store.has_table(database, table):
            raise ServerError(f"table {database}.{table} does not exist")
    for p in world.pitrs.values():
        if p.creator != own or p.level != level:
            continue
        if level == "cluster":
            raise ServerError("cluster level pitr already exists")
        if (p.account, p.database, p.table) == (account, database, table):
            what = {"account": f"account `{account}`", "database": f"database `{database}`",
                    "table": f"database `{database}` table `{table}`"}[level]
            raise ServerError(f"{what} already has a pitr")
    now = world.clock.now()
    world.pitrs[(own, name)] = Pitr(name, level, account, database, table, value, unit, now,
                                    now, own)
    kept = world.pitrs.get(("sys", SYS_PITR))
    if kept is None:
        world.pitrs[("sys", SYS_PITR)] = Pitr(SYS_PITR, "database", "sys", "mo_catalog", "",
                                              value, unit, now, now, "sys")
    elif _window_start(now, value, unit) < _window_start(now, kept.length, kept.unit):
        kept.length, kept.unit = value, unit


def _drop_pitr(world: World, own: str, e: exp.Expr) -> None:
    """`doDropPitr`: the last PITR dropped takes sys's mo_catalog PITR with it."""
    _drop(world.pitrs, own, _name(e.this), bool(e.args.get("exists")), "pitr")
    if all(name == SYS_PITR for _, name in world.pitrs):
        world.pitrs.pop(("sys", SYS_PITR), None)


def _alter_pitr(world: World, own: str, e: exp.Expr) -> None:
    """`doAlterPitr`: the range is judged before the PITR is looked for."""
    value, unit = _range(e, low=0)  # ALTER lets 0 through
    name = _name(e.this)
    pitr = world.pitrs.get((own, name))
    if pitr is None:
        if e.args.get("exists"):
            return
        raise ServerError(f"pitr {name} does not exist")
    pitr.length, pitr.unit = value, unit
    pitr.modified = world.clock.now()


def parse_time(text: str) -> datetime:
    """A PITR restore's timestamp; Go's own error is what MatrixOne answers (code 1105)."""
    try:
        return gotime.parse(text)
    except gotime.ParseError as exc:
        raise ServerError(str(exc), 1105) from None


def _window_start(now: datetime, length: int, unit: str) -> datetime:
    """`addTimeSpan`: hours and days by duration, months and years by calendar."""
    if unit in ("h", "d"):
        return now - timedelta(hours=length * (24 if unit == "d" else 1))
    months = length * (12 if unit == "y" else 1)
    index = now.year * 12 + now.month - 1 - months
    return now.replace(year=index // 12, month=index % 12 + 1, day=1) + timedelta(
        days=now.day - 1)


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _restore_pitr(world: World, own: str, e: exp.Expr) -> None:
    """`doRestorePitr`: the timestamp, the PITR, the levels (`checkPitrValidOrNot`), then the
    window (`checkPitrInValidDurtion`), then the data as of that moment."""
    moment = parse_time(e.args["timestamp"].name)
    name = _name(e.args["pitr"])
    pitr = world.pitrs.get((own, name))
    if pitr is None:
        raise ServerError(f"pitr {name} does not exist")
    level = e.args["kind"].lower()
    target = _name(e.args.get("account"))
    source = _name(e.args.get("source"))
    database, table = _name(e.args.get("database")), _name(e.args.get("table"))
    if database in SYSTEM_DATABASES:
        raise ServerError(f"database {database} can not be restore")
    _check_levels(pitr, own, level, target, source, database, table)
    now = world.clock.now()
    if moment <= pitr.created:
        raise ServerError(f"input timestamp {_fmt(moment)} is less than the pitr valid time "
                          f"{_fmt(pitr.created)}")
    start = _window_start(now, pitr.length, pitr.unit)
    if moment < start:
        raise ServerError(f"input timestamp {_fmt(moment)} is less than the pitr range minest "
                          f"timestamp {_fmt(start)}")
    if moment > now:
        raise ServerError(f"input timestamp {_fmt(moment)} is bigger than now timestamp "
                          f"{_fmt(now)}")
    then = world.as_of(moment)
    if level == "cluster":
        _replace_cluster(world, then)
    elif level == "account" and target:  # restore another account (or into one)
        origin = source or pitr.account
        if target not in world.accounts and target != origin:
            raise ServerError(f"no such account, account name: {target}")
        if target not in world.accounts:
            world.accounts[target] = Account(target, "admin", "")
        _replace_account(world, target, then.get(origin))
    elif level == "account":
        _replace_account(world, own, then.get(own))
    else:
        past = Store(then[own]) if own in then else Store()
        if level == "database" and not past.has(database):
            raise ServerError(f"database '{database}' does not exists at timestamp: "
                              f"{_fmt(moment)}")
        if level == "table" and not past.has_table(database, table):
            raise ServerError(f"database '{database}' table '{table}' does not exists at "
                              f"timestamp: {_fmt(moment)}")
        _replace_part(world, own, database, table if level == "table" else "", past)


def _check_levels(pitr: Pitr, own: str, level: str, target: str, source: str, database: str,
                  table: str) -> None:
    """`checkPitrValidOrNot` (pitr.go), check by check."""
    name = pitr.name
    if level == "cluster":
        if pitr.level != "cluster":
            raise ServerError(f"restore level {pitr.level} is not allowed for cluster restore")
        if own != "sys":
            raise ServerError(f"account {own} is not allowed to restore cluster level pitr {name}")
    elif level == "account" and not target:
        if pitr.level != "account":
            raise ServerError(f"restore level {pitr.level} is not allowed for account restore")
        if pitr.account != own:
            raise ServerError(f"pitr {name} is not allowed to restore account {own}")
    elif level == "account":
        if own != "sys":
            raise ServerError(f"account {own} is not allowed to restore other account {target}")
        if pitr.level in ("database", "table"):
            raise ServerError(f"can not restore account {target} by pitr {name}")
        if not source:
            if target == "sys":
                raise ServerError(f"can not restore sys account to new account {target} by "
                                  f"pitr {name}")
            if pitr.level == "cluster":
                raise ServerError(f"can not restore account {target} by pitr {name}, source "
                                  "account is empty")
            if pitr.account == "sys":
                raise ServerError(f"can not restore sys account to new account {target} by "
                                  f"pitr {name}")
        else:
            if pitr.level != "cluster":
                raise ServerError(f"can not restore account {source} by pitr {name}, the pitr "
                                  "level is not cluster")
            if source == "sys" and target != "sys":
                raise ServerError(f"can not restore sys account to new account {target} by "
                                  f"pitr {name}")
            if source != "sys" and target == "sys":
                raise ServerError(f"can not restore account {source} to sys account by pitr "
                                  f"{name}")
    elif level == "database":
        if pitr.level == "cluster":
            raise ServerError("cluster level pitr `cluster` is not allowed for database restore")
        if pitr.level == "table":
            raise ServerError("restore level table is not allowed for database restore")
        if pitr.level == "account" and pitr.account != own:
            raise ServerError(f"pitr {name} is not allowed to restore account {own} database "
                              f"{database}")
        if pitr.level == "database" and (pitr.account, pitr.database) != (own, database):
            raise ServerError(f"pitr {name} is not allowed to restore database {database}")
    else:
        if pitr.level == "cluster":
            raise ServerError("cluster level pitr `cluster` is not allowed for table restore")
        if pitr.level == "account" and pitr.account != own:
            raise ServerError(f"pitr {name} is not allowed to restore account {own} database "
                              f"{database} table {table}")
        if pitr.level == "database" and (pitr.account, pitr.database) != (own, database):
            raise ServerError(f"pitr {name} is not allowed to restore database {database} "
                              f"table {table}")
        if pitr.level == "table" and (pitr.account, pitr.database, pitr.table) != (
                own, database, table):
            raise ServerError(f"pitr {name} is not allowed to restore table {database}.{table}")


# -- effects ---------------------------------------------------------------------------------

def _replace_cluster(world: World, data: dict[str, Image]) -> None:
    """Every account back as it was: accounts created since are dropped, dropped ones return."""
    for name in list(world.accounts):
        if name not in data:
            del world.accounts[name]
    for name, image in data.items():
        account = world.accounts.get(name)
        if account is None:
            account = world.accounts[name] = Account(name, "admin", "")
        account.store = Store(image)
    world.record()


def _replace_account(world: World, name: str, image: Image | None) -> None:
    """Restoring an account first drops every non-system database of it."""
    world.accounts[name].store = Store(image)
    world.record(name)


def _replace_part(world: World, account: str, database: str, table: str, source: Store,
                  ) -> None:
    """A database or a table is dropped and recreated from the source (which holds it)."""
    world.accounts[account].store.copy_from(source, database, table)
    world.record(account)

"""StarRocks' rules: what its parser and analyzer refuse (STARROCKS.md §3, §5, §6), what its
job submission refuses that a plan already shows (§7.1), and secrets kept out of the plan.

Each message quotes the server's own words where it has some, so a user who has seen the
error recognises it. Names keep their case: StarRocks compares table names exactly (B9).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from modsl.checker import Ctx, rule
from modsl.checker.names import did_you_mean, names_in
from modsl.checker.schedules import template_per_firing
from modsl.diagnostics import Diagnostic
from modsl.engines.starrocks.java import INT_BITS, LONG_BITS, parse_integer, trim, wrapped
from modsl.engines.starrocks.statements import ENGINE_NAME as STARROCKS
from modsl.environ import ENV_NAME
from modsl.language import ast
from modsl.language.secrets import is_secret

BACKUP_KEYS = ("timeout", "type")
RESTORE_KEYS = ("timeout", "replication_num", "allow_load", "meta_version",
                "starrocks_meta_version")
TIMEOUT_MIN = 600
"""Seconds (BRA:519-534: `timeout must be at least 10 min`)."""
DEFAULT_TIMEOUT = 86400
"""`backup_job_default_timeout_ms` / 1000."""

# FeNameFormat.java: a repository name.
_REPOSITORY = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9_]{0,63}|_[a-zA-Z0-9][a-zA-Z0-9_]{0,62})\Z")
# FeNameFormat.DB_NAME_REGEX, as Java's `matches` reads it: `\w` is ASCII only there.
_DATABASE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9_]{0,255}|_[a-zA-Z0-9][a-zA-Z0-9_]{0,254})\Z")
# BackupJob: yyyy-MM-dd-HH-mm-ss-SSS; snapshots from older releases have no -SSS.
_BACKUP_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d(-\d{3})?\Z")


def _props(st: ast.Statement) -> tuple[ast.Property, ...]:
    return getattr(st, "properties", ())


def key_of(p: ast.Property, target: object) -> str:
    """The key the server looks up: 3.4+ trims it (AstBuilder), 3.3 takes it as written."""
    can = getattr(target, "can", None)
    return trim(p.key) if can is not None and can("trimmed_keys") else p.key


# -- names ------------------------------------------------------------------------------

@rule("MB220", ast.CreateRepository, ast.ExistingRepository, ast.DropRepository, ast.Backup,
      ast.RestoreBackup, engines=(STARROCKS,))
def names(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    for name, what in names_in(st):
        text = name.text
        if not text:
            yield Diagnostic("MB220", f"empty {what} name", name.span,
                             help="give it a name, e.g. `nightly`")
        elif any(ord(c) < 32 or ord(c) == 127 for c in text):
            yield Diagnostic("MB220", f"{what} name contains a control character", name.span,
                             help="names are printable text")
        elif what == "repository" and not _REPOSITORY.match(text):
            yield Diagnostic("MB220", f"Incorrect repository name '{text}'", name.span,
                             help="a repository name is a letter, then up to 63 letters, "
                                  "digits or `_` (or `_` and a letter or digit first)")
        elif (isinstance(st, ast.Backup) and name is st.database
              and not _DATABASE.match(text)):
            yield Diagnostic("MB220", f"Incorrect database name '{text}'", name.span,
                             help="StarRocks backs up only a database whose name is an ASCII "
                                  "letter, then ASCII letters, digits or `_` (or `_` and a "
                                  "letter or digit first), up to 256 (FeNameFormat); rename "
                                  "it to back it up (a restore may create any name)")
    if isinstance(st, ast.CreateRepository) and st.broker_name is not None \
            and not st.broker_name.text:
        yield Diagnostic("MB220", "You must specify the broker of the repository",
                         st.broker_name.span,
                         help="name the broker, or write `broker` alone for the "
                              "default (brokerless) access")


@rule("MB224", ast.CreateRepository, engines=(STARROCKS,))
def location(st: ast.CreateRepository, ctx: Ctx) -> Iterator[Diagnostic]:
    if not st.location:
        yield Diagnostic("MB224", "You must specify a location on the repository", st.span,
                         help='write where the backups go: `at "s3://bucket/path"`')


# -- properties --------------------------------------------------------------------------

@rule("MB216", ast.Backup, ast.RestoreBackup, engines=(STARROCKS,))
def property_keys(st: ast.Backup | ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    backup = isinstance(st, ast.Backup)
    known = BACKUP_KEYS if backup else RESTORE_KEYS
    seen: set[str] = set()
    for p in st.properties:
        key = key_of(p, ctx.target)
        if key == "backup_timestamp" and not backup:
            yield Diagnostic("MB216", 'the backup timestamp is written with `at "..."`, not '
                             "as a property", p.span,
                             help='move it: `snapshot S at "2026-11-20-10-00-00-123"`')
        elif key not in known:
            job = "backup" if backup else "restore"
            lower = trim(key).lower()
            hint = ((f"StarRocks {ctx.target.version} looks keys up as written: write "
                     f"`{lower}`, without blanks" if trim(key) != key else
                     f"property keys are case-sensitive: write `{lower}`") if lower in known
                    else f"{job} properties are " + ", ".join(f"`{k}`" for k in known))
            yield Diagnostic("MB216", f"Unknown {job} job properties: [{p.key}]", p.span,
                             help=hint + did_you_mean(p.key, known) if lower not in known
                             else hint)
        elif key in seen:
            yield Diagnostic("MB216", f"property `{key}` is given twice", p.span,
                             help="the server keeps only one; remove the other")
        seen.add(key)


def _value_problem(key: str, value: str) -> str | None:
    """StarRocks' message for a bad job property value (BRA), or None."""
    if key == "timeout":
        seconds = parse_integer(value, LONG_BITS)
        if seconds is None:
            return f"Invalid timeout format: {value}"
        if wrapped(seconds * 1000) < TIMEOUT_MIN * 1000:  # Java's long product overflows
            return "timeout must be at least 10 min"
    elif key == "type" and value.upper() not in ("FULL", "INCREMENTAL"):
        return f"Invalid backup job type: {value}"
    elif key in ("replication_num", "meta_version", "starrocks_meta_version") and (
            parse_integer(value, INT_BITS) is None):
        # one message for all three: BackupRestoreAnalyzer.parseInt (the 2.x RestoreAnalyzer
        # said `Invalid replication num format`; 3.3+ does not)
        return f"Invalid meta version format: {value}"
    elif key == "allow_load" and value.lower() not in ("true", "false"):
        return f"Invalid allow load value: {value}"
    return None


@rule("MB217", ast.Backup, ast.RestoreBackup, engines=(STARROCKS,))
def property_values(st: ast.Backup | ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    for p in st.properties:
        if p.env is not None:
            yield Diagnostic("MB217", f"`{p.key}` is a job setting, not a secret: write its "
                             "value", p.span, help='e.g. "timeout" = "7200"')
            continue
        key = key_of(p, ctx.target)
        problem = _value_problem(key, p.value or "")
        if problem is not None:
            hint = {"timeout": "seconds, at least 600 (the default is 86400, a day); a "
                               "value whose milliseconds pass 2^63 wraps negative",
                    "type": "`FULL` or `INCREMENTAL`", "allow_load": "`true` or `false`"}
            yield Diagnostic("MB217", problem, p.span,
                             help=hint.get(key, "a Java int: -2147483648 to 2147483647"))


@rule("MB218", ast.CreateRepository, engines=(STARROCKS,))
def literal_secret(st: ast.CreateRepository, ctx: Ctx) -> Iterator[Diagnostic]:
    for p in st.properties:
        if p.env is None and is_secret(p.key):
            yield Diagnostic("MB218", f"`{p.key}` holds a secret, written into the plan", p.span,
                             help=f'read it from the environment: "{p.key}" = '
                                  'env("NAME"); apply reads it when it runs, and it is '
                                  "written nowhere")


@rule("MB219", ast.CreateRepository, ast.Backup, ast.RestoreBackup, engines=(STARROCKS,))
def env_form(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    for p in _props(st):
        if p.env is None:
            continue
        if p.env_word != "env":
            yield Diagnostic("MB219", f"`{p.env_word}(...)` is not a value: a value is a "
                             'string or env("NAME")', p.span,
                             help=f'write env("{p.env}")')
        elif not ENV_NAME.match(p.env):
            yield Diagnostic("MB219", f'env("{p.env}") does not name an environment variable',
                             p.span, help="a variable name is letters, digits and `_`, not "
                                          "starting with a digit")


# -- the shape of a backup or restore ------------------------------------------------------

@rule("MB221", ast.Backup, ast.RestoreBackup, engines=(STARROCKS,))
def duplicates(st: ast.Backup | ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    tables: set[str] = set()
    aliases: set[str] = set()
    for item in st.tables:
        if item.name.text in tables:
            yield Diagnostic("MB221", f"Duplicated table: {item.name.text}", item.name.span,
                             help="list each table once (with all its partitions)")
        tables.add(item.name.text)
    for item in st.tables:
        alias = item.alias
        if alias is None:
            continue
        if alias.text in tables or alias.text in aliases:
            yield Diagnostic("MB221", f"Duplicated alias name: {alias.text}", alias.span,
                             help="an alias may not be a listed table's name or another alias")
        aliases.add(alias.text)


@rule("MB225", ast.Backup, engines=(STARROCKS,))
def no_retention(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.keep_for is not None or st.keep_last is not None:
        yield Diagnostic("MB225", "StarRocks cannot delete a backup from a repository (it has "
                         "no SQL for it), so `keep` would never be done", st.span,
                         help="retention lives in the storage: give the bucket (the "
                              "repository's location) a lifecycle rule that expires old "
                              "backups, and drop `keep` from this line")


@rule("MB410", ast.Backup, engines=(STARROCKS,))
def backup_schedule(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.schedule is not None and st.schedule.key not in ctx.schedules:
        known = ", ".join(f"`{n}`" for n in ctx.schedules) or "none"
        yield Diagnostic("MB410", f"there is no schedule `{st.schedule.key}` (defined: "
                         f"{known})", st.schedule.span,
                         help=f"add `schedule {st.schedule.key} every day at 01:00 in "
                              '"Asia/Shanghai"`')


@rule("MB214", ast.Backup, engines=(STARROCKS,))
def label_per_firing(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    """A scheduled backup's label names each firing once, as a scheduled snapshot's does."""
    if st.schedule is None:
        return
    scope = ast.Scope(ast.Level.DATABASE, database=st.database, span=st.database.span)
    yield from template_per_firing(
        ast.ScheduledSnapshot(st.snapshot, scope, st.schedule, span=st.span), ctx)


@rule("MB222", ast.Backup, engines=(STARROCKS,))
def backup_alias(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    for item in st.tables:
        if item.alias is not None:
            yield Diagnostic("MB222", "Specifying alias for backup object is forbidden in "
                             "BACKUP stmt", item.alias.span,
                             help="rename when you restore: `tables t as new_t` on the restore")


@rule("MB205", ast.RestoreBackup, engines=(STARROCKS,))
def backup_timestamp(st: ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.at is None:
        return
    text = st.at.text
    ok = _BACKUP_TIMESTAMP.match(text) is not None
    if ok:
        try:
            datetime.strptime(text[:19], "%Y-%m-%d-%H-%M-%S")
        except ValueError:
            ok = False
    if not ok:
        yield Diagnostic("MB205", f'malformed backup timestamp "{text}"', st.at.span,
                         help='copy the Timestamp column of SHOW SNAPSHOT ON the repository, '
                              'e.g. "2026-11-20-10-00-00-123"')


@rule("MB223", ast.RestoreBackup, engines=(STARROCKS,))
def timestamp_needed(st: ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.at is None and (st.repository.text, st.snapshot.text) not in ctx.state.backups:
        yield Diagnostic("MB223", f"Missing backup_timestamp property: the plan does not back "
                         f"up `{st.snapshot.text}` to `{st.repository.text}`, so it cannot "
                         "know which backup to restore", st.span,
                         help=f'add `at "TIMESTAMP"` from SHOW SNAPSHOT ON '
                              f"`{st.repository.text}` (only a backup this plan makes may "
                              "leave it out)")


@rule("MB411", ast.RestoreBackup, engines=(STARROCKS,))
def restore_level(st: ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.scope.level is not ast.Level.DATABASE:
        yield Diagnostic("MB411", f"StarRocks restores a database, not "
                         f"{st.scope.level.value} level", st.scope.span,
                         help="write `restore database DB from REPO snapshot S ...`, with "
                              "`tables T, ...` to restore only some tables")


@rule("MB408", ast.RestoreBackup, engines=(STARROCKS,))
def backup_database_before_34(st: ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    """`restore backup` means the database recorded in the backup: 3.4+'s reading of a
    restore that names none (AstBuilder). Before 3.4 a restore's database is the label's
    (`SNAPSHOT db.label`, the only form its grammar has), so no SQL says it there."""
    if st.names_no_database and not ctx.target.can("database_clause"):
        yield Diagnostic("MB408", f"{ctx.target.name} cannot express this statement: before "
                         "3.4 a restore goes into the database its `SNAPSHOT db.label` names, "
                         "and restoring the database recorded in the backup is 3.4+'s reading "
                         "of a restore that names none", st.scope.span,
                         help=f"name the database the backup holds: `restore database DB from "
                              f"{st.repository.text} snapshot {st.snapshot.text} ...` (or "
                              "target starrocks 3.4 and later)")


# -- repositories and backups ----------------------------------------------------------------

def _repository(name: ast.Name, ctx: Ctx) -> Iterator[Diagnostic]:
    repos = ctx.state.repositories
    known = repos.get(name.text)
    if known is None:
        yield Diagnostic("MB412", f"repository `{name.text}` is neither created nor declared "
                         f"in this plan{did_you_mean(name.text, repos)}", name.span,
                         help=f"if it exists on the server, declare it: `existing repository "
                              f"{name.text}` (the server says `Repository [{name.text}] does "
                              "not exist` otherwise)")
    elif known.dropped_at is not None:
        yield Diagnostic("MB413", f"repository `{name.text}` was dropped on line "
                         f"{known.dropped_at.line}", name.span,
                         help="use it before it is dropped, or drop it later")


@rule("MB412", ast.Backup, ast.RestoreBackup, ast.DropRepository, engines=(STARROCKS,))
def repository_known(st: ast.Backup | ast.RestoreBackup | ast.DropRepository,
                     ctx: Ctx) -> Iterator[Diagnostic]:
    name = st.name if isinstance(st, ast.DropRepository) else st.repository
    yield from _repository(name, ctx)


@rule("MB413", ast.CreateRepository, engines=(STARROCKS,))
def repository_twice(st: ast.CreateRepository, ctx: Ctx) -> Iterator[Diagnostic]:
    known = ctx.state.repositories.get(st.name.text)
    if known is not None and known.dropped_at is None:
        yield Diagnostic("MB413", f"Failed to create repository: repository with same name "
                         f"already exist: {st.name.text}", st.name.span,
                         help=f"it is {'declared' if known.declared else 'created'} on line "
                              f"{known.span.line}; drop it first or use that one")


@rule("MB414", ast.Backup, engines=(STARROCKS,))
def read_only(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    known = ctx.state.repositories.get(st.repository.text)
    if known is not None and known.read_only and known.dropped_at is None:
        yield Diagnostic("MB414", f"Repository {st.repository.text} is read only",
                         st.repository.span,
                         help=f"it is created `read only` on line {known.span.line}: back up "
                              "to a writable repository")


@rule("MB415", ast.Backup, engines=(STARROCKS,))
def label_twice(st: ast.Backup, ctx: Ctx) -> Iterator[Diagnostic]:
    earlier = ctx.state.backups.get((st.repository.text, st.snapshot.text))
    if earlier is not None:
        yield Diagnostic("MB415", f"Snapshot with name '{st.snapshot.text}' already exist in "
                         f"repository (line {earlier.span.line} writes it)", st.snapshot.span,
                         help="give each backup to a repository its own name, e.g. with a date")


@rule("MB416", ast.RestoreBackup, engines=(STARROCKS,))
def in_backup(st: ast.RestoreBackup, ctx: Ctx) -> Iterator[Diagnostic]:
    """A restore of a backup the plan makes can name only what that backup holds."""
    made = ctx.state.backups.get((st.repository.text, st.snapshot.text))
    db = st.scope.database
    if made is None or db is None:
        return
    if db.text != made.database.text:
        yield Diagnostic("MB416", f"target database: {db.text} is not existed in snapshot "
                         f"(line {made.span.line} backs up database `{made.database.text}`)",
                         db.span, help=f"restore database {made.database.text} (add `into "
                                       f"database {db.text}` to restore it under that name)")
        return
    if not made.tables:
        return
    held = {t.name.text: t for t in made.tables}
    for item in st.tables:
        source = held.get(item.name.text)
        if source is None:
            yield Diagnostic("MB416", f"Table {item.name.text} does not exist in snapshot "
                             f"{st.snapshot.text}{did_you_mean(item.name.text, held)}",
                             item.name.span,
                             help=f"line {made.span.line} backs up " + ", ".join(held))
            continue
        if source.partitions:
            kept = {p.text for p in source.partitions}
            for p in item.partitions:
                if p.text not in kept:
                    yield Diagnostic("MB416", f"Partition {p.text} of table {item.name.text} "
                                     f"does not exist in snapshot {st.snapshot.text}", p.span,
                                     help=f"line {made.span.line} backs up partitions "
                                          + ", ".join(sorted(kept)))

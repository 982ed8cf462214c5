"""The stand-in's StarRocks personality: repositories, backup and restore jobs that move
through StarRocks' states, `SHOW BACKUP|RESTORE|SNAPSHOT|REPOSITORIES`, and real rows.

Written from StarRocks' FE source as STARROCKS.md reads it (§2 grammar, §3 parse-time rules,
§5 analyzer, §7 submission and jobs), never from modsl's compiler or checker: its own small
parser reads the statements. A job advances one state each time a client polls SHOW
BACKUP/RESTORE (unless `held`), so tests decide when a job is in flight, and a killed client
finds it still running. One unfinished job per database (S7); the last job per database is
what SHOW lists (BH:133-141). Names are lower-cased, as the stand-in's data layer keeps them.
"""

from __future__ import annotations

import copy
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlglot
from mysql_mimic.auth import IdentityProvider
from sqlglot import exp

from modsl.standin import data
from modsl.standin.server import AnyLogin, Faults, Session
from modsl.standin.store import Account, Clock, Databases, ServerError, Table

ANALYZE = 5064  # ERR_COMMON_ERROR
SYNTAX = 1064
UNCODED = 1064
"""The code of an error raised with no ErrorCode (`QueryState.setError(String)`): the error
packet's default (MysqlErrPacket.java:31-33, 1064 and SQLSTATE HY000)."""
NULL_JOB_INFO = 'Cannot read field "dbName" because "jobInfo" is null'
"""3.4+: a BACKUP whose label names no database reaches `dbName = jobInfo.dbName` with
`jobInfo == null` (BackupHandler.java:315 on 3.4/3.5, 313 on 4.0, 323 on 4.1). The
NullPointerException passes ErrorReport.wrapWithRuntimeException (it catches only
UserException/StarRocksException, ErrorReport.java:116-122 on 3.4) and DDLStmtExecutor.execute
(`throw re`, no cause: DDLStmtExecutor.java:173-187 on 3.4, 183-197 on 3.5, 189-201 on 4.0,
204-216 on 4.1) to StmtExecutor.handleDdlStmt's `catch (Throwable e)`, which answers
`setError(e.getMessage())` (StmtExecutor.java:2062-2069 on 3.4, 2144 on 3.5, 2226 on 4.0, 2760
on 4.1). The message is the JVM's helpful NullPointerException text (JDK 15+; the local's
name shows because no pom overrides Maven's `debug`, i.e. javac -g; inferred, not run): 3.5+
require JDK 17 (bin/start_fe.sh MIN_JDK_VERSION). 3.4 also runs on JDK 11, whose message is
null, sent as "Unknown error" (QueryState.setMsg, MysqlErrPacket.java:56-59): the stand-in
answers as on JDK 17."""
BACKUP_STATES = ("PENDING", "SNAPSHOTING", "UPLOAD_SNAPSHOT", "UPLOADING", "SAVE_META",
                 "UPLOAD_INFO", "FINISHED")
RESTORE_STATES = ("PENDING", "SNAPSHOTING", "DOWNLOAD", "DOWNLOADING", "COMMIT", "COMMITTING",
                  "FINISHED")
# FeNameFormat.DB_NAME_REGEX under Java's `String.matches`, where `\w` is [a-zA-Z0-9_].
_DB_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_]{0,255}|_[a-zA-Z0-9][a-zA-Z0-9_]{0,254}")
_RESTORE_KEYS = {"backup_timestamp", "replication_num", "allow_load", "meta_version",
                 "starrocks_meta_version", "timeout"}


def analyzing(message: str) -> ServerError:
    return ServerError(f"Getting analyzing error. Detail message: {message}.", ANALYZE)


def syntax(message: str) -> ServerError:
    return ServerError(f"Getting syntax error. Detail message: {message}.", SYNTAX)


@dataclass
class Image:
    """One backup in a repository: what it holds, as it was."""

    label: str
    timestamp: str
    database: str
    tables: dict[str, Table]
    partitions: dict[str, set[str]] = field(default_factory=dict)
    """The partitions held of each partitioned table (a table not here has one partition,
    named as the table)."""
    dataless: set[str] = field(default_factory=set)
    """Tables whose metadata (schema, every partition) the image holds but not one snapshot
    of their data: a `PARTITION (col = value)` item names no partition, and BackupJob
    snapshots the partitions named (none) while its metadata copy keeps all (see `Job`)."""

    def partitions_of(self, table: str) -> set[str]:
        return self.partitions.get(table, {table})


@dataclass
class Repository:
    name: str
    location: str
    read_only: bool
    images: list[Image] = field(default_factory=list)
    created: datetime = field(default_factory=datetime.now)


@dataclass
class Job:
    job_id: int
    restore: bool
    label: str
    database: str
    repository: str
    tables: list[tuple[str, str]]
    """(name in the backup, name it gets)."""
    created: datetime
    timeout: int
    timestamp: str = ""
    target: str = ""
    partitions: dict[str, set[str]] = field(default_factory=dict)
    """A backup's tables restricted to named partitions."""
    dataless: set[str] = field(default_factory=set)
    """A backup's tables given as `t PARTITION (col = value, ...)`: the spec reaches BackupJob
    as a partition list with no names (AB:5184 on 3.3 puts the pairs beside it, where no backup
    code reads them; 4.1+ drops them in getTableRef, AB:3983-3994), so
    prepareAndSendSnapshotTask sends no snapshot task for `t` (BJ:474-485 on 3.3, 517-520 on
    3.4/3.5, 513-516 on 4.0/4.1) while its metadata copy, `selectiveCopy([])`, keeps every
    partition (BJ:513-515 on 3.3; OT: empty means all)."""
    state: str = "PENDING"
    status: str = "[OK]"
    finished: datetime | None = None

    @property
    def running(self) -> bool:
        return self.state not in ("FINISHED", "CANCELLED")


class StarRocksWorld:
    """One stand-in StarRocks cluster (no tenants: one set of databases)."""

    def __init__(self, version: str = "3.4.2", clock: Clock | None = None) -> None:
        self.version = version
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.account = Account("default_catalog", "root", "")
        self.repositories: dict[str, Repository] = {}
        self.jobs: dict[str, Job] = {}
        """The last job of each database."""
        self.partitions: dict[tuple[str, str], set[str]] = {}
        """(database, table) → the partitions of a partitioned table; a table not here is
        unpartitioned, and its one partition has the table's name."""
        self.temporary: dict[tuple[str, str], set[str]] = {}
        """(database, table) → its temporary partitions (BH refuses to back such a table up)."""
        self.held = False
        """Jobs do not advance while set (a test's job in flight)."""
        self.submitted = 0

    @property
    def release(self) -> tuple[int, int]:
        found = re.match(r"(\d+)\.(\d+)", self.version)
        return (int(found.group(1)), int(found.group(2))) if found else (99, 0)

    @property
    def databases(self) -> Databases:
        return self.account.databases

    def partitions_of(self, database: str, table: str) -> set[str]:
        return self.partitions.get((database, table), {table})

    def stamp(self) -> str:
        now = self.clock.now()
        return now.strftime("%Y-%m-%d-%H-%M-%S-") + f"{now.microsecond // 1000:03d}"

    def advance(self) -> None:
        """Every running job one state on."""
        if self.held:
            return
        for job in self.jobs.values():
            if job.running:
                self._step(job)

    def _step(self, job: Job) -> None:
        states = RESTORE_STATES if job.restore else BACKUP_STATES
        following = states[states.index(job.state) + 1]
        elapsed = (self.clock.now() - job.created) // timedelta(milliseconds=1)
        if job.restore and elapsed > java_millis(job.timeout):
            # RestoreJob.run, before any state's work (RJ:357-361 on 3.3)
            job.state = "CANCELLED"
            job.status = f"[TIMEOUT, msg: restore job with label: {job.label}  timeout.]"
            job.finished = self.clock.now()
            return
        if job.restore and job.state == "DOWNLOADING" and self._undownloadable(job):
            return
        try:
            if job.restore and job.state == "PENDING":
                self._prepare_restore(job)
            if following == "FINISHED":
                self._restore(job) if job.restore else self._upload(job)
        except ServerError as exc:
            job.state, job.status = "CANCELLED", f"[COMMON_ERROR, msg: {exc.message}]"
            job.finished = self.clock.now()
            return
        job.state = following
        if following == "FINISHED":
            job.finished = self.clock.now()

    def _image(self, job: Job) -> Image:
        repo = self.repositories.get(job.repository)
        image = None if repo is None else next(
            (i for i in repo.images if i.label == job.label and i.timestamp == job.timestamp),
            None)
        if image is None:
            raise ServerError(f"Failed to get info of snapshot '{job.label}' because: snapshot "
                              "info file not found. Maybe specified wrong backup timestamp")
        return image

    def _undownloadable(self, job: Job) -> bool:
        """A restore of a table the image holds no data of waits for downloads that never
        finish. Inferred, not read end to end: the BE answers `get nothing from remote path`
        (be/src/runtime/snapshot_loader.cpp:300-305 on 3.3), a failed task only records its
        message and stays unfinished (RJ:309-316), so the job sits in DOWNLOADING until its
        timeout cancels it (RJ:357-361). No server was run to confirm it."""
        repo = self.repositories.get(job.repository)
        image = None if repo is None else next(
            (i for i in repo.images if i.label == job.label and i.timestamp == job.timestamp),
            None)
        return image is not None and any(source in image.dataless for source, _ in job.tables)

    def _prepare_restore(self, job: Job) -> None:
        """RestoreJob.checkAndPrepareMeta: an existing table must have the backup's schema."""
        image = self._image(job)
        existing = self.databases.get(job.target, {})
        for source, name in job.tables:
            here = existing.get(name)
            if here is not None and here.columns != image.tables[source].columns:
                raise ServerError(f"Table {name} already exist but with different schema")

    def _restore(self, job: Job) -> None:
        image = self._image(job)
        tables = self.databases.setdefault(job.target, {})
        for source, name in job.tables:
            tables[name] = copy.deepcopy(image.tables[source])

    def _upload(self, job: Job) -> None:
        repo = self.repositories[job.repository]
        source = self.databases.get(job.database, {})
        held = {t: copy.deepcopy(source[t]) for t, _ in job.tables if t in source}
        for t in job.dataless & set(held):  # the schema without a row (see `Job.dataless`)
            held[t] = Table(held[t].columns, [], held[t].definition)
        parts = {t: job.partitions.get(t, self.partitions_of(job.database, t)) for t in held}
        repo.images.append(Image(job.label, job.timestamp, job.database, held,
                                 {t: p for t, p in parts.items() if p != {t}},
                                 job.dataless & set(held)))


# -- a small reader of StarRocks' statements (STARROCKS.md §2) ---------------------------------

_TOKEN = re.compile(r"""(?:\s|--[^\n]*|\#[^\n]*|/\*.*?\*/)*  # space and comments
    (?:(?P<q>`(?:[^`]|``)*`)                                  # a backquoted name
    |(?P<s>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')               # a string, either quote
    |(?P<w>[A-Za-z_$\d][\w$]*)                                # a word
    |(?P<p>[(),=.;*+-]))""", re.S | re.X)
# INTEGER_VALUE, DECIMAL_VALUE, DOUBLE_VALUE (StarRocksLex.g4:512-524 on 3.3; no sign).
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class Tokens:
    def __init__(self, sql: str) -> None:
        self.items: list[tuple[str, str]] = []
        self.spans: list[tuple[int, int]] = []
        """Where each item starts and ends in the text (a number is several items)."""
        pos, sql = 0, sql.rstrip().rstrip(";")
        while pos < len(sql):
            m = _TOKEN.match(sql, pos)
            if m is None or m.end() == pos:
                if sql[pos:].strip():
                    raise syntax(f"unexpected input near `{sql[pos:pos + 20]}`")
                break
            kind = m.lastgroup or "p"
            text = m.group(kind)
            if kind == "q":
                self.items.append(("name", text[1:-1].replace("``", "`")))
            elif kind == "s":
                self.items.append(("str", re.sub(r"\\(.)", r"\1", text[1:-1])))
            else:
                self.items.append(("word" if kind == "w" else "p", text))
            self.spans.append((m.start(kind), m.end()))
            pos = m.end()
        self.at = 0

    def peek(self, *words: str) -> bool:
        kinds = self.items[self.at:self.at + len(words)]
        return len(kinds) == len(words) and all(
            k[1].upper() == w for k, w in zip(kinds, words, strict=True))

    def take(self, *words: str) -> bool:
        if self.peek(*words):
            self.at += len(words)
            return True
        return False

    def need(self, *words: str) -> None:
        if not self.take(*words):
            raise syntax(f"expected {' '.join(words)}")

    def name(self) -> str:
        if self.at < len(self.items) and self.items[self.at][0] in ("name", "word"):
            self.at += 1
            return self.items[self.at - 1][1].lower()
        raise syntax("expected a name")

    def string(self) -> str:
        if self.at < len(self.items) and self.items[self.at][0] == "str":
            self.at += 1
            return self.items[self.at - 1][1]
        raise syntax("expected a string")

    def done(self) -> bool:
        return self.at >= len(self.items)

    def properties(self, trim: bool = False) -> dict[str, str]:
        """`PROPERTIES (...)`; `trim`: keys as 3.4+'s AstBuilder keeps them (String.trim)."""
        found: dict[str, str] = {}
        if self.take("PROPERTIES"):
            self.need("(")
            while True:
                key = self.string()
                if trim:
                    key = key.strip("".join(map(chr, range(33))))
                self.need("=")
                found[key] = self.string()
                if not self.take(","):
                    break
            self.need(")")
        return found

    def objects(self, release: tuple[int, int]) -> list[Item]:
        """`ON (...)` (G:2913-2927): one item per object. Views and materialized views are
        tables to the server; only a table item takes a partition spec. The object kinds
        (`TABLE`, `VIEW`, `MATERIALIZED VIEW`) parse from 3.4; before, an item is a bare name."""
        found: list[Item] = []
        if not self.take("ON"):
            return found
        self.need("(")
        while True:
            kind = "table"
            for word, named in (("MATERIALIZED", "materialized view"), ("VIEWS", "view"),
                                ("VIEW", "view"), ("TABLES", "table"), ("TABLE", "table")):
                if self.take(word):
                    if release < (3, 4):
                        raise syntax(f"Unexpected input '{word}', the most similar input is "
                                     "{a legal identifier}")
                    if word == "MATERIALIZED" and not (self.take("VIEW") or self.take("VIEWS")):
                        raise syntax("expected VIEW after MATERIALIZED")
                    kind = named
                    break
            item = Item(self.name(), kind)
            if kind == "table":
                self._partitions(item, release)
            item.alias = self.name() if self.take("AS") else None
            found.append(item)
            if not self.take(","):
                break
        self.need(")")
        return found

    def _partitions(self, item: Item, release: tuple[int, int]) -> None:
        """part-spec: `[TEMPORARY] PARTITION[S] (p, ...)` or, unparenthesised, `p` (before
        4.0 one name: a comma starts the next item) or `p, q, ...` (4.0+: a comma goes on while
        a partition name may follow), or keyPartitions, `PARTITION (col = literal, ...)`
        (G:2080-2088, 2465-2467 on 3.3; every release), which names no partition."""
        item.temporary = self.take("TEMPORARY")
        if not (self.take("PARTITION") or self.take("PARTITIONS")):
            if item.temporary:
                raise syntax("expected PARTITION after TEMPORARY")
            return
        keyword = self.items[self.at - 1][1].upper()
        if self._keyed():
            if item.temporary or keyword == "PARTITIONS":  # keyPartitions: PARTITION only
                raise syntax("`col = value` follows PARTITION alone, not TEMPORARY or "
                             "PARTITIONS")
            self._key_partitions(item)
            return
        if self.take("("):
            item.partitions.append(self.name_or_string())
            while self.take(","):
                item.partitions.append(self.name_or_string())
            self.need(")")
            return
        item.partitions.append(self.name_or_string())
        while release >= (4, 0) and self._another_partition():
            self.need(",")
            item.partitions.append(self.name_or_string())

    def _keyed(self) -> bool:
        """`( identifier =`: only keyPartitions can read the `=` (ANTLR picks it)."""
        ahead = self.items[self.at:self.at + 3]
        return (len(ahead) == 3 and ahead[0] == ("p", "(") and ahead[1][0] in ("name", "word")
                and ahead[2] == ("p", "="))

    def _key_partitions(self, item: Item) -> None:
        """`(col = literal, ...)`: read, then dropped. AstBuilder keeps the pairs out of the
        partition names (AB:5162-5185 on 3.3; 4.1+ drops them in getTableRef, AB:3983-3994),
        and nothing on the backup or restore path reads them (report 22 §1.3)."""
        self.need("(")
        while True:
            self.name()
            self.need("=")
            self.literal()
            if not self.take(","):
                break
        self.need(")")
        item.keyed = True

    def literal(self) -> str:
        """literalExpression as far as a partition value goes (G:2240-2250 on 3.3): NULL,
        TRUE/FALSE, a number, `DATE|DATETIME 'x'`, a string. Intervals, binary literals and
        `?` parse on the server too; the stand-in refuses them as a syntax error."""
        if self.at < len(self.items) and self.items[self.at][0] == "str":
            return self.string()
        if self.take("NULL") or self.take("TRUE") or self.take("FALSE"):
            return self.items[self.at - 1][1].upper()
        if (self.peek("DATE") or self.peek("DATETIME")) and self.at + 1 < len(self.items) \
                and self.items[self.at + 1][0] == "str":
            self.at += 1
            return self.string()
        end, text = self.at, ""
        while end < len(self.items) and self.items[end][0] in ("word", "p") \
                and self.items[end][1] not in ",()=;*" \
                and (end == self.at or self.spans[end][0] == self.spans[end - 1][1]):
            text += self.items[end][1]
            end += 1
        if not _NUMBER.fullmatch(text):
            raise syntax("expected a literal")
        self.at = end
        return text

    def _another_partition(self) -> bool:
        """`, p` goes on a 4.0+ partition list when `p` can be a partition name and what
        follows it can follow one (ANTLR's greedy loop): `,`, `)` or `AS`."""
        ahead = self.items[self.at:self.at + 3]
        if len(ahead) < 3 or ahead[0] != ("p", ","):
            return False
        kind, text = ahead[1]
        if kind not in ("name", "word", "str"):
            return False
        if kind == "word" and text.upper() in _OBJECT_WORDS:
            return False
        return ahead[2] in (("p", ","), ("p", ")")) or (ahead[2][0] == "word"
                                                        and ahead[2][1].upper() == "AS")

    def name_or_string(self) -> str:
        """ident | string: a partition name (pname), a broker."""
        if self.at < len(self.items) and self.items[self.at][0] == "str":
            return self.string().lower()
        return self.name()


_OBJECT_WORDS = {"ALL", "TABLE", "TABLES", "VIEW", "VIEWS", "MATERIALIZED", "FUNCTION",
                 "FUNCTIONS", "TEMPORARY", "PARTITION", "PARTITIONS"}


@dataclass
class Item:
    """One object of an `ON (...)` list."""

    table: str
    kind: str = "table"
    partitions: list[str] = field(default_factory=list)
    temporary: bool = False
    alias: str | None = None
    keyed: bool = False
    """`PARTITION (col = value, ...)`: a partition spec that names no partition."""


Result = tuple[list[tuple[object, ...]], list[str]]


def run(world: StarRocksWorld, sql: str, current: str | None = None) -> Result | None:
    """One backup-related statement; None when `sql` is not one (plain SQL, for the caller).
    `current`: the session's database (USE), which only BACKUP's analyzer reads."""
    t = Tokens(sql)
    with world.lock:
        if t.take("CREATE", "READ", "ONLY", "REPOSITORY") or t.take("CREATE", "REPOSITORY"):
            return _create_repository(world, t, t.items[1][1].upper() == "READ")
        if t.take("DROP", "REPOSITORY"):
            name = t.name()
            if name not in world.repositories:
                raise analyzing("Repository does not exist")
            if any(j.running and j.repository == name for j in world.jobs.values()):
                raise ServerError("Backup or restore job is running on this repository. Can "
                                  "not drop it", ANALYZE)
            del world.repositories[name]
            return [], []
        if t.take("SHOW", "REPOSITORIES"):
            return ([(i, r.name, r.created.strftime("%Y-%m-%d %H:%M:%S"), str(r.read_only).lower(),
                      r.location, "", "") for i, r in enumerate(world.repositories.values())],
                    ["RepoId", "RepoName", "CreateTime", "IsReadOnly", "Location", "Broker",
                     "ErrMsg"])
        if t.take("BACKUP"):
            return _backup(world, t, current)
        if t.take("RESTORE", "SNAPSHOT"):
            return _restore(world, t)
        if t.take("SHOW", "BACKUP") or t.take("SHOW", "RESTORE"):
            return _show_jobs(world, t, t.items[1][1].upper() == "RESTORE")
        if t.take("SHOW", "SNAPSHOT", "ON"):
            return _show_snapshot(world, t)
        if t.take("CANCEL", "BACKUP") or t.take("CANCEL", "RESTORE"):
            return _cancel(world, t, t.items[1][1].upper() == "RESTORE")
    return None


def _create_repository(world: StarRocksWorld, t: Tokens, read_only: bool) -> Result:
    name = t.name()
    t.need("WITH", "BROKER")
    broker = None if t.peek("ON") else t.name_or_string()
    t.need("ON", "LOCATION")
    location = t.string()
    t.properties()
    if not re.fullmatch(r"[a-zA-Z]\w{0,63}|_[a-zA-Z0-9]\w{0,62}", name):
        raise analyzing(f"Incorrect repository name '{name}'")
    if not location:
        raise analyzing("You must specify a location on the repository")
    if broker == "":
        raise analyzing("You must specify the broker of the repository")
    if name in world.repositories:
        raise ServerError(f"Failed to create repository: repository with same name already "
                          f"exist: {name}", ANALYZE)
    world.repositories[name] = Repository(name, location, read_only,
                                          created=world.clock.now())
    return [], []


def java_number(text: str, bits: int) -> int | None:
    """Long.parseLong (64) / Integer.parseInt (32): a sign, then digits of any script;
    None where Java throws (overflow too)."""
    digits = text[1:] if text[:1] in "+-" and text else text
    if not digits or not all(c.isdecimal() for c in digits):
        return None
    value = int("".join(str(unicodedata.decimal(c)) for c in digits))
    value = -value if text[0] == "-" else value
    return value if -(2 ** (bits - 1)) <= value < 2 ** (bits - 1) else None


def java_millis(seconds: int) -> int:
    """`seconds * 1000` as a Java long: what the server compares a job's age with."""
    millis = (seconds * 1000) % 2 ** 64
    return millis - 2 ** 64 if millis >= 2 ** 63 else millis


def _timeout(props: dict[str, str]) -> int:
    """BRA.setPropTimeout: seconds as a Java long, compared in milliseconds in long arithmetic."""
    value = props.get("timeout", "86400")
    seconds = java_number(value, 64)
    if seconds is None:
        raise analyzing(f"Invalid timeout format: {value}")
    if java_millis(seconds) < 600_000:
        raise analyzing("timeout must be at least 10 min")
    return seconds


def _slot(world: StarRocksWorld, database: str) -> None:
    job = world.jobs.get(database)
    if job is not None and job.running:
        raise ServerError("Can only run one backup or restore job of a database at same time",
                          ANALYZE)


def _database_clause(world: StarRocksWorld, t: Tokens) -> bool:
    """`DATABASE d`: 3.4+ syntax (STARROCKS.md §9)."""
    if not t.peek("DATABASE"):
        return False
    if world.release < (3, 4):
        raise syntax("Unexpected input 'DATABASE', the most similar input is {'SNAPSHOT'}")
    return t.take("DATABASE")


def _backup(world: StarRocksWorld, t: Tokens, current: str | None = None) -> Result:
    database = t.name() if _database_clause(world, t) else None
    t.need("SNAPSHOT")
    label = t.name()
    if t.take("."):
        if database is not None:
            raise syntax("Specifying dbName before snapshot name is forbidden if the DbName "
                         "is specified explicitly in BACKUP/RESTORE")
        database, label = label, t.name()
    t.need("TO")
    repo = t.name()
    items = t.objects(world.release)
    props = t.properties(trim=world.release >= (3, 4))
    if not t.done():
        raise syntax("unexpected input after the statement")
    if any(i.alias for i in items):
        raise syntax("Specifying alias for backup object is forbidden in BACKUP stmt")
    named = database is not None
    database = database or current  # BRA: getDbName(stmt.getDbName(), context), to check only
    if database is None:
        raise analyzing("No database selected")
    if not _DB_NAME.fullmatch(database):
        raise analyzing(f"Incorrect database name '{database}'")
    unknown = sorted(set(props) - {"timeout", "type"})
    if unknown:
        raise analyzing(f"Unknown backup job properties: [{', '.join(unknown)}]")
    timeout = _timeout(props)
    if database not in world.databases:
        raise analyzing(f"Unknown database '{database}'")
    if repo not in world.repositories:
        raise analyzing(f"Repository [{repo}] does not exist")
    tables = world.databases[database]
    names = [i.table for i in items] or sorted(tables)
    seen: set[str] = set()
    for item in items:
        if item.table not in tables:
            raise analyzing(f"Incorrect table name '{item.table}'")
        for p in item.partitions:  # BRA looks the name up among the ordinary partitions
            if p not in world.partitions_of(database, item.table):  # (a keyed item: none)
                raise analyzing(f"partition[{p}] does not exist  in table{item.table}")
        if item.table in seen:
            raise analyzing(f"Duplicated table: {item.table}")
        seen.add(item.table)
    if not named:  # BH.process gets the statement's own database, null (report 22, side finding)
        if world.release < (3, 4):
            raise ServerError("Unknown database 'null'", ANALYZE)  # BH:267-271 on 3.3
        raise ServerError(NULL_JOB_INFO, UNCODED)
    repository = world.repositories[repo]
    if repository.read_only:
        raise ServerError(f"Repository {repo} is read only", ANALYZE)
    for item in items:  # BH:400-438
        if world.temporary.get((database, item.table)):
            raise ServerError("Do not support backing up table with temp partitions", ANALYZE)
        if item.temporary:
            raise ServerError("Do not support backing up temp partitions", ANALYZE)
    if any(i.label == label for i in repository.images):
        raise ServerError(f"Snapshot with name '{label}' already exist in repository", ANALYZE)
    _slot(world, database)
    world.submitted += 1
    world.jobs[database] = Job(world.submitted, False, label, database, repo,
                               [(n, n) for n in names], world.clock.now(), timeout,
                               world.stamp(), database,
                               {i.table: set(i.partitions) for i in items if i.partitions},
                               {i.table for i in items if i.keyed})
    return [], []


def _restore(world: StarRocksWorld, t: Tokens) -> Result:
    label = t.name()
    origin = target = None
    if t.take("."):
        target, label = label, t.name()
    t.need("FROM")
    repo = t.name()
    if _database_clause(world, t):
        if target is not None:
            raise syntax("Specifying dbName before snapshot name is forbidden if the DbName "
                         "is specified explicitly in BACKUP/RESTORE")
        origin = target = t.name()
        if t.take("AS"):
            target = t.name()
    items = t.objects(world.release)
    props = t.properties(trim=world.release >= (3, 4))
    if not t.done():
        raise syntax("unexpected input after the statement")
    if items and target is None and world.release >= (3, 4):  # ParserErrorMsg.java:232 (3.4)
        raise syntax("`ON` clause is forbidden if no Database explicitly specified in "
                     "Restore stmt")
    seen: set[str] = set()
    for item in items:
        if item.table in seen:
            raise analyzing(f"Duplicated table: {item.table}")
        seen.add(item.table)
    aliases: set[str] = set()
    for alias in (i.alias for i in items):
        if alias is not None and (alias in seen or alias in aliases):
            raise analyzing(f"Duplicated alias name: {alias}")
        if alias is not None:
            aliases.add(alias)
    if "backup_timestamp" not in props:
        raise analyzing("Missing backup_timestamp property")
    unknown = sorted(set(props) - _RESTORE_KEYS)
    if unknown:
        raise analyzing(f"Unknown restore job properties: [{', '.join(unknown)}]")
    for key in ("replication_num", "meta_version", "starrocks_meta_version"):
        if key in props and java_number(props[key], 32) is None:
            raise analyzing(f"Invalid meta version format: {props[key]}")
    if props.get("allow_load", "false").lower() not in ("true", "false"):
        raise analyzing(f"Invalid allow load value: {props['allow_load']}")
    timeout = _timeout(props)
    repository = world.repositories.get(repo)
    if repository is None:
        raise ServerError(f"Repository {repo} does not exist", ANALYZE)
    if world.release < (3, 4) and (target is None or target not in world.databases):
        # 3.3's BackupHandler.process looks the statement's database up before it reads the
        # snapshot (BH:267-271; restore() reads it, BH:421-429) and creates none; a label
        # without `db.` names none, and getDb(null) is null: "Unknown database 'null'".
        raise ServerError(f"Unknown database '{'null' if target is None else target}'", ANALYZE)
    stamp = props["backup_timestamp"]
    image = next((i for i in repository.images if i.label == label and i.timestamp == stamp),
                 None)
    if image is None:
        raise ServerError(f"Failed to get info of snapshot '{label}' because: snapshot info "
                          "file not found. Maybe specified wrong backup timestamp", ANALYZE)
    if origin is not None and origin != image.database:
        raise ServerError(f"target database: {origin} is not existed in snapshot", ANALYZE)
    target = target or image.database
    pairs = [(i.table, i.alias or i.table) for i in items] or [
        (n, n) for n in sorted(image.tables)]
    for item in items:  # BH:711-737
        table = item.table
        if table not in image.tables:
            raise ServerError(f"Table {table} does not exist in snapshot {label}", ANALYZE)
        if item.temporary:
            raise ServerError("Do not support restoring temporary partitions", ANALYZE)
        for p in item.partitions:
            if p not in image.partitions_of(table):
                raise ServerError(f"Partition {p} of table {table} does not exist in "
                                  f"snapshot {label}", ANALYZE)
    _slot(world, target)
    world.databases.setdefault(target, {})  # 3.4+ creates it if absent (S5)
    world.submitted += 1
    world.jobs[target] = Job(world.submitted, True, label, image.database, repo, pairs,
                             world.clock.now(), timeout, stamp, target)
    return [], []


def _when(moment: datetime | None) -> str:
    return "NULL" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _progress(job: Job) -> str:
    states = RESTORE_STATES if job.restore else BACKUP_STATES
    if job.state == "CANCELLED":
        return ""
    done = states.index(job.state)
    return f"{done}/{len(states) - 1}"


def _show_jobs(world: StarRocksWorld, t: Tokens, restore: bool) -> Result:
    database = t.name() if (t.take("FROM") or t.take("IN")) else None
    if database is not None and database not in world.databases:
        raise analyzing(f"Unknown database '{database}'")
    world.advance()
    jobs = [j for db, j in sorted(world.jobs.items()) if j.restore == restore
            and (database is None or db == database)]
    objs = ", ".join
    if restore:
        return ([(j.job_id, j.label, j.timestamp, j.target, j.state, "false", 3,
                  objs(f"{a}" for _, a in j.tables), _when(j.created), _when(j.created),
                  "NULL", "NULL", _when(j.finished), "", _progress(j), "", j.status, j.timeout)
                 for j in jobs],
                ["JobId", "Label", "Timestamp", "DbName", "State", "AllowLoad",
                 "ReplicationNum", "RestoreObjs", "CreateTime", "MetaPreparedTime",
                 "SnapshotFinishedTime", "DownloadFinishedTime", "FinishedTime",
                 "UnfinishedTasks", "Progress", "TaskErrMsg", "Status", "Timeout"])
    return ([(j.job_id, j.label, j.database, j.state, objs(n for n, _ in j.tables),
              _when(j.created), "NULL", "NULL", _when(j.finished), "", _progress(j), "",
              j.status, j.timeout) for j in jobs],
            ["JobId", "SnapshotName", "DbName", "State", "BackupObjs", "CreateTime",
             "SnapshotFinishedTime", "UploadFinishedTime", "FinishedTime", "UnfinishedTasks",
             "Progress", "TaskErrMsg", "Status", "Timeout"])


def _show_snapshot(world: StarRocksWorld, t: Tokens) -> Result:
    repo = t.name()
    if repo not in world.repositories:
        raise analyzing(f"Repository [{repo}] does not exist")
    label = stamp = None
    if t.take("WHERE"):
        t.need("SNAPSHOT")
        t.need("=")
        label = t.string()
        if t.take("AND"):
            t.need("TIMESTAMP")
            t.need("=")
            stamp = t.string()
    images: Iterator[Image] = (i for i in world.repositories[repo].images
                               if label is None or i.label == label)
    if stamp is not None:
        return ([(i.label, i.timestamp, i.database, ", ".join(sorted(i.tables)), "OK")
                 for i in images if i.timestamp == stamp],
                ["Snapshot", "Timestamp", "Database", "Details", "Status"])
    return [(i.label, i.timestamp, "OK") for i in images], ["Snapshot", "Timestamp", "Status"]


def _cancel(world: StarRocksWorld, t: Tokens, restore: bool) -> Result:
    if not (t.take("FROM") or t.take("IN")):
        raise syntax("No selected database for cancel BACKUP/RESTORE")
    database = t.name()
    job = world.jobs.get(database)
    if job is None or job.restore != restore:
        raise ServerError("No restore is currently running" if restore else
                          "No backup job is currently running", ANALYZE)
    if not job.running:
        raise ServerError(f"Failed to cancel job: Job with label {job.label} can not be "
                          f"cancelled. state: {job.state}", ANALYZE)
    job.state, job.status = "CANCELLED", "[COMMON_ERROR, msg: user cancelled]"
    job.finished = world.clock.now()
    return [], []


_SELECT_FUNCTIONS = re.compile(r"\s*select\s+(current_version|version|now)\(\d?\)\s*;?\s*\Z",
                               re.I)


class StarRocksSession(Session):
    """StarRocks on the wire: its backup statements (`run`), and plain SQL on one set of
    databases."""

    world: StarRocksWorld

    def __init__(self, world: StarRocksWorld, faults: Faults,
                 sessions: dict[int, Session] | None = None) -> None:
        super().__init__(world, faults, sessions)
        self.variables.set("version", "8.0.33", force=True)

    def answer(self, sql: str) -> Any:
        world = self.world
        called = _SELECT_FUNCTIONS.match(sql)
        if called:
            function = called.group(1).lower()
            value = {"current_version": f"{world.version}-standin", "version": "8.0.33",
                     "now": world.clock.now().strftime("%Y-%m-%d %H:%M:%S")}[function]
            return [(value,)], [f"{function}()"]
        result = run(world, sql, self.database)
        if result is not None:
            return result
        try:
            statements = [s for s in sqlglot.parse(sql, read="mysql") if s is not None]
        except sqlglot.errors.SqlglotError as exc:
            raise syntax(str(exc).splitlines()[0]) from None
        out: Any = ([], [])
        for e in statements:
            out = self._plain(e)
        return out

    def _plain(self, e: exp.Expr) -> Any:
        if isinstance(e, (exp.Set, exp.Transaction, exp.Commit, exp.Rollback)):
            return [], []
        if isinstance(e, exp.Use):
            self.database = e.this.name.lower()
            return [], []
        with self.world.lock:
            account = self.world.account
            if isinstance(e, exp.Select) and any(
                    t.db.lower() == "information_schema" for t in e.find_all(exp.Table)):
                reader = Account("", "", "", data.information_schema(account))
                return data.run(reader, e, self.database)
            return data.run(account, e, self.database) or ([], [])




class StarRocks:
    """The StarRocks personality (`ENGINE.standin()`): no tenants, no TLS."""

    tls = False

    def world(self, version: str, clock: Clock | None) -> StarRocksWorld:
        return StarRocksWorld(version, clock)

    def session(self, world: Any, faults: Faults, sessions: dict[int, Session]) -> Session:
        return StarRocksSession(world, faults, sessions)

    def identities(self, world: Callable[[], Any]) -> IdentityProvider:
        return AnyLogin()

    def banner(self, version: str, port: int) -> str:
        return (f"a StarRocks {version} stand-in on 127.0.0.1:{port}; log in as any user; "
                "Ctrl-C stops it")


PERSONALITY = StarRocks()

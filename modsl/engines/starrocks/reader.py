"""StarRocks SQL → plan steps (`modsl.sqlimport` drives it): the statements of
STARROCKS.md §2, read with modsl's own reader (sqlglot's `starrocks` dialect passes them
through as `Command`, STARROCKS.md §12).

What a plan cannot say exactly is refused (MB107), never approximated: external catalogs,
functions, `ALL ...` items (they select by object kind, while a plan without `tables` takes
everything, functions included), qualified items, and `PARTITION (col = value)` (the server
ignores the values: a backup takes none of the table's data, a restore all of it). A restore
that names no database restores, from 3.4, the database inside the backup, which a plan says
as `restore backup from REPO snapshot S`; before 3.4 the job gets no database and fails (MB110),
as a backup that names none does on every version.
`VIEW v` and `MATERIALIZED VIEW m` items become table items: the server looks them
up by name among the database's tables (AstBuilder merges them into one table list). What the
server itself refuses is refused as such (MB110: temporary partitions, no database), and so is
what a plan would make mean more (MB111: 3.4+'s `SNAPSHOT db.label` restore, which a plan would
send as `DATABASE db`, adding the check that the backup holds `db`). Partition lists without
parentheses are read as the version's grammar reads them: one name before 4.0 (a comma then
starts the next item), a list from 4.0 that stops where only the next item reads on. A secret
repository property never reaches the plan: it becomes `env("NAME")` (MB108), and `shown`
masks its value wherever the SQL is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NoReturn, TypeVar

from modsl import targets
from modsl.diagnostics import Diagnostic
from modsl.engines.starrocks.quoting import BACKUP_TIMESTAMP_PLACEHOLDER
from modsl.engines.starrocks.tokens import Token, tokens
from modsl.language import ast
from modsl.language.secrets import is_secret
from modsl.sqlimport import NotImported, Report

# Words that stand where a name could: StarRocks reserves them, so a bare one is the keyword.
_RESERVED = frozenset(("ALL", "AS", "DATABASE", "FROM", "ON", "PARTITION", "PARTITIONS",
                       "PROPERTIES", "TABLE", "TABLES", "TEMPORARY", "TO", "WITH"))
_FUNCTIONS = ("FUNCTION", "FUNCTIONS")
_VIEWS = ("VIEW", "VIEWS")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ENV_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
T = TypeVar("T")


class StarRocksReader:
    """`Reader` for StarRocks SQL, for a plan of `version`."""

    def __init__(self, version: targets.TargetVersion) -> None:
        self.version = version

    def read(self, text: str, span: ast.Span, report: Report) -> list[ast.Statement]:
        return _Statement(tokens(text), span, self.version, report).read()

    def shown(self, text: str) -> str:
        """`text` with the value of every secret property replaced by `*`s of its length, so
        lines and columns stay where they were."""
        toks = tokens(text)
        masked = list(text)
        for key, eq, value in zip(toks, toks[1:], toks[2:], strict=False):
            if (key.kind == "string" and eq.text == "=" and value.kind == "string"
                    and is_secret(key.text)):
                for i in range(value.start + 1, value.end - 1):
                    if masked[i] != "\n":
                        masked[i] = "*"
        return "".join(masked)


class _Statement:
    """One statement: a cursor over its tokens, and the plan steps they say."""

    def __init__(self, toks: list[Token], span: ast.Span, version: targets.TargetVersion,
                 report: Report) -> None:
        self.toks = toks
        self.at = 0
        self.span = span
        self.version = version
        self.report = report

    # -- the statements ----------------------------------------------------------------------
    def read(self) -> list[ast.Statement]:
        if not self.toks:
            return []
        if self._words("CREATE"):
            read_only = self._words("READ", "ONLY")
            if self._words("REPOSITORY"):
                return [self._repository(read_only)]
        elif self._words("DROP"):
            if self._words("REPOSITORY"):
                name = self._name("repository")
                self._end()
                return [ast.DropRepository(name, span=self.span)]
        elif self._words("BACKUP"):
            return [self._backup()]
        elif self._words("RESTORE"):
            return [self._restore()]
        elif self._peek_word() in ("SHOW", "CANCEL"):
            self._skip(f"a {self._peek_word()} statement is not a plan step; skipped")
        self._skip("not a repository, backup or restore statement; skipped")

    def _repository(self, read_only: bool) -> ast.CreateRepository:
        name = self._name("repository")
        self._expect("WITH", "BROKER")
        broker = None
        if not self._at_word("ON"):
            broker = self._string_or_name("broker")
        self._expect("ON", "LOCATION")
        location = self._string("the location")
        pairs = self._properties() if self._words("PROPERTIES") else []
        self._end()
        props = []
        used: set[str] = set()
        for p in pairs:
            if p.env is not None or not is_secret(p.key):
                props.append(p)
                continue
            key = p.key
            env = _env_name(name.text, key, used)
            props.append(ast.Property(key, env=env, span=self.span))
            self.report(Diagnostic(
                "MB108", f"`{key}` is a secret: the plan reads it from the environment "
                f"variable {env} when it is applied, and does not hold it", self.span,
                help=f"set {env} where `modsl apply` runs; the SQL file still holds the "
                     "secret, so remove it from there"))
        return ast.CreateRepository(name, location, read_only, broker is not None, broker,
                                    tuple(props), span=self.span)

    def _backup(self) -> ast.Backup:
        self._no_catalogs()
        database = self._name("database") if self._words("DATABASE") else None
        self._expect("SNAPSHOT")
        parts = self._qname("snapshot")
        self._expect("TO")
        repository = self._name("repository")
        items, pairs = self._tail()
        database, snapshot = self._label(parts, database)
        if database is None:  # BackupRestoreAnalyzer checks the session's, BackupHandler gets none
            self._refuse("MB110", "this backup names no database: StarRocks checks that the "
                         "session has one, then gives the job none and fails it when it is "
                         "submitted (3.3: `Unknown database 'null'`): this statement never ran",
                         "name it: `BACKUP SNAPSHOT db.label TO repo`")
        self._version_forms(database_clause=len(parts) == 1, items=items)
        tables = tuple(item for item, _ in items)
        return ast.Backup(database, repository, snapshot, tables, tuple(pairs), span=self.span)

    def _restore(self) -> ast.RestoreBackup:
        self._expect("SNAPSHOT")
        parts = self._qname("snapshot")
        self._expect("FROM")
        repository = self._name("repository")
        self._no_catalogs()
        database = into = None
        if self._words("DATABASE"):
            database = self._name("database")
            if self._words("AS"):
                into = self._name("database")
        items, pairs = self._tail()
        legacy, clause = len(parts) == 2, database is not None
        database, snapshot = self._label(parts, database)
        if database is None and not self.version.can("database_clause"):
            self._refuse("MB110", "this restore names no database: before 3.4 StarRocks "
                         "gives the job none and refuses it when it is submitted (`Unknown "
                         "database 'null'`; restoring the database recorded in the backup, a "
                         "plan's `restore backup`, came with 3.4): this statement never ran",
                         f"name the database: `RESTORE SNAPSHOT db.{snapshot.text} FROM "
                         f"{repository.text} ...`")
        if database is None and items:  # 3.4+'s AstBuilder (P6)
            self._syntax("`ON` clause is forbidden if no Database explicitly specified in "
                         "Restore stmt")
        self._version_forms(database_clause=clause, items=items)
        stamps = [p.value for p in pairs if p.key == "backup_timestamp"]
        if not stamps:
            self._refuse("MB107", "this restore has no `backup_timestamp` property: StarRocks "
                         "refuses it (`Missing backup_timestamp property`)",
                         "add the timestamp `SHOW SNAPSHOT ON repo` gives the backup")
        if len(set(stamps)) > 1:
            self._refuse("MB216", "`backup_timestamp` is given twice, with different values",
                         "keep the one `SHOW SNAPSHOT ON repo` gives the backup")
        if stamps[0] is None:
            self._refuse("MB107", "`backup_timestamp` is read from the environment, which a "
                         "plan does not say", 'write the timestamp: `at "..."`')
        if legacy and database is not None and self.version.can("database_clause"):
            self._refuse("MB111", f"`SNAPSHOT {database.text}.{snapshot.text}` restores the "
                         f"backup into `{database.text}` whatever database it holds; the plan's "
                         f"`restore database {database.text}` is sent on "
                         f"{self.version.name} as `DATABASE {database.text}`, which also makes "
                         f"the server check that the backup holds `{database.text}` (`target "
                         "database: ... is not existed in snapshot`): importing it would change "
                         "what it does",
                         f"if the backup holds `{database.text}`, write `RESTORE SNAPSHOT "
                         f"{snapshot.text} FROM ... DATABASE {database.text}`; if it holds "
                         f"another database, `DATABASE other AS {database.text}`")
        # modsl's reviewed SQL: the plan's own backup, its timestamp read when applied.
        at = (None if stamps[0] == BACKUP_TIMESTAMP_PLACEHOLDER
              else ast.Timestamp(stamps[0], self.span))
        props = tuple(p for p in pairs if p.key != "backup_timestamp")
        # No database named: `restore backup`, the database the backup holds (AB:4064-4080).
        scope = ast.Scope(ast.Level.DATABASE, database=database, span=self.span)
        return ast.RestoreBackup(scope, repository, snapshot, at,
                                 tuple(item for item, _ in items), into, props, span=self.span)

    # -- clauses -----------------------------------------------------------------------------
    def _tail(self) -> tuple[list[tuple[ast.TableItem, bool]], list[ast.Property]]:
        """`[ON (...)] [PROPERTIES (...)]` and the end of a backup or restore."""
        items = self._on() if self._words("ON") else []
        pairs = self._properties() if self._words("PROPERTIES") else []
        self._end()
        return items, pairs

    def _label(self, parts: list[ast.Name],
               database: ast.Name | None) -> tuple[ast.Name | None, ast.Name]:
        """The database and snapshot of `SNAPSHOT [db.]label` with an optional `DATABASE db`
        (AB:4064-4080)."""
        if len(parts) > 2:
            self._syntax(f"Invalid table name format '{'.'.join(p.text for p in parts)}'")
        if len(parts) == 2:
            if database is not None:
                self._syntax("Specifying dbName before snapshot name is forbidden if the "
                             "DbName is specified explicitly in BACKUP/RESTORE")
            return parts[0], parts[1]
        return database, parts[0]

    def _version_forms(self, *, database_clause: bool, items: list[tuple[ast.TableItem, bool]]
                       ) -> None:
        if self.version.can("database_clause"):
            return
        form = ("`DATABASE d` clause" if database_clause
                else "`TABLE t` (or `VIEW v`) item" if any(word for _, word in items) else None)
        if form is not None:
            self._refuse("MB408", f"the {form} is StarRocks 3.4+ syntax, which "
                         f"{self.version.name} does not accept",
                         "import it with `--target starrocks-3.4` (or later)")

    def _no_catalogs(self) -> None:
        if self._at_word("ALL") or self._at_word("EXTERNAL"):
            self._refuse("MB107", "external catalogs are not in the plan language",
                         "back them up with StarRocks' own SQL, outside the plan")

    def _on(self) -> list[tuple[ast.TableItem, bool]]:
        """`( object, ... )`: each table item, and whether it was written `TABLE t`."""
        return self._list(self._object)

    def _list(self, item: Callable[[], T]) -> list[T]:
        """`( item, ... )`, at least one."""
        self._punct("(")
        items = [item()]
        while self._accept(","):
            items.append(item())
        self._punct(")")
        return items

    def _object(self) -> tuple[ast.TableItem, bool]:
        word = self._peek_word()
        if word == "ALL":
            self._refuse("MB107", "an `ALL ...` item selects objects by kind, which a plan "
                         "does not say (a plan without `tables` takes the whole database, "
                         "functions and views too)",
                         "list the tables, or leave out `ON (...)` for the whole database")
        if word in _FUNCTIONS:
            self._refuse("MB107", "functions are not in the plan language; it backs up and "
                         "restores tables (views and materialized views among them)",
                         "list tables only, or leave out `ON (...)` for the whole database")
        view = self._words("MATERIALIZED") or word in _VIEWS
        if view and not (self._words("VIEW") or self._words("VIEWS")):
            self._syntax(f"expected VIEW, found {self._found()}")
        table_word = view or self._words("TABLE") or self._words("TABLES")
        parts = self._qname("table")
        if len(parts) > 1:
            self._refuse("MB107", f"`{'.'.join(p.text for p in parts)}` is a qualified table "
                         "name; a plan names a table of the statement's database",
                         "write the table name alone")
        partitions: list[ast.Name] = []
        temporary = not view and self._words("TEMPORARY")
        plural = not view and self._peek_word() == "PARTITIONS"
        if not view and (self._words("PARTITION") or self._words("PARTITIONS")):
            if self._at("(") and (after := self._peek(2)) is not None and after.text == "=":
                self._by_value(temporary or plural)
            if temporary:
                said = ("Do not support restoring temporary partitions"
                        if self.toks[0].is_word("RESTORE")
                        else "Do not support backing up temp partitions")
                self._refuse("MB110", f"StarRocks refuses temporary partitions when the job "
                             f"is submitted (`{said}`): this statement never ran",
                             "name the table's ordinary partitions, or the table alone")
            partitions = self._partitions()
        elif temporary:
            self._syntax(f"expected PARTITION, found {self._found()}")
        alias = self._name("table") if self._words("AS") else None
        return ast.TableItem(parts[0], tuple(partitions), alias, self.span), table_word

    def _by_value(self, qualified: bool) -> NoReturn:
        """`PARTITION (col = value, ...)` (keyPartitions): refused, as StarRocks' grammar
        refuses what it does not read and AstBuilder keeps no partition name of what it
        does. `qualified`: TEMPORARY or PARTITIONS stands before it, which the rule has not."""
        if qualified or not self._pairs():
            self._syntax("a partition spec by value is `PARTITION (column = value, ...)`: "
                         "no TEMPORARY or PARTITIONS before it, column names, literal values")
        done = ("the restore puts back every partition of the table the backup holds"
                if self.toks[0].is_word("RESTORE") else
                "the backup records the table but takes none of its data")
        self._refuse("MB107", f"StarRocks ignores the values of a `PARTITION (column = value)` "
                     f"spec: {done}", "name the partitions: `PARTITION (p1, p2)` (`SHOW "
                     "PARTITIONS FROM db.t` lists them)")

    def _pairs(self) -> bool:
        """Whether `( col = literal, ... )` follows, as keyPartition reads it: an identifier,
        `=`, then a string, NULL, TRUE, FALSE, DATE|DATETIME 'x', or an unsigned number."""
        toks, at = self.toks, self.at + 1

        def text(i: int) -> str | None:
            return toks[i].text if i < len(toks) else None

        while True:
            if at + 2 >= len(toks) or not self._nameish(toks[at]) or toks[at].kind == "string" \
                    or text(at + 1) != "=":
                return False
            value = toks[at + 2]
            at += 3
            if value.kind == "string" or value.text.upper() in ("NULL", "TRUE", "FALSE"):
                pass
            elif value.text.upper() in ("DATE", "DATETIME") and value.kind == "word":
                if at >= len(toks) or toks[at].kind != "string":
                    return False
                at += 1
            elif (value.kind == "word" and value.text[0].isdigit()) or value.text == ".":
                while text(at) not in (None, ",", ")"):
                    at += 1  # a number's parts (`1.5E-3`: the lexer splits it)
            else:
                return False
            if text(at) == ")":
                return True
            if text(at) != ",":
                return False
            at += 1

    def _partitions(self) -> list[ast.Name]:
        if self._at("("):
            return self._list(lambda: self._string_or_name("partition"))
        names = [self._string_or_name("partition")]
        if tuple(int(n) for n in self.version.version.split(".")) < (4, 0):
            return names  # before 4.0 one name: a comma starts the next item (StarRocks.g4)
        # From 4.0 the list goes on after a comma while it can: ANTLR's prediction reads ahead,
        # takes the loop when both readings parse (`t PARTITION p1, p2)`: p2 a partition) and
        # leaves it when only the next item does (`p1, t2 PARTITION p3`, `p1, db.t2`).
        while self._at(",") and self._nameish(self._peek(1)) and self._ends_a_name(self._peek(2)):
            self._accept(",")
            names.append(self._string_or_name("partition"))
        return names

    @staticmethod
    def _ends_a_name(tok: Token | None) -> bool:
        """What may follow a partition name of an unparenthesised list: `,`, `)` or `AS`."""
        return tok is not None and (tok.is_word("AS") or (
            tok.kind == "punct" and tok.text in (",", ")")))

    def _properties(self) -> list[ast.Property]:
        return self._list(self._pair)

    def _pair(self) -> ast.Property:
        """`"key" = "value"`, or modsl's reviewed-SQL `"key" = env("NAME")`."""
        key = self._string("a property key")
        self._punct("=")
        after = self._peek(1)
        if self._at_word("ENV") and after is not None and after.text == "(":
            self.at += 2
            env = self._string("an environment variable name")
            self._punct(")")
            return ast.Property(key, env=env, span=self.span)
        return ast.Property(key, self._string(f"the value of `{key}`"), span=self.span)

    # -- tokens ------------------------------------------------------------------------------
    def _peek(self, ahead: int = 0) -> Token | None:
        i = self.at + ahead
        return self.toks[i] if i < len(self.toks) else None

    def _peek_word(self) -> str | None:
        tok = self._peek()
        return tok.text.upper() if tok is not None and tok.kind == "word" else None

    def _at_word(self, word: str) -> bool:
        return self._peek_word() == word

    def _at(self, punct: str) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind == "punct" and tok.text == punct

    def _words(self, *words: str) -> bool:
        """Consume `words` if they come next (case-insensitive), else nothing."""
        for i, word in enumerate(words):
            tok = self._peek(i)
            if tok is None or not tok.is_word(word):
                return False
        self.at += len(words)
        return True

    def _expect(self, *words: str) -> None:
        for word in words:
            if not self._words(word):
                self._syntax(f"expected {word}, found {self._found()}")

    def _accept(self, punct: str) -> bool:
        if self._at(punct):
            self.at += 1
            return True
        return False

    def _punct(self, punct: str) -> None:
        if not self._accept(punct):
            self._syntax(f"expected `{punct}`, found {self._found()}")

    def _end(self) -> None:
        if self._peek() is not None:
            self._syntax(f"unexpected {self._found()} after the statement")

    def _found(self) -> str:
        tok = self._peek()
        if tok is None:
            return "the end of the statement"
        if tok.kind == "string":
            return "a string"  # never echo a value: it may be a secret
        return f"`{tok.text}`" if tok.kind == "name" else repr(tok.text)

    @staticmethod
    def _nameish(tok: Token | None) -> bool:
        return tok is not None and (tok.kind in ("name", "string") or (
            tok.kind == "word" and tok.text.upper() not in _RESERVED))

    def _name(self, what: str) -> ast.Name:
        tok = self._peek()
        if tok is None or tok.kind == "string" or not self._nameish(tok):
            self._syntax(f"expected a {what} name, found {self._found()}")
        self.at += 1
        return self._held(tok.text, what)

    def _string_or_name(self, what: str) -> ast.Name:
        tok = self._peek()
        if not self._nameish(tok):
            self._syntax(f"expected a {what} name, found {self._found()}")
        assert tok is not None
        self.at += 1
        return self._held(tok.text, what)

    def _qname(self, what: str) -> list[ast.Name]:
        parts = [self._name(what)]
        while self._accept("."):
            parts.append(self._name(what))
        return parts

    def _string(self, what: str) -> str:
        tok = self._peek()
        if tok is None or tok.kind != "string":
            self._syntax(f"expected {what} as a quoted string, found {self._found()}")
        self.at += 1
        if _CONTROL.search(tok.text):
            self._refuse("MB107", f"{what} holds a line break or control character, which a "
                         "plan string cannot hold", "write it on one line")
        return tok.text

    def _held(self, text: str, what: str) -> ast.Name:
        """A name the plan can hold: not one with a backquote or control character."""
        if "`" in text or _CONTROL.search(text):
            self._refuse("MB107", f"a {what} name with a backquote or control character "
                         "cannot be written in a plan", "rename it")
        return ast.Name(text, self.span)

    # -- refusals ----------------------------------------------------------------------------
    def _syntax(self, message: str) -> NoReturn:
        raise NotImported(Diagnostic("MB101", f"not valid StarRocks SQL: {message}", self.span))

    def _refuse(self, code: str, message: str, help_: str) -> NoReturn:
        raise NotImported(Diagnostic(code, message, self.span, help=help_))

    def _skip(self, message: str) -> NoReturn:
        raise NotImported(Diagnostic("MB106", message, self.span,
                                 help="keep it in a separate SQL script"))


def _env_name(repository: str, key: str, used: set[str]) -> str:
    """`REPO_KEY` in capitals, every run of other characters one `_`: unique per statement."""
    base = _ENV_UNSAFE.sub("_", f"{repository}_{key}").strip("_").upper() or "SECRET"
    if base[0].isdigit():
        base = f"SECRET_{base}"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}_{n}"
    used.add(name)
    return name

"""The `matrixone` sqlglot dialect: MySQL plus MatrixOne's snapshot, PITR and restore
statements, in both the 3.0 (`FROM SNAPSHOT`) and 4.x (`{SNAPSHOT='s'}`) restore syntax.

The parser accepts what MatrixOne's grammar accepts, including the variants its own tests
write, and rejects what it rejects (a negative range, `IF NOT EXISTS` after the name, a
PITR with no name, an unquoted unit...). The generator prints the canonical forms, which are
exactly what `modsl compile` emits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.generators.mysql import MySQLGenerator
from sqlglot.parsers.mysql import MySQLParser
from sqlglot.tokenizer_core import Token, TokenType

from modsl.engines.matrixone import expressions as mo

# Words MatrixOne's grammar will not take as a bare name (backticks make any word a name).
RESERVED = frozenset((
    "ADD", "ALL", "ALTER", "AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CREATE", "CROSS",
    "DATABASE", "DEFAULT", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "EXISTS", "FALSE",
    "FOR", "FROM", "GRANT", "GROUP", "HAVING", "IF", "IN", "INDEX", "INNER", "INSERT",
    "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NOT", "NULL", "ON", "OR",
    "ORDER", "PRIMARY", "RANGE", "REPLACE", "RESTORE", "RIGHT", "SELECT", "SET", "SHOW",
    "TABLE", "THEN", "TO", "TRUE", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "WHEN",
    "WHERE", "WITH",
))
_WORD = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*\Z")


class MatrixOne(MySQL):
    """MySQL, plus the statements of modsl.engines.matrixone.expressions."""

    class Parser(MySQLParser):
        def _parse_statement(self) -> exp.Expr | None:
            start = self._index
            handler = self._mo_handler()
            if handler is None:
                self._retreat(start)
                return super()._parse_statement()
            return handler()

        def _mo_handler(self) -> Callable[[], exp.Expr] | None:
            """Consume the leading keywords of one of our statements; None if not ours."""
            for words, handler in (
                (("CREATE", "SNAPSHOT"), self._mo_create_snapshot),
                (("CREATE", "PITR"), self._mo_create_pitr),
                (("DROP", "SNAPSHOT"), self._mo_drop_snapshot),
                (("DROP", "PITR"), self._mo_drop_pitr),
                (("ALTER", "PITR"), self._mo_alter_pitr),
                (("RESTORE",), self._mo_restore),
                (("SHOW", "SNAPSHOTS"), self._mo_show_snapshots),
                (("SHOW", "PITR"), self._mo_show_pitr),
                (("SHOW", "RECOVERY_WINDOW"), self._mo_show_recovery_window),
            ):
                if self._match_text_seq(*words):
                    return handler
            return None

        # -- pieces ------------------------------------------------------------------------
        def _mo_tok(self) -> Token | None:
            """The current token, or None at the end (sqlglot uses a falsy sentinel)."""
            return self._curr or None

        def _mo_expect(self, *words: str) -> None:
            if not self._match_text_seq(*words):
                found = self._mo_found()
                self.raise_error(f"expected {' '.join(words)}, found {found}")

        def _mo_found(self) -> str:
            tok = self._mo_tok()
            return "the end of the statement" if tok is None else repr(tok.text)

        def _mo_name(self, what: str) -> exp.Identifier:
            tok = self._mo_tok()
            if tok is not None and tok.token_type == TokenType.IDENTIFIER:
                self._advance()
                return exp.to_identifier(tok.text, quoted=True)
            if (tok is not None and tok.token_type != TokenType.STRING
                    and _WORD.match(tok.text) and tok.text.upper() not in RESERVED):
                self._advance()
                return exp.to_identifier(tok.text, quoted=False)
            found = self._mo_found()
            self.raise_error(f"expected {what} name, found {found}")
            raise AssertionError("unreachable")  # raise_error raises at ErrorLevel.IMMEDIATE

        def _mo_opt_name(self, what: str) -> exp.Identifier | None:
            tok = self._mo_tok()
            if tok is None or tok.token_type == TokenType.L_BRACE:
                return None
            if tok.token_type != TokenType.IDENTIFIER and (
                    not _WORD.match(tok.text) or tok.text.upper() in RESERVED):
                return None
            return self._mo_name(what)

        def _mo_string(self, what: str) -> exp.Literal:
            tok = self._mo_tok()
            if tok is None or tok.token_type != TokenType.STRING:
                found = self._mo_found()
                self.raise_error(f"expected {what} as a quoted string, found {found}")
            self._advance()
            return exp.Literal.string(self._prev.text)

        def _mo_range(self) -> tuple[exp.Expr, exp.Literal]:
            self._mo_expect("RANGE")
            tok = self._mo_tok()
            if tok is None or tok.token_type != TokenType.NUMBER or not tok.text.isdigit():
                found = self._mo_found()
                self.raise_error(f"expected a whole number of units after RANGE, found {found}")
            self._advance()
            value = exp.Literal.number(int(self._prev.text))
            return value, self._mo_string("the range unit")

        def _mo_object(self, *, pitr: bool) -> dict[str, object]:
            """`CLUSTER | ACCOUNT [a] | DATABASE d [TABLE t] | TABLE d t` after FOR."""
            if self._match_text_seq("CLUSTER"):
                return {"kind": "CLUSTER"}
            if self._match_text_seq("ACCOUNT"):
                return {"kind": "ACCOUNT", "account": self._mo_opt_name("account")}
            if self._match_text_seq("DATABASE"):
                db = self._mo_name("database")
                if pitr and self._match_text_seq("TABLE"):
                    return {"kind": "TABLE", "database": db, "table": self._mo_name("table")}
                return {"kind": "DATABASE", "database": db}
            if self._match_text_seq("TABLE"):
                db = self._mo_name("database")
                return {"kind": "TABLE", "database": db, "table": self._mo_name("table")}
            found = self._mo_found()
            self.raise_error(f"expected CLUSTER, ACCOUNT, DATABASE or TABLE, found {found}")
            raise AssertionError("unreachable")

        def _mo_if(self, *words: str) -> bool:
            return self._match_text_seq("IF", *words)

        # -- statements ----------------------------------------------------------------------
        def _mo_create_snapshot(self) -> exp.Expr:
            exists = self._mo_if("NOT", "EXISTS")
            name = self._mo_name("snapshot")
            self._mo_expect("FOR")
            return self.expression(mo.CreateSnapshot(this=name, exists=exists,
                                                     **self._mo_object(pitr=False)))

        def _mo_create_pitr(self) -> exp.Expr:
            exists = self._mo_if("NOT", "EXISTS")
            name = self._mo_name("PITR")
            target: dict[str, object] = {"kind": "ACCOUNT"}
            if self._match_text_seq("FOR"):
                target = self._mo_object(pitr=True)
            value, unit = self._mo_range()
            return self.expression(mo.CreatePitr(this=name, exists=exists, value=value,
                                                 unit=unit, **target))

        def _mo_alter_pitr(self) -> exp.Expr:
            exists = self._mo_if("EXISTS")
            name = self._mo_name("PITR")
            value, unit = self._mo_range()
            return self.expression(mo.AlterPitr(this=name, exists=exists, value=value, unit=unit))

        def _mo_drop_snapshot(self) -> exp.Expr:
            exists = self._mo_if("EXISTS")
            return self.expression(mo.DropSnapshot(this=self._mo_name("snapshot"),
                                                   exists=exists))

        def _mo_drop_pitr(self) -> exp.Expr:
            exists = self._mo_if("EXISTS")
            return self.expression(mo.DropPitr(this=self._mo_name("PITR"), exists=exists))

        def _mo_brace(self) -> exp.Literal | None:
            """`{SNAPSHOT='s'}` (the name may be '...', "...", `...` or bare)."""
            if not self._match(TokenType.L_BRACE):
                return None
            self._mo_expect("SNAPSHOT")
            if not self._match(TokenType.EQ):
                self.raise_error("expected = after SNAPSHOT")
            tok = self._mo_tok()
            if tok is not None and tok.token_type == TokenType.STRING:
                self._advance()
                snap = exp.Literal.string(tok.text)
            else:
                snap = exp.Literal.string(self._mo_name("snapshot").name)
            if not self._match(TokenType.R_BRACE):
                self.raise_error("expected } after the snapshot name")
            return snap

        def _mo_to_account(self) -> exp.Identifier | None:
            if self._match_text_seq("TO", "ACCOUNT"):
                return self._mo_name("account")
            return None

        def _mo_qualified(self, parts: int, what: str) -> list[exp.Identifier]:
            """Up to `parts` dot-separated names (`acct.db.t`), at least `parts - 1`."""
            names = [self._mo_name(what)]
            while self._match(TokenType.DOT):
                names.append(self._mo_name(what))
            if not parts - 1 <= len(names) <= parts:
                self.raise_error(f"expected a {what} name with at most {parts - 1} dots")
            return names

        def _mo_from(self, args: dict[str, object]) -> exp.Expr:
            """`FROM SNAPSHOT s [TO ACCOUNT b]` or `FROM PITR p 'ts' [source]`."""
            self._mo_expect("FROM")
            if self._match_text_seq("SNAPSHOT"):
                snap = exp.Literal.string(self._mo_name("snapshot").name)
                to_account = self._mo_to_account()
                if to_account is not None and args["kind"] != "ACCOUNT":
                    # The Python SDK writes it; no MatrixOne grammar has it (docs/design.md).
                    self.raise_error("TO ACCOUNT follows only a whole-account restore")
                return self.expression(mo.RestoreSnapshot(
                    snapshot=snap, to_account=to_account, brace=False, **args))
            self._mo_expect("PITR")
            pitr = self._mo_name("PITR")
            ts = self._mo_string("the timestamp")
            source = self._mo_opt_name("account") if args["kind"] == "ACCOUNT" else None
            return self.expression(mo.RestorePitr(pitr=pitr, timestamp=ts, source=source, **args))

        def _mo_restore(self) -> exp.Expr:
            if self._match_text_seq("CLUSTER"):
                snap = self._mo_brace()
                if snap is not None:
                    return self.expression(mo.RestoreSnapshot(kind="CLUSTER", snapshot=snap,
                                                              brace=True))
                return self._mo_from({"kind": "CLUSTER"})
            if self._match_text_seq("ACCOUNT"):
                account = self._mo_name("account")
                snap = self._mo_brace()
                if snap is not None:
                    return self.expression(mo.RestoreSnapshot(
                        kind="ACCOUNT", account=account, snapshot=snap,
                        to_account=self._mo_to_account(), brace=True))
                args: dict[str, object] = {"kind": "ACCOUNT", "account": account}
                if self._match_text_seq("DATABASE"):
                    args.update(kind="DATABASE", database=self._mo_name("database"))
                    if self._match_text_seq("TABLE"):
                        args.update(kind="TABLE", table=self._mo_name("table"))
                return self._mo_from(args)
            if self._match_text_seq("DATABASE"):
                names = self._mo_qualified(2, "database")
                snap = self._mo_brace()
                if snap is None:
                    if len(names) != 1:
                        self.raise_error("expected { after the database name")
                    args = {"kind": "DATABASE", "database": names[0]}
                    if self._match_text_seq("TABLE"):
                        args.update(kind="TABLE", table=self._mo_name("table"))
                    self._mo_expect_pitr_ahead()
                    return self._mo_from(args)
                qualifier = names[0] if len(names) == 2 else None
                return self.expression(mo.RestoreSnapshot(
                    kind="DATABASE", account=qualifier, database=names[-1], snapshot=snap,
                    to_account=self._mo_to_account(), brace=True))
            if self._match_text_seq("TABLE"):
                names = self._mo_qualified(3, "table")
                snap = self._mo_brace()
                if snap is None:
                    self.raise_error("expected {SNAPSHOT=...} after the table name")
                qualifier = names[0] if len(names) == 3 else None
                return self.expression(mo.RestoreSnapshot(
                    kind="TABLE", account=qualifier, database=names[-2], table=names[-1],
                    snapshot=snap, to_account=self._mo_to_account(), brace=True))
            if self._match_text_seq("FROM", "PITR", advance=False):
                return self._mo_from({"kind": "ACCOUNT"})
            found = self._mo_found()
            self.raise_error(f"expected CLUSTER, ACCOUNT, DATABASE, TABLE or FROM PITR after "
                             f"RESTORE, found {found}")
            raise AssertionError("unreachable")

        def _mo_expect_pitr_ahead(self) -> None:
            """`RESTORE DATABASE d FROM ...` exists only for PITRs (snapshots use braces)."""
            if not self._match_text_seq("FROM", "PITR", advance=False):
                found = self._mo_found()
                self.raise_error(f"expected {{SNAPSHOT=...}} or FROM PITR, found {found}")

        def _mo_show_snapshots(self) -> exp.Expr:
            return self.expression(mo.ShowSnapshots(where=self._parse_where()))

        def _mo_show_pitr(self) -> exp.Expr:
            return self.expression(mo.ShowPitr(where=self._parse_where()))

        def _mo_show_recovery_window(self) -> exp.Expr:
            self._mo_expect("FOR")
            return self.expression(mo.ShowRecoveryWindow(**self._mo_object(pitr=True)))

    class Generator(MySQLGenerator):
        def _mo_id(self, e: exp.Expr, key: str) -> str:
            """Canonical identifiers: lower-cased (as MatrixOne stores them), backticked."""
            name: str = e.args[key].name
            return "`" + name.lower().replace("`", "``") + "`"

        def _mo_object(self, e: exp.Expr) -> str:
            kind = e.args["kind"]
            parts = [kind]
            for key in ("account", "database", "table"):
                if e.args.get(key) is not None:
                    parts.append(self._mo_id(e, key))
            return " ".join(parts)

        def _mo_str(self, e: exp.Expr, key: str) -> str:
            text = e.args[key].name.replace("\\", "\\\\").replace("'", "''")
            return f"'{text}'"

        def _mo_range(self, e: exp.Expr) -> str:
            return f"RANGE {e.args['value'].name} {self._mo_str(e, 'unit').lower()}"

        def createsnapshot_sql(self, e: mo.CreateSnapshot) -> str:
            ine = "IF NOT EXISTS " if e.args.get("exists") else ""
            return f"CREATE SNAPSHOT {ine}{self._mo_id(e, 'this')} FOR {self._mo_object(e)}"

        def dropsnapshot_sql(self, e: mo.DropSnapshot) -> str:
            ie = "IF EXISTS " if e.args.get("exists") else ""
            return f"DROP SNAPSHOT {ie}{self._mo_id(e, 'this')}"

        def createpitr_sql(self, e: mo.CreatePitr) -> str:
            ine = "IF NOT EXISTS " if e.args.get("exists") else ""
            return (f"CREATE PITR {ine}{self._mo_id(e, 'this')} FOR {self._mo_object(e)} "
                    f"{self._mo_range(e)}")

        def alterpitr_sql(self, e: mo.AlterPitr) -> str:
            ie = "IF EXISTS " if e.args.get("exists") else ""
            return f"ALTER PITR {ie}{self._mo_id(e, 'this')} {self._mo_range(e)}"

        def droppitr_sql(self, e: mo.DropPitr) -> str:
            ie = "IF EXISTS " if e.args.get("exists") else ""
            return f"DROP PITR {ie}{self._mo_id(e, 'this')}"

        def restoresnapshot_sql(self, e: mo.RestoreSnapshot) -> str:
            kind = e.args["kind"]
            to = f" TO ACCOUNT {self._mo_id(e, 'to_account')}" if e.args.get("to_account") else ""
            snap = self._mo_str(e, "snapshot").lower()
            if e.args.get("brace"):
                names = ".".join(self._mo_id(e, k) for k in ("account", "database", "table")
                                 if e.args.get(k) is not None)
                head = f"RESTORE {kind} {names}" if names else f"RESTORE {kind}"
                return f"{head}{{SNAPSHOT={snap}}}{to}"
            source = f"FROM SNAPSHOT `{e.args['snapshot'].name.lower().replace('`', '``')}`"
            if kind == "CLUSTER":
                return f"RESTORE CLUSTER {source}"
            parts = ["RESTORE ACCOUNT", self._mo_id(e, 'account')]
            if e.args.get("database") is not None:
                parts += ["DATABASE", self._mo_id(e, 'database')]
            if e.args.get("table") is not None:
                parts += ["TABLE", self._mo_id(e, 'table')]
            return " ".join(parts) + f" {source}{to}"

        def restorepitr_sql(self, e: mo.RestorePitr) -> str:
            kind = e.args["kind"]
            pitr = f"FROM PITR {self._mo_id(e, 'pitr')} {self._mo_str(e, 'timestamp')}"
            if kind == "CLUSTER":
                return f"RESTORE CLUSTER {pitr}"
            parts = ["RESTORE"]
            if e.args.get("account") is not None:
                parts += ["ACCOUNT", self._mo_id(e, 'account')]
            if e.args.get("database") is not None:
                parts += ["DATABASE", self._mo_id(e, 'database')]
            if e.args.get("table") is not None:
                parts += ["TABLE", self._mo_id(e, 'table')]
            source = f" {self._mo_id(e, 'source')}" if e.args.get("source") is not None else ""
            return " ".join(parts) + f" {pitr}{source}"

        def showsnapshots_sql(self, e: mo.ShowSnapshots) -> str:
            return f"SHOW SNAPSHOTS{self.sql(e, 'where')}"

        def showpitr_sql(self, e: mo.ShowPitr) -> str:
            return f"SHOW PITR{self.sql(e, 'where')}"

        def showrecoverywindow_sql(self, e: mo.ShowRecoveryWindow) -> str:
            return f"SHOW RECOVERY_WINDOW FOR {self._mo_object(e)}"

        # sqlglot finds `<key>_sql` only for its own classes; ours are mapped here.
        TRANSFORMS: ClassVar[dict[type[exp.Expr], Callable[..., str]]] = {
            **MySQLGenerator.TRANSFORMS,
            mo.CreateSnapshot: createsnapshot_sql,
            mo.DropSnapshot: dropsnapshot_sql,
            mo.CreatePitr: createpitr_sql,
            mo.AlterPitr: alterpitr_sql,
            mo.DropPitr: droppitr_sql,
            mo.RestoreSnapshot: restoresnapshot_sql,
            mo.RestorePitr: restorepitr_sql,
            mo.ShowSnapshots: showsnapshots_sql,
            mo.ShowPitr: showpitr_sql,
            mo.ShowRecoveryWindow: showrecoverywindow_sql,
        }

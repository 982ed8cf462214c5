"""MatrixOne SQL → plan steps (`modsl.sqlimport` drives it), one statement at a time, read
with the `matrixone` sqlglot dialect.

Where the SQL implies a PITR's level that the plan would otherwise not know (an account
restored from another account's or the cluster's PITR), the importer declares the PITR
`existing` just before the restore, so the plan compiles back to the same SQL.
"""

from __future__ import annotations

import logging
import re
from typing import NoReturn

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from modsl import targets
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone import expressions as mo
from modsl.engines.matrixone.dialect import MatrixOne
from modsl.engines.matrixone.names import name_problems
from modsl.language import ast
from modsl.language.secrets import is_secret
from modsl.sqlimport import NotImported, Report

_SECRET = re.compile(
    r"""(?:\bidentified\s+by\s+|(?P<q>['"])(?P<key>[^'"]*)(?P=q)\s*=\s*)"""
    r"""(?P<v>['"])(?P<value>(?:(?!(?P=v))[^\\]|\\.|(?P=v)(?P=v))*)(?P=v)""", re.I)
_SQLGLOT_LOG = logging.getLogger("sqlglot")



_IDENT = r"(`[^`]+`|[^`\s.{}]+)"
# MatrixOne's clone (mysql_sql.y, 3.0.0+): `CREATE DATABASE|TABLE [IF NOT EXISTS] d2 CLONE d
# [{SNAPSHOT|TIMESTAMP = '...'}] [TO ACCOUNT a]`.
_CLONE = re.compile(
    r"\s*create\s+(database|table)\s+(if\s+not\s+exists\s+)?"
    rf"(?:{_IDENT}\s*\.\s*)?{_IDENT}\s+clone\s+(?:{_IDENT}\s*\.\s*)?{_IDENT}\s*"
    r"(?:\{\s*(snapshot|timestamp)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\})?"
    rf"(?:\s+to\s+account\s+{_IDENT})?\s*;?\s*\Z", re.I)


class MatrixOneReader:
    """`Reader` for MatrixOne SQL."""

    def __init__(self, version: targets.TargetVersion, own: str) -> None:
        self.version = version
        self.own = own
        self.dialect = Dialect.get_or_raise(MatrixOne.__name__.lower())
        self.pitrs: dict[str, ast.Scope | None] = {}
        """PITRs the SQL created (their scope) or the plan declares (None: level only)."""
        self.span = ast.NO_SPAN

    def shown(self, text: str) -> str:
        """Passwords (`IDENTIFIED BY '...'`) and secret credentials (`'AWS_SECRET_KEY' =
        '...'`) masked: statements that are not plan steps are still kept as comments."""
        def mask(m: re.Match[str]) -> str:
            value = m.group("value")
            return m.group(0)[: -len(value) - 1] + "*" * len(value) + m.group(0)[-1]

        return _SECRET.sub(lambda m: mask(m) if m.group("key") is None
                           or is_secret(m.group("key")) else m.group(0), text)

    def read(self, text: str, span: ast.Span, report: Report) -> list[ast.Statement]:
        self.span = span
        quiet = _SQLGLOT_LOG.disabled
        _SQLGLOT_LOG.disabled = True  # its "falling back to Command" warning quotes the SQL
        try:
            return self._read(text, span)
        finally:
            _SQLGLOT_LOG.disabled = quiet

    def _read(self, text: str, span: ast.Span) -> list[ast.Statement]:
        cloned = _CLONE.match(text)
        if cloned:  # sqlglot reads no CLONE with a snapshot hint
            return [self._clone(cloned)]
        try:
            parsed = self.dialect.parse(text)
        except (ParseError, TokenError) as exc:
            raise NotImported(Diagnostic("MB101", _parse_message(exc), span)) from None
        except Exception as exc:  # sqlglot's MySQL parser can fail unexpectedly (`show create`)
            raise NotImported(Diagnostic(
                "MB101", f"not valid MatrixOne SQL (the SQL parser failed: "
                f"{type(exc).__name__})", span)) from None
        node = parsed[0] if parsed else None
        if node is None:
            return []
        if isinstance(node, mo.SHOWS):
            self._note("a SHOW statement is not a plan step; skipped")
        if not isinstance(node, mo.PLAN_STEPS):
            self._note(f"not a snapshot, PITR or restore statement "
                       f"({type(node).__name__}); skipped")
        return self._convert(node)

    def _clone(self, found: re.Match[str]) -> ast.Clone:
        """`CREATE DATABASE|TABLE ... CLONE ... {SNAPSHOT = 's'} [TO ACCOUNT a]` as a plan line.
        A `{TIMESTAMP = ...}` clone names no PITR, which the plan line needs."""
        level, ine, dst_db, dst, src_db, src, hint, value, to = (
            g.strip("`") if g else g for g in found.groups())
        if ine or hint is None or hint.lower() != "snapshot":
            why = ("`if not exists`" if ine else "a clone of the live data" if hint is None
                   else "a `{TIMESTAMP = ...}` clone, which names no PITR")
            self._refuse("MB107", f"{why} has no plan line",
                         'write `clone database D from pitr P at "TS" into D2` with the PITR '
                         "that keeps that moment" if hint else
                         "a plan clones from a snapshot or a PITR moment")
        if level.lower() == "table" and (dst_db is None or src_db is None):
            self._refuse("MB107", "a table clone without its database has no plan line",
                         "qualify both tables: `CREATE TABLE d2.t2 CLONE d.t {SNAPSHOT = 's'}`")
        def name(text: str, what: str) -> ast.Name:
            return self._name(exp.to_identifier(text), what)
        value = re.sub(r"\\(.)", r"\1", value)  # the string's escapes, as MySQL reads them
        source = ast.Source(ast.SourceKind.SNAPSHOT, name(value, "snapshot"), span=self.span)
        if level.lower() == "database":
            scope = ast.Scope(ast.Level.DATABASE, database=name(src, "database"), span=self.span)
            into = ast.Scope(ast.Level.DATABASE, database=name(dst, "database"), span=self.span)
        else:
            scope = ast.Scope(ast.Level.TABLE, database=name(src_db, "database"),
                              table=name(src, "table"), span=self.span)
            into = ast.Scope(ast.Level.TABLE, database=name(dst_db, "database"),
                             table=name(dst, "table"), span=self.span)
        account = None if to is None else name(to, "account")
        return ast.Clone(scope, source, into, account, span=self.span)

    def _note(self, message: str, help_: str = "keep it in a separate SQL script") -> NoReturn:
        raise NotImported(Diagnostic("MB106", message, self.span, help=help_))

    def _refuse(self, code: str, message: str, help_: str) -> NoReturn:
        raise NotImported(Diagnostic(code, message, self.span, help=help_))

    # -- expression → AST ------------------------------------------------------------------
    def _name(self, node: exp.Expr | None, what: str) -> ast.Name:
        assert node is not None
        name = ast.Name(node.name.lower(), self.span)
        problems = name_problems(name, what=what)
        if problems:
            raise NotImported(*problems)
        return name

    def _opt(self, node: exp.Expr | None, what: str) -> ast.Name | None:
        return None if node is None else self._name(node, what)

    def _scope(self, e: exp.Expr, *, qualified: bool = False) -> ast.Scope:
        kind = ast.Level(e.args["kind"].lower())
        account = self._opt(e.args.get("account"), "account")
        if kind in (ast.Level.DATABASE, ast.Level.TABLE):
            if qualified and account is not None and account.key != self.own:
                self._refuse(
                    "MB306", f"`{account.key}` qualifies a {kind.value} restore, but the "
                    f"server restores databases and tables only of the running account "
                    f"(`{self.own}`): `can't restore database from other account's snapshot`",
                    f"import with `--as {account.key}` if that account runs it")
            account = None
        return ast.Scope(kind, account, self._opt(e.args.get("database"), "database"),
                         self._opt(e.args.get("table"), "table"), self.span)

    def _duration(self, e: exp.Expr) -> ast.Duration:
        return ast.Duration(int(e.args["value"].name), e.args["unit"].name.lower(), self.span)

    def _convert(self, e: exp.Expr) -> list[ast.Statement]:
        sp = self.span
        exists = bool(e.args.get("exists"))
        if isinstance(e, mo.CreateSnapshot):
            return [ast.CreateSnapshot(self._name(e.this, "snapshot"), self._scope(e), exists,
                                       span=sp)]
        if isinstance(e, mo.DropSnapshot):
            return [ast.DropSnapshot(self._name(e.this, "snapshot"), exists, span=sp)]
        if isinstance(e, mo.CreatePitr):
            name = self._name(e.this, "pitr")
            scope = self._scope(e)
            self.pitrs.setdefault(name.key, scope)
            return [ast.CreatePitr(name, scope, self._duration(e), exists, span=sp)]
        if isinstance(e, mo.AlterPitr):
            return [ast.AlterPitr(self._name(e.this, "pitr"), self._duration(e), exists, span=sp)]
        if isinstance(e, mo.DropPitr):
            return [ast.DropPitr(self._name(e.this, "pitr"), exists, span=sp)]
        if isinstance(e, mo.RestoreSnapshot):
            return [self._restore_snapshot(e)]
        assert isinstance(e, mo.RestorePitr)
        return self._restore_pitr(e)

    def _restore_snapshot(self, e: mo.RestoreSnapshot) -> ast.Statement:
        brace = bool(e.args.get("brace"))
        if brace != self.version.can("brace_restore"):
            written, right = ("4.x", "matrixone-4.2") if brace else ("3.0", "matrixone-3.0")
            self._refuse("MB408", f"this restore is written in the MatrixOne {written} syntax, "
                         f"which {self.version.name} does not accept",
                         f"import it with `--target {right}`")
        scope = self._scope(e, qualified=True)
        if e.args.get("to_account") is not None and scope.level is not ast.Level.ACCOUNT:
            self._refuse("MB305", f"the server ignores `TO ACCOUNT` on a {scope.level.value} "
                         "restore and restores it in place",
                         "drop `TO ACCOUNT`, or restore the whole account into the other one")
        snap = self._name(e.args["snapshot"], "snapshot")
        source = ast.Source(ast.SourceKind.SNAPSHOT, snap, span=self.span)
        return ast.Restore(scope, source, self._opt(e.args.get("to_account"), "account"),
                           span=self.span)

    def _restore_pitr(self, e: mo.RestorePitr) -> list[ast.Statement]:
        if (e.args["kind"] in ("DATABASE", "TABLE") and e.args.get("account") is not None
                and not self.version.can("account_database_pitr_restore")):
            self._refuse("MB408", f"`RESTORE ACCOUNT ... {e.args['kind']} ... FROM PITR` parses "
                         f"only on MatrixOne 4.1 and later, not {self.version.name}",
                         "write `RESTORE DATABASE d [TABLE t] FROM PITR ...`, or import with "
                         "`--target matrixone-4.1`")
        pitr = self._name(e.args["pitr"], "pitr")
        at = ast.Timestamp(e.args["timestamp"].name, self.span)
        source = ast.Source(ast.SourceKind.PITR, pitr, at, self.span)
        scope = self._scope(e, qualified=True)
        out: list[ast.Statement] = []
        if scope.level is not ast.Level.ACCOUNT:
            out.append(ast.Restore(scope, source, span=self.span))
            return out
        if scope.account is None:  # `RESTORE FROM PITR p`: p is the account's own PITR
            if pitr.key not in self.pitrs:
                self.pitrs[pitr.key] = None
                out.append(ast.ExistingPitr(pitr, ast.Scope(ast.Level.ACCOUNT, span=self.span),
                                            span=self.span))
            out.append(ast.Restore(scope, source, span=self.span))
            return out
        named = self._opt(e.args.get("source"), "account")
        target = scope.account
        created = self.pitrs.get(pitr.key)
        if created is not None and (created.level is ast.Level.CLUSTER) != (named is not None):
            self._refuse("MB401", f"PITR `{pitr.key}` is {created.level.value}-level, but this "
                         "restore is written for " + ("a cluster" if named else "an account")
                         + "-level PITR: the server refuses it",
                         "`RESTORE ACCOUNT x FROM PITR p 'ts' source` takes a cluster PITR; "
                         "without the source, an account PITR")
        if named is None:
            if target.key == self.own:
                out.append(ast.Restore(scope, source, span=self.span))
                return out
            covered = target if created is None or created.account is None else created.account
            if created is not None and created.account is None:
                covered = ast.Name(self.own, self.span)
            level = ast.Scope(ast.Level.ACCOUNT, covered, span=self.span)
            # The PITR's account is restored into `target` (pitr.go doRestorePitr).
            to = None if covered.key == target.key else target
            restore = ast.Restore(ast.Scope(ast.Level.ACCOUNT, covered, span=self.span), source,
                                  to, span=self.span)
        else:  # RESTORE ACCOUNT target FROM PITR p 'ts' source: a cluster PITR
            level = ast.Scope(ast.Level.CLUSTER, span=self.span)
            to = None if named.key == target.key else target
            restore = ast.Restore(ast.Scope(ast.Level.ACCOUNT, named, span=self.span), source,
                                  to, span=self.span)
        if pitr.key not in self.pitrs:
            self.pitrs[pitr.key] = None
            out.append(ast.ExistingPitr(pitr, level, span=self.span))
        out.append(restore)
        return out


def _parse_message(exc: ParseError | TokenError) -> str:
    if isinstance(exc, ParseError) and exc.errors:
        return f"not valid MatrixOne SQL: {exc.errors[0].get('description')}"
    return f"not valid MatrixOne SQL: {str(exc).splitlines()[0] if str(exc) else exc}"

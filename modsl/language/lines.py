"""Parse events (one callback per grammar rule) → AST nodes, for one line at a time.

Runs inside the LALR parser (`modsl.language.lalr`: a callback per rule), so no parse tree is built.
Names are taken as written: what a name may contain (MB201/MB202) is the checker's
judgement, so a plan with a bad name still parses, formats and explains.
"""

from __future__ import annotations

import re
from typing import Any

from modsl.language import ast
from modsl.language.lalr import Token

_UNESCAPE = re.compile(r"\\(.)")
Node = Any  # a token, an AST node, or None (an absent optional part)
# A span is made for every node: the NamedTuple's `__new__` is Python code around this call
# (as for the lexer's tokens).
_span = tuple.__new__


def _text(tok: Token | None) -> str | None:
    """A double-quoted STRING's text, escapes resolved."""
    return None if tok is None else _UNESCAPE.sub(r"\1", tok.value[1:-1])


class LineBuilder:
    """Build the AST node for one line; set `file` and `line_no` before each parse. Each
    callback takes the children of its rule (a None where an optional part is absent)."""

    def __init__(self) -> None:
        self.file = "<plan>"
        self.line_no = 0

    def span(self, first: Node, *rest: Node) -> ast.Span:
        """From the start of `first` to the end of the last of `rest` that is present."""
        last = first
        for x in rest:
            if x is not None:
                last = x
        start: int = first.column if type(first) is Token else first.span.column
        end: int = last.end_column if type(last) is Token else last.span.end_column
        return _span(ast.Span, (self.file, self.line_no, start, self.line_no, end))

    # -- the line --------------------------------------------------------------------
    def line(self, children: list[Node]) -> tuple[Node, ast.Comment | None]:
        item, comment = children
        note = None
        if comment is not None:
            note = ast.Comment(comment.value.rstrip(), self.span(comment))
        return item, note

    # -- names -----------------------------------------------------------------------
    def name(self, tok: Token) -> ast.Name:
        span = _span(ast.Span, (self.file, self.line_no, tok.column, self.line_no,
                                tok.end_column))
        if tok.type == "QUOTED_NAME":
            return ast.Name(tok.value[1:-1], span)
        return ast.Name(tok.value, span)

    # -- header ----------------------------------------------------------------------
    def target_decl(self, children: list[Node]) -> ast.TargetDecl:
        kw, engine, version = children
        return ast.TargetDecl(engine.value.lower(), None if version is None else version.value,
                              span=self.span(kw, engine, version))

    def as_decl(self, children: list[Node]) -> ast.AccountDecl:
        kw, _account, name = children
        return ast.AccountDecl(self.name(name), span=self.span(kw, name))

    def rollback_decl(self, children: list[Node]) -> ast.RollbackDecl:
        kw, _on, failure = children
        return ast.RollbackDecl(span=self.span(kw, failure))

    # -- scopes and sources ------------------------------------------------------------
    def cluster(self, children: list[Node]) -> ast.Scope:
        (kw,) = children
        return ast.Scope(ast.Level.CLUSTER, span=self.span(kw))

    def account(self, children: list[Node]) -> ast.Scope:
        kw, tok = children
        name = None if tok is None else self.name(tok)
        return ast.Scope(ast.Level.ACCOUNT, account=name, span=self.span(kw, tok))

    def database(self, children: list[Node]) -> ast.Scope:
        kw, name = children
        return ast.Scope(ast.Level.DATABASE, database=self.name(name),
                         span=self.span(kw, name))

    def table(self, children: list[Node]) -> ast.Scope:
        kw, db, _dot, table = children
        return ast.Scope(ast.Level.TABLE, database=self.name(db),
                         table=self.name(table), span=self.span(kw, table))

    def from_snapshot(self, children: list[Node]) -> ast.Source:
        kw, name = children
        return ast.Source(ast.SourceKind.SNAPSHOT, self.name(name),
                          span=self.span(kw, name))

    def from_pitr(self, children: list[Node]) -> ast.Source:
        kw, name, _at, ts = children
        text = _UNESCAPE.sub(r"\1", ts.value[1:-1])
        at = ast.Timestamp(text, self.span(ts))
        return ast.Source(ast.SourceKind.PITR, self.name(name), at,
                          span=self.span(kw, ts))

    def to_account(self, children: list[Node]) -> ast.Name:
        _to, _account, name = children
        return self.name(name)

    def if_exists(self, children: list[Node]) -> Node:
        return children[-1]  # the `exists` token: where the statement ends

    def if_not_exists(self, children: list[Node]) -> Node:
        return children[-1]

    def duration(self, tok: Token) -> ast.Duration:
        text = tok.value
        digits = len(text) - len(text.lstrip("0123456789"))
        return ast.Duration(int(text[:digits]), text[digits:].lower(), self.span(tok))

    # -- statements --------------------------------------------------------------------
    def create_snapshot(self, children: list[Node]) -> ast.CreateSnapshot:
        kw, name, _for, scope, ine = children
        return ast.CreateSnapshot(self.name(name), scope, ine is not None,
                                  span=self.span(kw, scope, ine))

    def drop_snapshot(self, children: list[Node]) -> ast.DropSnapshot:
        kw, _snap, name, ie = children
        return ast.DropSnapshot(self.name(name), ie is not None,
                                span=self.span(kw, name, ie))

    def create_pitr(self, children: list[Node]) -> ast.CreatePitr:
        kw, name, _for, scope, _range, dur, ine = children
        return ast.CreatePitr(self.name(name), scope, self.duration(dur),
                              ine is not None, span=self.span(kw, dur, ine))

    def alter_pitr(self, children: list[Node]) -> ast.AlterPitr:
        kw, _pitr, name, _range, dur, ie = children
        return ast.AlterPitr(self.name(name), self.duration(dur), ie is not None,
                             span=self.span(kw, dur, ie))

    def drop_pitr(self, children: list[Node]) -> ast.DropPitr:
        kw, _pitr, name, ie = children
        return ast.DropPitr(self.name(name), ie is not None,
                            span=self.span(kw, name, ie))

    def restore(self, children: list[Node]) -> ast.Restore:
        kw, scope, _from, source, to = children
        return ast.Restore(scope, source, to, span=self.span(kw, source, to))

    def existing_snapshot(self, children: list[Node]) -> ast.ExistingSnapshot:
        kw, _snap, name, _for, scope = children
        return ast.ExistingSnapshot(self.name(name), scope,
                                    span=self.span(kw, scope))

    def existing_pitr(self, children: list[Node]) -> ast.ExistingPitr:
        kw, _pitr, name, _for, scope, _range, dur = children
        return ast.ExistingPitr(self.name(name), scope,
                                None if dur is None else self.duration(dur),
                                span=self.span(kw, scope, dur))

    def verify_rows(self, children: list[Node]) -> ast.Verify:
        kw, _rows, db, _dot, table, op, count, account = children
        return ast.Verify(ast.VerifyKind.ROWS, self.name(db), self.name(table), None, op.value,
                          int(count.value), account=account, span=self.span(kw, count, account))

    def verify_table(self, children: list[Node]) -> ast.Verify:
        kw, _table, db, _dot, table, exists, account = children
        return ast.Verify(ast.VerifyKind.TABLE, self.name(db), self.name(table),
                          account=account, span=self.span(kw, exists, account))

    def verify_database(self, children: list[Node]) -> ast.Verify:
        kw, _database, db, exists, account = children
        return ast.Verify(ast.VerifyKind.DATABASE, self.name(db), account=account,
                          span=self.span(kw, exists, account))

    def verify_query(self, children: list[Node]) -> ast.Verify:
        kw, query, op, value, account = children
        expected: int | str = (int(value.value) if value.type == "INT"
                               else _UNESCAPE.sub(r"\1", value.value[1:-1]))
        return ast.Verify(ast.VerifyKind.QUERY, query=_UNESCAPE.sub(r"\1", query.value[1:-1]),
                          op=op.value, expected=expected, account=account,
                          span=self.span(kw, value, account))

    def in_account(self, children: list[Node]) -> ast.Name:
        _in, _account, name = children
        return self.name(name)

    def schedule_every(self, children: list[Node]) -> ast.Schedule:
        kw, name, _every, unit, _on, day, _at, time, zone = children
        return ast.Schedule(self.name(name), unit.value.lower(),
                            None if day is None else day.value, time.value, None,
                            _text(zone), span=self.span(kw, time, zone))

    def schedule_cron(self, children: list[Node]) -> ast.Schedule:
        kw, name, _cron, expr, zone = children
        return ast.Schedule(self.name(name), cron=_text(expr), zone=_text(zone),
                            span=self.span(kw, expr, zone))

    def zone(self, children: list[Node]) -> Node:
        _in, text = children
        return text

    def scheduled_snapshot(self, children: list[Node]) -> ast.ScheduledSnapshot:
        kw, name, _for, scope, _on, schedule, _keep, keep = children
        keep_for, keep_last, end = keep
        return ast.ScheduledSnapshot(self.name(name), scope, self.name(schedule), keep_for,
                                     keep_last, span=self.span(kw, end))

    def keep_for(self, children: list[Node]) -> tuple[ast.Duration, int | None, Token]:
        dur, _last, count = children
        return (self.duration(dur), None if count is None else int(count.value),
                dur if count is None else count)

    def keep_last(self, children: list[Node]) -> tuple[None, int, Token]:
        _last, count = children
        return None, int(count.value), count

    # -- StarRocks -----------------------------------------------------------------------
    def read_only(self, children: list[Node]) -> Node:
        return children[-1]

    def broker(self, children: list[Node]) -> tuple[Token, ast.Name | None]:
        kw, name = children
        return (kw if name is None else name), (None if name is None else self.name(name))

    def property(self, children: list[Node]) -> ast.Property:
        key, _eq, value = children
        return ast.Property(_text(key) or "", _text(value), span=self.span(key, value))

    def env_property(self, children: list[Node]) -> ast.Property:
        key, _eq, word, _open, var, close = children
        return ast.Property(_text(key) or "", None, _text(var), word.value,
                            span=self.span(key, close))

    def properties(self, children: list[Node]) -> tuple[tuple[ast.Property, ...], Token]:
        _kw, _open, items, close = children
        return tuple(items), close

    def property_list(self, children: list[Node]) -> list[Node]:
        return [children[0]] if len(children) == 1 else [*children[0], children[2]]

    table_list = name_list = property_list

    def table_item(self, children: list[Node]) -> ast.TableItem:
        name, parts, alias = children
        partitions, end = parts if parts is not None else ((), None)
        return ast.TableItem(self.name(name), partitions, alias,
                             span=self.span(name, end, alias))

    def partitions(self, children: list[Node]) -> tuple[tuple[ast.Name, ...], Node]:
        _kw, _open, names, close = children
        return tuple(self.name(t) for t in names), close

    def alias(self, children: list[Node]) -> ast.Name:
        _as, name = children
        return self.name(name)

    def tables(self, children: list[Node]) -> tuple[ast.TableItem, ...]:
        _kw, items = children
        return tuple(items)

    def into(self, children: list[Node]) -> ast.Name:
        _into, _database, name = children
        return self.name(name)

    def create_repository(self, children: list[Node]) -> ast.CreateRepository:
        kw, name, _at, location, read_only, broker, props = children
        properties, end = props if props is not None else ((), None)
        broker_end, broker_name = broker if broker is not None else (None, None)
        return ast.CreateRepository(self.name(name), _text(location) or "", read_only is not None,
                                    broker is not None, broker_name, properties,
                                    span=self.span(kw, location, read_only, broker_end, end))

    def existing_repository(self, children: list[Node]) -> ast.ExistingRepository:
        kw, _repo, name = children
        return ast.ExistingRepository(self.name(name), span=self.span(kw, name))

    def drop_repository(self, children: list[Node]) -> ast.DropRepository:
        kw, _repo, name = children
        return ast.DropRepository(self.name(name), span=self.span(kw, name))

    def backup(self, children: list[Node]) -> ast.Backup:
        kw, _db, db, _to, repo, _as, snap, tables, props = children
        properties, end = props if props is not None else ((), None)
        return ast.Backup(self.name(db), self.name(repo), self.name(snap), tables or (),
                          properties, span=self.span(kw, snap, *(tables or (None,)), end))

    def scheduled_backup(self, children: list[Node]) -> ast.Backup:
        kw, _db, db, _to, repo, _as, snap, _on, schedule, _keep, keep, tables, props = children
        properties, end = props if props is not None else ((), None)
        keep_for, keep_last, keep_end = keep if keep is not None else (None, None, None)
        return ast.Backup(self.name(db), self.name(repo), self.name(snap), tables or (),
                          properties, schedule=self.name(schedule), keep_for=keep_for,
                          keep_last=keep_last,
                          span=self.span(kw, schedule, keep_end, *(tables or (None,)), end))

    def restore_backup(self, children: list[Node]) -> ast.RestoreBackup:
        kw, scope, _from, repo, _snap, snap, ts, tables, into, props = children
        properties, end = props if props is not None else ((), None)
        at = None if ts is None else ast.Timestamp(_text(ts) or "", self.span(ts))
        return ast.RestoreBackup(scope, self.name(repo), self.name(snap), at, tables or (),
                                 into, properties,
                                 span=self.span(kw, snap, ts, *(tables or (None,)), into, end))

    def restore_own_backup(self, children: list[Node]) -> ast.RestoreBackup:
        """`restore backup from R snapshot S ...`: a database scope naming none (the backup's)."""
        kw, word, _from, repo, _snap, snap, ts, props = children
        properties, end = props if props is not None else ((), None)
        at = None if ts is None else ast.Timestamp(_text(ts) or "", self.span(ts))
        scope = ast.Scope(ast.Level.DATABASE, span=self.span(word))
        return ast.RestoreBackup(scope, self.name(repo), self.name(snap), at,
                                 properties=properties, span=self.span(kw, snap, ts, end))

    def backup_at(self, children: list[Node]) -> Node:
        return children[-1]

    # -- clones and drills -----------------------------------------------------------------
    def clone_database(self, children: list[Node]) -> ast.Scope:
        (db,) = children
        return ast.Scope(ast.Level.DATABASE, database=self.name(db), span=self.span(db))

    def clone_table(self, children: list[Node]) -> ast.Scope:
        db, _dot, table = children
        return ast.Scope(ast.Level.TABLE, database=self.name(db), table=self.name(table),
                         span=self.span(db, table))

    def clone(self, children: list[Node]) -> ast.Clone:
        kw, scope, _from, source, _into, into, to = children
        return ast.Clone(scope, source, into, to, span=self.span(kw, into, to))

    def drill(self, children: list[Node]) -> ast.Drill:
        kw, name, _restore, snap, _on, schedule, _into, scratch = children
        return ast.Drill(self.name(name), self.name(snap), self.name(schedule),
                         self.name(scratch), span=self.span(kw, scratch))

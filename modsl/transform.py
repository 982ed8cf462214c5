"""Lark parse events → AST nodes, for one line at a time.

Runs inside the LALR parser (Lark's `transformer=` option), so no parse tree is built.
Name rules (MB201/MB202, keywords used bare) are checked here, as nodes are made, so no
invalid name ever reaches a later stage: the line's diagnostics drop its statement.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Token, Transformer, v_args

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.names import KEYWORDS, name_problems

_UNESCAPE = re.compile(r"\\(.)")
Node = Any  # a token, an AST node, or None (an absent optional part)


def _start(x: Node) -> int:
    return int(x.column or 0) if isinstance(x, Token) else int(x.span.column)


def _end(x: Node) -> int:
    return int(x.end_column or 0) if isinstance(x, Token) else int(x.span.end_column)


@v_args(inline=True)
class LineBuilder(Transformer[Token, Any]):
    """Build the AST node for one line; set `file` and `line_no` before each parse."""

    def __init__(self) -> None:
        super().__init__()
        self.file = "<plan>"
        self.line_no = 0
        self.diagnostics: list[Diagnostic] = []

    def span(self, first: Node, *rest: Node) -> ast.Span:
        last = next((x for x in reversed(rest) if x is not None), first)
        return ast.Span(self.file, self.line_no, _start(first), self.line_no, _end(last))

    def _checked(self, name: ast.Name, what: str) -> ast.Name:
        self.diagnostics.extend(name_problems(name, what=what))
        return name

    # -- the line --------------------------------------------------------------------
    def line(self, item: Node, comment: Token | None) -> tuple[Node, ast.Comment | None]:
        note = None
        if comment is not None:
            note = ast.Comment(str(comment).rstrip(), self.span(comment))
        return item, note

    # -- names -----------------------------------------------------------------------
    def name(self, tok: Token) -> ast.Name:
        span = self.span(tok)
        if tok.type == "QUOTED_NAME":
            return ast.Name(str(tok)[1:-1], span)
        text = str(tok)
        if text.lower() in KEYWORDS:
            self.diagnostics.append(Diagnostic(
                "MB101", f"`{text}` is a keyword and cannot be a bare name", span,
                help=f"quote it to use it as a name: `` `{text.lower()}` ``"))
        return ast.Name(text, span)

    # -- header ----------------------------------------------------------------------
    def target_decl(self, kw: Token, engine: Token, version: Token | None) -> ast.TargetDecl:
        return ast.TargetDecl(str(engine).lower(), None if version is None else str(version),
                              span=self.span(kw, engine, version))

    def as_decl(self, kw: Token, _account: Token, name: ast.Name) -> ast.AccountDecl:
        return ast.AccountDecl(self._checked(name, "account"), span=self.span(kw, name))

    # -- scopes and sources ------------------------------------------------------------
    def cluster(self, kw: Token) -> ast.Scope:
        return ast.Scope(ast.Level.CLUSTER, span=self.span(kw))

    def account(self, kw: Token, name: ast.Name | None) -> ast.Scope:
        if name is not None:
            self._checked(name, "account")
        return ast.Scope(ast.Level.ACCOUNT, account=name, span=self.span(kw, name))

    def database(self, kw: Token, name: ast.Name) -> ast.Scope:
        return ast.Scope(ast.Level.DATABASE, database=self._checked(name, "database"),
                         span=self.span(kw, name))

    def table(self, kw: Token, db: ast.Name, _dot: Token, table: ast.Name) -> ast.Scope:
        return ast.Scope(ast.Level.TABLE, database=self._checked(db, "database"),
                         table=self._checked(table, "table"), span=self.span(kw, table))

    def from_snapshot(self, kw: Token, name: ast.Name) -> ast.Source:
        return ast.Source(ast.SourceKind.SNAPSHOT, self._checked(name, "snapshot"),
                          span=self.span(kw, name))

    def from_pitr(self, kw: Token, name: ast.Name, _at: Token, ts: Token) -> ast.Source:
        text = _UNESCAPE.sub(r"\1", str(ts)[1:-1])
        at = ast.Timestamp(text, self.span(ts))
        return ast.Source(ast.SourceKind.PITR, self._checked(name, "pitr"), at,
                          span=self.span(kw, ts))

    def to_account(self, kw: Token, _account: Token, name: ast.Name) -> ast.Name:
        return self._checked(name, "account")

    def if_exists(self, _if: Token, exists: Token) -> Token:
        return exists

    def if_not_exists(self, _if: Token, _not: Token, exists: Token) -> Token:
        return exists

    def duration(self, tok: Token) -> ast.Duration:
        text = str(tok)
        digits = len(text) - len(text.lstrip("0123456789"))
        return ast.Duration(int(text[:digits]), text[digits:].lower(), self.span(tok))

    # -- statements --------------------------------------------------------------------
    def create_snapshot(self, kw: Token, name: ast.Name, _for: Token, scope: ast.Scope,
                        ine: Token | None) -> ast.CreateSnapshot:
        return ast.CreateSnapshot(self._checked(name, "snapshot"), scope, ine is not None,
                                  span=self.span(kw, scope, ine))

    def drop_snapshot(self, kw: Token, _snap: Token, name: ast.Name,
                      ie: Token | None) -> ast.DropSnapshot:
        return ast.DropSnapshot(self._checked(name, "snapshot"), ie is not None,
                                span=self.span(kw, name, ie))

    def create_pitr(self, kw: Token, name: ast.Name, _for: Token, scope: ast.Scope,
                    _range: Token, dur: Token, ine: Token | None) -> ast.CreatePitr:
        return ast.CreatePitr(self._checked(name, "pitr"), scope, self.duration(dur),
                              ine is not None, span=self.span(kw, dur, ine))

    def alter_pitr(self, kw: Token, _pitr: Token, name: ast.Name, _range: Token, dur: Token,
                   ie: Token | None) -> ast.AlterPitr:
        return ast.AlterPitr(self._checked(name, "pitr"), self.duration(dur), ie is not None,
                             span=self.span(kw, dur, ie))

    def drop_pitr(self, kw: Token, _pitr: Token, name: ast.Name,
                  ie: Token | None) -> ast.DropPitr:
        return ast.DropPitr(self._checked(name, "pitr"), ie is not None,
                            span=self.span(kw, name, ie))

    def restore(self, kw: Token, scope: ast.Scope, _from: Token, source: ast.Source,
                to: ast.Name | None) -> ast.Restore:
        return ast.Restore(scope, source, to, span=self.span(kw, source, to))

    def existing_snapshot(self, kw: Token, _snap: Token, name: ast.Name, _for: Token,
                          scope: ast.Scope) -> ast.ExistingSnapshot:
        return ast.ExistingSnapshot(self._checked(name, "snapshot"), scope,
                                    span=self.span(kw, scope))

    def existing_pitr(self, kw: Token, _pitr: Token, name: ast.Name, _for: Token,
                      scope: ast.Scope, _range: Token | None,
                      dur: Token | None) -> ast.ExistingPitr:
        return ast.ExistingPitr(self._checked(name, "pitr"), scope,
                                None if dur is None else self.duration(dur),
                                span=self.span(kw, scope, dur))

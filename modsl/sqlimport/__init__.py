"""A target's SQL → a `.mobak` plan. Engine-neutral: the text is split into statements (and
comments) here; each engine's reader (`Engine.sql_reader`) turns one statement into plan
steps. A bad statement costs one diagnostic on its own line, and the import goes on.

The importer never changes meaning. A statement the plan language cannot say exactly (one
the server would refuse, or run differently from how it reads) is refused with an error and
kept in the plan as a comment that gives the reason; SQL comments are kept as plan comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from modsl import targets
from modsl.diagnostics import Diagnostic
from modsl.language import ast, fmt
from modsl.language.gcpause import paused
from modsl.sqlimport.split import SqlComment, Unterminated, split

if TYPE_CHECKING:
    from datetime import datetime

Report = Callable[[Diagnostic], None]


class NotImported(Exception):
    """The statement cannot become a plan step, for the reasons its diagnostics give (an
    error, or MB106 for a statement that is not a plan step at all)."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__(diagnostics[0].message)
        self.diagnostics = diagnostics


class Reader(Protocol):
    """An engine's SQL reader: one statement's text → the plan steps that say it."""

    def read(self, text: str, span: ast.Span, report: Report) -> list[ast.Statement]:
        """The steps for `text` (one statement, no `;`); raises NotImported. `report` takes
        warnings about a statement that is still imported."""
        ...

    def shown(self, text: str) -> str:
        """The SQL as the import may show it, and reads it: every secret value masked, each
        line and column where it was."""
        ...


@dataclass(frozen=True)
class Imported:
    plan_text: str
    plan: ast.Plan
    diagnostics: list[Diagnostic]
    """What the import itself found: statements refused, skipped or not parsed."""
    lint: list[Diagnostic] = field(default_factory=list)
    """The imported plan's own diagnostics (`modsl lint` of `plan_text`), spans on SQL lines."""
    lost: int = 0
    """Statements that did not become plan steps (refused, unparsed, or not plan steps)."""
    source: str = ""
    """The SQL as diagnostics may quote it: secrets masked (`Reader.shown`)."""


def import_text(sql: str, *, target: targets.TargetVersion | None = None, account: str = "sys",
                file: str = "<sql>", now: datetime | None = None,
                zone: str | None = None) -> Imported:
    """Import `sql`, then lint the plan it makes (`now`/`zone` as for `check`)."""
    from modsl.checker import check

    version = target or targets.default()
    engine = targets.engine(version.engine)
    own = account.lower()
    reader = engine.sql_reader(version, own)
    out = _Import(reader, file, _Owners(engine))
    with paused():
        shown = reader.shown(sql.removeprefix("\ufeff"))
        out.read(shown)
    header = ast.AccountDecl(ast.Name(own)) if engine.accounts else None
    plan = ast.Plan(ast.TargetDecl(version.engine, version.version), header,
                    tuple(out.statements), tuple(out.comments), file=file)
    lint = check(plan, target=version, now=now, zone=zone).diagnostics
    return Imported(fmt.format_plan(plan), plan, out.diagnostics, lint, out.lost, shown)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """Text made safe for a single `#` comment line."""
    return _UNPRINTABLE.sub("?", " ".join(text.split()))


class _Owners:
    """Whose statement a piece of SQL is, by its first words, when it is not the target
    engine's: each engine declares its openers (`Engine.sql_openers`), so no reader lists
    another engine's statements."""

    def __init__(self, engine: targets.Engine) -> None:
        self.engine = engine
        self.others = [e for e in targets.engines().values() if e.name != engine.name]

    def refusal(self, text: str, span: ast.Span) -> Diagnostic | None:
        words = tuple(text.upper().split()[:4])
        if any(words[:len(o)] == o for o in self.engine.sql_openers):
            return None
        for other in self.others:
            if any(words[:len(o)] == o for o in other.sql_openers):
                return Diagnostic("MB106", f"{other.title} SQL, not {self.engine.title} SQL; "
                                  "skipped", span,
                                  help=f"import it with `--target {other.name}-VERSION`")
        return None


class _Import:
    def __init__(self, reader: Reader, file: str, owners: _Owners) -> None:
        self.reader = reader
        self.file = file
        self.owners = owners
        self.statements: list[ast.Statement] = []
        self.comments: list[ast.Comment] = []
        self.diagnostics: list[Diagnostic] = []
        self.lost = 0

    def read(self, sql: str) -> None:
        for piece in split(sql):
            if isinstance(piece, Unterminated):
                span = ast.Span(self.file, piece.line, piece.column, piece.line,
                                piece.column + 1)
                self.diagnostics.append(Diagnostic(
                    "MB102", f"unterminated {piece.what}; the rest of the file is not read",
                    span, help="close it; statements after this point were not imported"))
                self.lost += 1
                return
            if isinstance(piece, SqlComment):
                for offset, text in enumerate(piece.lines):
                    line = piece.line + offset
                    self.comments.append(ast.Comment(_one_line(f"# {text}".rstrip()),
                                                     ast.Span(self.file, line, 1, line, 1)))
                continue
            end = piece.column + max(1, len(piece.first_line))
            span = ast.Span(self.file, piece.line, piece.column, piece.line, end)
            try:
                foreign = self.owners.refusal(piece.text[piece.first:], span)
                if foreign is not None:
                    raise NotImported(foreign)
                self.statements.extend(self.reader.read(piece.text[piece.first:], span,
                                                        self.diagnostics.append))
            except NotImported as refused:
                self.diagnostics.extend(refused.diagnostics)
                self.lost += 1
                why = refused.diagnostics[0]
                self.comments.append(ast.Comment(_one_line(
                    f"# modsl import: not imported ({why.code}: {why.message}): "
                    f"{piece.text[piece.first:]}"), span))

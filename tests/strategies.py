"""Hypothesis strategies for plans: names (fair and adversarial), durations, timestamps,
and every statement form, derived from `ast.STATEMENTS` and the fields' types."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from types import UnionType
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

from hypothesis import strategies as st

from modsl.language import ast
from modsl.language.names import KEYWORDS

_FORBIDDEN = "`'\" \t\n"
KEYWORD_NAMES = sorted(KEYWORDS)

# Valid names: letters (any script), digits, `_`, `$`, punctuation, keywords, up to 64 chars.
_name_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"),
                            blacklist_characters=_FORBIDDEN)


def name_texts(*, dots: bool = True, max_size: int = 64) -> st.SearchStrategy[str]:
    chars = _name_chars if dots else st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters=_FORBIDDEN + ".")
    return st.one_of(
        st.sampled_from(KEYWORD_NAMES),
        st.from_regex(r"[a-z_][a-z0-9_$]{0,20}", fullmatch=True),
        st.text(chars, min_size=1, max_size=max_size),
        st.just("s" * 64),
        st.sampled_from(["ünïcode", "名前", "$%^#", "a;drop", "db-1", "x--y", "a/*b*/", "123"]),
    )


def names(**kw: bool) -> st.SearchStrategy[ast.Name]:
    return name_texts(**kw).map(ast.Name)  # type: ignore[arg-type]


# Adversarial names for injection tests: anything at all, including what must be refused.
NASTY = st.one_of(
    st.text(min_size=0, max_size=70),
    st.sampled_from(["a;DROP DATABASE prod", "a`;DROP DATABASE prod;--", "x' OR '1'='1",
                     'q"uote', "new\nline", "tab\there", "/*", "--", "#", "`", "``",
                     "s" * 65, "s" * 64, "table", "SELECT", "ünïcode名", "a\rb", "\x00"]),
)

durations = st.builds(ast.Duration, st.integers(0, 150),
                      st.sampled_from(["h", "d", "mo", "y", "w", "s", "min"]))
valid_durations = st.builds(ast.Duration, st.integers(1, 100),
                            st.sampled_from(["h", "d", "mo", "y"]))

timestamps = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(
    ast.Timestamp)
valid_timestamps = st.datetimes().map(
    lambda d: ast.Timestamp(d.strftime("%Y-%m-%d %H:%M:%S") + (
        f".{d.microsecond:06d}" if d.microsecond else "")))


def scopes(name_st: st.SearchStrategy[ast.Name] | None = None,
           db_st: st.SearchStrategy[ast.Name] | None = None) -> st.SearchStrategy[ast.Scope]:
    n = names() if name_st is None else name_st
    d = names(dots=False) if db_st is None else db_st
    L = ast.Level
    return st.one_of(
        st.just(ast.Scope(L.CLUSTER)),
        st.builds(ast.Scope, st.just(L.ACCOUNT), st.none() | n),
        st.builds(ast.Scope, st.just(L.DATABASE), st.none(), d),
        st.builds(ast.Scope, st.just(L.TABLE), st.none(), d, d),
    )


# -- statements, derived from the AST -------------------------------------------------------
#
# Each class in `ast.STATEMENTS` is built from its fields and their types, so a new statement
# is generated the day it is added. What the types cannot say is written once below: a value
# type's strategy (a Scope, a Source), a field the grammar narrows (a template, a time), or a
# class whose fields constrain each other (a verify's kind decides its other fields).


def field_types(cls: type) -> list[tuple[str, Any]]:
    """(name, type) of each field of an AST class, in its constructor's order: the one place
    that reads how the AST declares its fields."""
    hints = get_type_hints(cls)
    return [(name, hints[name]) for name in ast.fields(cls)]


class Kit(NamedTuple):
    """The strategies a statement's fields are drawn from, by what they hold."""

    name: st.SearchStrategy[ast.Name]
    duration: st.SearchStrategy[ast.Duration]
    timestamp: st.SearchStrategy[ast.Timestamp]
    verify: bool
    """False: no verifies (nor the statements holding them), clones from snapshots only."""


TEMPLATES = st.from_regex(r"[a-z][a-z0-9_]{0,8}_\{(date|time|ts)\}", fullmatch=True)
STRINGS = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
"""What a double-quoted string holds: any one-line text (fmt escapes `"` and `\\`)."""


def _templates(kit: Kit) -> st.SearchStrategy[ast.Name]:
    return kit.name | TEMPLATES.map(ast.Name)


def _sources(kit: Kit, pitr: bool = True) -> st.SearchStrategy[ast.Source]:
    snapshot = st.builds(ast.Source, st.just(ast.SourceKind.SNAPSHOT), kit.name)
    at = st.builds(ast.Source, st.just(ast.SourceKind.PITR), kit.name, kit.timestamp)
    return st.one_of(snapshot, at) if pitr else snapshot


def _properties(kit: Kit) -> st.SearchStrategy[ast.Property]:
    return st.one_of(st.builds(ast.Property, STRINGS, STRINGS),
                     st.builds(ast.Property, STRINGS, st.none(), STRINGS))


BY_TYPE: dict[Any, Callable[[Kit], st.SearchStrategy[Any]]] = {
    ast.Name: lambda kit: kit.name,
    ast.Duration: lambda kit: kit.duration,
    ast.Timestamp: lambda kit: kit.timestamp,
    ast.Scope: lambda kit: scopes(kit.name),
    ast.Source: _sources,
    ast.Property: _properties,
    ast.Verify: lambda kit: verifies(kit.name),
    bool: lambda kit: st.booleans(),
    int: lambda kit: st.integers(0, 10**6),
    str: lambda kit: STRINGS,
}
"""A field's strategy by its type (`X | None` and `tuple[X, ...]` are derived from X's)."""

BY_FIELD: dict[tuple[type, str], Callable[[Kit], st.SearchStrategy[Any]]] = {
    # the grammar's TEMPLATE stands where a scheduled line's name does
    (ast.ScheduledSnapshot, "name"): _templates,
    (ast.Backup, "snapshot"): _templates,
    (ast.Drill, "snapshot"): _templates,
    (ast.Drill, "scratch"): _templates,
}

def _keeps_something(s: ast.ScheduledSnapshot) -> ast.ScheduledSnapshot:
    return s if s.keep_for is not None or s.keep_last is not None else \
        ast.replace(s, keep_last=7)


MADE_WRITABLE: dict[type, Callable[[Any], Any]] = {
    # what the grammar cannot write, made writable (a map, not a filter: nothing is thrown
    # away): a retention of nothing, a retention or a broker's name without its owner
    ast.ScheduledSnapshot: _keeps_something,
    ast.Backup: lambda s: s if s.schedule is not None else ast.replace(s, keep_for=None,
                                                                        keep_last=None),
    ast.CreateRepository: lambda s: s if s.broker else ast.replace(s, broker_name=None),
}

_LAYOUT = (ast.Span, ast.Comment | None)
"""Types of fields a statement is generated without (the round trips add comments)."""


def _schedules(kit: Kit) -> st.SearchStrategy[ast.Schedule]:
    zone = st.none() | STRINGS
    every = st.builds(ast.Schedule, kit.name, st.sampled_from(["hour", "day", "week", "month"]),
                      st.none() | st.sampled_from(["sunday", "monday", "1", "15", "31"]),
                      st.from_regex(r"([01]?[0-9]|2[0-3])?:[0-5][0-9]", fullmatch=True),
                      st.none(), zone)
    cron = st.builds(ast.Schedule, kit.name, cron=STRINGS, zone=zone)
    return every | cron


BY_CLASS: dict[type, Callable[[Kit], st.SearchStrategy[Any]]] = {
    # classes whose fields constrain each other
    ast.Verify: lambda kit: verifies(kit.name),
    ast.Clone: lambda kit: clones(kit.name, _sources(kit, pitr=kit.verify)),
    ast.Schedule: _schedules,
}


def _for_type(hint: Any, kit: Kit, where: str) -> st.SearchStrategy[Any]:
    if hint in BY_TYPE:
        return BY_TYPE[hint](kit)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    if isinstance(hint, type) and issubclass(hint, ast.Node):  # a part: a table item, ...
        return statement_strategy(hint, kit)
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(_for_type(args[0], kit, where), max_size=3).map(tuple)
    if args and origin in (Union, UnionType):  # None first: the simpler branch, as written
        return st.one_of([st.none() if a is type(None) else _for_type(a, kit, where)
                          for a in sorted(args, key=lambda a: a is not type(None))])
    raise TypeError(f"no strategy for {where}: {hint!r}; add one to tests/strategies.py")


def _holds_verifies(cls: type) -> bool:
    return cls is ast.Verify or any("Verify" in str(t) for _, t in field_types(cls))


def statement_strategy(cls: type, kit: Kit) -> st.SearchStrategy[Any]:
    """One statement class (or a node in one), from its fields' types and what is written
    above for it."""
    if cls in BY_CLASS:
        return BY_CLASS[cls](kit)
    fields = {name: BY_FIELD[cls, name](kit) if (cls, name) in BY_FIELD
              else _for_type(hint, kit, f"{cls.__name__}.{name}")
              for name, hint in field_types(cls) if hint not in _LAYOUT}
    built = st.builds(cls, **fields)
    return built.map(MADE_WRITABLE[cls]) if cls in MADE_WRITABLE else built


def statement_strategies(dur: st.SearchStrategy[ast.Duration] = durations,
                         ts: st.SearchStrategy[ast.Timestamp] = timestamps,
                         n: st.SearchStrategy[ast.Name] | None = None, verify: bool = True,
                         classes: Iterable[type] = ast.STATEMENTS,
                         ) -> dict[type, st.SearchStrategy[Any]]:
    """A strategy for each of `classes` (every statement, by default)."""
    kit = Kit(names() if n is None else n, dur, ts, verify)
    return {cls: statement_strategy(cls, kit) for cls in classes
            if verify or not _holds_verifies(cls)}


def statements(dur: st.SearchStrategy[ast.Duration] = durations,
               ts: st.SearchStrategy[ast.Timestamp] = timestamps,
               n: st.SearchStrategy[ast.Name] | None = None, verify: bool = True,
               classes: Iterable[type] = ast.STATEMENTS) -> st.SearchStrategy[ast.Statement]:
    """Every statement; `verify=False` leaves out verifies and the statements holding them
    (the backup steps alone, whose SQL the importer reads back); `classes` narrows them."""
    return st.one_of(*statement_strategies(dur, ts, n, verify, classes).values())


def clones(n: st.SearchStrategy[ast.Name],
           sources: st.SearchStrategy[ast.Source]) -> st.SearchStrategy[ast.Clone]:
    """`clone database|table ... into ...` (with `verify=False`, from snapshots only: a
    clone at a timestamp names no PITR, so SQL cannot give it back)."""
    level = ast.Level
    db = st.builds(ast.Scope, st.just(level.DATABASE), st.none(), n)
    table = st.builds(ast.Scope, st.just(level.TABLE), st.none(), n, n)
    return st.one_of(st.builds(ast.Clone, db, sources, db, st.none() | n),
                     st.builds(ast.Clone, table, sources, table, st.none() | n))


OPS = st.sampled_from([">=", ">", "=", "<=", "<"])
QUERY_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)


def verifies(n: st.SearchStrategy[ast.Name]) -> st.SearchStrategy[ast.Verify]:
    """Every form of `verify`; query texts are any one-line text (MB211 judges them)."""
    count = st.integers(min_value=0, max_value=10**12)
    where = st.none() | n  # `in account A`, or where the plan runs
    return st.one_of(
        st.builds(ast.Verify, st.just(ast.VerifyKind.ROWS), n, n, st.none(), OPS, count,
                  where),
        st.builds(ast.Verify, st.just(ast.VerifyKind.TABLE), n, n, account=where),
        st.builds(ast.Verify, st.just(ast.VerifyKind.DATABASE), n, account=where),
        st.builds(ast.Verify, st.just(ast.VerifyKind.QUERY), st.none(), st.none(), QUERY_TEXT,
                  OPS, count | QUERY_TEXT, where),
    )


comment_texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(
    lambda s: ("#" + s).rstrip())

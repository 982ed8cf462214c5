"""Hypothesis strategies for plans: names (fair and adversarial), durations, timestamps,
and every statement form."""

from __future__ import annotations

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


def statements(dur: st.SearchStrategy[ast.Duration] = durations,
               ts: st.SearchStrategy[ast.Timestamp] = timestamps,
               n: st.SearchStrategy[ast.Name] | None = None,
               verify: bool = True) -> st.SearchStrategy[ast.Statement]:
    """Every statement; `verify=False` leaves out verifies (the backup steps alone, whose SQL
    the importer reads back)."""
    n = names() if n is None else n
    b = st.booleans()
    sources = st.one_of(
        st.builds(ast.Source, st.just(ast.SourceKind.SNAPSHOT), n),
        st.builds(ast.Source, st.just(ast.SourceKind.PITR), n, ts),
    )
    return st.one_of(
        st.builds(ast.CreateSnapshot, n, scopes(), b),
        st.builds(ast.DropSnapshot, n, b),
        st.builds(ast.CreatePitr, n, scopes(), dur, b),
        st.builds(ast.AlterPitr, n, dur, b),
        st.builds(ast.DropPitr, n, b),
        st.builds(ast.Restore, scopes(), sources, st.none() | n),
        st.builds(ast.ExistingSnapshot, n, scopes()),
        st.builds(ast.ExistingPitr, n, scopes(), st.none() | dur),
        clones(n, sources if verify else sources.filter(lambda s: s.at is None)),
        *([verifies(n), drills(n)] if verify else []),
    )


def clones(n: st.SearchStrategy[ast.Name],
           sources: st.SearchStrategy[ast.Source]) -> st.SearchStrategy[ast.Clone]:
    """`clone database|table ... into ...` (with `verify=False`, from snapshots only: a
    clone at a timestamp names no PITR, so SQL cannot give it back)."""
    level = ast.Level
    db = st.builds(ast.Scope, st.just(level.DATABASE), st.none(), n)
    table = st.builds(ast.Scope, st.just(level.TABLE), st.none(), n, n)
    return st.one_of(st.builds(ast.Clone, db, sources, db, st.none() | n),
                     st.builds(ast.Clone, table, sources, table, st.none() | n))


TEMPLATES = st.from_regex(r"[a-z][a-z0-9_]{0,8}_\{(date|time|ts)\}", fullmatch=True)


def drills(n: st.SearchStrategy[ast.Name]) -> st.SearchStrategy[ast.Drill]:
    """`drill NAME restore TEMPLATE on SCHEDULE into SCRATCH` and its indented verifies."""
    template = n | TEMPLATES.map(ast.Name)
    return st.builds(ast.Drill, n, template, n, template,
                     st.lists(verifies(template), max_size=3).map(tuple))


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

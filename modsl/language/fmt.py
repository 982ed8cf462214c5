"""AST → canonical `.mobak` text.

Header first (`target`, `as`, then `rollback on failure`), a blank line, then the statements
in their order. Own-line comments and single blank lines stay where they were (comments above
the header stay above it); keywords lower-case; names quoted only where needed.
`parse(format(p)) == p`, and formatting formatted text changes nothing.
"""

from __future__ import annotations

import re
from typing import assert_never

from modsl.language import ast
from modsl.language.names import is_bare


def name(n: ast.Name) -> str:
    return n.text if is_bare(n.text) else f"`{n.text}`"


def scope(s: ast.Scope) -> str:
    if s.level is ast.Level.CLUSTER:
        return "cluster"
    if s.level is ast.Level.ACCOUNT:
        return "account" if s.account is None else f"account {name(s.account)}"
    if s.level is ast.Level.DATABASE and s.database is None:
        return "backup"  # StarRocks' `restore backup from R ...`: the backup's own database
    assert s.database is not None
    if s.level is ast.Level.DATABASE:
        return f"database {name(s.database)}"
    assert s.table is not None
    return f"table {name(s.database)}.{name(s.table)}"


def string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def statement(st: ast.Statement) -> str:
    """One statement, without its trailing comment."""
    match st:
        case ast.CreateSnapshot():
            text = f"snapshot {name(st.name)} for {scope(st.scope)}"
            return text + " if not exists" if st.if_not_exists else text
        case ast.DropSnapshot():
            return f"drop snapshot {name(st.name)}" + (" if exists" if st.if_exists else "")
        case ast.CreatePitr():
            text = f"pitr {name(st.name)} for {scope(st.scope)} range {st.range}"
            return text + " if not exists" if st.if_not_exists else text
        case ast.AlterPitr():
            return f"alter pitr {name(st.name)} range {st.range}" + (
                " if exists" if st.if_exists else "")
        case ast.DropPitr():
            return f"drop pitr {name(st.name)}" + (" if exists" if st.if_exists else "")
        case ast.Restore():
            src = st.source
            text = f"restore {scope(st.scope)} from {src.kind.value} {name(src.name)}"
            if src.at is not None:
                text += f" at {string(src.at.text)}"
            if st.to_account is not None:
                text += f" to account {name(st.to_account)}"
            return text
        case ast.ExistingSnapshot():
            return f"existing snapshot {name(st.name)} for {scope(st.scope)}"
        case ast.ExistingPitr():
            text = f"existing pitr {name(st.name)} for {scope(st.scope)}"
            return text if st.range is None else f"{text} range {st.range}"
        case ast.Verify():
            return verify(st)
        case ast.Schedule():
            return schedule(st)
        case ast.ScheduledSnapshot():
            keep = " ".join(filter(None, [
                str(st.keep_for) if st.keep_for else None,
                f"last {st.keep_last}" if st.keep_last is not None else None]))
            return (f"snapshot {template(st.name)} for {scope(st.scope)} on "
                    f"{name(st.schedule)} keep {keep}")
        case ast.CreateRepository():
            return (f"repository {name(st.name)} at {string(st.location)}"
                    + (" read only" if st.read_only else "")
                    + (" broker" if st.broker else "")
                    + (f" {name(st.broker_name)}" if st.broker_name else "")
                    + properties(st.properties))
        case ast.ExistingRepository():
            return f"existing repository {name(st.name)}"
        case ast.DropRepository():
            return f"drop repository {name(st.name)}"
        case ast.Backup():
            label = name(st.snapshot) if st.schedule is None else (
                f"{template(st.snapshot)} on {name(st.schedule)}" + " ".join(["", *filter(None, [
                    "keep" if st.keep_for or st.keep_last is not None else None,
                    str(st.keep_for) if st.keep_for else None,
                    f"last {st.keep_last}" if st.keep_last is not None else None])]))
            return (f"backup database {name(st.database)} to {name(st.repository)} as "
                    f"{label}{tables(st.tables)}{properties(st.properties)}")
        case ast.Clone():
            src = st.source
            text = (f"clone {scope(st.scope)} from {src.kind.value} {name(src.name)}"
                    + ("" if src.at is None else f" at {string(src.at.text)}"))
            assert st.into.database is not None
            into = name(st.into.database) + (
                "" if st.into.table is None else f".{name(st.into.table)}")
            return f"{text} into {into}" + (
                "" if st.to_account is None else f" to account {name(st.to_account)}")
        case ast.Drill():
            return (f"drill {name(st.name)} restore {template(st.snapshot)} on "
                    f"{name(st.schedule)} into {template(st.scratch)}")
        case ast.RestoreBackup():
            into = "" if st.into is None else f" into database {name(st.into)}"
            at = "" if st.at is None else f" at {string(st.at.text)}"
            return (f"restore {scope(st.scope)} from {name(st.repository)} snapshot "
                    f"{name(st.snapshot)}{at}{tables(st.tables)}{into}"
                    f"{properties(st.properties)}")
        case _:
            assert_never(st)


def tables(items: tuple[ast.TableItem, ...]) -> str:
    def item(t: ast.TableItem) -> str:
        parts = (f" partitions ({', '.join(name(p) for p in t.partitions)})"
                 if t.partitions else "")
        return name(t.name) + parts + ("" if t.alias is None else f" as {name(t.alias)}")

    return f" tables {', '.join(item(t) for t in items)}" if items else ""


def properties(props: tuple[ast.Property, ...]) -> str:
    def value(p: ast.Property) -> str:
        return string(p.value or "") if p.env is None else f"{p.env_word}({string(p.env)})"

    pairs = ", ".join(f"{string(p.key)} = {value(p)}" for p in props)
    return f" properties ({pairs})" if props else ""


_TEMPLATE = re.compile(r"(?:[^\W\d][\w$]*)?\{[\w${}]*")  # the grammar's TEMPLATE


def template(n: ast.Name) -> str:
    """A snapshot name template: bare where it lexes as one (`acc1_{date}`)."""
    return n.text if _TEMPLATE.fullmatch(n.text) else name(n)


def schedule(st: ast.Schedule) -> str:
    zone = "" if st.zone is None else f" in {string(st.zone)}"
    if st.cron is not None:
        return f"schedule {name(st.name)} cron {string(st.cron)}{zone}"
    on = "" if st.on is None else f" on {st.on.lower()}"
    return f"schedule {name(st.name)} every {st.every}{on} at {st.at}{zone}"


def verify(st: ast.Verify) -> str:
    where = "" if st.account is None else f" in account {name(st.account)}"
    return _verify_what(st) + where


def _verify_what(st: ast.Verify) -> str:
    kind = ast.VerifyKind
    assert st.kind is kind.QUERY or st.database is not None
    if st.kind is kind.ROWS or st.kind is kind.TABLE:
        assert st.database is not None and st.table is not None
        obj = f"{template(st.database)}.{name(st.table)}"
        return (f"verify rows {obj} {st.op} {st.expected}" if st.kind is kind.ROWS
                else f"verify table {obj} exists")
    if st.kind is kind.DATABASE:
        assert st.database is not None
        return f"verify database {template(st.database)} exists"
    value = st.expected if isinstance(st.expected, int) else string(st.expected)
    return f"verify {string(st.query or '')} {st.op} {value}"


def header(decl: ast.Header) -> str:
    match decl:
        case ast.TargetDecl():
            text = f"target {decl.engine}" + (f" {decl.version}" if decl.version else "")
        case ast.AccountDecl():
            text = f"as account {name(decl.name)}"
        case ast.RollbackDecl():
            text = "rollback on failure"
        case _:
            assert_never(decl)
    return _with_comment(text, decl.comment)


def block(st: ast.Statement) -> str:
    """A statement with its comment, and a drill's verifies indented below it."""
    text = _with_comment(statement(st), st.comment)
    if isinstance(st, ast.Drill):
        text += "".join(f"\n  {_with_comment(verify(v), v.comment)}" for v in st.verifies)
    return text


def _with_comment(text: str, comment: ast.Comment | None) -> str:
    return text if comment is None else f"{text} {comment.text}"


_BLANK = ""


def format_plan(plan: ast.Plan) -> str:
    """The canonical text of a plan that parses. Comments and blank lines stay where their
    line numbers put them; statements keep their order, and one without a position (built
    in code) follows the one before it."""
    heads = plan.headers
    first_head = min((d.span.line for d in heads if d.span.line > 0), default=0)

    # (line, rank, text): at one line a comment or blank goes before a statement.
    placed: list[tuple[int, int, str]] = [(c.span.line, 0, c.text) for c in plan.comments]
    placed += [(n, 0, _BLANK) for n in plan.blank_lines]
    line = first_head
    for st in plan.statements:
        line = max(line, st.span.line)
        placed.append((line, 1, block(st)))
    placed.sort(key=lambda item: item[:2])

    above = [t for n, _, t in placed if n < first_head]
    body = [t for n, _, t in placed if n >= first_head]

    out = _collapse(above)
    out += [header(d) for d in heads]
    rest = _collapse(body)
    if rest:
        if heads:
            out.append(_BLANK)
        out += rest
    while out and out[-1] == _BLANK:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _collapse(lines: list[str]) -> list[str]:
    """Drop leading blank lines and runs of blanks beyond one."""
    out: list[str] = []
    for text in lines:
        if text == _BLANK and (not out or out[-1] == _BLANK):
            continue
        out.append(text)
    return out

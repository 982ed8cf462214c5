"""`modsl status` and `modsl import --from-server`: a plan set against the snapshots and PITRs
a server lists, Terraform-style, and the `existing` lines that describe what a server has."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, assert_never

from modsl import targets
from modsl.language import ast, fmt
from modsl.runtime.live import LiveObject

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan

# `=` there as the plan says, `+` created, `-` dropped, `~` changed, `<` restored into,
# `>` checked after, `@` taken and pruned by a schedule (`modsl run`), `!` the server
# contradicts the line (the statement would fail), `?` not in the plan.
MARKS = "=+-~<>@!?"


class Firings(NamedTuple):
    """What a schedule's rows need: the plan checked (firings name their snapshots through
    it), the server's clock (retention's ages), and now (the next firing)."""

    checked: CheckedPlan
    server_now: datetime
    now: datetime


class Row(NamedTuple):
    mark: str
    kind: str
    """`snapshot`, `pitr` or `restore`."""
    name: str
    text: str
    line: int | None = None


def compare(plan: ast.Plan, objects: list[LiveObject],
            firings: Firings | None = None) -> list[Row]:
    """One row per plan statement, in plan order (each judged against the server as the
    statements before it leave it), then one per object on the server the plan never names.
    With `firings`, a scheduled snapshot's row says what it owns on the server (which are then
    the plan's, not `?`), what its next firing takes and what retention would drop."""
    present = {(o.kind, o.name): o for o in objects}
    named: set[tuple[str, str]] = set()
    rows: list[Row] = []
    for st in plan.statements:
        line = st.span.line
        match st:
            case ast.ExistingSnapshot() | ast.ExistingPitr():
                kind = _kind(st)
                key = (kind, st.name.key)
                named.add(key)
                found = present.get(key)
                rows.append(Row("=", kind, st.name.key, f"exists: {found.describe()}", line)
                            if found else
                            Row("!", kind, st.name.key, "declared existing, not on the server",
                                line))
            case ast.CreateSnapshot() | ast.CreatePitr():
                kind = _kind(st)
                key = (kind, st.name.key)
                named.add(key)
                found = present.get(key)
                if found is None:
                    rows.append(Row("+", kind, st.name.key, f"will be created: "
                                    f"{fmt.scope(st.scope)}", line))
                    present[key] = LiveObject(kind, st.name.key, st.scope.level.value, "", "",
                                              "")
                elif st.if_not_exists:
                    rows.append(Row("=", kind, st.name.key, f"exists ({found.describe()}): "
                                    "kept, `if not exists`", line))
                else:
                    rows.append(Row("!", kind, st.name.key, f"exists already "
                                    f"({found.describe()}): the create would fail", line))
            case ast.DropSnapshot() | ast.DropPitr():
                kind = "snapshot" if isinstance(st, ast.DropSnapshot) else "pitr"
                key = (kind, st.name.key)
                named.add(key)
                if present.pop(key, None) is not None:
                    rows.append(Row("-", kind, st.name.key, "will be dropped", line))
                elif st.if_exists:
                    rows.append(Row("=", kind, st.name.key, "not on the server: nothing to "
                                    "drop, `if exists`", line))
                else:
                    rows.append(Row("!", kind, st.name.key, "not on the server: the drop would "
                                    "fail", line))
            case ast.AlterPitr():
                key = ("pitr", st.name.key)
                named.add(key)
                found = present.get(key)
                wanted = f"{st.range.value}{st.range.unit}"
                if found is None:
                    rows.append(Row("=" if st.if_exists else "!", "pitr", st.name.key,
                                    "not on the server: " + ("nothing to alter, `if exists`"
                                                             if st.if_exists else
                                                             "the alter would fail"), line))
                else:
                    change = (f"range {found.range} → {wanted}" if found.range and
                              found.range != wanted else f"range {wanted} (unchanged)")
                    rows.append(Row("~", "pitr", st.name.key, change, line))
            case ast.Restore():
                named.add((st.source.kind.value, st.source.name.key))
                rows.append(Row("<", "restore", fmt.scope(st.scope),
                                fmt.statement(st), line))
            case ast.Verify():
                rows.append(Row(">", "verify", st.kind.value, fmt.statement(st), line))
            case ast.Schedule():
                pass  # its snapshot lines say what it does
            case ast.ScheduledSnapshot():
                if firings is not None:
                    row, mine = _scheduled(st, objects, firings)
                    rows.append(row)
                    named.update(("snapshot", o.name) for o in mine)
            case ast.ExistingRepository():
                key = ("repository", st.name.text)
                named.add(key)
                found = present.get(key)
                rows.append(Row("=", "repository", st.name.text,
                                f"exists: {found.describe()}", line) if found else
                            Row("!", "repository", st.name.text,
                                "declared existing, not on the server", line))
            case ast.CreateRepository():
                key = ("repository", st.name.text)
                named.add(key)
                found = present.get(key)
                if found is None:
                    rows.append(Row("+", "repository", st.name.text,
                                    f"will be created: at {st.location}", line))
                    present[key] = LiveObject("repository", st.name.text, "", "", "", "",
                                              location=st.location)
                else:
                    rows.append(Row("!", "repository", st.name.text, f"exists already "
                                    f"({found.describe()}): the create would fail", line))
            case ast.DropRepository():
                key = ("repository", st.name.text)
                named.add(key)
                if present.pop(key, None) is not None:
                    rows.append(Row("-", "repository", st.name.text,
                                    "will be dropped (its backups stay in storage)", line))
                else:
                    rows.append(Row("!", "repository", st.name.text,
                                    "not on the server: the drop would fail", line))
            case ast.Backup() if st.schedule is not None:
                named.add(("repository", st.repository.text))
                rows.append(_scheduled_backup(st, firings))
            case ast.Backup():
                named.add(("repository", st.repository.text))
                rows.append(Row("+", "backup", st.snapshot.text,
                                f"will be written: database {st.database.text} to "
                                f"repository {st.repository.text}", line))
            case ast.RestoreBackup():
                named.add(("repository", st.repository.text))
                rows.append(Row("<", "restore", fmt.scope(st.scope), fmt.statement(st),
                                line))
            case ast.Clone():
                named.add((st.source.kind.value, st.source.name.key))
                rows.append(Row("+", "clone", fmt.scope(st.into), fmt.statement(st), line))
            case ast.Drill():
                pass  # run by `modsl run`; its history is in `modsl log`
            case _:
                assert_never(st)
    rows += [Row("?", o.kind, o.name, f"on the server, not in the plan: {o.describe()}")
             for o in objects if (o.kind, o.name) not in named]
    return rows


def _scheduled(st: ast.ScheduledSnapshot, objects: list[LiveObject],
               firings: Firings) -> tuple[Row, list[LiveObject]]:
    from modsl.runtime import firing

    checked = firings.checked
    schedule, cad = firing.schedule_named(checked, st.schedule.key)
    mine = firing.owned(st, checked.account, objects)
    (at,) = cad.next(firings.now, 1)
    take = next(t.name for t in firing.firing_at(checked, schedule, at).takes
                if t.statement == st)
    later = firings.server_now + (at - firings.now)  # the server's clock at that firing
    drop = firing.to_drop(st, checked.account, objects, later,
                          taking=take not in {o.name for o in mine})
    newest = f", newest {mine[0].name}" if mine else ""
    text = (f"schedule {schedule.name.key}: owns {len(mine)}{newest}; next firing "
            f"{at:%Y-%m-%d %H:%M %Z} takes {take}, drops "
            + (", ".join(o.name for o in drop) or "nothing"))
    return Row("@", "snapshot", st.name.text, text, st.span.line), mine


def _scheduled_backup(st: ast.Backup, firings: Firings | None) -> Row:
    """A StarRocks scheduled backup: taken by `modsl run` under each firing's label; no
    retention to show (the storage's lifecycle rule keeps what it keeps)."""
    from modsl.runtime import firing

    assert st.schedule is not None
    text = (f"schedule {st.schedule.key}: `modsl run` writes database {st.database.text} to "
            f"repository {st.repository.text} at each firing")
    if firings is not None:
        schedule, cad = firing.schedule_named(firings.checked, st.schedule.key)
        (at,) = cad.next(firings.now, 1)
        take = next(t.name for t in firing.firing_at(firings.checked, schedule, at).takes
                    if t.statement == st)
        text += f"; next firing {at:%Y-%m-%d %H:%M %Z} takes {take}"
    return Row("@", "backup", st.snapshot.text, text, st.span.line)


def render(rows: list[Row], file: str, where: str) -> str:
    out = [f"{file} against {where}:"]
    width = max((len(f"{r.kind} {r.name}") for r in rows), default=0)
    for r in rows:
        at = f"  ({file}:{r.line})" if r.line is not None else ""
        out.append(f"  {r.mark} {f'{r.kind} {r.name}':<{width}}  {r.text}{at}")
    counts = {m: sum(r.mark == m for r in rows) for m in MARKS}
    scheduled = f"{counts['@']} scheduled; " if counts["@"] else ""
    out.append(f"{counts['+']} to create, {counts['-']} to drop, {counts['~']} to change, "
               f"{counts['<']} to restore; {scheduled}{counts['!']} conflict(s); "
               f"{counts['?']} on the server not in the plan")
    return "\n".join(out) + "\n"


def to_json(rows: list[Row], file: str) -> str:
    return json.dumps({"file": file, "rows": [r._asdict() for r in rows]}, indent=2,
                      ensure_ascii=False) + "\n"


def plan_of(objects: list[LiveObject], target: targets.TargetVersion, account: str) -> str:
    """A plan that declares `existing` every snapshot, PITR and repository on the server."""
    statements: list[ast.Statement] = []
    for o in objects:
        if o.kind == "repository":
            statements.append(ast.ExistingRepository(ast.Name(o.name)))
            continue
        scope = _scope(o, account)
        if o.kind == "snapshot":
            statements.append(ast.ExistingSnapshot(ast.Name(o.name), scope))
        else:
            m = re.fullmatch(r"(\d+)([a-z]+)", o.range)
            rng = ast.Duration(int(m.group(1)), m.group(2)) if m else None
            statements.append(ast.ExistingPitr(ast.Name(o.name), scope, rng))
    header = ast.AccountDecl(ast.Name(account)) if targets.engine(target.engine).accounts \
        else None
    plan = ast.Plan(ast.TargetDecl(target.engine, target.version), header, tuple(statements))
    return fmt.format_plan(plan)


def _scope(o: LiveObject, own: str) -> ast.Scope:
    level = ast.Level(o.level)
    account = ast.Name(o.account) if level is ast.Level.ACCOUNT and o.account not in (
        "", own) else None
    return ast.Scope(level, account, ast.Name(o.database) if o.database else None,
                     ast.Name(o.table) if o.table else None)


def _kind(st: ast.CreateSnapshot | ast.CreatePitr | ast.ExistingSnapshot | ast.ExistingPitr
          ) -> str:
    return "snapshot" if isinstance(st, (ast.CreateSnapshot, ast.ExistingSnapshot)) else "pitr"

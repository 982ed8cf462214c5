"""Schedules and scheduled snapshots (MB212-MB215, MB410).

A schedule must name a time (MB212) in a zone (MB213 when it leaves UTC implicit). A
scheduled snapshot must name an existing schedule (MB410), a name per firing (MB214: a
fixed name is taken once and never again, the nightly plan's old trap), and keep at least
one interval (MB215: a shorter retention would drop the only copy). Every rule of a plain
snapshot applies to it too, judged on the template's longest expansion (`as_snapshot`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from modsl.checker.registry import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.language import ast
from modsl.time import cadence

if TYPE_CHECKING:
    from modsl.checker.registry import Registration

_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
         "mo": timedelta(days=28), "y": timedelta(days=365)}
"""A retention's length, shortest reading (a month is at least 28 days)."""
KEEP_MAX = {"h": 876_000, "d": 36_500, "w": 5_214, "mo": 1_200, "y": 100}
"""The longest retention, 100 years in each unit: `now - keep` must still be a date."""


def schedules_of(plan: ast.Plan) -> dict[str, tuple[ast.Schedule, cadence.Cadence | None]]:
    """Each schedule the plan defines (the first of a name), and its cadence if it has one."""
    found: dict[str, tuple[ast.Schedule, cadence.Cadence | None]] = {}
    for st in plan.statements:
        if isinstance(st, ast.Schedule) and st.name.key not in found:
            try:
                found[st.name.key] = (st, cadence.of(st))
            except cadence.BadSchedule:
                found[st.name.key] = (st, None)
    return found


@rule("MB212", ast.Schedule)
def bad_schedule(st: ast.Schedule, ctx: Ctx) -> Iterator[Diagnostic]:
    try:
        cadence.of(st)
    except cadence.BadSchedule as exc:
        yield Diagnostic("MB212", f"schedule `{st.name.key}`: {exc}", st.span,
                         help='e.g. `schedule nightly every day at 01:00 in "Asia/Shanghai"`')


@rule("MB213", ast.Schedule)
def no_zone(st: ast.Schedule, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.zone is None:
        yield Diagnostic("MB213", f"schedule `{st.name.key}` has no zone: it runs in UTC",
                         st.span, help='say which clock it follows, e.g. `in "UTC"` or '
                                       '`in "Asia/Shanghai"`')


@rule("MB410", ast.Schedule, ast.ScheduledSnapshot, ast.Drill)
def unknown_schedule(st: ast.Schedule | ast.ScheduledSnapshot | ast.Drill,
                     ctx: Ctx) -> Iterator[Diagnostic]:
    if isinstance(st, ast.Schedule):
        first = ctx.schedules[st.name.key][0]
        if first is not st:
            yield Diagnostic("MB410", f"schedule `{st.name.key}` is defined twice", st.name.span,
                             help=f"the first is on line {first.span.line}; give this one "
                                  "another name")
    elif st.schedule.key not in ctx.schedules:
        known = ", ".join(f"`{n}`" for n in ctx.schedules) or "none"
        yield Diagnostic("MB410", f"there is no schedule `{st.schedule.key}` (defined: {known})",
                         st.schedule.span, help=f"add `schedule {st.schedule.key} every day at "
                                                '01:00 in "UTC"` (or fix the name)')


@rule("MB214", ast.ScheduledSnapshot)
def template_per_firing(st: ast.ScheduledSnapshot, ctx: Ctx) -> Iterator[Diagnostic]:
    template = st.name.text
    unknown = [p for p in cadence.placeholders(template) if p not in cadence.PLACEHOLDERS]
    if unknown:
        yield Diagnostic("MB214", f"`{{{unknown[0]}}}` is not a placeholder: a template has "
                         "`{date}` (YYYYMMDD), `{time}` (HHMM) or `{ts}` (YYYYMMDDHHMMSS)",
                         st.name.span)
        return
    if not cadence.placeholders(template):
        yield Diagnostic("MB214", f"`{template}` is one fixed name: the first firing takes it "
                         "and every later one finds it taken", st.name.span,
                         help=f"add the date, e.g. `{template}_{{date}}`")
        return
    schedule, cad = ctx.schedules.get(st.schedule.key, (None, None))
    if schedule is None or cad is None:
        return
    firings = cad.next(_REFERENCE, 1500)
    seen: dict[str, object] = {}
    for firing in firings:
        name = cadence.expand(template, firing)
        if name in seen:
            yield Diagnostic("MB214", f"`{template}` names two firings of `{schedule.name.key}` "
                             f"alike (`{name}`, at {seen[name]:%Y-%m-%d %H:%M} and "
                             f"{firing:%Y-%m-%d %H:%M}): the second would find it taken",
                             st.name.span, help="add `{time}` or use `{ts}`")
            return
        seen[name] = firing


@rule("MB215", ast.ScheduledSnapshot)
def retention(st: ast.ScheduledSnapshot, ctx: Ctx) -> Iterator[Diagnostic]:
    if st.keep_last is not None and st.keep_last < 1:
        yield Diagnostic("MB215", "`keep last 0` keeps nothing", st.span,
                         help="keep at least the last one")
    keep = st.keep_for
    if keep is None:
        return
    unit = _UNIT.get(keep.unit)
    if unit is None or keep.value < 1:
        yield Diagnostic("MB215", f"`keep {keep}`: a retention is a number of hours, days, "
                         "weeks, months or years (`48h`, `30d`, `12w`, `6mo`, `1y`)", keep.span)
        return
    if keep.value > KEEP_MAX[keep.unit]:  # past it, the dates to prune by do not exist
        yield Diagnostic("MB215", f"`keep {keep}` is longer than a retention can be: at most "
                         "100 years (`100y`, `1200mo`, `5214w`, `36500d`, `876000h`)", keep.span,
                         help="keep `100y` at most, or `keep last N`")
        return
    found = ctx.schedules.get(st.schedule.key)
    if found is None or found[1] is None:
        return
    gap = found[1].shortest_gap()
    if keep.value * unit < gap:
        yield Diagnostic("MB215", f"`keep {keep}` is shorter than the time between firings of "
                         f"`{st.schedule.key}` ({_words(gap)}): each firing would drop the "
                         "copy before it", keep.span,
                         help=f"keep at least {_words(gap)}, or `keep last N`")


def as_snapshot(st: ast.ScheduledSnapshot, ctx: Ctx,
                rules: list[Registration]) -> Iterator[Diagnostic]:
    """A plain snapshot's rules (names, levels, permissions), on the template's longest
    expansion: every firing takes one like it."""
    name = ast.Name(cadence.longest(st.name.text), st.name.span)
    for r in rules:
        yield from r.fn(ast.CreateSnapshot(name, st.scope, span=st.span), ctx)


def _words(gap: timedelta) -> str:
    if gap % timedelta(days=1) == timedelta(0):
        days = gap // timedelta(days=1)
        return f"{days} day" + ("s" if days != 1 else "")
    hours = gap / timedelta(hours=1)
    return f"{hours:g} hour" + ("s" if hours != 1 else "")


_REFERENCE = datetime(2026, 1, 1, tzinfo=UTC)
"""Templates are judged on the firings from here: a year's pattern (and a DST change)."""

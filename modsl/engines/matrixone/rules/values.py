"""Value rules: PITR ranges (MB203, MB204), timestamps (MB205) and whether a timestamp lies in
its PITR's window (MB209 can never, MB210 not yet)."""

from __future__ import annotations

from collections.abc import Iterator

from modsl.checker import Ctx, rule
from modsl.diagnostics import Diagnostic
from modsl.engines.matrixone.statements import ENGINE_NAME as MATRIXONE
from modsl.language import ast
from modsl.time.clock import BadTimestamp, parse_timestamp, window_start

UNITS = {"h": "hours", "d": "days", "mo": "months", "y": "years"}
RANGE_MIN, RANGE_MAX = 1, 100

Ranged = ast.CreatePitr | ast.AlterPitr | ast.ExistingPitr


def _range(st: Ranged) -> ast.Duration | None:
    return st.range


@rule("MB203", ast.CreatePitr, ast.AlterPitr, ast.ExistingPitr, engines=(MATRIXONE,))
def range_value(st: Ranged, ctx: Ctx) -> Iterator[Diagnostic]:
    rng = _range(st)
    if rng is None or RANGE_MIN <= rng.value <= RANGE_MAX:
        return
    if isinstance(st, ast.CreatePitr) or rng.value > RANGE_MAX:
        why = f"the server says `invalid pitr value {rng.value}`"
    else:
        why = ("MatrixOne lets `ALTER PITR ... RANGE 0` through, but a window of 0 keeps no "
               "history: drop the PITR instead" if isinstance(st, ast.AlterPitr)
               else "a declared PITR cannot have this window")
    yield Diagnostic("MB203", f"PITR range {rng.value} is outside {RANGE_MIN}-{RANGE_MAX}",
                     rng.span, help="MatrixOne keeps 1 to 100 of any unit; for longer windows "
                     f"use a bigger unit, e.g. `2y` instead of `730d` ({why})")


@rule("MB204", ast.CreatePitr, ast.AlterPitr, ast.ExistingPitr, engines=(MATRIXONE,))
def range_unit(st: Ranged, ctx: Ctx) -> Iterator[Diagnostic]:
    rng = _range(st)
    if rng is not None and rng.unit not in UNITS:
        yield Diagnostic("MB204", f"unknown range unit `{rng.unit}`", rng.span,
                         help="use h (hours), d (days), mo (months) or y (years); there "
                              "is no week unit: `7w` is `49d`")


def timestamp_problem(text: str) -> str | None:
    """Why `text` is not a MatrixOne timestamp, or None when it is one."""
    try:
        parse_timestamp(text)
    except BadTimestamp as exc:
        return str(exc)
    return None


@rule("MB205", ast.Restore, ast.Clone, engines=(MATRIXONE,))
def timestamp(st: ast.Restore | ast.Clone, ctx: Ctx) -> Iterator[Diagnostic]:
    """Also MB209 and MB210: the window is judged once the timestamp parses. A clone from a
    PITR moment reads the same history a restore does, within the same window."""
    at = st.source.at
    if at is None:
        return
    try:
        moment = parse_timestamp(at.text)
    except BadTimestamp as exc:
        yield Diagnostic("MB205", f'malformed timestamp "{at.text}": {exc}', at.span,
                         help='write the server\'s local time, e.g. "2026-01-31 23:00:00" '
                              "(no `T`, no zone)")
        return
    known = ctx.state.pitrs.get(st.source.name.key)
    if known is None or not known.live:
        return
    name = known.name
    if known.fresh:
        yield Diagnostic("MB209", f"PITR `{name}` is created by this plan (line "
                         f"{known.span.line}), so it keeps nothing from before it runs: "
                         f'"{at.text}" is earlier', at.span,
                         help="restore from a PITR that already exists (declare it with "
                              f"`existing pitr {name} for ...`) (the server says `input "
                              "timestamp ... is less than the pitr valid time ...`)")
        return
    now = ctx.now()
    if known.range is not None and known.range.unit in UNITS:
        start = window_start(now, known.range.value, known.range.unit)
        if moment < start:
            yield Diagnostic("MB209", f'"{at.text}" is older than PITR `{name}`\'s window of '
                             f"{known.range} (it reaches back to "
                             f"{start:%Y-%m-%d %H:%M:%S} now)", at.span,
                             help="it can never become valid; pick a later moment, or a "
                                  "snapshot (the server says `input timestamp ... is less "
                                  "than the pitr range minest timestamp ...`)")
            return
    if moment > now:
        yield Diagnostic("MB210", f'"{at.text}" is in the future (now is '
                         f"{now:%Y-%m-%d %H:%M:%S} in the server's zone)", at.span,
                         help="the server refuses it until then (`input timestamp ... is "
                              "bigger than now timestamp ...`); set `server-timezone` in "
                              "[tool.modsl] if the server runs in another zone")


rule("MB209", engines=(MATRIXONE,))(timestamp)
rule("MB210", engines=(MATRIXONE,))(timestamp)

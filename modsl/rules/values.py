"""Value rules: PITR ranges (MB203, MB204) and timestamps (MB205)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from modsl import ast
from modsl.diagnostics import Diagnostic
from modsl.rules import Ctx, rule

UNITS = {"h": "hours", "d": "days", "mo": "months", "y": "years"}
RANGE_MIN, RANGE_MAX = 1, 100
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\Z")


def _ranges(st: ast.Statement) -> Iterator[ast.Duration]:
    rng: ast.Duration | None = getattr(st, "range", None)
    if rng is not None:
        yield rng


@rule("MB203", ast.CreatePitr, ast.AlterPitr, ast.ExistingPitr)
def range_value(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    for rng in _ranges(st):
        if not RANGE_MIN <= rng.value <= RANGE_MAX:
            yield Diagnostic("MB203", f"PITR range {rng.value} is outside {RANGE_MIN}-{RANGE_MAX}",
                             rng.span, help="MatrixOne keeps 1 to 100 of any unit; for longer "
                             "windows use a bigger unit, e.g. `2y` instead of `730d` (the server "
                             f"says `invalid pitr value {rng.value}`)")


@rule("MB204", ast.CreatePitr, ast.AlterPitr, ast.ExistingPitr)
def range_unit(st: ast.Statement, ctx: Ctx) -> Iterator[Diagnostic]:
    for rng in _ranges(st):
        if rng.unit not in UNITS:
            yield Diagnostic("MB204", f"unknown range unit `{rng.unit}`", rng.span,
                             help="use h (hours), d (days), mo (months) or y (years); there "
                                  "is no week unit: `7w` is `49d`")


def timestamp_problem(text: str) -> str | None:
    """Why `text` is not a MatrixOne timestamp, or None when it is one."""
    from datetime import datetime  # only plans with timestamps pay for it

    m = _TIMESTAMP.match(text)
    if m is None:
        return "expected the form YYYY-MM-DD HH:MM:SS with an optional .ffffff"
    try:
        year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
        datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        return f"not a real moment: {exc}"
    return None


@rule("MB205", ast.Restore)
def timestamp(st: ast.Restore, ctx: Ctx) -> Iterator[Diagnostic]:
    at = st.source.at
    if at is not None:
        problem = timestamp_problem(at.text)
        if problem is not None:
            yield Diagnostic("MB205", f'malformed timestamp "{at.text}": {problem}', at.span,
                             help='write the server\'s local time, e.g. "2026-01-31 23:00:00" '
                                  "(no `T`, no zone)")

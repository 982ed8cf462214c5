"""When a schedule fires: every `schedule` line as a 5-field cron expression in an IANA zone,
its firings, the gap between them, and the snapshot names a template gives each firing.

One engine for every form: `every day at 01:00` is `0 1 * * *`, `every hour at :15` is
`15 * * * *`, `every week on sunday at 03:30` is `30 3 * * 0`, `every month on 1 at 02:00` is
`0 2 1 * *`. Cron's rules: ranges, steps, lists, `*`; day 0 and 7 are Sunday; when both the
day of month and the day of week are restricted, a day matching either fires. Firings are
wall-clock times in the zone: a time that a DST change skips does not fire that day, and one
it repeats fires once (the first).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator
    from zoneinfo import ZoneInfo

    from modsl.language import ast

DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
UNITS = ("hour", "day", "week", "month")
# (name, low, high) of each cron field.
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
           ("day of week", 0, 7))
_TIME = re.compile(r"(\d{1,2}):(\d\d)\Z")
_MINUTE = re.compile(r":(\d\d)\Z")
PLACEHOLDERS = {"date": ("%Y%m%d", r"\d{8}"), "time": ("%H%M", r"\d{4}"),
                "ts": ("%Y%m%d%H%M%S", r"\d{14}")}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SEARCH_DAYS = 366 * 8  # far enough for any cron day (29 February, a weekday that is the 31st)


class BadSchedule(ValueError):
    """A schedule line that names no time: the message says what is wrong."""


class Cadence(NamedTuple):
    """A schedule as the sets of minutes, hours, days, months and weekdays it fires on."""

    cron: str
    zone: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    """0 is Sunday (7 is folded into 0)."""
    any_day: bool
    any_weekday: bool

    @property
    def tz(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.zone)

    def fires_on(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return in_month and in_week
        return in_month or in_week

    def _on(self, day: date) -> Iterator[datetime]:
        """The firings on one local day, in order, as aware datetimes."""
        tz = self.tz
        for hour in sorted(self.hours):
            for minute in sorted(self.minutes):
                local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
                back = local.astimezone(UTC).astimezone(tz)
                if back.replace(tzinfo=None) == local.replace(tzinfo=None):  # not skipped
                    yield local

    def after(self, moment: datetime) -> Iterator[datetime]:
        """Firings strictly after `moment` (aware), in order."""
        start = moment.astimezone(self.tz).date()
        for offset in range(_SEARCH_DAYS):
            day = start + timedelta(days=offset)
            if self.fires_on(day):
                for firing in self._on(day):
                    if firing > moment:
                        yield firing

    def latest(self, moment: datetime) -> datetime | None:
        """The last firing at or before `moment` (aware)."""
        start = moment.astimezone(self.tz).date()
        for offset in range(_SEARCH_DAYS):
            day = start - timedelta(days=offset)
            if self.fires_on(day):
                earlier = [f for f in self._on(day) if f <= moment]
                if earlier:
                    return earlier[-1]
        return None

    def next(self, moment: datetime, count: int) -> list[datetime]:
        found = []
        for firing in self.after(moment):
            found.append(firing)
            if len(found) == count:
                break
        return found

    def shortest_gap(self, sample: int = 1500) -> timedelta:
        """The shortest time between two firings, over the next `sample` from 2026-01-01."""
        firings = self.next(datetime(2026, 1, 1, tzinfo=UTC), sample)
        gaps = [b - a for a, b in pairwise(firings)]
        return min(gaps) if gaps else timedelta(days=366)


def of(st: ast.Schedule) -> Cadence:
    """The cadence of a schedule line; BadSchedule saying what is wrong."""
    zone = st.zone or "UTC"
    _check_zone(zone)
    return parse_cron(st.cron if st.cron is not None else _as_cron(st), zone)


def _as_cron(st: ast.Schedule) -> str:
    unit = (st.every or "").lower()
    if unit not in UNITS:
        raise BadSchedule(f"`every {st.every}`: a schedule runs every hour, day, week or month "
                          "(or give a `cron \"...\"` expression)")
    at = st.at or ""
    if unit == "hour":
        m = _MINUTE.match(at)
        if m is None or st.on is not None:
            raise BadSchedule(f"`every hour` takes the minute past each hour, `at :MM` (not "
                              f"`{'on ' + st.on if st.on else 'at ' + at}`)")
        return f"{_in_range(int(m.group(1)), 0, 59, 'minute')} * * * *"
    m = _TIME.match(at)
    if m is None:
        raise BadSchedule(f"`at {at}`: every {unit} runs at a time of day, `at HH:MM`")
    clock = (f"{_in_range(int(m.group(2)), 0, 59, 'minute')} "
             f"{_in_range(int(m.group(1)), 0, 23, 'hour')}")
    on = (st.on or "").lower()
    if unit == "day":
        if st.on is not None:
            raise BadSchedule("`every day` takes no `on`")
        return f"{clock} * * *"
    if unit == "week":
        if on not in DAYS:
            raise BadSchedule(f"`every week` needs `on` a day of the week (`on sunday`), not "
                              f"`{st.on or 'nothing'}`")
        return f"{clock} * * {DAYS.index(on)}"
    if not on.isdigit() or not 1 <= int(on) <= 28:
        raise BadSchedule(f"`every month` needs `on` a day of the month from 1 to 28 (every "
                          f"month has it), not `{st.on or 'nothing'}`")
    return f"{clock} {int(on)} * *"


def _in_range(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise BadSchedule(f"{value} is not a {what} ({low} to {high})")
    return value


def _check_zone(zone: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if ("/" not in zone and zone != "UTC") or ".." in zone or zone.startswith("/"):
            raise ValueError
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadSchedule(f"`{zone}` is not an IANA time zone (such as \"Asia/Shanghai\", "
                          "\"Europe/Berlin\", \"UTC\")") from None


def parse_cron(text: str, zone: str) -> Cadence:
    fields = text.split()
    if len(fields) != 5:
        raise BadSchedule(f"`{text}` has {len(fields)} field(s); cron has 5: minute, hour, day "
                          "of month, month, day of week")
    sets = [_field(f, name, low, high) for f, (name, low, high) in zip(fields, _FIELDS,
                                                                        strict=True)]
    weekdays = frozenset(d % 7 for d in sets[4])
    return Cadence(" ".join(fields), zone, sets[0], sets[1], sets[2], sets[3], weekdays,
                   fields[2] == "*", fields[4] == "*")


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise BadSchedule(f"`{part}`: a step is a positive number ({name})")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            if not (a.isdigit() and b.isdigit()):
                raise BadSchedule(f"`{part}` is not a range of numbers ({name})")
            first, last = int(a), int(b)
        elif base.isdigit():
            first = int(base)
            last = high if step else first
        else:
            raise BadSchedule(f"`{part}` is not a number, range, step or `*` ({name})")
        if not (low <= first <= high and low <= last <= high) or first > last:
            raise BadSchedule(f"`{part}` is outside {low}-{high} ({name})")
        values.update(range(first, last + 1, step or 1))
    return frozenset(values)


# -- names from templates ---------------------------------------------------------------------

def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def expand(template: str, firing: datetime) -> str:
    """The snapshot name of one firing (its wall time in the schedule's zone)."""
    return _PLACEHOLDER.sub(lambda m: firing.strftime(PLACEHOLDERS[m.group(1)][0])
                            if m.group(1) in PLACEHOLDERS else m.group(0), template)


def pattern(template: str) -> re.Pattern[str]:
    """Matches exactly the names the template gives (and nothing a hand might add)."""
    parts = _PLACEHOLDER.split(template)
    regex = "".join(re.escape(p) if i % 2 == 0 else PLACEHOLDERS[p][1]
                    for i, p in enumerate(parts))
    return re.compile(regex + r"\Z", re.I)


def longest(template: str) -> str:
    """The template's longest expansion (every placeholder at full width)."""
    return expand(template, datetime(2026, 12, 31, 23, 59, 59))

"""Time as MatrixOne reads it: PITR timestamps are wall-clock times in the server's zone.

`parse_timestamp` accepts what Go's `time.ParseInLocation("2006-01-02 15:04:05", ...)` accepts
(`pitr.go` doResolveTimeStamp); `window_start` is the server's `addTimeSpan`. Only plans that
restore from a PITR pay for the `datetime` import.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

# Go's layout `2006-01-02 15:04:05` as `time.Parse` reads it: ASCII digits only (`isDigit`
# is '0'-'9', so no `\d`, which takes full-width digits); a 4-digit year, 2-digit month, day,
# minute and second, a 1- or 2-digit hour; the layout's space matches a run of one or more
# spaces (`skip` cuts runs of ' ', never tabs); when parsing only, a fraction of any length
# after `.` or `,`; nothing before or after.
_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) +([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
                        r"(?:[.,]([0-9]+))?\Z")


class BadTimestamp(ValueError):
    """Why a text is not a timestamp MatrixOne parses."""


def parse_timestamp(text: str) -> datetime:
    """The moment `text` names, naive (in the server's zone), to the microsecond."""
    from datetime import datetime

    m = _TIMESTAMP.match(text)
    if m is None:
        raise BadTimestamp("expected the form YYYY-MM-DD HH:MM:SS in ASCII digits (the hour "
                           "may be one digit), with an optional fraction after `.`")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    try:
        # Go takes year 0 (a leap year, as 2000 is); Python's calendar starts at 1, so the
        # date is checked in 2000 and the moment is the earliest Python has: older than any
        # PITR window, as on the server.
        moment = datetime(year or 2000, month, day, hour, minute, second, micro)
    except ValueError as exc:
        raise BadTimestamp(f"not a real moment: {exc}") from None
    return moment if year else datetime.min


def window_start(now: datetime, value: int, unit: str) -> datetime:
    """The oldest moment a PITR of `value` `unit`s still reaches at `now` (Go's AddDate
    normalises month ends: March 31 minus one month is March 3 in a leap-less year)."""
    from datetime import timedelta

    if unit == "h":
        return now - timedelta(hours=value)
    if unit == "d":
        return now - timedelta(days=value)
    if unit == "w":  # a retention's weeks (`keep 12w`); a PITR has none (MB204)
        return now - timedelta(weeks=value)
    months = value * (12 if unit == "y" else 1)
    index = now.year * 12 + now.month - 1 - months
    first = now.replace(year=index // 12, month=index % 12 + 1, day=1)
    return first + timedelta(days=now.day - 1)


def server_now(zone: str | None) -> datetime:
    """The machine's clock as wall time in the server's zone (None: this machine's zone)."""
    from datetime import datetime

    if zone is None:
        return datetime.now()
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(zone)).replace(tzinfo=None)


def check_zone(zone: str) -> str | None:
    """Why `zone` is not an IANA zone name, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone `{zone}` (an IANA name such as `Asia/Shanghai` or `UTC`)"
    return None

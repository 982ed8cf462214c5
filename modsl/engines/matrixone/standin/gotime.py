"""Go's `time.ParseInLocation("2006-01-02 15:04:05", ...)`, as MatrixOne reads a PITR
restore's timestamp (`doResolveTimeStamp`, pitr.go): it accepts what Go accepts (a one-digit
hour, a fraction after the seconds, any run of spaces) and refuses the rest with Go's own
`*time.ParseError` text, which MatrixOne passes on as it is (code 1105, no `internal error:`).
"""

from __future__ import annotations

from datetime import datetime

LAYOUT = "2006-01-02 15:04:05"
# (literal before the element, the element, its name in the layout)
_CHUNKS = (("", "year", "2006"), ("-", "month", "01"), ("-", "day", "02"),
           (" ", "hour", "15"), (":", "minute", "04"), (":", "second", "05"))
_RANGES = {"month": (1, 12), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}


class ParseError(ValueError):
    pass


def _quote(s: str) -> str:
    """Go's time.quote: non-ASCII and control bytes as \\x.., `"` and `\\` escaped."""
    out = ['"']
    for c in s:
        if ord(c) >= 0x80 or c < " ":
            out.extend(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + c if c in '"\\' else c)
    return "".join(out) + '"'


def _error(value: str, element: str, rest: str, message: str = "") -> ParseError:
    if message:
        return ParseError(f"parsing time {_quote(value)}{message}")
    return ParseError(f"parsing time {_quote(value)} as {_quote(LAYOUT)}: cannot parse "
                      f"{_quote(rest)} as {_quote(element)}")


def _skip(value: str, prefix: str) -> str | None:
    """Go's time.skip: a space in the layout eats every leading space of the value."""
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                return None
            prefix, value = prefix.lstrip(" "), value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            return None
        prefix, value = prefix[1:], value[1:]
    return value


def _digits(value: str, fixed: bool) -> tuple[int, str] | None:
    """Go's getnum: one or two digits (exactly two when `fixed`)."""
    if not value[:1].isdigit() or not value[:1].isascii():
        return None
    if not (value[1:2].isdigit() and value[1:2].isascii()):
        return None if fixed else (int(value[0]), value[1:])
    return int(value[:2]), value[2:]


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse(text: str) -> datetime:
    """`text` read with LAYOUT, or ParseError with Go's message."""
    value, parts = text, {}
    for literal, name, element in _CHUNKS:
        skipped = _skip(value, literal)
        if skipped is None:
            raise _error(text, literal, value)
        value = hold = skipped
        if name == "year":
            if len(value) < 4 or not value[:4].isascii() or not value[:4].isdigit():
                raise _error(text, element, hold)
            number, value = int(value[:4]), value[4:]
        else:
            got = _digits(value, fixed=name != "hour")
            if got is None:
                raise _error(text, element, hold)
            number, value = got
            low, high = _RANGES.get(name, (0, 99))  # the day is judged at the end
            if not low <= number <= high:
                raise _error(text, element, value, f": {name} out of range")
        parts[name] = number
    micro = 0
    if len(value) >= 2 and value[0] in ".," and value[1].isascii() and value[1].isdigit():
        n = 2
        while n < len(value) and value[n].isascii() and value[n].isdigit():
            n += 1
        micro = int(value[1:min(n, 10)].ljust(9, "0")[:9]) // 1000
        value = value[n:]
    if value:
        raise _error(text, "", value, f": extra text: {_quote(value)}")
    if parts["day"] < 1 or parts["day"] > _days_in(parts["month"], parts["year"]):
        raise _error(text, "", value, ": day out of range")
    if parts["year"] < 1:  # Go has year 0; Python's datetime does not
        raise _error(text, "", value, ": year out of range")
    return datetime(parts["year"], parts["month"], parts["day"], parts["hour"],
                    parts["minute"], parts["second"], micro)

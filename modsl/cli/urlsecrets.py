"""Passwords in URLs on the command line (`mysql://user:SECRET@host`), masked wherever the CLI
echoes its arguments: argparse quotes a misplaced DSN whole (`unrecognized arguments:
mysql://u:pw@...` for `--dns URL` or a bare URL), and a DSN given where a path goes comes
back in `cannot read` messages. So every line modsl writes on stderr passes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# scheme://user:PASSWORD@ - the user ends at the first `:`, the password at the last `@`
# before a blank (parse_dsn reads them the same way). `USER[:PASSWORD]@` in a usage line is
# no URL.
_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@\[\]]*:)\S*@")


def masked_url(token: str) -> str:
    """`scheme://user:***@rest` for a URL with a password — also without its scheme
    (`user:pw@host`) and as a flag's value (`--dns=…`); anything else as it is."""
    flag, eq, value = token.partition("=") if token.startswith("-") else ("", "", token)
    scheme, sep, rest = value.rpartition("://")
    userinfo, at, location = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not (at and colon and password and location) or (not sep and "/" in user):
        return token
    return f"{flag}{eq}{scheme}{sep}{user}:***@{location}"


class Masking:
    """A text stream that masks URL passwords in what is written to it, both the arguments
    as given (whatever their password holds, blanks included) and anything URL-shaped."""

    def __init__(self, stream: Any, argv: Iterable[str]) -> None:
        self._stream = stream
        self._given = sorted(((t, masked_url(t)) for t in argv if masked_url(t) != t),
                             key=lambda pair: -len(pair[0]))

    def mask(self, text: str) -> str:
        for token, safe in self._given:
            text = text.replace(token, safe)
        return _URL.sub(r"\1***@", text)

    def write(self, text: str) -> int:
        self._stream.write(self.mask(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding...
        return getattr(self._stream, name)

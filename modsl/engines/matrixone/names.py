"""What MatrixOne accepts as a name (MB201, MB202), and its system databases: shared by its
rules, its SQL importer and its drills, so that no name its server refuses reaches the
checker's later rules or, above all, the SQL emitter."""

from __future__ import annotations

import re
import unicodedata

from modsl.diagnostics import Diagnostic
from modsl.language.ast import Name

SNAPSHOT_NAME_MAX = 64
SYSTEM_DATABASES = frozenset(("mysql", "system", "system_metrics", "mo_task", "mo_debug",
                              "information_schema", "mo_catalog"))
"""The server's own databases (MB207, MB431, MB432; a restore test never clones them)."""

# MatrixOne answers `invalid input` for these characters in a name.
_FORBIDDEN = {" ": "a space", "\t": "a tab", "\n": "a newline", "`": "a backtick",
              "'": "a single quote", '"': "a double quote"}
# `accountNameIsInvalid` (authenticate.go): account names are narrower than other names.
_ACCOUNT = re.compile(r"[0-9A-Za-z_-]+\Z")
# Everything MB201 objects to, in one pass; the details are worked out only on failure.
_SUSPECT = re.compile(r"[ \t\n`'\"\x00-\x1f\x7f-\x9f]")


def name_problems(name: Name, *, what: str) -> list[Diagnostic]:
    """MB201/MB202 for a name of kind `what` (snapshot, pitr, account, database, table)."""
    text = name.text
    if (text and _SUSPECT.search(text) is None and len(text) <= SNAPSHOT_NAME_MAX
            and "." not in text and (what != "account" or _ACCOUNT.match(text))):
        return []
    if not text:
        return [Diagnostic("MB201", f"empty {what} name", name.span,
                           help="give the object a name, e.g. `nightly`")]
    for ch, words in _FORBIDDEN.items():
        if ch in text:
            return [Diagnostic("MB201", f"{what} name `{_show(text)}` contains {words}",
                               name.span,
                               help="MatrixOne rejects such names with `invalid input`; "
                                    "use letters, digits, `_` or `$`")]
    control = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        return [Diagnostic("MB201", f"{what} name contains the control character "
                           f"U+{ord(control):04X}", name.span,
                           help="names are printable text; use letters, digits, `_` or `$`")]
    if what in ("database", "table") and "." in text:
        return [Diagnostic("MB201", f"{what} name `{text}` contains `.`", name.span,
                           help="a table reference is `db.table`: exactly two plain parts")]
    if what == "account" and not _ACCOUNT.match(text):
        bad = next(c for c in text if not _ACCOUNT.match(c))
        return [Diagnostic("MB201", f"account name `{text}` contains `{bad}`", name.span,
                           help="MatrixOne account names hold only ASCII letters, digits, `_` "
                                "and `-` (`accountNameIsInvalid`)")]
    if what == "snapshot" and len(text) > SNAPSHOT_NAME_MAX:
        return [Diagnostic("MB202",
                           f"snapshot name is {len(text)} characters; the limit is "
                           f"{SNAPSHOT_NAME_MAX}", name.span,
                           help="shorten the name")]
    return []


def _show(text: str) -> str:
    return text.replace("\n", "\\n").replace("\t", "\\t")

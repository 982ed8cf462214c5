"""The environment variables modsl reads, named once: commands read them, and the schedule
exports write units that set them."""

import re

DSN = "MODSL_DSN"
"""The server to run on, when no --dsn or --dsn-file is given (keeps passwords out of `ps`)."""

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
"""What a plan's `env("NAME")` may name: a portable environment variable name (a secret apply
reads when it sends the statement)."""


def account_dsn(account: str) -> str:
    """`MODSL_DSN_ACC7_RESTORE` for `acc7_restore`: the login a verify `in account` uses
    (the account name upper-cased, anything but letters and digits as `_`)."""
    return "MODSL_DSN_" + re.sub(r"[^A-Za-z0-9]", "_", account).upper()

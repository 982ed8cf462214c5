"""Where a run's account, target and ignored codes come from.

Precedence: command-line flags, then the plan's header, then `[tool.modsl]` in the nearest
`pyproject.toml` (searched from the current directory upwards).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from modsl import ast, targets

if TYPE_CHECKING:
    from datetime import datetime


class SettingsError(ValueError):
    """A bad flag or configuration value: a usage error (exit 2)."""


class Config(NamedTuple):
    """`[tool.modsl]`: defaults for plans that do not say."""

    target: targets.TargetVersion | None = None
    account: str | None = None
    ignore: frozenset[str] = frozenset()
    path: str | None = None
    server_timezone: str | None = None
    """The zone the server reads timestamps in (the Go servers' `time.Local`); None: this
    machine's."""


def load_config(start: str | None = None) -> Config:
    folder = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return _read(candidate)
        parent = os.path.dirname(folder)
        if parent == folder:
            return Config()
        folder = parent


def _read(path: str) -> Config:
    import tomllib

    try:
        with open(path, encoding="utf-8") as f:
            data = tomllib.loads(f.read())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {exc}") from exc
    section = data.get("tool", {}).get("modsl")
    if section is None:
        return Config(path=path)
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [tool.modsl] must be a table")
    unknown = set(section) - {"target", "as", "ignore", "server-timezone"}
    if unknown:
        raise SettingsError(f"{path}: unknown [tool.modsl] keys: {', '.join(sorted(unknown))}")
    target = section.get("target")
    account = section.get("as")
    ignore = section.get("ignore", [])
    if target is not None and not isinstance(target, str):
        raise SettingsError(f"{path}: [tool.modsl] target must be a string like "
                            f"'{targets.default().name}'")
    if account is not None and not isinstance(account, str):
        raise SettingsError(f"{path}: [tool.modsl] as must be an account name")
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise SettingsError(f"{path}: [tool.modsl] ignore must be a list of codes")
    zone = section.get("server-timezone")
    if zone is not None:
        from modsl.clock import check_zone

        problem = check_zone(zone) if isinstance(zone, str) else "it must be a string"
        if problem is not None:
            raise SettingsError(f"{path}: [tool.modsl] server-timezone: {problem}")
    return Config(parse_target(target, f"{path}: [tool.modsl] target") if target else None,
                  account, frozenset(codes(ignore, f"{path}: [tool.modsl] ignore")), path, zone)


def parse_now(value: str) -> datetime:
    """`--now "2026-11-20 01:00:00"`: the server's wall clock, for CI and tests."""
    from modsl.clock import BadTimestamp, parse_timestamp

    try:
        return parse_timestamp(value)
    except BadTimestamp as exc:
        raise SettingsError(f"--now: {exc}") from None


def parse_target(value: str, where: str = "--target") -> targets.TargetVersion:
    try:
        return targets.parse_flag(value)
    except targets.UnknownTarget as exc:
        raise SettingsError(f"{where}: {exc}") from exc


def codes(values: list[str], where: str) -> list[str]:
    """Codes or code prefixes (`MB3` selects MB301-MB306), upper-cased and validated."""
    from modsl.diagnostics import CODES

    out = []
    for raw in values:
        for part in raw.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not code.startswith("MB") or not any(c.startswith(code) for c in CODES):
                raise SettingsError(f"{where}: `{part.strip()}` is not a modsl code or prefix")
            out.append(code)
    return out


def effective(plan: ast.Plan, *, flag_account: str | None, flag_target: str | None,
              config: Config) -> tuple[str | None, targets.TargetVersion | None]:
    """The account and target for a run: flags, then the header, then the config.

    None means "as the plan says": the checker reads the header itself (and reports MB104
    when no account is known at all).
    """
    target = parse_target(flag_target) if flag_target else None
    if target is None and plan.target is None:
        target = config.target
    account = flag_account
    if account is None and plan.account is None:
        account = config.account
    return account, target

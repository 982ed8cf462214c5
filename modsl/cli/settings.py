"""Where a run's account, target, ignored codes, severities and server zone come from.

Precedence: command-line flags, then the environment (`MODSL_SERVER_TIMEZONE`), then the
plan's header, then the nearest configuration file: searched from the plan's folder upwards,
the first folder with `.modsl.toml`, `modsl.toml` or a `pyproject.toml` that has
`[tool.modsl]` wins (in one folder, in that order, as ruff does with its files).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, NamedTuple

from modsl import targets
from modsl.diagnostics import Diagnostic, Severity
from modsl.language import ast

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime


class SettingsError(ValueError):
    """A bad flag or configuration value: a usage error (exit 2)."""


FILES = (".modsl.toml", "modsl.toml")
"""Configuration files of modsl's own, tried before `pyproject.toml` in each folder."""
KEYS = ("target", "as", "ignore", "server-timezone", "error", "warning")
ZONE_ENV = "MODSL_SERVER_TIMEZONE"


class Config(NamedTuple):
    """A configuration file's settings: defaults for plans that do not say."""

    target: targets.TargetVersion | None = None
    account: str | None = None
    ignore: frozenset[str] = frozenset()
    path: str | None = None
    server_timezone: str | None = None
    """The zone the server reads timestamps in (the Go servers' `time.Local`); None: this
    machine's."""
    error: tuple[str, ...] = ()
    """Codes or prefixes reported as errors whatever their own severity."""
    warning: tuple[str, ...] = ()
    """Codes or prefixes kept as warnings though `error` names them (never an error code)."""


def load_config(start: str | None = None) -> Config:
    """The configuration for a plan at `start` (a file or a folder; None: the current
    directory). A `pyproject.toml` without `[tool.modsl]` is passed over: a backup repository
    inside a Python project still finds its own `modsl.toml` higher up."""
    where = os.path.abspath(start or os.getcwd())
    folder = where if os.path.isdir(where) else os.path.dirname(where)
    while True:
        for name in FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return _read_own(candidate)
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            found = _read_pyproject(candidate)
            if found is not None:
                return found
        parent = os.path.dirname(folder)
        if parent == folder:
            return Config()
        folder = parent


def _toml(path: str) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, encoding="utf-8") as f:
            return tomllib.loads(f.read())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {exc}") from exc


def _read_own(path: str) -> Config:
    """`modsl.toml`: the keys at the top level (the file is modsl's alone)."""
    data = _toml(path)
    if isinstance(data.get("modsl"), dict):
        raise SettingsError(f"{path}: write the settings at the top level, without a "
                            "[modsl] table (e.g. `as = \"sys\"`)")
    return _settings(data, path, "")


def _read_pyproject(path: str) -> Config | None:
    """`[tool.modsl]`, or None when the file has none."""
    data = _toml(path)
    section = data.get("tool", {}).get("modsl") if isinstance(data.get("tool"), dict) else None
    if section is None:
        return None
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [tool.modsl] must be a table")
    return _settings(section, path, "[tool.modsl] ")


def _settings(section: dict[str, Any], path: str, table: str) -> Config:
    unknown = set(section) - set(KEYS)
    if unknown:
        raise SettingsError(f"{path}: unknown {table}key{'s' if len(unknown) > 1 else ''}: "
                            f"{', '.join(sorted(unknown))} (known: {', '.join(KEYS)})")

    def where(key: str) -> str:
        return f"{path}: {table}{key}"

    target = section.get("target")
    account = section.get("as")
    if target is not None and not isinstance(target, str):
        raise SettingsError(f"{where('target')} must be a string like "
                            f"'{targets.default().name}'")
    if account is not None and not isinstance(account, str):
        raise SettingsError(f"{where('as')} must be an account name")
    lists = {}
    for key in ("ignore", "error", "warning"):
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise SettingsError(f'{where(key)} must be a list of codes, e.g. ["MB501"]')
        lists[key] = codes(value, where(key))
    zone = section.get("server-timezone")
    if zone is not None:
        zone = checked_zone(zone, where("server-timezone"))
    return Config(parse_target(target, where("target")) if target else None,
                  account, frozenset(lists["ignore"]), path, zone,
                  tuple(lists["error"]), warnings_allowed(lists["warning"], where("warning")))


def checked_zone(zone: object, where: str) -> str:
    from modsl.time.clock import check_zone

    problem = check_zone(zone) if isinstance(zone, str) else "it must be a string"
    if problem is not None:
        raise SettingsError(f"{where}: {problem}")
    assert isinstance(zone, str)
    return zone


def warnings_allowed(selected: list[str], where: str) -> tuple[str, ...]:
    """`warning` undoes an `error` (`error = ["MB4"]`, `warning = ["MB403"]`; a flag over the
    file): it never makes an error a warning, since a plan with an error is not compiled or
    applied (`ignore` hides a finding; it does not make the plan run)."""
    from modsl.diagnostics import CODES

    for code in selected:
        if code in CODES and CODES[code].severity is Severity.ERROR:
            raise SettingsError(f"{where}: {code} is an error and stays one (a plan with it is "
                                "not compiled or applied); `warning` only keeps warnings "
                                "that `error` would raise")
    return tuple(selected)


def with_flags(config: Config, *, zone: str | None = None, error: Iterable[str] = (),
               warning: Iterable[str] = ()) -> Config:
    """`config` with the run's flags (and `MODSL_SERVER_TIMEZONE`) laid over it: a code given
    to `--error` or `--warning` is decided there, whatever the file says."""
    if zone:
        zone = checked_zone(zone, "--server-timezone")
    elif os.environ.get(ZONE_ENV):
        zone = checked_zone(os.environ[ZONE_ENV], ZONE_ENV)
    else:
        zone = config.server_timezone
    errors = codes(list(error), "--error")
    warnings = list(warnings_allowed(codes(list(warning), "--warning"), "--warning"))
    if not errors and not warnings:
        return config._replace(server_timezone=zone)
    return config._replace(
        server_timezone=zone,
        error=(*errors, *(c for c in config.error if not _mentions(c, warnings))),
        warning=(*warnings, *(c for c in config.warning if not _mentions(c, errors))))


def _mentions(code: str, selected: list[str]) -> bool:
    return any(code.startswith(c) for c in selected)


def _longest(code: str, selected: tuple[str, ...]) -> int:
    return max((len(c) for c in selected if code.startswith(c)), default=0)


class Reclassed(Diagnostic):
    """A warning the settings made an error (`error = ["MB501"]`, `--error MB501`)."""

    __slots__ = ()

    @property
    def severity(self) -> Severity:
        return Severity.ERROR


def reclassed(found: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """`found` with the warnings `config` raises to errors: of `error` and `warning`, the
    longer (more precise) code or prefix that matches decides."""
    if not config.error:
        return found
    return [Reclassed(d.code, d.message, d.span, d.help)
            if not d.is_error and _longest(d.code, config.error) > _longest(d.code, config.warning)
            else d for d in found]


def parse_now(value: str) -> datetime:
    """`--now "2026-11-20 01:00:00"`: the server's wall clock, for CI and tests."""
    from modsl.time.clock import BadTimestamp, parse_timestamp

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

"""DSNs, for any password: parsed back exactly, printed without it, and never echoed by an
error, whatever characters it holds (`/ # ? [ @ :` and any Unicode)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from modsl import cli
from modsl.runtime.connect import ConnectError, Server, connect, parse_dsn

passwords = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=30)
users = st.from_regex(r"[a-z][a-z0-9_#]{0,10}", fullmatch=True)
hosts = st.sampled_from(["127.0.0.1", "db.example", "::1", "mo-1.internal"])


def dsn(user: str, password: str, host: str, rest: str = "") -> str:
    where = f"[{host}]" if ":" in host else host
    return f"mysql://{user}:{password}@{where}:6001{rest}"


@settings(max_examples=examples(200), deadline=None)
@given(users, passwords, hosts)
def test_any_percent_encoded_password_parses_back(user: str, password: str, host: str) -> None:
    assert parse_dsn(dsn(user, quote(password, safe=""), host)).password == password


@settings(max_examples=examples(300), deadline=None)
@given(users, passwords, hosts, st.sampled_from(["", "/db", "/db?account=acc1",
                                                 "?ssl-mode=required"]))
def test_any_password_parses_back_and_never_prints(user: str, password: str, host: str,
                                                   rest: str) -> None:
    # Written raw, `%XX` is a URL escape (so `%3A` can be written): such a password must be
    # percent-encoded, which the next test covers.
    assume(not re.search(r"%[0-9A-Fa-f]{2}", password))
    server = parse_dsn(dsn(user, password, host, rest))
    assert (server.user, server.password, server.host, server.port) == (user, password, host,
                                                                         6001)
    assert parse_dsn(server.safe) == Server(server.user, None, server.host, server.port,
                                            server.database, server.account, server.tls)
    userinfo = server.safe.removeprefix("mysql://").split("@")[0]
    assert ":" not in userinfo  # no password section at all


def parse_error(text: str) -> str | None:
    try:
        parse_dsn(text)
    except ConnectError as exc:
        return str(exc)
    return None


@settings(max_examples=examples(200), deadline=None)
@given(passwords, st.sampled_from(["?bogus=1", "?ssl-mode=maybe", ":99999",
                                   "?ssl-mode=verify-ca", "/db#frag"]))
def test_a_bad_dsn_never_echoes_the_password(password: str, rest: str) -> None:
    """The error for a bad DSN is the same whatever the password: nothing of it is shown."""
    def text(pw: str) -> str:
        return f"mysql://u:{pw}@127.0.0.1{rest}"

    message = parse_error(text(password))
    assert message is not None
    assert message == parse_error(text("x"))


@pytest.mark.parametrize("password", ["pässwörd/#?[@:1", "x", "s3cr3t", "::"])
def test_a_refused_connection_never_echoes_the_password(password: str) -> None:
    server = parse_dsn(f"mysql://u:{password}@127.0.0.1:9")
    with pytest.raises(ConnectError) as caught:
        connect(server, 2)
    message = str(caught.value)
    assert "connection refused by 127.0.0.1:9" in message
    if len(password) >= 2:
        assert password not in message


def test_scrubbing_masks_only_whole_words() -> None:
    server = Server("u", "ab", "h", 1, None)
    assert server.scrub("grab ab cab (ab)") == "grab *** cab (***)"


@pytest.mark.parametrize("query", [
    "?ssl-mode=required&ssl-mode=disabled",  # the last won: a required TLS, connected in clear
    "?ssl-mode=disabled&ssl-mode=disabled",
    "?account=a&ssl-mode=required&account=b",
    "?ssl-ca=/a.pem&ssl-mode=verify-ca&ssl-ca=/b.pem",
])
def test_a_dsn_option_given_twice_is_refused(query: str) -> None:
    message = parse_error(f"mysql://u:s3cr3t@127.0.0.1{query}")
    assert message is not None and "is given twice" in message and "give it once" in message
    assert "s3cr3t" not in message


def test_the_cli_refuses_a_repeated_ssl_mode_before_connecting(tmp_path: Path) -> None:
    plan = tmp_path / "p.mobak"
    plan.write_text("as account sys\nsnapshot s1 for cluster\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()) as err:
        code = cli.main(["apply", str(plan), "--yes", "--dsn",
                         "mysql://u:s3cr3t@127.0.0.1:9?ssl-mode=required&ssl-mode=disabled"])
    assert code == 2
    assert "`ssl-mode` is given twice ('required', then 'disabled')" in err.getvalue()
    assert "s3cr3t" not in err.getvalue()

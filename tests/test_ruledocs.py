"""`modsl rules CODE` for a terminal: plain text wrapped to its width, code blocks indented,
no Markdown marks; `--format markdown` the section as docs/rules.md has it (issue 23)."""

from __future__ import annotations

import pytest

from modsl.cli import main
from modsl.diagnostics import CODES, ruledocs

MARKDOWN = """## MB999

**warning** — a *made-up* code, see [design.md](design.md#x) or [the spec](https://x.org/s).

A paragraph with `existing` and `snapshot … if not exists` and ``a `quoted` name`` that runs
on over several source lines so that it has to be wrapped again at the width asked for here.

- an item that is long enough to wrap onto a second line at this width, indented under itself
- a short one

```
snapshot   s for cluster  # never wrapped, never touched: **this** stays
```
"""


def test_plain_text() -> None:
    out = ruledocs.plain(MARKDOWN, 40)
    lines = out.splitlines()
    assert lines[0] == "MB999"
    assert lines[2] == "warning — a made-up code, see design.md"
    words = " ".join(out.split())
    assert "or the spec (https://x.org/s)." in words
    assert "with existing and `snapshot … if not exists` and" in words  # a phrase kept whole
    assert "and a `quoted` name that" in words
    assert all(len(line) <= 40 for line in lines if not line.startswith("    "))
    item = lines.index(next(line for line in lines if line.startswith("- an item")))
    assert lines[item + 1].startswith("  ") and not lines[item + 1].startswith("   ")
    assert "    snapshot   s for cluster  # never wrapped, never touched: **this** stays" in lines
    assert "```" not in out and "## " not in out


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_section_renders_without_markdown_marks(code: str) -> None:
    out = ruledocs.plain(ruledocs.section(code), 60)
    prose = [line for line in out.splitlines() if not line.startswith("    ")]
    assert prose[0] == code
    assert not any(line.startswith("#") or "**" in line or "```" in line for line in prose)
    assert all(len(line) <= 60 or " " not in line.strip() for line in prose)


def test_the_command_wraps_to_the_terminal(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    assert main(["rules", "mb501"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MB501\n") and "**" not in out
    assert max(len(line) for line in out.splitlines() if not line.startswith("    ")) < 50
    assert main(["rules", "MB501", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == ruledocs.section("MB501")

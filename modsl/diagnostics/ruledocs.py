"""The documentation of each diagnostic code, read from `docs/rules.md` (shipped in the wheel
as `modsl/diagnostics/rules.md`), so `modsl rules MB301` and the docs never disagree."""

from __future__ import annotations

import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (_HERE / "rules.md", _HERE.parent.parent / "docs" / "rules.md")


def text() -> str:
    for path in _CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("rules.md not found beside modsl")


def sections() -> dict[str, str]:
    """Code → its section, from its `## MBxxx` heading to the next heading of that level."""
    out: dict[str, str] = {}
    parts = re.split(r"(?m)^(?=## )", text())
    for part in parts:
        m = re.match(r"## (MB\d{3})\b", part)
        if m:
            out[m.group(1)] = part.rstrip() + "\n"
    return out


def section(code: str) -> str:
    return sections().get(code, f"{code}: no documentation yet\n")


# -- for a terminal ----------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_ITEM = re.compile(r"(\s*(?:[-*+]|\d+\.)\s+)")


def plain(markdown: str, width: int = 79) -> str:
    """`markdown` as a terminal shows it: paragraphs wrapped to `width` (the command line
    passes the terminal's), headings without their `#`s, code blocks indented and never
    wrapped, and emphasis, backticks and relative links reduced to their text."""
    import textwrap

    width = max(width, 30)
    out: list[str] = []
    paragraph: list[str] = []
    lead = ""

    def flush() -> None:
        nonlocal lead
        if paragraph:
            text = _inline(" ".join(paragraph))
            out.extend(textwrap.wrap(text, width, initial_indent=lead,
                                     subsequent_indent=" " * len(lead),
                                     break_long_words=False, break_on_hyphens=False) or [""])
            paragraph.clear()
        lead = ""

    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            flush()
            fenced = not fenced
            continue
        if fenced:
            out.append(("    " + line).rstrip())
            continue
        if not line.strip():
            flush()
            if out and out[-1]:
                out.append("")
            continue
        heading = re.match(r"#{1,6}\s+(.*)", line)
        item = _ITEM.match(line)
        if heading:
            flush()
            out.append(_inline(heading.group(1).strip()))
        elif line.lstrip().startswith("|"):
            flush()
            out.append(_inline(line.rstrip()))
        elif item:
            flush()
            lead = item.group(1)
            paragraph.append(line[item.end():].strip())
        else:
            paragraph.append(line.strip())
    flush()
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _inline(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(1) if "://" not in m.group(2)
                     else f"{m.group(1)} ({m.group(2)})", text)
    # Code first: its text is kept as it is (a `*` in code is no emphasis).
    pieces: list[str] = []
    at = 0
    for m in _CODE.finditer(text):
        pieces.append(_emphasis(text[at:m.start()]))
        code = m.group(2).strip() if len(m.group(1)) > 1 else m.group(2)
        # A word reads as itself; a phrase keeps its backticks, or where it ends is lost.
        # (Code that holds backticks is shown as it is.)
        word = re.fullmatch(r"[\w.$%{}:/-]+", code) or "`" in code
        pieces.append(code if word else f"`{code}`")
        at = m.end()
    pieces.append(_emphasis(text[at:]))
    return "".join(pieces)


def _emphasis(text: str) -> str:
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\2", text))

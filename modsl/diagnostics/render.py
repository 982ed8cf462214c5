"""Diagnostics for people and machines: text (with a caret under the span), JSON, SARIF 2.1.0
and GitHub workflow commands. Renderers are pure: they return text, the CLI prints it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from modsl._version import __version__
from modsl.diagnostics import CODES, Diagnostic, Severity

DOCS_URL = "https://github.com/modsl/modsl/blob/main/docs/rules.md"

_RED, _YELLOW, _BOLD, _BLUE, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[34m", "\x1b[0m"


def text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str],
         color: bool = False) -> str:
    """The rustc-like shape of LANGUAGE.md §6, one block per diagnostic."""
    blocks = []
    lines_of: dict[str, list[str]] = {}
    for d in diagnostics:
        s = d.span
        sev = d.severity.value
        if color:
            tone = _RED if d.severity is Severity.ERROR else _YELLOW
            head = f"{_BOLD}{s.file}:{s.line}:{s.column}:{_RESET} {tone}{sev}[{d.code}]{_RESET}"
        else:
            head = f"{s.file}:{s.line}:{s.column}: {sev}[{d.code}]"
        out = [f"{head}: {d.message}"]
        if s.file not in lines_of:
            lines_of[s.file] = sources.get(s.file, "").removeprefix("\ufeff").split("\n")
        lines = lines_of[s.file]
        if 1 <= s.line <= len(lines):
            src = lines[s.line - 1].rstrip("\r")
            pad = " " * len(str(s.line))
            end = s.end_column if s.end_line == s.line else len(src) + 1
            width = max(1, min(end, len(src) + 1) - s.column)
            lead = "".join(c if c == "\t" else " " for c in src[: s.column - 1])
            carets = "^" * width
            if color:
                carets = f"{_RED if d.is_error else _YELLOW}{carets}{_RESET}"
            out += [f"{pad} |", f"{s.line} | {src}", f"{pad} | {lead}{carets}"]
            if d.help:
                out.append(f"{pad} = help: {d.help}")
        elif d.help:
            out.append(f"  = help: {d.help}")
        blocks.append("\n".join(out))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def as_dict(d: Diagnostic) -> dict[str, object]:
    s = d.span
    return {"file": s.file, "line": s.line, "column": s.column, "end_line": s.end_line,
            "end_column": s.end_column, "severity": d.severity.value, "code": d.code,
            "message": d.message, "help": d.help}


def json_report(diagnostics: Iterable[Diagnostic]) -> str:
    import json

    return json.dumps({"version": 1, "diagnostics": [as_dict(d) for d in diagnostics]},
                      indent=2, ensure_ascii=False) + "\n"


def sarif(diagnostics: Iterable[Diagnostic]) -> str:
    """SARIF 2.1.0 with one rule per code (all codes, so viewers can show any of them)."""
    codes = sorted(CODES)
    index = {c: i for i, c in enumerate(codes)}
    rules = [{
        "id": c,
        "name": c,
        "shortDescription": {"text": CODES[c].summary},
        "helpUri": f"{DOCS_URL}#{c.lower()}",
        "defaultConfiguration": {"level": CODES[c].severity.value},
    } for c in codes]
    results = []
    for d in diagnostics:
        s = d.span
        message = d.message + (f"\nhelp: {d.help}" if d.help else "")
        results.append({
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": s.file},
                "region": {"startLine": max(s.line, 1), "startColumn": max(s.column, 1),
                           "endLine": max(s.end_line, 1), "endColumn": max(s.end_column, 1)},
            }}],
        })
    import json

    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "modsl", "version": __version__,
                                "informationUri": DOCS_URL, "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: an annotation on each diagnostic's line."""
    out = []
    for d in diagnostics:
        s = d.span
        props = (f"file={_escape_property(s.file)},line={s.line},col={s.column},"
                 f"endLine={s.end_line},endColumn={s.end_column},title={d.code}")
        message = d.message + (f" (help: {d.help})" if d.help else "")
        out.append(f"::{d.severity.value} {props}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")

"""What ran, read back from journals: one `Run` per journal file (a plan's apply, or one
firing of a schedule), for `modsl log`.

Journals are the record, so this reads them and nothing else: it never connects. A journal
it cannot read is reported as such, not skipped, so a damaged record is seen."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from modsl.runtime.executor import last_words


@dataclass(frozen=True)
class Verify:
    """A verify that ran: what it saw, against what it expected."""

    statement: int
    observed: object
    expected: str
    passed: bool


@dataclass(frozen=True)
class Run:
    journal: str
    command: str
    """`apply`, or `run` for a schedule's firing."""
    plan: str | None
    started: str | None
    ended: str | None
    server: str | None
    statements: int | None
    done: int
    outcome: str
    """`done`, `failed`, `unknown` (an outcome nobody knows), `stopped` (not every statement
    ran, none failed), `rolled back`, `test failed` (a restore test of the firing failed), or
    `unreadable`."""
    schedule: str | None = None
    firing: str | None = None
    error: str | None = None
    verifies: list[Verify] = field(default_factory=list)
    tests: list[dict[str, Any]] = field(default_factory=list)
    """The firing's restore tests (`drill` lines), as journaled: drill, ok, message, checks."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def runs(directory: Path, plan: str | None = None) -> list[Run]:
    """Every run journaled in `directory` (archived ones too), oldest first; with `plan`, only
    that plan's (its path as given, resolved)."""
    wanted = str(Path(plan).resolve()) if plan else None
    found = []
    for path in sorted(directory.glob("*.jsonl")):
        run = read(path)
        if run is None:
            continue
        if wanted is None or run.plan == wanted or run.outcome == "unreadable":
            found.append(run)
    return sorted(found, key=lambda r: r.started or "")


def read(path: Path) -> Run | None:
    """The run one journal file records; None for a file that records no run (a lock)."""
    entries: list[dict[str, Any]] = []
    try:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return Run(str(path), "?", None, None, None, None, None, 0, "unreadable",
                   error=f"cannot read this journal: {exc}")
    heads = [e for e in entries if e.get("event") == "run"]
    if not heads:
        return None
    head = heads[0]
    times = [str(e[k]) for e in entries for k in ("at", "started", "ended")
             if isinstance(e.get(k), str)]
    indexed = [e for e in entries if isinstance(e.get("index"), int)]
    state = last_words(indexed, lambda e: e.get("event"))
    error = None
    verifies = []
    for e in indexed:
        index, event = e["index"], e.get("event")
        response = e.get("response")
        if event in ("done", "failed") and isinstance(response, dict) and "passed" in response:
            verifies.append(Verify(index + 1, response.get("observed"),
                                   str(response.get("expected")),
                                   event == "done" and bool(response["passed"])))
        if event == "failed" and isinstance(e.get("error"), dict):
            message = e["error"].get("message")
            error = f"statement {index + 1}: {message}" if message else error
    statements = heads[-1].get("statements")
    tests = [e for e in entries if e.get("event") == "drill"]
    done = sum(1 for s in state.values() if s == "done")
    if any(e.get("event") == "rollback" for e in entries):
        outcome = "rolled back"
    elif "failed" in state.values():
        outcome = "failed"
    elif "unknown" in state.values():
        outcome = "unknown"
    elif isinstance(statements, int) and done < statements:
        outcome = "stopped"
    elif any(not t.get("ok") for t in tests):
        outcome = "test failed"
    else:
        outcome = "done"
    server = head.get("server")
    if isinstance(server, dict):  # a firing's: host, port, user, account, the server's name
        port = f":{server['port']}" if server.get("port") else ""
        name = f" ({server['hostname']})" if server.get("hostname") else ""
        account = f"?account={server['account']}" if server.get("account") else ""
        server = f"mysql://{server.get('user')}@{server.get('host')}{port}{account}{name}"
    return Run(str(path), "run" if "schedule" in head else "apply", head.get("plan"),
               min(times, default=None), max(times, default=None),
               server if isinstance(server, str) else None,
               statements if isinstance(statements, int) else None, done, outcome,
               head.get("schedule"), head.get("firing"), error, verifies, tests)


def render(found: list[Run]) -> str:
    """A line per run, then its verifies and its error, for a terminal."""
    if not found:
        return "no runs journaled here\n"
    out = []
    for r in found:
        what = f"run {r.schedule} @ {r.firing}" if r.command == "run" else "apply"
        count = f"{r.done}/{r.statements}" if r.statements is not None else f"{r.done}"
        out.append(f"{r.started or '?':24} {r.outcome:11} {what}  {count} statement(s)  "
                   f"{r.plan or '?'}  on {r.server or '(server not journaled)'}")
        for v in r.verifies:
            mark = "ok" if v.passed else "FAILED"
            out.append(f"    verify {v.statement}: saw {v.observed!r}, expected {v.expected}: "
                       f"{mark}")
        for t in r.tests:
            out.append(f"    restore test {t.get('drill')}: {'ok' if t.get('ok') else 'FAILED'}"
                       f" (snapshot {t.get('snapshot') or 'none'}: {t.get('message')})")
        if r.error:
            out.append(f"    {r.error}")
    return "\n".join(out) + "\n"

"""What a `modsl run` firing reports where operators look: JUnit XML (`--report`, read by
Jenkins and GitLab) and Prometheus text format (`--metrics`, for node_exporter's textfile
collector). Both are written atomically (a temporary file, then a rename), so a reader never
sees half a file.

The metrics file keeps the series of other schedules and plans it already holds, and a
test's last success survives a failed firing: an alert on its age is the point.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.etree import ElementTree as ET

from modsl.runtime import firing, restore_test
from modsl.runtime.restore_test import Result

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan
    from modsl.runtime.executor import Journal

EXIT_INTERRUPTED = 130


class Firing(NamedTuple):
    """A firing's snapshot part: did its statements all run."""

    plan: str
    schedule: str
    ok: bool
    seconds: float
    message: str = ""


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes 0600; a report is read by others (node_exporter runs as its own
        # user, a CI dashboard as its): the mode a plain write would give.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


# -- JUnit --------------------------------------------------------------------------------

def junit(fired: Firing, results: list[Result]) -> str:
    """One testsuite per firing: a testcase for the snapshots, one per drill."""
    failures = (0 if fired.ok else 1) + sum(not r.ok for r in results)
    total = 1 + len(results)
    seconds = fired.seconds + sum(r.seconds for r in results)
    root = ET.Element("testsuites", name="modsl run", tests=str(total),
                      failures=str(failures), errors="0", time=f"{seconds:.3f}")
    suite = ET.SubElement(root, "testsuite", name=f"{fired.plan}:{fired.schedule}",
                          tests=str(total), failures=str(failures), errors="0",
                          time=f"{seconds:.3f}")
    case = ET.SubElement(suite, "testcase", name="snapshots",
                         classname=f"modsl.{fired.schedule}", time=f"{fired.seconds:.3f}")
    if not fired.ok:
        ET.SubElement(case, "failure", message=fired.message or "the firing failed").text = \
            fired.message
    for r in results:
        case = ET.SubElement(suite, "testcase", name=f"restore test {r.name}",
                             classname=f"modsl.{fired.schedule}", time=f"{r.seconds:.3f}")
        lines = [f"snapshot: {r.snapshot or 'none'}", f"clone: {', '.join(r.scratch) or 'none'}"]
        lines += [f"{'ok  ' if c.ok else 'FAIL'} {c.text} (saw {c.seen})" for c in r.checks]
        if r.cleaned:
            lines.append(f"dropped first (left by an earlier firing): {', '.join(r.cleaned)}")
        if not r.ok:
            ET.SubElement(case, "failure", message=r.message).text = "\n".join(lines)
        else:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# -- Prometheus ---------------------------------------------------------------------------

_HELP = {
    "modsl_restore_test_success": "1 if the restore test's last run passed, else 0",
    "modsl_restore_test_duration_seconds": "how long the restore test's last run took",
    "modsl_restore_test_last_success_timestamp_seconds":
        "when the restore test last passed (Unix time)",
    "modsl_snapshot_firing_success": "1 if the schedule's last firing took its snapshots",
    "modsl_snapshot_firing_duration_seconds": "how long the schedule's last firing took",
    "modsl_snapshot_firing_last_success_timestamp_seconds":
        "when the schedule's firing last succeeded (Unix time)",
}
_SAMPLE = re.compile(r"([a-z_]+)\{(.*)\} (\S+)\Z")
_LABEL = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: dict[str, str]) -> str:
    return ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())


def _read(path: Path) -> list[tuple[str, dict[str, str], str]]:
    """The samples of a metrics file this module wrote (anything else is ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    samples = []
    for line in text.splitlines():
        found = _SAMPLE.match(line)
        if found and found.group(1) in _HELP:
            labels = {k: re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), v)
                      for k, v in _LABEL.findall(found.group(2))}
            samples.append((found.group(1), labels, found.group(3)))
    return samples


def metrics(path: Path, fired: Firing, results: list[Result], now: float) -> str:
    """The metrics file's new text: this firing's series, the others' as they were."""
    old = _read(path)
    mine = {"plan": fired.plan, "schedule": fired.schedule}

    def ours(labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in mine.items())

    last = {(n, tuple(sorted(labels.items()))): v for n, labels, v in old}
    samples = [(n, labels, v) for n, labels, v in old if not ours(labels)]

    def add(prefix: str, labels: dict[str, str], ok: bool, seconds: float) -> None:
        samples.append((f"{prefix}_success", labels, "1" if ok else "0"))
        samples.append((f"{prefix}_duration_seconds", labels, f"{seconds:.3f}"))
        key = (f"{prefix}_last_success_timestamp_seconds", tuple(sorted(labels.items())))
        when = f"{now:.3f}" if ok else last.get(key)
        if when is not None:
            samples.append((key[0], labels, when))

    add("modsl_snapshot_firing", dict(mine), fired.ok, fired.seconds)
    for r in results:
        add("modsl_restore_test", {**mine, "test": r.name}, r.ok, r.seconds)
    out = []
    for name, words in _HELP.items():
        rows = [s for s in samples if s[0] == name]
        if rows:
            out += [f"# HELP {name} {words}", f"# TYPE {name} gauge"]
            out += [f"{name}{{{_labels(labels)}}} {value}" for _, labels, value in rows]
    return "\n".join(out) + "\n"


# -- after a firing -------------------------------------------------------------------------

_STARTED = time.monotonic()  # imported when `modsl run` starts: the firing's clock


def _quiet(line: str) -> None:
    """Where a caller that shows nothing sends the progress lines."""


def _unseen(result: Result) -> None:
    """Where a caller that shows nothing sends a restore test's result."""


def after_firing(options: firing.FiringOptions, checked: CheckedPlan, due: firing.Firing,
                 connection: Any, journal: Journal, code: int,
                 say: Callable[[str], None] = _quiet,
                 on_test: Callable[[Result], None] = _unseen) -> int:
    """The firing's restore tests (unless it was interrupted), each journaled and shown to
    `on_test` (their progress lines to `say`); the reports; the exit code: a failed test
    fails the run (1) as a failed snapshot does."""
    fired_seconds = time.monotonic() - _STARTED
    results: list[Result] = []
    drills = restore_test.drills_of(checked, due.schedule.name.key)
    if drills and code != EXIT_INTERRUPTED and not options.dry_run:
        if not any(e.get("event") == "run" for e in journal.entries):  # no snapshot steps
            journal.write({"event": "run", "plan": str(Path(options.plan).resolve()),
                           "schedule": due.schedule.name.key, "firing": due.at.isoformat(),
                           "statements": 0, "steps": [], "resume": False})
        for drill in drills:
            result = restore_test.one(checked, drill, due, connection, say)
            journal.write({**result.record(), "firing": due.at.isoformat()})
            on_test(result)
            results.append(result)
    plan = Path(options.plan).stem
    fired = Firing(plan, due.schedule.name.key, code == 0, fired_seconds,
                   "" if code == 0 else "the firing's snapshots did not all run (see the "
                   "journal)")
    if options.report:
        write_atomically(Path(options.report), junit(fired, results))
    if options.metrics:
        path = Path(options.metrics)
        write_atomically(path, metrics(path, fired, results, time.time()))
    if code == 0 and any(not r.ok for r in results):
        return 1
    return code

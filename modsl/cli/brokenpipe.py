"""stdout closed before modsl finished writing (`modsl apply ... | head -1`).

Once the reader is gone, stdout is pointed at /dev/null, as the Python documentation
recommends: what is still buffered, and everything printed after, goes nowhere instead of
raising again (or printing "Exception ignored ... BrokenPipeError" at exit). What happened is
then said on stderr, which is still read.
"""

from __future__ import annotations

import contextlib
import os
import sys

EXIT_PIPE = 141
"""The exit code when the output was cut: 128 + SIGPIPE, what a shell reports for a command
that a closed pipe killed (so `set -o pipefail` scripts see what they always saw)."""

_closed = False


def silence() -> None:
    """The reader is gone: stdout writes to /dev/null from now on (idempotent)."""
    global _closed
    if _closed:
        return
    _closed = True
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no file: a test's stream
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def reset() -> None:
    """A new command (the CLI called in-process once more): its stdout is open."""
    global _closed
    _closed = False


def closed() -> bool:
    """Whether stdout's reader went away during this run."""
    return _closed


def flushed() -> bool:
    """Flush stdout; False (and stdout silenced) when its reader is gone."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence()
        return False
    return not _closed


def say(text: str) -> None:
    """Print a line on stdout if anyone still reads it."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        silence()

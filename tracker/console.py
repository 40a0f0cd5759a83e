"""The console entry point (``tracker`` script and ``manage.py``): Ctrl-C at any moment,
even while the CLI is still being imported, ends with one line and exit status 130."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

INTERRUPTED = b"Interrupted: stopped before finishing; what was committed stays, nothing half.\n"


def _interrupted(_signum: int, _frame: FrameType | None) -> None:
    """First Ctrl-C: one line, then unwind (open transactions roll back). A second one, e.g.
    when a library swallowed the first, ends the process at once: SQLite and PostgreSQL
    commits are atomic, so nothing half-written stays either way."""
    if _state["interrupted"]:
        os._exit(130)
    _state["interrupted"] = True
    os.write(2, INTERRUPTED)  # not sys.stderr: it may be in the middle of a write
    raise KeyboardInterrupt


_state = {"interrupted": False}


def main() -> None:
    """Import and run the CLI; Ctrl-C anywhere prints one line and exits 130 (typer turns a
    KeyboardInterrupt inside a command into exit 130; this covers the import before it)."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from tracker.cli import app

        app()
    except KeyboardInterrupt:
        sys.exit(130)

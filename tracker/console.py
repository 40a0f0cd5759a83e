"""The console entry point (``tracker`` script and ``manage.py``): Ctrl-C at any moment,
even while the CLI is still being imported, ends with one line and exit status 130."""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType

INTERRUPTED = b"Interrupted: stopped before finishing; what was committed stays, nothing half.\n"


def _interrupted(_signum: int, _frame: FrameType | None) -> None:
    """Ctrl-C: one line, then unwind (open transactions roll back). While the CLI is still
    being imported nothing has been written, so the process ends at once (a KeyboardInterrupt
    raised there can land in a library's ``__del__`` and be swallowed). A second Ctrl-C, if a
    library swallowed the first, ends the process at once too: SQLite and PostgreSQL commits
    are atomic, so nothing half-written stays either way."""
    if not _state["interrupted"]:
        os.write(2, INTERRUPTED)  # not sys.stderr: it may be in the middle of a write
    if _state["interrupted"] or _state["importing"]:
        os._exit(130)
    _state["interrupted"] = True
    # The interrupt may land while a library tidies up (SQLAlchemy's pool resetting a
    # connection logs "Exception during reset" with the traceback): the line above is all.
    logging.disable(logging.CRITICAL)
    raise KeyboardInterrupt


_state = {"interrupted": False, "importing": True}


def main() -> None:
    """Import and run the CLI; Ctrl-C anywhere prints one line and exits 130 (typer turns a
    KeyboardInterrupt inside a command into exit 130)."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from tracker.cli import app

        _state["importing"] = False
        app()
    except KeyboardInterrupt:
        sys.exit(130)

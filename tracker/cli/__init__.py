"""The command-line interface (``manage.py`` and the ``tracker`` console script)."""

from __future__ import annotations

from tracker.cli import (  # noqa: F401  (registers commands)
    bench,
    corroboration,
    exports,
    extraction,
    feeds,
    store,
    views,
    web,
)
from tracker.cli._app import app


def main() -> None:
    """Entry point of the ``tracker`` console script."""
    app()


__all__ = ["app", "main"]

"""The diplomatic-event tracker: feeds -> articles -> extraction -> append-only log -> views.

The names below are imported on first use (PEP 562): importing a pure subpackage
(``tracker.extraction``) does not load the store, and ``tracker.console`` can start and catch
Ctrl-C before the heavy modules (SQLAlchemy, pydantic) load.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.errors import (
        ConcurrencyError,
        ConfigError,
        InputError,
        StoreError,
        TrackerError,
    )
    from tracker.extraction.document import Article
    from tracker.store import open_store

_LAZY = {
    "Article": "tracker.extraction.document",
    "ConcurrencyError": "tracker.errors",
    "ConfigError": "tracker.errors",
    "InputError": "tracker.errors",
    "StoreError": "tracker.errors",
    "TrackerError": "tracker.errors",
    "open_store": "tracker.store",
}

__all__ = [
    "Article",
    "ConcurrencyError",
    "ConfigError",
    "InputError",
    "StoreError",
    "TrackerError",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    return getattr(import_module(module), name)

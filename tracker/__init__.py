"""The diplomatic-event tracker: feeds -> articles -> extraction -> append-only log -> views.

The names below are imported on first use (PEP 562), so that ``tracker.console`` can start
and catch Ctrl-C before the heavy modules (SQLAlchemy, pydantic) load.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.articles import Article
    from tracker.errors import (
        ConcurrencyError,
        ConfigError,
        InputError,
        StoreError,
        TrackerError,
    )
    from tracker.store import open_store

_WHERE = {
    "Article": "tracker.articles",
    "ConcurrencyError": "tracker.errors",
    "ConfigError": "tracker.errors",
    "InputError": "tracker.errors",
    "StoreError": "tracker.errors",
    "TrackerError": "tracker.errors",
    "open_store": "tracker.store",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)


__all__ = [
    "Article",
    "ConcurrencyError",
    "ConfigError",
    "InputError",
    "StoreError",
    "TrackerError",
    "open_store",
]

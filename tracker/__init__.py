"""The diplomatic-event tracker: feeds -> articles -> extraction -> append-only log -> views.

The names below are imported lazily, so that importing a pure subpackage (``tracker.extraction``)
does not load the store.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "Article": "tracker.extraction.document",
    "ConcurrencyError": "tracker.errors",
    "ConfigError": "tracker.errors",
    "InputError": "tracker.errors",
    "StoreError": "tracker.errors",
    "TrackerError": "tracker.errors",
    "open_store": "tracker.store",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    return getattr(import_module(module), name)

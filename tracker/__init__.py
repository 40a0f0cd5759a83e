"""The diplomatic-event tracker: feeds -> articles -> extraction -> append-only log -> views."""

from tracker.articles import Article
from tracker.errors import (
    ConcurrencyError,
    ConfigError,
    InputError,
    StoreError,
    TrackerError,
)
from tracker.store import open_store

__all__ = [
    "Article",
    "ConcurrencyError",
    "ConfigError",
    "InputError",
    "StoreError",
    "TrackerError",
    "open_store",
]

"""The TrackerError tree. Every failure a user can cause is one of these, with a message that
names the thing (feed, file:line, stream) and what to do. The CLI prints it as one line.

Exit codes: ``InputError`` (bad input or usage) -> 2; any other TrackerError -> 1.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base of all errors the tracker reports to its user."""

    exit_code = 1


class InputError(TrackerError, ValueError):
    """Bad input from a person: arguments, files, configuration."""

    exit_code = 2


class ConfigError(InputError):
    """A broken configuration file (feeds.yaml) or setting."""


class StoreError(TrackerError):
    """The event store failed (database unreachable, schema missing, I/O)."""


class StoreUnavailableError(StoreError, InputError):
    """The database URL cannot be opened; usually a wrong ``--db`` / ``TRACKER_DB_URL``."""

    exit_code = 2


class ConcurrencyError(StoreError):
    """A stream moved on since it was read: the expected version no longer holds."""

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        super().__init__(
            f"stream {stream_id!r} is at version {actual}, expected {expected}: "
            "it was changed concurrently; re-read it and retry"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class ConflictError(StoreError):
    """A write collided with a row another writer committed first (unique key)."""


class IntegrityError(StoreError):
    """The hash chain of the log is broken."""


class FeedError(TrackerError):
    """A feed could not be fetched or parsed (reported per feed, never stops a cycle)."""


class ExtractionError(TrackerError):
    """An article could not be read for extraction."""

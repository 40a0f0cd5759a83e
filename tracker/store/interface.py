"""The event store contract: stored rows, what an append returns, and a five-method Protocol."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

if TYPE_CHECKING:  # mapping imports this module
    from events import DomainEvent
    from tracker.store.mapping import RecordedEvent


@dataclass(frozen=True)
class NewEvent:
    """An event ready to append: envelope plus JSON-ready payload (made by ``mapping``)."""

    event_id: UUID
    type: str
    schema_version: int
    payload: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    occurred_on: date | None = None


@dataclass(frozen=True)
class StoredEvent:
    """One row of the append-only log, exactly as stored."""

    position: int
    event_id: UUID
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    payload: str
    metadata: str
    recorded_at: datetime
    occurred_on: date | None
    hash: str
    prev_hash: str


@dataclass(frozen=True)
class AppendResult:
    """What an append did: rows written (in order) and the ids that were already stored."""

    written: tuple[StoredEvent, ...]
    duplicates: tuple[UUID, ...]

    @property
    def last_position(self) -> int | None:
        """Global position of the last row written, if any."""
        return self.written[-1].position if self.written else None


class EventStore(Protocol):
    """An append-only, hash-chained log of events, grouped into streams."""

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None = None,
        *,
        recorded_at: datetime | None = None,
    ) -> AppendResult:
        """Append atomically. ``expected_version`` is the stream's current length (0: new stream;
        None: don't check). Already-stored event ids are skipped and reported as duplicates.
        Called by the pipeline and the record command. Raises ConcurrencyError, StoreError."""
        ...

    def read_stream(
        self, stream_id: str, *, until: datetime | None = None, after_version: int = 0
    ) -> list[StoredEvent]:
        """Rows of one stream in version order: those after ``after_version`` (default: all),
        recorded by ``until`` when given."""
        ...

    def read_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[StoredEvent]:
        """Lazily yield the whole log after ``after_position`` in position order, in batches."""
        ...

    def read_recorded(
        self, after_position: int = 0, batch_size: int = 1000
    ) -> Iterator[RecordedEvent[DomainEvent]]:
        """``read_all`` decoded (``to_recorded`` of each row), for replays: a store may skip
        what a replay does not need (the hashes)."""
        ...

    def last_position(self) -> int:
        """Global position of the newest row (0 for an empty log)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class EventLog(EventStore, Protocol):
    """An ``EventStore`` with the indexed lookups the write side and the CLI need."""

    def tail(self, limit: int = 20, types: Sequence[str] = ()) -> list[StoredEvent]:
        """The newest ``limit`` rows (optionally of ``types``), newest first. Called by ``log``."""
        ...

    def stream_version(self, stream_id: str) -> int:
        """Current length of a stream (0 when it does not exist). Called by ``recording``."""
        ...

    def get(self, event_id: UUID) -> StoredEvent | None:
        """The row of one event id, if stored. Called by analysts' corrections."""
        ...


class LogImport(Protocol):
    """An import transaction holding the log's write lock: rows go in exactly as stored."""

    def head(self) -> tuple[int, str]:
        """Position and hash of the newest row (0, "" for an empty log)."""
        ...

    def hash_at(self, position: int) -> str | None:
        """The stored hash at ``position``, if that row exists."""
        ...

    def insert(self, rows: Sequence[StoredEvent]) -> None:
        """Insert rows verbatim (positions, ids, times and hashes as given)."""
        ...


class ImportableLog(EventLog, Protocol):
    """An ``EventLog`` that can take a verified backup verbatim (``import-log``)."""

    def importing(self) -> AbstractContextManager[LogImport]:
        """A transaction for ``LogImport``: all rows commit, or none. Raises StoreError."""
        ...

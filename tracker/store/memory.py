"""An in-memory event store: the same contract as the SQL store, no database.

It passes the store contract suite (hash chain, duplicates, optimistic concurrency, atomic
batches) and is the fast path for unit tests. One re-entrant lock is the log's write lock:
appends, imports and the view and feed recorders that go with it (``tracker.projections.memory``,
``tracker.feeds.memory``) hold it for their transactions. Rows are immutable ``StoredEvent``s
in a list, so readers need no lock (a list append is atomic) and UPDATE/DELETE cannot happen.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from uuid import UUID

from events import DomainEvent
from tracker.errors import ConcurrencyError, StoreError
from tracker.store.chain import GENESIS, chain_rows
from tracker.store.interface import AppendResult, NewEvent, StoredEvent
from tracker.store.mapping import RecordedEvent, to_recorded


class MemoryEventStore:
    """``EventLog`` and ``ImportableLog`` in process memory."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._rows: list[StoredEvent] = []
        self._streams: dict[str, list[StoredEvent]] = {}
        self._ids: dict[UUID, StoredEvent] = {}
        self.identity = f"memory:{id(self):x}"

    # -- the EventStore protocol -------------------------------------------------------------

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None = None,
        *,
        recorded_at: datetime | None = None,
    ) -> AppendResult:
        """Append atomically; see ``EventStore.append``. Raises ConcurrencyError, StoreError."""
        if not events:
            return AppendResult((), ())
        if len({e.event_id for e in events}) != len(events):
            raise StoreError(f"the same event id appears twice in one append to {stream_id!r}")
        when = recorded_at.astimezone(UTC) if recorded_at else datetime.now(UTC)
        with self.lock:
            fresh = [e for e in events if e.event_id not in self._ids]
            duplicates = tuple(e.event_id for e in events if e.event_id in self._ids)
            if not fresh:
                return AppendResult((), duplicates)
            version = len(self._streams.get(stream_id, ()))
            if expected_version is not None and version != expected_version:
                raise ConcurrencyError(stream_id, expected_version, version)
            last = self._rows[-1] if self._rows else None
            written = chain_rows(
                fresh,
                stream_id,
                version=version,
                position=last.position if last else 0,
                prev_hash=last.hash if last else GENESIS,
                recorded_at=when,
            )
            self._add(written)
        return AppendResult(tuple(written), duplicates)

    def _add(self, rows: Sequence[StoredEvent]) -> None:
        for row in rows:
            self._rows.append(row)
            self._streams.setdefault(row.stream_id, []).append(row)
            self._ids[row.event_id] = row

    def read_stream(
        self, stream_id: str, *, until: datetime | None = None, after_version: int = 0
    ) -> list[StoredEvent]:
        """Rows of one stream in version order: those after ``after_version``, recorded by
        ``until`` when given."""
        rows = self._streams.get(stream_id, [])[after_version:]
        return rows if until is None else [r for r in rows if r.recorded_at <= until]

    def read_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[StoredEvent]:
        """Lazily yield the log after ``after_position`` (positions are 1..n, in order)."""
        position = after_position
        while batch := self._rows[position : position + batch_size]:
            yield from batch
            position = batch[-1].position

    def read_recorded(
        self, after_position: int = 0, batch_size: int = 1000
    ) -> Iterator[RecordedEvent[DomainEvent]]:
        """``read_all`` decoded by ``to_recorded``."""
        return map(to_recorded, self.read_all(after_position, batch_size))

    def last_position(self) -> int:
        """Global position of the newest row (0 for an empty log)."""
        return len(self._rows)

    def close(self) -> None:
        """Nothing to release."""

    # -- EventLog --------------------------------------------------------------------------

    def tail(self, limit: int = 20, types: Sequence[str] = ()) -> list[StoredEvent]:
        """The newest ``limit`` rows (optionally of ``types``), newest first."""
        rows = (r for r in reversed(self._rows) if not types or r.type in types)
        return list(islice(rows, limit))

    def stream_version(self, stream_id: str) -> int:
        """Current length of a stream (0 when it does not exist)."""
        return len(self._streams.get(stream_id, ()))

    def get(self, event_id: UUID) -> StoredEvent | None:
        """The row of one event id, if stored."""
        return self._ids.get(event_id)

    # -- ImportableLog -----------------------------------------------------------------------

    @contextlib.contextmanager
    def importing(self) -> Iterator[_MemoryImport]:
        """A ``LogImport`` transaction: its rows are added only if the block completes."""
        with self.lock:
            pending = _MemoryImport(self)
            yield pending
            self._add(pending.rows)

    # -- reads the recorders share ------------------------------------------------------------

    def stream_extent(self, stream_id: str) -> tuple[int, datetime | None]:
        """The position of a stream's newest row and its latest ``recorded_at``."""
        rows = self._streams.get(stream_id)
        if not rows:
            return 0, None
        return rows[-1].position, max(r.recorded_at for r in rows)


class _MemoryImport:
    """``LogImport`` collecting verbatim rows for ``MemoryEventStore.importing``."""

    def __init__(self, store: MemoryEventStore) -> None:
        self._store = store
        self.rows: list[StoredEvent] = []

    def head(self) -> tuple[int, str]:
        """Position and hash of the newest row (0, "" for an empty log)."""
        rows = self._store._rows
        return (rows[-1].position, rows[-1].hash) if rows else (0, "")

    def hash_at(self, position: int) -> str | None:
        """The stored hash at ``position``, if that row exists."""
        rows = self._store._rows
        return rows[position - 1].hash if 0 < position <= len(rows) else None

    def insert(self, rows: Sequence[StoredEvent]) -> None:
        """Queue rows to add at commit."""
        self.rows.extend(rows)

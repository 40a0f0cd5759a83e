"""The projections' recorder: view rows and consumer checkpoints behind one small protocol.

As the eventsourcing library's process recorder saves a consumer's position together with its
writes, ``ViewRecorder.recording()`` is one transaction holding the log's write lock in which a
consumer writes view rows and ``track``s its new position: both commit, or neither.
``reading()`` is one consistent snapshot of view rows and the log (so related rows are read as
of one commit). The runner, queries and decisions use only this protocol; ``view_recorder``
finds the implementation that goes with an event store (``tracker.projections.sql`` for the SQL
store), registered per store class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import singledispatch
from typing import Protocol

from tracker.store import EventStore, StoredEvent


@dataclass(frozen=True)
class ViewRecord:
    """One view row: a JSON body keyed by (view, key), indexed by pair and sort key; ``since``
    is the log position from which it holds (0 for views that keep no history)."""

    view: str
    key: str
    pair: str | None
    sort_key: str | None
    body: str
    since: int = 0


def by_sort_key(rows: Iterable[ViewRecord]) -> list[ViewRecord]:
    """Rows in ``select``'s order: by (sort key, key), rows without a sort key first."""
    return sorted(rows, key=lambda r: (r.sort_key is not None, r.sort_key or "", r.key))


@dataclass(frozen=True)
class PastRecord:
    """A view row that held from ``record.since`` until log position ``until`` (excluded)."""

    record: ViewRecord
    until: int


class ViewReader(Protocol):
    """One consistent snapshot of the view rows, the checkpoints and the log."""

    def max_tracking_id(self, name: str) -> int:
        """Last position consumer ``name`` has committed (0 when it never ran)."""
        ...

    def select(
        self,
        view: str,
        *,
        key: str | None = None,
        keys: Sequence[str] | None = None,
        pair: str | None = None,
        sort_key: str | None = None,
        sort_keys: Sequence[str] | None = None,
        sort_from: str | None = None,
        sort_before: str | None = None,
    ) -> list[ViewRecord]:
        """Rows of ``view`` matching every filter given, by (sort key, key)."""
        ...

    def select_as_of(
        self,
        view: str,
        *,
        pair: str,
        position: int,
        sort_from: str | None = None,
        sort_before: str | None = None,
    ) -> list[ViewRecord]:
        """The rows of a pair's ``view`` as they stood at log ``position`` (current rows since
        then, and past rows that held then), optionally in a sort-key range, by (sort key, key).
        """
        ...

    def stream_point(self, stream_id: str, version: int) -> tuple[int, datetime] | None:
        """Global position and ``recorded_at`` of one stream version (None when absent)."""
        ...

    def sort_keys(self, view: str, *, pair: str) -> list[str]:
        """The sort keys of a pair's rows of ``view``, in order, without their bodies."""
        ...

    def stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """Rows of one stream after ``after_version``, in version order."""
        ...

    def stream_extent(self, stream_id: str) -> tuple[int, datetime | None]:
        """Global position of a stream's newest row and its latest ``recorded_at`` (0, None
        for an empty stream)."""
        ...


class ViewWriter(ViewReader, Protocol):
    """A write transaction: view rows and checkpoints commit together."""

    def insert(self, records: Iterable[ViewRecord]) -> None:
        """Add rows (their (view, key) must be free: ``delete`` first to replace)."""
        ...

    def delete(self, view: str, keys: Sequence[str]) -> None:
        """Remove the rows of ``view`` with these keys (absent keys are ignored)."""
        ...

    def retire(self, view: str, ends: Sequence[tuple[str, int]]) -> None:
        """Move the current rows of ``view`` with these keys to the past, each ending at its
        position (``(key, until)``); absent keys are ignored."""
        ...

    def archive(self, records: Iterable[PastRecord]) -> None:
        """Add rows straight to the past (versions that were replaced in the same batch)."""
        ...

    def drop(self, views: Sequence[str]) -> None:
        """Remove every row of these views, past rows included."""
        ...

    def set_sort_key(self, view: str, key: str, sort_key: str | None) -> None:
        """Change one row's sort key."""
        ...

    def track(self, name: str, position: int) -> None:
        """Record that consumer ``name`` has consumed the log up to ``position``."""
        ...

    def untrack(self, name: str) -> None:
        """Forget consumer ``name``'s position (its next run starts from 0)."""
        ...


class ViewRecorder(Protocol):
    """Where a store keeps its views; ``identity`` names the database (for caches)."""

    identity: str

    def reading(self) -> AbstractContextManager[ViewReader]:
        """A read-only snapshot. Raises StoreError."""
        ...

    def recording(self) -> AbstractContextManager[ViewWriter]:
        """A transaction holding the log's write lock. Raises StoreError."""
        ...


@singledispatch
def view_recorder(store: EventStore) -> ViewRecorder:
    """The view recorder that goes with ``store``; raises TypeError for an unknown store."""
    raise TypeError(f"no view recorder registered for {type(store).__name__}")

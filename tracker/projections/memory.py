"""``ViewRecorder`` beside the in-memory store: view rows and checkpoints in dictionaries.

A transaction holds the store's lock (the log's write lock) and keeps an undo journal, so a
block that raises leaves the views and checkpoints as they were: the same all-or-nothing
contract as the SQL recorder. Reads hold the lock too, so each sees one consistent state.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from tracker.errors import ConflictError
from tracker.projections.recorder import (
    PastRecord,
    ViewReader,
    ViewRecord,
    ViewWriter,
    by_sort_key,
    view_recorder,
)
from tracker.store import StoredEvent
from tracker.store.memory import MemoryEventStore

_Undo = Callable[[], None]


class _MemoryViews:
    """``ViewWriter`` (and ``ViewReader``) over the recorder's dictionaries."""

    def __init__(self, recorder: MemoryViewRecorder, journal: list[_Undo] | None) -> None:
        self._r = recorder
        self._journal = journal

    def max_tracking_id(self, name: str) -> int:
        """Last position consumer ``name`` has committed (0 when it never ran)."""
        return self._r.tracking.get(name, 0)

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
        rows = self._r.views.get(view, {})
        if key is not None:
            found = [rows[key]] if key in rows else []
        elif keys is not None:
            found = [rows[k] for k in set(keys) if k in rows]
        else:
            found = list(rows.values())
        wanted = None if sort_keys is None else set(sort_keys)
        out = [
            r
            for r in found
            if (pair is None or r.pair == pair)
            and (sort_key is None or r.sort_key == sort_key)
            and (wanted is None or r.sort_key in wanted)
            and _in_range(r, sort_from, sort_before)
        ]
        return by_sort_key(out)

    def select_as_of(
        self,
        view: str,
        *,
        pair: str,
        position: int,
        sort_from: str | None = None,
        sort_before: str | None = None,
    ) -> list[ViewRecord]:
        """The rows of a pair's ``view`` as they stood at ``position``."""
        current = self._r.views.get(view, {}).values()
        past = self._r.history.get(view, {}).values()
        out = [
            r
            for r in (
                *(r for r in current if r.since <= position),
                *(p.record for p in past if p.record.since <= position < p.until),
            )
            if r.pair == pair and _in_range(r, sort_from, sort_before)
        ]
        return by_sort_key(out)

    def stream_point(self, stream_id: str, version: int) -> tuple[int, datetime] | None:
        """Global position and ``recorded_at`` of one stream version."""
        rows = self._r.store.read_stream(stream_id, after_version=version - 1)
        if not rows or rows[0].stream_version != version:
            return None
        return rows[0].position, rows[0].recorded_at

    def sort_keys(self, view: str, *, pair: str) -> list[str]:
        """The sort keys of a pair's rows of ``view``, in order."""
        rows = self._r.views.get(view, {}).values()
        return sorted(r.sort_key for r in rows if r.pair == pair and r.sort_key is not None)

    def stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """Rows of one stream after ``after_version``, in version order."""
        return self._r.store.read_stream(stream_id, after_version=after_version)

    def stream_extent(self, stream_id: str) -> tuple[int, datetime | None]:
        """Global position of a stream's newest row and its latest ``recorded_at``."""
        return self._r.store.stream_extent(stream_id)

    def _put(self, view: str, key: str, record: ViewRecord | None) -> None:
        rows = self._r.views.setdefault(view, {})
        old = rows.get(key)
        if record is None:
            rows.pop(key, None)
        else:
            rows[key] = record
        assert self._journal is not None, "writes need recording()"
        self._journal.append(lambda: self._restore(view, key, old))

    def _restore(self, view: str, key: str, old: ViewRecord | None) -> None:
        rows = self._r.views.setdefault(view, {})
        if old is None:
            rows.pop(key, None)
        else:
            rows[key] = old

    def insert(self, records: Iterable[ViewRecord]) -> None:
        """Add rows; raises ConflictError when a (view, key) is taken (as SQL's key would)."""
        for r in records:
            if r.key in self._r.views.get(r.view, {}):
                raise ConflictError(f"conflicting write on {self._r.identity}: {r.view}/{r.key}")
            self._put(r.view, r.key, r)

    def delete(self, view: str, keys: Sequence[str]) -> None:
        """Remove the rows of ``view`` with these keys."""
        for k in keys:
            if k in self._r.views.get(view, {}):
                self._put(view, k, None)

    def retire(self, view: str, ends: Sequence[tuple[str, int]]) -> None:
        """Move the current rows to the past, each ending at its position."""
        rows = self._r.views.get(view, {})
        self.archive(PastRecord(rows[k], until) for k, until in ends if k in rows)
        self.delete(view, [k for k, _ in ends])

    def archive(self, records: Iterable[PastRecord]) -> None:
        """Add past rows."""
        for p in records:
            past = self._r.history.setdefault(p.record.view, {})
            key = (p.record.key, p.record.since)
            past[key] = p
            assert self._journal is not None, "writes need recording()"
            self._journal.append(lambda past=past, key=key: past.pop(key, None))  # type: ignore[misc]

    def drop(self, views: Sequence[str]) -> None:
        """Remove every row of these views, past rows included."""
        for view in views:
            self.delete(view, list(self._r.views.get(view, {})))
            old = self._r.history.pop(view, None)
            if old is not None:
                assert self._journal is not None, "writes need recording()"
                self._journal.append(lambda view=view, old=old: self._r.history.update({view: old}))  # type: ignore[misc]

    def set_sort_key(self, view: str, key: str, sort_key: str | None) -> None:
        """Change one row's sort key."""
        old = self._r.views.get(view, {}).get(key)
        if old is not None:
            self._put(view, key, replace(old, sort_key=sort_key))

    def track(self, name: str, position: int) -> None:
        """Record consumer ``name``'s position in this transaction."""
        self._set_tracking(name, position)

    def untrack(self, name: str) -> None:
        """Forget consumer ``name``'s position in this transaction."""
        self._set_tracking(name, None)

    def _set_tracking(self, name: str, position: int | None) -> None:
        tracking = self._r.tracking
        old = tracking.get(name)
        if position is None:
            tracking.pop(name, None)
        else:
            tracking[name] = position
        assert self._journal is not None, "writes need recording()"

        def undo() -> None:
            if old is None:
                tracking.pop(name, None)
            else:
                tracking[name] = old

        self._journal.append(undo)


def _in_range(row: ViewRecord, sort_from: str | None, sort_before: str | None) -> bool:
    """True when the row's sort key is in ``sort_from`` (included) .. ``sort_before``."""
    key = row.sort_key
    return (sort_from is None or (key is not None and key >= sort_from)) and (
        sort_before is None or (key is not None and key < sort_before)
    )


class MemoryViewRecorder:
    """``ViewRecorder`` for one ``MemoryEventStore``."""

    def __init__(self, store: MemoryEventStore) -> None:
        self.store = store
        self.identity = store.identity
        self.views: dict[str, dict[str, ViewRecord]] = {}
        self.history: dict[str, dict[tuple[str, int], PastRecord]] = {}
        self.tracking: dict[str, int] = {}

    @contextmanager
    def reading(self) -> Iterator[ViewReader]:
        """A consistent snapshot (the store's lock is held)."""
        with self.store.lock:
            yield _MemoryViews(self, None)

    @contextmanager
    def recording(self) -> Iterator[ViewWriter]:
        """A transaction holding the log's write lock; undone if the block raises."""
        with self.store.lock:
            journal: list[_Undo] = []
            try:
                yield _MemoryViews(self, journal)
            except BaseException:
                for undo in reversed(journal):
                    undo()
                raise


_RECORDERS: weakref.WeakKeyDictionary[MemoryEventStore, MemoryViewRecorder] = (
    weakref.WeakKeyDictionary()
)


@view_recorder.register
def _(store: MemoryEventStore) -> MemoryViewRecorder:
    with store.lock:
        recorder = _RECORDERS.get(store)
        if recorder is None:
            recorder = _RECORDERS[store] = MemoryViewRecorder(store)
        return recorder

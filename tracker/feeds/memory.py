"""``FeedStates`` beside the in-memory store: each feed's state and lease in a dictionary,
every lease operation one step under the store's lock (so exactly one caller wins)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.feeds.decide import FeedState
from tracker.feeds.recorder import feed_states
from tracker.store.memory import MemoryEventStore


@dataclass
class _Row:
    state: FeedState
    owner: str | None = None
    expires: datetime | None = None


class MemoryFeedStates:
    """``FeedStates`` for one ``MemoryEventStore``."""

    def __init__(self, store: MemoryEventStore) -> None:
        self._lock = store.lock
        self._rows: dict[str, _Row] = {}

    def load_states(self) -> dict[str, FeedState]:
        """Every stored feed state by name."""
        with self._lock:
            return {name: row.state for name, row in self._rows.items()}

    def load_state(self, name: str) -> FeedState | None:
        """The stored state of one feed, or None."""
        with self._lock:
            row = self._rows.get(name)
            return row.state if row else None

    def ensure_state(self, state: FeedState) -> None:
        """Insert ``state`` if the feed has no row yet, else overwrite its non-lease fields."""
        with self._lock:
            row = self._rows.setdefault(state.name, _Row(state))
            row.state = state

    def _grant(self, name: str, owner: str, until: datetime, may: bool) -> FeedState | None:
        row = self._rows.get(name)
        if row is None or not may:
            return None
        row.owner, row.expires = owner, until
        return row.state

    def acquire_lease(
        self,
        name: str,
        owner: str,
        now: datetime,
        duration: timedelta,
        *,
        due_by: datetime | None = None,
    ) -> FeedState | None:
        """Lease feed ``name`` to ``owner``; see ``FeedStates.acquire_lease``."""
        with self._lock:
            row = self._rows.get(name)
            if row is None or row.state.disabled_reason is not None:
                return None
            free = row.expires is None or row.expires <= now or row.owner in (None, owner)
            due = due_by is None or row.state.next_due is None or row.state.next_due <= due_by
            return self._grant(name, owner, now + duration, free and due)

    def take_over_lease(
        self, name: str, owner: str, dead_owner: str, now: datetime, duration: timedelta
    ) -> FeedState | None:
        """Take the lease of ``dead_owner``; None if it changed hands meanwhile."""
        with self._lock:
            return self._grant(name, owner, now + duration, self._holds(name, dead_owner))

    def renew_lease(self, name: str, owner: str, until: datetime) -> bool:
        """Extend ``owner``'s lease to ``until``; False when the lease was lost."""
        with self._lock:
            return self._grant(name, owner, until, self._holds(name, owner)) is not None

    def _holds(self, name: str, owner: str) -> bool:
        row = self._rows.get(name)
        return row is not None and row.owner == owner

    def save_and_release(self, state: FeedState, owner: str) -> bool:
        """Write ``state`` and release ``owner``'s lease; False if the lease was lost."""
        with self._lock:
            row = self._rows.get(state.name)
            if row is None or row.owner != owner:
                return False
            row.state, row.owner, row.expires = state, None, None
            return True

    def release_lease(self, name: str, owner: str) -> None:
        """Give the lease back without changing the state."""
        with self._lock:
            row = self._rows.get(name)
            if row is not None and row.owner == owner:
                row.owner, row.expires = None, None

    def lease_holder(self, name: str) -> tuple[str | None, datetime | None]:
        """(owner, expiry) of feed ``name``'s lease."""
        with self._lock:
            row = self._rows.get(name)
            return (row.owner, row.expires) if row else (None, None)


_STATES: weakref.WeakKeyDictionary[MemoryEventStore, MemoryFeedStates] = weakref.WeakKeyDictionary()


@feed_states.register
def _(store: MemoryEventStore) -> MemoryFeedStates:
    with store.lock:
        states = _STATES.get(store)
        if states is None:
            states = _STATES[store] = MemoryFeedStates(store)
        return states

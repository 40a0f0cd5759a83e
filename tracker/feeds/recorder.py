"""The poller's recorder: feed states and polling leases behind one protocol.

``tracker.feeds.poll`` and the scheduler use only ``FeedStates``; ``feed_states`` finds the
implementation that goes with an event store (``tracker.feeds.state`` for the SQL store),
registered per store class. A lease is granted to exactly one caller: each lease method is one
atomic conditional write.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import singledispatch
from typing import Protocol

from tracker.feeds.decide import FeedState
from tracker.store import EventStore


class FeedStates(Protocol):
    """Operational state of the feeds (validators, health, schedule) and their leases."""

    def load_states(self) -> dict[str, FeedState]:
        """Every stored feed state by name. Called by ``feed_health`` and the scheduler."""
        ...

    def load_state(self, name: str) -> FeedState | None:
        """The stored state of one feed, or None."""
        ...

    def ensure_state(self, state: FeedState) -> None:
        """Insert ``state`` if the feed has no row yet, else overwrite its non-lease fields."""
        ...

    def acquire_lease(
        self,
        name: str,
        owner: str,
        now: datetime,
        duration: timedelta,
        *,
        due_by: datetime | None = None,
    ) -> FeedState | None:
        """Lease feed ``name`` to ``owner`` until ``now + duration``: its state when granted,
        None when another owner holds a live lease, the feed is disabled, or (with
        ``due_by``) it is not due by then."""
        ...

    def take_over_lease(
        self, name: str, owner: str, dead_owner: str, now: datetime, duration: timedelta
    ) -> FeedState | None:
        """Take the lease of ``dead_owner``; None if it changed hands meanwhile."""
        ...

    def renew_lease(self, name: str, owner: str, until: datetime) -> bool:
        """Extend ``owner``'s lease to ``until``; False when the lease was lost."""
        ...

    def save_and_release(self, state: FeedState, owner: str) -> bool:
        """Write ``state`` and release ``owner``'s lease; False (nothing written) if the
        lease was lost meanwhile."""
        ...

    def release_lease(self, name: str, owner: str) -> None:
        """Give the lease back without changing the state."""
        ...

    def lease_holder(self, name: str) -> tuple[str | None, datetime | None]:
        """(owner, expiry) of feed ``name``'s lease."""
        ...


@singledispatch
def feed_states(store: EventStore) -> FeedStates:
    """The feed states kept beside ``store``; raises TypeError for an unknown store."""
    raise TypeError(f"no feed-state recorder registered for {type(store).__name__}")

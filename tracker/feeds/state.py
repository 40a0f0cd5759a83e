"""``FeedStates`` on the SQL store: the ``feed_state`` table (operational data) and leases.

A poller takes a feed with one conditional UPDATE (``... WHERE lease free or expired``): the
database grants it to exactly one caller on both backends. On PostgreSQL, under READ
COMMITTED, a concurrent UPDATE on the same row waits for the first and then re-evaluates the
WHERE clause on the new row version, so the second caller sees the lease taken and updates 0
rows; on SQLite writes are serialised outright. ``SELECT ... FOR UPDATE SKIP LOCKED`` would
only add a way to *skip* busy rows without waiting, which the single-row UPDATE (held for
microseconds) does not need. A crashed worker's lease expires and is taken over; one held by
a dead process on this host is taken over at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.feeds.decide import FeedState
from tracker.feeds.recorder import feed_states
from tracker.feeds.tables import FEED_STATE
from tracker.store import SqlEventStore
from tracker.store.sql import translate_errors, utc

_FIELDS = (
    "url",
    "etag",
    "last_modified",
    "last_attempt",
    "last_success",
    "last_status",
    "last_error",
    "failures",
    "next_due",
    "disabled_reason",
)


@contextlib.contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """A short write transaction (SQLite: BEGIN IMMEDIATE, so no lock upgrade can fail)."""
    with translate_errors(engine.url), engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def _aware(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


def _state(row: Any) -> FeedState:
    try:
        health = json.loads(row.health or "{}")
    except ValueError:
        health = {}
    return FeedState(
        name=row.name,
        url=row.url,
        etag=row.etag,
        last_modified=row.last_modified,
        last_attempt=_aware(row.last_attempt),
        last_success=_aware(row.last_success),
        last_status=row.last_status,
        last_error=row.last_error,
        failures=row.failures or 0,
        next_due=_aware(row.next_due),
        disabled_reason=row.disabled_reason,
        health=health if isinstance(health, dict) else {},
    )


def _values(state: FeedState) -> dict[str, Any]:
    values = {f: getattr(state, f) for f in _FIELDS}
    values["health"] = state.health_json()
    return values


def holder_is_dead(owner: str | None) -> bool:
    """True when ``owner`` (``host:pid:tag``) is a process on this host that no longer runs:
    its lease can be taken over without waiting for the expiry (a ``kill -9``-ed poll)."""
    if not owner or owner.count(":") < 2:
        return False
    host, pid_text, _tag = owner.rsplit(":", 2)
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by another user
        return False
    return False


class SqlFeedStates:
    """``FeedStates`` on the SQL store's database (the ``feed_state`` table)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load_states(self) -> dict[str, FeedState]:
        """Every stored feed state by name."""
        with translate_errors(self._engine.url), self._engine.connect() as conn:
            rows = conn.execute(sa.select(FEED_STATE)).all()
        return {r.name: _state(r) for r in rows}

    def load_state(self, name: str) -> FeedState | None:
        """The stored state of one feed, or None."""
        with translate_errors(self._engine.url), self._engine.connect() as conn:
            row = conn.execute(sa.select(FEED_STATE).where(FEED_STATE.c.name == name)).first()
        return _state(row) if row is not None else None

    def ensure_state(self, state: FeedState) -> None:
        """Insert ``state`` if the feed has no row yet, else overwrite its non-lease fields.

        Called before leasing with the reconciled state (a new feed, or a changed URL).
        """
        with _transaction(self._engine) as conn:
            exists = conn.execute(
                sa.select(FEED_STATE.c.name).where(FEED_STATE.c.name == state.name)
            ).first()
            if exists is None:
                conn.execute(FEED_STATE.insert().values(name=state.name, **_values(state)))
            else:
                conn.execute(
                    FEED_STATE.update()
                    .where(FEED_STATE.c.name == state.name)
                    .values(**_values(state))
                )

    def acquire_lease(
        self,
        name: str,
        owner: str,
        now: datetime,
        duration: timedelta,
        *,
        due_by: datetime | None = None,
    ) -> FeedState | None:
        """Take the lease on feed ``name`` for ``owner`` until ``now + duration``; the feed's state
        when granted, None when another owner holds a live lease (or when the
        feed is not due by ``due_by``, when given). Disabled feeds are never leased."""
        free = sa.or_(
            FEED_STATE.c.lease_owner.is_(None),
            FEED_STATE.c.lease_expires.is_(None),
            FEED_STATE.c.lease_expires <= now,
            FEED_STATE.c.lease_owner == owner,
        )
        cond = [FEED_STATE.c.name == name, FEED_STATE.c.disabled_reason.is_(None), free]
        if due_by is not None:
            cond.append(sa.or_(FEED_STATE.c.next_due.is_(None), FEED_STATE.c.next_due <= due_by))
        with _transaction(self._engine) as conn:
            result = conn.execute(
                FEED_STATE.update()
                .where(*cond)
                .values(lease_owner=owner, lease_expires=now + duration)
            )
            if result.rowcount != 1:
                return None
            row = conn.execute(sa.select(FEED_STATE).where(FEED_STATE.c.name == name)).one()
        return _state(row)

    def take_over_lease(
        self, name: str, owner: str, dead_owner: str, now: datetime, duration: timedelta
    ) -> FeedState | None:
        """Take the lease of ``dead_owner`` (see ``holder_is_dead``); None if it changed hands."""
        with _transaction(self._engine) as conn:
            result = conn.execute(
                FEED_STATE.update()
                .where(FEED_STATE.c.name == name, FEED_STATE.c.lease_owner == dead_owner)
                .values(lease_owner=owner, lease_expires=now + duration)
            )
            if result.rowcount != 1:
                return None
            row = conn.execute(sa.select(FEED_STATE).where(FEED_STATE.c.name == name)).one()
        return _state(row)

    def renew_lease(self, name: str, owner: str, until: datetime) -> bool:
        """Extend ``owner``'s lease to ``until``; False when the lease was lost (taken over)."""
        with _transaction(self._engine) as conn:
            result = conn.execute(
                FEED_STATE.update()
                .where(FEED_STATE.c.name == name, FEED_STATE.c.lease_owner == owner)
                .values(lease_expires=until)
            )
        return bool(result.rowcount == 1)

    def save_and_release(self, state: FeedState, owner: str) -> bool:
        """Write ``state`` and release ``owner``'s lease; False (nothing written) if the lease was
        lost meanwhile, so a worker that overran its lease cannot clobber its successor's state."""
        with _transaction(self._engine) as conn:
            result = conn.execute(
                FEED_STATE.update()
                .where(FEED_STATE.c.name == state.name, FEED_STATE.c.lease_owner == owner)
                .values(**_values(state), lease_owner=None, lease_expires=None)
            )
        return bool(result.rowcount == 1)

    def release_lease(self, name: str, owner: str) -> None:
        """Give the lease back without changing the state (the poll was abandoned)."""
        with _transaction(self._engine) as conn:
            conn.execute(
                FEED_STATE.update()
                .where(FEED_STATE.c.name == name, FEED_STATE.c.lease_owner == owner)
                .values(lease_owner=None, lease_expires=None)
            )

    def lease_holder(self, name: str) -> tuple[str | None, datetime | None]:
        """(owner, expiry) of feed ``name``'s lease."""
        with translate_errors(self._engine.url), self._engine.connect() as conn:
            row = conn.execute(
                sa.select(FEED_STATE.c.lease_owner, FEED_STATE.c.lease_expires).where(
                    FEED_STATE.c.name == name
                )
            ).first()
        if row is None:
            return None, None
        return row.lease_owner, _aware(row.lease_expires)


@feed_states.register
def _(store: SqlEventStore) -> SqlFeedStates:
    return SqlFeedStates(store.engine)

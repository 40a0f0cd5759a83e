"""Wake-ups: every append NOTIFYs its last position on PostgreSQL; ``wait_for_events`` waits."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
import sqlalchemy as sa

from tests.test_store_contract import new
from tracker.store import SqlEventStore, open_store
from tracker.store.sql import NOTIFY_CHANNEL, wait_for_events


def _libpq(url: str) -> str:
    u = sa.make_url(url)
    return f"host={u.host} port={u.port or 5432} user={u.username} dbname={u.database}"


@pytest.mark.postgres
def test_each_append_notifies_its_last_position_at_commit(pg_url: str) -> None:
    store = open_store(pg_url)
    with psycopg.connect(_libpq(pg_url), autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        store.append("s", new(37))
        store.append("s", new(4))
        got: list[str] = []
        for n in listener.notifies(timeout=5):
            got.append(n.payload)
            if {"37", "41"} <= set(got):
                break
    store.close()
    # Other stores (other tests, other processes on this server) share the channel; ours are
    # the notifications carrying our unusual positions, in order.
    assert [p for p in got if p in {"37", "41"}] == ["37", "41"]


@pytest.mark.postgres
def test_a_failed_append_notifies_nothing(pg_url: str) -> None:
    store = open_store(pg_url)
    store.append("s", new(1))
    with psycopg.connect(_libpq(pg_url), autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        with pytest.raises(Exception, match="expected 0"):
            store.append("s", new(1), expected_version=0)
        got = [n.payload for n in listener.notifies(timeout=0.3, stop_after=1)]
    store.close()
    assert "2" not in got


def test_wait_returns_at_once_when_the_log_is_already_past(store: SqlEventStore) -> None:
    store.append("s", new(2))
    assert wait_for_events(store, 1, timeout=30) == 2


def test_wait_times_out_with_the_current_position(store: SqlEventStore) -> None:
    store.append("s", new(1))
    started = time.monotonic()
    assert wait_for_events(store, 1, timeout=0.2, poll_interval=0.05) == 1
    assert time.monotonic() - started >= 0.2


def test_wait_wakes_up_when_another_writer_appends(store: SqlEventStore) -> None:
    result: list[int] = []
    waiter = threading.Thread(target=lambda: result.append(wait_for_events(store, 0, timeout=20)))
    waiter.start()
    store.append("s", new(1))
    waiter.join(25)
    assert result == [1]

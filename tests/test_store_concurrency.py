"""Sequence gaps: several writer processes and a catch-up reader, on SQLite and PostgreSQL.

Positions are allocated as ``max + 1`` under the store's single write lock, so they commit in
allocation order. A reader following ``read_all(after_position)`` must therefore see every
position exactly once, with no hole it would later have to go back for.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.synchronize import Event as MpEvent

import pytest
import sqlalchemy as sa

from events import ExtractorInfo, MeetingHeld, Provenance
from tests.test_store_contract import new
from tracker.store import SqlEventStore, migrate, open_store, to_new_event, verify
from tracker.store.sql import write_transaction

WRITERS = 4
APPENDS = 40
ROUNDS = 3
_ctx = multiprocessing.get_context("fork")  # cheap start; each child opens its own engine


def _event_id(round_: int, writer: int, append: int, k: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{round_}.{writer}.{append}.{k}")


def _sizes(round_: int, writer: int) -> list[int]:
    rng = random.Random(f"{round_}.{writer}")
    return [rng.randint(1, 3) for _ in range(APPENDS)]


def _write(url: str, round_: int, writer: int, go: MpEvent) -> None:
    """One writer process: its own stream plus a stream shared with every other writer."""
    store = open_store(url, migrate=False)
    go.wait(10)
    for append, size in enumerate(_sizes(round_, writer)):
        rows = [
            to_new_event(
                MeetingHeld(
                    actors=("CHN", "PAK"),
                    occurred_on=date(2022, 11, 2),
                    summary=f"writer {writer} append {append} event {k}",
                    provenance=Provenance(url="https://example.org/a"),
                    extractor=ExtractorInfo(name="test", version="1"),
                ),
                event_id=_event_id(round_, writer, append, k),
                metadata={"writer": writer},
            )
            for k in range(size)
        ]
        stream = "pair-shared" if append % 3 == 0 else f"pair-w{writer}"
        store.append(stream, rows)
    store.close()


@dataclass
class _Follower:
    """A catch-up reader: re-reads ``read_all(after)`` until told to stop and caught up."""

    store: SqlEventStore
    seen: list[uuid.UUID] = field(default_factory=list)
    writers: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last: int = 0
    polls: int = 0

    def follow(self, done: threading.Event) -> None:
        while True:
            finished = done.is_set()  # read once more after the writers have finished
            got = 0
            for row in self.store.read_all(self.last, batch_size=25):
                if row.position != self.last + 1:
                    self.problems.append(f"after {self.last} the reader saw {row.position}")
                self.last = row.position
                self.seen.append(row.event_id)
                self.writers.append(json.loads(row.metadata)["writer"])
                got += 1
            self.polls += 1
            if finished and got == 0:
                return


def _expected(round_: int) -> set[uuid.UUID]:
    return {
        _event_id(round_, w, a, k)
        for w in range(WRITERS)
        for a, size in enumerate(_sizes(round_, w))
        for k in range(size)
    }


@pytest.fixture
def fresh_url(any_url: str) -> Iterator[str]:
    """A migrated, empty store whose engine is disposed before writer processes fork."""
    store = open_store(any_url)
    store.close()
    yield any_url


def test_concurrent_writers_never_let_a_reader_skip_an_event(fresh_url: str) -> None:
    reader = _Follower(open_store(fresh_url, migrate=False))
    expected: set[uuid.UUID] = set()
    for round_ in range(ROUNDS):
        go = _ctx.Event()
        procs = [
            _ctx.Process(target=_write, args=(fresh_url, round_, w, go)) for w in range(WRITERS)
        ]
        for p in procs:
            p.start()
        done = threading.Event()
        thread = threading.Thread(target=reader.follow, args=(done,))
        thread.start()
        go.set()
        for p in procs:
            p.join(30)
        done.set()
        thread.join(30)
        assert [p.exitcode for p in procs] == [0] * WRITERS
        assert not thread.is_alive()
        expected |= _expected(round_)
        assert reader.problems == []
        assert len(reader.seen) == len(set(reader.seen)) == len(expected)
        assert set(reader.seen) == expected
    assert reader.polls > ROUNDS  # the reader really ran while writers were writing
    switches = sum(a != b for a, b in itertools.pairwise(reader.writers))
    assert switches > ROUNDS * WRITERS  # and the writers really interleaved in the log
    assert reader.last == reader.store.last_position() == len(expected)
    report = verify(reader.store)
    assert report.ok, report.problem
    assert report.checked == len(expected)
    reader.store.close()


def test_a_second_append_waits_for_the_write_lock(store: SqlEventStore) -> None:
    """While one append transaction holds the lock, another cannot allocate a position."""
    result: list[int | None] = []
    started = threading.Event()

    def later_append() -> None:
        started.set()
        result.append(store.append("pair-b", new(1)).last_position)

    with write_transaction(store.engine) as held:
        held.execute(sa.text("SELECT 1"))
        thread = threading.Thread(target=later_append)
        thread.start()
        assert started.wait(5)
        thread.join(0.5)
        waited = thread.is_alive()
        store_rows = held.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    thread.join(10)
    assert waited
    assert store_rows == 0
    assert result == [1]


def _open_and_count(url: str, go: MpEvent) -> None:
    go.wait(10)
    open_store(url).close()


def test_processes_opening_a_new_store_at_once_migrate_it_once(any_url: str) -> None:
    go = _ctx.Event()
    procs = [_ctx.Process(target=_open_and_count, args=(any_url, go)) for _ in range(4)]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0] * 4
    store = open_store(any_url, migrate=False)
    with store.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        assert sorted(versions) == sorted(migrate.head_revisions())
    store.append("s", new(1))
    assert verify(store).ok
    store.close()

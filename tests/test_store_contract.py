"""The event-store contract, run on every backend (SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from events import ExtractorInfo, MeetingHeld, Provenance, StatementMade
from tracker.errors import ConcurrencyError, StoreError
from tracker.store import (
    NewEvent,
    SqlEventStore,
    open_store,
    to_new_event,
    to_recorded,
    verify,
)
from tracker.store.checkpoints import load_checkpoint, save_checkpoint
from tracker.store.sql import write_transaction


def meeting(day: str = "2022-11-02", summary: str = "Xi met Sharif") -> MeetingHeld:
    return MeetingHeld(
        actors=("CHN", "PAK"),
        occurred_on=date.fromisoformat(day),
        summary=summary,
        provenance=Provenance(url="https://example.org/a"),
        extractor=ExtractorInfo(name="test", version="1"),
    )


def new(n: int = 1) -> list[NewEvent]:
    return [to_new_event(meeting(summary=f"m{i}")) for i in range(n)]


def test_append_and_read_stream_in_order(store: SqlEventStore) -> None:
    result = store.append("pair-CHN-PAK", new(3), expected_version=0)
    assert [r.stream_version for r in result.written] == [1, 2, 3]
    assert [r.position for r in result.written] == [1, 2, 3]
    rows = store.read_stream("pair-CHN-PAK")
    assert [json.loads(r.payload)["summary"] for r in rows] == ["m0", "m1", "m2"]
    assert store.last_position() == 3
    decoded = to_recorded(rows[0])
    assert isinstance(decoded.event, MeetingHeld)
    assert decoded.event.occurred_on == date(2022, 11, 2)
    assert rows[0].recorded_at.tzinfo is not None


def test_wrong_expected_version_raises_and_writes_nothing(store: SqlEventStore) -> None:
    store.append("pair-CHN-PAK", new(2), expected_version=0)
    with pytest.raises(ConcurrencyError, match="at version 2, expected 1"):
        store.append("pair-CHN-PAK", new(3), expected_version=1)
    assert store.last_position() == 2
    assert len(store.read_stream("pair-CHN-PAK")) == 2


def test_reappending_same_ids_is_reported_as_duplicate(store: SqlEventStore) -> None:
    batch = new(2)
    first = store.append("pair-CHN-PAK", batch)
    again = store.append("pair-CHN-PAK", batch, expected_version=0)
    assert len(first.written) == 2
    assert again.written == ()
    assert set(again.duplicates) == {e.event_id for e in batch}
    assert store.last_position() == 2


def test_read_all_streams_in_position_order_across_batches(store: SqlEventStore) -> None:
    for i in range(5):
        store.append(f"pair-S{i}", new(3))
    lazy = store.read_all(after_position=4, batch_size=2)
    assert not isinstance(lazy, list)
    positions = [r.position for r in lazy]
    assert positions == list(range(5, 16))


def test_update_and_delete_refused_by_the_database(store: SqlEventStore) -> None:
    store.append("pair-CHN-PAK", new(1))
    for stmt in ("UPDATE events SET type = 'X'", "DELETE FROM events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(stmt))
    assert store.last_position() == 1
    assert verify(store).ok


def test_hash_chain_links_rows(store: SqlEventStore) -> None:
    store.append("a", new(2))
    store.append("b", new(2))
    rows = list(store.read_all())
    assert rows[0].prev_hash == "0" * 64
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 4))
    report = verify(store)
    assert report.ok and report.checked == 4


def test_upcasting_reads_a_stored_v1_statement_as_v2(store: SqlEventStore) -> None:
    v1 = NewEvent(
        event_id=uuid.uuid4(),
        type="StatementMade",
        schema_version=1,
        payload={
            "actors": ["PAK", "CHN"],
            "topic": "Taiwan",
            "summary": "Pakistan backs one-China policy",
            "provenance": {"url": "https://example.org/a"},
            "extractor": {"name": "old", "version": "0.1"},
        },
    )
    store.append("pair-CHN-PAK", [v1])
    row = store.read_stream("pair-CHN-PAK")[0]
    assert row.schema_version == 1  # stored bytes are never rewritten
    event = to_recorded(row).event
    assert isinstance(event, StatementMade)
    assert event.topics == ("Taiwan",)
    assert event.stance == "neutral"
    assert StatementMade.schema_version == 2


def test_checkpoint_saved_in_transaction(store: SqlEventStore) -> None:
    assert load_checkpoint(store.engine, "view") == 0
    with write_transaction(store.engine) as conn:
        save_checkpoint(conn, "view", 7)
    with write_transaction(store.engine) as conn:
        save_checkpoint(conn, "view", 9)
    assert load_checkpoint(store.engine, "view") == 9


def test_recorded_at_given_is_kept_as_utc(store: SqlEventStore) -> None:
    when = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
    store.append("s", new(1), recorded_at=when)
    assert store.read_stream("s")[0].recorded_at == when
    assert store.read_stream("s", until=datetime(2024, 6, 29, tzinfo=UTC)) == []


def test_reopening_an_existing_store_keeps_its_events(any_url: str) -> None:
    s = open_store(any_url)
    s.append("s", new(2))
    s.close()
    again = open_store(any_url)
    assert again.last_position() == 2
    again.close()


def test_same_id_twice_in_one_batch_is_refused(store: SqlEventStore) -> None:
    e = new(1)[0]
    with pytest.raises(StoreError, match="twice"):
        store.append("s", [e, e])
    assert store.last_position() == 0

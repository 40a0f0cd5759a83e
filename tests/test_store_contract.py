"""The event-store contract, run on every backend (SQLite file, PostgreSQL, in memory), and
the view recorder's: rows and checkpoints commit together."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from events import ExtractorInfo, MeetingHeld, Provenance, StatementMade
from tracker.errors import ConcurrencyError, StoreError
from tracker.projections.recorder import ViewRecord, view_recorder
from tracker.store import (
    EventLog,
    NewEvent,
    open_store,
    to_new_event,
    to_recorded,
    verify,
)


@pytest.fixture
def store(any_store: EventLog) -> EventLog:
    """Each backend, the in-memory store included."""
    return any_store


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


def test_append_and_read_stream_in_order(store: EventLog) -> None:
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


def test_wrong_expected_version_raises_and_writes_nothing(store: EventLog) -> None:
    store.append("pair-CHN-PAK", new(2), expected_version=0)
    with pytest.raises(ConcurrencyError, match="at version 2, expected 1"):
        store.append("pair-CHN-PAK", new(3), expected_version=1)
    assert store.last_position() == 2
    assert len(store.read_stream("pair-CHN-PAK")) == 2


def test_reappending_same_ids_is_reported_as_duplicate(store: EventLog) -> None:
    batch = new(2)
    first = store.append("pair-CHN-PAK", batch)
    again = store.append("pair-CHN-PAK", batch, expected_version=0)
    assert len(first.written) == 2
    assert again.written == ()
    assert set(again.duplicates) == {e.event_id for e in batch}
    assert store.last_position() == 2


def test_read_all_streams_in_position_order_across_batches(store: EventLog) -> None:
    for i in range(5):
        store.append(f"pair-S{i}", new(3))
    lazy = store.read_all(after_position=4, batch_size=2)
    assert not isinstance(lazy, list)
    positions = [r.position for r in lazy]
    assert positions == list(range(5, 16))


def test_read_recorded_is_read_all_decoded(store: EventLog) -> None:
    for i in range(5):
        store.append(f"pair-S{i}", new(3), recorded_at=datetime(2024, 1, 1 + i % 2, tzinfo=UTC))
    store.append("pair-S0", [to_new_event(meeting(), metadata={"by": "analyst"})])
    lazy = store.read_recorded(after_position=4, batch_size=2)
    assert not isinstance(lazy, list)
    expected = [to_recorded(r) for r in store.read_all(after_position=4, batch_size=2)]
    assert list(lazy) == expected and [r.position for r in expected] == list(range(5, 17))
    assert expected[-1].metadata == {"by": "analyst"} and expected[0].metadata == {}
    assert expected[0].recorded_at == datetime(2024, 1, 2, tzinfo=UTC)


def test_update_and_delete_refused_by_the_database(any_url: str) -> None:
    store = open_store(any_url)
    store.append("pair-CHN-PAK", new(1))
    for stmt in ("UPDATE events SET type = 'X'", "DELETE FROM events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(stmt))
    assert store.last_position() == 1
    assert verify(store).ok
    store.close()


def test_hash_chain_links_rows(store: EventLog) -> None:
    store.append("a", new(2))
    store.append("b", new(2))
    rows = list(store.read_all())
    assert rows[0].prev_hash == "0" * 64
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 4))
    report = verify(store)
    assert report.ok and report.checked == 4


def test_upcasting_reads_a_stored_v1_statement_as_v2(store: EventLog) -> None:
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


def test_checkpoint_commits_with_the_view_rows_or_not_at_all(store: EventLog) -> None:
    views = view_recorder(store)
    with views.reading() as r:
        assert r.max_tracking_id("view") == 0
    with views.recording() as w:
        w.insert([ViewRecord("v", "k1", "CHN-PAK", "2022-01-01", "{}")])
        w.track("view", 7)
    with pytest.raises(RuntimeError), views.recording() as w:
        w.insert([ViewRecord("v", "k2", "CHN-PAK", "2022-01-02", "{}")])
        w.delete("v", ["k1"])
        w.track("view", 9)
        raise RuntimeError("crash before commit")
    with views.reading() as r:
        assert r.max_tracking_id("view") == 7
        assert [x.key for x in r.select("v")] == ["k1"]
    with views.recording() as w:
        w.untrack("view")
    with views.reading() as r:
        assert r.max_tracking_id("view") == 0


def test_view_rows_by_key_pair_and_sort_range(store: EventLog) -> None:
    rows = [
        ViewRecord("v", f"k{i}", "CHN-PAK" if i % 2 else "IND-PAK", f"2022-01-0{i}", f"{i}")
        for i in range(1, 7)
    ]
    views = view_recorder(store)
    with views.recording() as w:
        w.insert(rows)
        w.insert([ViewRecord("other", "k1", None, None, "x")])
    with views.reading() as r:
        assert [x.key for x in r.select("v", pair="CHN-PAK")] == ["k1", "k3", "k5"]
        assert r.sort_keys("v", pair="CHN-PAK") == ["2022-01-01", "2022-01-03", "2022-01-05"]
        in_range = r.select("v", sort_from="2022-01-02", sort_before="2022-01-05")
        assert [x.key for x in in_range] == ["k2", "k3", "k4"]
        assert {x.body for x in r.select("v", keys=["k6", "k2", "nope"])} == {"6", "2"}
        assert [x.key for x in r.select("v", sort_keys=["2022-01-03"])] == ["k3"]
        assert r.select("v", key="k4") == [rows[3]]
    with views.recording() as w:
        w.set_sort_key("v", "k4", "stale")
        w.delete("v", ["k1", "missing"])
        w.drop(["other"])
    with views.reading() as r:
        assert [x.key for x in r.select("v", sort_key="stale")] == ["k4"]
        assert len(r.select("v")) == 5 and r.select("other") == []


def test_view_reader_sees_the_log(store: EventLog) -> None:
    when = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
    store.append("pair-CHN-PAK", new(3), recorded_at=when)
    store.append("pair-IND-PAK", new(1))
    with view_recorder(store).reading() as r:
        assert [x.stream_version for x in r.stream("pair-CHN-PAK", after_version=1)] == [2, 3]
        assert r.stream_extent("pair-CHN-PAK") == (3, when)
        assert r.stream_extent("pair-USA-PAK") == (0, None)


def test_recorded_at_given_is_kept_as_utc(store: EventLog) -> None:
    when = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
    store.append("s", new(1), recorded_at=when)
    assert store.read_stream("s")[0].recorded_at == when
    assert store.read_stream("s", until=datetime(2024, 6, 29, tzinfo=UTC)) == []


def test_reopening_an_existing_store_keeps_its_events(any_url: str) -> None:
    """(SQL backends: the in-memory store lives as long as its process.)"""
    s = open_store(any_url)
    s.append("s", new(2))
    s.close()
    again = open_store(any_url)
    assert again.last_position() == 2
    again.close()


def test_same_id_twice_in_one_batch_is_refused(store: EventLog) -> None:
    e = new(1)[0]
    with pytest.raises(StoreError, match="twice"):
        store.append("s", [e, e])
    assert store.last_position() == 0

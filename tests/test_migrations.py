"""Numbered migrations: a store made by an older revision is brought forward with its events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from tests.facts import fact
from tests.test_store_contract import new
from tracker.projections.queries import timeline
from tracker.store import SqlEventStore, StoredEvent, migrate, open_store, to_new_event, verify
from tracker.store.chain import GENESIS, chain_rows
from tracker.store.mapping import row_columns
from tracker.store.schema import EVENTS
from tracker.store.sql import create_engine, write_transaction

# The events table as revisions 0001-0004 typed it: event ids and hashes as text.
_TEXT_COLUMNS = {"event_id", "hash", "prev_hash"}
_OLD_EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    *(sa.Column(c.name, sa.String if c.name in _TEXT_COLUMNS else c.type) for c in EVENTS.c),
)


def _write_old(engine: Engine, streams: list[str], per_stream: int) -> list[StoredEvent]:
    """Append ``per_stream`` events to each of ``streams`` as code before 0005 stored them
    (ids and hashes as text); returns the rows."""
    rows: list[StoredEvent] = []
    versions: dict[str, int] = {}
    when = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)
    for stream in streams:
        written = chain_rows(
            new(per_stream),
            stream,
            version=versions.get(stream, 0),
            position=len(rows),
            prev_hash=rows[-1].hash if rows else GENESIS,
            recorded_at=when,
        )
        versions[stream] = written[-1].stream_version
        rows.extend(written)
    with write_transaction(engine) as conn:
        conn.execute(sa.insert(_OLD_EVENTS), [row_columns(r) for r in rows])
    return rows


def _text_rows(engine: Engine) -> list[tuple[str, str, str]]:
    """(event_id, hash, prev_hash) of every row, as stored text, in position order."""
    with engine.connect() as conn:
        q = sa.text("SELECT event_id, hash, prev_hash FROM events ORDER BY position")
        return [(str(a), str(b), str(c)) for a, b, c in conn.execute(q)]


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    with write_transaction(engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_a_revision_0001_store_upgrades_to_head_keeping_its_log(any_url: str) -> None:
    engine = create_engine(any_url)
    _migrate(engine, "0001")
    assert migrate.current_revisions(engine) == {"0001"}
    before = _write_old(engine, ["s"], 3)
    with engine.connect() as conn:
        assert "ix_events_occurred_on" in {
            i["name"] for i in sa.inspect(conn).get_indexes("events")
        }

    store = open_store(any_url)  # migrates on open
    assert migrate.current_revisions(store.engine) == migrate.head_revisions() == {"0006"}
    with store.engine.connect() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    assert "ix_events_occurred_on" not in names and "ix_events_recorded_at" not in names
    assert list(store.read_all()) == before and verify(store).ok
    store.append("s", new(1), expected_version=3)
    store.close()
    engine.dispose()


def _at_revision(url: str, revision: str) -> SqlEventStore:
    engine = create_engine(url)
    _migrate(engine, revision)
    return SqlEventStore(engine)


def test_0004_makes_the_sqlite_position_the_rowid_keeping_the_log(db_url: str) -> None:
    old = _at_revision(db_url, "0003")
    before = _write_old(old.engine, [f"pair-S{i % 2}" for i in range(4)], 3)
    old.close()

    store = open_store(db_url)  # migrates on open
    assert migrate.current_revisions(store.engine) == migrate.head_revisions()
    assert list(store.read_all()) == before and verify(store).ok
    with store.engine.connect() as conn:
        same = sa.text("SELECT count(*) FROM events WHERE rowid = position")
        assert conn.execute(same).scalar_one() == 12
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("events")}
        assert str(columns["position"]["type"]) == "INTEGER"
        assert sa.inspect(conn).get_indexes("events") == []  # 0005 dropped ix_events_type
    for stmt in ("UPDATE events SET type = 'X'", "DELETE FROM events"):  # triggers kept
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(stmt))
    written = store.append("pair-S0", new(1), expected_version=6).written
    assert written[0].position == 13 and written[0].prev_hash == before[-1].hash
    assert verify(store).ok
    store.close()


def test_0004_downgrades_to_a_bigint_position_with_the_log(db_url: str) -> None:
    store = open_store(db_url)
    written = store.append("s", new(2)).written
    _migrate(store.engine, "0003", down=True)
    with store.engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("events")}
    assert str(columns["position"]["type"]) == "BIGINT"
    assert _text_rows(store.engine) == [(str(r.event_id), r.hash, r.prev_hash) for r in written]
    store.close()


def test_0005_stores_ids_and_hashes_as_bytes_keeping_the_log(any_url: str) -> None:
    old = _at_revision(any_url, "0004")
    before = _write_old(old.engine, ["pair-A", "pair-B", "pair-A"], 3)
    old.close()

    store = open_store(any_url)  # migrates on open
    assert migrate.current_revisions(store.engine) == migrate.head_revisions()
    assert list(store.read_all()) == before and verify(store).ok
    assert store.get(before[4].event_id) == before[4]
    with store.engine.connect() as conn:
        assert "ix_events_type" not in {i["name"] for i in sa.inspect(conn).get_indexes("events")}
        q = sa.text("SELECT event_id, hash FROM events WHERE position = 1")
        event_id, digest = conn.execute(q).one()
    assert bytes(digest) == bytes.fromhex(before[0].hash)  # 32 bytes, not 64 hex characters
    assert str(event_id) == str(before[0].event_id) or event_id == before[0].event_id.bytes
    for stmt in ("UPDATE events SET type = 'X'", "DELETE FROM events"):  # triggers kept
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(stmt))
    batch = new(2)
    again = store.append("pair-A", batch, expected_version=6)
    assert again.written[0].prev_hash == before[-1].hash and verify(store).ok
    repeated = store.append("pair-A", [batch[1], *new(1)])  # a stored id is found by its bytes
    assert repeated.duplicates == (batch[1].event_id,) and len(repeated.written) == 1
    store.close()


def test_0005_downgrades_to_text_ids_and_hashes(any_url: str) -> None:
    store = open_store(any_url)
    written = [*store.append("a", new(2)).written, *store.append("b", new(2)).written]
    _migrate(store.engine, "0004", down=True)
    assert migrate.current_revisions(store.engine) == {"0004"}
    assert _text_rows(store.engine) == [(str(r.event_id), r.hash, r.prev_hash) for r in written]
    with store.engine.connect() as conn:
        assert "ix_events_type" in {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    store.close()
    again = open_store(any_url)  # and up again
    assert list(again.read_all()) == written and verify(again).ok
    again.close()


def test_0006_gives_view_rows_a_transaction_time_and_a_past_and_downgrades(any_url: str) -> None:
    old = _at_revision(any_url, "0005")
    old.append("pair-CHN-PAK", [to_new_event(fact("meeting"))])
    with old.engine.begin() as conn:  # a row of the previous projection version (no ``since``)
        conn.execute(
            sa.text(
                "INSERT INTO view_rows (view, key, pair, sort_key, body) "
                "VALUES ('relationship.entry', 'old', 'CHN-PAK', '~', '{}')"
            )
        )
    old.close()

    store = open_store(any_url)  # migrates on open; the new projection version replays
    with store.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("view_rows")}
        assert "since" in columns and sa.inspect(conn).has_table("view_history")
    [entry] = timeline(store, "CHN", "PAK", as_of=datetime.now(UTC))
    assert entry.position == 1
    with store.engine.connect() as conn:
        since = sa.text("SELECT since FROM view_rows WHERE view = 'relationship.entry'")
        assert conn.execute(since).scalar_one() == 1
    with write_transaction(store.engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with store.engine.connect() as conn:
        assert "since" not in {c["name"] for c in sa.inspect(conn).get_columns("view_rows")}
        assert not sa.inspect(conn).has_table("view_history")
    store.close()

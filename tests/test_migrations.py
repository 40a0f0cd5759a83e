"""Numbered migrations: a store made by an older revision is brought forward with its events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from tests.facts import fact
from tests.test_store_contract import new
from tracker.projections.queries import timeline
from tracker.store import SqlEventStore, migrate, open_store, to_new_event, verify
from tracker.store.sql import create_engine, write_transaction


def test_a_revision_0001_store_upgrades_to_head_keeping_its_log(any_url: str) -> None:
    engine = create_engine(any_url)
    with write_transaction(engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert migrate.current_revisions(engine) == {"0001"}
    old = SqlEventStore(engine)
    old.append("s", new(3))
    with engine.connect() as conn:
        assert "ix_events_occurred_on" in {
            i["name"] for i in sa.inspect(conn).get_indexes("events")
        }

    store = open_store(any_url)  # migrates on open
    assert migrate.current_revisions(store.engine) == migrate.head_revisions() == {"0006"}
    with store.engine.connect() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    assert "ix_events_occurred_on" not in names and "ix_events_recorded_at" not in names
    assert store.last_position() == 3 and verify(store).ok
    store.append("s", new(1), expected_version=3)
    store.close()
    old.close()


def _at_revision(url: str, revision: str) -> SqlEventStore:
    engine = create_engine(url)
    with write_transaction(engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return SqlEventStore(engine)


def test_0004_makes_the_sqlite_position_the_rowid_keeping_the_log(db_url: str) -> None:
    old = _at_revision(db_url, "0003")
    for i in range(4):
        old.append(f"pair-S{i % 2}", new(3))
    before = list(old.read_all())
    old.close()

    store = open_store(db_url)  # migrates on open
    assert migrate.current_revisions(store.engine) == migrate.head_revisions()
    assert list(store.read_all()) == before and verify(store).ok
    with store.engine.connect() as conn:
        same = sa.text("SELECT count(*) FROM events WHERE rowid = position")
        assert conn.execute(same).scalar_one() == 12
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("events")}
        assert str(columns["position"]["type"]) == "INTEGER"
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("events")}
        assert indexes == {"ix_events_type"}
    for stmt in ("UPDATE events SET type = 'X'", "DELETE FROM events"):  # triggers kept
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(stmt))
    written = store.append("pair-S0", new(1), expected_version=6).written
    assert written[0].position == 13 and written[0].prev_hash == before[-1].hash
    assert verify(store).ok
    store.close()


def test_0004_downgrades_to_a_bigint_position_with_the_log(db_url: str) -> None:
    store = open_store(db_url)
    store.append("s", new(2))
    with write_transaction(store.engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with store.engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("events")}
    assert str(columns["position"]["type"]) == "BIGINT"
    assert store.last_position() == 2 and verify(store).ok
    store.close()


def test_0006_gives_view_rows_a_transaction_time_and_a_past_and_downgrades(any_url: str) -> None:
    old = _at_revision(any_url, "0004")
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
        command.downgrade(cfg, "0004")
    with store.engine.connect() as conn:
        assert "since" not in {c["name"] for c in sa.inspect(conn).get_columns("view_rows")}
        assert not sa.inspect(conn).has_table("view_history")
    store.close()

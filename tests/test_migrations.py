"""Numbered migrations: a store made by an older revision is brought forward with its events."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from tests.test_store_contract import new
from tracker.store import SqlEventStore, migrate, open_store, verify
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
    assert migrate.current_revisions(store.engine) == migrate.head_revisions() == {"0003"}
    with store.engine.connect() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    assert "ix_events_occurred_on" not in names and "ix_events_recorded_at" not in names
    assert store.last_position() == 3 and verify(store).ok
    store.append("s", new(1), expected_version=3)
    store.close()
    old.close()

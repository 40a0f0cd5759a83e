"""PostgreSQL specifics: Alembic migrations, immutability triggers and the hash chain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from tests.test_store_contract import new
from tracker.cli import app
from tracker.store import SqlEventStore, migrate, open_store, verify
from tracker.store.sql import write_transaction

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(pg_url: str) -> Any:
    store = open_store(pg_url)
    yield store
    store.close()


def _triggers(store: SqlEventStore) -> set[str]:
    q = sa.text(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal"
    )
    with store.engine.connect() as conn:
        return set(conn.execute(q).scalars())


def test_migration_creates_schema_and_triggers_in_the_schema(pg_store: SqlEventStore) -> None:
    assert migrate.current_revisions(pg_store.engine) == migrate.head_revisions()
    assert _triggers(pg_store) == {"events_no_update", "events_no_truncate"}
    with pg_store.engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        tables = set(
            conn.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
        )
    assert schema.startswith("t_")  # the test's own schema, not public
    assert {"events", "checkpoints", "feed_state", "view_rows", "alembic_version"} <= tables


@pytest.mark.parametrize(
    "stmt",
    [
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events WHERE position = 1",
        "TRUNCATE events",
    ],
)
def test_every_kind_of_rewrite_is_refused(pg_store: SqlEventStore, stmt: str) -> None:
    pg_store.append("s", new(2))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), pg_store.engine.begin() as c:
        c.execute(sa.text(stmt))
    assert pg_store.last_position() == 2
    assert verify(pg_store).ok


def _tamper(store: SqlEventStore, sql: str) -> None:
    """Edit the log behind the triggers' back, as a superuser could."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE events DISABLE TRIGGER events_no_update"))
        conn.execute(sa.text(sql))
        conn.execute(sa.text("ALTER TABLE events ENABLE TRIGGER events_no_update"))


@pytest.mark.parametrize(
    ("sql", "broken_at", "problem"),
    [
        ("UPDATE events SET payload = replace(payload, 'm2', 'mX') WHERE position = 3",
         3, "edited"),
        ("UPDATE events SET recorded_at = recorded_at + interval '1 second' WHERE position = 4",
         4, "edited"),
        ("DELETE FROM events WHERE position = 2", 3, "missing"),
    ],
)  # fmt: skip
def test_verify_points_at_the_tampered_row(
    pg_store: SqlEventStore, sql: str, broken_at: int, problem: str
) -> None:
    pg_store.append("s", new(6))
    assert verify(pg_store).ok
    _tamper(pg_store, sql)
    report = verify(pg_store)
    assert report.broken_at == broken_at
    assert problem in (report.problem or "")


def test_the_same_log_hashes_identically_on_both_backends(db_url: str, pg_url: str) -> None:
    batch, when = new(4), datetime(2024, 6, 30, 12, 0, 0, 123456, tzinfo=UTC)
    hashes = []
    for url in (db_url, pg_url):
        store = open_store(url)
        store.append("pair-CHN-PAK", batch[:3], recorded_at=when)
        store.append("pair-CHN-IND", batch[3:], recorded_at=when)
        rows = list(store.read_all())
        assert verify(store).ok
        hashes.append([(r.position, r.hash, r.recorded_at, r.occurred_on) for r in rows])
        store.close()
    assert hashes[0] == hashes[1]


def test_init_command_migrates_postgres_once(pg_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["init", "--db", pg_url], catch_exceptions=False)
    again = runner.invoke(app, ["init", "--db", pg_url], catch_exceptions=False)
    assert first.exit_code == again.exit_code == 0
    assert "up to date" in again.output
    assert "0005" in again.output


def test_downgrade_to_base_and_upgrade_again(pg_store: SqlEventStore) -> None:
    pg_store.append("s", new(1))
    with write_transaction(pg_store.engine) as conn:
        cfg = migrate._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert migrate.current_revisions(pg_store.engine) == set()
    with pg_store.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("events")
    assert migrate.upgrade(pg_store.engine)
    assert _triggers(pg_store) == {"events_no_update", "events_no_truncate"}
    assert pg_store.last_position() == 0
    pg_store.append("s", new(1))
    assert verify(pg_store).ok

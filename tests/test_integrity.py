"""Tamper evidence on every backend: with the triggers disabled, verify still finds the edit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.test_store_contract import new
from tracker.store import SqlEventStore, verify


def _tamper(store: SqlEventStore, sql: str) -> None:
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(sa.text("DROP TRIGGER events_no_update"))
            conn.execute(sa.text("DROP TRIGGER events_no_delete"))
        else:
            conn.execute(sa.text("ALTER TABLE events DISABLE TRIGGER USER"))
        conn.execute(sa.text(sql))


@pytest.mark.parametrize(
    ("sql", "broken_at", "problem"),
    [
        ("UPDATE events SET payload = replace(payload, 'm2', 'mX') WHERE position = 3",
         3, "edited"),
        ("DELETE FROM events WHERE position = 2", 3, "missing"),
        ("UPDATE events SET position = position + 100 WHERE position = 4", 5, "missing"),
        ("UPDATE events SET stream_version = 99 WHERE position = 5", 5, "edited"),
    ],
)  # fmt: skip
def test_verify_points_at_the_tampered_row(
    store: SqlEventStore, sql: str, broken_at: int, problem: str
) -> None:
    store.append("s", new(6))
    _tamper(store, sql)
    report = verify(store)
    assert not report.ok
    assert report.broken_at == broken_at
    assert problem in (report.problem or "")


def test_swapping_two_rows_contents_is_detected(store: SqlEventStore) -> None:
    store.append("a", new(2))
    store.append("b", new(2))
    _tamper(store, "UPDATE events SET position = -1 WHERE position = 2")
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET position = 2 WHERE position = 3"))
        conn.execute(sa.text("UPDATE events SET position = 3 WHERE position = -1"))
    report = verify(store)
    assert report.broken_at == 2
    assert "prev_hash" in (report.problem or "")

"""SQLite specifics: WAL, atomic batches at the database level, tamper detection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_store_contract import new
from tracker.errors import StoreError
from tracker.store import open_store, verify


def _path(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


def test_wal_mode_and_busy_timeout(db_url: str) -> None:
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_a_batch_that_fails_midway_writes_nothing(db_url: str) -> None:
    store = open_store(db_url)
    store.append("s", new(1))
    raw = sqlite3.connect(_path(db_url))
    raw.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.stream_version = 3 "
        "BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    raw.commit()
    with pytest.raises(StoreError, match="boom"):
        store.append("s", new(3))  # versions 2, 3, 4: the second row fails
    assert store.last_position() == 1
    store.close()


def _tamper(db_url: str, sql: str) -> None:
    raw = sqlite3.connect(_path(db_url))
    raw.execute("DROP TRIGGER events_no_update")
    raw.execute("DROP TRIGGER events_no_delete")
    raw.execute(sql)
    raw.commit()
    raw.close()


@pytest.mark.parametrize(
    ("sql", "broken_at", "problem"),
    [
        (
            "UPDATE events SET payload = replace(payload, 'm2', 'mX') WHERE position = 3",
            3,
            "edited",
        ),
        ("DELETE FROM events WHERE position = 2", 3, "missing"),
        ("UPDATE events SET position = position + 100 WHERE position = 4", 5, "missing"),
    ],
)
def test_verify_points_at_the_tampered_row(
    db_url: str, sql: str, broken_at: int, problem: str
) -> None:
    store = open_store(db_url)
    store.append("s", new(6))
    _tamper(db_url, sql)
    report = verify(store)
    assert not report.ok
    assert report.broken_at == broken_at
    assert problem in (report.problem or "")
    store.close()

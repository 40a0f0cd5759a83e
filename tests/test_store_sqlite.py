"""SQLite specifics: WAL, atomic batches at the database level, tamper detection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_store_contract import new
from tracker.errors import StoreError
from tracker.store import open_store


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

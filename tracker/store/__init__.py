"""The append-only event store: contract, mapping, hash chain and the SQL implementation."""

from __future__ import annotations

from tracker.store.chain import VerifyReport, verify, verify_rows
from tracker.store.interface import (
    AppendResult,
    EventLog,
    EventStore,
    ImportableLog,
    LogImport,
    NewEvent,
    StoredEvent,
)
from tracker.store.mapping import (
    RecordedEvent,
    canonical_json,
    deterministic_id,
    to_new_event,
    to_recorded,
)
from tracker.store.migrate import upgrade
from tracker.store.sql import SqlEventStore, check_connection, create_engine, translate_errors


def open_store(url: str, *, migrate: bool = True) -> SqlEventStore:
    """Open the store at ``url``, bringing its schema up to date; raises StoreError/InputError."""
    engine = create_engine(url)
    check_connection(engine)
    with translate_errors(engine.url):
        if migrate:
            upgrade(engine)
    return SqlEventStore(engine)


__all__ = [
    "AppendResult",
    "EventLog",
    "EventStore",
    "ImportableLog",
    "LogImport",
    "NewEvent",
    "RecordedEvent",
    "SqlEventStore",
    "StoredEvent",
    "VerifyReport",
    "canonical_json",
    "deterministic_id",
    "open_store",
    "to_new_event",
    "to_recorded",
    "verify",
    "verify_rows",
]

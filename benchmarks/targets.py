"""Where a benchmark writes: our store and the ``eventsourcing`` peer, on a fresh database.

Each backend gets a throw-away database: a temporary directory of SQLite files, or a
temporary PostgreSQL schema dropped afterwards. Both stores get the same durability: SQLite in
WAL mode with ``synchronous=NORMAL`` (our default; the peer's connections are set to match),
PostgreSQL with the server's defaults (``synchronous_commit=on``) for both.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.persistence import StoredEvent as PeerEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
)

from tracker.errors import InputError, StoreUnavailableError
from tracker.store import SqlEventStore, canonical_json, open_store
from tracker.synth import Batch

BACKENDS = ("sqlite", "postgres")
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PEER_VERSION = importlib.metadata.version("eventsourcing")


class Sink(Protocol):
    """Something a benchmark appends batches to."""

    def append(self, batch: Batch) -> None:
        """Append one batch atomically."""
        ...


@dataclass
class OurSink:
    """Our store, through its public ``append``."""

    store: SqlEventStore

    def append(self, batch: Batch) -> None:
        """One ``store.append`` (one transaction) per batch."""
        self.store.append(batch.stream_id, batch.rows, recorded_at=batch.recorded_at)


@dataclass
class PeerSink:
    """The eventsourcing library's application recorder (global notification ids, like our
    positions). Each row's state is the same canonical JSON our store writes (payload,
    metadata, envelope), so rows are of similar size; encoding happens inside ``append`` for
    both sides."""

    recorder: ApplicationRecorder
    name: str
    versions: dict[str, int] = field(default_factory=dict)

    def append(self, batch: Batch) -> None:
        """One ``insert_events`` (one transaction) per batch."""
        version = self.versions.get(batch.stream_id, 0)
        at = batch.recorded_at.isoformat()
        rows = []
        for item in batch.items:
            version += 1
            new = item.new
            state = {
                "id": str(new.event_id),
                "payload": new.payload,
                "metadata": new.metadata,
                "schema_version": new.schema_version,
                "timestamp": at,
            }
            rows.append(
                PeerEvent(batch.stream_id, version, new.type, canonical_json(state).encode())
            )
        self.recorder.insert_events(rows)
        self.versions[batch.stream_id] = version


class _MatchedSQLitePool(SQLiteConnectionPool):
    """The peer's pool with our SQLite durability setting (WAL is already its default)."""

    def _create_connection(self) -> SQLiteConnection:
        conn = super()._create_connection()
        raw: sqlite3.Connection = conn._sqlite_conn
        raw.execute("PRAGMA synchronous=NORMAL")
        return conn


@dataclass
class Target:
    """One backend's pair of fresh stores: ours and the peer's."""

    backend: str
    url: str
    store: SqlEventStore
    peer: PeerSink

    @property
    def ours(self) -> OurSink:
        """Our store as a sink."""
        return OurSink(self.store)


@contextlib.contextmanager
def open_target(backend: str, pg_url: str = PG_DEFAULT) -> Iterator[Target]:
    """Fresh stores (ours and the peer's) on ``backend``, removed afterwards.

    Raises InputError for an unknown backend, StoreUnavailableError when PostgreSQL is down.
    """
    if backend == "sqlite":
        with _sqlite_target() as target:
            yield target
    elif backend == "postgres":
        with _postgres_target(pg_url) as target:
            yield target
    else:
        raise InputError(f"unknown backend {backend!r}; choose sqlite, postgres or both")


@contextlib.contextmanager
def _sqlite_target() -> Iterator[Target]:
    # a store's background reader (the web area's live watcher) may still touch its -wal file
    # while the directory goes: leftovers in the temp dir are not worth a failed benchmark
    with tempfile.TemporaryDirectory(prefix="tracker-bench-", ignore_cleanup_errors=True) as tmp:
        url = f"sqlite:///{Path(tmp) / 'ours.db'}"
        store = open_store(url)
        datastore = SQLiteDatastore(str(Path(tmp) / "peer.db"), originator_id_type="text")
        datastore.pool.close()
        datastore.pool = _MatchedSQLitePool(db_name=str(Path(tmp) / "peer.db"))
        recorder = SQLiteApplicationRecorder(datastore)
        recorder.create_table()
        try:
            yield Target("sqlite", url, store, PeerSink(recorder, _peer_name(recorder)))
        finally:
            store.close()
            datastore.close()


@contextlib.contextmanager
def _postgres_target(pg_url: str) -> Iterator[Target]:
    base = sa.make_url(pg_url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as e:
        admin.dispose()
        raise StoreUnavailableError(
            f"cannot reach PostgreSQL at {base.render_as_string(hide_password=True)}: "
            f"{str(e.orig).strip().splitlines()[0]}; pass --pg-url or use --backend sqlite"
        ) from None
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    store = open_store(url_text)
    datastore = PostgresDatastore(
        dbname=base.database or "postgres",
        host=base.host or "127.0.0.1",
        port=base.port or 5432,
        user=base.username or "postgres",
        password=base.password or "",
        schema=schema,
        originator_id_type="text",
    )
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    try:
        yield Target("postgres", url_text, store, PeerSink(recorder, _peer_name(recorder)))
    finally:
        store.close()
        datastore.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _peer_name(recorder: Any) -> str:
    return f"eventsourcing {PEER_VERSION} {type(recorder).__name__}"


def backends(choice: str) -> Sequence[str]:
    """The backends named by ``--backend`` (sqlite, postgres or both); raises InputError."""
    if choice == "both":
        return BACKENDS
    if choice in BACKENDS:
        return (choice,)
    raise InputError(f"unknown backend {choice!r}; choose sqlite, postgres or both")

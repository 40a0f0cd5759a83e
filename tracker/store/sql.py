"""The SQL event store (SQLite by default, PostgreSQL on a ``postgresql+psycopg://`` URL).

Dialect details stay here: WAL and busy timeout on SQLite, ``BEGIN IMMEDIATE`` for appends, a
transaction-scoped advisory lock on PostgreSQL. SQLAlchemy and driver errors become
``StoreError`` / ``ConcurrencyError`` at this boundary, so no caller catches ``sqlalchemy.exc``.

Global positions are allocated as ``max(position) + 1`` while holding the store's single write
lock (SQLite's RESERVED lock, or ``pg_advisory_xact_lock`` on PostgreSQL), so positions are
committed in the order they are allocated: a reader following ``position > n`` can never skip a
row that commits later with a smaller position (the sequence-gap problem), and the hash chain
has exactly one predecessor per row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from tracker.errors import (
    ConcurrencyError,
    ConflictError,
    InputError,
    StoreError,
    StoreUnavailableError,
)
from tracker.store.chain import GENESIS, row_hash
from tracker.store.interface import AppendResult, NewEvent, StoredEvent
from tracker.store.mapping import canonical_json
from tracker.store.schema import EVENTS

_ADVISORY_LOCK_KEY = 0x7472616B  # "trak": serialises appends on PostgreSQL
_ID_CHUNK = 500


def utc(value: datetime) -> datetime:
    """Normalise a datetime read from any backend to tz-aware UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def safe_url(url: str | sa.URL) -> str:
    """The URL with any password masked, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return str(url)


def create_engine(url: str) -> Engine:
    """An engine for ``url`` with the tracker's per-dialect settings; raises InputError."""
    try:
        parsed = sa.make_url(url)
    except sa_exc.ArgumentError:
        raise InputError(
            f"not a database URL: {url!r} (e.g. sqlite:///tracker.db or "
            "postgresql+psycopg://user@host/db)"
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (sa_exc.NoSuchModuleError, ImportError, sa_exc.ArgumentError) as e:
        raise InputError(f"unsupported database URL {safe_url(parsed)}: {e}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextlib.contextmanager
def translate_errors(url: str | sa.URL) -> Iterator[None]:
    """Turn SQLAlchemy / driver errors into StoreError with the (masked) URL in the message."""
    try:
        yield
    except sa_exc.IntegrityError as e:
        raise ConflictError(f"conflicting write on {safe_url(url)}: {e.orig}") from e
    except sa_exc.OperationalError as e:
        text = str(e.orig) if e.orig is not None else str(e)
        if e.connection_invalidated or "connect" in text.lower() or "unable to open" in text:
            raise StoreUnavailableError(
                f"cannot open the database {safe_url(url)}: {text.strip().splitlines()[0]}; "
                "check --db / TRACKER_DB_URL"
            ) from e
        raise StoreError(f"database error on {safe_url(url)}: {text.strip()}") from e
    except sa_exc.DBAPIError as e:
        text = str(e.orig) if e.orig is not None else str(e)
        raise StoreError(f"database error on {safe_url(url)}: {text.strip()}") from e


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the store's write lock (SQLite IMMEDIATE / PG advisory lock)."""
    with translate_errors(engine.url), engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
            yield conn


@contextlib.contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction on one consistent snapshot (REPEATABLE READ on PostgreSQL; a
    deferred transaction under WAL on SQLite), so related rows are read as of one commit."""
    with translate_errors(engine.url), engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def stream_rows(
    conn: Connection, stream_id: str, *, until: datetime | None = None, after_version: int = 0
) -> list[StoredEvent]:
    """Rows of one stream after ``after_version`` in version order, on the caller's connection."""
    q = sa.select(EVENTS).where(EVENTS.c.stream_id == stream_id)
    if after_version:
        q = q.where(EVENTS.c.stream_version > after_version)
    if until is not None:
        q = q.where(EVENTS.c.recorded_at <= utc(until))
    return [_row(r) for r in conn.execute(q.order_by(EVENTS.c.stream_version))]


def stream_extent(conn: Connection, stream_id: str) -> tuple[int, datetime | None]:
    """The global position of a stream's newest row and its latest ``recorded_at`` (0, None
    for an empty stream), on the caller's connection."""
    q = sa.select(sa.func.max(EVENTS.c.position), sa.func.max(EVENTS.c.recorded_at)).where(
        EVENTS.c.stream_id == stream_id
    )
    position, recorded = conn.execute(q).one()
    return int(position or 0), utc(recorded) if recorded is not None else None


def _row(r: Any) -> StoredEvent:
    return StoredEvent(
        position=r.position,
        event_id=UUID(r.event_id),
        stream_id=r.stream_id,
        stream_version=r.stream_version,
        type=r.type,
        schema_version=r.schema_version,
        payload=r.payload,
        metadata=r.metadata,
        recorded_at=utc(r.recorded_at),
        occurred_on=r.occurred_on,
        hash=r.hash,
        prev_hash=r.prev_hash,
    )


class SqlEventStore:
    """EventStore over SQLAlchemy. ``engine`` is shared with the other SQL-backed components."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url

    # -- the EventStore protocol -------------------------------------------------------------

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None = None,
        *,
        recorded_at: datetime | None = None,
    ) -> AppendResult:
        """Append atomically; see ``EventStore.append``. Raises ConcurrencyError, StoreError."""
        if not events:
            return AppendResult((), ())
        ids = [str(e.event_id) for e in events]
        if len(set(ids)) != len(ids):
            raise StoreError(f"the same event id appears twice in one append to {stream_id!r}")
        when = utc(recorded_at) if recorded_at else datetime.now(UTC)
        try:
            with write_transaction(self.engine) as conn:
                return self._append(conn, stream_id, events, expected_version, when)
        except ConflictError as e:  # backstop: the unique (stream, version) constraint
            text = str(e)
            if "stream_version" in text or "events.stream_id" in text:
                raise ConcurrencyError(stream_id, expected_version, -1) from e
            raise

    def _append(
        self,
        conn: Connection,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None,
        when: datetime,
    ) -> AppendResult:
        existing = self._existing_ids(conn, [str(e.event_id) for e in events])
        fresh = [e for e in events if str(e.event_id) not in existing]
        duplicates = tuple(e.event_id for e in events if str(e.event_id) in existing)
        if not fresh:
            return AppendResult((), duplicates)
        version = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.stream_version), 0)).where(
                EVENTS.c.stream_id == stream_id
            )
        ).scalar_one()
        if expected_version is not None and version != expected_version:
            raise ConcurrencyError(stream_id, expected_version, version)
        last = conn.execute(
            sa.select(EVENTS.c.position, EVENTS.c.hash).order_by(EVENTS.c.position.desc()).limit(1)
        ).first()
        position, prev = (last.position, last.hash) if last else (0, GENESIS)
        written: list[StoredEvent] = []
        for e in fresh:
            position += 1
            version += 1
            payload, metadata = canonical_json(e.payload), canonical_json(e.metadata)
            digest = row_hash(
                prev_hash=prev,
                position=position,
                event_id=e.event_id,
                stream_id=stream_id,
                stream_version=version,
                type=e.type,
                schema_version=e.schema_version,
                payload=payload,
                metadata=metadata,
                recorded_at=when,
                occurred_on=e.occurred_on,
            )
            written.append(
                StoredEvent(
                    position,
                    e.event_id,
                    stream_id,
                    version,
                    e.type,
                    e.schema_version,
                    payload,
                    metadata,
                    when,
                    e.occurred_on,
                    digest,
                    prev,
                )
            )
            prev = digest
        conn.execute(sa.insert(EVENTS), [_params(r) for r in written])
        return AppendResult(tuple(written), duplicates)

    @staticmethod
    def _existing_ids(conn: Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), _ID_CHUNK):
            chunk = ids[i : i + _ID_CHUNK]
            q = sa.select(EVENTS.c.event_id).where(EVENTS.c.event_id.in_(chunk))
            found.update(conn.execute(q).scalars())
        return found

    def read_stream(
        self, stream_id: str, *, until: datetime | None = None, after_version: int = 0
    ) -> list[StoredEvent]:
        """Rows of one stream in version order: those after ``after_version`` (default: all),
        recorded by ``until`` when given."""
        with translate_errors(self.url), self.engine.connect() as conn:
            return stream_rows(conn, stream_id, until=until, after_version=after_version)

    def read_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[StoredEvent]:
        """Lazily yield the log after ``after_position``, one short query per batch."""
        position = after_position
        while True:
            q = (
                sa.select(EVENTS)
                .where(EVENTS.c.position > position)
                .order_by(EVENTS.c.position)
                .limit(batch_size)
            )
            with translate_errors(self.url), self.engine.connect() as conn:
                rows = [_row(r) for r in conn.execute(q)]
            yield from rows
            if len(rows) < batch_size:
                return
            position = rows[-1].position

    def last_position(self) -> int:
        """Global position of the newest row (0 for an empty log)."""
        q = sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.position), 0))
        with translate_errors(self.url), self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()

    # -- queries beyond the protocol ----------------------------------------------------------

    def tail(self, limit: int = 20, types: Sequence[str] = ()) -> list[StoredEvent]:
        """The newest ``limit`` rows (optionally of ``types``), newest first."""
        q = sa.select(EVENTS).order_by(EVENTS.c.position.desc()).limit(limit)
        if types:
            q = q.where(EVENTS.c.type.in_(list(types)))
        with translate_errors(self.url), self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(q)]

    def stream_version(self, stream_id: str) -> int:
        """Current length of a stream (0 when it does not exist)."""
        q = sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.stream_version), 0)).where(
            EVENTS.c.stream_id == stream_id
        )
        with translate_errors(self.url), self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def get(self, event_id: UUID) -> StoredEvent | None:
        """The row of one event id, if stored."""
        q = sa.select(EVENTS).where(EVENTS.c.event_id == str(event_id))
        with translate_errors(self.url), self.engine.connect() as conn:
            r = conn.execute(q).first()
        return _row(r) if r else None


def _params(r: StoredEvent) -> dict[str, Any]:
    occurred: date | None = r.occurred_on
    return {
        "position": r.position,
        "event_id": str(r.event_id),
        "stream_id": r.stream_id,
        "stream_version": r.stream_version,
        "type": r.type,
        "schema_version": r.schema_version,
        "payload": r.payload,
        "metadata": r.metadata,
        "recorded_at": r.recorded_at,
        "occurred_on": occurred,
        "hash": r.hash,
        "prev_hash": r.prev_hash,
    }

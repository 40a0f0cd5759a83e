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
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, SafeUUID

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from events import DomainEvent
from tracker.errors import (
    ConcurrencyError,
    ConflictError,
    InputError,
    StoreError,
    StoreUnavailableError,
)
from tracker.store.chain import GENESIS, chain_rows
from tracker.store.interface import AppendResult, NewEvent, StoredEvent
from tracker.store.mapping import RecordedEvent, recorded, row_columns
from tracker.store.schema import EVENTS

_ADVISORY_LOCK_KEY = 0x7472616B  # "trak": serialises appends on PostgreSQL
# One lock per store: advisory locks are per database, and stores may share one database in
# schemas of their own (tests, benchmarks, tenants); keyed by the schema, they do not wait on
# each other.
_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"
_LOCK_SQL_NAMED = "SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"
NOTIFY_CHANNEL = "tracker_events"
_NOTIFY_SQL = f"SELECT pg_notify('{NOTIFY_CHANNEL}', %s)"
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


def _set_wal(cur: Any) -> None:
    """Switch to WAL. The switch needs the file to itself, and SQLite answers "database is
    locked" at once (no busy wait) while another process is opening or migrating the same new
    file: retry for a few seconds; a file already in WAL answers at once."""
    for _ in range(100):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e):
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA journal_mode=WAL")


def _configure_sqlite(engine: Engine) -> None:
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        _set_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def check_connection(engine: Engine) -> None:
    """Connect once; any failure (unknown host, refused port, missing database, bad
    credentials) is one StoreUnavailableError, so every unreachable store exits alike."""
    try:
        with engine.connect():
            pass
    except sa_exc.DBAPIError as e:
        text = str(e.orig) if e.orig is not None else str(e)
        raise StoreUnavailableError(
            f"cannot open the database {safe_url(engine.url)}: "
            f"{text.strip().splitlines()[0]}; check --db / TRACKER_DB_URL"
        ) from e


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
                conn.execute(sa.text(_LOCK_SQL_NAMED), {"k": _ADVISORY_LOCK_KEY})
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
        self._sql = _DriverSql(engine.dialect)

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
        ids = [e.event_id for e in events]
        if len(set(ids)) != len(ids):
            raise StoreError(f"the same event id appears twice in one append to {stream_id!r}")
        when = utc(recorded_at) if recorded_at else datetime.now(UTC)
        try:
            with translate_errors(self.url), _driver_connection(self.engine) as raw:
                return self._append(raw, stream_id, events, ids, expected_version, when)
        except ConflictError as e:  # backstop: the unique (stream, version) constraint
            text = str(e)
            if "stream_version" in text or "events.stream_id" in text:
                raise ConcurrencyError(stream_id, expected_version, -1) from e
            raise

    def _append(
        self,
        raw: _RawCursor,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: list[UUID],
        expected_version: int | None,
        when: datetime,
    ) -> AppendResult:
        version, position, prev, existing = self._sql.lock_and_head(raw, stream_id, ids)
        fresh = [e for e in events if e.event_id not in existing] if existing else events
        duplicates = tuple(i for i in ids if i in existing)
        if not fresh:
            return AppendResult((), duplicates)
        if expected_version is not None and version != expected_version:
            raise ConcurrencyError(stream_id, expected_version, version)
        written = chain_rows(
            fresh,
            stream_id,
            version=version,
            position=position,
            prev_hash=prev,
            recorded_at=when,
        )
        self._sql.insert_and_commit(raw, written)
        return AppendResult(tuple(written), duplicates)

    def read_stream(
        self, stream_id: str, *, until: datetime | None = None, after_version: int = 0
    ) -> list[StoredEvent]:
        """Rows of one stream in version order: those after ``after_version`` (default: all),
        recorded by ``until`` when given."""
        with translate_errors(self.url), _driver_connection(self.engine) as raw:
            return self._sql.read_stream(
                raw, stream_id, None if until is None else utc(until), after_version
            )

    def read_all(self, after_position: int = 0, batch_size: int = 1000) -> Iterator[StoredEvent]:
        """Lazily yield the log after ``after_position``, one short query per batch."""
        for rows in self._batches(self._sql.read_sql, after_position, batch_size):
            yield from self._sql.stored(rows)

    def read_recorded(
        self, after_position: int = 0, batch_size: int = 1000
    ) -> Iterator[RecordedEvent[DomainEvent]]:
        """``read_all`` decoded, for replays: the hashes are not read, and each row goes
        straight to its RecordedEvent (no StoredEvent in between), one at a time as the
        caller takes them (a replay drops each event after folding it: decoding a whole
        batch ahead would only keep thousands of objects alive)."""
        sql = self._sql
        for rows in self._batches(sql.replay_sql, after_position, batch_size):
            uid, when = sql.uid, sql.times()
            for r in rows:
                yield recorded(r[0], uid(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], when(r[8]))

    def _batches(self, sql: str, after: int, size: int) -> Iterator[list[Any]]:
        """The driver's rows of ``sql`` (position first) after ``after``, ``size`` per query,
        each query on a pooled connection held only while fetching."""
        while True:
            with translate_errors(self.url), _driver_connection(self.engine) as raw:
                rows: list[Any] = raw.execute(sql, (after, size)).fetchall()
            yield rows
            if len(rows) < size:
                return
            after = rows[-1][0]

    def last_position(self) -> int:
        """Global position of the newest row (0 for an empty log)."""
        q = sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.position), 0))
        with translate_errors(self.url), self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def close(self) -> None:
        """Dispose of the connection pool."""
        self.engine.dispose()

    # -- queries beyond the protocol ----------------------------------------------------------

    @contextlib.contextmanager
    def importing(self) -> Iterator[_SqlImport]:
        """A ``LogImport`` transaction holding the write lock. Raises StoreError."""
        with write_transaction(self.engine) as conn:
            yield _SqlImport(conn)

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


class _SqlImport:
    """``LogImport`` on one connection inside ``write_transaction``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def head(self) -> tuple[int, str]:
        """Position and hash of the newest row (0, "" for an empty log)."""
        last = self._conn.execute(
            sa.select(EVENTS.c.position, EVENTS.c.hash).order_by(EVENTS.c.position.desc()).limit(1)
        ).first()
        return (int(last.position), str(last.hash)) if last else (0, "")

    def hash_at(self, position: int) -> str | None:
        """The stored hash at ``position``, if that row exists."""
        q = sa.select(EVENTS.c.hash).where(EVENTS.c.position == position)
        found = self._conn.execute(q).scalar_one_or_none()
        return None if found is None else str(found)

    def insert(self, rows: Sequence[StoredEvent]) -> None:
        """Insert rows verbatim, as one executemany."""
        if rows:
            self._conn.execute(sa.insert(EVENTS), [row_columns(r) for r in rows])


# -- the append hot path ------------------------------------------------------------------------
# Appends talk to the DB-API driver directly. Hand-written because SQLAlchemy's per-statement
# overhead (cache-key lookup, result set-up, events) and one network round trip per statement
# were most of the time of a one-event append. The lock is the same one ``write_transaction``
# takes, and driver errors are re-raised as SQLAlchemy's so ``translate_errors`` maps them.


class _RawCursor:
    """A driver cursor whose errors come out as ``sqlalchemy.exc.DBAPIError`` subclasses."""

    def __init__(self, dbapi_conn: Any, dialect: sa.Dialect) -> None:
        self.conn = dbapi_conn
        self.dialect = dialect
        self.cursor = dbapi_conn.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; returns the cursor."""
        with self.wrapped(sql, params):
            self.cursor.execute(sql, params)
        return self.cursor

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run one statement over many parameter rows."""
        with self.wrapped(sql, rows[:1]):
            self.cursor.executemany(sql, rows)

    @contextlib.contextmanager
    def wrapped(self, sql: str, params: Any) -> Iterator[None]:
        """Re-raise driver errors raised inside as SQLAlchemy's."""
        error = self.dialect.loaded_dbapi.Error
        try:
            yield
        except error as e:
            raise sa_exc.DBAPIError.instance(sql, params, e, error, dialect=self.dialect) from e


@contextlib.contextmanager
def _driver_connection(engine: Engine) -> Iterator[_RawCursor]:
    """A pooled driver connection (one append or one read); rolled back unless committed."""
    pooled = engine.raw_connection()
    try:
        raw = _RawCursor(pooled.driver_connection, engine.dialect)
        try:
            yield raw
        except BaseException:
            with contextlib.suppress(Exception):
                pooled.driver_connection.rollback()  # type: ignore[union-attr]
            raise
    finally:
        pooled.close()  # back to the pool


class _DriverSql:
    """The statements of the hot paths (append, ``read_all``) in the driver's own parameter
    style, with SQLAlchemy's own type processors for the date columns (so rows read either way
    are identical). Event ids go to the driver as ``uuid.UUID`` on PostgreSQL (its ``uuid``
    column) and as 16 bytes on SQLite; hashes as their 32 bytes (see ``schema.HexDigest``)."""

    def __init__(self, dialect: sa.Dialect) -> None:
        self.p = "?" if dialect.paramstyle == "qmark" else "%s"
        self.postgres = dialect.name == "postgresql"
        columns = [c.name for c in EVENTS.columns]
        self.insert_sql = (
            f"INSERT INTO events ({', '.join(columns)}) "
            f"VALUES ({', '.join([self.p] * len(columns))})"
        )
        # The stream's length and the log's last row, in one statement.
        self.head_sql = (
            "SELECT (SELECT coalesce(max(stream_version), 0) FROM events"
            f" WHERE stream_id = {self.p}),"
            " (SELECT position FROM events ORDER BY position DESC LIMIT 1),"
            " (SELECT hash FROM events ORDER BY position DESC LIMIT 1)"
        )
        select = f"SELECT {', '.join(columns)} FROM events"
        after = f"WHERE position > {self.p} ORDER BY position LIMIT {self.p}"
        self.read_sql = f"{select} {after}"
        self.replay_sql = f"SELECT {', '.join(columns[:9])} FROM events {after}"  # no hashes
        self.select_sql = select
        dated = [
            EVENTS.c[name].type.dialect_impl(dialect) for name in ("recorded_at", "occurred_on")
        ]
        self.bind = [t.bind_processor(dialect) for t in dated]
        self.result = [t.result_processor(dialect, None) for t in dated]

    def _id_params(self, ids: Sequence[UUID]) -> list[Any]:
        return list(ids) if self.postgres else [i.bytes for i in ids]

    def _ids_in(self, ids: list[UUID]) -> tuple[str, list[Any]]:
        if self.postgres:
            return "event_id = ANY(%s)", [list(ids)]
        return f"event_id IN ({', '.join([self.p] * len(ids))})", self._id_params(ids)

    def lock_and_head(
        self, raw: _RawCursor, stream_id: str, ids: list[UUID]
    ) -> tuple[int, int, str, set[UUID]]:
        """Take the write lock, then read (stream length, last position, last hash, which of
        ``ids`` are already stored). On PostgreSQL the BEGIN, the lock and the read travel in
        one pipeline (one round trip); the read runs after the lock is granted, so it sees
        every earlier append."""
        sql, params = self.head_sql, [stream_id]
        folded = len(ids) <= _ID_CHUNK
        if folded:  # stored ids as one comma-joined string of their text or hex forms
            where, more = self._ids_in(ids)
            agg = (
                "string_agg(event_id::text, ',')"
                if self.postgres
                else "group_concat(hex(event_id), ',')"
            )
            sql += f", (SELECT {agg} FROM events WHERE {where})"
            params += more
        if self.postgres:
            with raw.wrapped(sql, params), raw.conn.pipeline():
                raw.cursor.execute(_LOCK_SQL, (_ADVISORY_LOCK_KEY,))
                raw.cursor.execute(sql, params)
                row = raw.cursor.fetchone()
        else:
            raw.execute("BEGIN IMMEDIATE")
            row = raw.execute(sql, params).fetchone()
        existing: set[UUID] = {UUID(t) for t in row[3].split(",")} if folded and row[3] else set()
        for i in range(0, 0 if folded else len(ids), _ID_CHUNK):
            where, more = self._ids_in(ids[i : i + _ID_CHUNK])
            found = raw.execute(f"SELECT event_id FROM events WHERE {where}", more).fetchall()
            existing.update(r[0] if self.postgres else _uuid(r[0]) for r in found)
        if row[1] is None:
            return int(row[0]), 0, GENESIS, existing
        return int(row[0]), int(row[1]), bytes(row[2]).hex(), existing

    def read_stream(
        self, raw: _RawCursor, stream_id: str, until: datetime | None, after_version: int
    ) -> list[StoredEvent]:
        """One stream's rows after ``after_version`` in version order, recorded by ``until``
        when given."""
        where = [f"stream_id = {self.p}"]
        params: list[Any] = [stream_id]
        if after_version:
            where.append(f"stream_version > {self.p}")
            params.append(after_version)
        if until is not None:
            bind = self.bind[0]
            where.append(f"recorded_at <= {self.p}")
            params.append(bind(until) if bind else until)
        sql = f"{self.select_sql} WHERE {' AND '.join(where)} ORDER BY stream_version"
        return self.stored(raw.execute(sql, params).fetchall())

    def stored(self, rows: Sequence[Any]) -> list[StoredEvent]:
        """StoredEvents of driver rows of every column, in their order."""
        on = self.result[1]
        uid, when = self.uid, self.times()
        return [
            StoredEvent(
                r[0], uid(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], when(r[8]),
                on(r[9]) if on else r[9], r[10].hex(), r[11].hex(),
            )
            for r in rows
        ]  # fmt: skip

    @property
    def uid(self) -> Callable[[Any], UUID]:
        """The UUID of a stored event id, as the driver returns it."""
        return _same if self.postgres else _uuid

    def times(self) -> Callable[[Any], datetime]:
        """A parser of stored ``recorded_at`` values that parses each distinct value once in
        a row: one append's rows share theirs."""
        at = self.result[0]
        last: list[Any] = [None, None]

        def parse(raw: Any) -> datetime:
            if raw != last[0]:
                last[0], last[1] = raw, utc(at(raw) if at else raw)
            parsed: datetime = last[1]
            return parsed

        return parse

    def insert_and_commit(self, raw: _RawCursor, rows: list[StoredEvent]) -> None:
        """Insert the rows (one statement, one parameter set per row) and commit; on PostgreSQL
        the insert and the COMMIT travel in one pipeline."""
        if not rows:
            return
        at, on = self.bind
        when = at(rows[0].recorded_at) if at else rows[0].recorded_at  # one per append
        ids = self._id_params([r.event_id for r in rows])
        digests = [bytes.fromhex(r.hash) for r in rows]
        prev = [bytes.fromhex(rows[0].prev_hash), *digests[:-1]]  # the chain links them
        params = [
            (
                r.position, i, r.stream_id, r.stream_version, r.type, r.schema_version,
                r.payload, r.metadata, when,
                on(r.occurred_on) if on and r.occurred_on is not None else r.occurred_on,
                d, p,
            )
            for r, i, d, p in zip(rows, ids, digests, prev, strict=True)
        ]  # fmt: skip
        if self.postgres:
            with raw.wrapped(self.insert_sql, params[:1]), raw.conn.pipeline():
                raw.cursor.executemany(self.insert_sql, params)
                # Delivered at commit, to listeners of any schema of this database.
                raw.cursor.execute(_NOTIFY_SQL, (str(rows[-1].position),))
                raw.conn.commit()
            return
        if len(params) == 1:
            raw.execute(self.insert_sql, params[0])
        else:
            raw.executemany(self.insert_sql, params)
        with raw.wrapped("COMMIT", ()):
            raw.conn.commit()


def _same(value: Any) -> Any:
    return value


_new_object = object.__new__
_set_attribute = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def _uuid(raw: bytes) -> UUID:
    """The UUID of 16 stored bytes, built as ``UUID.__init__`` ends (it sets ``int`` and
    ``is_safe``) without its argument checks: a third of the cost, for every row read."""
    value: UUID = _new_object(UUID)
    _set_attribute(value, "int", int.from_bytes(raw))
    _set_attribute(value, "is_safe", _UNKNOWN)
    return value


def wait_for_events(
    store: SqlEventStore, after: int, timeout: float, *, poll_interval: float = 0.25
) -> int:
    """Block until the log holds a position past ``after`` or ``timeout`` seconds pass, and
    return the last position. On PostgreSQL it sleeps on ``LISTEN tracker_events`` (every
    append notifies its last position at commit); on SQLite it polls every ``poll_interval``.
    Raises StoreError."""
    deadline = time.monotonic() + max(timeout, 0.0)
    if store.engine.dialect.name != "postgresql":
        while (last := store.last_position()) <= after and time.monotonic() < deadline:
            time.sleep(min(poll_interval, max(deadline - time.monotonic(), 0.0)))
        return last
    with translate_errors(store.url):
        pooled = store.engine.raw_connection()
        listener: Any = pooled.driver_connection
        pooled.detach()  # a listening connection never goes back to the pool
        try:
            with _RawCursor(listener, store.engine.dialect).wrapped("LISTEN", ()):
                return _listen(store, listener, after, deadline)
        finally:
            pooled.close()


def _listen(store: SqlEventStore, listener: Any, after: int, deadline: float) -> int:
    listener.autocommit = True
    listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
    # Checked after LISTEN: an append committed before it is seen here, one after it
    # wakes us. Other schemas of the database notify too, so re-check on each wake-up.
    while (last := store.last_position()) <= after:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        for _ in listener.notifies(timeout=remaining, stop_after=1):
            pass
    return last

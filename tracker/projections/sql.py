"""``ViewRecorder`` on the SQL store: ``view_rows`` and ``checkpoints`` in the store's database,
written in the store's write transaction (``write_transaction``), read in one snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.projections.recorder import (
    PastRecord,
    ViewReader,
    ViewRecord,
    ViewWriter,
    view_recorder,
)
from tracker.projections.tables import VIEW_HISTORY, VIEW_ROWS
from tracker.store import SqlEventStore, StoredEvent
from tracker.store.checkpoints import load_position, reset_checkpoint, save_checkpoint
from tracker.store.schema import EVENTS
from tracker.store.sql import (
    read_transaction,
    stream_extent,
    stream_rows,
    utc,
    write_transaction,
)

_CHUNK = 500  # values per IN (...) list


def _insert_many(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """``INSERT`` of many rows through the driver's ``executemany`` (one prepared statement):
    a rebuild writes a row per event, and SQLAlchemy's per-row parameter processing cost
    several times the database's own work."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, rows)


class _SqlViews:
    """``ViewWriter`` (and ``ViewReader``) on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def max_tracking_id(self, name: str) -> int:
        """Last position consumer ``name`` has committed (0 when it never ran)."""
        return load_position(self._conn, name)

    def select(
        self,
        view: str,
        *,
        key: str | None = None,
        keys: Sequence[str] | None = None,
        pair: str | None = None,
        sort_key: str | None = None,
        sort_keys: Sequence[str] | None = None,
        sort_from: str | None = None,
        sort_before: str | None = None,
    ) -> list[ViewRecord]:
        """Rows of ``view`` matching every filter given, by (sort key, key)."""
        c = VIEW_ROWS.c
        q = sa.select(VIEW_ROWS).where(c.view == view)
        for column, value in ((c.key, key), (c.pair, pair), (c.sort_key, sort_key)):
            if value is not None:
                q = q.where(column == value)
        if sort_from is not None:
            q = q.where(c.sort_key >= sort_from)
        if sort_before is not None:
            q = q.where(c.sort_key < sort_before)
        q = q.order_by(c.sort_key, c.key)
        rows: list[Any] = []
        if keys is None and sort_keys is None:
            rows.extend(self._conn.execute(q).all())  # one fetchall, not a fetch per row
        for column, values in ((c.key, keys), (c.sort_key, sort_keys)):
            if values is not None:
                listed = sorted(set(values))
                for i in range(0, len(listed), _CHUNK):
                    rows.extend(
                        self._conn.execute(q.where(column.in_(listed[i : i + _CHUNK]))).all()
                    )
        return [ViewRecord(r.view, r.key, r.pair, r.sort_key, r.body, r.since) for r in rows]

    def select_as_of(
        self,
        view: str,
        *,
        pair: str,
        position: int,
        sort_from: str | None = None,
        sort_before: str | None = None,
    ) -> list[ViewRecord]:
        """The rows of a pair's ``view`` as they stood at ``position``: current rows with
        ``since <= position`` and past rows with ``since <= position < until``."""
        parts = []
        for table in (VIEW_ROWS, VIEW_HISTORY):
            c = table.c
            q = sa.select(c.view, c.key, c.pair, c.sort_key, c.body, c.since).where(
                c.view == view, c.pair == pair, c.since <= position
            )
            if table is VIEW_HISTORY:
                q = q.where(c.until > position)
            if sort_from is not None:
                q = q.where(c.sort_key >= sort_from)
            if sort_before is not None:
                q = q.where(c.sort_key < sort_before)
            parts.append(q)
        query = sa.union_all(*parts).order_by("sort_key", "key")
        return [ViewRecord(*r) for r in self._conn.execute(query).all()]

    def stream_point(self, stream_id: str, version: int) -> tuple[int, datetime] | None:
        """Global position and ``recorded_at`` of one stream version (the unique index)."""
        c = EVENTS.c
        row = self._conn.execute(
            sa.select(c.position, c.recorded_at).where(
                c.stream_id == stream_id, c.stream_version == version
            )
        ).first()
        return None if row is None else (row.position, utc(row.recorded_at))

    def sort_keys(self, view: str, *, pair: str) -> list[str]:
        """The sort keys of a pair's rows of ``view``, in order (from the index alone)."""
        c = VIEW_ROWS.c
        q = sa.select(c.sort_key).where(c.view == view, c.pair == pair).order_by(c.sort_key)
        return [k for k in self._conn.execute(q).scalars() if k is not None]

    def stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """Rows of one stream after ``after_version``, in version order."""
        return stream_rows(self._conn, stream_id, after_version=after_version)

    def stream_extent(self, stream_id: str) -> tuple[int, datetime | None]:
        """Global position of a stream's newest row and its latest ``recorded_at``."""
        return stream_extent(self._conn, stream_id)

    def insert(self, records: Iterable[ViewRecord]) -> None:
        """Add rows: one prepared statement, executed for all of them."""
        _insert_many(
            self._conn,
            VIEW_ROWS.name,
            ("view", "key", "pair", "sort_key", "body", "since"),
            [(r.view, r.key, r.pair, r.sort_key, r.body, r.since) for r in records],
        )

    def delete(self, view: str, keys: Sequence[str]) -> None:
        """Remove the rows of ``view`` with these keys."""
        for i in range(0, len(keys), _CHUNK):
            chunk = list(keys[i : i + _CHUNK])
            self._conn.execute(
                sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view == view, VIEW_ROWS.c.key.in_(chunk))
            )

    def retire(self, view: str, ends: Sequence[tuple[str, int]]) -> None:
        """Copy the current rows to ``view_history`` with their ``until`` (one prepared
        INSERT ... SELECT per row, in the database), then delete them."""
        if not ends:
            return
        c = VIEW_ROWS.c
        copy = sa.insert(VIEW_HISTORY).from_select(
            ["view", "key", "since", "until", "pair", "sort_key", "body"],
            sa.select(
                c.view, c.key, c.since, sa.bindparam("until", type_=sa.BigInteger), c.pair,
                c.sort_key, c.body,
            ).where(c.view == view, c.key == sa.bindparam("k")),
        )  # fmt: skip
        self._conn.execute(copy, [{"k": key, "until": until} for key, until in ends])
        self.delete(view, [key for key, _ in ends])

    def archive(self, records: Iterable[PastRecord]) -> None:
        """Add past rows: one prepared statement, executed for all of them."""
        _insert_many(
            self._conn,
            VIEW_HISTORY.name,
            ("view", "key", "since", "until", "pair", "sort_key", "body"),
            [
                (r.view, r.key, r.since, p.until, r.pair, r.sort_key, r.body)
                for p in records
                for r in (p.record,)
            ],
        )

    def drop(self, views: Sequence[str]) -> None:
        """Remove every row of these views, past rows included."""
        for table in (VIEW_ROWS, VIEW_HISTORY):
            self._conn.execute(sa.delete(table).where(table.c.view.in_(list(views))))

    def set_sort_key(self, view: str, key: str, sort_key: str | None) -> None:
        """Change one row's sort key."""
        self._conn.execute(
            sa.update(VIEW_ROWS)
            .where(VIEW_ROWS.c.view == view, VIEW_ROWS.c.key == key)
            .values(sort_key=sort_key)
        )

    def track(self, name: str, position: int) -> None:
        """Save consumer ``name``'s position in this transaction."""
        save_checkpoint(self._conn, name, position)

    def untrack(self, name: str) -> None:
        """Forget consumer ``name``'s position in this transaction."""
        reset_checkpoint(self._conn, name)


class SqlViewRecorder:
    """``ViewRecorder`` over the SQL store's engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.identity = engine.url.render_as_string(hide_password=False)

    @contextmanager
    def reading(self) -> Iterator[ViewReader]:
        """A read-only snapshot (REPEATABLE READ on PostgreSQL). Raises StoreError."""
        with read_transaction(self._engine) as conn:
            yield _SqlViews(conn)

    @contextmanager
    def recording(self) -> Iterator[ViewWriter]:
        """A transaction holding the log's write lock. Raises StoreError."""
        with write_transaction(self._engine) as conn:
            yield _SqlViews(conn)


@view_recorder.register
def _(store: SqlEventStore) -> SqlViewRecorder:
    return SqlViewRecorder(store.engine)

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
    by_sort_key,
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
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.exec_driver_sql(_driver_sql(conn, sql), rows)


def _driver_sql(conn: Connection, sql: str) -> str:
    """``sql`` written with ``?`` placeholders in the driver's style (``%s`` for psycopg)."""
    return sql if conn.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


_COLUMNS = '"view", "key", pair, sort_key, body, since'


def _where(
    view: str,
    *,
    pair: str | None,
    sort_from: str | None,
    sort_before: str | None,
    equal: dict[str, str | None] | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (``?`` placeholders) and parameters of a view-row filter. Rows are read
    through the driver: SQLAlchemy's per-row processing cost as much as SQLite's own work for a
    year of a busy relationship's entries."""
    clauses, params = ['"view" = ?'], [view]
    for column, value in (*(equal or {}).items(), ("pair", pair)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if sort_from is not None:
        clauses.append("sort_key >= ?")
        params.append(sort_from)
    if sort_before is not None:
        clauses.append("sort_key < ?")
        params.append(sort_before)
    return " AND ".join(clauses), params


class _SqlViews:
    """``ViewWriter`` (and ``ViewReader``) on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def max_tracking_id(self, name: str) -> int:
        """Last position consumer ``name`` has committed (0 when it never ran)."""
        return load_position(self._conn, name)

    def _rows(self, sql: str, params: list[Any]) -> list[ViewRecord]:
        found = self._conn.exec_driver_sql(_driver_sql(self._conn, sql), tuple(params)).fetchall()
        return [ViewRecord(*r) for r in found]

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
        where, params = _where(
            view,
            pair=pair,
            sort_from=sort_from,
            sort_before=sort_before,
            equal={'"key"': key, "sort_key": sort_key},
        )
        sql = f"SELECT {_COLUMNS} FROM view_rows WHERE {where}"
        order = ' ORDER BY sort_key, "key"'
        if keys is None and sort_keys is None:
            return self._rows(sql + order, params)
        rows: list[ViewRecord] = []
        for column, values in (('"key"', keys), ("sort_key", sort_keys)):
            if values is not None:
                listed = sorted(set(values))
                for i in range(0, len(listed), _CHUNK):
                    chunk = listed[i : i + _CHUNK]
                    marks = ", ".join("?" * len(chunk))
                    rows += self._rows(f"{sql} AND {column} IN ({marks})", [*params, *chunk])
        return by_sort_key(rows)

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
        where, params = _where(view, pair=pair, sort_from=sort_from, sort_before=sort_before)
        sql = (
            f"SELECT {_COLUMNS} FROM view_rows WHERE {where} AND since <= ? UNION ALL "
            f"SELECT {_COLUMNS} FROM view_history WHERE {where} AND since <= ? AND until > ? "
            'ORDER BY sort_key, "key"'
        )
        return self._rows(sql, [*params, position, *params, position, position])

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

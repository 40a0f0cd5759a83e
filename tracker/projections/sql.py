"""``ViewRecorder`` on the SQL store: ``view_rows`` and ``checkpoints`` in the store's database,
written in the store's write transaction (``write_transaction``), read in one snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.projections.recorder import ViewReader, ViewRecord, ViewWriter, view_recorder
from tracker.projections.tables import VIEW_ROWS
from tracker.store import SqlEventStore, StoredEvent
from tracker.store.checkpoints import load_position, reset_checkpoint, save_checkpoint
from tracker.store.sql import read_transaction, stream_extent, stream_rows, write_transaction

_CHUNK = 500  # values per IN (...) list


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
            rows.extend(self._conn.execute(q))
        for column, values in ((c.key, keys), (c.sort_key, sort_keys)):
            if values is not None:
                listed = sorted(set(values))
                for i in range(0, len(listed), _CHUNK):
                    rows.extend(self._conn.execute(q.where(column.in_(listed[i : i + _CHUNK]))))
        return [ViewRecord(r.view, r.key, r.pair, r.sort_key, r.body) for r in rows]

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
        """Add rows, in chunks of one multi-row statement each."""
        batch = [
            {"view": r.view, "key": r.key, "pair": r.pair, "sort_key": r.sort_key, "body": r.body}
            for r in records
        ]
        for i in range(0, len(batch), _CHUNK):
            self._conn.execute(sa.insert(VIEW_ROWS), batch[i : i + _CHUNK])

    def delete(self, view: str, keys: Sequence[str]) -> None:
        """Remove the rows of ``view`` with these keys."""
        for i in range(0, len(keys), _CHUNK):
            chunk = list(keys[i : i + _CHUNK])
            self._conn.execute(
                sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view == view, VIEW_ROWS.c.key.in_(chunk))
            )

    def drop(self, views: Sequence[str]) -> None:
        """Remove every row of these views."""
        self._conn.execute(sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view.in_(list(views))))

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

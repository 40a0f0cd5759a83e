"""Storage: bytes per event of the log on disk (table and its indexes), ours and the peer's,
and the speed of reading the whole log back (decode included)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.store import to_recorded

# The size of a table with its indexes: SQLite's dbstat pages, PostgreSQL's total relation size.
_SQLITE_SIZE = (
    "SELECT coalesce(sum(d.pgsize), 0) FROM dbstat d JOIN sqlite_master m ON d.name = m.name "
    "WHERE m.tbl_name = '{table}'"
)
_PG_SIZE = "SELECT pg_total_relation_size('{table}')"


def _size_sql(backend: str, table: str) -> str:
    return (_SQLITE_SIZE if backend == "sqlite" else _PG_SIZE).format(table=table)


def _peer_bytes(target: Target) -> int:
    recorder: Any = target.peer.recorder
    with recorder.datastore.transaction(commit=False) as cursor:
        table = recorder.events_table_name
        schema = getattr(recorder.datastore, "schema", "")
        if target.backend == "postgres" and schema and "." not in table:
            table = f"{schema}.{table}"
        cursor.execute(_size_sql(target.backend, table))
        row = cursor.fetchone()
    return int(row[0] if not isinstance(row, dict) else next(iter(row.values())))


def measure(target: Target, n: int) -> list[Row]:
    """Bytes per event of the log (ours: ``events``; the peer: its events table), and events/s
    of ``read_all`` plus decoding each row into its event, and of ``read_recorded`` (the
    replay read: decoded rows, no hashes)."""
    with target.store.engine.connect() as conn:
        ours = int(conn.execute(sa.text(_size_sql(target.backend, "events"))).scalar_one())
        events = int(conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
    peer_events = sum(target.peer.versions.values())
    rows = [
        Row(
            target.backend, n, "log bytes/event (table + indexes; lower is better)",
            ours / max(events, 1), "bytes", target.peer.name,
            _peer_bytes(target) / max(peer_events, 1),
        ),
    ]  # fmt: skip
    rows += [
        Row(target.backend, n, metric, _rate(read, target), "events/s")
        for metric, read in (
            ("read_all + decode", _read_decoded),
            ("read_recorded (replay read)", _read_recorded),
        )
    ]
    return rows


def _read_decoded(target: Target) -> int:
    return sum(1 for row in target.store.read_all(0, 10_000) if to_recorded(row) is not None)


def _read_recorded(target: Target) -> int:
    return sum(1 for _ in target.store.read_recorded(0, 10_000))


def _rate(read: Callable[[Target], int], target: Target) -> float:
    """Events/s of one whole-log read, cyclic GC paused (as in a replay)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        count = read(target)
        seconds = time.perf_counter() - start
    finally:
        gc.enable()
    return count / seconds

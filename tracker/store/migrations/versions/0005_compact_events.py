"""Compact event rows: hashes as 32 bytes, event ids as 16 bytes (``uuid`` on PostgreSQL), and
no index on ``type``.

Hex text took twice the bytes of the digest it spells, in every row and (for the event id) in
the unique index every append writes; ``ix_events_type`` was written by every append and read
only by ``tail(types=...)``, which scans back from the newest row instead. Python still sees
hex and canonical uuid text (``tracker.store.schema``), so hashes, the chain and export-log
files are unchanged. SQLite rebuilds the table (keeping positions, triggers and the rowid
position of 0004); PostgreSQL converts the columns in place.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLE = """CREATE TABLE events (
    position {position} NOT NULL PRIMARY KEY,
    event_id {event_id} NOT NULL UNIQUE,
    stream_id VARCHAR(200) NOT NULL,
    stream_version INTEGER NOT NULL,
    type VARCHAR(100) NOT NULL,
    schema_version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    occurred_on DATE,
    hash {digest} NOT NULL,
    prev_hash {digest} NOT NULL,
    CONSTRAINT uq_events_stream_version UNIQUE (stream_id, stream_version)
)"""
_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
]
_PLAIN = (
    "position, stream_id, stream_version, type, schema_version, payload, metadata, "
    "recorded_at, occurred_on"
)


def _id_to_blob(text: str) -> bytes:
    return UUID(text).bytes


def _id_to_text(blob: bytes) -> str:
    return str(UUID(bytes=bytes(blob)))


def _hex_to_blob(text: str) -> bytes:
    return bytes.fromhex(text)


def _blob_to_hex(blob: bytes) -> str:
    return bytes(blob).hex()


def _rebuild_sqlite(*, event_id: str, digest: str, id_fn: Any, hash_fn: Any) -> None:
    """Copy ``events`` into a table with the given id and digest column types, converting
    those columns with ``id_fn`` / ``hash_fn`` (plain Python: SQLite before 3.41 has no
    ``unhex``)."""
    raw = op.get_bind().connection.driver_connection
    raw.create_function("tracker_id", 1, id_fn, deterministic=True)
    raw.create_function("tracker_hash", 1, hash_fn, deterministic=True)
    op.execute("DROP TRIGGER IF EXISTS events_no_update")
    op.execute("DROP TRIGGER IF EXISTS events_no_delete")
    op.execute("DROP INDEX IF EXISTS ix_events_type")
    op.execute("ALTER TABLE events RENAME TO events_old")
    op.execute(_TABLE.format(position="INTEGER", event_id=event_id, digest=digest))
    op.execute(
        f"INSERT INTO events ({_PLAIN}, event_id, hash, prev_hash) "
        f"SELECT {_PLAIN}, tracker_id(event_id), tracker_hash(hash), tracker_hash(prev_hash) "
        "FROM events_old ORDER BY position"
    )
    op.execute("DROP TABLE events_old")
    for ddl in _TRIGGERS:
        op.execute(ddl)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(event_id="BLOB", digest="BLOB", id_fn=_id_to_blob, hash_fn=_hex_to_blob)
        return
    op.execute("DROP INDEX IF EXISTS ix_events_type")
    op.execute(
        "ALTER TABLE events ALTER COLUMN event_id TYPE uuid USING event_id::uuid, "
        "ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex'), "
        "ALTER COLUMN prev_hash TYPE bytea USING decode(prev_hash, 'hex')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(
            event_id="VARCHAR(36)", digest="VARCHAR(64)", id_fn=_id_to_text, hash_fn=_blob_to_hex
        )
    else:
        op.execute(
            "ALTER TABLE events ALTER COLUMN event_id TYPE varchar(36) USING event_id::text, "
            "ALTER COLUMN hash TYPE varchar(64) USING encode(hash, 'hex'), "
            "ALTER COLUMN prev_hash TYPE varchar(64) USING encode(prev_hash, 'hex')"
        )
    op.execute("CREATE INDEX ix_events_type ON events (type)")

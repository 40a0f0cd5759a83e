"""SQLite: the global position becomes the table's rowid (``INTEGER PRIMARY KEY``).

With ``BIGINT PRIMARY KEY`` SQLite keeps the rows in a hidden rowid b-tree plus a separate
unique index on ``position``: every append wrote both, and a read in position order looked
each row up twice. As the rowid alias, ``position`` is the b-tree key itself: one write per
row, reads by position are range scans, and ``max(position)`` is one page. The table is rebuilt
with its rows, positions and hashes unchanged (the hash chain still verifies), its indexes and
its append-only triggers. PostgreSQL is unchanged (its ``BIGINT`` primary key is already the
position's only index).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = (
    "position, event_id, stream_id, stream_version, type, schema_version, payload, metadata, "
    "recorded_at, occurred_on, hash, prev_hash"
)
_TABLE = """CREATE TABLE events (
    position {position} NOT NULL PRIMARY KEY,
    event_id VARCHAR(36) NOT NULL UNIQUE,
    stream_id VARCHAR(200) NOT NULL,
    stream_version INTEGER NOT NULL,
    type VARCHAR(100) NOT NULL,
    schema_version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at DATETIME NOT NULL,
    occurred_on DATE,
    hash VARCHAR(64) NOT NULL,
    prev_hash VARCHAR(64) NOT NULL,
    CONSTRAINT uq_events_stream_version UNIQUE (stream_id, stream_version)
)"""
_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
]


def _rebuild(position_type: str) -> None:
    """Copy ``events`` into a new table whose position column has ``position_type``."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS events_no_update")
    op.execute("DROP TRIGGER IF EXISTS events_no_delete")
    op.execute("ALTER TABLE events RENAME TO events_old")
    op.execute("DROP INDEX IF EXISTS ix_events_type")
    op.execute(_TABLE.format(position=position_type))
    op.execute(
        f"INSERT INTO events ({_COLUMNS}) SELECT {_COLUMNS} FROM events_old ORDER BY position"
    )
    op.execute("DROP TABLE events_old")
    op.execute("CREATE INDEX ix_events_type ON events (type)")
    for ddl in _TRIGGERS:
        op.execute(ddl)


def upgrade() -> None:
    _rebuild("INTEGER")


def downgrade() -> None:
    _rebuild("BIGINT")

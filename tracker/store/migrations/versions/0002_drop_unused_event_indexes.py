"""Drop the events indexes no query uses (occurred_on, recorded_at): each cost every append.

Valid-time ranges are answered from the projections' rows; as-of reads filter one stream,
found by its (stream_id, stream_version) index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_events_occurred_on", table_name="events")
    op.drop_index("ix_events_recorded_at", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_recorded_at", "events", ["recorded_at"])
    op.create_index("ix_events_occurred_on", "events", ["occurred_on"])

"""Transaction time in the views: ``view_rows.since`` and ``view_history``.

Each view row now says from which log position it holds (``since``); when the runner replaces
or removes a row of a versioned view (the relationship entries) the old row moves to
``view_history`` with the position that ended it (``until``). "As recorded by position P" is
then a range query over both tables (``since <= P < until``), not a fold of the stream. The
projection's version is bumped with this revision, so existing rows are replayed with their
``since``.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "view_rows", sa.Column("since", sa.BigInteger, nullable=False, server_default="0")
    )
    op.create_table(
        "view_history",
        sa.Column("view", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("since", sa.BigInteger, primary_key=True),
        sa.Column("until", sa.BigInteger, nullable=False),
        sa.Column("pair", sa.String(20)),
        sa.Column("sort_key", sa.String(100)),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_view_history_pair", "view_history", ["view", "pair", "until"])


def downgrade() -> None:
    op.drop_index("ix_view_history_pair", table_name="view_history")
    op.drop_table("view_history")
    with op.batch_alter_table("view_rows") as batch:
        batch.drop_column("since")

"""Consumer checkpoints: how far a named consumer has read the log.

A consumer saves its checkpoint in the same transaction as its output, so after a crash it
resumes exactly after the last position whose output was committed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tracker.store.schema import CHECKPOINTS
from tracker.store.sql import translate_errors


def load_position(conn: Connection, name: str) -> int:
    """Last position consumer ``name`` has committed (0 when it never ran), on ``conn``."""
    q = sa.select(CHECKPOINTS.c.position).where(CHECKPOINTS.c.name == name)
    return int(conn.execute(q).scalar_one_or_none() or 0)


def load_checkpoint(engine: Engine, name: str) -> int:
    """Last position consumer ``name`` has committed (0 when it never ran)."""
    with translate_errors(engine.url), engine.connect() as conn:
        return load_position(conn, name)


def save_checkpoint(conn: Connection, name: str, position: int) -> None:
    """Record (inside the caller's transaction) that ``name`` has consumed up to ``position``."""
    now = datetime.now(UTC)
    updated = conn.execute(
        sa.update(CHECKPOINTS)
        .where(CHECKPOINTS.c.name == name)
        .values(position=position, updated_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(sa.insert(CHECKPOINTS).values(name=name, position=position, updated_at=now))


def reset_checkpoint(conn: Connection, name: str) -> None:
    """Forget consumer ``name``'s position (a rebuild starts from 0)."""
    conn.execute(sa.delete(CHECKPOINTS).where(CHECKPOINTS.c.name == name))

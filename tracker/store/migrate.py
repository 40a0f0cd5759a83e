"""Schema migrations (Alembic revisions under ``migrations/versions``), run under the write lock
so that several processes opening a new database at once migrate it exactly once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from tracker.store.sql import write_transaction

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    return cfg


def head_revisions() -> set[str]:
    """The newest revision(s) this code knows."""
    return set(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    """The revision(s) the database is at (empty for a new database)."""
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns True when anything ran."""
    heads = head_revisions()
    if current_revisions(engine) == heads:
        return False
    with write_transaction(engine) as conn:
        if set(MigrationContext.configure(conn).get_current_heads()) == heads:
            return False
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    return True

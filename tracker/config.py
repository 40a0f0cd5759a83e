"""Settings: where the store lives and which feeds file to read.

Precedence: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "diplomatic-tracker"
DB_ENV = "TRACKER_DB_URL"
FEEDS_ENV = "TRACKER_FEEDS"


def default_db_path() -> Path:
    """The embedded SQLite file under the user's data directory."""
    return Path(user_data_dir(APP_NAME)) / "tracker.db"


def resolve_db_url(option: str | None = None) -> str:
    """The database URL: ``--db``, else ``$TRACKER_DB_URL``, else the SQLite default.

    A bare file path is accepted and turned into a ``sqlite:///`` URL.
    """
    url = option or os.environ.get(DB_ENV) or f"sqlite:///{default_db_path()}"
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def resolve_feeds_path(option: str | Path | None = None) -> Path:
    """The feeds file: ``--feeds``, else ``$TRACKER_FEEDS``, else ``./feeds.yaml``."""
    return Path(option or os.environ.get(FEEDS_ENV) or "feeds.yaml")

"""Run the web app with uvicorn (what ``manage.py serve`` calls)."""

from __future__ import annotations

import os

import uvicorn

from tracker.config import FeedsConfig
from tracker.store import SqlEventStore
from tracker.web.app import create_app

TOKEN_ENV = "TRACKER_ADMIN_TOKEN"


def serve(
    store: SqlEventStore,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    feeds: FeedsConfig | None = None,
    with_scheduler: bool = False,
    admin_token: str | None = None,
) -> None:
    """Serve the app on ``host:port`` until interrupted. The admin token defaults to
    ``TRACKER_ADMIN_TOKEN`` (unset: read-only). Raises InputError for a bad setup."""
    app = create_app(
        store,
        admin_token=admin_token if admin_token is not None else os.environ.get(TOKEN_ENV),
        feeds=feeds,
        with_scheduler=with_scheduler,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=3,  # open live streams end at shutdown
        server_header=False,
    )

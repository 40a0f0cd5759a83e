"""The web app (``manage.py serve``): pages and a JSON API over the same library queries."""

from __future__ import annotations

from tracker.web.app import create_app
from tracker.web.server import serve

__all__ = ["create_app", "serve"]

"""Helpers for the feed tests: a threaded loopback HTTP server, feed builders, config files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml
from pytest_httpserver import HTTPServer

from tracker.config import FeedsConfig, load_feeds
from tracker.store import SqlEventStore

DATA = Path(__file__).resolve().parent / "data" / "feeds"
FAST = {
    "connect_timeout": 2,
    "read_timeout": 2,
    "total_timeout": 5,
    "max_bytes": 1_000_000,
    "min_summary_chars": 0,
    "interval": "10m",
}


@pytest.fixture(scope="module")
def _http() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def feed_server(_http: HTTPServer) -> Iterator[HTTPServer]:
    """A loopback HTTP server (pytest-httpserver), cleared after each test."""
    _http.clear()
    yield _http
    _http.clear()


def rss(*items: dict[str, str], ttl: int | None = None, title: str = "Test feed") -> bytes:
    """An RSS 2.0 document with ``items`` (keys: title, link, guid, description, pubDate)."""
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    ttl_el = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>{ttl_el}"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def item(n: int, *, link: str | None = None, text: str | None = None) -> dict[str, str]:
    """A feed item numbered ``n`` with a distinct link and a plain summary."""
    return {
        "title": f"Story {n}: foreign ministers meet",
        "link": link or f"https://news.example.org/story-{n}",
        "guid": f"guid-{n}",
        "description": text or f"The foreign ministers met for talks number {n} on Monday.",
        "pubDate": "Mon, 02 Jan 2023 10:00:00 +0000",
    }


def make_config(tmp_path: Path, feeds: list[dict[str, Any]], **defaults: Any) -> FeedsConfig:
    """Write a feeds.yaml with ``feeds`` (fast test defaults) under ``tmp_path`` and load it."""
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump({"defaults": {**FAST, **defaults}, "feeds": feeds}))
    return load_feeds(path)


def article_titles(store: SqlEventStore) -> list[str]:
    """Titles of the recorded articles, in log order."""
    return [json.loads(r.payload)["title"] for r in store.read_all() if r.type == "ArticleRecorded"]

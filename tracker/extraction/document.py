"""The extractor's input: an article's title, text and where and when it was published (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """An article as read from a feed, a file or a URL."""

    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    feed: str | None = None
    guid: str | None = None
    text_source: str = "feed"

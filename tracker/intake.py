"""Articles given by hand: read from text/HTML files or fetched from URLs, then extracted or
ingested through the same pipeline as polling.

URLs are fetched with the same polite client as feeds (``tracker.feeds.fetch.PoliteClient``),
so a page given by hand gets the same timeouts, caps and User-Agent as a polled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path

from tracker.articles import (
    Article,
    article_from_html,
    article_from_text,
    check_article,
    decode_text,
    read_article_file,
)
from tracker.config import FeedSettings
from tracker.errors import FeedError, InputError
from tracker.extraction import Candidate, extract
from tracker.feeds.fetch import FetchError, PoliteClient
from tracker.pipeline import ingest_article
from tracker.store import EventLog

MAX_BYTES = 5_000_000
_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class IngestRow:
    """What ingesting one source did."""

    source: str
    article_id: str | None
    title: str
    new_article: bool
    facts_written: int
    duplicates: int


def _moment(published: date | None) -> datetime | None:
    return (
        datetime(published.year, published.month, published.day, 12, tzinfo=UTC)
        if published
        else None
    )


def fetch_page(url: str) -> tuple[str, str]:
    """GET ``url`` with the feeds' polite client (User-Agent, timeouts, total deadline, size cap
    enforced while streaming and decoding, redirect limit); returns (final URL, body text).
    Raises FeedError, or InputError when the body is not text."""
    try:
        with PoliteClient(FeedSettings(max_bytes=MAX_BYTES)) as client:
            page = client.fetch(url, base=Path.cwd(), accept=_HTML)
    except FetchError as e:
        if e.status is not None and e.status >= 400:
            raise FeedError(f"{url}: HTTP {e.status}; check the address") from None
        raise
    header = Message()
    header["content-type"] = page.content_type or "text/html"
    return page.url, decode_text(page.body or b"", url, header.get_content_charset())


def load_article(source: str, *, published: date | None = None, url: str | None = None) -> Article:
    """An article from a file path or an http(s) URL; raises InputError (also for a
    publication date in the future: its relative dates would become future facts) or
    FeedError."""
    if published is not None and published > datetime.now(UTC).date() + timedelta(days=1):
        raise InputError(
            f"--published {published} is in the future: give the date the article appeared"
        )
    moment = _moment(published)
    if source.startswith(("http://", "https://")):
        final, body = fetch_page(source)
        head = body.lstrip()[:200].lower()
        if head.startswith(("<!doctype html", "<html")) or "<body" in body[:5000].lower():
            article = article_from_html(body, url=url or final, published=moment)
        else:
            article = article_from_text(body, url=url or final, published=moment, text_source="url")
        return check_article(article, source)
    if "://" in source:
        raise InputError(f"unsupported source {source!r}: give a file path or an http(s) URL")
    return read_article_file(Path(source), url=url, published=moment)


def extract_source(
    source: str, *, published: date | None = None, url: str | None = None
) -> list[Candidate]:
    """Every candidate event of one article (nothing is stored)."""
    return extract(load_article(source, published=published, url=url))


def ingest_sources(
    store: EventLog,
    sources: Sequence[str],
    *,
    published: date | None = None,
    url: str | None = None,
) -> list[IngestRow]:
    """Record articles and their facts through the pipeline; idempotent when run again."""
    if url and len(sources) > 1:
        raise InputError("--url names one article: give a single PATH or URL with it")
    rows = []
    for source in sources:
        article = load_article(source, published=published, url=url)
        result = ingest_article(store, article)
        rows.append(
            IngestRow(
                source=source,
                article_id=result.article_id,
                title=article.title,
                new_article=result.new_article,
                facts_written=result.facts_written,
                duplicates=result.duplicates,
            )
        )
    return rows

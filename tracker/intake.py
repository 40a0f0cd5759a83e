"""Articles given by hand: read from text/HTML files or fetched from URLs, then extracted or
ingested through the same pipeline as polling.

The fetch is deliberately one small function (``fetch_page``) so it can be swapped for the
feeds concern's polite client: explicit timeouts, a body-size cap, a User-Agent, redirects
followed, errors as ``FeedError``/``InputError`` with the URL in the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from tracker.articles import Article, article_from_html, article_from_text, read_article_file
from tracker.errors import FeedError, InputError
from tracker.extraction import Candidate, extract
from tracker.pipeline import ingest_article
from tracker.store import SqlEventStore

USER_AGENT = "diplomatic-tracker/0.1 (+https://example.org/diplomatic-tracker; polite fetcher)"
MAX_BYTES = 5_000_000
TIMEOUT = httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=10.0)


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
    """GET ``url`` politely; returns (final URL, body text). Raises FeedError on failure."""
    try:
        with (
            httpx.Client(
                timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FeedError(f"{url}: HTTP {response.status_code}; check the address")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedError(f"{url}: page larger than {MAX_BYTES} bytes; not read")
                chunks.append(chunk)
            encoding = response.encoding or "utf-8"
            return str(response.url), b"".join(chunks).decode(encoding, errors="replace")
    except httpx.HTTPError as e:
        raise FeedError(f"{url}: fetch failed ({type(e).__name__}: {e})") from None


def load_article(source: str, *, published: date | None = None, url: str | None = None) -> Article:
    """An article from a file path or an http(s) URL; raises InputError or FeedError."""
    moment = _moment(published)
    if source.startswith(("http://", "https://")):
        final, body = fetch_page(source)
        head = body.lstrip()[:200].lower()
        if head.startswith(("<!doctype html", "<html")) or "<body" in body[:5000].lower():
            article = article_from_html(body, url=url or final, published=moment)
        else:
            article = article_from_text(body, url=url or final, published=moment, text_source="url")
        if not article.text.strip():
            raise InputError(f"{source}: no article text found on the page")
        return article
    if "://" in source:
        raise InputError(f"unsupported source {source!r}: give a file path or an http(s) URL")
    return read_article_file(Path(source), url=url, published=moment)


def extract_source(
    source: str, *, published: date | None = None, url: str | None = None
) -> list[Candidate]:
    """Every candidate event of one article (nothing is stored)."""
    return extract(load_article(source, published=published, url=url))


def ingest_sources(
    store: SqlEventStore,
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
